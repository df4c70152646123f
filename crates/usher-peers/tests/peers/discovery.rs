//! Discovery by mDNS, bound to loopback: doors of one group find each other, doors of
//! another group are not pulled from.

use super::support::*;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use usher_core::gate::Mode;
use usher_peers::discover::{Discovery, Interfaces};
use usher_peers::GroupKey;

/// Whether multicast works on loopback here: a datagram to the mDNS group, sent out of
/// 127.0.0.1 with loop on, comes back to a socket that joined the group there.
fn loopback_multicast_works() -> bool {
    use std::net::{Ipv4Addr, UdpSocket};
    let group = Ipv4Addr::new(239, 255, 77, 77);
    let Ok(rx) = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)) else {
        return false;
    };
    if rx.join_multicast_v4(&group, &Ipv4Addr::LOCALHOST).is_err() {
        return false;
    }
    let port = rx.local_addr().unwrap().port();
    let _ = rx.set_read_timeout(Some(Duration::from_secs(2)));
    let Ok(tx) = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)) else {
        return false;
    };
    let _ = tx.set_multicast_loop_v4(true);
    if tx.send_to(b"usher", (group, port)).is_err() {
        return false;
    }
    let mut buf = [0u8; 8];
    rx.recv_from(&mut buf).is_ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mdns_on_loopback_finds_a_door_of_the_group_and_not_one_of_another_group() {
    if !loopback_multicast_works() {
        eprintln!("SKIPPED: this machine has no multicast route on loopback; mDNS discovery was not tested (the manual peer list is)");
        return;
    }
    let mut north = TestDoor::new("North Gate 2", Mode::Entry);
    let south = TestDoor::new("South Gate", Mode::Entry);
    let other = TestDoor::new("Other Venue", Mode::Entry);
    let key = GroupKey::generate().unwrap();
    let other_key = GroupKey::generate().unwrap();
    let n = north.node(&key, &[]).await;
    let s = Arc::new(south.node(&key, &[]).await);
    let o = other.node(&other_key, &[]).await;

    let found = Arc::new(Mutex::new(Vec::<String>::new()));
    let _n_disc = Discovery::start(
        &key.hint(),
        n.device_id(),
        n.address().port(),
        Interfaces::LoopbackOnly,
        |_| {},
    )
    .unwrap();
    let _o_disc = Discovery::start(
        &other_key.hint(),
        o.device_id(),
        o.address().port(),
        Interfaces::LoopbackOnly,
        |_| {},
    )
    .unwrap();
    let (seen, pull) = (found.clone(), s.clone());
    let handle = tokio::runtime::Handle::current();
    let _s_disc = Discovery::start(
        &key.hint(),
        s.device_id(),
        s.address().port(),
        Interfaces::LoopbackOnly,
        move |address| {
            seen.lock().unwrap().push(address.clone());
            let pull = pull.clone();
            handle.spawn(async move { pull.add_peer(&address) });
        },
    )
    .unwrap();

    let ticket = active_tickets()[7].clone();
    north.scan(&ticket);
    until("South found North by mDNS and heard of its scan", || {
        south.peer_scans() == 1
    })
    .await;
    let found = found.lock().unwrap().clone();
    assert!(found.contains(&n.address().to_string()), "{found:?}");
    assert!(
        !found.contains(&o.address().to_string()),
        "a door of another group was offered: {found:?}"
    );
    assert!(
        found.iter().all(|a| a.starts_with("127.")),
        "only loopback addresses: {found:?}"
    );
}
