//! The sync bar's facts, in the one `sync_state` row: the last upload and download, the last
//! error, why uploads are paused, and the clock skew the sync engine measured. The sync
//! engine writes them through these functions; the status line and clock sense read them.

use crate::error::Result;
use crate::i18n::Said;
use jiff::Timestamp;
use rusqlite::{params, Connection, OptionalExtension};

/// The `sync_state` row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncState {
    /// When an upload round last reached the server (Unix ms); None: never.
    pub last_upload_ms: Option<i64>,
    /// When a download last finished (Unix ms); None: never.
    pub last_download_ms: Option<i64>,
    /// The last sync failure, as [`Said::stored`] (older rows: plain words); None: none yet.
    pub last_error: Option<String>,
    /// Why uploads are paused (a refused token), as `last_error`; `None`: not paused.
    pub paused: Option<String>,
    /// Server clock minus this laptop's, as last measured.
    pub clock_skew_ms: Option<i64>,
    /// When it was measured, by this laptop's clock.
    pub clock_checked_ms: Option<i64>,
}

/// The row as it stands (all empty before the first sync).
pub fn read(conn: &Connection) -> Result<SyncState> {
    Ok(conn
        .prepare_cached(
            "SELECT last_upload_ms, last_download_ms, last_error, paused, clock_skew_ms,
                    clock_checked_ms
             FROM sync_state WHERE id = 1",
        )?
        .query_row([], |r| {
            Ok(SyncState {
                last_upload_ms: r.get(0)?,
                last_download_ms: r.get(1)?,
                last_error: r.get(2)?,
                paused: r.get(3)?,
                clock_skew_ms: r.get(4)?,
                clock_checked_ms: r.get(5)?,
            })
        })
        .optional()?
        .unwrap_or_default())
}

/// Runs one `UPDATE sync_state SET … WHERE id = 1`, creating the row first.
fn update(conn: &Connection, set: &str, values: impl rusqlite::Params) -> Result<()> {
    conn.execute(
        "INSERT INTO sync_state(id) VALUES (1) ON CONFLICT(id) DO NOTHING",
        [],
    )?;
    conn.prepare_cached(&format!("UPDATE sync_state SET {set} WHERE id = 1"))?
        .execute(values)?;
    Ok(())
}

/// Uploads are paused for `why` (`None`: they go again), kept as [`Said::stored`].
pub fn set_paused(conn: &Connection, why: Option<&Said>) -> Result<()> {
    update(conn, "paused = ?1", params![why.map(Said::stored)])
}

/// An upload round reached the server at `at`: uploads are no longer paused.
pub fn uploaded(conn: &Connection, at: Timestamp) -> Result<()> {
    update(
        conn,
        "last_upload_ms = ?1, paused = NULL",
        params![at.as_millisecond()],
    )
}

/// A download finished at `at`.
pub fn downloaded(conn: &Connection, at: Timestamp) -> Result<()> {
    update(conn, "last_download_ms = ?1", params![at.as_millisecond()])
}

/// A sync failed at `at` with `error`, kept as [`Said::stored`] (worded when shown).
pub fn failed(conn: &Connection, error: &Said, at: Timestamp) -> Result<()> {
    update(
        conn,
        "last_error = ?1, last_error_ms = ?2",
        params![error.stored(), at.as_millisecond()],
    )
}

/// The server's clock was `skew_ms` ahead of this laptop's at `checked_ms` (laptop time).
pub fn clock_measured(conn: &Connection, skew_ms: i64, checked_ms: i64) -> Result<()> {
    update(
        conn,
        "clock_skew_ms = ?1, clock_checked_ms = ?2",
        params![skew_ms, checked_ms],
    )
}
