//! The door pipeline, in one place: **input → parse → decide → record**, then, when the
//! device is online, **confirm** with the server (`online.rs`). Upload of whatever was not
//! confirmed happens later, from the scan log.
//!
//! A scan is decided and recorded inside one write transaction, so two processes sharing a
//! data folder (the window and `usher scan`) can never both admit the same ticket, and the
//! verdict is only returned once its row is committed to disk.

use crate::cache;
use crate::clock;
use crate::code;
use crate::error::Result;
use crate::gate::Mode;
use crate::look::Words;
use crate::online::{self, Link, OnlineConfirm};
use crate::outbox::{self, Settlement};
use crate::scanlog::{self, ScanFacts, ScanOutcome, Source, UploadState};
use crate::settings::{self, DeviceConfig};
use crate::store::Store;
use crate::verdict::Verdict;
use crate::verdict::{self, DoorContext, Found};
use jiff::Timestamp;
use rusqlite::TransactionBehavior;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A door ready to scan: the store, this device's configuration and the event's context.
pub struct Door {
    store: Store,
    config: DeviceConfig,
    device_id: String,
    ctx: DoorContext,
    /// How to ask the server (online confirm); `None`: the cache decides every scan.
    confirmer: Option<Box<dyn OnlineConfirm>>,
    link: Link,
    timeout: Duration,
    /// How verdicts are worded (`crate::look`).
    words: Arc<Words>,
}

/// One input at the door.
#[derive(Debug, Clone, Copy)]
pub struct ScanInput<'a> {
    /// The scanned text, untrusted and possibly binary.
    pub payload: &'a [u8],
    /// Which input it came from.
    pub source: Source,
    /// Staff confirmed admitting the rest of a partly used order.
    pub confirm: bool,
    /// Staff's explicit check-in (`Entry`) or check-out (`Exit`) from lookup or undo;
    /// `None`: the gate profile's mode.
    pub direction: Option<Mode>,
}

impl<'a> ScanInput<'a> {
    /// A scan as the gate profile directs it, without a staff confirmation.
    pub fn new(payload: &'a [u8], source: Source) -> ScanInput<'a> {
        ScanInput {
            payload,
            source,
            confirm: false,
            direction: None,
        }
    }
}

impl Door {
    /// Opens the door for the configured event: fails plainly when the device is not set up
    /// or the cache has never received the event.
    pub fn open(store: Store) -> Result<Door> {
        store.checkpoint_only_when_tidy()?;
        let config = settings::load(store.conn())?;
        let device_id = settings::device_id(store.conn())?;
        let ctx = cache::door_context(store.conn(), &config)?;
        Ok(Door {
            store,
            config,
            device_id,
            ctx,
            confirmer: None,
            link: Link::default(),
            timeout: online::DEFAULT_TIMEOUT,
            words: Arc::new(Words::english()),
        })
    }

    /// Asks the server about each admitting scan first (unless the device is forced
    /// offline), waiting at most `timeout` for an answer.
    pub fn with_online_confirm(
        mut self,
        confirmer: Box<dyn OnlineConfirm>,
        timeout: Duration,
    ) -> Door {
        self.set_online_confirm(confirmer, timeout);
        self
    }

    /// [`Door::with_online_confirm`] on an open door (a token that became readable later).
    pub fn set_online_confirm(&mut self, confirmer: Box<dyn OnlineConfirm>, timeout: Duration) {
        if !self.config.offline {
            self.confirmer = Some(confirmer);
            self.timeout = timeout;
        }
    }

    /// True while the door decides from the cache because the server stopped answering.
    pub fn is_offline(&self) -> bool {
        self.confirmer.is_none() || self.link.is_offline(Instant::now())
    }

    /// Words the door's verdicts from now on.
    pub fn set_words(&mut self, words: Arc<Words>) {
        self.words = words;
    }

    /// Parses, decides and durably records one scan, and returns what to show, worded.
    pub fn scan(&mut self, input: ScanInput<'_>, now: Timestamp) -> Result<ScanOutcome> {
        let mut outcome = self.decide_and_record(input, now)?;
        outcome.look = self.words.look(&outcome, &self.ctx.time_zone);
        Ok(outcome)
    }

    /// A verdict shown again for a scanner that fired twice: nothing recorded, marked as the
    /// same scan.
    pub fn shown_again(&self, first: ScanOutcome) -> ScanOutcome {
        let mut again = ScanOutcome {
            same_scan: true,
            ..first
        };
        again.look = self.words.look(&again, &self.ctx.time_zone);
        again
    }

    /// The event's time zone: times on the door's screens are shown in it.
    pub fn time_zone(&self) -> &jiff::tz::TimeZone {
        &self.ctx.time_zone
    }

    fn decide_and_record(&mut self, input: ScanInput<'_>, now: Timestamp) -> Result<ScanOutcome> {
        let tx = self
            .store
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // A laptop clock that is off decides and records by the server's (`clock.rs`).
        let correction = clock::Skew::read(&tx)?.and_then(|s| s.correction(now));
        let now = clock::corrected(now, correction);
        let parsed = code::parse(input.payload);
        let found = match &parsed {
            Ok(key) => cache::find(&tx, key)?,
            Err(_) => Found::Missing,
        };
        if matches!(found, Found::Missing | Found::Gone) {
            // Another process may have refreshed the cache since this door opened.
            self.ctx.cache_synced = cache::synced_at(&tx, &self.ctx.event_id)?;
        }
        // A staff-chosen direction decides as a gate of that mode would.
        let turned = input
            .direction
            .filter(|m| *m != self.config.gate.mode)
            .map(|mode| {
                let mut ctx = self.ctx.clone();
                ctx.gate.mode = mode;
                let mut config = self.config.clone();
                config.gate.mode = mode;
                (ctx, config)
            });
        let (ctx, config) = match &turned {
            Some((ctx, config)) => (ctx, config),
            None => (&self.ctx, &self.config),
        };
        let verdict = verdict::decide(parsed, found, ctx, now, input.confirm);
        let facts = Self::facts(&self.device_id, config, input, now, correction);
        let local = verdict.clone();
        let recorded = scanlog::record(&tx, &facts, verdict)?;
        tx.commit()?;
        self.store.committed();
        // The scan is on disk: from here on, nothing the network does can lose it.
        let asks = local.action.is_some() && self.link.should_ask(Instant::now());
        match self.confirmer.take() {
            Some(confirmer) if asks => {
                let confirmed = self.confirm_online(
                    confirmer.as_ref(),
                    recorded.seq,
                    &local,
                    input,
                    (now, correction),
                    recorded.outcome,
                );
                self.confirmer = Some(confirmer);
                confirmed
            }
            other => {
                self.confirmer = other;
                Ok(recorded.outcome)
            }
        }
    }

    /// Online confirm of a recorded scan: the server's answer settles its upload and, when it
    /// differs from the cache's verdict, becomes the verdict shown.
    fn confirm_online(
        &mut self,
        confirmer: &dyn OnlineConfirm,
        seq: i64,
        local: &Verdict,
        input: ScanInput<'_>,
        (now, correction): (Timestamp, Option<i64>),
        outcome: ScanOutcome,
    ) -> Result<ScanOutcome> {
        // Behind an earlier scan of the same ticket, the cache's verdict stands and the scan
        // queues: the uploader sends them in door order.
        let Some(upload) = outbox::upload_if_first_in_line(self.store.conn(), seq)? else {
            return Ok(outcome);
        };
        let answer = confirmer.confirm(&upload, self.timeout);
        if matches!(answer, Settlement::Retry { .. }) {
            self.link.no_answer(Instant::now());
            return Ok(outcome);
        }
        self.link.answered();
        outbox::settle(self.store.conn_mut(), seq, &answer, Timestamp::now())?;
        let upload_state = match &answer {
            Settlement::Acknowledged { .. } => UploadState::Acknowledged,
            Settlement::Conflict { .. } => UploadState::Conflict,
            _ => UploadState::Rejected,
        };
        let shown = {
            let mode = input.direction.unwrap_or(self.config.gate.mode);
            online::verdict_from_answer(local, &answer, mode, &self.ctx.time_zone)
        };
        let mut out = match shown {
            Some(v) => {
                scanlog::set_online_verdict(self.store.conn(), seq, &v)?;
                let facts = Self::facts(&self.device_id, &self.config, input, now, correction);
                scanlog::outcome(outcome.scan_id, &facts, v, upload_state)
            }
            None => ScanOutcome {
                upload: upload_state,
                ..outcome
            },
        };
        out.confirmed_online = true;
        Ok(out)
    }

    /// Everything about a scan but its verdict.
    fn facts<'a>(
        device_id: &'a str,
        config: &'a DeviceConfig,
        input: ScanInput<'a>,
        now: Timestamp,
        clock_skew_ms: Option<i64>,
    ) -> ScanFacts<'a> {
        ScanFacts {
            payload: input.payload,
            source: input.source,
            door_time: now,
            device_id,
            config,
            clock_skew_ms,
        }
    }

    /// Housekeeping that must not delay a verdict; call it once the verdict is shown.
    pub fn tidy(&mut self) -> Result<()> {
        self.store.tidy()
    }

    /// This device's configuration, as loaded when the door opened.
    pub fn config(&self) -> &DeviceConfig {
        &self.config
    }

    /// This device's id, recorded with every scan.
    pub fn device_id(&self) -> &str {
        &self.device_id
    }

    /// The store the door records into (for reads beside the door, such as status).
    pub fn store(&self) -> &Store {
        &self.store
    }
}
