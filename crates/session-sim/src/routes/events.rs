//! `GET /events`, `GET /events/{key}`, `…/admissions`, `…/sections`: public reads.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use jiff::civil;
use serde::Serialize;

use crate::dataset::EventData;
use crate::error::{Answer, ApiError, FieldErrors};
use crate::names::{CATEGORIES, GENRES};
use crate::query::{Query, Shape};
use crate::server::Shared;
use crate::wire;

fn event_index(sh: &Shared, key: &str) -> Result<usize, ApiError> {
    sh.dataset
        .event_index(key)
        .ok_or_else(|| ApiError::not_found(format!("Event {key} not found")))
}

/// `YYYY-MM-DD`, a real calendar date (the contract's `from`/`to`).
fn parse_date(v: &str) -> Option<civil::Date> {
    let b = v.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    shaped.then(|| v.parse().ok()).flatten()
}

/// A number scalar within `min..=max` (`min` excluded when `open`).
fn number(
    q: &Query,
    key: &str,
    (min, max, open): (f64, f64, bool),
    errors: &mut FieldErrors,
) -> Option<f64> {
    let v = q.get(key)?;
    match v.trim().parse::<f64>() {
        Ok(n) if (if open { n > min } else { n >= min }) && n <= max => Some(n),
        _ => {
            errors.field(key, format!("Expected a number from {min} to {max}"));
            None
        }
    }
}

/// Great-circle distance in km.
fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (
        a.0.to_radians(),
        a.1.to_radians(),
        b.0.to_radians(),
        b.1.to_radians(),
    );
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6_371.0 * h.sqrt().asin()
}

const LIST: Shape<'static> = Shape {
    scalars: &[
        "status",
        "approval",
        "visibility",
        "promoterId",
        "teamId",
        "venueId",
        "limit",
        "cursor",
        "query",
        "latitude",
        "longitude",
        "radius",
        "country",
        "state",
        "city",
        "from",
        "to",
        "sort",
        "direction",
        "featured",
    ],
    arrays: &["genres", "categories"],
};

/// `{"events": […]}` for [`wire::Page`].
#[derive(Serialize)]
struct Events<'a> {
    events: Vec<wire::EventListItem<'a>>,
}

pub(crate) async fn list(
    State(sh): State<Arc<Shared>>,
    RawQuery(raw): RawQuery,
) -> Result<Answer, ApiError> {
    let q = Query::parse(raw.as_deref(), &LIST)?;
    let mut errors = FieldErrors::default();
    let status = q.choice("status", &["UPCOMING", "ENDED"], &mut errors);
    let approval = q.choice(
        "approval",
        &["PENDING", "APPROVED", "REJECTED"],
        &mut errors,
    );
    let visibility = q.choice(
        "visibility",
        &["PUBLIC", "PRIVATE", "SCHEDULED", "PASSCODE"],
        &mut errors,
    );
    let promoter = q.text("promoterId", 128, &mut errors);
    let team = q.text("teamId", 128, &mut errors);
    let venue = q.text("venueId", 128, &mut errors);
    let cursor = q.text("cursor", 768, &mut errors);
    let needle = q.text("query", 120, &mut errors).map(|s| s.to_lowercase());
    let latitude = number(&q, "latitude", (-90.0, 90.0, false), &mut errors);
    let longitude = number(&q, "longitude", (-180.0, 180.0, false), &mut errors);
    let radius = number(&q, "radius", (0.0, 20_000.0, true), &mut errors);
    let place: Vec<(&str, Option<String>)> = ["country", "state", "city"]
        .into_iter()
        .map(|k| (k, q.text(k, 120, &mut errors).map(|s| s.to_lowercase())))
        .collect();
    let mut date = |key: &str| {
        let v = q.get(key)?;
        let d = parse_date(v);
        if d.is_none() {
            errors.field(key, "Expected a date YYYY-MM-DD");
        }
        d
    };
    let (from, to) = (date("from"), date("to"));
    let sort = q
        .choice("sort", &["entryStartsAt", "createdAt"], &mut errors)
        .unwrap_or("entryStartsAt");
    let descending = q.choice("direction", &["asc", "desc"], &mut errors) == Some("desc");
    let featured = q.boolean("featured", false, &mut errors);
    for (key, allowed, max) in [("genres", GENRES, 20), ("categories", CATEGORIES, 10)] {
        let items = q.array(key);
        if items.len() > max {
            errors.field(key, format!("At most {max} items"));
        }
        for v in items {
            if !allowed.contains(&v.as_str()) {
                errors.field(key, format!("Unknown value {v:?}"));
            }
        }
    }
    errors.into_result()?;
    let limit = q.number_limit(20)?;
    let scope = format!("GET /events?{}", q.fingerprint());
    let start = match &cursor {
        Some(c) => sh.cursors.open(&scope, c)? as usize,
        None => 0,
    };

    let within = |data: &EventData| {
        let c = &data.wire.core;
        let l = &c.location;
        let local_date = c
            .entry_starts_at
            .get(..10)
            .and_then(|d| d.parse::<civil::Date>().ok());
        let text = |field: Option<&str>, want: &Option<String>| {
            want.as_ref()
                .is_none_or(|w| field.is_some_and(|f| f.to_lowercase() == *w))
        };
        status.is_none_or(|s| c.status == s)
            && approval.is_none_or(|a| c.approval == a)
            && visibility.is_none_or(|v| c.visibility == v)
            && promoter.as_ref().is_none_or(|p| c.promoter_id == *p)
            && team.as_ref().is_none_or(|t| c.team_id == *t)
            && venue.as_ref().is_none_or(|v| l.venue_id() == Some(v))
            && needle
                .as_ref()
                .is_none_or(|n| c.name.to_lowercase().contains(n))
            && text(Some(&l.country), &place[0].1)
            && text(None, &place[1].1)
            && text(l.city.as_deref(), &place[2].1)
            && match (latitude, longitude) {
                (Some(la), Some(lo)) => {
                    distance_km((la, lo), (l.latitude, l.longitude)) <= radius.unwrap_or(50.0)
                }
                _ => true,
            }
            && from.is_none_or(|f| local_date.is_some_and(|d| d >= f))
            && to.is_none_or(|t| local_date.is_some_and(|d| d <= t))
            // Generated and imported events are never featured and carry no genres or
            // categories.
            && !featured
            && q.array("genres").is_empty()
            && q.array("categories").is_empty()
    };
    let mut order: Vec<&EventData> = sh.dataset.events.iter().collect();
    order.sort_by(|a, b| {
        let (a, b) = (&a.wire.core, &b.wire.core);
        let by = match sort {
            "createdAt" => a.created_at.cmp(&b.created_at),
            _ => a.entry_starts_at.cmp(&b.entry_starts_at),
        }
        .then_with(|| a.id.cmp(&b.id));
        if descending {
            by.reverse()
        } else {
            by
        }
    });
    let mut events = Vec::new();
    let mut next = None;
    for (i, data) in order.iter().enumerate().skip(start) {
        if !within(data) {
            continue;
        }
        if events.len() == limit {
            next = Some(i);
            break;
        }
        let w = &data.wire;
        events.push(wire::EventListItem {
            core: &w.core,
            price: w
                .admissions
                .iter()
                .map(|a| &a.price)
                .min_by_key(|p| p.base + p.booking),
        });
    }
    let after = super::next_cursor(&sh, &scope, next, cursor.as_deref());
    Ok(super::page(
        &sh,
        &wire::Page {
            items: Events { events },
            before: None,
            after,
            limit: limit as u32,
        },
        limit,
    ))
}

const ONE: Shape<'static> = Shape {
    scalars: &["passcode", "couponCode", "teamId"],
    arrays: &[],
};

/// `GET /events/{key}`. The input is not strict: unknown query keys are ignored.
/// `passcode` and `couponCode` change nothing (every event is public); `teamId`, when
/// given, must be the event's team (else 404).
pub(crate) async fn one(
    State(sh): State<Arc<Shared>>,
    Path(key): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Answer, ApiError> {
    let q = Query::parse_lenient(raw.as_deref(), &ONE)?;
    let i = event_index(&sh, &key)?;
    let event = &sh.dataset.events[i].wire;
    if q.get("teamId").is_some_and(|t| t != event.core.team_id) {
        return Err(ApiError::not_found(format!("Event {key} not found")));
    }
    let live = sh.live.read().expect("live lock");
    if event
        .admissions
        .iter()
        .any(|a| live.delisted.contains(&a.id))
    {
        let mut listed = event.clone();
        listed.admissions.retain(|a| !live.delisted.contains(&a.id));
        return Ok(Answer::ok(&wire::EventEnvelope { event: &listed }));
    }
    Ok(Answer::ok(&wire::EventEnvelope { event }))
}

const TIERS: Shape<'static> = Shape {
    scalars: &["sectionId", "query", "limit", "cursor"],
    arrays: &[],
};

/// Filters and pages an event's admissions or sections (in display order).
fn tiers<T: Serialize>(
    sh: &Shared,
    route: &str,
    key: &str,
    raw: Option<&str>,
    shape: &Shape<'_>,
    items: &[T],
    keep: impl Fn(&T, &Query, &Option<String>) -> bool,
) -> Result<TierPage, ApiError> {
    let q = Query::parse(raw, shape)?;
    let mut errors = FieldErrors::default();
    let needle = q.text("query", 120, &mut errors).map(|s| s.to_lowercase());
    q.text("sectionId", 128, &mut errors);
    let cursor = q.text("cursor", 768, &mut errors);
    if key.len() > 128 {
        errors.field("eventId", "Must be at most 128 characters");
    }
    errors.into_result()?;
    let limit = q.number_limit(20)?;
    let scope = format!("{route}?{key}&{}", q.fingerprint());
    let start = match &cursor {
        Some(c) => sh.cursors.open(&scope, c)? as usize,
        None => 0,
    };
    let mut rows = Vec::new();
    let mut next = None;
    for (i, item) in items.iter().enumerate().skip(start) {
        if !keep(item, &q, &needle) {
            continue;
        }
        if rows.len() == limit {
            next = Some(i);
            break;
        }
        rows.push(i);
    }
    let after = super::next_cursor(sh, &scope, next, cursor.as_deref());
    Ok(TierPage { rows, after, limit })
}

/// One page of admissions or sections: their indices, the next cursor, the limit.
struct TierPage {
    rows: Vec<usize>,
    after: Option<String>,
    limit: usize,
}

#[derive(Serialize)]
struct Admissions<'a> {
    admissions: Vec<&'a wire::Admission>,
}

#[derive(Serialize)]
struct Sections<'a> {
    sections: Vec<&'a wire::Section>,
}

/// `GET /events/{eventId}/admissions`: `sectionId`, `query` (name), `limit` (default 20),
/// `cursor`.
pub(crate) async fn admissions(
    State(sh): State<Arc<Shared>>,
    Path(key): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Answer, ApiError> {
    Query::parse(raw.as_deref(), &TIERS)?;
    let i = event_index(&sh, &key)?;
    let all = &sh.dataset.events[i].wire.admissions;
    let TierPage { rows, after, limit } = tiers(
        &sh,
        "GET /events/{key}/admissions",
        &key,
        raw.as_deref(),
        &TIERS,
        all,
        |a, q, needle| {
            q.get("sectionId")
                .is_none_or(|s| a.section_id.as_deref() == Some(s))
                && needle
                    .as_ref()
                    .is_none_or(|n| a.name.to_lowercase().contains(n))
        },
    )?;
    Ok(super::page(
        &sh,
        &wire::Page {
            items: Admissions {
                admissions: rows.iter().map(|&r| &all[r]).collect(),
            },
            before: None,
            after,
            limit: limit as u32,
        },
        0,
    ))
}

const SECTIONS: Shape<'static> = Shape {
    scalars: &["query", "limit", "cursor"],
    arrays: &[],
};

/// `GET /events/{eventId}/sections`: `query` (name), `limit` (default 20), `cursor`.
pub(crate) async fn sections(
    State(sh): State<Arc<Shared>>,
    Path(key): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Answer, ApiError> {
    Query::parse(raw.as_deref(), &SECTIONS)?;
    let i = event_index(&sh, &key)?;
    let all = &sh.dataset.events[i].wire.sections;
    let TierPage { rows, after, limit } = tiers(
        &sh,
        "GET /events/{key}/sections",
        &key,
        raw.as_deref(),
        &SECTIONS,
        all,
        |s, _, needle| {
            needle
                .as_ref()
                .is_none_or(|n| s.name.to_lowercase().contains(n))
        },
    )?;
    Ok(super::page(
        &sh,
        &wire::Page {
            items: Sections {
                sections: rows.iter().map(|&r| &all[r]).collect(),
            },
            before: None,
            after,
            limit: limit as u32,
        },
        0,
    ))
}
