//! Forgetting an event: its guest list (tickets, admissions, sections, download state) and
//! its scan log leave this laptop, once every scan of it has reached Session Services.
//!
//! **Architecture invariant:** this is the only code that deletes scan-log rows, and it
//! cannot delete one still waiting to upload: the schema's triggers refuse a deletion outside
//! `forget`'s own transaction (it marks itself in `forgetting`), and a pending scan always.

use crate::error::{Error, Result};
use jiff::Timestamp;
use rusqlite::{params, Connection};
use serde::Serialize;

/// What `forget` removed, for the log and the screen (counts only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Forgotten {
    pub event_id: String,
    pub tickets: u64,
    pub scans: u64,
}

/// Scans of `event_id` still waiting to upload.
pub fn pending_scans(conn: &Connection, event_id: &str) -> Result<u64> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM scans WHERE event_id = ?1 AND upload = 'PENDING'",
        [event_id],
        |r| r.get(0),
    )?;
    Ok(n.max(0) as u64)
}

/// Removes everything this laptop holds of `event_id`, in one transaction, with SQLite's
/// `secure_delete` on so the freed pages are overwritten rather than left readable. Refused,
/// with nothing changed, while any of its scans waits to upload.
pub fn forget_event(conn: &mut Connection, event_id: &str, now: Timestamp) -> Result<Forgotten> {
    conn.pragma_update(None, "secure_delete", "ON")?;
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let pending = pending_scans(&tx, event_id)?;
    if pending > 0 {
        return Err(Error::Refused(format!(
            "{pending} scan{} of event {event_id} {} still waiting to upload: run `usher sync` \
             first, or save them with `usher export --pending --out FILE` (nothing was removed)",
            if pending == 1 { "" } else { "s" },
            if pending == 1 { "is" } else { "are" },
        )));
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
