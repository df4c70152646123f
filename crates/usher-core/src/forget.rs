//! Forgetting an event: its guest list (tickets, admissions, sections, download state) and
//! its scan log leave this laptop, once every scan of it has reached Session Services. By hand
//! ([`forget_event`]: `usher forget`, `usher logout --forget`) or by retention
//! ([`forget_expired`]: [`retention_days`] after the event's entry ends, 14 by default).
//!
//! **Architecture invariant:** this is the only code that deletes scan-log rows, and it
//! cannot delete one still waiting to upload: the schema's triggers refuse a deletion outside
//! `forget`'s own transaction (it marks itself in `forgetting`), and a pending scan always.

use crate::error::{Error, Result};
use crate::i18n::Said;
use crate::outbox;
use jiff::Timestamp;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

/// What `forget` removed, for the log and the screen (counts only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Forgotten {
    /// The event forgotten.
    pub event_id: String,
    /// Its tickets removed from the guest list.
    pub tickets: u64,
    /// Its scans removed from the scan log.
    pub scans: u64,
}

/// Removes everything this laptop holds of `event_id`, in one transaction, with SQLite's
/// `secure_delete` on so the freed pages are overwritten rather than left readable. Refused,
/// with nothing changed, while any of its scans waits to upload.
pub fn forget_event(conn: &mut Connection, event_id: &str, now: Timestamp) -> Result<Forgotten> {
    conn.pragma_update(None, "secure_delete", "ON")?;
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let pending = outbox::waiting_for_event(&tx, event_id)?;
    if pending > 0 {
        return Err(Error::Refused(
            Said::new("refused-forget-waiting")
                .with("waiting", pending)
                .with("event", event_id),
        ));
    }
    tx.execute(
        "INSERT INTO forgetting(id, event_id, started_ms) VALUES (1, ?1, ?2)",
        params![event_id, now.as_millisecond()],
    )?;
    tx.execute(
        "DELETE FROM scan_tickets WHERE scan_seq IN (SELECT seq FROM scans WHERE event_id = ?1)",
        [event_id],
    )?;
    let scans = tx.execute("DELETE FROM scans WHERE event_id = ?1", [event_id])? as u64;
    let tickets = tx.execute("DELETE FROM tickets WHERE event_id = ?1", [event_id])? as u64;
    // Other doors' scans of the event go too (how far each door was heard stays, so they
    // are not fetched again).
    tx.execute(
        "DELETE FROM peer_scan_tickets WHERE scan_id IN
             (SELECT scan_id FROM peer_scans WHERE event_id = ?1)",
        [event_id],
    )?;
    tx.execute("DELETE FROM peer_scans WHERE event_id = ?1", [event_id])?;
    for table in ["admissions", "sections", "roster_passes", "roster_walks"] {
        tx.execute(
            &format!("DELETE FROM {table} WHERE event_id = ?1"),
            [event_id],
        )?;
    }
    tx.execute("DELETE FROM events WHERE id = ?1", [event_id])?;
    tx.execute("DELETE FROM forgetting", [])?;
    tx.commit()?;
    Ok(Forgotten {
        event_id: event_id.to_string(),
        tickets,
        scans,
    })
}

/// How many days after an event's entry ends its data is forgotten.
pub const DEFAULT_RETENTION_DAYS: u32 = 14;

/// This device's retention, in days (set with `usher setup --retention-days`).
pub fn retention_days(conn: &Connection) -> Result<u32> {
    let days: Option<i64> = conn
        .query_row("SELECT retention_days FROM device WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(days.map_or(DEFAULT_RETENTION_DAYS, |d| d.clamp(1, 3650) as u32))
}

/// Sets this device's retention (1 to 3,650 days).
pub fn set_retention_days(conn: &Connection, days: u32) -> Result<()> {
    if !(1..=3650).contains(&days) {
        return Err(Error::InvalidConfig(
            Said::new("config-retention").with("days", days),
        ));
    }
    crate::settings::device_id(conn)?;
    conn.execute("UPDATE device SET retention_days = ?1 WHERE id = 1", [days])?;
    Ok(())
}

/// When each cached event's entry ends, as an instant: the event's own end, else the latest
/// of its admissions' (read in the event's time zone). An event with no end is never
/// forgotten by retention.
pub fn entry_ends(conn: &Connection) -> Result<Vec<(String, Timestamp)>> {
    let mut stmt = conn.prepare(
        "SELECT e.id, e.time_zone, coalesce(e.entry_ends_at,
                (SELECT max(a.entry_ends_at) FROM admissions a WHERE a.event_id = e.id))
         FROM events e ORDER BY e.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    let mut out = vec![];
    for row in rows {
        let (id, zone, ends) = row?;
        let Some(ends) = ends else { continue };
        // Read as the verdict reads entry windows; a value the import would have refused
        // is skipped rather than guessed at.
        let (Ok(tz), Ok(naive)) = (
            jiff::tz::TimeZone::get(&zone),
            crate::time::parse_naive(&ends),
        ) else {
            continue;
        };
        out.push((id, crate::time::instant(naive, &tz)));
    }
    Ok(out)
}

/// What retention did: the events it forgot, and those it kept because scans still wait.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Retention {
    /// The retention in force, in days after an event's entry ends.
    pub days: u32,
    /// The events forgotten, with their counts.
    pub forgotten: Vec<Forgotten>,
    /// Events past retention kept for now, with their scans still waiting to upload.
    pub kept: Vec<(String, u64)>,
}

/// Forgets every event whose entry ended more than [`retention_days`] before `now` (an
/// argument, so tests move the clock), except those with scans still waiting to upload.
pub fn forget_expired(conn: &mut Connection, now: Timestamp) -> Result<Retention> {
    let days = retention_days(conn)?;
    let limit = jiff::SignedDuration::from_hours(24 * i64::from(days));
    let mut done = Retention {
        days,
        ..Retention::default()
    };
    for (event, ends) in entry_ends(conn)? {
        if now.duration_since(ends) <= limit {
            continue;
        }
        match forget_event(conn, &event, now) {
            Ok(gone) => done.forgotten.push(gone),
            Err(Error::Refused(_)) => {
                let waiting = outbox::waiting_for_event(conn, &event)?;
                done.kept.push((event, waiting));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}

/// Every event this laptop holds anything of (guest list or scans), for `logout --forget`.
pub fn events_held(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT id FROM events UNION SELECT event_id FROM scans WHERE event_id IS NOT NULL
         UNION SELECT event_id FROM tickets ORDER BY 1",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn scan(conn: &Connection, seq: i64, event: &str, upload: &str) {
        let action = if upload == "NONE" {
            None
        } else {
            Some("CHECK_IN")
        };
        conn.execute(
            "INSERT INTO scans(seq, id, idempotency_key, door_ms, event_id, device_id, gate_name,
                               mode, source, payload, payload_len, verdict, verdict_json, action,
                               upload)
             VALUES (?1, ?1, ?1, 1, ?2, 'd', 'g', 'ENTRY', 'MANUAL', 'x', 1, 'ADMIT', '{}', ?4, ?3)",
            params![seq, event, upload, action],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO scan_tickets(ticket_id, scan_seq) VALUES ('tkt_x', ?1)",
            [seq],
        )
        .unwrap();
    }

    fn count(conn: &Connection, event: &str) -> i64 {
        conn.query_row(
            "SELECT count(*) FROM scans WHERE event_id = ?1",
            [event],
            |r| r.get(0),
        )
        .unwrap()
    }

    #[test]
    fn forget_refuses_while_a_scan_waits_and_removes_the_event_after_it_uploads() {
        let tmp = tempfile::tempdir().unwrap();
        let mut store = Store::open(tmp.path()).unwrap();
        scan(store.conn(), 1, "evt_a", "ACKNOWLEDGED");
        scan(store.conn(), 2, "evt_a", "PENDING");
        scan(store.conn(), 3, "evt_b", "ACKNOWLEDGED");
        let err = forget_event(store.conn_mut(), "evt_a", Timestamp::now()).unwrap_err();
        assert_eq!(err.code(), "REFUSED");
        assert!(
            err.to_string()
                .contains("1 scan of event evt_a is still waiting"),
            "{err}"
        );
        assert_eq!(count(store.conn(), "evt_a"), 2);

        store
            .conn()
            .execute("UPDATE scans SET upload = 'ACKNOWLEDGED' WHERE seq = 2", [])
            .unwrap();
        let gone = forget_event(store.conn_mut(), "evt_a", Timestamp::now()).unwrap();
        assert_eq!(gone.scans, 2);
        assert_eq!(count(store.conn(), "evt_a"), 0);
        assert_eq!(
            count(store.conn(), "evt_b"),
            1,
            "another event's scans stay"
        );
        // Outside forget the log is append-only again.
        let err = store.conn().execute("DELETE FROM scans", []).unwrap_err();
        assert!(err.to_string().contains("append-only"), "{err}");
    }

    fn event(conn: &Connection, id: &str, ends: Option<&str>) {
        conn.execute(
            "INSERT INTO events(id, tenant_id, api, name, slug, status, time_zone,
                                entry_ends_at, synced_ms, raw)
             VALUES (?1, 'tnt', 'api', 'n', 's', 'PUBLISHED', 'Europe/London', ?2, 0, '{}')",
            params![id, ends],
        )
        .unwrap();
    }

    #[test]
    fn retention_forgets_an_event_n_plus_1_days_after_its_entry_ended_not_n_minus_1() {
        let tmp = tempfile::tempdir().unwrap();
        let mut store = Store::open(tmp.path()).unwrap();
        set_retention_days(store.conn(), 3).unwrap();
        // Entry ended at 23:00 London time (BST, UTC+1) on 1 June.
        event(store.conn(), "evt_old", Some("2026-06-01T23:00:00"));
        event(store.conn(), "evt_open", None);
        scan(store.conn(), 1, "evt_old", "ACKNOWLEDGED");
        let ended: Timestamp = "2026-06-01T22:00:00Z".parse().unwrap();
        let day = jiff::SignedDuration::from_hours(24);

        let early = forget_expired(store.conn_mut(), ended + day * 2).unwrap();
        assert!(early.forgotten.is_empty(), "{early:?}");
        assert_eq!(count(store.conn(), "evt_old"), 1);

        let late = forget_expired(store.conn_mut(), ended + day * 4).unwrap();
        assert_eq!(late.days, 3);
        assert_eq!(late.forgotten.len(), 1, "{late:?}");
        assert_eq!(late.forgotten[0].event_id, "evt_old");
        assert_eq!(count(store.conn(), "evt_old"), 0);
        let left: Vec<String> = entry_ends(store.conn())
            .unwrap()
            .into_iter()
            .map(|e| e.0)
            .collect();
        assert!(left.is_empty(), "{left:?}");
        let events: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
            .unwrap();
        assert_eq!(events, 1, "an event with no entry end is kept");
    }

    #[test]
    fn retention_keeps_an_expired_event_whose_scans_still_wait() {
        let tmp = tempfile::tempdir().unwrap();
        let mut store = Store::open(tmp.path()).unwrap();
        assert_eq!(
            retention_days(store.conn()).unwrap(),
            DEFAULT_RETENTION_DAYS
        );
        event(store.conn(), "evt_old", Some("2026-01-01T20:00:00"));
        scan(store.conn(), 1, "evt_old", "PENDING");
        let now: Timestamp = "2026-03-01T00:00:00Z".parse().unwrap();
        let r = forget_expired(store.conn_mut(), now).unwrap();
        assert!(r.forgotten.is_empty());
        assert_eq!(r.kept, vec![("evt_old".to_string(), 1)]);
        assert_eq!(count(store.conn(), "evt_old"), 1);
        assert!(set_retention_days(store.conn(), 0).is_err());
    }

    #[test]
    fn a_pending_scan_cannot_be_deleted_even_inside_a_forget_mark() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open(tmp.path()).unwrap();
        scan(store.conn(), 1, "evt_a", "PENDING");
        store
            .conn()
            .execute(
                "INSERT INTO forgetting(id, event_id, started_ms) VALUES (1, 'evt_a', 0)",
                [],
            )
            .unwrap();
        let err = store.conn().execute("DELETE FROM scans", []).unwrap_err();
        assert!(err.to_string().contains("append-only"), "{err}");
        let err = store
            .conn()
            .execute("DELETE FROM scan_tickets", [])
            .unwrap_err();
        assert!(err.to_string().contains("append-only"), "{err}");
    }
}
