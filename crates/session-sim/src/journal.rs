//! The request journal: a bounded in-memory log of API requests and their answers, for
//! conformance tests (`SimConfig::with_journal`, `GET`/`DELETE /__sim/journal`,
//! [`crate::Sim::journal`]). Off by default, so the demo never grows.
//!
//! Each entry is recorded when its answer has been produced in full (before its last byte
//! goes out), or when the connection ends without one (status 0).

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use bytes::{Bytes, BytesMut};
use http_body::{Body as HttpBody, Frame, SizeHint};
use http_body_util::BodyExt;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::server::Shared;

/// One API request and what it was answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// The HTTP method (`GET`, `PUT`, …).
    pub method: String,
    /// The path as sent (not decoded).
    pub path: String,
    /// The query's pairs as sent, decoded, in order (`[["admissionIds[0]", "adm_…"], …]`).
    pub query: Vec<(String, String)>,
    /// The request body, when it is JSON.
    pub body: Option<Value>,
    /// The HTTP status; 0 when the connection ended without an answer (a fault).
    pub status: u16,
    /// The answer's body, when it is complete JSON (not for an HTML page, an empty or a
    /// truncated body).
    pub answer: Option<Value>,
}

/// How much the journal keeps at most: the newest entries win.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JournalLimits {
    /// Requests kept.
    pub entries: usize,
    /// Bytes of answers kept (a page of 100 tickets is about 150 kB).
    pub answer_bytes: usize,
}

impl Default for JournalLimits {
    fn default() -> Self {
        JournalLimits {
            entries: 5_000,
            answer_bytes: 64 << 20,
        }
    }
}

struct Stored {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    body: Option<Value>,
    status: u16,
    answer: Bytes,
}

impl Stored {
    fn entry(&self) -> JournalEntry {
        JournalEntry {
            method: self.method.clone(),
            path: self.path.clone(),
            query: self.query.clone(),
            body: self.body.clone(),
            status: self.status,
            answer: serde_json::from_slice(&self.answer).ok(),
        }
    }
}

/// The journal itself.
pub(crate) struct Journal {
    limits: JournalLimits,
    inner: Mutex<(VecDeque<Stored>, usize)>,
}

impl Journal {
    pub fn new(limits: JournalLimits) -> Journal {
        Journal {
            limits,
            inner: Mutex::new((VecDeque::new(), 0)),
        }
    }

    fn push(&self, s: Stored) {
        let mut g = self.inner.lock().expect("journal");
        let (entries, bytes) = &mut *g;
        *bytes += s.answer.len();
        entries.push_back(s);
        while entries.len() > self.limits.entries
            || (*bytes > self.limits.answer_bytes && entries.len() > 1)
        {
            if let Some(old) = entries.pop_front() {
                *bytes -= old.answer.len();
            }
        }
    }

    pub fn entries(&self) -> Vec<JournalEntry> {
        let g = self.inner.lock().expect("journal");
        g.0.iter().map(Stored::entry).collect()
    }

    pub fn clear(&self) {
        *self.inner.lock().expect("journal") = (VecDeque::new(), 0);
    }
}

/// A request on its way: recorded once, when its answer is complete or when it is dropped.
struct Pending {
    journal: Arc<Journal>,
    stored: Option<Stored>,
}

impl Pending {
    fn finish(&mut self, status: u16, answer: Bytes) {
        if let Some(mut s) = self.stored.take() {
            s.status = status;
            s.answer = answer;
            self.journal.push(s);
        }
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        // The connection ended before an answer (reset, commit-then-drop).
        self.finish(0, Bytes::new());
    }
}

/// Middleware on the API routes (outermost, so faults' answers are journaled too).
pub(crate) async fn record(State(sh): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let Some(journal) = sh.journal.clone() else {
        return next.run(req).await;
    };
    let (parts, body) = req.into_parts();
    let bytes = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let query = parts
        .uri
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let mut pending = Pending {
        journal,
        stored: Some(Stored {
            method: parts.method.to_string(),
            path: parts.uri.path().to_string(),
            query,
            body: serde_json::from_slice(&bytes).ok(),
            status: 0,
            answer: Bytes::new(),
        }),
    };
    let resp = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let status = resp.status().as_u16();
    let json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let (parts, body) = resp.into_parts();
    let expected = body.size_hint().exact();
    if expected == Some(0) {
        pending.finish(status, Bytes::new());
    }
    let tee = Tee {
        inner: body,
        buf: BytesMut::new(),
        expected,
        status,
        keep: json,
        pending,
    };
    Response::from_parts(parts, Body::new(tee))
}

/// Passes the answer's body through, keeping a copy for the journal.
struct Tee {
    inner: Body,
    buf: BytesMut,
    expected: Option<u64>,
    status: u16,
    /// Only JSON answers are kept.
    keep: bool,
    pending: Pending,
}

impl Tee {
    fn finish(&mut self) {
        let answer = if self.keep {
            std::mem::take(&mut self.buf).freeze()
        } else {
            Bytes::new()
        };
        self.pending.finish(self.status, answer);
    }
}

impl Drop for Tee {
    fn drop(&mut self) {
        // Hyper may stop polling once the announced length is out: the answer was sent.
        self.finish();
    }
}

impl HttpBody for Tee {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = &mut *self;
        let polled = Pin::new(&mut this.inner).poll_frame(cx);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    this.buf.extend_from_slice(data);
                    // Recorded before the last bytes leave, so a client that has read the
                    // whole answer always finds it in the journal.
                    if this.expected == Some(this.buf.len() as u64) {
                        this.finish();
                    }
                }
            }
            // A body that fails midway (the truncation fault) is kept as it is: not JSON.
            Poll::Ready(Some(Err(_))) | Poll::Ready(None) => this.finish(),
            Poll::Pending => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
