//! What a verdict looks like: its class (go, stop, confirm, warn), its headline, and every
//! sentence the verdict panel, the activity list and lookup show about a scan. The window
//! and the command line only paint these; neither keeps a table of its own.
//!
//! The words live in [`Words`], held by the door and passed in, so a window can change them
//! while it runs (a test does; a language switch will).

use crate::scanlog::{ScanOutcome, Source, UploadState};
use crate::time;
use crate::verdict::{OrderVerdict, PriorScan, ScanOrigin, TicketSummary, VerdictKind};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::Serialize;
use session_api::{ScanKind, TicketStatus};
use std::collections::BTreeMap;

/// How a verdict is painted and sounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum VerdictClass {
    /// Let the guest through (an admit, or a check-out at an exit).
    Go,
    /// Do not let the guest through.
    Stop,
    /// Staff must decide: an order with some tickets already in.
    Confirm,
    /// What was scanned is not a ticket code at all.
    Warn,
}

impl VerdictClass {
    /// The class of a verdict; an order's depends on what the scan does to its tickets.
    pub fn of(kind: VerdictKind, order: Option<&OrderVerdict>) -> VerdictClass {
        match kind {
            VerdictKind::Admit | VerdictKind::CheckedOut => VerdictClass::Go,
            VerdictKind::Order => match order {
                Some(o) if o.needs_confirmation && !o.confirmed => VerdictClass::Confirm,
                Some(o) if o.admitting > 0 => VerdictClass::Go,
                _ => VerdictClass::Stop,
            },
            VerdictKind::NotATicketCode => VerdictClass::Warn,
            _ => VerdictClass::Stop,
        }
    }
}

/// Everything the verdict panel shows for one scan, in the order it shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Look {
    /// `None` only before the door has worded it.
    pub class: Option<VerdictClass>,
    /// The big word: "ADMIT", "ALREADY IN".
    pub headline: String,
    /// Who: the guest's name, or an order's first two names and "+N" for the rest.
    pub who: String,
    /// What: admission and section.
    pub what: String,
    /// The reason, when the previous-scan line does not already say it.
    pub detail: String,
    /// The line under it: the previous scan ("Checked in 19:42 by North Gate (this door)"),
    /// what was scanned, or how old the guest list is.
    pub previous: String,
    /// The small print: time, source, gate, how it was decided.
    pub meta: String,
    /// An order's tickets, one line each.
    pub order: Option<OrderLook>,
    /// The line kept once the panel fades back to ready: "Last: ADMIT · Ada Lovelace · 19:42".
    pub last: String,
}

/// An order on the verdict panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderLook {
    /// "3 tickets · 1 already in · admitting 2", or "… · 2 to admit" while staff must confirm.
    pub summary: String,
    /// One per ticket, in the order's order.
    pub lines: Vec<LineLook>,
    /// The button that admits the rest, when staff must confirm.
    pub confirm: Option<ConfirmLook>,
}

/// One ticket of an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LineLook {
    /// Go or stop, for this ticket's own verdict.
    pub class: VerdictClass,
    /// Its verdict's big word.
    pub headline: String,
    /// The holder's name, else the ticket id.
    pub who: String,
    /// The ticket's admission.
    pub what: String,
    /// The reason, empty when the ticket goes through.
    pub detail: String,
}

/// "Admit the rest (2)", and the code to scan again with confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfirmLook {
    /// The button's text: "Admit the rest (2)".
    pub label: String,
    /// The order id to scan again, with staff's confirmation.
    pub code: String,
}

/// The words of the door. English is the default; a headline can be changed while the
/// door runs ([`Words::set_headline`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    headlines: BTreeMap<VerdictKind, String>,
}

impl Default for Words {
    fn default() -> Words {
        Words::english()
    }
}

impl Words {
    /// The English words.
    pub fn english() -> Words {
        let headlines = VerdictKind::ALL
            .iter()
            .map(|k| (*k, english_headline(*k).to_owned()))
            .collect();
        Words { headlines }
    }

    /// Replaces the headline of one verdict.
    pub fn set_headline(&mut self, kind: VerdictKind, headline: &str) {
        self.headlines.insert(kind, headline.to_owned());
    }

    /// The big word for a verdict.
    pub fn headline(&self, kind: VerdictKind) -> &str {
        self.headlines
            .get(&kind)
            .map(String::as_str)
            .unwrap_or_else(|| english_headline(kind))
    }

    /// How the door says where a code came from.
    pub fn source(&self, source: Source) -> &'static str {
        match source {
            Source::Wedge => "USB scanner",
            Source::Manual => "typed",
            Source::Camera => "camera",
        }
    }

    /// How the activity list says where a scan's upload stands.
    pub fn upload(&self, upload: UploadState) -> &'static str {
        match upload {
            UploadState::None => "no upload needed",
            UploadState::Pending => "waiting to upload",
            UploadState::Acknowledged => "uploaded",
            UploadState::Conflict => "conflict",
            UploadState::Rejected => "rejected",
        }
    }

    /// "Checked in 19:42 by Sam Lee (this door)", with the time in the event's zone.
    pub fn prior(&self, p: &PriorScan, tz: &TimeZone) -> String {
        let mut s = match p.kind {
            ScanKind::CheckOut => "Checked out".to_owned(),
            ScanKind::CheckIn => "Checked in".to_owned(),
        };
        s.push(' ');
        s.push_str(&clock_time(p.at, tz));
        if let Some(by) = p.by.as_deref().filter(|b| !b.is_empty()) {
            s.push_str(" by ");
            s.push_str(by);
        }
        match (&p.origin, p.device_id.as_deref()) {
            (ScanOrigin::ThisDevice, _) => s.push_str(" (this door)"),
            (ScanOrigin::Server, Some(device)) => s.push_str(&format!(" (device {device})")),
            (ScanOrigin::Server, None) => {}
        }
        s
    }

    /// "Guest list on this device is 12 min old".
    pub fn cache_age(&self, seconds: i64) -> String {
        format!(
            "Guest list on this device is {} old",
            time::human_age(seconds)
        )
    }

    /// Said of a scanner that fired twice: the first verdict shown again.
    pub fn same_scan(&self) -> &'static str {
        "same scan, shown again"
    }

    /// What the panel shows for `o`, with times in the event's zone `tz`.
    pub fn look(&self, o: &ScanOutcome, tz: &TimeZone) -> Look {
        let class = VerdictClass::of(o.verdict, o.order.as_ref());
        let headline = self.headline(o.verdict).to_owned();
        let who = match (&o.attendee, &o.order) {
            (Some(p), _) => p.full_name(),
            (None, Some(order)) => order_names(order),
            (None, None) => String::new(),
        };
        let what = join(&[
            o.admission.as_ref().map(|a| a.name.as_str()),
            o.section.as_ref().map(|s| s.name.as_str()),
        ]);
        let prior = o.previous.as_ref().map(|p| self.prior(p, tz));
        // "Already in" is said by the previous scan's line; the reason would repeat it.
        let detail = match (&o.verdict, &prior) {
            (VerdictKind::AlreadyCheckedIn, Some(_)) => String::new(),
            _ => o.detail.clone(),
        };
        let scanned = (!o.scanned.is_empty()).then(|| format!("Scanned: {}", o.scanned));
        let previous = match o.verdict {
            VerdictKind::NotATicketCode => prior.or(scanned).unwrap_or_default(),
            VerdictKind::NotFound => {
                let age = o.cache_age_seconds.map(|s| self.cache_age(s));
                join(&[scanned.as_deref(), prior.as_deref().or(age.as_deref())])
            }
            _ => prior.unwrap_or_default(),
        };
        let time = clock_time(o.door_time, tz);
        let decided = if o.confirmed_online {
            "confirmed with the server"
        } else {
            "decided on this device"
        };
        let list_age = o
            .cache_age_seconds
            .filter(|_| o.verdict != VerdictKind::NotFound && !o.confirmed_online)
            .map(|s| format!("guest list {} old", time::human_age(s)));
        let meta = join(&[
            Some(time.as_str()),
            Some(self.source(o.source)),
            Some(o.gate.as_str()),
            Some(decided),
            o.same_scan.then(|| self.same_scan()),
            list_age.as_deref(),
        ]);
        let order = o.order.as_ref().map(|ord| self.order(o, ord, class));
        let last = format!(
            "Last: {}",
            join(&[
                Some(headline.as_str()),
                Some(who.as_str()),
                Some(time.as_str())
            ])
        );
        Look {
            class: Some(class),
            headline,
            who,
            what,
            detail,
            previous,
            meta,
            order,
            last,
        }
    }

    fn order(&self, o: &ScanOutcome, ord: &OrderVerdict, class: VerdictClass) -> OrderLook {
        let n = ord.lines.len();
        // Waiting for staff, the scan admits nothing yet: say how many confirming would admit.
        let to_admit = ord
            .lines
            .iter()
            .filter(|l| VerdictClass::of(l.state, None) == VerdictClass::Go)
            .count();
        let acting = if class == VerdictClass::Confirm {
            format!("{to_admit} to admit")
        } else {
            format!("admitting {}", ord.admitting)
        };
        let summary = format!(
            "{n} {} · {} already in · {acting}",
            if n == 1 { "ticket" } else { "tickets" },
            ord.already_in,
        );
        let lines = ord
            .lines
            .iter()
            .map(|line| LineLook {
                class: VerdictClass::of(line.state, None),
                headline: self.headline(line.state).to_owned(),
                who: non_empty(line.ticket.attendee.full_name()).unwrap_or(line.ticket.id.clone()),
                what: line.ticket.admission.name.clone(),
                detail: line.detail.clone(),
            })
            .collect();
        let confirm = (class == VerdictClass::Confirm).then(|| ConfirmLook {
            label: format!("Admit the rest ({to_admit})"),
            code: o
                .order_id
                .clone()
                .filter(|id| id.starts_with("ord_"))
                .unwrap_or_else(|| ord.order_id.clone()),
        });
        OrderLook {
            summary,
            lines,
            confirm,
        }
    }
}

fn english_headline(kind: VerdictKind) -> &'static str {
    match kind {
        VerdictKind::Admit => "ADMIT",
        VerdictKind::AlreadyCheckedIn => "ALREADY IN",
        VerdictKind::Cancelled => "CANCELLED",
        VerdictKind::NotFound => "NOT FOUND",
        VerdictKind::WrongEvent => "WRONG EVENT",
        VerdictKind::NotForThisGate => "NOT FOR THIS GATE",
        VerdictKind::TooEarly => "TOO EARLY",
        VerdictKind::EntryClosed => "ENTRY CLOSED",
        VerdictKind::Order => "ORDER",
        VerdictKind::CheckedOut => "CHECKED OUT",
        VerdictKind::NotCheckedIn => "NOT CHECKED IN",
        VerdictKind::NotATicketCode => "NOT A TICKET",
    }
}

/// "19:42", in the event's zone.
fn clock_time(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned(tz.clone()).strftime("%H:%M").to_string()
}

/// An order's first two names, then "+N".
fn order_names(order: &OrderVerdict) -> String {
    let mut names: Vec<String> = Vec::new();
    for line in &order.lines {
        let name = line.ticket.attendee.full_name();
        if !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
    }
    let more = names.len().saturating_sub(2);
    names.truncate(2);
    let mut s = names.join(", ");
    if more > 0 {
        s.push_str(&format!(" +{more}"));
    }
    s
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

/// The present parts, joined by " · ".
fn join(parts: &[Option<&str>]) -> String {
    parts
        .iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Where a guest found by lookup is, for its badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Presence {
    /// Checked in and not out again.
    Inside,
    /// Not in yet.
    Waiting,
    /// Checked out.
    Out,
    /// The ticket was cancelled.
    Cancelled,
}

/// A lookup result's badge and last-scan line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HitLook {
    /// The guest's name ("(no name)" when the ticket has none).
    pub who: String,
    /// Admission and section: "General · Balcony".
    pub what: String,
    /// Where the guest is: inside, not in yet, out or cancelled.
    pub presence: Presence,
    /// "Inside", "Not in yet".
    pub badge: String,
    /// "Checked in 19:42 by North Gate (this door)", or "Never scanned".
    pub last: String,
}

/// One activity row's class and words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RowLook {
    /// Go, stop, confirm or warn, as for the verdict panel.
    pub class: VerdictClass,
    /// The verdict's big word.
    pub headline: String,
    /// "19:42", in the event's zone.
    pub time: String,
    /// "USB scanner · check-in".
    pub how: String,
    /// "waiting to upload".
    pub upload: String,
    /// For a conflict or rejection: "Conflict · 19:42 · Ada Lovelace".
    pub problem_head: Option<String>,
}

impl Words {
    /// The badge and last-scan line of a guest found by lookup.
    pub fn hit(
        &self,
        ticket: &TicketSummary,
        status: TicketStatus,
        inside: bool,
        last: Option<&PriorScan>,
        tz: &TimeZone,
    ) -> HitLook {
        let (presence, badge) = match (status, inside) {
            (TicketStatus::Cancelled, _) => (Presence::Cancelled, "Cancelled"),
            (_, true) => (Presence::Inside, "Inside"),
            (TicketStatus::Redeemed, false) => (Presence::Out, "Checked out"),
            (TicketStatus::Active, false) => (Presence::Waiting, "Not in yet"),
        };
        HitLook {
            who: non_empty(ticket.attendee.full_name()).unwrap_or_else(|| "(no name)".into()),
            what: join(&[
                Some(ticket.admission.name.as_str()),
                ticket.section.as_ref().map(|s| s.name.as_str()),
            ]),
            presence,
            badge: badge.to_owned(),
            last: last.map_or_else(|| "Never scanned".to_owned(), |p| self.prior(p, tz)),
        }
    }

    /// An activity row's words.
    pub fn row(&self, row: RowFacts<'_>, tz: &TimeZone) -> RowLook {
        let time = clock_time(row.door_time, tz);
        let action = match row.action {
            Some(ScanKind::CheckIn) => Some("check-in"),
            Some(ScanKind::CheckOut) => Some("check-out"),
            None => None,
        };
        let problem = match row.upload {
            UploadState::Conflict => Some("Conflict"),
            UploadState::Rejected => Some("Rejected"),
            _ => None,
        };
        RowLook {
            class: VerdictClass::of(row.verdict, row.order),
            headline: self.headline(row.verdict).to_owned(),
            how: join(&[Some(self.source(row.source)), action]),
            upload: self.upload(row.upload).to_owned(),
            problem_head: problem.map(|p| join(&[Some(p), Some(time.as_str()), Some(row.who)])),
            time,
        }
    }
}

/// What an activity row's words are made from.
pub struct RowFacts<'a> {
    /// The verdict shown at the door (the server's, when it answered online).
    pub verdict: VerdictKind,
    /// An order's lines and counts: its class depends on them.
    pub order: Option<&'a OrderVerdict>,
    /// When the door took the scan.
    pub door_time: Timestamp,
    /// Which input the scan came from.
    pub source: Source,
    /// What the scan uploads; None for a refusal.
    pub action: Option<ScanKind>,
    /// Where the scan stands with the server.
    pub upload: UploadState,
    /// The guest's name, else the ticket id.
    pub who: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::{Named, OrderLine, Person, TicketSummary};

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn london() -> TimeZone {
        TimeZone::get("Europe/London").unwrap()
    }

    fn outcome(verdict: VerdictKind) -> ScanOutcome {
        ScanOutcome {
            scan_id: "s1".into(),
            scanned: "tkt_x".into(),
            verdict,
            detail: "the reason".into(),
            ticket_id: Some("tkt_x".into()),
            order_id: None,
            attendee: Some(Person {
                first_name: "Ada".into(),
                last_name: "Lovelace".into(),
            }),
            admission: Some(Named {
                id: "adm".into(),
                name: "General".into(),
            }),
            section: None,
            previous: None,
            order: None,
            cache_age_seconds: Some(720),
            door_time: at("2026-07-01T18:42:00Z"),
            source: Source::Wedge,
            gate: "North Gate".into(),
            upload: UploadState::Pending,
            confirmed_online: false,
            same_scan: false,
            look: Look::default(),
        }
    }

    fn line(first: &str, state: VerdictKind) -> OrderLine {
        OrderLine {
            ticket: TicketSummary {
                id: format!("tkt_{first}"),
                order_id: "ord_1".into(),
                attendee: Person {
                    first_name: first.into(),
                    last_name: "Guest".into(),
                },
                admission: Named {
                    id: "adm".into(),
                    name: "General".into(),
                },
                section: None,
            },
            state,
            detail: String::new(),
        }
    }

    #[test]
    fn an_admit_is_go_with_its_time_in_the_event_zone_and_how_it_was_decided() {
        let look = Words::english().look(&outcome(VerdictKind::Admit), &london());
        assert_eq!(look.class, Some(VerdictClass::Go));
        assert_eq!(
            (look.headline.as_str(), look.who.as_str()),
            ("ADMIT", "Ada Lovelace")
        );
        // 18:42 UTC is 19:42 in London in July.
        assert_eq!(
            look.meta,
            "19:42 · USB scanner · North Gate · decided on this device · guest list 12 min old"
        );
        assert_eq!(look.last, "Last: ADMIT · Ada Lovelace · 19:42");
    }

    #[test]
    fn already_in_says_the_previous_scan_instead_of_repeating_the_reason() {
        let mut o = outcome(VerdictKind::AlreadyCheckedIn);
        o.previous = Some(PriorScan {
            kind: ScanKind::CheckIn,
            at: at("2026-07-01T18:30:00Z"),
            device_id: Some("door-2".into()),
            by: Some("Sam Lee".into()),
            origin: ScanOrigin::Server,
        });
        let look = Words::english().look(&o, &london());
        assert_eq!(look.class, Some(VerdictClass::Stop));
        assert_eq!(look.headline, "ALREADY IN");
        assert_eq!(look.detail, "");
        assert_eq!(look.previous, "Checked in 19:30 by Sam Lee (device door-2)");
    }

    #[test]
    fn not_found_shows_what_was_scanned_and_how_old_the_guest_list_is() {
        let look = Words::english().look(&outcome(VerdictKind::NotFound), &london());
        assert_eq!(
            look.previous,
            "Scanned: tkt_x · Guest list on this device is 12 min old"
        );
        assert!(
            !look.meta.contains("guest list"),
            "said once: {}",
            look.meta
        );
        let junk = Words::english().look(&outcome(VerdictKind::NotATicketCode), &london());
        assert_eq!(junk.class, Some(VerdictClass::Warn));
        assert_eq!(junk.previous, "Scanned: tkt_x");
    }

    #[test]
    fn an_order_to_confirm_is_confirm_with_a_button_and_one_line_per_ticket() {
        let mut o = outcome(VerdictKind::Order);
        o.attendee = None;
        o.order_id = Some("ord_1".into());
        let mut order = OrderVerdict {
            order_id: "ord_1".into(),
            lines: vec![
                line("Ann", VerdictKind::AlreadyCheckedIn),
                line("Bob", VerdictKind::Admit),
                line("Cy", VerdictKind::Admit),
            ],
            already_in: 1,
            // Before staff confirm, the scan admits nothing yet (`verdict::decide`).
            admitting: 0,
            needs_confirmation: true,
            confirmed: false,
        };
        o.order = Some(order.clone());
        let look = Words::english().look(&o, &london());
        assert_eq!(look.class, Some(VerdictClass::Confirm));
        assert_eq!(look.who, "Ann Guest, Bob Guest +1");
        let ord = look.order.unwrap();
        assert_eq!(ord.summary, "3 tickets · 1 already in · 2 to admit");
        let classes: Vec<_> = ord
            .lines
            .iter()
            .map(|l| (l.class, l.headline.as_str()))
            .collect();
        assert_eq!(
            classes,
            [
                (VerdictClass::Stop, "ALREADY IN"),
                (VerdictClass::Go, "ADMIT"),
                (VerdictClass::Go, "ADMIT")
            ]
        );
        let confirm = ord.confirm.unwrap();
        assert_eq!(
            (confirm.label.as_str(), confirm.code.as_str()),
            ("Admit the rest (2)", "ord_1")
        );

        order.confirmed = true;
        order.admitting = 2;
        assert_eq!(
            VerdictClass::of(VerdictKind::Order, Some(&order)),
            VerdictClass::Go
        );
        o.order = Some(order.clone());
        let done = Words::english().look(&o, &london()).order.unwrap();
        assert_eq!(done.summary, "3 tickets · 1 already in · admitting 2");
        assert_eq!(done.confirm, None);
        order.admitting = 0;
        assert_eq!(
            VerdictClass::of(VerdictKind::Order, Some(&order)),
            VerdictClass::Stop
        );
    }

    #[test]
    fn a_changed_headline_is_the_one_every_look_uses() {
        let mut words = Words::english();
        words.set_headline(VerdictKind::Admit, "COME IN");
        let look = words.look(&outcome(VerdictKind::Admit), &london());
        assert_eq!(look.headline, "COME IN");
        assert!(look.last.starts_with("Last: COME IN"));
    }

    #[test]
    fn a_lookup_badge_follows_status_then_presence() {
        let w = Words::english();
        let tz = london();
        let ticket = line("Ann", VerdictKind::Admit).ticket;
        let hit = |status, inside| w.hit(&ticket, status, inside, None, &tz);
        assert_eq!(
            hit(TicketStatus::Cancelled, true).presence,
            Presence::Cancelled
        );
        let inside = hit(TicketStatus::Active, true);
        assert_eq!(
            (
                inside.badge.as_str(),
                inside.who.as_str(),
                inside.what.as_str()
            ),
            ("Inside", "Ann Guest", "General")
        );
        assert_eq!(hit(TicketStatus::Redeemed, false).presence, Presence::Out);
        let waiting = hit(TicketStatus::Active, false);
        assert_eq!(
            (waiting.badge.as_str(), waiting.last.as_str()),
            ("Not in yet", "Never scanned")
        );
    }
}
