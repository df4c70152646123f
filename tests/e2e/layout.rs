//! The window's layout at the widths a door laptop has: every admission's counter on screen.

use crate::support::{with_window, Window};
use crate::{demo_dataset, spare_valid_tickets};
use serde_json::Value;
use std::time::Duration;

/// Each counter, the main one (inside of total) and one per admission: whole inside the
/// viewport, not cut off (its text fits), and not behind anything (the point at each end of
/// it hits the counter itself).
const COUNTERS_ON_SCREEN: &str = r##"(() => {
    const vw = window.innerWidth, vh = window.innerHeight;
    return [...document.querySelectorAll(".count-main, #count-admissions .count-admission")].map((el) => {
        const r = el.getBoundingClientRect();
        const inside = r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 && r.right <= vw && r.bottom <= vh;
        const hits = (x, y) => { const e = document.elementFromPoint(x, y); return !!e && el.contains(e); };
        const y = r.top + r.height / 2;
        const uncovered = inside && hits(r.left + 2, y) && hits(r.right - 2, y);
        const whole = el.scrollWidth <= el.clientWidth + 1;
        return { text: el.textContent, shown: inside && uncovered && whole, rect: [r.left, r.top, r.right, r.bottom] };
    });
})()"##;

async fn assert_counters_on_screen(w: &Window, admissions: usize, where_: &str) {
    let counters = w.js(COUNTERS_ON_SCREEN).await;
    let counters = counters.as_array().expect("a list of counters");
    assert_eq!(
        counters.len(),
        1 + admissions,
        "{where_}: the main counter and one per admission: {counters:?}"
    );
    let hidden: Vec<&Value> = counters
        .iter()
        .filter(|c| c["shown"] != Value::Bool(true))
        .collect();
    assert!(
        hidden.is_empty(),
        "{where_}: counters not wholly on screen: {hidden:?} (viewport {})",
        w.js("window.innerWidth + ' x ' + window.innerHeight").await
    );
}

/// The demo has five admissions: each one's counter is on screen, whole and uncovered, at
/// 1280 and at 800 px wide, on the scan screen and on a screen that also shows the last
/// verdict in the top bar.
#[test]
fn every_admissions_counter_is_on_screen_at_1280_and_800_px_wide() {
    let data = demo_dataset();
    let admissions = data.event(0).expect("the demo event").admissions.len();
    assert_eq!(admissions, 5, "the demo event's admissions");
    let valid = spare_valid_tickets(&data)[30].clone();
    with_window(|w| async move {
        w.start_demo().await;
        w.wait(
            &format!(
                "document.querySelectorAll('#count-admissions .count-admission').length === {admissions}"
            ),
            Duration::from_secs(10),
            "a counter per admission",
        )
        .await;
        // A verdict, so the other screens show it in the top bar beside the counters.
        w.scan_expecting(&valid, "ADMIT").await;
        for (width, scan_shot, lookup_shot) in [
            (1280, "19-scan-1280px-counters", "20-lookup-1280px-counters"),
            (800, "21-scan-800px-counters", "22-lookup-800px-counters"),
        ] {
            w.set_page_width(width).await;
            w.show_screen("scan").await;
            assert_counters_on_screen(&w, admissions, &format!("the scan screen at {width} px"))
                .await;
            w.screenshot(scan_shot).await;

            w.show_screen("lookup").await;
            assert_eq!(
                w.js("document.getElementById('mini-verdict').offsetParent !== null")
                    .await,
                Value::Bool(true),
                "the last verdict shows in the top bar at {width} px"
            );
            assert_counters_on_screen(
                &w,
                admissions,
                &format!("the lookup screen at {width} px, with the last verdict"),
            )
            .await;
            w.screenshot(lookup_shot).await;
        }
    });
}
