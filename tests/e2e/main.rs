//! End-to-end tests of the Usher window: the real app binary, the real web view, the demo's
//! simulator over loopback HTTP. Each saves screenshots (see `support::screenshot_dir`).

mod camera_latency;
mod door;
mod door_group;
mod keyboard_layouts;
mod kiosk;
mod language;
mod layout;
mod report;
mod screens;
mod support;
mod tablet;
mod touch;

use session_api::TicketStatus;
use session_sim::dataset::{Dataset, DatasetSpec};

/// The demo's event, generated here from the same seed, so a test knows its tickets.
pub fn demo_dataset() -> Dataset {
    Dataset::generate(&DatasetSpec {
        tickets: usher_station::demo::DEMO_TICKETS,
        ..DatasetSpec::default()
    })
}

/// Valid tickets of the first admission that the demo's camera tour does not use.
pub fn spare_valid_tickets(data: &Dataset) -> Vec<String> {
    data.ticket_ids_of_admission(0, 0, TicketStatus::Active)
        .into_iter()
        .skip(100)
        .collect()
}
