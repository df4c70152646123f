//! The door flow in the window: demo start, wedge scans of every kind, the camera, the
//! network cut and its recovery, and a hostile QR payload.

use crate::support::{report_latency, with_window};
use crate::{demo_dataset, spare_valid_tickets};
use serde_json::{json, Value};
use session_api::TicketStatus;
use std::time::Duration;

#[test]
fn demo_door_flow_in_a_real_window() {
    let data = demo_dataset();
    let valid = spare_valid_tickets(&data);
    let cancelled = data.ticket_ids(0, TicketStatus::Cancelled)[1].clone();
    with_window(|w| async move {
        w.start_demo_with_screenshot("01-welcome").await;
        w.screenshot("02-scan-ready").await;
        let total: u64 = w.count("count-total").await;
        assert!(total > 2_000, "the demo's guest list is counted: {total}");

        // A valid ticket through the USB scanner.
        w.scan_expecting(&valid[0], "ADMIT").await;
        let name = w.text("verdict-name").await;
        assert!(!name.trim().is_empty(), "the guest's name is shown");
        w.screenshot("03-verdict-admit").await;

        // The scanner fires twice: the same scan, shown again, not recorded again.
        w.wedge(&valid[0]).await;
        w.wait(
            "document.getElementById('verdict-meta').textContent.includes('same scan') \
             && document.getElementById('verdict').getAttribute('data-verdict') === 'ADMIT'",
            Duration::from_secs(10),
            "the first verdict shown again as the same scan",
        )
        .await;
        // The same ticket again after the debounce window: refused, with the time it was
        // let in.
        tokio::time::sleep(usher_core::debounce::DEFAULT_WINDOW + Duration::from_millis(100)).await;
        w.scan_expecting(&valid[0], "ALREADY_CHECKED_IN").await;
        let previous = w.text("verdict-previous").await;
        assert!(
            previous.chars().filter(|c| c.is_ascii_digit()).count() >= 3,
            "the earlier check-in's time is shown: {previous:?}"
        );
        w.screenshot("04-verdict-already-in").await;

        w.scan_expecting(&cancelled, "CANCELLED").await;
        w.screenshot("05-verdict-cancelled").await;

        // The demo camera holds up the first ticket of its tour; the camera decides it.
        let before = w.shown_scan().await;
        w.click("demo-show-ticket").await;
        assert_eq!(w.next_verdict(&before).await, "ADMIT");
        let how = w.text("verdict-meta").await;
        assert!(
            how.contains("camera"),
            "the verdict says it came from the camera: {how:?}"
        );
        w.screenshot("06-verdict-camera").await;

        // The network goes down: the badge says so, and scans are still decided and queued.
        w.click("demo-network").await;
        w.wait(
            "document.getElementById('online-badge').getAttribute('data-online') === 'false'",
            Duration::from_secs(15),
            "the offline badge",
        )
        .await;
        w.scan_expecting(&valid[1], "ADMIT").await;
        w.scan_expecting(&valid[2], "ADMIT").await;
        w.wait(
            "Number(document.getElementById('pending-count').textContent.replace(/[^0-9]/g, '')) >= 2",
            Duration::from_secs(5),
            "the two offline scans waiting to upload",
        )
        .await;
        w.screenshot("07-offline-queued").await;

        // The network comes back: the badge turns online and the queue drains to zero.
        w.click("demo-network").await;
        w.wait(
            "document.getElementById('online-badge').getAttribute('data-online') === 'true'",
            Duration::from_secs(20),
            "the online badge",
        )
        .await;
        w.wait(
            "Number(document.getElementById('pending-count').textContent.replace(/[^0-9]/g, '')) === 0",
            Duration::from_secs(30),
            "the upload queue to drain",
        )
        .await;
        w.screenshot("08-back-online-drained").await;

        // A QR holding markup is shown as text and stays inert.
        let hostile = "<script>window.__pwned=1</script><img src=x onerror=window.__pwned=2>";
        w.scan_expecting(hostile, "NOT_A_TICKET_CODE").await;
        let shown = w.text("verdict-previous").await;
        assert!(
            shown.contains("<script>"),
            "the payload is shown as text: {shown:?}"
        );
        assert_eq!(
            w.js("window.__pwned === undefined").await,
            Value::Bool(true)
        );
        assert_eq!(
            w.js("document.querySelectorAll('#verdict script, #verdict img').length")
                .await,
            Value::from(0)
        );
        w.screenshot("09-verdict-not-a-ticket").await;
    });
}

/// Enter key to painted verdict, measured by the page, over 32 wedge scans: new guests
/// (online confirm with the simulator) and repeats (refused from the cache).
#[test]
fn wedge_scans_paint_a_verdict_each_and_the_latency_is_recorded() {
    let data = demo_dataset();
    let valid = spare_valid_tickets(&data);
    with_window(|w| async move {
        w.start_demo().await;
        // Two new guests, then both again: a repeat never follows its own scan, so none is
        // a scanner's double fire (shown again, not decided again).
        const SCANS: usize = 32;
        for i in 0..SCANS {
            let code = &valid[20 + 2 * (i / 4) + i % 2];
            let expected = if i % 4 < 2 {
                "ADMIT"
            } else {
                "ALREADY_CHECKED_IN"
            };
            w.scan_expecting(code, expected).await;
        }
        // The page records each figure just after the frame with the verdict is produced.
        w.wait(
            &format!("window.usherMetrics.enterToPaint.length >= {SCANS}"),
            Duration::from_secs(5),
            "the last measurement",
        )
        .await;
        let ms = w.numbers("window.usherMetrics.enterToPaint").await;
        assert_eq!(ms.len(), SCANS, "every wedge scan was measured: {ms:?}");
        report_latency(
            &format!("wedge Enter → verdict painted over {SCANS} scans"),
            "enter-to-paint-ms.json",
            &ms,
        );
    });
}

/// The page keeps no words of its own for a verdict: a headline changed in the core (the test
/// build's `e2e_set_headline`) is the one the verdict panel, the mini verdict and the "Last"
/// line paint at the next scan, and changing it back brings the old one back.
#[test]
fn a_headline_changed_in_the_core_is_the_one_the_window_paints() {
    let data = demo_dataset();
    let valid = spare_valid_tickets(&data);
    let (first, second) = (valid[40].clone(), valid[41].clone());
    with_window(|w| async move {
        w.start_demo().await;
        w.invoke(
            "e2e_set_headline",
            json!({ "verdict": "ADMIT", "headline": "COME IN" }),
        )
        .await
        .expect("a test build changes a headline");
        w.scan_expecting(&first, "ADMIT").await;
        assert_eq!(w.text("verdict-word").await, "COME IN");
        let mini = w.text("mini-verdict").await;
        assert!(
            mini.contains("COME IN"),
            "the mini verdict says the core's headline: {mini:?}"
        );
        w.screenshot("23-verdict-headline-from-the-core").await;
        // Faded back to ready, the panel keeps the core's "Last: …" line.
        w.wait(
            "document.getElementById('verdict').getAttribute('data-verdict') === 'READY' \
             && document.getElementById('verdict-last').textContent.startsWith('Last: COME IN')",
            Duration::from_secs(20),
            "the last verdict's line in the core's words",
        )
        .await;

        w.invoke(
            "e2e_set_headline",
            json!({ "verdict": "ADMIT", "headline": "ADMIT" }),
        )
        .await
        .expect("the headline is set back");
        w.scan_expecting(&second, "ADMIT").await;
        assert_eq!(w.text("verdict-word").await, "ADMIT");
    });
}
