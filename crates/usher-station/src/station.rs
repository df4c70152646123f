//! [`Station`]: one open door with its sync loop, camera loop and (demo) simulator.

use crate::camera::{lock, CameraLoop, CameraShared, CameraView};
use crate::demo::Demo;
use crate::health::{Health, Timings};
use crate::StationError;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock, Weak};
use std::time::{Duration, Instant};
use tokio::sync::Notify;
use usher_core::gate::{GateProfile, Mode};
use usher_core::lookup::{LookupHit, SearchIndex};
use usher_core::scanlog::{ScanOutcome, Source};
use usher_core::settings::{self, ApiTarget, DeviceConfig};
use usher_core::status::{self, DoorStatus};
use usher_core::{activity, cache, Door, ScanInput, Store};
use usher_sync::download::{self, Progress};
use usher_sync::login::LoginReport;
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

/// What a sync round says about the link: `Some(true)` when the server answered,
/// `Some(false)` when it could not be reached, `None` when the round did not ask it.
fn server_answered(event: &SyncEvent) -> Option<bool> {
    match event {
        SyncEvent::Downloaded(_) | SyncEvent::Refunded(_) => Some(true),
        SyncEvent::Uploaded(r) if r.acknowledged + r.conflicts + r.rejected > 0 => Some(true),
        SyncEvent::Uploaded(r) if r.paused.is_some() => Some(true),
        SyncEvent::Uploaded(_) => Some(false),
        SyncEvent::Failed { .. } => Some(false),
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
    config: DeviceConfig,
    door: Mutex<Door>,
    /// A second connection for screens, so they never wait behind a scan's online confirm.
    reader: Mutex<Store>,
    index: Mutex<Option<SearchIndex>>,
    /// A search index is being built on the side.
    warming: AtomicBool,
    nudge: Arc<Notify>,
    /// Stops the sync loop, and the heartbeat: one permit each.
    stop: Arc<Notify>,
    stop_heartbeat: Arc<Notify>,
    camera: Mutex<Option<CameraLoop>>,
    demo: Option<Demo>,
    /// No token for this tenant was found: the door decides from the cache and nothing can
    /// be uploaded until someone checks a token in setup.
    no_token: bool,
    /// Sync rounds that ended with a refresh, or failed, since the door opened.
    sync_rounds: Arc<AtomicU64>,
}

impl Drop for Active {
    fn drop(&mut self) {
        // `notify_one` stores a permit, so each loop stops even if it is busy right now.
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
fn warm_index(active: &Arc<Active>) {
    if active.warming.swap(true, Ordering::AcqRel) {
        return;
    }
    let active = active.clone();
    std::thread::spawn(move || {
        let built = Store::open(&active.dir)
            .and_then(|s| s.limit_cache(READER_CACHE_KIB))
            .and_then(|s| SearchIndex::load(s.conn(), &active.config.event_id));
        if let Ok(index) = built {
            *lock(&active.index) = Some(index);
        }
        active.warming.store(false, Ordering::Release);
        return_free_memory();
    });
}

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
    /// Where tokens are kept: the OS keychain (see `usher_sync::token::store`).
    tokens: Arc<dyn TokenStore>,
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
            tokens,
            me: me.clone(),
        }))
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
        let store = Store::open(&self.home)?;
        let ready = settings::load(store.conn())
            .and_then(|config| cache::door_context(store.conn(), &config).map(|_| config));
        match ready {
            Ok(config) => {
                drop(store);
                let token = usher_sync::token::resolve(
                    &*self.tokens,
                    &config.api.to_string(),
                    &config.tenant_id,
                )
                .ok();
                self.activate(self.home.clone(), config, token, None)?;
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
        settings::save(Store::open(&dir)?.conn(), &config)?;
        let token = demo.token();
        self.download(&dir, &config, &token)?;
        self.activate(dir, config, Some(token), Some(demo))?;
        self.view()
    }

    /// Fills the cache, reporting progress.
    fn download(
        &self,
        dir: &Path,
        config: &DeviceConfig,
        token: &Token,
    ) -> Result<(), StationError> {
        let client = ApiClient::new(
            config.api.base_url(),
            &config.tenant_id,
            Some(token.clone()),
        )
        .map_err(SyncError::from)?;
        let store = Mutex::new(Store::open(dir)?);
        let sink = self.sink.clone();
        self.rt
            .block_on(download::download(&store, &client, config, &move |p| {
                sink(StationEvent::Progress(p))
            }))?;
        Ok(())
    }

    /// Opens the door over `dir` and starts the loops around it.
    fn activate(
        &self,
        dir: PathBuf,
        config: DeviceConfig,
        token: Option<Token>,
        demo: Option<Demo>,
    ) -> Result<(), StationError> {
        // Close whatever ran before (its loops stop when it drops).
        *self.active.write().unwrap_or_else(|p| p.into_inner()) = None;
        let client = token
            .map(|t| ApiClient::new(config.api.base_url(), &config.tenant_id, Some(t)))
            .transpose()
            .map_err(SyncError::from)?;
        let mut door = Door::open(Store::open(&dir)?.limit_cache(DOOR_CACHE_KIB)?)?;
        if let Some(c) = &client {
            let confirm = usher_sync::online::OnlineClient::new(c.clone())
                .map_err(|e| StationError::Io(format!("cannot start online confirm: {e}")))?;
            door = door.with_online_confirm(Box::new(confirm), usher_core::online::DEFAULT_TIMEOUT);
        }
        let active = Arc::new(Active {
            reader: Mutex::new(Store::open(&dir)?.limit_cache(READER_CACHE_KIB)?),
            dir,
            door: Mutex::new(door),
            index: Mutex::new(None),
            warming: AtomicBool::new(false),
            nudge: Arc::new(Notify::new()),
            stop: Arc::new(Notify::new()),
            stop_heartbeat: Arc::new(Notify::new()),
            camera: Mutex::new(None),
            demo,
            no_token: client.is_none(),
            sync_rounds: Arc::new(AtomicU64::new(0)),
            config,
        });
        if let Some(client) = client {
            self.start_sync(&active, client)?;
        }
        if self.use_camera {
            *lock(&active.camera) = Some(self.start_camera(active.demo.is_some()));
        }
        *self.active.write().unwrap_or_else(|p| p.into_inner()) = Some(active);
        self.emit_view();
        Ok(())
    }

    /// The background sync loop and the heartbeat that keeps the online badge true.
    fn start_sync(&self, active: &Arc<Active>, client: ApiClient) -> Result<(), StationError> {
        let store = Store::open(&active.dir)?.limit_cache(SYNC_CACHE_KIB)?;
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
                let answered = matches!(
                    tokio::time::timeout(HEARTBEAT_TIMEOUT, client.me()).await,
                    Ok(Ok(_))
                );
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
                    _ = tokio::time::sleep(HEARTBEAT) => {}
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
                    // A failure is already on screen as an error verdict; the loop goes on.
                    let _ = station.scan(input);
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
    pub fn scan(&self, input: ScanInput<'_>) -> Result<ScanOutcome, StationError> {
        let active = self.active()?;
        let started = Instant::now();
        let (outcome, offline) = {
            let mut door = lock(&active.door);
            let outcome = door.scan(input, jiff::Timestamp::now())?;
            (outcome, door.is_offline())
        };
        lock(&self.timings).push(started.elapsed());
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
        lock(&active.door).tidy()?;
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
        let reader = lock(&active.reader);
        let mut index = lock(&active.index);
        if index.is_none() && active.warming.load(Ordering::Acquire) {
            // Being built on the side: wait for it rather than build it twice.
            drop(index);
            while active.warming.load(Ordering::Acquire) {
                std::thread::sleep(Duration::from_millis(5));
            }
            index = lock(&active.index);
        }
        match index.as_ref() {
            // After a refresh, search the index built before it (each hit is read fresh from
            // the cache) while the new one is built on the side.
            Some(i) if !i.is_current(reader.conn())? => warm_index(&active),
            Some(_) => {}
            None => *index = Some(SearchIndex::load(reader.conn(), &active.config.event_id)?),
        }
        let index = index.as_ref().expect("loaded above");
        Ok(usher_core::lookup::lookup(
            reader.conn(),
            index,
            query,
            limit,
        )?)
    }

    /// Builds the guest search index on the side, once the scan screen is up, so the first
    /// search does not wait for it.
    pub fn prepare_lookup(&self) -> Result<(), StationError> {
        warm_index(&self.active()?);
        Ok(())
    }

    pub fn activity(&self, limit: usize) -> Result<Vec<activity::ActivityRow>, StationError> {
        let active = self.active()?;
        let rows = activity::recent(lock(&active.reader).conn(), limit)?;
        Ok(rows)
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
        if active.no_token && status.uploads_paused.is_none() {
            status.uploads_paused = Some(
                "There is no Session Services token on this device: scans are decided from the \
                 guest list and kept. Open Setup and check a token to upload them."
                    .into(),
            );
        }
        Ok(DoorView {
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
        Ok((!active.no_token).then(|| active.sync_rounds.load(Ordering::Relaxed)))
    }

    pub fn health(&self) -> Result<Health, StationError> {
        let active = self.active()?;
        let status = self.status(&active)?;
        let pace = activity::pace(lock(&active.reader).conn(), jiff::Timestamp::now(), 30)?;
        let last5: u64 = pace.iter().rev().take(5).map(|m| m.scans).sum();
        Ok(Health {
            scans_per_minute: last5 as f64 / 5.0,
            pace,
            decision_ms: lock(&self.timings).summary(),
            pending_upload: status.pending_upload,
            oldest_pending_age_seconds: status.oldest_pending_age_seconds,
            cache_age_seconds: status.cache_age_seconds,
            camera_fps: lock(&self.camera.rate).fps(Instant::now()),
            online: self.online.load(Ordering::Relaxed),
        })
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

    /// Saves the device's settings, downloads the guest list and opens the door.
    pub fn finish_setup(
        &self,
        event_id: &str,
        gate: GateProfile,
        offline: bool,
    ) -> Result<DoorView, StationError> {
        let (api, tenant_id) = self.setup_target()?;
        let store = Store::open(&self.home)?;
        let config = DeviceConfig {
            api,
            tenant_id,
            event_id: event_id.to_string(),
            gate,
            offline,
        };
        settings::save(store.conn(), &config)?;
        drop(store);
        let token =
            usher_sync::token::resolve(&*self.tokens, &config.api.to_string(), &config.tenant_id)
                .map_err(SyncError::from)?;
        self.download(&self.home, &config, &token)?;
        self.activate(self.home.clone(), config, Some(token), None)?;
        self.view()
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
