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
/// Pages one slice may take (50,000 pages = 5 million rows, far beyond any event): a server
/// whose cursors never end, even without repeating, stops here instead of looping.
pub const MAX_PAGES_PER_SLICE: u64 = 50_000;

/// One slice's walk through the pages: where it is, the cursors it has seen, and the rules
/// that stop a walk that would never end.
#[derive(Debug)]
pub struct Walk {
    cursor: Option<String>,
    /// The walk has started over once in this run.
    restarted: bool,
    seen: std::collections::HashSet<String>,
    pages: u64,
    max_pages: u64,
}

impl Walk {
    /// A walk from `cursor` (a saved position) or from the start.
    pub fn new(cursor: Option<String>, max_pages: u64) -> Walk {
        Walk {
            restarted: false,
            seen: cursor.iter().cloned().collect(),
            cursor,
            pages: 0,
            max_pages,
        }
    }

    /// The cursor of the next page, if any.
    pub fn cursor(&self) -> Option<&str> {
        self.cursor.as_deref()
    }

    /// True when `failure` rejects a saved cursor: any 4xx but the token's (401, 403), a
    /// timeout (408) or a rate limit (429), answering a page fetched with a cursor (every
    /// cursor is saved, and a cursor's lifetime is unknown). A slice restarts once per run;
    /// a second rejection is an error, so a server that takes no cursor cannot loop it.
    pub fn may_restart(&self, failure: &Failure) -> bool {
        !self.restarted
            && self.cursor.is_some()
            && failure
                .status()
                .is_some_and(|s| (400..500).contains(&s) && ![401, 403, 408, 429].contains(&s))
    }

    /// Forgets the saved position: the slice starts again from its first page.
    pub fn restart(&mut self) {
        self.restarted = true;
        self.cursor = None;
        self.seen.clear();
        self.pages = 0;
    }

    /// Takes the next page's cursor (`after`). An error when the server sends a cursor this
    /// walk has already followed, or when the walk passes its bound on pages.
    pub fn advance(&mut self, after: Option<&str>) -> Result<Option<String>, String> {
        self.pages += 1;
        let Some(next) = after else {
            self.cursor = None;
            return Ok(None);
        };
        if !self.seen.insert(next.to_string()) {
            return Err(format!(
                "Session Services sent a page cursor it had sent before, after {} pages",
                self.pages
            ));
        }
        if self.pages >= self.max_pages {
            return Err(format!(
                "the list did not end within {} pages",
                self.max_pages
            ));
        }
        self.cursor = Some(next.to_string());
        Ok(self.cursor.clone())
    }
}

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
                let mut walk = Walk::new(cursor, MAX_PAGES_PER_SLICE);
                loop {
                    let requested = Timestamp::now().as_millisecond();
                    let page = match fetch(client, event_id, &slice, walk.cursor()).await {
                        Ok(p) => p,
                        Err(f) if walk.may_restart(&f) => {
                            // A saved cursor the server no longer takes: this slice starts
                            // over (pages are idempotent upserts, so nothing is lost).
                            walk.restart();
                            continue;
                        }
                        Err(f) => return Err(SyncError::from(f)),
                    };
                    let next = match walk.advance(page.after.as_deref()) {
                        Ok(next) => next,
                        Err(why) => {
                            // Forget the position, so the next run starts this slice afresh
                            // instead of resuming into the same loop.
                            let s = lock();
                            s.conn().execute(
                                "UPDATE sync_progress SET cursor = NULL, updated_ms = ?3
                                 WHERE event_id = ?1 AND slice = ?2",
                                params![event_id, slice, requested],
                            )?;
                            return Err(SyncError::BadAnswer(format!(
                                "the guest list of admission {slice}: {why}; this slice stopped and starts over on the next sync"
                            )));
                        }
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
                            params![event_id, slice, next, next.is_none(), requested],
                        )?;
                        tx.commit()?;
                    }
                    tickets.fetch_add(page.tickets.len() as u64, Ordering::Relaxed);
                    pages.fetch_add(1, Ordering::Relaxed);
                    match next {
                        Some(_) => {}
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
            // A 4xx that is not Session Services' own body (a proxy's page) is retried here
            // too; a saved cursor's rejection goes straight back to the walk.
            Err(f @ Failure::Retry { .. }) | Err(f @ Failure::Contended { .. })
                if attempt + 1 < PAGE_TRIES
                    && !(cursor.is_some()
                        && f.status().is_some_and(|s| {
                            (400..500).contains(&s) && ![408, 429].contains(&s)
                        })) =>
            {
                let after = match &f {
                    Failure::Retry { after, .. } | Failure::Contended { after, .. } => *after,
                    _ => None,
                };
                tokio::time::sleep(policy.delay(attempt as i64, after)).await;
                attempt += 1;
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rejected(status: u16) -> Failure {
        Failure::Rejected {
            status,
            code: "INPUT_VALIDATION_FAILED".into(),
            message: "Invalid cursor".into(),
            data: serde_json::Value::Null,
        }
    }

    #[test]
    fn a_walk_ends_when_after_is_absent() {
        let mut w = Walk::new(None, 10);
        assert_eq!(w.advance(Some("a")).unwrap().as_deref(), Some("a"));
        assert_eq!(w.cursor(), Some("a"));
        assert_eq!(w.advance(None).unwrap(), None);
    }

    #[test]
    fn a_repeated_cursor_ends_the_walk_with_an_error() {
        let mut w = Walk::new(None, 10);
        w.advance(Some("a")).unwrap();
        w.advance(Some("b")).unwrap();
        let err = w.advance(Some("a")).unwrap_err();
        assert!(err.contains("sent before"), "{err}");
        // A saved cursor counts as seen: a server that answers it with itself is stuck too.
        let mut w = Walk::new(Some("s".into()), 10);
        assert!(w.advance(Some("s")).is_err());
    }

    #[test]
    fn a_walk_that_never_ends_stops_at_its_bound() {
        let mut w = Walk::new(None, 5);
        for i in 0..4 {
            w.advance(Some(&format!("c{i}"))).unwrap();
        }
        assert!(w.advance(Some("c4")).unwrap_err().contains("5 pages"));
    }

    #[test]
    fn a_rejected_saved_cursor_restarts_once() {
        let mut w = Walk::new(Some("old".into()), 10);
        for s in [400, 404, 410, 422] {
            assert!(w.may_restart(&rejected(s)), "{s}");
        }
        let html_410 = Failure::Retry {
            reason: "proxy".into(),
            after: None,
            status: 410,
        };
        assert!(w.may_restart(&html_410));
        for s in [401, 403, 408, 429, 500, 503] {
            let f = Failure::Retry {
                reason: "x".into(),
                after: None,
                status: s,
            };
            assert!(!w.may_restart(&f), "{s}");
        }
        w.restart();
        assert_eq!(w.cursor(), None);
        assert!(!w.may_restart(&rejected(422)), "never from the start");
        w.advance(Some("new")).unwrap();
        assert!(!w.may_restart(&rejected(422)), "only once a run");
    }
}
