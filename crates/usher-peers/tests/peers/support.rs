//! The harness: doors with the same generated guest list, each in its own data folder with
//! its own node on a loopback port, and waiting on a condition (never on a clock).

use jiff::Timestamp;
use session_api::TicketStatus;
use session_sim::dataset::{Dataset, DatasetSpec};
use std::sync::OnceLock;
use std::time::Duration;
use usher_core::gate::{GateProfile, Mode};
use usher_core::scanlog::{ScanOutcome, Source};
use usher_core::settings::{self, ApiTarget, DeviceConfig};
use usher_core::{cache, Door, ScanInput, Store};
use usher_peers::{GroupKey, Node, NodeConfig};

pub fn logs() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("USHER_LOG"))
        .with_test_writer()
        .try_init();
}

pub fn dataset() -> &'static Dataset {
    logs();
    static DATA: OnceLock<Dataset> = OnceLock::new();
    DATA.get_or_init(|| {
        Dataset::generate(&DatasetSpec {
            tickets: 2_000,
            ..DatasetSpec::default()
        })
    })
}

pub fn active_tickets() -> Vec<String> {
    dataset().ticket_ids(0, TicketStatus::Active)
}

pub fn config(gate: &str, mode: Mode) -> DeviceConfig {
    let data = dataset();
    DeviceConfig {
        api: ApiTarget::Url("http://127.0.0.1:9".into()),
        tenant_id: data.tenant_id().into(),
        event_id: data.event(0).unwrap().id.clone(),
        gate: GateProfile {
            name: gate.into(),
            mode,
            ..GateProfile::default()
        },
        offline: true,
    }
}

/// A door at `gate`, with the guest list imported, in its own temporary folder.
pub struct TestDoor {
    pub dir: tempfile::TempDir,
    pub door: Door,
}

impl TestDoor {
    pub fn new(gate: &str, mode: Mode) -> TestDoor {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let config = config(gate, mode);
        settings::save(store.conn(), &config).unwrap();
        let mut json = Vec::new();
        dataset().write_import_json(0, &mut json).unwrap();
        cache::import(
            store.conn_mut(),
            json.as_slice(),
            &config.tenant_id,
            &config.api.to_string(),
            Timestamp::now(),
        )
        .unwrap();
        TestDoor {
            door: Door::open(store).unwrap(),
            dir,
        }
    }

    pub fn scan(&mut self, code: &str) -> ScanOutcome {
        self.door
            .scan(
                ScanInput {
                    payload: code.as_bytes(),
                    source: Source::Manual,
                    confirm: false,
                    direction: None,
                },
                Timestamp::now(),
            )
            .unwrap()
    }

    /// A node for this door on a free loopback port, pulling from `peers`.
    pub async fn node(&self, key: &GroupKey, peers: &[String]) -> Node {
        let store = Store::open(self.dir.path()).unwrap();
        let mut config = NodeConfig::new(
            "127.0.0.1:0".parse().unwrap(),
            key.clone(),
            &self.door.config().gate.name,
        );
        config.peers = peers.to_vec();
        config.wait = Duration::from_millis(500);
        Node::start(store, config).await.unwrap()
    }

    /// Another door's scans this door keeps.
    pub fn peer_scans(&self) -> i64 {
        usher_core::peers::origins(self.door.store().conn())
            .unwrap()
            .iter()
            .map(|o| o.scans)
            .sum()
    }
}

/// Waits until `done` holds, checking every 10 ms; panics with `what` after a minute of no
/// success (a bound far beyond any healthy run, so only a real failure reaches it).
pub async fn until(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..6_000 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("never happened: {what}");
}
