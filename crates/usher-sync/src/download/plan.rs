//! How a pass splits the roster into walks ([`Plan`]), and the planning itself: the
//! roster's index per admission (or for the whole event), each bucket's anchor, and the
//! fallback to one walk per admission from the top when the server has no index.

use super::{DownloadReport, PAGE_RETRY, PAGE_TRIES};
use crate::client::{ApiClient, Failure};
use serde::Serialize;
use session_api::AttendeeIndex;
use std::collections::HashSet;

/// How a pass splits the roster into walks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Plan {
    /// One index for the whole event; a walk from each bucket's anchor.
    Anchors,
    /// One index per admission; a walk from each bucket's anchor within each admission. More,
    /// shorter walks: the longest walk bounds a pass, and one admission often holds 40% of an
    /// event. When the admissions' counts do not add up to the event's (rows of an admission
    /// no longer listed), the pass walks the whole event instead.
    #[default]
    AnchorsPerAdmission,
    /// No index: one walk per admission, from its top (the plan before the index existed).
    Admissions,
}

impl Plan {
    /// The plan's name, saved with a pass: only a pass of the same plan is resumed.
    pub fn as_str(self) -> &'static str {
        match self {
            Plan::Anchors => "anchors",
            Plan::AnchorsPerAdmission => "anchors-per-admission",
            Plan::Admissions => "admissions",
        }
    }
}

/// The admission a walk key names (`adm_…/B`), if any.
pub(super) fn walk_admission(key: &str) -> Option<String> {
    key.split_once('/')
        .map(|(slice, _)| slice)
        .filter(|s| *s != "*")
        .map(str::to_string)
}

/// A walk's key: its slice (`*` for the whole event) and its bucket (`*` for the top).
fn walk_key(admission: Option<&str>, bucket: Option<&str>) -> String {
    format!("{}/{}", admission.unwrap_or("*"), bucket.unwrap_or("*"))
}

pub(super) type Planned = Vec<(String, Option<String>, Option<String>)>;

/// The walks of `plan`: (key, admission, anchor), and the index's count. A server without the
/// index gets [`Plan::Admissions`].
pub(super) async fn plan_walks(
    client: &ApiClient,
    event_id: &str,
    admissions: &[String],
    plan: Plan,
    report: &mut DownloadReport,
) -> Result<(Plan, Planned, Option<u64>), Failure> {
    let from_top = || -> (Plan, Planned, Option<u64>) {
        let walks = admissions
            .iter()
            .map(|a| (walk_key(Some(a), None), Some(a.clone()), None))
            .collect();
        (Plan::Admissions, walks, None)
    };
    let mut slices: Vec<Option<&str>> = match plan {
        Plan::Admissions => return Ok(from_top()),
        Plan::Anchors => vec![None],
        Plan::AnchorsPerAdmission => admissions.iter().map(|a| Some(a.as_str())).collect(),
    };
    if plan == Plan::AnchorsPerAdmission {
        // The whole event's index too: its count says whether every row is in a listed
        // admission.
        slices.push(None);
    }
    report.requests += slices.len() as u64;
    let indexes: Vec<Result<AttendeeIndex, Failure>> = futures::future::join_all(
        slices
            .iter()
            .map(|a| index_with_retries(client, event_id, *a)),
    )
    .await;
    let mut per_slice: Vec<(Option<&str>, AttendeeIndex)> = vec![];
    for (slice, index) in slices.iter().zip(indexes) {
        match index {
            Ok(i) => per_slice.push((*slice, i)),
            Err(f) if matches!(f.status(), Some(404 | 405 | 501)) => return Ok(from_top()),
            Err(f) => return Err(f),
        }
    }
    // Counts come from the server: a wild one saturates instead of overflowing.
    let count = |i: &AttendeeIndex| {
        i.buckets
            .iter()
            .fold(0u64, |n, b| n.saturating_add(b.count))
            .min(i64::MAX as u64)
    };
    let mut plan = plan;
    if plan == Plan::AnchorsPerAdmission {
        let whole = per_slice
            .pop()
            .expect("the whole event's index was asked for");
        let listed: u64 = per_slice.iter().map(|(_, i)| count(i)).sum();
        if listed != count(&whole.1) {
            // Rows outside the listed admissions (an admission taken off the event), or a
            // sale between the two answers: walk the whole event, which misses neither.
            plan = Plan::Anchors;
            per_slice = vec![whole];
        }
    }
    let expected = per_slice
        .iter()
        .fold(0u64, |n, (_, i)| n.saturating_add(count(i)))
        .min(i64::MAX as u64);
    let mut walks: Planned = vec![];
    let mut keys = HashSet::new();
    for (slice, index) in per_slice {
        for b in index.buckets {
            // A key the index repeats still gets a walk of its own, under a key of its own.
            let mut key = walk_key(slice, Some(&b.key));
            while !keys.insert(key.clone()) {
                key.push('+');
            }
            walks.push((key, slice.map(str::to_string), Some(b.anchor)));
        }
    }
    Ok((plan, walks, Some(expected)))
}

async fn index_with_retries(
    client: &ApiClient,
    event_id: &str,
    admission: Option<&str>,
) -> Result<AttendeeIndex, Failure> {
    let mut attempt = 0;
    loop {
        match client.attendee_index(event_id, admission).await {
            Err(f) if f.is_retryable() && attempt + 1 < PAGE_TRIES as i64 => {
                tokio::time::sleep(PAGE_RETRY.delay(attempt, f.after())).await;
                attempt += 1;
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walk_keys_name_their_slice_and_bucket() {
        assert_eq!(walk_key(None, Some("B")), "*/B");
        assert_eq!(walk_key(Some("adm_x"), None), "adm_x/*");
        assert_eq!(walk_admission("adm_x/B").as_deref(), Some("adm_x"));
        assert_eq!(walk_admission("*/B"), None);
    }
}
