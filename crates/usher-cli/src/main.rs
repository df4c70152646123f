//! `usher`: the door from a terminal. Flags and glue only; `usher-core` does the work.

mod camera;
mod demo;
mod help;
mod peers;
mod render;
mod sync;

use clap::{Args, Parser, Subcommand, ValueEnum};
use render::Output;
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use usher_core::gate::{GateProfile, Mode};
use usher_core::i18n::Language;
use usher_core::i18n::Said;
use usher_core::scanlog::{ExportFormat, Source};
use usher_core::settings::{self, ApiTarget, DeviceConfig};
use usher_core::{cache, lookup, scanlog, status, Error, ScanInput, Store};

#[derive(Parser)]
#[command(
    name = "usher",
    version,
    about = "Usher: the offline-first door scanner for Session Services"
)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct Global {
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// The data folder (cache, settings and scan log).
    #[arg(long, global = true, env = "USHER_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// The language of verdicts and messages (en, de), over the device's (`usher language`)
    /// and the OS's.
    #[arg(long, global = true, env = "USHER_LANG", value_name = "LANG", value_parser = parse_language)]
    lang: Option<Language>,
}

fn parse_language(s: &str) -> Result<Language, String> {
    Language::parse(s).map_err(|e| e.to_string())
}

#[derive(Subcommand)]
enum Command {
    /// Store this device's configuration (no token: see `usher login`).
    Setup(SetupArgs),
    /// Load an event and its tickets from a JSON file (`-` for stdin) into the cache.
    Import { file: PathBuf },
    /// Decide and record scans from the cache. `-` reads one code per line from stdin.
    Scan {
        #[arg(required_unless_present = "camera")]
        codes: Vec<String>,
        #[arg(long, value_enum, default_value_t = SourceArg::Manual)]
        source: SourceArg,
        /// Confirm admitting the rest of a partly used order.
        #[arg(long)]
        confirm: bool,
        #[command(flatten)]
        camera: camera::CameraArgs,
    },
    /// Find guests by name, email, phone, ticket or order id.
    Lookup {
        query: String,
        #[arg(long, default_value_t = lookup::DEFAULT_LIMIT)]
        limit: usize,
    },
    /// Counters, upload queue and cache age.
    Status,
    /// Write the scan log (or only the unsynced queue) to a file.
    Export {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Default: from the file's extension (.csv, otherwise JSON lines).
        #[arg(long, value_enum)]
        format: Option<FormatArg>,
        /// Only the scans still waiting to upload.
        #[arg(long)]
        pending: bool,
    },
    /// Write the shift report: one HTML page (charts inline, no script) and FILE.csv beside
    /// it, per gate and device, checked against Session Services when it answers.
    Report {
        #[arg(long, value_name = "FILE.html")]
        out: PathBuf,
    },
    /// A working door with no credentials: a generated demo event, set up and scanned.
    Demo(demo::DemoArgs),
    /// Decode QR codes in still images (png, jpg, webp): one line per file.
    Decode(camera::DecodeArgs),
    /// Check a token (from SESSION_SERVICES_TOKEN or stdin) and keep it in the OS keychain.
    Login,
    /// Remove this tenant's token from the keychain. The scan log is kept, unless --forget.
    Logout {
        /// Also remove every event's guest list and scan log, the database and its key:
        /// refused while any scan waits to upload.
        #[arg(long)]
        forget: bool,
    },
    /// Remove an event's guest list and scan log from this laptop: refused while any of its
    /// scans waits to upload (sync, or export them, first).
    Forget {
        #[arg(long, value_name = "EVENT", required_unless_present = "expired")]
        event: Option<String>,
        /// Instead: every event whose entry ended more than the retention ago (`setup
        /// --retention-days`), as the window does when it starts.
        #[arg(long, conflicts_with = "event")]
        expired: bool,
    },
    /// List the tenant's events, to choose one for `usher setup`.
    Events,
    /// The language this device speaks, in the window and here: en, de, or os (follow the
    /// computer's).
    Language { language: String },
    /// Save a diagnostics folder to send to support: the logs, `status --json` and versions.
    Logs {
        /// Where to write it. Default: the data folder's `diagnostics/`.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Doors that see each other: this door's group, and the exchange of scans with the
    /// group's other doors over the venue network (without an action: how it stands).
    #[command(disable_help_subcommand = true)]
    Peers {
        #[command(subcommand)]
        action: Option<peers::PeersAction>,
    },
    /// Download the guest list, then upload waiting scans.
    Sync {
        /// Keep retrying uploads for up to this many seconds until the queue is empty.
        #[arg(long, default_value_t = 0, value_name = "SECONDS")]
        wait: u64,
        /// Skip the download.
        #[arg(long)]
        upload_only: bool,
        /// Keep syncing in the background until interrupted: upload each scan as it is
        /// recorded, refresh the guest list every few minutes.
        #[arg(long, conflicts_with_all = ["wait", "upload_only"])]
        watch: bool,
    },
}

#[derive(Args)]
struct SetupArgs {
    /// prod, sandbox, or a base URL.
    #[arg(long)]
    api: String,
    #[arg(long, value_name = "tnt_…")]
    tenant: String,
    #[arg(long, value_name = "evt_…")]
    event: String,
    /// The gate's name, shown on every scan.
    #[arg(long, default_value = "Main door")]
    gate: String,
    #[arg(long, value_enum, default_value_t = ModeArg::Entry)]
    mode: ModeArg,
    /// Admissions this gate lets through (default: all).
    #[arg(long, value_delimiter = ',', value_name = "adm_…,…")]
    admissions: Vec<String>,
    /// Sections this gate lets through (default: all).
    #[arg(long, value_delimiter = ',', value_name = "sct_…,…")]
    sections: Vec<String>,
    /// Decide every scan from the cache, never asking the server first.
    #[arg(long)]
    offline: bool,
    /// Switch guest lookup off at this door (search by name, email, phone).
    #[arg(long)]
    no_lookup: bool,
    /// Forget an event's guest list and scans this many days after its entry ends.
    #[arg(long, default_value_t = usher_core::forget::DEFAULT_RETENTION_DAYS, value_name = "DAYS")]
    retention_days: u32,
}

#[derive(Clone, Copy, ValueEnum)]
enum SourceArg {
    Camera,
    Wedge,
    Manual,
}

#[derive(Clone, Copy, ValueEnum)]
enum ModeArg {
    Entry,
    Exit,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Csv,
    Jsonl,
}

/// Any failure of a command, with a stable code and plain words.
#[derive(Debug)]
pub enum CliError {
    Core(Error),
    Sync(usher_sync::SyncError),
    Station(usher_station::StationError),
    Peers(usher_peers::PeerError),
}

impl CliError {
    /// What the user is told, worded in the language in force (see
    /// [`usher_core::Error::said`]).
    pub fn said(&self) -> Said {
        match self {
            CliError::Core(e) => e.said(),
            CliError::Sync(e) => e.said(),
            CliError::Station(e) => e.said(),
            CliError::Peers(e) => e.said(),
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            CliError::Core(e) => e.code(),
            CliError::Sync(e) => e.code(),
            CliError::Station(e) => e.code(),
            CliError::Peers(e) => e.code(),
        }
    }
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CliError::Core(e) => e.fmt(f),
            CliError::Sync(e) => e.fmt(f),
            CliError::Station(e) => e.fmt(f),
            CliError::Peers(e) => e.fmt(f),
        }
    }
}

impl From<usher_station::StationError> for CliError {
    fn from(e: usher_station::StationError) -> Self {
        CliError::Station(e)
    }
}

impl From<usher_peers::PeerError> for CliError {
    fn from(e: usher_peers::PeerError) -> Self {
        CliError::Peers(e)
    }
}

impl From<usher_sync::token::TokenError> for CliError {
    fn from(e: usher_sync::token::TokenError) -> Self {
        CliError::Sync(e.into())
    }
}

impl From<Error> for CliError {
    fn from(e: Error) -> Self {
        CliError::Core(e)
    }
}

impl From<usher_sync::SyncError> for CliError {
    fn from(e: usher_sync::SyncError) -> Self {
        CliError::Sync(e)
    }
}

fn main() -> ExitCode {
    use clap::FromArgMatches;
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let catalog = usher_core::i18n::Catalog::of(help::language_of(&args));
    let matches =
        help::translated(<Cli as clap::CommandFactory>::command(), &catalog).get_matches_from(args);
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let mut out = Output::new(
        cli.global.json,
        cli.global.lang.unwrap_or_else(Language::from_os),
    );
    match run(cli, &mut out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            out.error(&e);
            ExitCode::FAILURE
        }
    }
}

fn data_dir(g: &Global) -> PathBuf {
    g.data_dir
        .clone()
        .unwrap_or_else(usher_core::store::default_data_dir)
}

/// The data folder's database, with its key from the OS keychain when it has one
/// (`usher_sync::token::open_store`): the one way every command opens it.
pub fn open_store(dir: &std::path::Path) -> Result<(Store, usher_sync::token::Encryption), Error> {
    usher_sync::token::open_store(usher_sync::token::store(), dir)
}

/// The output in the device's language, once its database is open, unless `--lang` (or
/// `USHER_LANG`) says otherwise.
fn speak(out: &mut Output, g: &Global, store: &Store) {
    if g.lang.is_none() {
        if let Ok(Some(language)) = settings::language(store.conn()) {
            *out = out.speaking(language);
        }
    }
}

fn run(cli: Cli, out: &mut Output) -> Result<(), CliError> {
    let dir = data_dir(&cli.global);
    let now = jiff::Timestamp::now;
    // Every command on a data folder logs to its `logs/`; the demo has its own folder and
    // decoding images has none. A folder that cannot be written is the command's own error
    // to report, in its words (`Store::open`), so a log that cannot start is only skipped.
    let _logs = match cli.command {
        Command::Demo(_) | Command::Decode(_) => None,
        _ => usher_station::logs::init(&dir, "usher").ok(),
    };
    match cli.command {
        Command::Setup(a) => {
            // The guest list is encrypted from set-up on, with a key made now in the OS
            // keychain. With no keychain the door works, plain, and says so.
            if let Err(e) = usher_sync::token::create_cache_key(&*usher_sync::token::store(), &dir)
            {
                tracing::warn!(error = %e, "no key for the guest list: it stays plain");
            }
            let (store, encryption) = open_store(&dir)?;
            let config = DeviceConfig {
                api: a.api.parse::<ApiTarget>()?,
                tenant_id: a.tenant,
                event_id: a.event,
                gate: GateProfile {
                    name: a.gate,
                    mode: match a.mode {
                        ModeArg::Entry => Mode::Entry,
                        ModeArg::Exit => Mode::Exit,
                    },
                    admission_ids: a.admissions,
                    section_ids: a.sections,
                    lookup: !a.no_lookup,
                },
                offline: a.offline,
            };
            settings::save(store.conn(), &config)?;
            usher_core::forget::set_retention_days(store.conn(), a.retention_days)?;
            out.setup(&config, &settings::device_id(store.conn())?, &encryption);
        }
        Command::Import { file } => {
            let mut store = open_store(&dir).map(|(s, _)| s)?;
            let config = settings::load(store.conn())?;
            let report = if file.as_os_str() == "-" {
                cache::import(
                    store.conn_mut(),
                    std::io::stdin(),
                    &config.tenant_id,
                    &config.api.to_string(),
                    now(),
                )?
            } else {
                let f = std::fs::File::open(&file).map_err(|e| {
                    Error::Import(
                        Said::new("import-cannot-open")
                            .with("path", file.display().to_string())
                            .with("os", e.to_string()),
                    )
                })?;
                cache::import(
                    store.conn_mut(),
                    f,
                    &config.tenant_id,
                    &config.api.to_string(),
                    now(),
                )?
            };
            out.import(&report);
        }
        Command::Scan { camera, .. } if camera.camera.is_some() => {
            camera::run_camera(camera, &dir, out)?
        }
        Command::Scan {
            codes,
            source,
            confirm,
            ..
        } => {
            let mut door = sync::open_door(&dir)?;
            speak(out, &cli.global, door.store());
            door.set_words(out.words.clone());
            let source = match source {
                SourceArg::Camera => Source::Camera,
                SourceArg::Wedge => Source::Wedge,
                SourceArg::Manual => Source::Manual,
            };
            let mut one = |payload: &[u8]| -> Result<(), Error> {
                let outcome = door.scan(
                    ScanInput {
                        payload,
                        source,
                        confirm,
                        direction: None,
                    },
                    now(),
                )?;
                tracing::info!(
                    scan = %outcome.scan_id,
                    verdict = ?outcome.verdict,
                    upload = ?outcome.upload,
                    "scan recorded"
                );
                out.scan(&outcome);
                door.tidy()
            };
            for code in &codes {
                if code == "-" {
                    for line in std::io::stdin().lock().split(b'\n') {
                        let line = line.map_err(Error::io(Said::new("io-read-stdin")))?;
                        let line = line.strip_suffix(b"\r").unwrap_or(&line);
                        if !line.is_empty() {
                            one(line)?;
                        }
                    }
                } else {
                    one(code.as_bytes())?;
                }
            }
        }
        Command::Lookup { query, limit } => {
            let store = open_store(&dir).map(|(s, _)| s)?;
            speak(out, &cli.global, &store);
            let config = settings::load(store.conn())?;
            config.gate.lookup_allowed()?;
            let index = lookup::SearchIndex::load(store.conn(), &config.event_id)?;
            let tz = cache::door_context(store.conn(), &config)?.time_zone;
            let hits = lookup::lookup(store.conn(), &index, &query, limit, (&out.words, &tz))?;
            out.lookup(&hits);
        }
        Command::Status => {
            let (store, encryption) = open_store(&dir)?;
            speak(out, &cli.global, &store);
            let config = settings::load(store.conn())?;
            let device = settings::device_id(store.conn())?;
            out.status(
                &status::status(store.conn(), &config, &device, now(), &out.words)?,
                &encryption,
            );
        }
        Command::Export {
            out: path,
            format,
            pending,
        } => {
            let store = open_store(&dir).map(|(s, _)| s)?;
            let format = match format {
                Some(FormatArg::Csv) => ExportFormat::Csv,
                Some(FormatArg::Jsonl) => ExportFormat::JsonLines,
                None if path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("csv")) =>
                {
                    ExportFormat::Csv
                }
                None => ExportFormat::JsonLines,
            };
            let device = settings::device_id(store.conn())?;
            let header = scanlog::export(store.conn(), &device, &path, format, pending, now())?;
            out.exported(header.rows, &path);
        }
        Command::Report { out: path } => sync::report(&dir, &path, out)?,
        Command::Demo(args) => demo::run(args, &cli.global.data_dir, out)?,
        Command::Decode(args) => camera::run_decode(args, out)?,
        Command::Login => sync::login(&dir, out)?,
        Command::Logout { forget } => sync::logout(&dir, forget, out)?,
        Command::Forget { expired: true, .. } => {
            let (mut store, _) = open_store(&dir)?;
            let done = usher_station::retention::run(&mut store, now())?;
            out.forgotten(&done.forgotten);
        }
        Command::Forget { event, .. } => {
            let event = event.unwrap_or_default();
            let (mut store, _) = open_store(&dir)?;
            let gone = usher_core::forget::forget_event(store.conn_mut(), &event, now())?;
            tracing::warn!(
                event = %gone.event_id,
                tickets = gone.tickets,
                scans = gone.scans,
                "event forgotten: its guest list and scan log were removed"
            );
            out.forgotten(&[gone]);
        }
        Command::Events => sync::events(&dir, out)?,
        Command::Language { language } => {
            let choice = match language.as_str() {
                "os" => None,
                tag => Some(Language::parse(tag)?),
            };
            let (store, _) = open_store(&dir)?;
            settings::save_language(store.conn(), choice)?;
            let language = choice.unwrap_or_else(Language::from_os);
            *out = out.speaking(cli.global.lang.unwrap_or(language));
            out.language(choice, language);
        }
        Command::Logs { out: to } => {
            let status = match open_store(&dir).map(|(s, _)| s).and_then(|store| {
                let config = settings::load(store.conn())?;
                let device = settings::device_id(store.conn())?;
                status::status(store.conn(), &config, &device, now(), &out.words)
            }) {
                Ok(s) => serde_json::to_value(s).expect("the status serializes"),
                Err(e) => {
                    serde_json::json!({ "error": { "code": e.code(), "message": e.to_string() } })
                }
            };
            let to = to.unwrap_or_else(|| dir.join("diagnostics"));
            let folder = usher_station::logs::save_diagnostics(&dir, &to, status)?;
            out.diagnostics(&folder);
        }
        Command::Peers { action } => peers::run(action, &dir, out)?,
        Command::Sync { watch: true, .. } => sync::watch(&dir, out)?,
        Command::Sync {
            wait, upload_only, ..
        } => sync::sync(&dir, wait, upload_only, out)?,
    }
    std::io::stdout().flush().ok();
    Ok(())
}
