//! [`Station`]: one open door with its sync loop, camera loop and (demo) simulator.

use crate::camera::{lock, CameraLoop, CameraShared, CameraView};
use crate::demo::Demo;
use crate::health::{Health, Timings};
use crate::warm::Warmed;
use crate::StationError;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock, Weak};
use std::time::{Duration, Instant};
use tokio::sync::Notify;
use usher_core::debounce::{SameScan, DEFAULT_WINDOW};
use usher_core::gate::{GateProfile, Mode};
use usher_core::look::Words;
use usher_core::lookup::{LookupHit, SearchIndex};
use usher_core::scanlog::{ScanOutcome, Source};
use usher_core::settings::{self, ApiTarget, DeviceConfig};
use usher_core::staff::{self, StaffLock};
use usher_core::status::{self, DoorStatus};
use usher_core::verdict::VerdictKind;
use usher_core::{activity, cache, Door, ScanInput, Store};
use usher_sync::download::{self, Progress};
use usher_sync::login::LoginReport;
use usher_sync::token::{CacheKey, Encryption, Resolved, TokenError, KEYCHAIN_DEADLINE};
use usher_sync::watch::{SyncEvent, WatchConfig};
use usher_sync::{ApiClient, SyncError, Token, TokenStore};

/// Page cache per connection, in KiB: the door reads a ticket by its index, the screens
/// scan the tickets table (counters, the search index), the sync loop writes pages. SQLite's
/// default for this app (64 MB, for imports) would hold the whole cache file in each.
const DOOR_CACHE_KIB: u32 = 2_048;
const READER_CACHE_KIB: u32 = 4_096;
const SYNC_CACHE_KIB: u32 = 16_384;
/// The refresh at start waits this long, so a full re-pull of a big guest list does not
/// compete with the window's first paint for a small machine's cores; the door already
/// decides from the guest list on disk, and uploads start at once.
const FIRST_REFRESH_AFTER: Duration = Duration::from_secs(3);

/// How often the station checks that Session Services answers, for the online badge.
const HEARTBEAT: Duration = Duration::from_secs(3);
const HEARTBEAT_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a search waits for the index being built on the side before building its own.
const INDEX_PATIENCE: Duration = Duration::from_secs(30);
/// How often a locked or failing keychain is asked again for the token.
const KEYCHAIN_RETRY: Duration = Duration::from_secs(15);

/// What a sync round says about the link: `Some(true)` when the server answered,
/// `Some(false)` when it could not be reached, `None` when the round did not ask it.
fn server_answered(event: &SyncEvent) -> Option<bool> {
    match event {
        SyncEvent::Downloaded(_) | SyncEvent::Refunded(_) => Some(true),
        SyncEvent::Uploaded(r) if r.answered() => Some(true),
        SyncEvent::Uploaded(r) if r.paused.is_some() => Some(true),
        SyncEvent::Uploaded(_) => Some(false),
        SyncEvent::Failed { .. } => Some(false),
    }
}

/// What a heartbeat's answer (`None`: none in time) says: whether Session Services is
/// there, and when to ask again. A server that asks for a wait (429 with `Retry-After`, a
/// 503 with one) is asked again only after it; a 429 says it is there.
fn heartbeat(answer: Option<Result<(), &usher_sync::Failure>>) -> (bool, Duration) {
    match answer {
        Some(Ok(())) => (true, HEARTBEAT),
        Some(Err(f)) => (
            f.status() == Some(429),
            f.after().map_or(HEARTBEAT, |wait| wait.max(HEARTBEAT)),
        ),
        None => (false, HEARTBEAT),
    }
}

/// What the station tells the window.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum StationEvent {
    /// A scan was decided and recorded (any source).
    Verdict {
        outcome: Box<ScanOutcome>,
    },
    /// Counters, sync state, online state or camera changed.
    View {
        view: Box<DoorView>,
    },
    /// The guest list is downloading.
    Progress(Progress),
    Camera(CameraView),
    /// Something failed where no command was waiting for the answer (a camera scan that
    /// could not be recorded): the page paints and sounds it.
    Error {
        code: String,
        message: String,
    },
}

/// Whether this door has its Session Services token: each state its own words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", content = "detail", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TokenState {
    Ready,
    /// None kept for this tenant: setup must check one.
    Missing,
    /// The keychain is locked (or waits on its unlock prompt); asked again by itself.
    Locked(String),
    /// The keychain failed or is not there; asked again by itself.
    Unavailable(String),
}

impl TokenState {
    fn of(e: &TokenError) -> TokenState {
        match e {
            TokenError::Missing { .. } => TokenState::Missing,
            TokenError::Locked(why) => TokenState::Locked(why.clone()),
            other => TokenState::Unavailable(other.to_string()),
        }
    }

    /// Why nothing uploads, for the sync bar; `None` when the token is there.
    fn words(&self) -> Option<String> {
        const KEPT: &str = "scans are decided from the guest list and kept";
        match self {
            TokenState::Ready => None,
            TokenState::Missing => Some(format!(
                "There is no Session Services token on this device: {KEPT}. Open Setup and \
                 check a token to upload them."
            )),
            TokenState::Locked(why) => Some(format!(
                "The keychain is locked ({why}): {KEPT}. Unlock it (log in to this computer's \
                 desktop session) and uploads start by themselves."
            )),
            TokenState::Unavailable(why) => Some(format!(
                "The keychain cannot be read ({why}): {KEPT}. Usher keeps asking it; if this \
                 stays, open Setup and check the token again."
            )),
        }
    }
}

/// A repeat of the same input: same text, same source, same staff choices.
type ScanKey = (Vec<u8>, Source, Option<Mode>, bool);

fn scan_key(input: &ScanInput<'_>) -> ScanKey {
    (
        input.payload.to_vec(),
        input.source,
        input.direction,
        input.confirm,
    )
}

/// Everything the always-visible bars show.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DoorView {
    pub status: DoorStatus,
    /// Session Services answered the last time it was asked.
    pub online: bool,
    pub demo: bool,
    pub camera: CameraView,
    pub token: TokenState,
}

/// What the window opens on.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Start {
    /// `WELCOME` (not set up: offer the demo or setup) or `DOOR`.
    pub screen: &'static str,
    pub demo: bool,
    pub data_dir: PathBuf,
}

/// The token check of the setup screen, with the events to choose from.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SetupReport {
    #[serde(flatten)]
    pub login: LoginReport,
    pub events: Vec<session_api::Event>,
}

/// The admissions and sections a gate profile can choose from.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventChoices {
    pub admissions: Vec<usher_core::verdict::Named>,
    pub sections: Vec<usher_core::verdict::Named>,
}

type Sink = Arc<dyn Fn(StationEvent) + Send + Sync>;

/// The open door and what runs around it.
struct Active {
    dir: PathBuf,
    /// The data folder's database key, for the connections the loops open (`None`: plain).
    key: Option<CacheKey>,
    /// Encrypted at rest or not, in words, for Door health.
    encryption: Encryption,
    config: DeviceConfig,
    /// The event's time zone, for times on the screens.
    time_zone: jiff::tz::TimeZone,
    /// Lock order: `door`, then `same_scan`.
    door: Mutex<Door>,
    /// The last recorded scan, to show again when a scanner fires twice.
    same_scan: Mutex<SameScan<ScanKey, ScanOutcome>>,
    /// A second connection for screens, so they never wait behind a scan's online confirm.
    reader: Mutex<Store>,
    index: Arc<Warmed<SearchIndex>>,
    nudge: Arc<Notify>,
    /// Stops the sync loop, and the heartbeat: one permit each.
    stop: Arc<Notify>,
    stop_heartbeat: Arc<Notify>,
    camera: Mutex<Option<CameraLoop>>,
    demo: Option<Demo>,
    /// Without the token the door decides from the cache and nothing uploads.
    token: Mutex<TokenState>,
    /// Sync rounds that ended with a refresh, or failed, since the door opened.
    sync_rounds: Arc<AtomicU64>,
}

impl Active {
    /// Stops the loops and joins the camera thread. Called with no station lock held: the
    /// camera thread may be on its way into `Station::scan`, which takes them.
    fn close(&self) {
        // `notify_one` stores a permit, so each loop stops even if it is busy right now.
        self.stop.notify_one();
        self.stop_heartbeat.notify_one();
        let camera = lock(&self.camera).take();
        drop(camera);
    }
}

impl Drop for Active {
    fn drop(&mut self) {
        self.stop.notify_one();
        self.stop_heartbeat.notify_one();
    }
}

/// Hands the allocator's free pages back to the OS. glibc keeps freed memory in its arenas,
/// so a door's resident size would stay at the peak of its last refresh or index build, the
/// two big passing allocations of a running door. Hand-written: one libc call.
#[allow(
    unsafe_code,
    reason = "glibc's malloc_trim has no safe wrapper; the one unsafe block in the workspace"
)]
fn return_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim takes no pointers; it only walks the allocator's own free lists.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Builds the guest search index on its own thread and connection, so the first search is
/// instant and neither scans nor screens wait for it.
fn warm_index(active: &Active) {
    let (dir, key, event_id) = (
        active.dir.clone(),
        active.key.clone(),
        active.config.event_id.clone(),
    );
    active.index.warm("the guest search index", move || {
        let built = Store::open_with(&dir, key.as_ref())
            .and_then(|s| s.limit_cache(READER_CACHE_KIB))
            .and_then(|s| SearchIndex::load(s.conn(), &event_id))
            .map_err(|e| e.to_string());
        return_free_memory();
        built
    });
}

/// How long Setup stays open after the right door PIN.
pub const SETUP_OPEN_FOR: Duration = Duration::from_secs(10 * 60);

/// A door station: see the crate's documentation.
pub struct Station {
    home: PathBuf,
    sink: Sink,
    rt: tokio::runtime::Runtime,
    active: RwLock<Option<Arc<Active>>>,
    online: AtomicBool,
    timings: Mutex<Timings>,
    camera: Arc<CameraShared>,
    /// Whether to run a camera loop (tests of the door alone turn it off).
    use_camera: bool,
    /// The API and tenant a setup in progress checked its token against.
    setup: Mutex<Option<(ApiTarget, String)>>,
    /// Wrong door PINs, and the minute Setup stays locked after five (a leaf lock).
    staff: Mutex<StaffLock>,
    /// Setup answers until then after the right PIN (a leaf lock).
    setup_open_until: Mutex<Option<Instant>>,
    /// Held while a door opens or closes, so two switches never interleave. Only commands
    /// take it; the camera and sync threads never do.
    switching: Mutex<()>,
    /// Where tokens are kept: the OS keychain (see `usher_sync::token::store`).
    tokens: Arc<dyn TokenStore>,
    /// How verdicts and scans are worded on every screen (`usher_core::look`).
    words: RwLock<Arc<Words>>,
    me: Weak<Station>,
}

impl Station {
    /// A station over the data folder `home` (the demo uses `home/demo`). Nothing starts
    /// until [`Station::start`], [`Station::start_demo`] or [`Station::finish_setup`].
    pub fn new(
        home: PathBuf,
        use_camera: bool,
        sink: impl Fn(StationEvent) + Send + Sync + 'static,
    ) -> Result<Arc<Station>, StationError> {
        Station::with_tokens(home, use_camera, usher_sync::token::store(), sink)
    }

    /// [`Station::new`] with tokens kept in `tokens` (tests pass a stand-in keychain).
    pub fn with_tokens(
        home: PathBuf,
        use_camera: bool,
        tokens: Arc<dyn TokenStore>,
        sink: impl Fn(StationEvent) + Send + Sync + 'static,
    ) -> Result<Arc<Station>, StationError> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("usher-sync")
            .enable_all()
            .build()
            .map_err(|e| StationError::Io(format!("cannot start the sync runtime: {e}")))?;
        Ok(Arc::new_cyclic(|me| Station {
            home,
            sink: Arc::new(sink),
            rt,
            active: RwLock::new(None),
            online: AtomicBool::new(false),
            timings: Mutex::new(Timings::default()),
            camera: Arc::new(CameraShared::default()),
            use_camera,
            setup: Mutex::new(None),
            staff: Mutex::new(StaffLock::default()),
            setup_open_until: Mutex::new(None),
            switching: Mutex::new(()),
            tokens,
            words: RwLock::new(Arc::new(Words::english())),
            me: me.clone(),
        }))
    }

    fn is_open(&self, active: &Arc<Active>) -> bool {
        self.active
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .is_some_and(|open| Arc::ptr_eq(open, active))
    }

    fn active(&self) -> Result<Arc<Active>, StationError> {
        self.active
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .ok_or(StationError::NotOpen)
    }

    fn emit(&self, event: StationEvent) {
        (self.sink)(event)
    }

    /// Opens the door if this device is set up and has its guest list; else the window
    /// offers the demo and setup.
    pub fn start(&self) -> Result<Start, StationError> {
        if let Ok(active) = self.active() {
            return Ok(Start {
                screen: "DOOR",
                demo: active.demo.is_some(),
                data_dir: active.dir.clone(),
            });
        }
        // An encrypted guest list whose key the keychain does not give is CACHE_LOCKED, in
        // plain words with what to do, and left as it is: never opened empty in its place.
        let (mut store, encryption) =
            usher_sync::token::open_store(self.tokens.clone(), &self.home)?;
        // Events past retention leave the laptop before the door opens (a door still set up
        // for one then offers setup again).
        if let Err(e) = crate::retention::run(&mut store, jiff::Timestamp::now()) {
            tracing::warn!(error = %e, "retention could not run");
        }
        let ready = settings::load(store.conn())
            .and_then(|config| cache::door_context(store.conn(), &config).map(|_| config));
        match ready {
            Ok(config) => {
                // A locked keychain can sit on its unlock prompt for ever: the door opens
                // without the token after a short wait and picks it up when it comes.
                let token = usher_sync::token::resolve_within(
                    self.tokens.clone(),
                    &config.api.to_string(),
                    &config.tenant_id,
                    KEYCHAIN_DEADLINE,
                );
                self.activate(store, encryption, config, token, None)?;
                Ok(Start {
                    screen: "DOOR",
                    demo: false,
                    data_dir: self.home.clone(),
                })
            }
            Err(usher_core::Error::NotSetUp | usher_core::Error::EventNotCached(_)) => Ok(Start {
                screen: "WELCOME",
                demo: false,
                data_dir: self.home.clone(),
            }),
            Err(e) => Err(e.into()),
        }
    }

    /// Demo mode: starts the simulator, sets up a fresh demo folder pointed at it, downloads
    /// the demo guest list and opens the door.
    pub fn start_demo(&self) -> Result<DoorView, StationError> {
        if let Ok(active) = self.active() {
            if active.demo.is_some() {
                return self.view();
            }
        }
        let demo = Demo::start()?;
        let dir = self.home.join("demo");
        // Each demo starts from the simulator's fresh state, so the folder starts fresh too:
        // the previous demo's scans were uploaded to a simulator that is gone.
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| {
                StationError::Io(format!(
                    "cannot clear the demo folder {}: {e}",
                    dir.display()
                ))
            })?;
        }
        let config = demo.config();
        // The demo's made-up guests are never encrypted: it needs no keychain.
        let store = Store::open(&dir)?;
        settings::save(store.conn(), &config)?;
        let token = demo.token();
        self.download(&store, &config, &token)?;
        let encryption = Encryption {
            encrypted: false,
            words: "The demo's made-up guest list is not encrypted.".into(),
        };
        self.activate(
            store,
            encryption,
            config,
            Resolved::Now(Ok(token)),
            Some(demo),
        )?;
        self.view()
    }

    /// Fills the cache, reporting progress.
    fn download(
        &self,
        store: &Store,
        config: &DeviceConfig,
        token: &Token,
    ) -> Result<(), StationError> {
        let client = ApiClient::new(
            config.api.base_url(),
            &config.tenant_id,
            Some(token.clone()),
        )
        .map_err(SyncError::from)?;
        let store = Mutex::new(store.reopen()?);
        let sink = self.sink.clone();
        self.rt
            .block_on(download::download(&store, &client, config, &move |p| {
                sink(StationEvent::Progress(p))
            }))?;
        Ok(())
    }

    /// Opens the door over `store`'s data folder and starts the loops around it.
    fn activate(
        &self,
        store: Store,
        encryption: Encryption,
        config: DeviceConfig,
        token: Resolved,
        demo: Option<Demo>,
    ) -> Result<(), StationError> {
        let _switching = lock(&self.switching);
        // Close whatever ran before, outside the `active` lock: closing joins the camera
        // thread, which may be waiting for that lock inside `scan`.
        let old = self
            .active
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(old) = old {
            old.close();
        }
        let dir = store.data_dir().to_path_buf();
        let reader = store.reopen()?.limit_cache(READER_CACHE_KIB)?;
        let mut door = Door::open(store.limit_cache(DOOR_CACHE_KIB)?)?;
        door.set_words(self.words());
        let active = Arc::new(Active {
            time_zone: door.time_zone().clone(),
            key: reader.key().cloned(),
            encryption,
            reader: Mutex::new(reader),
            dir,
            door: Mutex::new(door),
            same_scan: Mutex::new(SameScan::new(DEFAULT_WINDOW)),
            index: Warmed::new(),
            nudge: Arc::new(Notify::new()),
            stop: Arc::new(Notify::new()),
            stop_heartbeat: Arc::new(Notify::new()),
            camera: Mutex::new(None),
            demo,
            token: Mutex::new(TokenState::Missing),
            sync_rounds: Arc::new(AtomicU64::new(0)),
            config,
        });
        tracing::info!(
            event = %active.config.event_id,
            demo = active.demo.is_some(),
            "door opened"
        );
        match token {
            Resolved::Now(Ok(token)) => self.attach_token(&active, token)?,
            Resolved::Now(Err(e)) => self.token_unavailable(&active, &e, None),
            Resolved::Later(rx) => {
                self.token_unavailable(&active, &TokenError::no_answer(), Some(rx))
            }
        }
        if self.use_camera {
            *lock(&active.camera) = Some(self.start_camera(active.demo.is_some()));
        }
        *self.active.write().unwrap_or_else(|p| p.into_inner()) = Some(active);
        self.emit_view();
        Ok(())
    }

    /// The door has its token: online confirm, the sync loop and the heartbeat start.
    fn attach_token(&self, active: &Arc<Active>, token: Token) -> Result<(), StationError> {
        let config = &active.config;
        let client = ApiClient::new(config.api.base_url(), &config.tenant_id, Some(token))
            .map_err(SyncError::from)?;
        let confirm = usher_sync::online::OnlineClient::new(client.clone())
            .map_err(|e| StationError::Io(format!("cannot start online confirm: {e}")))?;
        lock(&active.door)
            .set_online_confirm(Box::new(confirm), usher_core::online::DEFAULT_TIMEOUT);
        *lock(&active.token) = TokenState::Ready;
        self.start_sync(active, client)
    }

    /// The door opens without its token. A keychain that is locked, failing or still on
    /// its unlock prompt is waited for (`pending`) or asked again on its own thread, and the
    /// token attached when it comes; a missing token waits for setup.
    fn token_unavailable(
        &self,
        active: &Arc<Active>,
        why: &TokenError,
        pending: Option<std::sync::mpsc::Receiver<Result<Token, TokenError>>>,
    ) {
        let state = TokenState::of(why);
        tracing::warn!(state = ?state, "the door opened without its token");
        *lock(&active.token) = state.clone();
        if state == TokenState::Missing {
            return;
        }
        let (me, door) = (self.me.clone(), Arc::downgrade(active));
        let (tokens, api, tenant) = (
            self.tokens.clone(),
            active.config.api.to_string(),
            active.config.tenant_id.clone(),
        );
        let spawned = std::thread::Builder::new()
            .name("usher-keychain-wait".into())
            .spawn(move || {
                let mut pending = pending;
                loop {
                    let answer = match pending.take() {
                        Some(rx) => rx.recv().unwrap_or_else(|_| {
                            Err(TokenError::Keychain("the keychain call crashed".into()))
                        }),
                        None => {
                            std::thread::sleep(KEYCHAIN_RETRY);
                            match usher_sync::token::resolve_within(
                                tokens.clone(),
                                &api,
                                &tenant,
                                KEYCHAIN_DEADLINE,
                            ) {
                                Resolved::Now(answer) => answer,
                                Resolved::Later(rx) => {
                                    pending = Some(rx);
                                    continue;
                                }
                            }
                        }
                    };
                    // The door closed meanwhile, or the station is gone: nobody needs it.
                    let (Some(station), Some(active)) = (me.upgrade(), door.upgrade()) else {
                        return;
                    };
                    if !station.is_open(&active) {
                        return;
                    }
                    match answer {
                        Ok(token) => {
                            tracing::info!("the keychain answered: uploads start");
                            if let Err(e) = station.attach_token(&active, token) {
                                station.report(&e);
                            }
                            station.emit_view();
                            return;
                        }
                        Err(e) => {
                            let state = TokenState::of(&e);
                            let stop = state == TokenState::Missing;
                            let changed = *lock(&active.token) != state;
                            *lock(&active.token) = state;
                            if changed {
                                station.emit_view();
                            }
                            if stop {
                                return;
                            }
                        }
                    }
                }
            });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "cannot start the keychain wait");
        }
    }

    /// A failure no command is waiting for: logged, and painted and sounded by the page.
    fn report(&self, e: &StationError) {
        tracing::warn!(code = e.code(), error = %e, "failure reported to the door");
        self.emit(StationEvent::Error {
            code: e.code().to_string(),
            message: e.to_string(),
        });
    }

    /// The background sync loop and the heartbeat that keeps the online badge true.
    fn start_sync(&self, active: &Arc<Active>, client: ApiClient) -> Result<(), StationError> {
        let store =
            Store::open_with(&active.dir, active.key.as_ref())?.limit_cache(SYNC_CACHE_KIB)?;
        let me = self.me.clone();
        let rounds = active.sync_rounds.clone();
        let on_event = move |event: SyncEvent| {
            match event {
                SyncEvent::Downloaded(_) => {
                    return_free_memory();
                    rounds.fetch_add(1, Ordering::Relaxed);
                }
                SyncEvent::Failed { .. } => {
                    rounds.fetch_add(1, Ordering::Relaxed);
                }
                SyncEvent::Uploaded(_) | SyncEvent::Refunded(_) => {}
            }
            if let Some(station) = me.upgrade() {
                if let Some(answered) = server_answered(&event) {
                    station.online.store(answered, Ordering::Relaxed);
                }
                station.emit_view();
            }
        };
        self.rt.spawn(usher_sync::watch::watch(
            store,
            client.clone(),
            active.config.clone(),
            WatchConfig {
                first_refresh_after: FIRST_REFRESH_AFTER,
                ..WatchConfig::default()
            },
            active.nudge.clone(),
            active.stop.clone(),
            on_event,
        ));
        let me = self.me.clone();
        let (nudge, stop) = (active.nudge.clone(), active.stop_heartbeat.clone());
        self.rt.spawn(async move {
            loop {
                let answer = tokio::time::timeout(HEARTBEAT_TIMEOUT, client.me()).await;
                let (answered, next) =
                    heartbeat(answer.ok().as_ref().map(|a| a.as_ref().map(|_| ())));
                let Some(station) = me.upgrade() else { return };
                let was = station.online.swap(answered, Ordering::Relaxed);
                if answered && !was {
                    // Back online: drain the queue now rather than after the loop's backoff.
                    nudge.notify_one();
                }
                if answered != was {
                    station.emit_view();
                }
                drop(station);
                tokio::select! {
                    _ = stop.notified() => return,
                    _ = tokio::time::sleep(next) => {}
                }
            }
        });
        Ok(())
    }

    fn start_camera(&self, demo: bool) -> CameraLoop {
        let (on_scan, on_state) = (self.me.clone(), self.me.clone());
        CameraLoop::start(
            demo,
            self.camera.clone(),
            move |scan| {
                if let Some(station) = on_scan.upgrade() {
                    let input = ScanInput::new(&scan.payload, Source::Camera);
                    // No command waits for a camera scan: its failure is reported here, and
                    // the loop goes on.
                    if let Err(e) = station.scan(input) {
                        station.report(&e);
                    }
                }
            },
            move |view| {
                if let Some(station) = on_state.upgrade() {
                    station.emit(StationEvent::Camera(view));
                    station.emit_view();
                }
            },
        )
    }

    /// **The door**: one scan through the core pipeline. The verdict event goes out as soon
    /// as the scan is on disk; housekeeping and the upload nudge come after.
    ///
    /// The same input again within the debounce window (a scanner that fired twice) is not a
    /// new scan: the first verdict is shown again, marked `sameScan`, and nothing is recorded.
    pub fn scan(&self, input: ScanInput<'_>) -> Result<ScanOutcome, StationError> {
        let active = self.active()?;
        let started = Instant::now();
        let key = scan_key(&input);
        let (outcome, offline) = {
            let mut door = lock(&active.door);
            let repeat = lock(&active.same_scan).repeat_of(&key, started).cloned();
            if let Some(first) = repeat {
                let outcome = door.shown_again(first);
                drop(door);
                tracing::info!(scan = %outcome.scan_id, source = ?input.source, "same scan again: shown, not recorded");
                self.emit(StationEvent::Verdict {
                    outcome: Box::new(outcome.clone()),
                });
                return Ok(outcome);
            }
            let outcome = door.scan(input, jiff::Timestamp::now())?;
            lock(&active.same_scan).remember(key, Instant::now(), outcome.clone());
            (outcome, door.is_offline())
        };
        lock(&self.timings).push(started.elapsed());
        tracing::info!(
            scan = %outcome.scan_id,
            verdict = ?outcome.verdict,
            source = ?outcome.source,
            upload = ?outcome.upload,
            online = outcome.confirmed_online,
            "scan recorded"
        );
        self.emit(StationEvent::Verdict {
            outcome: Box::new(outcome.clone()),
        });
        if outcome.confirmed_online {
            self.online.store(true, Ordering::Relaxed);
        } else if offline && outcome.upload == usher_core::scanlog::UploadState::Pending {
            self.online.store(false, Ordering::Relaxed);
        }
        if let Some(camera) = lock(&active.camera).as_ref() {
            if input.source != Source::Camera {
                camera.wake();
            }
        }
        // The verdict is recorded and shown: housekeeping that fails now is logged, never
        // painted over it.
        if let Err(e) = lock(&active.door).tidy() {
            tracing::warn!(error = %e, "housekeeping after a scan failed");
        }
        active.nudge.notify_one();
        self.emit_view();
        Ok(outcome)
    }

    /// Staff's check-in (`Entry`) or check-out (`Exit`) of one ticket, from lookup.
    pub fn check(&self, ticket_id: &str, direction: Mode) -> Result<ScanOutcome, StationError> {
        self.scan(ScanInput {
            direction: Some(direction),
            ..ScanInput::new(ticket_id.as_bytes(), Source::Manual)
        })
    }

    /// Takes back this device's last check-in with a check-out, uploaded like any scan.
    pub fn undo_last(&self) -> Result<ScanOutcome, StationError> {
        let active = self.active()?;
        let key = activity::last_check_in(lock(&active.reader).conn())?
            .ok_or(StationError::NothingToUndo)?;
        self.scan(ScanInput {
            direction: Some(Mode::Exit),
            ..ScanInput::new(key.as_bytes(), Source::Manual)
        })
    }

    /// Guests matching `query` (name, email, phone, ticket or order id), from the first
    /// character.
    pub fn lookup(&self, query: &str, limit: usize) -> Result<Vec<LookupHit>, StationError> {
        let active = self.active()?;
        active.config.gate.lookup_allowed()?;
        // Being built on the side: wait for it rather than build it twice (no lock held).
        let built = active.index.get(INDEX_PATIENCE);
        let reader = lock(&active.reader);
        let index = match built {
            Some(index) => {
                // After a refresh, search the index built before it (each hit is read fresh
                // from the cache) while the new one is built on the side.
                if !index.is_current(reader.conn())? {
                    warm_index(&active);
                }
                index
            }
            // None built, or the build on the side failed: build it here, once more.
            None => {
                let index = Arc::new(SearchIndex::load(reader.conn(), &active.config.event_id)?);
                active.index.set(index.clone());
                index
            }
        };
        Ok(usher_core::lookup::lookup(
            reader.conn(),
            &index,
            query,
            limit,
            (&self.words(), &active.time_zone),
        )?)
    }

    /// Builds the guest search index on the side, once the scan screen is up, so the first
    /// search does not wait for it.
    pub fn prepare_lookup(&self) -> Result<(), StationError> {
        warm_index(&*self.active()?);
        Ok(())
    }

    pub fn activity(&self, limit: usize) -> Result<Vec<activity::ActivityRow>, StationError> {
        let active = self.active()?;
        let rows = activity::recent(
            lock(&active.reader).conn(),
            limit,
            &self.words(),
            &active.time_zone,
        )?;
        Ok(rows)
    }

    /// The words every screen uses now.
    fn words(&self) -> Arc<Words> {
        self.words.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Changes the headline of one verdict on every screen, at once (the open door's next
    /// verdict uses it).
    pub fn set_headline(&self, kind: VerdictKind, headline: &str) {
        let mut words = (*self.words()).clone();
        words.set_headline(kind, headline);
        let words = Arc::new(words);
        *self.words.write().unwrap_or_else(|p| p.into_inner()) = words.clone();
        if let Ok(active) = self.active() {
            lock(&active.door).set_words(words);
        }
    }

    fn status(&self, active: &Active) -> Result<DoorStatus, StationError> {
        let reader = lock(&active.reader);
        let device = settings::device_id(reader.conn())?;
        Ok(status::status(
            reader.conn(),
            &active.config,
            &device,
            jiff::Timestamp::now(),
        )?)
    }

    pub fn view(&self) -> Result<DoorView, StationError> {
        let active = self.active()?;
        let mut status = self.status(&active)?;
        let token = lock(&active.token).clone();
        if status.uploads_paused.is_none() {
            status.uploads_paused = token.words();
        }
        Ok(DoorView {
            token,
            status,
            online: self.online.load(Ordering::Relaxed),
            demo: active.demo.is_some(),
            camera: lock(&self.camera.view)
                .clone()
                .unwrap_or_else(|| CameraView::of(&usher_camera::source::CameraState::Starting)),
        })
    }

    fn emit_view(&self) {
        if let Ok(view) = self.view() {
            self.emit(StationEvent::View {
                view: Box::new(view),
            });
        }
    }

    /// How many sync rounds have ended, with a refresh or a failure, since the door opened;
    /// `None` when this door has no sync loop (no token). `usher-desktop --measure` waits
    /// for the first, so its memory figure includes a refresh.
    pub fn sync_rounds(&self) -> Result<Option<u64>, StationError> {
        let active = self.active()?;
        let has_token = *lock(&active.token) == TokenState::Ready;
        Ok(has_token.then(|| active.sync_rounds.load(Ordering::Relaxed)))
    }

    pub fn health(&self) -> Result<Health, StationError> {
        let active = self.active()?;
        let status = self.status(&active)?;
        let pace = activity::pace(lock(&active.reader).conn(), jiff::Timestamp::now(), 30)?;
        let last5: u64 = pace.iter().rev().take(5).map(|m| m.scans).sum();
        let retention_days = usher_core::forget::retention_days(lock(&active.reader).conn())?;
        Ok(Health {
            scans_per_minute: last5 as f64 / 5.0,
            pace,
            decision_ms: lock(&self.timings).summary(),
            pending_upload: status.pending_upload,
            oldest_pending_age_seconds: status.oldest_pending_age_seconds,
            cache_age_seconds: status.cache_age_seconds,
            camera_fps: lock(&self.camera.rate).fps(Instant::now()),
            online: self.online.load(Ordering::Relaxed),
            search_index_error: active.index.failed(),
            encryption: active.encryption.clone(),
            retention_days,
        })
    }

    /// Writes the diagnostics folder (logs, status, versions) under the data folder's
    /// `diagnostics/`, and returns it.
    pub fn save_diagnostics(&self) -> Result<PathBuf, StationError> {
        let status = match self.active() {
            Ok(active) => serde_json::to_value(self.status(&active)?)
                .map_err(|e| StationError::Io(format!("cannot write the status: {e}")))?,
            Err(_) => serde_json::json!({"door": "not open"}),
        };
        crate::logs::save_diagnostics(&self.home, &self.home.join("diagnostics"), status)
    }

    /// The newest camera frame as JPEG, for the preview.
    pub fn preview(&self) -> Option<Arc<Vec<u8>>> {
        lock(&self.camera.preview).clone()
    }

    // -----------------------------------------------------------------------------------
    // Demo controls

    fn demo<T>(
        &self,
        f: impl FnOnce(&Active, &Demo) -> Result<T, StationError>,
    ) -> Result<T, StationError> {
        let active = self.active()?;
        let demo = active.demo.as_ref().ok_or(StationError::NotDemo)?;
        f(&active, demo)
    }

    /// Cuts or restores the simulated network; returns whether it is up.
    pub fn demo_network(&self, up: bool) -> Result<bool, StationError> {
        let up = self.demo(|_, demo| demo.set_network(up))?;
        if up {
            self.demo(|active, _| {
                active.nudge.notify_one();
                Ok(())
            })?;
        }
        Ok(up)
    }

    /// The demo camera holds up the next ticket of the tour (on a machine without a camera);
    /// with a real camera, the code is scanned as if typed. Returns the code.
    pub fn demo_show_ticket(&self) -> Result<String, StationError> {
        let (code, held) = self.demo(|active, demo| {
            let code = demo.next_code();
            let held = lock(&active.camera)
                .as_ref()
                .and_then(|c| c.held_up.clone());
            Ok((code, held))
        })?;
        match held {
            Some(queue) => queue.hold_up(code.clone().into_bytes()),
            None => {
                self.scan(ScanInput::new(code.as_bytes(), Source::Manual))?;
            }
        }
        Ok(code)
    }

    /// Writes printable demo tickets (PNG) to `home/demo-tickets`.
    pub fn save_demo_tickets(&self) -> Result<(PathBuf, Vec<PathBuf>), StationError> {
        let folder = self.home.join("demo-tickets");
        self.demo(|_, demo| {
            let files = crate::tickets::write_all(&folder, &demo.event_name(), &demo.printable(12))
                .map_err(|e| {
                    StationError::Io(format!("cannot write tickets to {}: {e}", folder.display()))
                })?;
            Ok((folder.clone(), files))
        })
    }

    // -----------------------------------------------------------------------------------
    // Setup of a real door

    /// Checks a token with `GET /users/me`, keeps it in the OS keychain, and lists the
    /// events to choose from.
    pub fn check_token(
        &self,
        api: &str,
        tenant_id: &str,
        token: &str,
    ) -> Result<SetupReport, StationError> {
        self.require_setup_open()?;
        let api: ApiTarget = api.parse()?;
        let token = Token::new(token).map_err(SyncError::from)?;
        let access = self.rt.block_on(usher_sync::login::login(
            api.base_url(),
            &api.to_string(),
            tenant_id,
            token,
            &*self.tokens,
        ))?;
        let client = ApiClient::new(api.base_url(), tenant_id, None).map_err(SyncError::from)?;
        let mut events = vec![];
        let mut cursor: Option<String> = None;
        loop {
            let page = self
                .rt
                .block_on(client.events(cursor.as_deref()))
                .map_err(SyncError::from)?;
            events.extend(page.events);
            match page.after {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        // Every event stays selectable: the hint only warns (roles may grant more).
        let login = access.report(
            events
                .iter()
                .map(|e| access.event(&e.id, Some(e)))
                .collect(),
        );
        *lock(&self.setup) = Some((api, tenant_id.to_string()));
        Ok(SetupReport { login, events })
    }

    /// The admissions and sections of an event, for the gate profile.
    pub fn event_choices(&self, event_id: &str) -> Result<EventChoices, StationError> {
        self.require_setup_open()?;
        let (api, tenant) = self.setup_target()?;
        let client = ApiClient::new(api.base_url(), &tenant, None).map_err(SyncError::from)?;
        let event = self
            .rt
            .block_on(client.event(event_id))
            .map_err(SyncError::from)?
            .event;
        let named = |id: &str, name: &str| usher_core::verdict::Named {
            id: id.to_string(),
            name: name.to_string(),
        };
        Ok(EventChoices {
            admissions: event
                .admissions
                .iter()
                .map(|a| named(&a.id, &a.name))
                .collect(),
            sections: event
                .sections
                .iter()
                .map(|s| named(&s.id, &s.name))
                .collect(),
        })
    }

    /// Saves the device's settings and the door PIN (required when the door has none yet;
    /// `None` keeps the one it has), downloads the guest list and opens the door. Setup locks
    /// again afterwards.
    pub fn finish_setup(
        &self,
        event_id: &str,
        gate: GateProfile,
        offline: bool,
        pin: Option<&str>,
        retention_days: Option<u32>,
    ) -> Result<DoorView, StationError> {
        self.require_setup_open()?;
        let (api, tenant_id) = self.setup_target()?;
        // The guest list is encrypted from set-up on, with a key made now in the OS keychain
        // (a plain one left by an earlier set-up is encrypted in place, pending scans and
        // all). With no keychain the door works, plain, and Door health says so.
        if let Err(e) = usher_sync::token::create_cache_key(&*self.tokens, &self.home) {
            tracing::warn!(error = %e, "no key for the guest list: it stays plain");
        }
        let (store, encryption) = usher_sync::token::open_store(self.tokens.clone(), &self.home)?;
        let config = DeviceConfig {
            api,
            tenant_id,
            event_id: event_id.to_string(),
            gate,
            offline,
        };
        match pin.filter(|p| !p.is_empty()) {
            Some(pin) => staff::set_pin(store.conn(), pin)?,
            None if !staff::has_pin(store.conn())? => {
                return Err(usher_core::Error::InvalidConfig(
                    "choose a door PIN (4 to 12 digits): it keeps Setup for staff".into(),
                )
                .into())
            }
            None => {}
        }
        settings::save(store.conn(), &config)?;
        if let Some(days) = retention_days {
            usher_core::forget::set_retention_days(store.conn(), days)?;
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
        self.view()
    }

    /// Setup's "Forget this event": the set-up door's event leaves this laptop (guest list and
    /// scan log), behind the door PIN, refused while any of its scans waits to upload (then
    /// [`Station::export_pending`] saves them first). The door closes if it was open on it.
    pub fn forget_event(&self) -> Result<usher_core::forget::Forgotten, StationError> {
        self.require_setup_open()?;
        let _switching = lock(&self.switching);
        let (mut store, _) = usher_sync::token::open_store(self.tokens.clone(), &self.home)?;
        let config = settings::load(store.conn())?;
        let gone = usher_core::forget::forget_event(
            store.conn_mut(),
            &config.event_id,
            jiff::Timestamp::now(),
        )?;
        tracing::warn!(
            event = %gone.event_id,
            tickets = gone.tickets,
            scans = gone.scans,
            "event forgotten from Setup: its guest list and scan log were removed"
        );
        let closing = {
            let mut active = self.active.write().unwrap_or_else(|p| p.into_inner());
            if active.as_ref().is_some_and(|a| a.dir == self.home) {
                active.take()
            } else {
                None
            }
        };
        if let Some(old) = closing {
            old.close();
        }
        Ok(gone)
    }

    /// The scans of the set-up door still waiting to upload, saved as a CSV file readable by
    /// this user only (as `usher export --pending`) in their Downloads folder, so staff can
    /// keep them before forgetting an event. Not in the data folder: nothing there holds a
    /// ticket id in the clear.
    pub fn export_pending(&self) -> Result<PathBuf, StationError> {
        let (store, _) = usher_sync::token::open_store(self.tokens.clone(), &self.home)?;
        let device = settings::device_id(store.conn())?;
        let dir = dirs::download_dir()
            .or_else(dirs::home_dir)
            .ok_or_else(|| StationError::Io("this user has no Downloads or home folder".into()))?;
        let now = jiff::Timestamp::now();
        let file = dir.join(format!("waiting-{}.csv", now.strftime("%Y%m%d-%H%M%S")));
        usher_core::scanlog::export(
            store.conn(),
            &device,
            &file,
            usher_core::scanlog::ExportFormat::Csv,
            true,
            now,
        )?;
        Ok(file)
    }

    /// Whether Setup asks for the door PIN first: the door has one and it was not given in
    /// the last [`SETUP_OPEN_FOR`].
    pub fn setup_locked(&self) -> Result<bool, StationError> {
        if lock(&self.setup_open_until).is_some_and(|until| Instant::now() < until) {
            return Ok(false);
        }
        match usher_sync::token::open_store(self.tokens.clone(), &self.home) {
            Ok((store, _)) => Ok(staff::has_pin(store.conn())?),
            // A guest list that cannot be opened has no Setup to guard: set-up refuses it.
            Err(usher_core::Error::CacheLocked(_)) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Opens Setup for [`SETUP_OPEN_FOR`] with the right door PIN; five wrong ones lock it
    /// for a minute.
    pub fn unlock_setup(&self, pin: &str) -> Result<(), StationError> {
        let (store, _) = usher_sync::token::open_store(self.tokens.clone(), &self.home)?;
        let tried = lock(&self.staff).try_pin(store.conn(), pin, Instant::now());
        match tried {
            Ok(()) => {
                tracing::info!("Setup unlocked with the door PIN");
                *lock(&self.setup_open_until) = Some(Instant::now() + SETUP_OPEN_FOR);
                Ok(())
            }
            Err(e) => {
                tracing::warn!(code = e.code(), "a wrong door PIN");
                Err(e.into())
            }
        }
    }

    /// Closes Setup again (the page leaves it).
    pub fn lock_setup(&self) {
        *lock(&self.setup_open_until) = None;
    }

    fn require_setup_open(&self) -> Result<(), StationError> {
        if self.setup_locked()? {
            return Err(usher_core::Error::SetupLocked.into());
        }
        Ok(())
    }

    /// Where the token check pointed the setup.
    fn setup_target(&self) -> Result<(ApiTarget, String), StationError> {
        lock(&self.setup).clone().ok_or_else(|| {
            StationError::Sync(
                usher_core::Error::InvalidConfig("check the token first".into()).into(),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use usher_sync::Failure;

    #[test]
    fn a_heartbeat_answered_429_waits_the_servers_retry_after_and_counts_as_online() {
        let busy = Failure::Retry {
            reason: "slow down".into(),
            after: Some(Duration::from_secs(120)),
            status: 429,
        };
        assert_eq!(
            heartbeat(Some(Err(&busy))),
            (true, Duration::from_secs(120))
        );
        let down = Failure::Retry {
            reason: "no answer".into(),
            after: None,
            status: 0,
        };
        assert_eq!(heartbeat(Some(Err(&down))), (false, HEARTBEAT));
        assert_eq!(heartbeat(None), (false, HEARTBEAT));
        assert_eq!(heartbeat(Some(Ok(()))), (true, HEARTBEAT));
    }
}
