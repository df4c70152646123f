//! The Session Services wire contract, as far as a door scanner needs it.
//!
//! These are the JSON shapes of `../shared/session-services-api.md`, shared by the app's
//! client (in `usher-core`) and by the simulator (`session-sim`), so the two can never
//! disagree about a field name.
//!
//! **Architecture invariant:** this crate knows shapes only. It does no I/O, holds no state
//! and makes no decisions.
//!
//! Conventions:
//! - Response types tolerate unknown fields (the server may add some).
//! - Request types are strict (`deny_unknown_fields`): the client can never send a field the
//!   contract does not name, and the simulator rejects one with a 422.
//! - Timestamps stay strings on the wire: UTC ones (`createdAt`, `scannedAt`) are ISO-8601 with
//!   milliseconds; event and admission entry times are naive wall-clock `YYYY-MM-DDTHH:mm:ss`
//!   in the event's IANA time zone. Parsing them is the consumer's job.

use serde::{Deserialize, Serialize};

pub mod ids;

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EventStatus {
    Upcoming,
    Ended,
}

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
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Price {
    #[serde(default)]
    pub base: i64,
    #[serde(default)]
    pub booking: i64,
    #[serde(default)]
    pub currency: String,
}

/// A ticket tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Admission {
    pub id: String,
    pub name: String,
    /// -1 means unlimited.
    #[serde(default = "unlimited")]
    pub capacity: i64,
    #[serde(default)]
    pub sold: i64,
    #[serde(default)]
    pub available: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_starts_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_ends_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section_id: Option<String>,
    /// Display order.
    #[serde(default)]
    pub order: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<Price>,
}

fn unlimited() -> i64 {
    -1
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Section {
    pub id: String,
    pub name: String,
    #[serde(default = "unlimited")]
    pub capacity: i64,
    #[serde(default)]
    pub sold: i64,
    #[serde(default)]
    pub available: i64,
    #[serde(default)]
    pub order: i64,
}

/// An event. `GET /events/{key}` embeds `admissions` and `sections`; lists may not.
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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub admissions: Vec<Admission>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<Section>,
}

/// The event as embedded in a ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventRef {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub location: Location,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_starts_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_ends_at: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<serde_json::Value>,
}

/// The admission as embedded in a ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdmissionRef {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<Price>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_starts_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_ends_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SectionRef {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScannedBy {
    pub id: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub email: String,
}

/// One entry of a ticket's `scans[]` history. `scannedAt` is the server's clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScanRecord {
    pub id: String,
    pub scanned_at: String,
    #[serde(default)]
    pub scanned_by_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scanned_by: Option<ScannedBy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
    pub kind: ScanKind,
}

/// A full ticket, as `GET /tickets`, `GET /tickets/{id}` and check-in return it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ticket {
    pub id: String,
    pub status: TicketStatus,
    #[serde(default)]
    pub scans: Vec<ScanRecord>,
    #[serde(default)]
    pub attendee: Attendee,
    #[serde(default)]
    pub customer_id: String,
    pub event_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<EventRef>,
    pub admission_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admission: Option<AdmissionRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<SectionRef>,
    pub order_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_item_id: Option<String>,
    #[serde(default)]
    pub team_id: String,
    #[serde(default)]
    pub promoter_id: String,
    #[serde(default)]
    pub created_at: String,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_ends_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RosterSection {
    pub id: String,
    #[serde(default)]
    pub name: String,
}

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
    pub section: Option<RosterSection>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_scan: Option<LastScan>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_check_in_at: Option<String>,
}

/// A page of a list. `key` differs per route (`tickets`, `events`), hence the generic
/// wrappers below. Older responses named the next cursor `cursor` instead of `after`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TicketPage {
    pub tickets: Vec<Ticket>,
    #[serde(default)]
    pub before: Option<String>,
    #[serde(default, alias = "cursor")]
    pub after: Option<String>,
    #[serde(default)]
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttendeePage {
    pub tickets: Vec<AttendeeRow>,
    #[serde(default)]
    pub before: Option<String>,
    #[serde(default, alias = "cursor")]
    pub after: Option<String>,
    #[serde(default)]
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventPage {
    pub events: Vec<Event>,
    #[serde(default)]
    pub before: Option<String>,
    #[serde(default, alias = "cursor")]
    pub after: Option<String>,
    #[serde(default)]
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventEnvelope {
    pub event: Event,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketEnvelope {
    pub ticket: Ticket,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdmissionList {
    pub admissions: Vec<Admission>,
}

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetType {
    Ticket,
    Order,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderItem {
    pub quantity: u32,
}

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

/// The one error body of every failure; the HTTP status equals `status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    #[serde(default = "defined")]
    pub defined: bool,
    pub code: String,
    pub status: u16,
    #[serde(default)]
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<serde_json::Value>,
}

fn defined() -> bool {
    true
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

/// `data.reason` of a check-in/check-out `BAD_REQUEST`.
pub mod reasons {
    pub const NOOP_TRANSITION: &str = "NOOP_TRANSITION";
    pub const EVENT_MISMATCH: &str = "EVENT_MISMATCH";
    pub const PARTIAL_ORDER_CONFIRMATION_REQUIRED: &str = "PARTIAL_ORDER_CONFIRMATION_REQUIRED";
    pub const FILTERED_OUT: &str = "FILTERED_OUT";
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Membership {
    pub team_id: String,
    #[serde(default)]
    pub team_name: String,
    /// Permission nodes such as `ticket.scan`, `ticket.*`, `*` or `ticket.scan.evt_…`.
    #[serde(default)]
    pub permissions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub memberships: Vec<Membership>,
}

/// `GET /users/me`. The contract only says "the user and their team memberships with
/// permission lists"; this shape is our assumption (see the API doc, section 9).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeResponse {
    pub user: User,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttendanceBucket {
    pub id: String,
    #[serde(default)]
    pub name: String,
    pub checked_in: u64,
    pub total: u64,
}

/// `GET /events/{eventId}/performance/attendance` (shape assumed, as above).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attendance {
    pub event_id: String,
    pub checked_in: u64,
    pub total: u64,
    #[serde(default)]
    pub admissions: Vec<AttendanceBucket>,
    #[serde(default)]
    pub sections: Vec<AttendanceBucket>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttendanceEnvelope {
    pub attendance: Attendance,
}

/// The offline import file of `usher import` (and a fixed dataset for the simulator): the
/// API's own shapes, an event as `GET /events/{key}` returns it plus its tickets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportFile {
    pub event: Event,
    pub tickets: Vec<Ticket>,
}
