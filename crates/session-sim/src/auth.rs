//! Bearer tokens, their memberships, and permission checks.
//!
//! Whether a token may do something is decided by the same reading of permission nodes the
//! app uses, [`session_api::permission::check`]: a request is allowed when the answer is
//! [`Hint::Allowed`] for the resource it touches (its team, promoter, venue, event, order
//! and ticket, as far as the request names them). A token's memberships stand for the
//! `members` of `/users/me`; a membership without a team is in the dataset's team.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts};
use serde_json::json;
use session_api::ids;
use session_api::permission::{check, Grants, Hint, Resource};

use crate::error::ApiError;
use crate::server::Shared;
use crate::wire;

/// One bearer token the simulator accepts: who it is and what it may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The secret itself, as sent after `Bearer ` in the `Authorization` header.
    pub token: String,
    /// The person behind the token. For a service token ([`Token::service`]), `/users/me`
    /// answers `user: null` and this is only the name its scans carry.
    pub user: UserProfile,
    /// A token that is not a person's: `/users/me` says `user: null`.
    pub service: bool,
    /// `/users/me`'s `isAdmin`: every action on every resource (deny nodes still win).
    pub is_admin: bool,
    /// The token's team memberships; [`Token::new`] makes one, in the dataset's team.
    pub memberships: Vec<TokenMembership>,
}

/// One team membership of a token (`/users/me`'s `members[]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenMembership {
    /// `None`: the dataset's team (whoever owns the served events).
    pub team_id: Option<String>,
    /// Permission nodes, e.g. `ticket.scan`, `ticket.read.evt_…`, `-ticket.scan.evt_…`.
    pub permissions: Vec<String>,
    /// `isOwner`: the team's owner, who holds every action within the team.
    pub is_owner: bool,
    /// `access.promoterIds`: `None` means every promoter.
    pub promoter_ids: Option<Vec<String>>,
    /// Roles: `(roleId, nodes)`. The server enforces their nodes, but `/users/me` lists only
    /// the role ids (as the contract allows), so a client's hint cannot see them.
    pub roles: Vec<(String, Vec<String>)>,
}

impl TokenMembership {
    /// A membership of the dataset's team with these nodes.
    pub fn new(permissions: &[&str]) -> TokenMembership {
        TokenMembership {
            team_id: None,
            permissions: permissions.iter().map(|p| p.to_string()).collect(),
            is_owner: false,
            promoter_ids: None,
            roles: vec![],
        }
    }

    /// Adds a role whose `nodes` are enforced but not listed by `/users/me`.
    pub fn with_role(mut self, role_id: impl Into<String>, nodes: &[&str]) -> TokenMembership {
        self.roles.push((
            role_id.into(),
            nodes.iter().map(|n| n.to_string()).collect(),
        ));
        self
    }

    /// A membership of another team.
    pub fn in_team(team_id: impl Into<String>, permissions: &[&str]) -> TokenMembership {
        TokenMembership {
            team_id: Some(team_id.into()),
            ..TokenMembership::new(permissions)
        }
    }
}

/// The user a token belongs to (becomes `scannedBy`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserProfile {
    /// The user's id: `/users/me`'s `user.id` and a scan's `scannedById`.
    pub id: String,
    /// First name, in `/users/me` and a scan's `scannedBy`.
    pub first_name: String,
    /// Last name, in `/users/me` and a scan's `scannedBy`.
    pub last_name: String,
    /// E-mail address, in `/users/me` and a scan's `scannedBy`.
    pub email: String,
}

/// A stable `prefix_…` id from a text.
fn id_from(prefix: &str, text: &str) -> String {
    let h = text.bytes().fold(0xcbf2_9ce4_8422_2325u128, |h, b| {
        (h ^ u128::from(b)).wrapping_mul(0x1000_0000_01b3)
    });
    format!("{prefix}_{}", ids::encode_body(h >> 2))
}

impl Token {
    /// A person's token with one membership, in the dataset's team.
    pub fn new(token: impl Into<String>, user: UserProfile, permissions: &[&str]) -> Token {
        Token {
            token: token.into(),
            user,
            service: false,
            is_admin: false,
            memberships: vec![TokenMembership::new(permissions)],
        }
    }

    /// A token whose user is derived from the token text (stable id, generic name).
    pub fn with_derived_user(token: impl Into<String>, permissions: &[&str]) -> Token {
        let token = token.into();
        let user = UserProfile {
            id: id_from("usr", &token),
            first_name: "Token".into(),
            last_name: format!("User {}", &token.chars().take(8).collect::<String>()),
            email: "staff@venue.example".into(),
        };
        Token::new(token, user, permissions)
    }

    /// A service token: `/users/me` answers `user: null`. Its membership is in the dataset's
    /// team; its scans name a derived service user ("Service Token").
    pub fn service(token: impl Into<String>, permissions: &[&str]) -> Token {
        let token = token.into();
        let user = UserProfile {
            id: id_from("usr", &format!("service {token}")),
            first_name: "Service".into(),
            last_name: "Token".into(),
            email: "service.token@venue.example".into(),
        };
        Token {
            service: true,
            ..Token::new(token, user, permissions)
        }
    }

    /// Adds a membership (another team, an owner, a promoter-limited one).
    pub fn with_membership(mut self, membership: TokenMembership) -> Token {
        self.memberships.push(membership);
        self
    }

    /// Sets `isAdmin`.
    pub fn admin(mut self, is_admin: bool) -> Token {
        self.is_admin = is_admin;
        self
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

    /// The nodes of every membership, in order.
    pub fn permissions(&self) -> Vec<&str> {
        self.memberships
            .iter()
            .flat_map(|m| m.permissions.iter().map(String::as_str))
            .collect()
    }

    pub(crate) fn scanned_by(&self) -> wire::ScannedBy {
        wire::ScannedBy {
            id: self.user.id.clone(),
            first_name: self.user.first_name.clone(),
            last_name: self.user.last_name.clone(),
            email: self.user.email.clone(),
        }
    }
}

/// Membership records of `/users/me` are dated here (the simulator keeps no history).
const MEMBER_SINCE: &str = "2025-06-01T09:00:00.000Z";

/// A token as the server holds it: its memberships parsed once, in the dataset's team.
#[derive(Debug)]
pub(crate) struct Principal {
    pub token: Token,
    grants: Vec<Grants>,
    teams: Vec<String>,
}

impl Principal {
    pub fn new(token: Token, dataset_team: &str) -> Principal {
        let teams: Vec<String> = token
            .memberships
            .iter()
            .map(|m| {
                m.team_id
                    .clone()
                    .unwrap_or_else(|| dataset_team.to_string())
            })
            .collect();
        let grants = token
            .memberships
            .iter()
            .zip(&teams)
            .map(|(m, team)| {
                let enforced: Vec<&str> = m
                    .permissions
                    .iter()
                    .chain(m.roles.iter().flat_map(|(_, nodes)| nodes))
                    .map(String::as_str)
                    .collect();
                Grants::new(team, &enforced, m.is_owner, m.promoter_ids.as_deref())
            })
            .collect();
        Principal {
            token,
            grants,
            teams,
        }
    }

    /// What the listed permissions say about `action` on `resource`.
    pub fn hint(&self, action: &str, resource: &Resource<'_>) -> Hint {
        check(self.token.is_admin, &self.grants, action, resource)
    }

    /// Whether the token holds `action` on at least one resource (any membership, any
    /// target): without it, a route answers 403 before looking at its input.
    pub fn has_any(&self, action: &str) -> bool {
        self.token.is_admin || self.grants.iter().any(|g| g.grants_somewhere(action))
    }

    /// 403 unless the token holds `action` somewhere.
    pub fn require_any(&self, action: &str) -> Result<(), ApiError> {
        if self.has_any(action) {
            Ok(())
        } else {
            Err(forbidden(action))
        }
    }

    /// 403 unless the check says [`Hint::Allowed`] for `resource`. `data.permission` names
    /// the action, targeted at the resource's event when it has one.
    pub fn require(&self, action: &str, resource: &Resource<'_>) -> Result<(), ApiError> {
        if self.hint(action, resource) == Hint::Allowed {
            return Ok(());
        }
        Err(forbidden(&match resource.event_id {
            Some(e) => format!("{action}.{e}"),
            None => action.to_string(),
        }))
    }

    /// `GET /users/me`.
    pub fn me(&self, tenant_id: &str) -> wire::Me {
        let t = &self.token;
        let u = &t.user;
        wire::Me {
            user: (!t.service).then(|| wire::MeUser {
                id: u.id.clone(),
                created_at: MEMBER_SINCE.into(),
                updated_at: MEMBER_SINCE.into(),
                email: u.email.clone(),
                first_name: u.first_name.clone(),
                last_name: u.last_name.clone(),
            }),
            is_admin: t.is_admin,
            members: t
                .memberships
                .iter()
                .zip(&self.teams)
                .map(|(m, team)| wire::Member {
                    id: id_from("mbr", &format!("{} {team}", t.token)),
                    created_at: MEMBER_SINCE.into(),
                    updated_at: MEMBER_SINCE.into(),
                    team_id: team.clone(),
                    user_id: u.id.clone(),
                    user: wire::MemberUser {
                        id: u.id.clone(),
                        email: u.email.clone(),
                        first_name: u.first_name.clone(),
                        last_name: u.last_name.clone(),
                    },
                    permissions: m.permissions.clone(),
                    role_ids: (!m.roles.is_empty())
                        .then(|| m.roles.iter().map(|(id, _)| id.clone()).collect()),
                    is_owner: m.is_owner,
                    access: m.promoter_ids.as_ref().map(|p| wire::MemberAccess {
                        promoter_ids: Some(p.clone()),
                    }),
                    tenant_id: tenant_id.to_string(),
                })
                .collect(),
        }
    }
}

/// 403 FORBIDDEN with `data.permission`.
pub(crate) fn forbidden(permission: &str) -> ApiError {
    ApiError::new(
        session_api::codes::FORBIDDEN,
        format!("This token lacks the permission {permission}"),
    )
    .with_data(json!({ "permission": permission }))
}

/// The authenticated caller of a request. Rejects with 401.
#[derive(Debug, Clone)]
pub(crate) struct Caller(pub Arc<Principal>);

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

    const TEAM: &str = "tem_01jdem0team000000000000000";
    const EVENT: &str = "evt_01jps5cgsenjrazw6wswmyspa3";
    const OTHER: &str = "evt_01jps5cgsenjrazw6wswmyspa4";

    fn event(id: &str) -> Resource<'_> {
        Resource {
            team_id: Some(TEAM),
            event_id: Some(id),
            ..Resource::default()
        }
    }

    #[test]
    fn scoped_token_is_allowed_only_on_its_event() {
        let node = format!("ticket.scan.{EVENT}");
        let p = Principal::new(Token::with_derived_user("t", &[&node]), TEAM);
        assert!(p.require("ticket.scan", &event(EVENT)).is_ok());
        assert!(p.require("ticket.scan", &event(OTHER)).is_err());
        assert!(p.has_any("ticket.scan"));
        assert!(!p.has_any("ticket.read"));
    }

    #[test]
    fn a_deny_node_wins_over_a_grant() {
        let deny = format!("-ticket.scan.{EVENT}");
        let p = Principal::new(Token::with_derived_user("t", &["ticket.*", &deny]), TEAM);
        assert!(p.require("ticket.scan", &event(EVENT)).is_err());
        assert!(p.require("ticket.scan", &event(OTHER)).is_ok());
        assert!(p.require("ticket.read", &event(EVENT)).is_ok());
    }

    #[test]
    fn another_teams_membership_grants_nothing_here() {
        let t = Token::new("t", Token::demo().user, &[]).with_membership(TokenMembership::in_team(
            "tem_01jzzzzzzzzzzzzzzzzzzzzzzz",
            &["*"],
        ));
        let p = Principal::new(t, TEAM);
        assert!(p.require("ticket.scan", &event(EVENT)).is_err());
        assert_eq!(p.me("tnt_x").members.len(), 2);
    }

    #[test]
    fn service_token_has_no_user() {
        let p = Principal::new(Token::service("svc", &["ticket.scan"]), TEAM);
        let me = p.me("tnt_01jdem0tenant0000000000000");
        assert!(me.user.is_none());
        assert_eq!(me.members[0].team_id, TEAM);
        assert!(ids::is_id("mbr", &me.members[0].id));
        assert!(ids::is_id("usr", &me.members[0].user_id));
    }
}
