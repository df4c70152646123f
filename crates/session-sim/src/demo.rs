//! The demo defaults: what `session-sim` serves when started with no options.

/// The demo tenant (`x-tenant-id`).
pub const TENANT_ID: &str = "tnt_01jdem0tenant0000000000000";
/// A token with the SCANNING scope's nodes, valid for the demo tenant.
pub const SCAN_TOKEN: &str = "demo-scanning-token";
/// What [`SCAN_TOKEN`] may do: scan, and read the guest list and events.
pub const SCAN_PERMISSIONS: &[&str] = &["ticket.scan", "ticket.read", "event.read"];
/// The user behind [`SCAN_TOKEN`].
pub const USER_ID: &str = "usr_01jdem0user000000000000000";
/// The demo user's first name.
pub const USER_FIRST_NAME: &str = "Dana";
/// The demo user's last name.
pub const USER_LAST_NAME: &str = "Doorstaff";
/// The demo user's e-mail address.
pub const USER_EMAIL: &str = "dana.doorstaff@venue.example";
/// The team that owns the generated events and that the demo user belongs to.
pub const TEAM_ID: &str = "tem_01jdem0team000000000000000";
/// The name of [`TEAM_ID`].
pub const TEAM_NAME: &str = "Demo Venue Door Team";
/// The seed of the demo dataset.
pub const SEED: u64 = 42;
/// The other door staff member who already checked in ~2% of the generated tickets.
pub const OTHER_USER_ID: &str = "usr_01jdem0thers00000000000000";

#[cfg(test)]
mod tests {
    use session_api::ids::is_id;

    #[test]
    fn demo_ids_match_the_contract_pattern() {
        assert!(is_id("tnt", super::TENANT_ID));
        assert!(is_id("usr", super::USER_ID));
        assert!(is_id("usr", super::OTHER_USER_ID));
        assert!(is_id("tem", super::TEAM_ID));
    }
}
