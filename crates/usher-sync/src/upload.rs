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
use std::sync::Mutex;
use std::time::Duration;
use usher_core::scanlog::{self, Settlement, Upload};
use usher_core::Store;

/// Requests in flight at once.
pub const CONCURRENCY: usize = 16;

/// When a failed upload is tried again: exponential backoff with jitter, never sooner than
/// the server's `Retry-After`.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub min: Duration,
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
    pub acknowledged: u64,
    pub conflicts: u64,
    pub rejected: u64,
    /// Attempts that failed and will be retried.
    pub retries: u64,
    pub still_pending: u64,
    /// Why uploads stopped (401/403), in plain words.
    pub paused: Option<String>,
}

/// The tenant and API whose scans may be uploaded with this client's token. Scans made
/// under another tenant are never sent with it.
pub struct Target<'a> {
    pub tenant_id: &'a str,
    pub api: &'a str,
}

/// Uploads every due scan; with `wait`, keeps going (sleeping until the next retry is due)
/// until the queue is empty or `wait` has passed.
pub async fn upload(
    store: &Mutex<Store>,
    client: &ApiClient,
    target: &Target<'_>,
    policy: RetryPolicy,
    wait: Option<Duration>,
) -> Result<UploadReport, SyncError> {
    let deadline = wait.map(|w| tokio::time::Instant::now() + w);
    let mut report = UploadReport::default();
    loop {
        let due = {
            let s = store.lock().unwrap_or_else(|p| p.into_inner());
            scanlog::due_uploads(
                s.conn(),
                target.tenant_id,
                target.api,
                Timestamp::now(),
                512,
            )?
        };
        if due.is_empty() {
            let (pending, next) = {
                let s = store.lock().unwrap_or_else(|p| p.into_inner());
                pending_and_next(s.conn(), target)?
            };
            report.still_pending = pending;
            let Some(deadline) = deadline else { break };
            if pending == 0 || tokio::time::Instant::now() >= deadline {
                break;
            }
            let until_next = next
                .map(|t| {
                    Duration::from_millis((t - Timestamp::now().as_millisecond()).max(10) as u64)
                })
                .unwrap_or(Duration::from_millis(50));
            tokio::time::sleep(until_next.min(Duration::from_millis(500))).await;
            continue;
        }
        let mut answers = futures::stream::iter(due)
            .map(|u| async move {
                let body = request_body(&u);
                let answer = client.check(u.kind, &u.key, &body, None).await;
                (u, answer)
            })
            .buffer_unordered(CONCURRENCY);
        let mut paused = None;
        while let Some((u, answer)) = answers.next().await {
            match &answer {
                Ok(_) => report.acknowledged += 1,
                Err(Failure::Conflict { .. }) => report.conflicts += 1,
                Err(Failure::Rejected { .. }) => report.rejected += 1,
                Err(Failure::Auth { message, .. }) => {
                    report.retries += 1;
                    paused = Some(message.clone());
                }
                Err(Failure::Retry { .. }) => report.retries += 1,
                Err(Failure::Contended { .. }) => {
                    if u.attempts + 1 >= MAX_CONFLICT_TRIES {
                        report.rejected += 1;
                    } else {
                        report.retries += 1;
                    }
                }
            }
            let settlement = settlement(answer, u.attempts, policy);
            let mut s = store.lock().unwrap_or_else(|p| p.into_inner());
            scanlog::settle(s.conn_mut(), u.seq, &settlement, Timestamp::now())?;
        }
        if let Some(why) = paused {
            let s = store.lock().unwrap_or_else(|p| p.into_inner());
            crate::state::set_paused(s.conn(), Some(&why))?;
            report.still_pending = pending_and_next(s.conn(), target)?.0;
            report.paused = Some(why);
            return Ok(report);
        }
        let s = store.lock().unwrap_or_else(|p| p.into_inner());
        crate::state::uploaded(s.conn(), Timestamp::now())?;
    }
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
            error: reason,
        },
        // Paused: try again as soon as there is a token that works.
        Err(Failure::Auth { message, .. }) => Settlement::Retry {
            next_attempt: Timestamp::now(),
            error: message,
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

fn pending_and_next(
    conn: &rusqlite::Connection,
    target: &Target<'_>,
) -> Result<(u64, Option<i64>), SyncError> {
    Ok(conn.query_row(
        "SELECT count(*), min(next_attempt_ms) FROM scans
         WHERE upload = 'PENDING' AND tenant_id = ?1 AND api = ?2",
        [target.tenant_id, target.api],
        |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

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
                reason: "busy".into(),
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
