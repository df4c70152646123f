//! The core's errors. Each has a stable `code` for the UI's `{code, message}` and a message in
//! plain words for door staff; none carries a secret.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot use the data folder {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the local database {path} is damaged or is not an Usher database ({detail}). \
         Nothing was changed; move the file aside and run `usher import` or `usher sync` to rebuild the cache"
    )]
    CorruptCache { path: PathBuf, detail: String },
    /// The guest list is encrypted and its key is not at hand. Nothing was changed.
    #[error(
        "the guest list is locked: {0}. Its key is kept in this computer's keychain: unlock \
         the keychain (log in to the desktop session as the user who set up this door) and \
         start Usher again. Nothing was changed, and no scan is lost"
    )]
    CacheLocked(String),
    #[error("the local database is read-only or its folder cannot be written ({0})")]
    ReadOnly(String),
    #[error("this device is not set up: run `usher setup --api … --tenant … --event …` first")]
    NotSetUp,
    #[error(
        "the cache holds no data for event {0}: run `usher import FILE` (or `usher sync`) first"
    )]
    EventNotCached(String),
    #[error("{0}")]
    InvalidConfig(String),
    #[error("import refused, the cache is unchanged: {0}")]
    Import(String),
    /// Staff asked for something that would lose data (forgetting an event with scans still
    /// waiting to upload): nothing was done.
    #[error("{0}")]
    Refused(String),
    /// The door PIN was wrong; `left` tries before Setup locks for a minute.
    #[error("wrong PIN: {left} more tries before Setup locks for a minute")]
    WrongPin { left: u32 },
    #[error("Setup is locked after five wrong PINs: try again in {seconds} s")]
    PinLockedOut { seconds: u64 },
    #[error("Setup is locked: enter the door PIN first")]
    SetupLocked,
    #[error("the local database failed: {0}")]
    Database(String),
    #[error("{context}: {source}")]
    Io {
        context: String,
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
            Error::Database(_) => "DATABASE",
            Error::Io { .. } => "IO",
        }
    }

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
