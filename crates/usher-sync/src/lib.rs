//! Usher's sync engine: fills the ticket cache from Session Services and drains the scan log
//! back to it, with the token from the OS keychain.
//!
//! Every function takes its dependencies (the store, the client, the token store) as
//! arguments; there are no globals, so tests run real ones side by side.
//!
//! **Architecture invariant:** sync never decides a door verdict and never deletes a scan.
//! It only moves the cache toward the server's state and the scan log's upload columns
//! toward the server's answers.

#![warn(missing_docs)]

pub mod client;
pub mod download;
pub mod login;
pub mod online;
pub mod reconcile;
pub mod refunds;
pub mod state;
pub mod token;
pub mod upload;
pub mod watch;

pub use client::{ApiClient, Failure};
pub use token::{Keychain, Token, TokenStore};
use usher_core::i18n::Said;

/// Why a sync step stopped.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The local database or the configuration failed.
    #[error(transparent)]
    Core(#[from] usher_core::Error),
    /// A request to Session Services failed; the [`Failure`] says how.
    #[error(transparent)]
    Api(#[from] Failure),
    /// The token could not be read or kept.
    #[error(transparent)]
    Token(#[from] token::TokenError),
    /// An answer this sync cannot use (an invalid event, a cursor that repeats, a walk that did
    /// not end), or the download's writer thread failed.
    #[error("{}", self.said())]
    BadAnswer(Said),
}

impl SyncError {
    /// True when trying again later may succeed (network, server trouble).
    pub fn is_retryable(&self) -> bool {
        matches!(self, SyncError::Api(f) if f.is_retryable())
    }

    /// The wait the server asked for, if it did.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            SyncError::Api(f) => f.after(),
            _ => None,
        }
    }

    /// What staff are told (see [`usher_core::Error::said`]).
    pub fn said(&self) -> Said {
        match self {
            SyncError::Core(e) => e.said(),
            SyncError::Api(f) => f.said(),
            SyncError::Token(t) => t.said(),
            SyncError::BadAnswer(why) => Said::new("sync-bad-answer").with("detail", why.clone()),
        }
    }

    /// A stable code for `{code, message}`.
    pub fn code(&self) -> &'static str {
        match self {
            SyncError::Core(e) => e.code(),
            SyncError::Api(Failure::Retry { .. }) => "OFFLINE",
            // Something answered, in a shape the app cannot read: not "offline".
            SyncError::Api(Failure::Unreadable { .. }) => "BAD_ANSWER",
            SyncError::Api(Failure::Contended { .. }) => "BUSY",
            SyncError::Api(Failure::Auth { .. }) => "AUTH",
            SyncError::Api(Failure::Conflict { .. }) => "CONFLICT",
            SyncError::Api(Failure::Rejected { .. }) => "REJECTED",
            SyncError::Token(_) => "TOKEN",
            SyncError::BadAnswer(_) => "BAD_ANSWER",
        }
    }
}
