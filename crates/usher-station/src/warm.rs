//! [`Warmed`]: a value built once on its own thread (the guest search index), so the screen
//! that needs it first does not wait for it, and nobody builds it twice.
//!
//! Waiting for it is a wait on a condition with a limit, never a spin, and a build that fails
//! or panics always ends the wait: the failure is logged and kept, and the caller builds the
//! value itself (the retry), reporting its own error if that fails too.

use crate::camera::lock;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

pub(crate) struct Warmed<T> {
    state: Mutex<State<T>>,
    changed: Condvar,
}

struct State<T> {
    value: Option<Arc<T>>,
    building: bool,
    failed: Option<String>,
}

impl<T: Send + Sync + 'static> Warmed<T> {
    pub fn new() -> Arc<Warmed<T>> {
        Arc::new(Warmed {
            state: Mutex::new(State {
                value: None,
                building: false,
                failed: None,
            }),
            changed: Condvar::new(),
        })
    }

    /// Builds a new value on its own thread, unless a build is already running. The value in
    /// place stays until the new one is ready.
    pub fn warm(
        self: &Arc<Self>,
        what: &'static str,
        build: impl FnOnce() -> Result<T, String> + Send + 'static,
    ) {
        {
            let mut state = lock(&self.state);
            if state.building {
                return;
            }
            state.building = true;
        }
        let me = self.clone();
        let spawned = std::thread::Builder::new()
            .name("usher-warm".into())
            .spawn(move || {
                let built = catch_unwind(AssertUnwindSafe(build))
                    .unwrap_or_else(|panic| Err(crate::panic_words(&*panic)));
                me.finish(what, built);
            });
        if let Err(e) = spawned {
            self.finish(what, Err(format!("cannot start a thread: {e}")));
        }
    }

    fn finish(&self, what: &str, built: Result<T, String>) {
        let mut state = lock(&self.state);
        state.building = false;
        match built {
            Ok(value) => {
                state.value = Some(Arc::new(value));
                state.failed = None;
            }
            Err(why) => {
                tracing::warn!(what, error = %why, "building on the side failed; the next use builds it again");
                state.failed = Some(why);
            }
        }
        self.changed.notify_all();
    }

    /// The value; while a build runs and there is none yet, waits for it at most `patience`.
    /// `None`: there is none (never built, or the build failed): build it and [`Warmed::set`].
    pub fn get(&self, patience: Duration) -> Option<Arc<T>> {
        let state = lock(&self.state);
        let (state, _) = self
            .changed
            .wait_timeout_while(state, patience, |s| s.value.is_none() && s.building)
            .unwrap_or_else(|p| p.into_inner());
        state.value.clone()
    }

    pub fn set(&self, value: Arc<T>) {
        let mut state = lock(&self.state);
        state.value = Some(value);
        state.failed = None;
    }

    /// Why the last build failed, while no build has succeeded since.
    pub fn failed(&self) -> Option<String> {
        lock(&self.state).failed.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Long enough that only a hang could use it up: the wait must end when the build does.
    const PATIENCE: Duration = Duration::from_secs(600);

    #[test]
    fn a_build_that_panics_ends_the_wait_is_reported_and_is_built_again() {
        let warmed = Warmed::<u32>::new();
        warmed.warm("index", || panic!("corrupt page"));
        assert_eq!(warmed.get(PATIENCE), None);
        assert!(warmed.failed().unwrap().contains("corrupt page"));
        warmed.warm("index", || Ok(7));
        assert_eq!(warmed.get(PATIENCE).as_deref(), Some(&7));
        assert_eq!(warmed.failed(), None);
    }

    #[test]
    fn a_build_that_fails_ends_the_wait_and_the_caller_sets_its_own() {
        let warmed = Warmed::<u32>::new();
        warmed.warm("index", || Err("disk full".into()));
        assert_eq!(warmed.get(PATIENCE), None);
        assert_eq!(warmed.failed().as_deref(), Some("disk full"));
        warmed.set(Arc::new(3));
        assert_eq!(warmed.get(Duration::ZERO).as_deref(), Some(&3));
    }

    #[test]
    fn a_waiter_gets_the_value_a_running_build_delivers() {
        let warmed = Warmed::<u32>::new();
        let (go, wait) = std::sync::mpsc::channel::<()>();
        warmed.warm("index", move || {
            wait.recv().ok();
            Ok(42)
        });
        // A second warm while the first runs builds nothing more.
        warmed.warm("index", || panic!("built twice"));
        go.send(()).unwrap();
        assert_eq!(warmed.get(PATIENCE).as_deref(), Some(&42));
        assert_eq!(warmed.failed(), None);
    }
}
