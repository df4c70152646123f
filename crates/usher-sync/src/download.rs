//! **Download**: fills the cache with the configured event: the event with its admissions
//! and sections, then every ticket, one admission per slice, several slices side by side
//! (the API has no updated-since filter, so every refresh is a full re-pull).
//!
//! Each page is applied in one transaction together with the slice's next cursor, so a crash
//! or a dropped connection resumes where it stopped. Rows are stamped with the time their page
//! was requested; a row already known at a later time (an acknowledged upload) is kept.

use crate::client::{ApiClient, Failure};
use crate::SyncError;
use futures::StreamExt;
use jiff::Timestamp;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;
use usher_core::cache;
use usher_core::settings::DeviceConfig;
use usher_core::Store;

/// Slices downloading at once.
pub const SLICES_AT_ONCE: usize = 6;
/// Rows per page (the API's maximum).
pub const PAGE: u32 = 100;
/// Tries of one page before the slice gives up for this run (its position is kept).
const PAGE_TRIES: usize = 6;

/// How far a download is, for a progress bar or the window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub slices_done: usize,
    pub slices: usize,
    pub tickets: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DownloadReport {
    pub event_id: String,
    pub tickets: u64,
    pub pages: u64,
    pub slices: usize,
    /// True when this run continued an interrupted one.
    pub resumed: bool,
}

/// Downloads the configured event into the cache.
pub async fn download(
    store: &Mutex<Store>,
    client: &ApiClient,
    config: &DeviceConfig,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<DownloadReport, SyncError> {
    let lock = || store.lock().unwrap_or_else(|p| p.into_inner());
    let api = config.api.to_string();
    let event = client.event(&config.event_id).await?.event;
    let now = Timestamp::now().as_millisecond();
    let (slices, resumed, started_ms) = {
        let mut s = lock();
        let tx = s.conn_mut().transaction()?;
        let previous = cache::synced_at(&tx, &event.id)?
            .map(|t| t.as_millisecond())
            .unwrap_or(0);
        cache::upsert_event(&tx, &event, &config.tenant_id, &api, previous).map_err(
            |e| match e {
                cache::EventRefused::Invalid(why) => SyncError::BadAnswer(why),
                cache::EventRefused::Database(e) => SyncError::from(usher_core::Error::from(e)),
            },
        )?;
        let open: Vec<(String, Option<String>, i64)> = tx
            .prepare("SELECT slice, cursor, started_ms FROM sync_progress WHERE event_id = ?1 AND done = 0")?
            .query_map([&event.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let result = if open.is_empty() {
            tx.execute("DELETE FROM sync_progress WHERE event_id = ?1", [&event.id])?;
            let slices: Vec<(String, Option<String>)> = event
                .admissions
                .iter()
                .map(|a| (a.id.clone(), None))
                .collect();
            for (slice, _) in &slices {
                tx.execute(
                    "INSERT INTO sync_progress(event_id, slice, cursor, done, started_ms, updated_ms)
                     VALUES (?1, ?2, NULL, 0, ?3, ?3)",
                    params![event.id, slice, now],
                )?;
            }
            (slices, false, now)
        } else {
            let started = open.iter().map(|o| o.2).min().unwrap_or(now);
            (
                open.into_iter().map(|(s, c, _)| (s, c)).collect(),
                true,
                started,
            )
        };
        tx.commit()?;
        result
    };

    let total = event.admissions.len();
    let done_before = total - slices.len();
    let tickets = AtomicU64::new(0);
    let pages = AtomicU64::new(0);
    let done = AtomicU64::new(done_before as u64);
    let report = |t: &AtomicU64| {
        progress(Progress {
            slices_done: done.load(Ordering::Relaxed) as usize,
            slices: total,
            tickets: t.load(Ordering::Relaxed),
        })
    };
    report(&tickets);
    let results: Vec<Result<(), SyncError>> = futures::stream::iter(slices)
        .map(|(slice, cursor)| {
            let (event_id, tickets, pages, done, report) =
                (&event.id, &tickets, &pages, &done, &report);
            async move {
                let mut cursor = cursor;
                loop {
                    let requested = Timestamp::now().as_millisecond();
                    let page = match fetch(client, event_id, &slice, cursor.as_deref()).await {
                        Ok(p) => p,
                        Err(Failure::Rejected { status: 422, .. }) if cursor.is_some() => {
                            // A cursor the server no longer accepts: restart this slice.
                            cursor = None;
                            continue;
                        }
                        Err(f) => return Err(SyncError::from(f)),
                    };
                    {
                        let mut s = lock();
                        let tx = s.conn_mut().transaction()?;
                        for row in &page.tickets {
                            cache::upsert_roster_row(&tx, event_id, row, requested, requested)?;
                        }
                        tx.execute(
                            "UPDATE sync_progress SET cursor = ?3, done = ?4, updated_ms = ?5
                             WHERE event_id = ?1 AND slice = ?2",
                            params![event_id, slice, page.after, page.after.is_none(), requested],
                        )?;
                        tx.commit()?;
                    }
                    tickets.fetch_add(page.tickets.len() as u64, Ordering::Relaxed);
                    pages.fetch_add(1, Ordering::Relaxed);
                    match page.after {
                        Some(next) => cursor = Some(next),
                        None => {
                            done.fetch_add(1, Ordering::Relaxed);
                            report(tickets);
                            return Ok(());
                        }
                    }
                    report(tickets);
                }
            }
        })
        .buffer_unordered(SLICES_AT_ONCE)
        .collect()
        .await;
    if let Some(err) = results.into_iter().find_map(Result::err) {
        let s = lock();
        crate::state::failed(s.conn(), &err.to_string(), Timestamp::now())?;
        return Err(err);
    }
    {
        let s = lock();
        let complete: Option<i64> = s
            .conn()
            .query_row(
                "SELECT count(*) FROM sync_progress WHERE event_id = ?1 AND done = 0",
                [&event.id],
                |r| r.get(0),
            )
            .optional()?;
        if complete == Some(0) {
            cache::mark_synced(
                s.conn(),
                &event.id,
                Timestamp::from_millisecond(started_ms).unwrap_or_else(|_| Timestamp::now()),
            )?;
            crate::state::downloaded(s.conn(), Timestamp::now())?;
        }
    }
    Ok(DownloadReport {
        event_id: event.id.clone(),
        tickets: tickets.load(Ordering::Relaxed),
        pages: pages.load(Ordering::Relaxed),
        slices: total,
        resumed,
    })
}

/// One page, retried a few times with backoff on passing failures.
async fn fetch(
    client: &ApiClient,
    event_id: &str,
    admission: &str,
    cursor: Option<&str>,
) -> Result<session_api::AttendeePage, Failure> {
    let policy = crate::upload::RetryPolicy {
        min: Duration::from_millis(200),
        max: Duration::from_secs(5),
    };
    let mut attempt = 0;
    loop {
        match client
            .attendees(event_id, Some(admission), cursor, PAGE)
            .await
        {
            Err(Failure::Retry { after, .. }) if attempt + 1 < PAGE_TRIES => {
                tokio::time::sleep(policy.delay(attempt as i64, after)).await;
                attempt += 1;
            }
            other => return other,
        }
    }
}
