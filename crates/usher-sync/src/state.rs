//! What the sync engine tells the sync bar, through `usher_core::sync_state`: the one fact it
//! works out itself is the clock skew its client measured.

use crate::SyncError;
use jiff::Timestamp;
use usher_core::Store;

pub use usher_core::sync_state::{downloaded, failed, set_paused, uploaded};

/// Keeps what the client's answers said of the local clock (`usher_core::clock` reads it),
/// when it moved or was written a while ago.
pub fn clock(store: &Store, client: &crate::ApiClient, now: Timestamp) -> Result<(), SyncError> {
    let now_ms = now.as_millisecond();
    let Some(skew) = client.clock().to_write(now_ms) else {
        return Ok(());
    };
    usher_core::sync_state::clock_measured(store.conn(), skew, now_ms)?;
    client.clock().written(skew, now_ms);
    Ok(())
}
