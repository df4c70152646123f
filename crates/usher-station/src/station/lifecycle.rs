//! Opening and closing the door: start from the data folder, the demo, a first download,
//! and the token that lets the sync loop and online confirm run (or why it cannot yet).

use super::{
    Active, DoorView, Start, Station, StationEvent, TokenState, DOOR_CACHE_KIB, KEYCHAIN_RETRY,
    READER_CACHE_KIB,
};
use crate::camera::lock;
use crate::demo::Demo;
use crate::warm::Warmed;
use crate::StationError;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use tokio::sync::Notify;
use usher_core::debounce::{SameScan, DEFAULT_WINDOW};
use usher_core::i18n::Said;
use usher_core::settings::{self, DeviceConfig};
use usher_core::{cache, Door, Store};
use usher_sync::download::{self};
use usher_sync::token::{Encryption, Resolved, TokenError, KEYCHAIN_DEADLINE};
use usher_sync::{ApiClient, SyncError, Token};

impl Station {
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
                StationError::Io(
                    Said::new("station-clear-demo")
                        .with("path", dir.display().to_string())
                        .with("why", e.to_string()),
                )
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
            said: Said::new("encryption-demo"),
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
    pub(super) fn download(
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
    pub(super) fn activate(
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
        self.language_of_door(&reader)?;
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
            client: Mutex::new(None),
            sync_rounds: Arc::new(AtomicU64::new(0)),
            sharing: Mutex::new(super::sharing::Linking::Off),
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
        *self.active.write().unwrap_or_else(|p| p.into_inner()) = Some(active.clone());
        self.start_sharing(&active);
        self.keep_awake_if_kiosk();
        self.emit_view();
        Ok(())
    }

    /// The door has its token: online confirm, the sync loop and the heartbeat start.
    pub(super) fn attach_token(
        &self,
        active: &Arc<Active>,
        token: Token,
    ) -> Result<(), StationError> {
        let config = &active.config;
        let client = ApiClient::new(config.api.base_url(), &config.tenant_id, Some(token))
            .map_err(SyncError::from)?;
        let confirm = usher_sync::online::OnlineClient::new(client.clone()).map_err(|e| {
            StationError::Io(Said::new("station-online-confirm").with("why", e.to_string()))
        })?;
        lock(&active.door)
            .set_online_confirm(Box::new(confirm), usher_core::online::DEFAULT_TIMEOUT);
        *lock(&active.token) = TokenState::Ready;
        *lock(&active.client) = Some(client.clone());
        self.start_sync(active, client)
    }

    /// The door opens without its token. A keychain that is locked, failing or still on
    /// its unlock prompt is waited for (`pending`) or asked again on its own thread, and the
    /// token attached when it comes; a missing token waits for setup.
    pub(super) fn token_unavailable(
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
                            Err(TokenError::Keychain(Said::new("keychain-crashed")))
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
    pub(super) fn report(&self, e: &StationError) {
        tracing::warn!(code = e.code(), error = %e, "failure reported to the door");
        self.emit(StationEvent::Error {
            code: e.code().to_string(),
            message: e.to_string(),
        });
    }
}
