//! A guest-list download pass on disk: the pass (`roster_passes`) and where each of its walks
//! stands (`roster_walks`), saved with the walk's pages in one transaction, so a crash or a
//! dropped connection resumes where it stopped. The sync engine (`usher_sync::download`)
//! plans the walks and fetches the pages; every write of a pass is here.
//!
//! Every transaction here begins IMMEDIATE: one that read first and wrote later would fail at
//! once ("database is locked", no waiting) if the door committed a scan in between.

use crate::cache;
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use session_api::AttendeeRow;
use std::collections::HashMap;

/// A walk's saved position.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Saved {
    /// The id of the first row the walk received, where other walks stop; None: no page yet.
    pub start_id: Option<String>,
    /// The server's cursor for the walk's next page; None: start from its anchor.
    pub cursor: Option<String>,
    /// The walk has ended.
    pub done: bool,
    /// Rows the walk has written so far.
    pub rows: u64,
}

/// The pass this run works on.
#[derive(Debug)]
pub struct Begun {
    /// The pass's number for the event (one more than the last one's).
    pub pass: i64,
    /// When the pass began, in Unix ms (a resumed pass keeps its first run's time).
    pub started_ms: i64,
    /// An interrupted pass of the same plan goes on, rather than a new one.
    pub resumed: bool,
    /// Every walk of the pass: this run's keys, plus unfinished walks of an interrupted run
    /// whose bucket this run's index no longer lists.
    pub walks: Vec<(String, Saved)>,
}

/// Continues the event's unfinished pass of the same `plan` (the sync engine's name for it),
/// or begins a new one with `keys`.
/// `expected` is the index's count now; a resumed pass keeps the lower of its two counts.
pub fn begin(
    conn: &mut Connection,
    event_id: &str,
    plan: &str,
    keys: &[String],
    expected: Option<u64>,
    now_ms: i64,
) -> Result<Begun> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let open: Option<(i64, i64, String)> = tx
        .query_row(
            "SELECT pass, started_ms, plan FROM roster_passes
             WHERE event_id = ?1 AND finished_ms IS NULL",
            [event_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let expected = expected.map(|n| n as i64);
    let begun = match open {
        Some((pass, started_ms, p)) if p == plan => {
            let mut saved: HashMap<String, Saved> = tx
                .prepare(
                    "SELECT walk, start_id, cursor, done, rows FROM roster_walks
                     WHERE event_id = ?1",
                )?
                .query_map([event_id], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        Saved {
                            start_id: r.get(1)?,
                            cursor: r.get(2)?,
                            done: r.get(3)?,
                            rows: r.get::<_, i64>(4)?.max(0) as u64,
                        },
                    ))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let mut walks = Vec::with_capacity(keys.len());
            for key in keys {
                let s = saved.remove(key).unwrap_or_default();
                insert_walk(&tx, event_id, key)?;
                walks.push((key.clone(), s));
            }
            // A bucket the index no longer lists: a walk with a saved cursor goes on; one
            // without has no anchor to start from, and other walks cover its rows.
            let mut left: Vec<_> = saved.into_iter().filter(|(_, s)| !s.done).collect();
            left.sort_by(|a, b| a.0.cmp(&b.0));
            for (key, mut s) in left {
                if s.cursor.is_none() {
                    s.done = true;
                    tx.execute(
                        "UPDATE roster_walks SET done = 1 WHERE event_id = ?1 AND walk = ?2",
                        params![event_id, key],
                    )?;
                } else {
                    walks.push((key, s));
                }
            }
            tx.execute(
                "UPDATE roster_passes SET expected = min(coalesce(expected, ?2), coalesce(?2, expected))
                 WHERE event_id = ?1",
                params![event_id, expected],
            )?;
            Begun {
                pass,
                started_ms,
                resumed: true,
                walks,
            }
        }
        _ => {
            let last: Option<i64> = tx
                .query_row(
                    "SELECT pass FROM roster_passes WHERE event_id = ?1",
                    [event_id],
                    |r| r.get(0),
                )
                .optional()?;
            let pass = last.unwrap_or(0) + 1;
            tx.execute(
                "INSERT OR REPLACE INTO roster_passes(event_id, pass, plan, started_ms, expected)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![event_id, pass, plan, now_ms, expected],
            )?;
            tx.execute("DELETE FROM roster_walks WHERE event_id = ?1", [event_id])?;
            for key in keys {
                insert_walk(&tx, event_id, key)?;
            }
            Begun {
                pass,
                started_ms: now_ms,
                resumed: false,
                walks: keys.iter().map(|k| (k.clone(), Saved::default())).collect(),
            }
        }
    };
    tx.commit()?;
    Ok(begun)
}

fn insert_walk(tx: &Connection, event_id: &str, key: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO roster_walks(event_id, walk) VALUES (?1, ?2)
         ON CONFLICT(event_id, walk) DO NOTHING",
        params![event_id, key],
    )?;
    Ok(())
}

/// One page to write: its rows (already cut at the walk's stop) and the walk's position after
/// it.
#[derive(Debug)]
pub struct PageWrite {
    /// The walk's key.
    pub walk: String,
    /// The page's rows, already cut at the walk's stop.
    pub rows: Vec<AttendeeRow>,
    /// When the page was requested, in Unix ms: its rows' state is stamped with it.
    pub requested_ms: i64,
    /// The id of the walk's first row, once it has one.
    pub start_id: Option<String>,
    /// The cursor for the walk's next page; None: none follows, or the walk starts over.
    pub cursor: Option<String>,
    /// The walk has ended with this page.
    pub done: bool,
}

/// Writes pages and their walks' positions in one transaction.
pub fn save(conn: &mut Connection, event_id: &str, pass: i64, pages: &[PageWrite]) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for p in pages {
        for row in &p.rows {
            cache::upsert_roster_row(&tx, event_id, row, pass, p.requested_ms)?;
        }
        tx.prepare_cached(
            "UPDATE roster_walks SET start_id = ?3, cursor = ?4, done = ?5, rows = rows + ?6
             WHERE event_id = ?1 AND walk = ?2",
        )?
        .execute(params![
            event_id,
            p.walk,
            p.start_id,
            p.cursor,
            p.done,
            p.rows.len() as i64
        ])?;
    }
    tx.commit()?;
    Ok(())
}

/// Forgets a walk's position, so the next run starts it from its anchor again.
pub fn forget(conn: &Connection, event_id: &str, walk: &str) -> Result<()> {
    conn.execute(
        "UPDATE roster_walks SET start_id = NULL, cursor = NULL, done = 0
         WHERE event_id = ?1 AND walk = ?2",
        params![event_id, walk],
    )?;
    Ok(())
}

/// What the end of a complete pass found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finished {
    /// Rows the pass received.
    pub received: u64,
    /// Rows the server counted but the pass never received; None: the server gave no count.
    pub shortfall: Option<u64>,
    /// Tickets the pass marked gone (none for a short pass).
    pub gone: u64,
}

/// Closes a pass whose walks all ended. `expected_now` is the index's count at the end. The
/// pass is short when it received fewer tickets than the lower of the two counts (a sale
/// during the pass raises only the later one). Only a pass that is not short marks the
/// tickets it did not receive as gone: a server that left rows out must not turn real guests
/// away. `admissions` limits the marking to the slices walked (a plan without an index).
pub fn finish(
    conn: &mut Connection,
    event_id: &str,
    pass: i64,
    expected_now: Option<u64>,
    admissions: Option<&[String]>,
    now_ms: i64,
) -> Result<Finished> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let expected: Option<i64> = tx.query_row(
        "SELECT expected FROM roster_passes WHERE event_id = ?1",
        [event_id],
        |r| r.get(0),
    )?;
    let counted = match (expected.map(|n| n.max(0) as u64), expected_now) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let received = cache::received_in_pass(&tx, event_id, pass)?;
    let shortfall = counted.map(|c| c.saturating_sub(received));
    let gone = if shortfall.unwrap_or(0) == 0 {
        cache::mark_gone(&tx, event_id, pass, admissions, now_ms)?
    } else {
        0
    };
    tx.execute(
        "UPDATE roster_passes SET finished_ms = ?2, received = ?3, shortfall = ?4, gone = ?5
         WHERE event_id = ?1",
        params![
            event_id,
            now_ms,
            received as i64,
            shortfall.map(|n| n as i64),
            gone as i64
        ],
    )?;
    tx.commit()?;
    Ok(Finished {
        received,
        shortfall,
        gone,
    })
}
