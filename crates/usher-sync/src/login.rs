//! `usher login`: validate a token with `GET /users/me`, say plainly what it can do, and keep
//! it in the OS keychain for this tenant and API.

use crate::client::ApiClient;
use crate::token::{Token, TokenStore};
use crate::SyncError;
use serde::Serialize;

/// What a token may do, in the door's terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginReport {
    pub user: String,
    pub email: String,
    /// It can check tickets in and out of every event.
    pub can_scan_all_events: bool,
    /// Events it can scan when limited to some (`ticket.scan.evt_…`).
    pub can_scan_events: Vec<String>,
    /// It can scan the configured event.
    pub can_scan_this_event: bool,
    /// It can download the guest list.
    pub can_read_tickets: bool,
}

/// True when `granted` covers the permission node `wanted` (`*`, `ticket.*`, exact).
fn covers(granted: &str, wanted: &str) -> bool {
    granted == "*"
        || granted == wanted
        || granted.strip_suffix(".*").is_some_and(|prefix| {
            wanted.starts_with(prefix) && wanted[prefix.len()..].starts_with('.')
        })
}

/// Validates `token`, then stores it for `tenant` on `api`.
pub async fn login(
    base_url: &str,
    api: &str,
    tenant: &str,
    event_id: &str,
    token: Token,
    store: &dyn TokenStore,
) -> Result<LoginReport, SyncError> {
    let client = ApiClient::new(base_url, tenant, Some(token.clone()))?;
    let me = client.me().await?.user;
    let perms: Vec<&str> = me
        .memberships
        .iter()
        .flat_map(|m| m.permissions.iter().map(String::as_str))
        .collect();
    let can_scan_all_events = perms.iter().any(|p| covers(p, "ticket.scan"));
    let can_scan_events: Vec<String> = perms
        .iter()
        .filter_map(|p| p.strip_prefix("ticket.scan."))
        .filter(|e| session_api::ids::is_id("evt", e))
        .map(str::to_string)
        .collect();
    let report = LoginReport {
        user: format!("{} {}", me.first_name, me.last_name)
            .trim()
            .to_string(),
        email: me.email,
        can_scan_this_event: can_scan_all_events || can_scan_events.iter().any(|e| e == event_id),
        can_scan_all_events,
        can_scan_events,
        can_read_tickets: perms.iter().any(|p| covers(p, "ticket.read")),
    };
    store.set(api, tenant, &token)?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn wildcards_cover_their_nodes_only() {
        assert!(covers("*", "ticket.scan"));
        assert!(covers("ticket.*", "ticket.scan"));
        assert!(covers("ticket.scan", "ticket.scan"));
        assert!(!covers("ticket.*", "event.read"));
        assert!(!covers("ticket.scan.evt_x", "ticket.scan"));
        assert!(!covers("tick.*", "ticket.scan"));
    }
}
