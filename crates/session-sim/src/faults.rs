//! Fault injection: scripted answers, latency, 500/503, 429 above a request rate,
//! commit-then-drop, connection reset, slow and truncated bodies, refused or repeated
//! cursors, and the older `cursor` response key.
//!
//! Every random choice comes from one RNG seeded by [`Faults::seed`] and re-seeded whenever
//! the faults are set, drawing the same number of values per request, so a sequential
//! client sees the same faults on the same requests every run.

use std::collections::VecDeque;
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, response::Parts, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures_util::stream;
use http_body_util::BodyExt;
use rand::{rngs::StdRng, Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use session_api::codes;
use std::sync::Arc;

use crate::error::ApiError;
use crate::server::{ConnKill, Shared};

/// What goes wrong, and how often. All rates are probabilities per request (0.0–1.0).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Faults {
    /// Seed of the fault RNG.
    pub seed: u64,
    /// Added to every API request.
    pub latency_ms: u64,
    /// Plus a uniform random 0..=jitter.
    pub jitter_ms: u64,
    /// 500 INTERNAL_SERVER_ERROR before anything is applied.
    pub error_500_rate: f64,
    /// 503 SERVICE_UNAVAILABLE before anything is applied.
    pub error_503_rate: f64,
    /// Requests per second (all API routes together) above which the answer is 429.
    /// 0 means no limit.
    pub rate_limit_per_sec: u32,
    /// `Retry-After` seconds sent with a 429; `None` sends no header.
    pub retry_after_secs: Option<u64>,
    /// Check-in/check-out only: the change is applied (and its idempotent answer stored),
    /// then the connection is closed with no answer.
    pub commit_then_drop_rate: f64,
    /// The connection is reset (RST) before anything is applied.
    pub reset_rate: f64,
    /// Every body is sent in 8 chunks spread over this many milliseconds.
    pub slow_body_ms: u64,
    /// The body is cut in half and the connection closed (Content-Length announces all).
    pub truncate_rate: f64,
    /// List responses name the next cursor `cursor` instead of `after`.
    pub legacy_cursor_key: bool,
    /// Canned answers for the next matching API requests, used once each, in order, before
    /// anything else (no tenant or token check, nothing applied, no fault drawn).
    pub script: Vec<Scripted>,
    /// Every list request that carries a `cursor` gets this status with the contract's error
    /// body (422: `fieldErrors.cursor`), before anything else but the script.
    pub reject_cursors: Option<u16>,
    /// A list page fetched with a cursor answers with `after` equal to that same cursor (a
    /// server stuck on one page).
    pub repeat_cursor: bool,
    /// Ticket ids `/tickets/attendees` leaves out while `/tickets/attendees/index` still
    /// counts them (a server that loses rows).
    #[serde(default)]
    pub hidden_rows: Vec<String>,
    /// Every answer's `Date` header is this many seconds off the machine's clock (the
    /// laptop's clock, seen from the server, is off by the opposite).
    #[serde(default)]
    pub clock_offset_secs: i64,
}

/// One canned answer of [`Faults::script`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Scripted {
    /// The route it answers, named as `/__sim/requests` names routes
    /// (`PUT /tickets/{key}/check-in`); `None`: the next API request, whatever it is.
    #[serde(default)]
    pub route: Option<String>,
    /// The HTTP status.
    pub status: u16,
    /// What the answer's body is (default: the contract's error body).
    #[serde(default)]
    pub body: ScriptedBody,
    /// A raw `Retry-After` header value (`"120"`, `"99999999999"`, an HTTP date).
    #[serde(default)]
    pub retry_after: Option<String>,
}

impl Scripted {
    /// The contract's error body for `status`, on any route.
    pub fn status(status: u16) -> Scripted {
        Scripted {
            route: None,
            status,
            body: ScriptedBody::Contract,
            retry_after: None,
        }
    }

    /// Only for requests to `route` (`"PUT /tickets/{key}/check-in"`).
    pub fn on(mut self, route: &str) -> Scripted {
        self.route = Some(route.to_string());
        self
    }

    /// With this body instead of the contract's error body.
    pub fn body(mut self, body: ScriptedBody) -> Scripted {
        self.body = body;
        self
    }

    /// With this raw `Retry-After` header value.
    pub fn retry_after(mut self, value: &str) -> Scripted {
        self.retry_after = Some(value.to_string());
        self
    }
}

/// What a [`Scripted`] answer's body is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ScriptedBody {
    /// The contract's error body for the status: the code of the contract's table with
    /// `defined: true` (422 with `data = {formErrors, fieldErrors}`), oRPC's own code with
    /// `defined: false` for a status outside the table; no body below 400.
    #[default]
    Contract,
    /// A proxy's `text/html` error page.
    Html,
    /// No body at all.
    Empty,
    /// This raw text, sent as `application/json` (e.g. a 200 that does not parse).
    Text(String),
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            seed: 0,
            latency_ms: 0,
            jitter_ms: 0,
            error_500_rate: 0.0,
            error_503_rate: 0.0,
            rate_limit_per_sec: 0,
            retry_after_secs: Some(1),
            commit_then_drop_rate: 0.0,
            reset_rate: 0.0,
            slow_body_ms: 0,
            truncate_rate: 0.0,
            legacy_cursor_key: false,
            script: Vec::new(),
            reject_cursors: None,
            repeat_cursor: false,
            hidden_rows: Vec::new(),
            clock_offset_secs: 0,
        }
    }
}

impl Faults {
    /// No faults at all.
    pub fn none() -> Faults {
        Faults::default()
    }

    fn is_inert(&self) -> bool {
        self.latency_ms == 0
            && self.jitter_ms == 0
            && self.error_500_rate <= 0.0
            && self.error_503_rate <= 0.0
            && self.rate_limit_per_sec == 0
            && self.commit_then_drop_rate <= 0.0
            && self.reset_rate <= 0.0
            && self.slow_body_ms == 0
            && self.truncate_rate <= 0.0
            && self.reject_cursors.is_none()
    }
}

/// The faults in force plus their RNG and the rate window.
pub(crate) struct FaultState {
    /// The faults in force, without the script (kept in `script`).
    config: RwLock<Faults>,
    /// What is left of the script.
    script: Mutex<VecDeque<Scripted>>,
    rng: Mutex<StdRng>,
    /// Start and count of the current one-second window; `None` until the first request.
    window: Mutex<Option<(Instant, u32)>>,
}

/// The random choices for one request, always drawn in the same order.
struct Draw {
    reset: bool,
    error: Option<(&'static str, u16)>,
    latency: Duration,
    commit_then_drop: bool,
    truncate: bool,
}

impl FaultState {
    pub fn new(faults: Faults) -> FaultState {
        let state = FaultState {
            rng: Mutex::new(StdRng::seed_from_u64(faults.seed)),
            config: RwLock::new(Faults::none()),
            script: Mutex::new(VecDeque::new()),
            window: Mutex::new(None),
        };
        state.set(faults);
        state
    }

    /// The faults in force; `script` is what is left of it.
    pub fn get(&self) -> Faults {
        let mut f = self.config.read().expect("fault lock").clone();
        f.script = self
            .script
            .lock()
            .expect("fault script")
            .iter()
            .cloned()
            .collect();
        f
    }

    /// Replaces the faults (and the script) and re-seeds the RNG.
    pub fn set(&self, mut faults: Faults) {
        *self.rng.lock().expect("fault rng") = StdRng::seed_from_u64(faults.seed);
        *self.script.lock().expect("fault script") = std::mem::take(&mut faults.script).into();
        *self.config.write().expect("fault lock") = faults;
        *self.window.lock().expect("rate window") = None;
    }

    pub fn legacy_cursor_key(&self) -> bool {
        self.config.read().expect("fault lock").legacy_cursor_key
    }

    pub fn repeat_cursor(&self) -> bool {
        self.config.read().expect("fault lock").repeat_cursor
    }

    pub fn hidden_rows(&self) -> Vec<String> {
        self.config.read().expect("fault lock").hidden_rows.clone()
    }

    fn has_script(&self) -> bool {
        !self.script.lock().expect("fault script").is_empty()
    }

    /// Takes the first entry of the script that answers `route`.
    fn next_scripted(&self, route: Option<&str>) -> Option<Scripted> {
        let mut script = self.script.lock().expect("fault script");
        let at = script
            .iter()
            .position(|s| s.route.is_none() || s.route.as_deref() == route)?;
        script.remove(at)
    }

    fn draw(&self, f: &Faults) -> Draw {
        let mut rng = self.rng.lock().expect("fault rng");
        let r: [f64; 5] = [
            rng.random(),
            rng.random(),
            rng.random(),
            rng.random(),
            rng.random(),
        ];
        let jitter = if f.jitter_ms > 0 {
            rng.random_range(0..=f.jitter_ms)
        } else {
            0
        };
        Draw {
            reset: r[0] < f.reset_rate,
            error: if r[1] < f.error_500_rate {
                Some(codes::INTERNAL_SERVER_ERROR)
            } else if r[1] < f.error_500_rate + f.error_503_rate {
                Some(codes::SERVICE_UNAVAILABLE)
            } else {
                None
            },
            latency: Duration::from_millis(f.latency_ms + jitter),
            commit_then_drop: r[2] < f.commit_then_drop_rate,
            truncate: r[3] < f.truncate_rate,
        }
    }

    /// Counts a request in the current one-second window; true when above the limit.
    fn over_rate(&self, limit: u32) -> bool {
        let mut w = self.window.lock().expect("rate window");
        let now = Instant::now();
        let (start, count) = match *w {
            Some((start, count)) if now.duration_since(start) < Duration::from_secs(1) => {
                (start, count + 1)
            }
            _ => (now, 1),
        };
        *w = Some((start, count));
        count > limit
    }
}

/// Middleware on the API routes.
pub(crate) async fn inject(State(sh): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let offset = sh
        .faults
        .config
        .read()
        .expect("fault lock")
        .clock_offset_secs;
    let mut resp = faulted(&sh, req, next).await;
    if offset != 0 {
        let date = jiff::Timestamp::now()
            .checked_add(jiff::SignedDuration::from_secs(offset))
            .ok()
            .and_then(|t| {
                jiff::fmt::rfc2822::DateTimePrinter::new()
                    .timestamp_to_rfc9110_string(&t)
                    .ok()
            })
            .and_then(|d| HeaderValue::from_str(&d).ok());
        if let Some(date) = date {
            resp.headers_mut().insert(header::DATE, date);
        }
    }
    resp
}

async fn faulted(sh: &Arc<Shared>, req: Request, next: Next) -> Response {
    if sh.faults.has_script() {
        let route = req
            .extensions()
            .get::<MatchedPath>()
            .map(|m| format!("{} {}", req.method(), m.as_str()));
        if let Some(s) = sh.faults.next_scripted(route.as_deref()) {
            return scripted(&s);
        }
    }
    let f = sh.faults.config.read().expect("fault lock").clone();
    if f.is_inert() {
        return next.run(req).await;
    }
    if let Some(status) = f.reject_cursors {
        let has_cursor = req
            .uri()
            .query()
            .is_some_and(|q| form_urlencoded::parse(q.as_bytes()).any(|(k, _)| k == "cursor"));
        if req.method() == Method::GET && has_cursor {
            return rejected_cursor(status).into_response();
        }
    }
    let d = sh.faults.draw(&f);
    let kill = req.extensions().get::<ConnKill>().cloned();
    if d.reset {
        if let Some(k) = &kill {
            return k.reset().await;
        }
    }
    if f.rate_limit_per_sec > 0 && sh.faults.over_rate(f.rate_limit_per_sec) {
        let mut e = ApiError::new(codes::TOO_MANY_REQUESTS, "Rate limit exceeded");
        e.retry_after = f.retry_after_secs.map(|s| s.to_string());
        return e.into_response();
    }
    if let Some(code) = d.error {
        return ApiError::new(code, "Simulated server failure").into_response();
    }
    if !d.latency.is_zero() {
        tokio::time::sleep(d.latency).await;
    }
    let mutation = req.method() == Method::PUT;
    let resp = next.run(req).await;
    if mutation && d.commit_then_drop {
        if let Some(k) = &kill {
            return k.drop_connection().await;
        }
    }
    if d.truncate {
        return truncated(resp).await;
    }
    if f.slow_body_ms > 0 {
        return slowed(resp, Duration::from_millis(f.slow_body_ms)).await;
    }
    resp
}

/// The contract's error for a refused cursor: 422 names the cursor field.
fn rejected_cursor(status: u16) -> ApiError {
    if status == codes::INPUT_VALIDATION_FAILED.1 {
        ApiError::invalid_field("cursor", "Invalid or expired cursor")
    } else {
        ApiError::for_status(status, "The cursor was refused")
    }
}

/// A [`Scripted`] answer.
fn scripted(s: &Scripted) -> Response {
    let status = StatusCode::from_u16(s.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut resp = match &s.body {
        ScriptedBody::Contract if s.status >= 400 => {
            let mut e = ApiError::for_status(s.status, "Scripted answer");
            if s.status == codes::INPUT_VALIDATION_FAILED.1 {
                e = e.with_data(serde_json::json!({
                    "formErrors": ["Scripted answer"],
                    "fieldErrors": {},
                }));
            }
            e.into_response()
        }
        ScriptedBody::Contract | ScriptedBody::Empty => Response::new(Body::empty()),
        ScriptedBody::Html => {
            let reason = status.canonical_reason().unwrap_or("Error");
            let page = format!(
                "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n\
                 <center><h1>{code} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n\
                 </body>\r\n</html>\r\n",
                code = s.status
            );
            let mut r = Response::new(Body::from(page));
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            r
        }
        ScriptedBody::Text(text) => {
            let mut r = Response::new(Body::from(text.clone()));
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            r
        }
    };
    *resp.status_mut() = status;
    if let Some(v) = s
        .retry_after
        .as_deref()
        .and_then(|v| HeaderValue::from_str(v).ok())
    {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    resp
}

/// The whole body of `resp` and its head, with `Content-Length` set to the body's full
/// length: what a fault that sends the body differently starts from.
async fn buffered(resp: Response) -> (Parts, Bytes) {
    let (mut parts, body) = resp.into_parts();
    let bytes = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    (parts, bytes)
}

async fn truncated(resp: Response) -> Response {
    let (parts, bytes) = buffered(resp).await;
    let half = bytes.slice(..bytes.len() / 2);
    // The head and first half go out; a moment later the connection is aborted.
    let s = stream::unfold(0u8, move |step| {
        let half = half.clone();
        async move {
            match step {
                0 => Some((Ok(half), 1)),
                1 => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    Some((
                        Err(std::io::Error::new(
                            std::io::ErrorKind::ConnectionAborted,
                            "truncated",
                        )),
                        2,
                    ))
                }
                _ => None,
            }
        }
    });
    Response::from_parts(parts, Body::from_stream(s))
}

async fn slowed(resp: Response, total: Duration) -> Response {
    let (parts, bytes) = buffered(resp).await;
    let n = 8usize;
    let size = bytes.len().div_ceil(n).max(1);
    let pause = total / n as u32;
    let chunks: Vec<Bytes> = (0..bytes.len())
        .step_by(size)
        .map(|i| bytes.slice(i..(i + size).min(bytes.len())))
        .collect();
    let s = stream::unfold(chunks.into_iter(), move |mut it| async move {
        let chunk = it.next()?;
        tokio::time::sleep(pause).await;
        Some((Ok::<_, std::io::Error>(chunk), it))
    });
    Response::from_parts(parts, Body::from_stream(s))
}
