//! The window's language: switched in Setup, applied at once to the page's own texts and to
//! the core's verdict words, with no restart.

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
fn switching_to_german_in_setup_paints_a_cancelled_ticket_as_storniert_at_once() {
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
        w.screenshot("41-setup-german").await;

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
