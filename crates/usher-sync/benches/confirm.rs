//! Online confirm's overhead: how much longer a door verdict takes than the server's own
//! answer, with the simulator on loopback at several added latencies.
//!
//! `cargo bench -p usher-sync --bench confirm`

use jiff::Timestamp;
use session_api::TicketStatus;
use session_sim::{demo, spawn, Dataset, DatasetSpec, Faults, SimConfig};
use std::time::{Duration, Instant};
use usher_core::gate::GateProfile;
use usher_core::online::DEFAULT_TIMEOUT;
use usher_core::scanlog::Source;
use usher_core::settings::{self, ApiTarget, DeviceConfig};
use usher_core::{cache, Door, ScanInput, Store};
use usher_sync::online::OnlineClient;
use usher_sync::{ApiClient, Token};

const SCANS: usize = 300;

fn main() {
    let data = Dataset::generate(&DatasetSpec {
        tickets: 20_000,
        ..DatasetSpec::default()
    });
    let mut json = Vec::new();
    data.write_import_json(0, &mut json).unwrap();
    let ids: Vec<String> = (0..3)
        .flat_map(|a| data.ticket_ids_of_admission(0, a, TicketStatus::Active))
        .collect();
    let sim = spawn(SimConfig::new(data.clone())).unwrap();
    println!("online confirm overhead, {SCANS} scans per row, simulator on loopback");
    println!(
        "{:<22} {:>14} {:>14} {:>14}",
        "added latency", "verdict p50", "verdict p99", "overhead p50"
    );
    let mut offset = 0;
    for latency in [None, Some(0u64), Some(20), Some(50)] {
        let tmp = tempfile::tempdir().unwrap();
        let mut store = Store::open(tmp.path()).unwrap();
        let config = DeviceConfig {
            api: ApiTarget::Url(sim.base_url()),
            tenant_id: demo::TENANT_ID.into(),
            event_id: data.event(0).unwrap().id.clone(),
            gate: GateProfile::default(),
            offline: false,
        };
        settings::save(store.conn(), &config).unwrap();
        cache::import(
            store.conn_mut(),
            json.as_slice(),
            &config.tenant_id,
            &config.api.to_string(),
            Timestamp::now(),
        )
        .unwrap();
        let mut door = Door::open(store).unwrap();
        if latency.is_some() {
            let client = ApiClient::new(
                &sim.base_url(),
                demo::TENANT_ID,
                Some(Token::new(demo::SCAN_TOKEN).unwrap()),
            )
            .unwrap();
            door = door.with_online_confirm(
                Box::new(OnlineClient::new(client).unwrap()),
                DEFAULT_TIMEOUT,
            );
        }
        sim.set_faults(Faults {
            latency_ms: latency.unwrap_or(0),
            ..Faults::none()
        });
        let mut times = Vec::with_capacity(SCANS);
        for id in &ids[offset..offset + SCANS] {
            let t = Instant::now();
            let out = door
                .scan(
                    ScanInput {
                        payload: id.as_bytes(),
                        source: Source::Camera,
                        confirm: false,
                        direction: None,
                    },
                    Timestamp::now(),
                )
                .unwrap();
            times.push(t.elapsed());
            assert_eq!(out.confirmed_online, latency.is_some());
            door.tidy().unwrap();
        }
        offset += SCANS;
        times.sort();
        let q = |p: f64| times[((times.len() - 1) as f64 * p) as usize];
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        let label = match latency {
            None => "offline (cache only)".to_string(),
            Some(l) => format!("online, server +{l} ms"),
        };
        let overhead = latency.map(|l| ms(q(0.5)) - l as f64);
        println!(
            "{label:<22} {:>11.2} ms {:>11.2} ms {:>14}",
            ms(q(0.5)),
            ms(q(0.99)),
            overhead.map_or("-".into(), |o| format!("{o:.2} ms"))
        );
    }
}
