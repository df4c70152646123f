//! A simulator per test, a client that checks every answer against the contract's schemas,
//! and assertions on the contract's error body.

use reqwest::{Client, RequestBuilder, Response};
use serde_json::{json, Value};
use session_api::TicketStatus;
use session_contract::Contract;
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
    start_with(config)
}

/// A fresh simulator serving `config`.
pub fn start_with(config: SimConfig) -> Api {
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

/// A request sent, with what it was (to check its answer against the route it went to).
pub struct Sent {
    pub method: String,
    pub path: String,
    pub resp: Response,
}

impl Sent {
    pub fn status(&self) -> u16 {
        self.resp.status().as_u16()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.resp
            .headers()
            .get(name)
            .map(|v| v.to_str().expect("an ASCII header").to_string())
    }
}

/// Sends a request; its answer is not read yet.
pub async fn execute(req: RequestBuilder) -> Sent {
    let (client, req) = req.build_split();
    let req = req.expect("a well-formed request");
    let (method, path) = (req.method().to_string(), req.url().path().to_string());
    let resp = client.execute(req).await.expect("an answer");
    Sent { method, path, resp }
}

/// Sends a request and reads its JSON answer, checked against the contract.
pub async fn send(req: RequestBuilder) -> (u16, Value) {
    body_of(execute(req).await).await
}

/// Reads a JSON answer and checks it against the route's schemas (success, declared error,
/// or oRPC's undeclared error body), panicking with every violation. Answers of `/__sim/`
/// and of paths that are no route of the contract are not checked.
pub async fn body_of(sent: Sent) -> (u16, Value) {
    let status = sent.status();
    let text = sent.resp.text().await.expect("a complete body");
    let v: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("JSON body ({e}): {text}"));
    conforms(&sent.method, &sent.path, status, &v);
    (status, v)
}

/// Panics unless `body` is a conforming answer of `method path` with `status`.
pub fn conforms(method: &str, path: &str, status: u16, body: &Value) {
    let contract = Contract::get();
    if path.starts_with("/__sim/") || contract.route_for(method, path).is_none() {
        return;
    }
    let violations = contract.check_answer(method, path, status, body);
    assert!(
        violations.is_empty(),
        "{method} {path} answered {status} outside the contract:\n{}\nbody: {}",
        violations.join("\n"),
        shorten(body)
    );
}

fn shorten(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 2_000 {
        format!("{}…", s.chars().take(2_000).collect::<String>())
    } else {
        s
    }
}

/// Asserts the contract's error body with `status` == HTTP status and the expected code,
/// declared by the route (`defined: true`).
pub fn assert_error(got: &(u16, Value), status: u16, code: &str) {
    assert_error_body(got, status, code);
    assert_eq!(got.1["defined"], json!(true), "declared: {}", got.1);
}

/// Asserts an error the route does not declare: oRPC's body with `defined: false`.
pub fn assert_undeclared(got: &(u16, Value), status: u16, code: &str) {
    assert_error_body(got, status, code);
    assert_eq!(got.1["defined"], json!(false), "undeclared: {}", got.1);
}

fn assert_error_body(got: &(u16, Value), status: u16, code: &str) {
    let (http, body) = got;
    assert_eq!(*http, status, "HTTP status; body {body}");
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

/// Asserts a declared 400 check-in failure with `data.reason`, `kind` and `targetType`.
pub fn assert_reason(got: &(u16, Value), reason: &str) {
    assert_error(got, 400, "BAD_REQUEST");
    assert_reason_data(got, reason);
}

/// Asserts an undeclared 400 check-in failure (`defined: false`) with `data.reason`.
pub fn assert_undeclared_reason(got: &(u16, Value), reason: &str) {
    assert_undeclared(got, 400, "BAD_REQUEST");
    assert_reason_data(got, reason);
}

fn assert_reason_data(got: &(u16, Value), reason: &str) {
    let data = &got.1["data"];
    assert_eq!(data["reason"], json!(reason), "{}", got.1);
    assert!(
        ["CHECK_IN", "CHECK_OUT"].contains(&data["kind"].as_str().unwrap_or("")),
        "kind: {data}"
    );
    assert!(
        ["ticket", "order"].contains(&data["targetType"].as_str().unwrap_or("")),
        "targetType: {data}"
    );
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
