//! Guest lookup: search as you type over name, email, phone, ticket id and order id, from
//! the first character.
//!
//! - Three characters or more: substring match through the trigram full-text index
//!   (`ticket_search`), every word of the query must match.
//! - One or two characters: a prefix match on first name, last name, email or phone, walked
//!   in name order on the `tickets_event_name` index, so it stops after `limit` hits.

use crate::cache::{pending_scans, ticket_row};
use crate::error::Result;
use crate::verdict::{PriorScan, TicketSummary};
use rusqlite::Connection;
use serde::Serialize;
use session_api::TicketStatus;

/// One guest found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LookupHit {
    pub ticket: TicketSummary,
    pub status: TicketStatus,
    /// Inside now: server state plus this device's unacknowledged scans.
    pub inside: bool,
    pub last_scan: Option<PriorScan>,
}

pub const DEFAULT_LIMIT: usize = 50;

const COLUMNS: &str = "t.id, t.order_id, t.event_id, t.admission_id, coalesce(a.name, t.admission_id),
     t.section_id, s.name, t.status, t.first_name, t.last_name, t.email, t.phone,
     t.last_scan_kind, t.last_scan_ms, t.last_scan_device, t.last_scan_by";
const JOINS: &str = "LEFT JOIN admissions a ON a.id = t.admission_id
     LEFT JOIN sections s ON s.id = t.section_id";

/// Finds guests of `event_id` matching `query`, in name order.
pub fn lookup(conn: &Connection, event_id: &str, query: &str, limit: usize) -> Result<Vec<LookupHit>> {
    let query = query.trim().to_lowercase();
    if query.is_empty() {
        return Ok(vec![]);
    }
    let words: Vec<&str> = query.split_whitespace().collect();
    let long: Vec<&str> = words.iter().copied().filter(|w| w.chars().count() >= 3).collect();
    let views = if long.is_empty() {
        // Short query: prefix of any name part, email or phone (each word must match one).
        let mut sql = format!(
            "SELECT {COLUMNS} FROM tickets t INDEXED BY tickets_event_name {JOINS}
             WHERE t.event_id = ?1"
        );
        for i in 0..words.len() {
            let p = i + 3;
            sql.push_str(&format!(
                " AND (t.first_name LIKE ?{p} ESCAPE '\\' OR t.last_name LIKE ?{p} ESCAPE '\\'
                       OR t.email LIKE ?{p} ESCAPE '\\' OR t.phone LIKE ?{p} ESCAPE '\\')"
            ));
        }
        sql.push_str(" ORDER BY t.last_name COLLATE NOCASE, t.first_name COLLATE NOCASE LIMIT ?2");
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut args: Vec<Box<dyn rusqlite::ToSql>> =
            vec![Box::new(event_id.to_string()), Box::new(limit as i64)];
        for w in &words {
            args.push(Box::new(format!("{}%", escape_like(w))));
        }
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), ticket_row)?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    } else {
        // Long words go to the trigram index as quoted phrases; short ones filter the hits.
        let fts = long
            .iter()
            .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(" AND ");
        let short: Vec<&str> = words.iter().copied().filter(|w| w.chars().count() < 3).collect();
        let mut sql = format!(
            "SELECT {COLUMNS} FROM ticket_search f JOIN tickets t ON t.seq = f.rowid {JOINS}
             WHERE ticket_search MATCH ?1 AND t.event_id = ?2"
        );
        for i in 0..short.len() {
            let p = i + 4;
            sql.push_str(&format!(
                " AND (t.first_name || ' ' || t.last_name || ' ' || t.email || ' ' || coalesce(t.phone, '')
                       || ' ' || t.id || ' ' || t.order_id) LIKE ?{p} ESCAPE '\\'"
            ));
        }
        sql.push_str(" ORDER BY t.last_name COLLATE NOCASE, t.first_name COLLATE NOCASE LIMIT ?3");
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut args: Vec<Box<dyn rusqlite::ToSql>> = vec![
            Box::new(fts),
            Box::new(event_id.to_string()),
            Box::new(limit as i64),
        ];
        for w in &short {
            args.push(Box::new(format!("%{}%", escape_like(w))));
        }
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), ticket_row)?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    };
    views
        .into_iter()
        .map(|mut v| {
            v.local_pending = pending_scans(conn, &v.summary.id)?;
            let (inside, last) = v.presence();
            let last_scan = last.cloned();
            Ok(LookupHit {
                inside,
                last_scan,
                status: v.status,
                ticket: v.summary,
            })
        })
        .collect()
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}
