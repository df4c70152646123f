//! The core's errors. Each has a stable `code` for the UI's `{code, message}` and a message in
//! plain words for door staff; none carries a secret.

use crate::i18n::Said;
use std::path::PathBuf;

/// The core's result type: [`Error`] unless another is named.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a core operation failed. [`Error::code`] names it for the UI; [`Error::said`] is what
/// staff read, worded by the catalogs (`errors.ftl`) in the door's language; `Display` is the
/// English.
#[derive(Debug)]
pub enum Error {
    /// The data folder cannot be created or made private to this user.
    DataDir {
        /// The folder.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// SQLite says the file is damaged or not a database, a migration failed, or a value in it
    /// cannot be read (an unknown status, a bad time zone, an unreadable stored verdict).
    /// Nothing was changed.
    CorruptCache {
        /// The database file; empty when the error came up from SQLite without it.
        path: PathBuf,
        /// SQLite's or the reader's own words, for whoever repairs it.
        detail: String,
    },
    /// The guest list is encrypted and its key is not at hand (why not). Nothing was changed.
    CacheLocked(Said),
    /// SQLite could not open or write the file (read-only, permission denied): SQLite's words.
    ReadOnly(String),
    /// No device configuration is stored yet (`usher setup` or the window's Setup not done).
    NotSetUp,
    /// The configured event (this id) has no row in the cache: nothing was imported or
    /// downloaded yet.
    EventNotCached(String),
    /// A setting or argument that cannot be used (a base URL, an id, a PIN's shape, an export
    /// path that is a link or a folder, a retention period), or a stored setting that no longer
    /// reads; what is said names which.
    InvalidConfig(Said),
    /// An import file was refused (unreadable, missing its event or tickets, another tenant's):
    /// why. The cache is unchanged.
    Import(Said),
    /// Staff asked for something this door will not do, and nothing was done: forgetting an
    /// event (or `usher logout --forget`) while scans wait to upload, or a guest lookup at a
    /// gate whose profile switched lookup off.
    Refused(Said),
    /// The door PIN was wrong; `left` tries before Setup locks for a minute.
    WrongPin {
        /// Tries left before the lock.
        left: u32,
    },
    /// The fifth wrong PIN in a row, or any PIN tried while Setup is still locked after it.
    PinLockedOut {
        /// Seconds until a PIN may be tried again.
        seconds: u64,
    },
    /// The station refused a Setup command because the door PIN has not been entered.
    SetupLocked,
    /// A scanner's burst that was taken for the calibration code does not align with it
    /// (`scanner_layout::learn`): what is wrong.
    Calibration(Said),
    /// Another door of the group sent a scan this door cannot keep (`peers::receive`): what is
    /// wrong. Nothing of its batch was kept.
    PeerScan(Said),
    /// Any other SQLite failure, or a step around it (random bytes for a key or salt, hashing the
    /// PIN, encrypting in place while another process holds the file).
    Database(Said),
    /// A file operation failed.
    Io {
        /// What was being done, e.g. "cannot write /path/file" (`io-write`).
        context: Said,
        /// What the OS said.
        source: std::io::Error,
    },
}

impl Error {
    /// A stable machine-readable code, for `{code, message}` in the UI and `--json` errors.
    pub fn code(&self) -> &'static str {
        match self {
            Error::DataDir { .. } => "DATA_DIR",
            Error::CorruptCache { .. } => "CORRUPT_CACHE",
            Error::CacheLocked(_) => "CACHE_LOCKED",
            Error::ReadOnly(_) => "READ_ONLY",
            Error::NotSetUp => "NOT_SET_UP",
            Error::EventNotCached(_) => "EVENT_NOT_CACHED",
            Error::InvalidConfig(_) => "INVALID_CONFIG",
            Error::Import(_) => "IMPORT_REFUSED",
            Error::Refused(_) => "REFUSED",
            Error::WrongPin { .. } => "WRONG_PIN",
            Error::PinLockedOut { .. } => "PIN_LOCKED_OUT",
            Error::SetupLocked => "SETUP_LOCKED",
            Error::Calibration(_) => "CALIBRATION_MISMATCH",
            Error::PeerScan(_) => "PEER_SCAN",
            Error::Database(_) => "DATABASE",
            Error::Io { .. } => "IO",
        }
    }

    /// What staff are told: message `error-CODE` of `errors.ftl` with the error's specifics.
    pub fn said(&self) -> Said {
        let said = Said::new(format!("error-{}", self.code()));
        match self {
            Error::DataDir { path, source } => said
                .with("path", path.display().to_string())
                .with("os", source.to_string()),
            Error::CorruptCache { path, detail } => said
                .with("path", path.display().to_string())
                .with("detail", detail.as_str()),
            Error::ReadOnly(words) => said.with("detail", words.as_str()),
            Error::EventNotCached(event) => said.with("event", event.as_str()),
            Error::CacheLocked(why)
            | Error::InvalidConfig(why)
            | Error::Import(why)
            | Error::Refused(why)
            | Error::Calibration(why)
            | Error::PeerScan(why)
            | Error::Database(why) => said.with("detail", why.clone()),
            Error::WrongPin { left } => said.with("left", *left),
            Error::PinLockedOut { seconds } => said.with("seconds", *seconds),
            Error::Io { context, source } => said
                .with("detail", context.clone())
                .with("os", source.to_string()),
            Error::NotSetUp | Error::SetupLocked => said,
        }
    }

    /// Wraps an I/O error with `context` (what was being done), for `map_err`.
    pub fn io(context: Said) -> impl FnOnce(std::io::Error) -> Error {
        move |source| Error::Io { context, source }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.said().fmt(f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::DataDir { source, .. } | Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        // A value the schema allows but the door cannot read (an unknown status, a gate
        // filter that is not a list): the file is damaged, not the database engine.
        if let rusqlite::Error::FromSqlConversionFailure(..) = e {
            return Error::CorruptCache {
                path: PathBuf::new(),
                detail: e.to_string(),
            };
        }
        match e.sqlite_error_code() {
            Some(C::ReadOnly) | Some(C::CannotOpen) | Some(C::PermissionDenied) => {
                Error::ReadOnly(e.to_string())
            }
            Some(C::DatabaseCorrupt) | Some(C::NotADatabase) => Error::CorruptCache {
                path: PathBuf::new(),
                detail: e.to_string(),
            },
            _ => Error::Database(Said::quoted(e)),
        }
    }
}
