//! The Session Services wire contract, as far as a door scanner reads and writes it.
//!
//! The ground truth is the published contract (`@session-services/web-elements` 0.1.33),
//! copied as JSON Schemas into `tests/contract/schemas/`; the conformance tests
//! (`tests/conformance/`) check these types against it by machine, both ways.
//!
//! **Architecture invariant:** this crate knows the contract only: shapes, ids and the
//! permission-node grammar. It does no I/O, holds no state and decides nothing about a door.
//!
//! **Architecture invariant:** response types are the *client's reading* of an answer, not
//! the answer. A field the app does not read is not typed at all, so serde skips it and a
//! shape the app never reads can never break it; a field the app reads but that the
//! contract lets be absent or `null` is an `Option`. The simulator therefore never
//! serialises these types to answer a request: it writes the contract's full shapes itself
//! (`session-sim`'s `wire` module).
//!
//! Request types are strict (`deny_unknown_fields`): the client can never send a field the
//! contract does not name.
//!
//! Timestamps stay strings: UTC ones (`scannedAt`, `updatedAt`) are ISO-8601 with
//! milliseconds; event and admission entry times are naive wall-clock `YYYY-MM-DDTHH:mm:ss`
//! in the event's IANA time zone. Parsing them is the consumer's job.

#![warn(missing_docs)]

use serde::{Deserialize, Serialize};

pub mod ids;
pub mod permission;

/// `ACTIVE` → `REDEEMED` on check-in, back on check-out; either → `CANCELLED`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TicketStatus {
    /// Not checked in: valid for entry.
    Active,
    /// Checked in: the holder is in.
    Redeemed,
    /// Refunded or invalidated: not valid for entry.
    Cancelled,
}

impl TicketStatus {
    /// The contract's spelling (`ACTIVE`, `REDEEMED`, `CANCELLED`).
    pub fn as_str(self) -> &'static str {
        match self {
            TicketStatus::Active => "ACTIVE",
            TicketStatus::Redeemed => "REDEEMED",
            TicketStatus::Cancelled => "CANCELLED",
        }
    }
}

/// Which way a scan moves a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ScanKind {
    /// Into the event (`CHECK_IN`): ACTIVE → REDEEMED.
    CheckIn,
    /// Out of the event (`CHECK_OUT`): REDEEMED → ACTIVE.
    CheckOut,
}

impl ScanKind {
    /// The contract's spelling (`CHECK_IN`, `CHECK_OUT`).
    pub fn as_str(self) -> &'static str {
        match self {
            ScanKind::CheckIn => "CHECK_IN",
            ScanKind::CheckOut => "CHECK_OUT",
        }
    }
}

/// An event's `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EventStatus {
    /// Not over yet (`UPCOMING`).
    Upcoming,
    /// Over (`ENDED`).
    Ended,
}

impl EventStatus {
    /// The contract's spelling (`UPCOMING`, `ENDED`).
    pub fn as_str(self) -> &'static str {
        match self {
            EventStatus::Upcoming => "UPCOMING",
            EventStatus::Ended => "ENDED",
        }
    }
}

/// An event's `location`: what the door shows and the zone its entry times are read in.
/// (The contract requires `name`, `address` and `timeZone`; the app refuses an event without
/// a time zone itself, with a plain message, rather than failing to parse the whole answer.)
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    /// The place's name, e.g. the venue's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its formatted street address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// IANA time zone, e.g. `Europe/London`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// The venue, when the location is one (optional in the contract): a `ven_…` permission
    /// target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue: Option<VenueRef>,
}

/// `location.venue`, as far as the app reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VenueRef {
    /// The venue's `ven_` id.
    pub id: String,
}

/// A ticket tier, as `GET /events/{key}` embeds it and `GET /events/{id}/admissions` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Admission {
    /// The tier's `adm_` id.
    pub id: String,
    /// The tier's name.
    pub name: String,
    /// -1 means unlimited (the contract's default).
    #[serde(default = "unlimited")]
    pub capacity: i64,
    /// When entry on this tier opens: naive wall-clock time in the event's zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_starts_at: Option<String>,
    /// When entry on this tier closes: naive wall-clock time in the event's zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_ends_at: Option<String>,
    /// `string | null`, optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section_id: Option<String>,
    /// Display order.
    #[serde(default)]
    pub order: i64,
}

fn unlimited() -> i64 {
    -1
}

/// A section, as `GET /events/{key}` embeds it and `GET /events/{id}/sections` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Section {
    /// The section's `sct_` id.
    pub id: String,
    /// The section's name.
    pub name: String,
    /// Places in the section; -1 means unlimited (the contract's default).
    #[serde(default = "unlimited")]
    pub capacity: i64,
    /// Display order: lower first.
    #[serde(default)]
    pub order: i64,
}

/// An event. `GET /events/{key}` embeds `admissions` and `sections`; `GET /events` does not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// The event's `evt_` id.
    pub id: String,
    /// The event's title.
    pub name: String,
    /// Its URL-friendly name; `GET /events/{key}` takes it in place of the id.
    #[serde(default)]
    pub slug: String,
    /// Whether it is still to come or over.
    pub status: EventStatus,
    /// When entry opens: naive wall-clock time in the event's zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_starts_at: Option<String>,
    /// When entry closes: naive wall-clock time in the event's zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_ends_at: Option<String>,
    /// Where it takes place, and the zone its times are read in.
    #[serde(default)]
    pub location: Location,
    /// The team the event belongs to (`tem_…`): whose memberships' permissions apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
    /// Its promoter (`pmt_…`), a permission target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promoter_id: Option<String>,
    /// Its ticket tiers (only in `GET /events/{key}`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub admissions: Vec<Admission>,
    /// Its sections (only in `GET /events/{key}`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<Section>,
}

/// The section a ticket is in (`ticket.section`, optional).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SectionRef {
    /// The section's `sct_` id.
    pub id: String,
    /// The section's name (empty when the answer leaves it out).
    #[serde(default)]
    pub name: String,
}

/// A ticket's or roster row's `attendee`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attendee {
    /// The guest's first name.
    #[serde(default)]
    pub first_name: String,
    /// The guest's last name.
    #[serde(default)]
    pub last_name: String,
    /// The guest's e-mail address.
    #[serde(default)]
    pub email: String,
    /// The guest's phone number, when the answer has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// `scans[].scannedBy`: who scanned, as the door names them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScannedBy {
    /// First name of the staff member who scanned.
    #[serde(default)]
    pub first_name: String,
    /// Last name of the staff member who scanned.
    #[serde(default)]
    pub last_name: String,
}

/// One entry of a ticket's `scans[]` history. `scannedAt` is the server's clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScanRecord {
    /// The server's id of the scan (`scn_…`), kept beside the door's own record.
    #[serde(default)]
    pub id: String,
    /// When the server recorded the scan: UTC, ISO-8601 with milliseconds.
    pub scanned_at: String,
    /// Who scanned, when the answer says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scanned_by: Option<ScannedBy>,
    /// Required in the contract; an `Option` so an empty or absent one reads as "unknown".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
    /// Check-in or check-out.
    pub kind: ScanKind,
}

/// A full ticket, as `GET /tickets`, `GET /tickets/{id}`, check-in and the import file give
/// it, as far as the door reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ticket {
    /// The ticket's `tkt_` id.
    pub id: String,
    /// Its status now.
    pub status: TicketStatus,
    /// Every check-in and check-out of it, as the server recorded them.
    #[serde(default)]
    pub scans: Vec<ScanRecord>,
    /// The guest the ticket is for.
    #[serde(default)]
    pub attendee: Attendee,
    /// The `evt_` id of the event it lets into.
    pub event_id: String,
    /// The `adm_` id of its tier.
    pub admission_id: String,
    /// Its section, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<SectionRef>,
    /// The `ord_` id of the order it was bought in.
    pub order_id: String,
    /// When it last changed: UTC, ISO-8601 with milliseconds.
    #[serde(default)]
    pub updated_at: String,
}

/// The roster's compact admission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RosterAdmission {
    /// The tier's `adm_` id.
    pub id: String,
    /// The tier's name (empty when the answer leaves it out).
    #[serde(default)]
    pub name: String,
}

/// A roster row's `lastScan`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LastScan {
    /// Whether the last scan was a check-in or a check-out.
    pub kind: ScanKind,
    /// When it was recorded: UTC, ISO-8601 with milliseconds.
    pub scanned_at: String,
}

/// A row of `GET /tickets/attendees`: lighter than a ticket (no scan history).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttendeeRow {
    /// The ticket's `tkt_` id.
    pub id: String,
    /// The `ord_` id of the order it was bought in.
    pub order_id: String,
    /// The ticket's status now.
    pub status: TicketStatus,
    /// The guest the ticket is for.
    #[serde(default)]
    pub attendee: Attendee,
    /// The ticket's tier.
    pub admission: RosterAdmission,
    /// Its section, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<SectionRef>,
    /// Its most recent scan, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_scan: Option<LastScan>,
}

/// One page of `GET /tickets`. Lists end when `after` is null or absent; older responses
/// named the next cursor `cursor` instead of `after`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketPage {
    /// The page's tickets.
    pub tickets: Vec<Ticket>,
    /// The cursor of the next page; `None` on the last page.
    #[serde(default, alias = "cursor")]
    pub after: Option<String>,
}

/// One page of `GET /tickets/attendees` (same paging rules as [`TicketPage`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttendeePage {
    /// The page's rows.
    pub tickets: Vec<AttendeeRow>,
    /// The cursor of the next page; `None` on the last page.
    #[serde(default, alias = "cursor")]
    pub after: Option<String>,
}

/// One page of `GET /events` (same paging rules as [`TicketPage`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventPage {
    /// The page's events (without admissions and sections).
    pub events: Vec<Event>,
    /// The cursor of the next page; `None` on the last page.
    #[serde(default, alias = "cursor")]
    pub after: Option<String>,
}

/// One alpha bucket of `GET /tickets/attendees/index`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttendeeBucket {
    /// `"#"` or `"A"` … `"Z"`.
    pub key: String,
    /// How many roster rows the bucket holds.
    pub count: u64,
    /// A server-issued bookmark of the bucket's first row: pass it back as `anchor`.
    pub anchor: String,
}

/// `GET /tickets/attendees/index`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttendeeIndex {
    /// The roster's alpha buckets for the request's filters.
    pub buckets: Vec<AttendeeBucket>,
}

/// `GET /events/{key}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventEnvelope {
    /// The event, with its admissions and sections.
    pub event: Event,
}

/// `GET /tickets/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketEnvelope {
    /// The ticket.
    pub ticket: Ticket,
}

/// `GET /events/{eventId}/admissions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdmissionList {
    /// The event's tiers, in display order.
    pub admissions: Vec<Admission>,
}

/// `GET /events/{eventId}/sections`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionList {
    /// The event's sections, in display order.
    pub sections: Vec<Section>,
}

/// Body of `PUT /tickets/{key}/check-in` and `/check-out`. Every field is optional and
/// nothing else is allowed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CheckInRequest {
    /// The event the door scans for: a ticket of another event is refused (`EVENT_MISMATCH`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// The scanning device's id, kept with the scan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
    /// The scan's own key: sending it again replays the first answer instead of scanning twice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
    /// Confirms an order key's scan when some of its tickets are already in (or, on
    /// check-out, already out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_partial_order_check_in: Option<bool>,
    /// Only tickets of these tiers pass (`FILTERED_OUT` otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admission_ids: Option<Vec<String>>,
    /// Only tickets in these sections pass (`FILTERED_OUT` otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section_ids: Option<Vec<String>>,
}

/// Whether a check-in key named a ticket or an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetType {
    /// The key was a `tkt_` id.
    Ticket,
    /// The key was an `ord_` id: the scan is for the order's tickets.
    Order,
}

/// One `order.items[]` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderItem {
    /// How many tickets the item is.
    pub quantity: u32,
}

/// The `order` of a check-in answer for an order key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderSummary {
    /// The order's `ord_` id.
    pub id: String,
    /// How many of its tickets are checked in after the scan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_in_count: Option<u32>,
    /// The order's items, each with its quantity.
    #[serde(default)]
    pub items: Vec<OrderItem>,
}

/// Success (200) of check-in and check-out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckInResponse {
    /// The scanned ticket, or the order's tickets for an order key, after the scan.
    pub tickets: Vec<Ticket>,
    /// Whether the key named a ticket or an order.
    pub target_type: TargetType,
    /// The order, for an order key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<OrderSummary>,
}

/// The one error body of every failure (oRPC's `ORPCError.toJSON()`): the HTTP status equals
/// `status`. `defined` is true for an error the route declares with matching data, false for
/// any other the server throws (the contract's own answer for a cancelled ticket is one).
/// Only a body of this shape is an answer from Session Services; see [`ErrorBody::parse`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    /// True for an error the route declares (its data has the declared shape).
    #[serde(default)]
    pub defined: bool,
    /// The error's code, e.g. `BAD_REQUEST`, `UNAUTHORIZED`.
    pub code: String,
    /// The HTTP status, the same as the answer's.
    pub status: u16,
    /// The server's words for the error.
    pub message: String,
    /// The error's details, e.g. `{reason, …}` of a check-in refusal or a 422's
    /// `{formErrors, fieldErrors}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<serde_json::Value>,
}

impl ErrorBody {
    /// The contract's error body sent with HTTP `status`, or `None` when `body` is anything
    /// else (an HTML page from a proxy, a captive portal, a load balancer's own answer, a
    /// body whose `status` is not the HTTP status).
    pub fn parse(status: u16, body: &[u8]) -> Option<ErrorBody> {
        let e: ErrorBody = serde_json::from_slice(body).ok()?;
        (e.status == status && !e.code.is_empty()).then_some(e)
    }

    /// `data.reason`, if any (check-in/out's `BAD_REQUEST`).
    pub fn reason(&self) -> Option<&str> {
        self.data.as_ref()?.get("reason")?.as_str()
    }
}

/// The error codes of the contract's table, with their HTTP statuses.
pub mod codes {
    /// 400: a malformed request, or a refused check-in or check-out (`data.reason`).
    pub const BAD_REQUEST: (&str, u16) = ("BAD_REQUEST", 400);
    /// 401: no token, or one the server does not accept.
    pub const UNAUTHORIZED: (&str, u16) = ("UNAUTHORIZED", 401);
    /// 403: the token may not do this.
    pub const FORBIDDEN: (&str, u16) = ("FORBIDDEN", 403);
    /// 404: no such ticket, order, event or route.
    pub const NOT_FOUND: (&str, u16) = ("NOT_FOUND", 404);
    /// 409: the request collides with another change; try again shortly.
    pub const CONFLICT: (&str, u16) = ("CONFLICT", 409);
    /// 422: the input does not match the route's schema.
    pub const INPUT_VALIDATION_FAILED: (&str, u16) = ("INPUT_VALIDATION_FAILED", 422);
    /// 429: rate limited; `Retry-After` says when to try again.
    pub const TOO_MANY_REQUESTS: (&str, u16) = ("TOO_MANY_REQUESTS", 429);
    /// 500: the server failed.
    pub const INTERNAL_SERVER_ERROR: (&str, u16) = ("INTERNAL_SERVER_ERROR", 500);
    /// 501: the server does not do this.
    pub const NOT_IMPLEMENTED: (&str, u16) = ("NOT_IMPLEMENTED", 501);
    /// 503: the server cannot answer for now; try again later.
    pub const SERVICE_UNAVAILABLE: (&str, u16) = ("SERVICE_UNAVAILABLE", 503);
}

/// `data.reason` of a check-in/check-out `BAD_REQUEST`: the four the contract declares.
pub mod reasons {
    /// The ticket is already where the scan would move it (already in, or not in).
    pub const NOOP_TRANSITION: &str = "NOOP_TRANSITION";
    /// The ticket is for another event than the request's `eventId`.
    pub const EVENT_MISMATCH: &str = "EVENT_MISMATCH";
    /// Some of the order's tickets have already moved: send again with `allowPartialOrderCheckIn`.
    pub const PARTIAL_ORDER_CONFIRMATION_REQUIRED: &str = "PARTIAL_ORDER_CONFIRMATION_REQUIRED";
    /// The ticket (or every ticket of the order) is outside the request's admission or
    /// section filters.
    pub const FILTERED_OUT: &str = "FILTERED_OUT";
}

/// `GET /users/me`: `{user: {…} | null, isAdmin, members: [...]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeResponse {
    /// `null` for a token that is not a person's (a service token).
    #[serde(default)]
    pub user: Option<User>,
    /// The user is a platform admin: every action on every resource.
    #[serde(default)]
    pub is_admin: bool,
    /// The token's team memberships.
    #[serde(default)]
    pub members: Vec<Member>,
}

/// `me.user`, as far as the door names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// The user's first name.
    #[serde(default)]
    pub first_name: String,
    /// The user's last name.
    #[serde(default)]
    pub last_name: String,
    /// The user's e-mail address.
    #[serde(default)]
    pub email: String,
}

/// One team membership of `/users/me`: its permission nodes apply within `teamId` only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    /// The team (`tem_…`) the membership is in.
    pub team_id: String,
    /// Nodes such as `ticket.scan`, `ticket.*`, `-ticket.scan.evt_…` (optional: roles may
    /// carry more than is listed here).
    #[serde(default)]
    pub permissions: Option<Vec<String>>,
    /// The roles the membership has; their nodes are not listed here.
    #[serde(default)]
    pub role_ids: Option<Vec<String>>,
    /// The team's owner: every action within the team.
    #[serde(default)]
    pub is_owner: bool,
    /// Which promoters the membership is limited to, if any.
    #[serde(default)]
    pub access: Option<MemberAccess>,
}

/// `members[].access`: a membership limited to some promoters (`null` = all of them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberAccess {
    /// The only promoters (`pmt_…`) the membership's nodes apply to; `None`: all of them.
    #[serde(default)]
    pub promoter_ids: Option<Vec<String>>,
}

/// One admission's line of the attendance summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdmissionAttendance {
    /// The tier's `adm_` id.
    pub admission_id: String,
    /// How many tickets the tier has, as the server counts them.
    pub total_tickets: u64,
    /// How many of them are checked in.
    pub checked_in: u64,
}

/// One section's line of the attendance summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SectionAttendance {
    /// The section's `sct_` id.
    pub section_id: String,
    /// How many tickets the section has, as the server counts them.
    pub total_tickets: u64,
    /// How many of them are checked in.
    pub checked_in: u64,
}

/// `GET /events/{eventId}/performance/attendance` without `granularity`: the summary.
/// (With `granularity` the answer is a time series, which the app does not ask for; it reads
/// as [`Attendance::Series`] and carries only the total.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Attendance {
    /// The summary: counts for the event, per admission and per section.
    #[serde(rename_all = "camelCase")]
    Summary {
        /// How many tickets the event has, as the server counts them.
        total_tickets: u64,
        /// How many of them are checked in.
        checked_in: u64,
        /// One line per admission.
        #[serde(default)]
        by_admission: Vec<AdmissionAttendance>,
        /// One line per section.
        #[serde(default)]
        by_section: Vec<SectionAttendance>,
    },
    /// A time series, of which only the total is read.
    #[serde(rename_all = "camelCase")]
    Series {
        /// How many tickets the event has, as the server counts them.
        total_tickets: u64,
    },
}

/// The offline import file of `usher import`: the API's own shapes, an event as
/// `GET /events/{key}` returns it plus its tickets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportFile {
    /// The event, as `GET /events/{key}` returns it.
    pub event: Event,
    /// Its tickets, as `GET /tickets` returns them.
    pub tickets: Vec<Ticket>,
}
