//! The running door behind the window: one [`Station`] owns the open [`Door`], the background
//! sync loop, the camera loop and, in demo mode, the simulated Session Services. It reports
//! what changes as [`StationEvent`]s to whatever shows them.
//!
//! The pipeline stays the core's: **input → parse → decide → record** (`usher_core::Door`),
//! then **confirm/upload** (`usher_sync`). A station only wires those together for a long
//! running process and measures them for the door-health screen.
//!
//! **Architecture invariant:** no Tauri and no HTML here. The desktop shell turns each
//! command into one call on [`Station`] and forwards [`StationEvent`]s to the page; tests
//! drive a station directly, without a window.

#![warn(missing_docs)]

mod awake;
mod camera;
pub mod demo;
mod error;
mod health;
pub mod logs;
pub mod retention;
pub mod shift_report;
mod station;
pub mod tickets;
mod warm;

pub use camera::CameraView;
pub use error::StationError;
pub use health::Health;
pub use station::{
    Calibration, DoorGroupHealth, DoorGroupSetup, DoorView, EventChoices, InviteView, KioskState,
    LanguageChoice, LanguageView, PeerRow, ScannerLayoutView, SetupReport, Start, Station,
    StationEvent, TokenState,
};

pub use usher_core::{Door, ScanInput};
/// Where a door of a group listens and how it finds the others, as the shell reads them.
pub use usher_peers::{discover::DiscoverOn, SharingPlace};

/// A panic's message, for a report.
pub(crate) fn panic_words(panic: &(dyn std::any::Any + Send)) -> String {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".into());
    format!("it crashed ({what})")
}
