//! Code shown → verdict painted, with the demo camera: "Hold up a demo ticket" 30 times,
//! each timed by the page's own clock from the click to the frame after its verdict is
//! painted, as `usherMetrics.enterToPaint` times a wedge scan. For the figure, run it against
//! a release build (`USHER_DESKTOP_BIN`, `support.rs`).

use crate::support::{report_latency, with_window};
use serde_json::Value;
use std::time::Duration;

/// Installed in the page by the test (the page itself keeps no camera figure): the click on
/// "Hold up a demo ticket" is stamped in the capture phase, before the page's own handler
/// asks the shell; the next verdict the panel shows is stamped after the frame that paints
/// it (`requestAnimationFrame`, then a task), the moment `recordEnterToPaint` uses.
const STOPWATCH: &str = r#"(() => {
    if (window.__cameraToPaint) return true;
    const m = (window.__cameraToPaint = { pending: null, ms: [], seen: [] });
    document.getElementById("demo-show-ticket")
        .addEventListener("click", () => { m.pending = performance.now(); }, true);
    const v = document.getElementById("verdict");
    new MutationObserver(() => {
        const id = v.getAttribute("data-scan-id");
        if (m.pending == null || !id || v.getAttribute("data-verdict") === "READY" || m.seen.includes(id)) return;
        const t0 = m.pending;
        m.pending = null;
        m.seen.push(id);
        requestAnimationFrame(() => setTimeout(() => m.ms.push(performance.now() - t0), 0));
    }).observe(v, { attributes: true, attributeFilter: ["data-scan-id", "data-verdict"] });
    return true;
})()"#;

#[test]
fn demo_tickets_held_up_to_the_camera_are_painted_and_the_latency_is_recorded() {
    const TICKETS: usize = 30;
    // The demo camera shows a held-up ticket for 1.5 s, then 1 s of empty door, before it
    // takes the next one; the next click waits for that, so each time is its own. A machine
    // too slow for the camera's 15 fps would only make a figure larger, never fail the test.
    const SHOWN_THEN_GONE: Duration = Duration::from_millis(2_600);
    with_window(|w| async move {
        w.start_demo().await;
        assert_eq!(w.js(STOPWATCH).await, Value::Bool(true));
        for i in 0..TICKETS {
            let before = w.shown_scan().await;
            w.click("demo-show-ticket").await;
            let clicked = tokio::time::Instant::now();
            w.next_verdict(&before).await;
            let how = w.text("verdict-meta").await;
            assert!(
                how.contains("camera"),
                "ticket {i}: the verdict says it came from the camera: {how:?}"
            );
            w.wait(
                &format!("window.__cameraToPaint.ms.length >= {}", i + 1),
                Duration::from_secs(5),
                "the measurement of the verdict just painted",
            )
            .await;
            tokio::time::sleep(SHOWN_THEN_GONE.saturating_sub(clicked.elapsed())).await;
        }
        let ms = w.numbers("window.__cameraToPaint.ms").await;
        assert_eq!(ms.len(), TICKETS, "every ticket was measured: {ms:?}");
        report_latency(
            &format!("demo camera: Hold up a demo ticket → verdict painted over {TICKETS} tickets"),
            "camera-to-paint-ms.json",
            &ms,
        );
    });
}
