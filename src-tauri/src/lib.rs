//! The desktop shell: a window over `usher-core`. Each command is a few lines that call one
//! core function and map its error to `{code, message}` for the UI.
//!
//! **Architecture invariant:** no door logic lives here. What the window can do, the `usher`
//! command line can do too, through the same core functions.

use serde::Serialize;
use std::path::PathBuf;
use std::sync::Mutex;
use usher_core::scanlog::{ScanOutcome, Source};
use usher_core::status::DoorStatus;
use usher_core::{settings, status, Door, ScanInput, Store};

/// An error as the UI receives it.
#[derive(Debug, Serialize)]
pub struct UiError {
    code: &'static str,
    message: String,
}

impl From<usher_core::Error> for UiError {
    fn from(e: usher_core::Error) -> Self {
        UiError {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

/// The app's state: where its data lives, and the door once it is open.
struct AppState {
    data_dir: PathBuf,
    door: Mutex<Option<Door>>,
}

impl AppState {
    fn with_door<T>(
        &self,
        f: impl FnOnce(&mut Door) -> usher_core::Result<T>,
    ) -> Result<T, UiError> {
        let mut guard = self.door.lock().unwrap_or_else(|p| p.into_inner());
        if guard.is_none() {
            *guard = Some(Door::open(Store::open(&self.data_dir)?)?);
        }
        let door = guard.as_mut().expect("opened above");
        Ok(f(door)?)
    }
}

#[tauri::command]
fn door_status(state: tauri::State<AppState>) -> Result<DoorStatus, UiError> {
    let store = Store::open(&state.data_dir)?;
    let config = settings::load(store.conn())?;
    let device = settings::device_id(store.conn())?;
    Ok(status::status(
        store.conn(),
        &config,
        &device,
        jiff::Timestamp::now(),
    )?)
}

#[tauri::command]
fn scan(
    state: tauri::State<AppState>,
    code: String,
    source: Source,
) -> Result<ScanOutcome, UiError> {
    state.with_door(|door| {
        let input = ScanInput {
            payload: code.as_bytes(),
            source,
            confirm: false,
        };
        let outcome = door.scan(input, jiff::Timestamp::now())?;
        door.tidy()?;
        Ok(outcome)
    })
}

/// The data folder: `USHER_DATA_DIR`, else the platform's.
fn data_dir() -> PathBuf {
    std::env::var_os("USHER_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(usher_core::store::default_data_dir)
}

pub fn run() {
    tauri::Builder::default()
        .manage(AppState {
            data_dir: data_dir(),
            door: Mutex::new(None),
        })
        .invoke_handler(tauri::generate_handler![door_status, scan])
        .run(tauri::generate_context!())
        .expect("the Usher window failed to start");
}
