//! The simulator's mutable state beside the immutable dataset: each ticket's current
//! status and scans, and the idempotency store.

use std::collections::{HashMap, HashSet};

use rand::{rngs::StdRng, Rng, SeedableRng};
use session_api::{ids, ScanKind, Ticket, TicketStatus};

use crate::auth::Token;
use crate::dataset::Dataset;
use crate::error::Answer;
use crate::ticket_view::TicketView;
use crate::time::iso_ms;
use crate::wire::Scan;

/// The first answer given for an idempotency key, and what it was for.
#[derive(Debug, Clone)]
pub(crate) struct Replay {
    /// `CHECK_IN tkt_…` or `CHECK_OUT ord_…`.
    pub request: String,
    pub answer: Answer,
}

pub(crate) struct Live {
    pub status: Vec<TicketStatus>,
    pub scans: HashMap<u32, Vec<Scan>>,
    pub updated_ms: HashMap<u32, i64>,
    pub idempotency: HashMap<String, Replay>,
    /// Tickets taken off the roster (voided, moved): gone from every list and from
    /// `GET /tickets/{id}`.
    pub off_roster: HashSet<u32>,
    /// Admissions taken off their event's list (`GET /events/{key}`); their tickets stay.
    pub delisted: HashSet<String>,
    rng: StdRng,
}

impl Live {
    pub fn new(ds: &Dataset) -> Live {
        Live {
            status: ds.tickets.iter().map(|t| t.status).collect(),
            scans: ds.initial_scans.clone(),
            updated_ms: HashMap::new(),
            idempotency: HashMap::new(),
            off_roster: HashSet::new(),
            delisted: HashSet::new(),
            rng: StdRng::seed_from_u64(0x5ca7),
        }
    }

    pub fn scans(&self, row: u32) -> &[Scan] {
        self.scans.get(&row).map_or(&[], Vec::as_slice)
    }

    /// The client's reading of a ticket as it is now.
    pub fn ticket(&self, ds: &Dataset, row: u32) -> Ticket {
        TicketView::live(ds, self, row).read()
    }

    /// Applies a check-in or check-out to one ticket, stamped with the server's time and the
    /// token's user; `deviceId` is `""` when the request named none.
    pub fn record(
        &mut self,
        row: u32,
        kind: ScanKind,
        by: &Token,
        device_id: Option<&str>,
        now_ms: i64,
    ) {
        let id_bits: u128 = self.rng.random::<u128>() & ((1u128 << 76) - 1);
        let id = format!(
            "scn_{}",
            ids::encode_body(((now_ms.max(0) as u128) << 80) | (0x7u128 << 76) | id_bits)
        );
        self.scans.entry(row).or_default().push(Scan {
            id,
            scanned_at: iso_ms(now_ms),
            scanned_by_id: by.user.id.clone(),
            scanned_by: by.scanned_by(),
            device_id: device_id.unwrap_or_default().to_string(),
            kind,
        });
        self.status[row as usize] = match kind {
            ScanKind::CheckIn => TicketStatus::Redeemed,
            ScanKind::CheckOut => TicketStatus::Active,
        };
        self.updated_ms.insert(row, now_ms);
    }
}
