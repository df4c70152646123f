//! `usher demo`: a working door with no credentials. Generates the simulator's seeded demo
//! event, sets up a separate demo data folder (demo data never mixes with a real tenant's),
//! imports the guest list and walks through one scan of every kind.

use crate::render::Output;
use clap::Args;
use session_api::TicketStatus;
use session_sim::dataset::{Dataset, DatasetSpec, ENDED_ADMISSION, NOT_YET_OPEN_ADMISSION};
use std::io::BufRead;
use std::path::PathBuf;
use usher_core::gate::GateProfile;
use usher_core::i18n::Said;
use usher_core::scanlog::Source;
use usher_core::settings::{self, ApiTarget, DeviceConfig};
use usher_core::{cache, Door, Error, ScanInput, Store};

/// Where `session-sim` listens by default for the demo (see README).
pub const DEMO_API: &str = "http://127.0.0.1:8787";

#[derive(Args)]
pub struct DemoArgs {
    /// Tickets in the generated event.
    #[arg(long, default_value_t = 3_000)]
    tickets: usize,
    #[arg(long, default_value_t = session_sim::demo::SEED)]
    seed: u64,
    /// After the tour, read codes from stdin (type them, or use a USB scanner) until EOF.
    #[arg(long)]
    interactive: bool,
}

pub fn run(args: DemoArgs, data_dir: &Option<PathBuf>, out: &Output) -> Result<(), Error> {
    let dir = data_dir
        .clone()
        .unwrap_or_else(|| usher_core::store::default_data_dir().join("demo"));
    let spec = DatasetSpec {
        seed: args.seed,
        tickets: args.tickets,
        ..DatasetSpec::default()
    };
    let dataset = Dataset::generate(&spec);
    let event = dataset.event(0).expect("the demo has one event");
    let mut store = Store::open(&dir)?;
    let config = DeviceConfig {
        api: ApiTarget::Url(DEMO_API.into()),
        tenant_id: dataset.tenant_id().to_string(),
        event_id: event.id.clone(),
        gate: GateProfile::default(),
        offline: true,
    };
    settings::save(store.conn(), &config)?;

    let file = dir.join("demo-event.json");
    let mut w = std::fs::File::create(&file).map_err(Error::io(Said::io("write", &file)))?;
    dataset
        .write_import_json(0, &mut w)
        .map_err(Error::io(Said::io("write", &file)))?;
    let f = std::fs::File::open(&file).map_err(Error::io(Said::io("read", &file)))?;
    let report = cache::import(
        store.conn_mut(),
        f,
        &config.tenant_id,
        &config.api.to_string(),
        jiff::Timestamp::now(),
    )?;
    out.say(&out.words.text(
        "cli-demo-folder",
        &[("folder", dir.display().to_string().into())],
    ));
    out.import(&report);

    let first = |ids: Vec<String>| ids.into_iter().next();
    // A ticket nobody has scanned yet, also when the demo runs again in the same folder.
    let admit = dataset
        .ticket_ids_of_admission(0, 0, TicketStatus::Active)
        .into_iter()
        .find(|id| not_yet_in(&store, id));
    let tour: Vec<(&str, Option<String>)> = vec![
        ("a valid ticket", admit.clone()),
        ("the same ticket again", admit),
        (
            "a cancelled ticket",
            first(dataset.ticket_ids(0, TicketStatus::Cancelled)),
        ),
        (
            "a ticket another door already scanned",
            first(dataset.ticket_ids(0, TicketStatus::Redeemed)),
        ),
        (
            "a ticket whose entry has closed",
            first(dataset.ticket_ids_of_admission(0, ENDED_ADMISSION, TicketStatus::Active)),
        ),
        (
            "a ticket whose entry has not opened",
            first(dataset.ticket_ids_of_admission(0, NOT_YET_OPEN_ADMISSION, TicketStatus::Active)),
        ),
        (
            "a whole order",
            dataset
                .active_order(2)
                .map(|o| format!("https://tickets.example/o/{}", o.id)),
        ),
        (
            "an unknown ticket",
            Some("tkt_zzzzzzzzzzzzzzzzzzzzzzzzzz".into()),
        ),
        (
            "a QR that is not a ticket",
            Some("<script>alert('hi')</script>".into()),
        ),
    ];
    let mut door = Door::open(store)?;
    door.set_words(out.words.clone());
    for (label, code) in tour {
        let Some(code) = code else { continue };
        out.say(&format!("\n> {label}: {code}"));
        let outcome = door.scan(
            ScanInput {
                payload: code.as_bytes(),
                source: Source::Manual,
                confirm: false,
                direction: None,
            },
            jiff::Timestamp::now(),
        )?;
        out.scan(&outcome);
    }
    let usher = std::env::current_exe()
        .map(|p| shell_quote(&p.display().to_string()))
        .unwrap_or_else(|_| "usher".into());
    let flag = format!("--data-dir {}", shell_quote(&dir.display().to_string()));
    out.say(&format!(
        "\nTry it yourself:\n  {usher} {flag} lookup an\n  {usher} {flag} scan tkt_…\n  {usher} {flag} status\n  {usher} {flag} export --out scans.csv"
    ));
    if args.interactive {
        out.say("\nType or scan a code and press Enter (Ctrl-D to stop):");
        for line in std::io::stdin().lock().split(b'\n') {
            let line = line.map_err(Error::io(Said::new("io-read-stdin")))?;
            let line = line.strip_suffix(b"\r").unwrap_or(&line);
            if line.is_empty() {
                continue;
            }
            let outcome = door.scan(
                ScanInput {
                    payload: line,
                    source: Source::Wedge,
                    confirm: false,
                    direction: None,
                },
                jiff::Timestamp::now(),
            )?;
            out.scan(&outcome);
            door.tidy()?;
        }
    }
    Ok(())
}

fn not_yet_in(store: &Store, id: &str) -> bool {
    let Ok(key) = usher_core::code::parse(id.as_bytes()) else {
        return false;
    };
    matches!(usher_core::cache::find(store.conn(), &key), Ok(usher_core::verdict::Found::Ticket(v)) if !v.presence().0)
}

fn shell_quote(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}
