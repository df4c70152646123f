//! The Session Services client: typed requests and responses, and every failure classified
//! the way the door needs it.
//!
//! **Architecture invariant:** no request leaves without `x-tenant-id`, and a client cannot
//! exist without a tenant. Bodies are `session_api` request types, which cannot hold a field
//! the contract does not name.

use crate::token::Token;
use serde::de::DeserializeOwned;
use session_api::{
    reasons, AttendeeIndex, AttendeePage, CheckInRequest, CheckInResponse, ErrorBody,
    EventEnvelope, EventPage, MeResponse, ScanKind, TicketEnvelope, TicketPage,
};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use usher_core::i18n::Said;

/// The longest wait a server's `Retry-After` can impose: a door never holds a scan back
/// longer than this on a server's word, whatever number or date it sends.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(300);

/// How many 409 CONFLICT answers one scan takes before it is kept as refused with the
/// server's words (409 is "try again shortly", but not forever).
pub const MAX_CONFLICT_TRIES: i64 = 5;

/// What to do about a failed request.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Failure {
    /// Try again later: no answer (the network, a timeout), a 408, 429 or 5xx whatever its
    /// body (a proxy's or load balancer's page included), or Session Services' own error body
    /// with a status the table does not name.
    #[error("{reason}")]
    Retry {
        /// What happened, in plain words.
        reason: Said,
        /// The server's `Retry-After`, if it sent one, already clamped to
        /// [`MAX_RETRY_AFTER`].
        after: Option<Duration>,
        /// The HTTP status, 0 when there was no answer at all.
        status: u16,
    },
    /// Something answered, but not in a shape this app can read: a 200 whose body does not
    /// parse, or a page that is not Session Services' own (a captive portal, a wrong
    /// address). Retried later like [`Failure::Retry`], but it is not "offline", and says so.
    #[error("{reason}")]
    Unreadable {
        /// What was wrong, in plain words.
        reason: Said,
        /// The HTTP status of the answer.
        status: u16,
    },
    /// 409 CONFLICT from Session Services: try again after a short wait, at most
    /// [`MAX_CONFLICT_TRIES`] times for one scan.
    #[error("{message}")]
    Contended {
        /// The server's words (or a plain fallback when its message is blank).
        message: String,
        /// The server's `Retry-After`, already clamped to [`MAX_RETRY_AFTER`].
        after: Option<Duration>,
        /// The error body's `data`; null when it has none.
        data: serde_json::Value,
    },
    /// 401 or 403 from Session Services: stop, keep everything queued, ask for a (better)
    /// token.
    #[error("{message}")]
    Auth {
        /// 401 (the token is not accepted) or 403 (it lacks a permission).
        status: u16,
        /// What to do, in plain words.
        message: Said,
    },
    /// `NOOP_TRANSITION`: already in the target state; someone else got there first.
    #[error("{message}")]
    Conflict {
        /// The server's words (or a plain fallback when its message is blank).
        message: String,
        /// The error body's `data`: its `reason` and, when sent, the ticket with its scans.
        data: serde_json::Value,
    },
    /// Refused for good: Session Services' own error body with 400 (another reason), 404 or
    /// 422. No other answer is ever a final refusal; [`ApiClient::new`] also refuses a tenant
    /// that is not a `tnt_…` id this way, before any request.
    #[error("{message}")]
    Rejected {
        /// The HTTP status; 0 when [`ApiClient::new`] refused to make a client.
        status: u16,
        /// Session Services' error code, or `NO_TENANT` from [`ApiClient::new`].
        code: String,
        /// The server's words (or a plain fallback when its message is blank).
        message: String,
        /// The error body's `data`; null when it has none.
        data: serde_json::Value,
    },
}

impl Failure {
    /// What staff are told, to be worded in the door's language: the app's own words for no
    /// answer, an unreadable one or a refused token; the server's words quoted otherwise.
    pub fn said(&self) -> Said {
        match self {
            Failure::Retry { reason, .. } | Failure::Unreadable { reason, .. } => reason.clone(),
            Failure::Auth { message, .. } => message.clone(),
            Failure::Contended { message, .. }
            | Failure::Conflict { message, .. }
            | Failure::Rejected { message, .. } => Said::quoted(message),
        }
    }

    /// `data.reason` of a 400, if any.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Failure::Conflict { data, .. } | Failure::Rejected { data, .. } => {
                data.get("reason").and_then(|r| r.as_str())
            }
            _ => None,
        }
    }

    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Failure::Retry { status: 0, .. } => None,
            Failure::Retry { status, .. }
            | Failure::Unreadable { status, .. }
            | Failure::Auth { status, .. }
            | Failure::Rejected { status, .. } => Some(*status),
            Failure::Contended { .. } => Some(409),
            Failure::Conflict { .. } => Some(400),
        }
    }

    /// The wait the server asked for (`Retry-After`, clamped), if any.
    pub fn after(&self) -> Option<Duration> {
        match self {
            Failure::Retry { after, .. } | Failure::Contended { after, .. } => *after,
            _ => None,
        }
    }

    /// True when trying again later may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Failure::Retry { .. } | Failure::Unreadable { .. } | Failure::Contended { .. }
        )
    }
}

/// Reads a `Retry-After` header: delay-seconds or an HTTP date, clamped to
/// [`MAX_RETRY_AFTER`] with checked arithmetic, so no value can panic or park a scan for
/// long. A date in the past, or a value that is neither, is no wait at all.
pub fn retry_after(value: &str, now: jiff::Timestamp) -> Option<Duration> {
    let value = value.trim();
    let wait = if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Any number of digits: beyond u64 it is simply "very long".
        Duration::from_secs(value.parse::<u64>().unwrap_or(u64::MAX))
    } else {
        let at = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
        let secs = at.as_second().checked_sub(now.as_second())?;
        Duration::from_secs(u64::try_from(secs).unwrap_or(0))
    };
    Some(wait.min(MAX_RETRY_AFTER))
}

/// Classifies an answer that is not a 200 by the contract's table. Only Session Services'
/// own error body (the contract's shape, with `status` equal to the HTTP status) is read as
/// the service speaking; anything else is retried later: as no answer with 408, 429 or 5xx,
/// as [`Failure::Unreadable`] with any other status.
pub fn classify(status: u16, body: &[u8], retry_after: Option<Duration>) -> Failure {
    let Some(e) = ErrorBody::parse(status, body) else {
        if status == 408 || (500..600).contains(&status) || status == 429 {
            return Failure::Retry {
                reason: Said::new("failure-no-answer-status").with("status", status.to_string()),
                after: retry_after,
                status,
            };
        }
        return Failure::Unreadable {
            reason: Said::new("failure-not-session-services").with("status", status.to_string()),
            status,
        };
    };
    // A blank message (found by the fuzz target `answers`) reads as no message at all: staff
    // always get words.
    let message = if e.message.trim().is_empty() {
        format!("refused by Session Services (HTTP {status})")
    } else {
        e.message.clone()
    };
    let reason = e.reason().map(str::to_string);
    let data = e.data.unwrap_or(serde_json::Value::Null);
    match status {
        401 => Failure::Auth {
            status,
            message: Said::new("failure-token-refused"),
        },
        403 => Failure::Auth {
            status,
            message: Said::new("failure-token-permission").with("server", e.message.as_str()),
        },
        409 => Failure::Contended {
            message,
            after: retry_after,
            data,
        },
        400 if reason.as_deref() == Some(reasons::NOOP_TRANSITION) => {
            Failure::Conflict { message, data }
        }
        400 | 404 | 422 => Failure::Rejected {
            status,
            code: e.code,
            message,
            data,
        },
        _ => Failure::Retry {
            reason: Said::new("failure-not-now")
                .with("status", status.to_string())
                .with("code", e.code.as_str())
                .with("server", e.message.as_str()),
            after: retry_after,
            status,
        },
    }
}

/// Reads a whole answer as the client does: a 200's body as `T`, anything else by the
/// contract's table ([`classify`]); `retry_after` is the raw `Retry-After` header, if any.
/// Pure (no I/O), so the fuzz targets (`crates/usher-fuzz`) drive the very path a real
/// response takes.
pub fn read_answer<T: DeserializeOwned>(
    status: u16,
    retry_after_header: Option<&[u8]>,
    body: &[u8],
    now: jiff::Timestamp,
) -> Result<T, Failure> {
    // As `HeaderValue::to_str`: visible ASCII only, anything else is no header at all.
    let retry_after_header = retry_after_header
        .filter(|v| v.iter().all(|&b| b == b'\t' || (0x20..0x7f).contains(&b)))
        .and_then(|v| std::str::from_utf8(v).ok())
        .and_then(|v| retry_after(v, now));
    if status == 200 {
        serde_json::from_slice(body).map_err(|e| Failure::Unreadable {
            reason: Said::new("failure-unreadable-answer").with("why", e.to_string()),
            status,
        })
    } else {
        Err(classify(status, body, retry_after_header))
    }
}

/// Where a page of the roster starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bookmark<'a> {
    /// The first row of the list.
    Top,
    /// A bucket's first row, as `/tickets/attendees/index` named it.
    Anchor(&'a str),
    /// The row after the previous page (its `after`).
    Cursor(&'a str),
}

/// The query that scopes a roster walk and its index: the event, optionally one admission.
fn roster_filters(event_id: &str, admission_id: Option<&str>) -> Vec<(String, String)> {
    let mut q = vec![("eventId".to_string(), event_id.to_string())];
    if let Some(a) = admission_id {
        q.push(("admissionIds[0]".to_string(), a.to_string()));
    }
    q
}

/// What the answers' `Date` headers say of this laptop's clock: Session Services' clock
/// minus the local one, shared by every clone of a client (sync, online confirm, heartbeat).
#[derive(Debug, Default)]
pub struct ClockSense {
    skew_ms: AtomicI64,
    seen: AtomicBool,
    /// The skew last written to the data folder, and when (`crate::state::clock`).
    written: Mutex<Option<(i64, i64)>>,
}

/// A kept skew is written again after this long, so the door knows it is still true.
const CLOCK_REWRITE_MS: i64 = 60_000;

impl ClockSense {
    fn saw(&self, date: &str, now: jiff::Timestamp) {
        let Ok(server) = jiff::fmt::rfc2822::parse(date.trim()) else {
            return;
        };
        // `Date` has whole seconds, cut down: the server's clock is half a second on, on
        // average.
        let server_ms = server.timestamp().as_millisecond() + 500;
        self.skew_ms
            .store(server_ms - now.as_millisecond(), Ordering::Relaxed);
        self.seen.store(true, Ordering::Relaxed);
    }

    /// Server clock minus this laptop's, in ms, once an answer said.
    pub fn skew_ms(&self) -> Option<i64> {
        self.seen
            .load(Ordering::Relaxed)
            .then(|| self.skew_ms.load(Ordering::Relaxed))
    }

    /// The skew to write now, if it moved by a second or more, or was written a while ago.
    pub(crate) fn to_write(&self, now_ms: i64) -> Option<i64> {
        let skew = self.skew_ms()?;
        let written = *self.written.lock().unwrap_or_else(|p| p.into_inner());
        match written {
            Some((was, at))
                if (was - skew).abs() < 1_000 && (0..CLOCK_REWRITE_MS).contains(&(now_ms - at)) =>
            {
                None
            }
            _ => Some(skew),
        }
    }

    pub(crate) fn written(&self, skew: i64, now_ms: i64) {
        *self.written.lock().unwrap_or_else(|p| p.into_inner()) = Some((skew, now_ms));
    }
}

/// A client for one tenant on one Session Services.
#[derive(Clone)]
pub struct ApiClient {
    http: reqwest::Client,
    base: String,
    tenant: String,
    token: Option<Token>,
    clock: Arc<ClockSense>,
}

/// How long a background request may take (downloads, uploads). Online confirm at the door
/// uses its own, much shorter, timeout.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

impl ApiClient {
    /// A client for `tenant` at `base_url`. There is no client without a tenant: the official
    /// SDK's silent fallback to a demo tenant cannot happen here.
    pub fn new(base_url: &str, tenant: &str, token: Option<Token>) -> Result<ApiClient, Failure> {
        if !session_api::ids::is_id("tnt", tenant) {
            return Err(Failure::Rejected {
                status: 0,
                code: "NO_TENANT".into(),
                message: format!("no valid tenant configured ({tenant:?}): run `usher setup`"),
                data: serde_json::Value::Null,
            });
        }
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(REQUEST_TIMEOUT)
            .pool_max_idle_per_host(32)
            .build()
            .map_err(|e| Failure::Retry {
                reason: Said::new("failure-http-client").with("why", e.to_string()),
                after: None,
                status: 0,
            })?;
        Ok(ApiClient {
            http,
            base: base_url.trim_end_matches('/').to_string(),
            tenant: tenant.to_string(),
            token,
            clock: Arc::default(),
        })
    }

    /// The tenant every request names in `x-tenant-id`.
    pub fn tenant(&self) -> &str {
        &self.tenant
    }

    /// What this client's answers said of the local clock.
    pub fn clock(&self) -> &ClockSense {
        &self.clock
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let mut r = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("x-tenant-id", &self.tenant);
        if let Some(t) = &self.token {
            r = r.bearer_auth(t.expose());
        }
        r
    }

    async fn send<T: DeserializeOwned>(&self, req: reqwest::RequestBuilder) -> Result<T, Failure> {
        let resp = req.send().await.map_err(network)?;
        if let Some(date) = resp
            .headers()
            .get(reqwest::header::DATE)
            .and_then(|v| v.to_str().ok())
        {
            self.clock.saw(date, jiff::Timestamp::now());
        }
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .map(|v| v.as_bytes().to_vec());
        let body = resp.bytes().await.map_err(network)?;
        read_answer(
            status,
            retry_after.as_deref(),
            &body,
            jiff::Timestamp::now(),
        )
    }

    /// `GET /users/me`.
    pub async fn me(&self) -> Result<MeResponse, Failure> {
        self.send(self.request(reqwest::Method::GET, "/users/me"))
            .await
    }

    /// `GET /events` (one page).
    pub async fn events(&self, cursor: Option<&str>) -> Result<EventPage, Failure> {
        let mut q = vec![("limit", "100".to_string())];
        if let Some(c) = cursor {
            q.push(("cursor", c.to_string()));
        }
        self.send(self.request(reqwest::Method::GET, "/events").query(&q))
            .await
    }

    /// `GET /events/{key}`, with admissions and sections.
    pub async fn event(&self, key: &str) -> Result<EventEnvelope, Failure> {
        self.send(self.request(reqwest::Method::GET, &format!("/events/{key}")))
            .await
    }

    /// `GET /tickets/{id}`: one ticket's current state, with its scans. An id that is not a
    /// `tkt_` id is refused here, before any request.
    pub async fn ticket(&self, id: &str) -> Result<TicketEnvelope, Failure> {
        if !session_api::ids::is_id("tkt", id) {
            return Err(Failure::Rejected {
                status: 0,
                code: "BAD_ID".into(),
                message: format!("{id:?} is not a ticket id"),
                data: serde_json::Value::Null,
            });
        }
        self.send(self.request(reqwest::Method::GET, &format!("/tickets/{id}")))
            .await
    }

    /// One page of `GET /tickets/attendees` for an event, optionally one admission, starting
    /// where `from` says.
    pub async fn attendees(
        &self,
        event_id: &str,
        admission_id: Option<&str>,
        from: Bookmark<'_>,
        limit: u32,
    ) -> Result<AttendeePage, Failure> {
        let mut q = roster_filters(event_id, admission_id);
        q.push(("limit".to_string(), limit.to_string()));
        match from {
            Bookmark::Top => {}
            Bookmark::Anchor(a) => q.push(("anchor".to_string(), a.to_string())),
            Bookmark::Cursor(c) => q.push(("cursor".to_string(), c.to_string())),
        }
        self.send(
            self.request(reqwest::Method::GET, "/tickets/attendees")
                .query(&q),
        )
        .await
    }

    /// `GET /tickets/attendees/index`: the roster's alpha buckets, with counts and anchors.
    pub async fn attendee_index(
        &self,
        event_id: &str,
        admission_id: Option<&str>,
    ) -> Result<AttendeeIndex, Failure> {
        self.send(
            self.request(reqwest::Method::GET, "/tickets/attendees/index")
                .query(&roster_filters(event_id, admission_id)),
        )
        .await
    }

    /// One page of the event's CANCELLED tickets (`GET /tickets`), for the refund poll.
    pub async fn cancelled_tickets(
        &self,
        event_id: &str,
        cursor: Option<&str>,
    ) -> Result<TicketPage, Failure> {
        let mut q = vec![
            ("eventId", event_id.to_string()),
            ("status", "CANCELLED".to_string()),
            ("limit", "100".to_string()),
        ];
        if let Some(c) = cursor {
            q.push(("cursor", c.to_string()));
        }
        self.send(self.request(reqwest::Method::GET, "/tickets").query(&q))
            .await
    }

    /// `PUT /tickets/{key}/check-in` or `/check-out`.
    pub async fn check(
        &self,
        kind: ScanKind,
        key: &str,
        body: &CheckInRequest,
        timeout: Option<Duration>,
    ) -> Result<CheckInResponse, Failure> {
        let path = match kind {
            ScanKind::CheckIn => format!("/tickets/{key}/check-in"),
            ScanKind::CheckOut => format!("/tickets/{key}/check-out"),
        };
        let mut req = self.request(reqwest::Method::PUT, &path).json(body);
        if let Some(t) = timeout {
            req = req.timeout(t);
        }
        self.send(req).await
    }
}

fn network(e: reqwest::Error) -> Failure {
    let what = if e.is_timeout() {
        "failure-timeout"
    } else if e.is_connect() {
        "failure-unreachable"
    } else {
        "failure-connection-broke"
    };
    Failure::Retry {
        reason: Said::new(what),
        after: None,
        status: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(code: &str, status: u16, data: serde_json::Value) -> Vec<u8> {
        serde_json::to_vec(&serde_json::json!({"defined": true, "code": code, "status": status, "message": "m", "data": data})).unwrap()
    }

    const HTML_502: &[u8] = b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";

    #[test]
    fn contract_bodies_are_classified_by_the_table() {
        assert!(matches!(
            classify(
                401,
                &body("UNAUTHORIZED", 401, serde_json::Value::Null),
                None
            ),
            Failure::Auth { status: 401, .. }
        ));
        assert!(matches!(
            classify(403, &body("FORBIDDEN", 403, serde_json::Value::Null), None),
            Failure::Auth { status: 403, .. }
        ));
        for (code, s) in [
            ("TOO_MANY_REQUESTS", 429),
            ("INTERNAL_SERVER_ERROR", 500),
            ("NOT_IMPLEMENTED", 501),
            ("SERVICE_UNAVAILABLE", 503),
        ] {
            assert!(
                matches!(
                    classify(s, &body(code, s, serde_json::Value::Null), None),
                    Failure::Retry { .. }
                ),
                "{s}"
            );
        }
        assert!(matches!(
            classify(409, &body("CONFLICT", 409, serde_json::Value::Null), None),
            Failure::Contended { .. }
        ));
        for (code, s) in [("NOT_FOUND", 404), ("INPUT_VALIDATION_FAILED", 422)] {
            assert!(
                matches!(
                    classify(s, &body(code, s, serde_json::json!({})), None),
                    Failure::Rejected { .. }
                ),
                "{s}"
            );
        }
    }

    #[test]
    fn answers_that_are_not_session_services_are_retried_never_rejected() {
        for s in [
            400, 401, 403, 404, 408, 409, 422, 502, 520, 521, 522, 523, 524,
        ] {
            for b in [HTML_502, b"", b"not json", b"{}", br#"{"error":"x"}"#] {
                let f = classify(s, b, None);
                assert!(
                    f.is_retryable(),
                    "{s} {:?}: {f:?}",
                    String::from_utf8_lossy(b)
                );
                // Server trouble reads as "did not answer"; anything else as an answer the
                // app cannot read, never as "offline".
                let no_answer = s == 408 || s >= 500;
                assert_eq!(
                    matches!(f, Failure::Retry { .. }),
                    no_answer,
                    "{s} {:?}: {f:?}",
                    String::from_utf8_lossy(b)
                );
            }
        }
        // The contract's body, but its status is not the HTTP status: a proxy's relay.
        assert!(matches!(
            classify(502, &body("NOT_FOUND", 404, serde_json::json!({})), None),
            Failure::Retry { status: 502, .. }
        ));
    }

    #[test]
    fn a_declared_or_undeclared_error_body_from_the_service_is_read() {
        let undeclared = serde_json::to_vec(&serde_json::json!({
            "defined": false, "code": "BAD_REQUEST", "status": 400,
            "message": "Ticket is cancelled", "data": {"reason": "TICKET_CANCELLED"}
        }))
        .unwrap();
        let f = classify(400, &undeclared, None);
        assert!(matches!(f, Failure::Rejected { status: 400, .. }), "{f:?}");
        assert_eq!(f.reason(), Some("TICKET_CANCELLED"));
        assert_eq!(f.to_string(), "Ticket is cancelled");
    }

    #[test]
    fn noop_transition_is_a_conflict_and_other_reasons_are_rejections() {
        let noop = classify(
            400,
            &body(
                "BAD_REQUEST",
                400,
                serde_json::json!({"reason": "NOOP_TRANSITION"}),
            ),
            None,
        );
        assert!(matches!(noop, Failure::Conflict { .. }));
        for r in [
            "EVENT_MISMATCH",
            "FILTERED_OUT",
            "PARTIAL_ORDER_CONFIRMATION_REQUIRED",
        ] {
            let f = classify(
                400,
                &body("BAD_REQUEST", 400, serde_json::json!({"reason": r})),
                None,
            );
            assert!(matches!(f, Failure::Rejected { .. }), "{r}");
            assert_eq!(f.reason(), Some(r));
        }
    }

    #[test]
    fn retry_after_is_kept() {
        let f = classify(429, b"{}", Some(Duration::from_secs(7)));
        assert!(matches!(f, Failure::Retry { after: Some(d), .. } if d == Duration::from_secs(7)));
    }

    #[test]
    fn retry_after_is_clamped_and_never_panics() {
        let now: jiff::Timestamp = "2026-11-29T18:00:00Z".parse().unwrap();
        assert_eq!(retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(retry_after("99999999999", now), Some(MAX_RETRY_AFTER));
        assert_eq!(
            retry_after("999999999999999999999999999999999999", now),
            Some(MAX_RETRY_AFTER)
        );
        assert_eq!(
            retry_after("Sun, 29 Nov 2026 18:00:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            retry_after("Thu, 01 Jan 2099 00:00:00 GMT", now),
            Some(MAX_RETRY_AFTER)
        );
        // Past the clock's range: not a date it can wait for, so no wait at all.
        assert_eq!(retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now), None);
        assert_eq!(
            retry_after("Thu, 01 Jan 1970 00:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        for junk in ["", "-5", "1.5", "soon", "\u{0}"] {
            assert_eq!(retry_after(junk, now), None, "{junk:?}");
        }
    }

    #[test]
    fn a_blank_message_from_the_service_is_replaced_by_plain_words() {
        for blank in ["", " ", " \t\n"] {
            let b = serde_json::to_vec(&serde_json::json!({"defined": true, "code": "NOT_FOUND", "status": 404, "message": blank})).unwrap();
            let f = classify(404, &b, None);
            assert!(matches!(f, Failure::Rejected { .. }), "{f:?}");
            assert_eq!(f.to_string(), "refused by Session Services (HTTP 404)");
        }
    }

    #[test]
    fn a_whole_answer_is_read_as_the_client_reads_a_response() {
        let now: jiff::Timestamp = "2026-11-29T18:00:00Z".parse().unwrap();
        // A 200 that is not the type is an answer the app cannot read (not "offline"),
        // retried, with the status kept.
        let f = read_answer::<MeResponse>(200, Some(b"9"), b"<html>", now).unwrap_err();
        assert!(
            matches!(f, Failure::Unreadable { status: 200, .. }) && f.is_retryable(),
            "{f:?}"
        );
        // Retry-After is read from the header as reqwest's `to_str` reads it: visible ASCII
        // only, anything else is no header at all.
        let f = read_answer::<MeResponse>(503, Some(b" 12 "), b"", now).unwrap_err();
        assert_eq!(f.after(), Some(Duration::from_secs(12)));
        let f = read_answer::<MeResponse>(503, Some("١٢".as_bytes()), b"", now).unwrap_err();
        assert_eq!(f.after(), None);
        let f = read_answer::<MeResponse>(503, Some(b"1\x002"), b"", now).unwrap_err();
        assert_eq!(f.after(), None);
        let me = read_answer::<MeResponse>(200, None, br#"{"members":[],"isAdmin":true}"#, now);
        assert!(me.unwrap().is_admin);
    }

    #[test]
    fn client_without_a_tenant_cannot_exist() {
        assert!(ApiClient::new("http://127.0.0.1:9", "", None).is_err());
        assert!(ApiClient::new("http://127.0.0.1:9", "tnt_bad", None).is_err());
    }
}
