//! The shift report, made the same way by `usher report` and the window's "Save shift
//! report": ask Session Services about each ticket this device's scans acted on (when a
//! client is at hand), build the figures in the core, write the HTML and its CSV.

use crate::camera::lock;
use crate::StationError;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use usher_core::i18n::Said;
use usher_core::look::Words;
use usher_core::report::{self, ServerView, ShiftReport};
use usher_core::settings::DeviceConfig;
use usher_core::Store;
use usher_sync::ApiClient;

/// Where a report was written, and what it found, as `usher report --json` prints it and the
/// window shows it.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedReport {
    /// The HTML page.
    pub html: PathBuf,
    /// The CSV beside it.
    pub csv: PathBuf,
    /// Scans in the report (every scan in the log).
    pub scans: u64,
    /// Admits, exits, conflicts, rejections and scans waiting to upload, of every door.
    pub totals: report::Tally,
    /// Whether the scans were checked against the server.
    pub reconciled: bool,
    /// Why not, when they were not.
    pub not_reconciled_because: Option<String>,
    /// Tickets whose server state differs from this device's scans.
    pub differences: usize,
}

/// Makes and writes the report to `html` (its CSV beside it). `client` is the way to the
/// server, or why there is none; a door set to work offline does not ask. `store` is held
/// only while it is read, not while the server is asked. The report is in `words`' language.
pub fn save(
    rt: &tokio::runtime::Runtime,
    store: &Mutex<Store>,
    config: &DeviceConfig,
    client: Result<&ApiClient, Said>,
    html: &Path,
    words: &Words,
) -> Result<SavedReport, StationError> {
    let tickets = report::tickets_to_check(lock(store).conn())?;
    let server = match client {
        _ if config.offline => ServerView::Unavailable(Said::new("report-offline")),
        Ok(client) => rt.block_on(usher_sync::reconcile::fetch(client, &tickets)),
        Err(why) => ServerView::Unavailable(why),
    };
    let built: ShiftReport = {
        let store = lock(store);
        let device = usher_core::settings::device_id(store.conn())?;
        report::build(
            store.conn(),
            config,
            &device,
            &server,
            jiff::Timestamp::now(),
            words,
        )?
    };
    let written = usher_report::write(&built, html)?;
    tracing::info!(
        html = %written.html.display(),
        scans = built.totals.scans,
        reconciled = built.reconciliation.checked,
        differences = built.reconciliation.differences.len(),
        "shift report saved"
    );
    Ok(SavedReport {
        html: written.html,
        csv: written.csv,
        scans: built.totals.scans,
        totals: built.totals,
        reconciled: built.reconciliation.checked,
        not_reconciled_because: built.reconciliation.not_checked_because,
        differences: built.reconciliation.differences.len(),
    })
}
