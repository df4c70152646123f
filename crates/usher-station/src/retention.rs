//! Automatic retention, with its audit trail: every event forgotten is logged with its counts
//! (never a guest's data), and every event kept past retention with the scans it waits on.
//! The window runs it when it starts; `usher sync` after each sync; `usher forget --expired`
//! on demand. The rule itself is `usher_core::forget::forget_expired`.

use usher_core::forget::{self, Retention};
use usher_core::Store;

/// Forgets the events past this device's retention (see `usher_core::forget`) and logs it.
pub fn run(store: &mut Store, now: jiff::Timestamp) -> Result<Retention, usher_core::Error> {
    let done = forget::forget_expired(store.conn_mut(), now)?;
    for g in &done.forgotten {
        tracing::warn!(
            event = %g.event_id,
            tickets = g.tickets,
            scans = g.scans,
            days = done.days,
            "event forgotten: its entry ended more than the retention ago"
        );
    }
    for (event, waiting) in &done.kept {
        tracing::warn!(
            event = %event,
            waiting,
            "past retention but kept: scans still wait to upload"
        );
    }
    Ok(done)
}
