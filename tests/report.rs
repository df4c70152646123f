//! `usher report`: the shift report of a real door after 200 scans against the simulator
//! over loopback HTTP (some while the network is down, one conflict), its figures against
//! `usher status --json`, its CSV against its HTML, and the reconciliation online and off.

use crate::support::*;
use serde_json::Value;
use session_api::TicketStatus;
use session_sim::{demo, Faults};
use std::collections::HashMap;
use std::path::Path;

/// The CSV's rows, keyed as the HTML keys them (`section|gate|device|item`), with their
/// value.
fn csv_rows(path: &Path) -> Vec<(String, String)> {
    let mut r = csv::Reader::from_path(path).unwrap();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            (
                format!("{}|{}|{}|{}", &rec[0], &rec[1], &rec[2], &rec[3]),
                rec[5].to_string(),
            )
        })
        .collect()
}

/// The page's value cell of the row keyed `key` (keys and values here are plain: ids,
/// numbers, times, gate names without markup characters).
fn html_value(html: &str, key: &str) -> Option<String> {
    let at = html.find(&format!("<tr data-key=\"{key}\">"))?;
    let rest = &html[at..];
    let start = rest.find("<td class=\"value\">")? + "<td class=\"value\">".len();
    let end = rest[start..].find("</td>")?;
    Some(rest[start..start + end].to_string())
}

fn report(door: &Door, out: &Path) -> Value {
    door.run_with_token(
        demo::SCAN_TOKEN,
        &["--json", "report", "--out", out.to_str().unwrap()],
    )
    .success()
    .json_lines()
    .remove(0)
}

#[test]
fn shift_report_after_200_scans_some_offline_one_conflict_equals_usher_status() {
    let sim = simulator(3_000);
    let (a, b) = (door_for(&sim, &[]), door_for(&sim, &[]));
    for d in [&a, &b] {
        d.run_with_token(demo::SCAN_TOKEN, &["--json", "sync"])
            .success();
    }
    let ids = sim
        .sim()
        .dataset()
        .ticket_ids_of_admission(0, 0, TicketStatus::Active);
    let cancelled = sim.sim().dataset().ticket_ids(0, TicketStatus::Cancelled);
    let b_device = b.status()["deviceId"].as_str().unwrap().to_string();

    // B lets ids[0] in first; A's cache still has it ACTIVE: A's online confirm is the
    // conflict.
    let first = b
        .run_stdin_with_token(&["--json", "scan", "-"], ids[0].as_bytes())
        .json_lines();
    assert_eq!(first[0]["verdict"], "ADMIT");

    // 140 scans online: the conflict, 130 admits, 4 repeats, 3 cancelled, 2 not tickets.
    let mut online: Vec<String> = ids[..=130].to_vec();
    online.extend(ids[1..=4].iter().cloned());
    online.extend(cancelled[..3].iter().cloned());
    online.extend(["hello".to_string(), "https://example.com/x".to_string()]);
    let verdicts = a
        .run_stdin_with_token(&["--json", "scan", "-"], online.join("\n").as_bytes())
        .json_lines();
    assert_eq!(verdicts.len(), 140);
    assert_eq!(verdicts[0]["upload"], "CONFLICT", "{}", verdicts[0]);
    assert!(verdicts[1..=130]
        .iter()
        .all(|v| v["upload"] == "ACKNOWLEDGED"));

    // 60 scans with the network down: decided from the cache, waiting to upload.
    sim.set_faults(Faults {
        reset_rate: 1.0,
        ..Faults::none()
    });
    let offline = ids[131..=190].join("\n");
    let verdicts = a
        .run_stdin_with_token(&["--json", "scan", "-"], offline.as_bytes())
        .json_lines();
    assert_eq!(verdicts.len(), 60);
    assert!(verdicts
        .iter()
        .all(|v| v["verdict"] == "ADMIT" && v["upload"] == "PENDING"));

    // Still offline: the report is written, and says it could not reconcile.
    let tmp = a.tmp().to_path_buf();
    let saved = report(&a, &tmp.join("offline.html"));
    assert_eq!(saved["reconciled"], false, "{saved}");
    assert!(
        saved["notReconciledBecause"]
            .as_str()
            .unwrap()
            .contains("no answer from Session Services"),
        "{saved}"
    );
    let page = std::fs::read_to_string(tmp.join("offline.html")).unwrap();
    assert!(page.contains("data-checked=\"false\""));
    assert!(page.contains("Not reconciled: no answer from Session Services"));

    // Back online: the same figures, reconciled.
    sim.set_faults(Faults::none());
    let html_path = tmp.join("shift.html");
    let saved = report(&a, &html_path);
    assert_eq!(saved["reconciled"], true, "{saved}");
    assert_eq!(saved["csv"], tmp.join("shift.csv").to_str().unwrap());
    let status = a.status();
    let html = std::fs::read_to_string(&html_path).unwrap();
    let rows = csv_rows(&tmp.join("shift.csv"));
    let csv: HashMap<&str, &str> = rows.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();

    // Every CSV row is a row of the page, with the same value (the page groups a figure's
    // digits as the report's language does: "2,911").
    for (key, value) in &rows {
        let shown = html_value(&html, key);
        let shown = match shown.as_deref().map(|v| v.replace(',', "")) {
            Some(digits) if digits.parse::<i64>().is_ok() => Some(digits),
            _ => shown,
        };
        assert_eq!(shown.as_deref(), Some(value.as_str()), "row {key}");
    }
    // The report's numbers are `usher status`'s.
    for (item, field) in [
        ("scans", "scans"),
        ("checked_in", "checkedIn"),
        ("total", "total"),
        ("pending_upload", "pendingUpload"),
        ("conflicts", "conflicts"),
        ("rejected", "rejected"),
        ("cancelled", "cancelled"),
    ] {
        assert_eq!(
            csv[format!("status|||{item}").as_str()],
            status[field].to_string(),
            "{item}"
        );
    }
    let all = |item: &str| csv[format!("total|||{item}").as_str()].to_string();
    assert_eq!(all("scans"), status["scans"].to_string());
    assert_eq!(all("scans"), "200");
    assert_eq!(all("pending"), status["pendingUpload"].to_string());
    assert_eq!(all("pending"), "60");
    assert_eq!(all("conflicts"), status["conflicts"].to_string());
    assert_eq!(all("conflicts"), "1");
    assert_eq!(all("rejected"), status["rejected"].to_string());
    assert_eq!(all("admits"), "190");
    assert_eq!(all("refused"), "10");
    assert_eq!(all("refused:ALREADY_CHECKED_IN"), "5");
    assert_eq!(all("refused:CANCELLED"), "3");
    assert_eq!(all("refused:NOT_A_TICKET_CODE"), "2");
    assert_eq!(all("exits"), "0");
    // One door (this device, its gate) holds every scan, and its arrivals add up.
    let device = status["deviceId"].as_str().unwrap();
    let door = |item: &str| csv[format!("door|Main door|{device}|{item}").as_str()].to_string();
    assert_eq!(door("scans"), "200");
    let arrivals: u64 = rows
        .iter()
        .filter(|(k, _)| k.starts_with(&format!("arrivals|Main door|{device}|")))
        .map(|(_, v)| v.parse::<u64>().unwrap())
        .sum();
    assert_eq!(arrivals, 190);
    assert!(html.contains("<svg class=\"arrivals-chart\""));

    // The conflict names who scanned first: B's device.
    let conflict = rows
        .iter()
        .find(|(k, _)| k.starts_with("problem|"))
        .expect("the conflict is listed");
    assert_eq!(conflict.1, ids[0]);
    let detail_at = html
        .find(&format!("<tr data-key=\"{}\">", conflict.0))
        .unwrap();
    let detail = &html[detail_at..detail_at + html[detail_at..].find("</tr>").unwrap()];
    assert!(
        detail.contains(&format!("on device {b_device}")),
        "{detail}"
    );
    assert!(detail.contains("first scanned"), "{detail}");

    // Reconciliation: 191 tickets acted on; the 60 still waiting differ, the rest agree.
    assert!(html.contains(
        "191 tickets this device checked in or out were checked against Session Services&#39; \
         current state: 131 agree, 60 differ."
    ));
    let waiting = rows
        .iter()
        .filter(|(k, v)| k.starts_with("reconciliation|") && v == "WAITING")
        .count();
    assert_eq!(waiting, 60);
    assert_eq!(saved["differences"], 60);
}

#[test]
fn report_to_an_unwritable_place_is_a_clear_error_and_writes_nothing() {
    let sim = simulator(300);
    let door = door_for(&sim, &["--offline"]);
    door.run_with_token(demo::SCAN_TOKEN, &["--json", "sync"])
        .success();
    let missing = door.tmp().join("no-such-folder").join("shift.html");
    let err = door
        .run(&["report", "--out", missing.to_str().unwrap()])
        .failure();
    assert!(err.contains("no-such-folder"), "{err}");
    assert!(!missing.parent().unwrap().exists());
    let err = door
        .run(&["report", "--out", door.tmp().to_str().unwrap()])
        .failure();
    assert!(err.contains("is a folder"), "{err}");
    // A door set to work offline does not ask the server, and says so.
    let out = door.tmp().join("r.html");
    let printed = door
        .run(&["report", "--out", out.to_str().unwrap()])
        .success()
        .stdout();
    assert!(printed.contains(&format!("Wrote the shift report to {}", out.display())));
    assert!(
        printed.contains("this door is set to work offline"),
        "{printed}"
    );
    assert!(door.tmp().join("r.csv").exists());
}
