//! Usher's core: the door pipeline without any window.
//!
//! **input → parse (`code`) → decide (`verdict`) → record (`scanlog`)**, run by `door::Door`,
//! over the SQLite file opened by `store` and filled by `cache::import` (and, later, sync).
//!
//! **Architecture invariant:** this crate has no Tauri, no terminal and no network
//! dependency. The desktop shell and the `usher` command line are thin layers over it.

#![warn(missing_docs)]

pub mod activity;
pub mod cache;
pub mod clock;
pub mod code;
mod column;
pub mod debounce;
pub mod door;
pub mod error;
pub mod forget;
pub mod gate;
pub mod i18n;
pub mod kiosk;
pub mod look;
pub mod lookup;
pub mod online;
pub mod outbox;
pub mod peers;
pub mod report;
pub mod roster;
pub mod scanlog;
pub mod scanner_layout;
pub mod settings;
pub mod staff;
pub mod status;
pub mod store;
pub mod sync_state;
pub mod time;
pub mod verdict;

pub use door::{Door, ScanInput};
pub use error::{Error, Result};
pub use store::Store;
