//! The background sync loop, for the window and for `usher sync --watch`: uploads as soon as
//! a scan is recorded (a nudge from the same process, or the scan log polled for other
//! processes' scans), refreshes the guest list every few minutes, and backs off while
//! Session Services is unreachable. Uploads and refreshes are two tasks on two connections:
//! a long refresh never holds a scan back.

use crate::client::ApiClient;
use crate::download::{self, DownloadReport};
use crate::refunds::{self, RefundReport};
use crate::upload::{self, Breaker, RetryPolicy, Target, UploadReport};
use crate::SyncError;
use serde::Serialize;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;
use usher_core::i18n::Said;
use usher_core::settings::DeviceConfig;
use usher_core::Store;

/// The sync loop's timings.
#[derive(Debug, Clone, Copy)]
pub struct WatchConfig {
    /// How often the guest list is re-pulled while online.
    pub refresh_every: Duration,
    /// How often the scan log is looked at for scans made by other processes.
    pub poll_every: Duration,
    /// The longest pause after failures.
    pub max_backoff: Duration,
    /// When the first refresh is due after the loop starts (uploads start at once).
    pub first_refresh_after: Duration,
    /// How often refunds are polled between refreshes.
    pub refunds_every: Duration,
}

impl Default for WatchConfig {
    fn default() -> Self {
        WatchConfig {
            refresh_every: Duration::from_secs(5 * 60),
            poll_every: Duration::from_millis(500),
            max_backoff: Duration::from_secs(60),
            first_refresh_after: Duration::ZERO,
            refunds_every: refunds::POLL_EVERY,
        }
    }
}

/// What one round did, for the sync bar.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase", tag = "event")]
pub enum SyncEvent {
    /// An upload round sent something, or found uploads paused.
    Uploaded(UploadReport),
    /// A guest-list refresh finished.
    Downloaded(DownloadReport),
    /// The refund poll found tickets newly cancelled.
    Refunded(RefundReport),
    /// The round failed; the loop waits `retryInSeconds` before the next one.
    Failed {
        /// What failed (JSON gets the English words).
        #[serde(serialize_with = "usher_core::i18n::english")]
        message: Said,
        /// The wait before the next try, in whole seconds.
        retry_in_seconds: u64,
    },
}

/// Runs until `stop` is notified. Uploads and the guest-list refresh run as two tasks on
/// two connections, so a refresh never delays an upload.
pub async fn watch(
    store: Store,
    client: ApiClient,
    config: DeviceConfig,
    settings: WatchConfig,
    nudge: Arc<Notify>,
    stop: Arc<Notify>,
    on_event: impl Fn(SyncEvent) + Send + Sync + 'static,
) {
    let on_event = Arc::new(on_event);
    let stop_uploads = Arc::new(Notify::new());
    let uploads = match store.reopen() {
        Ok(upload_store) => Some(tokio::spawn(uploads(
            upload_store,
            client.clone(),
            config.clone(),
            settings,
            nudge,
            stop_uploads.clone(),
            on_event.clone(),
        ))),
        Err(e) => {
            tracing::error!(error = %e, "cannot open the scan log for uploads");
            on_event(SyncEvent::Failed {
                message: Said::new("sync-uploads-cannot-start").with("why", e.said()),
                retry_in_seconds: 0,
            });
            None
        }
    };
    refreshes(store, client, config, settings, stop, on_event).await;
    stop_uploads.notify_one();
    if let Some(task) = uploads {
        // It stops at its next await; a panic in it was already reported by the runtime.
        let _ = task.await;
    }
}

/// The upload task: a round as soon as a scan is recorded (a nudge from this process) or
/// every `poll_every` (other processes' scans), behind the queue-wide [`Breaker`].
async fn uploads(
    store: Store,
    client: ApiClient,
    config: DeviceConfig,
    settings: WatchConfig,
    nudge: Arc<Notify>,
    stop: Arc<Notify>,
    on_event: Arc<dyn Fn(SyncEvent) + Send + Sync>,
) {
    let store = Mutex::new(store);
    let api = config.api.to_string();
    let target = Target {
        tenant_id: &config.tenant_id,
        api: &api,
    };
    let mut breaker = Breaker::new(RetryPolicy {
        min: settings.poll_every,
        max: settings.max_backoff,
    });
    loop {
        let round = upload::round(
            &store,
            &client,
            &target,
            RetryPolicy::default(),
            breaker.half_open(),
        )
        .await;
        let pause = match round {
            Ok(report) => {
                let pause = breaker.after(&report);
                if report.sent_any() || report.paused.is_some() {
                    on_event(SyncEvent::Uploaded(report.clone()));
                }
                if let Some(why) = &report.tripped {
                    let pause = pause.unwrap_or(settings.poll_every);
                    tracing::warn!(error = %why, pause_s = pause.as_secs_f32(), "uploads paused by the breaker");
                    on_event(SyncEvent::Failed {
                        message: why.clone(),
                        retry_in_seconds: pause.as_secs(),
                    });
                }
                pause
            }
            Err(e) => {
                tracing::warn!(error = %e, "an upload round failed");
                let pause = breaker.after(&UploadReport {
                    tripped: Some(e.said()),
                    ..UploadReport::default()
                });
                on_event(SyncEvent::Failed {
                    message: e.said(),
                    retry_in_seconds: pause.unwrap_or_default().as_secs(),
                });
                pause
            }
        };
        let wait = pause.unwrap_or(settings.poll_every);
        let until = tokio::time::Instant::now() + wait;
        loop {
            tokio::select! {
                _ = stop.notified() => return,
                _ = nudge.notified() => {
                    // A new scan: at once, unless the breaker is open and the server asked
                    // for the wait; then it waits its turn.
                    if pause.is_none() || breaker.may_probe_early() {
                        break;
                    }
                }
                _ = tokio::time::sleep_until(until) => break,
            }
        }
    }
}

/// The refresh task: the guest list every `refresh_every`, refunds every `refunds_every`
/// between them, backing off while Session Services cannot be reached.
async fn refreshes(
    store: Store,
    client: ApiClient,
    config: DeviceConfig,
    settings: WatchConfig,
    stop: Arc<Notify>,
    on_event: Arc<dyn Fn(SyncEvent) + Send + Sync>,
) {
    let store = Mutex::new(store);
    let mut next_refresh = tokio::time::Instant::now() + settings.first_refresh_after;
    let mut next_refund_poll = tokio::time::Instant::now() + settings.refunds_every;
    let mut failures: i64 = 0;
    let backoff = RetryPolicy {
        min: settings.poll_every,
        max: settings.max_backoff,
    };
    loop {
        let round: Result<(), SyncError> = async {
            if tokio::time::Instant::now() >= next_refresh {
                // Whatever happens, the next refresh is not before the usual interval.
                next_refresh = tokio::time::Instant::now() + settings.refresh_every;
                let report = download::download(&store, &client, &config, &|_| {}).await;
                // A refresh of a big event fills this connection's page cache; it sits idle
                // until the next refresh, so hand the memory back.
                store
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .release_memory()?;
                let report = report?;
                tracing::info!(
                    tickets = report.tickets,
                    pages = report.pages,
                    gone = report.gone,
                    "guest list refreshed"
                );
                on_event(SyncEvent::Downloaded(report));
                // A full refresh has every refund in it.
                next_refund_poll = tokio::time::Instant::now() + settings.refunds_every;
            } else if tokio::time::Instant::now() >= next_refund_poll {
                next_refund_poll = tokio::time::Instant::now() + settings.refunds_every;
                let report = refunds::poll(&store, &client, &config.event_id).await?;
                if report.newly_cancelled > 0 {
                    tracing::info!(cancelled = report.newly_cancelled, "refunds found");
                    on_event(SyncEvent::Refunded(report));
                }
            }
            Ok(())
        }
        .await;
        let until = match round {
            Ok(()) => {
                failures = 0;
                next_refresh.min(next_refund_poll)
            }
            Err(e) => {
                let pause = backoff.delay(failures, e.retry_after());
                failures += 1;
                tracing::warn!(error = %e, code = e.code(), "a guest-list refresh failed");
                on_event(SyncEvent::Failed {
                    message: e.said(),
                    retry_in_seconds: pause.as_secs(),
                });
                next_refresh = tokio::time::Instant::now() + pause;
                next_refresh
            }
        };
        tokio::select! {
            _ = stop.notified() => return,
            _ = tokio::time::sleep_until(until) => {}
        }
    }
}
