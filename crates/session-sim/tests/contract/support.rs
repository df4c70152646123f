//! A simulator per test, a client and assertions on the contract's error body.

use reqwest::{Client, RequestBuilder, Response};
use serde_json::{json, Value};
use session_api::TicketStatus;
use session_sim::{demo, spawn, Dataset, DatasetSpec, OrderInfo, RunningSim, SimConfig, Token};

pub const SCAN_ONLY: &str = "scan-only-token";
pub const READ_ONLY: &str = "read-only-token";
pub const SCOPED: &str = "scoped-to-first-event-token";
pub const WILDCARD: &str = "ticket-wildcard-token";
pub const STAR: &str = "star-token";
pub const NOTHING: &str = "no-permission-token";

pub struct Api {
    pub sim: RunningSim,
    pub client: Client,
    pub base: String,
    pub token: String,
}

pub fn dataset() -> Dataset {
    Dataset::generate(&DatasetSpec {
        seed: 7,
        tickets: 500,
        events: 2,
        tenant_id: demo::TENANT_ID.into(),
    })
}

/// A fresh simulator with two events, 500 tickets and a token per permission shape.
pub fn start() -> Api {
    let ds = dataset();
    let first = ds.event_ids()[0].clone();
    let scoped_scan = format!("ticket.scan.{first}");
    let scoped_read = format!("ticket.read.{first}");
    let config = SimConfig::new(ds)
        .with_token(Token::with_derived_user(SCAN_ONLY, &["ticket.scan"]))
        .with_token(Token::with_derived_user(READ_ONLY, &["ticket.read"]))
        .with_token(Token::with_derived_user(
            SCOPED,
            &[&scoped_scan, &scoped_read],
        ))
        .with_token(Token::with_derived_user(WILDCARD, &["ticket.*"]))
        .with_token(Token::with_derived_user(STAR, &["*"]))
        .with_token(Token::with_derived_user(NOTHING, &[]));
    let sim = spawn(config).expect("simulator starts");
    let base = sim.base_url();
    Api {
        sim,
        client: Client::new(),
        base,
        token: demo::SCAN_TOKEN.into(),
    }
}

impl Api {
    pub fn ds(&self) -> &Dataset {
        self.sim.sim().dataset()
    }

    pub fn event_id(&self, i: usize) -> String {
        self.ds().event_ids()[i].clone()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A GET with tenant and the demo token.
    pub fn get(&self, path: &str) -> RequestBuilder {
        self.client
            .get(self.url(path))
            .header("x-tenant-id", demo::TENANT_ID)
            .bearer_auth(&self.token)
    }

    pub fn get_as(&self, token: &str, path: &str) -> RequestBuilder {
        self.client
            .get(self.url(path))
            .header("x-tenant-id", demo::TENANT_ID)
            .bearer_auth(token)
    }

    pub fn put_as(&self, token: &str, path: &str, body: &Value) -> RequestBuilder {
        self.client
            .put(self.url(path))
            .header("x-tenant-id", demo::TENANT_ID)
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(body.to_string())
    }

    pub async fn check_in(&self, key: &str, body: Value) -> (u16, Value) {
        send(self.put_as(&self.token, &format!("/tickets/{key}/check-in"), &body)).await
    }

    pub async fn check_out(&self, key: &str, body: Value) -> (u16, Value) {
        send(self.put_as(&self.token, &format!("/tickets/{key}/check-out"), &body)).await
    }

    pub fn active_ticket(&self, n: usize) -> String {
        self.ds().ticket_ids(0, TicketStatus::Active)[n].clone()
    }

    pub fn active_order(&self, min: usize) -> OrderInfo {
        self.ds()
            .active_order(min)
            .expect("an all-ACTIVE order of that size")
    }

    /// The ticket as the simulator holds it now.
    pub fn status_of(&self, id: &str) -> TicketStatus {
        self.sim.sim().ticket(id).expect("known ticket").status
    }
}

pub async fn send(req: RequestBuilder) -> (u16, Value) {
    body_of(req.send().await.expect("an answer")).await
}

pub async fn body_of(resp: Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    let text = resp.text().await.expect("a complete body");
    let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("JSON body ({e}): {text}"));
    (status, v)
}

/// Asserts the contract's error body with `status` == HTTP status and the expected code.
pub fn assert_error(got: &(u16, Value), status: u16, code: &str) {
    let (http, body) = got;
    assert_eq!(*http, status, "HTTP status; body {body}");
    assert_eq!(body["defined"], json!(true), "{body}");
    assert_eq!(body["code"], json!(code), "{body}");
    assert_eq!(
        body["status"],
        json!(status),
        "body status equals HTTP status: {body}"
    );
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
    for k in &keys {
        assert!(
            ["defined", "code", "status", "message", "data"].contains(&k.as_str()),
            "unexpected key {k}"
        );
    }
}

/// Asserts a 400 check-in failure with `data.reason`.
pub fn assert_reason(got: &(u16, Value), reason: &str) {
    assert_error(got, 400, "BAD_REQUEST");
    assert_eq!(got.1["data"]["reason"], json!(reason), "{}", got.1);
}

/// Asserts a 422 naming `field` in `fieldErrors`.
pub fn assert_field_error(got: &(u16, Value), field: &str) {
    assert_error(got, 422, "INPUT_VALIDATION_FAILED");
    let data = &got.1["data"];
    assert!(data["formErrors"].is_array(), "{data}");
    assert!(
        data["fieldErrors"][field]
            .as_array()
            .is_some_and(|a| !a.is_empty()),
        "fieldErrors.{field} in {data}"
    );
}
