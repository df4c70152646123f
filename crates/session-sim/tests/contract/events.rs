//! Public event reads.

use serde_json::json;
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
    let (_, body) = send(api.get("/events?from=2000-01-01")).await;
    assert_eq!(body["events"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn events_from_and_to_are_dates_only_and_compare_the_local_start_date() {
    let api = start();
    let day =
        |i: usize| api.ds().event(i).unwrap().entry_starts_at.clone().unwrap()[..10].to_string();
    let (first, second) = (day(0), day(1));
    let ids = |body: &serde_json::Value| -> Vec<String> {
        body["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect()
    };
    let (_, body) = send(api.get(&format!("/events?from={first}&to={first}"))).await;
    assert_eq!(ids(&body), [api.event_id(0)]);
    let (_, body) = send(api.get(&format!("/events?from={second}"))).await;
    assert_eq!(ids(&body), [api.event_id(1)]);
    for bad in [
        "yesterday",
        "2000-01-01T00:00:00Z",
        "2000-01-01T00:00:00",
        "2026-02-30",
        "2026-1-01",
        "20260101",
    ] {
        assert_field_error(&send(api.get(&format!("/events?from={bad}"))).await, "from");
        assert_field_error(&send(api.get(&format!("/events?to={bad}"))).await, "to");
    }
}

#[tokio::test]
async fn events_limit_is_1_to_100_with_a_default_of_20() {
    let api = start();
    let (_, body) = send(api.get("/events")).await;
    assert_eq!(body["limit"], json!(20));
    for bad in ["0", "101", "x"] {
        assert_field_error(
            &send(api.get(&format!("/events?limit={bad}"))).await,
            "limit",
        );
    }
    let (_, body) = send(api.get("/events?limit=100&sort=createdAt&direction=desc")).await;
    assert_eq!(
        body["events"][0]["id"],
        json!(api.event_id(1)),
        "newest first"
    );
    assert!(body["events"][0].get("admissions").is_none());
    assert!(body["events"][0]["price"]["base"].is_number());
}

#[tokio::test]
async fn admissions_and_sections_routes_list_the_tiers() {
    let api = start();
    let e = api.event_id(0);
    let (_, body) = send(api.get(&format!("/events/{e}/admissions"))).await;
    assert_eq!(body["limit"], json!(20));
    assert!(body["admissions"].as_array().unwrap().iter().all(|a| {
        let (sold, capacity) = (a["sold"].as_i64().unwrap(), a["capacity"].as_i64().unwrap());
        sold > 0 && capacity >= sold && a["visibility"] == json!("ALWAYS")
    }));
    let adm: AdmissionList = serde_json::from_value(body).unwrap();
    assert_eq!(adm.admissions.len(), 5);
    let (_, body) = send(api.get(&format!("/events/{e}/sections"))).await;
    let sct: SectionList = serde_json::from_value(body).unwrap();
    assert_eq!(sct.sections.len(), 3);

    // Their own filters and pages.
    let floor = sct.sections[0].id.clone();
    let (_, body) = send(api.get(&format!("/events/{e}/admissions?sectionId={floor}"))).await;
    assert_eq!(body["admissions"].as_array().unwrap().len(), 1);
    let (_, body) = send(api.get(&format!("/events/{e}/admissions?limit=2"))).await;
    assert_eq!(body["admissions"].as_array().unwrap().len(), 2);
    let after = body["after"].as_str().unwrap().to_string();
    let (_, body) = send(api.get(&format!("/events/{e}/admissions?limit=2&cursor={after}"))).await;
    assert_eq!(body["admissions"][0]["name"], json!(adm.admissions[2].name));
    let (_, body) = send(api.get(&format!("/events/{e}/sections?query=balc"))).await;
    assert_eq!(body["sections"][0]["name"], json!("Balcony"));
    assert_field_error(
        &send(api.get(&format!("/events/{e}/sections?nope=1"))).await,
        "nope",
    );
}

#[tokio::test]
async fn event_get_carries_every_required_field_with_images_as_an_object() {
    let api = start();
    let e = api.event_id(0);
    let (status, body) = send(api.get(&format!("/events/{e}?passcode=x&unknownKey=1"))).await;
    assert_eq!(status, 200, "{body}");
    let ev = &body["event"];
    assert!(ev["images"]["mobile"]["src"]
        .as_str()
        .unwrap()
        .starts_with("https://"));
    assert!(ev["location"]["id"].as_str().unwrap().starts_with("loc_"));
    assert!(ev["location"]["venue"]["id"]
        .as_str()
        .unwrap()
        .starts_with("ven_"));
    assert_eq!(ev["admissions"][0]["eventId"], json!(e));
    assert_eq!(
        ev["sections"][0]["location"]["timeZone"],
        ev["location"]["timeZone"]
    );
    assert_error(
        &send(api.get(&format!(
            "/events/{e}?teamId=tem_01jzzzzzzzzzzzzzzzzzzzzzzz"
        )))
        .await,
        404,
        "NOT_FOUND",
    );
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
