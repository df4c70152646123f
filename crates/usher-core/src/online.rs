//! **Online confirm**: when the device is online, a scan that the cache would let through is
//! also put to Session Services, with a short timeout. The server's answer becomes the
//! verdict; with no answer in time, the cache's verdict stands and the scan stays queued
//! with the same idempotency key.
//!
//! The network call itself lives outside the core (`usher-sync` implements [`OnlineConfirm`]);
//! this module holds the switch between online and offline and what an answer means at the
//! door.

use crate::gate::Mode;
use crate::outbox::{Settlement, Upload};
use crate::verdict::{PriorScan, ScanOrigin, Verdict, VerdictKind};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use session_api::ScanKind;
use std::time::{Duration, Instant};

/// How long the door waits for the server (about 1.5 s: `docs/product.md`, "Online confirm").
pub const DEFAULT_TIMEOUT: Duration = Duration::from_millis(1500);

/// Puts one recorded scan to the server. `Settlement::Retry` means no usable answer in time.
pub trait OnlineConfirm: Send {
    /// Asks the server to check in or out `upload`, waiting at most `timeout`.
    fn confirm(&self, upload: &Upload, timeout: Duration) -> Settlement;
}

/// Online or offline, switched by what happens: after `FAILURES_TO_GO_OFFLINE` scans in a
/// row without an answer the door stops asking (no scan waits on a dead network), and after
/// `RETRY_ONLINE_AFTER` it asks again by itself.
#[derive(Debug, Clone, Default)]
pub struct Link {
    failures: u32,
    offline_until: Option<Instant>,
}

/// Scans in a row without an answer before the door stops asking.
pub const FAILURES_TO_GO_OFFLINE: u32 = 2;
/// How long the door decides on its own before it asks the server again.
pub const RETRY_ONLINE_AFTER: Duration = Duration::from_secs(20);

impl Link {
    /// Whether to ask the server for this scan.
    pub fn should_ask(&self, now: Instant) -> bool {
        self.offline_until.is_none_or(|until| now >= until)
    }

    /// True while the door is deciding from the cache on its own.
    pub fn is_offline(&self, now: Instant) -> bool {
        !self.should_ask(now)
    }

    /// The server answered: the door is online again.
    pub fn answered(&mut self) {
        self.failures = 0;
        self.offline_until = None;
    }

    /// A scan got no answer in time; the [`FAILURES_TO_GO_OFFLINE`]th in a row switches the door
    /// offline for [`RETRY_ONLINE_AFTER`].
    pub fn no_answer(&mut self, now: Instant) {
        self.failures += 1;
        if self.failures >= FAILURES_TO_GO_OFFLINE {
            self.offline_until = Some(now + RETRY_ONLINE_AFTER);
        }
    }
}

/// The verdict the door shows once the server has answered; `None` when the cache's verdict
/// stands (accepted as decided, or no answer).
pub fn verdict_from_answer(
    local: &Verdict,
    answer: &Settlement,
    mode: Mode,
    tz: &TimeZone,
) -> Option<Verdict> {
    let refused = |kind: VerdictKind, detail: String, previous: Option<PriorScan>| {
        let mut v = local.clone();
        v.verdict = kind;
        v.detail = detail;
        v.previous = previous;
        v.action = None;
        if let Some(o) = v.order.as_mut() {
            o.admitting = 0;
        }
        Some(v)
    };
    match answer {
        Settlement::Acknowledged { .. } | Settlement::Retry { .. } => None,
        Settlement::Conflict { ticket, .. } => {
            let last = ticket.as_ref().and_then(|t| {
                t.scans
                    .iter()
                    .filter_map(|s| s.scanned_at.parse::<Timestamp>().ok().map(|at| (s, at)))
                    .max_by_key(|(_, at)| *at)
            });
            let previous = last.map(|(s, at)| PriorScan {
                kind: s.kind,
                at,
                device_id: s.device_id.clone().filter(|d| !d.is_empty()),
                by: s.scanned_by.as_ref().map(|p| {
                    format!("{} {}", p.first_name, p.last_name)
                        .trim()
                        .to_string()
                }),
                origin: ScanOrigin::Server,
            });
            let when = previous.as_ref().map(|p| {
                let mut s = crate::time::local(p.at, tz);
                if let Some(by) = &p.by {
                    s.push_str(&format!(" by {by}"));
                }
                if let Some(d) = &p.device_id {
                    s.push_str(&format!(" at device {d}"));
                }
                s
            });
            match mode {
                Mode::Entry => refused(
                    VerdictKind::AlreadyCheckedIn,
                    match when {
                        Some(w) => format!("Already checked in {w} (confirmed online)."),
                        None => "Already checked in (confirmed online).".into(),
                    },
                    previous.filter(|p| p.kind == ScanKind::CheckIn),
                ),
                Mode::Exit => refused(
                    VerdictKind::NotCheckedIn,
                    "Not checked in on the server (confirmed online).".into(),
                    previous,
                ),
            }
        }
        Settlement::Rejected { message, detail } => {
            let reason = detail.get("reason").and_then(|r| r.as_str()).unwrap_or("");
            let (kind, words) = match reason {
                "EVENT_MISMATCH" => (VerdictKind::WrongEvent, "This ticket is for another event (confirmed online)."),
                "FILTERED_OUT" => (VerdictKind::NotForThisGate, "Not for this gate (confirmed online)."),
                "TICKET_CANCELLED" => (VerdictKind::Cancelled, "This ticket was cancelled (confirmed online)."),
                "PARTIAL_ORDER_CONFIRMATION_REQUIRED" => (
                    VerdictKind::Order,
                    "Some tickets of this order are already in on the server: confirm to admit the rest.",
                ),
                _ => (VerdictKind::NotFound, ""),
            };
            let detail = if words.is_empty() {
                format!("Session Services refused this ticket: {message}")
            } else {
                words.to_string()
            };
            refused(kind, detail, None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn door_goes_offline_after_failures_and_comes_back_by_itself() {
        let t0 = Instant::now();
        let mut link = Link::default();
        assert!(link.should_ask(t0));
        link.no_answer(t0);
        assert!(link.should_ask(t0), "one miss is not enough");
        link.no_answer(t0);
        assert!(link.is_offline(t0 + Duration::from_secs(1)));
        assert!(
            link.should_ask(t0 + RETRY_ONLINE_AFTER),
            "it tries again by itself"
        );
        link.answered();
        assert!(link.should_ask(t0));
    }
}
