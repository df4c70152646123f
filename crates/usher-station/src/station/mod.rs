//! [`Station`]: one open door with its sync loop, camera loop and (demo) simulator.

mod demo_controls;
mod door;
mod kiosk;
mod language;
mod lifecycle;
mod lookup;
mod loops;
mod scanner;
pub use scanner::{Calibration, ScannerLayoutView};
mod setup;
mod sharing;
pub use sharing::{DoorGroupHealth, DoorGroupSetup, InviteView, PeerRow};

use door::ScanKey;
pub use kiosk::KioskState;
pub use language::{LanguageChoice, LanguageView};
use usher_core::i18n::Said;

use crate::awake::ScreenAwake;
use crate::camera::{lock, CameraLoop, CameraShared, CameraView};
use crate::demo::Demo;
use crate::health::Timings;
use crate::warm::Warmed;
use crate::StationError;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64};
use std::sync::{Arc, Mutex, RwLock, Weak};
use std::time::{Duration, Instant};
use tokio::sync::Notify;
use usher_core::debounce::SameScan;
use usher_core::i18n::Language;
use usher_core::look::Words;
use usher_core::lookup::SearchIndex;
use usher_core::scanlog::ScanOutcome;
use usher_core::settings::{ApiTarget, DeviceConfig};
use usher_core::staff::StaffLock;
use usher_core::status::DoorStatus;
use usher_core::verdict::VerdictKind;
use usher_core::{Door, Store};
use usher_sync::download::Progress;
use usher_sync::login::LoginReport;
use usher_sync::token::{CacheKey, Encryption, TokenError};
use usher_sync::TokenStore;

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

/// What the station tells the window.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum StationEvent {
    /// A scan was decided and recorded (any source).
    Verdict {
        /// What the door shows, worded.
        outcome: Box<ScanOutcome>,
    },
    /// Counters, sync state, online state or camera changed.
    View {
        /// The bars' facts as they are now.
        view: Box<DoorView>,
    },
    /// The guest list is downloading.
    Progress(Progress),
    /// The camera's state changed.
    Camera(CameraView),
    /// Something failed where no command was waiting for the answer (a camera scan that
    /// could not be recorded): the page paints and sounds it.
    Error {
        /// The error's stable code.
        code: String,
        /// The error in plain words.
        message: String,
    },
    /// Kiosk mode: the window was asked to close and stays open until the door PIN is
    /// given ([`Station::allow_close`]).
    #[serde(rename_all = "camelCase")]
    CloseAsked {
        /// Scans of the open door waiting to upload (`None`: no door open, or unreadable).
        waiting: Option<u64>,
    },
}

/// Whether this door has its Session Services token: each state its own words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", content = "detail", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TokenState {
    /// The token is at hand: online confirm, uploads and the heartbeat use it.
    Ready,
    /// None kept for this tenant: setup must check one.
    Missing,
    /// The keychain is locked (or waits on its unlock prompt); asked again by itself.
    Locked(Said),
    /// The keychain failed or is not there; asked again by itself.
    Unavailable(Said),
}

impl TokenState {
    fn of(e: &TokenError) -> TokenState {
        match e {
            TokenError::Missing { .. } => TokenState::Missing,
            TokenError::Locked(why) => TokenState::Locked(why.clone()),
            other => TokenState::Unavailable(other.said()),
        }
    }

    /// Why nothing uploads, for the sync bar; `None` when the token is there.
    fn said(&self) -> Option<Said> {
        match self {
            TokenState::Ready => None,
            TokenState::Missing => Some(Said::new("token-state-missing")),
            TokenState::Locked(why) => {
                Some(Said::new("token-state-locked").with("why", why.clone()))
            }
            TokenState::Unavailable(why) => {
                Some(Said::new("token-state-unavailable").with("why", why.clone()))
            }
        }
    }
}

/// Everything the always-visible bars show.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DoorView {
    /// The door's counters, queue and sync state.
    pub status: DoorStatus,
    /// Session Services answered the last time it was asked.
    pub online: bool,
    /// The open door is the demo's.
    pub demo: bool,
    /// The camera's state, as starting until the camera loop reports.
    pub camera: CameraView,
    /// Whether the door has its token, and if not, why.
    pub token: TokenState,
    /// The language the station words everything in (the page re-applies its texts when it
    /// changes).
    pub language: Language,
    /// How many other doors of its group this door exchanges scans with now ("3 doors
    /// linked"); `None`: it is not sharing (no group, or the demo).
    pub linked_doors: Option<usize>,
}

/// What the window opens on.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Start {
    /// `WELCOME` (not set up: offer the demo or setup) or `DOOR`.
    pub screen: &'static str,
    /// The open door is the demo's.
    pub demo: bool,
    /// The open door's data folder (the demo's own for the demo), else the station's.
    pub data_dir: PathBuf,
}

/// The token check of the setup screen, with the events to choose from.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SetupReport {
    /// What the token appears able to do (flattened into this object).
    #[serde(flatten)]
    pub login: LoginReport,
    /// Every event of the tenant, to choose from (`GET /events`, all pages).
    pub events: Vec<session_api::Event>,
}

/// The admissions and sections a gate profile can choose from.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventChoices {
    /// The event's admissions, by id and name.
    pub admissions: Vec<usher_core::verdict::Named>,
    /// The event's sections, by id and name.
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
    /// The client the sync loop was given, once the token is there (the shift report's
    /// reconciliation asks with it). A leaf lock.
    client: Mutex<Option<usher_sync::ApiClient>>,
    /// Sync rounds that ended with a refresh, or failed, since the door opened.
    sync_rounds: Arc<AtomicU64>,
    /// Sharing with the door group (`sharing.rs`). A leaf lock.
    sharing: Mutex<sharing::Linking>,
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
        *lock(&self.sharing) = sharing::Linking::Off;
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
    /// How verdicts and scans are worded on every screen (`usher_core::look`), in the
    /// language in force (`language.rs`).
    words: RwLock<Arc<Words>>,
    /// Kiosk mode, as last read or set (`usher_core::kiosk`).
    kiosk_on: AtomicBool,
    /// The door PIN was given to close the kiosk: the next close request goes through.
    close_allowed: AtomicBool,
    /// The screen kept awake while a kiosk's door is open.
    awake: ScreenAwake,
    /// The language chosen in Setup or stored with the open door; None: the OS's (a leaf lock).
    chosen_language: Mutex<Option<Language>>,
    /// Where an open door of a group listens and finds the others (a leaf lock).
    sharing_place: Mutex<usher_peers::SharingPlace>,
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
            .map_err(|e| {
                StationError::Io(Said::new("station-sync-runtime").with("why", e.to_string()))
            })?;
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
            words: RwLock::new(Arc::new(Words::of(Language::from_os()))),
            chosen_language: Mutex::new(None),
            sharing_place: Mutex::new(usher_peers::SharingPlace::default()),
            kiosk_on: AtomicBool::new(false),
            close_allowed: AtomicBool::new(false),
            awake: ScreenAwake::default(),
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

    /// The words every screen uses now.
    pub fn words(&self) -> Arc<Words> {
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
}
