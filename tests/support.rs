//! Shared test harness: a temporary data folder and the `usher` binary.

use serde_json::Value;
use session_api::TicketStatus;
use session_sim::dataset::{Dataset, DatasetSpec};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

pub const BIN: &str = env!("CARGO_BIN_EXE_usher");

/// The demo dataset (3,000 tickets, seeded), generated once per test run.
pub fn dataset() -> &'static Dataset {
    static DATA: OnceLock<Dataset> = OnceLock::new();
    DATA.get_or_init(|| {
        Dataset::generate(&DatasetSpec {
            events: 2,
            ..DatasetSpec::default()
        })
    })
}

/// The import file of event `index` of [`dataset`], as JSON.
pub fn import_json(index: usize) -> Vec<u8> {
    let mut buf = vec![];
    dataset().write_import_json(index, &mut buf).unwrap();
    buf
}

pub fn event_id(index: usize) -> String {
    dataset().event(index).unwrap().id.clone()
}

pub fn tickets(index: usize, status: TicketStatus) -> Vec<String> {
    dataset().ticket_ids(index, status)
}

/// A data folder in a temporary directory.
pub struct Door {
    _tmp: tempfile::TempDir,
    pub dir: PathBuf,
}

impl Door {
    pub fn new() -> Door {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data");
        Door { _tmp: tmp, dir }
    }

    /// A door set up for event 0 of the dataset and loaded with its guest list.
    pub fn ready(extra_setup: &[&str]) -> Door {
        let door = Door::new();
        door.setup(&event_id(0), extra_setup).success();
        door.import_bytes(&import_json(0)).success();
        door
    }

    pub fn tmp(&self) -> &Path {
        self._tmp.path()
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::new(BIN);
        c.arg("--data-dir").arg(&self.dir);
        c.env_remove("USHER_DATA_DIR");
        c.env_remove("SESSION_SERVICES_TOKEN");
        // English, whatever this machine's locale: a test of another language says so.
        for var in ["USHER_LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE"] {
            c.env_remove(var);
        }
        c.env("LANG", "en_US.UTF-8");
        if !real_keychain() {
            c.env(
                usher_sync::token::TEST_TOKEN_DIR_ENV,
                self.tmp().join("tokens"),
            );
        }
        c
    }

    pub fn run(&self, args: &[&str]) -> Run {
        Run(self.cmd().args(args).output().unwrap())
    }

    /// Runs with `token` in `SESSION_SERVICES_TOKEN`, as automation does.
    pub fn run_with_token(&self, token: &str, args: &[&str]) -> Run {
        Run(self
            .cmd()
            .env("SESSION_SERVICES_TOKEN", token)
            .args(args)
            .output()
            .unwrap())
    }

    pub fn run_stdin(&self, args: &[&str], stdin: &[u8]) -> Run {
        let mut child = self
            .cmd()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut input = child.stdin.take().unwrap();
        let data = stdin.to_vec();
        let writer = std::thread::spawn(move || {
            let _ = input.write_all(&data);
        });
        let out = child.wait_with_output().unwrap();
        writer.join().unwrap();
        Run(out)
    }

    /// [`Door::run_stdin`] with `token` in `SESSION_SERVICES_TOKEN` (online confirm, sync),
    /// which must succeed.
    pub fn run_stdin_with_token(&self, args: &[&str], stdin: &[u8]) -> Run {
        let mut child = self
            .cmd()
            .env("SESSION_SERVICES_TOKEN", session_sim::demo::SCAN_TOKEN)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut input = child.stdin.take().unwrap();
        let data = stdin.to_vec();
        let writer = std::thread::spawn(move || {
            let _ = input.write_all(&data);
        });
        let out = child.wait_with_output().unwrap();
        writer.join().unwrap();
        Run(out).success()
    }

    pub fn setup(&self, event: &str, extra: &[&str]) -> Run {
        let mut args = vec![
            "setup",
            "--api",
            "http://127.0.0.1:9",
            "--tenant",
            session_sim::demo::TENANT_ID,
            "--event",
            event,
        ];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    pub fn import_bytes(&self, bytes: &[u8]) -> Run {
        let file = self.tmp().join(format!("import-{}.json", rand_suffix()));
        std::fs::write(&file, bytes).unwrap();
        self.run(&["import", file.to_str().unwrap()])
    }

    /// Scans each code and returns the JSON outcomes.
    pub fn scan(&self, codes: &[&str], extra: &[&str]) -> Vec<Value> {
        let mut args = vec!["--json", "scan"];
        args.extend_from_slice(codes);
        args.extend_from_slice(extra);
        self.run(&args).success().json_lines()
    }

    pub fn scan_one(&self, code: &str) -> Value {
        self.scan(&[code], &[]).remove(0)
    }

    pub fn status(&self) -> Value {
        self.run(&["--json", "status"])
            .success()
            .json_lines()
            .remove(0)
    }

    /// The whole scan log, through `usher export` (its first line, the header, left out).
    pub fn log(&self) -> Vec<Value> {
        let out = self.tmp().join(format!("log-{}.jsonl", rand_suffix()));
        self.run(&["export", "--out", out.to_str().unwrap()])
            .success();
        let mut lines: Vec<Value> = std::fs::read_to_string(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let header = lines.remove(0);
        assert!(header.get("usherExport").is_some(), "{header}");
        lines
    }
}

fn rand_suffix() -> String {
    uuid_like()
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

pub struct Run(pub Output);

impl Run {
    #[track_caller]
    pub fn success(self) -> Run {
        assert!(
            self.0.status.success(),
            "usher failed ({}):\nstdout: {}\nstderr: {}",
            self.0.status,
            self.stdout(),
            self.stderr()
        );
        self
    }

    /// Asserts a failure and returns stderr.
    #[track_caller]
    pub fn failure(self) -> String {
        assert!(
            !self.0.status.success(),
            "usher should have failed:\nstdout: {}",
            self.stdout()
        );
        let err = self.stderr();
        assert!(
            !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
            "a user mistake must not print a panic: {err}"
        );
        err
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }

    pub fn json_lines(&self) -> Vec<Value> {
        self.stdout()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }
}

/// A simulator on loopback serving a generated event of `tickets` tickets, demo tenant and
/// token.
pub fn simulator(tickets: usize) -> session_sim::RunningSim {
    session_sim::spawn(session_sim::SimConfig::new(Dataset::generate(
        &DatasetSpec {
            tickets,
            ..DatasetSpec::default()
        },
    )))
    .unwrap()
}

/// Whether tests use the real OS keychain: `scripts/test` says so (it gives them a throwaway
/// one under D-Bus); a plain `cargo test` keeps tokens in a temporary folder instead, so it
/// needs no D-Bus and never writes into a developer's login keychain.
pub fn real_keychain() -> bool {
    std::env::var_os("USHER_REAL_KEYCHAIN").is_some()
}

/// The token store for in-process tests: the real keychain under `scripts/test`, else a
/// folder in `dir`.
pub fn token_store(dir: &Path) -> std::sync::Arc<dyn usher_sync::TokenStore> {
    if real_keychain() {
        std::sync::Arc::new(usher_sync::Keychain)
    } else {
        std::sync::Arc::new(usher_sync::token::FolderStore::new(dir.join("tokens")))
    }
}

/// How many check-ins the server holds for a ticket.
pub fn server_check_ins(sim: &session_sim::RunningSim, id: &str) -> usize {
    sim.sim()
        .ticket(id)
        .expect("a ticket the simulator knows")
        .scans
        .iter()
        .filter(|s| s.kind == session_api::ScanKind::CheckIn)
        .count()
}

/// A door set up against `sim`'s first event (`extra`: more `usher setup` flags), nothing
/// downloaded yet.
pub fn door_for(sim: &session_sim::RunningSim, extra: &[&str]) -> Door {
    let door = Door::new();
    door.setup_against(sim, extra).success();
    door
}

impl Door {
    /// What the sync library needs to work on this door in-process: its store, its settings
    /// and a client with the demo token.
    pub fn sync_parts(
        &self,
    ) -> (
        std::sync::Mutex<usher_core::Store>,
        usher_core::settings::DeviceConfig,
        usher_sync::ApiClient,
    ) {
        let (store, _) = usher_sync::token::open_store(token_store(self.tmp()), &self.dir).unwrap();
        let config = usher_core::settings::load(store.conn()).unwrap();
        let token = usher_sync::Token::new(session_sim::demo::SCAN_TOKEN).unwrap();
        let client =
            usher_sync::ApiClient::new(config.api.base_url(), &config.tenant_id, Some(token))
                .unwrap();
        (std::sync::Mutex::new(store), config, client)
    }

    /// The door's database, opened beside the binary with its key from the keychain (waits
    /// out its locks).
    pub fn db(&self) -> rusqlite::Connection {
        let db = rusqlite::Connection::open(self.dir.join("usher.db")).unwrap();
        if let Some(key) = self.cache_key() {
            db.execute_batch(&format!("PRAGMA key = \"x'{}'\";", key.expose_hex()))
                .unwrap();
        }
        db.busy_timeout(std::time::Duration::from_secs(5)).unwrap();
        db
    }

    /// The data folder's database key, as the binary keeps it.
    pub fn cache_key(&self) -> Option<usher_sync::token::CacheKey> {
        usher_sync::token::cache_key(&*token_store(self.tmp()), &self.dir).unwrap()
    }

    /// `usher setup` for `sim`'s first event.
    pub fn setup_against(&self, sim: &session_sim::RunningSim, extra: &[&str]) -> Run {
        let event = sim.sim().dataset().event(0).unwrap().id.clone();
        let url = sim.base_url();
        let mut args = vec![
            "setup",
            "--api",
            &url,
            "--tenant",
            session_sim::demo::TENANT_ID,
            "--event",
            &event,
        ];
        args.extend_from_slice(extra);
        self.run(&args)
    }
}

/// A seeded xorshift: random moments (kills, delays) that are the same on every run.
pub struct XorShift(pub u64);

impl XorShift {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// A running `usher --json scan -`: one thread feeding it codes, one collecting the verdicts
/// it prints. A line cut short by a kill is not a printed verdict.
pub struct Feeding {
    feeder: std::thread::JoinHandle<()>,
    reader: std::thread::JoinHandle<Vec<Value>>,
    printed: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Feeding {
    pub fn start(child: &mut std::process::Child, codes: Vec<String>) -> Feeding {
        use std::io::BufRead;
        let mut stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let printed = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let feeder = std::thread::spawn(move || {
            for c in codes {
                if writeln!(stdin, "{c}").is_err() {
                    break;
                }
            }
        });
        let count = printed.clone();
        let reader = std::thread::spawn(move || {
            std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter_map(|l| serde_json::from_str::<Value>(&l).ok())
                .inspect(|_| {
                    count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                })
                .collect()
        });
        Feeding {
            feeder,
            reader,
            printed,
        }
    }

    /// How many verdicts have been printed so far: the scanner's progress.
    pub fn count(&self) -> u64 {
        self.printed.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The verdicts printed, once the process has ended.
    pub fn printed(self) -> Vec<Value> {
        self.feeder.join().unwrap();
        self.reader.join().unwrap()
    }
}

/// How long a process may make no progress at all before a crash test gives up on it: a
/// guard against a hung process, not a moment any assertion depends on.
pub const STALL: std::time::Duration = std::time::Duration::from_secs(120);

/// A SIGKILL placed by progress, not by the clock: once a process has made `after` steps
/// (verdicts printed, requests the simulator received) it is killed a seeded random `delay`
/// later. On a loaded machine the kill comes later in wall-clock time but at the same point
/// of the work, so a crash test proves the same thing at any load.
pub struct Kill {
    pub after: u64,
    pub delay: std::time::Duration,
    due: Option<std::time::Instant>,
    outcome: Option<bool>,
}

impl Kill {
    /// After `1..=max_after` steps, plus `0..max_delay_us` microseconds, drawn from `rng`.
    pub fn random(rng: &mut XorShift, max_after: u64, max_delay_us: u64) -> Kill {
        Kill {
            after: 1 + rng.next() % max_after,
            delay: std::time::Duration::from_micros(rng.next() % max_delay_us.max(1)),
            due: None,
            outcome: None,
        }
    }

    /// Starts the delay now, whatever the progress (another process's progress decided it).
    pub fn arm(&mut self) {
        self.due
            .get_or_insert_with(|| std::time::Instant::now() + self.delay);
    }

    /// One look at `child` with its progress so far: arms the kill once progress reaches
    /// `after`, SIGKILLs the child when the delay is over. The outcome once settled.
    pub fn poll(&mut self, child: &mut std::process::Child, progress: u64) -> Option<bool> {
        if self.outcome.is_some() {
            return self.outcome;
        }
        if child.try_wait().unwrap().is_some() {
            self.outcome = Some(false);
            return self.outcome;
        }
        if progress >= self.after {
            self.arm();
        }
        if self.due.is_some_and(|due| std::time::Instant::now() >= due) {
            let running = child.try_wait().unwrap().is_none();
            child.kill().ok(); // SIGKILL on Unix
            child.wait().unwrap();
            self.outcome = Some(running);
        }
        self.outcome
    }
}

/// Polls each `(child, kill, progress)` until every one is settled: killed by its plan, or
/// ended on its own. Returns whether each kill hit a running process. Panics, naming the
/// process, when one makes no progress for [`STALL`] (a hang, not a slow machine).
pub fn kill_on_progress(
    plans: &mut [(&mut std::process::Child, &mut Kill, &dyn Fn() -> u64)],
) -> Vec<bool> {
    let mut last: Vec<(u64, std::time::Instant)> = plans
        .iter()
        .map(|(_, _, p)| (p(), std::time::Instant::now()))
        .collect();
    loop {
        let mut settled = 0;
        for (i, (child, kill, progress)) in plans.iter_mut().enumerate() {
            let now = progress();
            if kill.poll(child, now).is_some() {
                settled += 1;
            } else if now != last[i].0 {
                last[i] = (now, std::time::Instant::now());
            } else if kill.due.is_none() && last[i].1.elapsed() > STALL {
                panic!(
                    "process {i} made no progress in {STALL:?} (stuck at {now} of {} steps)",
                    kill.after
                );
            }
        }
        if settled == plans.len() {
            return plans
                .iter()
                .map(|(_, k, _)| k.outcome == Some(true))
                .collect();
        }
        std::thread::sleep(std::time::Duration::from_micros(200));
    }
}

/// Checks every request and answer of a simulator's journal against the contract's schemas:
/// the routes used, and what does not fit.
pub fn check_journal(
    journal: &[session_sim::JournalEntry],
) -> (std::collections::BTreeSet<String>, Vec<String>) {
    let contract = session_contract::Contract::get();
    let mut routes = std::collections::BTreeSet::new();
    let mut wrong = Vec::new();
    for entry in journal {
        let Some((route, _)) = contract.route_for(&entry.method, &entry.path) else {
            wrong.push(format!(
                "{} {}: not a route of the contract",
                entry.method, entry.path
            ));
            continue;
        };
        routes.insert(route.name.clone());
        for w in contract.check_request(
            &entry.method,
            &entry.path,
            &entry.query,
            entry.body.as_ref(),
        ) {
            wrong.push(format!("request {} {}: {w}", entry.method, entry.path));
        }
        match &entry.answer {
            Some(answer) => {
                for w in contract.check_answer(&entry.method, &entry.path, entry.status, answer) {
                    wrong.push(format!(
                        "answer {} {} {}: {w}",
                        entry.status, entry.method, entry.path
                    ));
                }
            }
            None => wrong.push(format!(
                "{} {}: the answer was not JSON",
                entry.method, entry.path
            )),
        }
    }
    (routes, wrong)
}

/// Every file under `dir`, in all its subfolders.
pub fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// A door with the guest list of `sim`'s first event, set up `--offline` so that `n` of its
/// guests' scans are decided from the cache and wait in the queue. Returns their ids.
pub fn queued_door(sim: &session_sim::RunningSim, n: usize) -> (Door, Vec<String>) {
    let door = door_for(sim, &["--offline"]);
    door.run_with_token(session_sim::demo::SCAN_TOKEN, &["--json", "sync"])
        .success();
    let ids: Vec<String> = sim
        .sim()
        .dataset()
        .ticket_ids_of_admission(0, 0, TicketStatus::Active)
        .into_iter()
        .take(n)
        .collect();
    let verdicts = door
        .run_stdin(&["--json", "scan", "-"], ids.join("\n").as_bytes())
        .success()
        .json_lines();
    assert!(verdicts.iter().all(|v| v["verdict"] == "ADMIT"));
    assert_eq!(door.status()["pendingUpload"], n as u64);
    (door, ids)
}

/// `usher sync --upload-only --wait SECONDS`, and what it printed.
pub fn upload_round(door: &Door, wait: &str) -> Value {
    door.run_with_token(
        session_sim::demo::SCAN_TOKEN,
        &["--json", "sync", "--upload-only", "--wait", wait],
    )
    .success()
    .json_lines()
    .remove(0)
}
