//! Door health's "Save shift report": the demo after 200 scans (some with the network cut,
//! one conflict with another device), the report saved from the button, then opened in the
//! same web view from its file and screenshotted.

use crate::support::with_window;
use crate::{demo_dataset, spare_valid_tickets};
use serde_json::{json, Value};
use std::time::Duration;

/// Scans `code` as the page does (the `scan` command, typed), returning the outcome.
async fn scan(w: &crate::support::Window, code: &str) -> Value {
    w.invoke(
        "scan",
        json!({"code": code, "source": "MANUAL", "confirm": false}),
    )
    .await
    .unwrap_or_else(|e| panic!("scanning {code} failed: {e}"))
}

#[test]
fn shift_report_saved_from_door_health_shows_the_chart_and_the_doors_numbers() {
    let valid = spare_valid_tickets(&demo_dataset());
    with_window(|w| async move {
        w.start_demo().await;
        let view = w.invoke("door_view", json!({})).await.unwrap();
        let before = view["status"]["scans"].as_u64().unwrap();

        // Another device checks the first ticket in at Session Services (the demo's
        // simulator, on loopback); this door's cache still has it ACTIVE.
        let api = view["status"]["api"].as_str().unwrap().to_string();
        let tenant = view["status"]["tenantId"].as_str().unwrap().to_string();
        let event = view["status"]["eventId"].as_str().unwrap().to_string();
        let other = usher_sync::ApiClient::new(
            &api,
            &tenant,
            Some(usher_sync::Token::new(session_sim::demo::SCAN_TOKEN).unwrap()),
        )
        .unwrap();
        other
            .check(
                session_api::ScanKind::CheckIn,
                &valid[0],
                &session_api::CheckInRequest {
                    event_id: Some(event),
                    device_id: Some("door-east-2".into()),
                    ..Default::default()
                },
                None,
            )
            .await
            .expect("the other device checks the ticket in");

        // 150 scans online: the conflict first, then 149 admits.
        let first = scan(&w, &valid[0]).await;
        assert_eq!(first["upload"], "CONFLICT", "{first}");
        for code in &valid[1..150] {
            let v = scan(&w, code).await;
            assert_eq!(v["verdict"], "ADMIT", "{v}");
        }
        // 50 with the network cut: decided from the cache and queued.
        w.invoke("demo_network", json!({"up": false}))
            .await
            .unwrap();
        for code in &valid[150..200] {
            let v = scan(&w, code).await;
            assert_eq!(v["verdict"], "ADMIT", "{v}");
        }
        w.wait(
            "Number(document.getElementById('pending-count').textContent) >= 1",
            Duration::from_secs(10),
            "the offline scans waiting to upload",
        )
        .await;
        // The network comes back and the queue drains.
        w.invoke("demo_network", json!({"up": true})).await.unwrap();
        w.wait(
            "Number(document.getElementById('pending-count').textContent) === 0",
            Duration::from_secs(60),
            "the upload queue to drain",
        )
        .await;

        w.show_screen("health").await;
        w.click("health-save-report").await;
        w.wait(
            "document.getElementById('health-report').getAttribute('data-file') !== null \
             && document.getElementById('health-report').textContent.startsWith('Saved: ')",
            Duration::from_secs(60),
            "the shift report to be saved",
        )
        .await;
        let shown = w.text("health-report").await;
        assert!(
            shown.contains("checked against Session Services: 0 differ"),
            "{shown}"
        );
        let file = w
            .js("document.getElementById('health-report').getAttribute('data-file')")
            .await;
        let file = file.as_str().expect("the report's path").to_string();
        assert!(file.ends_with(".html"), "{file}");
        assert!(std::path::Path::new(&file).with_extension("csv").exists());
        let status = w.invoke("door_view", json!({})).await.unwrap()["status"].clone();
        assert_eq!(status["scans"].as_u64().unwrap(), before + 200);

        // The report, opened in the web view as a file.
        w.client
            .goto(&format!("file://{file}"))
            .await
            .expect("the web view opens the report's file");
        w.wait(
            "document.querySelectorAll('svg.arrivals-chart rect').length > 1",
            Duration::from_secs(10),
            "the arrivals chart's bars",
        )
        .await;
        let cell = |key: &str| {
            format!(
                "(() => {{ const r = [...document.querySelectorAll('tr[data-key]')].find((t) => t.getAttribute('data-key') === {key:?}); return r ? r.querySelector('td.value').textContent.replace(/,/g, '') : null; }})()"
            )
        };
        for (item, field) in [
            ("scans", "scans"),
            ("checked_in", "checkedIn"),
            ("pending_upload", "pendingUpload"),
            ("conflicts", "conflicts"),
            ("rejected", "rejected"),
        ] {
            assert_eq!(
                w.js(&cell(&format!("status|||{item}"))).await,
                json!(status[field].to_string()),
                "{item} equals the door's status"
            );
        }
        assert_eq!(
            w.js(&cell("total|||scans")).await,
            json!(status["scans"].to_string())
        );
        assert_eq!(w.js(&cell("total|||conflicts")).await, json!("1"));
        let conflict = w
            .js("[...document.querySelectorAll('tr[data-key^=\"problem|\"] td.detail')].map((t) => t.textContent).join(' ')")
            .await;
        assert!(
            conflict.as_str().unwrap().contains("on device door-east-2"),
            "who scanned first: {conflict}"
        );
        assert_eq!(
            w.js("document.getElementById('reconciliation').getAttribute('data-checked')")
                .await,
            json!("true")
        );
        w.screenshot("45-shift-report").await;
    });
}
