//! Kiosk mode (a Setup switch, kept by `usher_core::kiosk` in this data folder): the screen
//! kept awake while the door is open, and closing the window only with the door PIN, after
//! the page said how many scans wait to upload. The window's own part (full screen, no
//! chrome) is the shell's.

use super::{Station, StationEvent, SETUP_OPEN_FOR};
use crate::camera::lock;
use crate::StationError;
use serde::Serialize;
use std::sync::atomic::Ordering;
use std::time::Instant;
use usher_core::outbox::{self, Target};

/// Kiosk mode as Setup and the window see it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KioskState {
    /// Kiosk mode is on.
    pub on: bool,
    /// Whether the screen is kept awake, in words (`None` while kiosk mode is off or no door
    /// is open).
    pub screen_awake: Option<String>,
}

impl Station {
    /// Whether this device is in kiosk mode (read from its data folder, and remembered for
    /// [`Station::ask_to_close`]).
    pub fn kiosk(&self) -> Result<KioskState, StationError> {
        let (store, _) = usher_sync::token::open_store(self.tokens.clone(), &self.home)?;
        let on = usher_core::kiosk::kiosk(store.conn())?;
        self.kiosk_on.store(on, Ordering::Relaxed);
        self.keep_awake_if_kiosk();
        Ok(self.kiosk_state())
    }

    /// Setup's kiosk switch, behind the door PIN like the rest of Setup (so kiosk mode never
    /// goes off without it). `pin`, when given, becomes the door PIN first (turning kiosk mode
    /// on needs one), and Setup stays open for [`SETUP_OPEN_FOR`] as after typing it.
    pub fn set_kiosk(&self, on: bool, pin: Option<&str>) -> Result<KioskState, StationError> {
        self.require_setup_open()?;
        let (store, _) = usher_sync::token::open_store(self.tokens.clone(), &self.home)?;
        if let Some(pin) = pin.filter(|p| !p.is_empty()) {
            usher_core::staff::set_pin(store.conn(), pin)?;
            // Whoever just chose the PIN has Setup open, as after typing it.
            *lock(&self.setup_open_until) = Some(Instant::now() + SETUP_OPEN_FOR);
        }
        usher_core::kiosk::set_kiosk(store.conn(), on)?;
        tracing::info!(on, "kiosk mode switched");
        self.kiosk_on.store(on, Ordering::Relaxed);
        self.close_allowed.store(false, Ordering::Relaxed);
        self.keep_awake_if_kiosk();
        Ok(self.kiosk_state())
    }

    /// The window was asked to close (or the app to quit). In kiosk mode, until the door PIN
    /// was given, the answer is `true` (keep it open) and the page is told, with the number of
    /// scans waiting to upload, to ask for the PIN. Returns at once: the count is made on the
    /// side, never on the window's event loop.
    pub fn ask_to_close(&self) -> bool {
        if !self.kiosk_on.load(Ordering::Relaxed) || self.close_allowed.load(Ordering::Relaxed) {
            return false;
        }
        let me = self.me.clone();
        let spawned = std::thread::Builder::new()
            .name("usher-close-asked".into())
            .spawn(move || {
                if let Some(station) = me.upgrade() {
                    let waiting = station.waiting_to_upload();
                    station.emit(StationEvent::CloseAsked { waiting });
                }
            });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "cannot count the waiting scans for the close dialog");
            self.emit(StationEvent::CloseAsked { waiting: None });
        }
        true
    }

    /// The door PIN given to close a kiosk: right, and the next [`Station::ask_to_close`]
    /// lets the window close; wrong, and it stays open (five wrong PINs in a row lock for a
    /// minute, the same count as Setup's).
    pub fn allow_close(&self, pin: &str) -> Result<(), StationError> {
        let (store, _) = usher_sync::token::open_store(self.tokens.clone(), &self.home)?;
        let tried = lock(&self.staff).try_pin(store.conn(), pin, Instant::now());
        match tried {
            Ok(()) => {
                tracing::warn!("kiosk closed with the door PIN");
                self.close_allowed.store(true, Ordering::Relaxed);
                Ok(())
            }
            Err(e) => {
                tracing::warn!(code = e.code(), "a wrong door PIN to close the kiosk");
                Err(e.into())
            }
        }
    }

    /// Scans of the open door waiting to upload (`None`: no door is open, or it could not be
    /// read).
    fn waiting_to_upload(&self) -> Option<u64> {
        let active = self.active().ok()?;
        let api = active.config.api.to_string();
        let target = Target {
            tenant_id: &active.config.tenant_id,
            api: &api,
        };
        let waiting = outbox::waiting(lock(&active.reader).conn(), target);
        waiting
            .map_err(|e| tracing::warn!(error = %e, "cannot count the waiting scans"))
            .ok()
            .map(|w| w.count)
    }

    /// Holds the screen awake while kiosk mode is on and a door is open; lets it go otherwise.
    pub(super) fn keep_awake_if_kiosk(&self) {
        self.awake
            .set(|| self.kiosk_on.load(Ordering::Relaxed) && self.active().is_ok());
    }

    pub(super) fn kiosk_state(&self) -> KioskState {
        KioskState {
            on: self.kiosk_on.load(Ordering::Relaxed),
            screen_awake: self.awake.words(&self.words()),
        }
    }
}
