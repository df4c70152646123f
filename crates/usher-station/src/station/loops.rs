//! The loops around an open door: the sync loop with its heartbeat (the online badge), and
//! the camera loop.

use super::{
    return_free_memory, Active, Station, StationEvent, FIRST_REFRESH_AFTER, HEARTBEAT,
    HEARTBEAT_TIMEOUT, SYNC_CACHE_KIB,
};
use crate::camera::CameraLoop;
use crate::StationError;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use usher_core::scanlog::Source;
use usher_core::{ScanInput, Store};
use usher_sync::watch::{SyncEvent, WatchConfig};
use usher_sync::ApiClient;

/// What a sync round says about the link: `Some(true)` when the server answered,
/// `Some(false)` when it could not be reached, `None` when the round did not ask it.
pub(super) fn server_answered(event: &SyncEvent) -> Option<bool> {
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
pub(super) fn heartbeat(answer: Option<Result<(), &usher_sync::Failure>>) -> (bool, Duration) {
    match answer {
        Some(Ok(())) => (true, HEARTBEAT),
        Some(Err(f)) => (
            f.status() == Some(429),
            f.after().map_or(HEARTBEAT, |wait| wait.max(HEARTBEAT)),
        ),
        None => (false, HEARTBEAT),
    }
}

impl Station {
    /// The background sync loop and the heartbeat that keeps the online badge true.
    pub(super) fn start_sync(
        &self,
        active: &Arc<Active>,
        client: ApiClient,
    ) -> Result<(), StationError> {
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

    pub(super) fn start_camera(&self, demo: bool) -> CameraLoop {
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
                    station.emit(StationEvent::Camera(view.worded(&station.words())));
                    station.emit_view();
                }
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use usher_sync::Failure;

    #[test]
    fn a_heartbeat_answered_429_waits_the_servers_retry_after_and_counts_as_online() {
        let busy = Failure::Retry {
            reason: usher_core::i18n::Said::quoted("slow down"),
            after: Some(Duration::from_secs(120)),
            status: 429,
        };
        assert_eq!(
            heartbeat(Some(Err(&busy))),
            (true, Duration::from_secs(120))
        );
        let down = Failure::Retry {
            reason: usher_core::i18n::Said::quoted("no answer"),
            after: None,
            status: 0,
        };
        assert_eq!(heartbeat(Some(Err(&down))), (false, HEARTBEAT));
        assert_eq!(heartbeat(None), (false, HEARTBEAT));
        assert_eq!(heartbeat(Some(Ok(()))), (true, HEARTBEAT));
    }
}
