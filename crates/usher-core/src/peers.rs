//! Doors that see each other: the scans this door shares with the doors of its group, and the
//! scans it received from them (migration 0014). The network side is `usher-peers`; this is
//! only what is kept and how a decision reads it.
//!
//! - **Shared**: every scan of this door that acts on a ticket, when it is recorded and again
//!   when the server's answer changes whether it counts for decisions (a conflict or a refusal,
//!   migration 0015; an acknowledgement does not), takes the next *version* of this door (`shared`, filled by
//!   triggers, so no write path can forget to share). A peer asks for everything after the
//!   versions it has heard of, per origin door ([`Heard`]), and gets each scan once, in its
//!   latest state ([`changes_after`]). A door also passes on what it heard from others, so a
//!   door that cannot reach another still hears of its scans through a third.
//! - **Received** ([`receive`]): kept in `peer_scans`, never in the scan log, so the outbox
//!   never uploads another door's scan. How far this door has heard from each door is the
//!   highest version it keeps of it ([`heard`]): derived from what is on disk, committed with
//!   the scans in one transaction, so a crash mid-exchange loses nothing and a repeat stores
//!   nothing twice.
//! - **Decisions** ([`peer_scans_of`]): a peer scan counts while the server has not settled it
//!   against the door (pending or acknowledged); `TicketView::presence` orders it with the
//!   server's state and this door's own scans by door time, and the server's newer state wins.
//!
//! **Architecture invariant:** a peer scan is never written to `scans`, never uploaded and
//! never decides for its door: it is evidence for this door's own decision.

use crate::column::Stored;
use crate::error::{Error, Result};
use crate::i18n::Said;
use crate::scanlog::UploadState;
use crate::verdict::{PriorScan, ScanOrigin, VerdictKind};
use jiff::Timestamp;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use session_api::ScanKind;
use std::collections::{BTreeMap, BTreeSet};

/// How far a door has heard from each door: device id → the highest version it keeps.
pub type Heard = BTreeMap<String, i64>;

/// The most scans one answer carries.
pub const BATCH: usize = 500;

/// The longest text a field of a shared scan may hold (ids, names, an API's URL).
const MAX_TEXT: usize = 512;

/// The most tickets one shared scan may act on (an order's).
const MAX_TICKETS: usize = 1_000;

/// One scan as doors tell each other of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SharedScan {
    /// The scan's id at the door that made it.
    pub scan_id: String,
    /// The door that made it.
    pub device_id: String,
    /// That door's sharing version of this state of the scan.
    pub version: i64,
    /// That door's gate name, shown in a verdict ("Already in at North Gate 2").
    pub gate_name: String,
    /// The tenant, API and event the scan was made under.
    pub tenant_id: Option<String>,
    /// The API the scan was made under.
    pub api: Option<String>,
    /// The event the scan was made under.
    pub event_id: Option<String>,
    /// The origin door's time of the scan (UTC milliseconds).
    pub door_ms: i64,
    /// Check-in or check-out.
    pub action: ScanKind,
    /// What the origin door decided.
    pub verdict: VerdictKind,
    /// Where it stands with the server, at the origin door.
    pub upload: UploadState,
    /// The tickets it acts on.
    pub ticket_ids: Vec<String>,
}

impl SharedScan {
    /// Whether a received scan can be kept: what is wrong with it otherwise.
    fn check(&self) -> std::result::Result<(), Said> {
        let bad = |why: &str| Err(Said::new("peer-scan-bad").with("why", why));
        let texts = [
            Some(&self.scan_id),
            Some(&self.device_id),
            Some(&self.gate_name),
            self.tenant_id.as_ref(),
            self.api.as_ref(),
            self.event_id.as_ref(),
        ];
        if texts.iter().flatten().any(|t| t.len() > MAX_TEXT) {
            return bad("a field is too long");
        }
        if self.scan_id.is_empty() || self.device_id.is_empty() {
            return bad("no scan or device id");
        }
        if self.version < 1 {
            return bad("a version below 1");
        }
        if self.upload == UploadState::None {
            return bad("a scan with nothing to upload");
        }
        if self.ticket_ids.is_empty() || self.ticket_ids.len() > MAX_TICKETS {
            return bad("no tickets, or too many");
        }
        if let Some(t) = self.ticket_ids.iter().find(|t| !is_ticket_id(t)) {
            return Err(Said::new("peer-scan-bad-ticket")
                .with("ticket", crate::code::preview(t.as_bytes(), 40)));
        }
        Ok(())
    }
}

fn is_ticket_id(s: &str) -> bool {
    s.len() == 30
        && s.starts_with("tkt_")
        && s[4..]
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
}

/// A number that changes whenever another connection commits to this database (SQLite's
/// `data_version`): the exchange asks it often and cheaply, and reads what changed only when
/// it moved.
pub fn change_mark(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
}

/// How far this door has heard from each other door.
pub fn heard(conn: &Connection) -> Result<Heard> {
    let mut stmt = conn.prepare_cached("SELECT device_id, version FROM peer_doors")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<Heard>>()?)
}

/// This door's latest sharing version: how far a peer can have heard from it.
pub fn own_version(conn: &Connection) -> Result<i64> {
    Ok(
        conn.query_row("SELECT version FROM share_clock WHERE id = 1", [], |r| {
            r.get(0)
        })?,
    )
}

/// Who asks for changes, and what it already has.
#[derive(Debug, Clone, Copy)]
pub struct Asking<'a> {
    /// The asking door's device id: its own scans are never sent back to it.
    pub asker: &'a str,
    /// How far it has heard from each door.
    pub heard: &'a Heard,
    /// The doors it hears from itself right now: their scans are not passed on to it (that
    /// would only repeat them).
    pub direct: &'a BTreeSet<String>,
}

/// What a door has not heard yet: this door's own changes, then what it kept from the doors
/// the asker does not hear from itself, each door's in version order, at most `limit`.
pub fn changes_after(conn: &Connection, ask: &Asking<'_>, limit: usize) -> Result<Vec<SharedScan>> {
    let me = crate::settings::device_id(conn)?;
    let mut out = if ask.asker != me {
        let after = ask.heard.get(&me).copied().unwrap_or(0);
        own_changes(conn, &me, after, limit)?
    } else {
        vec![]
    };
    let room = limit.saturating_sub(out.len());
    out.extend(passed_on(conn, ask, room)?);
    Ok(out)
}

/// What this door heard from other doors that the asker has not heard and does not hear
/// itself, each door's in version order, at most `limit`.
pub fn passed_on(conn: &Connection, ask: &Asking<'_>, limit: usize) -> Result<Vec<SharedScan>> {
    let mut out = Vec::new();
    // Only the doors this one has more of than the asker heard: one small read, then a
    // query per door that has something to send.
    let origins: Vec<String> = conn
        .prepare_cached("SELECT device_id, version FROM peer_doors ORDER BY device_id")?
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
        .filter(|row| match row {
            Ok((device, version)) => *version > ask.heard.get(device).copied().unwrap_or(0),
            Err(_) => true,
        })
        .map(|row| row.map(|(device, _)| device))
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT scan_id, device_id, version, gate_name, tenant_id, api, event_id, door_ms,
                action, verdict, upload
         FROM peer_scans WHERE device_id = ?1 AND version > ?2 ORDER BY version LIMIT ?3",
    )?;
    let mut tickets = conn.prepare_cached(
        "SELECT ticket_id FROM peer_scan_tickets WHERE scan_id = ?1 ORDER BY ticket_id",
    )?;
    for origin in origins
        .iter()
        .filter(|o| o.as_str() != ask.asker && !ask.direct.contains(o.as_str()))
    {
        if out.len() >= limit {
            break;
        }
        let after = ask.heard.get(origin).copied().unwrap_or(0);
        let room = (limit - out.len()) as i64;
        let rows = stmt
            .query_map(params![origin, after, room], peer_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for mut scan in rows {
            scan.ticket_ids = tickets
                .query_map([&scan.scan_id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            out.push(scan);
        }
    }
    Ok(out)
}

/// This door's (`me`) own changes after version `after`, each scan once in its latest
/// state, in version order, at most `limit`.
pub fn own_changes(
    conn: &Connection,
    me: &str,
    after: i64,
    limit: usize,
) -> Result<Vec<SharedScan>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT s.id, sh.version, s.gate_name, s.tenant_id, s.api, s.event_id, s.door_ms,
                s.action, s.verdict, s.upload, s.seq
         FROM shared sh JOIN scans s ON s.seq = sh.scan_seq
         WHERE sh.version > ?1 ORDER BY sh.version LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![after, limit as i64], |r| {
        let Stored(action) = r.get(7)?;
        Ok((
            SharedScan {
                scan_id: r.get(0)?,
                device_id: me.to_owned(),
                version: r.get(1)?,
                gate_name: r.get(2)?,
                tenant_id: r.get(3)?,
                api: r.get(4)?,
                event_id: r.get(5)?,
                door_ms: r.get(6)?,
                action,
                verdict: r.get(8)?,
                upload: r.get(9)?,
                ticket_ids: vec![],
            },
            r.get::<_, i64>(10)?,
        ))
    })?;
    let mut tickets = conn.prepare_cached(
        "SELECT ticket_id FROM scan_tickets WHERE scan_seq = ?1 ORDER BY ticket_id",
    )?;
    for row in rows {
        let (mut scan, seq) = row?;
        scan.ticket_ids = tickets
            .query_map([seq], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        out.push(scan);
    }
    Ok(out)
}

/// Every scan this door shares, in its latest state.
pub fn own_scans(conn: &Connection) -> Result<Vec<SharedScan>> {
    own_changes(
        conn,
        &crate::settings::device_id(conn)?,
        0,
        i64::MAX as usize,
    )
}

/// Every scan this door would tell a new door of: its own, then what it heard from others.
pub fn everything(conn: &Connection) -> Result<Vec<SharedScan>> {
    let ask = Asking {
        asker: "",
        heard: &Heard::new(),
        direct: &BTreeSet::new(),
    };
    changes_after(conn, &ask, i64::MAX as usize)
}

fn peer_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SharedScan> {
    let Stored(action) = r.get(8)?;
    Ok(SharedScan {
        scan_id: r.get(0)?,
        device_id: r.get(1)?,
        version: r.get(2)?,
        gate_name: r.get(3)?,
        tenant_id: r.get(4)?,
        api: r.get(5)?,
        event_id: r.get(6)?,
        door_ms: r.get(7)?,
        action,
        verdict: r.get(9)?,
        upload: r.get(10)?,
        ticket_ids: vec![],
    })
}

/// What [`receive`] did with a batch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Received {
    /// Scans this door had not heard of.
    pub new: usize,
    /// Scans it knew, in a newer state (settled by the server since).
    pub updated: usize,
}

/// Keeps a batch another door sent, in one transaction: new scans, and newer states of known
/// ones; an older or repeated state changes nothing, and this door's own scans (sent back by
/// a door that passed them on) are skipped. A batch with one scan that cannot be used is
/// refused whole, and nothing of it is kept.
pub fn receive(conn: &mut Connection, batch: &[SharedScan], now_ms: i64) -> Result<Received> {
    for scan in batch {
        scan.check().map_err(Error::PeerScan)?;
    }
    let me = crate::settings::device_id(conn)?;
    // Immediate: the write lock first, so a door's scan committed meanwhile cannot make
    // the read-then-write fail.
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let mut done = Received::default();
    {
        let mut known = tx.prepare_cached("SELECT version FROM peer_scans WHERE scan_id = ?1")?;
        let mut insert = tx.prepare_cached(
            "INSERT INTO peer_scans (scan_id, device_id, version, gate_name, tenant_id, api,
                                     event_id, door_ms, action, verdict, upload, received_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?;
        let mut update = tx
            .prepare_cached("UPDATE peer_scans SET version = ?2, upload = ?3 WHERE scan_id = ?1")?;
        let mut ticket = tx.prepare_cached(
            "INSERT OR IGNORE INTO peer_scan_tickets (ticket_id, scan_id) VALUES (?1, ?2)",
        )?;
        let mut door = tx.prepare_cached(
            "INSERT INTO peer_doors (device_id, version) VALUES (?1, ?2)
             ON CONFLICT (device_id) DO UPDATE SET version = MAX(version, excluded.version)",
        )?;
        for scan in batch.iter().filter(|s| s.device_id != me) {
            let stored: Option<i64> = known.query_row([&scan.scan_id], |r| r.get(0)).optional()?;
            match stored {
                None => {
                    insert.execute(params![
                        scan.scan_id,
                        scan.device_id,
                        scan.version,
                        scan.gate_name,
                        scan.tenant_id,
                        scan.api,
                        scan.event_id,
                        scan.door_ms,
                        Stored(scan.action),
                        scan.verdict,
                        scan.upload,
                        now_ms
                    ])?;
                    for t in &scan.ticket_ids {
                        ticket.execute(params![t, scan.scan_id])?;
                    }
                    done.new += 1;
                }
                Some(v) if v < scan.version => {
                    update.execute(params![scan.scan_id, scan.version, scan.upload])?;
                    done.updated += 1;
                }
                Some(_) => continue,
            }
            door.execute(params![scan.device_id, scan.version])?;
        }
    }
    tx.commit()?;
    Ok(done)
}

/// Other doors' scans of a ticket that still count for a decision, in door-time order: the
/// ones the server has not refused or found to be a repeat (pending or acknowledged at their
/// door). `TicketView::presence` drops those older than the server's own last scan.
pub fn peer_scans_of(conn: &Connection, ticket_id: &str) -> Result<Vec<PriorScan>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.action, p.door_ms, p.device_id, p.gate_name
         FROM peer_scan_tickets pt CROSS JOIN peer_scans p ON p.scan_id = pt.scan_id
         WHERE pt.ticket_id = ?1 AND p.upload IN ('PENDING', 'ACKNOWLEDGED')
         ORDER BY p.door_ms, p.scan_id",
    )?;
    let rows = stmt.query_map([ticket_id], |r| {
        let Stored(kind) = r.get(0)?;
        Ok(PriorScan {
            kind,
            at: Timestamp::from_millisecond(r.get(1)?).unwrap_or(Timestamp::UNIX_EPOCH),
            device_id: r.get(2)?,
            by: r.get(3)?,
            origin: ScanOrigin::Peer,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// How long each peer scan this door keeps took to reach it: its first receipt here minus
/// its door time at the other door, in milliseconds (door clocks are assumed close; clock
/// sense warns when this one is not).
pub fn propagation_ms(conn: &Connection) -> Result<Vec<i64>> {
    let mut stmt =
        conn.prepare_cached("SELECT received_ms - door_ms FROM peer_scans ORDER BY 1")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// What this door heard from one other door (Door health, `usher peers`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Origin {
    /// The door's device id.
    pub device_id: String,
    /// Its gate name, as its latest scan gave it.
    pub gate_name: String,
    /// Its scans this door keeps.
    pub scans: i64,
    /// How far this door has heard from it.
    pub version: i64,
    /// Its latest scan's door time (UTC milliseconds).
    pub last_scan_ms: i64,
    /// When this door last received a new scan of it.
    pub last_received_ms: i64,
}

/// Every door this door has heard from, by gate name.
pub fn origins(conn: &Connection) -> Result<Vec<Origin>> {
    let mut stmt = conn.prepare_cached(
        "SELECT device_id,
                (SELECT gate_name FROM peer_scans q WHERE q.device_id = p.device_id
                 ORDER BY door_ms DESC LIMIT 1),
                COUNT(*), MAX(version), MAX(door_ms), MAX(received_ms)
         FROM peer_scans p GROUP BY device_id ORDER BY 2, 1",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Origin {
            device_id: r.get(0)?,
            gate_name: r.get(1)?,
            scans: r.get(2)?,
            version: r.get(3)?,
            last_scan_ms: r.get(4)?,
            last_received_ms: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The doors typed in Setup ("host:port"), for networks that block multicast.
pub fn peer_list(conn: &Connection) -> Result<Vec<String>> {
    let text: Option<String> = conn
        .query_row("SELECT peer_list FROM device WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?;
    match text {
        None => Ok(vec![]),
        Some(t) => serde_json::from_str(&t).map_err(|e| Error::CorruptCache {
            path: Default::default(),
            detail: format!("device.peer_list: {e}"),
        }),
    }
}

/// Keeps the doors typed in Setup. Each must read as "host:port" (a name or an address and
/// a port); the list is refused whole otherwise, and the old one stays.
pub fn set_peer_list(conn: &Connection, peers: &[String]) -> Result<()> {
    let mut list: Vec<String> = Vec::new();
    for p in peers.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        check_peer_address(p)?;
        if !list.iter().any(|l| l == p) {
            list.push(p.to_owned());
        }
    }
    crate::settings::device_id(conn)?;
    conn.execute(
        "UPDATE device SET peer_list = ?1 WHERE id = 1",
        [serde_json::to_string(&list).expect("strings serialize")],
    )?;
    Ok(())
}

/// Refuses what does not read as a door's address ("host:port"), saying which it was.
pub fn check_peer_address(address: &str) -> Result<()> {
    if is_peer_address(address.trim()) {
        return Ok(());
    }
    Err(Error::InvalidConfig(Said::new("config-peer-address").with(
        "address",
        crate::code::preview(address.as_bytes(), 80),
    )))
}

/// "host:port", "[v6]:port" or "a.b.c.d:port", with a port of 1 to 65535.
fn is_peer_address(s: &str) -> bool {
    if s.parse::<std::net::SocketAddr>().is_ok() {
        return true;
    }
    let Some((host, port)) = s.rsplit_once(':') else {
        return false;
    };
    let port_ok = port.parse::<u16>().is_ok_and(|p| p > 0);
    let host_ok = !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    port_ok && host_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn scan(device: &str, id: &str, version: i64, upload: UploadState, ticket: &str) -> SharedScan {
        SharedScan {
            scan_id: id.into(),
            device_id: device.into(),
            version,
            gate_name: "North Gate 2".into(),
            tenant_id: Some("ten_1".into()),
            api: Some("sandbox".into()),
            event_id: Some("evt_1".into()),
            door_ms: 1_000 * version,
            action: ScanKind::CheckIn,
            verdict: VerdictKind::Admit,
            upload,
            ticket_ids: vec![ticket.into()],
        }
    }

    const T1: &str = "tkt_00000000000000000000000001";
    const T2: &str = "tkt_00000000000000000000000002";

    #[test]
    fn a_batch_received_twice_is_kept_once_and_heard_is_its_highest_version() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let batch = vec![
            scan("usher-a", "s1", 1, UploadState::Pending, T1),
            scan("usher-a", "s2", 2, UploadState::Pending, T2),
        ];
        let first = receive(store.conn_mut(), &batch, 5).unwrap();
        assert_eq!(first, Received { new: 2, updated: 0 });
        let again = receive(store.conn_mut(), &batch, 6).unwrap();
        assert_eq!(again, Received::default());
        assert_eq!(heard(store.conn()).unwrap().get("usher-a"), Some(&2));
        assert_eq!(peer_scans_of(store.conn(), T1).unwrap().len(), 1);
    }

    #[test]
    fn a_newer_state_replaces_an_older_one_and_never_the_other_way() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        receive(
            store.conn_mut(),
            &[scan("usher-a", "s1", 1, UploadState::Pending, T1)],
            1,
        )
        .unwrap();
        let rejected = scan("usher-a", "s1", 3, UploadState::Rejected, T1);
        assert_eq!(
            receive(store.conn_mut(), &[rejected], 2).unwrap().updated,
            1
        );
        // The older state arriving late (through a slower door) changes nothing.
        receive(
            store.conn_mut(),
            &[scan("usher-a", "s1", 1, UploadState::Pending, T1)],
            3,
        )
        .unwrap();
        assert!(
            peer_scans_of(store.conn(), T1).unwrap().is_empty(),
            "a refused peer scan no longer counts"
        );
        assert_eq!(heard(store.conn()).unwrap().get("usher-a"), Some(&3));
    }

    #[test]
    fn a_batch_with_one_unusable_scan_is_refused_whole_and_keeps_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let mut bad = scan("usher-a", "s2", 2, UploadState::Pending, T2);
        bad.ticket_ids = vec!["'; DROP TABLE scans; --".into()];
        let err = receive(
            store.conn_mut(),
            &[scan("usher-a", "s1", 1, UploadState::Pending, T1), bad],
            1,
        )
        .unwrap_err();
        assert_eq!(err.code(), "PEER_SCAN");
        assert!(heard(store.conn()).unwrap().is_empty());
        for (field, mut s) in [
            (
                "version",
                scan("usher-a", "s3", 0, UploadState::Pending, T1),
            ),
            ("upload", scan("usher-a", "s3", 1, UploadState::None, T1)),
            ("device", scan("", "s3", 1, UploadState::Pending, T1)),
        ] {
            s.gate_name = field.into();
            assert!(
                receive(store.conn_mut(), &[s], 1).is_err(),
                "{field} should be refused"
            );
        }
    }

    #[test]
    fn own_scans_passed_back_by_another_door_are_not_kept_as_peer_scans() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let me = crate::settings::device_id(store.conn()).unwrap();
        let done = receive(
            store.conn_mut(),
            &[scan(&me, "s1", 1, UploadState::Pending, T1)],
            1,
        )
        .unwrap();
        assert_eq!(done.new, 0);
        assert!(origins(store.conn()).unwrap().is_empty());
    }

    #[test]
    fn an_acknowledged_scan_is_not_shared_again_but_a_conflict_is() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let me = crate::settings::device_id(store.conn()).unwrap();
        let conn = store.conn();
        for (seq, id) in [(1, "s1"), (2, "s2")] {
            conn.execute(
                "INSERT INTO scans(seq, id, idempotency_key, door_ms, device_id, gate_name, mode,
                    source, payload, payload_len, verdict, verdict_json, action, upload)
                 VALUES (?1, ?2, ?2, 1000, ?3, 'North', 'ENTRY', 'CAMERA', x'00', 1, 'ADMIT', '{}',
                    'CHECK_IN', 'PENDING')",
                params![seq, id, me],
            )
            .unwrap();
        }
        let versions = |conn: &Connection| {
            own_changes(conn, &me, 0, BATCH)
                .unwrap()
                .into_iter()
                .map(|s| (s.scan_id, s.version, s.upload))
                .collect::<Vec<_>>()
        };
        assert_eq!(own_version(conn).unwrap(), 2);
        conn.execute("UPDATE scans SET upload = 'ACKNOWLEDGED' WHERE seq = 1", [])
            .unwrap();
        assert_eq!(
            own_version(conn).unwrap(),
            2,
            "nothing new for the other doors"
        );
        conn.execute("UPDATE scans SET upload = 'CONFLICT' WHERE seq = 2", [])
            .unwrap();
        assert_eq!(
            versions(conn),
            [
                // Read as it is now, at the version it had: a door asking later gets the
                // acknowledged state, one that heard version 1 needs nothing more.
                ("s1".into(), 1, UploadState::Acknowledged),
                ("s2".into(), 3, UploadState::Conflict)
            ],
            "a conflict stops the scan counting at the other doors, so they hear of it"
        );
    }

    #[test]
    fn changes_pass_on_what_was_heard_but_never_back_to_its_door() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let batch = vec![
            scan("usher-a", "s1", 1, UploadState::Pending, T1),
            scan("usher-b", "s2", 1, UploadState::Pending, T2),
        ];
        receive(store.conn_mut(), &batch, 1).unwrap();
        let none = BTreeSet::new();
        let ids = |c: Vec<SharedScan>| c.iter().map(|s| s.scan_id.clone()).collect::<Vec<_>>();
        let asking = |asker, direct, heard| Asking {
            asker,
            heard,
            direct,
        };
        let all = Heard::new();
        let for_c = changes_after(store.conn(), &asking("usher-c", &none, &all), BATCH).unwrap();
        assert_eq!(ids(for_c), ["s1", "s2"]);
        let for_a = changes_after(store.conn(), &asking("usher-a", &none, &all), BATCH).unwrap();
        assert_eq!(ids(for_a), ["s2"], "A's own scan is not sent back to it");
        let heard_b = Heard::from([("usher-b".to_string(), 1)]);
        let for_a =
            changes_after(store.conn(), &asking("usher-a", &none, &heard_b), BATCH).unwrap();
        assert!(for_a.is_empty());
        // C hears from B itself: only A's scan is passed on to it.
        let direct = BTreeSet::from(["usher-b".to_string()]);
        let for_c = changes_after(store.conn(), &asking("usher-c", &direct, &all), BATCH).unwrap();
        assert_eq!(ids(for_c), ["s1"]);
    }

    #[test]
    fn a_peer_list_with_a_bad_address_is_refused_and_the_old_one_stays() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let good = vec![
            "127.0.0.1:7300".to_string(),
            "north-gate.local:7300".into(),
            "[::1]:7300".into(),
        ];
        set_peer_list(store.conn(), &good).unwrap();
        for bad in ["north-gate", "host:0", "host:99999", "a b:7300", ":7300"] {
            let err = set_peer_list(store.conn(), &[bad.to_string()]).unwrap_err();
            assert_eq!(err.code(), "INVALID_CONFIG", "{bad}");
        }
        assert_eq!(peer_list(store.conn()).unwrap(), good);
    }
}
