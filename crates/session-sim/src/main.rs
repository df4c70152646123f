//! `session-sim`: serve the simulator, or write a generated dataset as an import file.

use std::fs::File;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use session_sim::{demo, Dataset, DatasetSpec, Faults, Sim, SimConfig, Token};

#[derive(Parser)]
#[command(
    name = "session-sim",
    about = "A faithful Session Services API simulator",
    version
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Write a generated event and its tickets in the import format (`usher import`).
    Export {
        #[command(flatten)]
        data: DataArgs,
        /// Which generated event (0-based).
        #[arg(long, default_value_t = 0)]
        event: usize,
        /// Output file; stdout when absent.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Args)]
struct DataArgs {
    /// Seed of the generated dataset.
    #[arg(long, default_value_t = demo::SEED)]
    seed: u64,
    /// Number of generated tickets, across all events.
    #[arg(long, default_value_t = 3_000)]
    tickets: usize,
    /// Number of generated events.
    #[arg(long, default_value_t = 1)]
    events: usize,
    /// Tenant id served (x-tenant-id).
    #[arg(long, default_value = demo::TENANT_ID)]
    tenant: String,
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on; port 0 picks a free one.
    #[arg(long, default_value = "127.0.0.1:0")]
    addr: SocketAddr,
    #[command(flatten)]
    data: DataArgs,
    /// A fixed dataset in the import format (`usher import`), instead of a generated one.
    #[arg(long = "data", value_name = "FILE")]
    data_file: Option<PathBuf>,
    /// An accepted token, `TOKEN=perm,perm` (repeatable). Without any, the demo SCANNING
    /// token is accepted.
    #[arg(long = "token", value_parser = Token::parse_spec)]
    tokens: Vec<Token>,
    #[command(flatten)]
    faults: FaultArgs,
    /// Keep a journal of the last API requests and answers (`GET /__sim/journal`).
    #[arg(long)]
    journal: bool,
}

#[derive(Args)]
struct FaultArgs {
    /// Seed of the fault RNG.
    #[arg(long, default_value_t = 0)]
    fault_seed: u64,
    /// Fixed latency added to every API request, in ms.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Random extra latency, 0..=N ms.
    #[arg(long, default_value_t = 0)]
    jitter_ms: u64,
    /// Share of requests answered 500.
    #[arg(long, default_value_t = 0.0)]
    error_500_rate: f64,
    /// Share of requests answered 503.
    #[arg(long, default_value_t = 0.0)]
    error_503_rate: f64,
    /// Requests per second above which the answer is 429 (0 = no limit).
    #[arg(long, default_value_t = 0)]
    rate_limit: u32,
    /// Retry-After seconds on a 429 (0 = no header).
    #[arg(long, default_value_t = 1)]
    retry_after: u64,
    /// Share of check-ins/check-outs applied and then dropped without an answer.
    #[arg(long, default_value_t = 0.0)]
    commit_then_drop_rate: f64,
    /// Share of connections reset before anything is applied.
    #[arg(long, default_value_t = 0.0)]
    reset_rate: f64,
    /// Spread every body over this many ms.
    #[arg(long, default_value_t = 0)]
    slow_body_ms: u64,
    /// Share of bodies cut in half.
    #[arg(long, default_value_t = 0.0)]
    truncate_rate: f64,
    /// Name the next-page cursor `cursor` instead of `after` in list responses.
    #[arg(long)]
    legacy_cursor_key: bool,
}

impl FaultArgs {
    fn faults(&self) -> Faults {
        Faults {
            seed: self.fault_seed,
            latency_ms: self.latency_ms,
            jitter_ms: self.jitter_ms,
            error_500_rate: self.error_500_rate,
            error_503_rate: self.error_503_rate,
            rate_limit_per_sec: self.rate_limit,
            retry_after_secs: (self.retry_after > 0).then_some(self.retry_after),
            commit_then_drop_rate: self.commit_then_drop_rate,
            reset_rate: self.reset_rate,
            slow_body_ms: self.slow_body_ms,
            truncate_rate: self.truncate_rate,
            legacy_cursor_key: self.legacy_cursor_key,
            ..Faults::none()
        }
    }
}

impl DataArgs {
    fn spec(&self) -> DatasetSpec {
        DatasetSpec {
            seed: self.seed,
            tickets: self.tickets,
            events: self.events,
            tenant_id: self.tenant.clone(),
        }
    }
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Export { data, event, out }) => {
            let dataset = Dataset::generate(&data.spec());
            match out {
                Some(path) => {
                    let mut f = File::create(&path)
                        .with_context(|| format!("creating {}", path.display()))?;
                    dataset.write_import_json(event, &mut f)?;
                }
                None => dataset.write_import_json(event, &mut io::stdout().lock())?,
            }
            Ok(())
        }
        None => serve(cli.serve),
    }
}

fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let dataset = match &args.data_file {
        Some(path) => {
            let f = File::open(path).with_context(|| format!("opening {}", path.display()))?;
            Dataset::read_import(f).with_context(|| format!("loading {}", path.display()))?
        }
        None => Dataset::generate(&args.data.spec()),
    };
    let demo_token = args.tokens.is_empty();
    let mut config = SimConfig::new(dataset)
        .with_tenant(args.data.tenant.clone())
        .with_faults(args.faults.faults());
    if !demo_token {
        config = config.with_tokens(args.tokens);
    }
    if args.journal {
        config = config.with_journal();
    }
    let tokens = config.tokens.clone();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let sim = Sim::new(config);
        let handle = sim.start(args.addr).await?;
        let base = handle.base_url();
        println!("listening on {base}");
        // The rest is informational: a closed stdout must not stop the server.
        let mut info = String::new();
        info.push_str(&format!("tenant: {}\n", sim.tenant_id()));
        for t in &tokens {
            info.push_str(&format!(
                "token: {} (user {} {} {}; permissions {}){}\n",
                t.token,
                t.user.id,
                t.user.first_name,
                t.user.last_name,
                t.permissions().join(","),
                if demo_token {
                    " [demo SCANNING token]"
                } else {
                    ""
                }
            ));
        }
        for e in sim.dataset().events() {
            let tz = e.location.time_zone.as_deref().unwrap_or("?");
            info.push_str(&format!(
                "event: {} slug {} \"{}\" ({tz})\n",
                e.id, e.slug, e.name
            ));
        }
        info.push_str(&format!("tickets: {}\n", sim.dataset().ticket_count()));
        info.push_str(&format!(
            "inspect: {base}/__sim/requests, {base}/__sim/tickets/{{id}}\n"
        ));
        let mut out = io::stdout().lock();
        let _ = out.write_all(info.as_bytes());
        let _ = out.flush();
        drop(out);
        tokio::signal::ctrl_c().await?;
        handle.shutdown().await;
        anyhow::Ok(())
    })
}
