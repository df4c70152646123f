//! How the command line prints: JSON with `--json`, short plain lines otherwise.

use crate::CliError;
use serde::Serialize;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use usher_core::cache::ImportReport;
use usher_core::i18n::{Arg, Language};
use usher_core::look::Words;
use usher_core::lookup::LookupHit;
use usher_core::scanlog::ScanOutcome;
use usher_core::settings::DeviceConfig;
use usher_core::status::DoorStatus;
use usher_sync::token::Encryption;

/// Where and how the command line prints: JSON or text, in the door's language.
#[derive(Clone)]
pub struct Output {
    pub json: bool,
    /// The words of the language in force (`--lang`, `USHER_LANG`, the device's, the OS's).
    pub words: Arc<Words>,
}

/// A Fluent number argument.
fn n(v: impl TryInto<i64>) -> Arg<'static> {
    Arg::from(v.try_into().unwrap_or(i64::MAX) as f64)
}

impl Output {
    /// Text and JSON in `language`.
    pub fn new(json: bool, language: Language) -> Output {
        Output {
            json,
            words: Arc::new(Words::of(language)),
        }
    }

    /// The same output in `language`.
    pub fn speaking(&self, language: Language) -> Output {
        Output::new(self.json, language)
    }

    /// Message `id` of the language in force.
    fn t(&self, id: &str, args: &[(&str, Arg<'_>)]) -> String {
        self.words.text(id, args)
    }

    /// One JSON value on its own line (`--json`).
    pub fn json_line(&self, v: &impl Serialize) {
        let mut out = std::io::stdout().lock();
        // A closed stdout (e.g. `| head`) is not worth a panic.
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string(v).expect("outputs serialize")
        );
        let _ = out.flush();
    }

    /// One line of text.
    pub fn line(&self, s: &str) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{s}");
        let _ = out.flush();
    }

    pub fn error(&self, e: &CliError) {
        // The code stays as it is; the message is in the language in force.
        let message = self.words.say(&e.said());
        if self.json {
            let v = serde_json::json!({ "error": { "code": e.code(), "message": message } });
            eprintln!("{v}");
        } else {
            eprintln!(
                "{}",
                self.t("cli-error-line", &[("message", Arg::from(message))])
            );
        }
    }

    pub fn setup(&self, c: &DeviceConfig, device_id: &str, encryption: &Encryption) {
        if self.json {
            let mut v = serde_json::to_value(c).expect("config serializes");
            v["deviceId"] = device_id.into();
            v["encryption"] =
                serde_json::to_value(encryption.worded(&self.words)).expect("it serializes");
            return self.json_line(&v);
        }
        let filter = |ids: &[String]| {
            if ids.is_empty() {
                self.t("cli-setup-all", &[])
            } else {
                ids.join(", ")
            }
        };
        let mode = self.t(&format!("cli-mode-{}", c.gate.mode.as_str()), &[]);
        self.line(&self.t(
            "cli-setup",
            &[
                ("device", Arg::from(device_id)),
                ("api", Arg::from(c.api.to_string())),
                ("tenant", Arg::from(c.tenant_id.as_str())),
                ("event", Arg::from(c.event_id.as_str())),
                ("gate", Arg::from(c.gate.name.as_str())),
                ("mode", Arg::from(mode)),
                ("admissions", Arg::from(filter(&c.gate.admission_ids))),
                ("sections", Arg::from(filter(&c.gate.section_ids))),
                ("offline", Arg::from(if c.offline { "yes" } else { "no" })),
            ],
        ));
        self.line(&format!("  {}", encryption.worded(&self.words).words));
    }

    pub fn import(&self, r: &ImportReport) {
        if self.json {
            return self.json_line(r);
        }
        self.line(&self.t(
            "cli-imported",
            &[
                ("name", Arg::from(r.event_name.as_str())),
                ("event", Arg::from(r.event_id.as_str())),
                ("tickets", n(r.tickets)),
                ("admissions", n(r.admissions)),
                ("sections", n(r.sections)),
            ],
        ));
    }

    pub fn scan(&self, o: &ScanOutcome) {
        if self.json {
            return self.json_line(o);
        }
        // The core's words (`usher_core::look`), as the window paints them.
        let look = &o.look;
        let mut s = format!("{:<20}", look.headline);
        let who = [look.who.as_str(), look.what.as_str()]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" · ");
        for part in [who.as_str(), look.detail.as_str(), look.previous.as_str()] {
            if !part.is_empty() {
                s.push_str(part);
                s.push_str("  ");
            }
        }
        if let Some(order) = &look.order {
            s.push_str(&format!("\n    {}", order.summary));
            for l in &order.lines {
                s.push_str(&format!("\n    {:<20}{} · {}", l.headline, l.who, l.what));
            }
        }
        self.line(s.trim_end());
    }

    pub fn lookup(&self, hits: &[LookupHit]) {
        if self.json {
            return self.json_line(&hits);
        }
        if hits.is_empty() {
            return self.line(&self.t("cli-no-match", &[]));
        }
        for h in hits {
            let a = &h.ticket.attendee;
            self.line(&format!(
                "{:<28} {:<30} {:<12} {:<11} {} {}",
                a.full_name(),
                h.contact.email,
                h.ticket.admission.name,
                h.look.badge,
                h.ticket.id,
                h.ticket.order_id
            ));
        }
    }

    pub fn status(&self, s: &DoorStatus, encryption: &Encryption) {
        if self.json {
            let mut v = serde_json::to_value(s).expect("the status serializes");
            v["encryption"] =
                serde_json::to_value(encryption.worded(&self.words)).expect("it serializes");
            return self.json_line(&v);
        }
        let age = |a: Option<i64>| {
            a.map_or_else(
                || self.t("cli-status-cache-never", &[]),
                |a| self.words.age(a),
            )
        };
        let no_event = self.t("cli-status-no-event", &[]);
        let mode = self.t(&format!("cli-mode-{}", s.mode.as_str()), &[]);
        let mut t = self.t(
            "cli-status-head",
            &[
                (
                    "event",
                    Arg::from(s.event_name.as_deref().unwrap_or(&no_event)),
                ),
                ("id", Arg::from(s.event_id.as_str())),
                ("gate", Arg::from(s.gate.as_str())),
                ("mode", Arg::from(mode)),
                ("device", Arg::from(s.device_id.as_str())),
            ],
        );
        t.push_str("\n  ");
        t.push_str(&self.t(
            "cli-status-counts",
            &[
                ("in", n(s.checked_in)),
                ("total", n(s.total)),
                ("cancelled", n(s.cancelled)),
            ],
        ));
        t.push('\n');
        for a in &s.admissions {
            t.push_str(&format!(
                "    {:<24} {} / {}\n",
                a.name,
                self.words
                    .number(a.checked_in.try_into().unwrap_or(i64::MAX)),
                self.words.number(a.total.try_into().unwrap_or(i64::MAX))
            ));
        }
        let oldest = s
            .oldest_pending_age_seconds
            .map(|a| {
                self.t(
                    "cli-status-oldest",
                    &[("age", Arg::from(self.words.age(a)))],
                )
            })
            .unwrap_or_default();
        t.push_str("  ");
        t.push_str(&self.t(
            "cli-status-queue",
            &[
                ("scans", n(s.scans)),
                ("pending", n(s.pending_upload)),
                ("oldest", Arg::from(oldest)),
                ("conflicts", n(s.conflicts)),
                ("rejected", n(s.rejected)),
            ],
        ));
        t.push_str("\n  ");
        t.push_str(&self.t(
            "cli-status-cache",
            &[("age", Arg::from(age(s.cache_age_seconds)))],
        ));
        if s.cache_stale {
            t.push_str(&self.t("cli-status-stale", &[]));
        }
        t.push_str(&format!("\n  {}", encryption.worded(&self.words).words));
        if let Some(p) = &s.uploads_paused {
            t.push_str("\n  ");
            t.push_str(&self.t("cli-status-paused", &[("why", Arg::from(p.as_str()))]));
        }
        if let Some(e) = &s.last_error {
            t.push_str("\n  ");
            t.push_str(&self.t("cli-status-last-error", &[("error", Arg::from(e.as_str()))]));
        }
        if let Some(r) = &s.roster {
            if let Some(w) = &r.warning {
                t.push_str("\n  ");
                t.push_str(&self.t("cli-status-warning", &[("warning", Arg::from(w.as_str()))]));
            }
            if r.gone_total > 0 {
                t.push_str("\n  ");
                t.push_str(&self.t("cli-status-gone", &[("count", n(r.gone_total))]));
            }
        }
        self.line(&t);
    }

    pub fn diagnostics(&self, folder: &Path) {
        if self.json {
            return self.json_line(&serde_json::json!({ "folder": folder }));
        }
        let folder = folder.display().to_string();
        self.line(&self.t("cli-diagnostics-saved", &[("folder", Arg::from(folder))]));
    }

    pub fn report(&self, r: &usher_station::shift_report::SavedReport) {
        if self.json {
            return self.json_line(r);
        }
        let checked = if r.reconciled {
            self.t("cli-report-checked", &[("count", n(r.differences))])
        } else {
            let why = r.not_reconciled_because.as_deref().unwrap_or("unknown");
            self.t("cli-report-not-checked", &[("why", Arg::from(why))])
        };
        self.line(&self.t(
            "cli-report-saved",
            &[
                ("html", Arg::from(r.html.display().to_string())),
                ("csv", Arg::from(r.csv.display().to_string())),
                ("scans", n(r.scans)),
                ("admits", n(r.totals.admits)),
                ("pending", n(r.totals.pending)),
                ("checked", Arg::from(checked)),
            ],
        ));
    }

    pub fn exported(&self, n: usize, path: &Path) {
        if self.json {
            return self.json_line(&serde_json::json!({ "rows": n, "file": path }));
        }
        let file = path.display().to_string();
        self.line(&self.t(
            "cli-exported",
            &[("count", self::n(n)), ("file", Arg::from(file))],
        ));
    }

    pub fn login(&self, r: &usher_sync::login::LoginReport, c: &DeviceConfig) {
        if self.json {
            return self.json_line(r);
        }
        let who = match (&r.user, &r.email) {
            (Some(u), Some(e)) => format!("{u} <{e}>"),
            (Some(u), None) => u.clone(),
            _ => self.t("cli-service-token", &[]),
        };
        let mut t = self.t(
            "cli-logged-in",
            &[
                ("who", Arg::from(who)),
                ("tenant", Arg::from(c.tenant_id.as_str())),
                ("api", Arg::from(c.api.to_string())),
            ],
        );
        for e in &r.access {
            t.push_str(&format!("\n  {}", e.summary));
        }
        for w in &r.warnings {
            t.push_str("\n  ");
            t.push_str(&self.t("cli-warning", &[("warning", Arg::from(w.as_str()))]));
        }
        self.line(&t);
    }

    pub fn forgotten(&self, gone: &[usher_core::forget::Forgotten]) {
        if self.json {
            return self.json_line(&gone);
        }
        if gone.is_empty() {
            return self.line(&self.t("cli-forgot-nothing", &[]));
        }
        for g in gone {
            self.line(&self.t(
                "cli-forgot",
                &[
                    ("event", Arg::from(g.event_id.as_str())),
                    ("tickets", n(g.tickets)),
                    ("scans", n(g.scans)),
                ],
            ));
        }
    }

    pub fn logout(&self, removed: bool, pending: u64) {
        if self.json {
            return self
                .json_line(&serde_json::json!({ "removed": removed, "pendingUpload": pending }));
        }
        self.line(&self.t(
            "cli-logged-out",
            &[
                ("removed", Arg::from(if removed { "yes" } else { "no" })),
                ("pending", n(pending)),
            ],
        ));
    }

    pub fn events(&self, events: &[session_api::Event], configured: &str) {
        if self.json {
            return self.json_line(&events);
        }
        for e in events {
            self.line(&format!(
                "{} {:<40} {} {}{}",
                e.id,
                e.name,
                e.entry_starts_at.as_deref().unwrap_or(""),
                e.location.time_zone.as_deref().unwrap_or(""),
                if e.id == configured {
                    self.t("cli-events-this-device", &[])
                } else {
                    String::new()
                }
            ));
        }
    }

    pub fn synced(
        &self,
        d: Option<&usher_sync::download::DownloadReport>,
        u: &usher_sync::upload::UploadReport,
    ) {
        if self.json {
            return self.json_line(&serde_json::json!({ "download": d, "upload": u }));
        }
        if let Some(d) = d {
            self.line(&self.t(
                "cli-synced-guest-list",
                &[
                    ("tickets", n(d.tickets)),
                    ("pages", n(d.pages)),
                    ("walks", n(d.walks)),
                    ("resumed", Arg::from(if d.resumed { "yes" } else { "no" })),
                ],
            ));
            self.roster_check(d);
        }
        self.line(&self.t(
            "cli-synced-uploads",
            &[
                ("acknowledged", n(u.acknowledged)),
                ("conflicts", n(u.conflicts)),
                ("rejected", n(u.rejected)),
                ("waiting", n(u.still_pending)),
            ],
        ));
        if let Some(p) = &u.paused {
            let why = Arg::from(self.words.say(p));
            self.line(&self.t("cli-synced-paused", &[("why", why)]));
        }
    }

    pub fn sync_event(&self, e: &usher_sync::watch::SyncEvent) {
        use usher_sync::watch::SyncEvent;
        if self.json {
            return self.json_line(e);
        }
        match e {
            SyncEvent::Uploaded(u) => self.synced(None, u),
            SyncEvent::Downloaded(d) => {
                self.line(&self.t("cli-refreshed", &[("tickets", n(d.tickets))]));
                self.roster_check(d);
            }
            SyncEvent::Refunded(r) => {
                self.line(&self.t("cli-refunded", &[("cancelled", n(r.newly_cancelled))]))
            }
            SyncEvent::Failed {
                message,
                retry_in_seconds,
            } => self.line(&self.t(
                "cli-sync-failed",
                &[
                    ("message", Arg::from(self.words.say(message))),
                    ("seconds", n(*retry_in_seconds)),
                ],
            )),
        }
    }

    /// What the completeness check of a finished download found, when it is news.
    fn roster_check(&self, d: &usher_sync::download::DownloadReport) {
        if let (Some(short), Some(expected)) = (d.shortfall.filter(|n| *n > 0), d.expected) {
            self.line(&self.t(
                "cli-roster-short",
                &[
                    ("expected", n(expected)),
                    ("received", n(d.received.unwrap_or(0))),
                    ("missing", n(short)),
                ],
            ));
        }
        if d.gone > 0 {
            self.line(&self.t("cli-status-gone", &[("count", n(d.gone))]));
        }
    }

    /// `usher language`: what the device speaks from now on.
    pub fn language(&self, choice: Option<Language>, language: Language) {
        if self.json {
            return self.json_line(&serde_json::json!({ "language": language, "chosen": choice }));
        }
        let name = Arg::from(language.own_name());
        let id = if choice.is_some() {
            "cli-language-set"
        } else {
            "cli-language-os"
        };
        self.line(&self.t(id, &[("language", name)]));
    }

    pub fn say(&self, s: &str) {
        if !self.json {
            self.line(s);
        }
    }

    /// `usher peers`: the group (by its hint only), the manual list, what was heard.
    pub fn peers(
        &self,
        key: Option<&usher_peers::GroupKey>,
        list: &[String],
        origins: &[usher_core::peers::Origin],
    ) {
        if self.json {
            return self.json_line(&serde_json::json!({
                "group": key.map(|k| k.hint()),
                "peerList": list,
                "heardFrom": origins,
            }));
        }
        match key {
            Some(k) => self.line(&self.t("cli-peers-group", &[("hint", Arg::from(k.hint()))])),
            None => self.line(&self.t("cli-peers-no-group", &[])),
        }
        self.peer_list(list);
        for o in origins {
            self.line(&self.t(
                "cli-peers-heard",
                &[
                    ("gate", Arg::from(o.gate_name.as_str())),
                    ("device", Arg::from(o.device_id.as_str())),
                    ("scans", n(o.scans)),
                ],
            ));
        }
    }

    pub fn group_made(&self, key: &usher_peers::GroupKey) {
        if self.json {
            return self.json_line(&serde_json::json!({ "group": key.hint() }));
        }
        self.line(&self.t("cli-peers-made", &[("hint", Arg::from(key.hint()))]));
    }

    pub fn group_left(&self, left: bool) {
        if self.json {
            return self.json_line(&serde_json::json!({ "left": left }));
        }
        let id = if left {
            "cli-peers-left"
        } else {
            "cli-peers-no-group"
        };
        self.line(&self.t(id, &[]));
    }

    pub fn peer_list(&self, list: &[String]) {
        if self.json {
            return self.json_line(&serde_json::json!({ "peerList": list }));
        }
        let doors = if list.is_empty() {
            self.t("cli-peers-list-empty", &[])
        } else {
            list.join(", ")
        };
        self.line(&self.t("cli-peers-list", &[("doors", Arg::from(doors))]));
    }

    pub fn joined(
        &self,
        inviter: &usher_peers::exchange::DoorName,
        c: &DeviceConfig,
        token_kept: bool,
    ) {
        if self.json {
            return self.json_line(&serde_json::json!({
                "joined": inviter, "config": c, "tokenKept": token_kept,
            }));
        }
        self.line(&self.t(
            "cli-peers-joined",
            &[
                ("door", Arg::from(inviter.gate_name.as_str())),
                ("event", Arg::from(c.event_id.as_str())),
                ("gate", Arg::from(c.gate.name.as_str())),
                ("token", Arg::from(if token_kept { "yes" } else { "no" })),
            ],
        ));
    }

    pub fn serving(&self, at: std::net::SocketAddr) {
        if self.json {
            return self.json_line(&serde_json::json!({ "listening": at.to_string() }));
        }
        self.line(&self.t(
            "cli-peers-serving",
            &[("address", Arg::from(at.to_string()))],
        ));
    }

    pub fn invite(&self, code: &str, at: std::net::SocketAddr, minutes: u64) {
        if self.json {
            return self.json_line(&serde_json::json!({
                "joinCode": code,
                "qr": usher_peers::join::qr_text(&usher_peers::join::reachable_at(at)[0], code),
                "minutes": minutes,
            }));
        }
        self.line(&self.t(
            "cli-peers-invite",
            &[
                ("code", Arg::from(code)),
                ("port", n(at.port())),
                ("minutes", n(minutes)),
            ],
        ));
    }

    /// The links as they stand: one line each, then how many doors are linked.
    pub fn links(&self, links: &[usher_peers::PeerLink], linked: usize) {
        if self.json {
            return self.json_line(&serde_json::json!({ "links": links, "linked": linked }));
        }
        for l in links {
            let door = l.gate_name.clone().unwrap_or_else(|| l.address.clone());
            let state = self.t(&format!("cli-link-{}", column_name(&l.state)), &[]);
            let mut line = self.t(
                "cli-peers-link",
                &[
                    ("door", Arg::from(door)),
                    ("address", Arg::from(l.address.as_str())),
                    ("state", Arg::from(state)),
                    ("received", n(l.received)),
                ],
            );
            if let Some(why) = &l.error {
                line.push_str(&format!(" ({})", self.words.say(why)));
            }
            self.line(&line);
        }
        self.line(&self.t("cli-peers-linked", &[("doors", n(linked))]));
    }
}

/// A unit enum's serde name ("LINKED"), in lower case with dashes, for a message id.
fn column_name(v: &impl Serialize) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(|s| s.to_lowercase().replace('_', "-")))
        .unwrap_or_default()
}
