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

mod camera;
pub mod demo;
mod error;
mod health;
mod station;
pub mod tickets;

pub use camera::CameraView;
pub use error::StationError;
pub use health::Health;
pub use station::{DoorView, EventChoices, SetupReport, Start, Station, StationEvent};

pub use usher_core::{Door, ScanInput};
