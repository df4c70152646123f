//! The door pipeline, in one place: **input → parse → decide → record**. (Upload happens
//! later, from the scan log.)
//!
//! A scan is decided and recorded inside one write transaction, so two processes sharing a
//! data folder (the window and `usher scan`) can never both admit the same ticket, and the
//! verdict is only returned once its row is committed to disk.

use crate::cache;
use crate::code;
use crate::error::Result;
use crate::scanlog::{self, ScanFacts, ScanOutcome, Source};
use crate::settings::{self, DeviceConfig};
use crate::store::Store;
use crate::verdict::{self, DoorContext, Found};
use jiff::Timestamp;
use rusqlite::TransactionBehavior;

/// A door ready to scan: the store, this device's configuration and the event's context.
pub struct Door {
    store: Store,
    config: DeviceConfig,
    device_id: String,
    ctx: DoorContext,
}

/// One input at the door.
#[derive(Debug, Clone, Copy)]
pub struct ScanInput<'a> {
    /// The scanned text, untrusted and possibly binary.
    pub payload: &'a [u8],
    pub source: Source,
    /// Staff confirmed admitting the rest of a partly used order.
    pub confirm: bool,
}

impl Door {
    /// Opens the door for the configured event: fails plainly when the device is not set up
    /// or the cache has never received the event.
    pub fn open(store: Store) -> Result<Door> {
        let config = settings::load(store.conn())?;
        let device_id = settings::device_id(store.conn())?;
        let ctx = cache::door_context(store.conn(), &config)?;
        Ok(Door {
            store,
            config,
            device_id,
            ctx,
        })
    }

    /// Parses, decides and durably records one scan, and returns what to show.
    pub fn scan(&mut self, input: ScanInput, now: Timestamp) -> Result<ScanOutcome> {
        let tx = self
            .store
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let parsed = code::parse(input.payload);
        let found = match &parsed {
            Ok(key) => cache::find(&tx, key)?,
            Err(_) => Found::Missing,
        };
        if matches!(found, Found::Missing) {
            // Another process may have refreshed the cache since this door opened.
            self.ctx.cache_synced = cache::synced_at(&tx, &self.ctx.event_id)?;
        }
        let verdict = verdict::decide(parsed, found, &self.ctx, now, input.confirm);
        let facts = ScanFacts {
            payload: input.payload,
            source: input.source,
            door_time: now,
            device_id: &self.device_id,
            config: &self.config,
        };
        let outcome = scanlog::record(&tx, &facts, verdict)?;
        tx.commit()?;
        self.store.committed();
        Ok(outcome)
    }

    /// Housekeeping that must not delay a verdict; call it once the verdict is shown.
    pub fn tidy(&mut self) -> Result<()> {
        self.store.tidy()
    }

    pub fn config(&self) -> &DeviceConfig {
        &self.config
    }

    pub fn device_id(&self) -> &str {
        &self.device_id
    }

    pub fn store(&self) -> &Store {
        &self.store
    }
}
