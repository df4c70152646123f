//! The desktop shell: a window over `usher-station`. Each command is a few lines that call one
//! station function and map its error to `{code, message}` for the page; station events go
//! to the page through one IPC channel; the camera preview is served as JPEG on the `usher:`
//! protocol, not as base64 JSON.
//!
//! **Architecture invariant:** no door logic lives here. What the window can do, the `usher`
//! command line can do too, through the same core functions.

#![warn(missing_docs)]

mod measure;

pub use measure::mark_start;
use serde::Serialize;
use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tauri::ipc::Channel;
use tauri::State;
use usher_core::activity::ActivityRow;
use usher_core::gate::{GateProfile, Mode};
use usher_core::i18n::Said;
use usher_core::lookup::LookupHit;
use usher_core::scanlog::{ScanOutcome, Source};
use usher_core::verdict::VerdictKind;
use usher_station::{
    DoorGroupSetup, DoorView, Health, InviteView, KioskState, ScannerLayoutView, SetupReport,
    Start, Station, StationError, StationEvent,
};

/// An error as the page receives it.
#[derive(Debug, Serialize)]
pub struct UiError {
    code: &'static str,
    message: String,
}

impl UiError {
    /// `e` with its message in the station's language; the code stays as it is.
    fn of(station: &Station, e: StationError) -> Self {
        UiError {
            code: e.code(),
            message: station.error_words(&e),
        }
    }
}

/// What the shell keeps: the station, and the page's event channel once it subscribed.
struct Shell {
    station: Arc<Station>,
    channel: Arc<Mutex<Option<Channel<StationEvent>>>>,
    /// `--measure`: print start-up and memory figures once the scan screen is painted.
    measure: bool,
}

/// Runs `f` on a blocking thread (a scan may wait for online confirm; setup downloads), so
/// the window's event loop never stalls.
async fn run<T: Send + 'static>(
    shell: State<'_, Shell>,
    f: impl FnOnce(&Station) -> Result<T, StationError> + Send + 'static,
) -> Result<T, UiError> {
    let station = shell.station.clone();
    let words = station.words();
    tauri::async_runtime::spawn_blocking(move || f(&station).map_err(|e| UiError::of(&station, e)))
        .await
        .map_err(|e| UiError {
            code: "INTERNAL",
            message: words.say(&Said::new("station-stopped").with("why", e.to_string())),
        })?
}

#[tauri::command]
fn subscribe(shell: State<'_, Shell>, on_event: Channel<StationEvent>) {
    *shell.channel.lock().unwrap_or_else(|p| p.into_inner()) = Some(on_event);
}

/// The page painted its scan screen: guest search is prepared now, not before.
#[tauri::command]
async fn screen_ready(shell: State<'_, Shell>) -> Result<(), UiError> {
    if shell.measure {
        measure::report_and_exit(&shell.station);
    }
    run(shell, |s| s.prepare_lookup()).await
}

#[tauri::command]
async fn app_start(shell: State<'_, Shell>) -> Result<Start, UiError> {
    run(shell, |s| s.start()).await
}

#[tauri::command]
async fn demo_start(shell: State<'_, Shell>) -> Result<DoorView, UiError> {
    run(shell, |s| s.start_demo()).await
}

#[tauri::command]
async fn door_view(shell: State<'_, Shell>) -> Result<DoorView, UiError> {
    run(shell, |s| s.view()).await
}

#[tauri::command]
async fn scan(
    shell: State<'_, Shell>,
    code: String,
    source: Source,
    confirm: bool,
) -> Result<ScanOutcome, UiError> {
    run(shell, move |s| {
        s.scan(usher_station::ScanInput {
            confirm,
            ..usher_station::ScanInput::new(code.as_bytes(), source)
        })
    })
    .await
}

#[tauri::command]
async fn check(
    shell: State<'_, Shell>,
    ticket_id: String,
    direction: Mode,
) -> Result<ScanOutcome, UiError> {
    run(shell, move |s| s.check(&ticket_id, direction)).await
}

#[tauri::command]
async fn undo_last(shell: State<'_, Shell>) -> Result<ScanOutcome, UiError> {
    run(shell, |s| s.undo_last()).await
}

#[tauri::command]
async fn lookup(
    shell: State<'_, Shell>,
    query: String,
    limit: usize,
) -> Result<Vec<LookupHit>, UiError> {
    run(shell, move |s| s.lookup(&query, limit)).await
}

#[tauri::command]
async fn activity(shell: State<'_, Shell>, limit: usize) -> Result<Vec<ActivityRow>, UiError> {
    run(shell, move |s| s.activity(limit)).await
}

#[tauri::command]
async fn health(shell: State<'_, Shell>) -> Result<Health, UiError> {
    run(shell, |s| s.health()).await
}

#[derive(Serialize)]
struct Saved {
    folder: PathBuf,
    files: Vec<PathBuf>,
}

#[tauri::command]
async fn save_demo_tickets(shell: State<'_, Shell>) -> Result<Saved, UiError> {
    run(shell, |s| {
        s.save_demo_tickets()
            .map(|(folder, files)| Saved { folder, files })
    })
    .await
}

#[derive(Serialize)]
struct SavedFolder {
    folder: PathBuf,
}

/// Door health's "Save diagnostics": logs, status and versions in one folder to send.
#[tauri::command]
async fn save_diagnostics(shell: State<'_, Shell>) -> Result<SavedFolder, UiError> {
    run(shell, |s| {
        s.save_diagnostics().map(|folder| SavedFolder { folder })
    })
    .await
}

/// Door health's "Save shift report": the HTML page and its CSV, in the Downloads folder.
#[tauri::command]
async fn save_shift_report(
    shell: State<'_, Shell>,
) -> Result<usher_station::shift_report::SavedReport, UiError> {
    run(shell, |s| s.save_shift_report()).await
}

#[derive(Serialize)]
struct Network {
    up: bool,
}

#[tauri::command]
async fn demo_network(shell: State<'_, Shell>, up: bool) -> Result<Network, UiError> {
    run(shell, move |s| s.demo_network(up).map(|up| Network { up })).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Shown {
    ticket_id: String,
}

#[tauri::command]
async fn demo_show_ticket(shell: State<'_, Shell>) -> Result<Shown, UiError> {
    run(shell, |s| {
        s.demo_show_ticket().map(|ticket_id| Shown { ticket_id })
    })
    .await
}

#[tauri::command]
async fn setup_check_token(
    shell: State<'_, Shell>,
    api: String,
    tenant_id: String,
    token: String,
) -> Result<SetupReport, UiError> {
    run(shell, move |s| s.check_token(&api, &tenant_id, &token)).await
}

#[tauri::command]
async fn setup_event(
    shell: State<'_, Shell>,
    event_id: String,
) -> Result<usher_station::EventChoices, UiError> {
    run(shell, move |s| s.event_choices(&event_id)).await
}

#[tauri::command]
async fn setup_finish(
    shell: State<'_, Shell>,
    event_id: String,
    gate: GateProfile,
    offline: bool,
    pin: Option<String>,
    retention_days: Option<u32>,
) -> Result<DoorView, UiError> {
    run(shell, move |s| {
        s.finish_setup(&event_id, gate, offline, pin.as_deref(), retention_days)
    })
    .await
}

/// Setup's "Forget this event" (behind the PIN; refused while scans wait to upload).
#[tauri::command]
async fn setup_forget(shell: State<'_, Shell>) -> Result<usher_core::forget::Forgotten, UiError> {
    run(shell, |s| s.forget_event()).await
}

/// The scans still waiting to upload, saved to a file before forgetting.
#[tauri::command]
async fn export_pending(shell: State<'_, Shell>) -> Result<SavedFolder, UiError> {
    run(shell, |s| {
        s.export_pending().map(|folder| SavedFolder { folder })
    })
    .await
}

/// Whether Setup asks for the door PIN first.
#[tauri::command]
async fn setup_locked(shell: State<'_, Shell>) -> Result<bool, UiError> {
    run(shell, |s| s.setup_locked()).await
}

#[tauri::command]
async fn setup_unlock(shell: State<'_, Shell>, pin: String) -> Result<(), UiError> {
    run(shell, move |s| s.unlock_setup(&pin)).await
}

#[tauri::command]
async fn setup_lock(shell: State<'_, Shell>) -> Result<(), UiError> {
    run(shell, |s| {
        s.lock_setup();
        Ok(())
    })
    .await
}

/// Setup's door group: whether this door is in one, its hint, the manual peer list.
#[tauri::command]
async fn door_group(shell: State<'_, Shell>) -> Result<DoorGroupSetup, UiError> {
    run(shell, |s| s.door_group()).await
}

/// Setup's "Create a door group".
#[tauri::command]
async fn door_group_create(shell: State<'_, Shell>) -> Result<DoorGroupSetup, UiError> {
    run(shell, |s| s.create_door_group()).await
}

/// Setup's "Leave the door group".
#[tauri::command]
async fn door_group_leave(shell: State<'_, Shell>) -> Result<DoorGroupSetup, UiError> {
    run(shell, |s| s.leave_door_group()).await
}

/// Setup's manual peer list (a bad address refuses the whole list; the old one stays).
#[tauri::command]
async fn door_group_peers(
    shell: State<'_, Shell>,
    peers: Vec<String>,
) -> Result<DoorGroupSetup, UiError> {
    run(shell, move |s| s.set_peer_list(&peers)).await
}

/// Setup's "Invite a door": the join code, its QR code and this door's addresses.
#[tauri::command]
async fn door_group_invite(
    shell: State<'_, Shell>,
    with_token: bool,
) -> Result<InviteView, UiError> {
    run(shell, move |s| s.invite_door(with_token)).await
}

/// Setup's "Join a door group": a join QR code's text, or a code and the first door's
/// address. `None`: no token came with it, Setup goes on to the token check.
#[tauri::command]
async fn door_group_join(
    shell: State<'_, Shell>,
    code: String,
    at: Option<String>,
    gate: Option<String>,
    pin: Option<String>,
) -> Result<Option<DoorView>, UiError> {
    run(shell, move |s| {
        s.join_door_group(&code, at.as_deref(), gate.as_deref(), pin.as_deref())
    })
    .await
}

/// The layout wedge bursts are read with (learned, else US; a damaged one is US with a warning).
#[tauri::command]
async fn scanner_layout(shell: State<'_, Shell>) -> Result<ScannerLayoutView, UiError> {
    run(shell, |s| s.scanner_layout()).await
}

/// Setup's calibration code and its QR code (SVG).
#[tauri::command]
fn scanner_calibration(shell: State<'_, Shell>) -> usher_station::Calibration {
    shell.station.scanner_calibration()
}

/// A burst of the calibration code: the scanner's layout is learned and kept.
#[tauri::command]
async fn scanner_teach(
    shell: State<'_, Shell>,
    presses: Vec<usher_core::scanner_layout::Press>,
) -> Result<ScannerLayoutView, UiError> {
    run(shell, move |s| s.teach_scanner(&presses)).await
}

/// "Forget scanner layout": back to US.
#[tauri::command]
async fn scanner_forget(shell: State<'_, Shell>) -> Result<ScannerLayoutView, UiError> {
    run(shell, |s| s.forget_scanner_layout()).await
}

/// Kiosk mode as the page sees it: the station's state, and the window as it is now.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Kiosk {
    #[serde(flatten)]
    state: KioskState,
    fullscreen: bool,
    decorated: bool,
}

/// Kiosk mode's window: full screen with no chrome, or a plain window again.
fn dress(
    window: &tauri::WebviewWindow,
    station: &Station,
    state: KioskState,
) -> Result<Kiosk, UiError> {
    let failed = |e: tauri::Error| UiError {
        code: "IO",
        message: station
            .words()
            .say(&Said::new("shell-kiosk-window").with("why", e.to_string())),
    };
    window.set_decorations(!state.on).map_err(failed)?;
    window.set_fullscreen(state.on).map_err(failed)?;
    Ok(Kiosk {
        state,
        fullscreen: window.is_fullscreen().map_err(failed)?,
        decorated: window.is_decorated().map_err(failed)?,
    })
}

/// Kiosk mode as stored; the window is dressed to match (the page asks once it starts).
#[tauri::command]
async fn kiosk_state(
    shell: State<'_, Shell>,
    window: tauri::WebviewWindow,
) -> Result<Kiosk, UiError> {
    let station = shell.station.clone();
    dress(&window, &station, run(shell, |s| s.kiosk()).await?)
}

/// Setup's kiosk switch (behind the door PIN); `pin` becomes the door PIN first when given.
#[tauri::command]
async fn kiosk_set(
    shell: State<'_, Shell>,
    window: tauri::WebviewWindow,
    on: bool,
    pin: Option<String>,
) -> Result<Kiosk, UiError> {
    let station = shell.station.clone();
    let state = run(shell, move |s| s.set_kiosk(on, pin.as_deref())).await?;
    dress(&window, &station, state)
}

/// The close dialog's door PIN: right, and the app quits; wrong, and it stays open.
#[tauri::command]
async fn kiosk_close(
    shell: State<'_, Shell>,
    app: tauri::AppHandle,
    pin: String,
) -> Result<(), UiError> {
    run(shell, move |s| s.allow_close(&pin)).await?;
    app.exit(0);
    Ok(())
}

/// The language in force, the ones Setup offers, and the page's texts in it.
#[tauri::command]
async fn language(shell: State<'_, Shell>) -> Result<usher_station::LanguageView, UiError> {
    run(shell, |s| Ok(s.language())).await
}

/// Setup's language selector: a language code, or none to follow the OS; applies at once.
#[tauri::command]
async fn set_language(
    shell: State<'_, Shell>,
    language: Option<String>,
) -> Result<usher_station::LanguageView, UiError> {
    run(shell, move |s| {
        let choice = language.as_deref().map(str::parse).transpose()?;
        s.set_language(choice)
    })
    .await
}

/// The About line in Door health: the product name and identifier from tauri.conf.json, the
/// version from Cargo.toml (tauri.conf.json sets none, so the bundle uses this one too), the
/// bundle's short description and copyright (tauri.conf.json, through build.rs).
#[derive(Serialize)]
struct About {
    name: String,
    version: &'static str,
    identifier: String,
    description: &'static str,
    copyright: &'static str,
}

/// Test builds only (the `e2e` feature): changes one verdict's headline in the core, so a
/// test can prove the page shows the core's words and has none of its own.
#[tauri::command]
fn e2e_set_headline(
    shell: State<'_, Shell>,
    verdict: VerdictKind,
    headline: String,
) -> Result<(), UiError> {
    if !cfg!(feature = "e2e") {
        return Err(UiError {
            code: "NOT_A_TEST_BUILD",
            message: "only a test build can change the words".into(),
        });
    }
    shell.station.set_headline(verdict, &headline);
    Ok(())
}

#[tauri::command]
fn about(app: tauri::AppHandle) -> About {
    About {
        name: app.package_info().name.clone(),
        version: env!("CARGO_PKG_VERSION"),
        identifier: app.config().identifier.clone(),
        description: env!("USHER_DESCRIPTION"),
        copyright: env!("USHER_COPYRIGHT"),
    }
}

/// `usher://localhost/preview.jpg`: the newest camera frame.
fn preview(station: &Station) -> tauri::http::Response<Cow<'static, [u8]>> {
    let builder = tauri::http::Response::builder().header("Cache-Control", "no-store");
    match station.preview() {
        Some(jpeg) => builder
            .header("Content-Type", "image/jpeg")
            .body(Cow::Owned(jpeg.as_ref().clone())),
        None => builder.status(404).body(Cow::Borrowed(&[][..])),
    }
    .expect("a static response builds")
}

/// The data folder: `--data-dir DIR`, else `USHER_DATA_DIR`, else the platform's.
#[derive(clap::Parser)]
#[command(name = "usher-desktop", about = "Usher, the door scanner window")]
struct Args {
    #[arg(long, env = "USHER_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Print start-up time and memory as JSON once the scan screen is painted, then exit.
    #[arg(long)]
    measure: bool,
    /// Where a door of a door group listens for the others (tests: 127.0.0.1:0).
    #[arg(
        long,
        env = "USHER_PEER_LISTEN",
        default_value = "0.0.0.0:7300",
        value_name = "ADDR:PORT"
    )]
    peer_listen: std::net::SocketAddr,
    /// Find the group's doors by mDNS: all, loopback (lo) or off (the manual list only).
    #[arg(
        long,
        env = "USHER_PEER_DISCOVER",
        default_value = "all",
        value_name = "WHERE"
    )]
    peer_discover: usher_station::DiscoverOn,
}

/// Runs the window until it closes: reads the flags, starts the log and the station, and
/// serves the page's commands, its event channel and the camera preview.
pub fn run_app() {
    let args = <Args as clap::Parser>::parse();
    let home = args
        .data_dir
        .unwrap_or_else(usher_core::store::default_data_dir);
    // Held for the whole run: log lines still queued are written when it drops.
    let _logs = usher_station::logs::init(&home, "usher-desktop")
        .map_err(|e| eprintln!("usher-desktop: {e} (going on without a log file)"))
        .ok();
    let channel: Arc<Mutex<Option<Channel<StationEvent>>>> = Arc::default();
    let to_page = channel.clone();
    let station = Station::new(home, true, move |event| {
        if let Some(c) = to_page.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            // A page that went away (reload) subscribes again; nothing to do here.
            let _ = c.send(event);
        }
    })
    .unwrap_or_else(|e| {
        eprintln!("usher-desktop: {e}");
        std::process::exit(1);
    });
    station.share_on(usher_station::SharingPlace {
        listen: args.peer_listen,
        discover: args.peer_discover.0,
    });
    let for_protocol = station.clone();
    let (for_close, for_exit) = (station.clone(), station.clone());
    tauri::Builder::default()
        .manage(Shell {
            station,
            channel,
            measure: args.measure,
        })
        .register_uri_scheme_protocol("usher", move |_ctx, _request| preview(&for_protocol))
        // Kiosk mode: closing waits for the door PIN (the page asks for it).
        .on_window_event(move |_window, event| {
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                if for_close.ask_to_close() {
                    api.prevent_close();
                }
            }
        })
        .invoke_handler(tauri::generate_handler![
            subscribe,
            screen_ready,
            app_start,
            demo_start,
            door_view,
            scan,
            check,
            undo_last,
            lookup,
            activity,
            health,
            save_demo_tickets,
            save_diagnostics,
            save_shift_report,
            demo_network,
            demo_show_ticket,
            setup_check_token,
            setup_event,
            setup_finish,
            setup_locked,
            setup_unlock,
            setup_lock,
            setup_forget,
            export_pending,
            door_group,
            door_group_create,
            door_group_leave,
            door_group_peers,
            door_group_invite,
            door_group_join,
            scanner_layout,
            scanner_calibration,
            scanner_teach,
            scanner_forget,
            kiosk_state,
            kiosk_set,
            kiosk_close,
            e2e_set_headline,
            language,
            set_language,
            about,
        ])
        .build(tauri::generate_context!())
        .expect("the Usher window failed to start")
        .run(move |_app, event| {
            // Quitting, like closing, waits for the door PIN in kiosk mode.
            if let tauri::RunEvent::ExitRequested { api, .. } = event {
                if for_exit.ask_to_close() {
                    api.prevent_exit();
                }
            }
        });
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    /// The quoted upper-case words that follow `marker` on each line of `text` that is not a
    /// comment.
    fn quoted_after(text: &str, marker: &str) -> BTreeSet<String> {
        code_lines(text)
            .flat_map(|line| {
                line.match_indices(marker)
                    .map(move |(i, _)| &line[i + marker.len()..])
            })
            .filter_map(|rest| rest.split('"').next())
            .filter(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
            .map(str::to_owned)
            .collect()
    }

    fn code_lines(text: &str) -> impl Iterator<Item = &str> {
        text.lines().filter(|l| {
            let l = l.trim_start();
            !(l.starts_with("//") || l.starts_with('*') || l.starts_with("/*"))
        })
    }

    fn read(path: &Path) -> String {
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Every code the window can receive: the `code()` arms of the core's, sync's and the
    /// station's errors, and the few the shell sets itself.
    fn codes_rust_emits() -> BTreeSet<String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut codes = BTreeSet::new();
        for file in [
            "crates/usher-core/src/error.rs",
            "crates/usher-sync/src/lib.rs",
            "crates/usher-station/src/error.rs",
            "crates/usher-peers/src/lib.rs",
        ] {
            let found = quoted_after(&read(&root.join(file)), "=> \"");
            assert!(!found.is_empty(), "no error codes found in {file}");
            codes.extend(found);
        }
        codes.extend(quoted_after(
            &read(&root.join("src-tauri/src/lib.rs")),
            "code: \"",
        ));
        codes
    }

    #[test]
    fn where_a_door_shares_is_read_from_its_flags_and_a_bad_value_is_refused() {
        use clap::Parser;
        let args = super::Args::try_parse_from([
            "usher-desktop",
            "--peer-listen",
            "127.0.0.1:0",
            "--peer-discover",
            "off",
        ])
        .expect("loopback, no discovery");
        assert_eq!(args.peer_listen.to_string(), "127.0.0.1:0");
        assert_eq!(args.peer_discover.0, None);
        let lo = super::Args::try_parse_from(["usher-desktop", "--peer-discover", "lo"]).unwrap();
        assert!(lo.peer_discover.0.is_some());
        for (flag, bad, says) in [
            ("--peer-discover", "eth0", "all, loopback (lo) or off"),
            ("--peer-listen", "north-gate", "invalid socket address"),
        ] {
            let err = super::Args::try_parse_from(["usher-desktop", flag, bad])
                .err()
                .unwrap_or_else(|| panic!("{flag} {bad} was taken"))
                .to_string();
            assert!(err.contains(says), "{err}");
        }
    }

    #[test]
    fn every_error_code_the_page_handles_is_one_the_rust_side_emits() {
        let emitted = codes_rust_emits();
        for expected in ["CACHE_LOCKED", "NOT_OPEN", "INTERNAL", "WRONG_PIN"] {
            assert!(
                emitted.contains(expected),
                "{expected} not found in {emitted:?}"
            );
        }
        let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui");
        let mut handled = BTreeSet::new();
        for entry in std::fs::read_dir(&ui).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "js") {
                let js = read(&path);
                // The page's one way of checking a code: `errCode(e) === "CODE"`, with any
                // argument.
                for line in code_lines(&js) {
                    for call in line.split("errCode(").skip(1) {
                        if let Some((_, rest)) = call.split_once(") === \"") {
                            handled.extend(rest.split('"').next().map(str::to_owned));
                        }
                    }
                }
                for line in code_lines(&js).filter(|l| l.contains("code === \"")) {
                    assert!(
                        line.contains("errCode("),
                        "{} compares an error code without errCode(): {line}",
                        path.display()
                    );
                }
            }
        }
        assert!(
            !handled.is_empty(),
            "the page handles no error code at all?"
        );
        let unknown: Vec<_> = handled.difference(&emitted).collect();
        assert!(
            unknown.is_empty(),
            "the page handles codes no Rust error emits: {unknown:?} (Rust emits {emitted:?})"
        );
    }

    /// The page's message ids: `t("id"` in its modules and `data-i18n…="id"` in index.html.
    fn page_message_ids() -> BTreeSet<String> {
        let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui");
        let mut ids = BTreeSet::new();
        for entry in std::fs::read_dir(&ui).unwrap() {
            let path = entry.unwrap().path();
            let text = read(&path);
            if path.extension().is_some_and(|e| e == "js") {
                for line in code_lines(&text) {
                    for (i, _) in line.match_indices("t(\"") {
                        let before = line[..i].chars().next_back();
                        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                            continue; // emit("…"), document.getElementById("…"): not t().
                        }
                        ids.extend(line[i + 3..].split('"').next().map(str::to_owned));
                    }
                }
            } else if path.extension().is_some_and(|e| e == "html") {
                for (i, _) in text.match_indices("data-i18n") {
                    if let Some(rest) = text[i..].split_once("=\"") {
                        ids.extend(rest.1.split('"').next().map(str::to_owned));
                    }
                }
            }
        }
        ids
    }

    /// Words in `index.html` that no `data-i18n` attribute names: an element's own text
    /// without `data-i18n`, or a `title`, `alt`, `placeholder` or `aria-label` with letters
    /// and no `data-i18n-…` for it. (`https://…` and the like, with no word, are fine.)
    fn untranslated_html(html: &str) -> Vec<String> {
        let has_word = |t: &str| t.split(|c: char| !c.is_alphabetic()).any(|w| w.len() > 1);
        let mut found = vec![];
        let mut rest = html;
        let mut open_tag = "";
        while let Some(lt) = rest.find('<') {
            let text = rest[..lt].trim();
            // The product's name is the same in every language.
            if has_word(text) && text != "Usher" && !open_tag.contains("data-i18n=") {
                found.push(format!("{text:?} in {open_tag}"));
            }
            let Some(gt) = rest[lt..].find('>') else {
                break;
            };
            let tag = &rest[lt..lt + gt + 1];
            rest = &rest[lt + gt + 1..];
            if tag.starts_with("<!--") {
                let end = rest.find("-->").map_or(rest.len(), |e| e + 3);
                rest = &rest[end..];
                continue;
            }
            for name in ["<script", "<style"] {
                if tag.starts_with(name) {
                    let close = format!("</{}", &name[1..]);
                    rest = &rest[rest.find(&close).unwrap_or(rest.len())..];
                }
            }
            for attr in ["title", "alt", "placeholder", "aria-label"] {
                let at = format!(" {attr}=\"");
                if let Some(i) = tag.find(&at) {
                    let value = tag[i + at.len()..].split('"').next().unwrap_or("");
                    if has_word(value) && !tag.contains(&format!("data-i18n-{attr}=")) {
                        found.push(format!("{attr}={value:?} in {tag}"));
                    }
                }
            }
            if !tag.starts_with("</") {
                open_tag = tag;
            }
        }
        found
    }

    #[test]
    fn the_page_has_no_words_of_its_own_outside_the_catalog() {
        let html = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/index.html"));
        let found = untranslated_html(&html);
        assert!(
            found.is_empty(),
            "words index.html shows without data-i18n: {found:#?}"
        );
        // The check sees what it looks for.
        let bad = "<p id=\"a\">Hello there</p><img alt=\"A photo\"><p data-i18n=\"x\">Fine</p>";
        assert_eq!(
            untranslated_html(bad).len(),
            2,
            "{:?}",
            untranslated_html(bad)
        );
    }

    #[test]
    fn every_text_the_page_names_is_a_message_of_the_page_catalog() {
        let ids = page_message_ids();
        assert!(
            ids.len() > 80,
            "the page names only {} messages?",
            ids.len()
        );
        assert!(
            ids.contains("ready") && ids.contains("nav-setup"),
            "{ids:?}"
        );
        let en = usher_core::i18n::Catalog::of(usher_core::i18n::Language::English);
        let page = en.page_texts();
        let missing: Vec<_> = ids.iter().filter(|id| !page.contains_key(*id)).collect();
        assert!(
            missing.is_empty(),
            "the page names messages page.ftl does not have: {missing:?}"
        );
    }
}
