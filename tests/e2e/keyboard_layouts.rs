//! USB scanners on any keyboard layout (issue 17, item 5): the page receives key events as
//! the OS would send them (`key` in the OS's layout, `code` the physical key, `shiftKey`),
//! dispatched into the real window; the wedge reads the burst by physical key through the
//! scanner's layout. The layouts below are written out key by key here, apart from the
//! product's table in `usher_core::scanner_layout`, so a wrong table there fails these tests.

use crate::support::{with_window, with_window_over, Window};
use crate::{demo_dataset, spare_valid_tickets};
use serde_json::{json, Value};
use std::time::Duration;

/// One keydown: the OS's character, the physical key, Shift.
type Press = (String, &'static str, bool);

/// The physical key (and Shift) a scanner set to US presses for `c`.
fn us_key(c: char) -> (&'static str, bool) {
    const DIGITS: [&str; 10] = [
        "Digit0", "Digit1", "Digit2", "Digit3", "Digit4", "Digit5", "Digit6", "Digit7", "Digit8",
        "Digit9",
    ];
    const LETTERS: [&str; 26] = [
        "KeyA", "KeyB", "KeyC", "KeyD", "KeyE", "KeyF", "KeyG", "KeyH", "KeyI", "KeyJ", "KeyK",
        "KeyL", "KeyM", "KeyN", "KeyO", "KeyP", "KeyQ", "KeyR", "KeyS", "KeyT", "KeyU", "KeyV",
        "KeyW", "KeyX", "KeyY", "KeyZ",
    ];
    match c {
        '0'..='9' => (DIGITS[c as usize - '0' as usize], false),
        'a'..='z' => (LETTERS[c as usize - 'a' as usize], false),
        'A'..='Z' => (LETTERS[c as usize - 'A' as usize], true),
        '_' => ("Minus", true),
        _ => panic!("no US key for {c:?} in this test"),
    }
}

/// The letter a US keyboard has on a `Key…` code, lower case.
fn us_letter(code: &str) -> Option<char> {
    code.strip_prefix("Key")
        .and_then(|l| l.chars().next())
        .map(|l| l.to_ascii_lowercase())
}

/// What a German (QWERTZ) OS types for a physical key.
fn german_os(code: &str, shift: bool) -> String {
    const SHIFTED_DIGITS: &str = "=!\"§$%&/()"; // Shift+0 … Shift+9
    let letter = |c: char| {
        if shift {
            c.to_ascii_uppercase()
        } else {
            c
        }
    };
    let c = match code {
        "KeyY" => letter('z'),
        "KeyZ" => letter('y'),
        "Minus" => {
            if shift {
                '?'
            } else {
                'ß'
            }
        }
        "Slash" => {
            if shift {
                '_'
            } else {
                '-'
            }
        }
        d if d.starts_with("Digit") => {
            let n = d.as_bytes()[5] - b'0';
            if shift {
                SHIFTED_DIGITS.chars().nth(n as usize).unwrap()
            } else {
                (b'0' + n) as char
            }
        }
        k => letter(us_letter(k).unwrap_or_else(|| panic!("no German key {k} in this test"))),
    };
    c.to_string()
}

/// What a French (AZERTY) OS types for a physical key.
fn french_os(code: &str, shift: bool) -> String {
    const PLAIN_DIGITS: &str = "à&é\"'(-è_ç"; // 0 … 9 without Shift
    let letter = |c: char| {
        if shift {
            c.to_ascii_uppercase()
        } else {
            c
        }
    };
    let c = match code {
        "KeyQ" => letter('a'),
        "KeyA" => letter('q'),
        "KeyW" => letter('z'),
        "KeyZ" => letter('w'),
        "Semicolon" => letter('m'),
        "KeyM" => {
            if shift {
                '?'
            } else {
                ','
            }
        }
        "Minus" => {
            if shift {
                '°'
            } else {
                ')'
            }
        }
        d if d.starts_with("Digit") => {
            let n = d.as_bytes()[5] - b'0';
            if shift {
                (b'0' + n) as char
            } else {
                PLAIN_DIGITS.chars().nth(n as usize).unwrap()
            }
        }
        k => letter(us_letter(k).unwrap_or_else(|| panic!("no French key {k} in this test"))),
    };
    c.to_string()
}

/// The physical key (and Shift) a scanner set to German presses for `c`.
fn german_scanner_key(c: char) -> (&'static str, bool) {
    match c {
        'z' => ("KeyY", false),
        'y' => ("KeyZ", false),
        'Z' => ("KeyY", true),
        'Y' => ("KeyZ", true),
        '_' => ("Slash", true),
        c => us_key(c),
    }
}

/// The keydowns for `text` typed by a scanner (`scanner`: char → key) on an OS (`os`: key →
/// the character it types).
fn typed(
    text: &str,
    scanner: fn(char) -> (&'static str, bool),
    os: fn(&str, bool) -> String,
) -> Vec<Press> {
    text.chars()
        .map(|c| {
            let (code, shift) = scanner(c);
            (os(code, shift), code, shift)
        })
        .collect()
}

/// Sends the keydowns to the page as the OS does (a Shift keydown before a shifted key, the
/// characters a millisecond or less apart, then Enter), with no field focused.
async fn dispatch(w: &Window, presses: &[Press]) {
    let events: Vec<Value> = presses
        .iter()
        .map(|(key, code, shift)| json!([key, code, shift]))
        .collect();
    w.client
        .execute(
            "const [events] = arguments; \
             if (document.activeElement) document.activeElement.blur(); \
             const send = (key, code, shift) => (document.activeElement || document.body).dispatchEvent( \
               new KeyboardEvent('keydown', { key, code, shiftKey: shift, bubbles: true, cancelable: true })); \
             for (const [key, code, shift] of events) { \
               if (shift) send('Shift', 'ShiftLeft', true); \
               send(key, code, shift); \
             } \
             send('Enter', 'Enter', false); \
             return true;",
            vec![json!(events)],
        )
        .await
        .unwrap_or_else(|e| panic!("dispatching the keys failed: {e}"));
}

/// Dispatches `presses` and returns the verdict the window paints.
async fn scan_keys(w: &Window, presses: &[Press]) -> String {
    let before = w.shown_scan().await;
    dispatch(w, presses).await;
    w.next_verdict(&before).await
}

/// What the OS typed, as one string.
fn os_text(presses: &[Press]) -> String {
    presses.iter().map(|(k, _, _)| k.as_str()).collect()
}

/// A spare valid demo ticket with a `z` or `y`, the letters QWERTZ swaps, from `from` on.
fn ticket_with_z_or_y(from: usize) -> String {
    let data = demo_dataset();
    spare_valid_tickets(&data)
        .into_iter()
        .skip(from)
        .find(|t| t.contains('z') || t.contains('y'))
        .expect("a demo ticket with z or y")
}

/// Waits until `#id`'s text contains `words`.
async fn wait_text(w: &Window, id: &str, words: &str) {
    w.wait(
        &format!("(document.getElementById('{id}').textContent || '').includes({words:?})"),
        Duration::from_secs(10),
        &format!("#{id} to say {words:?}"),
    )
    .await;
}

#[test]
fn a_us_scanner_on_a_german_qwertz_laptop_reads_a_ticket_and_gets_admit() {
    let ticket = ticket_with_z_or_y(60);
    with_window(|w| async move {
        w.start_demo().await;
        let presses = typed(&ticket, us_key, german_os);
        let os = os_text(&presses);
        // What the OS typed is not the ticket: "tkt?…" with y and z swapped.
        assert!(os.starts_with("tkt?"), "{os}");
        assert_ne!(os.replace('?', "_"), ticket, "z or y swapped: {os}");
        let got = scan_keys(&w, &presses).await;
        assert_eq!(got, "ADMIT", "{ticket} typed by the OS as {os}");
    });
}

#[test]
fn a_us_scanner_on_a_french_azerty_laptop_reads_a_ticket_and_gets_admit() {
    let data = demo_dataset();
    let ticket = spare_valid_tickets(&data)
        .into_iter()
        .skip(70)
        .find(|t| t.contains('a') || t.contains('q') || t.contains('z') || t.contains('w'))
        .expect("a demo ticket with a letter AZERTY moves");
    with_window(|w| async move {
        w.start_demo().await;
        let presses = typed(&ticket, us_key, french_os);
        let os = os_text(&presses);
        // Digits come out as the symbols on their keys, `_` as `°`.
        assert!(os.starts_with("tkt°"), "{os}");
        assert!(!os.chars().skip(4).any(|c| c.is_ascii_digit()), "{os}");
        let got = scan_keys(&w, &presses).await;
        assert_eq!(got, "ADMIT", "{ticket} typed by the OS as {os}");
    });
}

/// A scanner set to German on a German laptop: the OS's characters are right, but by physical
/// key through US the ticket reads wrong, until the scanner scans Setup's calibration code.
/// The layout is kept: after a restart the page reads with it at once; "Forget scanner
/// layout" goes back to US.
#[test]
fn a_german_scanner_taught_by_the_calibration_code_reads_tickets_and_keeps_its_layout() {
    let first = ticket_with_z_or_y(80);
    let second = ticket_with_z_or_y(90);
    let home = tempfile::tempdir().expect("a temp dir");
    let first_ = first.clone();
    with_window_over(home.path(), |w| async move {
        w.start_demo().await;
        let ticket = typed(&first_, german_scanner_key, german_os);
        assert_eq!(
            os_text(&ticket),
            first_,
            "the OS types the German scanner right"
        );
        // Before calibration: read through US, "tkt_" is "tkt?" and z and y are swapped.
        assert_eq!(scan_keys(&w, &ticket).await, "NOT_A_TICKET_CODE");

        w.show_screen("setup").await;
        w.wait(
            "!!document.getElementById('scanner-qr').getAttribute('data-text') && document.getElementById('scanner-qr').complete && document.getElementById('scanner-qr').naturalWidth > 0",
            Duration::from_secs(10),
            "the calibration QR code",
        )
        .await;
        let text = w
            .js("document.getElementById('scanner-qr').getAttribute('data-text')")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert_eq!(text, usher_core::scanner_layout::CALIBRATION_TEXT);
        wait_text(&w, "scanner-layout", "US keyboard").await;

        // A calibration scan cut short is refused with what is wrong, and teaches nothing.
        let cut = typed(&text[..text.len() - 5], german_scanner_key, german_os);
        dispatch(&w, &cut).await;
        wait_text(&w, "scanner-message", "the scanner was not taught").await;
        wait_text(&w, "scanner-message", "dropped or added keys").await;
        wait_text(&w, "scanner-layout", "US keyboard").await;

        dispatch(&w, &typed(&text, german_scanner_key, german_os)).await;
        wait_text(
            &w,
            "scanner-message",
            "Scanner taught: German (QWERTZ) layout detected.",
        )
        .await;
        wait_text(&w, "scanner-layout", "German (QWERTZ)").await;
        w.js("(document.getElementById('setup-scanner').scrollIntoView(), true)")
            .await;
        w.screenshot("46-scanner-calibration").await;

        w.show_screen("scan").await;
        assert_eq!(scan_keys(&w, &ticket).await, "ADMIT", "{first_}");
    });
    // Restarted: the page reads the German scanner with the layout it kept, from the start.
    with_window_over(home.path(), |w| async move {
        w.start_demo().await;
        wait_text(&w, "scanner-layout", "German (QWERTZ)").await;
        let ticket = typed(&second, german_scanner_key, german_os);
        assert_eq!(scan_keys(&w, &ticket).await, "ADMIT", "{second}");

        w.show_screen("setup").await;
        w.click("scanner-forget").await;
        wait_text(&w, "scanner-message", "Scanner layout forgotten").await;
        wait_text(&w, "scanner-layout", "US keyboard").await;
        w.show_screen("scan").await;
        // Read as US again: the same German keys are no ticket.
        let third = typed(&first, german_scanner_key, german_os);
        assert_eq!(scan_keys(&w, &third).await, "NOT_A_TICKET_CODE");
    });
}
