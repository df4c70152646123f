//! `GET /users/me` and `GET /events/{eventId}/performance/attendance`.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use session_api::{Attendance, AttendanceBucket, AttendanceEnvelope, MeResponse, TicketStatus};

use crate::auth::Caller;
use crate::error::{Answer, ApiError};
use crate::query::{Query, Shape};
use crate::server::Shared;

const NO_QUERY: Shape<'static> = Shape {
    scalars: &[],
    arrays: &[],
};

pub(crate) async fn me(Caller(token): Caller, RawQuery(raw): RawQuery) -> Result<Answer, ApiError> {
    Query::parse(raw.as_deref(), &NO_QUERY)?;
    Ok(Answer::ok(&MeResponse { user: token.me() }))
}

/// Checked in (REDEEMED) against total (not CANCELLED), overall and per admission and
/// section. Needs `event.read` or `ticket.read` for the event. No time series.
pub(crate) async fn attendance(
    State(sh): State<Arc<Shared>>,
    Caller(token): Caller,
    Path(key): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Answer, ApiError> {
    if !token.has_any("event.read") && !token.has_any("ticket.read") {
        return Err(ApiError::forbidden("event.read"));
    }
    Query::parse(raw.as_deref(), &NO_QUERY)?;
    let ds = &sh.dataset;
    let e = ds
        .event_index(&key)
        .ok_or_else(|| ApiError::not_found(format!("Event {key} not found")))?;
    let data = &ds.events[e];
    let event_id = data.event.id.as_str();
    if !token.allows("event.read", Some(event_id)) && !token.allows("ticket.read", Some(event_id)) {
        return Err(ApiError::forbidden(&format!("event.read.{event_id}")));
    }
    let bucket = |id: &str, name: &str| AttendanceBucket {
        id: id.into(),
        name: name.into(),
        checked_in: 0,
        total: 0,
    };
    let mut admissions: Vec<AttendanceBucket> = data
        .event
        .admissions
        .iter()
        .map(|a| bucket(&a.id, &a.name))
        .collect();
    let mut sections: Vec<AttendanceBucket> = data
        .event
        .sections
        .iter()
        .map(|s| bucket(&s.id, &s.name))
        .collect();
    let (mut checked_in, mut total) = (0, 0);
    let live = sh.live.read().expect("live lock");
    for &row in &data.by_name {
        let status = live.status[row as usize];
        if status == TicketStatus::Cancelled {
            continue;
        }
        let t = &ds.tickets[row as usize];
        let inside = u64::from(status == TicketStatus::Redeemed);
        total += 1;
        checked_in += inside;
        let a = &mut admissions[t.admission as usize];
        a.total += 1;
        a.checked_in += inside;
        if let Some(s) = sections.get_mut(t.section as usize) {
            s.total += 1;
            s.checked_in += inside;
        }
    }
    Ok(Answer::ok(&AttendanceEnvelope {
        attendance: Attendance {
            event_id: event_id.into(),
            checked_in,
            total,
            admissions,
            sections,
        },
    }))
}
