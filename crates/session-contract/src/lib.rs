//! The published Session Services contract, machine-checkable: the JSON Schemas of the
//! routes a door uses (copied into `tests/contract/schemas/`, see its README), and checks of
//! a request or an answer against the route it went to.
//!
//! Used by tests only: the simulator's contract tests check every answer they receive, and
//! Usher's conformance tests check every request the client sends and every answer it reads.
//!
//! **Architecture invariant:** this crate knows the schemas, not Usher or the simulator. It
//! reads no file outside the repository, so a fresh clone runs the checks with nothing
//! beside it.

#![warn(missing_docs)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use jsonschema::Validator;
use serde_json::{Map, Value};

/// Where the schemas live in the repository.
pub fn schema_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/contract/schemas")
}

/// Where the hand-written contract fixtures live in the repository.
pub fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/contract")
}

/// One route of the contract, with its three compiled schemas.
pub struct Route {
    /// The contract's name, e.g. `ticket.checkInByKey`.
    pub name: String,
    /// The HTTP method, e.g. `PUT`.
    pub method: String,
    /// The path template, e.g. `/tickets/{key}/check-in`.
    pub path: String,
    input_schema: Value,
    input: Validator,
    output: Validator,
    errors: Validator,
}

/// Every route the schemas cover.
pub struct Contract {
    routes: Vec<Route>,
}

/// What a check found wrong, one line per violation (with its JSON path).
pub type Violations = Vec<String>;

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

fn compile(schema: &Value, file: &str) -> Validator {
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(schema)
        .unwrap_or_else(|e| panic!("schema {file} does not compile: {e}"))
}

fn violations(v: &Validator, instance: &Value) -> Violations {
    v.iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

impl Contract {
    /// The contract, compiled once per test process.
    pub fn get() -> &'static Contract {
        static CONTRACT: OnceLock<Contract> = OnceLock::new();
        CONTRACT.get_or_init(Contract::load)
    }

    fn load() -> Contract {
        let dir = schema_dir();
        let index = read_json(&dir.join("index.json"));
        let routes = index["routes"]
            .as_object()
            .expect("index.json lists routes")
            .iter()
            .map(|(name, r)| {
                let file = |kind: &str| {
                    r["files"][kind]
                        .as_str()
                        .unwrap_or_else(|| panic!("{name} has no {kind} schema"))
                        .to_string()
                };
                let (fi, fo, fe) = (file("input"), file("output"), file("errors"));
                let input_schema = read_json(&dir.join(&fi));
                Route {
                    name: name.clone(),
                    method: r["method"].as_str().unwrap_or("POST").to_string(),
                    path: r["path"].as_str().expect("a path").to_string(),
                    input: compile(&input_schema, &fi),
                    input_schema,
                    output: compile(&read_json(&dir.join(&fo)), &fo),
                    errors: compile(&read_json(&dir.join(&fe)), &fe),
                }
            })
            .collect();
        Contract { routes }
    }

    /// The route called `name` (e.g. `event.get`).
    pub fn route(&self, name: &str) -> &Route {
        self.routes
            .iter()
            .find(|r| r.name == name)
            .unwrap_or_else(|| panic!("no route {name} in the contract's schemas"))
    }

    /// The route a request went to, with its path parameters. Literal segments win over
    /// parameters (`/tickets/attendees` is not `/tickets/{id}`).
    pub fn route_for(&self, method: &str, path: &str) -> Option<(&Route, Map<String, Value>)> {
        let got: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        let mut best: Option<(usize, &Route, Map<String, Value>)> = None;
        for r in self.routes.iter().filter(|r| r.method == method) {
            let want: Vec<&str> = r.path.split('/').collect();
            if want.len() != got.len() {
                continue;
            }
            let mut params = Map::new();
            let mut literals = 0;
            let fits = want.iter().zip(&got).all(|(w, g)| {
                match w.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
                    Some(name) => {
                        let value = percent_decode(g);
                        params.insert(name.to_string(), Value::String(value));
                        !g.is_empty()
                    }
                    None => {
                        literals += 1;
                        w == g
                    }
                }
            });
            if fits && best.as_ref().is_none_or(|(n, _, _)| literals > *n) {
                best = Some((literals, r, params));
            }
        }
        best.map(|(_, r, p)| (r, p))
    }

    /// Checks an answer to `method path`: a 200 against the route's output schema, a
    /// declared error (`defined: true`) against its error schema, and an undeclared one
    /// (`defined: false`, which oRPC sends for an error the route does not declare) against
    /// the error body's common shape, with `status` equal to the HTTP status.
    pub fn check_answer(&self, method: &str, path: &str, http: u16, body: &Value) -> Violations {
        let Some((route, _)) = self.route_for(method, path) else {
            return vec![format!(
                "{method} {path} is not a route of the contract's schemas"
            )];
        };
        route.check_answer(http, body)
    }

    /// Checks a request to `method path`: the path parameters merged with the query (given
    /// as the wire's string pairs, typed here by the input schema) or with the JSON body.
    pub fn check_request(
        &self,
        method: &str,
        path: &str,
        query: &[(String, String)],
        body: Option<&Value>,
    ) -> Violations {
        let Some((route, params)) = self.route_for(method, path) else {
            return vec![format!(
                "{method} {path} is not a route of the contract's schemas"
            )];
        };
        route.check_request(params, query, body)
    }
}

impl Route {
    /// Violations of the success schema.
    pub fn check_output(&self, body: &Value) -> Violations {
        violations(&self.output, body)
    }

    /// Violations of the declared-error schema.
    pub fn check_error(&self, body: &Value) -> Violations {
        violations(&self.errors, body)
    }

    /// See [`Contract::check_answer`].
    pub fn check_answer(&self, http: u16, body: &Value) -> Violations {
        if http == 200 {
            return self.check_output(body);
        }
        let mut v = Vec::new();
        if body.get("status").and_then(Value::as_u64) != Some(u64::from(http)) {
            v.push(format!(
                "error body status is not the HTTP status {http}: {body}"
            ));
        }
        match body.get("defined") {
            Some(Value::Bool(true)) => v.extend(self.check_error(body)),
            Some(Value::Bool(false)) => {
                if !body.get("code").is_some_and(Value::is_string) {
                    v.push(format!("undeclared error without a string code: {body}"));
                }
                if !body.get("message").is_some_and(Value::is_string) {
                    v.push(format!("undeclared error without a string message: {body}"));
                }
                if let Some(extra) = body.as_object().and_then(|o| {
                    o.keys().find(|k| {
                        !["defined", "code", "status", "message", "data"].contains(&k.as_str())
                    })
                }) {
                    v.push(format!("error body has a key oRPC never sends: {extra}"));
                }
            }
            _ => v.push(format!(
                "not an oRPC error body (no boolean `defined`): {body}"
            )),
        }
        v
    }

    /// See [`Contract::check_request`].
    pub fn check_request(
        &self,
        params: Map<String, Value>,
        query: &[(String, String)],
        body: Option<&Value>,
    ) -> Violations {
        let mut input = params;
        let mut v = Vec::new();
        match body {
            Some(Value::Object(o)) => {
                for (k, val) in o {
                    if input.insert(k.clone(), val.clone()).is_some() {
                        v.push(format!("body key {k} repeats a path parameter"));
                    }
                }
            }
            Some(other) => v.push(format!("the body is not a JSON object: {other}")),
            None => {}
        }
        match typed_query(&self.input_schema, query) {
            Ok(q) => {
                for (k, val) in q {
                    if input.insert(k.clone(), val).is_some() {
                        v.push(format!("query key {k} repeats a path parameter"));
                    }
                }
            }
            Err(e) => v.push(e),
        }
        v.extend(violations(&self.input, &Value::Object(input)));
        v
    }
}

/// The wire's query pairs as the input object oRPC builds: `a[0]=x&a[1]=y` is an array,
/// numbers and booleans take the schema's type, a repeated plain key is an error.
fn typed_query(schema: &Value, query: &[(String, String)]) -> Result<Map<String, Value>, String> {
    let props = schema.get("properties").and_then(Value::as_object);
    let kind = |key: &str| -> Option<&str> {
        let p = props?.get(key)?;
        p.get("type").and_then(Value::as_str).or_else(|| {
            p.get("anyOf")?.as_array()?.iter().find_map(|b| {
                b.get("type")
                    .and_then(Value::as_str)
                    .filter(|t| *t != "null")
            })
        })
    };
    let mut arrays: BTreeMap<String, BTreeMap<usize, String>> = BTreeMap::new();
    let mut out = Map::new();
    for (k, val) in query {
        if let Some((name, rest)) = k.split_once('[') {
            let ix: usize = rest
                .strip_suffix(']')
                .and_then(|i| i.parse().ok())
                .ok_or_else(|| format!("query key {k} is not name[index]"))?;
            if arrays
                .entry(name.to_string())
                .or_default()
                .insert(ix, val.clone())
                .is_some()
            {
                return Err(format!("query key {k} is repeated"));
            }
            continue;
        }
        let typed = match kind(k) {
            Some("integer") | Some("number") => val
                .parse::<f64>()
                .ok()
                .and_then(|n| {
                    if n.fract() == 0.0 && n.abs() < 9e15 {
                        Some(Value::from(n as i64))
                    } else {
                        serde_json::Number::from_f64(n).map(Value::Number)
                    }
                })
                .ok_or_else(|| format!("query {k}={val} is not a number"))?,
            Some("boolean") => match val.as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => return Err(format!("query {k}={val} is not a boolean")),
            },
            _ => Value::String(val.clone()),
        };
        if out.insert(k.clone(), typed).is_some() {
            return Err(format!("query key {k} is repeated"));
        }
    }
    for (name, items) in arrays {
        let n = items.len();
        if items.keys().copied().ne(0..n) {
            return Err(format!("query array {name} does not run 0..{n}"));
        }
        out.insert(
            name,
            Value::Array(items.into_values().map(Value::String).collect()),
        );
    }
    Ok(out)
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// A fixture of `tests/fixtures/contract/`, parsed.
pub fn fixture(name: &str) -> Value {
    read_json(&fixture_dir().join(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn literal_segments_win_over_parameters() {
        let c = Contract::get();
        assert_eq!(
            c.route_for("GET", "/tickets/attendees").unwrap().0.name,
            "ticket.attendees.list"
        );
        let (r, p) = c
            .route_for("GET", "/tickets/tkt_01jps5cgsg0s32w2pr73vbccde")
            .unwrap();
        assert_eq!(r.name, "ticket.get");
        assert_eq!(p["id"], json!("tkt_01jps5cgsg0s32w2pr73vbccde"));
        assert!(c.route_for("GET", "/nowhere").is_none());
    }

    #[test]
    fn query_is_typed_by_the_input_schema() {
        let c = Contract::get();
        let q = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let ok = q(&[
            ("eventId", "evt_01jps5cgsg0s32w2pr73vbccde"),
            ("limit", "100"),
            ("admissionIds[0]", "adm_01jps5cgsg0s32w2pr73vbccde"),
        ]);
        assert!(c
            .check_request("GET", "/tickets/attendees", &ok, None)
            .is_empty());
        let unknown = q(&[
            ("eventId", "evt_01jps5cgsg0s32w2pr73vbccde"),
            ("scannedAt", "x"),
        ]);
        assert!(!c
            .check_request("GET", "/tickets/attendees", &unknown, None)
            .is_empty());
        let too_big = q(&[
            ("eventId", "evt_01jps5cgsg0s32w2pr73vbccde"),
            ("limit", "101"),
        ]);
        assert!(!c
            .check_request("GET", "/tickets/attendees", &too_big, None)
            .is_empty());
    }

    #[test]
    fn an_undeclared_error_needs_the_error_body_shape() {
        let r = Contract::get().route("ticket.checkInByKey");
        let ok =
            json!({"defined": false, "code": "BAD_REQUEST", "status": 400, "message": "cancelled"});
        assert!(r.check_answer(400, &ok).is_empty());
        assert!(
            !r.check_answer(502, &ok).is_empty(),
            "status differs from HTTP"
        );
        assert!(!r.check_answer(400, &json!({"error": "x"})).is_empty());
    }
}
