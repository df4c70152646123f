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

use serde::{Deserialize, Serialize};

pub mod ids;
pub mod permission;

/// `ACTIVE` → `REDEEMED` on check-in, back on check-out; either → `CANCELLED`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TicketStatus {
    Active,
    Redeemed,
    Cancelled,
}

impl TicketStatus {
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
    CheckIn,
    CheckOut,
}

impl ScanKind {
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
    Upcoming,
    Ended,
}

impl EventStatus {
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
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
    pub id: String,
}

/// A ticket tier, as `GET /events/{key}` embeds it and `GET /events/{id}/admissions` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Admission {
    pub id: String,
    pub name: String,
    /// -1 means unlimited (the contract's default).
    #[serde(default = "unlimited")]
    pub capacity: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_starts_at: Option<String>,
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
    pub id: String,
    pub name: String,
    #[serde(default = "unlimited")]
    pub capacity: i64,
    #[serde(default)]
    pub order: i64,
}

/// An event. `GET /events/{key}` embeds `admissions` and `sections`; `GET /events` does not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub slug: String,
    pub status: EventStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_starts_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_ends_at: Option<String>,
    #[serde(default)]
    pub location: Location,
    /// The team the event belongs to (`tem_…`): whose memberships' permissions apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
    /// Its promoter (`pmt_…`), a permission target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promoter_id: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub admissions: Vec<Admission>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<Section>,
}

/// The section a ticket is in (`ticket.section`, optional).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SectionRef {
    pub id: String,
    #[serde(default)]
    pub name: String,
}

/// A ticket's or roster row's `attendee`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attendee {
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// `scans[].scannedBy`: who scanned, as the door names them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScannedBy {
    #[serde(default)]
    pub first_name: String,
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
    pub scanned_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scanned_by: Option<ScannedBy>,
    /// Required in the contract; an `Option` so an empty or absent one reads as "unknown".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
    pub kind: ScanKind,
}

/// A full ticket, as `GET /tickets`, `GET /tickets/{id}`, check-in and the import file give
/// it, as far as the door reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ticket {
    pub id: String,
    pub status: TicketStatus,
    #[serde(default)]
    pub scans: Vec<ScanRecord>,
    #[serde(default)]
    pub attendee: Attendee,
    pub event_id: String,
    pub admission_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<SectionRef>,
    pub order_id: String,
    #[serde(default)]
    pub updated_at: String,
}

/// The roster's compact admission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RosterAdmission {
    pub id: String,
    #[serde(default)]
    pub name: String,
}

/// A roster row's `lastScan`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LastScan {
    pub kind: ScanKind,
    pub scanned_at: String,
}

/// A row of `GET /tickets/attendees`: lighter than a ticket (no scan history).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttendeeRow {
    pub id: String,
    pub order_id: String,
    pub status: TicketStatus,
    #[serde(default)]
    pub attendee: Attendee,
    pub admission: RosterAdmission,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<SectionRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_scan: Option<LastScan>,
}

/// One page of `GET /tickets`. Lists end when `after` is null or absent; older responses
/// named the next cursor `cursor` instead of `after`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketPage {
    pub tickets: Vec<Ticket>,
    #[serde(default, alias = "cursor")]
    pub after: Option<String>,
}

/// One page of `GET /tickets/attendees` (same paging rules as [`TicketPage`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttendeePage {
    pub tickets: Vec<AttendeeRow>,
    #[serde(default, alias = "cursor")]
    pub after: Option<String>,
}

/// One page of `GET /events` (same paging rules as [`TicketPage`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventPage {
    pub events: Vec<Event>,
    #[serde(default, alias = "cursor")]
    pub after: Option<String>,
}

/// One alpha bucket of `GET /tickets/attendees/index`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttendeeBucket {
    /// `"#"` or `"A"` … `"Z"`.
    pub key: String,
    pub count: u64,
    /// A server-issued bookmark of the bucket's first row: pass it back as `anchor`.
    pub anchor: String,
}

/// `GET /tickets/attendees/index`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttendeeIndex {
    pub buckets: Vec<AttendeeBucket>,
}

/// `GET /events/{key}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventEnvelope {
    pub event: Event,
}

/// `GET /tickets/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketEnvelope {
    pub ticket: Ticket,
}

/// `GET /events/{eventId}/admissions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdmissionList {
    pub admissions: Vec<Admission>,
}

/// `GET /events/{eventId}/sections`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionList {
    pub sections: Vec<Section>,
}

/// Body of `PUT /tickets/{key}/check-in` and `/check-out`. Every field is optional and
/// nothing else is allowed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CheckInRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_partial_order_check_in: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admission_ids: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section_ids: Option<Vec<String>>,
}

/// Whether a check-in key named a ticket or an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetType {
    Ticket,
    Order,
}

/// One `order.items[]` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderItem {
    pub quantity: u32,
}

/// The `order` of a check-in answer for an order key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderSummary {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_in_count: Option<u32>,
    #[serde(default)]
    pub items: Vec<OrderItem>,
}

/// Success (200) of check-in and check-out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckInResponse {
    pub tickets: Vec<Ticket>,
    pub target_type: TargetType,
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
    #[serde(default)]
    pub defined: bool,
    pub code: String,
    pub status: u16,
    pub message: String,
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
    pub const BAD_REQUEST: (&str, u16) = ("BAD_REQUEST", 400);
    pub const UNAUTHORIZED: (&str, u16) = ("UNAUTHORIZED", 401);
    pub const FORBIDDEN: (&str, u16) = ("FORBIDDEN", 403);
    pub const NOT_FOUND: (&str, u16) = ("NOT_FOUND", 404);
    pub const CONFLICT: (&str, u16) = ("CONFLICT", 409);
    pub const INPUT_VALIDATION_FAILED: (&str, u16) = ("INPUT_VALIDATION_FAILED", 422);
    pub const TOO_MANY_REQUESTS: (&str, u16) = ("TOO_MANY_REQUESTS", 429);
    pub const INTERNAL_SERVER_ERROR: (&str, u16) = ("INTERNAL_SERVER_ERROR", 500);
    pub const NOT_IMPLEMENTED: (&str, u16) = ("NOT_IMPLEMENTED", 501);
    pub const SERVICE_UNAVAILABLE: (&str, u16) = ("SERVICE_UNAVAILABLE", 503);
}

/// `data.reason` of a check-in/check-out `BAD_REQUEST`: the four the contract declares.
pub mod reasons {
    pub const NOOP_TRANSITION: &str = "NOOP_TRANSITION";
    pub const EVENT_MISMATCH: &str = "EVENT_MISMATCH";
    pub const PARTIAL_ORDER_CONFIRMATION_REQUIRED: &str = "PARTIAL_ORDER_CONFIRMATION_REQUIRED";
    pub const FILTERED_OUT: &str = "FILTERED_OUT";
}

/// `GET /users/me`: `{user: {…} | null, isAdmin, members: [...]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeResponse {
    /// `null` for a token that is not a person's (a service token).
    #[serde(default)]
    pub user: Option<User>,
    #[serde(default)]
    pub is_admin: bool,
    #[serde(default)]
    pub members: Vec<Member>,
}

/// `me.user`, as far as the door names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub email: String,
}

/// One team membership of `/users/me`: its permission nodes apply within `teamId` only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    pub team_id: String,
    /// Nodes such as `ticket.scan`, `ticket.*`, `-ticket.scan.evt_…` (optional: roles may
    /// carry more than is listed here).
    #[serde(default)]
    pub permissions: Option<Vec<String>>,
    #[serde(default)]
    pub role_ids: Option<Vec<String>>,
    #[serde(default)]
    pub is_owner: bool,
    #[serde(default)]
    pub access: Option<MemberAccess>,
}

/// `members[].access`: a membership limited to some promoters (`null` = all of them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberAccess {
    #[serde(default)]
    pub promoter_ids: Option<Vec<String>>,
}

/// One admission's line of the attendance summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdmissionAttendance {
    pub admission_id: String,
    pub total_tickets: u64,
    pub checked_in: u64,
}

/// One section's line of the attendance summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SectionAttendance {
    pub section_id: String,
    pub total_tickets: u64,
    pub checked_in: u64,
}

/// `GET /events/{eventId}/performance/attendance` without `granularity`: the summary.
/// (With `granularity` the answer is a time series, which the app does not ask for; it reads
/// as [`Attendance::Series`] and carries only the total.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Attendance {
    #[serde(rename_all = "camelCase")]
    Summary {
        total_tickets: u64,
        checked_in: u64,
        #[serde(default)]
        by_admission: Vec<AdmissionAttendance>,
        #[serde(default)]
        by_section: Vec<SectionAttendance>,
    },
    #[serde(rename_all = "camelCase")]
    Series { total_tickets: u64 },
}

/// The offline import file of `usher import`: the API's own shapes, an event as
/// `GET /events/{key}` returns it plus its tickets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportFile {
    pub event: Event,
    pub tickets: Vec<Ticket>,
}
