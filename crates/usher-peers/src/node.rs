//! One door's side of the exchange: a `Node` listens for the doors of its group, pulls from
//! every door it knows of (the manual list, and what discovery finds), keeps what it
//! receives through `usher_core::peers`, and says how each link stands.
//!
//! The node has its own connection to the door's database. It sees the door's new scans by
//! SQLite's `data_version` (asked every 25 ms, which costs next to nothing), so whichever
//! process or thread recorded a scan, the doors waiting on this one hear of it at once.

use crate::channel::{self, Purpose};
use crate::exchange::{Batch, DoorName, Pull, MAX_WAIT_MS};
use crate::group::GroupKey;
use crate::own_log::OwnLog;
use crate::{join, now_ms, PeerError};
use backon::BackoffBuilder;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use usher_core::i18n::Said;
use usher_core::peers;
use usher_core::peers::{Heard, SharedScan};
use usher_core::Store;

/// How often the node asks the database whether someone committed.
const CHANGE_POLL: Duration = Duration::from_millis(25);
/// How long a handshake may take.
const HANDSHAKE: Duration = Duration::from_secs(3);
/// How long an open connection may stay silent before it is closed.
const IDLE: Duration = Duration::from_secs(30);
/// How many linked doors pass on the scans of a door this one cannot hear itself. One would
/// do while nothing else fails; two keep a door's scans flowing when one of them is cut too,
/// without every linked door sending the same scans (19 copies of each at a 20-door venue).
const RELAYS: usize = 2;

/// How a node is set up.
#[derive(Debug, Clone)]
pub struct NodeConfig {
    /// Where to listen: the venue network's interface (`0.0.0.0:7300`), or loopback in tests.
    pub listen: SocketAddr,
    /// The group's key.
    pub key: GroupKey,
    /// This door's gate name, as its peers show it.
    pub gate_name: String,
    /// Doors to pull from from the start (the manual list).
    pub peers: Vec<String>,
    /// How long a pull waits for something new before it is answered empty.
    pub wait: Duration,
}

impl NodeConfig {
    /// A node on `listen` with the default long poll (2 s).
    pub fn new(listen: SocketAddr, key: GroupKey, gate_name: &str) -> NodeConfig {
        NodeConfig {
            listen,
            key,
            gate_name: gate_name.to_owned(),
            peers: vec![],
            wait: Duration::from_secs(2),
        }
    }
}

/// How a link to another door stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LinkState {
    /// Not connected yet.
    Connecting,
    /// Exchanging scans.
    Linked,
    /// No connection (`error` says why); tried again with backoff.
    Unreachable,
    /// The door there is not of this group: it refused our key.
    NotInGroup,
    /// The address is this door's own.
    Myself,
}

/// One link, as Door health and `usher peers` show it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PeerLink {
    /// The address pulled from.
    pub address: String,
    /// The door there, once it answered.
    pub device_id: Option<String>,
    /// Its gate name, once it answered.
    pub gate_name: Option<String>,
    /// How the link stands.
    pub state: LinkState,
    /// When that door last answered (UTC milliseconds).
    pub last_heard_ms: Option<i64>,
    /// How long its latest scan took to reach this door (its door time to our receipt).
    pub lag_ms: Option<i64>,
    /// Scans this door received over this link that it had not heard of.
    pub received: u64,
    /// Why it is not linked.
    pub error: Option<Said>,
}

impl PeerLink {
    fn new(address: &str) -> PeerLink {
        PeerLink {
            address: address.to_owned(),
            device_id: None,
            gate_name: None,
            state: LinkState::Connecting,
            last_heard_ms: None,
            lag_ms: None,
            received: 0,
            error: None,
        }
    }
}

struct Shared {
    /// Reads: what to send, the change mark. Never waits for a writer (WAL).
    reader: Mutex<Store>,
    /// Writes: what other doors sent. It may wait for the door's own commits, and only
    /// received batches wait behind it.
    writer: Mutex<Store>,
    me: DoorName,
    key: GroupKey,
    wait: Duration,
    links: Mutex<BTreeMap<String, PeerLink>>,
    /// Bumped whenever the database changed: the door recorded or settled a scan, or this
    /// node kept scans from another door. Pulls waiting for news wake on it.
    changed: watch::Sender<u64>,
    /// How far this door's database has got, per door (its own included): what the pulls
    /// waiting here are checked against in memory, so news for one asker does not make every
    /// other asker's wait read the database.
    known: Mutex<Heard>,
    /// This door's own recent changes, read once each: what waiting pulls are answered from.
    own: Mutex<OwnLog>,
    /// Bumped when a link that was working stops: pulls out elsewhere start again at once
    /// with the smaller set of direct doors, so the other doors pass that door's scans on.
    lost_link: watch::Sender<u64>,
    refused: AtomicU64,
    invite: Mutex<Option<join::Invite>>,
}

impl Shared {
    /// Runs `f` on the node's reading connection, on a blocking thread.
    async fn db<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut Store) -> usher_core::Result<T> + Send + 'static,
    ) -> Result<T, PeerError> {
        self.on(false, f).await
    }

    /// Runs `f` on the node's writing connection, on a blocking thread.
    async fn db_write<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut Store) -> usher_core::Result<T> + Send + 'static,
    ) -> Result<T, PeerError> {
        self.on(true, f).await
    }

    async fn on<T: Send + 'static>(
        self: &Arc<Self>,
        write: bool,
        f: impl FnOnce(&mut Store) -> usher_core::Result<T> + Send + 'static,
    ) -> Result<T, PeerError> {
        let me = self.clone();
        tokio::task::spawn_blocking(move || {
            let store = if write { &me.writer } else { &me.reader };
            let mut store = store.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut store)
        })
        .await
        .map_err(|e| PeerError::Protocol(format!("database task: {e}")))?
        .map_err(PeerError::Core)
    }

    fn bump(&self) {
        self.changed.send_modify(|v| *v = v.wrapping_add(1));
    }

    fn link(&self, address: &str, f: impl FnOnce(&mut PeerLink)) {
        let mut links = self.links.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(l) = links.get_mut(address) {
            let was = l.state;
            f(l);
            if was == LinkState::Linked && l.state != LinkState::Linked {
                self.lost_link.send_modify(|v| *v = v.wrapping_add(1));
            }
        }
    }

    /// Raises what is known of each door to what `scans` carry.
    fn learn(&self, scans: impl IntoIterator<Item = (String, i64)>) {
        let mut known = self.known.lock().unwrap_or_else(|p| p.into_inner());
        for (device, version) in scans {
            let v = known.entry(device).or_default();
            *v = (*v).max(version);
        }
    }

    /// Whether this door holds anything `pull`'s asker has not heard and may be sent.
    fn has_news_for(&self, pull: &Pull) -> bool {
        self.news_for(pull, true)
    }

    /// Whether this door holds scans of other doors that `pull`'s asker is to hear from it.
    fn relay_news_for(&self, pull: &Pull) -> bool {
        self.news_for(pull, false)
    }

    fn news_for(&self, pull: &Pull, own: bool) -> bool {
        let known = self.known.lock().unwrap_or_else(|p| p.into_inner());
        known.iter().any(|(device, &version)| {
            device != &pull.door.device_id
                && if device == &self.me.device_id {
                    own
                } else {
                    !pull.direct.contains(device)
                }
                && version > pull.heard.get(device).copied().unwrap_or(0)
        })
    }

    /// The doors whose scans the door `answerer` need not send (the pull's `direct`): those
    /// this door hears from itself, and those it cannot hear that other linked doors pass on.
    /// Each door this one cannot hear is passed on by the [`RELAYS`] linked doors that rank
    /// highest for it (rendezvous hashing, so losing one link moves only that link's share).
    /// An answerer not known yet passes on everything this door cannot hear.
    fn not_from(&self, answerer: Option<&str>) -> BTreeSet<String> {
        let direct = self.direct();
        let Some(answerer) = answerer else {
            return direct;
        };
        let mut doors: BTreeSet<String> = self
            .known
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .keys()
            .cloned()
            .collect();
        doors.extend(
            self.links
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .values()
                .filter_map(|l| l.device_id.clone()),
        );
        doors.remove(&self.me.device_id);
        left_out(&doors, &direct, answerer)
    }

    /// The doors this door hears from itself right now (a link that fails is marked so at
    /// once, and one that stalls within a wait and a handshake).
    fn direct(&self) -> BTreeSet<String> {
        self.links
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .values()
            .filter(|l| l.state == LinkState::Linked)
            .filter_map(|l| l.device_id.clone())
            .collect()
    }
}

/// Of `doors` (every other door known), those `answerer` need not send: the `direct` ones,
/// and those out of reach that it is not among the [`RELAYS`] top-ranked direct doors for.
fn left_out(
    doors: &BTreeSet<String>,
    direct: &BTreeSet<String>,
    answerer: &str,
) -> BTreeSet<String> {
    let mut out = direct.clone();
    for door in doors.difference(direct).filter(|d| d.as_str() != answerer) {
        let mut ranked: Vec<&String> = direct.iter().filter(|r| *r != door).collect();
        ranked.sort_by_key(|r| std::cmp::Reverse(rank(door, r)));
        if !ranked.iter().take(RELAYS).any(|r| r.as_str() == answerer) {
            out.insert(door.clone());
        }
    }
    out
}

/// How high `relay` ranks to pass on `door`'s scans (the same on every run and every door).
fn rank(door: &str, relay: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    // Only spreads doors over relays: nothing secret rides on it, and doors need not agree.
    let mut h = std::hash::DefaultHasher::new();
    (door, relay).hash(&mut h);
    h.finish()
}

/// A door's node: the listener, one puller per known door, and the change watch. Dropping it
/// stops them all.
pub struct Node {
    shared: Arc<Shared>,
    address: SocketAddr,
    tasks: Mutex<Vec<JoinHandle<()>>>,
}

impl Node {
    /// Starts a node over `store` (a connection of its own to the door's database) on the
    /// current Tokio runtime.
    pub async fn start(store: Store, config: NodeConfig) -> Result<Node, PeerError> {
        // What the node keeps is fetched again if a crash takes it back (how far this door
        // has heard is read from the same rows), so its commits need not wait for the disk:
        // the bulk writer's `synchronous=NORMAL`, never a torn or half-kept batch.
        let store = store.open_bulk_writer()?;
        let device_id = usher_core::settings::device_id(store.conn())?;
        let mut known = peers::heard(store.conn())?;
        let own_version = peers::own_version(store.conn())?;
        known.insert(device_id.clone(), own_version);
        let listener = bind(config.listen)?;
        let address = listener.local_addr().map_err(PeerError::io)?;
        let (changed, _) = watch::channel(0u64);
        let shared = Arc::new(Shared {
            reader: Mutex::new(store.reopen()?),
            writer: Mutex::new(store),
            me: DoorName {
                device_id,
                gate_name: config.gate_name.clone(),
            },
            key: config.key.clone(),
            wait: config.wait.min(Duration::from_millis(MAX_WAIT_MS)),
            links: Mutex::new(BTreeMap::new()),
            changed,
            known: Mutex::new(known),
            own: Mutex::new(OwnLog::starting_at(own_version)),
            lost_link: watch::channel(0u64).0,
            refused: AtomicU64::new(0),
            invite: Mutex::new(None),
        });
        let node = Node {
            tasks: Mutex::new(vec![
                tokio::spawn(listen(shared.clone(), listener)),
                tokio::spawn(watch_changes(shared.clone())),
            ]),
            shared,
            address,
        };
        for peer in &config.peers {
            node.add_peer(peer);
        }
        tracing::info!(%address, peers = config.peers.len(), "door exchange listening");
        Ok(node)
    }

    /// Where the node listens.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// This door's device id.
    pub fn device_id(&self) -> &str {
        &self.shared.me.device_id
    }

    /// Starts pulling from the door at `address` ("host:port"), unless already.
    pub fn add_peer(&self, address: &str) {
        {
            let mut links = self.shared.links.lock().unwrap_or_else(|p| p.into_inner());
            if links.contains_key(address) {
                return;
            }
            links.insert(address.to_owned(), PeerLink::new(address));
        }
        let task = tokio::spawn(pull_from(self.shared.clone(), address.to_owned()));
        self.tasks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(task);
    }

    /// Every link, by address.
    pub fn links(&self) -> Vec<PeerLink> {
        let links = self.shared.links.lock().unwrap_or_else(|p| p.into_inner());
        links
            .values()
            .filter(|l| l.state != LinkState::Myself)
            .cloned()
            .collect()
    }

    /// How many other doors this door exchanges scans with now ("3 doors linked").
    pub fn linked(&self) -> usize {
        self.shared.direct().len()
    }

    /// Handshakes this node refused: doors (or anything) without the group's key.
    pub fn refused(&self) -> u64 {
        self.shared.refused.load(Ordering::Relaxed)
    }

    /// Opens a join code for `offer`: a door that gives the code within `valid` (and before
    /// five wrong tries) is handed the group key and the set-up. Returns the code to show.
    pub fn open_invite(&self, offer: join::Offer, valid: Duration) -> Result<String, PeerError> {
        let (invite, code) = join::Invite::open(offer, self.shared.key.clone(), valid)?;
        *self.shared.invite.lock().unwrap_or_else(|p| p.into_inner()) = Some(invite);
        Ok(code)
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        for t in self
            .tasks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .drain(..)
        {
            t.abort();
        }
    }
}

/// A listener that can take its port again right after a restart (`SO_REUSEADDR`), while
/// connections of the last run linger in TIME_WAIT.
fn bind(at: SocketAddr) -> Result<TcpListener, PeerError> {
    let socket = if at.is_ipv4() {
        tokio::net::TcpSocket::new_v4()
    } else {
        tokio::net::TcpSocket::new_v6()
    }
    .map_err(PeerError::io)?;
    socket.set_reuseaddr(true).map_err(PeerError::io)?;
    socket.bind(at).map_err(PeerError::io)?;
    socket.listen(128).map_err(PeerError::io)
}

async fn watch_changes(shared: Arc<Shared>) {
    let mut last = None;
    loop {
        match shared.db(|s| peers::change_mark(s.conn())).await {
            Ok(mark) if Some(mark) != last => {
                if last.is_some() {
                    match read_own_changes(&shared).await {
                        Ok(true) => shared.bump(),
                        // Another commit (an upload that settled nothing the other doors
                        // decide by; this node's own writes wake the pulls themselves).
                        Ok(false) => {}
                        Err(e) => {
                            tracing::warn!(error = %e, "door exchange: cannot read the database");
                            // Read again at the next poll.
                            tokio::time::sleep(CHANGE_POLL).await;
                            continue;
                        }
                    }
                }
                last = Some(mark);
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "door exchange: cannot read the database"),
        }
        tokio::time::sleep(CHANGE_POLL).await;
    }
}

/// Reads this door's changes after what the own log holds into it, and raises what is known
/// of this door to them. Says whether there were any.
async fn read_own_changes(shared: &Arc<Shared>) -> Result<bool, PeerError> {
    let before = shared.own.lock().unwrap_or_else(|p| p.into_inner()).top();
    loop {
        let top = shared.own.lock().unwrap_or_else(|p| p.into_inner()).top();
        let me = shared.me.device_id.clone();
        let changes = shared
            .db(move |s| peers::own_changes(s.conn(), &me, top, peers::BATCH))
            .await?;
        let full = changes.len() == peers::BATCH;
        let top = {
            let mut own = shared.own.lock().unwrap_or_else(|p| p.into_inner());
            own.add(changes);
            own.top()
        };
        shared.learn([(shared.me.device_id.clone(), top)]);
        if !full {
            return Ok(top > before);
        }
    }
}

/// What `pull`'s asker has not heard, at most one more than a batch: this door's own changes
/// from the own log (the database only for a door further behind), then, only when this door
/// holds any, the scans of doors the asker is to hear from this one.
async fn changes_for(shared: &Arc<Shared>, pull: &Arc<Pull>) -> Result<Vec<SharedScan>, PeerError> {
    let limit = peers::BATCH + 1;
    let me = &shared.me.device_id;
    let mut scans = if &pull.door.device_id == me {
        vec![]
    } else {
        let after = pull.heard.get(me).copied().unwrap_or(0);
        let logged = shared
            .own
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .after(after, limit);
        match logged {
            Some(scans) => scans,
            None => {
                let me = me.clone();
                shared
                    .db(move |s| peers::own_changes(s.conn(), &me, after, limit))
                    .await?
            }
        }
    };
    if scans.len() < limit && shared.relay_news_for(pull) {
        let room = limit - scans.len();
        let p = pull.clone();
        scans.extend(
            shared
                .db(move |s| {
                    let ask = peers::Asking {
                        asker: &p.door.device_id,
                        heard: &p.heard,
                        direct: &p.direct,
                    };
                    peers::passed_on(s.conn(), &ask, room)
                })
                .await?,
        );
    }
    Ok(scans)
}

async fn listen(shared: Arc<Shared>, listener: TcpListener) {
    // The connections being answered end with the listener: a door that left the group (its
    // node dropped) stops answering the doors already connected to it.
    let mut answering = tokio::task::JoinSet::new();
    loop {
        while answering.try_join_next().is_some() {}
        let (stream, from) = match listener.accept().await {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(error = %e, "door exchange: accept failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let shared = shared.clone();
        answering.spawn(async move {
            if let Err(e) = answer(shared, stream).await {
                tracing::debug!(%from, error = %e, "door exchange: connection ended");
            }
        });
    }
}

async fn answer(shared: Arc<Shared>, mut stream: tokio::net::TcpStream) -> Result<(), PeerError> {
    let purpose = tokio::time::timeout(HANDSHAKE, channel::purpose(&mut stream))
        .await
        .map_err(|_| PeerError::Timeout)??;
    if purpose == Purpose::Join {
        let invite = shared
            .invite
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        return join::answer(invite, shared.me.clone(), stream, HANDSHAKE).await;
    }
    let mut ch =
        match channel::respond(stream, shared.key.bytes(), Purpose::Exchange, HANDSHAKE).await {
            Err(PeerError::NotInGroup) => {
                shared.refused.fetch_add(1, Ordering::Relaxed);
                tracing::warn!("door exchange: refused a door without this group's key");
                return Err(PeerError::NotInGroup);
            }
            other => other?,
        };
    let mut news = shared.changed.subscribe();
    loop {
        let pull: Pull = tokio::time::timeout(IDLE, ch.recv())
            .await
            .map_err(|_| PeerError::Timeout)??;
        let deadline =
            tokio::time::Instant::now() + Duration::from_millis(pull.wait_ms.min(MAX_WAIT_MS));
        let pull = Arc::new(pull);
        let mut first = true;
        loop {
            news.borrow_and_update();
            let scans = if first || shared.has_news_for(&pull) {
                changes_for(&shared, &pull).await?
            } else {
                vec![]
            };
            first = false;
            if !scans.is_empty() || tokio::time::Instant::now() >= deadline {
                let mut scans = scans;
                let more = scans.len() > peers::BATCH;
                scans.truncate(peers::BATCH);
                ch.send(&Batch {
                    door: shared.me.clone(),
                    scans,
                    more,
                })
                .await?;
                break;
            }
            tokio::select! {
                _ = news.changed() => {}
                _ = tokio::time::sleep_until(deadline) => {}
            }
        }
    }
}

async fn pull_from(shared: Arc<Shared>, address: String) {
    let mut delays = backoff();
    // The link stays as it was (connecting at first, linked, or why not) until this try
    // tells otherwise: an immediate new pull after another link stopped is not a loss.
    loop {
        let outcome = match channel::connect(
            &address,
            shared.key.bytes(),
            Purpose::Exchange,
            HANDSHAKE,
        )
        .await
        {
            Ok(ch) => {
                delays = backoff();
                exchange(&shared, &address, ch).await
            }
            Err(e) => Err(e),
        };
        match outcome {
            Ok(Stop::Myself) => {
                shared.link(&address, |l| l.state = LinkState::Myself);
                return;
            }
            // Another link stopped: ask again at once, with the new set of direct doors.
            Ok(Stop::Again) => continue,
            Err(e) => {
                let state = match e {
                    PeerError::NotInGroup => LinkState::NotInGroup,
                    _ => LinkState::Unreachable,
                };
                tracing::debug!(%address, error = %e, "door exchange: link down");
                shared.link(&address, |l| {
                    l.state = state;
                    l.error = Some(e.said());
                });
            }
        }
        tokio::time::sleep(delays.next().unwrap_or(Duration::from_secs(5))).await;
    }
}

/// Reconnecting: from a quarter of a second, growing to 5 s, with jitter, for ever.
fn backoff() -> impl Iterator<Item = Duration> {
    backon::ExponentialBuilder::default()
        .with_min_delay(Duration::from_millis(250))
        .with_max_delay(Duration::from_secs(5))
        .with_jitter()
        .without_max_times()
        .build()
}

enum Stop {
    /// The address is this door's own.
    Myself,
    /// Another link stopped while a pull was out.
    Again,
}

async fn exchange(
    shared: &Arc<Shared>,
    address: &str,
    mut ch: channel::Channel,
) -> Result<Stop, PeerError> {
    let mut wait = 0;
    let mut lost = shared.lost_link.subscribe();
    loop {
        lost.borrow_and_update();
        // Who answers there, as far as this door knows (kept across reconnections).
        let answerer = shared
            .links
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(address)
            .and_then(|l| l.device_id.clone());
        // What this door has kept, as `known` says (raised only after each commit).
        let heard = shared
            .known
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let pull = Pull {
            door: shared.me.clone(),
            heard,
            direct: shared.not_from(answerer.as_deref()),
            wait_ms: wait,
        };
        ch.send(&pull).await?;
        let answer = tokio::time::timeout(shared.wait + HANDSHAKE, ch.recv());
        tokio::pin!(answer);
        let batch: Batch = loop {
            tokio::select! {
                batch = &mut answer => break batch.map_err(|_| PeerError::Timeout)??,
                // A link stopped: if this answerer is now to pass on a door the pull left
                // out, its answer would lack that door's scans, so ask again.
                _ = lost.changed(), if !pull.direct.is_empty() => {
                    let now = shared.not_from(answerer.as_deref());
                    if !pull.direct.is_subset(&now) {
                        return Ok(Stop::Again);
                    }
                }
            }
        };
        if batch.door.device_id == shared.me.device_id {
            return Ok(Stop::Myself);
        }
        let received = now_ms();
        let newest = batch.scans.iter().map(|s| s.door_ms).max();
        let scans = batch.scans;
        let versions: Vec<(String, i64)> = scans
            .iter()
            .map(|s| (s.device_id.clone(), s.version))
            .collect();
        let kept = if scans.is_empty() {
            Default::default()
        } else {
            shared
                .db_write(move |s| peers::receive(s.conn_mut(), &scans, received))
                .await?
        };
        shared.learn(
            versions
                .into_iter()
                .filter(|(d, _)| d != &shared.me.device_id),
        );
        if kept.new + kept.updated > 0 {
            shared.bump();
        }
        shared.link(address, |l| {
            l.device_id = Some(batch.door.device_id.clone());
            l.gate_name = Some(batch.door.gate_name.clone());
            l.state = LinkState::Linked;
            l.error = None;
            l.last_heard_ms = Some(received);
            l.received += kept.new as u64;
            if kept.new > 0 {
                l.lag_ms = newest.map(|n| (received - n).max(0));
            }
        });
        wait = if batch.more {
            0
        } else {
            shared.wait.as_millis() as u64
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(doors: &[&str]) -> BTreeSet<String> {
        doors.iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn a_door_out_of_reach_is_passed_on_by_two_linked_doors_not_by_all() {
        let doors = set(&["a", "b", "c", "d", "e", "f", "x"]);
        let direct = set(&["a", "b", "c", "d", "e", "f"]);
        let relaying: Vec<&String> = direct
            .iter()
            .filter(|answerer| !left_out(&doors, &direct, answerer).contains("x"))
            .collect();
        assert_eq!(relaying.len(), RELAYS, "{relaying:?}");
        for answerer in &direct {
            assert!(direct.is_subset(&left_out(&doors, &direct, answerer)));
        }
    }

    #[test]
    fn losing_a_relay_moves_only_its_share_to_another_linked_door() {
        let doors = set(&["a", "b", "c", "d", "e", "x"]);
        let direct = set(&["a", "b", "c", "d", "e"]);
        let relays = |direct: &BTreeSet<String>| -> BTreeSet<String> {
            direct
                .iter()
                .filter(|r| !left_out(&doors, direct, r).contains("x"))
                .cloned()
                .collect()
        };
        let before = relays(&direct);
        let gone = before.iter().next().unwrap().clone();
        let mut fewer = direct.clone();
        fewer.remove(&gone);
        let after = relays(&fewer);
        assert_eq!(after.len(), RELAYS);
        assert!(before
            .iter()
            .filter(|r| **r != gone)
            .all(|r| after.contains(r)));
    }

    #[test]
    fn with_one_linked_door_it_passes_on_every_door_out_of_reach() {
        let doors = set(&["a", "x", "y"]);
        let direct = set(&["a"]);
        assert_eq!(left_out(&doors, &direct, "a"), set(&["a"]));
    }
}
