//! Every verdict, from pure inputs.

use super::*;
use crate::code::parse;
use crate::time::parse_naive;

const EVT: &str = "evt_0000000000000000000000000a";
const OTHER_EVT: &str = "evt_0000000000000000000000000b";
const GA: &str = "adm_000000000000000000000000ga";
const VIP: &str = "adm_00000000000000000000000vip";
const LATE: &str = "adm_0000000000000000000000late";
const FLOOR: &str = "sct_0000000000000000000000flor";
const ORD: &str = "ord_00000000000000000000000001";

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn window(starts: &str, ends: &str) -> EntryWindow {
    EntryWindow {
        starts: Some(parse_naive(starts).unwrap()),
        ends: Some(parse_naive(ends).unwrap()),
    }
}

fn ctx(mode: Mode) -> DoorContext {
    let mut admission_windows = HashMap::new();
    admission_windows.insert(
        LATE.to_string(),
        EntryWindow {
            starts: Some(parse_naive("2026-11-28T21:00:00").unwrap()),
            ends: None,
        },
    );
    DoorContext {
        gate: GateProfile {
            mode,
            ..GateProfile::default()
        },
        event_id: EVT.into(),
        time_zone: TimeZone::get("Europe/London").unwrap(),
        event_window: window("2026-11-28T18:00:00", "2026-11-28T23:30:00"),
        admission_windows,
        cache_synced: Some(ts("2026-11-28T17:00:00Z")),
    }
}

fn tkt(n: u32) -> String {
    format!("tkt_{n:026}")
}

fn view(n: u32, status: TicketStatus) -> TicketView {
    TicketView {
        summary: TicketSummary {
            id: tkt(n),
            order_id: ORD.into(),
            attendee: Person {
                first_name: "Ada".into(),
                last_name: format!("Lovelace{n}"),
            },
            admission: Named {
                id: GA.into(),
                name: "General".into(),
            },
            section: None,
        },
        event_id: EVT.into(),
        status,
        server_last_scan: (status == TicketStatus::Redeemed).then(|| PriorScan {
            kind: ScanKind::CheckIn,
            at: ts("2026-11-28T18:05:00Z"),
            device_id: Some("door-2".into()),
            by: Some("Sam Steward".into()),
            origin: ScanOrigin::Server,
        }),
        local_pending: vec![],
        peer_scans: vec![],
    }
}

fn local(kind: ScanKind, at: &str) -> PriorScan {
    PriorScan {
        kind,
        at: ts(at),
        device_id: Some("this".into()),
        by: Some("Main door".into()),
        origin: ScanOrigin::ThisDevice,
    }
}

/// 19:30 London time on the event night (GMT, so 19:30Z).
const EVENING: &str = "2026-11-28T19:30:00Z";

fn decide_ticket_at(v: TicketView, c: &DoorContext, now: &str) -> Verdict {
    let key = parse(v.summary.id.as_bytes());
    decide(key, Found::Ticket(Box::new(v)), c, ts(now), false)
}

#[test]
fn active_ticket_in_window_is_admitted_with_a_check_in_action() {
    let v = decide_ticket_at(view(1, TicketStatus::Active), &ctx(Mode::Entry), EVENING);
    assert_eq!(v.verdict, VerdictKind::Admit);
    let a = v.action.unwrap();
    assert_eq!(
        (a.kind, a.key.as_str()),
        (ScanKind::CheckIn, tkt(1).as_str())
    );
    assert_eq!(a.ticket_ids, vec![tkt(1)]);
}

#[test]
fn redeemed_ticket_is_already_checked_in_with_who_when_where() {
    let v = decide_ticket_at(view(1, TicketStatus::Redeemed), &ctx(Mode::Entry), EVENING);
    assert_eq!(v.verdict, VerdictKind::AlreadyCheckedIn);
    assert!(v.action.is_none());
    let p = v.previous.unwrap();
    assert_eq!(p.by.as_deref(), Some("Sam Steward"));
    assert_eq!(p.device_id.as_deref(), Some("door-2"));
    assert!(v.detail.contains("18:05"), "{}", v.detail);
    assert!(v.detail.contains("Sam Steward"), "{}", v.detail);
}

#[test]
fn unacknowledged_local_check_in_counts_as_already_in() {
    let mut t = view(1, TicketStatus::Active);
    t.local_pending
        .push(local(ScanKind::CheckIn, "2026-11-28T19:00:00Z"));
    let v = decide_ticket_at(t, &ctx(Mode::Entry), EVENING);
    assert_eq!(v.verdict, VerdictKind::AlreadyCheckedIn);
    assert_eq!(v.previous.unwrap().origin, ScanOrigin::ThisDevice);
    assert!(v.detail.contains("on this device"), "{}", v.detail);
}

#[test]
fn local_check_out_after_server_check_in_allows_re_entry() {
    let mut t = view(1, TicketStatus::Redeemed);
    t.local_pending
        .push(local(ScanKind::CheckOut, "2026-11-28T19:00:00Z"));
    let v = decide_ticket_at(t, &ctx(Mode::Entry), EVENING);
    assert_eq!(v.verdict, VerdictKind::Admit);
}

#[test]
fn scan_of_cancelled_ticket_is_refused() {
    let v = decide_ticket_at(view(1, TicketStatus::Cancelled), &ctx(Mode::Entry), EVENING);
    assert_eq!(v.verdict, VerdictKind::Cancelled);
    assert!(v.action.is_none());
}

#[test]
fn missing_ticket_is_not_found_with_cache_age() {
    let key = parse(tkt(9).as_bytes());
    let v = decide(key, Found::Missing, &ctx(Mode::Entry), ts(EVENING), false);
    assert_eq!(v.verdict, VerdictKind::NotFound);
    assert_eq!(v.cache_age_seconds, Some(2 * 3600 + 1800));
    assert!(v.detail.contains("2 h 30 min ago"), "{}", v.detail);
}

#[test]
fn ticket_gone_from_the_roster_is_not_found_no_longer_on_the_guest_list() {
    let key = parse(tkt(9).as_bytes());
    let v = decide(key, Found::Gone, &ctx(Mode::Entry), ts(EVENING), false);
    assert_eq!(v.verdict, VerdictKind::NotFound);
    assert!(v.action.is_none());
    assert!(
        v.detail.contains("no longer on the guest list"),
        "{}",
        v.detail
    );
}

#[test]
fn ticket_for_another_event_is_wrong_event() {
    let mut t = view(1, TicketStatus::Active);
    t.event_id = OTHER_EVT.into();
    let v = decide_ticket_at(t, &ctx(Mode::Entry), EVENING);
    assert_eq!(v.verdict, VerdictKind::WrongEvent);
}

#[test]
fn admission_outside_gate_profile_is_not_for_this_gate() {
    let mut c = ctx(Mode::Entry);
    c.gate.admission_ids = vec![VIP.into()];
    let v = decide_ticket_at(view(1, TicketStatus::Active), &c, EVENING);
    assert_eq!(v.verdict, VerdictKind::NotForThisGate);
    assert!(v.detail.contains("General"), "{}", v.detail);
}

#[test]
fn section_outside_gate_profile_is_not_for_this_gate() {
    let mut c = ctx(Mode::Entry);
    c.gate.section_ids = vec![FLOOR.into()];
    let v = decide_ticket_at(view(1, TicketStatus::Active), &c, EVENING);
    assert_eq!(v.verdict, VerdictKind::NotForThisGate);
    let mut t = view(2, TicketStatus::Active);
    t.summary.section = Some(Named {
        id: FLOOR.into(),
        name: "Floor".into(),
    });
    assert_eq!(decide_ticket_at(t, &c, EVENING).verdict, VerdictKind::Admit);
}

#[test]
fn before_the_event_window_is_too_early() {
    // 17:59:59 London (GMT) is before the 18:00 opening.
    let v = decide_ticket_at(
        view(1, TicketStatus::Active),
        &ctx(Mode::Entry),
        "2026-11-28T17:59:59Z",
    );
    assert_eq!(v.verdict, VerdictKind::TooEarly);
    assert!(v.detail.contains("18:00"), "{}", v.detail);
    let v = decide_ticket_at(
        view(1, TicketStatus::Active),
        &ctx(Mode::Entry),
        "2026-11-28T18:00:00Z",
    );
    assert_eq!(v.verdict, VerdictKind::Admit);
}

#[test]
fn at_the_end_of_the_window_entry_is_closed() {
    let v = decide_ticket_at(
        view(1, TicketStatus::Active),
        &ctx(Mode::Entry),
        "2026-11-28T23:30:00Z",
    );
    assert_eq!(v.verdict, VerdictKind::EntryClosed);
    assert!(v.detail.contains("23:30"), "{}", v.detail);
}

#[test]
fn admission_window_overrides_the_event_window() {
    let mut t = view(1, TicketStatus::Active);
    t.summary.admission.id = LATE.into();
    let v = decide_ticket_at(t.clone(), &ctx(Mode::Entry), EVENING);
    assert_eq!(v.verdict, VerdictKind::TooEarly);
    assert!(v.detail.contains("21:00"), "{}", v.detail);
    // The late admission keeps the event's end.
    let v = decide_ticket_at(t, &ctx(Mode::Entry), "2026-11-28T23:45:00Z");
    assert_eq!(v.verdict, VerdictKind::EntryClosed);
}

#[test]
fn window_is_read_in_the_event_zone_across_summer_time() {
    // New York, night of the spring-forward change: doors 01:00–03:30 local.
    let mut c = ctx(Mode::Entry);
    c.time_zone = TimeZone::get("America/New_York").unwrap();
    c.event_window = window("2026-03-08T01:00:00", "2026-03-08T03:30:00");
    // 01:30 EST = 06:30Z: open. 03:29 EDT = 07:29Z: open (only 1 h 59 real minutes later).
    assert_eq!(
        decide_ticket_at(view(1, TicketStatus::Active), &c, "2026-03-08T06:30:00Z").verdict,
        VerdictKind::Admit
    );
    assert_eq!(
        decide_ticket_at(view(1, TicketStatus::Active), &c, "2026-03-08T07:29:00Z").verdict,
        VerdictKind::Admit
    );
    // 03:30 EDT = 07:30Z: closed. A naive UTC-5 reading would wrongly keep it open until 08:30Z.
    assert_eq!(
        decide_ticket_at(view(1, TicketStatus::Active), &c, "2026-03-08T07:30:00Z").verdict,
        VerdictKind::EntryClosed
    );
    // 05:59Z is 00:59 EST: too early.
    assert_eq!(
        decide_ticket_at(view(1, TicketStatus::Active), &c, "2026-03-08T05:59:00Z").verdict,
        VerdictKind::TooEarly
    );
}

#[test]
fn window_ending_inside_the_autumn_fold_uses_its_first_occurrence() {
    // London, 2026-10-25: 01:00–02:00 BST happens, then 01:00–02:00 GMT again.
    let mut c = ctx(Mode::Entry);
    c.event_window = window("2026-10-24T20:00:00", "2026-10-25T01:30:00");
    // First 01:30 is BST = 00:30Z.
    assert_eq!(
        decide_ticket_at(view(1, TicketStatus::Active), &c, "2026-10-25T00:29:59Z").verdict,
        VerdictKind::Admit
    );
    assert_eq!(
        decide_ticket_at(view(1, TicketStatus::Active), &c, "2026-10-25T00:30:00Z").verdict,
        VerdictKind::EntryClosed
    );
}

#[test]
fn no_window_at_all_means_always_open() {
    let mut c = ctx(Mode::Entry);
    c.event_window = EntryWindow::default();
    let v = decide_ticket_at(view(1, TicketStatus::Active), &c, "2030-01-01T00:00:00Z");
    assert_eq!(v.verdict, VerdictKind::Admit);
}

#[test]
fn exit_mode_checks_out_a_ticket_that_is_in() {
    let v = decide_ticket_at(view(1, TicketStatus::Redeemed), &ctx(Mode::Exit), EVENING);
    assert_eq!(v.verdict, VerdictKind::CheckedOut);
    assert_eq!(v.action.unwrap().kind, ScanKind::CheckOut);
}

#[test]
fn exit_mode_refuses_a_ticket_that_is_not_in() {
    let v = decide_ticket_at(view(1, TicketStatus::Active), &ctx(Mode::Exit), EVENING);
    assert_eq!(v.verdict, VerdictKind::NotCheckedIn);
    assert!(v.action.is_none());
    // Even outside the entry window, exits work.
    let v = decide_ticket_at(
        view(1, TicketStatus::Redeemed),
        &ctx(Mode::Exit),
        "2026-11-29T03:00:00Z",
    );
    assert_eq!(v.verdict, VerdictKind::CheckedOut);
}

#[test]
fn exit_mode_sees_a_local_unacknowledged_check_in() {
    let mut t = view(1, TicketStatus::Active);
    t.local_pending
        .push(local(ScanKind::CheckIn, "2026-11-28T19:00:00Z"));
    assert_eq!(
        decide_ticket_at(t, &ctx(Mode::Exit), EVENING).verdict,
        VerdictKind::CheckedOut
    );
}

#[test]
fn garbage_is_not_a_ticket_code() {
    let v = decide(
        parse(b"hello"),
        Found::Missing,
        &ctx(Mode::Entry),
        ts(EVENING),
        false,
    );
    assert_eq!(v.verdict, VerdictKind::NotATicketCode);
    assert!(v.action.is_none() && v.key.is_none());
}

fn order_key() -> Result<TicketKey, NotATicketCode> {
    parse(ORD.as_bytes())
}

#[test]
fn fresh_order_admits_every_ticket_without_confirmation() {
    let views = vec![view(1, TicketStatus::Active), view(2, TicketStatus::Active)];
    let v = decide(
        order_key(),
        Found::Order(views),
        &ctx(Mode::Entry),
        ts(EVENING),
        false,
    );
    assert_eq!(v.verdict, VerdictKind::Order);
    let o = v.order.as_ref().unwrap();
    assert_eq!(
        (o.already_in, o.admitting, o.needs_confirmation),
        (0, 2, false)
    );
    let a = v.action.unwrap();
    assert_eq!(
        (a.key.as_str(), a.ticket_ids.len(), a.allow_partial),
        (ORD, 2, false)
    );
}

#[test]
fn partly_used_order_needs_confirmation_before_admitting_the_rest() {
    let mut used_locally = view(3, TicketStatus::Active);
    used_locally
        .local_pending
        .push(local(ScanKind::CheckIn, "2026-11-28T19:00:00Z"));
    let views = vec![
        view(1, TicketStatus::Redeemed),
        view(2, TicketStatus::Active),
        used_locally,
        view(4, TicketStatus::Cancelled),
    ];
    let c = ctx(Mode::Entry);
    let unconfirmed = decide(
        order_key(),
        Found::Order(views.clone()),
        &c,
        ts(EVENING),
        false,
    );
    let o = unconfirmed.order.as_ref().unwrap();
    assert_eq!(
        (o.already_in, o.needs_confirmation, o.admitting),
        (2, true, 0)
    );
    assert!(
        unconfirmed.action.is_none(),
        "nothing is admitted until staff confirm"
    );
    let states: Vec<_> = o.lines.iter().map(|l| l.state).collect();
    assert_eq!(
        states,
        vec![
            VerdictKind::AlreadyCheckedIn,
            VerdictKind::Admit,
            VerdictKind::AlreadyCheckedIn,
            VerdictKind::Cancelled
        ]
    );

    let confirmed = decide(order_key(), Found::Order(views), &c, ts(EVENING), true);
    let a = confirmed.action.unwrap();
    assert_eq!(a.ticket_ids, vec![tkt(2)]);
    assert!(a.allow_partial);
    assert_eq!(confirmed.order.unwrap().admitting, 1);
}

#[test]
fn fully_used_order_admits_nobody() {
    let views = vec![
        view(1, TicketStatus::Redeemed),
        view(2, TicketStatus::Redeemed),
    ];
    let v = decide(
        order_key(),
        Found::Order(views),
        &ctx(Mode::Entry),
        ts(EVENING),
        true,
    );
    assert_eq!(v.verdict, VerdictKind::Order);
    assert!(v.action.is_none());
    assert!(v.detail.contains("nothing to admit"), "{}", v.detail);
}

#[test]
fn order_for_another_event_is_wrong_event() {
    let mut t = view(1, TicketStatus::Active);
    t.event_id = OTHER_EVT.into();
    let v = decide(
        order_key(),
        Found::Order(vec![t]),
        &ctx(Mode::Entry),
        ts(EVENING),
        false,
    );
    assert_eq!(v.verdict, VerdictKind::WrongEvent);
}

#[test]
fn order_at_an_exit_checks_out_those_inside() {
    let views = vec![
        view(1, TicketStatus::Redeemed),
        view(2, TicketStatus::Active),
    ];
    let v = decide(
        order_key(),
        Found::Order(views),
        &ctx(Mode::Exit),
        ts(EVENING),
        false,
    );
    let a = v.action.unwrap();
    assert_eq!((a.kind, a.ticket_ids), (ScanKind::CheckOut, vec![tkt(1)]));
}

#[test]
fn verdict_json_uses_the_exact_verdict_names() {
    let v = decide_ticket_at(view(1, TicketStatus::Redeemed), &ctx(Mode::Entry), EVENING);
    let json = serde_json::to_value(&v).unwrap();
    assert_eq!(json["verdict"], "ALREADY_CHECKED_IN");
    assert_eq!(json["previous"]["at"], "2026-11-28T18:05:00.000Z");
    for k in [
        VerdictKind::Admit,
        VerdictKind::NotForThisGate,
        VerdictKind::TooEarly,
        VerdictKind::EntryClosed,
        VerdictKind::NotATicketCode,
    ] {
        assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
    }
}

fn peer(kind: ScanKind, at: &str) -> PriorScan {
    PriorScan {
        kind,
        at: ts(at),
        device_id: Some("usher-north-2".into()),
        by: Some("North Gate 2".into()),
        origin: ScanOrigin::Peer,
    }
}

#[test]
fn a_check_in_at_another_door_of_the_group_is_already_in_and_names_that_door() {
    let mut t = view(1, TicketStatus::Active);
    t.peer_scans
        .push(peer(ScanKind::CheckIn, "2026-11-28T19:29:00Z"));
    let v = decide_ticket_at(t, &ctx(Mode::Entry), EVENING);
    assert_eq!(v.verdict, VerdictKind::AlreadyCheckedIn);
    assert!(v.action.is_none(), "nothing to upload for a refused re-use");
    assert_eq!(v.previous.as_ref().unwrap().origin, ScanOrigin::Peer);
    assert!(v.detail.contains("at North Gate 2"), "{}", v.detail);
    assert!(v.detail.contains("19:29"), "{}", v.detail);
}

#[test]
fn the_servers_newer_state_wins_over_an_older_peer_scan() {
    // The server already shows a check-out made after the peer's check-in: the guest is out.
    let mut t = view(1, TicketStatus::Active);
    t.server_last_scan = Some(PriorScan {
        kind: ScanKind::CheckOut,
        at: ts("2026-11-28T19:20:00Z"),
        device_id: Some("door-9".into()),
        by: None,
        origin: ScanOrigin::Server,
    });
    t.peer_scans
        .push(peer(ScanKind::CheckIn, "2026-11-28T19:10:00Z"));
    let v = decide_ticket_at(t, &ctx(Mode::Entry), EVENING);
    assert_eq!(v.verdict, VerdictKind::Admit);
}

#[test]
fn peer_and_own_scans_are_ordered_by_door_time_whatever_their_origin() {
    // In here at 19:00, out at North Gate 2 at 19:10: a re-entry here at 19:30 is admitted.
    let mut t = view(1, TicketStatus::Active);
    t.local_pending
        .push(local(ScanKind::CheckIn, "2026-11-28T19:00:00Z"));
    t.peer_scans
        .push(peer(ScanKind::CheckOut, "2026-11-28T19:10:00Z"));
    let v = decide_ticket_at(t.clone(), &ctx(Mode::Entry), EVENING);
    assert_eq!(v.verdict, VerdictKind::Admit);
    // And the other way round: out there first, then in here: already in.
    t.local_pending[0].at = ts("2026-11-28T19:20:00Z");
    let v = decide_ticket_at(t, &ctx(Mode::Entry), EVENING);
    assert_eq!(v.verdict, VerdictKind::AlreadyCheckedIn);
    assert_eq!(v.previous.unwrap().origin, ScanOrigin::ThisDevice);
}
