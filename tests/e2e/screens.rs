//! The other screens: lookup with a manual check-in, activity with undo, door health, setup.

use crate::support::with_window;
use crate::{demo_dataset, spare_valid_tickets};
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
        let inside_before: u64 = w.text("count-in").await.parse().expect("a number");

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
                "Number(document.getElementById('count-in').textContent) === {}",
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
            &format!("Number(document.getElementById('count-in').textContent) === {inside_before}"),
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
        w.screenshot("14-setup").await;
    });
}
