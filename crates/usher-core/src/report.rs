//! The shift report's figures, from the scan log, the outbox and the server's state: per gate
//! and device, arrivals per 5 minutes (in the event's zone), admits, refusals by reason,
//! exits and re-entries, conflicts and rejections with who scanned first, what still waits to
//! upload, and the reconciliation of this device's scans against Session Services' current
//! state of each ticket. `usher-report` draws it as HTML and CSV.
//!
//! The counts cover the whole scan log of the data folder, as `usher status` counts it, so
//! the two always agree. The scan log holds only this laptop's scans (each with the gate
//! profile it was recorded under): other doors appear only where the server named them, as
//! the first scan of a conflict and in the reconciliation.
//!
//! **Architecture invariant:** read-only. The server's state comes in as an argument
//! ([`ServerView`]): this module does no network I/O and reads no clock.

use crate::activity::{first_scan, FirstScan, ShownVerdict};
use crate::column::Stored;
use crate::error::{Error, Result};
use crate::gate::Mode;
use crate::i18n::Said;
use crate::look::Words;
use crate::scanlog::UploadState;
use crate::settings::DeviceConfig;
use crate::status::{self, DoorStatus};
use crate::time::{ser_opt_ts, ser_ts};
use crate::verdict::VerdictKind;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use rusqlite::Connection;
use serde::Serialize;
use session_api::{ScanKind, Ticket, TicketStatus};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The width of one bar of the arrivals chart.
pub const BUCKET_SECONDS: i64 = 5 * 60;

/// Beyond this many 5-minute buckets (two days) a door's chart keeps only those with an
/// arrival, so a log that spans weeks does not draw thousands of empty bars.
const MAX_CONTIGUOUS_BUCKETS: i64 = 576;

/// What Session Services says about the tickets this device scanned, fetched by the caller
/// (`usher_sync::reconcile`) and passed in.
#[derive(Debug, Clone, PartialEq)]
pub enum ServerView {
    /// The server could not be asked; the words say why (offline, no token, forced offline).
    Unavailable(Said),
    /// The server's answer for each ticket asked about (see [`tickets_to_check`]).
    Answers(BTreeMap<String, ServerAnswer>),
}

/// The server's answer about one ticket.
#[derive(Debug, Clone, PartialEq)]
pub enum ServerAnswer {
    /// Its current state.
    Ticket(Box<Ticket>),
    /// Session Services does not know the ticket (404).
    NotFound,
    /// The question failed for this ticket; the words say how.
    Failed(Said),
}

/// The tickets this device's scans acted on (checked in or out), the ones the
/// reconciliation asks the server about, sorted.
pub fn tickets_to_check(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT st.ticket_id FROM scan_tickets st JOIN scans s ON s.seq = st.scan_seq
         WHERE s.action IS NOT NULL ORDER BY st.ticket_id",
    )?;
    let ids = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(ids)
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ShiftReport {
    /// When it was made.
    #[serde(serialize_with = "ser_ts")]
    pub generated_at: Timestamp,
    /// The configured event.
    pub event_id: String,
    /// Its name, when the cache holds it.
    pub event_name: Option<String>,
    /// The IANA zone every time of the report is shown in (the event's; UTC when the event
    /// is not cached).
    pub time_zone: String,
    /// This device's id.
    pub device_id: String,
    /// The gate profile this device has now.
    pub gate: String,
    /// The door time of the first and last scan in the log.
    #[serde(serialize_with = "ser_opt_ts")]
    pub first_scan_at: Option<Timestamp>,
    /// See `first_scan_at`.
    #[serde(serialize_with = "ser_opt_ts")]
    pub last_scan_at: Option<Timestamp>,
    /// `usher status`'s figures, read in the same transaction.
    pub status: DoorStatus,
    /// Each gate and device in the scan log, in the order they first scanned.
    pub doors: Vec<DoorFigures>,
    /// Every door together.
    pub totals: Tally,
    /// Every conflict and rejection, in door order.
    pub problems: Vec<Problem>,
    /// This device's scans checked against the server.
    pub reconciliation: Reconciliation,
    /// What the data cannot show, in plain words.
    pub limits: String,
    #[serde(skip)]
    zone: TimeZone,
    /// The words the report is in (its language's catalog).
    #[serde(skip)]
    words: Words,
}

impl ShiftReport {
    /// An instant as the event's local time to the second, in the report's language:
    /// `28 Nov 2026 19:05:09`, `28.11.2026 19:05:09`.
    pub fn local(&self, t: Timestamp) -> String {
        local(t, &self.zone, &self.words)
    }

    /// The words the report is in: every heading and label of its page and CSV.
    pub fn words(&self) -> &Words {
        &self.words
    }
}

/// The counts of one door, or of all of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Tally {
    /// Every scan, of any verdict.
    pub scans: u64,
    /// Scans that let someone in (a check-in the door showed as admitted; an order counts
    /// once).
    pub admits: u64,
    /// Of the admits, those of a ticket this door had checked out before: re-entries.
    pub re_entries: u64,
    /// Scans that let someone out (a check-out shown as checked out).
    pub exits: u64,
    /// Every other scan, by the verdict shown, in [`VerdictKind::ALL`] order.
    pub refusals: Vec<Refusals>,
    /// Scans the server answered with a conflict: someone else got there first.
    pub conflicts: u64,
    /// Scans the server refused for good.
    pub rejected: u64,
    /// Scans still waiting to upload.
    pub pending: u64,
}

impl Tally {
    /// All refusals, whatever the reason.
    pub fn refused(&self) -> u64 {
        self.refusals.iter().map(|r| r.count).sum()
    }

    fn add(&mut self, scan: &LoggedScan, outcome: Outcome, re_entry: bool) {
        self.scans += 1;
        match outcome {
            Outcome::Admit => {
                self.admits += 1;
                self.re_entries += u64::from(re_entry);
            }
            Outcome::Exit => self.exits += 1,
            Outcome::Refused(reason) => self.refuse(reason, 1),
        }
        match scan.upload {
            UploadState::Conflict => self.conflicts += 1,
            UploadState::Rejected => self.rejected += 1,
            UploadState::Pending => self.pending += 1,
            UploadState::None | UploadState::Acknowledged => {}
        }
    }

    fn refuse(&mut self, reason: VerdictKind, n: u64) {
        match self.refusals.iter_mut().find(|r| r.reason == reason) {
            Some(r) => r.count += n,
            None => {
                self.refusals.push(Refusals { reason, count: n });
                let order = |k: VerdictKind| VerdictKind::ALL.iter().position(|x| *x == k);
                self.refusals.sort_by_key(|r| order(r.reason));
            }
        }
    }

    fn merge(&mut self, other: &Tally) {
        self.scans += other.scans;
        self.admits += other.admits;
        self.re_entries += other.re_entries;
        self.exits += other.exits;
        self.conflicts += other.conflicts;
        self.rejected += other.rejected;
        self.pending += other.pending;
        for r in &other.refusals {
            self.refuse(r.reason, r.count);
        }
    }
}

/// Refusals for one reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Refusals {
    /// The verdict shown.
    pub reason: VerdictKind,
    /// How many scans.
    pub count: u64,
}

/// One gate profile on one device, as the scan log recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DoorFigures {
    /// The gate's name.
    pub gate: String,
    /// The device that scanned.
    pub device_id: String,
    /// Entry or exit, as of its latest scan.
    pub mode: Mode,
    /// Its counts.
    pub tally: Tally,
    /// Arrivals (admits) per 5 minutes of the event's local time, oldest first, from its
    /// first to its last arrival (empty buckets included, up to two days).
    pub arrivals: Vec<Bucket>,
}

/// Five minutes of arrivals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Bucket {
    /// Its start, UTC (a multiple of 5 minutes of the event's local time).
    #[serde(serialize_with = "ser_ts")]
    pub start: Timestamp,
    /// Its start in the event's zone, `2026-11-28 19:05`.
    pub label: String,
    /// Admits in it.
    pub arrivals: u64,
}

/// A conflict or a rejection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// Door order.
    pub seq: i64,
    /// When the door took the scan.
    #[serde(serialize_with = "ser_ts")]
    pub door_time: Timestamp,
    /// The gate and device that took it.
    pub gate: String,
    /// See `gate`.
    pub device_id: String,
    /// CONFLICT or REJECTED.
    pub upload: UploadState,
    /// The ticket or order scanned.
    pub key: Option<String>,
    /// The guest, as the door showed them (untrusted text).
    pub guest: Option<String>,
    /// What the scan tried.
    pub action: Option<ScanKind>,
    /// Who got there first, as the server named them.
    pub first: Option<FirstScan>,
    /// The server's message.
    pub message: String,
}

/// The reconciliation of this device's scans against the server's current state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reconciliation {
    /// Whether the server was asked.
    pub checked: bool,
    /// Why not, when it was not.
    pub not_checked_because: Option<String>,
    /// Tickets this device acted on.
    pub tickets: u64,
    /// Of them, those where the server's state is what this device's scans leave.
    pub agreeing: u64,
    /// The others, by ticket id.
    pub differences: Vec<Difference>,
}

/// How a ticket's server state differs from what this device's scans leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DifferenceKind {
    /// This device's last scan of it still waits to upload, and the server's state is not
    /// what that scan makes it.
    Waiting,
    /// The server has it in the other state since a later scan (another door's, or one this
    /// device has not seen).
    State,
    /// The server has it cancelled.
    Cancelled,
    /// An acknowledged scan of this device is missing from the server's history of it.
    MissingScan,
    /// The server does not know the ticket.
    NotFound,
    /// The server could not be asked about it.
    Unchecked,
}

/// One difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Difference {
    /// The ticket.
    pub ticket_id: String,
    /// Its guest, as the door showed them (untrusted text).
    pub guest: Option<String>,
    /// What kind.
    pub kind: DifferenceKind,
    /// What this door's scans say, in words.
    pub door: String,
    /// What the server says, in words.
    pub server: String,
}

/// What a scan did at the door.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Admit,
    Exit,
    Refused(VerdictKind),
}

/// A scan's shown verdict and its action decide: a check-in shown as admitted (or an order
/// that checked in) is an admit, a check-out shown as checked out an exit; anything else
/// (including a check-in the server refused while the guest stood there) a refusal by the
/// verdict shown.
fn outcome(shown: VerdictKind, action: Option<ScanKind>) -> Outcome {
    match (action, shown) {
        (Some(ScanKind::CheckIn), VerdictKind::Admit | VerdictKind::Order) => Outcome::Admit,
        (Some(ScanKind::CheckOut), VerdictKind::CheckedOut | VerdictKind::Order) => Outcome::Exit,
        (_, reason) => Outcome::Refused(reason),
    }
}

struct LoggedScan {
    seq: i64,
    door_ms: i64,
    gate: String,
    device_id: String,
    mode: Mode,
    shown: VerdictKind,
    guest: Option<String>,
    key: Option<String>,
    action: Option<ScanKind>,
    upload: UploadState,
    last_error: Option<String>,
    server_detail: Option<String>,
    server_scan_id: Option<String>,
}

impl LoggedScan {
    fn door_time(&self) -> Timestamp {
        Timestamp::from_millisecond(self.door_ms).unwrap_or(Timestamp::UNIX_EPOCH)
    }
}

fn logged_scans(conn: &Connection) -> Result<Vec<LoggedScan>> {
    let mut stmt = conn.prepare(
        "SELECT seq, door_ms, gate_name, device_id, mode, coalesce(online_verdict, verdict),
                coalesce(online_verdict_json, verdict_json), key, action, upload, last_error,
                server_detail, server_scan_id
         FROM scans ORDER BY seq",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            LoggedScan {
                seq: r.get(0)?,
                door_ms: r.get(1)?,
                gate: r.get(2)?,
                device_id: r.get(3)?,
                mode: r.get(4)?,
                shown: r.get(5)?,
                guest: None,
                key: r.get(7)?,
                action: r.get::<_, Option<Stored<ScanKind>>>(8)?.map(|k| k.0),
                upload: r.get(9)?,
                last_error: r.get(10)?,
                server_detail: r.get(11)?,
                server_scan_id: r.get(12)?,
            },
            r.get::<_, String>(6)?,
        ))
    })?;
    rows.map(|row| {
        let (mut scan, json) = row?;
        let shown: ShownVerdict = serde_json::from_str(&json).map_err(|e| Error::CorruptCache {
            path: Default::default(),
            detail: format!("scan {} has an unreadable verdict: {e}", scan.seq),
        })?;
        scan.guest = shown
            .ticket
            .map(|t| t.attendee.full_name())
            .filter(|n| !n.is_empty());
        Ok(scan)
    })
    .collect()
}

/// Which tickets each scan acted on, by scan.
fn scan_tickets(conn: &Connection) -> Result<HashMap<i64, Vec<String>>> {
    let mut stmt = conn.prepare("SELECT scan_seq, ticket_id FROM scan_tickets")?;
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
        let (seq, ticket) = row?;
        out.entry(seq).or_default().push(ticket);
    }
    Ok(out)
}

/// An instant in `tz`, to the second, as `words`' language writes it.
fn local(t: Timestamp, tz: &TimeZone, words: &Words) -> String {
    words.language().stamp(&t.to_zoned(tz.clone()))
}

/// The serde name of a unit enum value (`CHECK_IN`, `MISSING_SCAN`); empty for anything else.
pub fn serde_name<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// Message `prefix-NAME` of `words`, NAME being `v`'s serde name (`report-action-CHECK_IN`).
pub fn named<T: Serialize>(words: &Words, prefix: &str, v: &T) -> String {
    words.text(&format!("{prefix}-{}", serde_name(v)), &[])
}

/// The start of the 5 minutes of local time in `tz` that hold `t`, as an instant.
pub fn bucket_start(t: Timestamp, tz: &TimeZone) -> Timestamp {
    let offset = i64::from(tz.to_offset(t).seconds());
    let local = t.as_second() + offset;
    let start = local.div_euclid(BUCKET_SECONDS) * BUCKET_SECONDS - offset;
    Timestamp::from_second(start).unwrap_or(t)
}

/// The buckets of `counts` (keyed by start, in seconds), with the empty ones between when the
/// span is at most two days.
fn buckets(counts: &BTreeMap<i64, u64>, tz: &TimeZone) -> Vec<Bucket> {
    let (Some(&first), Some(&last)) = (counts.keys().next(), counts.keys().next_back()) else {
        return vec![];
    };
    let mut starts: BTreeSet<i64> = counts.keys().copied().collect();
    if (last - first) / BUCKET_SECONDS <= MAX_CONTIGUOUS_BUCKETS {
        starts.extend((first..=last).step_by(BUCKET_SECONDS as usize));
    }
    starts
        .into_iter()
        .filter_map(|s| {
            let start = Timestamp::from_second(s).ok()?;
            Some(Bucket {
                start,
                label: start
                    .to_zoned(tz.clone())
                    .strftime("%Y-%m-%d %H:%M")
                    .to_string(),
                arrivals: counts.get(&s).copied().unwrap_or(0),
            })
        })
        .collect()
}

/// Builds the report from the data folder's database and the server's answers, as of `now`.
pub fn build(
    conn: &Connection,
    config: &DeviceConfig,
    device_id: &str,
    server: &ServerView,
    now: Timestamp,
    words: &Words,
) -> Result<ShiftReport> {
    // One read transaction: the counts and `usher status` see the same log.
    let tx = conn.unchecked_transaction()?;
    let status = status::status(&tx, config, device_id, now, words)?;
    let zone = match crate::cache::event_time_zone(&tx, &config.event_id) {
        Ok(z) => z,
        Err(Error::EventNotCached(_)) => TimeZone::UTC,
        Err(e) => return Err(e),
    };
    let scans = logged_scans(&tx)?;
    let tickets = scan_tickets(&tx)?;
    let problems = scans
        .iter()
        .filter(|s| matches!(s.upload, UploadState::Conflict | UploadState::Rejected))
        .map(|s| Problem {
            seq: s.seq,
            door_time: s.door_time(),
            gate: s.gate.clone(),
            device_id: s.device_id.clone(),
            upload: s.upload,
            key: s.key.clone(),
            guest: s.guest.clone(),
            action: s.action,
            first: first_scan(s.action, s.server_detail.as_deref()),
            message: s
                .last_error
                .clone()
                .unwrap_or_else(|| words.text("report-rejected-default", &[])),
        })
        .collect();
    let doors = door_figures(&scans, &tickets, &zone);
    let mut totals = Tally::default();
    for d in &doors {
        totals.merge(&d.tally);
    }
    let reconciliation = reconcile(&scans, &tickets, server, &zone, words);
    let limits = words.text("report-limits", &[]);
    let event_name = status.event_name.clone();
    Ok(ShiftReport {
        generated_at: now,
        event_id: config.event_id.clone(),
        event_name,
        time_zone: zone.iana_name().unwrap_or("UTC").to_string(),
        device_id: device_id.to_string(),
        gate: config.gate.name.clone(),
        first_scan_at: scans.first().map(LoggedScan::door_time),
        last_scan_at: scans.last().map(LoggedScan::door_time),
        status,
        doors,
        totals,
        problems,
        reconciliation,
        limits,
        zone,
        words: words.clone(),
    })
}

fn door_figures(
    scans: &[LoggedScan],
    tickets: &HashMap<i64, Vec<String>>,
    zone: &TimeZone,
) -> Vec<DoorFigures> {
    let mut doors: Vec<(DoorFigures, BTreeMap<i64, u64>)> = vec![];
    // Tickets this device checked out and has not let in again since.
    let mut out: HashSet<&str> = HashSet::new();
    for scan in scans {
        let outcome = outcome(scan.shown, scan.action);
        let acted = tickets.get(&scan.seq).map(Vec::as_slice).unwrap_or(&[]);
        let re_entry = outcome == Outcome::Admit && acted.iter().any(|t| out.contains(t.as_str()));
        match outcome {
            Outcome::Admit => acted.iter().for_each(|t| {
                out.remove(t.as_str());
            }),
            Outcome::Exit => out.extend(acted.iter().map(String::as_str)),
            Outcome::Refused(_) => {}
        }
        let at = doors
            .iter()
            .position(|(d, _)| d.gate == scan.gate && d.device_id == scan.device_id)
            .unwrap_or_else(|| {
                doors.push((
                    DoorFigures {
                        gate: scan.gate.clone(),
                        device_id: scan.device_id.clone(),
                        mode: scan.mode,
                        tally: Tally::default(),
                        arrivals: vec![],
                    },
                    BTreeMap::new(),
                ));
                doors.len() - 1
            });
        let (door, counts) = &mut doors[at];
        door.mode = scan.mode;
        door.tally.add(scan, outcome, re_entry);
        if outcome == Outcome::Admit {
            *counts
                .entry(bucket_start(scan.door_time(), zone).as_second())
                .or_default() += 1;
        }
    }
    doors
        .into_iter()
        .map(|(mut d, counts)| {
            d.arrivals = buckets(&counts, zone);
            d
        })
        .collect()
}

fn reconcile(
    scans: &[LoggedScan],
    tickets: &HashMap<i64, Vec<String>>,
    server: &ServerView,
    zone: &TimeZone,
    words: &Words,
) -> Reconciliation {
    // Each ticket's scans that acted on it, in door order.
    let mut by_ticket: BTreeMap<&str, Vec<&LoggedScan>> = BTreeMap::new();
    for scan in scans.iter().filter(|s| s.action.is_some()) {
        for t in tickets.get(&scan.seq).into_iter().flatten() {
            by_ticket.entry(t.as_str()).or_default().push(scan);
        }
    }
    let count = by_ticket.len() as u64;
    let answers = match server {
        ServerView::Unavailable(why) => {
            return Reconciliation {
                checked: false,
                not_checked_because: Some(words.say(why)),
                tickets: count,
                agreeing: 0,
                differences: vec![],
            }
        }
        ServerView::Answers(a) => a,
    };
    let mut differences = vec![];
    for (ticket, scans) in &by_ticket {
        let guest = scans.iter().rev().find_map(|s| s.guest.clone());
        let mut differ = |kind, door: String, server: String| {
            differences.push(Difference {
                ticket_id: ticket.to_string(),
                guest: guest.clone(),
                kind,
                door,
                server,
            })
        };
        // A rejected scan changed nothing; a conflict found the ticket already where it
        // aimed to put it.
        let last = scans.iter().rev().find(|s| {
            matches!(
                s.upload,
                UploadState::Pending | UploadState::Acknowledged | UploadState::Conflict
            )
        });
        let Some(last) = last else { continue };
        let action = last.action.unwrap_or(ScanKind::CheckIn);
        let expected = match action {
            ScanKind::CheckIn => TicketStatus::Redeemed,
            ScanKind::CheckOut => TicketStatus::Active,
        };
        let door = words.text(
            "report-door-scan",
            &[
                ("action", named(words, "report-action", &action).into()),
                ("at", local(last.door_time(), zone, words).into()),
                ("seq", last.seq.to_string().into()),
                ("upload", words.upload(last.upload).into()),
            ],
        );
        let server_ticket = match answers.get(*ticket) {
            None => {
                differ(
                    DifferenceKind::Unchecked,
                    door,
                    words.text("report-server-not-asked", &[]),
                );
                continue;
            }
            Some(ServerAnswer::Failed(why)) => {
                differ(DifferenceKind::Unchecked, door, words.say(why));
                continue;
            }
            Some(ServerAnswer::NotFound) => {
                differ(
                    DifferenceKind::NotFound,
                    door,
                    words.text("report-server-not-found", &[]),
                );
                continue;
            }
            Some(ServerAnswer::Ticket(t)) => t,
        };
        let latest = server_ticket
            .scans
            .iter()
            .max_by(|a, b| a.scanned_at.cmp(&b.scanned_at));
        let state = named(words, "report-state", &server_ticket.status);
        let server_words = match latest {
            Some(s) => {
                let by = s
                    .scanned_by
                    .as_ref()
                    .map(|b| {
                        format!("{} {}", b.first_name, b.last_name)
                            .trim()
                            .to_string()
                    })
                    .filter(|b| !b.is_empty());
                let at = s
                    .scanned_at
                    .parse::<Timestamp>()
                    .map(|t| local(t, zone, words))
                    .unwrap_or_else(|_| s.scanned_at.clone());
                let mut said = words.text(
                    "report-server-last-scan",
                    &[
                        ("state", state.clone().into()),
                        ("action", named(words, "report-action", &s.kind).into()),
                        ("at", at.into()),
                    ],
                );
                if let Some(b) = by {
                    said.push(' ');
                    said.push_str(&words.text("report-server-by", &[("who", b.into())]));
                }
                if let Some(d) = s.device_id.as_deref().filter(|d| !d.is_empty()) {
                    said.push(' ');
                    said.push_str(&words.text("report-server-device", &[("device", d.into())]));
                }
                said
            }
            None => words.text("report-server-no-scan", &[("state", state.clone().into())]),
        };
        let missing = scans.iter().find(|s| {
            s.upload == UploadState::Acknowledged
                && s.server_scan_id.as_deref().is_some_and(|id| {
                    !id.is_empty() && !server_ticket.scans.iter().any(|r| r.id == id)
                })
        });
        if server_ticket.status == TicketStatus::Cancelled {
            differ(DifferenceKind::Cancelled, door, server_words);
        } else if server_ticket.status != expected {
            let kind = if last.upload == UploadState::Pending {
                DifferenceKind::Waiting
            } else {
                DifferenceKind::State
            };
            differ(kind, door, server_words);
        } else if let Some(m) = missing {
            differ(
                DifferenceKind::MissingScan,
                words.text(
                    "report-missing-door",
                    &[
                        ("seq", m.seq.to_string().into()),
                        ("id", m.server_scan_id.as_deref().unwrap_or("").into()),
                    ],
                ),
                words.text("report-missing-server", &[("server", server_words.into())]),
            );
        }
    }
    let differing: BTreeSet<&str> = differences.iter().map(|d| d.ticket_id.as_str()).collect();
    Reconciliation {
        checked: true,
        not_checked_because: None,
        tickets: count,
        agreeing: count - differing.len() as u64,
        differences,
    }
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
