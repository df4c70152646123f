//! A station's errors: the core's and sync's, plus the few the station itself raises. Each
//! has a stable code for the UI's `{code, message}`.

use usher_sync::SyncError;

/// Why a station command failed; [`StationError::code`] names it for the page.
#[derive(Debug, thiserror::Error)]
pub enum StationError {
    /// The core or the sync engine failed (the core's errors arrive wrapped in sync's).
    #[error(transparent)]
    Sync(#[from] SyncError),
    /// The door is not open yet (no setup, no demo).
    #[error("the door is not open: set it up or start the demo first")]
    NotOpen,
    /// Undo found no check-in of this device still standing: there is none, or each was
    /// checked out again or refused by the server.
    #[error("there is no check-in on this device to undo")]
    NothingToUndo,
    /// A demo-only command (network switch, a ticket held up, printable tickets) at a real door.
    #[error("only the demo can do that")]
    NotDemo,
    /// A file, folder, thread or runtime the station needs failed; the message says which.
    #[error("{0}")]
    Io(String),
}

impl From<usher_core::Error> for StationError {
    fn from(e: usher_core::Error) -> Self {
        StationError::Sync(e.into())
    }
}

impl StationError {
    /// The numbers the error's words name (the core's [`usher_core::Error::numbers`]).
    pub fn numbers(&self) -> Vec<(&'static str, i64)> {
        match self {
            StationError::Sync(usher_sync::SyncError::Core(e)) => e.numbers(),
            _ => Vec::new(),
        }
    }

    /// A stable code for `{code, message}`: the core's or sync's own, else the station's.
    pub fn code(&self) -> &'static str {
        match self {
            StationError::Sync(e) => e.code(),
            StationError::NotOpen => "NOT_OPEN",
            StationError::NothingToUndo => "NOTHING_TO_UNDO",
            StationError::NotDemo => "NOT_DEMO",
            StationError::Io(_) => "IO",
        }
    }
}
