//! The report files from a real door: a store with an imported guest list (one guest with a
//! hostile name), scans through `usher_core::Door`, then `usher_report::write`.

use jiff::Timestamp;
use session_api::TicketStatus;
use session_sim::dataset::{Dataset, DatasetSpec};
use usher_core::gate::GateProfile;
use usher_core::i18n::Language;
use usher_core::look::Words;
use usher_core::report::{self, ServerAnswer, ServerView};
use usher_core::scanlog::Source;
use usher_core::settings::{self, ApiTarget, DeviceConfig};
use usher_core::{cache, Door, ScanInput, Store};

const HOSTILE: &str = "<img src=x onerror=alert(1)>";
const FORMULA: &str = "=HYPERLINK(\"http://x\")";

/// A door with the generated event, the first active guest renamed to `HOSTILE FORMULA`,
/// and `n` of its active tickets scanned (the first twice: an admit and a refusal).
fn door(dir: &std::path::Path, n: usize) -> (Door, DeviceConfig, String) {
    let data = Dataset::generate(&DatasetSpec {
        tickets: 200,
        ..DatasetSpec::default()
    });
    let mut store = Store::open(dir).unwrap();
    let config = DeviceConfig {
        api: ApiTarget::Url("http://127.0.0.1:9".into()),
        tenant_id: data.tenant_id().into(),
        event_id: data.event(0).unwrap().id.clone(),
        gate: GateProfile {
            name: "North \"Hall\" <A>".into(),
            ..GateProfile::default()
        },
        offline: true,
    };
    settings::save(store.conn(), &config).unwrap();
    let active = data.ticket_ids(0, TicketStatus::Active);
    let mut json = Vec::new();
    data.write_import_json(0, &mut json).unwrap();
    let mut file: serde_json::Value = serde_json::from_slice(&json).unwrap();
    for t in file["tickets"].as_array_mut().unwrap() {
        if t["id"] == active[0].as_str() {
            t["attendee"]["firstName"] = HOSTILE.into();
            t["attendee"]["lastName"] = FORMULA.into();
        }
    }
    cache::import(
        store.conn_mut(),
        serde_json::to_vec(&file).unwrap().as_slice(),
        &config.tenant_id,
        &config.api.to_string(),
        Timestamp::now(),
    )
    .unwrap();
    let mut door = Door::open(store).unwrap();
    for code in std::iter::once(&active[0]).chain(active.iter().take(n)) {
        door.scan(
            ScanInput {
                payload: code.as_bytes(),
                source: Source::Manual,
                confirm: false,
                direction: None,
            },
            Timestamp::now(),
        )
        .unwrap();
    }
    (door, config, active[0].clone())
}

#[test]
fn the_page_escapes_guest_and_gate_names_and_holds_no_script() {
    let tmp = tempfile::tempdir().unwrap();
    let (door, config, hostile) = door(&tmp.path().join("data"), 5);
    // The server no longer knows the hostile guest's ticket: the reconciliation names them.
    let server = ServerView::Answers([(hostile, ServerAnswer::NotFound)].into());
    let r = report::build(
        door.store().conn(),
        &config,
        door.device_id(),
        &server,
        Timestamp::now(),
        &Words::english(),
    )
    .unwrap();
    let rows = usher_report::rows::rows(&r);
    let page = usher_report::html::page(&r, &rows);
    assert!(!page.contains("<img"), "a raw tag got through");
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt; =HYPERLINK(&quot;http://x&quot;)"));
    assert!(!page.contains("<script"), "the page runs no script");
    assert!(
        page.contains("North &quot;Hall&quot; &lt;A&gt;"),
        "the gate is escaped"
    );
    assert!(page.contains("<svg class=\"arrivals-chart\""));
    assert!(page.contains("5 tickets this device checked in or out were checked"));
    assert!(
        page.contains("default-src 'none'"),
        "the page may load nothing"
    );
    // Every row is in the page under its key, with its value.
    for row in &rows {
        let key = usher_report::html::escape(&row.key());
        let cell = format!(
            "<tr data-key=\"{key}\"><th>{}</th><td class=\"value\">{}</td>",
            usher_report::html::escape(&row.label),
            usher_report::html::escape(&row.value)
        );
        assert!(page.contains(&cell), "row {key} missing from the page");
    }
    let figure = |item: &str| {
        rows.iter()
            .find(|x| x.key() == format!("door|North \"Hall\" <A>|{}|{item}", door.device_id()))
            .map(|x| x.value.clone())
    };
    assert_eq!(figure("admits").as_deref(), Some("5"));
    assert_eq!(figure("refused:ALREADY_CHECKED_IN").as_deref(), Some("1"));
    assert_eq!(figure("pending").as_deref(), Some("5"));
}

#[test]
fn the_csv_quotes_cells_and_neutralises_formulas_and_sits_beside_the_page() {
    let tmp = tempfile::tempdir().unwrap();
    let (door, mut config, hostile) = door(&tmp.path().join("data"), 3);
    // A gate name that is a formula and holds a comma and a quote (the reconciliation's
    // rows carry the gate profile's name).
    config.gate.name = "=cmd|' /C calc'!A0, \"x\"".into();
    let server = ServerView::Answers([(hostile, ServerAnswer::NotFound)].into());
    let r = report::build(
        door.store().conn(),
        &config,
        door.device_id(),
        &server,
        Timestamp::now(),
        &Words::english(),
    )
    .unwrap();
    let out = tmp.path().join("shift.html");
    let written = usher_report::write(&r, &out).unwrap();
    assert_eq!(written.csv, tmp.path().join("shift.csv"));
    let rows = usher_report::rows::rows(&r);
    let mut csv = csv::Reader::from_path(&written.csv).unwrap();
    assert_eq!(
        csv.headers().unwrap().iter().collect::<Vec<_>>(),
        usher_report::rows::CSV_HEADER
    );
    let records: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    assert_eq!(
        records.len(),
        rows.len(),
        "one CSV line per row of the page"
    );
    for (rec, row) in records.iter().zip(&rows) {
        assert_eq!(&rec[0], row.section.as_str());
        assert_eq!(&rec[3], row.item.as_str());
        assert_eq!(&rec[5], row.value.as_str());
    }
    let diff = records.iter().find(|r| &r[0] == "reconciliation").unwrap();
    assert_eq!(
        &diff[1], "'=cmd|' /C calc'!A0, \"x\"",
        "a formula is neutralised"
    );
    assert_eq!(&diff[4], format!("{HOSTILE} {FORMULA}"), "quoted, whole");
    let raw = std::fs::read_to_string(&written.csv).unwrap();
    assert!(raw.contains("\"'=cmd|' /C calc'!A0, \"\"x\"\"\""), "{raw}");
    let html = std::fs::read_to_string(&written.html).unwrap();
    assert!(html.starts_with("<!doctype html>"));
    use std::os::unix::fs::PermissionsExt;
    for f in [&written.html, &written.csv] {
        let mode = std::fs::metadata(f).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{} is readable by its owner only", f.display());
    }
}

#[test]
fn a_german_door_writes_its_report_and_csv_labels_in_german_with_the_same_keys() {
    let tmp = tempfile::tempdir().unwrap();
    let (door, config, hostile) = door(&tmp.path().join("data"), 4);
    let server = ServerView::Answers([(hostile, ServerAnswer::NotFound)].into());
    let build = |words: &Words| {
        report::build(
            door.store().conn(),
            &config,
            door.device_id(),
            &server,
            Timestamp::now(),
            words,
        )
        .unwrap()
    };
    let en = build(&Words::english());
    let de = build(&Words::of(Language::German));
    let written = usher_report::write(&de, &tmp.path().join("schicht.html")).unwrap();
    let page = std::fs::read_to_string(&written.html).unwrap();
    assert!(
        page.contains("<html lang=\"de\">"),
        "the page says its language"
    );
    for german in [
        "Schichtbericht",
        "Dieser Eingang jetzt",
        "Alle Eingänge",
        "Ankünfte je 5 Minuten",
        "Eingelassen",
        "Abgewiesen: BEREITS DRIN",
        "Konflikte und Ablehnungen",
        "Abgleich mit Session Services",
        "4 Tickets, die dieses Gerät ein- oder ausgecheckt hat",
        "Session Services kennt dieses Ticket nicht",
    ] {
        assert!(
            page.contains(german),
            "{german:?} is not in the German page"
        );
    }
    // No English heading or label of the catalog is left on the page.
    for english in [
        "Shift report",
        "This door now",
        "All doors",
        "Arrivals per 5 minutes",
        "Admitted",
        "Waiting to upload",
        "Conflicts and rejections",
        "Reconciliation with Session Services",
        "checked in here",
    ] {
        assert!(
            !page.contains(english),
            "{english:?} is English in the German page"
        );
    }
    // The CSV: the same sections, items and values as in English; labels in German.
    let (rows_en, rows_de) = (usher_report::rows::rows(&en), usher_report::rows::rows(&de));
    let keys = |rows: &[usher_report::rows::Row]| -> Vec<(String, String)> {
        rows.iter().map(|r| (r.key(), r.value.clone())).collect()
    };
    assert_eq!(keys(&rows_en), keys(&rows_de));
    let mut csv = csv::Reader::from_path(&written.csv).unwrap();
    let labels: Vec<String> = csv.records().map(|r| r.unwrap()[4].to_string()).collect();
    assert!(labels.iter().any(|l| l == "Jetzt drin"), "{labels:?}");
    assert!(!labels.iter().any(|l| l == "Inside now"), "{labels:?}");
}

#[test]
fn an_unwritable_or_ambiguous_path_is_a_clear_error_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (door, config, _) = door(&tmp.path().join("data"), 1);
    let r = report::build(
        door.store().conn(),
        &config,
        door.device_id(),
        &ServerView::Unavailable(usher_core::i18n::Said::quoted("offline")),
        Timestamp::now(),
        &Words::english(),
    )
    .unwrap();
    let missing = tmp.path().join("no-such-folder").join("r.html");
    let err = usher_report::write(&r, &missing).unwrap_err();
    assert_eq!(err.code(), "IO");
    assert!(err.to_string().contains("no-such-folder"), "{err}");
    let err = usher_report::write(&r, &tmp.path().join("r.csv")).unwrap_err();
    assert!(err.to_string().contains(".html name"), "{err}");
    let err = usher_report::write(&r, tmp.path()).unwrap_err();
    assert!(err.to_string().contains("is a folder"), "{err}");
    assert!(!tmp.path().join("r.csv").exists());
}
