//! Only doors holding the group's key exchange anything.

use super::support::*;
use std::io::{Read, Write};
use usher_core::gate::Mode;
use usher_peers::{GroupKey, LinkState};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_door_outside_the_group_is_refused_and_learns_nothing() {
    let mut inside = TestDoor::new("North Gate 2", Mode::Entry);
    let outsider = TestDoor::new("Rogue", Mode::Entry);
    for t in active_tickets().iter().take(5) {
        inside.scan(t);
    }
    let group = GroupKey::generate().unwrap();
    let node = inside.node(&group, &[]).await;
    let wrong = outsider
        .node(
            &GroupKey::generate().unwrap(),
            &[node.address().to_string()],
        )
        .await;
    until("the outsider's link is refused", || {
        wrong
            .links()
            .first()
            .is_some_and(|l| l.state == LinkState::NotInGroup)
    })
    .await;
    until("the group's door counted the refusal", || {
        node.refused() >= 1
    })
    .await;
    assert_eq!(outsider.peer_scans(), 0, "the outsider keeps nothing");
    assert!(
        wrong.links()[0].device_id.is_none(),
        "it did not even learn who answered"
    );
    assert_eq!(node.linked(), 0);

    // A raw connection that says it comes for the exchange and sends anything but a
    // handshake with the key gets not one byte back.
    let address = node.address();
    let got = tokio::task::spawn_blocking(move || {
        let mut raw = std::net::TcpStream::connect(address).unwrap();
        raw.write_all(b"X\x00\x30").unwrap();
        raw.write_all(&[7u8; 48]).unwrap();
        let mut back = Vec::new();
        let _ = raw.read_to_end(&mut back);
        back
    })
    .await
    .unwrap();
    assert!(got.is_empty(), "an outsider got {} bytes", got.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_the_key_is_rotated_a_door_with_the_old_key_drops_out() {
    let mut first = TestDoor::new("North Gate 2", Mode::Entry);
    let stays = TestDoor::new("South Gate", Mode::Entry);
    let leaves = TestDoor::new("West Gate", Mode::Entry);
    let old = GroupKey::generate().unwrap();
    let new = GroupKey::generate().unwrap();
    // The first door now holds only the new key; one door was given it, one was not.
    let node = first.node(&new, &[]).await;
    let at = [node.address().to_string()];
    let stays_node = stays.node(&new, &at).await;
    let leaves_node = leaves.node(&old, &at).await;
    let ticket = &active_tickets()[0];
    first.scan(ticket);
    until("the door with the new key has the scan", || {
        stays.peer_scans() == 1
    })
    .await;
    until("the door with the old key is refused", || {
        leaves_node
            .links()
            .first()
            .is_some_and(|l| l.state == LinkState::NotInGroup)
    })
    .await;
    assert_eq!(leaves.peer_scans(), 0);
    assert_eq!(stays_node.linked(), 1);
}
