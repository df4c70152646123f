//! The background sync loop, for the window and for `usher sync --watch`: uploads as soon as
//! a scan is recorded (a nudge from the same process, or the scan log polled for other
//! processes' scans), refreshes the guest list every few minutes, and backs off while
//! Session Services is unreachable.

use crate::client::ApiClient;
use crate::download::{self, DownloadReport};
use crate::refunds::{self, RefundReport};
use crate::upload::{self, RetryPolicy, Target, UploadReport};
use crate::SyncError;
use serde::Serialize;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;
use usher_core::settings::DeviceConfig;
use usher_core::Store;

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
    Uploaded(UploadReport),
    Downloaded(DownloadReport),
    /// The refund poll found tickets newly cancelled.
    Refunded(RefundReport),
    /// The round failed; the loop waits `retryInSeconds` before the next one.
    Failed {
        message: String,
        retry_in_seconds: u64,
    },
}

/// Runs until `stop` is notified.
pub async fn watch(
    store: Store,
    client: ApiClient,
    config: DeviceConfig,
    settings: WatchConfig,
    nudge: Arc<Notify>,
    stop: Arc<Notify>,
    on_event: impl Fn(SyncEvent),
) {
    let store = Mutex::new(store);
    let api = config.api.to_string();
    let target = Target {
        tenant_id: &config.tenant_id,
        api: &api,
    };
    let mut next_refresh = tokio::time::Instant::now() + settings.first_refresh_after;
    let mut next_refund_poll = tokio::time::Instant::now() + settings.refunds_every;
    let mut failures: i64 = 0;
    let backoff = RetryPolicy {
        min: settings.poll_every,
        max: settings.max_backoff,
    };
    loop {
        let round: Result<(), SyncError> = async {
            // Uploads first: a failing refresh must never hold scans back.
            let report =
                upload::upload(&store, &client, &target, RetryPolicy::default(), None).await?;
            let paused = report.paused.clone();
            if report.acknowledged + report.conflicts + report.rejected + report.retries > 0
                || paused.is_some()
            {
                on_event(SyncEvent::Uploaded(report));
            }
            if let Some(message) = paused {
                return Err(crate::Failure::Auth { status: 0, message }.into());
            }
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
                on_event(SyncEvent::Downloaded(report?));
                // A full refresh has every refund in it.
                next_refund_poll = tokio::time::Instant::now() + settings.refunds_every;
            } else if tokio::time::Instant::now() >= next_refund_poll {
                next_refund_poll = tokio::time::Instant::now() + settings.refunds_every;
                let report = refunds::poll(&store, &client, &config.event_id).await?;
                if report.newly_cancelled > 0 {
                    on_event(SyncEvent::Refunded(report));
                }
            }
            Ok(())
        }
        .await;
        let pause = match round {
            Ok(()) => {
                failures = 0;
                settings.poll_every
            }
            Err(e) => {
                let pause = backoff.delay(failures, None);
                failures += 1;
                on_event(SyncEvent::Failed {
                    message: e.to_string(),
                    retry_in_seconds: pause.as_secs(),
                });
                pause
            }
        };
        tokio::select! {
            _ = stop.notified() => return,
            _ = nudge.notified() => {}
            _ = tokio::time::sleep(pause) => {}
        }
    }
}
