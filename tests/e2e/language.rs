//! The window's language: switched in Setup, applied at once to the page's own texts, to the
//! core's verdict words and to the station's refusals and Door health sentences, with no
//! restart.

use crate::demo_dataset;
use crate::support::with_window;
use session_api::TicketStatus;
use std::time::Duration;

/// Chooses `code` ("de", "en", "" for the OS's) in Setup's language selector, as staff do.
async fn choose_language(w: &crate::support::Window, code: &str, nav_setup: &str) {
    w.js(&format!(
        "(() => {{ const s = document.getElementById('setup-language'); s.value = '{code}'; \
         s.dispatchEvent(new Event('change')); return true; }})()"
    ))
    .await;
    w.wait(
        &format!("document.querySelector('#nav-setup .nav-label').textContent === '{nav_setup}'"),
        Duration::from_secs(10),
        &format!("the page's texts in {code:?}"),
    )
    .await;
}

#[test]
fn switching_to_german_in_setup_words_setup_health_refusals_and_a_cancelled_ticket_at_once() {
    let data = demo_dataset();
    let cancelled = data.ticket_ids(0, TicketStatus::Cancelled)[2].clone();
    with_window(|w| async move {
        w.start_demo().await;
        w.show_screen("setup").await;
        w.wait(
            "document.getElementById('setup-language').options.length === 3",
            Duration::from_secs(10),
            "the language selector: the OS's, English, Deutsch",
        )
        .await;
        choose_language(&w, "de", "Einrichtung").await;
        assert_eq!(
            w.js("document.documentElement.lang").await,
            "de",
            "the page says its language"
        );
        assert_eq!(w.text("setup-title").await, "Diese Tür einrichten");
        // The download's line, if still shown, is worded again too.
        let progress = w
            .js(
                "(() => { const p = document.getElementById('sync-progress'); \
                 return p.hidden ? '' : p.textContent; })()",
            )
            .await;
        assert!(
            !progress.as_str().unwrap_or_default().contains("Guest list"),
            "{progress}"
        );
        // Setup's USB scanner section: the layout line is worded again in German at once.
        w.wait(
            "document.getElementById('scanner-layout').textContent === \
             'Scanner-Belegung: US-Tastatur (Standard).'",
            Duration::from_secs(10),
            "the scanner layout line in German",
        )
        .await;
        // The station's refusals are whole German sentences, their specifics inside them.
        let short = serde_json::json!({ "presses": [{ "code": "KeyU", "shift": false }] });
        let refused = w.invoke("scanner_teach", short).await.unwrap_err();
        assert_eq!(refused["code"], "CALIBRATION_MISMATCH", "{refused}");
        let words = refused["message"].as_str().unwrap_or_default();
        assert!(
            words
                .starts_with("Der Scanner wurde nicht angelernt: Der Scanner hat 1 Tasten getippt"),
            "{words}"
        );
        let kiosk = serde_json::json!({ "on": true, "pin": null });
        let refused = w.invoke("kiosk_set", kiosk).await.unwrap_err();
        assert_eq!(refused["code"], "INVALID_CONFIG", "{refused}");
        assert_eq!(
            refused["message"],
            "Zuerst eine Tür-PIN wählen (4 bis 12 Ziffern): Das Schließen im Kiosk-Modus fragt \
             nach ihr",
        );
        w.screenshot("41-setup-german").await;
        // Door health's sentences from the core and the station are German too.
        w.show_screen("health").await;
        w.wait(
            "document.getElementById('health-encryption').textContent.startsWith(\
             'Die erfundene Gästeliste der Demo ist nicht verschlüsselt.')",
            Duration::from_secs(10),
            "Door health's encryption line in German",
        )
        .await;
        w.screenshot("42-health-german").await;

        w.show_screen("scan").await;
        assert_eq!(
            w.text("verdict-word").await,
            "BEREIT",
            "the idle panel in German"
        );
        w.scan_expecting(&cancelled, "CANCELLED").await;
        assert_eq!(w.text("verdict-word").await, "STORNIERT");
        assert_eq!(
            w.text("verdict-detail").await,
            "Dieses Ticket wurde storniert."
        );
        let meta = w.text("verdict-meta").await;
        assert!(
            meta.contains("USB-Scanner"),
            "the small print is German too: {meta:?}"
        );
        w.screenshot("40-verdict-cancelled-german").await;

        // And back to English, again with no restart.
        w.show_screen("setup").await;
        choose_language(&w, "en", "Setup").await;
        w.show_screen("scan").await;
        tokio::time::sleep(usher_core::debounce::DEFAULT_WINDOW + Duration::from_millis(100)).await;
        w.scan_expecting(&cancelled, "CANCELLED").await;
        assert_eq!(w.text("verdict-word").await, "CANCELLED");
    });
}
