//! The contract's full response shapes, as the simulator sends them.
//!
//! `session_api` holds only the *client's reading* of an answer (the fields the app reads);
//! these types are the answer itself: every field the published contract
//! (`session-services-routes-0.1.33.txt`, `tests/contract/schemas/`) requires, with values
//! that match its patterns, enums and formats. They also deserialise leniently (every field
//! defaults), so an import file that lacks some of them can be read and then completed with
//! the defaults documented in the crate's behaviour list (see [`crate::dataset`]).
//!
//! Tickets are not here as an owned type: a dataset holds them compactly and serves them
//! through the borrowed `ticket_view::TicketView`, which splices in the per-event
//! pieces below ([`TicketEvent`], [`TicketAdmission`], [`TicketSection`]) serialised once.

use serde::{Deserialize, Serialize};
use session_api::{ScanKind, TicketStatus};

/// `{src, alt, width, height}`: an event's or a location's image.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Image {
    pub src: String,
    pub alt: String,
    pub width: u32,
    pub height: u32,
}

/// An event's `images`: an object with a mobile and a desktop image (never an array).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Images {
    pub mobile: Image,
    pub desktop: Image,
}

/// `location.venue` on an event: the managed venue a location is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Venue {
    pub id: String,
    pub name: String,
    pub slug: String,
    pub team_id: String,
    /// `PENDING` | `APPROVED` | `REJECTED`.
    pub approval: String,
}

/// A full location, as an event, a ticket's event and a section carry it. On an event the
/// venue is the object `venue`; embedded elsewhere it is the id `venueId`
/// ([`Location::embedded`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Location {
    pub id: String,
    pub created_at: String,
    pub updated_at: String,
    pub name: String,
    pub address: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    pub country: String,
    pub latitude: f64,
    pub longitude: f64,
    /// IANA zone, e.g. `Europe/London`.
    pub time_zone: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub venue: Option<Venue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub venue_id: Option<String>,
}

impl Location {
    /// The form a ticket's event and a section embed: `venueId` instead of `venue`.
    pub fn embedded(&self) -> Location {
        let mut l = self.clone();
        if let Some(v) = l.venue.take() {
            l.venue_id = Some(v.id);
        }
        l
    }

    /// The venue's id, in either form.
    pub fn venue_id(&self) -> Option<&str> {
        self.venue
            .as_ref()
            .map(|v| v.id.as_str())
            .or(self.venue_id.as_deref())
    }
}

/// `{base, booking, currency}` in minor units.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Price {
    pub base: i64,
    pub booking: i64,
    pub currency: String,
}

/// An admission (ticket tier), as `GET /events/{key}` embeds it and
/// `GET /events/{eventId}/admissions` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Admission {
    pub id: String,
    pub name: String,
    pub capacity: i64,
    pub limit: i64,
    pub available: i64,
    pub sold: i64,
    pub reserved: i64,
    pub order: i64,
    pub created_at: String,
    pub updated_at: String,
    pub entry_starts_at: String,
    pub entry_ends_at: String,
    pub sale_starts_at: String,
    pub sale_ends_at: String,
    /// `SALE_ENDED` | `SOLD_OUT` | `DOOR`.
    pub sale_ends_behavior: String,
    pub price: Price,
    /// `ALWAYS` | `HIDDEN` | `AFTER_ADMISSION`.
    pub visibility: String,
    /// `null` when the tier has no section.
    pub section_id: Option<String>,
    pub team_id: String,
    pub promoter_id: String,
    pub event_id: String,
    pub event_slug: String,
}

impl Default for Admission {
    fn default() -> Self {
        Admission {
            id: String::new(),
            name: String::new(),
            capacity: -1,
            limit: -1,
            available: -1,
            sold: 0,
            reserved: 0,
            order: 0,
            created_at: String::new(),
            updated_at: String::new(),
            entry_starts_at: String::new(),
            entry_ends_at: String::new(),
            sale_starts_at: String::new(),
            sale_ends_at: String::new(),
            sale_ends_behavior: String::new(),
            price: Price::default(),
            visibility: String::new(),
            section_id: None,
            team_id: String::new(),
            promoter_id: String::new(),
            event_id: String::new(),
            event_slug: String::new(),
        }
    }
}

/// A section, as `GET /events/{key}` embeds it and `GET /events/{eventId}/sections` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Section {
    pub id: String,
    pub created_at: String,
    pub updated_at: String,
    pub name: String,
    pub capacity: i64,
    pub limit: i64,
    pub available: i64,
    pub sold: i64,
    pub reserved: i64,
    pub order: i64,
    /// `ALWAYS` | `STACKED` | `HIDDEN`.
    pub visibility: String,
    pub location: Location,
    pub team_id: String,
    pub promoter_id: String,
    pub event_id: String,
    pub event_slug: String,
}

impl Default for Section {
    fn default() -> Self {
        Section {
            id: String::new(),
            created_at: String::new(),
            updated_at: String::new(),
            name: String::new(),
            capacity: -1,
            limit: -1,
            available: -1,
            sold: 0,
            reserved: 0,
            order: 0,
            visibility: String::new(),
            location: Location::default(),
            team_id: String::new(),
            promoter_id: String::new(),
            event_id: String::new(),
            event_slug: String::new(),
        }
    }
}

/// Every field of an event that both `GET /events/{key}` and `GET /events` carry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EventCore {
    pub id: String,
    pub created_at: String,
    pub updated_at: String,
    pub name: String,
    pub slug: String,
    pub description: String,
    /// `PENDING` | `APPROVED` | `REJECTED`.
    pub approval: String,
    /// `UPCOMING` | `ENDED`.
    pub status: String,
    /// `PUBLIC` | `PRIVATE` | `SCHEDULED` | `PASSCODE` | `CANCELLED`.
    pub visibility: String,
    /// ISO 4217.
    pub currency: String,
    pub entry_starts_at: String,
    pub entry_ends_at: String,
    pub publish_at: String,
    pub images: Images,
    pub geohash: String,
    pub location: Location,
    pub team_id: String,
    pub promoter_id: String,
}

/// `GET /events/{key}`'s event: the core plus `sections[]` and `admissions[]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Event {
    #[serde(flatten)]
    pub core: EventCore,
    pub sections: Vec<Section>,
    pub admissions: Vec<Admission>,
}

/// One item of `GET /events`: no `sections`/`admissions`; `price` (the cheapest tier's,
/// `null` for an event without tiers) is required there.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventListItem<'a> {
    #[serde(flatten)]
    pub core: &'a EventCore,
    pub price: Option<&'a Price>,
}

/// `{"event": …}`.
#[derive(Debug, Clone, Serialize)]
pub struct EventEnvelope<'a> {
    pub event: &'a Event,
}

/// A list page: the items under their plural, then `before`, `after`, `limit`.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T: Serialize> {
    #[serde(flatten)]
    pub items: T,
    pub before: Option<String>,
    pub after: Option<String>,
    pub limit: u32,
}

/// A ticket's `event`: `{id, name, slug, location, entryStartsAt, entryEndsAt, images}`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TicketEvent<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub slug: &'a str,
    pub location: Location,
    pub entry_starts_at: &'a str,
    pub entry_ends_at: &'a str,
    pub images: &'a Images,
}

/// A ticket's `admission`: `{id, name, price, entryStartsAt, entryEndsAt}`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TicketAdmission<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub price: &'a Price,
    pub entry_starts_at: &'a str,
    pub entry_ends_at: &'a str,
}

/// A ticket's `section.location`: only `name` is required; the rest is the section's.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SectionLocation<'a> {
    pub name: &'a str,
    pub address: &'a str,
    pub country: &'a str,
    pub latitude: f64,
    pub longitude: f64,
    pub time_zone: &'a str,
}

/// A ticket's `section`: `{id, name, location}`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TicketSection<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub location: SectionLocation<'a>,
}

/// A roster row's `admission`: `{id, name, entryEndsAt}`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RosterAdmission<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub entry_ends_at: &'a str,
}

/// A roster row's `section`: `{id, name}`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RosterSection<'a> {
    pub id: &'a str,
    pub name: &'a str,
}

/// `scans[].scannedBy`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ScannedBy {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
}

/// One entry of a ticket's `scans[]`. `deviceId` is always a string: `""` when the
/// request named no device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Scan {
    pub id: String,
    pub scanned_at: String,
    pub scanned_by_id: String,
    pub scanned_by: ScannedBy,
    pub device_id: String,
    pub kind: ScanKind,
}

/// `{id, checkedInCount, items: [{quantity}]}` of a check-in answer for an order key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderSummary {
    pub id: String,
    pub checked_in_count: u32,
    pub items: Vec<OrderItem>,
}

/// One `order.items[]` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderItem {
    pub quantity: u32,
}

/// `EVENT_MISMATCH`'s `data.event`: `{id, name, slug, entryStartsAt, teamId}`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MismatchEvent<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub slug: &'a str,
    pub entry_starts_at: &'a str,
    pub team_id: &'a str,
}

/// `GET /users/me`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    /// `null` for a service token.
    pub user: Option<MeUser>,
    pub is_admin: bool,
    pub members: Vec<Member>,
}

/// `me.user`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeUser {
    pub id: String,
    pub created_at: String,
    pub updated_at: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
}

/// `me.members[].user`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberUser {
    pub id: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
}

/// `me.members[].access`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberAccess {
    pub promoter_ids: Option<Vec<String>>,
}

/// One team membership of `/users/me`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    pub id: String,
    pub created_at: String,
    pub updated_at: String,
    pub team_id: String,
    pub user_id: String,
    pub user: MemberUser,
    pub permissions: Vec<String>,
    /// Roles whose nodes `/users/me` does not list (optional in the contract).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_ids: Option<Vec<String>>,
    pub is_owner: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access: Option<MemberAccess>,
    pub tenant_id: String,
}

/// Counts of one line of the attendance summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    pub total_tickets: u64,
    pub checked_in: u64,
    pub not_checked_in: u64,
    /// Percent of `totalTickets` checked in, 0–100, two decimals.
    pub checkin_rate: f64,
}

impl Counts {
    pub fn new(total: u64, checked_in: u64) -> Counts {
        Counts {
            total_tickets: total,
            checked_in,
            not_checked_in: total - checked_in,
            checkin_rate: rate(checked_in, total),
        }
    }
}

/// `checked / total` as a percent with two decimals (0 when `total` is 0).
pub fn rate(checked: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        (checked as f64 * 10_000.0 / total as f64).round() / 100.0
    }
}

/// One admission's line of the attendance summary.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AdmissionLine {
    #[serde(flatten)]
    pub counts: Counts,
    pub admission_id: String,
    pub admission_name: String,
}

/// One section's line of the attendance summary.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SectionLine {
    #[serde(flatten)]
    pub counts: Counts,
    pub section_id: String,
    pub section_name: String,
}

/// `GET /events/{eventId}/performance/attendance` without `granularity`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttendanceSummary {
    #[serde(flatten)]
    pub counts: Counts,
    pub by_admission: Vec<AdmissionLine>,
    pub by_section: Vec<SectionLine>,
}

/// One point of the overall attendance series.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SeriesPoint {
    pub timestamp: String,
    pub checked_in: u64,
    pub rate: f64,
    pub checkins_this_period: u64,
}

/// One point of an admission's or section's series.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LinePoint {
    pub timestamp: String,
    pub checked_in: u64,
    pub rate: f64,
}

/// An admission's series.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AdmissionSeries {
    pub admission_id: String,
    pub admission_name: String,
    pub data: Vec<LinePoint>,
}

/// A section's series.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SectionSeries {
    pub section_id: String,
    pub section_name: String,
    pub data: Vec<LinePoint>,
}

/// `GET /events/{eventId}/performance/attendance?granularity=HOUR|MINUTE`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttendanceSeries {
    pub granularity: &'static str,
    pub total_tickets: u64,
    pub data: Vec<SeriesPoint>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by_admission: Option<Vec<AdmissionSeries>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by_section: Option<Vec<SectionSeries>>,
}

// ---- reading import files: every field optional, completed by the dataset ----

/// An import file as the simulator reads it: the contract's shapes, every field optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ImportIn {
    pub event: Event,
    pub tickets: Vec<TicketIn>,
}

/// A ticket of an import file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TicketIn {
    pub id: String,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub scans: Vec<ScanIn>,
    pub status: Option<TicketStatus>,
    pub attendee: AttendeeIn,
    pub customer_id: Option<String>,
    pub event_id: String,
    pub admission_id: String,
    pub section: Option<IdIn>,
    pub order_id: String,
    pub team_id: Option<String>,
    pub promoter_id: Option<String>,
}

/// `attendee` of an imported ticket.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AttendeeIn {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// An object of which only the `id` is read.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct IdIn {
    pub id: String,
}

/// A scan of an imported ticket.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ScanIn {
    pub id: Option<String>,
    pub scanned_at: Option<String>,
    pub scanned_by_id: Option<String>,
    pub scanned_by: Option<ScannedByIn>,
    pub device_id: Option<String>,
    pub kind: Option<ScanKind>,
}

/// `scannedBy` of an imported scan.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ScannedByIn {
    pub id: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
}
