//! **Decide**: the verdict engine. A pure function of the parsed code, the gate profile, the
//! time, and the cache's view of the ticket or order (server state plus this device's scans
//! not yet acknowledged).
//!
//! **Architecture invariant:** nothing here does I/O or reads a clock. Every input is an
//! argument, so every verdict is reproducible in a unit test.

use crate::code::{KeyKind, NotATicketCode, TicketKey};
use crate::gate::{GateMiss, GateProfile, Mode};
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use session_api::{ScanKind, TicketStatus};
use std::collections::HashMap;

/// The verdict names, exactly as the JSON output and the UI use them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VerdictKind {
    /// Entry: the ticket is valid here and now, and this scan checks it in.
    Admit,
    /// Entry: the holder is already inside (the server's state, then this device's pending scans).
    AlreadyCheckedIn,
    /// The ticket was cancelled (refunded); checked before the gate and the entry window.
    Cancelled,
    /// No ticket or order on the guest list has this key, or only tickets a complete download no
    /// longer found (gone).
    NotFound,
    /// The ticket, or every ticket of the order, belongs to another event than this door's.
    WrongEvent,
    /// The gate's admission or section filter leaves this ticket out.
    NotForThisGate,
    /// Entry: the entry window (the admission's, else the event's) has not opened yet.
    TooEarly,
    /// Entry: the entry window has closed.
    EntryClosed,
    /// An order code: each of its tickets has its own state in [`Verdict::order`].
    Order,
    /// Exit: the holder was inside, and this scan checks them out.
    CheckedOut,
    /// Exit: the holder is not inside, so there is nothing to check out.
    NotCheckedIn,
    /// The scanned text holds no ticket or order code.
    NotATicketCode,
}

impl VerdictKind {
    /// Every verdict, in declaration order.
    pub const ALL: [VerdictKind; 12] = [
        VerdictKind::Admit,
        VerdictKind::AlreadyCheckedIn,
        VerdictKind::Cancelled,
        VerdictKind::NotFound,
        VerdictKind::WrongEvent,
        VerdictKind::NotForThisGate,
        VerdictKind::TooEarly,
        VerdictKind::EntryClosed,
        VerdictKind::Order,
        VerdictKind::CheckedOut,
        VerdictKind::NotCheckedIn,
        VerdictKind::NotATicketCode,
    ];

    /// The name as the JSON output and the UI write it, e.g. `ALREADY_CHECKED_IN`.
    pub fn as_str(self) -> &'static str {
        match self {
            VerdictKind::Admit => "ADMIT",
            VerdictKind::AlreadyCheckedIn => "ALREADY_CHECKED_IN",
            VerdictKind::Cancelled => "CANCELLED",
            VerdictKind::NotFound => "NOT_FOUND",
            VerdictKind::WrongEvent => "WRONG_EVENT",
            VerdictKind::NotForThisGate => "NOT_FOR_THIS_GATE",
            VerdictKind::TooEarly => "TOO_EARLY",
            VerdictKind::EntryClosed => "ENTRY_CLOSED",
            VerdictKind::Order => "ORDER",
            VerdictKind::CheckedOut => "CHECKED_OUT",
            VerdictKind::NotCheckedIn => "NOT_CHECKED_IN",
            VerdictKind::NotATicketCode => "NOT_A_TICKET_CODE",
        }
    }
}

/// A naive wall-clock entry window, read in the event's time zone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EntryWindow {
    /// Entry opens at this time (inclusive); None: open from any time.
    pub starts: Option<DateTime>,
    /// Entry closes at this time (exclusive); None: never closes.
    pub ends: Option<DateTime>,
}

impl EntryWindow {
    /// Each bound falls back to `outer`'s (the event's) when this one (the admission's) has none.
    pub fn or(self, outer: EntryWindow) -> EntryWindow {
        EntryWindow {
            starts: self.starts.or(outer.starts),
            ends: self.ends.or(outer.ends),
        }
    }
}

/// What the door knows about the configured event, loaded once per session.
#[derive(Debug, Clone)]
pub struct DoorContext {
    /// This door's gate: entry or exit, and its admission and section filters.
    pub gate: GateProfile,
    /// The event this device is set up for; a ticket of another event is WRONG_EVENT.
    pub event_id: String,
    /// The event's IANA time zone: entry windows are read and times are shown in it.
    pub time_zone: TimeZone,
    /// The event's own entry window, the fallback for admissions without one.
    pub event_window: EntryWindow,
    /// Admission id → its entry window.
    pub admission_windows: HashMap<String, EntryWindow>,
    /// When the cache last received the whole event.
    pub cache_synced: Option<Timestamp>,
}

/// Where a previous scan was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ScanOrigin {
    /// Known to Session Services (another device, or one of ours already acknowledged).
    Server,
    /// Made on this device and not yet acknowledged by the server.
    ThisDevice,
    /// Made at another door of this door's group, and not yet part of the server's state
    /// here (`usher_core::peers`); `by` is that door's gate name.
    Peer,
}

/// A scan made before this one: when, where and by whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PriorScan {
    /// Check-in or check-out.
    pub kind: ScanKind,
    /// The server's time of its last scan, or this device's door time.
    #[serde(serialize_with = "crate::time::ser_ts")]
    pub at: Timestamp,
    /// The device that scanned, when known.
    pub device_id: Option<String>,
    /// A person for server scans, the gate's name for this device's scans.
    pub by: Option<String>,
    /// Whether the server knows of it, or it is this device's and not yet acknowledged.
    pub origin: ScanOrigin,
}

/// The cache's view of one ticket, with this device's unacknowledged scans in door order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketView {
    /// What the door shows about the ticket.
    pub summary: TicketSummary,
    /// The event the ticket belongs to.
    pub event_id: String,
    /// The server's status as last downloaded (ACTIVE, REDEEMED, CANCELLED, …).
    pub status: TicketStatus,
    /// The last scan the server reported for the ticket; None if it reported none.
    pub server_last_scan: Option<PriorScan>,
    /// This device's scans of it that the server has not acknowledged, in door order.
    pub local_pending: Vec<PriorScan>,
    /// Other doors' scans of it that still count (`peers::peer_scans_of`), in door-time order.
    pub peer_scans: Vec<PriorScan>,
}

/// What the door shows about a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TicketSummary {
    /// The ticket's id (`tkt_…`).
    pub id: String,
    /// The order it was bought in (`ord_…`).
    pub order_id: String,
    /// The holder's name.
    pub attendee: Person,
    /// The ticket's admission (its ticket type).
    pub admission: Named,
    /// The ticket's section; None when it has none.
    pub section: Option<Named>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
/// Who holds a ticket, as the door shows it: the name only. A guest's email and phone are
/// for lookup ([`crate::lookup::Contact`]); they never reach a verdict, a scan-log row or an
/// event to the page.
pub struct Person {
    /// As the server has it; may be empty.
    pub first_name: String,
    /// As the server has it; may be empty.
    pub last_name: String,
}

impl Person {
    /// First and last name with one space between, trimmed when either is empty.
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
            .trim()
            .to_string()
    }
}

/// An id with the name staff see (an admission or a section).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    /// The server's id.
    pub id: String,
    /// The name shown; the id itself when the cache has no name for it.
    pub name: String,
}

impl TicketView {
    /// Whether the holder is inside now: the server's state, then each of this device's
    /// unacknowledged scans in door order. `Some(scan)` names the scan that let them in.
    pub fn presence(&self) -> (bool, Option<&PriorScan>) {
        let mut inside = self.status == TicketStatus::Redeemed;
        let mut last = self.server_last_scan.as_ref();
        // Other doors' scans the server's state does not show yet, and this device's own
        // unacknowledged ones, in door-time order; a peer scan no newer than the server's
        // last scan is already part of it (or was overtaken): the server wins.
        let server_at = self.server_last_scan.as_ref().map(|p| p.at);
        let mut merged: Vec<&PriorScan> = self
            .peer_scans
            .iter()
            .filter(|p| server_at.is_none_or(|at| p.at > at))
            .chain(&self.local_pending)
            .collect();
        merged.sort_by_key(|p| p.at);
        for scan in merged {
            inside = scan.kind == ScanKind::CheckIn;
            last = Some(scan);
        }
        (inside, last)
    }
}

/// What the cache holds for a key.
#[derive(Debug, Clone)]
pub enum Found {
    /// One ticket on the guest list.
    Ticket(Box<TicketView>),
    /// The order's tickets (never empty).
    Order(Vec<TicketView>),
    /// Nothing in the cache has this key.
    Missing,
    /// Only tickets a complete download no longer found on the guest list.
    Gone,
}

/// What a recorded scan will upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Action {
    /// Check-in at an entry gate, check-out at an exit.
    pub kind: ScanKind,
    /// The check-in key: the ticket id, or the order id for an order.
    pub key: String,
    /// The tickets this scan lets in (or out).
    pub ticket_ids: Vec<String>,
    /// Order only: confirm that some of its tickets are already in.
    pub allow_partial: bool,
}

/// One ticket of an order, with what this scan does to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderLine {
    /// The ticket as the door shows it.
    pub ticket: TicketSummary,
    /// This ticket's own verdict at this gate; ADMIT or CHECKED_OUT: it may go through.
    pub state: VerdictKind,
    /// Why, in plain English words; empty when the ticket may go through.
    pub detail: String,
    /// Why, as facts the door words in its language (`look`); not kept in the scan log.
    #[serde(skip)]
    pub reason: Reason,
}

/// Why a verdict is what it is, as facts, so the door can word it in any language
/// (`crate::look::Words::reason`). `detail` keeps the English sentence for the scan log.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Reason {
    /// No facts: `detail` is shown as it is (the server's words, a ticket that goes through).
    #[default]
    AsSaid,
    /// What was scanned holds no ticket code.
    NotACode(NotATicketCode),
    /// The code is not on the guest list (or no longer: `gone`); the list's age, if any.
    NotFound {
        /// An order code, not a ticket code.
        order: bool,
        /// A complete download no longer found it.
        gone: bool,
        /// How old the guest list is; None: never downloaded.
        age_seconds: Option<i64>,
    },
    /// The ticket (or every ticket of the order) is for another event.
    WrongEvent {
        /// An order code, not a ticket code.
        order: bool,
        /// The event it is for.
        event_id: String,
    },
    /// The ticket was cancelled.
    Cancelled,
    /// The ticket's admission does not enter at this gate.
    AdmissionNotHere {
        /// The admission's name.
        admission: String,
        /// The gate's name.
        gate: String,
    },
    /// The ticket's section does not enter at this gate.
    SectionNotHere {
        /// The section's name, if the ticket has one.
        section: Option<String>,
        /// The gate's name.
        gate: String,
    },
    /// Already inside; the scan that let the guest in, when known.
    AlreadyIn(Option<PriorScan>),
    /// Entry opens at this instant.
    Opens(Timestamp),
    /// Entry closed at this instant.
    Closed(Timestamp),
    /// At an exit: the ticket is not inside.
    NotCheckedIn,
    /// An order: its counts and what this scan does.
    Order {
        /// Its tickets on the guest list.
        tickets: usize,
        /// How many were inside before.
        already_in: usize,
        /// How many this scan admits or checks out (or would, once confirmed).
        admitting: usize,
        /// The gate's direction.
        mode: Mode,
        /// Nothing to do, waiting for staff, or going ahead.
        step: OrderStep,
    },
}

/// What an order scan does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderStep {
    /// No ticket of it can go through.
    Nothing,
    /// Some are in: staff must confirm the rest.
    Confirm,
    /// The rest go through.
    Acting,
}

/// The door's answer for an order code: a line per ticket and the counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderVerdict {
    /// The order's id (`ord_…`).
    pub order_id: String,
    /// The order's tickets still on the guest list, by last name, first name and id.
    pub lines: Vec<OrderLine>,
    /// How many of its tickets were inside before this scan.
    pub already_in: usize,
    /// How many tickets this scan admits (or, at an exit, checks out).
    pub admitting: usize,
    /// Some are already in: staff must confirm before the rest are admitted.
    pub needs_confirmation: bool,
    /// Staff confirmed a partly used order (only ever true when confirmation was needed).
    pub confirmed: bool,
}

/// The door's answer to one scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    /// The verdict name; ORDER for an order code, with each ticket's state in `order`.
    pub verdict: VerdictKind,
    /// The reason or details in plain English words, as the scan log keeps them.
    pub detail: String,
    /// The reason as facts, worded by the door in its language (`crate::look`).
    #[serde(skip)]
    pub reason: Reason,
    /// The scanned ticket or order id; None when no code was found.
    pub key: Option<String>,
    /// The ticket, when a ticket code was found on the guest list; None for an order.
    pub ticket: Option<TicketSummary>,
    /// The lines and counts, for an order code.
    pub order: Option<OrderVerdict>,
    /// The ticket's last scan, for ALREADY_CHECKED_IN and NOT_CHECKED_IN.
    pub previous: Option<PriorScan>,
    /// NOT_FOUND: how old the cache is, in seconds (None: never synced).
    pub cache_age_seconds: Option<i64>,
    /// What will be uploaded; None for a refusal.
    pub action: Option<Action>,
}

impl Verdict {
    fn bare(verdict: VerdictKind, detail: String, key: Option<String>) -> Verdict {
        Verdict {
            verdict,
            detail,
            reason: Reason::AsSaid,
            key,
            ticket: None,
            order: None,
            previous: None,
            cache_age_seconds: None,
            action: None,
        }
    }
}

/// Decides one scan. `confirm` is staff's confirmation of a partly used order.
pub fn decide(
    parsed: Result<TicketKey, NotATicketCode>,
    found: Found,
    ctx: &DoorContext,
    now: Timestamp,
    confirm: bool,
) -> Verdict {
    let key = match parsed {
        Ok(key) => key,
        Err(why) => {
            let mut v = Verdict::bare(VerdictKind::NotATicketCode, why.to_string(), None);
            v.reason = Reason::NotACode(why);
            return v;
        }
    };
    match found {
        Found::Missing | Found::Gone => {
            let gone = matches!(found, Found::Gone);
            let age = ctx.cache_synced.map(|t| (now - t).get_seconds().max(0));
            let what = match key.kind() {
                KeyKind::Ticket => "ticket",
                KeyKind::Order => "order",
            };
            let detail = match (gone, age) {
                (true, Some(s)) => format!(
                    "This {what} is no longer on the guest list (downloaded {} ago).",
                    crate::time::human_age(s)
                ),
                (true, None) => format!("This {what} is no longer on the guest list."),
                (_, Some(s)) => format!(
                    "This {what} is not in the guest list downloaded {} ago.",
                    crate::time::human_age(s)
                ),
                (_, None) => {
                    format!("This {what} is not in the guest list, which was never downloaded.")
                }
            };
            let mut v = Verdict::bare(VerdictKind::NotFound, detail, Some(key.to_string()));
            v.cache_age_seconds = age;
            v.reason = Reason::NotFound {
                order: key.kind() == KeyKind::Order,
                gone,
                age_seconds: age,
            };
            v
        }
        Found::Ticket(view) => decide_ticket(key, *view, ctx, now),
        Found::Order(views) => decide_order(key, views, ctx, now, confirm),
    }
}

/// The verdict for one ticket, without recording anything.
struct Line {
    state: VerdictKind,
    detail: String,
    reason: Reason,
    previous: Option<PriorScan>,
}

fn judge(view: &TicketView, ctx: &DoorContext, now: Timestamp) -> Line {
    let line = |state, detail: String, reason| Line {
        state,
        detail,
        reason,
        previous: None,
    };
    if view.event_id != ctx.event_id {
        return line(
            VerdictKind::WrongEvent,
            format!("This ticket is for another event ({}).", view.event_id),
            Reason::WrongEvent {
                order: false,
                event_id: view.event_id.clone(),
            },
        );
    }
    if view.status == TicketStatus::Cancelled {
        return line(
            VerdictKind::Cancelled,
            "This ticket was cancelled.".into(),
            Reason::Cancelled,
        );
    }
    let s = &view.summary;
    if let Err(miss) = ctx
        .gate
        .check(&s.admission.id, s.section.as_ref().map(|n| n.id.as_str()))
    {
        let (detail, reason) = match miss {
            GateMiss::Admission => (
                format!(
                    "{} tickets do not enter at {}.",
                    s.admission.name, ctx.gate.name
                ),
                Reason::AdmissionNotHere {
                    admission: s.admission.name.clone(),
                    gate: ctx.gate.name.clone(),
                },
            ),
            GateMiss::Section => (
                format!(
                    "Section {} does not enter at {}.",
                    s.section.as_ref().map_or("(none)", |n| n.name.as_str()),
                    ctx.gate.name
                ),
                Reason::SectionNotHere {
                    section: s.section.as_ref().map(|n| n.name.clone()),
                    gate: ctx.gate.name.clone(),
                },
            ),
        };
        return line(VerdictKind::NotForThisGate, detail, reason);
    }
    let (inside, last) = view.presence();
    match ctx.gate.mode {
        Mode::Entry if inside => Line {
            state: VerdictKind::AlreadyCheckedIn,
            detail: match last {
                Some(p) => format!("Already checked in {}.", describe(p, &ctx.time_zone)),
                None => "Already checked in.".into(),
            },
            reason: Reason::AlreadyIn(last.cloned()),
            previous: last.cloned(),
        },
        Mode::Entry => {
            let window = ctx
                .admission_windows
                .get(&s.admission.id)
                .copied()
                .unwrap_or_default()
                .or(ctx.event_window);
            match crate::time::window_state(window, &ctx.time_zone, now) {
                crate::time::WindowState::Open => {
                    line(VerdictKind::Admit, String::new(), Reason::AsSaid)
                }
                crate::time::WindowState::Opens(at) => line(
                    VerdictKind::TooEarly,
                    format!("Entry opens {}.", crate::time::local(at, &ctx.time_zone)),
                    Reason::Opens(at),
                ),
                crate::time::WindowState::Closed(at) => line(
                    VerdictKind::EntryClosed,
                    format!("Entry closed {}.", crate::time::local(at, &ctx.time_zone)),
                    Reason::Closed(at),
                ),
            }
        }
        Mode::Exit if inside => line(VerdictKind::CheckedOut, String::new(), Reason::AsSaid),
        Mode::Exit => Line {
            state: VerdictKind::NotCheckedIn,
            detail: "This ticket is not checked in.".into(),
            reason: Reason::NotCheckedIn,
            previous: last.cloned(),
        },
    }
}

fn describe(p: &PriorScan, tz: &TimeZone) -> String {
    let mut s = crate::time::local(p.at, tz);
    match p.origin {
        ScanOrigin::ThisDevice => {
            s.push_str(" on this device");
            if let Some(by) = &p.by {
                s.push_str(&format!(" ({by})"));
            }
        }
        ScanOrigin::Peer => {
            if let Some(by) = &p.by {
                s.push_str(&format!(" at {by}"));
            }
        }
        ScanOrigin::Server => {
            if let Some(by) = &p.by {
                s.push_str(&format!(" by {by}"));
            }
            if let Some(d) = &p.device_id {
                s.push_str(&format!(" at device {d}"));
            }
        }
    }
    s
}

fn kind_for(mode: Mode) -> (ScanKind, VerdictKind) {
    match mode {
        Mode::Entry => (ScanKind::CheckIn, VerdictKind::Admit),
        Mode::Exit => (ScanKind::CheckOut, VerdictKind::CheckedOut),
    }
}

fn decide_ticket(key: TicketKey, view: TicketView, ctx: &DoorContext, now: Timestamp) -> Verdict {
    let line = judge(&view, ctx, now);
    let (scan_kind, acting) = kind_for(ctx.gate.mode);
    let action = (line.state == acting).then(|| Action {
        kind: scan_kind,
        key: key.to_string(),
        ticket_ids: vec![view.summary.id.clone()],
        allow_partial: false,
    });
    Verdict {
        verdict: line.state,
        detail: line.detail,
        reason: line.reason,
        key: Some(key.to_string()),
        ticket: Some(view.summary),
        order: None,
        previous: line.previous,
        cache_age_seconds: None,
        action,
    }
}

fn decide_order(
    key: TicketKey,
    views: Vec<TicketView>,
    ctx: &DoorContext,
    now: Timestamp,
    confirm: bool,
) -> Verdict {
    let (scan_kind, acting) = kind_for(ctx.gate.mode);
    let lines: Vec<OrderLine> = views
        .iter()
        .map(|v| {
            let l = judge(v, ctx, now);
            OrderLine {
                ticket: v.summary.clone(),
                state: l.state,
                detail: l.detail,
                reason: l.reason,
            }
        })
        .collect();
    if lines.iter().all(|l| l.state == VerdictKind::WrongEvent) {
        let detail = lines[0].detail.replace("ticket", "order");
        let mut v = Verdict::bare(VerdictKind::WrongEvent, detail, Some(key.to_string()));
        v.reason = match &lines[0].reason {
            Reason::WrongEvent { event_id, .. } => Reason::WrongEvent {
                order: true,
                event_id: event_id.clone(),
            },
            other => other.clone(),
        };
        return v;
    }
    let already_in = views.iter().filter(|v| v.presence().0).count();
    let acting_ids: Vec<String> = lines
        .iter()
        .filter(|l| l.state == acting)
        .map(|l| l.ticket.id.clone())
        .collect();
    let admitting = acting_ids.len();
    let needs_confirmation = ctx.gate.mode == Mode::Entry && already_in > 0 && admitting > 0;
    let proceed = admitting > 0 && (!needs_confirmation || confirm);
    let verb = match ctx.gate.mode {
        Mode::Entry => "admitting",
        Mode::Exit => "checking out",
    };
    let detail = if admitting == 0 {
        format!(
            "Order of {}: {} already in, nothing to {}.",
            lines.len(),
            already_in,
            match ctx.gate.mode {
                Mode::Entry => "admit",
                Mode::Exit => "check out",
            }
        )
    } else if needs_confirmation && !confirm {
        format!(
            "Order of {}: {already_in} already in. Confirm to admit the other {admitting}.",
            lines.len()
        )
    } else {
        format!(
            "Order of {}: {already_in} already in, {verb} {admitting}.",
            lines.len()
        )
    };
    let action = proceed.then(|| Action {
        kind: scan_kind,
        key: key.to_string(),
        ticket_ids: acting_ids,
        allow_partial: needs_confirmation,
    });
    let step = if admitting == 0 {
        OrderStep::Nothing
    } else if needs_confirmation && !confirm {
        OrderStep::Confirm
    } else {
        OrderStep::Acting
    };
    let tickets = lines.len();
    let mut v = Verdict::bare(VerdictKind::Order, detail, Some(key.to_string()));
    v.reason = Reason::Order {
        tickets,
        already_in,
        admitting,
        mode: ctx.gate.mode,
        step,
    };
    v.order = Some(OrderVerdict {
        order_id: key.to_string(),
        lines,
        already_in,
        admitting: if proceed { admitting } else { 0 },
        needs_confirmation,
        confirmed: confirm && needs_confirmation,
    });
    v.action = action;
    v
}

#[cfg(test)]
#[path = "verdict_tests.rs"]
mod tests;
