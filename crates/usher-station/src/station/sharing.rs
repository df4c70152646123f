//! Doors that see each other, in the window: while a real door is open and its data folder
//! is in a door group, it shares its scans with the group's doors (`usher_peers::Sharing`);
//! the sync bar says how many doors are linked, Door health lists them, and Setup creates,
//! joins and leaves the group, shows the join code and keeps the manual peer list.
//!
//! **Architecture invariant:** the station only starts and stops sharing and words what it
//! says; what is exchanged and how a decision reads it are `usher-peers`' and the core's.

use super::{Active, DoorView, Station, SETUP_OPEN_FOR};
use crate::camera::lock;
use crate::StationError;
use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;
use usher_core::i18n::Said;
use usher_core::settings;
use usher_peers::exchange::DoorName;
use usher_peers::join::{self, Offer, JOIN_DEADLINE};
use usher_peers::{group, LinkState, PeerError, Sharing, SharingPlace};
use usher_sync::token::{Resolved, KEYCHAIN_DEADLINE};
use usher_sync::SyncError;

/// How often the station looks at the links, to tell the window when "N doors linked" changes.
const LINKS_LOOK: Duration = Duration::from_millis(500);

/// How long a join code shown in Setup stays open.
const INVITE_FOR: Duration = SETUP_OPEN_FOR;

/// How the open door's sharing stands.
pub(super) enum Linking {
    /// Not in a door group, or the demo.
    Off,
    /// Reading the group key and starting the node.
    Starting,
    /// Sharing.
    On(Sharing),
    /// In a group, but sharing could not start (why).
    Failed(Said),
}

/// One other door, as Door health lists it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PeerRow {
    /// Its gate name once it answered, else its address.
    pub name: String,
    /// Where it is pulled from.
    pub address: String,
    /// How the link stands.
    pub state: LinkState,
    /// When it last answered (UTC milliseconds).
    pub last_heard_ms: Option<i64>,
    /// How long its latest scan took to reach this door.
    pub lag_ms: Option<i64>,
    /// Scans received from it that this door had not heard of.
    pub received: u64,
    /// Why it is not linked, in words.
    pub error: Option<String>,
}

/// Door health's door group part.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DoorGroupHealth {
    /// `OFF` (not in a group), `STARTING`, `ON` or `FAILED`.
    pub state: &'static str,
    /// The other doors.
    pub peers: Vec<PeerRow>,
    /// How many of them exchange scans with this door now.
    pub linked: usize,
    /// Where this door listens for them.
    pub listening: Option<String>,
    /// Connections refused for want of the group's key.
    pub refused: u64,
    /// Why sharing is not running, in words.
    pub error: Option<String>,
}

/// Setup's door group part.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DoorGroupSetup {
    /// Whether this door is in a group.
    pub in_group: bool,
    /// What tells this group from another (never the key).
    pub hint: Option<String>,
    /// The manual peer list.
    pub peer_list: Vec<String>,
}

/// A join code open at this door, for Setup to show.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InviteView {
    /// The code to type ("ABCDE-FGHJK").
    pub code: String,
    /// The addresses a new door can reach this one at ("192.168.1.20:7300").
    pub addresses: Vec<String>,
    /// The join QR code's text (`usher-join:1:…`), for the first address.
    pub qr_text: String,
    /// The join QR code, an SVG document.
    pub qr_svg: String,
    /// Minutes the code stays open.
    pub minutes: u64,
    /// Whether the token is handed on with it.
    pub with_token: bool,
}

impl Station {
    /// Where the doors of a group listen and find each other (tests: loopback only).
    pub fn share_on(&self, place: SharingPlace) {
        *lock(&self.sharing_place) = place;
    }

    /// Starts sharing for `active` when its data folder is in a door group: on the station's
    /// runtime, so a slow keychain never holds the door's opening. The demo never shares.
    pub(super) fn start_sharing(&self, active: &Arc<Active>) {
        self.start_sharing_at(active, None);
    }

    /// As `start_sharing`, listening on `again` when given (a restart keeps the address the
    /// other doors know, even when the place's port was 0).
    fn start_sharing_at(&self, active: &Arc<Active>, again: Option<std::net::SocketAddr>) {
        if active.demo.is_some() {
            return;
        }
        *lock(&active.sharing) = Linking::Starting;
        let mut place = *lock(&self.sharing_place);
        if let Some(at) = again {
            place.listen = at;
        }
        let (me, door) = (self.me.clone(), Arc::downgrade(active));
        let (tokens, dir, key) = (self.tokens.clone(), active.dir.clone(), active.key.clone());
        let gate = active.config.gate.name.clone();
        self.rt.spawn(async move {
            let started = async {
                let key_dir = dir.clone();
                let group =
                    tokio::task::spawn_blocking(move || group::group_key(&*tokens, &key_dir))
                        .await
                        .map_err(|e| PeerError::Protocol(e.to_string()))??;
                let Some(group) = group else {
                    return Ok(None);
                };
                let store = usher_core::Store::open_with(&dir, key.as_ref())?;
                Sharing::start(store, group, &gate, place).await.map(Some)
            }
            .await;
            let (Some(station), Some(active)) = (me.upgrade(), door.upgrade()) else {
                return;
            };
            if !station.is_open(&active) {
                return;
            }
            *lock(&active.sharing) = match started {
                Ok(None) => Linking::Off,
                Ok(Some(sharing)) => {
                    tracing::info!(at = %sharing.node().address(), "door group: sharing");
                    Linking::On(sharing)
                }
                Err(e) => {
                    tracing::warn!(error = %e, "door group: sharing could not start");
                    Linking::Failed(e.said())
                }
            };
            station.emit_view();
            drop((station, active));
            // Tell the window when the number of linked doors changes.
            let mut shown = None;
            loop {
                tokio::time::sleep(LINKS_LOOK).await;
                let (Some(station), Some(active)) = (me.upgrade(), door.upgrade()) else {
                    return;
                };
                if !station.is_open(&active) {
                    return;
                }
                let now = linked_doors(&active);
                if now.is_none() {
                    return;
                }
                if shown != Some(now) {
                    if shown.is_some() {
                        station.emit_view();
                    }
                    shown = Some(now);
                }
            }
        });
    }

    /// Stops the open door's sharing and starts it again (the group or the list changed).
    fn restart_sharing(&self) {
        if let Ok(active) = self.active() {
            let was = std::mem::replace(&mut *lock(&active.sharing), Linking::Off);
            let again = match &was {
                Linking::On(on) => Some(on.node().address()),
                _ => None,
            };
            // The old node lets go of its port before the new one takes it.
            drop(was);
            self.start_sharing_at(&active, again);
        }
    }

    /// Door health's door group part.
    pub(super) fn door_group_health(&self, active: &Active) -> DoorGroupHealth {
        let words = self.words();
        let sharing = lock(&active.sharing);
        let (state, error) = match &*sharing {
            Linking::Off => ("OFF", None),
            Linking::Starting => ("STARTING", None),
            Linking::On(_) => ("ON", None),
            Linking::Failed(why) => ("FAILED", Some(words.say(why))),
        };
        let Linking::On(on) = &*sharing else {
            return DoorGroupHealth {
                state,
                peers: vec![],
                linked: 0,
                listening: None,
                refused: 0,
                error,
            };
        };
        let node = on.node();
        DoorGroupHealth {
            state,
            peers: node
                .links()
                .into_iter()
                .map(|l| PeerRow {
                    name: l.gate_name.clone().unwrap_or_else(|| l.address.clone()),
                    address: l.address,
                    state: l.state,
                    last_heard_ms: l.last_heard_ms,
                    lag_ms: l.lag_ms,
                    received: l.received,
                    error: l.error.map(|e| words.say(&e)),
                })
                .collect(),
            linked: node.linked(),
            listening: Some(node.address().to_string()),
            refused: node.refused(),
            error,
        }
    }

    /// Setup's door group part: whether this door is in one, its hint, the manual list.
    pub fn door_group(&self) -> Result<DoorGroupSetup, StationError> {
        self.require_setup_open()?;
        let key = group::group_key(&*self.tokens, &self.home)?;
        let (store, _) = usher_sync::token::open_store(self.tokens.clone(), &self.home)?;
        Ok(DoorGroupSetup {
            in_group: key.is_some(),
            hint: key.map(|k| k.hint()),
            peer_list: usher_core::peers::peer_list(store.conn())?,
        })
    }

    /// Setup's "Create a door group": a new key for this door; the open door starts sharing.
    pub fn create_door_group(&self) -> Result<DoorGroupSetup, StationError> {
        self.require_setup_open()?;
        group::create_group(&*self.tokens, &self.home)?;
        self.restart_sharing();
        self.door_group()
    }

    /// Setup's "Leave the door group": the key leaves the keychain; sharing stops.
    pub fn leave_door_group(&self) -> Result<DoorGroupSetup, StationError> {
        self.require_setup_open()?;
        group::leave_group(&*self.tokens, &self.home)?;
        self.restart_sharing();
        self.door_group()
    }

    /// Setup's manual peer list ("host:port" each), for networks that block mDNS. A bad
    /// address refuses the whole list and the old one stays.
    pub fn set_peer_list(&self, peers: &[String]) -> Result<DoorGroupSetup, StationError> {
        self.require_setup_open()?;
        let (store, _) = usher_sync::token::open_store(self.tokens.clone(), &self.home)?;
        usher_core::peers::set_peer_list(store.conn(), peers)?;
        self.restart_sharing();
        self.door_group()
    }

    /// Setup's "Invite a door": opens a join code on the open door's node, with the token
    /// when `with_token`, and returns what to show (the code, the addresses, the join QR).
    pub fn invite_door(&self, with_token: bool) -> Result<InviteView, StationError> {
        self.require_setup_open()?;
        let active = self.active()?;
        let token = if with_token {
            let config = &active.config;
            Some(
                usher_sync::token::resolve_within(
                    self.tokens.clone(),
                    &config.api.to_string(),
                    &config.tenant_id,
                    KEYCHAIN_DEADLINE,
                )
                .now()
                .map_err(SyncError::from)?,
            )
        } else {
            None
        };
        let offer = Offer {
            config: active.config.clone(),
            token,
        };
        let sharing = lock(&active.sharing);
        let Linking::On(on) = &*sharing else {
            return Err(StationError::NotSharing);
        };
        let node = on.node();
        let code = node.open_invite(offer, INVITE_FOR)?;
        let addresses = join::reachable_at(node.address());
        let qr_text = join::qr_text(&addresses[0], &code);
        Ok(InviteView {
            qr_svg: super::scanner::qr_svg(&qr_text),
            qr_text,
            code,
            addresses,
            minutes: INVITE_FOR.as_secs() / 60,
            with_token,
        })
    }

    /// Setup's "Join a door group": a join QR code's text (or a code with the first door's
    /// address), and this door's gate name. The new door keeps the group key, the set-up,
    /// the first door in its peer list and, when handed on, the token; with the token it
    /// downloads the guest list and opens, without it Setup goes on to the token check.
    pub fn join_door_group(
        &self,
        code_or_qr: &str,
        at: Option<&str>,
        gate: Option<&str>,
        pin: Option<&str>,
    ) -> Result<Option<DoorView>, StationError> {
        self.require_setup_open()?;
        let (at, code) = join::target(code_or_qr, at)?;
        // As set-up does: the guest list about to be downloaded is encrypted from the start.
        if let Err(e) = usher_sync::token::create_cache_key(&*self.tokens, &self.home) {
            tracing::warn!(error = %e, "no key for the guest list: it stays plain");
        }
        let (store, encryption) = usher_sync::token::open_store(self.tokens.clone(), &self.home)?;
        let pin = pin.filter(|p| !p.is_empty());
        if pin.is_none() && !usher_core::staff::has_pin(store.conn())? {
            return Err(
                usher_core::Error::InvalidConfig(Said::new("config-setup-needs-pin")).into(),
            );
        }
        let me = DoorName {
            device_id: settings::device_id(store.conn())?,
            gate_name: gate.unwrap_or_default().to_owned(),
        };
        let joined = self
            .rt
            .block_on(join::join(&at, &code, &me, JOIN_DEADLINE))?;
        tracing::info!(first = %joined.inviter.gate_name, "joined a door group");
        let (config, token_kept) =
            join::keep(&*self.tokens, &store, joined, &at, gate.map(str::to_owned))?;
        if let Some(pin) = pin {
            usher_core::staff::set_pin(store.conn(), pin)?;
        }
        if !token_kept {
            // The first door kept its token: Setup checks one for the set-up handed on.
            *lock(&self.setup) = Some((config.api.clone(), config.tenant_id.clone()));
            return Ok(None);
        }
        *lock(&self.setup_open_until) = None;
        let token = usher_sync::token::resolve_within(
            self.tokens.clone(),
            &config.api.to_string(),
            &config.tenant_id,
            KEYCHAIN_DEADLINE,
        )
        .now()
        .map_err(SyncError::from)?;
        self.download(&store, &config, &token)?;
        self.activate(store, encryption, config, Resolved::Now(Ok(token)), None)?;
        self.view().map(Some)
    }
}

/// How many other doors the open door exchanges scans with now; `None`: it does not share.
pub(super) fn linked_doors(active: &Active) -> Option<usize> {
    match &*lock(&active.sharing) {
        Linking::On(on) => Some(on.node().linked()),
        _ => None,
    }
}
