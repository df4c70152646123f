//! Bearer tokens and permission nodes.
//!
//! A granted node covers a required one when it is `*`, equal to it, a dot-boundary prefix
//! of it (`ticket.scan` covers `ticket.scan.evt_…`), or a wildcard (`ticket.*` covers
//! `ticket.scan` and `ticket.scan.evt_…`). Resource-targeted nodes append the event id:
//! `ticket.scan.evt_<id>` allows scanning that event only.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts};
use session_api::{ids, Membership, ScannedBy, User};

use crate::error::ApiError;
use crate::server::Shared;

/// One bearer token the simulator accepts: who it is and what it may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub token: String,
    pub user: UserProfile,
    pub permissions: Vec<String>,
}

/// The user a token belongs to (becomes `scannedBy`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserProfile {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
}

impl Token {
    pub fn new(token: impl Into<String>, user: UserProfile, permissions: &[&str]) -> Token {
        Token {
            token: token.into(),
            user,
            permissions: permissions.iter().map(|p| p.to_string()).collect(),
        }
    }

    /// A token whose user is derived from the token text (stable id, generic name).
    pub fn with_derived_user(token: impl Into<String>, permissions: &[&str]) -> Token {
        let token = token.into();
        let h = token.bytes().fold(0xcbf2_9ce4_8422_2325u128, |h, b| {
            (h ^ u128::from(b)).wrapping_mul(0x1000_0000_01b3)
        });
        let id = format!("usr_{}", ids::encode_body(h >> 2));
        let user = UserProfile {
            id,
            first_name: "Token".into(),
            last_name: format!("User {}", &token.chars().take(8).collect::<String>()),
            email: "staff@venue.example".into(),
        };
        Token::new(token, user, permissions)
    }

    /// The demo SCANNING token.
    pub fn demo() -> Token {
        Token::new(
            crate::demo::SCAN_TOKEN,
            UserProfile {
                id: crate::demo::USER_ID.into(),
                first_name: crate::demo::USER_FIRST_NAME.into(),
                last_name: crate::demo::USER_LAST_NAME.into(),
                email: crate::demo::USER_EMAIL.into(),
            },
            crate::demo::SCAN_PERMISSIONS,
        )
    }

    /// Parses `TOKEN=perm,perm` (the binary's `--token`).
    pub fn parse_spec(spec: &str) -> Result<Token, String> {
        let (token, perms) = spec
            .split_once('=')
            .ok_or_else(|| format!("expected TOKEN=perm,perm, got {spec:?}"))?;
        if token.is_empty() {
            return Err("empty token".into());
        }
        let perms: Vec<&str> = perms
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        Ok(Token::with_derived_user(token, &perms))
    }

    pub fn scanned_by(&self) -> ScannedBy {
        ScannedBy {
            id: self.user.id.clone(),
            first_name: self.user.first_name.clone(),
            last_name: self.user.last_name.clone(),
            email: self.user.email.clone(),
        }
    }

    pub fn me(&self) -> User {
        User {
            id: self.user.id.clone(),
            first_name: self.user.first_name.clone(),
            last_name: self.user.last_name.clone(),
            email: self.user.email.clone(),
            memberships: vec![Membership {
                team_id: crate::demo::TEAM_ID.into(),
                team_name: crate::demo::TEAM_NAME.into(),
                permissions: self.permissions.clone(),
            }],
        }
    }

    /// Whether the token may do `node`, on `event_id` when given.
    pub fn allows(&self, node: &str, event_id: Option<&str>) -> bool {
        match event_id {
            Some(e) => {
                let targeted = format!("{node}.{e}");
                self.permissions.iter().any(|g| covers(g, &targeted))
            }
            None => self.permissions.iter().any(|g| covers(g, node)),
        }
    }

    /// Whether the token has `node` for at least one target (unscoped or event-scoped).
    pub fn has_any(&self, node: &str) -> bool {
        self.permissions
            .iter()
            .any(|g| covers(g, node) || g.starts_with(&format!("{node}.")))
    }

    /// 403 unless [`Token::allows`].
    pub fn require(&self, node: &str, event_id: Option<&str>) -> Result<(), ApiError> {
        if self.allows(node, event_id) {
            Ok(())
        } else {
            Err(ApiError::forbidden(&match event_id {
                Some(e) => format!("{node}.{e}"),
                None => node.to_string(),
            }))
        }
    }
}

/// Whether granted node `granted` covers `required`.
pub fn covers(granted: &str, required: &str) -> bool {
    if granted == "*" || granted == required {
        return true;
    }
    if let Some(prefix) = granted.strip_suffix('*') {
        // `ticket.*` covers `ticket.scan…`; the prefix keeps its trailing dot.
        return prefix.ends_with('.') && required.starts_with(prefix);
    }
    required.len() > granted.len()
        && required.starts_with(granted)
        && required.as_bytes()[granted.len()] == b'.'
}

/// The authenticated caller of a request. Rejects with 401.
#[derive(Debug, Clone)]
pub struct Caller(pub Arc<Token>);

impl FromRequestParts<Arc<Shared>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<Shared>,
    ) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
            return Err(ApiError::unauthorized("Missing bearer token"));
        };
        let value = value
            .to_str()
            .map_err(|_| ApiError::unauthorized("Malformed Authorization header"))?;
        let token = match value.split_once(' ') {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
            _ => {
                return Err(ApiError::unauthorized(
                    "Authorization must be 'Bearer <token>'",
                ))
            }
        };
        state
            .tokens
            .get(token)
            .cloned()
            .map(Caller)
            .ok_or_else(|| ApiError::unauthorized("Invalid or expired token"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_prefixes_and_targets() {
        assert!(covers("*", "ticket.scan"));
        assert!(covers("ticket.*", "ticket.scan"));
        assert!(covers("ticket.*", "ticket.scan.evt_x"));
        assert!(covers("ticket.scan", "ticket.scan.evt_x"));
        assert!(!covers("ticket.scan.evt_x", "ticket.scan"));
        assert!(!covers("ticket.scan.evt_x", "ticket.scan.evt_y"));
        assert!(!covers("ticket.read", "ticket.readers"));
        assert!(!covers("event.*", "ticket.scan"));
    }

    #[test]
    fn scoped_token_allows_only_its_event() {
        let t = Token::with_derived_user("t", &["ticket.scan.evt_a"]);
        assert!(t.allows("ticket.scan", Some("evt_a")));
        assert!(!t.allows("ticket.scan", Some("evt_b")));
        assert!(!t.allows("ticket.scan", None));
        assert!(t.has_any("ticket.scan"));
        assert!(!t.has_any("ticket.read"));
    }
}
