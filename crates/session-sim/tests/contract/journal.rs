//! The request journal: what the client sent (raw query pairs, JSON bodies) and what it was
//! answered, for conformance tests.

use std::time::Duration;

use serde_json::json;
use session_contract::Contract;
use session_sim::{Faults, JournalLimits, Scripted, ScriptedBody, SimConfig};

use crate::support::*;

fn journaled() -> Api {
    start_with(SimConfig::new(dataset()).with_journal())
}

#[tokio::test]
async fn journal_records_raw_query_pairs_bodies_statuses_and_answers() {
    let api = journaled();
    let e = api.event_id(0);
    let ev = api.ds().event(0).unwrap().clone();
    let (a0, a1) = (ev.admissions[0].id.clone(), ev.admissions[1].id.clone());
    let key = api.active_ticket(0);
    let roster =
        format!("/tickets/attendees?eventId={e}&admissionIds[0]={a0}&admissionIds[1]={a1}&limit=5");
    assert_eq!(send(api.get(&roster)).await.0, 200);
    assert_eq!(api.check_in(&key, json!({ "deviceId": "j" })).await.0, 200);
    assert_eq!(send(api.get("/users/me")).await.0, 200);
    // Inspection routes are not journaled.
    send(api.client.get(api.url("/__sim/requests"))).await;

    let j = api.sim.sim().journal();
    assert_eq!(j.len(), 3, "{j:#?}");
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    assert_eq!(
        (j[0].method.as_str(), j[0].path.as_str()),
        ("GET", "/tickets/attendees")
    );
    assert_eq!(
        j[0].query,
        pairs(&[
            ("eventId", &e),
            ("admissionIds[0]", &a0),
            ("admissionIds[1]", &a1),
            ("limit", "5")
        ])
    );
    assert_eq!(j[0].body, None);
    assert_eq!(j[0].status, 200);
    assert_eq!(
        j[0].answer.as_ref().unwrap()["tickets"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    let c = Contract::get();
    for entry in &j {
        let v = c.check_request(
            &entry.method,
            &entry.path,
            &entry.query,
            entry.body.as_ref(),
        );
        assert!(v.is_empty(), "{} {}: {v:#?}", entry.method, entry.path);
        let answer = entry.answer.as_ref().unwrap();
        let v = c.check_answer(&entry.method, &entry.path, entry.status, answer);
        assert!(v.is_empty(), "{v:#?}");
    }
    assert_eq!(j[1].method, "PUT");
    assert_eq!(j[1].path, format!("/tickets/{key}/check-in"));
    assert_eq!(j[1].body, Some(json!({ "deviceId": "j" })));
    assert_eq!(
        j[1].answer.as_ref().unwrap()["tickets"][0]["scans"][0]["deviceId"],
        json!("j")
    );

    // The same over HTTP, then cleared.
    let (status, body) = send(api.client.get(api.url("/__sim/journal"))).await;
    assert_eq!(status, 200);
    assert_eq!(body[0]["query"][1], json!(["admissionIds[0]", a0]));
    assert_eq!(
        body[2]["answer"]["user"]["id"],
        json!(session_sim::demo::USER_ID)
    );
    let (status, _) = send(api.client.delete(api.url("/__sim/journal"))).await;
    assert_eq!(status, 200);
    assert!(api.sim.sim().journal().is_empty());
}

#[tokio::test]
async fn journal_is_off_by_default() {
    let api = start();
    send(api.get("/users/me")).await;
    assert!(api.sim.sim().journal().is_empty());
    let (status, _) = send(api.client.get(api.url("/__sim/journal"))).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn journal_keeps_only_the_newest_entries_within_its_limits() {
    let api = start_with(
        SimConfig::new(dataset()).with_journal_limits(JournalLimits {
            entries: 3,
            ..JournalLimits::default()
        }),
    );
    for limit in 1..=5 {
        send(api.get(&format!("/events?limit={limit}"))).await;
    }
    let limits: Vec<String> = api
        .sim
        .sim()
        .journal()
        .iter()
        .map(|e| e.query[0].1.clone())
        .collect();
    assert_eq!(limits, ["3", "4", "5"]);
}

#[tokio::test]
async fn journal_keeps_faults_answers_a_non_json_answer_as_null_and_no_answer_as_status_0() {
    let api = journaled();
    let key = api.active_ticket(0);
    api.sim.set_faults(Faults {
        script: vec![Scripted::status(502).body(ScriptedBody::Html)],
        ..Faults::none()
    });
    let sent = execute(api.get("/users/me")).await;
    assert_eq!(sent.status(), 502);
    let _ = sent.resp.text().await;
    api.sim.set_faults(Faults {
        reset_rate: 1.0,
        ..Faults::none()
    });
    let path = format!("/tickets/{key}/check-in");
    assert!(api
        .put_as(&api.token, &path, &json!({}))
        .send()
        .await
        .is_err());
    api.sim.set_faults(Faults::none());
    let mut j = api.sim.sim().journal();
    for _ in 0..50 {
        if j.len() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        j = api.sim.sim().journal();
    }
    assert_eq!(j.len(), 2, "{j:#?}");
    assert_eq!((j[0].status, j[0].answer.clone()), (502, None));
    assert_eq!((j[1].status, j[1].answer.clone()), (0, None));
    assert_eq!(j[1].body, Some(json!({})));
}
