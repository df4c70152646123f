//! The SQLite file in the data folder: opening it safely, the pragmas, the migrations in
//! the repository's `migrations/` folder (embedded at compile time), and its encryption.
//!
//! The file is SQLCipher: with a [`CacheKey`] every page (and the write-ahead log) is
//! encrypted with AES-256, so a lost laptop's guest list cannot be read. The key is a random
//! 256-bit one per data folder, kept in the OS keychain by the caller (`usher-sync`'s
//! `token::cache_key`), never in the data folder. A folder with no key (the demo, a door with
//! no keychain) is plain SQLite, and [`Store::encrypted`] says so. A plain file opened with a
//! key is encrypted in place first ([`encrypt_in_place`]), whole, pending scans included.
//!
//! **Architecture invariant:** an encrypted file is never opened, re-created or emptied
//! without its key: [`Store::open`] without one answers [`Error::CacheLocked`].
//!
//! **Architecture invariant:** this is the only place that opens the database or sets
//! pragmas. Every other module takes a `&Connection` or `&Transaction`.

use crate::error::{Error, Result};
use crate::i18n::Said;
use include_dir::{include_dir, Dir};
use rusqlite::Connection;
use rusqlite_migration::Migrations;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

static MIGRATIONS_DIR: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../migrations");
static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    Migrations::from_directory(&MIGRATIONS_DIR).expect("the embedded migrations folder is valid")
});

/// The database file's name inside the data folder.
pub const DB_FILE: &str = "usher.db";

/// The data folder: `--data-dir`, else `USHER_DATA_DIR` (both handled by the caller), else
/// the platform's data folder (`~/.local/share/usher` on Linux).
pub fn default_data_dir() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("usher")
}

/// A data folder's database key: 256 random bits from the OS. `Debug` prints `CacheKey(…)`;
/// there is no `Display` or `Serialize`. Its hex form is for the keychain only.
#[derive(Clone, PartialEq, Eq)]
pub struct CacheKey(std::sync::Arc<[u8; 32]>);

impl CacheKey {
    /// A new key from the OS's random source.
    pub fn generate() -> Result<CacheKey> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)
            .map_err(|e| Error::Database(Said::new("db-no-random").with("os", e.to_string())))?;
        Ok(CacheKey(std::sync::Arc::new(bytes)))
    }

    /// Reads the keychain's copy: 64 hex digits.
    pub fn from_hex(hex: &str) -> Option<CacheKey> {
        let hex = hex.trim();
        if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let mut bytes = [0u8; 32];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(CacheKey(std::sync::Arc::new(bytes)))
    }

    /// The key as 64 hex digits, for the keychain and `PRAGMA key` only.
    pub fn expose_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// SQLCipher's raw-key form (no passphrase derivation: the key is already random).
    fn pragma(&self) -> String {
        format!("x'{}'", self.expose_hex())
    }
}

impl std::fmt::Debug for CacheKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CacheKey(…)")
    }
}

/// What the database file in a data folder is, read from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// No file yet (or an empty one).
    Missing,
    /// Plain SQLite: readable by anyone who has the file.
    Plain,
    /// Anything else: SQLCipher's pages look random (so does a damaged file).
    Encrypted,
}

/// Plain SQLite files start with these 16 bytes; SQLCipher files do not.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// What `data_dir`'s database file is, without opening it.
pub fn file_kind(data_dir: &Path) -> Result<FileKind> {
    use std::io::Read;
    let path = data_dir.join(DB_FILE);
    let mut file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileKind::Missing),
        Err(e) => return Err(Error::io(Said::io("read", &path))(e)),
    };
    let mut head = Vec::with_capacity(16);
    file.by_ref()
        .take(16)
        .read_to_end(&mut head)
        .map_err(Error::io(Said::io("read", &path)))?;
    Ok(match head.as_slice() {
        [] => FileKind::Missing,
        h if h == SQLITE_HEADER => FileKind::Plain,
        _ => FileKind::Encrypted,
    })
}

/// The open database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    key: Option<CacheKey>,
    commits_since_checkpoint: u32,
}

/// Commits between two checkpoints (SQLite's own default is about 1,000 pages).
const CHECKPOINT_EVERY: u32 = 256;

/// The busy handler: sleep a millisecond and try again, for about 5 s in all.
fn retry_every_millisecond(attempts: i32) -> bool {
    std::thread::sleep(std::time::Duration::from_millis(1));
    attempts < 5_000
}

impl Store {
    /// Opens (creating if needed) a plain database in `data_dir`: [`Store::open_with`] with
    /// no key. An encrypted one answers [`Error::CacheLocked`].
    pub fn open(data_dir: &Path) -> Result<Store> {
        Store::open_with(data_dir, None)
    }

    /// Opens (creating if needed) the database in `data_dir`, readable by its owner only, in
    /// WAL mode with full fsync on commit, and brings its schema up to date. With `key` the
    /// file is encrypted: a new one is created so, a plain one is encrypted in place first.
    /// Without it, an encrypted file is refused as [`Error::CacheLocked`], untouched.
    pub fn open_with(data_dir: &Path, key: Option<&CacheKey>) -> Result<Store> {
        create_private_dir(data_dir)?;
        let path = data_dir.join(DB_FILE);
        let corrupt = |e: rusqlite::Error| match Error::from(e) {
            Error::CorruptCache { detail, .. } => Error::CorruptCache {
                path: path.clone(),
                detail: if key.is_some() {
                    format!("{detail}; or it is not this key's")
                } else {
                    detail
                },
            },
            other => other,
        };
        match (file_kind(data_dir)?, key) {
            (FileKind::Encrypted, None) => {
                return Err(Error::CacheLocked(Said::new("locked-no-key-given")))
            }
            (FileKind::Plain, Some(key)) => encrypt_in_place(data_dir, key)?,
            _ => {}
        }
        let mut conn = Connection::open(&path).map_err(corrupt)?;
        // SQLCipher writes its own errors (a wrong key's "hmac check failed") to stderr, over
        // the command line's output; the error returned below says it in plain words.
        conn.execute_batch("PRAGMA cipher_log_level = NONE;")
            .map_err(corrupt)?;
        if let Some(key) = key {
            // First, before anything reads a page.
            conn.execute_batch(&format!("PRAGMA key = \"{}\";", key.pragma()))
                .map_err(corrupt)?;
        }
        // Reads the first page: a wrong key or a damaged file fails here, before any pragma
        // could write to it.
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
            .map_err(corrupt)?;
        restrict_file(&path)?;
        // WAL: readers (the window, `usher status`) never block the door. synchronous=FULL:
        // a committed scan survives a power cut, not only a crash.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(corrupt)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(corrupt)?;
        // On macOS fsync() does not reach the platter; F_FULLFSYNC does. Without it FULL is
        // not power-safe there.
        #[cfg(target_os = "macos")]
        conn.pragma_update(None, "fullfsync", "ON")
            .map_err(corrupt)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(corrupt)?;
        // 64 MB of page cache: a million-ticket cache's indexes stay in memory, so imports and
        // refreshes do not slow down as the tables grow.
        conn.pragma_update(None, "cache_size", -65_536)
            .map_err(corrupt)?;
        // A connection that finds the database locked tries again every millisecond, for 5 s.
        // SQLite's own busy timeout sleeps longer and longer (up to 100 ms a time), so a door
        // scanning during a download kept missing the writer's gaps between transactions and
        // waited up to half a second (measured by the sync benchmark).
        conn.busy_handler(Some(retry_every_millisecond))
            .map_err(corrupt)?;
        // A log that once grew (a guest-list download) is cut back to 4 MB when it restarts.
        conn.pragma_update(None, "journal_size_limit", 4 * 1024 * 1024)
            .map_err(corrupt)?;
        MIGRATIONS.to_latest(&mut conn).map_err(|e| match e {
            rusqlite_migration::Error::RusqliteError { err, .. } => corrupt(err),
            other => Error::CorruptCache {
                path: path.clone(),
                detail: other.to_string(),
            },
        })?;
        for suffix in ["-wal", "-shm"] {
            let side = PathBuf::from(format!("{}{suffix}", path.display()));
            if side.exists() {
                restrict_file(&side)?;
            }
        }
        Ok(Store {
            conn,
            path,
            key: key.cloned(),
            commits_since_checkpoint: 0,
        })
    }

    /// Whether the file is encrypted (opened with a key).
    pub fn encrypted(&self) -> bool {
        self.key.is_some()
    }

    /// The key this file was opened with, to open more connections to it.
    pub fn key(&self) -> Option<&CacheKey> {
        self.key.as_ref()
    }

    /// Opens the database for a bulk writer (the guest-list download): the log is checkpointed
    /// every 64 MB rather than every 4 MB, since each checkpoint of a growing cache rewrites
    /// and syncs most of its index pages (measured: a 100k-ticket fill's writes take a third
    /// longer at 4 MB). The writer checkpoints when it is done ([`Store::checkpoint`]); the
    /// next commit of any connection then cuts the log back to 4 MB. Its commits are
    /// `synchronous=NORMAL`: they do not wait for the disk, so a power cut may take back the
    /// last few (pages and walk positions together, fetched again on resume); the next `FULL`
    /// commit of another connection, usually a door's scan, syncs the log with them.
    pub fn open_bulk_writer(&self) -> Result<Store> {
        let store = self.reopen()?;
        store.conn.pragma_update(None, "synchronous", "NORMAL")?;
        store
            .conn
            .pragma_update(None, "wal_autocheckpoint", 16_384)?;
        Ok(store)
    }

    /// Copies what it can of the write-ahead log into the database, without waiting for (or
    /// blocking) anyone.
    pub fn checkpoint(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Another connection to the same data folder (with the same key), for a task of its own.
    pub fn reopen(&self) -> Result<Store> {
        Store::open_with(self.data_dir(), self.key.as_ref())
    }

    /// The folder this database lives in.
    pub fn data_dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// Caps this connection's page cache (the default is 64 MB, for imports). A long-running
    /// process with several connections gives each only what its queries need; the OS still
    /// caches the file.
    pub fn limit_cache(self, kib: u32) -> Result<Store> {
        self.conn
            .pragma_update(None, "cache_size", -i64::from(kib))?;
        Ok(self)
    }

    /// Hands back this connection's page cache (`PRAGMA shrink_memory`), for a connection
    /// that has just done a big job and will sit idle: the sync loop after a refresh.
    pub fn release_memory(&self) -> Result<()> {
        self.conn.execute_batch("PRAGMA shrink_memory")?;
        Ok(())
    }

    /// For the door's connection only: no checkpoint right after a commit, so a scan never
    /// waits for one; `tidy` runs them after the verdict is shown. Every other connection
    /// (sync, import, screens) keeps SQLite's automatic checkpoint, which folds the
    /// write-ahead log back into the database every ~1,000 pages: a refresh of a big guest
    /// list would otherwise leave the log hundreds of MB long.
    pub(crate) fn checkpoint_only_when_tidy(&self) -> Result<()> {
        self.conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        Ok(())
    }

    /// Counts a commit toward the next checkpoint.
    pub(crate) fn committed(&mut self) {
        self.commits_since_checkpoint += 1;
    }

    /// Copies the write-ahead log into the database once enough commits have gathered.
    /// Call it when a moment's pause costs nothing: after a verdict is on screen.
    pub fn tidy(&mut self) -> Result<()> {
        if self.commits_since_checkpoint >= CHECKPOINT_EVERY {
            self.checkpoint()?;
            self.commits_since_checkpoint = 0;
        }
        Ok(())
    }

    /// The SQLite connection, its pragmas (and key, if any) applied.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The same connection, mutably: for transactions.
    pub fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// The database file, in the data folder.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Encrypts `data_dir`'s plain database with `key`, whole (every pending scan with it), and
/// atomically: SQLCipher's `sqlcipher_export` copies it into a new encrypted file beside it,
/// which is synced and renamed over the plain one while this connection holds the plain
/// file's exclusive lock, so no other connection can commit a scan the copy would miss (and
/// had one committed between the copy and the rename, `data_version` says so and the copy
/// is thrown away). A crash before the rename leaves the plain file as it was (the half-written
/// copy is removed next time); after it, the encrypted one. Refused while another connection
/// has the file open in WAL mode.
///
/// The plain file's pages are unlinked, not overwritten: a disk may keep them until it reuses
/// the blocks; whole-disk encryption is what protects those (the README says so).
pub fn encrypt_in_place(data_dir: &Path, key: &CacheKey) -> Result<()> {
    let path = data_dir.join(DB_FILE);
    let next = data_dir.join(format!("{DB_FILE}.encrypting"));
    let busy = |e: rusqlite::Error| {
        Error::Database(Said::new("db-encrypt-busy").with("why", e.to_string()))
    };
    remove_if_there(&next)?;
    let conn = Connection::open(&path)?;
    // Leaving WAL folds the log into the file, and SQLite refuses it while another
    // connection has the file open: the copy below then holds every committed scan.
    conn.pragma_update(None, "journal_mode", "DELETE")
        .map_err(busy)?;
    conn.execute(
        &format!("ATTACH DATABASE ?1 AS encrypted KEY \"{}\"", key.pragma()),
        [next.to_string_lossy()],
    )?;
    conn.execute_batch("BEGIN EXCLUSIVE").map_err(busy)?;
    let data_version = |c: &Connection| -> Result<i64> {
        Ok(c.query_row("PRAGMA main.data_version", [], |r| r.get(0))?)
    };
    let before = data_version(&conn)?;
    let version: i64 = conn.query_row("PRAGMA main.user_version", [], |r| r.get(0))?;
    conn.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
    // The schema version is the migrations' bookmark; sqlcipher_export does not copy it.
    conn.execute_batch(&format!(
        "PRAGMA encrypted.user_version = {version}; COMMIT; DETACH DATABASE encrypted;"
    ))?;
    restrict_file(&next)?;
    std::fs::File::open(&next)
        .and_then(|f| f.sync_all())
        .map_err(Error::io(Said::io("sync", &next)))?;
    // Holds the plain file again for the rename; a commit by anyone since the copy shows.
    conn.execute_batch("BEGIN EXCLUSIVE").map_err(busy)?;
    if data_version(&conn)? != before {
        conn.execute_batch("ROLLBACK")?;
        remove_if_there(&next)?;
        return Err(Error::Database(Said::new("db-encrypt-changed")));
    }
    std::fs::rename(&next, &path).map_err(Error::io(Said::io("replace", &path)))?;
    // The rename is durable once the folder's entry is on disk.
    #[cfg(unix)]
    std::fs::File::open(data_dir)
        .and_then(|d| d.sync_all())
        .map_err(Error::io(Said::io("sync", &data_dir)))?;
    conn.execute_batch("ROLLBACK")?;
    Ok(())
}

fn remove_if_there(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(Said::io("remove", &path))(e)),
    }
}

/// Creates `dir` (and its parents) readable by this user only: the data folder and what
/// lives in it hold guests' names.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    let err = |source| Error::DataDir {
        path: dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(err)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir).map_err(err)?.permissions().mode();
        if mode & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(err)?;
        }
    }
    Ok(())
}

fn restrict_file(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(path).map_err(Error::io(Said::io("read", &path)))?;
        if meta.permissions().mode() & 0o077 != 0 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
                .map_err(Error::io(Said::io("restrict", &path)))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        MIGRATIONS.validate().unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn data_folder_and_database_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data");
        std::fs::create_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        let store = Store::open(&dir).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(store.path()), 0o600);
    }

    #[test]
    fn database_is_in_wal_mode_with_full_sync() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open(tmp.path()).unwrap();
        let mode: String = store
            .conn()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        let sync: i64 = store
            .conn()
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap();
        assert_eq!((mode.as_str(), sync), ("wal", 2));
    }

    #[test]
    fn garbage_database_file_is_reported_as_corrupt_and_left_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join(DB_FILE);
        let garbage = b"this is not a database, but somebody's precious bytes".repeat(200);
        std::fs::write(&path, &garbage).unwrap();
        let key = CacheKey::generate().unwrap();
        let err = Store::open_with(tmp.path(), Some(&key))
            .err()
            .expect("must refuse");
        assert!(matches!(err, Error::CorruptCache { .. }), "{err:?}");
        assert!(err.to_string().contains("usher.db"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), garbage);
        // Without a key the same bytes may be an encrypted list: locked, never re-created.
        let err = Store::open(tmp.path()).err().expect("must refuse");
        assert!(matches!(err, Error::CacheLocked(_)), "{err:?}");
        assert_eq!(std::fs::read(&path).unwrap(), garbage);
    }

    const GUEST: &str = "Ottoline Quarrendon-Blish";

    fn write_a_guest(store: &Store) {
        store
            .conn()
            .execute(
                "INSERT INTO scans(id, idempotency_key, door_ms, device_id, gate_name, mode, source,
                                   payload, payload_len, verdict, verdict_json, action, upload)
                 VALUES ('s1', 'k1', 1, 'd', 'g', 'ENTRY', 'MANUAL', ?1, 1, 'ADMIT', '{}',
                         'CHECK_IN', 'PENDING')",
                [GUEST],
            )
            .unwrap();
    }

    fn raw_bytes_of(dir: &Path) -> Vec<u8> {
        std::fs::read_dir(dir)
            .unwrap()
            .flat_map(|f| std::fs::read(f.unwrap().path()).unwrap())
            .collect()
    }

    fn contains(hay: &[u8], needle: &str) -> bool {
        hay.windows(needle.len()).any(|w| w == needle.as_bytes())
    }

    #[test]
    fn an_encrypted_cache_holds_no_text_in_the_clear_and_opens_only_with_its_key() {
        let tmp = tempfile::tempdir().unwrap();
        let key = CacheKey::generate().unwrap();
        let store = Store::open_with(tmp.path(), Some(&key)).unwrap();
        assert!(store.encrypted());
        write_a_guest(&store);
        store.checkpoint().unwrap();
        let raw = raw_bytes_of(tmp.path());
        assert!(!contains(&raw, GUEST), "the guest's name is in the clear");
        assert!(!contains(&raw, "SQLite format 3"));
        assert_eq!(file_kind(tmp.path()).unwrap(), FileKind::Encrypted);
        drop(store);

        let err = Store::open(tmp.path())
            .err()
            .expect("no key, no guest list");
        assert_eq!(err.code(), "CACHE_LOCKED");
        assert!(
            err.to_string().contains("the guest list is locked"),
            "{err}"
        );
        let other = CacheKey::generate().unwrap();
        let err = Store::open_with(tmp.path(), Some(&other))
            .err()
            .expect("another key");
        assert_eq!(err.code(), "CORRUPT_CACHE");

        let again = Store::open_with(tmp.path(), Some(&key)).unwrap();
        let payload: String = again
            .conn()
            .query_row("SELECT payload FROM scans", [], |r| r.get(0))
            .unwrap();
        assert_eq!(payload, GUEST);
    }

    #[test]
    fn a_plain_cache_with_a_pending_scan_is_encrypted_in_place_and_keeps_it() {
        let tmp = tempfile::tempdir().unwrap();
        let plain = Store::open(tmp.path()).unwrap();
        assert!(!plain.encrypted());
        write_a_guest(&plain);
        drop(plain);
        assert_eq!(file_kind(tmp.path()).unwrap(), FileKind::Plain);

        let key = CacheKey::generate().unwrap();
        let store = Store::open_with(tmp.path(), Some(&key)).unwrap();
        let (payload, upload): (String, String) = store
            .conn()
            .query_row("SELECT payload, upload FROM scans", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((payload.as_str(), upload.as_str()), (GUEST, "PENDING"));
        // The schema is still at its latest version: no migration ran twice.
        MIGRATIONS
            .to_latest(&mut Store::open_with(tmp.path(), Some(&key)).unwrap().conn)
            .unwrap();
        store.checkpoint().unwrap();
        assert!(!contains(&raw_bytes_of(tmp.path()), GUEST));
        assert!(!tmp.path().join(format!("{DB_FILE}.encrypting")).exists());
    }

    #[test]
    fn a_plain_cache_open_elsewhere_is_not_encrypted_under_it() {
        let tmp = tempfile::tempdir().unwrap();
        let plain = Store::open(tmp.path()).unwrap();
        write_a_guest(&plain);
        let key = CacheKey::generate().unwrap();
        let err = encrypt_in_place(tmp.path(), &key).expect_err("another connection is open");
        assert!(err.to_string().contains("another Usher"), "{err}");
        // The open connection still works and the file is still plain.
        let n: i64 = plain
            .conn()
            .query_row("SELECT count(*) FROM scans", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1);
        assert_eq!(file_kind(tmp.path()).unwrap(), FileKind::Plain);
    }

    #[test]
    fn migration_6_takes_email_and_phone_out_of_recorded_verdicts_and_keeps_the_rest() {
        let tmp = tempfile::tempdir().unwrap();
        let mut conn = Connection::open(tmp.path().join(DB_FILE)).unwrap();
        MIGRATIONS.to_version(&mut conn, 5).unwrap();
        let person = r#"{"firstName":"Ada","lastName":"Byron","email":"ada@example.com","phone":"+44 7700 900123"}"#;
        let ticket =
            format!(r#"{{"verdict":"ADMIT","ticket":{{"id":"tkt_1","attendee":{person}}}}}"#);
        let order = format!(
            r#"{{"verdict":"ORDER","order":{{"lines":[{{"ticket":{{"attendee":{person}}}}},{{"ticket":{{"attendee":{person}}}}}]}}}}"#
        );
        for (seq, v, online) in [(1, &ticket, Some(&ticket)), (2, &order, None)] {
            conn.execute(
                "INSERT INTO scans(seq, id, idempotency_key, door_ms, device_id, gate_name, mode,
                                   source, payload, payload_len, verdict, verdict_json, upload,
                                   online_verdict, online_verdict_json)
                 VALUES (?1, ?1, ?1, 1, 'd', 'g', 'ENTRY', 'MANUAL', 'x', 1, 'ADMIT', ?2, 'NONE',
                         ?4, ?3)",
                rusqlite::params![seq, v, online, online.map(|_| "ADMIT")],
            )
            .unwrap();
        }
        MIGRATIONS.to_latest(&mut conn).unwrap();
        let rows: Vec<(String, Option<String>)> = conn
            .prepare("SELECT verdict_json, online_verdict_json FROM scans ORDER BY seq")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        let all = format!("{rows:?}");
        assert!(
            !all.contains("ada@example.com") && !all.contains("7700"),
            "{all}"
        );
        assert_eq!(all.matches("Byron").count(), 4, "{all}");
        let v: serde_json::Value = serde_json::from_str(&rows[1].0).unwrap();
        assert_eq!(
            v["order"]["lines"][1]["ticket"]["attendee"]["firstName"],
            "Ada"
        );
        // The triggers stand again.
        let err = conn
            .execute("UPDATE scans SET verdict_json = '{}'", [])
            .unwrap_err();
        assert!(err.to_string().contains("never rewritten"), "{err}");
    }

    #[test]
    fn a_cache_key_never_prints_and_reads_back_from_hex() {
        let key = CacheKey::generate().unwrap();
        assert_eq!(format!("{key:?}"), "CacheKey(…)");
        assert_eq!(CacheKey::from_hex(&key.expose_hex()), Some(key.clone()));
        assert_ne!(CacheKey::generate().unwrap(), key);
        assert_eq!(CacheKey::from_hex("abc"), None);
        assert_eq!(CacheKey::from_hex(&"zz".repeat(32)), None);
    }

    #[test]
    fn scan_log_rows_cannot_be_deleted() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open(tmp.path()).unwrap();
        store
            .conn()
            .execute(
                "INSERT INTO scans(id, idempotency_key, door_ms, device_id, gate_name, mode, source,
                                   payload, payload_len, verdict, verdict_json, upload)
                 VALUES ('s1', 'k1', 1, 'd', 'g', 'ENTRY', 'MANUAL', 'x', 1, 'NOT_A_TICKET_CODE', '{}', 'NONE')",
                [],
            )
            .unwrap();
        let err = store.conn().execute("DELETE FROM scans", []).unwrap_err();
        assert!(err.to_string().contains("append-only"), "{err}");
        let err = store
            .conn()
            .execute("UPDATE scans SET verdict = 'ADMIT'", [])
            .unwrap_err();
        assert!(err.to_string().contains("never rewritten"), "{err}");
    }
}
