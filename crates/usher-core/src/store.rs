//! The SQLite file in the data folder: opening it safely, the pragmas, and the migrations in
//! the repository's `migrations/` folder (embedded at compile time).
//!
//! **Architecture invariant:** this is the only place that opens the database or sets
//! pragmas. Every other module takes a `&Connection` or `&Transaction`.

use crate::error::{Error, Result};
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

/// The open database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
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
    /// Opens (creating if needed) the database in `data_dir`, readable by its owner only, in
    /// WAL mode with full fsync on commit, and brings its schema up to date.
    pub fn open(data_dir: &Path) -> Result<Store> {
        create_private_dir(data_dir)?;
        let path = data_dir.join(DB_FILE);
        let corrupt = |e: rusqlite::Error| match Error::from(e) {
            Error::CorruptCache { detail, .. } => Error::CorruptCache {
                path: path.clone(),
                detail,
            },
            other => other,
        };
        let mut conn = Connection::open(&path).map_err(corrupt)?;
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
            commits_since_checkpoint: 0,
        })
    }

    /// Opens the database for a bulk writer (the guest-list download): the log is checkpointed every 64 MB rather than every 4 MB,
    /// since each checkpoint of a growing cache rewrites and syncs most of its index pages
    /// (measured: a 100k-ticket fill's writes take a third longer at 4 MB). The writer
    /// checkpoints when it is done ([`Store::checkpoint`]); the next commit of any connection
    /// then cuts the log back to 4 MB. Commits stay `synchronous=FULL`: with `NORMAL` the
    /// writer's frames would be synced by whichever commit syncs next, usually a door's scan.
    pub fn open_bulk_writer(data_dir: &Path) -> Result<Store> {
        let store = Store::open(data_dir)?;
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

    /// The folder this database lives in.
    /// Another connection to the same data folder, for a task of its own.
    pub fn reopen(&self) -> Result<Store> {
        Store::open(self.data_dir())
    }

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

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    pub fn path(&self) -> &Path {
        &self.path
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
        let meta = std::fs::metadata(path)
            .map_err(Error::io(format!("cannot read {}", path.display())))?;
        if meta.permissions().mode() & 0o077 != 0 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
                .map_err(Error::io(format!("cannot restrict {}", path.display())))?;
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
        let err = Store::open(tmp.path()).err().expect("must refuse");
        assert!(matches!(err, Error::CorruptCache { .. }), "{err:?}");
        assert!(err.to_string().contains("usher.db"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), garbage);
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
