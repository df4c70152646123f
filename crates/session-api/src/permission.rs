//! Permission nodes: their grammar, and what a list of them lets a token do.
//!
//! Session Services writes a permission as a *node* matching the contract's pattern
//! `^-?(?:\*|(?:[a-z][a-z0-9-]*)(?:\.[a-z][a-z0-9-]*)*(?:\.\*|\.bypass|\.[a-z]{3}_[0-9a-z]{26})?)$`.
//! `GET /users/me` lists the nodes of each team membership. This module parses those nodes
//! and answers "does this token hold `action` on this resource?". It is pure: no I/O, no
//! state; the app and the simulator both call it, so they read a node the same way.
//!
//! The contract gives the grammar and a few words of meaning (deny, wildcards, `.bypass`,
//! targets, "a membership's permissions apply within its own team"). Everything else below
//! is **our assumption** and is marked so. Each one lives in one function of this file.
//!
//! # Reading a node
//!
//! A node is a dotted *path* of lowercase words (`ticket.scan`), optionally followed by one
//! *suffix*: `.*`, `.bypass` or a target id (`.evt_…`). An *action* is what a request
//! needs: a path with no suffix (`ticket.scan`, `event.read`), or a path ending in
//! `.bypass` (`ticket.scan.bypass`). "`P` is at or below `Q`" means the words of `Q` are the
//! first words of `P`, whole words only: `ticket.scan.x` is below `ticket.scan`, but
//! `ticket.readers` is **not** below `ticket.read`.
//!
//! - **Deny.** A leading `-` makes a deny node; it covers what the same node without the
//!   `-` would cover. A deny that covers a request beats every grant that covers it, from
//!   any membership, an owner flag or `isAdmin` included (contract: "deny wins"; that it
//!   also beats `isAdmin` and `isOwner` is our assumption).
//! - **`*`** alone covers every action on every resource, `.bypass` actions included.
//! - **`P.*`** covers action `P` itself and every action below `P`, at any depth, on every
//!   target, `.bypass` actions included. So `ticket.*` covers `ticket.scan`, `ticket.read`
//!   and `ticket.scan.bypass`, and `ticket.scan.*` ("ticket.scan on any target", in the
//!   contract's words) covers `ticket.scan` and `ticket.scan.bypass`. (Contract: wildcards
//!   work at any depth. That `P.*` also covers `P` itself is our assumption, read from the
//!   contract's `ticket.scan.*` example.)
//! - **A plain node `P`** covers action `P` and every action below it, on every resource,
//!   except `.bypass` actions: `ticket.scan` covers `ticket.scan` and `ticket.scan.x`, not
//!   `ticket.scan.bypass`. (Our assumption: a plain node and `P.*` differ only in bypass.)
//! - **`P.bypass`** covers the action `P.bypass` (and `Q.bypass` for every `Q` below `P`)
//!   and nothing else: `ticket.scan.bypass` does **not** grant `ticket.scan`. A bypass is
//!   granted only by a bypass node, by `P.*` or by `*`. (The contract calls `.bypass` "a
//!   special grant" without saying what it bypasses; treating it as a separate action that
//!   plain nodes never imply is our assumption, chosen so that a plain grant never carries a
//!   bypass by accident.)
//! - **A targeted node `P.<id>`** covers what plain `P` covers, but only on a resource that
//!   carries that id: `evt_` its event, `tem_` its team, `pmt_` its promoter, `ven_` its
//!   venue, `ord_` its order, `tkt_` its ticket (field by field, see [`Resource`]). Any other
//!   prefix the grammar allows (`adm_`, `sct_`, …) matches only when the resource lists that
//!   exact id in [`Resource::other_ids`] (our assumption; otherwise it never matches).
//! - **A malformed node** (one the pattern rejects) grants and denies nothing; each
//!   [`Grants`] keeps the malformed ones so a caller can warn ([`Grants::malformed`]).
//!
//! # Whose nodes apply
//!
//! - A membership's nodes apply only to resources of its own team (contract). If the
//!   membership's `access.promoterIds` is a list, they apply only to resources whose promoter
//!   is in that list; `null` or an absent `access` means every promoter, and an empty list
//!   means none (the empty-list reading is our assumption).
//! - `isOwner: true` is read as holding `*` within the membership's team and promoter limit
//!   (our assumption).
//! - A top-level `isAdmin: true` is read as holding `*` on every resource of every team (our
//!   assumption). Deny nodes still win over it.
//!
//! # Answers are hints
//!
//! Roles (`roleIds`) may carry nodes that `/users/me` does not list, so [`check`] never says
//! "no" just because nothing is listed. It answers a [`Hint`]: `Allowed`, `Denied`,
//! `NotListed`, or `Unknown` when a listed node would decide it but the resource lacks an id
//! needed to tell whether the node applies. A resource whose team is `None` makes every
//! membership's nodes "might apply", so the answer is `Unknown`, never `Allowed` (unless
//! `isAdmin`); the same goes for a targeted node whose kind of id the resource leaves `None`
//! (a `tkt_` node when asking about a whole event, too: "every ticket of this event?" cannot
//! be confirmed). The real answer is always the server's 200 or 403.

use std::fmt;

/// One parsed permission node, e.g. `ticket.scan`, `-ticket.scan.evt_…`, `ticket.*`, `*`.
///
/// [`Node::parse`] accepts exactly the contract's pattern; `Display` gives the text back.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Node {
    text: String,
    deny: bool,
    /// The dotted words before the suffix; empty only for `*` / `-*`.
    path: String,
    suffix: Suffix,
}

/// What follows a node's path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Suffix {
    /// No suffix: the action `path` and below, on every resource, not bypass.
    None,
    /// `.*` (or `*` alone): `path` and below, every target, bypass included.
    Wildcard,
    /// `.bypass`: the bypass of `path` and below.
    Bypass,
    /// `.<prefix>_<26>`: like [`Suffix::None`], on the resource carrying this id only.
    Target(String),
}

/// A permission node that does not match the contract's pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeError {
    text: String,
    reason: &'static str,
}

impl NodeError {
    /// The rejected text, as given.
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for NodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "malformed permission node {:?}: {}",
            self.text, self.reason
        )
    }
}

impl std::error::Error for NodeError {}

impl Node {
    /// Parses one node; accepts exactly what the contract's pattern accepts.
    pub fn parse(text: &str) -> Result<Node, NodeError> {
        let err = |reason| NodeError {
            text: text.to_string(),
            reason,
        };
        let (deny, body) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        if body.is_empty() {
            return Err(err("empty node"));
        }
        if body == "*" {
            return Ok(Node {
                text: text.to_string(),
                deny,
                path: String::new(),
                suffix: Suffix::Wildcard,
            });
        }
        let (path, suffix) = match body.rsplit_once('.') {
            Some((head, "*")) => (head, Suffix::Wildcard),
            Some((head, "bypass")) => (head, Suffix::Bypass),
            Some((head, last)) if is_target(last) => (head, Suffix::Target(last.to_string())),
            _ => (body, Suffix::None),
        };
        if !path.split('.').all(is_word) {
            return Err(err(
                "expected dot-separated lowercase words, then optionally `.*`, `.bypass` or `.<prefix>_<26 chars>`",
            ));
        }
        Ok(Node {
            text: text.to_string(),
            deny,
            path: path.to_string(),
            suffix,
        })
    }

    /// True for a deny node (leading `-`).
    pub fn is_deny(&self) -> bool {
        self.deny
    }

    /// Whether this node, ignoring its target and whose membership it is, covers `action`.
    fn covers(&self, action: &Action<'_>) -> bool {
        let under = self.path.is_empty() || is_at_or_below(action.path, &self.path);
        under
            && match self.suffix {
                Suffix::Wildcard => true,
                Suffix::Bypass => action.bypass,
                Suffix::None | Suffix::Target(_) => !action.bypass,
            }
    }

    /// Whether this node's target matches `resource` (an untargeted node matches any).
    fn target_matches(&self, resource: &Resource<'_>) -> Tri {
        let Suffix::Target(id) = &self.suffix else {
            return Tri::Yes;
        };
        let field = match id.split_once('_').map(|(prefix, _)| prefix) {
            Some("evt") => resource.event_id,
            Some("tem") => resource.team_id,
            Some("pmt") => resource.promoter_id,
            Some("ven") => resource.venue_id,
            Some("ord") => resource.order_id,
            Some("tkt") => resource.ticket_id,
            // Assumption: a kind of id the resource has no field for matches only when the
            // caller lists it; it is never "might apply".
            _ => return Tri::from(resource.other_ids.contains(&id.as_str())),
        };
        match field {
            Some(value) => Tri::from(value == id),
            None => Tri::Maybe,
        }
    }

    /// True when every action this node covers is one a door needs (see [`beyond_scanning`]).
    fn within_door(&self) -> bool {
        DOOR_ACTIONS
            .iter()
            .any(|door| is_at_or_below(&self.path, door))
    }
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::str::FromStr for Node {
    type Err = NodeError;

    fn from_str(s: &str) -> Result<Node, NodeError> {
        Node::parse(s)
    }
}

/// `[a-z][a-z0-9-]*`.
fn is_word(s: &str) -> bool {
    let mut bytes = s.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `[a-z]{3}_[0-9a-z]{26}`.
fn is_target(s: &str) -> bool {
    match s.split_once('_') {
        Some((prefix, body)) => {
            prefix.len() == 3
                && prefix.bytes().all(|b| b.is_ascii_lowercase())
                && body.len() == crate::ids::BODY_LEN
                && body.bytes().all(crate::ids::is_body_byte)
        }
        None => false,
    }
}

/// Whole-word prefix: `ticket.scan.x` is at or below `ticket.scan`; `ticket.readers` is not
/// below `ticket.read`.
fn is_at_or_below(path: &str, ancestor: &str) -> bool {
    path.strip_prefix(ancestor)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// An action a request needs: a plain path, possibly ending in `.bypass`.
struct Action<'a> {
    path: &'a str,
    bypass: bool,
}

impl<'a> Action<'a> {
    /// `None` for text that is not a plain action (a deny, a wildcard, a target, bad words).
    fn parse(text: &'a str) -> Option<Action<'a>> {
        let node = Node::parse(text).ok()?;
        if node.deny {
            return None;
        }
        let bypass = match node.suffix {
            Suffix::None => false,
            Suffix::Bypass => true,
            Suffix::Wildcard | Suffix::Target(_) => return None,
        };
        // Borrow the path from `text` rather than the parsed node.
        let path = text.get(..node.path.len())?;
        Some(Action { path, bypass })
    }
}

/// Three-way "does it apply": yes, no, or the resource does not say enough to tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tri {
    No,
    Maybe,
    Yes,
}

impl Tri {
    fn and(self, other: Tri) -> Tri {
        self.min(other)
    }
}

impl From<bool> for Tri {
    fn from(b: bool) -> Tri {
        if b {
            Tri::Yes
        } else {
            Tri::No
        }
    }
}

/// What a request acts on, as far as the caller knows it. `None` means "not known", and
/// makes a node that depends on that id "might apply" ([`Hint::Unknown`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Resource<'a> {
    /// The owning team (`tem_…`): decides which memberships' nodes apply.
    pub team_id: Option<&'a str>,
    /// The promoter (`pmt_…`): for `pmt_` targets and promoter-limited memberships.
    pub promoter_id: Option<&'a str>,
    /// The venue (`ven_…`).
    pub venue_id: Option<&'a str>,
    /// The event (`evt_…`).
    pub event_id: Option<&'a str>,
    /// The order (`ord_…`).
    pub order_id: Option<&'a str>,
    /// The ticket (`tkt_…`).
    pub ticket_id: Option<&'a str>,
    /// Any other ids the resource carries (`adm_…`, `sct_…`): a node targeting one of these
    /// matches only when it is listed here.
    pub other_ids: &'a [&'a str],
}

/// One membership's permissions: its team, its promoter limit, its owner flag and its
/// parsed nodes. A flat node list with a known team (a simulator token) is one `Grants` too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grants {
    team_id: String,
    /// `Some` when `access.promoterIds` is a list: the only promoters the nodes apply to.
    promoter_ids: Option<Vec<String>>,
    is_owner: bool,
    nodes: Vec<Node>,
    malformed: Vec<String>,
}

impl Grants {
    /// One membership of `/users/me`: `teamId`, `permissions` (absent = `&[]`), `isOwner`
    /// and `access.promoterIds` (`None` when `access` or the list is absent or `null`).
    pub fn new(
        team_id: &str,
        nodes: &[impl AsRef<str>],
        is_owner: bool,
        promoter_ids: Option<&[String]>,
    ) -> Grants {
        let mut parsed = Vec::with_capacity(nodes.len());
        let mut malformed = Vec::new();
        for text in nodes {
            match Node::parse(text.as_ref()) {
                Ok(node) => parsed.push(node),
                Err(e) => malformed.push(e.text),
            }
        }
        Grants {
            team_id: team_id.to_string(),
            promoter_ids: promoter_ids.map(<[String]>::to_vec),
            is_owner,
            nodes: parsed,
            malformed,
        }
    }

    /// The team these nodes apply within.
    pub fn team_id(&self) -> &str {
        &self.team_id
    }

    /// The well-formed nodes, in the order given.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The nodes that failed the grammar, as given: they grant and deny nothing.
    pub fn malformed(&self) -> &[String] {
        &self.malformed
    }

    /// Whether this membership grants `action` on at least one resource it could apply to:
    /// an owner, or a grant node covering it (any target) that no untargeted deny node of
    /// this membership takes back. For "may this token list any tickets at all?".
    /// `false` for a text that is not a plain action.
    pub fn grants_somewhere(&self, action: &str) -> bool {
        let Some(action) = Action::parse(action) else {
            return false;
        };
        if self.promoter_ids.as_ref().is_some_and(Vec::is_empty) {
            return false;
        }
        let denied_everywhere = self
            .nodes
            .iter()
            .any(|n| n.deny && !matches!(n.suffix, Suffix::Target(_)) && n.covers(&action));
        !denied_everywhere
            && (self.is_owner || self.nodes.iter().any(|n| !n.deny && n.covers(&action)))
    }

    /// Whether this membership's nodes apply to `resource` at all (team, then promoter limit).
    fn applies_to(&self, resource: &Resource<'_>) -> Tri {
        let team = match resource.team_id {
            Some(team) => Tri::from(team == self.team_id),
            None => Tri::Maybe,
        };
        let promoter = match (&self.promoter_ids, resource.promoter_id) {
            (None, _) => Tri::Yes,
            (Some(list), _) if list.is_empty() => Tri::No,
            (Some(list), Some(p)) => Tri::from(list.iter().any(|x| x == p)),
            (Some(_), None) => Tri::Maybe,
        };
        team.and(promoter)
    }
}

/// What the listed permissions say about one request. Only a hint: roles may grant more
/// than `/users/me` lists, and the server's 200 or 403 is the real answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hint {
    /// A listed grant (or `isOwner` / `isAdmin`) covers it, and no deny node can apply.
    Allowed,
    /// A deny node covers it; deny wins over every grant.
    Denied,
    /// Nothing listed covers it; a role may still grant it.
    NotListed,
    /// A listed node would decide it, but the resource lacks an id (its team, promoter, or a
    /// target's) needed to tell whether that node applies.
    Unknown,
}

/// Whether the listed permissions let a token do `action` (`ticket.scan`, `ticket.read`,
/// `ticket.scan.bypass`, …) on `resource`. `is_admin` is `/users/me`'s `isAdmin`.
///
/// Deny first: a deny that surely applies gives [`Hint::Denied`], one that might gives
/// [`Hint::Unknown`]. Then grants: one that surely applies gives [`Hint::Allowed`], one that
/// might gives [`Hint::Unknown`]. Otherwise [`Hint::NotListed`], which is also the answer
/// for an `action` that is not a plain action (`*`, `ticket.*`, `-x`, a target, bad words).
pub fn check(
    is_admin: bool,
    memberships: &[Grants],
    action: &str,
    resource: &Resource<'_>,
) -> Hint {
    let Some(action) = Action::parse(action) else {
        return Hint::NotListed;
    };
    let mut grant = Tri::from(is_admin);
    let mut deny = Tri::No;
    for membership in memberships {
        let scope = membership.applies_to(resource);
        if scope == Tri::No {
            continue;
        }
        if membership.is_owner {
            grant = grant.max(scope);
        }
        for node in membership.nodes.iter().filter(|n| n.covers(&action)) {
            let applies = scope.and(node.target_matches(resource));
            if node.deny {
                deny = deny.max(applies);
            } else {
                grant = grant.max(applies);
            }
        }
    }
    match (deny, grant) {
        (Tri::Yes, _) => Hint::Denied,
        (Tri::Maybe, _) | (Tri::No, Tri::Maybe) => Hint::Unknown,
        (Tri::No, Tri::Yes) => Hint::Allowed,
        (Tri::No, Tri::No) => Hint::NotListed,
    }
}

/// The actions a door needs; these and the actions below them are "scanning".
const DOOR_ACTIONS: &[&str] = &["ticket.scan", "ticket.read", "event.read"];

/// The grant nodes that cover some action a door does not need, as given. A door needs
/// `ticket.scan`, `ticket.read` and `event.read` and what lies below them, on any target
/// (their wildcards and bypasses included: `ticket.scan.*` is "scan on any target"). So `*`,
/// `event.*`, `ticket.*` (it covers `ticket.update`, `ticket.refund`, …) and `order.refund`
/// are beyond scanning; `ticket.scan`, `ticket.scan.*`, `ticket.read.evt_…` and `event.read`
/// are not. Deny nodes and malformed nodes never are. (`isOwner` / `isAdmin`
/// are not nodes: a caller warns about them itself.)
pub fn beyond_scanning(nodes: &[impl AsRef<str>]) -> Vec<String> {
    nodes
        .iter()
        .map(AsRef::as_ref)
        .filter(|text| Node::parse(text).is_ok_and(|node| !node.deny && !node.within_door()))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEAM: &str = "tem_01jps5cgsg0s32w2pr73vbcte1";
    const OTHER_TEAM: &str = "tem_01jps5cgsg0s32w2pr73vbcte2";
    const PROMOTER: &str = "pmt_01jps5cgsg0s32w2pr73vbcpm1";
    const OTHER_PROMOTER: &str = "pmt_01jps5cgsg0s32w2pr73vbcpm2";
    const VENUE: &str = "ven_01jps5cgsg0s32w2pr73vbcve1";
    const OTHER_VENUE: &str = "ven_01jps5cgsg0s32w2pr73vbcve2";
    const EVENT: &str = "evt_01jps5cgsg0s32w2pr73vbcev1";
    const OTHER_EVENT: &str = "evt_01jps5cgsg0s32w2pr73vbcev2";
    const ORDER: &str = "ord_01jps5cgsg0s32w2pr73vbcor1";
    const OTHER_ORDER: &str = "ord_01jps5cgsg0s32w2pr73vbcor2";
    const TICKET: &str = "tkt_01jps5cgsg0s32w2pr73vbctk1";
    const OTHER_TICKET: &str = "tkt_01jps5cgsg0s32w2pr73vbctk2";
    const ADMISSION: &str = "adm_01jps5cgsg0s32w2pr73vbcad1";

    /// A ticket of EVENT, fully known.
    fn ticket() -> Resource<'static> {
        Resource {
            team_id: Some(TEAM),
            promoter_id: Some(PROMOTER),
            venue_id: Some(VENUE),
            event_id: Some(EVENT),
            order_id: Some(ORDER),
            ticket_id: Some(TICKET),
            other_ids: &[],
        }
    }

    /// The same ticket, at OTHER_EVENT (everything else alike).
    fn ticket_at_other_event() -> Resource<'static> {
        Resource {
            event_id: Some(OTHER_EVENT),
            ..ticket()
        }
    }

    fn team(nodes: &[&str]) -> Vec<Grants> {
        vec![Grants::new(TEAM, nodes, false, None)]
    }

    fn hint(nodes: &[&str], action: &str, resource: &Resource<'_>) -> Hint {
        check(false, &team(nodes), action, resource)
    }

    fn node(prefix_dot_id: &str) -> String {
        format!("ticket.scan.{prefix_dot_id}")
    }

    #[test]
    fn test_ids_are_valid_ids() {
        for (prefix, id) in [
            ("tem", TEAM),
            ("tem", OTHER_TEAM),
            ("pmt", PROMOTER),
            ("pmt", OTHER_PROMOTER),
            ("ven", VENUE),
            ("ven", OTHER_VENUE),
            ("evt", EVENT),
            ("evt", OTHER_EVENT),
            ("ord", ORDER),
            ("ord", OTHER_ORDER),
            ("tkt", TICKET),
            ("tkt", OTHER_TICKET),
            ("adm", ADMISSION),
        ] {
            assert!(crate::ids::is_id(prefix, id), "{id}");
        }
    }

    #[test]
    fn parse_accepts_exactly_the_contract_grammar() {
        for ok in [
            "*",
            "-*",
            "ticket",
            "ticket.scan",
            "-ticket.scan",
            "ticket.*",
            "ticket.scan.*",
            "ticket.scan.bypass",
            "bypass",
            "a.bypass.b",
            "team-perf.x1-y",
            &node(EVENT),
            &format!("-{}", node(ADMISSION)),
            &format!("ticket.{TEAM}"),
        ] {
            let parsed = Node::parse(ok);
            assert!(parsed.is_ok(), "{ok}: {parsed:?}");
            assert_eq!(parsed.map(|n| n.to_string()).as_deref(), Ok(ok));
        }
        for bad in [
            "",
            "-",
            "--ticket",
            "*.*",
            ".ticket",
            "ticket.",
            "ticket..scan",
            "ticket.*.scan",
            "Ticket.scan",
            "ticket.scan ",
            "1ticket",
            "ticket.-scan",
            "ticket_scan",
            "*ticket",
            "ticket*",
            "evt_01jps5cgsg0s32w2pr73vbcev1",
            "ticket.scan.evt_01jps5cgsg0s32w2pr73vbcev",
            "ticket.scan.evt_01jps5cgsg0s32w2pr73vbcev1x",
            "ticket.scan.evt_01JPS5CGSG0S32W2PR73VBCEV1",
            "ticket.scan.ev_001jps5cgsg0s32w2pr73vbcev1",
            "ticket.scan.evt_01jps5cgsg0s32w2pr73vbcev1.*",
            "ticket.scan.bypass.*.x",
            "ticket.scan.*.bypass",
        ] {
            let err = Node::parse(bad);
            assert!(err.is_err(), "{bad:?} parsed as {err:?}");
        }
    }

    #[test]
    fn node_error_names_the_text() {
        let err = Node::parse("Ticket.scan").err();
        assert_eq!(err.as_ref().map(NodeError::text), Some("Ticket.scan"));
        let shown = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(shown.contains("\"Ticket.scan\""), "{shown}");
    }

    #[test]
    fn deny_node_wins_over_a_wildcard_grant() {
        assert_eq!(
            hint(&["*", "-ticket.scan"], "ticket.scan", &ticket()),
            Hint::Denied
        );
        assert_eq!(
            hint(&["ticket.*", "-ticket.scan"], "ticket.read", &ticket()),
            Hint::Allowed
        );
        // Order does not matter, and a deny in another membership of the same team counts.
        let memberships = vec![
            Grants::new(TEAM, &["-ticket.*"], false, None),
            Grants::new(TEAM, &["*"], true, None),
        ];
        assert_eq!(
            check(true, &memberships, "ticket.scan", &ticket()),
            Hint::Denied
        );
    }

    #[test]
    fn wildcard_at_depth_covers_every_target() {
        for grant in ["*", "ticket.*", "ticket.scan.*"] {
            for resource in [ticket(), ticket_at_other_event()] {
                assert_eq!(
                    hint(&[grant], "ticket.scan", &resource),
                    Hint::Allowed,
                    "{grant}"
                );
            }
            assert_eq!(
                hint(&[grant], "ticket.scan.bypass", &ticket()),
                Hint::Allowed,
                "{grant}"
            );
        }
        assert_eq!(
            hint(&["ticket.*"], "ticket.scan.deep.er", &ticket()),
            Hint::Allowed
        );
        assert_eq!(hint(&["ticket.*"], "ticket", &ticket()), Hint::Allowed);
        assert_eq!(
            hint(&["ticket.*"], "event.read", &ticket()),
            Hint::NotListed
        );
        assert_eq!(
            hint(&["ticket.scan.*"], "ticket.read", &ticket()),
            Hint::NotListed
        );
    }

    #[test]
    fn plain_node_covers_every_target_and_actions_below_it() {
        for resource in [ticket(), ticket_at_other_event()] {
            assert_eq!(
                hint(&["ticket.scan"], "ticket.scan", &resource),
                Hint::Allowed
            );
        }
        assert_eq!(
            hint(&["ticket.scan"], "ticket.scan.x", &ticket()),
            Hint::Allowed
        );
        assert_eq!(hint(&["ticket.scan"], "ticket", &ticket()), Hint::NotListed);
        assert_eq!(
            hint(&["ticket.scan"], "ticket.read", &ticket()),
            Hint::NotListed
        );
    }

    #[test]
    fn dot_boundary_prefix_does_not_match_a_longer_word() {
        assert_eq!(
            hint(&["ticket.read"], "ticket.readers", &ticket()),
            Hint::NotListed
        );
        assert_eq!(hint(&["tick.*"], "ticket.scan", &ticket()), Hint::NotListed);
        assert_eq!(
            hint(&["ticket.sc"], "ticket.scan", &ticket()),
            Hint::NotListed
        );
        assert_eq!(
            hint(
                &["ticket.scan", "-ticket.read"],
                "ticket.readers",
                &ticket()
            ),
            Hint::NotListed
        );
    }

    #[test]
    fn bypass_is_its_own_action() {
        let bypass = ["ticket.scan.bypass"];
        assert_eq!(
            hint(&bypass, "ticket.scan.bypass", &ticket()),
            Hint::Allowed
        );
        assert_eq!(hint(&bypass, "ticket.scan", &ticket()), Hint::NotListed);
        // Plain and targeted grants do not carry a bypass; wildcards do (see above).
        assert_eq!(
            hint(&["ticket.scan"], "ticket.scan.bypass", &ticket()),
            Hint::NotListed
        );
        assert_eq!(
            hint(&[&node(EVENT)], "ticket.scan.bypass", &ticket()),
            Hint::NotListed
        );
        // Denying the scan does not deny the bypass, and the other way round.
        assert_eq!(
            hint(
                &["ticket.*", "-ticket.scan.bypass"],
                "ticket.scan",
                &ticket()
            ),
            Hint::Allowed
        );
        assert_eq!(
            hint(
                &["ticket.*", "-ticket.scan.bypass"],
                "ticket.scan.bypass",
                &ticket()
            ),
            Hint::Denied
        );
    }

    #[test]
    fn event_targeted_node_covers_only_that_event() {
        let n = node(EVENT);
        assert_eq!(hint(&[&n], "ticket.scan", &ticket()), Hint::Allowed);
        assert_eq!(
            hint(&[&n], "ticket.scan", &ticket_at_other_event()),
            Hint::NotListed
        );
        assert_eq!(hint(&[&n], "ticket.read", &ticket()), Hint::NotListed);
    }

    #[test]
    fn targeted_deny_only_denies_that_event() {
        let nodes = ["ticket.scan".to_string(), format!("-{}", node(EVENT))];
        let memberships = vec![Grants::new(TEAM, &nodes, false, None)];
        assert_eq!(
            check(false, &memberships, "ticket.scan", &ticket()),
            Hint::Denied
        );
        assert_eq!(
            check(false, &memberships, "ticket.scan", &ticket_at_other_event()),
            Hint::Allowed
        );
    }

    #[test]
    fn team_targeted_node_covers_only_that_teams_events() {
        let n = node(TEAM);
        let own = Resource {
            team_id: Some(TEAM),
            event_id: Some(EVENT),
            ..Resource::default()
        };
        let other = Resource {
            team_id: Some(OTHER_TEAM),
            event_id: Some(OTHER_EVENT),
            ..Resource::default()
        };
        // Held in a membership of each team, the node still only covers TEAM's events.
        let memberships = vec![
            Grants::new(TEAM, &[&n], false, None),
            Grants::new(OTHER_TEAM, &[&n], false, None),
        ];
        assert_eq!(
            check(false, &memberships, "ticket.scan", &own),
            Hint::Allowed
        );
        assert_eq!(
            check(false, &memberships, "ticket.scan", &other),
            Hint::NotListed
        );
    }

    #[test]
    fn promoter_targeted_node_covers_only_that_promoters_events() {
        let n = node(PROMOTER);
        assert_eq!(hint(&[&n], "ticket.scan", &ticket()), Hint::Allowed);
        let other = Resource {
            promoter_id: Some(OTHER_PROMOTER),
            ..ticket()
        };
        assert_eq!(hint(&[&n], "ticket.scan", &other), Hint::NotListed);
    }

    #[test]
    fn venue_targeted_node_covers_only_that_venues_events() {
        let n = node(VENUE);
        assert_eq!(hint(&[&n], "ticket.scan", &ticket()), Hint::Allowed);
        let other = Resource {
            venue_id: Some(OTHER_VENUE),
            ..ticket()
        };
        assert_eq!(hint(&[&n], "ticket.scan", &other), Hint::NotListed);
    }

    #[test]
    fn order_targeted_node_covers_only_that_orders_tickets() {
        let n = node(ORDER);
        assert_eq!(hint(&[&n], "ticket.scan", &ticket()), Hint::Allowed);
        let other = Resource {
            order_id: Some(OTHER_ORDER),
            ..ticket()
        };
        assert_eq!(hint(&[&n], "ticket.scan", &other), Hint::NotListed);
    }

    #[test]
    fn ticket_targeted_node_covers_only_that_ticket() {
        let n = node(TICKET);
        assert_eq!(hint(&[&n], "ticket.scan", &ticket()), Hint::Allowed);
        let other = Resource {
            ticket_id: Some(OTHER_TICKET),
            ..ticket()
        };
        assert_eq!(hint(&[&n], "ticket.scan", &other), Hint::NotListed);
    }

    #[test]
    fn other_prefixes_match_only_listed_other_ids() {
        let n = node(ADMISSION);
        assert_eq!(hint(&[&n], "ticket.scan", &ticket()), Hint::NotListed);
        let in_admission = Resource {
            other_ids: &[ADMISSION],
            ..ticket()
        };
        assert_eq!(hint(&[&n], "ticket.scan", &in_admission), Hint::Allowed);
    }

    #[test]
    fn target_the_resource_does_not_name_is_unknown() {
        let event_only = Resource {
            team_id: Some(TEAM),
            event_id: Some(EVENT),
            ..Resource::default()
        };
        assert_eq!(
            hint(&[&node(PROMOTER)], "ticket.scan", &event_only),
            Hint::Unknown
        );
        assert_eq!(
            hint(
                &["ticket.scan", &format!("-{}", node(TICKET))],
                "ticket.scan",
                &event_only
            ),
            Hint::Unknown
        );
        // A target the resource does name and contradicts decides it regardless.
        assert_eq!(
            hint(&[&node(OTHER_EVENT)], "ticket.scan", &event_only),
            Hint::NotListed
        );
    }

    #[test]
    fn membership_nodes_do_not_apply_outside_its_team() {
        let memberships = vec![Grants::new(OTHER_TEAM, &["*"], true, None)];
        assert_eq!(
            check(false, &memberships, "ticket.scan", &ticket()),
            Hint::NotListed
        );
        // A deny of another team does not reach this team's grant either.
        let memberships = vec![
            Grants::new(TEAM, &["ticket.scan"], false, None),
            Grants::new(OTHER_TEAM, &["-*"], false, None),
        ];
        assert_eq!(
            check(false, &memberships, "ticket.scan", &ticket()),
            Hint::Allowed
        );
    }

    #[test]
    fn promoter_restricted_membership_ignores_other_promoters() {
        let limit = [PROMOTER.to_string()];
        let memberships = vec![Grants::new(TEAM, &["ticket.scan"], false, Some(&limit))];
        assert_eq!(
            check(false, &memberships, "ticket.scan", &ticket()),
            Hint::Allowed
        );
        let other = Resource {
            promoter_id: Some(OTHER_PROMOTER),
            ..ticket()
        };
        assert_eq!(
            check(false, &memberships, "ticket.scan", &other),
            Hint::NotListed
        );
        let promoter_unknown = Resource {
            promoter_id: None,
            ..ticket()
        };
        assert_eq!(
            check(false, &memberships, "ticket.scan", &promoter_unknown),
            Hint::Unknown
        );
        // An empty list limits the membership to no promoter at all.
        let none = vec![Grants::new(TEAM, &["ticket.scan"], true, Some(&[]))];
        assert_eq!(
            check(false, &none, "ticket.scan", &ticket()),
            Hint::NotListed
        );
    }

    #[test]
    fn unknown_team_cannot_be_confirmed() {
        let unknown_team = Resource {
            team_id: None,
            ..ticket()
        };
        assert_eq!(
            hint(&["ticket.scan"], "ticket.scan", &unknown_team),
            Hint::Unknown
        );
        assert_eq!(
            hint(&["-ticket.scan"], "ticket.scan", &unknown_team),
            Hint::Unknown
        );
        assert_eq!(
            hint(&["event.read"], "ticket.scan", &unknown_team),
            Hint::NotListed
        );
        // isAdmin holds everything everywhere, so it needs no team.
        assert_eq!(
            check(true, &team(&["event.read"]), "ticket.scan", &unknown_team),
            Hint::Allowed
        );
    }

    #[test]
    fn owner_holds_everything_within_its_team() {
        let owner = vec![Grants::new(TEAM, &[] as &[&str], true, None)];
        assert_eq!(
            check(false, &owner, "ticket.refund", &ticket()),
            Hint::Allowed
        );
        let elsewhere = Resource {
            team_id: Some(OTHER_TEAM),
            ..ticket()
        };
        assert_eq!(
            check(false, &owner, "ticket.scan", &elsewhere),
            Hint::NotListed
        );
    }

    #[test]
    fn admin_holds_everything_but_a_deny_still_wins() {
        assert_eq!(check(true, &[], "order.refund", &ticket()), Hint::Allowed);
        assert_eq!(
            check(true, &team(&["-ticket.scan"]), "ticket.scan", &ticket()),
            Hint::Denied
        );
    }

    #[test]
    fn nothing_listed_is_not_listed() {
        assert_eq!(check(false, &[], "ticket.scan", &ticket()), Hint::NotListed);
        assert_eq!(
            hint(&["event.read"], "ticket.scan", &ticket()),
            Hint::NotListed
        );
    }

    #[test]
    fn an_action_that_is_not_plain_is_never_covered() {
        for action in [
            "*",
            "ticket.*",
            "-ticket.scan",
            "",
            "Ticket.scan",
            &node(EVENT),
        ] {
            assert_eq!(
                check(true, &team(&["*"]), action, &ticket()),
                Hint::NotListed
            );
        }
    }

    #[test]
    fn malformed_node_is_ignored_and_reported() {
        let nodes = ["ticket.scan", "Ticket.read", "ticket.*.scan", "-bad_node"];
        let grants = Grants::new(TEAM, &nodes, false, None);
        assert_eq!(
            grants.malformed(),
            ["Ticket.read", "ticket.*.scan", "-bad_node"]
        );
        assert_eq!(grants.nodes().len(), 1);
        assert_eq!(
            check(false, &[grants], "ticket.read", &ticket()),
            Hint::NotListed
        );
        // A malformed deny denies nothing; a malformed node is never "beyond scanning".
        assert_eq!(
            hint(&["ticket.scan", "-Ticket.scan"], "ticket.scan", &ticket()),
            Hint::Allowed
        );
        assert!(beyond_scanning(&["Ticket.*", "*.*"]).is_empty());
    }

    #[test]
    fn grants_somewhere_sees_targeted_grants_and_untargeted_denies() {
        let g = |nodes: &[&str]| Grants::new(TEAM, nodes, false, None);
        assert!(g(&[&node(EVENT)]).grants_somewhere("ticket.scan"));
        assert!(g(&["ticket.*"]).grants_somewhere("ticket.read"));
        assert!(!g(&[&node(EVENT)]).grants_somewhere("ticket.read"));
        assert!(!g(&["ticket.scan", "-ticket.*"]).grants_somewhere("ticket.scan"));
        assert!(g(&["ticket.scan", &format!("-{}", node(EVENT))]).grants_somewhere("ticket.scan"));
        assert!(Grants::new(TEAM, &[] as &[&str], true, None).grants_somewhere("ticket.read"));
        assert!(!g(&["ticket.scan"]).grants_somewhere("ticket.*"));
    }

    #[test]
    fn star_and_event_wildcard_are_beyond_scanning() {
        let nodes = [
            "*",
            "event.*",
            "ticket.*",
            "order.refund",
            "finance.payout.read",
            "ticket.update",
            "ticket",
        ];
        assert_eq!(beyond_scanning(&nodes), nodes);
    }

    #[test]
    fn scan_and_read_nodes_are_not_beyond_scanning() {
        let read_one_event = format!("ticket.read.{EVENT}");
        let scan_one_team = node(TEAM);
        let nodes = [
            "ticket.scan",
            read_one_event.as_str(),
            "event.read",
            scan_one_team.as_str(),
            "ticket.scan.sub-action",
            "ticket.scan.*",
            "ticket.scan.bypass",
            "-*",
            "-ticket.*",
        ];
        assert!(beyond_scanning(&nodes).is_empty());
        assert_eq!(
            beyond_scanning(&["ticket.scan", "ticket.readers"]),
            ["ticket.readers"]
        );
    }
}
