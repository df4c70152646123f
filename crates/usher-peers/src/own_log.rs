//! This door's own recent changes, in memory: what every waiting pull is answered from.
//!
//! At a stadium, each change of a door (a scan recorded, then settled) wakes every door
//! waiting on it; twenty doors asking the database the same question for each change kept the
//! disk's connection busy and the answers seconds late. The node's change watch reads each
//! new change once ([`OwnLog::add`]) and the pulls are answered from here; only a door that
//! is further behind than the log reaches (one that was away, or a node just started) is
//! answered from the database.

use std::collections::{BTreeMap, HashMap};
use usher_core::peers::SharedScan;

/// How many scans the log holds before it forgets the oldest (a door away for longer catches
/// up from the database).
pub const KEEP: usize = 4_096;

/// Every own scan whose latest version is above `from`, in that latest state.
#[derive(Debug)]
pub struct OwnLog {
    by_version: BTreeMap<i64, SharedScan>,
    version_of: HashMap<String, i64>,
    /// The log holds every own change after this version.
    from: i64,
    /// The newest version it holds (or `from`).
    top: i64,
    keep: usize,
}

impl OwnLog {
    /// An empty log for a door whose latest version is `version`.
    pub fn starting_at(version: i64) -> OwnLog {
        OwnLog::keeping(version, KEEP)
    }

    fn keeping(version: i64, keep: usize) -> OwnLog {
        OwnLog {
            by_version: BTreeMap::new(),
            version_of: HashMap::new(),
            from: version,
            top: version,
            keep,
        }
    }

    /// The newest version the log knows of: what to read the database after.
    pub fn top(&self) -> i64 {
        self.top
    }

    /// Adds changes read after [`OwnLog::top`], in version order. A scan that changed again
    /// replaces its older state.
    pub fn add(&mut self, changes: Vec<SharedScan>) {
        for scan in changes {
            if scan.version <= self.top {
                continue;
            }
            self.top = scan.version;
            if let Some(old) = self.version_of.insert(scan.scan_id.clone(), scan.version) {
                self.by_version.remove(&old);
            }
            self.by_version.insert(scan.version, scan);
        }
        while self.by_version.len() > self.keep {
            if let Some((version, scan)) = self.by_version.pop_first() {
                self.version_of.remove(&scan.scan_id);
                self.from = version;
            }
        }
    }

    /// The changes after `after`, oldest first, at most `limit`; `None` when the log does
    /// not reach back that far (ask the database).
    pub fn after(&self, after: i64, limit: usize) -> Option<Vec<SharedScan>> {
        if after < self.from {
            return None;
        }
        Some(
            self.by_version
                .range(after + 1..)
                .take(limit)
                .map(|(_, s)| s.clone())
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use usher_core::scanlog::UploadState;
    use usher_core::verdict::VerdictKind;

    fn scan(id: &str, version: i64, upload: UploadState) -> SharedScan {
        SharedScan {
            scan_id: id.into(),
            device_id: "dev_a".into(),
            version,
            gate_name: "North".into(),
            tenant_id: None,
            api: None,
            event_id: None,
            door_ms: 1,
            action: session_api::ScanKind::CheckIn,
            verdict: VerdictKind::Admit,
            upload,
            ticket_ids: vec!["tkt_aaaaaaaaaaaaaaaaaaaaaaaaaa".into()],
        }
    }

    fn ids(scans: &[SharedScan]) -> Vec<(String, i64)> {
        scans
            .iter()
            .map(|s| (s.scan_id.clone(), s.version))
            .collect()
    }

    #[test]
    fn a_settled_scan_is_answered_once_in_its_latest_state() {
        let mut log = OwnLog::starting_at(10);
        log.add(vec![
            scan("a", 11, UploadState::Pending),
            scan("b", 12, UploadState::Pending),
        ]);
        log.add(vec![scan("a", 13, UploadState::Acknowledged)]);
        let all = log.after(10, 100).unwrap();
        assert_eq!(ids(&all), [("b".into(), 12), ("a".into(), 13)]);
        assert_eq!(all[1].upload, UploadState::Acknowledged);
        assert_eq!(ids(&log.after(12, 100).unwrap()), [("a".into(), 13)]);
        assert!(log.after(13, 100).unwrap().is_empty());
        assert_eq!(log.top(), 13);
    }

    #[test]
    fn a_door_further_behind_than_the_log_is_sent_to_the_database() {
        let mut log = OwnLog::keeping(0, 2);
        assert!(log.after(0, 10).unwrap().is_empty());
        log.add(vec![
            scan("a", 1, UploadState::Pending),
            scan("b", 2, UploadState::Pending),
            scan("c", 3, UploadState::Pending),
        ]);
        // "a" was forgotten: only a door that heard it already can be answered here.
        assert_eq!(log.after(0, 10), None);
        assert_eq!(
            ids(&log.after(1, 10).unwrap()),
            [("b".into(), 2), ("c".into(), 3)]
        );
        assert_eq!(ids(&log.after(1, 1).unwrap()), [("b".into(), 2)]);
    }

    #[test]
    fn changes_the_log_already_holds_are_not_taken_twice() {
        let mut log = OwnLog::starting_at(5);
        log.add(vec![scan("a", 6, UploadState::Pending)]);
        log.add(vec![
            scan("a", 6, UploadState::Pending),
            scan("old", 4, UploadState::Pending),
        ]);
        assert_eq!(ids(&log.after(5, 10).unwrap()), [("a".into(), 6)]);
        assert_eq!(log.after(4, 10), None);
    }
}
