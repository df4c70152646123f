//! The Session Services client: typed requests and responses, and every failure classified
//! the way the door needs it.
//!
//! **Architecture invariant:** no request leaves without `x-tenant-id`, and a client cannot
//! exist without a tenant. Bodies are `session_api` request types, which cannot hold a field
//! the contract does not name.

use crate::token::Token;
use serde::de::DeserializeOwned;
use session_api::{
    reasons, AttendeePage, CheckInRequest, CheckInResponse, ErrorBody, EventEnvelope, EventPage,
    MeResponse, ScanKind,
};
use std::time::Duration;

/// What to do about a failed request.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Failure {
    /// Try again later: network, timeout, 409, 429, 500, 503, an unreadable answer.
    #[error("{reason}")]
    Retry {
        reason: String,
        /// The server's `Retry-After`, if it sent one.
        after: Option<Duration>,
    },
    /// 401 or 403: stop, keep everything queued, ask for a (better) token.
    #[error("{message}")]
    Auth { status: u16, message: String },
    /// `NOOP_TRANSITION`: already in the target state; someone else got there first.
    #[error("{message}")]
    Conflict {
        message: String,
        data: serde_json::Value,
    },
    /// Refused for good: 400 with another reason, 404, 422, 501.
    #[error("{message}")]
    Rejected {
        status: u16,
        code: String,
        message: String,
        data: serde_json::Value,
    },
}

impl Failure {
    /// `data.reason` of a 400, if any.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Failure::Conflict { data, .. } | Failure::Rejected { data, .. } => {
                data.get("reason").and_then(|r| r.as_str())
            }
            _ => None,
        }
    }
}

/// Classifies an error answer by the contract's table.
pub fn classify(status: u16, body: &[u8], retry_after: Option<Duration>) -> Failure {
    let parsed: Option<ErrorBody> = serde_json::from_slice(body).ok();
    let (code, message, data) = match parsed {
        Some(e) => (e.code, e.message, e.data.unwrap_or(serde_json::Value::Null)),
        None => (
            format!("HTTP_{status}"),
            String::new(),
            serde_json::Value::Null,
        ),
    };
    let plain = |fallback: &str| {
        if message.is_empty() {
            fallback.to_string()
        } else {
            message.clone()
        }
    };
    match status {
        401 => Failure::Auth {
            status,
            message: "Session Services did not accept the token (401): log in again with a new token. Scans stay queued.".into(),
        },
        403 => Failure::Auth {
            status,
            message: format!(
                "The token lacks a permission this needs (403{}): ask for a token with the SCANNING scope. Scans stay queued.",
                if message.is_empty() { String::new() } else { format!(": {message}") }
            ),
        },
        409 | 429 | 500 | 502 | 503 | 504 => Failure::Retry {
            reason: format!("Session Services is busy or failing (HTTP {status}); will retry"),
            after: retry_after,
        },
        400 if data.get("reason").and_then(|r| r.as_str()) == Some(reasons::NOOP_TRANSITION) => {
            Failure::Conflict {
                message: plain("already in that state on the server"),
                data,
            }
        }
        _ => Failure::Rejected {
            status,
            code,
            message: plain(&format!("refused by Session Services (HTTP {status})")),
            data,
        },
    }
}

/// A client for one tenant on one Session Services.
#[derive(Clone)]
pub struct ApiClient {
    http: reqwest::Client,
    base: String,
    tenant: String,
    token: Option<Token>,
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
                reason: format!("cannot start the HTTP client: {e}"),
                after: None,
            })?;
        Ok(ApiClient {
            http,
            base: base_url.trim_end_matches('/').to_string(),
            tenant: tenant.to_string(),
            token,
        })
    }

    pub fn tenant(&self) -> &str {
        &self.tenant
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
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let body = resp.bytes().await.map_err(network)?;
        if status == 200 {
            serde_json::from_slice(&body).map_err(|e| Failure::Retry {
                reason: format!(
                    "Session Services sent an answer that could not be read ({e}); will retry"
                ),
                after: None,
            })
        } else {
            Err(classify(status, &body, retry_after))
        }
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

    /// One page of `GET /tickets/attendees` for an event, optionally one admission.
    pub async fn attendees(
        &self,
        event_id: &str,
        admission_id: Option<&str>,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<AttendeePage, Failure> {
        let mut q = vec![
            ("eventId".to_string(), event_id.to_string()),
            ("limit".to_string(), limit.to_string()),
        ];
        if let Some(a) = admission_id {
            q.push(("admissionIds[0]".to_string(), a.to_string()));
        }
        if let Some(c) = cursor {
            q.push(("cursor".to_string(), c.to_string()));
        }
        self.send(
            self.request(reqwest::Method::GET, "/tickets/attendees")
                .query(&q),
        )
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
        "Session Services did not answer in time"
    } else if e.is_connect() {
        "cannot reach Session Services (network down?)"
    } else {
        "the connection to Session Services broke"
    };
    Failure::Retry {
        reason: format!("{what}; will retry"),
        after: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(code: &str, status: u16, data: serde_json::Value) -> Vec<u8> {
        serde_json::to_vec(&serde_json::json!({"defined": true, "code": code, "status": status, "message": "m", "data": data})).unwrap()
    }

    #[test]
    fn contract_table_classifies_each_status() {
        assert!(matches!(
            classify(
                401,
                &body("UNAUTHORIZED", 401, serde_json::Value::Null),
                None
            ),
            Failure::Auth { status: 401, .. }
        ));
        assert!(matches!(
            classify(403, b"", None),
            Failure::Auth { status: 403, .. }
        ));
        for s in [409, 429, 500, 503] {
            assert!(
                matches!(classify(s, b"{}", None), Failure::Retry { .. }),
                "{s}"
            );
        }
        for s in [404, 422, 501] {
            assert!(
                matches!(classify(s, b"not json", None), Failure::Rejected { .. }),
                "{s}"
            );
        }
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
    fn client_without_a_tenant_cannot_exist() {
        assert!(ApiClient::new("http://127.0.0.1:9", "", None).is_err());
        assert!(ApiClient::new("http://127.0.0.1:9", "tnt_bad", None).is_err());
    }
}
