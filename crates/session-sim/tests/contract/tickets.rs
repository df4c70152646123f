//! Ticket lists, one ticket, the attendee roster and attendance.

use std::collections::HashSet;

use serde_json::json;
use session_api::{AttendanceEnvelope, AttendeePage, TicketEnvelope, TicketPage, TicketStatus};

use crate::support::*;

async fn walk(api: &Api, path: &str) -> (Vec<session_api::Ticket>, usize) {
    let mut tickets = Vec::new();
    let mut pages = 0;
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("{path}&cursor={c}"),
            None => path.to_string(),
        };
        let (status, body) = send(api.get(&url)).await;
        assert_eq!(status, 200, "{body}");
        let page: TicketPage = serde_json::from_value(body).unwrap();
        pages += 1;
        tickets.extend(page.tickets);
        match page.after {
            Some(c) => cursor = Some(c),
            None => return (tickets, pages),
        }
    }
}

fn name_key(t: &session_api::Ticket) -> (String, String) {
    (
        t.attendee.last_name.to_lowercase(),
        t.attendee.first_name.to_lowercase(),
    )
}

#[tokio::test]
async fn paginating_tickets_reaches_every_ticket_once_sorted_by_attendee_name() {
    let api = start();
    let e = api.event_id(0);
    let expected = api
        .ds()
        .orders()
        .filter(|o| o.event_id == e)
        .map(|o| o.ticket_ids.len())
        .sum::<usize>();
    let (tickets, pages) = walk(&api, &format!("/tickets?eventId={e}&limit=100")).await;
    assert_eq!(tickets.len(), expected);
    assert_eq!(pages, expected.div_ceil(100));
    let ids: HashSet<&str> = tickets.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids.len(), expected, "no ticket twice");
    assert!(tickets.iter().all(|t| t.event_id == e));
    assert!(
        tickets
            .windows(2)
            .all(|w| name_key(&w[0]) <= name_key(&w[1])),
        "sorted by last, first name"
    );
}

#[tokio::test]
async fn ticket_list_default_limit_is_20() {
    let api = start();
    let (_, body) = send(api.get(&format!("/tickets?eventId={}", api.event_id(0)))).await;
    let page: TicketPage = serde_json::from_value(body).unwrap();
    assert_eq!(page.tickets.len(), 20);
    assert_eq!(page.limit, 20);
    assert_eq!(page.before, None);
    assert!(page.after.is_some());
}

#[tokio::test]
async fn ticket_list_filters_by_status_order_and_search() {
    let api = start();
    let e = api.event_id(0);
    let (cancelled, _) = walk(
        &api,
        &format!("/tickets?eventId={e}&status=CANCELLED&limit=7"),
    )
    .await;
    assert_eq!(
        cancelled.len(),
        api.ds().ticket_ids(0, TicketStatus::Cancelled).len()
    );
    assert!(cancelled
        .iter()
        .all(|t| t.status == TicketStatus::Cancelled));

    let order = api.active_order(3);
    let (of_order, _) = walk(&api, &format!("/tickets?orderId={}", order.id)).await;
    let mut got: Vec<String> = of_order.iter().map(|t| t.id.clone()).collect();
    let mut want = order.ticket_ids.clone();
    got.sort();
    want.sort();
    assert_eq!(got, want);

    let someone = api.sim.sim().ticket(&api.active_ticket(3)).unwrap();
    let q = someone.attendee.email.to_uppercase();
    let (found, _) = walk(&api, &format!("/tickets?eventId={e}&query={q}")).await;
    assert!(found.iter().any(|t| t.id == someone.id));
    assert!(found.iter().all(|t| t
        .attendee
        .email
        .eq_ignore_ascii_case(&someone.attendee.email)));
}

#[tokio::test]
async fn one_ticket_carries_its_whole_scan_history() {
    let api = start();
    let id = api.ds().ticket_ids(0, TicketStatus::Redeemed)[0].clone();
    let (status, body) = send(api.get(&format!("/tickets/{id}"))).await;
    assert_eq!(status, 200, "{body}");
    let t: TicketEnvelope = serde_json::from_value(body).unwrap();
    assert_eq!(t.ticket.status, TicketStatus::Redeemed);
    assert_eq!(t.ticket.scans.len(), 1);
    let scan = &t.ticket.scans[0];
    assert_eq!(
        scan.scanned_by_id,
        session_sim::demo::OTHER_USER_ID,
        "redeemed by another user"
    );
    assert!(scan.device_id.is_some());
    assert!(
        scan.scanned_at.ends_with('Z') && scan.scanned_at.len() == 24,
        "{}",
        scan.scanned_at
    );
}

#[tokio::test]
async fn attendee_roster_filters_by_bracket_arrays_and_pages_to_the_end() {
    let api = start();
    let e = api.event_id(0);
    let ev = api.ds().event(0).unwrap().clone();
    let (a0, a1) = (ev.admissions[0].id.clone(), ev.admissions[1].id.clone());
    let want = api
        .ds()
        .ticket_ids_of_admission(0, 0, TicketStatus::Active)
        .len()
        + api
            .ds()
            .ticket_ids_of_admission(0, 0, TicketStatus::Redeemed)
            .len()
        + api
            .ds()
            .ticket_ids_of_admission(0, 0, TicketStatus::Cancelled)
            .len()
        + api
            .ds()
            .ticket_ids_of_admission(0, 1, TicketStatus::Active)
            .len()
        + api
            .ds()
            .ticket_ids_of_admission(0, 1, TicketStatus::Redeemed)
            .len()
        + api
            .ds()
            .ticket_ids_of_admission(0, 1, TicketStatus::Cancelled)
            .len();
    let base = format!(
        "/tickets/attendees?eventId={e}&admissionIds[0]={a0}&admissionIds[1]={a1}&limit=50"
    );
    let mut rows = Vec::new();
    let mut url = base.clone();
    loop {
        let (status, body) = send(api.get(&url)).await;
        assert_eq!(status, 200, "{body}");
        assert!(
            body["tickets"][0].get("updatedAt").is_none(),
            "roster rows are compact"
        );
        let page: AttendeePage = serde_json::from_value(body).unwrap();
        rows.extend(page.tickets);
        match page.after {
            Some(c) => url = format!("{base}&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(rows.len(), want);
    assert!(rows
        .iter()
        .all(|r| r.admission.id == a0 || r.admission.id == a1));

    let floor = ev.sections[0].id.clone();
    let (_, body) = send(api.get(&format!(
        "/tickets/attendees?eventId={e}&sectionIds[]={floor}"
    )))
    .await;
    let page: AttendeePage = serde_json::from_value(body).unwrap();
    assert!(!page.tickets.is_empty());
    assert!(page
        .tickets
        .iter()
        .all(|r| r.section.as_ref().is_some_and(|s| s.id == floor)));
}

#[tokio::test]
async fn attendee_roster_default_limit_is_100_and_shows_the_last_scan() {
    let api = start();
    let e = api.event_id(0);
    let key = api.active_ticket(0);
    assert_eq!(api.check_in(&key, json!({ "eventId": e })).await.0, 200);
    let (_, body) = send(api.get(&format!("/tickets/attendees?eventId={e}"))).await;
    let page: AttendeePage = serde_json::from_value(body).unwrap();
    assert_eq!(page.tickets.len(), 100);
    assert_eq!(page.limit, 100);
    let (found, _) = {
        let who = api.sim.sim().ticket(&key).unwrap();
        let (_, body) = send(api.get(&format!(
            "/tickets/attendees?eventId={e}&query={}",
            who.attendee.email
        )))
        .await;
        (serde_json::from_value::<AttendeePage>(body).unwrap(), ())
    };
    let row = found
        .tickets
        .iter()
        .find(|r| r.id == key)
        .expect("row of the checked-in ticket");
    assert_eq!(row.status, TicketStatus::Redeemed);
    assert_eq!(
        row.last_scan.as_ref().unwrap().kind,
        session_api::ScanKind::CheckIn
    );
    assert!(row.last_check_in_at.is_some());
}

#[tokio::test]
async fn attendance_counts_checked_in_against_total() {
    let api = start();
    let e = api.event_id(0);
    let (_, before) = send(api.get(&format!("/events/{e}/performance/attendance"))).await;
    let before: AttendanceEnvelope = serde_json::from_value(before).unwrap();
    let not_cancelled = api
        .ds()
        .orders()
        .filter(|o| o.event_id == e)
        .flat_map(|o| o.statuses)
        .filter(|s| *s != TicketStatus::Cancelled)
        .count();
    assert_eq!(before.attendance.total as usize, not_cancelled);
    assert_eq!(
        before.attendance.checked_in as usize,
        api.ds().ticket_ids(0, TicketStatus::Redeemed).len()
    );
    assert_eq!(api.check_in(&api.active_ticket(0), json!({})).await.0, 200);
    let (_, after) = send(api.get(&format!("/events/{e}/performance/attendance"))).await;
    let after: AttendanceEnvelope = serde_json::from_value(after).unwrap();
    assert_eq!(
        after.attendance.checked_in,
        before.attendance.checked_in + 1
    );
    assert_eq!(
        after
            .attendance
            .admissions
            .iter()
            .map(|a| a.total)
            .sum::<u64>(),
        after.attendance.total
    );
}
