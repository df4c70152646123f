//! Starting the simulator in-process: from sync code (its own runtime) and from async code.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

use session_sim::{demo, spawn, Sim, SimConfig};

/// A plain HTTP/1.1 GET over std's TcpStream, so this test needs no async runtime at all.
fn raw_get(addr: SocketAddr, path: &str) -> std::io::Result<String> {
    let mut s = TcpStream::connect(addr)?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nx-tenant-id: {}\r\nauthorization: Bearer {}\r\nConnection: close\r\n\r\n",
        demo::TENANT_ID,
        demo::SCAN_TOKEN
    )?;
    let mut out = String::new();
    s.read_to_string(&mut out)?;
    Ok(out)
}

#[test]
fn spawn_from_sync_code_serves_until_dropped() {
    let sim = spawn(SimConfig::demo()).unwrap();
    let addr = sim.addr();
    assert_eq!(sim.base_url(), format!("http://{addr}"));
    let answer = raw_get(addr, "/users/me").unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains(demo::USER_ID));
    drop(sim);
    assert!(
        raw_get(addr, "/users/me").is_err(),
        "nothing listens after drop"
    );
}

#[test]
fn sync_stop_and_restart_keep_the_port_and_the_state() {
    let mut sim = spawn(SimConfig::demo()).unwrap();
    let addr = sim.addr();
    let ticket = sim
        .sim()
        .dataset()
        .ticket_ids(0, session_api::TicketStatus::Redeemed)[0]
        .clone();
    sim.stop();
    assert!(raw_get(addr, "/users/me").is_err());
    sim.restart().unwrap();
    assert_eq!(sim.addr(), addr);
    let answer = raw_get(addr, &format!("/tickets/{ticket}")).unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 200") && answer.contains("REDEEMED"),
        "{answer}"
    );
}

#[tokio::test]
async fn async_start_serves_until_shutdown() {
    let sim = Sim::new(SimConfig::demo());
    let handle = sim.start("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let url = format!("{}/events", handle.base_url());
    let client = reqwest::Client::new();
    let resp = client
        .get(&url)
        .header("x-tenant-id", demo::TENANT_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    handle.shutdown().await;
    let fresh = reqwest::Client::new();
    assert!(fresh
        .get(&url)
        .header("x-tenant-id", demo::TENANT_ID)
        .send()
        .await
        .is_err());
}
