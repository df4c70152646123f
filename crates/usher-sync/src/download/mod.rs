//! **Download**: fills the cache with the configured event's guest list, complete and checked.
//!
//! The API has no updated-since filter, so every refresh is a full pass over the roster
//! (`GET /tickets/attendees`). One pass:
//! 1. the event, with its admissions and sections;
//! 2. the roster's index (`GET /tickets/attendees/index`): up to 27 alpha buckets, each with a
//!    row count and an anchor at its first row;
//! 3. every bucket's first page by its anchor, side by side; once all are in, each walk's
//!    first row is known;
//! 4. each walk forward with `after` → `cursor`, until it reaches a row another walk started
//!    from, or the end of the list ([`walk::cut`]);
//! 5. the index again, and the completeness check: distinct tickets received against the
//!    lower of the two counts. A pass that is not short marks the tickets it did not receive
//!    as gone from the guest list.
//!
//! Requests run side by side, [`START_IN_FLIGHT`] at first over one keep-alive pool, one more
//! after each round without trouble up to [`MAX_IN_FLIGHT`], halved on 429 or 503, and none
//! sent before a `Retry-After` (clamped) has passed.
//!
//! Pages are written in batches, each one transaction together with the walks' positions
//! (`pass.rs`), so a crash resumes where it stopped: the index is fetched again (anchors may
//! change), saved cursors go on, and a walk whose saved cursor is refused starts again from
//! its bucket's new anchor. Rows are stamped with the time their page was requested; a state
//! known at a later time (an acknowledged upload) is kept.
//!
//! A server without the index (404, 405, 501) gets the older plan: one walk per admission
//! from the top ([`Plan::Admissions`]); the benchmark compares the plans.

mod pass;
mod plan;
mod walk;

pub use plan::Plan;
use plan::{plan_walks, walk_admission};
use usher_core::i18n::Said;

pub use walk::{cut, Walk};

use crate::client::{ApiClient, Bookmark, Failure};
use crate::upload::RetryPolicy;
use crate::SyncError;
use futures::stream::FuturesUnordered;
use futures::{FutureExt, StreamExt};
use jiff::Timestamp;
use serde::Serialize;
use session_api::AttendeePage;
use std::collections::{HashSet, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;
use tokio::time::Instant;
use usher_core::cache;
use usher_core::roster::{self, PageWrite};
use usher_core::settings::DeviceConfig;
use usher_core::Store;

/// Rows per page (the API's maximum).
pub const PAGE: u32 = 100;
/// Requests in flight when a pass begins.
pub const START_IN_FLIGHT: usize = 12;
/// The most requests in flight.
pub const MAX_IN_FLIGHT: usize = 24;
/// Tries of one page before its walk gives up for this run (its position is kept).
const PAGE_TRIES: u32 = 6;
/// Pages one walk may take (50,000 pages = 5 million rows, far beyond any event): a server
/// whose cursors never end, even without repeating, stops here instead of looping.
pub const MAX_PAGES_PER_WALK: u64 = 50_000;
/// Waits between tries of one page (or index), never shorter than a `Retry-After`.
const PAGE_RETRY: RetryPolicy = RetryPolicy {
    min: Duration::from_millis(200),
    max: Duration::from_secs(5),
};
/// The wait after a 429 or 503 that names none.
const THROTTLE_PAUSE: Duration = Duration::from_secs(1);

/// How far a download is, for a progress bar or the window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// Rows received in this pass (a resumed pass counts what it had before).
    pub rows: u64,
    /// Rows the server's index counts (None: no index).
    pub expected: Option<u64>,
    /// Walks that have ended.
    pub walks_done: usize,
    /// Walks in the pass.
    pub walks: usize,
}

/// What one download run did, for `usher sync` and the sync bar.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DownloadReport {
    /// The event downloaded.
    pub event_id: String,
    /// How the roster was split into walks.
    pub plan: Plan,
    /// Rows received in this run.
    pub tickets: u64,
    /// Roster pages received in this run.
    pub pages: u64,
    /// Every request this run sent, retries and indexes included.
    pub requests: u64,
    /// The most requests in flight at once.
    pub peak_in_flight: usize,
    /// Answers 429 or 503 (each halved the requests in flight).
    pub throttled: u64,
    /// Walks in the pass, resumed ones included.
    pub walks: usize,
    /// True when this run continued an interrupted one.
    pub resumed: bool,
    /// The index's count (None: no index).
    pub expected: Option<u64>,
    /// Distinct tickets of the event received by the pass, once complete.
    pub received: Option<u64>,
    /// Rows counted but not received, once complete (None: not checked).
    pub shortfall: Option<u64>,
    /// Tickets the pass found gone from the guest list.
    pub gone: u64,
}

/// Downloads the configured event into the cache, by alpha-bucket anchors per admission.
pub async fn download(
    store: &Mutex<Store>,
    client: &ApiClient,
    config: &DeviceConfig,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<DownloadReport, SyncError> {
    download_with(store, client, config, Plan::default(), progress).await
}

/// One walk of this run.
struct WalkRun {
    key: String,
    admission: Option<String>,
    /// Where the walk starts: this run's anchor, or None for the top of its slice.
    anchor: Option<String>,
    start_id: Option<String>,
    walk: Walk,
    rows: u64,
    done: bool,
    attempt: u32,
}

/// A page that came back, with the time it was requested.
struct Fetched {
    walk: usize,
    requested_ms: i64,
    result: Result<AttendeePage, Failure>,
}

/// The concurrency rule: additive increase, halved on 429/503, and a shared pause.
struct Throttle {
    limit: usize,
    quiet: usize,
    not_before: Option<Instant>,
    peak: usize,
}

impl Throttle {
    fn ok(&mut self) {
        self.quiet += 1;
        if self.quiet >= self.limit {
            self.limit = (self.limit + 1).min(MAX_IN_FLIGHT);
            self.quiet = 0;
        }
    }

    fn throttled(&mut self, after: Option<Duration>) {
        self.limit = (self.limit / 2).max(1);
        self.quiet = 0;
        let until = Instant::now() + after.unwrap_or(THROTTLE_PAUSE);
        self.not_before = Some(self.not_before.map_or(until, |t| t.max(until)));
    }
}

/// Downloads the configured event with `plan` (the window and the CLI use the default,
/// [`Plan::AnchorsPerAdmission`]; the benchmark compares them).
pub async fn download_with(
    store: &Mutex<Store>,
    client: &ApiClient,
    config: &DeviceConfig,
    plan: Plan,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<DownloadReport, SyncError> {
    let result = run(store, client, config, plan, progress).await;
    if let Err(err) = &result {
        crate::state::failed(locked(store).conn(), &err.said(), Timestamp::now())?;
    }
    result
}

/// The store, even if a thread panicked while holding it (SQLite rolled back its work).
fn locked(store: &Mutex<Store>) -> MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(|p| p.into_inner())
}

async fn run(
    store: &Mutex<Store>,
    client: &ApiClient,
    config: &DeviceConfig,
    plan: Plan,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<DownloadReport, SyncError> {
    let lock = || locked(store);
    let api = config.api.to_string();
    let event = client.event(&config.event_id).await?.event;
    let mut report = DownloadReport {
        event_id: event.id.clone(),
        requests: 1,
        ..DownloadReport::default()
    };
    cache::save_event(lock().conn_mut(), &event, &config.tenant_id, &api).map_err(|e| match e {
        cache::EventRefused::Invalid(why) => SyncError::BadAnswer(Said::quoted(why)),
        cache::EventRefused::Database(e) => SyncError::from(e),
    })?;
    let admissions: Vec<String> = event.admissions.iter().map(|a| a.id.clone()).collect();

    // The walks this run plans: (key, admission filter, anchor).
    let (plan, planned, expected) = plan_walks(client, &event.id, &admissions, plan, &mut report)
        .await
        .map_err(SyncError::from)?;
    report.plan = plan;
    report.expected = expected;
    let keys: Vec<String> = planned.iter().map(|p| p.0.clone()).collect();
    let begun = roster::begin(
        lock().conn_mut(),
        &event.id,
        plan.as_str(),
        &keys,
        expected,
        Timestamp::now().as_millisecond(),
    )?;
    report.resumed = begun.resumed;
    let bulk = lock().open_bulk_writer()?;
    let writer = pass::Writer::start(bulk, &event.id, begun.pass)?;
    let runs: Vec<WalkRun> = begun
        .walks
        .into_iter()
        .map(|(key, saved)| {
            let (admission, anchor) = planned
                .iter()
                .find(|p| p.0 == key)
                .map(|p| (p.1.clone(), p.2.clone()))
                .unwrap_or_else(|| (walk_admission(&key), None));
            WalkRun {
                walk: Walk::new(saved.cursor, MAX_PAGES_PER_WALK),
                key,
                admission,
                anchor,
                start_id: saved.start_id,
                rows: saved.rows,
                done: saved.done,
                attempt: 0,
            }
        })
        .collect();
    report.walks = runs.len();
    let show = |runs: &[WalkRun]| {
        progress(Progress {
            rows: runs.iter().map(|w| w.rows).sum(),
            expected,
            walks_done: runs.iter().filter(|w| w.done).count(),
            walks: runs.len(),
        })
    };
    show(&runs);

    let mut walks = Walks::new(runs);
    let mut in_flight = FuturesUnordered::new();
    loop {
        while in_flight.len() < walks.throttle.limit {
            let Some((i, delay)) = walks.ready.pop_front() else {
                break;
            };
            let not_before = walks.throttle.not_before;
            in_flight.push(fetch(
                client,
                &event.id,
                i,
                &walks.runs[i],
                delay,
                not_before,
            ));
            report.requests += 1;
        }
        walks.throttle.peak = walks.throttle.peak.max(in_flight.len());
        let Some(first) = in_flight.next().await else {
            break;
        };
        // Whatever else has come back joins this batch.
        let mut batch = vec![first];
        while let Some(Some(more)) = in_flight.next().now_or_never() {
            batch.push(more);
        }
        let mut writes: Vec<pass::Write> = vec![];
        for fetched in batch {
            walks.received(fetched, &mut writes, &mut report);
        }
        if walks.released && !walks.held.is_empty() {
            walks.take_held(&mut writes, &mut report);
            show(&walks.runs);
        }
        for w in writes {
            if !writer.send(w).await {
                // The writer stopped: its error says why. Nothing more is asked for.
                walks.ready.clear();
                break;
            }
        }
    }
    // Everything received is on disk before the pass can end.
    if let Err(e) = writer.finish().await {
        walks.failure = Some(e);
    }
    report.peak_in_flight = walks.throttle.peak;
    if let Some(err) = walks.failure {
        return Err(err);
    }
    if walks.runs.iter().any(|w| !w.done) {
        return Err(SyncError::BadAnswer(Said::new("sync-walks-unfinished")));
    }

    // The completeness check, against the index as it is now.
    let expected_now = match plan {
        Plan::Admissions => None,
        _ => {
            let again = plan_walks(client, &event.id, &admissions, plan, &mut report).await;
            again.ok().and_then(|(_, _, n)| n)
        }
    };
    let now = Timestamp::now();
    let finished = {
        let mut s = lock();
        let only = (plan == Plan::Admissions).then_some(admissions.as_slice());
        let f = roster::finish(
            s.conn_mut(),
            &event.id,
            begun.pass,
            expected_now,
            only,
            now.as_millisecond(),
        )?;
        cache::mark_synced(
            s.conn(),
            &event.id,
            Timestamp::from_millisecond(begun.started_ms).unwrap_or(now),
        )?;
        crate::state::downloaded(s.conn(), now)?;
        crate::state::clock(&s, client, now)?;
        f
    };
    report.received = Some(finished.received);
    report.shortfall = finished.shortfall;
    report.gone = finished.gone;
    Ok(report)
}

/// Fetches walk `i`'s next page on the runtime's workers (the answer is parsed there too),
/// after `delay` and never before `not_before`.
fn fetch(
    client: &ApiClient,
    event_id: &str,
    i: usize,
    w: &WalkRun,
    delay: Duration,
    not_before: Option<Instant>,
) -> impl std::future::Future<Output = Fetched> {
    let client = client.clone();
    let event_id = event_id.to_string();
    let admission = w.admission.clone();
    let cursor = w.walk.cursor().map(str::to_string);
    let anchor = w.anchor.clone();
    let task = tokio::spawn(async move {
        let at = (Instant::now() + delay).max(not_before.unwrap_or_else(Instant::now));
        tokio::time::sleep_until(at).await;
        let from = match (&cursor, &anchor) {
            (Some(c), _) => Bookmark::Cursor(c),
            (None, Some(a)) => Bookmark::Anchor(a),
            (None, None) => Bookmark::Top,
        };
        let requested_ms = Timestamp::now().as_millisecond();
        let result = client
            .attendees(&event_id, admission.as_deref(), from, PAGE)
            .await;
        (requested_ms, result)
    });
    task.map(move |joined| {
        let (requested_ms, result) = joined.unwrap_or_else(|e| {
            (
                Timestamp::now().as_millisecond(),
                Err(Failure::Retry {
                    reason: Said::new("failure-page-stopped").with("why", e.to_string()),
                    after: None,
                    status: 0,
                }),
            )
        });
        Fetched {
            walk: i,
            requested_ms,
            result,
        }
    })
}

/// The walks of one run, and the rules that move them: which may be asked for next, where
/// each stops, what to do with a failure.
struct Walks {
    runs: Vec<WalkRun>,
    /// Every walk's first row: a walk that reaches one stops there.
    stops: HashSet<String>,
    /// Walks whose next page may be asked for, after a delay.
    ready: VecDeque<(usize, Duration)>,
    /// Pages kept until every walk's first row is known: any page may hold one.
    held: Vec<Fetched>,
    /// Walks whose first page has not come back yet.
    awaiting_first: usize,
    /// True once every first page is in: pages are then cut and written as they come.
    released: bool,
    /// Walks resumed from a saved cursor: they go on once every first page is in.
    resumed: Vec<(usize, Duration)>,
    throttle: Throttle,
    /// The first failure that stops a walk for this run (the others go on).
    failure: Option<SyncError>,
}

impl Walks {
    fn new(runs: Vec<WalkRun>) -> Walks {
        let queue = |first: bool| -> Vec<(usize, Duration)> {
            runs.iter()
                .enumerate()
                .filter(|(_, w)| !w.done && w.start_id.is_none() == first)
                .map(|(i, _)| (i, Duration::ZERO))
                .collect()
        };
        let ready: VecDeque<_> = queue(true).into();
        let mut walks = Walks {
            stops: runs.iter().filter_map(|w| w.start_id.clone()).collect(),
            awaiting_first: ready.len(),
            ready,
            resumed: queue(false),
            held: vec![],
            released: false,
            throttle: Throttle {
                limit: START_IN_FLIGHT,
                quiet: 0,
                not_before: None,
                peak: 0,
            },
            failure: None,
            runs,
        };
        walks.first_settled(0);
        walks
    }

    /// `n` more first pages are settled (in, or given up); with none left, the walks resumed
    /// from saved cursors may go on.
    fn first_settled(&mut self, n: usize) {
        self.awaiting_first -= n;
        if self.awaiting_first == 0 && !self.released {
            self.released = true;
            self.ready.extend(self.resumed.drain(..));
        }
    }

    /// Takes one answer.
    fn received(
        &mut self,
        fetched: Fetched,
        writes: &mut Vec<pass::Write>,
        report: &mut DownloadReport,
    ) {
        let Fetched {
            walk: i,
            requested_ms,
            result,
        } = fetched;
        match result {
            Ok(page) => self.page(i, requested_ms, page, report),
            Err(f) => self.failed(i, requested_ms, f, writes, report),
        }
    }

    fn page(
        &mut self,
        i: usize,
        requested_ms: i64,
        mut page: AttendeePage,
        report: &mut DownloadReport,
    ) {
        self.throttle.ok();
        report.pages += 1;
        let w = &mut self.runs[i];
        w.attempt = 0;
        if w.start_id.is_none() {
            match page.tickets.first() {
                // Two anchors at the same row: one walk is enough.
                Some(first) if !self.stops.insert(first.id.clone()) && !self.released => {
                    w.done = true;
                    page.tickets.clear();
                }
                Some(first) => w.start_id = Some(first.id.clone()),
                None => w.done = true,
            }
            if !self.released {
                self.first_settled(1);
            }
        }
        self.held.push(Fetched {
            walk: i,
            requested_ms,
            result: Ok(page),
        });
    }

    fn failed(
        &mut self,
        i: usize,
        requested_ms: i64,
        f: Failure,
        writes: &mut Vec<pass::Write>,
        report: &mut DownloadReport,
    ) {
        let status = f.status();
        if matches!(status, Some(429 | 503)) {
            report.throttled += 1;
            self.throttle.throttled(f.after());
        }
        let w = &mut self.runs[i];
        if w.walk.may_restart(&f) {
            // A saved cursor the server no longer takes: this walk starts over from its
            // bucket's anchor (pages are idempotent upserts).
            w.walk.restart();
            if w.anchor.is_none() && w.admission.is_none() {
                // A bucket this run's index does not list: other walks cover its rows.
                w.done = true;
                writes.push(pass::Write::Page(PageWrite {
                    walk: w.key.clone(),
                    rows: vec![],
                    requested_ms,
                    start_id: w.start_id.clone(),
                    cursor: None,
                    done: true,
                }));
            } else {
                w.start_id = None;
                self.ready.push_back((i, Duration::ZERO));
            }
            return;
        }
        let refused_cursor = w.walk.cursor().is_some()
            && status.is_some_and(|s| (400..500).contains(&s) && ![408, 429].contains(&s));
        if f.is_retryable() && w.attempt + 1 < PAGE_TRIES && !refused_cursor {
            let delay = PAGE_RETRY.delay(i64::from(w.attempt), f.after());
            w.attempt += 1;
            self.ready.push_back((i, delay));
        } else {
            if w.start_id.is_none() && !self.released {
                self.first_settled(1);
            }
            self.failure.get_or_insert(SyncError::from(f));
        }
    }

    /// Cuts each held page at its walk's stop and advances the walks; queues the pages, with
    /// the walks' positions, for the writer, and the walks that go on for their next page.
    fn take_held(&mut self, writes: &mut Vec<pass::Write>, report: &mut DownloadReport) {
        for f in std::mem::take(&mut self.held) {
            let Ok(mut page) = f.result else { continue };
            let w = &mut self.runs[f.walk];
            if !(w.done && page.tickets.is_empty()) {
                let (kept, stop) = cut(&page.tickets, w.start_id.as_deref(), &self.stops);
                let kept = kept.len();
                page.tickets.truncate(kept);
                if stop {
                    w.done = true;
                } else {
                    match w.walk.advance(page.after.as_deref()) {
                        Ok(Some(_)) => self.ready.push_back((f.walk, Duration::ZERO)),
                        Ok(None) => w.done = true,
                        Err(why) => {
                            // Forget the position, so the next run starts this walk afresh
                            // instead of resuming into the same loop.
                            writes.push(pass::Write::Forget(w.key.clone()));
                            self.failure.get_or_insert(SyncError::BadAnswer(
                                Said::new("sync-walk-stopped")
                                    .with("walk", w.key.as_str())
                                    .with("why", why),
                            ));
                            continue;
                        }
                    }
                }
            }
            w.rows += page.tickets.len() as u64;
            report.tickets += page.tickets.len() as u64;
            writes.push(pass::Write::Page(PageWrite {
                walk: w.key.clone(),
                rows: page.tickets,
                requested_ms: f.requested_ms,
                start_id: w.start_id.clone(),
                cursor: if w.done {
                    None
                } else {
                    w.walk.cursor().map(str::to_string)
                },
                done: w.done,
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle() -> Throttle {
        Throttle {
            limit: START_IN_FLIGHT,
            quiet: 0,
            not_before: None,
            peak: 0,
        }
    }

    #[test]
    fn requests_in_flight_grow_by_one_a_quiet_round_up_to_the_maximum() {
        let mut t = throttle();
        for _ in 0..START_IN_FLIGHT {
            t.ok();
        }
        assert_eq!(t.limit, START_IN_FLIGHT + 1);
        for _ in 0..10_000 {
            t.ok();
        }
        assert_eq!(t.limit, MAX_IN_FLIGHT);
    }

    #[tokio::test(start_paused = true)]
    async fn a_429_or_503_halves_requests_in_flight_and_pauses_for_its_retry_after() {
        let mut t = throttle();
        t.throttled(Some(Duration::from_secs(7)));
        assert_eq!(t.limit, START_IN_FLIGHT / 2);
        let until = t.not_before.unwrap();
        assert_eq!(until - Instant::now(), Duration::from_secs(7));
        // A shorter wait never shortens the pause already in force.
        t.throttled(None);
        assert_eq!(t.not_before, Some(until));
        for _ in 0..10 {
            t.throttled(None);
        }
        assert_eq!(t.limit, 1, "never below one");
    }
}
