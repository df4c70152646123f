//! The door's record of what happened: `tracing` events written to a daily file in the data
//! folder's `logs/` (a week kept), and the diagnostics folder staff send after a bad night
//! (`usher logs`, Door health's "Save diagnostics").
//!
//! **Architecture invariant:** no token, email, phone, name or scanned text is ever in a log
//! line. Log ids (scan, ticket, event), verdicts, counts, codes and error words only. The
//! token cannot print (`usher_sync::Token`); the rest is kept out by what the call sites
//! log, and a test greps the files after a scan, a sync and a login.

use crate::StationError;
use std::path::{Path, PathBuf};
use tracing_appender::rolling::{Builder, Rotation};
use usher_core::i18n::Said;

/// The folder, under the data folder.
pub const LOG_DIR: &str = "logs";
/// Daily files kept: a week.
pub const KEEP_FILES: usize = 7;
/// What is logged unless `USHER_LOG` says otherwise (an `EnvFilter`, e.g. `debug`).
const DEFAULT_FILTER: &str = "info";
/// The environment variable that sets the log filter (`info` when unset).
pub const FILTER_ENV: &str = "USHER_LOG";

/// Keeps the log writer's thread; lines still queued are written when it drops.
#[must_use = "logs stop being written when the guard drops"]
pub struct LogGuard(
    #[allow(dead_code, reason = "held for its Drop")] tracing_appender::non_blocking::WorkerGuard,
);

/// Sends this process's `tracing` events to `data_dir/logs/<program>.<date>.log`. A second
/// call in the same process (tests) keeps the first subscriber.
pub fn init(data_dir: &Path, program: &str) -> Result<LogGuard, StationError> {
    let dir = data_dir.join(LOG_DIR);
    // Private like the data folder (and created here, not by the appender, which would
    // complain on stderr that there is nothing to prune yet).
    usher_core::store::create_private_dir(&dir)?;
    let appender = Builder::new()
        .rotation(Rotation::DAILY)
        .filename_prefix(program)
        .filename_suffix("log")
        .max_log_files(KEEP_FILES)
        .build(&dir)
        .map_err(|e| {
            StationError::Io(
                Said::new("station-write-logs")
                    .with("path", dir.display().to_string())
                    .with("why", e.to_string()),
            )
        })?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = tracing_subscriber::EnvFilter::try_from_env(FILTER_ENV)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(DEFAULT_FILTER));
    let installed = tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init();
    if installed.is_ok() {
        tracing::info!(
            program,
            version = env!("CARGO_PKG_VERSION"),
            data_dir = %data_dir.display(),
            "started"
        );
    }
    Ok(LogGuard(guard))
}

/// Writes a diagnostics folder under `out`: the log files, `status.json` (the door's
/// counters and sync state, as `usher status --json` prints them) and `about.json`
/// (versions, system, data folder). Returns the folder.
pub fn save_diagnostics(
    data_dir: &Path,
    out: &Path,
    status: serde_json::Value,
) -> Result<PathBuf, StationError> {
    let io = |verb: &'static str, path: &Path, e: std::io::Error| {
        StationError::from(usher_core::Error::io(Said::io(verb, &path))(e))
    };
    let stamp = jiff::Zoned::now().strftime("%Y%m%d-%H%M%S").to_string();
    let folder = out.join(format!("usher-diagnostics-{stamp}"));
    let logs = folder.join(LOG_DIR);
    std::fs::create_dir_all(&logs).map_err(|e| io("create", &logs, e))?;
    if let Ok(files) = std::fs::read_dir(data_dir.join(LOG_DIR)) {
        for file in files.flatten() {
            if file.file_type().is_ok_and(|t| t.is_file()) {
                std::fs::copy(file.path(), logs.join(file.file_name()))
                    .map_err(|e| io("copy", &file.path(), e))?;
            }
        }
    }
    let about = serde_json::json!({
        "usher": env!("CARGO_PKG_VERSION"),
        "os": std::env::consts::OS,
        "arch": std::env::consts::ARCH,
        "dataDir": data_dir.display().to_string(),
        "savedAt": jiff::Timestamp::now().to_string(),
    });
    for (name, value) in [("status.json", &status), ("about.json", &about)] {
        let text = serde_json::to_vec_pretty(value).expect("JSON values serialize");
        let file = folder.join(name);
        std::fs::write(&file, text).map_err(|e| io("write", &file, e))?;
    }
    tracing::info!(folder = %folder.display(), "diagnostics saved");
    Ok(folder)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_hold_the_logs_the_status_and_the_versions() {
        let data = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(data.path().join(LOG_DIR)).unwrap();
        std::fs::write(
            data.path().join(LOG_DIR).join("usher.2026-11-30.log"),
            "a line\n",
        )
        .unwrap();
        let out = tempfile::tempdir().unwrap();
        let folder = save_diagnostics(
            data.path(),
            out.path(),
            serde_json::json!({"pendingUpload": 3}),
        )
        .unwrap();
        let log = std::fs::read_to_string(folder.join("logs/usher.2026-11-30.log")).unwrap();
        assert_eq!(log, "a line\n");
        let status: serde_json::Value =
            serde_json::from_slice(&std::fs::read(folder.join("status.json")).unwrap()).unwrap();
        assert_eq!(status["pendingUpload"], 3);
        let about: serde_json::Value =
            serde_json::from_slice(&std::fs::read(folder.join("about.json")).unwrap()).unwrap();
        assert_eq!(about["usher"], env!("CARGO_PKG_VERSION"));
    }
}
