//! Joining a group by the first door's join code.

use super::support::*;
use std::time::Duration;
use usher_core::gate::Mode;
use usher_peers::exchange::DoorName;
use usher_peers::join::{self, Offer};
use usher_peers::{GroupKey, PeerError};
use usher_sync::token::Token;

fn me() -> DoorName {
    DoorName {
        device_id: "usher-new-door".into(),
        gate_name: "East Gate".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_door_joins_by_the_typed_code_and_gets_the_key_the_set_up_and_the_token() {
    let first = TestDoor::new("North Gate 2", Mode::Entry);
    let key = GroupKey::generate().unwrap();
    let node = first.node(&key, &[]).await;
    let offer = Offer {
        config: first.door.config().clone(),
        token: Some(Token::new("sst_test_token_for_the_join").unwrap()),
    };
    let code = node.open_invite(offer, Duration::from_secs(600)).unwrap();
    // Typed at the new door: lower case, a space instead of the dash.
    let typed = code.to_lowercase().replace('-', " ");
    let joined = join::join(
        &node.address().to_string(),
        &typed,
        &me(),
        Duration::from_secs(10),
    )
    .await
    .unwrap();
    assert_eq!(joined.key, key);
    assert_eq!(joined.offer.config, *first.door.config());
    assert_eq!(
        joined.offer.token.unwrap().expose(),
        "sst_test_token_for_the_join"
    );
    assert_eq!(joined.inviter.gate_name, "North Gate 2");

    // The code stays open for the next door (twenty doors, one code).
    let again = join::join(
        &node.address().to_string(),
        &code,
        &me(),
        Duration::from_secs(10),
    )
    .await;
    assert!(again.is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_code_is_refused_and_five_wrong_ones_close_the_invite() {
    let first = TestDoor::new("North Gate 2", Mode::Entry);
    let node = first.node(&GroupKey::generate().unwrap(), &[]).await;
    let offer = Offer {
        config: first.door.config().clone(),
        token: None,
    };
    let code = node.open_invite(offer, Duration::from_secs(600)).unwrap();
    let wrong = if code.starts_with('A') {
        "BBBBB-BBBBB"
    } else {
        "AAAAA-AAAAA"
    };
    let at = node.address().to_string();
    for _ in 0..5 {
        let e = join::join(&at, wrong, &me(), Duration::from_secs(10))
            .await
            .err()
            .unwrap();
        assert!(matches!(e, PeerError::JoinRefused), "{e:?}");
    }
    let e = join::join(&at, &code, &me(), Duration::from_secs(10))
        .await
        .err()
        .unwrap();
    assert!(
        matches!(e, PeerError::JoinRefused),
        "the right code after five wrong ones: {e:?}"
    );
    let e = join::join(&at, "not a code", &me(), Duration::from_secs(10))
        .await
        .err()
        .unwrap();
    assert!(matches!(e, PeerError::JoinRefused));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_an_open_invite_a_join_is_refused_and_no_key_crosses() {
    let first = TestDoor::new("North Gate 2", Mode::Entry);
    let node = first.node(&GroupKey::generate().unwrap(), &[]).await;
    let e = join::join(
        &node.address().to_string(),
        "ABCDE-FGHJK",
        &me(),
        Duration::from_secs(10),
    )
    .await
    .err()
    .unwrap();
    assert!(matches!(e, PeerError::JoinRefused), "{e:?}");
}
