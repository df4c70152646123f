//! The contract's one error body, `{defined, code, status, message, data}`, with the HTTP
//! status equal to `status`. `defined` follows oRPC: true for an error the route declares
//! (with data that matches the declaration), false for any other error the server throws.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde_json::{json, Map, Value};
use session_api::{codes, ErrorBody};

/// An error answer of the API.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub code: &'static str,
    pub status: u16,
    pub message: String,
    pub data: Option<Value>,
    /// False for an error the route does not declare (oRPC sends `defined: false`).
    pub defined: bool,
    /// The raw `Retry-After` header value, if any.
    pub retry_after: Option<String>,
}

impl ApiError {
    pub fn new((code, status): (&'static str, u16), message: impl Into<String>) -> Self {
        ApiError {
            code,
            status,
            message: message.into(),
            data: None,
            defined: true,
            retry_after: None,
        }
    }

    /// The contract's error for an HTTP status: the code of the contract's table (declared
    /// by every route), else oRPC's own code for the status, sent with `defined: false`.
    pub fn for_status(status: u16, message: impl Into<String>) -> Self {
        match code_for(status) {
            Some(code) => ApiError::new((code, status), message),
            None => ApiError::new((orpc_code(status), status), message).undeclared(),
        }
    }

    /// Marks the error as one the route does not declare (`defined: false`).
    pub fn undeclared(mut self) -> Self {
        self.defined = false;
        self
    }

    pub fn with_data(mut self, data: Value) -> Self {
        self.data = Some(data);
        self
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(codes::BAD_REQUEST, message)
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        ApiError::new(codes::UNAUTHORIZED, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        ApiError::new(codes::NOT_FOUND, message)
    }

    /// 422 with `data = {formErrors, fieldErrors}`.
    pub fn validation(errors: FieldErrors) -> Self {
        let first = errors
            .form
            .first()
            .cloned()
            .or_else(|| {
                errors
                    .fields
                    .iter()
                    .next()
                    .map(|(k, v)| format!("{k}: {}", v[0].as_str().unwrap_or("")))
            })
            .unwrap_or_else(|| "Invalid input".to_string());
        ApiError::new(
            codes::INPUT_VALIDATION_FAILED,
            format!("Input validation failed: {first}"),
        )
        .with_data(json!({ "formErrors": errors.form, "fieldErrors": errors.fields }))
    }

    /// 422 for one field.
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        let mut e = FieldErrors::default();
        e.field(field, message);
        ApiError::validation(e)
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            defined: self.defined,
            code: self.code.to_string(),
            status: self.status,
            message: self.message.clone(),
            data: self.data.clone(),
        }
    }

    /// The exact bytes of the body, for idempotent replay.
    pub fn to_answer(&self) -> Answer {
        Answer {
            status: self.status,
            body: Bytes::from(serde_json::to_vec(&self.body()).expect("serialisable")),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let retry = self.retry_after.clone();
        let mut resp = self.to_answer().into_response();
        if let Some(v) = retry.and_then(|s| HeaderValue::from_str(&s).ok()) {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        resp
    }
}

/// The code of the contract's error table for an HTTP status.
pub fn code_for(status: u16) -> Option<&'static str> {
    [
        codes::BAD_REQUEST,
        codes::UNAUTHORIZED,
        codes::FORBIDDEN,
        codes::NOT_FOUND,
        codes::CONFLICT,
        codes::INPUT_VALIDATION_FAILED,
        codes::TOO_MANY_REQUESTS,
        codes::INTERNAL_SERVER_ERROR,
        codes::NOT_IMPLEMENTED,
        codes::SERVICE_UNAVAILABLE,
    ]
    .into_iter()
    .find(|(_, s)| *s == status)
    .map(|(c, _)| c)
}

/// oRPC's own error code for a status outside the contract's table.
fn orpc_code(status: u16) -> &'static str {
    match status {
        405 => "METHOD_NOT_SUPPORTED",
        406 => "NOT_ACCEPTABLE",
        408 => "TIMEOUT",
        412 => "PRECONDITION_FAILED",
        413 => "PAYLOAD_TOO_LARGE",
        415 => "UNSUPPORTED_MEDIA_TYPE",
        499 => "CLIENT_CLOSED_REQUEST",
        502 => "BAD_GATEWAY",
        504 => "GATEWAY_TIMEOUT",
        500..=599 => "INTERNAL_SERVER_ERROR",
        _ => "BAD_REQUEST",
    }
}

/// Collected input errors, zod `flatten()` style.
#[derive(Debug, Default)]
pub struct FieldErrors {
    pub form: Vec<String>,
    pub fields: Map<String, Value>,
}

impl FieldErrors {
    pub fn field(&mut self, field: &str, message: impl Into<String>) {
        let entry = self
            .fields
            .entry(field.to_string())
            .or_insert_with(|| Value::Array(vec![]));
        if let Value::Array(a) = entry {
            a.push(Value::String(message.into()));
        }
    }

    /// An unknown key: named in `formErrors` (as zod's strict objects do) and under its own
    /// name in `fieldErrors`.
    pub fn unknown_key(&mut self, key: &str) {
        self.form
            .push(format!("Unrecognized key(s) in object: '{key}'"));
        self.field(key, "Unrecognized key");
    }

    pub fn is_empty(&self) -> bool {
        self.form.is_empty() && self.fields.is_empty()
    }

    pub fn into_result(self) -> Result<(), ApiError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(self))
        }
    }
}

/// A finished answer: status and JSON bytes. Check-in answers are stored as these for
/// idempotent replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub body: Bytes,
}

impl Answer {
    /// Like [`Answer::ok`] with the buffer sized up front (large pages).
    pub fn ok_sized(value: &impl serde::Serialize, capacity: usize) -> Answer {
        let mut body = Vec::with_capacity(capacity);
        serde_json::to_writer(&mut body, value).expect("serialisable");
        Answer {
            status: 200,
            body: Bytes::from(body),
        }
    }

    pub fn ok(value: &impl serde::Serialize) -> Answer {
        Answer {
            status: 200,
            body: Bytes::from(serde_json::to_vec(value).expect("serialisable")),
        }
    }
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            self.body,
        )
            .into_response()
    }
}
