//! `GET /users/me` and `GET /events/{eventId}/performance/attendance`.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use session_api::{ScanKind, TicketStatus};

use crate::auth::{forbidden, Caller};
use crate::error::{Answer, ApiError, FieldErrors};
use crate::query::{Query, Shape};
use crate::server::Shared;
use crate::time::iso_ms;
use crate::wire::{self, Counts};

/// `GET /users/me`: the token's user (`null` for a service token), `isAdmin` and its
/// memberships. The route declares no input: any query is ignored.
pub(crate) async fn me(State(sh): State<Arc<Shared>>, Caller(p): Caller) -> Answer {
    Answer::ok(&p.me(&sh.tenant_id))
}

const ATTENDANCE: Shape<'static> = Shape {
    scalars: &["includeAdmission", "includeSection", "granularity"],
    arrays: &[],
};

/// At most this many periods in a time series (the newest).
const MAX_PERIODS: i64 = 1_440;

/// Checked in (REDEEMED) against total (not CANCELLED), overall and per admission and
/// section; with `granularity`, the check-ins over time. Needs `event.read` or
/// `ticket.read` for the event. The input is not strict: unknown keys are ignored.
pub(crate) async fn attendance(
    State(sh): State<Arc<Shared>>,
    Caller(p): Caller,
    Path(key): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Answer, ApiError> {
    if !p.has_any("event.read") && !p.has_any("ticket.read") {
        return Err(forbidden("event.read"));
    }
    let q = Query::parse_lenient(raw.as_deref(), &ATTENDANCE)?;
    let mut errors = FieldErrors::default();
    let by_admission = q.boolean("includeAdmission", true, &mut errors);
    let by_section = q.boolean("includeSection", true, &mut errors);
    let granularity = q.choice("granularity", &["HOUR", "MINUTE"], &mut errors);
    errors.into_result()?;
    let ds = &sh.dataset;
    let e = ds
        .event_index(&key)
        .ok_or_else(|| ApiError::not_found(format!("Event {key} not found")))?;
    let data = &ds.events[e];
    let resource = super::event_resource(data);
    if p.require("event.read", &resource).is_err() {
        p.require("ticket.read", &resource)?;
    }
    let ev = &data.wire;
    let live = sh.live.read().expect("live lock");
    let mut adm = vec![(0u64, 0u64); ev.admissions.len()];
    let mut sct = vec![(0u64, 0u64); ev.sections.len()];
    let (mut total, mut checked_in) = (0u64, 0u64);
    // (time, +1 or -1, admission, section) of every scan of a ticket that counts.
    let mut moves: Vec<(i64, i64, u16, u16)> = Vec::new();
    for &row in &data.by_name {
        let status = live.status[row as usize];
        if status == TicketStatus::Cancelled {
            continue;
        }
        let t = &ds.tickets[row as usize];
        let inside = u64::from(status == TicketStatus::Redeemed);
        total += 1;
        checked_in += inside;
        adm[t.admission as usize].0 += 1;
        adm[t.admission as usize].1 += inside;
        if let Some(s) = sct.get_mut(t.section as usize) {
            s.0 += 1;
            s.1 += inside;
        }
        if granularity.is_some() {
            for s in live.scans(row) {
                if let Ok(at) = s.scanned_at.parse::<jiff::Timestamp>() {
                    let step = if s.kind == ScanKind::CheckIn { 1 } else { -1 };
                    moves.push((at.as_millisecond(), step, t.admission, t.section));
                }
            }
        }
    }
    drop(live);
    let Some(granularity) = granularity else {
        return Ok(Answer::ok(&wire::AttendanceSummary {
            counts: Counts::new(total, checked_in),
            by_admission: if by_admission {
                ev.admissions
                    .iter()
                    .zip(&adm)
                    .map(|(a, &(n, c))| wire::AdmissionLine {
                        counts: Counts::new(n, c),
                        admission_id: a.id.clone(),
                        admission_name: a.name.clone(),
                    })
                    .collect()
            } else {
                vec![]
            },
            by_section: if by_section {
                ev.sections
                    .iter()
                    .zip(&sct)
                    .map(|(s, &(n, c))| wire::SectionLine {
                        counts: Counts::new(n, c),
                        section_id: s.id.clone(),
                        section_name: s.name.clone(),
                    })
                    .collect()
            } else {
                vec![]
            },
        }));
    };

    // The series: one point per period from the first scan's to the last scan's.
    let period: i64 = if granularity == "HOUR" {
        3_600_000
    } else {
        60_000
    };
    moves.sort_unstable();
    let mut series = wire::AttendanceSeries {
        granularity,
        total_tickets: total,
        data: vec![],
        by_admission: by_admission.then(|| {
            ev.admissions
                .iter()
                .map(|a| wire::AdmissionSeries {
                    admission_id: a.id.clone(),
                    admission_name: a.name.clone(),
                    data: vec![],
                })
                .collect()
        }),
        by_section: by_section.then(|| {
            ev.sections
                .iter()
                .map(|s| wire::SectionSeries {
                    section_id: s.id.clone(),
                    section_name: s.name.clone(),
                    data: vec![],
                })
                .collect()
        }),
    };
    if let (Some(first), Some(last)) = (moves.first(), moves.last()) {
        let end = last.0.div_euclid(period) * period;
        let start = (first.0.div_euclid(period) * period).max(end - (MAX_PERIODS - 1) * period);
        let (mut inside, mut adm_in, mut sct_in) =
            (0i64, vec![0i64; adm.len()], vec![0i64; sct.len()]);
        let mut next = moves.iter().peekable();
        let mut at = start;
        while at <= end {
            let mut arrivals = 0u64;
            while let Some(&&(ms, step, a, s)) = next.peek() {
                if ms >= at + period {
                    break;
                }
                inside += step;
                adm_in[a as usize] += step;
                if let Some(x) = sct_in.get_mut(s as usize) {
                    *x += step;
                }
                if step > 0 && ms >= at {
                    arrivals += 1;
                }
                next.next();
            }
            let stamp = iso_ms(at);
            let now = inside.max(0) as u64;
            series.data.push(wire::SeriesPoint {
                timestamp: stamp.clone(),
                checked_in: now,
                rate: wire::rate(now, total),
                checkins_this_period: arrivals,
            });
            let point = |n: i64, of: u64| wire::LinePoint {
                timestamp: stamp.clone(),
                checked_in: n.max(0) as u64,
                rate: wire::rate(n.max(0) as u64, of),
            };
            if let Some(lines) = &mut series.by_admission {
                for (i, line) in lines.iter_mut().enumerate() {
                    line.data.push(point(adm_in[i], adm[i].0));
                }
            }
            if let Some(lines) = &mut series.by_section {
                for (i, line) in lines.iter_mut().enumerate() {
                    line.data.push(point(sct_in[i], sct[i].0));
                }
            }
            at += period;
        }
    }
    Ok(Answer::ok(&series))
}
