//! `usher login` and the window's token check: validate a token with `GET /users/me`, say
//! plainly what it appears able to do, and keep it in the OS keychain for this tenant and
//! API.
//!
//! What `/users/me` lists is only a hint: roles (`roleIds`) may grant more than the listed
//! nodes, so a token is never refused here because nothing listed covers scanning. The
//! report says "appears able to scan", "could not be confirmed; the first check-in will
//! tell", or "its permissions deny scanning", and the door is set up either way.

use crate::client::ApiClient;
use crate::token::{Token, TokenStore};
use crate::SyncError;
use serde::Serialize;
use session_api::permission::{self, Grants, Hint, Resource};
use session_api::{Event, MeResponse};
use usher_core::i18n::Said;
use usher_core::look::Words;

/// What the listed permissions say about one action on one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Likely {
    /// A listed grant covers it.
    Yes,
    /// A listed deny node covers it: the server will most likely answer 403.
    Denied,
    /// Nothing listed decides it (a role may grant it): the first request will tell.
    Unconfirmed,
}

impl From<Hint> for Likely {
    fn from(h: Hint) -> Likely {
        match h {
            Hint::Allowed => Likely::Yes,
            Hint::Denied => Likely::Denied,
            Hint::NotListed | Hint::Unknown => Likely::Unconfirmed,
        }
    }
}

/// The token's hint for one event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventAccess {
    /// The event asked about.
    pub event_id: String,
    /// Check tickets in and out (`ticket.scan`).
    pub scan: Likely,
    /// Download the guest list (`ticket.read`).
    pub read: Likely,
    /// One sentence for door staff.
    pub summary: String,
}

/// What a token appears able to do, in the door's terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginReport {
    /// The person the token belongs to; `None` for a service token (`user: null`).
    pub user: Option<String>,
    /// The person's email; `None` for a service token.
    pub email: Option<String>,
    /// The hint for each event asked about (the configured one, or the tenant's list).
    pub access: Vec<EventAccess>,
    /// Plain warnings: a token that reaches far beyond scanning, nodes that cannot be read.
    pub warnings: Vec<String>,
}

/// A token's listed permissions, as `/users/me` gave them.
pub struct Access {
    me: MeResponse,
    grants: Vec<Grants>,
}

impl Access {
    /// Reads the memberships of `me`.
    pub fn new(me: MeResponse) -> Access {
        let grants = me
            .members
            .iter()
            .map(|m| {
                Grants::new(
                    &m.team_id,
                    m.permissions.as_deref().unwrap_or(&[]),
                    m.is_owner,
                    m.access.as_ref().and_then(|a| a.promoter_ids.as_deref()),
                )
            })
            .collect();
        Access { me, grants }
    }

    /// The hint for `event_id`; `event` (when it could be fetched) gives its team, promoter
    /// and venue, without which team-bound permissions cannot be confirmed.
    /// Its summary is in `words`' language.
    pub fn event(&self, event_id: &str, event: Option<&Event>, words: &Words) -> EventAccess {
        let resource = Resource {
            event_id: Some(event_id),
            team_id: event.and_then(|e| e.team_id.as_deref()),
            promoter_id: event.and_then(|e| e.promoter_id.as_deref()),
            venue_id: event.and_then(|e| e.location.venue.as_ref().map(|v| v.id.as_str())),
            ..Resource::default()
        };
        let hint = |action| {
            Likely::from(permission::check(
                self.me.is_admin,
                &self.grants,
                action,
                &resource,
            ))
        };
        let (scan, read) = (hint("ticket.scan"), hint("ticket.read"));
        let name = event.map(|e| e.name.as_str()).unwrap_or(event_id);
        let scan_words = match scan {
            Likely::Yes => "access-scan-yes",
            Likely::Denied => "access-scan-denied",
            Likely::Unconfirmed => "access-scan-unconfirmed",
        };
        let mut summary = words.say(&Said::new(scan_words).with("event", name));
        let read_words = match read {
            Likely::Yes => None,
            Likely::Denied => Some("access-read-denied"),
            Likely::Unconfirmed => Some("access-read-unconfirmed"),
        };
        if let Some(id) = read_words {
            summary.push(' ');
            summary.push_str(&words.say(&Said::new(id)));
        }
        EventAccess {
            event_id: event_id.to_string(),
            scan,
            read,
            summary,
        }
    }

    /// The report for `events`, with the token's warnings in `words`' language.
    pub fn report(&self, access: Vec<EventAccess>, words: &Words) -> LoginReport {
        let mut warnings = Vec::new();
        let broad: Vec<String> = self
            .me
            .members
            .iter()
            .flat_map(|m| permission::beyond_scanning(m.permissions.as_deref().unwrap_or(&[])))
            .collect();
        if !broad.is_empty() || self.me.is_admin || self.me.members.iter().any(|m| m.is_owner) {
            let mut what = broad;
            if self.me.is_admin {
                what.push(words.say(&Said::new("access-administrator")));
            }
            if self.me.members.iter().any(|m| m.is_owner) {
                what.push(words.say(&Said::new("access-team-owner")));
            }
            warnings.push(words.say(&Said::new("access-broad").with("what", what.join(", "))));
        }
        let malformed: Vec<&String> = self.grants.iter().flat_map(|g| g.malformed()).collect();
        if !malformed.is_empty() {
            let names: Vec<String> = malformed.iter().map(|s| format!("{s:?}")).collect();
            warnings.push(
                words.say(&Said::new("access-malformed").with("permissions", names.join(", "))),
            );
        }
        if self.me.user.is_none() {
            warnings.push(words.say(&Said::new("access-service-token")));
        }
        let user = self.me.user.as_ref().map(|u| {
            format!("{} {}", u.first_name, u.last_name)
                .trim()
                .to_string()
        });
        LoginReport {
            user,
            email: self.me.user.as_ref().map(|u| u.email.clone()),
            access,
            warnings,
        }
    }
}

/// Validates `token` with `GET /users/me`, then stores it for `tenant` on `api`. The token is
/// kept whatever its listed permissions say (they are a hint); it is refused, and not kept,
/// only when `/users/me` fails: Session Services does not accept it (401), or gave no usable
/// answer.
pub async fn login(
    base_url: &str,
    api: &str,
    tenant: &str,
    token: Token,
    store: &dyn TokenStore,
) -> Result<Access, SyncError> {
    let client = ApiClient::new(base_url, tenant, Some(token.clone()))?;
    let me = client.me().await?;
    store.set(api, tenant, &token)?;
    Ok(Access::new(me))
}

#[cfg(test)]
mod tests {
    use super::*;
    use session_api::{Location, Member, User, VenueRef};

    const TEAM: &str = "tem_01jps5cgsg0s32w2pr73vbcte1";
    const EVENT: &str = "evt_01jps5cgsg0s32w2pr73vbcev1";

    fn member(perms: &[&str]) -> Member {
        Member {
            team_id: TEAM.into(),
            permissions: Some(perms.iter().map(|p| p.to_string()).collect()),
            role_ids: None,
            is_owner: false,
            access: None,
        }
    }

    fn me(user: bool, members: Vec<Member>) -> MeResponse {
        MeResponse {
            user: user.then(|| User {
                first_name: "Ada".into(),
                last_name: "Door".into(),
                email: "ada@venue.example".into(),
            }),
            is_admin: false,
            members,
        }
    }

    fn event(team: &str) -> Event {
        Event {
            id: EVENT.into(),
            name: "Friday Night".into(),
            slug: "friday".into(),
            status: session_api::EventStatus::Upcoming,
            entry_starts_at: None,
            entry_ends_at: None,
            location: Location {
                venue: Some(VenueRef {
                    id: "ven_01jps5cgsg0s32w2pr73vbcve1".into(),
                }),
                ..Location::default()
            },
            team_id: Some(team.into()),
            promoter_id: Some("pmt_01jps5cgsg0s32w2pr73vbcpm1".into()),
            admissions: vec![],
            sections: vec![],
        }
    }

    #[test]
    fn a_listed_scan_node_of_the_events_team_appears_able_to_scan() {
        let a = Access::new(me(true, vec![member(&["ticket.scan", "ticket.read"])]));
        let e = a.event(EVENT, Some(&event(TEAM)), &Words::english());
        assert_eq!((e.scan, e.read), (Likely::Yes, Likely::Yes));
        assert!(
            e.summary.contains("appears able to scan Friday Night"),
            "{}",
            e.summary
        );
        assert!(a.report(vec![e], &Words::english()).warnings.is_empty());
    }

    #[test]
    fn a_membership_of_another_team_is_unconfirmed_never_refused() {
        let a = Access::new(me(true, vec![member(&["ticket.scan"])]));
        let e = a.event(
            EVENT,
            Some(&event("tem_01jps5cgsg0s32w2pr73vbcte2")),
            &Words::english(),
        );
        assert_eq!(e.scan, Likely::Unconfirmed);
        assert!(
            e.summary.contains("the first check-in will tell"),
            "{}",
            e.summary
        );
    }

    #[test]
    fn an_event_that_could_not_be_fetched_leaves_the_hint_unconfirmed() {
        let a = Access::new(me(true, vec![member(&["ticket.scan"])]));
        assert_eq!(
            a.event(EVENT, None, &Words::english()).scan,
            Likely::Unconfirmed
        );
    }

    #[test]
    fn a_deny_node_says_scans_will_be_refused() {
        let deny = format!("-ticket.scan.{EVENT}");
        let a = Access::new(me(true, vec![member(&["ticket.*", &deny])]));
        let e = a.event(EVENT, Some(&event(TEAM)), &Words::english());
        assert_eq!(e.scan, Likely::Denied);
        assert_eq!(e.read, Likely::Yes);
    }

    #[test]
    fn a_token_reaching_far_beyond_scanning_is_warned_about() {
        let a = Access::new(me(true, vec![member(&["*"])]));
        let r = a.report(vec![], &Words::english());
        assert!(
            r.warnings[0].contains("much more than scan (*)"),
            "{:?}",
            r.warnings
        );
        let a = Access::new(me(true, vec![member(&["ticket.scan.*", "event.read"])]));
        assert!(a.report(vec![], &Words::english()).warnings.is_empty());
    }

    #[test]
    fn a_service_token_with_no_user_logs_in_with_a_note() {
        let a = Access::new(me(false, vec![member(&["ticket.scan"])]));
        let r = a.report(
            vec![a.event(EVENT, Some(&event(TEAM)), &Words::english())],
            &Words::english(),
        );
        assert_eq!(r.user, None);
        assert_eq!(r.access[0].scan, Likely::Yes);
        assert!(r.warnings.iter().any(|w| w.contains("service token")));
    }

    #[test]
    fn unreadable_nodes_are_reported() {
        let a = Access::new(me(true, vec![member(&["ticket.scan", "Ticket.Scan!"])]));
        let r = a.report(vec![], &Words::english());
        assert!(
            r.warnings.iter().any(|w| w.contains("\"Ticket.Scan!\"")),
            "{:?}",
            r.warnings
        );
    }
}
