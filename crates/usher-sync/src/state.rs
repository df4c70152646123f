//! The sync bar's facts in the `sync_state` row: last upload and download, last error, and
//! why uploads are paused.

use crate::SyncError;
use jiff::Timestamp;
use rusqlite::{params, Connection};

fn ensure(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO sync_state(id) VALUES (1) ON CONFLICT(id) DO NOTHING",
        [],
    )?;
    Ok(())
}

pub fn set_paused(conn: &Connection, why: Option<&str>) -> Result<(), SyncError> {
    ensure(conn)?;
    conn.execute(
        "UPDATE sync_state SET paused = ?1 WHERE id = 1",
        params![why],
    )?;
    Ok(())
}

pub fn uploaded(conn: &Connection, at: Timestamp) -> Result<(), SyncError> {
    ensure(conn)?;
    conn.execute(
        "UPDATE sync_state SET last_upload_ms = ?1, paused = NULL WHERE id = 1",
        params![at.as_millisecond()],
    )?;
    Ok(())
}

pub fn downloaded(conn: &Connection, at: Timestamp) -> Result<(), SyncError> {
    ensure(conn)?;
    conn.execute(
        "UPDATE sync_state SET last_download_ms = ?1 WHERE id = 1",
        params![at.as_millisecond()],
    )?;
    Ok(())
}

/// Keeps what the client's answers said of the local clock (`usher_core::clock` reads it),
/// when it moved or was written a while ago.
pub fn clock(
    conn: &Connection,
    client: &crate::ApiClient,
    now: Timestamp,
) -> Result<(), SyncError> {
    let now_ms = now.as_millisecond();
    let Some(skew) = client.clock().to_write(now_ms) else {
        return Ok(());
    };
    ensure(conn)?;
    conn.execute(
        "UPDATE sync_state SET clock_skew_ms = ?1, clock_checked_ms = ?2 WHERE id = 1",
        params![skew, now_ms],
    )?;
    client.clock().written(skew, now_ms);
    Ok(())
}

pub fn failed(conn: &Connection, error: &str, at: Timestamp) -> Result<(), SyncError> {
    ensure(conn)?;
    conn.execute(
        "UPDATE sync_state SET last_error = ?1, last_error_ms = ?2 WHERE id = 1",
        params![error, at.as_millisecond()],
    )?;
    Ok(())
}
