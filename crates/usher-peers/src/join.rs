//! Joining a door group by a join code: the twentieth door is set up by one scan of the
//! first door's join QR code (or by typing its short code), not by typing a token twenty
//! times.
//!
//! The first door opens an *invite*: a random code of 10 characters (50 bits, Crockford's
//! base32, shown as `ABCDE-FGHJK`), valid for a few minutes. The code, stretched with Argon2id,
//! is the pre-shared key of a Noise handshake on the door's exchange port (purpose `Join`), so
//! the group key and the set-up cross the network encrypted, and only to a door that knew
//! the code. Five failed handshakes close the invite (an online guess has 5 tries in 2^50).
//! The new door receives the group key, the API, tenant, event and a gate profile to edit,
//! and, when the first door's operator allowed it, the token, which goes straight into the
//! new door's keychain.

use crate::channel::{self, Purpose};
use crate::exchange::DoorName;
use crate::group::GroupKey;
use crate::PeerError;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use usher_core::i18n::Said;
use usher_core::settings::DeviceConfig;
use usher_sync::token::Token;

/// Failed handshakes after which an invite closes.
const TRIES: u32 = 5;
/// How long a new door waits for the first door's answer to a join.
pub const JOIN_DEADLINE: Duration = Duration::from_secs(15);
/// The join QR code's text: `usher-join:1:<host:port>:<code>`.
const QR_PREFIX: &str = "usher-join:1:";

/// What a new door is handed.
#[derive(Clone)]
pub struct Offer {
    /// The first door's set-up: API, tenant, event and its gate profile (the new door gives
    /// its own gate name and may change the rest).
    pub config: DeviceConfig,
    /// The token, when the first door's operator chose to hand it on.
    pub token: Option<Token>,
}

/// The join answer on the wire. The token is in it only inside the encrypted channel; this
/// type never prints it.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Answer {
    door: DoorName,
    group_key: String,
    config: DeviceConfig,
    token: Option<String>,
}

impl std::fmt::Debug for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Answer(…)")
    }
}

/// What joining gave the new door.
pub struct Joined {
    /// The group's key (to keep in the keychain).
    pub key: GroupKey,
    /// The set-up handed on.
    pub offer: Offer,
    /// The first door.
    pub inviter: DoorName,
}

/// An open invite, held by the first door's node.
#[derive(Clone)]
pub struct Invite {
    psk: [u8; 32],
    offer: Offer,
    key: GroupKey,
    until: Instant,
    failed: Arc<AtomicU32>,
}

impl Invite {
    /// Opens an invite for `offer` into the group of `key`, valid for `valid`: the invite
    /// and the code to show.
    pub fn open(
        offer: Offer,
        key: GroupKey,
        valid: Duration,
    ) -> Result<(Invite, String), PeerError> {
        let mut bytes = [0u8; 7];
        getrandom::fill(&mut bytes).map_err(|e| PeerError::Random(e.to_string()))?;
        let text = crockford().encode(&bytes);
        let code = format!("{}-{}", &text[..5], &text[5..10]);
        let invite = Invite {
            psk: stretch(&code)?,
            offer,
            key,
            until: Instant::now() + valid,
            failed: Arc::new(AtomicU32::new(0)),
        };
        Ok((invite, code))
    }

    fn usable(&self) -> bool {
        Instant::now() < self.until && self.failed.load(Ordering::Relaxed) < TRIES
    }
}

/// Crockford's base32 alphabet, reading I and L as 1 and O as 0, any case.
fn crockford() -> data_encoding::Encoding {
    let mut spec = data_encoding::Specification::new();
    spec.symbols.push_str("0123456789ABCDEFGHJKMNPQRSTVWXYZ");
    spec.translate.from.push_str("abcdefghjkmnpqrstvwxyzIiLlOo");
    spec.translate.to.push_str("ABCDEFGHJKMNPQRSTVWXYZ111100");
    spec.encoding()
        .expect("Crockford's base32 is a valid specification")
}

/// The code as typed, read: dashes and spaces dropped, any case, I/L/O read as 1/1/0.
fn normalize(code: &str) -> Result<String, PeerError> {
    let kept: String = code.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
    let bytes = crockford()
        .decode(format!("{kept:0<16}").get(..16).unwrap_or("").as_bytes())
        .ok()
        .filter(|_| kept.len() == 10)
        .ok_or(PeerError::JoinRefused)?;
    let text = crockford().encode(&bytes);
    Ok(format!("{}-{}", &text[..5], &text[5..10]))
}

/// The code stretched into a key with Argon2id (the `argon2` crate), so a recorded first
/// message cannot be tried against every code fast.
fn stretch(code: &str) -> Result<[u8; 32], PeerError> {
    let params = argon2::Params::new(16 * 1024, 2, 1, Some(32))
        .map_err(|e| PeerError::Protocol(e.to_string()))?;
    let a = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut out = [0u8; 32];
    a.hash_password_into(code.as_bytes(), b"usher door group join code v1", &mut out)
        .map_err(|e| PeerError::Protocol(e.to_string()))?;
    Ok(out)
}

/// The join QR code's text for a door at `address` with `code`.
pub fn qr_text(address: &str, code: &str) -> String {
    format!("{QR_PREFIX}{address}:{code}")
}

/// The addresses a door listening on `listen` can be reached at, for the join QR code and
/// Setup: for a door listening on every interface, each non-loopback address of the
/// machine (IPv4 first; loopback when it has none); else `listen` itself.
pub fn reachable_at(listen: std::net::SocketAddr) -> Vec<String> {
    let port = listen.port();
    if !listen.ip().is_unspecified() {
        return vec![listen.to_string()];
    }
    // A link-local IPv6 address needs its interface named to be reached: left out.
    let usable = |ip: &std::net::IpAddr| match ip {
        std::net::IpAddr::V4(v4) => !v4.is_loopback(),
        std::net::IpAddr::V6(v6) => !v6.is_loopback() && (v6.segments()[0] & 0xffc0) != 0xfe80,
    };
    let mut ips: Vec<std::net::IpAddr> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .map(|i| i.ip())
        .filter(usable)
        .collect();
    ips.sort_by_key(|ip| (!ip.is_ipv4(), *ip));
    ips.dedup();
    if ips.is_empty() {
        ips.push(if listen.is_ipv4() {
            std::net::Ipv4Addr::LOCALHOST.into()
        } else {
            std::net::Ipv6Addr::LOCALHOST.into()
        });
    }
    ips.into_iter()
        .map(|ip| std::net::SocketAddr::new(ip, port).to_string())
        .collect()
}

/// The address and code of a join QR code's text, if it is one.
pub fn parse_qr_text(text: &str) -> Option<(String, String)> {
    let rest = text.trim().strip_prefix(QR_PREFIX)?;
    let (address, code) = rest.rsplit_once(':')?;
    Some((address.to_owned(), code.to_owned()))
}

/// Answers a join on an incoming connection (the node calls it for purpose `Join`).
pub(crate) async fn answer(
    invite: Option<Invite>,
    me: DoorName,
    stream: tokio::net::TcpStream,
    deadline: Duration,
) -> Result<(), PeerError> {
    let Some(invite) = invite.filter(Invite::usable) else {
        return Err(PeerError::JoinRefused);
    };
    let mut ch = match channel::respond(stream, &invite.psk, Purpose::Join, deadline).await {
        Err(PeerError::NotInGroup) => {
            let failed = invite.failed.fetch_add(1, Ordering::Relaxed) + 1;
            tracing::warn!(failed, "door group: a join with a wrong code was refused");
            return Err(PeerError::JoinRefused);
        }
        other => other?,
    };
    let door: DoorName = tokio::time::timeout(deadline, ch.recv())
        .await
        .map_err(|_| PeerError::Timeout)??;
    ch.send(&Answer {
        door: me,
        group_key: invite.key.expose_hex(),
        config: invite.offer.config.clone(),
        token: invite.offer.token.as_ref().map(|t| t.expose().to_owned()),
    })
    .await?;
    tracing::info!(device = %door.device_id, token = invite.offer.token.is_some(), "door group: a door joined");
    Ok(())
}

/// Joins the group of the door at `address` with its join `code`, as `me`.
pub async fn join(
    address: &str,
    code: &str,
    me: &DoorName,
    deadline: Duration,
) -> Result<Joined, PeerError> {
    let code = normalize(code)?;
    let psk = tokio::task::spawn_blocking(move || stretch(&code))
        .await
        .map_err(|e| PeerError::Protocol(e.to_string()))??;
    let mut ch = match channel::connect(address, &psk, Purpose::Join, deadline).await {
        Err(PeerError::NotInGroup) => return Err(PeerError::JoinRefused),
        other => other?,
    };
    ch.send(me).await?;
    let answer: Answer = tokio::time::timeout(deadline, ch.recv())
        .await
        .map_err(|_| PeerError::Timeout)??;
    let key = GroupKey::from_hex(&answer.group_key)
        .ok_or_else(|| PeerError::Protocol("a group key that does not read".into()))?;
    answer.config.validate()?;
    let token = answer.token.as_deref().map(Token::new).transpose()?;
    Ok(Joined {
        key,
        offer: Offer {
            config: answer.config,
            token,
        },
        inviter: answer.door,
    })
}

/// Where to join, from what staff typed or scanned: a join QR code's text, or a code with
/// the first door's address beside it. Refused, with what is wrong, before anything is
/// tried: a text that starts like a join QR code and is not one, a code that is not ten
/// letters and digits, a code with no address, an address that is not "host:port".
pub fn target(code_or_qr: &str, at: Option<&str>) -> Result<(String, String), PeerError> {
    let text = code_or_qr.trim();
    let (at, code) = if text.starts_with("usher-join:") {
        parse_qr_text(text).ok_or_else(|| {
            usher_core::Error::InvalidConfig(
                Said::new("config-join-qr")
                    .with("text", usher_core::code::preview(text.as_bytes(), 80)),
            )
        })?
    } else {
        let at = at.map(str::trim).filter(|a| !a.is_empty()).ok_or_else(|| {
            usher_core::Error::InvalidConfig(Said::new("config-join-needs-address"))
        })?;
        (at.to_owned(), text.to_owned())
    };
    usher_core::peers::check_peer_address(&at)?;
    let code = normalize(&code).map_err(|_| {
        usher_core::Error::InvalidConfig(
            Said::new("config-join-code")
                .with("code", usher_core::code::preview(code.as_bytes(), 40)),
        )
    })?;
    Ok((at, code))
}

/// What a door keeps of a join, in this order: the set-up (with its own gate name when
/// given), the group key in the keychain, the first door in its peer list, and the token in
/// the keychain when one was handed on. Returns the set-up kept and whether the token was.
pub fn keep(
    keychain: &dyn usher_sync::TokenStore,
    store: &usher_core::Store,
    joined: Joined,
    at: &str,
    gate: Option<String>,
) -> Result<(DeviceConfig, bool), PeerError> {
    let mut config = joined.offer.config;
    if let Some(gate) = gate.filter(|g| !g.trim().is_empty()) {
        config.gate.name = gate;
    }
    usher_core::settings::save(store.conn(), &config)?;
    crate::group::keep_group_key(keychain, store.data_dir(), &joined.key)?;
    let mut list = usher_core::peers::peer_list(store.conn())?;
    if !list.iter().any(|a| a == at) {
        list.push(at.to_owned());
    }
    usher_core::peers::set_peer_list(store.conn(), &list)?;
    let token_kept = match joined.offer.token {
        Some(t) => {
            keychain.set(&config.api.to_string(), &config.tenant_id, &t)?;
            true
        }
        None => false,
    };
    Ok((config, token_kept))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_read_whatever_its_case_dashes_and_look_alike_letters() {
        let (_, code) = Invite::open(
            Offer {
                config: DeviceConfig {
                    api: usher_core::settings::ApiTarget::Sandbox,
                    tenant_id: "tnt_00000000000000000000000001".into(),
                    event_id: "evt_00000000000000000000000001".into(),
                    gate: Default::default(),
                    offline: false,
                },
                token: None,
            },
            GroupKey::generate().unwrap(),
            Duration::from_secs(60),
        )
        .unwrap();
        assert_eq!(code.len(), 11);
        assert_eq!(normalize(&code).unwrap(), code);
        assert_eq!(
            normalize(&code.to_lowercase().replace('-', " ")).unwrap(),
            code
        );
        assert_eq!(normalize("ABCDE-FGHJK").unwrap(), "ABCDE-FGHJK");
        assert_eq!(normalize("abcde fghjk").unwrap(), "ABCDE-FGHJK");
        assert_eq!(normalize("OOOOO-IIIII").unwrap(), "00000-11111");
        for bad in ["", "ABCDE", "ABCDE-FGHJK-X", "ABCDE-FGHJU"] {
            assert!(normalize(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_join_target_is_a_qr_text_or_a_code_with_an_address() {
        let qr = qr_text("192.168.1.20:7300", "ABCDE-FGHJK");
        assert_eq!(
            target(&qr, None).unwrap(),
            ("192.168.1.20:7300".into(), "ABCDE-FGHJK".into())
        );
        assert_eq!(
            target(" abcde fghjk ", Some("north-gate.local:7300")).unwrap(),
            ("north-gate.local:7300".into(), "ABCDE-FGHJK".into())
        );
        let refused = |r: Result<(String, String), PeerError>| match r {
            Err(e @ PeerError::Core(usher_core::Error::InvalidConfig(_))) => e.to_string(),
            other => panic!("not refused as input: {:?}", other.map_err(|e| e.code())),
        };
        let not_qr = refused(target("usher-join:1:nonsense", None));
        assert!(not_qr.contains("not a join QR code"), "{not_qr}");
        for at in [None, Some("  ")] {
            let no_address = refused(target("ABCDE-FGHJK", at));
            assert!(no_address.contains("first door's address"), "{no_address}");
        }
        let bad_address = refused(target("ABCDE-FGHJK", Some("north-gate")));
        assert!(bad_address.contains("host:port"), "{bad_address}");
        for bad_code in [
            target("ABCDE", Some("10.0.0.1:7300")),
            target("usher-join:1:10.0.0.1:7300:ABC", None),
        ] {
            let said = refused(bad_code);
            assert!(said.contains("is not a join code"), "{said}");
        }
    }

    #[test]
    fn a_join_qr_code_reads_back_its_address_and_code() {
        let text = qr_text("192.168.1.20:7300", "ABCDE-FGHJK");
        assert_eq!(
            parse_qr_text(&text),
            Some(("192.168.1.20:7300".into(), "ABCDE-FGHJK".into()))
        );
        assert_eq!(parse_qr_text("tkt_00000000000000000000000001"), None);
    }
}
