//! The screen kept awake while a kiosk's door is open, with the `keepawake` crate (on Linux:
//! the freedesktop ScreenSaver inhibit on the session bus for the display, logind's inhibitor
//! locks on the system bus for idle and sleep). It is asked on its own thread, so a D-Bus
//! that does not answer never holds a command or the start of the door. A refusal (a
//! session with no screensaver service, as under CI's `dbus-run-session`) is logged and
//! shown in Door health, never fatal.

use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};

/// What Door health says about it.
enum State {
    /// Not wanted: kiosk mode is off or no door is open.
    Off,
    /// Asked; the answer is on its way (`generation` tells a late answer from a current one).
    Asking,
    /// The display is kept awake; `system` is logind's idle and sleep lock, or why not.
    Held(Box<Held>),
    /// The display could not be kept awake.
    Failed(String),
}

/// The keep-awakes held (boxed: far larger than the other states).
struct Held {
    _display: keepawake::KeepAwake,
    system: Result<keepawake::KeepAwake, String>,
}

struct Inner {
    state: State,
    /// Bumped by every `hold` and `release`, so an answer that arrives after a release is let
    /// go instead of kept.
    generation: u64,
}

/// The screen's keep-awake, held or not.
pub(crate) struct ScreenAwake {
    inner: Arc<Mutex<Inner>>,
    /// Held while deciding whether it is wanted and acting on it, so two deciders never
    /// interleave (one reading an old answer and acting last).
    deciding: Mutex<()>,
}

impl Default for ScreenAwake {
    fn default() -> Self {
        ScreenAwake {
            inner: Arc::new(Mutex::new(Inner {
                state: State::Off,
                generation: 0,
            })),
            deciding: Mutex::new(()),
        }
    }
}

fn lock(inner: &Mutex<Inner>) -> std::sync::MutexGuard<'_, Inner> {
    inner.lock().unwrap_or_else(|p| p.into_inner())
}

fn builder() -> keepawake::Builder {
    let mut b = keepawake::Builder::default();
    b.reason("Usher: a door in kiosk mode")
        .app_name("Usher")
        .app_reverse_domain("services.usher.door");
    b
}

/// Lets a keep-awake go. `keepawake`'s Drop unwraps its D-Bus un-inhibit call, which panics
/// when the bus has gone away: that must not take the station down.
fn let_go(state: State) {
    if std::panic::catch_unwind(AssertUnwindSafe(|| drop(state))).is_err() {
        tracing::warn!("letting the screen's keep-awake go failed (D-Bus gone?)");
    }
}

impl ScreenAwake {
    /// Holds the screen awake if `wanted()` says so, else lets it go: the question and the
    /// answer in one step.
    pub fn set(&self, wanted: impl FnOnce() -> bool) {
        let _deciding = self.deciding.lock().unwrap_or_else(|p| p.into_inner());
        if wanted() {
            self.hold();
        } else {
            self.release();
        }
    }

    /// Keeps the screen awake from now on (again, after a failure); does nothing while held
    /// or asked.
    fn hold(&self) {
        let generation = {
            let mut inner = lock(&self.inner);
            if matches!(inner.state, State::Held(_) | State::Asking) {
                return;
            }
            inner.generation += 1;
            inner.state = State::Asking;
            inner.generation
        };
        let inner = self.inner.clone();
        let spawned = std::thread::Builder::new()
            .name("usher-keep-awake".into())
            .spawn(move || {
                let display = builder().display(true).create();
                let state = match display {
                    Ok(display) => {
                        let system = builder()
                            .idle(true)
                            .sleep(true)
                            .create()
                            .map_err(|e| e.to_string());
                        if let Err(e) = &system {
                            tracing::warn!(error = %e, "idle and sleep are not blocked");
                        }
                        tracing::info!("kiosk: the screen is kept awake");
                        State::Held(Box::new(Held {
                            _display: display,
                            system,
                        }))
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "kiosk: the screen cannot be kept awake");
                        State::Failed(e.to_string())
                    }
                };
                let mut guard = lock(&inner);
                if guard.generation == generation {
                    guard.state = state;
                } else {
                    drop(guard);
                    let_go(state);
                }
            });
        if let Err(e) = spawned {
            lock(&self.inner).state = State::Failed(format!("no thread to ask it on: {e}"));
        }
    }

    /// Lets the screen sleep again.
    fn release(&self) {
        let old = {
            let mut inner = lock(&self.inner);
            inner.generation += 1;
            std::mem::replace(&mut inner.state, State::Off)
        };
        let_go(old);
    }

    /// Door health's line, in `words`' language: `None` while not wanted.
    pub fn words(&self, words: &usher_core::look::Words) -> Option<String> {
        let why = |why: &str| [("why", usher_core::i18n::Arg::from(why.to_string()))];
        Some(match &lock(&self.inner).state {
            State::Off => return None,
            State::Asking => words.text("awake-asking", &[]),
            State::Held(held) => match &held.system {
                Ok(_) => words.text("awake-held", &[]),
                Err(e) => words.text("awake-held-partly", &why(e)),
            },
            State::Failed(e) => words.text("awake-failed", &why(e)),
        })
    }
}
