//! What two doors of a group say to each other, once the handshake is done.
//!
//! The puller asks: "I am door D; I have heard `heard` (device → version); I hear these doors
//! at first hand; wait up to `wait_ms` if you have nothing." The other door answers with a
//! batch of what the puller has not heard (its own scans and what it heard from doors the
//! puller cannot reach), as soon as there is any, or an empty batch when the wait is over.
//! The puller keeps the batch (`usher_core::peers::receive`, one transaction) and asks again:
//! anti-entropy by pull, so a door that was away catches up by itself, and nothing is pushed
//! to a door that did not ask.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use usher_core::peers::{Heard, SharedScan};

/// Who a door is, as it tells its peers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DoorName {
    /// Its device id.
    pub device_id: String,
    /// Its gate name ("North Gate 2").
    pub gate_name: String,
}

/// The puller's question.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Pull {
    /// Who asks.
    pub door: DoorName,
    /// How far it has heard from each door.
    pub heard: Heard,
    /// The doors whose scans this answerer is not to pass on: those the asker hears from
    /// itself, and those it asks other doors to pass on (each door out of its reach is asked
    /// of two linked doors, not of all).
    pub direct: BTreeSet<String>,
    /// How long to wait for something to send, at most.
    pub wait_ms: u64,
}

/// The answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Batch {
    /// Who answers.
    pub door: DoorName,
    /// What the puller had not heard, each door's in version order.
    pub scans: Vec<SharedScan>,
    /// Whether there is more to send right away (ask again without waiting).
    pub more: bool,
}

/// The longest a puller may ask the other door to wait.
pub const MAX_WAIT_MS: u64 = 10_000;
