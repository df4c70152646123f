//! A faithful Session Services API simulator: strict inputs, the contract's error bodies,
//! seeded demo data that scales to a million tickets, and reproducible fault injection.
//!
//! In-process, async:
//! ```no_run
//! # async fn f() -> std::io::Result<()> {
//! let sim = session_sim::Sim::new(session_sim::SimConfig::demo());
//! let handle = sim.start("127.0.0.1:0".parse().unwrap()).await?;
//! println!("{}", handle.base_url());
//! handle.shutdown().await;
//! # Ok(()) }
//! ```
//! From sync code: `let running = session_sim::spawn(SimConfig::demo())?;` runs it on its own
//! runtime; `stop()`/`cut()` and `restart()` keep the state and the port; drop stops it.
//!
//! # Behaviour where the contract is silent
//!
//! - **Tenant.** Missing or malformed `x-tenant-id` (not `tnt_` + 26): 400 BAD_REQUEST with
//!   `data.header = "x-tenant-id"`. A well-formed tenant this simulator does not serve: 401
//!   UNAUTHORIZED on every route (public ones too), so a misconfigured app pauses uploads.
//! - **Check order.** Faults → tenant (400/401) → token (401) → no node at all (403) →
//!   malformed JSON (400) → strict input (422) → unknown key (404) → event-targeted permission
//!   (403) → route logic. A 405 uses the error body with code `METHOD_NOT_SUPPORTED`.
//! - **Permissions.** Event reads are public (every event is public; a token sent on a public
//!   route is ignored, even an invalid one). Ticket reads (`/tickets`, `/tickets/{id}`,
//!   `/tickets/attendees`) need `ticket.read`; the demo SCANNING token has it (the contract's
//!   assumption). Attendance needs `event.read` or `ticket.read`. Check-in/out need
//!   `ticket.scan`. An event-scoped node `X.evt_…` is checked against the query's `eventId`
//!   (else the order's or ticket's event); for check-in/out against the body's `eventId` when
//!   given (so a scoped token scanning another event's ticket with its own `eventId` gets
//!   `EVENT_MISMATCH`), else the ticket's event. A scoped-only token listing by
//!   `customerId`/`promoterId`/`status`/`query` alone is 403.
//! - **Strictness.** Unknown keys are named in `formErrors` (zod style: "Unrecognized key(s) in
//!   object: 'x'") and in `fieldErrors.x`. Repeated scalars, arrays without brackets, nulls,
//!   wrong prefixes and `idempotencyKey` outside 1–255 are 422. An empty body is `{}`.
//!   Unparseable JSON is 400 BAD_REQUEST. A malformed key or id in the path (not `tkt_`/`ord_`
//!   and 26 characters) is 422 with `fieldErrors.key` (`.id` on `GET /tickets/{id}`); a well-formed unknown
//!   one is 404.
//! - **Lists.** `GET /tickets` needs at least one of `eventId`, `orderId`, `customerId`,
//!   `promoterId`, `status`, `query` (else 422 formErrors). Sorted by attendee last name, then
//!   first name (case-insensitive), then id. An unknown `eventId`/`orderId` filter gives an
//!   empty page, not 404. `query` is a case-insensitive substring of "first last" or the
//!   e-mail, or (3+ digits) of the phone's digits. `/tickets/attendees` requires `eventId`.
//!   `before` is always null. No total count.
//! - **Cursors.** base64url JSON `{"p": position, "m": HMAC}`; bound to the route and filters
//!   (not `limit`, which may change between pages); never expire; stay valid across
//!   stop/restart and across processes with the same config (fixed default key). Anything
//!   else is 422 `fieldErrors.cursor`.
//! - **Events.** `GET /events` lists without `admissions`/`sections`; `from`/`to` compare the
//!   event's `entryStartsAt` (an instant, or a local date/date-time in the event's zone). Keys
//!   of `/events/{key}/…` may be an id or a slug. Attendance: checked in = REDEEMED, total =
//!   not CANCELLED; no time series, no query keys.
//! - **Check-in/out.** Entry windows are not enforced by the server. Order of reasons:
//!   `EVENT_MISMATCH` → `FILTERED_OUT` (ticket, or every ticket of the order, outside
//!   `admissionIds`/`sectionIds`; a ticket without a section fails any section filter) →
//!   CANCELLED → `NOOP_TRANSITION` → `PARTIAL_ORDER_CONFIRMATION_REQUIRED`. A CANCELLED ticket
//!   (or an order whose selected tickets are all cancelled) is 400 BAD_REQUEST with
//!   `data.reason = "TICKET_CANCELLED"` ([`TICKET_CANCELLED`]) plus `kind`, `targetType`,
//!   `ticket`. Cancelled tickets inside an order are skipped. `data.ticket` is the full ticket
//!   (with `scans[]`) for a ticket key; for an order key it is the first already-in ticket
//!   (NOOP/PARTIAL) and `data.order` is `{id, checkedInCount, items}` (items = quantity per
//!   admission). Success returns only the tickets that changed, plus `order` for order keys.
//!   Check-out mirrors check-in: REDEEMED → ACTIVE, `NOOP_TRANSITION` when not in, and partial
//!   confirmation (same `allowPartialOrderCheckIn` flag) when some of the order is already out.
//!   Scan ids are `scn_` UUIDv7-shaped.
//! - **Idempotency.** Keyed by `idempotencyKey` alone (per simulator, i.e. per tenant), kept
//!   until reset. Stored: the answer of the route logic (200 and the 400 reasons), replayed
//!   byte for byte, even if the body differs otherwise. Not stored: 401/403/404/422 (nothing
//!   was decided). The same key for another key/kind is 422 `fieldErrors.idempotencyKey`.
//! - **Faults** ([`Faults`]) apply to API routes only, not `/__sim/`. Per request, in order:
//!   reset (RST, nothing applied) → 429 above `rate_limit_per_sec` in a one-second window,
//!   with `Retry-After` unless `None` → 500/503 (nothing applied) → latency + jitter → the
//!   handler → commit-then-drop (PUT only: applied and stored, then the connection is closed
//!   with no answer) → truncated body (head and half the body, then the connection aborts) →
//!   slow body (8 chunks over `slow_body_ms`). `legacy_cursor_key` renames `after` to
//!   `cursor`. One RNG seeded by `Faults::seed` and re-seeded on every `set_faults`, five
//!   draws per request, so a sequential client sees the same faults every run.
//! - **Inspection** under `/__sim/` (no tenant, token or faults): `GET /__sim/tickets/{id}`,
//!   `GET /__sim/requests` (`{route: "METHOD /template", status, count}`, status 0 = closed
//!   without answer), `POST /__sim/reset`, `GET`/`PUT /__sim/faults` (camelCase [`Faults`]).
//!   Reset restores statuses and scans, forgets idempotency keys and counts, keeps the faults.

mod auth;
mod cursor;
pub mod dataset;
pub mod demo;
mod error;
mod faults;
mod live;
mod names;
mod query;
mod routes;
mod server;
mod ticket_view;
pub mod time;

pub use auth::{Token, UserProfile};
pub use dataset::{Dataset, DatasetError, DatasetSpec, OrderInfo};
pub use faults::Faults;
pub use server::{spawn, spawn_on, RequestCount, RunningSim, Sim, SimConfig, SimHandle};

/// `data.reason` of the 400 for a CANCELLED ticket on check-in or check-out (the contract
/// declares no reason for it).
pub const TICKET_CANCELLED: &str = "TICKET_CANCELLED";
