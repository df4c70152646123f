//! The door's screens: a scan from any source (the one `scan` every input goes through),
//! lookup's check-in and check-out, undo, activity, the bars' view, and Door health.

use super::{Active, DoorView, Station, StationEvent, TokenState};
use crate::camera::{lock, CameraView};
use crate::health::Health;
use crate::StationError;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;
use usher_core::gate::Mode;
use usher_core::i18n::Said;
use usher_core::scanlog::{ScanOutcome, Source};
use usher_core::settings;
use usher_core::status::{self, DoorStatus};
use usher_core::{activity, ScanInput};

/// A repeat of the same input: same text, same source, same staff choices.
pub(super) type ScanKey = (Vec<u8>, Source, Option<Mode>, bool);

pub(super) fn scan_key(input: &ScanInput<'_>) -> ScanKey {
    (
        input.payload.to_vec(),
        input.source,
        input.direction,
        input.confirm,
    )
}

impl Station {
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

    /// This device's newest `limit` scans, newest first, worded for the activity screen.
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

    pub(super) fn status(&self, active: &Active) -> Result<DoorStatus, StationError> {
        let reader = lock(&active.reader);
        let device = settings::device_id(reader.conn())?;
        Ok(status::status(
            reader.conn(),
            &active.config,
            &device,
            jiff::Timestamp::now(),
            &self.words(),
        )?)
    }

    /// What the always-visible bars show now. Without a token, its words fill
    /// `status.uploadsPaused` when nothing else does.
    pub fn view(&self) -> Result<DoorView, StationError> {
        let active = self.active()?;
        let mut status = self.status(&active)?;
        let token = lock(&active.token).clone();
        if status.uploads_paused.is_none() {
            status.uploads_paused = token.said().map(|s| self.words().say(&s));
        }
        Ok(DoorView {
            language: self.words().language(),
            token,
            status,
            online: self.online.load(Ordering::Relaxed),
            demo: active.demo.is_some(),
            camera: lock(&self.camera.view)
                .clone()
                .unwrap_or_else(|| CameraView::of(&usher_camera::source::CameraState::Starting))
                .worded(&self.words()),
            linked_doors: super::sharing::linked_doors(&active),
        })
    }

    pub(super) fn emit_view(&self) {
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

    /// The door-health screen's figures.
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
            encryption: active.encryption.worded(&self.words()),
            retention_days,
            screen_awake: self.awake.words(&self.words()),
            door_group: self.door_group_health(&active),
        })
    }

    /// Writes the diagnostics folder (logs, status, versions) under the data folder's
    /// `diagnostics/`, and returns it.
    pub fn save_diagnostics(&self) -> Result<PathBuf, StationError> {
        let status = match self.active() {
            Ok(active) => serde_json::to_value(self.status(&active)?).map_err(|e| {
                StationError::Io(Said::new("station-write-status").with("why", e.to_string()))
            })?,
            Err(_) => serde_json::json!({"door": "not open"}),
        };
        crate::logs::save_diagnostics(&self.home, &self.home.join("diagnostics"), status)
    }

    /// Door health's "Save shift report": the report of this data folder's scans, checked
    /// against Session Services when the door has its token and the server answers, saved
    /// as `shift-report-<time>.html` with its CSV in the user's Downloads folder (else their
    /// home folder), as `export_pending` saves. Not in the data folder: the report names
    /// guests, and nothing there holds a name in the clear.
    pub fn save_shift_report(&self) -> Result<crate::shift_report::SavedReport, StationError> {
        let active = self.active()?;
        let dir = dirs::download_dir()
            .or_else(dirs::home_dir)
            .ok_or_else(|| StationError::Io(Said::new("station-no-folder")))?;
        let stamp = jiff::Zoned::now().strftime("%Y%m%d-%H%M%S").to_string();
        let client = lock(&active.client).clone();
        let client = client.as_ref().ok_or_else(|| {
            let state = lock(&active.token).clone();
            state
                .said()
                .unwrap_or_else(|| Said::new("token-state-missing"))
        });
        crate::shift_report::save(
            &self.rt,
            &active.reader,
            &active.config,
            client,
            &dir.join(format!("shift-report-{stamp}.html")),
            &self.words(),
        )
    }

    /// The newest camera frame as JPEG, for the preview.
    pub fn preview(&self) -> Option<Arc<Vec<u8>>> {
        lock(&self.camera.preview).clone()
    }
}
