//! A finger on a tablet: lookup and check-in driven only by WebDriver pointer actions of
//! pointer type touch (typing through key actions, as an on-screen keyboard types).
//! WebKitGTK's WebDriver accepts the touch source but delivers its presses as mouse events
//! (the page's `pointerType` is "mouse"): the taps' positions, order and effect are the
//! finger's; touch-only events (touchstart) are not exercised under it.

use crate::support::{with_window, Window};
use crate::{demo_dataset, spare_valid_tickets};
use fantoccini::actions::{
    InputSource, KeyAction, KeyActions, PointerAction, TouchActions, MOUSE_BUTTON_LEFT,
};
use fantoccini::Locator;
use serde_json::Value;
use std::time::Duration;

/// Taps the element `css` matches with one finger: touch down and up at its centre.
async fn tap(w: &Window, css: &str) {
    w.wait(
        &format!(
            "(() => {{ const e = document.querySelector({css:?}); return !!e && !e.disabled && e.offsetParent !== null; }})()"
        ),
        Duration::from_secs(10),
        &format!("{css} to be tappable"),
    )
    .await;
    let element = w
        .client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
    let finger = TouchActions::new("finger".into())
        .then(PointerAction::MoveToElement {
            element,
            duration: None,
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    w.client
        .perform_actions(finger)
        .await
        .unwrap_or_else(|e| panic!("tapping {css} failed: {e}"));
    w.client
        .release_actions()
        .await
        .unwrap_or_else(|e| panic!("lifting the finger after {css} failed: {e}"));
}

/// Types `text` into whatever has the focus, key by key.
async fn type_keys(w: &Window, text: &str) {
    let mut keys = KeyActions::new("on-screen-keyboard".into());
    for c in text.chars() {
        keys = keys
            .then(KeyAction::Down { value: c })
            .then(KeyAction::Up { value: c });
    }
    w.client
        .perform_actions(keys)
        .await
        .unwrap_or_else(|e| panic!("typing {text:?} failed: {e}"));
}

/// Every pointer event the page received, by pointer type, counted from the page's side.
const COUNT_POINTERS: &str = "(() => { window.__pointers = []; \
    document.addEventListener('pointerdown', (e) => window.__pointers.push(e.pointerType), true); \
    return true; })()";

#[test]
fn a_finger_finds_a_guest_in_lookup_and_checks_them_in_to_an_admit() {
    let data = demo_dataset();
    let id = spare_valid_tickets(&data)[60].clone();
    let ticket = data.ticket(&id).expect("the ticket exists");
    let name = format!(
        "{} {}",
        ticket.attendee.first_name, ticket.attendee.last_name
    );
    with_window(|w| async move {
        w.start_demo().await;
        // Portrait, as a tablet held upright.
        w.set_page_size(800, 1280).await;
        w.js(COUNT_POINTERS).await;
        let inside_before: u64 = w.text("count-in").await.parse().expect("a number");

        tap(&w, "#nav-lookup").await;
        w.wait(
            "!document.getElementById('screen-lookup').hidden",
            Duration::from_secs(5),
            "the lookup screen after a tap",
        )
        .await;
        tap(&w, "#lookup-query").await;
        w.wait(
            "document.activeElement === document.getElementById('lookup-query')",
            Duration::from_secs(5),
            "the search field focused by the tap",
        )
        .await;
        type_keys(&w, &name).await;
        let row = format!("#lookup-results .lookup-row[data-ticket-id='{id}']");
        w.wait(
            &format!("!!document.querySelector(\"{row} .check-in\")"),
            Duration::from_secs(10),
            "the guest in the results, with a check-in button",
        )
        .await;
        // Tap the result (its name), then its check-in button.
        tap(&w, &format!("{row} .row-name")).await;
        tap(&w, &format!("{row} .check-in")).await;
        w.wait(
            "document.getElementById('lookup-verdict').getAttribute('data-class') === 'go'",
            Duration::from_secs(10),
            "the check-in's verdict above the results",
        )
        .await;
        w.wait(
            &format!("!!document.querySelector(\"{row} .check-out\")"),
            Duration::from_secs(10),
            "the guest shown inside, with a check-out button",
        )
        .await;

        // The verdict itself, on the scan screen: ADMIT, for this guest.
        tap(&w, "#nav-scan").await;
        w.wait(
            "!document.getElementById('screen-scan').hidden",
            Duration::from_secs(5),
            "the scan screen after a tap",
        )
        .await;
        assert_eq!(
            w.js("document.getElementById('verdict').getAttribute('data-verdict')")
                .await,
            Value::from("ADMIT"),
            "the check-in's verdict: {}",
            w.js("document.getElementById('verdict').innerText").await
        );
        assert_eq!(
            w.js("document.getElementById('verdict').getAttribute('data-scan-id') !== ''")
                .await,
            Value::Bool(true)
        );
        let shown = w.text("verdict-name").await;
        assert!(
            shown.contains(&ticket.attendee.first_name),
            "the verdict names the guest: {shown:?}"
        );
        w.screenshot("48-touch-check-in-admit").await;
        w.wait(
            &format!(
                "Number(document.getElementById('count-in').textContent) === {}",
                inside_before + 1
            ),
            Duration::from_secs(10),
            "the counter to count the guest in",
        )
        .await;
        // Each of the five taps reached the page as one pointer press. (WebKitGTK's
        // WebDriver takes pointer type touch but delivers it as mouse events, so the page
        // sees "mouse" there; a driver with real touch would show "touch".)
        let pointers = w.js("window.__pointers").await;
        let pointers = pointers.as_array().expect("the page's list");
        assert_eq!(pointers.len(), 5, "one press per tap: {pointers:?}");
        println!("touch: the page saw the taps as pointer types {pointers:?}");
    });
}
