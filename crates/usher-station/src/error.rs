//! A station's errors: the core's and sync's, plus the few the station itself raises. Each
//! has a stable code for the UI's `{code, message}`.

use usher_core::i18n::Said;
use usher_sync::SyncError;

/// Why a station command failed; [`StationError::code`] names it for the page.
#[derive(Debug, thiserror::Error)]
pub enum StationError {
    /// The core or the sync engine failed (the core's errors arrive wrapped in sync's).
    #[error(transparent)]
    Sync(#[from] SyncError),
    /// The door is not open yet (no setup, no demo).
    #[error("{}", self.said())]
    NotOpen,
    /// Undo found no check-in of this device still standing: there is none, or each was
    /// checked out again or refused by the server.
    #[error("{}", self.said())]
    NothingToUndo,
    /// A demo-only command (network switch, a ticket held up, printable tickets) at a real door.
    #[error("{}", self.said())]
    NotDemo,
    /// A door-group call that needs sharing running (an invite) while it is not: no group,
    /// the demo, or sharing still starting or failed (Door health says which).
    #[error("{}", self.said())]
    NotSharing,
    /// A file, folder, thread or runtime the station needs failed; what is said names which.
    #[error("{}", self.said())]
    Io(Said),
    /// The door group: its key, a join, the exchange.
    #[error(transparent)]
    Peers(#[from] usher_peers::PeerError),
}

impl From<usher_core::Error> for StationError {
    fn from(e: usher_core::Error) -> Self {
        StationError::Sync(e.into())
    }
}

impl StationError {
    /// What staff are told, worded in the door's language by `Station::error_words` (see
    /// [`usher_core::Error::said`]).
    pub fn said(&self) -> Said {
        match self {
            StationError::Sync(e) => e.said(),
            StationError::Io(why) => why.clone(),
            StationError::Peers(e) => e.said(),
            other => Said::new(format!("error-{}", other.code())),
        }
    }

    /// A stable code for `{code, message}`: the core's or sync's own, else the station's.
    pub fn code(&self) -> &'static str {
        match self {
            StationError::Sync(e) => e.code(),
            StationError::NotOpen => "NOT_OPEN",
            StationError::NothingToUndo => "NOTHING_TO_UNDO",
            StationError::NotDemo => "NOT_DEMO",
            StationError::NotSharing => "NOT_SHARING",
            StationError::Io(_) => "IO",
            StationError::Peers(e) => e.code(),
        }
    }
}
