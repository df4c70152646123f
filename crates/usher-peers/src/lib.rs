//! Doors that see each other: scans shared over the venue's own network while Session
//! Services is out of reach.
//!
//! - `group.rs`: the door group's key, in the OS keychain; the hint said in the clear.
//! - `channel.rs`: the Noise connection (group key as the pre-shared key).
//! - `exchange.rs`: what two doors say: a pull of everything after what the asker has heard,
//!   answered at once or as soon as there is something (a long poll).
//! - `node.rs`: `Node`, one door's side: it listens, pulls from every door it knows of, keeps
//!   what it receives through `usher_core::peers`, and tells how each link stands.
//! - `own_log.rs`: the door's own recent changes in memory, read once per change, so the
//!   doors waiting on it are answered without a query each.
//! - `sharing.rs`: `Sharing`, a node with its manual list and discovery, as the window and
//!   `usher peers serve` run it.
//! - `discover.rs`: mDNS announcing and browsing, by group hint only.
//! - `join.rs`: a join code and its handshake, which hands a new door the group key and its
//!   set-up.
//!
//! **Architecture invariant:** sharing never decides for another door, never uploads another
//! door's scan and never talks to a door outside the group: every byte after the first goes
//! through a handshake only a group member (or a holder of an open join code) completes.

pub mod channel;
pub mod discover;
pub mod exchange;
pub mod group;
pub mod join;
pub mod node;
pub mod own_log;
pub mod sharing;

pub use group::GroupKey;
pub use node::{LinkState, Node, NodeConfig, PeerLink};
pub use sharing::{Sharing, SharingPlace};

use usher_core::i18n::Said;

/// What can go wrong between doors.
#[derive(Debug, thiserror::Error)]
pub enum PeerError {
    /// The other side does not hold this door's group key (or join code): the handshake
    /// failed and nothing was exchanged.
    #[error("{}", self.said())]
    NotInGroup,
    /// No answer in time.
    #[error("{}", self.said())]
    Timeout,
    /// The network or the OS refused (its words).
    #[error("{}", self.said())]
    Io(String),
    /// The other side said something this door cannot read (what).
    #[error("{}", self.said())]
    Protocol(String),
    /// The OS gave no random bytes for a key (its words).
    #[error("{}", self.said())]
    Random(String),
    /// The group key in the keychain does not read.
    #[error("{}", self.said())]
    KeyDamaged,
    /// The keychain took the group key and did not give it back.
    #[error("{}", self.said())]
    KeyNotKept,
    /// The keychain failed.
    #[error("{}", self.said())]
    Keychain(#[from] usher_sync::token::TokenError),
    /// The door's database failed.
    #[error("{}", self.said())]
    Core(#[from] usher_core::Error),
    /// A join was refused: no join code open, the code expired or was tried too often.
    #[error("{}", self.said())]
    JoinRefused,
}

impl PeerError {
    /// Wraps an I/O error.
    pub fn io(e: std::io::Error) -> PeerError {
        PeerError::Io(e.to_string())
    }

    /// A stable code for `{code, message}` and `--json`.
    pub fn code(&self) -> &'static str {
        match self {
            PeerError::NotInGroup => "PEER_NOT_IN_GROUP",
            PeerError::Timeout => "PEER_TIMEOUT",
            PeerError::Io(_) => "PEER_UNREACHABLE",
            PeerError::Protocol(_) => "PEER_PROTOCOL",
            PeerError::Random(_) => "PEER_RANDOM",
            PeerError::KeyDamaged => "PEER_KEY_DAMAGED",
            PeerError::KeyNotKept => "PEER_KEY_NOT_KEPT",
            PeerError::Keychain(_) => "PEER_KEYCHAIN",
            PeerError::Core(e) => e.code(),
            PeerError::JoinRefused => "PEER_JOIN_REFUSED",
        }
    }

    /// What staff are told.
    pub fn said(&self) -> Said {
        match self {
            PeerError::Keychain(e) => e.said(),
            PeerError::Core(e) => e.said(),
            PeerError::Io(why) | PeerError::Protocol(why) | PeerError::Random(why) => {
                Said::new(format!("error-{}", self.code())).with("detail", why.as_str())
            }
            _ => Said::new(format!("error-{}", self.code())),
        }
    }

    /// Whether trying again later may work (the network), or not (the key, the data).
    pub fn is_retryable(&self) -> bool {
        matches!(self, PeerError::Timeout | PeerError::Io(_))
    }
}

/// Milliseconds since the Unix epoch, now.
pub(crate) fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}
