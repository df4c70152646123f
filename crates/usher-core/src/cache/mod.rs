//! The ticket cache: the event, its admissions and sections, and its tickets, as the last
//! import or download left them. In three rooms:
//! - `read`: what the door and the screens read (`find`, `door_context`, `synced_at`);
//! - `write`: what a download, an upload's answer and the refund poll write, each under the
//!   "never older" rule (a state known earlier never overwrites one known later);
//! - `import`: the streaming `usher import` of a whole guest-list file.
//!
//! **Architecture invariant:** the cache holds the server's state only. This device's own
//! scans live in the scan log (`scanlog.rs`) and are merged in when a ticket is read, so a
//! refresh of the cache can never erase a local scan.

mod import;
mod read;
mod write;

pub use import::{import, ImportReport};
pub use read::{door_context, event_time_zone, find, synced_at};
pub(crate) use read::{ticket_row, with_scans};
pub use write::{
    cancel, cancel_listed, mark_gone, mark_synced, received_in_pass, save_event, upsert_event,
    upsert_roster_row, upsert_ticket, Cancelled, EventRefused, EventSeen,
};

/// Selects what a [`TicketView`] is built from (`ticket_row`); add a WHERE clause.
pub(crate) const TICKET_SELECT: &str =
    "SELECT t.id, t.order_id, t.event_id, t.admission_id, coalesce(a.name, t.admission_id),
     t.section_id, s.name, t.status, t.first_name, t.last_name, t.email, t.phone,
     t.last_scan_kind, t.last_scan_ms, t.last_scan_device, t.last_scan_by
     FROM tickets t LEFT JOIN admissions a ON a.id = t.admission_id
     LEFT JOIN sections s ON s.id = t.section_id";
