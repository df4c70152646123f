//! A station's errors: the core's and sync's, plus the few the station itself raises. Each
//! has a stable code for the UI's `{code, message}`.

use usher_sync::SyncError;

#[derive(Debug, thiserror::Error)]
pub enum StationError {
    #[error(transparent)]
    Sync(#[from] SyncError),
    /// The door is not open yet (no setup, no demo).
    #[error("the door is not open: set it up or start the demo first")]
    NotOpen,
    #[error("there is no check-in on this device to undo")]
    NothingToUndo,
    #[error("only the demo can do that")]
    NotDemo,
    #[error("{0}")]
    Io(String),
}

impl From<usher_core::Error> for StationError {
    fn from(e: usher_core::Error) -> Self {
        StationError::Sync(e.into())
    }
}

impl StationError {
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
