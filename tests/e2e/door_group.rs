//! Doors that see each other, in the window: a real door (the simulator on loopback) creates
//! a door group in Setup, shows a join code with its QR code and address, refuses a bad
//! address in the manual list, and Door health and the sync bar show the group.

use crate::support::{with_window, Window};
use session_sim::dataset::{Dataset, DatasetSpec};
use std::time::Duration;

async fn type_into(w: &Window, id: &str, text: &str) {
    let field = w
        .client
        .find(fantoccini::Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("#{id}: {e}"));
    field
        .clear()
        .await
        .unwrap_or_else(|e| panic!("#{id} clears: {e}"));
    field.send_keys(text).await.expect("typing works");
}

#[test]
fn setup_creates_a_door_group_shows_its_join_code_and_door_health_lists_the_group() {
    let sim = session_sim::spawn(session_sim::SimConfig::new(Dataset::generate(
        &DatasetSpec {
            tickets: 300,
            ..DatasetSpec::default()
        },
    )))
    .expect("the simulator starts");
    let (url, tenant) = (sim.base_url(), sim.sim().tenant_id().to_string());
    with_window(|w| async move {
        w.wait(
            "!document.getElementById('screen-welcome').hidden",
            Duration::from_secs(20),
            "the welcome screen",
        )
        .await;
        w.click("setup-real").await;
        w.wait(
            "!document.getElementById('setup-form').hidden && document.getElementById('setup-lock').hidden",
            Duration::from_secs(10),
            "the setup form",
        )
        .await;
        w.js("(() => { const s = document.getElementById('setup-api'); s.value = 'custom'; s.dispatchEvent(new Event('change', {bubbles: true})); return true; })()")
            .await;
        w.wait(
            "!document.getElementById('setup-api-url-row').hidden",
            Duration::from_secs(10),
            "the API address field",
        )
        .await;
        type_into(&w, "setup-api-url", &url).await;
        type_into(&w, "setup-tenant", &tenant).await;
        type_into(&w, "setup-token", session_sim::demo::SCAN_TOKEN).await;
        w.click("setup-check").await;
        w.wait(
            "document.getElementById('setup-event').options.length > 0 && !document.getElementById('setup-step-event').disabled",
            Duration::from_secs(10),
            "the events to choose from",
        )
        .await;
        type_into(&w, "setup-gate-name", "North Gate 2").await;
        type_into(&w, "setup-pin", "2468").await;
        w.click("setup-finish").await;
        w.wait(
            "!document.getElementById('screen-scan').hidden",
            Duration::from_secs(30),
            "the scan screen",
        )
        .await;
        // In no group: the sync bar says nothing of linked doors.
        assert_eq!(
            w.js("document.getElementById('doors-linked').hidden").await,
            serde_json::Value::from(true)
        );

        w.show_screen("setup").await;
        w.wait(
            "!document.getElementById('setup-lock').hidden && document.getElementById('setup-form').hidden",
            Duration::from_secs(10),
            "Setup asking for the door PIN",
        )
        .await;
        type_into(&w, "setup-lock-pin", "2468").await;
        w.click("setup-unlock").await;
        w.wait(
            "!document.getElementById('setup-form').hidden && /no door group/.test(document.getElementById('door-group-state').textContent)",
            Duration::from_secs(10),
            "Setup open, the door in no group",
        )
        .await;
        w.click("door-group-create").await;
        w.wait(
            "/In door group [0-9a-f]{16}/.test(document.getElementById('door-group-state').textContent) && !document.getElementById('door-group-invite-box').hidden",
            Duration::from_secs(15),
            "the door in its new group",
        )
        .await;
        // The sync bar counts the linked doors once the door shares: none yet.
        w.wait(
            "!document.getElementById('doors-linked').hidden && /0 doors linked/.test(document.getElementById('doors-linked').textContent)",
            Duration::from_secs(15),
            "'0 doors linked' in the sync bar",
        )
        .await;
        w.click("door-group-invite").await;
        w.wait(
            "/Join code: [0-9A-Z]{5}-[0-9A-Z]{5}/.test(document.getElementById('door-group-code').textContent) \
             && !document.getElementById('door-group-qr').hidden \
             && document.getElementById('door-group-qr').src.startsWith('data:image/svg+xml')",
            Duration::from_secs(15),
            "the join code and its QR code",
        )
        .await;
        let qr = w
            .js("document.getElementById('door-group-qr').getAttribute('data-text')")
            .await;
        let qr = qr.as_str().expect("the QR code's text").to_owned();
        assert!(qr.starts_with("usher-join:1:127.0.0.1:"), "{qr}");
        let code = w.text("door-group-code").await;
        assert!(qr.ends_with(&code[11..22]), "{qr} / {code}");
        let addresses = w.text("door-group-addresses").await;
        assert!(addresses.contains("127.0.0.1:"), "{addresses}");
        w.screenshot("30-setup-door-group").await;

        // A bad address in the manual list is refused in words, and the list stays.
        type_into(&w, "door-group-peers", "127.0.0.1:7301\nnorth-gate").await;
        w.click("door-group-peers-save").await;
        w.wait(
            "/north-gate is not a door's address/.test(document.getElementById('door-group-message').textContent)",
            Duration::from_secs(10),
            "the bad address refused",
        )
        .await;
        let group = w
            .invoke("door_group", serde_json::json!({}))
            .await
            .expect("the door group");
        assert_eq!(group["peerList"], serde_json::json!([]), "{group}");
        type_into(&w, "door-group-peers", "127.0.0.1:7301").await;
        w.click("door-group-peers-save").await;
        w.wait(
            "/The list is saved/.test(document.getElementById('door-group-message').textContent)",
            Duration::from_secs(10),
            "the list saved",
        )
        .await;

        // Door health: sharing, where, and the door from the list, not reached.
        w.show_screen("health").await;
        w.wait(
            "/linked · listening at 127\\.0\\.0\\.1:/.test(document.getElementById('health-door-group').textContent) \
             && document.querySelectorAll('#health-peers-rows tr').length === 1",
            Duration::from_secs(20),
            "Door health's door group with the listed door",
        )
        .await;
        let row = w
            .js("document.querySelector('#health-peers-rows tr').innerText")
            .await;
        assert!(
            row.as_str().unwrap_or("").contains("127.0.0.1:7301"),
            "{row}"
        );
        w.screenshot("31-health-door-group").await;
    });
}
