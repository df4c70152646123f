//! `GET /events`, `GET /events/{key}`, `…/admissions`, `…/sections`: public reads.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use jiff::{civil, Timestamp};
use session_api::{AdmissionList, Event, EventEnvelope, EventPage, EventStatus, SectionList};

use crate::error::{Answer, ApiError, FieldErrors};
use crate::query::{Query, Shape};
use crate::server::Shared;

const NO_QUERY: Shape<'static> = Shape {
    scalars: &[],
    arrays: &[],
};

fn event_index(sh: &Shared, key: &str) -> Result<usize, ApiError> {
    sh.dataset
        .event_index(key)
        .ok_or_else(|| ApiError::not_found(format!("Event {key} not found")))
}

/// `from`/`to`: an ISO-8601 instant, or a local date or date-time in the event's zone.
fn parse_bound(v: &str) -> Option<Bound> {
    if let Ok(t) = v.parse::<Timestamp>() {
        return Some(Bound::Instant(t));
    }
    if let Ok(dt) = v.parse::<civil::DateTime>() {
        return Some(Bound::Local(dt));
    }
    v.parse::<civil::Date>()
        .ok()
        .map(|d| Bound::Local(d.to_datetime(civil::Time::midnight())))
}

enum Bound {
    Instant(Timestamp),
    Local(civil::DateTime),
}

pub(crate) async fn list(
    State(sh): State<Arc<Shared>>,
    RawQuery(raw): RawQuery,
) -> Result<Answer, ApiError> {
    let q = Query::parse(
        raw.as_deref(),
        &Shape {
            scalars: &["status", "from", "to", "limit", "cursor"],
            arrays: &[],
        },
    )?;
    let mut errors = FieldErrors::default();
    let status = match q.get("status") {
        None => None,
        Some("UPCOMING") => Some(EventStatus::Upcoming),
        Some("ENDED") => Some(EventStatus::Ended),
        Some(_) => {
            errors.field("status", "Expected 'UPCOMING' | 'ENDED'");
            None
        }
    };
    let mut bound = |key: &str| {
        let v = q.get(key)?;
        let b = parse_bound(v);
        if b.is_none() {
            errors.field(key, "Expected an ISO-8601 date or date-time");
        }
        b
    };
    let (from, to) = (bound("from"), bound("to"));
    errors.into_result()?;
    let limit = q.limit(20)?;
    let scope = format!("GET /events?{}", q.fingerprint());
    let start = match q.get("cursor") {
        Some(c) => sh.cursors.open(&scope, c)? as usize,
        None => 0,
    };
    let starts = |data: &crate::dataset::EventData| -> Option<(Timestamp, civil::DateTime)> {
        let dt: civil::DateTime = data.event.entry_starts_at.as_deref()?.parse().ok()?;
        let ts = dt.to_zoned(data.time_zone()).ok()?.timestamp();
        Some((ts, dt))
    };
    let within = |data: &crate::dataset::EventData| {
        if status.is_some_and(|s| s != data.event.status) {
            return false;
        }
        let Some((ts, local)) = starts(data) else {
            return from.is_none() && to.is_none();
        };
        let after_from = match &from {
            None => true,
            Some(Bound::Instant(t)) => ts >= *t,
            Some(Bound::Local(d)) => local >= *d,
        };
        let before_to = match &to {
            None => true,
            Some(Bound::Instant(t)) => ts <= *t,
            Some(Bound::Local(d)) => local <= *d,
        };
        after_from && before_to
    };
    let mut events = Vec::new();
    let mut next = None;
    for (i, data) in sh.dataset.events.iter().enumerate().skip(start) {
        if !within(data) {
            continue;
        }
        if events.len() == limit {
            next = Some(i);
            break;
        }
        events.push(Event {
            admissions: vec![],
            sections: vec![],
            ..data.event.clone()
        });
    }
    let after = next.map(|i| sh.cursors.issue(&scope, i as u64));
    Ok(super::page(
        &sh,
        &EventPage {
            events,
            before: None,
            after,
            limit: limit as u32,
        },
        limit,
    ))
}

pub(crate) async fn one(
    State(sh): State<Arc<Shared>>,
    Path(key): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Answer, ApiError> {
    Query::parse(raw.as_deref(), &NO_QUERY)?;
    let i = event_index(&sh, &key)?;
    Ok(Answer::ok(&EventEnvelope {
        event: sh.dataset.events[i].event.clone(),
    }))
}

pub(crate) async fn admissions(
    State(sh): State<Arc<Shared>>,
    Path(key): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Answer, ApiError> {
    Query::parse(raw.as_deref(), &NO_QUERY)?;
    let i = event_index(&sh, &key)?;
    Ok(Answer::ok(&AdmissionList {
        admissions: sh.dataset.events[i].event.admissions.clone(),
    }))
}

pub(crate) async fn sections(
    State(sh): State<Arc<Shared>>,
    Path(key): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Answer, ApiError> {
    Query::parse(raw.as_deref(), &NO_QUERY)?;
    let i = event_index(&sh, &key)?;
    Ok(Answer::ok(&SectionList {
        sections: sh.dataset.events[i].event.sections.clone(),
    }))
}
