//! Public event reads.

use session_api::{AdmissionList, EventEnvelope, EventPage, SectionList};

use crate::support::*;

fn is_naive_local(s: &str) -> bool {
    s.len() == 19 && s.as_bytes()[10] == b'T' && s.parse::<jiff::civil::DateTime>().is_ok()
}

#[tokio::test]
async fn event_by_id_or_slug_embeds_admissions_sections_and_a_real_time_zone() {
    let api = start();
    let ev = api.ds().event(0).unwrap().clone();
    for key in [ev.id.clone(), ev.slug.clone()] {
        let (status, body) = send(api.get(&format!("/events/{key}"))).await;
        assert_eq!(status, 200, "{body}");
        let got: EventEnvelope = serde_json::from_value(body).unwrap();
        assert_eq!(got.event.id, ev.id);
        assert_eq!(got.event.admissions.len(), 5);
        assert_eq!(got.event.sections.len(), 3);
        let tz = got.event.location.time_zone.clone().unwrap();
        assert!(jiff::tz::TimeZone::get(&tz).is_ok(), "{tz}");
        assert!(is_naive_local(
            got.event.entry_starts_at.as_deref().unwrap()
        ));
        for a in &got.event.admissions {
            assert!(is_naive_local(a.entry_ends_at.as_deref().unwrap()));
        }
    }
}

#[tokio::test]
async fn demo_event_has_an_ended_and_a_not_yet_open_admission() {
    let api = start();
    let ds = api.ds();
    let ended = ds.admission_ended(0).expect("ended admission").id.clone();
    let later = ds
        .admission_not_yet_open(0)
        .expect("not yet open admission")
        .id
        .clone();
    assert_ne!(ended, later);
}

#[tokio::test]
async fn events_list_pages_to_the_end_without_embeds() {
    let api = start();
    let (status, body) = send(api.get("/events?limit=1")).await;
    assert_eq!(status, 200);
    let first: EventPage = serde_json::from_value(body).unwrap();
    assert_eq!(first.events.len(), 1);
    assert!(first.events[0].admissions.is_empty());
    let after = first.after.expect("a second page");
    let (_, body) = send(api.get(&format!("/events?limit=1&cursor={after}"))).await;
    let second: EventPage = serde_json::from_value(body).unwrap();
    assert_eq!(second.events.len(), 1);
    assert_ne!(second.events[0].id, first.events[0].id);
    assert_eq!(second.after, None);
}

#[tokio::test]
async fn events_list_filters_by_status_and_dates() {
    let api = start();
    let (_, body) = send(api.get("/events?status=ENDED")).await;
    assert!(body["events"].as_array().unwrap().is_empty());
    let (_, body) = send(api.get("/events?status=UPCOMING&to=2000-01-01")).await;
    assert!(body["events"].as_array().unwrap().is_empty());
    let (_, body) = send(api.get("/events?from=2000-01-01T00:00:00Z")).await;
    assert_eq!(body["events"].as_array().unwrap().len(), 2);
    assert_field_error(&send(api.get("/events?from=yesterday")).await, "from");
}

#[tokio::test]
async fn admissions_and_sections_routes_list_the_tiers() {
    let api = start();
    let e = api.event_id(0);
    let (_, body) = send(api.get(&format!("/events/{e}/admissions"))).await;
    let adm: AdmissionList = serde_json::from_value(body).unwrap();
    assert_eq!(adm.admissions.len(), 5);
    assert!(adm
        .admissions
        .iter()
        .all(|a| a.sold > 0 && a.capacity >= a.sold));
    let (_, body) = send(api.get(&format!("/events/{e}/sections"))).await;
    let sct: SectionList = serde_json::from_value(body).unwrap();
    assert_eq!(sct.sections.len(), 3);
}

#[tokio::test]
async fn unknown_event_is_404() {
    let api = start();
    assert_error(
        &send(api.get("/events/evt_01jzzzzzzzzzzzzzzzzzzzzzzz")).await,
        404,
        "NOT_FOUND",
    );
    assert_error(
        &send(api.get("/events/no-such-slug/admissions")).await,
        404,
        "NOT_FOUND",
    );
}
