//! **Refunds between refreshes**: a light poll of the event's CANCELLED tickets
//! (`GET /tickets?eventId=…&status=CANCELLED`), every minute while online, so a refund reaches
//! the door within a minute without a full refresh of the guest list.
//!
//! Only tickets already in the cache change; a cancelled ticket the cache never had is refused
//! at the door anyway (not found). Written under the "never older" rule, so an answer older
//! than an acknowledged upload never overwrites it.

use crate::client::ApiClient;
use crate::download::{Walk, MAX_PAGES_PER_WALK};
use crate::SyncError;
use jiff::Timestamp;
use serde::Serialize;
use std::sync::Mutex;
use std::time::Duration;
use usher_core::cache;
use usher_core::i18n::Said;
use usher_core::Store;

/// How often the watch loop polls for refunds while online.
pub const POLL_EVERY: Duration = Duration::from_secs(60);

/// What one refund poll found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundReport {
    /// CANCELLED tickets the server listed.
    pub listed: u64,
    /// Tickets the cache had as not cancelled, now CANCELLED.
    pub newly_cancelled: u64,
    /// Pages fetched.
    pub pages: u64,
}

/// Reads every page of the event's CANCELLED tickets and marks them in the cache.
pub async fn poll(
    store: &Mutex<Store>,
    client: &ApiClient,
    event_id: &str,
) -> Result<RefundReport, SyncError> {
    let mut report = RefundReport::default();
    let mut walk = Walk::new(None, MAX_PAGES_PER_WALK);
    loop {
        let requested_ms = Timestamp::now().as_millisecond();
        let page = client.cancelled_tickets(event_id, walk.cursor()).await?;
        report.pages += 1;
        {
            let mut s = store.lock().unwrap_or_else(|p| p.into_inner());
            let page = cache::cancel_listed(s.conn_mut(), event_id, &page.tickets, requested_ms)?;
            report.listed += page.listed;
            report.newly_cancelled += page.newly;
        }
        match walk.advance(page.after.as_deref()) {
            Ok(Some(_)) => {}
            Ok(None) => return Ok(report),
            Err(why) => {
                return Err(SyncError::BadAnswer(
                    Said::new("sync-refunds-walk").with("why", why),
                ))
            }
        }
    }
}
