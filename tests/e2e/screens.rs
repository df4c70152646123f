//! The other screens: lookup with a manual check-in, activity with undo, door health, setup.

use crate::support::{with_window, with_window_over};
use crate::{demo_dataset, spare_valid_tickets};
use session_sim::dataset::{Dataset, DatasetSpec};
use std::time::Duration;

#[test]
fn lookup_by_partial_name_checks_a_guest_in_and_activity_undoes_it() {
    let data = demo_dataset();
    let id = spare_valid_tickets(&data)[10].clone();
    let ticket = data.ticket(&id).expect("the ticket exists");
    // The first name and the start of the last name: "Ada Lo".
    let partial: String = format!(
        "{} {}",
        ticket.attendee.first_name,
        ticket
            .attendee
            .last_name
            .chars()
            .take(2)
            .collect::<String>()
    );
    with_window(|w| async move {
        w.start_demo().await;
        let inside_before: u64 = w.count("count-in").await;

        w.show_screen("lookup").await;
        w.click("lookup-query").await;
        w.client
            .find(fantoccini::Locator::Id("lookup-query"))
            .await
            .expect("the search field")
            .send_keys(&partial)
            .await
            .expect("typing works");
        let row = format!("#lookup-results .lookup-row[data-ticket-id='{id}']");
        w.wait(
            &format!("!!document.querySelector(\"{row} .check-in\")"),
            Duration::from_secs(10),
            "the guest in the results, with a check-in button",
        )
        .await;
        w.screenshot("10-lookup").await;
        w.js(&format!(
            "(document.querySelector(\"{row} .check-in\").click(), true)"
        ))
        .await;
        w.wait(
            &format!("!!document.querySelector(\"{row} .check-out\")"),
            Duration::from_secs(10),
            "the guest shown inside, with a check-out button",
        )
        .await;
        w.wait(
            &format!(
                "Number(document.getElementById('count-in').textContent.replace(/[^0-9]/g, '')) === {}",
                inside_before + 1
            ),
            Duration::from_secs(10),
            "the counter to count the guest in",
        )
        .await;

        w.show_screen("activity").await;
        w.wait(
            "document.querySelectorAll('#activity-list .activity-row').length >= 1",
            Duration::from_secs(10),
            "the check-in in the activity list",
        )
        .await;
        w.screenshot("11-activity").await;
        w.click("undo-last").await;
        w.wait(
            &format!("Number(document.getElementById('count-in').textContent.replace(/[^0-9]/g, '')) === {inside_before}"),
            Duration::from_secs(10),
            "the undo to check the guest out again",
        )
        .await;
        w.wait(
            "document.querySelectorAll('#activity-list .activity-row').length >= 2",
            Duration::from_secs(10),
            "the check-out in the activity list",
        )
        .await;
        w.screenshot("12-activity-after-undo").await;

        w.show_screen("health").await;
        w.wait(
            "/\\d/.test(document.getElementById('health-spm').textContent)",
            Duration::from_secs(10),
            "the pace figures",
        )
        .await;
        w.screenshot("13-door-health").await;

        w.show_screen("setup").await;
        w.wait(
            "!document.getElementById('setup-form').hidden",
            Duration::from_secs(10),
            "the setup form (the demo's door has no PIN)",
        )
        .await;
        w.screenshot("14-setup").await;
    });
}

/// A real door set up in the window: a Session Services (the simulator, on loopback) URL, the
/// tenant, a token checked and kept in the OS keychain (gnome-keyring under `scripts/test`),
/// the event and gate, then the guest list downloaded and the scan screen open.
#[test]
fn setup_screen_checks_the_token_and_opens_a_real_door() {
    let sim = session_sim::spawn(session_sim::SimConfig::new(Dataset::generate(
        &DatasetSpec {
            tickets: 400,
            ..DatasetSpec::default()
        },
    )))
    .expect("the simulator starts");
    let url = sim.base_url();
    let tenant = sim.sim().tenant_id().to_string();
    let valid =
        sim.sim()
            .dataset()
            .ticket_ids_of_admission(0, 0, session_api::TicketStatus::Active)[0]
            .clone();
    let home = tempfile::tempdir().expect("a temp dir");
    let (typed_url, typed_tenant) = (url.clone(), tenant.clone());
    with_window_over(home.path(), |w| async move {
        let (url, tenant) = (typed_url, typed_tenant);
        w.wait(
            "!document.getElementById('screen-welcome').hidden",
            Duration::from_secs(20),
            "the welcome screen",
        )
        .await;
        w.click("setup-real").await;
        // A door with no PIN yet: Setup opens at once, without asking for one.
        w.wait(
            "!document.getElementById('setup-form').hidden && document.getElementById('setup-lock').hidden",
            Duration::from_secs(10),
            "the setup form",
        )
        .await;
        w.js("(() => { const s = document.getElementById('setup-api'); s.value = 'custom'; s.dispatchEvent(new Event('change', {bubbles: true})); return true; })()")
            .await;
        type_into(&w, "setup-api-url", &url).await;
        type_into(&w, "setup-tenant", &tenant).await;
        type_into(&w, "setup-token", "not-the-token").await;
        w.click("setup-check").await;
        w.wait(
            "/token|refused|401|not/i.test(document.getElementById('setup-token-report').textContent + document.getElementById('setup-message').textContent)",
            Duration::from_secs(10),
            "a plain refusal of the wrong token",
        )
        .await;
        assert_eq!(
            w.js("document.getElementById('setup-token').value").await,
            serde_json::Value::from(""),
            "the token field is emptied after a check"
        );
        type_into(&w, "setup-token", session_sim::demo::SCAN_TOKEN).await;
        w.click("setup-check").await;
        w.wait(
            "document.getElementById('setup-event').options.length > 0 && !document.getElementById('setup-step-event').disabled",
            Duration::from_secs(10),
            "the events to choose from",
        )
        .await;
        w.screenshot("15-setup-token-checked").await;
        type_into(&w, "setup-pin", "2468").await;
        w.click("setup-finish").await;
        w.wait(
            "!document.getElementById('screen-scan').hidden && Number(document.getElementById('count-total').textContent.replace(/[^0-9]/g, '')) > 300",
            Duration::from_secs(30),
            "the scan screen with the downloaded guest list",
        )
        .await;
        w.scan_expecting(&valid, "ADMIT").await;
        w.screenshot("16-real-door-admit").await;

        // Setup is now behind the door PIN: a wrong one is refused and the form stays
        // hidden; the right one opens it.
        w.show_screen("setup").await;
        w.wait(
            "!document.getElementById('setup-lock').hidden && document.getElementById('setup-form').hidden",
            Duration::from_secs(10),
            "Setup asking for the door PIN",
        )
        .await;
        type_into(&w, "setup-lock-pin", "1111").await;
        w.click("setup-unlock").await;
        w.wait(
            "/wrong PIN/i.test(document.getElementById('setup-lock-message').textContent)",
            Duration::from_secs(10),
            "the wrong PIN refused",
        )
        .await;
        assert_eq!(
            w.js("document.getElementById('setup-form').hidden").await,
            serde_json::Value::from(true),
            "the setup form stays hidden after a wrong PIN"
        );
        w.screenshot("18-setup-wrong-pin").await;
        type_into(&w, "setup-lock-pin", "2468").await;
        w.click("setup-unlock").await;
        w.wait(
            "!document.getElementById('setup-form').hidden && document.getElementById('setup-lock').hidden",
            Duration::from_secs(10),
            "Setup open after the right PIN",
        )
        .await;
    });

    // The token gone from the keychain: after a restart the door still opens and decides,
    // the sync bar says why nothing uploads, and one click leads to Setup to fix it.
    use usher_sync::TokenStore;
    assert!(
        usher_sync::Keychain
            .delete(&url, &tenant)
            .expect("the keychain answers"),
        "the setup kept the token in the keychain"
    );
    with_window_over(home.path(), |w| async move {
        w.wait(
            "!document.getElementById('screen-scan').hidden && !document.getElementById('fix-uploads').hidden",
            Duration::from_secs(20),
            "the scan screen offering to fix uploads",
        )
        .await;
        let said = w.text("last-error").await;
        assert!(
            said.contains("no Session Services token"),
            "the sync bar says why nothing uploads: {said:?}"
        );
        w.screenshot("17-no-token-uploads-paused").await;
        w.click("fix-uploads").await;
        w.wait(
            "!document.getElementById('screen-setup').hidden",
            Duration::from_secs(5),
            "the setup screen",
        )
        .await;
    });
    drop(sim);
}

async fn type_into(w: &crate::support::Window, id: &str, text: &str) {
    let field = w
        .client
        .find(fantoccini::Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("#{id}: {e}"));
    field.clear().await.expect("the field clears");
    field.send_keys(text).await.expect("typing works");
}
