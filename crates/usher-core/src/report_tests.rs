//! The shift report's counting, over a real SQLite file with scan rows written as the door
//! writes them.

use super::*;
use crate::gate::GateProfile;
use crate::i18n::Language;
use crate::settings::ApiTarget;
use crate::store::Store;
use rusqlite::params;
use serde_json::json;
use session_api::ScanRecord;

const TENANT: &str = "tnt_01jps5cgsg0s32w2pr73vbccde";
const API: &str = "http://127.0.0.1:9";

fn config() -> DeviceConfig {
    DeviceConfig {
        api: API.parse::<ApiTarget>().unwrap(),
        tenant_id: TENANT.into(),
        event_id: "evt_a".into(),
        gate: GateProfile {
            name: "North".into(),
            mode: Mode::Entry,
            admission_ids: vec![],
            section_ids: vec![],
            lookup: true,
        },
        offline: false,
    }
}

fn store(zone: &str) -> (tempfile::TempDir, Store) {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path()).unwrap();
    store
        .conn()
        .execute(
            "INSERT INTO events(id, tenant_id, api, name, slug, status, time_zone, synced_ms, raw)
             VALUES ('evt_a', ?1, ?2, 'Gala', 'gala', 'PUBLISHED', ?3, 0, '{}')",
            params![TENANT, API, zone],
        )
        .unwrap();
    (tmp, store)
}

/// One scan row, as `scanlog::record` and `outbox::settle` leave it.
struct Scan<'a> {
    seq: i64,
    at: &'a str,
    verdict: &'a str,
    action: Option<&'a str>,
    upload: &'a str,
    ticket: &'a str,
    guest: &'a str,
    gate: &'a str,
    device: &'a str,
    detail: Option<serde_json::Value>,
    server_scan_id: Option<&'a str>,
}

impl Default for Scan<'_> {
    fn default() -> Self {
        Scan {
            seq: 0,
            at: "2026-11-28T19:00:00Z",
            verdict: "ADMIT",
            action: Some("CHECK_IN"),
            upload: "ACKNOWLEDGED",
            ticket: "tkt_1",
            guest: "Ada Lovelace",
            gate: "North",
            device: "dev-1",
            detail: None,
            server_scan_id: None,
        }
    }
}

fn insert(conn: &Connection, s: Scan<'_>) {
    let (first, last) = s.guest.split_once(' ').unwrap_or((s.guest, ""));
    let verdict = json!({
        "verdict": s.verdict, "detail": "",
        "ticket": {"attendee": {"firstName": first, "lastName": last}}
    });
    let ms = s.at.parse::<Timestamp>().unwrap().as_millisecond();
    let refused = matches!(s.upload, "CONFLICT" | "REJECTED");
    conn.execute(
        "INSERT INTO scans(seq, id, idempotency_key, door_ms, tenant_id, api, event_id,
                           device_id, gate_name, mode, source, payload, payload_len, key,
                           verdict, verdict_json, action, upload, last_error, server_detail,
                           server_scan_id)
         VALUES (?1, ?1, ?1, ?2, ?3, ?4, 'evt_a', ?5, ?6, 'ENTRY', 'MANUAL', ?7, 5, ?7, ?8, ?9,
                 ?10, ?11, ?12, ?13, ?14)",
        params![
            s.seq,
            ms,
            TENANT,
            API,
            s.device,
            s.gate,
            s.ticket,
            s.verdict,
            verdict.to_string(),
            s.action,
            s.upload,
            refused.then_some("already checked in (NOOP_TRANSITION)"),
            s.detail.map(|d| d.to_string()),
            s.server_scan_id,
        ],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO scan_tickets(ticket_id, scan_seq) VALUES (?1, ?2)",
        params![s.ticket, s.seq],
    )
    .unwrap();
}

fn build_offline(conn: &Connection) -> ShiftReport {
    build(
        conn,
        &config(),
        "dev-1",
        &ServerView::Unavailable(Said::new("report-offline")),
        "2026-11-28T23:00:00Z".parse().unwrap(),
        &Words::english(),
    )
    .unwrap()
}

#[test]
fn admits_refusals_by_reason_exits_and_re_entries_are_counted_per_door() {
    let (_t, store) = store("Europe/London");
    let c = store.conn();
    insert(
        c,
        Scan {
            seq: 1,
            ticket: "tkt_1",
            ..Default::default()
        },
    );
    insert(
        c,
        Scan {
            seq: 2,
            ticket: "tkt_2",
            ..Default::default()
        },
    );
    insert(
        c,
        Scan {
            seq: 3,
            ticket: "tkt_1",
            verdict: "ALREADY_CHECKED_IN",
            action: None,
            upload: "NONE",
            ..Default::default()
        },
    );
    insert(
        c,
        Scan {
            seq: 4,
            ticket: "tkt_9",
            verdict: "CANCELLED",
            action: None,
            upload: "NONE",
            ..Default::default()
        },
    );
    insert(
        c,
        Scan {
            seq: 5,
            ticket: "tkt_8",
            verdict: "ALREADY_CHECKED_IN",
            action: None,
            upload: "NONE",
            ..Default::default()
        },
    );
    // An exit door on the same laptop checks tkt_1 out; North lets it in again.
    insert(
        c,
        Scan {
            seq: 6,
            ticket: "tkt_1",
            gate: "Exit",
            verdict: "CHECKED_OUT",
            action: Some("CHECK_OUT"),
            ..Default::default()
        },
    );
    insert(
        c,
        Scan {
            seq: 7,
            ticket: "tkt_1",
            upload: "PENDING",
            ..Default::default()
        },
    );
    // A check-in the server refused while the guest stood there is a refusal, by what was shown.
    insert(
        c,
        Scan {
            seq: 8,
            ticket: "tkt_3",
            verdict: "ALREADY_CHECKED_IN",
            upload: "CONFLICT",
            ..Default::default()
        },
    );

    let r = build_offline(c);
    assert_eq!(r.doors.len(), 2);
    let north = &r.doors[0];
    assert_eq!(
        (north.gate.as_str(), north.device_id.as_str()),
        ("North", "dev-1")
    );
    assert_eq!(north.tally.scans, 7);
    assert_eq!(north.tally.admits, 3);
    assert_eq!(north.tally.re_entries, 1);
    assert_eq!(north.tally.exits, 0);
    assert_eq!(
        north.tally.refusals,
        vec![
            Refusals {
                reason: VerdictKind::AlreadyCheckedIn,
                count: 3
            },
            Refusals {
                reason: VerdictKind::Cancelled,
                count: 1
            },
        ]
    );
    assert_eq!((north.tally.conflicts, north.tally.pending), (1, 1));
    let exit = &r.doors[1];
    assert_eq!(
        (exit.gate.as_str(), exit.tally.exits, exit.tally.scans),
        ("Exit", 1, 1)
    );
    assert_eq!(r.totals.scans, 8);
    assert_eq!(r.totals.scans, r.status.scans);
    assert_eq!(r.totals.pending, r.status.pending_upload);
    assert_eq!(r.totals.conflicts, r.status.conflicts);
    assert_eq!(r.totals.refused(), 4);
}

#[test]
fn a_conflict_names_who_scanned_first_and_when() {
    let (_t, store) = store("Europe/London");
    let detail = json!({"reason": "NOOP_TRANSITION", "ticket": {"scans": [
        {"kind": "CHECK_IN", "scannedAt": "2026-11-28T19:02:03.000Z", "deviceId": "door-2",
         "scannedBy": {"firstName": "Sam", "lastName": "Lee"}}
    ]}});
    insert(
        store.conn(),
        Scan {
            seq: 1,
            upload: "CONFLICT",
            detail: Some(detail),
            guest: "Bo <b>Bold</b>",
            ..Default::default()
        },
    );
    let r = build_offline(store.conn());
    assert_eq!(r.problems.len(), 1);
    let p = &r.problems[0];
    assert_eq!(p.upload, UploadState::Conflict);
    assert_eq!(p.guest.as_deref(), Some("Bo <b>Bold</b>"));
    let first = p.first.as_ref().unwrap();
    assert_eq!(first.by.as_deref(), Some("Sam Lee"));
    assert_eq!(first.device_id.as_deref(), Some("door-2"));
    assert_eq!(r.local(first.at.unwrap()), "28 Nov 2026 19:02:03");
    // A conflict at upload of a scan the door admitted offline: the guest went in.
    assert_eq!(r.totals.admits, 1);
}

#[test]
fn arrivals_fall_in_five_minute_buckets_of_the_event_zone_across_the_autumn_fold() {
    // New York leaves summer time on 1 November 2026 at 02:00 EDT (06:00Z): 01:30-01:35
    // local happens twice, an hour apart.
    let (_t, store) = store("America/New_York");
    let c = store.conn();
    insert(
        c,
        Scan {
            seq: 1,
            ticket: "tkt_1",
            at: "2026-11-01T05:32:00Z",
            ..Default::default()
        },
    );
    insert(
        c,
        Scan {
            seq: 2,
            ticket: "tkt_2",
            at: "2026-11-01T05:34:59Z",
            ..Default::default()
        },
    );
    insert(
        c,
        Scan {
            seq: 3,
            ticket: "tkt_3",
            at: "2026-11-01T05:35:00Z",
            ..Default::default()
        },
    );
    insert(
        c,
        Scan {
            seq: 4,
            ticket: "tkt_4",
            at: "2026-11-01T06:33:00Z",
            ..Default::default()
        },
    );
    // A refusal is not an arrival.
    insert(
        c,
        Scan {
            seq: 5,
            ticket: "tkt_5",
            at: "2026-11-01T05:36:00Z",
            verdict: "NOT_FOUND",
            action: None,
            upload: "NONE",
            ..Default::default()
        },
    );
    let r = build_offline(c);
    let arrivals = &r.doors[0].arrivals;
    assert_eq!(
        arrivals.len(),
        13,
        "05:30Z to 06:30Z, empty buckets included"
    );
    assert_eq!(arrivals[0].label, "2026-11-01 01:30");
    assert_eq!(arrivals[0].start.to_string(), "2026-11-01T05:30:00Z");
    assert_eq!(arrivals[0].arrivals, 2);
    assert_eq!(arrivals[1].label, "2026-11-01 01:35");
    assert_eq!(arrivals[1].arrivals, 1);
    let last = arrivals.last().unwrap();
    assert_eq!(
        last.label, "2026-11-01 01:30",
        "the second 01:30, in standard time"
    );
    assert_eq!(last.start.to_string(), "2026-11-01T06:30:00Z");
    assert_eq!(last.arrivals, 1);
    assert_eq!(arrivals.iter().map(|b| b.arrivals).sum::<u64>(), 4);
    assert_eq!(r.time_zone, "America/New_York");
}

fn ticket(id: &str, status: TicketStatus, scans: Vec<ScanRecord>) -> ServerAnswer {
    ServerAnswer::Ticket(Box::new(Ticket {
        id: id.into(),
        status,
        scans,
        attendee: Default::default(),
        event_id: "evt_a".into(),
        admission_id: "adm_1".into(),
        section: None,
        order_id: "ord_1".into(),
        updated_at: String::new(),
    }))
}

fn record(id: &str, kind: ScanKind, at: &str, device: &str) -> ScanRecord {
    ScanRecord {
        id: id.into(),
        scanned_at: at.into(),
        scanned_by: Some(session_api::ScannedBy {
            first_name: "Sam".into(),
            last_name: "Lee".into(),
        }),
        device_id: Some(device.into()),
        kind,
    }
}

#[test]
fn reconciliation_lists_each_ticket_whose_server_state_differs_from_this_doors_scans() {
    let (_t, store) = store("Europe/London");
    let c = store.conn();
    insert(
        c,
        Scan {
            seq: 1,
            ticket: "tkt_ok",
            server_scan_id: Some("scn_1"),
            ..Default::default()
        },
    );
    insert(
        c,
        Scan {
            seq: 2,
            ticket: "tkt_out",
            server_scan_id: Some("scn_2"),
            ..Default::default()
        },
    );
    insert(
        c,
        Scan {
            seq: 3,
            ticket: "tkt_wait",
            upload: "PENDING",
            ..Default::default()
        },
    );
    insert(
        c,
        Scan {
            seq: 4,
            ticket: "tkt_lost",
            server_scan_id: Some("scn_4"),
            ..Default::default()
        },
    );
    insert(
        c,
        Scan {
            seq: 5,
            ticket: "tkt_gone",
            ..Default::default()
        },
    );
    insert(
        c,
        Scan {
            seq: 6,
            ticket: "tkt_refund",
            ..Default::default()
        },
    );
    // A refusal acts on nothing: it is not asked about.
    insert(
        c,
        Scan {
            seq: 7,
            ticket: "tkt_none",
            verdict: "NOT_FOUND",
            action: None,
            upload: "NONE",
            ..Default::default()
        },
    );
    assert_eq!(
        tickets_to_check(c).unwrap(),
        [
            "tkt_gone",
            "tkt_lost",
            "tkt_ok",
            "tkt_out",
            "tkt_refund",
            "tkt_wait"
        ]
    );
    let at = "2026-11-28T19:00:00.000Z";
    let answers = BTreeMap::from([
        (
            "tkt_ok".to_string(),
            ticket(
                "tkt_ok",
                TicketStatus::Redeemed,
                vec![record("scn_1", ScanKind::CheckIn, at, "dev-1")],
            ),
        ),
        (
            "tkt_out".to_string(),
            ticket(
                "tkt_out",
                TicketStatus::Active,
                vec![
                    record("scn_2", ScanKind::CheckIn, at, "dev-1"),
                    record(
                        "scn_9",
                        ScanKind::CheckOut,
                        "2026-11-28T20:40:00.000Z",
                        "door-7",
                    ),
                ],
            ),
        ),
        (
            "tkt_wait".to_string(),
            ticket("tkt_wait", TicketStatus::Active, vec![]),
        ),
        (
            "tkt_lost".to_string(),
            ticket(
                "tkt_lost",
                TicketStatus::Redeemed,
                vec![record("scn_x", ScanKind::CheckIn, at, "door-3")],
            ),
        ),
        ("tkt_gone".to_string(), ServerAnswer::NotFound),
        (
            "tkt_refund".to_string(),
            ticket("tkt_refund", TicketStatus::Cancelled, vec![]),
        ),
    ]);
    let server = ServerView::Answers(answers);
    let now = "2026-11-28T23:00:00Z".parse().unwrap();
    let r = build(c, &config(), "dev-1", &server, now, &Words::english()).unwrap();
    let rec = &r.reconciliation;
    assert!(rec.checked);
    assert_eq!((rec.tickets, rec.agreeing), (6, 1));
    let kinds: Vec<(&str, DifferenceKind)> = rec
        .differences
        .iter()
        .map(|d| (d.ticket_id.as_str(), d.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("tkt_gone", DifferenceKind::NotFound),
            ("tkt_lost", DifferenceKind::MissingScan),
            ("tkt_out", DifferenceKind::State),
            ("tkt_refund", DifferenceKind::Cancelled),
            ("tkt_wait", DifferenceKind::Waiting),
        ]
    );
    let out = &rec.differences[2];
    assert_eq!(
        out.door,
        "checked in here at 28 Nov 2026 19:00:00 (scan 2, uploaded)"
    );
    assert_eq!(
        out.server,
        "not inside (ACTIVE) since its last scan: checked out at 28 Nov 2026 20:40:00 by Sam Lee (device door-7)"
    );
    assert_eq!(out.guest.as_deref(), Some("Ada Lovelace"));
    // The same report in German: the words change, the findings do not.
    let de = build(
        c,
        &config(),
        "dev-1",
        &server,
        now,
        &Words::of(Language::German),
    )
    .unwrap();
    let kinds_de: Vec<_> = de
        .reconciliation
        .differences
        .iter()
        .map(|d| d.kind)
        .collect();
    assert_eq!(kinds_de, kinds.iter().map(|k| k.1).collect::<Vec<_>>());
    let out = &de.reconciliation.differences[2];
    assert_eq!(
        out.door,
        "hier eingecheckt um 28.11.2026 19:00:00 (Scan 2, hochgeladen)"
    );
    assert_eq!(
        out.server,
        "nicht drin (ACTIVE) seit dem letzten Scan: ausgecheckt um 28.11.2026 20:40:00 von Sam Lee (Gerät door-7)"
    );
    assert!(de.limits.starts_with("Die Zahlen"), "{}", de.limits);
}

#[test]
fn offline_the_report_says_it_could_not_reconcile_and_still_counts() {
    let (_t, store) = store("Europe/London");
    insert(
        store.conn(),
        Scan {
            seq: 1,
            ..Default::default()
        },
    );
    let r = build_offline(store.conn());
    assert!(!r.reconciliation.checked);
    assert_eq!(
        r.reconciliation.not_checked_because.as_deref(),
        Some("this door is set to work offline")
    );
    assert_eq!(r.reconciliation.tickets, 1);
    assert_eq!(r.totals.admits, 1);
}
