//! Ticket lists, one ticket, the attendee roster and attendance.

use std::collections::HashSet;

use serde_json::json;
use session_api::{Attendance, AttendeePage, TicketEnvelope, TicketPage, TicketStatus};

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
    assert_eq!(body["limit"], json!(20));
    assert_eq!(body["before"], serde_json::Value::Null);
    let page: TicketPage = serde_json::from_value(body).unwrap();
    assert_eq!(page.tickets.len(), 20);
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
    let body_json = body.clone();
    let t: TicketEnvelope = serde_json::from_value(body).unwrap();
    assert_eq!(t.ticket.status, TicketStatus::Redeemed);
    assert_eq!(t.ticket.scans.len(), 1);
    let scan = &t.ticket.scans[0];
    assert_eq!(
        body_json["ticket"]["scans"][0]["scannedById"],
        json!(session_sim::demo::OTHER_USER_ID),
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
    assert_eq!(body["limit"], json!(100));
    let page: AttendeePage = serde_json::from_value(body).unwrap();
    assert_eq!(page.tickets.len(), 100);
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
    let (_, body) = send(api.get(&format!(
        "/tickets/attendees?eventId={e}&query={}",
        api.sim.sim().ticket(&key).unwrap().attendee.email
    )))
    .await;
    let raw = body["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == json!(key))
        .unwrap()
        .clone();
    assert!(raw["lastCheckInAt"]
        .as_str()
        .is_some_and(|s| s.ends_with('Z')));
}

#[tokio::test]
async fn roster_pages_back_with_before_to_the_same_rows() {
    let api = start();
    let e = api.event_id(0);
    let ids = |body: &serde_json::Value| -> Vec<String> {
        body["tickets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect()
    };
    let (_, first) = send(api.get(&format!("/tickets/attendees?eventId={e}&limit=10"))).await;
    assert_eq!(
        first["before"],
        serde_json::Value::Null,
        "nothing before the first page"
    );
    let c = first["after"].as_str().unwrap().to_string();
    let (_, second) = send(api.get(&format!(
        "/tickets/attendees?eventId={e}&limit=10&cursor={c}"
    )))
    .await;
    let back = second["before"]
        .as_str()
        .expect("a page before the second")
        .to_string();
    let (_, again) = send(api.get(&format!(
        "/tickets/attendees?eventId={e}&limit=10&before={back}"
    )))
    .await;
    assert_eq!(ids(&again), ids(&first));
    assert_eq!(again["before"], serde_json::Value::Null);
    assert_eq!(again["after"].as_str(), Some(back.as_str()));
}

fn summary(v: serde_json::Value) -> (u64, u64, Vec<session_api::AdmissionAttendance>) {
    match serde_json::from_value(v).unwrap() {
        Attendance::Summary {
            total_tickets,
            checked_in,
            by_admission,
            ..
        } => (total_tickets, checked_in, by_admission),
        other => panic!("not a summary: {other:?}"),
    }
}

#[tokio::test]
async fn attendance_counts_checked_in_against_total_in_the_contracts_shape() {
    let api = start();
    let e = api.event_id(0);
    let (_, before) = send(api.get(&format!("/events/{e}/performance/attendance"))).await;
    assert_eq!(
        before["notCheckedIn"].as_u64().unwrap(),
        before["totalTickets"].as_u64().unwrap() - before["checkedIn"].as_u64().unwrap()
    );
    assert!(before["checkinRate"].as_f64().unwrap() > 0.0);
    assert_eq!(before["bySection"].as_array().unwrap().len(), 3);
    assert!(before["bySection"][0]["sectionName"].is_string());
    let (total, checked_in, _) = summary(before);
    let not_cancelled = api
        .ds()
        .orders()
        .filter(|o| o.event_id == e)
        .flat_map(|o| o.statuses)
        .filter(|s| *s != TicketStatus::Cancelled)
        .count();
    assert_eq!(total as usize, not_cancelled);
    assert_eq!(
        checked_in as usize,
        api.ds().ticket_ids(0, TicketStatus::Redeemed).len()
    );
    assert_eq!(api.check_in(&api.active_ticket(0), json!({})).await.0, 200);
    let (_, after) = send(api.get(&format!("/events/{e}/performance/attendance"))).await;
    let (total_after, checked_after, by_admission) = summary(after);
    assert_eq!(checked_after, checked_in + 1);
    assert_eq!(
        by_admission.iter().map(|a| a.total_tickets).sum::<u64>(),
        total_after
    );
}

#[tokio::test]
async fn attendance_honours_include_flags_and_gives_a_series_with_granularity() {
    let api = start();
    let e = api.event_id(0);
    let (status, body) = send(api.get(&format!(
        "/events/{e}/performance/attendance?includeAdmission=false&includeSection=false"
    )))
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["byAdmission"], json!([]));
    assert_eq!(body["bySection"], json!([]));
    assert_eq!(api.check_in(&api.active_ticket(0), json!({})).await.0, 200);
    for g in ["HOUR", "MINUTE"] {
        let (status, body) = send(api.get(&format!(
            "/events/{e}/performance/attendance?granularity={g}"
        )))
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["granularity"], json!(g));
        let data = body["data"].as_array().unwrap();
        assert!(!data.is_empty());
        let last = data.last().unwrap();
        let checked_in = api.ds().ticket_ids(0, TicketStatus::Redeemed).len() as u64 + 1;
        assert_eq!(last["checkedIn"].as_u64().unwrap(), checked_in);
        assert_eq!(
            data.iter()
                .map(|p| p["checkinsThisPeriod"].as_u64().unwrap())
                .sum::<u64>(),
            checked_in
        );
        assert_eq!(body["byAdmission"].as_array().unwrap().len(), 5);
        let read: Attendance = serde_json::from_value(body).unwrap();
        assert!(matches!(read, Attendance::Series { .. }));
    }
    assert_field_error(
        &send(api.get(&format!(
            "/events/{e}/performance/attendance?granularity=DAY"
        )))
        .await,
        "granularity",
    );
}

#[tokio::test]
async fn attendee_index_anchors_walks_that_together_cover_the_roster_once() {
    let api = start();
    let e = api.event_id(0);
    let a0 = api.ds().event(0).unwrap().admissions[0].id.clone();
    let filters = format!("eventId={e}&admissionIds[0]={a0}");
    let (status, index) = send(api.get(&format!("/tickets/attendees/index?{filters}"))).await;
    assert_eq!(status, 200, "{index}");
    let buckets = index["buckets"].as_array().unwrap();
    assert!(buckets.len() > 5, "{index}");
    let keys: Vec<&str> = buckets.iter().map(|b| b["key"].as_str().unwrap()).collect();
    let mut sorted = keys.clone();
    sorted.sort_by_key(|k| (*k != "#", k.to_string()));
    assert_eq!(keys, sorted, "# first, then A to Z");
    let read: session_api::AttendeeIndex = serde_json::from_value(index.clone()).unwrap();
    let total: u64 = read.buckets.iter().map(|b| b.count).sum();

    // Each walk starts at its bucket's first row and stops at a row another walk started at.
    let mut starts = HashSet::new();
    let mut firsts = Vec::new();
    for b in &read.buckets {
        let (_, page) = send(api.get(&format!(
            "/tickets/attendees?{filters}&limit=1&anchor={}",
            b.anchor
        )))
        .await;
        let first = page["tickets"][0].clone();
        let last_name = first["attendee"]["lastName"].as_str().unwrap();
        assert!(
            last_name.to_uppercase().starts_with(&b.key) || b.key == "#",
            "{} in bucket {}",
            last_name,
            b.key
        );
        starts.insert(first["id"].as_str().unwrap().to_string());
        firsts.push(b.anchor.clone());
    }
    let mut seen = HashSet::new();
    for anchor in &firsts {
        let mut url = format!("/tickets/attendees?{filters}&limit=40&anchor={anchor}");
        let mut first_page = true;
        'walk: loop {
            let (status, page) = send(api.get(&url)).await;
            assert_eq!(status, 200, "{page}");
            for (n, row) in page["tickets"].as_array().unwrap().iter().enumerate() {
                let id = row["id"].as_str().unwrap().to_string();
                if !(first_page && n == 0) && starts.contains(&id) {
                    break 'walk;
                }
                assert!(seen.insert(id), "a row reached twice");
            }
            first_page = false;
            match page["after"].as_str() {
                Some(c) => url = format!("/tickets/attendees?{filters}&limit=40&cursor={c}"),
                None => break,
            }
        }
    }
    assert_eq!(seen.len() as u64, total);
    // An anchor is for the index's own filters, with no query.
    assert_field_error(
        &send(api.get(&format!(
            "/tickets/attendees?{filters}&query=a&anchor={}",
            firsts[0]
        )))
        .await,
        "anchor",
    );
    assert_field_error(
        &send(api.get(&format!("/tickets/attendees/index?eventId={e}&query=a"))).await,
        "query",
    );
}
