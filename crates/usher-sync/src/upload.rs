//! **Upload**: drains the scan log to Session Services. Each scan goes with the event guard,
//! the device id and its own idempotency key (the same on every retry); several go at once,
//! but two scans of one ticket go in door order (the scan log only hands out the first
//! pending scan of each ticket).

use crate::client::{ApiClient, Failure, MAX_CONFLICT_TRIES, MAX_RETRY_AFTER};
use crate::SyncError;
use backon::BackoffBuilder;
use futures::StreamExt;
use jiff::Timestamp;
use serde::Serialize;
use session_api::CheckInRequest;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;
use usher_core::i18n::Said;
pub use usher_core::outbox::Target;
use usher_core::outbox::{self, Settlement, Upload};
use usher_core::Store;

/// Requests in flight at once.
pub const CONCURRENCY: usize = 16;

/// When a failed upload is tried again: exponential backoff with jitter, never sooner than
/// the server's `Retry-After`.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// The wait before the first retry, before jitter.
    pub min: Duration,
    /// The longest the backoff grows; a server's `Retry-After` may ask for longer.
    pub max: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            min: Duration::from_millis(500),
            max: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// The wait before attempt number `attempts + 1`.
    pub fn delay(&self, attempts: i64, retry_after: Option<Duration>) -> Duration {
        let backoff = backon::ExponentialBuilder::default()
            .with_min_delay(self.min)
            .with_max_delay(self.max)
            .with_factor(2.0)
            .with_jitter()
            .with_max_times(64)
            .build()
            .nth(attempts.clamp(0, 63) as usize)
            .unwrap_or(self.max);
        backoff.max(retry_after.unwrap_or_default().min(MAX_RETRY_AFTER))
    }
}

/// What a drain did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadReport {
    /// Scans the server took.
    pub acknowledged: u64,
    /// Scans someone else got to first (`NOOP_TRANSITION`).
    pub conflicts: u64,
    /// Scans refused for good, a 409 answered [`MAX_CONFLICT_TRIES`] times included.
    pub rejected: u64,
    /// Attempts that failed and will be retried.
    pub retries: u64,
    /// Scans of the target still waiting when the drain ended.
    pub still_pending: u64,
    /// Why uploads stopped (401/403); JSON gets the English words.
    #[serde(serialize_with = "usher_core::i18n::english_opt")]
    pub paused: Option<Said>,
    /// The circuit breaker stopped the round at the first answer saying the server is in
    /// trouble (no answer, an unreadable one, 408, 429, 5xx, 401/403): why, in plain words.
    #[serde(serialize_with = "usher_core::i18n::english_opt")]
    pub tripped: Option<Said>,
    /// The wait the server asked for with the answer that tripped the breaker (clamped).
    #[serde(skip)]
    pub server_wait: Option<Duration>,
}

impl UploadReport {
    /// The server answered some of the scans (accepted, refused or already done).
    pub fn answered(&self) -> bool {
        self.acknowledged + self.conflicts + self.rejected > 0
    }

    /// Something was sent.
    pub fn sent_any(&self) -> bool {
        self.answered() || self.retries > 0
    }
}

/// The queue-wide circuit breaker. Per-scan backoff alone would still send a failing server
/// each door's whole backlog every round; instead the first answer that says the server is
/// in trouble stops the round (requests already in flight finish, no new one starts). After
/// a round with no answer at all the next waits the server's `Retry-After` (clamped) or the
/// growing backoff, whichever is longer, and starts with one request (half-open) before
/// opening up again; after a round that got answers first (a lossy link), the next starts at
/// once, or after the server's `Retry-After`.
#[derive(Debug, Clone)]
pub struct Breaker {
    policy: RetryPolicy,
    /// Rounds tripped in a row.
    trips: i64,
    /// The server asked for this wait with the last trip.
    server_asked: bool,
}

impl Breaker {
    /// A closed breaker: the first round goes out in full.
    pub fn new(policy: RetryPolicy) -> Breaker {
        Breaker {
            policy,
            trips: 0,
            server_asked: false,
        }
    }

    /// The next round starts with one request.
    pub fn half_open(&self) -> bool {
        self.trips > 0
    }

    /// Whether a nudge (a new scan, the link back) may start a round before the pause ends:
    /// not when the server itself asked for the wait.
    pub fn may_probe_early(&self) -> bool {
        !self.server_asked
    }

    /// Takes a round's report; returns the pause before the next round when it tripped.
    pub fn after(&mut self, round: &UploadReport) -> Option<Duration> {
        if round.tripped.is_none() {
            self.trips = 0;
            self.server_asked = false;
            return None;
        }
        self.server_asked = round.server_wait.is_some();
        // A round that got answers before it tripped met a lossy link, not a dead server:
        // the next one starts at once (after the server's wait, if it asked for one), in
        // full. Only rounds with no answer at all back off, and start with one request.
        if round.answered() {
            self.trips = 0;
            return Some(
                round
                    .server_wait
                    .map_or(Duration::ZERO, |w| w.min(MAX_RETRY_AFTER)),
            );
        }
        let pause = self.policy.delay(self.trips, round.server_wait);
        self.trips += 1;
        Some(pause)
    }
}

/// Whether an answer trips the breaker: the server is unreachable, failing, overloaded or
/// refusing the token. A 409 or a refusal concerns one ticket only.
fn trips(answer: &Failure) -> bool {
    matches!(
        answer,
        Failure::Retry { .. } | Failure::Unreadable { .. } | Failure::Auth { .. }
    )
}

/// Uploads every due scan; with `wait`, keeps going (sleeping until the next retry is due,
/// or until the breaker's pause has passed) until the queue is empty or `wait` has passed.
pub async fn upload(
    store: &Mutex<Store>,
    client: &ApiClient,
    target: &Target<'_>,
    policy: RetryPolicy,
    wait: Option<Duration>,
) -> Result<UploadReport, SyncError> {
    let deadline = wait.map(|w| tokio::time::Instant::now() + w);
    let mut breaker = Breaker::new(policy);
    let mut report = UploadReport::default();
    loop {
        let round = round(store, client, target, policy, breaker.half_open()).await?;
        report.acknowledged += round.acknowledged;
        report.conflicts += round.conflicts;
        report.rejected += round.rejected;
        report.retries += round.retries;
        report.still_pending = round.still_pending;
        report.tripped = round.tripped.clone();
        report.server_wait = round.server_wait;
        if round.paused.is_some() {
            report.paused = round.paused;
            return Ok(report);
        }
        let next_due = match breaker.after(&round) {
            Some(pause) => Some(pause),
            None if round.still_pending == 0 => break,
            None => {
                let next = {
                    let s = store.lock().unwrap_or_else(|p| p.into_inner());
                    outbox::waiting(s.conn(), *target)?.next_attempt_ms
                };
                let until_next = next
                    .map(|t| {
                        Duration::from_millis(
                            (t - Timestamp::now().as_millisecond()).max(10) as u64,
                        )
                    })
                    .unwrap_or(Duration::from_millis(50));
                Some(until_next.min(Duration::from_millis(500)))
            }
        };
        let Some(deadline) = deadline else { break };
        let pause = next_due.unwrap_or_default();
        if tokio::time::Instant::now() + pause >= deadline {
            break;
        }
        tokio::time::sleep(pause).await;
    }
    Ok(report)
}

/// One round: sends every due scan, in batches, until none is due, the token is refused,
/// or the breaker trips. `half_open`: the first batch is one scan; the rest follow only if
/// it got an answer.
pub async fn round(
    store: &Mutex<Store>,
    client: &ApiClient,
    target: &Target<'_>,
    policy: RetryPolicy,
    half_open: bool,
) -> Result<UploadReport, SyncError> {
    let mut report = UploadReport::default();
    let mut probing = half_open;
    loop {
        let due = {
            let s = store.lock().unwrap_or_else(|p| p.into_inner());
            outbox::due_uploads(
                s.conn(),
                *target,
                Timestamp::now(),
                if probing { 1 } else { 512 },
            )?
        };
        if due.is_empty() {
            break;
        }
        let tripped = AtomicBool::new(false);
        let tripped = &tripped;
        let mut answers = futures::stream::iter(due)
            .map(|u| async move {
                // Tripped meanwhile: this one is not sent, and stays due as it was.
                if tripped.load(Ordering::Acquire) {
                    return (u, None);
                }
                let body = request_body(&u);
                let answer = client.check(u.kind, &u.key, &body, None).await;
                if answer.as_ref().is_err_and(trips) {
                    tripped.store(true, Ordering::Release);
                }
                (u, Some(answer))
            })
            .buffer_unordered(CONCURRENCY);
        while let Some((u, answer)) = answers.next().await {
            let Some(answer) = answer else { continue };
            match &answer {
                Ok(_) => report.acknowledged += 1,
                Err(Failure::Conflict { .. }) => report.conflicts += 1,
                Err(Failure::Rejected { .. }) => report.rejected += 1,
                Err(Failure::Auth { message, .. }) => {
                    report.retries += 1;
                    report.paused = Some(message.clone());
                }
                Err(Failure::Retry { .. } | Failure::Unreadable { .. }) => report.retries += 1,
                Err(Failure::Contended { .. }) => {
                    if u.attempts + 1 >= MAX_CONFLICT_TRIES {
                        report.rejected += 1;
                    } else {
                        report.retries += 1;
                    }
                }
            }
            if let Err(f) = &answer {
                if trips(f) && report.tripped.is_none() {
                    report.tripped = Some(f.said());
                    report.server_wait = f.after();
                }
            }
            let settlement = settlement(answer, u.attempts, policy);
            let mut s = store.lock().unwrap_or_else(|p| p.into_inner());
            outbox::settle(s.conn_mut(), u.seq, &settlement, Timestamp::now())?;
        }
        drop(answers);
        let s = store.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(why) = &report.paused {
            crate::state::set_paused(s.conn(), Some(why))?;
            break;
        }
        if report.tripped.is_some() {
            break;
        }
        crate::state::uploaded(s.conn(), Timestamp::now())?;
        probing = false;
    }
    let s = store.lock().unwrap_or_else(|p| p.into_inner());
    report.still_pending = outbox::waiting(s.conn(), *target)?.count;
    crate::state::clock(&s, client, Timestamp::now())?;
    Ok(report)
}

/// What an answer to an upload means for the scan log. `attempts` is how many times this
/// scan was tried before this answer.
pub fn settlement(
    answer: Result<session_api::CheckInResponse, Failure>,
    attempts: i64,
    policy: RetryPolicy,
) -> Settlement {
    match answer {
        Ok(resp) => Settlement::Acknowledged {
            tickets: resp.tickets,
        },
        Err(Failure::Conflict { message, data }) => {
            let ticket = data
                .get("ticket")
                .and_then(|t| serde_json::from_value(t.clone()).ok())
                .map(Box::new);
            Settlement::Conflict {
                message,
                detail: data,
                ticket,
            }
        }
        Err(Failure::Rejected { message, data, .. }) => Settlement::Rejected {
            message,
            detail: data,
        },
        // 409 again and again: kept as refused, in the server's words, not retried forever.
        Err(Failure::Contended { message, data, .. }) if attempts + 1 >= MAX_CONFLICT_TRIES => {
            Settlement::Rejected {
                message: format!(
                    "{message} (Session Services answered 409 CONFLICT {MAX_CONFLICT_TRIES} times)"
                ),
                detail: data,
            }
        }
        Err(Failure::Contended { message, after, .. }) => Settlement::Retry {
            next_attempt: later(policy.delay(attempts, after)),
            error: message,
        },
        Err(Failure::Retry { reason, after, .. }) => Settlement::Retry {
            next_attempt: later(policy.delay(attempts, after)),
            // The scan log keeps the English (it is exported as data, `usher export`).
            error: reason.to_string(),
        },
        Err(Failure::Unreadable { reason, .. }) => Settlement::Retry {
            next_attempt: later(policy.delay(attempts, None)),
            error: reason.to_string(),
        },
        // Paused: try again as soon as there is a token that works.
        Err(Failure::Auth { message, .. }) => Settlement::Retry {
            next_attempt: Timestamp::now(),
            error: message.to_string(),
        },
    }
}

/// Now plus `wait`, saturating: no delay can overflow the clock.
fn later(wait: Duration) -> Timestamp {
    let now = Timestamp::now();
    jiff::SignedDuration::try_from(wait)
        .ok()
        .and_then(|d| now.checked_add(d).ok())
        .unwrap_or(Timestamp::MAX)
}

/// The request for a recorded scan: nothing the contract does not name, and always the
/// event guard, the device id and the scan's own idempotency key.
pub fn request_body(u: &Upload) -> CheckInRequest {
    CheckInRequest {
        event_id: Some(u.event_id.clone()),
        device_id: Some(u.device_id.clone()),
        idempotency_key: Some(u.idempotency_key.clone()),
        allow_partial_order_check_in: u.allow_partial.then_some(true),
        admission_ids: (!u.admission_ids.is_empty()).then(|| u.admission_ids.clone()),
        section_ids: (!u.section_ids.is_empty()).then(|| u.section_ids.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tripped(acknowledged: u64, server_wait: Option<Duration>) -> UploadReport {
        UploadReport {
            acknowledged,
            tripped: Some(Said::quoted("503")),
            server_wait,
            ..UploadReport::default()
        }
    }

    #[test]
    fn a_dead_server_trips_the_breaker_into_growing_pauses_and_one_request_rounds() {
        let mut b = Breaker::new(RetryPolicy {
            min: Duration::from_millis(100),
            max: Duration::from_secs(10),
        });
        assert!(!b.half_open());
        let first = b.after(&tripped(0, None)).unwrap();
        assert!(b.half_open() && b.may_probe_early());
        for _ in 0..5 {
            b.after(&tripped(0, None));
        }
        let later = b.after(&tripped(0, None)).unwrap();
        assert!(later > first * 4, "{first:?} then {later:?}");
        // A round without a trip closes it.
        assert_eq!(b.after(&UploadReport::default()), None);
        assert!(!b.half_open());
    }

    #[test]
    fn a_lossy_link_that_still_answers_goes_on_at_once_in_full() {
        let mut b = Breaker::new(RetryPolicy::default());
        b.after(&tripped(0, None));
        assert_eq!(b.after(&tripped(12, None)), Some(Duration::ZERO));
        assert!(!b.half_open());
    }

    #[test]
    fn a_servers_retry_after_is_waited_and_not_cut_short_by_a_nudge() {
        let mut b = Breaker::new(RetryPolicy::default());
        let pause = b.after(&tripped(3, Some(Duration::from_secs(30)))).unwrap();
        assert_eq!(pause, Duration::from_secs(30));
        assert!(!b.may_probe_early());
        let pause = b.after(&tripped(0, Some(Duration::MAX))).unwrap();
        assert!(pause <= MAX_RETRY_AFTER);
    }

    #[test]
    fn backoff_grows_and_honours_retry_after() {
        let p = RetryPolicy {
            min: Duration::from_millis(100),
            max: Duration::from_secs(10),
        };
        assert!(p.delay(0, None) >= Duration::from_millis(100));
        assert!(p.delay(6, None) >= Duration::from_millis(3200));
        assert!(p.delay(40, None) <= Duration::from_secs(20));
        assert!(p.delay(0, Some(Duration::from_secs(5))) >= Duration::from_secs(5));
        assert_eq!(p.delay(0, Some(Duration::MAX)), MAX_RETRY_AFTER);
    }

    fn contended() -> Failure {
        Failure::Contended {
            message: "Ticket is being changed".into(),
            after: None,
            data: serde_json::Value::Null,
        }
    }

    #[test]
    fn a_409_is_retried_then_kept_as_refused_with_the_servers_words() {
        let p = RetryPolicy::default();
        for attempts in 0..MAX_CONFLICT_TRIES - 1 {
            assert!(matches!(
                settlement(Err(contended()), attempts, p),
                Settlement::Retry { .. }
            ));
        }
        match settlement(Err(contended()), MAX_CONFLICT_TRIES - 1, p) {
            Settlement::Rejected { message, .. } => {
                assert!(message.starts_with("Ticket is being changed"), "{message}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_huge_retry_after_schedules_within_the_clamp() {
        let s = settlement(
            Err(Failure::Retry {
                reason: usher_core::i18n::Said::quoted("busy"),
                after: Some(Duration::MAX),
                status: 429,
            }),
            0,
            RetryPolicy::default(),
        );
        let Settlement::Retry { next_attempt, .. } = s else {
            panic!("{s:?}")
        };
        let wait = next_attempt.duration_since(Timestamp::now());
        assert!(wait <= jiff::SignedDuration::try_from(MAX_RETRY_AFTER).unwrap());
    }
}
