//! The core's errors. Each has a stable `code` for the UI's `{code, message}` and a message in
//! plain words for door staff; none carries a secret.

use std::path::PathBuf;

/// The core's result type: [`Error`] unless another is named.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a core operation failed. [`Error::code`] names it for the UI; the message is for staff.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The data folder cannot be created or made private to this user.
    #[error("cannot use the data folder {path}: {source}")]
    DataDir {
        /// The folder.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// SQLite says the file is damaged or not a database, a migration failed, or a value in it
    /// cannot be read (an unknown status, a bad time zone, an unreadable stored verdict).
    #[error(
        "the local database {path} is damaged or is not an Usher database ({detail}). \
         Nothing was changed; move the file aside and run `usher import` or `usher sync` to rebuild the cache"
    )]
    CorruptCache {
        /// The database file; empty when the error came up from SQLite without it.
        path: PathBuf,
        /// SQLite's or the reader's own words.
        detail: String,
    },
    /// The guest list is encrypted and its key is not at hand. Nothing was changed.
    #[error(
        "the guest list is locked: {0}. Its key is kept in this computer's keychain: unlock \
         the keychain (log in to the desktop session as the user who set up this door) and \
         start Usher again. Nothing was changed, and no scan is lost"
    )]
    CacheLocked(String),
    /// SQLite could not open or write the file (read-only, permission denied).
    #[error("the local database is read-only or its folder cannot be written ({0})")]
    ReadOnly(String),
    /// No device configuration is stored yet (`usher setup` or the window's Setup not done).
    #[error("this device is not set up: run `usher setup --api … --tenant … --event …` first")]
    NotSetUp,
    /// The configured event has no row in the cache: nothing was imported or downloaded yet.
    #[error(
        "the cache holds no data for event {0}: run `usher import FILE` (or `usher sync`) first"
    )]
    EventNotCached(String),
    /// A setting or argument that cannot be used (a base URL, an id, a PIN's shape, an export
    /// path that is a link or a folder, a retention period), or a stored setting that no longer
    /// reads; the message says which.
    #[error("{0}")]
    InvalidConfig(String),
    /// An import file was refused (unreadable, missing its event or tickets, another tenant's).
    #[error("import refused, the cache is unchanged: {0}")]
    Import(String),
    /// Staff asked for something this door will not do, and nothing was done: forgetting an
    /// event (or `usher logout --forget`) while scans wait to upload, or a guest lookup at a
    /// gate whose profile switched lookup off.
    #[error("{0}")]
    Refused(String),
    /// The door PIN was wrong; `left` tries before Setup locks for a minute.
    #[error("wrong PIN: {left} more tries before Setup locks for a minute")]
    WrongPin {
        /// Tries left before the lock.
        left: u32,
    },
    /// The fifth wrong PIN in a row, or any PIN tried while Setup is still locked after it.
    #[error("Setup is locked after five wrong PINs: try again in {seconds} s")]
    PinLockedOut {
        /// Seconds until a PIN may be tried again.
        seconds: u64,
    },
    /// The station refused a Setup command because the door PIN has not been entered.
    #[error("Setup is locked: enter the door PIN first")]
    SetupLocked,
    /// A scanner's burst that was taken for the calibration code does not align with it
    /// (`scanner_layout::learn`): what is wrong.
    #[error("the scanner was not taught: {0}")]
    Calibration(String),
    /// Any other SQLite failure, or a step around it (random bytes for a key or salt, hashing the
    /// PIN, encrypting in place while another process holds the file).
    #[error("the local database failed: {0}")]
    Database(String),
    /// A file operation failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done, e.g. "cannot write /path/file".
        context: String,
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
            Error::Database(_) => "DATABASE",
            Error::Io { .. } => "IO",
        }
    }

    /// The numbers the error's words name, for its message in another language
    /// (`look::Words::error`): `left` tries, `seconds` to wait.
    pub fn numbers(&self) -> Vec<(&'static str, i64)> {
        match self {
            Error::WrongPin { left } => vec![("left", i64::from(*left))],
            Error::PinLockedOut { seconds } => {
                vec![("seconds", i64::try_from(*seconds).unwrap_or(i64::MAX))]
            }
            _ => Vec::new(),
        }
    }

    /// Wraps an I/O error with `context` (what was being done), for `map_err`.
    pub fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> Error {
        let context = context.into();
        move |source| Error::Io { context, source }
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
            _ => Error::Database(e.to_string()),
        }
    }
}
