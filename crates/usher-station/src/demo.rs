//! Demo mode: Session Services simulated in-process on loopback, with the seeded demo event,
//! so a newcomer gets a working door with no credentials.
//!
//! **Architecture invariant:** the demo talks to the simulator over real HTTP, exactly as a
//! real door talks to Session Services; nothing in the door or sync knows it is a demo. Its
//! data lives in its own folder and never mixes with a real tenant's.

use crate::StationError;
use session_api::TicketStatus;
use session_sim::dataset::{Dataset, DatasetSpec, ENDED_ADMISSION, NOT_YET_OPEN_ADMISSION};
use session_sim::{RunningSim, SimConfig};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use usher_core::gate::GateProfile;
use usher_core::i18n::Said;
use usher_core::settings::{ApiTarget, DeviceConfig};
use usher_sync::Token;

/// Tickets in the demo event.
pub const DEMO_TICKETS: usize = 3_000;

/// The running simulator and what the demo shows with it.
pub struct Demo {
    sim: Mutex<RunningSim>,
    /// Codes the demo camera holds up, in turn.
    tour: Vec<String>,
    next: AtomicUsize,
}

impl Demo {
    /// Starts the simulator on a free loopback port.
    pub fn start() -> Result<Demo, StationError> {
        let dataset = Dataset::generate(&DatasetSpec {
            tickets: DEMO_TICKETS,
            ..DatasetSpec::default()
        });
        let tour = tour(&dataset);
        let sim = session_sim::spawn(SimConfig::new(dataset)).map_err(|e| {
            StationError::Io(Said::new("station-demo-start").with("why", e.to_string()))
        })?;
        Ok(Demo {
            sim: Mutex::new(sim),
            tour,
            next: AtomicUsize::new(0),
        })
    }

    /// The device settings that point at the simulator.
    pub fn config(&self) -> DeviceConfig {
        let sim = crate::camera::lock(&self.sim);
        DeviceConfig {
            api: ApiTarget::Url(sim.base_url()),
            tenant_id: sim.sim().tenant_id().to_string(),
            event_id: self.event_id(&sim),
            gate: GateProfile::default(),
            offline: false,
        }
    }

    fn event_id(&self, sim: &RunningSim) -> String {
        sim.sim()
            .dataset()
            .event(0)
            .expect("the demo has one event")
            .id
            .clone()
    }

    /// The simulator's public demo token (it is not a secret: it opens only the simulator).
    pub fn token(&self) -> Token {
        Token::new(session_sim::demo::SCAN_TOKEN).expect("the demo token is well-formed")
    }

    /// Cuts (`up = false`) or restores the simulated network.
    pub fn set_network(&self, up: bool) -> Result<bool, StationError> {
        let mut sim = crate::camera::lock(&self.sim);
        if up {
            sim.restart().map_err(|e| {
                StationError::Io(Said::new("station-demo-restart").with("why", e.to_string()))
            })?;
        } else {
            sim.cut();
        }
        Ok(sim.is_serving())
    }

    /// Whether the simulator is serving: the simulated network is up.
    pub fn network_up(&self) -> bool {
        crate::camera::lock(&self.sim).is_serving()
    }

    /// The next code of the tour: valid tickets, with a cancelled one, one already used at
    /// another door, one whose entry closed, a whole order and one whose entry has not opened
    /// yet in between.
    pub fn next_code(&self) -> String {
        let i = self.next.fetch_add(1, Ordering::Relaxed);
        self.tour[i % self.tour.len()].clone()
    }

    /// Tickets to print: `(ticket id, attendee name, admission name)`.
    pub fn printable(&self, n: usize) -> Vec<(String, String, String)> {
        let sim = crate::camera::lock(&self.sim);
        let data = sim.sim().dataset();
        let event = data.event(0).expect("the demo has one event");
        data.ticket_ids(0, TicketStatus::Active)
            .into_iter()
            .take(n)
            .filter_map(|id| data.ticket(&id))
            .map(|t| {
                let admission = event
                    .admissions
                    .iter()
                    .find(|a| a.id == t.admission_id)
                    .map(|a| a.name.clone())
                    .unwrap_or_default();
                let name = format!("{} {}", t.attendee.first_name, t.attendee.last_name);
                (t.id, name, admission)
            })
            .collect()
    }

    /// The demo event's name; empty if the dataset has none.
    pub fn event_name(&self) -> String {
        let sim = crate::camera::lock(&self.sim);
        sim.sim()
            .dataset()
            .event(0)
            .map(|e| e.name.clone())
            .unwrap_or_default()
    }
}

fn tour(data: &Dataset) -> Vec<String> {
    let active = data.ticket_ids_of_admission(0, 0, TicketStatus::Active);
    let first = |v: Vec<String>| v.into_iter().next();
    let specials = [
        first(data.ticket_ids(0, TicketStatus::Cancelled)),
        first(data.ticket_ids(0, TicketStatus::Redeemed)),
        first(data.ticket_ids_of_admission(0, ENDED_ADMISSION, TicketStatus::Active)),
        data.active_order(2).map(|o| o.id),
        first(data.ticket_ids_of_admission(0, NOT_YET_OPEN_ADMISSION, TicketStatus::Active)),
    ];
    let mut out = vec![];
    let mut specials = specials.into_iter().flatten();
    for (i, id) in active.into_iter().take(40).enumerate() {
        out.push(id);
        if i % 3 == 2 {
            out.extend(specials.next());
        }
    }
    out
}
