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
//! The shapes follow the contract (`tests/contract/schemas/`): every answer carries every
//! field the route's output schema requires, with values that match its patterns, enums and
//! formats ([`wire`]; the contract tests check every answer they read). What follows is
//! what the simulator chose where the contract says nothing.
//!
//! - **Errors.** The body is oRPC's `{defined, code, status, message, data}` with the HTTP
//!   status equal to `status`. `defined: true` for an error the route declares with matching
//!   data (the contract's table: 400, 401, 403, 404, 409, 422, 429, 500, 501, 503; check-in's
//!   four 400 reasons). `defined: false` (as oRPC sends any other error) for: a missing or
//!   malformed `x-tenant-id` (400), unparseable JSON (400), an unknown route (404), a wrong
//!   method (405, `METHOD_NOT_SUPPORTED`), a CANCELLED ticket's 400 (`TICKET_CANCELLED`),
//!   check-out's `FILTERED_OUT` and `PARTIAL_ORDER_CONFIRMATION_REQUIRED` (the contract types
//!   those two with `kind: "CHECK_IN"` only), and a fault's status outside the table (oRPC's
//!   own code, e.g. 502 `BAD_GATEWAY`, else `INTERNAL_SERVER_ERROR`/`BAD_REQUEST`).
//! - **Tenant.** Missing or malformed `x-tenant-id` (not `tnt_` + 26): 400 BAD_REQUEST with
//!   `data.header = "x-tenant-id"`. A well-formed tenant this simulator does not serve: 401
//!   UNAUTHORIZED on every route (public ones too), so a misconfigured app pauses uploads.
//! - **Check order.** Script → refused cursor → faults → tenant (400/401) → token (401) → no
//!   grant for the action at all (403) → malformed JSON (400) → strict input (422) → unknown
//!   key (404) → targeted permission (403) → route logic.
//! - **Permissions.** [`session_api::permission::check`] decides, the same reading of nodes
//!   the app uses: a request is allowed when its answer is `Allowed` for the resource touched
//!   (its team, promoter, venue, event, order and ticket ids, as far as the request names
//!   them; deny nodes win; a membership's nodes apply in its own team only; `isAdmin` holds
//!   everything). A token's first membership is in the dataset's team ([`Dataset::team_id`]);
//!   [`Token::with_membership`] adds others. A membership's roles
//!   ([`TokenMembership::with_role`]) are enforced like its nodes but `/users/me` lists only
//!   their `roleIds`, as the real service may: a client's hint cannot see them. Event reads are public (every event is public;
//!   a token sent on a public route is ignored, even an invalid one). Ticket reads
//!   (`/tickets`, `/tickets/{id}`, `/tickets/attendees`) need `ticket.read`; the demo
//!   SCANNING token has it (our assumption: `docs/session-services.md`). Attendance needs `event.read` or
//!   `ticket.read`. Check-in/out need `ticket.scan`. A list is checked against its
//!   `eventId` (an event the dataset does not hold counts as the dataset's team's), else the
//!   order's event, else the dataset's team and the `promoterId` filter; so an event-scoped
//!   token listing by `customerId`/`status`/`query` alone is 403. Check-in/out are checked
//!   against the ticket (an order key: the order, no ticket id), or against the body's
//!   `eventId` when it names another event (so a scoped token scanning another event's
//!   ticket with its own `eventId` gets `EVENT_MISMATCH`). A 403's `data.permission` names
//!   the action, targeted at the resource's event (`ticket.scan.evt_…`) when it has one.
//! - **`/users/me`.** `user` is the token's user (`null` for [`Token::service`]), `isAdmin`
//!   as set, one member per membership (`mbr_` id derived from the token and team,
//!   `isOwner` as set, `access.promoterIds` when limited, `roleIds` when it has roles (their
//!   nodes unlisted), `tenantId` the simulator's). A
//!   service token's scans carry a derived "Service Token" user. Dates are fixed
//!   (2025-06-01). The route declares no input: any query is ignored.
//! - **Strictness.** 422 only where the route's input schema refuses the input. Strict inputs
//!   (every route but `GET /events/{key}`, attendance and `/users/me`, whose unknown keys are
//!   ignored) name unknown keys in `formErrors` (zod style: "Unrecognized key(s) in object:
//!   'x'") and in `fieldErrors.x`. Repeated scalars, arrays without brackets, nulls, enum
//!   values, patterns (`eventId` of the roster and of check-in, `admissionIds`, `sectionIds`),
//!   `limit` outside 1–100 (an integer where the contract says so), `signature` and
//!   `orderSignature` not 16 characters (accepted, never checked), an `idempotencyKey` not
//!   1–255 characters once trimmed (it is stored trimmed) are 422. `deviceId` is any string.
//!   An empty body is `{}`; unparseable JSON is 400. Ids the contract types as plain strings
//!   (`/tickets` filters, the `key` of check-in/out, `GET /tickets/{id}`) are never 422:
//!   a malformed one is as unknown as any other (an empty page, or 404).
//! - **Lists.** `GET /tickets` needs at least one of `eventId`, `orderId`, `customerId`,
//!   `promoterId`, `status`, `query` (else 422 formErrors). Sorted by attendee last name, then
//!   first name (case-insensitive), then id, with or without `query`. An unknown
//!   `eventId`/`orderId` filter gives an empty page, not 404. `query` is a case-insensitive
//!   substring of "first last" or the e-mail, or (3+ digits) of the phone's digits.
//!   `/tickets/attendees` requires `eventId`; it takes one of `cursor` (the page after),
//!   `before` (the page before a cursor, which answers `after` = that cursor) and `anchor`
//!   (a bookmark of `/tickets/attendees/index` for the same filters and no `query`, else 422
//!   `fieldErrors.anchor`); its `before` is a cursor for the page before, on every page but
//!   the first. `before` is always null on the other lists. No total count.
//!   `/tickets/attendees/index` buckets rows by the first letter of the attendee's last
//!   name (accents folded; anything else `#`), lists only non-empty buckets, `#` first, each
//!   anchored at its first row in roster order. A bucket's rows need not be contiguous (an
//!   accented name sorts after `Z`): a walk from an anchor runs to the end of the roster.
//!   `GET /events` sorts by `entryStartsAt` (default) or `createdAt`, `asc` (default) or
//!   `desc`; `from`/`to` are dates `YYYY-MM-DD` (anything else 422) compared with the date of
//!   the event's local `entryStartsAt`, both inclusive; `query` is a substring of the name;
//!   `country`/`state`/`city` match the location case-insensitively (no location has a
//!   state); `latitude`+`longitude` keep events within `radius` km (default 50); no event is
//!   `featured` or has `genres`/`categories`, so asking for them gives an empty page. An
//!   item's `price` is its cheapest admission's. `/events/{id}/admissions` and `…/sections`
//!   list in display order, filter by `query` (name) and `sectionId`, 20 a page.
//! - **Cursors.** base64url JSON `{"p": position, "m": HMAC}`; bound to the route and filters
//!   (not `limit`, which may change between pages); never expire; stay valid across
//!   stop/restart and across processes with the same config (fixed default key). Anything
//!   else is 422 `fieldErrors.cursor` (`.before`, `.anchor`).
//! - **Events.** Keys of `/events/{key}/…` may be an id or a slug. `GET /events/{key}`
//!   ignores `passcode`/`couponCode`; a `teamId` other than the event's is 404. Generated
//!   events are `APPROVED`, `PUBLIC`, `UPCOMING`, at a real venue (location with its venue,
//!   coordinates and geohash), with images at `https://assets.example.com/session-sim/…`.
//!   Admissions are `ALWAYS` visible, `SALE_ENDED` after sale, sold counted from the tickets
//!   not cancelled; sections sit at the event's location.
//! - **Attendance.** Checked in = REDEEMED, total = not CANCELLED; `checkinRate` is a percent
//!   (0–100, two decimals). `includeAdmission`/`includeSection` (`true`/`false`, default
//!   true) empty `byAdmission`/`bySection` when false (the summary) or leave them out (the
//!   series). With `granularity` (`HOUR`, `MINUTE`): one point per period (UTC, period start)
//!   from the first scan's to the last scan's, at most 1,440 (the newest); `checkedIn` is
//!   the number in at the period's end, `checkinsThisPeriod` the check-ins within it, `rate`
//!   a percent of the total.
//! - **Check-in/out.** Entry windows are not enforced by the server. Order of reasons:
//!   `EVENT_MISMATCH` → `FILTERED_OUT` (ticket, or every ticket of the order, outside
//!   `admissionIds`/`sectionIds`; a ticket without a section fails any section filter) →
//!   CANCELLED → `NOOP_TRANSITION` → `PARTIAL_ORDER_CONFIRMATION_REQUIRED`. Every reason's
//!   `data` carries `kind` and `targetType`; `EVENT_MISMATCH`'s `event` is `{id, name, slug,
//!   entryStartsAt, teamId}`. A CANCELLED ticket (or an order whose selected tickets are all
//!   cancelled) is 400 BAD_REQUEST, `defined: false`, with `data.reason =
//!   "TICKET_CANCELLED"` ([`TICKET_CANCELLED`]) plus `kind`, `targetType`, `ticket`.
//!   Cancelled tickets inside an order are skipped. `data.ticket` is the full ticket (with
//!   `scans[]`) for a ticket key; for an order key it is the first already-in ticket
//!   (NOOP/PARTIAL) and `data.order` is `{id, checkedInCount, items}` (items = quantity per
//!   admission). Success returns only the tickets that changed, plus `order` for order keys.
//!   Check-out mirrors check-in: REDEEMED → ACTIVE, `NOOP_TRANSITION` when not in, and partial
//!   confirmation (same `allowPartialOrderCheckIn` flag) when some of the order is already out.
//!   Scans: `scn_` UUIDv7-shaped ids, `scannedAt` the server's clock, `scannedBy` the token's
//!   user, `deviceId` as sent or `""` when the request sent none. Query strings on these PUTs
//!   are ignored (the input is the path and the body).
//! - **Idempotency.** Keyed by `idempotencyKey` alone (per simulator, i.e. per tenant), kept
//!   until reset. Stored: the answer of the route logic (200 and the 400 reasons), replayed
//!   byte for byte, even if the body differs otherwise. Not stored: 401/403/404/422 (nothing
//!   was decided). The same key for another key/kind is 422 `fieldErrors.idempotencyKey`.
//! - **Import files** ([`Dataset::read_import`], `session-sim --data`): the contract's
//!   shapes, read leniently. Required: the event's `evt_` id, each admission's `adm_` id,
//!   each section's id, each ticket's `tkt_` id, `ord_` order, known admission and section,
//!   `status`, each scan's `kind`. Anything else missing or out of the contract gets a
//!   default: times the load time (an event's entry window its admissions' earliest start
//!   and latest end; an admission's its event's; `publishAt`/`saleStartsAt` the event's
//!   creation; `saleEndsAt` the entry end); `approval` APPROVED, `status` UPCOMING,
//!   `visibility` PUBLIC (admissions and sections ALWAYS), `saleEndsBehavior` SALE_ENDED;
//!   `currency` an admission's, else by the zone (GBP, EUR, AUD, JPY, BRL, else USD); time
//!   zone `UTC`; coordinates 0; `loc_`, `pmt_`, `scn_`, `usr_` ids derived from the event,
//!   ticket or scanner; `teamId` the demo team; a ticket's `customerId` `cus_` + its order's
//!   body, `teamId`/`promoterId` the event's; images as for generated events; a section
//!   without a location the event's; attendee names [`dataset::DEFAULT_FIRST_NAME`] and
//!   [`dataset::DEFAULT_LAST_NAME`], e-mail [`dataset::DEFAULT_EMAIL`]; a scanner's e-mail
//!   [`dataset::DEFAULT_SCANNER_EMAIL`], `deviceId` `""`. `sold`/`available` are counted
//!   from the tickets. `orderItemId` is not kept.
//! - **Faults** ([`Faults`]) apply to API routes only, not `/__sim/`. Per request, in order:
//!   the script ([`Faults::script`]: the first entry whose route matches, used once; the
//!   contract's error body for its status, a proxy's HTML page, an empty body or raw text;
//!   `Retry-After` passed raw; nothing checked, applied or drawn) → refused cursors
//!   ([`Faults::reject_cursors`]: any GET with a `cursor` gets that status, 422 with
//!   `fieldErrors.cursor`) → reset (RST, nothing applied) → 429 above `rate_limit_per_sec`
//!   in a one-second window, with `Retry-After` unless `None` → 500/503 (nothing applied) →
//!   latency + jitter → the handler → commit-then-drop (PUT only: applied and stored, then
//!   the connection is closed with no answer) → truncated body (head and half the body, then
//!   the connection aborts) → slow body (8 chunks over `slow_body_ms`). `legacy_cursor_key`
//!   renames `after` to `cursor`; `repeat_cursor` answers a page fetched with a cursor with
//!   `after` = that cursor; `hidden_rows` leaves those tickets out of `/tickets/attendees`
//!   while the index still counts them (a server that loses rows). One RNG seeded by `Faults::seed` and re-seeded on every
//!   `set_faults`, five draws per request not answered by the script or a refused cursor, so
//!   a sequential client sees the same faults every run.
//! - **Refunds and removals** ([`Sim::cancel`], [`Sim::remove_from_roster`]): a refund makes
//!   a ticket CANCELLED (it stays on the roster, as the contract's statuses say); a ticket
//!   taken off the roster (voided, moved) leaves `/tickets`, `/tickets/attendees`, the index's
//!   counts and `GET /tickets/{id}` (404). Check-in still finds it by key.
//!   [`Sim::delist_admission`] leaves an admission out of `GET /events/{key}`'s list while its
//!   tickets stay on the roster.
//! - **Journal** (off by default; [`SimConfig::with_journal`]): the last 5,000 API requests
//!   (and at most 64 MiB of answers; [`JournalLimits`]), oldest first, each `{method, path,
//!   query: [[key, value], …] (decoded, as sent, in order), body (JSON or null), status (0:
//!   no answer), answer (JSON or null)}`, recorded before the answer's last byte is sent;
//!   faults' answers included, `/__sim/` not. [`Sim::journal`], `GET`/`DELETE
//!   /__sim/journal`.
//! - **Inspection** under `/__sim/` (no tenant, token or faults): `GET /__sim/tickets/{id}`,
//!   `GET /__sim/requests` (`{route: "METHOD /template", status, count}`, status 0 = closed
//!   without answer), `POST /__sim/reset`, `GET`/`PUT /__sim/faults` (camelCase [`Faults`],
//!   `script` = what is left of it), `GET`/`DELETE /__sim/journal`. Reset restores statuses
//!   and scans, forgets idempotency keys and counts, keeps the faults.

#![warn(missing_docs)]

mod auth;
mod cursor;
pub mod dataset;
pub mod demo;
mod error;
mod faults;
mod journal;
mod live;
mod names;
mod query;
mod routes;
mod server;
mod ticket_view;
pub mod time;
pub mod wire;

pub use auth::{Token, TokenMembership, UserProfile};
pub use dataset::{Dataset, DatasetError, DatasetSpec, OrderInfo};
pub use faults::{Faults, Scripted, ScriptedBody};
pub use journal::{JournalEntry, JournalLimits};
pub use server::{spawn, spawn_on, RequestCount, RunningSim, Sim, SimConfig, SimHandle};

/// `data.reason` of the 400 for a CANCELLED ticket on check-in or check-out (the contract
/// declares no reason for it).
pub const TICKET_CANCELLED: &str = "TICKET_CANCELLED";
