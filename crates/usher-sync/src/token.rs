//! The API token: a type that never prints, logs or serializes, and where it is kept.
//!
//! **Architecture invariant:** the token exists only in the OS keychain, in the
//! `SESSION_SERVICES_TOKEN` environment variable, and in memory inside [`Token`]. It is never
//! written to the data folder, a log or an error message. (The one exception is a test's
//! [`FolderStore`], which only a debug build told so by its test harness ever uses.)

#[cfg(not(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "macos",
    target_os = "windows"
)))]
compile_error!(
    "no OS keychain store is compiled for this target: keyring would silently keep tokens in \
     memory. Add its store feature for this target in crates/usher-sync/Cargo.toml."
);

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use usher_core::i18n::Said;
pub use usher_core::store::CacheKey;

/// A bearer token. `Debug` and `Display` print `Token(…)`; there is no `Serialize`.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Trims surrounding whitespace (a pasted token often ends in a newline); refuses an
    /// empty token, or one with whitespace or control characters inside.
    pub fn new(raw: &str) -> Result<Token, TokenError> {
        let t = raw.trim();
        if t.is_empty() {
            return Err(TokenError::Empty);
        }
        if t.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(TokenError::Malformed);
        }
        Ok(Token(t.to_string()))
    }

    /// The secret itself, for the `Authorization` header and the keychain only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(…)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(…)")
    }
}

/// Why a token could not be read or kept.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// The token given is empty or only whitespace.
    #[error("{}", self.said())]
    Empty,
    /// The token given has whitespace or control characters inside it.
    #[error("{}", self.said())]
    Malformed,
    /// No token in `SESSION_SERVICES_TOKEN`, and the store holds none for this tenant and API.
    #[error("{}", self.said())]
    Missing {
        /// The tenant asked for.
        tenant: String,
        /// The API asked for, as the configuration writes it.
        api: String,
    },
    /// The keychain is there but locked (or did not answer in time: it is waiting for
    /// someone to unlock it).
    #[error("{}", self.said())]
    Locked(Said),
    /// No keychain to ask, or it failed.
    #[error("{}", self.said())]
    Keychain(Said),
}

impl TokenError {
    /// What staff are told (see [`usher_core::Error::said`]).
    pub fn said(&self) -> Said {
        match self {
            TokenError::Empty => Said::new("token-empty"),
            TokenError::Malformed => Said::new("token-malformed"),
            TokenError::Missing { tenant, api } => Said::new("token-missing")
                .with("tenant", tenant.as_str())
                .with("api", api.as_str()),
            TokenError::Locked(why) => Said::new("token-keychain-locked").with("why", why.clone()),
            TokenError::Keychain(why) => {
                Said::new("token-keychain-missing").with("why", why.clone())
            }
        }
    }

    /// The keychain did not answer within [`KEYCHAIN_DEADLINE`]: it is waiting for someone
    /// to unlock it.
    pub fn no_answer() -> TokenError {
        TokenError::Locked(
            Said::new("token-keychain-no-answer").with("seconds", KEYCHAIN_DEADLINE.as_secs()),
        )
    }

    fn from_keyring(e: keyring::Error) -> TokenError {
        match e {
            keyring::Error::NoStorageAccess(why) => TokenError::Locked(Said::quoted(why)),
            other => TokenError::Keychain(Said::quoted(other)),
        }
    }
}

/// Where tokens are kept, per tenant and API. The real one is [`Keychain`]; tests that are
/// not about the keychain pass another.
pub trait TokenStore: Send + Sync {
    /// The token kept for `tenant` on `api`; `None` when there is none.
    fn get(&self, api: &str, tenant: &str) -> Result<Option<Token>, TokenError>;
    /// Keeps `token` for `tenant` on `api`, replacing any.
    fn set(&self, api: &str, tenant: &str, token: &Token) -> Result<(), TokenError>;
    /// Returns whether a token was there.
    fn delete(&self, api: &str, tenant: &str) -> Result<bool, TokenError>;
}

/// The OS keychain (Secret Service on Linux) through keyring 3.
pub struct Keychain;

const SERVICE: &str = "services.usher.door";

fn entry(api: &str, tenant: &str) -> Result<keyring::Entry, TokenError> {
    keyring::Entry::new(SERVICE, &format!("{tenant}@{api}")).map_err(TokenError::from_keyring)
}

impl TokenStore for Keychain {
    fn get(&self, api: &str, tenant: &str) -> Result<Option<Token>, TokenError> {
        match entry(api, tenant)?.get_password() {
            Ok(p) => Token::new(&p).map(Some),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(TokenError::from_keyring(e)),
        }
    }

    fn set(&self, api: &str, tenant: &str, token: &Token) -> Result<(), TokenError> {
        entry(api, tenant)?
            .set_password(token.expose())
            .map_err(TokenError::from_keyring)
    }

    fn delete(&self, api: &str, tenant: &str) -> Result<bool, TokenError> {
        match entry(api, tenant)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(TokenError::from_keyring(e)),
        }
    }
}

/// Tells a **debug** build to keep tokens in this folder instead of the OS keychain, so the
/// tests outside `scripts/test` (which gives them a real, throwaway keychain) never write into
/// a developer's login keychain. A release build never reads it.
pub const TEST_TOKEN_DIR_ENV: &str = "USHER_TEST_TOKEN_DIR";

/// The token store the app uses: the OS keychain, or a debug build's [`FolderStore`] when
/// its test harness sets [`TEST_TOKEN_DIR_ENV`].
pub fn store() -> Arc<dyn TokenStore> {
    #[cfg(debug_assertions)]
    if let Some(dir) = std::env::var_os(TEST_TOKEN_DIR_ENV) {
        return Arc::new(FolderStore::new(PathBuf::from(dir)));
    }
    Arc::new(Keychain)
}

/// Tokens as files in a folder (owner-only), one per tenant and API: a stand-in keychain for
/// tests. The app uses it only as [`store`] says.
pub struct FolderStore {
    dir: PathBuf,
}

impl FolderStore {
    /// Keeps tokens as files in `dir`, created when the first is kept.
    pub fn new(dir: PathBuf) -> FolderStore {
        FolderStore { dir }
    }

    fn file(&self, api: &str, tenant: &str) -> PathBuf {
        // Hex, so that any API address is one plain file name.
        let name: String = format!("{tenant}@{api}")
            .bytes()
            .map(|b| format!("{b:02x}"))
            .collect();
        self.dir.join(name)
    }
}

fn folder_error(e: std::io::Error) -> TokenError {
    TokenError::Keychain(Said::new("keychain-test-folder").with("why", e.to_string()))
}

impl TokenStore for FolderStore {
    fn get(&self, api: &str, tenant: &str) -> Result<Option<Token>, TokenError> {
        match std::fs::read_to_string(self.file(api, tenant)) {
            Ok(t) => Token::new(&t).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(folder_error(e)),
        }
    }

    fn set(&self, api: &str, tenant: &str, token: &Token) -> Result<(), TokenError> {
        use std::io::Write;
        std::fs::create_dir_all(&self.dir).map_err(folder_error)?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options
            .open(self.file(api, tenant))
            .and_then(|mut f| f.write_all(token.expose().as_bytes()))
            .map_err(folder_error)
    }

    fn delete(&self, api: &str, tenant: &str) -> Result<bool, TokenError> {
        match std::fs::remove_file(self.file(api, tenant)) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(folder_error(e)),
        }
    }
}

/// The environment variable that overrides the keychain, for automation.
pub const TOKEN_ENV: &str = "SESSION_SERVICES_TOKEN";

/// The token to use: `SESSION_SERVICES_TOKEN` when set, otherwise the store's.
pub fn resolve(store: &dyn TokenStore, api: &str, tenant: &str) -> Result<Token, TokenError> {
    if let Ok(raw) = std::env::var(TOKEN_ENV) {
        if !raw.trim().is_empty() {
            return Token::new(&raw);
        }
    }
    store.get(api, tenant)?.ok_or_else(|| TokenError::Missing {
        tenant: tenant.to_string(),
        api: api.to_string(),
    })
}

/// The keychain entry's "API" for a data folder's database key (its "tenant" is the folder).
pub const CACHE_KEY_API: &str = "usher:cache-key";

/// The keychain names a data folder's key by the folder's full path. It is created first,
/// so set-up can name the key before the database exists.
fn cache_key_account(data_dir: &Path) -> Result<String, TokenError> {
    usher_core::store::create_private_dir(data_dir).map_err(|e| TokenError::Keychain(e.said()))?;
    let full = std::fs::canonicalize(data_dir).map_err(|e| {
        TokenError::Keychain(usher_core::Error::io(Said::io("read", &data_dir))(e).said())
    })?;
    Ok(full.to_string_lossy().into_owned())
}

/// The database key of `data_dir`, if the keychain holds one.
pub fn cache_key(store: &dyn TokenStore, data_dir: &Path) -> Result<Option<CacheKey>, TokenError> {
    let Some(secret) = store.get(CACHE_KEY_API, &cache_key_account(data_dir)?)? else {
        return Ok(None);
    };
    CacheKey::from_hex(secret.expose())
        .map(Some)
        .ok_or_else(|| TokenError::Keychain(Said::new("keychain-key-damaged")))
}

/// The database key of `data_dir`: the keychain's, or a new random one put there first.
/// Set-up calls it; a door with no keychain stays plain and says so.
pub fn create_cache_key(store: &dyn TokenStore, data_dir: &Path) -> Result<CacheKey, TokenError> {
    if let Some(key) = cache_key(store, data_dir)? {
        return Ok(key);
    }
    let key = CacheKey::generate().map_err(|e| TokenError::Keychain(e.said()))?;
    let secret = Token::new(&key.expose_hex())?;
    store.set(CACHE_KEY_API, &cache_key_account(data_dir)?, &secret)?;
    // Read back: a keychain that accepts a secret and forgets it must not leave a database
    // encrypted with a key nobody kept.
    match cache_key(store, data_dir)? {
        Some(kept) if kept == key => Ok(key),
        _ => Err(TokenError::Keychain(Said::new("keychain-key-not-kept"))),
    }
}

/// Removes `data_dir`'s database key (after its data is gone). Returns whether one was there.
pub fn forget_cache_key(store: &dyn TokenStore, data_dir: &Path) -> Result<bool, TokenError> {
    store.delete(CACHE_KEY_API, &cache_key_account(data_dir)?)
}

/// How a data folder's database opens, as Door health tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encryption {
    /// The database file is encrypted (SQLCipher) with its key from the keychain.
    pub encrypted: bool,
    /// What to say: encrypted, or why not.
    pub said: Said,
}

impl Encryption {
    /// As Door health and `usher status` show it, in `words`' language.
    pub fn worded(&self, words: &usher_core::look::Words) -> EncryptionWords {
        EncryptionWords {
            encrypted: self.encrypted,
            words: words.say(&self.said),
        }
    }
}

/// [`Encryption`] worded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EncryptionWords {
    /// The database file is encrypted.
    pub encrypted: bool,
    /// Encrypted, or why not, in plain words.
    pub words: String,
}

/// Opens `data_dir`'s database with its key from `store` (asked with [`KEYCHAIN_DEADLINE`]):
/// - an encrypted file opens with its key; with the keychain locked, unavailable or holding
///   no key it is [`usher_core::Error::CacheLocked`], in the keychain's words, untouched;
/// - a plain file (or none) for which the keychain holds a key is encrypted in place;
/// - otherwise it stays plain, and [`Encryption`] says why.
pub fn open_store(
    store: Arc<dyn TokenStore>,
    data_dir: &Path,
) -> Result<(usher_core::Store, Encryption), usher_core::Error> {
    use usher_core::store::{file_kind, FileKind};
    let kind = file_kind(data_dir)?;
    let key = {
        let dir = data_dir.to_path_buf();
        let (tx, rx) = std::sync::mpsc::channel();
        let asked = std::thread::Builder::new()
            .name("usher-keychain".into())
            .spawn(move || {
                let _ = tx.send(cache_key(&*store, &dir));
            });
        match asked {
            Err(e) => Err(TokenError::Keychain(
                Said::new("keychain-no-thread").with("why", e.to_string()),
            )),
            Ok(_) => rx
                .recv_timeout(KEYCHAIN_DEADLINE)
                .unwrap_or_else(|_| Err(TokenError::no_answer())),
        }
    };
    match (kind, key) {
        (_, Ok(Some(key))) => {
            let store = usher_core::Store::open_with(data_dir, Some(&key))?;
            Ok((
                store,
                Encryption {
                    encrypted: true,
                    said: Said::new("encryption-on"),
                },
            ))
        }
        (FileKind::Encrypted, Ok(None)) => Err(usher_core::Error::CacheLocked(Said::new(
            "locked-no-key-in-keychain",
        ))),
        (FileKind::Encrypted, Err(e)) => Err(usher_core::Error::CacheLocked(e.said())),
        (_, plain) => {
            let why = match plain {
                Ok(_) => Said::new("encryption-no-key-made"),
                Err(e) => e.said(),
            };
            Ok((
                usher_core::Store::open(data_dir)?,
                Encryption {
                    encrypted: false,
                    said: Said::new("encryption-off").with("why", why),
                },
            ))
        }
    }
}

/// How long a start waits for the keychain before it goes on without the token. An unlock
/// prompt can wait for ever; the door must not.
pub const KEYCHAIN_DEADLINE: std::time::Duration = std::time::Duration::from_secs(3);

/// The answer of [`resolve_within`].
pub enum Resolved {
    /// The store answered in time.
    Now(Result<Token, TokenError>),
    /// It did not (a locked keychain waiting on its unlock prompt): its answer arrives here
    /// whenever it comes.
    Later(std::sync::mpsc::Receiver<Result<Token, TokenError>>),
}

impl Resolved {
    /// The answer, with waiting past the deadline read as a locked keychain.
    pub fn now(self) -> Result<Token, TokenError> {
        match self {
            Resolved::Now(answer) => answer,
            Resolved::Later(_) => Err(TokenError::no_answer()),
        }
    }
}

/// [`resolve`] on its own thread, waiting at most `deadline` for the store.
pub fn resolve_within(
    store: Arc<dyn TokenStore>,
    api: &str,
    tenant: &str,
    deadline: std::time::Duration,
) -> Resolved {
    let (tx, rx) = std::sync::mpsc::channel();
    let (api, tenant) = (api.to_string(), tenant.to_string());
    let spawned = std::thread::Builder::new()
        .name("usher-keychain".into())
        .spawn(move || {
            // The receiver may be gone (the door closed): nobody needs the answer then.
            let _ = tx.send(resolve(&*store, &api, &tenant));
        });
    if let Err(e) = spawned {
        return Resolved::Now(Err(TokenError::Keychain(
            Said::new("keychain-no-thread").with("why", e.to_string()),
        )));
    }
    match rx.recv_timeout(deadline) {
        Ok(answer) => Resolved::Now(answer),
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Resolved::Later(rx),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            Resolved::Now(Err(TokenError::Keychain(Said::new("keychain-crashed"))))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn token_never_prints_its_secret() {
        let t = Token::new("s3cret-value\n").unwrap();
        assert_eq!(t.expose(), "s3cret-value");
        assert!(!format!("{t:?} {t}").contains("s3cret"));
        let wrapped = Some(t);
        assert!(!format!("{wrapped:?}").contains("s3cret"));
    }

    #[test]
    fn a_folder_store_keeps_one_token_per_tenant_and_api() {
        let tmp = tempfile::tempdir().unwrap();
        let store = FolderStore::new(tmp.path().join("tokens"));
        let t = Token::new("abc").unwrap();
        assert!(store.get("http://a", "tnt_x").unwrap().is_none());
        store.set("http://a", "tnt_x", &t).unwrap();
        assert_eq!(store.get("http://a", "tnt_x").unwrap(), Some(t));
        assert!(store.get("http://b", "tnt_x").unwrap().is_none());
        assert!(store.delete("http://a", "tnt_x").unwrap());
        assert!(!store.delete("http://a", "tnt_x").unwrap());
    }

    /// A keychain whose unlock prompt nobody answers (until the test says so).
    struct Prompting(std::sync::Mutex<std::sync::mpsc::Receiver<()>>);
    impl TokenStore for Prompting {
        fn get(&self, _: &str, _: &str) -> Result<Option<Token>, TokenError> {
            self.0.lock().unwrap().recv().ok();
            Ok(Some(Token::new("late").unwrap()))
        }
        fn set(&self, _: &str, _: &str, _: &Token) -> Result<(), TokenError> {
            unreachable!()
        }
        fn delete(&self, _: &str, _: &str) -> Result<bool, TokenError> {
            unreachable!()
        }
    }

    #[test]
    fn a_keychain_that_never_answers_is_read_as_locked_and_its_late_answer_still_arrives() {
        let (unlock, prompt) = std::sync::mpsc::channel();
        let store = Arc::new(Prompting(std::sync::Mutex::new(prompt)));
        let tenant = "tnt_01jps5cgsg0s32w2pr73vbccde";
        let resolved = resolve_within(store, "http://x", tenant, Duration::from_millis(1));
        let Resolved::Later(rx) = resolved else {
            panic!("answered before the unlock")
        };
        assert!(matches!(
            Resolved::Later(std::sync::mpsc::channel().1).now(),
            Err(TokenError::Locked(_))
        ));
        unlock.send(()).unwrap();
        assert_eq!(rx.recv().unwrap().unwrap().expose(), "late");
    }

    #[test]
    fn empty_or_multiline_tokens_are_refused() {
        assert!(matches!(Token::new("  \n"), Err(TokenError::Empty)));
        assert!(matches!(Token::new("abc def"), Err(TokenError::Malformed)));
    }
}
