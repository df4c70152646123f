//! The contract's full response shapes, as the simulator sends them.
//!
//! `session_api` holds only the *client's reading* of an answer (the fields the app reads);
//! these types are the answer itself: every field the published contract
//! (`tests/contract/schemas/`; `docs/session-services.md`, "Where the contract lives") requires, with values
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
    /// The image's URL.
    pub src: String,
    /// Its alternative text.
    pub alt: String,
    /// Its width in pixels.
    pub width: u32,
    /// Its height in pixels.
    pub height: u32,
}

/// An event's `images`: an object with a mobile and a desktop image (never an array).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Images {
    /// The image for small screens.
    pub mobile: Image,
    /// The image for large screens.
    pub desktop: Image,
}

/// `location.venue` on an event: the managed venue a location is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Venue {
    /// The venue's `ven_` id.
    pub id: String,
    /// The venue's name.
    pub name: String,
    /// Its URL-friendly name.
    pub slug: String,
    /// The team (`tem_…`) that owns the venue.
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
    /// The location's `loc_` id.
    pub id: String,
    /// When it was created: UTC, ISO-8601 with milliseconds.
    pub created_at: String,
    /// When it last changed: UTC, ISO-8601 with milliseconds.
    pub updated_at: String,
    /// The place's name.
    pub name: String,
    /// Its formatted street address.
    pub address: String,
    /// Its city, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// Its postal code, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    /// Its country.
    pub country: String,
    /// Latitude in degrees.
    pub latitude: f64,
    /// Longitude in degrees.
    pub longitude: f64,
    /// IANA zone, e.g. `Europe/London`.
    pub time_zone: String,
    /// The managed venue it is, on an event's own location.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub venue: Option<Venue>,
    /// The managed venue's id, where the location is embedded ([`Location::embedded`]).
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
    /// The ticket's price before fees, in minor units.
    pub base: i64,
    /// The booking fee, in minor units.
    pub booking: i64,
    /// ISO 4217 code, e.g. `GBP`.
    pub currency: String,
}

/// An admission (ticket tier), as `GET /events/{key}` embeds it and
/// `GET /events/{eventId}/admissions` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Admission {
    /// The tier's `adm_` id.
    pub id: String,
    /// The tier's name.
    pub name: String,
    /// Tickets it may sell; -1 means unlimited.
    pub capacity: i64,
    /// Tickets of it one order may hold; -1 means unlimited.
    pub limit: i64,
    /// Tickets still for sale (capacity less sold and reserved); -1 means unlimited.
    pub available: i64,
    /// Tickets sold.
    pub sold: i64,
    /// Tickets held in checkouts not yet paid.
    pub reserved: i64,
    /// Display order: lower first.
    pub order: i64,
    /// When it was created: UTC, ISO-8601 with milliseconds.
    pub created_at: String,
    /// When it last changed: UTC, ISO-8601 with milliseconds.
    pub updated_at: String,
    /// When entry on it opens: naive wall-clock time in the event's zone.
    pub entry_starts_at: String,
    /// When entry on it closes: naive wall-clock time in the event's zone.
    pub entry_ends_at: String,
    /// When its sale opens: naive wall-clock time in the event's zone.
    pub sale_starts_at: String,
    /// When its sale closes: naive wall-clock time in the event's zone.
    pub sale_ends_at: String,
    /// `SALE_ENDED` | `SOLD_OUT` | `DOOR`.
    pub sale_ends_behavior: String,
    /// What a ticket costs.
    pub price: Price,
    /// `ALWAYS` | `HIDDEN` | `AFTER_ADMISSION`.
    pub visibility: String,
    /// `null` when the tier has no section.
    pub section_id: Option<String>,
    /// The team (`tem_…`) that owns it.
    pub team_id: String,
    /// The promoter (`pmt_…`) it belongs to.
    pub promoter_id: String,
    /// The `evt_` id of its event.
    pub event_id: String,
    /// The slug of its event.
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
    /// The section's `sct_` id.
    pub id: String,
    /// When it was created: UTC, ISO-8601 with milliseconds.
    pub created_at: String,
    /// When it last changed: UTC, ISO-8601 with milliseconds.
    pub updated_at: String,
    /// The section's name.
    pub name: String,
    /// Places in it; -1 means unlimited.
    pub capacity: i64,
    /// Tickets in it one order may hold; -1 means unlimited.
    pub limit: i64,
    /// Tickets still for sale in it (capacity less sold and reserved); -1 means unlimited.
    pub available: i64,
    /// Tickets sold in it.
    pub sold: i64,
    /// Tickets in it held in checkouts not yet paid.
    pub reserved: i64,
    /// Display order: lower first.
    pub order: i64,
    /// `ALWAYS` | `STACKED` | `HIDDEN`.
    pub visibility: String,
    /// Where it is, embedded (`venueId`, not `venue`).
    pub location: Location,
    /// The team (`tem_…`) that owns it.
    pub team_id: String,
    /// The promoter (`pmt_…`) it belongs to.
    pub promoter_id: String,
    /// The `evt_` id of its event.
    pub event_id: String,
    /// The slug of its event.
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
    /// The event's `evt_` id.
    pub id: String,
    /// When it was created: UTC, ISO-8601 with milliseconds.
    pub created_at: String,
    /// When it last changed: UTC, ISO-8601 with milliseconds.
    pub updated_at: String,
    /// The event's title.
    pub name: String,
    /// Its URL-friendly name: `/events/{key}` takes it in place of the id.
    pub slug: String,
    /// A sentence or more about it.
    pub description: String,
    /// `PENDING` | `APPROVED` | `REJECTED`.
    pub approval: String,
    /// `UPCOMING` | `ENDED`.
    pub status: String,
    /// `PUBLIC` | `PRIVATE` | `SCHEDULED` | `PASSCODE` | `CANCELLED`.
    pub visibility: String,
    /// ISO 4217.
    pub currency: String,
    /// When entry opens: naive wall-clock time in the event's zone.
    pub entry_starts_at: String,
    /// When entry closes: naive wall-clock time in the event's zone.
    pub entry_ends_at: String,
    /// When it becomes public: naive wall-clock time in the event's zone.
    pub publish_at: String,
    /// Its pictures.
    pub images: Images,
    /// The geohash of its location.
    pub geohash: String,
    /// Where it takes place (with the `venue` object).
    pub location: Location,
    /// The team (`tem_…`) that owns it.
    pub team_id: String,
    /// The promoter (`pmt_…`) organising it.
    pub promoter_id: String,
}

/// `GET /events/{key}`'s event: the core plus `sections[]` and `admissions[]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Event {
    /// The fields every event answer carries.
    #[serde(flatten)]
    pub core: EventCore,
    /// Its sections, in display order.
    pub sections: Vec<Section>,
    /// Its tiers, in display order.
    pub admissions: Vec<Admission>,
}

/// One item of `GET /events`: no `sections`/`admissions`; `price` (the cheapest tier's,
/// `null` for an event without tiers) is required there.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventListItem<'a> {
    /// The fields every event answer carries.
    #[serde(flatten)]
    pub core: &'a EventCore,
    /// The cheapest tier's price; `None` when the event has no tier.
    pub price: Option<&'a Price>,
}

/// `{"event": …}`.
#[derive(Debug, Clone, Serialize)]
pub struct EventEnvelope<'a> {
    /// The event.
    pub event: &'a Event,
}

/// A list page: the items under their plural, then `before`, `after`, `limit`.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T: Serialize> {
    /// The page's items, under their plural (`{"tickets": […]}`).
    #[serde(flatten)]
    pub items: T,
    /// The cursor of the page before; `None` on the first page.
    pub before: Option<String>,
    /// The cursor of the page after; `None` on the last page.
    pub after: Option<String>,
    /// The page size: as asked, or the route's default.
    pub limit: u32,
}

/// A ticket's `event`: `{id, name, slug, location, entryStartsAt, entryEndsAt, images}`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TicketEvent<'a> {
    /// The event's `evt_` id.
    pub id: &'a str,
    /// The event's title.
    pub name: &'a str,
    /// Its URL-friendly name.
    pub slug: &'a str,
    /// Where it takes place, embedded (`venueId`, not `venue`).
    pub location: Location,
    /// When entry opens: naive wall-clock time in the event's zone.
    pub entry_starts_at: &'a str,
    /// When entry closes: naive wall-clock time in the event's zone.
    pub entry_ends_at: &'a str,
    /// Its pictures.
    pub images: &'a Images,
}

/// A ticket's `admission`: `{id, name, price, entryStartsAt, entryEndsAt}`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TicketAdmission<'a> {
    /// The tier's `adm_` id.
    pub id: &'a str,
    /// The tier's name.
    pub name: &'a str,
    /// What the ticket cost.
    pub price: &'a Price,
    /// When entry on the tier opens: naive wall-clock time in the event's zone.
    pub entry_starts_at: &'a str,
    /// When entry on the tier closes: naive wall-clock time in the event's zone.
    pub entry_ends_at: &'a str,
}

/// A ticket's `section.location`: only `name` is required; the rest is the section's.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SectionLocation<'a> {
    /// The place's name.
    pub name: &'a str,
    /// Its formatted street address.
    pub address: &'a str,
    /// Its country.
    pub country: &'a str,
    /// Latitude in degrees.
    pub latitude: f64,
    /// Longitude in degrees.
    pub longitude: f64,
    /// Its IANA zone.
    pub time_zone: &'a str,
}

/// A ticket's `section`: `{id, name, location}`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TicketSection<'a> {
    /// The section's `sct_` id.
    pub id: &'a str,
    /// The section's name.
    pub name: &'a str,
    /// Where the section is.
    pub location: SectionLocation<'a>,
}

/// A roster row's `admission`: `{id, name, entryEndsAt}`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RosterAdmission<'a> {
    /// The tier's `adm_` id.
    pub id: &'a str,
    /// The tier's name.
    pub name: &'a str,
    /// When entry on the tier closes: naive wall-clock time in the event's zone.
    pub entry_ends_at: &'a str,
}

/// A roster row's `section`: `{id, name}`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RosterSection<'a> {
    /// The section's `sct_` id.
    pub id: &'a str,
    /// The section's name.
    pub name: &'a str,
}

/// `scans[].scannedBy`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ScannedBy {
    /// The user's `usr_` id.
    pub id: String,
    /// Their first name.
    pub first_name: String,
    /// Their last name.
    pub last_name: String,
    /// Their e-mail address.
    pub email: String,
}

/// One entry of a ticket's `scans[]`. `deviceId` is always a string: `""` when the
/// request named no device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Scan {
    /// The scan's `scn_` id.
    pub id: String,
    /// When the server recorded it: UTC, ISO-8601 with milliseconds.
    pub scanned_at: String,
    /// The `usr_` id of who scanned.
    pub scanned_by_id: String,
    /// Who scanned.
    pub scanned_by: ScannedBy,
    /// The device the request named, or `""`.
    pub device_id: String,
    /// Check-in or check-out.
    pub kind: ScanKind,
}

/// `{id, checkedInCount, items: [{quantity}]}` of a check-in answer for an order key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderSummary {
    /// The order's `ord_` id.
    pub id: String,
    /// How many of its tickets are checked in now.
    pub checked_in_count: u32,
    /// One entry per admission of the order, with its quantity.
    pub items: Vec<OrderItem>,
}

/// One `order.items[]` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderItem {
    /// How many of the order's tickets are of this admission.
    pub quantity: u32,
}

/// `EVENT_MISMATCH`'s `data.event`: `{id, name, slug, entryStartsAt, teamId}`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MismatchEvent<'a> {
    /// The ticket's event's `evt_` id.
    pub id: &'a str,
    /// Its title.
    pub name: &'a str,
    /// Its URL-friendly name.
    pub slug: &'a str,
    /// When its entry opens: naive wall-clock time in its zone.
    pub entry_starts_at: &'a str,
    /// The team (`tem_…`) that owns it.
    pub team_id: &'a str,
}

/// `GET /users/me`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    /// `null` for a service token.
    pub user: Option<MeUser>,
    /// Every action on every resource (deny nodes still win).
    pub is_admin: bool,
    /// One entry per team membership of the token.
    pub members: Vec<Member>,
}

/// `me.user`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeUser {
    /// The user's `usr_` id.
    pub id: String,
    /// When the user was created: UTC, ISO-8601 with milliseconds.
    pub created_at: String,
    /// When the user last changed: UTC, ISO-8601 with milliseconds.
    pub updated_at: String,
    /// Their e-mail address.
    pub email: String,
    /// Their first name.
    pub first_name: String,
    /// Their last name.
    pub last_name: String,
}

/// `me.members[].user`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberUser {
    /// The user's `usr_` id.
    pub id: String,
    /// Their e-mail address.
    pub email: String,
    /// Their first name.
    pub first_name: String,
    /// Their last name.
    pub last_name: String,
}

/// `me.members[].access`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberAccess {
    /// The only promoters (`pmt_…`) the membership's nodes apply to.
    pub promoter_ids: Option<Vec<String>>,
}

/// One team membership of `/users/me`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    /// The membership's `mbr_` id.
    pub id: String,
    /// When it was created: UTC, ISO-8601 with milliseconds.
    pub created_at: String,
    /// When it last changed: UTC, ISO-8601 with milliseconds.
    pub updated_at: String,
    /// The team (`tem_…`) it is in.
    pub team_id: String,
    /// The member's `usr_` id.
    pub user_id: String,
    /// The member.
    pub user: MemberUser,
    /// Its permission nodes, e.g. `ticket.scan`, `-ticket.scan.evt_…`.
    pub permissions: Vec<String>,
    /// Roles whose nodes `/users/me` does not list (optional in the contract).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_ids: Option<Vec<String>>,
    /// The team's owner: every action within the team.
    pub is_owner: bool,
    /// Which promoters it is limited to; absent when it is not limited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access: Option<MemberAccess>,
    /// The tenant (`tnt_…`) it belongs to.
    pub tenant_id: String,
}

/// Counts of one line of the attendance summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    /// Tickets not cancelled.
    pub total_tickets: u64,
    /// Of those, the ones checked in (REDEEMED).
    pub checked_in: u64,
    /// Of those, the ones not checked in.
    pub not_checked_in: u64,
    /// Percent of `totalTickets` checked in, 0–100, two decimals.
    pub checkin_rate: f64,
}

impl Counts {
    /// The counts for `checked_in` of `total` tickets: the rest and the rate worked out.
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
    /// Its counts.
    #[serde(flatten)]
    pub counts: Counts,
    /// The tier's `adm_` id.
    pub admission_id: String,
    /// The tier's name.
    pub admission_name: String,
}

/// One section's line of the attendance summary.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SectionLine {
    /// Its counts.
    #[serde(flatten)]
    pub counts: Counts,
    /// The section's `sct_` id.
    pub section_id: String,
    /// The section's name.
    pub section_name: String,
}

/// `GET /events/{eventId}/performance/attendance` without `granularity`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttendanceSummary {
    /// The whole event's counts.
    #[serde(flatten)]
    pub counts: Counts,
    /// One line per admission; empty when `includeAdmission=false`.
    pub by_admission: Vec<AdmissionLine>,
    /// One line per section; empty when `includeSection=false`.
    pub by_section: Vec<SectionLine>,
}

/// One point of the overall attendance series.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SeriesPoint {
    /// The period's start: UTC, ISO-8601 with milliseconds.
    pub timestamp: String,
    /// Tickets checked in at the period's end.
    pub checked_in: u64,
    /// Those as a percent of the total, 0–100.
    pub rate: f64,
    /// Check-ins within the period.
    pub checkins_this_period: u64,
}

/// One point of an admission's or section's series.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LinePoint {
    /// The period's start: UTC, ISO-8601 with milliseconds.
    pub timestamp: String,
    /// The line's tickets checked in at the period's end.
    pub checked_in: u64,
    /// Those as a percent of the line's total, 0–100.
    pub rate: f64,
}

/// An admission's series.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AdmissionSeries {
    /// The tier's `adm_` id.
    pub admission_id: String,
    /// The tier's name.
    pub admission_name: String,
    /// One point per period.
    pub data: Vec<LinePoint>,
}

/// A section's series.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SectionSeries {
    /// The section's `sct_` id.
    pub section_id: String,
    /// The section's name.
    pub section_name: String,
    /// One point per period.
    pub data: Vec<LinePoint>,
}

/// `GET /events/{eventId}/performance/attendance?granularity=HOUR|MINUTE`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttendanceSeries {
    /// `HOUR` or `MINUTE`, as asked.
    pub granularity: &'static str,
    /// Tickets not cancelled.
    pub total_tickets: u64,
    /// One point per period, from the first scan's to the last scan's.
    pub data: Vec<SeriesPoint>,
    /// One series per admission; left out when `includeAdmission=false`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by_admission: Option<Vec<AdmissionSeries>>,
    /// One series per section; left out when `includeSection=false`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by_section: Option<Vec<SectionSeries>>,
}

// ---- reading import files: every field optional, completed by the dataset ----

/// An import file as the simulator reads it: the contract's shapes, every field optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ImportIn {
    /// The event, as `GET /events/{key}` sends it.
    pub event: Event,
    /// Its tickets, as `GET /tickets` sends them.
    pub tickets: Vec<TicketIn>,
}

/// A ticket of an import file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TicketIn {
    /// The ticket's `tkt_` id (required).
    pub id: String,
    /// When it was created (UTC).
    pub created_at: Option<String>,
    /// When it last changed (UTC).
    pub updated_at: Option<String>,
    /// Its scans so far.
    pub scans: Vec<ScanIn>,
    /// Its status (required).
    pub status: Option<TicketStatus>,
    /// The guest it is for.
    pub attendee: AttendeeIn,
    /// The `cus_` id of who bought it.
    pub customer_id: Option<String>,
    /// The `evt_` id of its event; empty or the file's event.
    pub event_id: String,
    /// The `adm_` id of its tier, one of the event's (required).
    pub admission_id: String,
    /// Its section, one of the event's.
    pub section: Option<IdIn>,
    /// The `ord_` id of its order (required).
    pub order_id: String,
    /// The team (`tem_…`) that owns it.
    pub team_id: Option<String>,
    /// The promoter (`pmt_…`) it belongs to.
    pub promoter_id: Option<String>,
}

/// `attendee` of an imported ticket.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AttendeeIn {
    /// The guest's first name.
    pub first_name: Option<String>,
    /// The guest's last name.
    pub last_name: Option<String>,
    /// The guest's e-mail address.
    pub email: Option<String>,
    /// The guest's phone number.
    pub phone: Option<String>,
}

/// An object of which only the `id` is read.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct IdIn {
    /// The object's id.
    pub id: String,
}

/// A scan of an imported ticket.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ScanIn {
    /// The scan's id.
    pub id: Option<String>,
    /// When it was recorded (UTC).
    pub scanned_at: Option<String>,
    /// The id of who scanned.
    pub scanned_by_id: Option<String>,
    /// Who scanned.
    pub scanned_by: Option<ScannedByIn>,
    /// The device it was scanned on.
    pub device_id: Option<String>,
    /// Check-in or check-out (required).
    pub kind: Option<ScanKind>,
}

/// `scannedBy` of an imported scan.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ScannedByIn {
    /// The user's id.
    pub id: Option<String>,
    /// Their first name.
    pub first_name: Option<String>,
    /// Their last name.
    pub last_name: Option<String>,
    /// Their e-mail address.
    pub email: Option<String>,
}
