//! Scans shared between doors: once each, used for decisions, never uploaded, through
//! partitions and connections cut mid-exchange.

use super::support::*;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use usher_core::gate::Mode;
use usher_core::outbox::{self, Target};
use usher_core::verdict::{ScanOrigin, VerdictKind};
use usher_peers::GroupKey;

/// Every peer scan a door keeps, as (origin scan id): no repeats possible by the schema, so
/// this also checks the count against what was sent.
fn peer_ids(door: &TestDoor) -> BTreeSet<String> {
    let me = door.door.device_id().to_owned();
    usher_core::peers::everything(door.door.store().conn())
        .unwrap()
        .into_iter()
        .filter(|s| s.device_id != me)
        .map(|s| s.scan_id)
        .collect()
}

fn own_ids(door: &TestDoor) -> BTreeSet<String> {
    let me = door.door.device_id().to_owned();
    usher_core::peers::everything(door.door.store().conn())
        .unwrap()
        .into_iter()
        .filter(|s| s.device_id == me)
        .map(|s| s.scan_id)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_admitted_at_one_door_is_already_in_at_another_naming_the_first() {
    let mut north = TestDoor::new("North Gate 2", Mode::Entry);
    let mut south = TestDoor::new("South Gate", Mode::Entry);
    let key = GroupKey::generate().unwrap();
    let n = north.node(&key, &[]).await;
    let s = south.node(&key, &[n.address().to_string()]).await;
    let _ = n; // North pulls from nobody: South's scans are not needed for this test.
    let ticket = active_tickets()[3].clone();
    assert_eq!(north.scan(&ticket).verdict, VerdictKind::Admit);
    until("South heard of North's scan", || south.peer_scans() == 1).await;
    let again = south.scan(&ticket);
    assert_eq!(again.verdict, VerdictKind::AlreadyCheckedIn);
    let previous = again.previous.as_ref().unwrap();
    assert_eq!(previous.origin, ScanOrigin::Peer);
    assert_eq!(previous.by.as_deref(), Some("North Gate 2"));
    assert!(
        again.look.previous.contains("at North Gate 2"),
        "{:?}",
        again.look.previous
    );
    assert_eq!(s.linked(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_scan_is_never_in_this_doors_upload_queue() {
    let mut north = TestDoor::new("North Gate 2", Mode::Entry);
    let mut south = TestDoor::new("South Gate", Mode::Entry);
    let key = GroupKey::generate().unwrap();
    let n = north.node(&key, &[]).await;
    let _s = south.node(&key, &[n.address().to_string()]).await;
    let tickets = active_tickets();
    for t in &tickets[..20] {
        north.scan(t);
    }
    south.scan(&tickets[30]);
    let shared = own_ids(&north).len() as i64;
    assert!(shared >= 15, "North admitted {shared} of 20");
    until("South heard of North's scans", || {
        south.peer_scans() == shared
    })
    .await;
    let config = south.door.config().clone();
    let api = config.api.to_string();
    let target = Target {
        tenant_id: &config.tenant_id,
        api: &api,
    };
    let waiting = outbox::waiting(south.door.store().conn(), target).unwrap();
    assert_eq!(waiting.count, 1, "only South's own scan waits to upload");
    let due = outbox::due_uploads(
        south.door.store().conn(),
        target,
        jiff::Timestamp::now(),
        1_000,
    )
    .unwrap();
    assert_eq!(due.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partition_heals_with_every_scan_delivered_once() {
    // A line of doors, A - B - C: A and C cannot reach each other and hear of each other
    // only through B. Then B goes away (the partition), scans go on at A and C, and B comes
    // back on the same folder.
    let mut a = TestDoor::new("Gate A", Mode::Entry);
    let b = TestDoor::new("Gate B", Mode::Entry);
    let mut c = TestDoor::new("Gate C", Mode::Entry);
    let key = GroupKey::generate().unwrap();
    let tickets = active_tickets();
    let b_node = b.node(&key, &[]).await;
    let b_at = b_node.address().to_string();
    let a_node = a.node(&key, std::slice::from_ref(&b_at)).await;
    let c_node = c.node(&key, std::slice::from_ref(&b_at)).await;
    // B pulls from A and C.
    b_node.add_peer(&a_node.address().to_string());
    b_node.add_peer(&c_node.address().to_string());
    for t in &tickets[0..10] {
        a.scan(t);
    }
    for t in &tickets[10..20] {
        c.scan(t);
    }
    let (from_a, from_c) = (own_ids(&a).len() as i64, own_ids(&c).len() as i64);
    until("C heard of A's scans through B", || {
        c.peer_scans() == from_a
    })
    .await;
    until("A heard of C's scans through B", || {
        a.peer_scans() == from_c
    })
    .await;

    drop(b_node);
    for t in &tickets[20..35] {
        a.scan(t);
    }
    for t in &tickets[35..50] {
        c.scan(t);
    }
    // B comes back on another port: A and C are told its new address (as discovery would).
    let b_node = b
        .node(
            &key,
            &[a_node.address().to_string(), c_node.address().to_string()],
        )
        .await;
    a_node.add_peer(&b_node.address().to_string());
    c_node.add_peer(&b_node.address().to_string());
    let (from_a, from_c) = (own_ids(&a).len() as i64, own_ids(&c).len() as i64);
    assert!(from_a > 20 && from_c > 20);
    until("every door has every other door's scans", || {
        a.peer_scans() == from_c && c.peer_scans() == from_a && b.peer_scans() == from_a + from_c
    })
    .await;
    assert_eq!(peer_ids(&a), own_ids(&c));
    assert_eq!(peer_ids(&c), own_ids(&a));
    let all: BTreeSet<_> = own_ids(&a).union(&own_ids(&c)).cloned().collect();
    assert_eq!(peer_ids(&b), all);
}

/// A loopback proxy that forwards to `to` and cuts its k-th connection after `(k + 1) *
/// step` bytes from the far side, for the first `cuts` connections; after that it forwards
/// whole. So the cuts fall at ever deeper points: in the handshake, mid-frame, between
/// frames of one batch, between batches.
async fn cutting_proxy(
    to: std::net::SocketAddr,
    step: usize,
    cuts: usize,
) -> (std::net::SocketAddr, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let at = listener.local_addr().unwrap();
    let done = Arc::new(AtomicUsize::new(0));
    let made = done.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut near, _)) = listener.accept().await else {
                return;
            };
            let Ok(mut far) = tokio::net::TcpStream::connect(to).await else {
                continue;
            };
            let k = made.fetch_add(1, Ordering::SeqCst);
            let cut = k < cuts;
            let cut_after = (k + 1) * step;
            tokio::spawn(async move {
                let (mut nr, mut nw) = near.split();
                let (mut fr, mut fw) = far.split();
                let up = tokio::io::copy(&mut nr, &mut fw);
                let down = async {
                    let mut sent = 0usize;
                    let mut buf = vec![0u8; 4096];
                    loop {
                        let n = fr.read(&mut buf).await?;
                        if n == 0 {
                            return Ok::<_, std::io::Error>(());
                        }
                        let n = if cut {
                            n.min(cut_after.saturating_sub(sent))
                        } else {
                            n
                        };
                        nw.write_all(&buf[..n]).await?;
                        sent += n;
                        if cut && sent >= cut_after {
                            return Ok(());
                        }
                    }
                };
                tokio::select! { _ = up => {}, _ = down => {} }
            });
        }
    });
    (at, done)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_cut_mid_exchange_loses_nothing_and_keeps_nothing_twice() {
    let mut north = TestDoor::new("North Gate 2", Mode::Entry);
    let south = TestDoor::new("South Gate", Mode::Entry);
    let key = GroupKey::generate().unwrap();
    let tickets = active_tickets();
    // Enough scans for two batches of several frames each, then cuts at many depths.
    for t in &tickets {
        north.scan(t);
    }
    let shared = own_ids(&north).len() as i64;
    assert!(
        shared > usher_core::peers::BATCH as i64,
        "{shared} scans fit in one batch"
    );
    let n = north.node(&key, &[]).await;
    let (proxy, connections) = cutting_proxy(n.address(), 23_000, 12).await;
    let _s = south.node(&key, &[proxy.to_string()]).await;
    until("South has all of North's scans", || {
        south.peer_scans() == shared
    })
    .await;
    // A batch is far longer than the first cuts: they fell inside it, and it took several
    // connections to get everything.
    let used = connections.load(Ordering::SeqCst);
    assert!(
        used >= 5,
        "only {used} connections: the cuts fell outside the exchange"
    );
    assert_eq!(peer_ids(&south), own_ids(&north));
}
