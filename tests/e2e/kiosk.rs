//! Kiosk mode in the real window: full screen with no frame, and a close that waits for the
//! door PIN while scans wait to upload.

use crate::spare_valid_tickets;
use crate::support::{with_window, Window};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

async fn type_into(w: &Window, id: &str, text: &str) {
    let field = w
        .client
        .find(fantoccini::Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("#{id}: {e}"));
    field.clear().await.expect("the field clears");
    field.send_keys(text).await.expect("typing works");
}

#[test]
fn a_kiosk_with_scans_waiting_stays_open_until_the_door_pin_is_given() {
    let data = crate::demo_dataset();
    let valid = spare_valid_tickets(&data);
    let (first, second) = (valid[70].clone(), valid[71].clone());
    with_window(|w| async move {
        w.start_demo().await;

        // Setup's switch: the demo's door has no PIN, so one is chosen with it.
        w.show_screen("setup").await;
        w.wait(
            "!document.getElementById('setup-form').hidden",
            Duration::from_secs(10),
            "the setup form",
        )
        .await;
        w.click("setup-kiosk").await;
        type_into(&w, "setup-kiosk-pin", "2468").await;
        w.click("setup-kiosk-apply").await;
        w.wait(
            "/Kiosk mode is on/.test(document.getElementById('setup-kiosk-message').textContent)",
            Duration::from_secs(10),
            "kiosk mode on",
        )
        .await;
        let kiosk = w
            .invoke("kiosk_state", json!({}))
            .await
            .expect("the kiosk state");
        assert_eq!(kiosk["on"], Value::Bool(true), "{kiosk}");
        assert_eq!(
            kiosk["fullscreen"],
            Value::Bool(true),
            "full screen: {kiosk}"
        );
        assert_eq!(
            kiosk["decorated"],
            Value::Bool(false),
            "no window frame: {kiosk}"
        );
        // Door health says whether the screen is kept awake (under CI's private D-Bus there
        // is no screensaver to ask: then it says so).
        w.wait(
            "window.__TAURI__.core.invoke('health').then((h) => window.__awake = h.screenAwake), \
             typeof window.__awake === 'string' && !/asking/.test(window.__awake)",
            Duration::from_secs(15),
            "Door health's word on keeping the screen awake",
        )
        .await;
        let awake = w.js("window.__awake").await;
        println!("kiosk: {awake}");

        // Leaving Setup locks it: kiosk mode cannot be turned off without the PIN.
        w.show_screen("scan").await;
        let refused = w
            .invoke("kiosk_set", json!({ "on": false, "pin": null }))
            .await
            .expect_err("turning kiosk mode off without the PIN is refused");
        assert_eq!(refused["code"], Value::from("SETUP_LOCKED"), "{refused}");
        // With it, off undoes all of it at once; then on again.
        w.invoke("setup_unlock", json!({ "pin": "2468" }))
            .await
            .expect("the right PIN unlocks Setup");
        let off = w
            .invoke("kiosk_set", json!({ "on": false, "pin": null }))
            .await
            .expect("kiosk mode off");
        assert_eq!(
            (
                &off["on"],
                &off["fullscreen"],
                &off["decorated"],
                &off["screenAwake"]
            ),
            (
                &Value::Bool(false),
                &Value::Bool(false),
                &Value::Bool(true),
                &Value::Null
            ),
            "off: a plain window, the screen let go: {off}"
        );
        let on = w
            .invoke("kiosk_set", json!({ "on": true, "pin": null }))
            .await
            .expect("kiosk mode on again, with the PIN the door has");
        assert_eq!(on["fullscreen"], Value::Bool(true), "{on}");
        w.invoke("setup_lock", json!({}))
            .await
            .expect("Setup locks");

        // Scans waiting: the demo's network is cut, two guests come in.
        w.click("demo-network").await;
        w.wait(
            "document.getElementById('online-badge').getAttribute('data-online') === 'false'",
            Duration::from_secs(15),
            "the offline badge",
        )
        .await;
        w.scan_expecting(&first, "ADMIT").await;
        w.scan_expecting(&second, "ADMIT").await;
        w.wait(
            "Number(document.getElementById('pending-count').textContent) >= 2",
            Duration::from_secs(5),
            "the two offline scans waiting to upload",
        )
        .await;
        let waiting = w.text("pending-count").await;

        // The window is asked to close (Tauri's close, as the window manager asks): it stays
        // open and the page asks for the PIN, saying how many scans wait.
        w.js("(window.__TAURI__.window.getCurrentWindow().close(), true)")
            .await;
        w.wait(
            "!document.getElementById('kiosk-close').hidden",
            Duration::from_secs(10),
            "the close dialog",
        )
        .await;
        let said = w.text("kiosk-close-waiting").await;
        assert!(
            said.starts_with(&format!("{waiting} scans wait to upload")),
            "the dialog says how many scans wait ({waiting}): {said:?}"
        );
        assert_eq!(
            w.client.windows().await.expect("the window list").len(),
            1,
            "the window is still open"
        );
        w.screenshot("47-kiosk-close").await;

        // A wrong PIN: still open, in plain words.
        type_into(&w, "kiosk-close-pin", "1111").await;
        w.click("kiosk-close-confirm").await;
        w.wait(
            "/wrong PIN/i.test(document.getElementById('kiosk-close-message').textContent)",
            Duration::from_secs(10),
            "the wrong PIN refused",
        )
        .await;
        let message = w.text("kiosk-close-message").await;
        assert!(message.contains("stays open"), "{message:?}");
        assert_eq!(
            w.js("!document.getElementById('kiosk-close').hidden && !document.getElementById('screen-scan').hidden")
                .await,
            Value::Bool(true),
            "the dialog and the door are still there"
        );
        w.screenshot_as_is("47-kiosk-close-wrong-pin").await;

        // The right PIN closes the app: the WebDriver session loses its window.
        type_into(&w, "kiosk-close-pin", "2468").await;
        w.click("kiosk-close-confirm").await;
        let until = Instant::now() + Duration::from_secs(15);
        loop {
            let alive = w.client.execute("return 1;", vec![]).await.is_ok();
            if !alive {
                break;
            }
            assert!(
                Instant::now() < until,
                "the window is still open 15 s after the right PIN"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
}
