//! One walk through the roster's pages, and where a walk must stop.
//!
//! A walk starts at a bucket's anchor (or the top of a slice) and follows `after` → `cursor`.
//! It ends at the end of the list, or at the first row that another walk started from: from
//! there on, that walk has the rows. It never relies on which letter a bucket is taken from,
//! nor on a bucket being one contiguous run, and it never stops on a count.

use crate::client::Failure;
use session_api::AttendeeRow;
use std::collections::HashSet;
use usher_core::i18n::Said;

/// One walk's path through the pages: where it is, the cursors it has seen, and the rules
/// that stop a walk that would never end.
#[derive(Debug)]
pub struct Walk {
    cursor: Option<String>,
    /// The walk has started over once in this run.
    restarted: bool,
    seen: HashSet<String>,
    pages: u64,
    max_pages: u64,
}

impl Walk {
    /// A walk from `cursor` (a saved position) or from the start.
    pub fn new(cursor: Option<String>, max_pages: u64) -> Walk {
        Walk {
            restarted: false,
            seen: cursor.iter().cloned().collect(),
            cursor,
            pages: 0,
            max_pages,
        }
    }

    /// The cursor of the next page, if any.
    pub fn cursor(&self) -> Option<&str> {
        self.cursor.as_deref()
    }

    /// True when `failure` rejects a saved cursor: any 4xx but the token's (401, 403), a
    /// timeout (408) or a rate limit (429), answering a page fetched with a cursor (every
    /// cursor is saved, and a cursor's lifetime is unknown). A walk restarts once per run;
    /// a second rejection is an error, so a server that takes no cursor cannot loop it.
    pub fn may_restart(&self, failure: &Failure) -> bool {
        !self.restarted
            && self.cursor.is_some()
            && failure
                .status()
                .is_some_and(|s| (400..500).contains(&s) && ![401, 403, 408, 429].contains(&s))
    }

    /// Forgets the saved position: the walk starts again from its anchor (or the top).
    pub fn restart(&mut self) {
        self.restarted = true;
        self.cursor = None;
        self.seen.clear();
        self.pages = 0;
    }

    /// Takes the next page's cursor (`after`). An error when the server sends a cursor this
    /// walk has already followed, or when the walk passes its bound on pages.
    pub fn advance(&mut self, after: Option<&str>) -> Result<Option<String>, Said> {
        self.pages += 1;
        let Some(next) = after else {
            self.cursor = None;
            return Ok(None);
        };
        if !self.seen.insert(next.to_string()) {
            return Err(Said::new("sync-cursor-repeats").with("pages", self.pages));
        }
        if self.pages >= self.max_pages {
            return Err(Said::new("sync-walk-endless").with("pages", self.max_pages));
        }
        self.cursor = Some(next.to_string());
        Ok(self.cursor.clone())
    }
}

/// The rows of a page that belong to a walk: up to (not including) the first row that
/// another walk started from. `own_start` is this walk's first row, which its first page
/// begins with. Returns the rows and whether the walk stops here.
pub fn cut<'a>(
    rows: &'a [AttendeeRow],
    own_start: Option<&str>,
    stops: &HashSet<String>,
) -> (&'a [AttendeeRow], bool) {
    match rows
        .iter()
        .position(|r| Some(r.id.as_str()) != own_start && stops.contains(&r.id))
    {
        Some(i) => (&rows[..i], true),
        None => (rows, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str) -> AttendeeRow {
        serde_json::from_value(serde_json::json!({
            "id": id, "orderId": "ord_00000000000000000000000000", "status": "ACTIVE",
            "attendee": {"firstName": "A", "lastName": "B", "email": "a@b.c"},
            "admission": {"id": "adm_00000000000000000000000000", "name": "GA"}
        }))
        .unwrap()
    }

    #[test]
    fn a_walk_stops_before_another_walks_first_row_but_not_at_its_own() {
        let rows: Vec<_> = ["a", "b", "c", "d"].into_iter().map(row).collect();
        let stops: HashSet<String> = ["a", "c"].into_iter().map(String::from).collect();
        let (kept, stop) = cut(&rows, Some("a"), &stops);
        assert_eq!(
            kept.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert!(stop);
        // A later page of the walk from "c" meets no start: it goes on.
        let later: Vec<_> = ["d", "e"].into_iter().map(row).collect();
        let (kept, stop) = cut(&later, Some("c"), &stops);
        assert_eq!(kept.len(), 2);
        assert!(!stop);
        // A page that begins with another walk's start keeps nothing.
        let (kept, stop) = cut(&rows[2..], Some("a"), &stops);
        assert!(kept.is_empty() && stop);
    }

    fn rejected(status: u16) -> Failure {
        Failure::Rejected {
            status,
            code: "INPUT_VALIDATION_FAILED".into(),
            message: "Invalid cursor".into(),
            data: serde_json::Value::Null,
        }
    }

    #[test]
    fn a_walk_ends_when_after_is_absent() {
        let mut w = Walk::new(None, 10);
        assert_eq!(w.advance(Some("a")).unwrap().as_deref(), Some("a"));
        assert_eq!(w.cursor(), Some("a"));
        assert_eq!(w.advance(None).unwrap(), None);
    }

    #[test]
    fn a_repeated_cursor_ends_the_walk_with_an_error() {
        let mut w = Walk::new(None, 10);
        w.advance(Some("a")).unwrap();
        w.advance(Some("b")).unwrap();
        let err = w.advance(Some("a")).unwrap_err();
        assert!(err.to_string().contains("sent before"), "{err}");
        // A saved cursor counts as seen: a server that answers it with itself is stuck too.
        let mut w = Walk::new(Some("s".into()), 10);
        assert!(w.advance(Some("s")).is_err());
    }

    #[test]
    fn a_walk_that_never_ends_stops_at_its_bound() {
        let mut w = Walk::new(None, 5);
        for i in 0..4 {
            w.advance(Some(&format!("c{i}"))).unwrap();
        }
        assert!(w
            .advance(Some("c4"))
            .unwrap_err()
            .to_string()
            .contains("5 pages"));
    }

    #[test]
    fn a_rejected_saved_cursor_restarts_once() {
        let mut w = Walk::new(Some("old".into()), 10);
        for s in [400, 404, 410, 422] {
            assert!(w.may_restart(&rejected(s)), "{s}");
        }
        let html_410 = Failure::Retry {
            reason: usher_core::i18n::Said::quoted("proxy"),
            after: None,
            status: 410,
        };
        assert!(w.may_restart(&html_410));
        for s in [401, 403, 408, 429, 500, 503] {
            let f = Failure::Retry {
                reason: usher_core::i18n::Said::quoted("x"),
                after: None,
                status: s,
            };
            assert!(!w.may_restart(&f), "{s}");
        }
        w.restart();
        assert_eq!(w.cursor(), None);
        assert!(!w.may_restart(&rejected(422)), "never from the start");
        w.advance(Some("new")).unwrap();
        assert!(!w.may_restart(&rejected(422)), "only once a run");
    }
}
