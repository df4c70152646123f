//! What a verdict looks like: its class (go, stop, confirm, warn), its headline, and every
//! sentence the verdict panel, the activity list and lookup show about a scan. The window
//! and the command line only paint these; neither keeps a table of its own.
//!
//! The words live in [`Words`], held by the door and passed in, so a window can change them
//! while it runs (a test does; a language switch will).

use crate::code::NotATicketCode;
use crate::gate::Mode;
use crate::i18n::{Arg, Catalog, Language};
use crate::scanlog::{ScanOutcome, Source, UploadState};
use crate::verdict::{
    OrderStep, OrderVerdict, PriorScan, Reason, ScanOrigin, TicketSummary, VerdictKind,
};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::Serialize;
use session_api::{ScanKind, TicketStatus};
use std::collections::BTreeMap;
use std::sync::Arc;

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

/// The words of the door, in one language (its Fluent [`Catalog`], `crate::i18n`). English
/// is the default; one headline can be replaced while the door runs
/// ([`Words::set_headline`]: it overrides that one message).
#[derive(Debug, Clone)]
pub struct Words {
    catalog: Arc<Catalog>,
    headlines: BTreeMap<VerdictKind, String>,
}

impl PartialEq for Words {
    fn eq(&self, other: &Words) -> bool {
        self.language() == other.language() && self.headlines == other.headlines
    }
}

impl Eq for Words {}

impl Default for Words {
    fn default() -> Words {
        Words::english()
    }
}

/// A Fluent string argument.
fn s(v: &str) -> Arg<'_> {
    Arg::from(v)
}

/// A Fluent number argument (counts: plurals and the language's grouping).
fn n(v: impl Into<f64>) -> Arg<'static> {
    Arg::from(v.into())
}

/// A Fluent yes/no selector.
fn yes(b: bool) -> Arg<'static> {
    Arg::from(if b { "yes" } else { "no" })
}

impl Words {
    /// The English words.
    pub fn english() -> Words {
        Words::of(Language::English)
    }

    /// The words of `language`, from its catalog.
    pub fn of(language: Language) -> Words {
        Words {
            catalog: Catalog::of(language),
            headlines: BTreeMap::new(),
        }
    }

    /// The language these words are in.
    pub fn language(&self) -> Language {
        self.catalog.language()
    }

    /// The catalog behind these words: any other message of the language
    /// (`catalog().text("id", &[])`).
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Message `id` of this language with `args` (see [`Catalog::text`]).
    pub fn text(&self, id: &str, args: &[(&str, Arg<'_>)]) -> String {
        self.catalog.text(id, args)
    }

    /// What is said (an error's [`crate::i18n::Said`], from its `said()`), in these words.
    pub fn say(&self, said: &crate::i18n::Said) -> String {
        said.in_words(&self.catalog)
    }

    /// The camera's state for door staff (`camera-STATE`, e.g. `camera-LIVE`), with the
    /// system's words as `$why` for FAILED; `english` for a state no catalog has.
    pub fn camera(&self, state: &str, why: Option<&str>, english: &str) -> String {
        let id = format!("camera-{state}");
        if !self.catalog.has(&id) && !Catalog::of(Language::English).has(&id) {
            return english.to_owned();
        }
        self.text(&id, &[("why", s(why.unwrap_or("")))])
    }

    /// Replaces the headline of one verdict.
    pub fn set_headline(&mut self, kind: VerdictKind, headline: &str) {
        self.headlines.insert(kind, headline.to_owned());
    }

    /// The big word for a verdict.
    pub fn headline(&self, kind: VerdictKind) -> String {
        match self.headlines.get(&kind) {
            Some(h) => h.clone(),
            None => self.text(&format!("headline-{}", kind.as_str()), &[]),
        }
    }

    /// How the door says where a code came from.
    pub fn source(&self, source: Source) -> String {
        let id = match source {
            Source::Wedge => "source-WEDGE",
            Source::Manual => "source-MANUAL",
            Source::Camera => "source-CAMERA",
        };
        self.text(id, &[])
    }

    /// How the activity list says where a scan's upload stands.
    pub fn upload(&self, upload: UploadState) -> String {
        let id = match upload {
            UploadState::None => "upload-NONE",
            UploadState::Pending => "upload-PENDING",
            UploadState::Acknowledged => "upload-ACKNOWLEDGED",
            UploadState::Conflict => "upload-CONFLICT",
            UploadState::Rejected => "upload-REJECTED",
        };
        self.text(id, &[])
    }

    /// "45 s", "12 min", "3 h 05 min", "2 days", in this language.
    pub fn age(&self, seconds: i64) -> String {
        let sec = seconds.max(0);
        match sec {
            x if x < 60 => self.text("age-seconds", &[("n", n(x as f64))]),
            x if x < 3600 => self.text("age-minutes", &[("n", n((x / 60) as f64))]),
            x if x < 86_400 => self.text(
                "age-hours",
                &[
                    ("h", n((x / 3600) as f64)),
                    ("m", Arg::from(format!("{:02}", (x % 3600) / 60))),
                ],
            ),
            x => self.text("age-days", &[("n", n((x / 86_400) as f64))]),
        }
    }

    /// A count with this language's grouping: "1,234", "1.234".
    pub fn number(&self, count: i64) -> String {
        self.language().number(count)
    }

    /// "Checked in 19:42 by Sam Lee (this door)", with the time in the event's zone.
    pub fn prior(&self, p: &PriorScan, tz: &TimeZone) -> String {
        let kind = match p.kind {
            ScanKind::CheckOut => "out",
            ScanKind::CheckIn => "in",
        };
        let time = self.clock_time(p.at, tz);
        let mut parts = vec![self.text("prior", &[("kind", s(kind)), ("time", s(&time))])];
        match p.by.as_deref().filter(|b| !b.is_empty()) {
            Some(door) if p.origin == ScanOrigin::Peer => {
                parts.push(self.text("prior-at-door", &[("door", s(door))]))
            }
            Some(by) => parts.push(self.text("prior-by", &[("by", s(by))])),
            None => {}
        }
        match (&p.origin, p.device_id.as_deref()) {
            (ScanOrigin::ThisDevice, _) => parts.push(self.text("prior-this-door", &[])),
            (ScanOrigin::Server, Some(device)) => {
                parts.push(self.text("prior-device", &[("device", s(device))]))
            }
            (ScanOrigin::Server, None) | (ScanOrigin::Peer, _) => {}
        }
        parts.join(" ")
    }

    /// "Guest list on this device is 12 min old".
    pub fn cache_age(&self, seconds: i64) -> String {
        self.text("cache-age", &[("age", Arg::from(self.age(seconds)))])
    }

    /// Said of a scanner that fired twice: the first verdict shown again.
    pub fn same_scan(&self) -> String {
        self.text("same-scan", &[])
    }

    /// "19:42", in the event's zone.
    pub fn clock_time(&self, t: Timestamp, tz: &TimeZone) -> String {
        self.language().clock(&t.to_zoned(tz.clone()))
    }

    /// The reason for a verdict, in this language; `said` (the English sentence, or the
    /// server's words) when the reason has no facts to word.
    pub fn reason(&self, reason: &Reason, said: &str, tz: &TimeZone) -> String {
        let day_time = |t: Timestamp| self.language().day_time(&t.to_zoned(tz.clone()));
        match reason {
            Reason::AsSaid => said.to_owned(),
            Reason::NotACode(NotATicketCode::Empty) => self.text("reason-empty", &[]),
            Reason::NotACode(NotATicketCode::TooLong(bytes)) => {
                self.text("reason-too-long", &[("bytes", n(*bytes as f64))])
            }
            Reason::NotACode(NotATicketCode::NoTicketId) => self.text("reason-no-ticket-id", &[]),
            Reason::NotFound {
                order,
                gone,
                age_seconds,
            } => {
                let age = age_seconds.map_or_else(|| "none".to_owned(), |a| self.age(a));
                self.text(
                    "reason-not-found",
                    &[
                        ("order", yes(*order)),
                        ("gone", yes(*gone)),
                        ("age", Arg::from(age)),
                    ],
                )
            }
            Reason::WrongEvent { order, event_id } => self.text(
                "reason-wrong-event",
                &[("order", yes(*order)), ("event", s(event_id))],
            ),
            Reason::Cancelled => self.text("reason-cancelled", &[]),
            Reason::AdmissionNotHere { admission, gate } => self.text(
                "reason-admission-not-here",
                &[("admission", s(admission)), ("gate", s(gate))],
            ),
            Reason::SectionNotHere { section, gate } => {
                let none = self.text("reason-no-section", &[]);
                let section = section.as_deref().unwrap_or(&none);
                self.text(
                    "reason-section-not-here",
                    &[("section", s(section)), ("gate", s(gate))],
                )
            }
            Reason::AlreadyIn(None) => self.text("reason-already-in", &[]),
            Reason::AlreadyIn(Some(p)) => self.text(
                "reason-already-in-at",
                &[("previous", Arg::from(self.prior(p, tz)))],
            ),
            Reason::Opens(at) => self.text("reason-opens", &[("when", Arg::from(day_time(*at)))]),
            Reason::Closed(at) => self.text("reason-closed", &[("when", Arg::from(day_time(*at)))]),
            Reason::NotCheckedIn => self.text("reason-not-checked-in", &[]),
            Reason::Order {
                tickets,
                already_in,
                admitting,
                mode,
                step,
            } => {
                let id = match step {
                    OrderStep::Nothing => "reason-order-nothing",
                    OrderStep::Confirm => "reason-order-confirm",
                    OrderStep::Acting => "reason-order-acting",
                };
                self.text(
                    id,
                    &[
                        ("tickets", n(*tickets as f64)),
                        ("in", n(*already_in as f64)),
                        ("admitting", n(*admitting as f64)),
                        ("exit", yes(*mode == Mode::Exit)),
                    ],
                )
            }
        }
    }

    /// What the panel shows for `o`, with times in the event's zone `tz`.
    pub fn look(&self, o: &ScanOutcome, tz: &TimeZone) -> Look {
        let class = VerdictClass::of(o.verdict, o.order.as_ref());
        let headline = self.headline(o.verdict);
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
            _ => self.reason(&o.reason, &o.detail, tz),
        };
        let scanned =
            (!o.scanned.is_empty()).then(|| self.text("scanned", &[("text", s(&o.scanned))]));
        let previous = match o.verdict {
            VerdictKind::NotATicketCode => prior.or(scanned).unwrap_or_default(),
            VerdictKind::NotFound => {
                let age = o.cache_age_seconds.map(|s| self.cache_age(s));
                join(&[scanned.as_deref(), prior.as_deref().or(age.as_deref())])
            }
            _ => prior.unwrap_or_default(),
        };
        let time = self.clock_time(o.door_time, tz);
        let decided = self.text(
            if o.confirmed_online {
                "decided-online"
            } else {
                "decided-here"
            },
            &[],
        );
        let list_age = o
            .cache_age_seconds
            .filter(|_| o.verdict != VerdictKind::NotFound && !o.confirmed_online)
            .map(|secs| self.text("list-age", &[("age", Arg::from(self.age(secs)))]));
        let same = o.same_scan.then(|| self.same_scan());
        let source = self.source(o.source);
        let meta = join(&[
            Some(time.as_str()),
            Some(source.as_str()),
            Some(o.gate.as_str()),
            Some(decided.as_str()),
            same.as_deref(),
            list_age.as_deref(),
        ]);
        let order = o.order.as_ref().map(|ord| self.order(o, ord, class, tz));
        let line = join(&[
            Some(headline.as_str()),
            Some(who.as_str()),
            Some(time.as_str()),
        ]);
        let last = self.text("last", &[("line", Arg::from(line))]);
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

    fn order(
        &self,
        o: &ScanOutcome,
        ord: &OrderVerdict,
        class: VerdictClass,
        tz: &TimeZone,
    ) -> OrderLook {
        // Waiting for staff, the scan admits nothing yet: say how many confirming would admit.
        let to_admit = ord
            .lines
            .iter()
            .filter(|l| VerdictClass::of(l.state, None) == VerdictClass::Go)
            .count();
        let confirming = class == VerdictClass::Confirm;
        let summary = self.text(
            "order-summary",
            &[
                ("tickets", n(ord.lines.len() as f64)),
                ("in", n(ord.already_in as f64)),
                ("confirm", yes(confirming)),
                (
                    "admitting",
                    n(if confirming { to_admit } else { ord.admitting } as f64),
                ),
            ],
        );
        let lines = ord
            .lines
            .iter()
            .map(|line| LineLook {
                class: VerdictClass::of(line.state, None),
                headline: self.headline(line.state),
                who: non_empty(line.ticket.attendee.full_name()).unwrap_or(line.ticket.id.clone()),
                what: line.ticket.admission.name.clone(),
                detail: self.reason(&line.reason, &line.detail, tz),
            })
            .collect();
        let confirm = confirming.then(|| ConfirmLook {
            label: self.text("order-confirm", &[("admitting", n(to_admit as f64))]),
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
            (TicketStatus::Cancelled, _) => (Presence::Cancelled, "badge-cancelled"),
            (_, true) => (Presence::Inside, "badge-inside"),
            (TicketStatus::Redeemed, false) => (Presence::Out, "badge-out"),
            (TicketStatus::Active, false) => (Presence::Waiting, "badge-waiting"),
        };
        HitLook {
            who: non_empty(ticket.attendee.full_name())
                .unwrap_or_else(|| self.text("no-name", &[])),
            what: join(&[
                Some(ticket.admission.name.as_str()),
                ticket.section.as_ref().map(|s| s.name.as_str()),
            ]),
            presence,
            badge: self.text(badge, &[]),
            last: last.map_or_else(|| self.text("never-scanned", &[]), |p| self.prior(p, tz)),
        }
    }

    /// An activity row's words.
    pub fn row(&self, row: RowFacts<'_>, tz: &TimeZone) -> RowLook {
        let time = self.clock_time(row.door_time, tz);
        let action = match row.action {
            Some(ScanKind::CheckIn) => Some(self.text("action-check-in", &[])),
            Some(ScanKind::CheckOut) => Some(self.text("action-check-out", &[])),
            None => None,
        };
        let problem = match row.upload {
            UploadState::Conflict => Some(self.text("problem-CONFLICT", &[])),
            UploadState::Rejected => Some(self.text("problem-REJECTED", &[])),
            _ => None,
        };
        let source = self.source(row.source);
        RowLook {
            class: VerdictClass::of(row.verdict, row.order),
            headline: self.headline(row.verdict),
            how: join(&[Some(source.as_str()), action.as_deref()]),
            upload: self.upload(row.upload),
            problem_head: problem
                .map(|p| join(&[Some(p.as_str()), Some(time.as_str()), Some(row.who)])),
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
            reason: Reason::AsSaid,
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
            reason: Reason::AsSaid,
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

    #[test]
    fn a_cancelled_ticket_in_german_says_storniert_with_a_german_reason_and_small_print() {
        let mut o = outcome(VerdictKind::Cancelled);
        o.reason = Reason::Cancelled;
        let look = Words::of(Language::German).look(&o, &london());
        assert_eq!(look.class, Some(VerdictClass::Stop));
        assert_eq!(look.headline, "STORNIERT");
        assert_eq!(look.detail, "Dieses Ticket wurde storniert.");
        assert_eq!(
            look.meta,
            "19:42 · USB-Scanner · North Gate · auf diesem Gerät entschieden · Gästeliste 12 Min. alt"
        );
        assert_eq!(look.last, "Zuletzt: STORNIERT · Ada Lovelace · 19:42");
    }

    #[test]
    fn every_verdict_has_its_own_german_headline() {
        let de = Words::of(Language::German);
        let en = Words::english();
        let words: Vec<_> = VerdictKind::ALL.iter().map(|k| de.headline(*k)).collect();
        for (k, w) in VerdictKind::ALL.iter().zip(&words) {
            assert_ne!(*w, en.headline(*k), "{k:?} is not translated");
        }
        assert_eq!(de.headline(VerdictKind::Admit), "EINLASS");
        assert_eq!(de.headline(VerdictKind::AlreadyCheckedIn), "BEREITS DRIN");
        let distinct: std::collections::BTreeSet<_> = words.iter().collect();
        assert_eq!(
            distinct.len(),
            words.len(),
            "two verdicts share a word: {words:?}"
        );
    }

    #[test]
    fn german_words_the_previous_scan_an_order_and_a_lookup_badge() {
        let de = Words::of(Language::German);
        let mut o = outcome(VerdictKind::AlreadyCheckedIn);
        o.previous = Some(PriorScan {
            kind: ScanKind::CheckIn,
            at: at("2026-07-01T18:30:00Z"),
            device_id: None,
            by: Some("Sam Lee".into()),
            origin: ScanOrigin::ThisDevice,
        });
        assert_eq!(
            de.look(&o, &london()).previous,
            "Eingecheckt 19:30 von Sam Lee (diese Tür)"
        );
        let mut o = outcome(VerdictKind::Order);
        o.attendee = None;
        o.order_id = Some("ord_1".into());
        o.order = Some(OrderVerdict {
            order_id: "ord_1".into(),
            lines: vec![
                line("Ann", VerdictKind::AlreadyCheckedIn),
                line("Bob", VerdictKind::Admit),
            ],
            already_in: 1,
            admitting: 0,
            needs_confirmation: true,
            confirmed: false,
        });
        let ord = de.look(&o, &london()).order.unwrap();
        assert_eq!(ord.summary, "2 Tickets · 1 bereits drin · 1 einzulassen");
        assert_eq!(ord.confirm.unwrap().label, "Rest einlassen (1)");
        let ticket = line("Ann", VerdictKind::Admit).ticket;
        let hit = de.hit(&ticket, TicketStatus::Active, false, None, &london());
        assert_eq!(
            (hit.badge.as_str(), hit.last.as_str()),
            ("Noch nicht drin", "Noch nie gescannt")
        );
        assert_eq!(de.age(3 * 3600 + 300), "3 Std. 05 Min.");
        assert_eq!(de.age(86_400), "1 Tag");
        assert_eq!(Words::english().age(2 * 86_400), "2 days");
    }

    #[test]
    fn a_reason_the_door_decided_is_worded_in_german_and_the_servers_words_stay_as_said() {
        let de = Words::of(Language::German);
        let tz = london();
        let not_found = Reason::NotFound {
            order: false,
            gone: false,
            age_seconds: Some(720),
        };
        assert_eq!(
            de.reason(&not_found, "x", &tz),
            "Dieses Ticket ist nicht auf der vor 12 Min. geladenen Gästeliste."
        );
        let opens = Reason::Opens(at("2026-12-05T18:00:00Z"));
        assert_eq!(de.reason(&opens, "x", &tz), "Einlass ab Sa. 05.12. 18:00.");
        assert_eq!(
            de.reason(&Reason::AsSaid, "the server's words", &tz),
            "the server's words"
        );
        assert_eq!(
            Words::english().reason(&not_found, "x", &tz),
            "This ticket is not in the guest list downloaded 12 min ago."
        );
    }

    #[test]
    fn a_changed_headline_overrides_that_message_in_german_too() {
        let mut words = Words::of(Language::German);
        words.set_headline(VerdictKind::Cancelled, "UNGÜLTIG");
        let look = words.look(&outcome(VerdictKind::Cancelled), &london());
        assert_eq!(look.headline, "UNGÜLTIG");
        assert_eq!(words.headline(VerdictKind::Admit), "EINLASS");
    }
}
