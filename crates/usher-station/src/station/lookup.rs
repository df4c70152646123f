//! Guest lookup: the search index, built on the side once the door opens, and the search.

use super::{return_free_memory, Active, Station, INDEX_PATIENCE, READER_CACHE_KIB};
use crate::camera::lock;
use crate::StationError;
use std::sync::Arc;
use usher_core::lookup::{LookupHit, SearchIndex};
use usher_core::Store;

/// Builds the guest search index on its own thread and connection, so the first search is
/// instant and neither scans nor screens wait for it.
pub(super) fn warm_index(active: &Active) {
    let (dir, key, event_id) = (
        active.dir.clone(),
        active.key.clone(),
        active.config.event_id.clone(),
    );
    active.index.warm("the guest search index", move || {
        let built = Store::open_with(&dir, key.as_ref())
            .and_then(|s| s.limit_cache(READER_CACHE_KIB))
            .and_then(|s| SearchIndex::load(s.conn(), &event_id))
            .map_err(|e| e.to_string());
        return_free_memory();
        built
    });
}

impl Station {
    /// Guests matching `query` (name, email, phone, ticket or order id), from the first
    /// character.
    pub fn lookup(&self, query: &str, limit: usize) -> Result<Vec<LookupHit>, StationError> {
        let active = self.active()?;
        active.config.gate.lookup_allowed()?;
        // Being built on the side: wait for it rather than build it twice (no lock held).
        let built = active.index.get(INDEX_PATIENCE);
        let reader = lock(&active.reader);
        let index = match built {
            Some(index) => {
                // After a refresh, search the index built before it (each hit is read fresh
                // from the cache) while the new one is built on the side.
                if !index.is_current(reader.conn())? {
                    warm_index(&active);
                }
                index
            }
            // None built, or the build on the side failed: build it here, once more.
            None => {
                let index = Arc::new(SearchIndex::load(reader.conn(), &active.config.event_id)?);
                active.index.set(index.clone());
                index
            }
        };
        Ok(usher_core::lookup::lookup(
            reader.conn(),
            &index,
            query,
            limit,
            (&self.words(), &active.time_zone),
        )?)
    }

    /// Builds the guest search index on the side, once the scan screen is up, so the first
    /// search does not wait for it.
    pub fn prepare_lookup(&self) -> Result<(), StationError> {
        warm_index(&*self.active()?);
        Ok(())
    }
}
