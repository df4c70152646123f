//! Setup of a real door from the window: the token check, the event's choices, finishing
//! set-up, forgetting an event, and the door PIN that guards all of it.

use super::{DoorView, EventChoices, SetupReport, Station, SETUP_OPEN_FOR};
use crate::camera::lock;
use crate::StationError;
use std::path::PathBuf;
use std::time::Instant;
use usher_core::gate::GateProfile;
use usher_core::i18n::Said;
use usher_core::settings::{self, ApiTarget, DeviceConfig};
use usher_core::staff::{self};
use usher_sync::token::{Resolved, KEYCHAIN_DEADLINE};
use usher_sync::{ApiClient, SyncError, Token};

impl Station {
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
        let words = self.words();
        let login = access.report(
            events
                .iter()
                .map(|e| access.event(&e.id, Some(e), &words))
                .collect(),
            &words,
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
                return Err(
                    usher_core::Error::InvalidConfig(Said::new("config-setup-needs-pin")).into(),
                )
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
        self.keep_awake_if_kiosk();
        Ok(gone)
    }

    /// Every scan in the data folder still waiting to upload (of any event), saved as a CSV
    /// file readable by this user only (as `usher export --pending`) in their Downloads
    /// folder (else their home folder), so staff can keep them before forgetting an event.
    /// Not in the data folder: nothing there holds a ticket id in the clear.
    pub fn export_pending(&self) -> Result<PathBuf, StationError> {
        let (store, _) = usher_sync::token::open_store(self.tokens.clone(), &self.home)?;
        let device = settings::device_id(store.conn())?;
        let dir = dirs::download_dir()
            .or_else(dirs::home_dir)
            .ok_or_else(|| StationError::Io(Said::new("station-no-folder")))?;
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

    /// Whether Setup asks for the door PIN first: the door has one, and Setup was not opened
    /// with it in the last 10 minutes (`SETUP_OPEN_FOR`) or was closed again since.
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

    /// Opens Setup for 10 minutes (`SETUP_OPEN_FOR`) with the right door PIN; five wrong ones
    /// lock it for a minute.
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

    pub(super) fn require_setup_open(&self) -> Result<(), StationError> {
        if self.setup_locked()? {
            return Err(usher_core::Error::SetupLocked.into());
        }
        Ok(())
    }

    /// Where the token check pointed the setup.
    pub(super) fn setup_target(&self) -> Result<(ApiTarget, String), StationError> {
        lock(&self.setup).clone().ok_or_else(|| {
            StationError::Sync(
                usher_core::Error::InvalidConfig(Said::new("config-check-token")).into(),
            )
        })
    }
}
