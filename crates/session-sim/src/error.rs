//! The contract's one error body, `{defined, code, status, message, data}`, with the HTTP
//! status equal to `status`.

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
    pub retry_after_secs: Option<u64>,
}

impl ApiError {
    pub fn new((code, status): (&'static str, u16), message: impl Into<String>) -> Self {
        ApiError {
            code,
            status,
            message: message.into(),
            data: None,
            retry_after_secs: None,
        }
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

    pub fn forbidden(permission: &str) -> Self {
        ApiError::new(
            codes::FORBIDDEN,
            format!("This token lacks the permission {permission}"),
        )
        .with_data(json!({ "permission": permission }))
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
            defined: true,
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
        let retry = self.retry_after_secs;
        let mut resp = self.to_answer().into_response();
        if let Some(s) = retry {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        resp
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
