//! Serving: the shared state, the in-process [`Sim`] with its async [`SimHandle`], the
//! blocking [`RunningSim`] for sync callers, and the connection loop that lets faults close
//! or reset a connection.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::io;
use std::net::{Shutdown, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use axum::response::Response;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use serde::{Deserialize, Serialize};
use session_api::Ticket;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify};
use tokio::task::{JoinHandle, JoinSet};
use tower::ServiceExt;

use crate::auth::{Principal, Token};
use crate::cursor::CursorKey;
use crate::dataset::{Dataset, DatasetSpec};
use crate::faults::{FaultState, Faults};
use crate::journal::{Journal, JournalEntry, JournalLimits};
use crate::live::Live;

/// Everything a simulator needs to start.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// The one tenant this simulator serves (`x-tenant-id`).
    pub tenant_id: String,
    /// Accepted bearer tokens.
    pub tokens: Vec<Token>,
    /// The events, orders and tickets served, in their initial state.
    pub dataset: Arc<Dataset>,
    /// The faults injected from the start ([`Faults::none`] by default).
    pub faults: Faults,
    /// Key for cursor signatures; a fixed default keeps cursors valid across processes.
    pub cursor_secret: [u8; 32],
    /// The request journal's limits; `None` (the default) keeps no journal.
    pub journal: Option<JournalLimits>,
}

impl SimConfig {
    /// Serves `dataset` for its tenant, with the demo SCANNING token and no faults.
    pub fn new(dataset: Dataset) -> SimConfig {
        SimConfig {
            tenant_id: dataset.tenant_id().to_string(),
            tokens: vec![Token::demo()],
            dataset: Arc::new(dataset),
            faults: Faults::none(),
            cursor_secret: *b"session-sim cursor secret, v1..!",
            journal: None,
        }
    }

    /// The demo: [`DatasetSpec::default`], demo tenant and token.
    pub fn demo() -> SimConfig {
        SimConfig::new(Dataset::generate(&DatasetSpec::default()))
    }

    /// Serves this tenant instead of the dataset's.
    pub fn with_tenant(mut self, tenant_id: impl Into<String>) -> SimConfig {
        self.tenant_id = tenant_id.into();
        self
    }

    /// Adds a token (replacing one with the same text).
    pub fn with_token(mut self, token: Token) -> SimConfig {
        self.tokens.retain(|t| t.token != token.token);
        self.tokens.push(token);
        self
    }

    /// Replaces every token.
    pub fn with_tokens(mut self, tokens: Vec<Token>) -> SimConfig {
        self.tokens = tokens;
        self
    }

    /// Starts with these faults.
    pub fn with_faults(mut self, faults: Faults) -> SimConfig {
        self.faults = faults;
        self
    }

    /// Keeps a journal of the last API requests and their answers ([`Sim::journal`],
    /// `GET /__sim/journal`), within [`JournalLimits::default`] (5,000 entries, 64 MiB of
    /// answers). For conformance tests; the demo keeps none.
    pub fn with_journal(self) -> SimConfig {
        self.with_journal_limits(JournalLimits::default())
    }

    /// As [`SimConfig::with_journal`], within `limits`.
    pub fn with_journal_limits(mut self, limits: JournalLimits) -> SimConfig {
        self.journal = Some(limits);
        self
    }
}

/// State shared by every request.
pub struct Shared {
    pub(crate) dataset: Arc<Dataset>,
    pub(crate) tenant_id: String,
    pub(crate) tokens: HashMap<String, Arc<Principal>>,
    pub(crate) cursors: CursorKey,
    pub(crate) live: RwLock<Live>,
    pub(crate) faults: FaultState,
    pub(crate) requests: Mutex<BTreeMap<(String, u16), u64>>,
    pub(crate) journal: Option<Arc<Journal>>,
}

/// How many requests a route answered with a status. Status 0 means the connection was
/// closed or reset without an answer (a fault).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestCount {
    /// `METHOD /path/{template}`, e.g. `PUT /tickets/{key}/check-in`.
    pub route: String,
    /// The answer's HTTP status (0: none).
    pub status: u16,
    /// How many requests got it.
    pub count: u64,
}

/// A simulator: its state lives as long as any clone, across stops and restarts.
#[derive(Clone)]
pub struct Sim {
    pub(crate) shared: Arc<Shared>,
}

impl Sim {
    /// A simulator with `config`'s dataset, tokens and faults, not serving yet
    /// ([`Sim::start`]).
    pub fn new(config: SimConfig) -> Sim {
        let live = Live::new(&config.dataset);
        Sim {
            shared: Arc::new(Shared {
                tenant_id: config.tenant_id,
                tokens: config
                    .tokens
                    .into_iter()
                    .map(|t| {
                        let p = Principal::new(t, config.dataset.team_id());
                        (p.token.token.clone(), Arc::new(p))
                    })
                    .collect(),
                cursors: CursorKey::new(config.cursor_secret),
                live: RwLock::new(live),
                faults: FaultState::new(config.faults),
                requests: Mutex::new(BTreeMap::new()),
                journal: config.journal.map(|l| Arc::new(Journal::new(l))),
                dataset: config.dataset,
            }),
        }
    }

    /// Binds `addr` and serves until the handle is shut down or dropped.
    pub async fn start(&self, addr: SocketAddr) -> io::Result<SimHandle> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let (ctl, rx) = watch::channel(Mode::Serving);
        let router = crate::routes::router(self.shared.clone());
        let task = tokio::spawn(accept_loop(listener, router, rx));
        Ok(SimHandle {
            sim: self.clone(),
            addr,
            ctl,
            task: Some(task),
        })
    }

    /// The dataset served, in its initial state (live statuses and scans are beside it).
    pub fn dataset(&self) -> &Dataset {
        &self.shared.dataset
    }

    /// The tenant served (`x-tenant-id`).
    pub fn tenant_id(&self) -> &str {
        &self.shared.tenant_id
    }

    /// The faults in force now (a script shows what is left of it).
    pub fn faults(&self) -> Faults {
        self.shared.faults.get()
    }

    /// Changes the faults at once (and re-seeds their RNG).
    pub fn set_faults(&self, faults: Faults) {
        self.shared.faults.set(faults);
    }

    /// A ticket as it is now, with every scan, as the client reads it.
    pub fn ticket(&self, id: &str) -> Option<Ticket> {
        let row = self.shared.dataset.ticket_row(id)?;
        let live = self.shared.live.read().expect("live lock");
        Some(live.ticket(&self.shared.dataset, row))
    }

    /// Refunds a ticket: it becomes CANCELLED. False for an unknown id.
    pub fn cancel(&self, id: &str) -> bool {
        let Some(row) = self.shared.dataset.ticket_row(id) else {
            return false;
        };
        let mut live = self.shared.live.write().expect("live lock");
        live.status[row as usize] = session_api::TicketStatus::Cancelled;
        live.updated_ms
            .insert(row, jiff::Timestamp::now().as_millisecond());
        true
    }

    /// Takes a ticket off the roster (voided or moved to another ticket): it leaves every
    /// list, the index's counts and `GET /tickets/{id}`. False for an unknown id.
    pub fn remove_from_roster(&self, id: &str) -> bool {
        let Some(row) = self.shared.dataset.ticket_row(id) else {
            return false;
        };
        self.shared
            .live
            .write()
            .expect("live lock")
            .off_roster
            .insert(row);
        true
    }

    /// Takes an admission off its event's list in `GET /events/{key}` (its tickets stay on the
    /// roster and in the index).
    pub fn delist_admission(&self, id: &str) {
        self.shared
            .live
            .write()
            .expect("live lock")
            .delisted
            .insert(id.to_string());
    }

    /// Streams one event and its tickets *as they are now* (live statuses and scans) in the
    /// import format. Check-ins wait while this runs.
    pub fn write_import_json(
        &self,
        event_index: usize,
        w: &mut impl std::io::Write,
    ) -> io::Result<()> {
        let ds = &self.shared.dataset;
        let live = self.shared.live.read().expect("live lock");
        ds.write_event_file(event_index, w, |row| {
            crate::ticket_view::TicketView::live(ds, &live, row)
        })
    }

    /// Requests so far, by route and status.
    pub fn request_counts(&self) -> Vec<RequestCount> {
        self.shared
            .requests
            .lock()
            .expect("request counts")
            .iter()
            .map(|((route, status), count)| RequestCount {
                route: route.clone(),
                status: *status,
                count: *count,
            })
            .collect()
    }

    /// How many requests `route` answered with `status`.
    pub fn request_count(&self, route: &str, status: u16) -> u64 {
        let counts = self.shared.requests.lock().expect("request counts");
        counts
            .get(&(route.to_string(), status))
            .copied()
            .unwrap_or(0)
    }

    /// The journal, oldest first (empty when the config keeps none).
    pub fn journal(&self) -> Vec<JournalEntry> {
        self.shared
            .journal
            .as_ref()
            .map_or_else(Vec::new, |j| j.entries())
    }

    /// Forgets the journal's entries.
    pub fn clear_journal(&self) {
        if let Some(j) = &self.shared.journal {
            j.clear();
        }
    }

    /// A ticket as it is now, exactly as `GET /tickets/{id}` sends it (`{"ticket": …}`'s
    /// inside), with every scan.
    pub fn ticket_json(&self, id: &str) -> Option<serde_json::Value> {
        let row = self.shared.dataset.ticket_row(id)?;
        let live = self.shared.live.read().expect("live lock");
        Some(crate::ticket_view::TicketView::live(&self.shared.dataset, &live, row).to_value())
    }

    /// Back to the dataset's initial state: scans, statuses, idempotency keys and request
    /// counts are cleared; the faults in force stay (their RNG is re-seeded).
    pub fn reset(&self) {
        *self.shared.live.write().expect("live lock") = Live::new(&self.shared.dataset);
        self.shared.requests.lock().expect("request counts").clear();
        self.shared.faults.set(self.shared.faults.get());
    }
}

impl Shared {
    pub(crate) fn count(&self, route: String, status: u16) {
        *self
            .requests
            .lock()
            .expect("request counts")
            .entry((route, status))
            .or_insert(0) += 1;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Serving,
    Graceful,
    Cut,
}

/// A running server inside a tokio runtime.
pub struct SimHandle {
    sim: Sim,
    addr: SocketAddr,
    ctl: watch::Sender<Mode>,
    task: Option<JoinHandle<()>>,
}

impl SimHandle {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The simulator it serves.
    pub fn sim(&self) -> &Sim {
        &self.sim
    }

    /// Stops accepting, lets requests in flight finish (up to 5 s), closes idle connections.
    pub async fn shutdown(mut self) {
        let _ = self.ctl.send(Mode::Graceful);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    /// Closes the listener and resets every connection at once, as a network cut would.
    pub async fn cut(mut self) {
        let _ = self.ctl.send(Mode::Cut);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        let _ = self.ctl.send(Mode::Cut);
    }
}

/// Lets a fault close this request's connection without an answer.
#[derive(Clone)]
pub(crate) struct ConnKill(Arc<KillSwitch>);

#[derive(Default)]
struct KillSwitch {
    notify: Notify,
    reset: AtomicBool,
}

impl ConnKill {
    /// Resets the connection (RST); never returns.
    pub async fn reset(&self) -> Response {
        self.0.reset.store(true, Ordering::SeqCst);
        self.0.notify.notify_one();
        std::future::pending().await
    }

    /// Closes the connection (FIN) with no answer; never returns.
    pub async fn drop_connection(&self) -> Response {
        self.0.notify.notify_one();
        std::future::pending().await
    }
}

async fn accept_loop(listener: TcpListener, router: Router, mut ctl: watch::Receiver<Mode>) {
    let mut conns = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    conns.spawn(serve_connection(stream, router.clone(), ctl.clone()));
                }
            }
            changed = ctl.changed() => {
                if changed.is_err() || *ctl.borrow() != Mode::Serving {
                    break;
                }
            }
        }
        while conns.try_join_next().is_some() {}
    }
    drop(listener);
    let grace = if *ctl.borrow() == Mode::Graceful {
        Duration::from_secs(5)
    } else {
        Duration::from_millis(500)
    };
    let _ = tokio::time::timeout(grace, async { while conns.join_next().await.is_some() {} }).await;
    conns.abort_all();
}

fn close(side: &std::net::TcpStream, reset: bool) {
    if reset {
        let _ = socket2::SockRef::from(side).set_linger(Some(Duration::ZERO));
    } else {
        let _ = side.shutdown(Shutdown::Both);
    }
}

async fn serve_connection(stream: TcpStream, router: Router, mut ctl: watch::Receiver<Mode>) {
    let _ = stream.set_nodelay(true);
    // A second handle on the socket lets a fault close or reset it from outside hyper.
    let Ok(std_stream) = stream.into_std() else {
        return;
    };
    let Ok(side) = std_stream.try_clone() else {
        return;
    };
    let Ok(stream) = TcpStream::from_std(std_stream) else {
        return;
    };
    let kill = Arc::new(KillSwitch::default());
    let conn_kill = ConnKill(kill.clone());
    let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        req.extensions_mut().insert(conn_kill.clone());
        router.clone().oneshot(req)
    });
    let conn = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    let mut graceful = false;
    loop {
        tokio::select! {
            _ = conn.as_mut() => return,
            _ = kill.notify.notified() => {
                close(&side, kill.reset.load(Ordering::SeqCst));
                return;
            }
            changed = ctl.changed(), if !graceful => {
                match changed.ok().map(|_| *ctl.borrow()) {
                    Some(Mode::Serving) => {}
                    Some(Mode::Graceful) => {
                        conn.as_mut().graceful_shutdown();
                        graceful = true;
                    }
                    _ => {
                        close(&side, true);
                        return;
                    }
                }
            }
        }
    }
}

/// A simulator on its own tokio runtime, for sync code (the CLI demo, sync tests).
/// Dropping it stops the server.
pub struct RunningSim {
    sim: Sim,
    addr: SocketAddr,
    runtime: Option<tokio::runtime::Runtime>,
    handle: Option<SimHandle>,
}

/// Starts a simulator on `127.0.0.1` with a free port, on a background runtime.
pub fn spawn(config: SimConfig) -> io::Result<RunningSim> {
    spawn_on(config, SocketAddr::from(([127, 0, 0, 1], 0)))
}

/// Starts a simulator on `addr`, on a background runtime.
pub fn spawn_on(config: SimConfig, addr: SocketAddr) -> io::Result<RunningSim> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("session-sim")
        .enable_all()
        .build()?;
    let mut running = RunningSim {
        sim: Sim::new(config),
        addr,
        runtime: Some(runtime),
        handle: None,
    };
    running.restart()?;
    Ok(running)
}

impl RunningSim {
    fn run<T: Send + 'static>(&self, fut: impl Future<Output = T> + Send + 'static) -> T {
        // A channel rather than `block_on`, so this also works when called from async code.
        let (tx, rx) = std::sync::mpsc::channel();
        self.runtime
            .as_ref()
            .expect("runtime lives until drop")
            .spawn(async move {
                let _ = tx.send(fut.await);
            });
        rx.recv().expect("simulator runtime alive")
    }

    /// The address it listens on, the same across stops and restarts.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The simulator it serves.
    pub fn sim(&self) -> &Sim {
        &self.sim
    }

    /// True from a start or restart until a stop or cut.
    pub fn is_serving(&self) -> bool {
        self.handle.is_some()
    }

    /// As [`Sim::set_faults`].
    pub fn set_faults(&self, faults: Faults) {
        self.sim.set_faults(faults);
    }

    /// Graceful stop; the state is kept for [`RunningSim::restart`].
    pub fn stop(&mut self) {
        if let Some(h) = self.handle.take() {
            self.run(h.shutdown());
        }
    }

    /// Abrupt stop, as a network cut: every connection is reset. The state is kept.
    pub fn cut(&mut self) {
        if let Some(h) = self.handle.take() {
            self.run(h.cut());
        }
    }

    /// Serves again on the same address (after [`RunningSim::stop`] or [`RunningSim::cut`]).
    pub fn restart(&mut self) -> io::Result<()> {
        if self.handle.is_some() {
            return Ok(());
        }
        let sim = self.sim.clone();
        let addr = self.addr;
        let handle = self.run(async move { sim.start(addr).await })?;
        self.addr = handle.addr();
        self.handle = Some(handle);
        Ok(())
    }
}

impl Drop for RunningSim {
    fn drop(&mut self) {
        drop(self.handle.take());
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}
