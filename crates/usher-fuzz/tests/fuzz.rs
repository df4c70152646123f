//! The fuzz targets. Each test is a short, seeded run (seconds) of one target, so CI runs
//! them all; `scripts/fuzz SECONDS` runs each for minutes (`USHER_FUZZ_SECS`) and prints
//! its iterations and crashes. The engine and its choice: `usher_fuzz` (src/lib.rs).
//!
//! Crashes found are kept at the end of this file as regression tests named for the
//! behaviour they pin.

use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::Value;
use session_api::{
    AttendeeIndex, AttendeePage, CheckInResponse, EventEnvelope, EventPage, MeResponse, TicketPage,
};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use usher_core::code::{self, KeyKind, NotATicketCode, TicketKey, MAX_PAYLOAD_BYTES};
use usher_fuzz::{fuzz, json};
use usher_sync::client::{read_answer, MAX_RETRY_AFTER};
use usher_sync::Failure;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

// ------------------------------------------------------------------ the payload parser

/// Scanned text: any bytes, or text built around an id (in any case, at or off a boundary,
/// too short or too long, inside URLs and multi-byte characters).
fn payload() -> impl Strategy<Value = Vec<u8>> {
    let body = prop::collection::vec(
        prop_oneof![
            8 => prop::sample::select(session_api::ids::CROCKFORD.to_vec()),
            1 => prop::sample::select(b"ILOUilou_-ABCXYZ".to_vec()),
        ],
        24..29,
    );
    let prefix = prop_oneof![
        Just(b"tkt_".to_vec()),
        Just(b"ord_".to_vec()),
        Just(b"TKT_".to_vec()),
        Just(b"Ord_".to_vec()),
        Just(b"evt_".to_vec()),
        Just(b"tkt".to_vec()),
    ];
    let filler = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..40),
        "\\PC{0,20}".prop_map(String::into_bytes),
        Just(b"https://tickets.example/t/".to_vec()),
        Just(b"\xe2\x80\xae".to_vec()),
        Just(b" \t\r\n".to_vec()),
    ];
    let planted = (filler.clone(), prefix, body, filler).prop_map(|(a, p, b, c)| {
        let mut v = a;
        v.extend(p);
        v.extend(b);
        v.extend(c);
        v
    });
    prop_oneof![
        3 => prop::collection::vec(any::<u8>(), 0..200),
        1 => prop::collection::vec(any::<u8>(), MAX_PAYLOAD_BYTES - 2..MAX_PAYLOAD_BYTES + 3),
        1 => prop::collection::vec(prop::sample::select(b" \t\r\n".to_vec()), 0..10),
        6 => planted.clone(),
        2 => prop::collection::vec(planted, 1..4).prop_map(|v| v.concat()),
    ]
}

/// A valid id, lower-case, of either kind.
fn id() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["tkt_", "ord_"]),
        prop::collection::vec(
            prop::sample::select(session_api::ids::CROCKFORD.to_vec()),
            26,
        ),
    )
        .prop_map(|(p, b)| format!("{p}{}", String::from_utf8(b).unwrap()))
}

fn check_payload(p: &[u8]) -> Result<(), TestCaseError> {
    match code::parse(p) {
        Ok(key) => {
            let id = key.as_str();
            prop_assert!(p.len() <= MAX_PAYLOAD_BYTES);
            prop_assert_eq!(id.len(), 30);
            let prefix = match key.kind() {
                KeyKind::Ticket => "tkt_",
                KeyKind::Order => "ord_",
            };
            prop_assert!(id.starts_with(prefix), "{id} is not a {prefix} id");
            prop_assert!(session_api::ids::is_id(&id[..3], id), "{id} is not an id");
            // It is in the scanned text, in some case, and ends at a boundary there.
            let at = p
                .windows(30)
                .position(|w| w.eq_ignore_ascii_case(id.as_bytes()));
            prop_assert!(at.is_some(), "{id} is not in the payload");
            let after = p.get(at.unwrap() + 30);
            prop_assert!(after.is_none_or(|b| !b.is_ascii_alphanumeric()));
            // The id alone parses to itself.
            let again = TicketKey::try_from(id.to_string());
            prop_assert_eq!(again.as_ref(), Ok(&key));
        }
        Err(e) => {
            prop_assert!(!e.to_string().is_empty());
            match e {
                NotATicketCode::TooLong(n) => {
                    prop_assert_eq!(n, p.len());
                    prop_assert!(n > MAX_PAYLOAD_BYTES);
                }
                NotATicketCode::Empty => {
                    prop_assert!(p.iter().all(u8::is_ascii_whitespace))
                }
                NotATicketCode::NoTicketId => prop_assert!(p.len() <= MAX_PAYLOAD_BYTES),
            }
        }
    }
    // The preview staff read: bounded, nothing hidden or control.
    for max in [0, 1, 40, 200] {
        let shown = code::preview(p, max);
        prop_assert!(shown.chars().count() <= max * 10 + 1, "{shown:?}");
        prop_assert!(
            !shown.chars().any(|c| c.is_control()
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}'..='\u{200f}' | '\u{feff}')),
            "{shown:?}"
        );
    }
    Ok(())
}

#[test]
fn any_scanned_bytes_give_the_id_they_hold_or_a_clear_refusal() {
    fuzz("parser", 10_000, payload(), |p| check_payload(&p));
}

#[test]
fn an_id_planted_at_a_boundary_in_text_without_letters_is_found_in_any_case() {
    // Around the id: punctuation, spaces and multi-byte characters, never an ASCII letter or
    // digit, so the planted id is the only one and ends at a boundary.
    let around = "[ -/:-@\\[-`{-~¡-ÿ€✓]{0,30}";
    fuzz(
        "parser-planted",
        5_000,
        (around, id(), any::<bool>(), around),
        |(a, id, upper, b)| {
            let shown = if upper { id.to_uppercase() } else { id.clone() };
            let text = format!("{a}{shown}{b}");
            let key = code::parse(text.as_bytes());
            prop_assert_eq!(key.map(|k| k.to_string()), Ok(id), "{:?}", text);
            Ok(())
        },
    );
}

// ------------------------------------------------------------------ the import reader

/// A small real import file (the simulator's generator, 12 tickets).
fn import_seed() -> Value {
    let data = session_sim::Dataset::generate(&session_sim::DatasetSpec {
        tickets: 12,
        ..session_sim::DatasetSpec::default()
    });
    let mut buf = vec![];
    data.write_import_json(0, &mut buf).unwrap();
    serde_json::from_slice(&buf).unwrap()
}

const TENANT: &str = session_sim::demo::TENANT_ID;
const API: &str = "http://127.0.0.1:9";

/// Everything the cache holds, as text: equal before and after a refused import.
fn cache_dump(conn: &rusqlite::Connection) -> String {
    let mut tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    tables.retain(|t| !t.starts_with("sqlite_"));
    let mut out = String::new();
    for t in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                (0..n)
                    .map(|i| r.get::<_, rusqlite::types::Value>(i))
                    .collect::<Result<Vec<_>, _>>()
            })
            .unwrap();
        for row in rows {
            out.push_str(&format!("{t}: {:?}\n", row.unwrap()));
        }
    }
    out
}

#[derive(Debug, Clone)]
enum ImportInput {
    Bytes(Vec<u8>),
    Mutated(json::Mutation),
}

#[test]
fn any_import_file_is_imported_or_refused_in_plain_words_leaving_the_cache_as_it_was() {
    let seed = import_seed();
    let tmp = tempfile::tempdir().unwrap();
    let mut store = usher_core::Store::open(&tmp.path().join("data")).unwrap();
    let now = jiff::Timestamp::now();
    let seed_bytes = serde_json::to_vec(&seed).unwrap();
    usher_core::cache::import(store.conn_mut(), &seed_bytes[..], TENANT, API, now)
        .expect("the seed file imports");
    let state = Mutex::new((store, None::<String>));
    let input = prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..300).prop_map(ImportInput::Bytes),
        6 => json::mutation().prop_map(ImportInput::Mutated),
    ];
    fuzz("import", 400, input, |input| {
        let file = match &input {
            ImportInput::Bytes(b) => b.clone(),
            ImportInput::Mutated(m) => json::apply(&seed, m),
        };
        let mut guard = state.lock().unwrap_or_else(|p| p.into_inner());
        let (store, before) = &mut *guard;
        let dump = before
            .get_or_insert_with(|| cache_dump(store.conn()))
            .clone();
        // Through a reader, as `usher import FILE` and `usher import -` give it.
        let result = usher_core::cache::import(
            store.conn_mut(),
            std::io::Cursor::new(file),
            TENANT,
            API,
            now,
        );
        match result {
            Ok(report) => {
                prop_assert!(usher_session_ids_ok(&report.event_id));
                // The cache changed: the next refusal is compared with this state.
                *before = None;
            }
            Err(e) => {
                prop_assert!(
                    matches!(e, usher_core::Error::Import(_)),
                    "not an import refusal: {e:?}"
                );
                prop_assert_eq!(e.code(), "IMPORT_REFUSED");
                prop_assert!(e.to_string().len() > 10, "{e}");
                let after = cache_dump(store.conn());
                prop_assert!(after == dump, "a refused import changed the cache: {e}");
            }
        }
        Ok(())
    });
}

fn usher_session_ids_ok(event_id: &str) -> bool {
    session_api::ids::is_id("evt", event_id)
}

// ------------------------------------------------------------------ the client's answers

/// The fixtures of the answers the client reads, with what reads them.
const ANSWERS: &[(&str, Reader)] = &[
    ("user.me", read_as::<MeResponse>),
    ("event.get", read_as::<EventEnvelope>),
    ("event.list", read_as::<EventPage>),
    ("ticket.list", read_as::<TicketPage>),
    ("ticket.attendees.list", read_as::<AttendeePage>),
    ("ticket.attendees.index", read_as::<AttendeeIndex>),
    ("ticket.checkInByKey", read_as::<CheckInResponse>),
    ("ticket.checkOutByKey", read_as::<CheckInResponse>),
];

type Reader = fn(u16, Option<&[u8]>, &[u8]) -> Result<(), Failure>;

fn read_as<T: DeserializeOwned>(
    status: u16,
    retry: Option<&[u8]>,
    body: &[u8],
) -> Result<(), Failure> {
    read_answer::<T>(status, retry, body, jiff::Timestamp::now()).map(|_| ())
}

fn fixture(name: &str) -> Value {
    let path = repo().join("tests/fixtures/contract").join(name);
    serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap()
}

#[derive(Debug, Clone)]
enum Body {
    /// Any bytes.
    Bytes(Vec<u8>),
    /// The route's maximal or minimal answer, mutated.
    Answer(bool, json::Mutation),
    /// One of the contract's error bodies, mutated.
    Error(usize, json::Mutation),
}

#[derive(Debug, Clone)]
struct Answer {
    route: usize,
    status: u16,
    retry_after: Option<Vec<u8>>,
    body: Body,
}

fn answer() -> impl Strategy<Value = Answer> {
    let status = prop_oneof![
        6 => Just(200u16),
        4 => prop::sample::select(vec![400u16, 401, 403, 404, 408, 409, 422, 429, 500, 502, 503]),
        1 => 100u16..1000,
    ];
    let retry_after = prop_oneof![
        3 => Just(None),
        1 => "[0-9]{0,30}".prop_map(|s| Some(s.into_bytes())),
        1 => prop::sample::select(vec![
            "Wed, 21 Oct 2015 07:28:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "Mon, 01 Jan 0001 00:00:00 GMT",
            "-1", " 120 ", "1e9", "99999999999999999999999999", "",
        ]).prop_map(|s| Some(s.as_bytes().to_vec())),
        1 => prop::collection::vec(any::<u8>(), 0..40).prop_map(Some),
    ];
    let body = prop_oneof![
        2 => prop::collection::vec(any::<u8>(), 0..200).prop_map(Body::Bytes),
        6 => (any::<bool>(), json::mutation()).prop_map(|(max, m)| Body::Answer(max, m)),
        3 => (any::<usize>(), json::mutation()).prop_map(|(i, m)| Body::Error(i, m)),
    ];
    (0..ANSWERS.len(), status, retry_after, body).prop_map(|(route, status, retry_after, body)| {
        Answer {
            route,
            status,
            retry_after,
            body,
        }
    })
}

#[test]
fn any_answer_to_any_request_is_read_or_is_a_clear_failure_never_a_panic() {
    let answers: Vec<(Value, Value)> = ANSWERS
        .iter()
        .map(|(route, _)| {
            (
                fixture(&format!("{route}.max.json")),
                fixture(&format!("{route}.min.json")),
            )
        })
        .collect();
    let errors: Vec<Value> = std::fs::read_dir(repo().join("tests/fixtures/contract"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains(".error."))
        .map(|n| fixture(&n))
        .collect();
    // The unmutated answers are read: the fuzzing starts from what works.
    for (i, (route, read)) in ANSWERS.iter().enumerate() {
        for v in [&answers[i].0, &answers[i].1] {
            read(200, None, &serde_json::to_vec(v).unwrap())
                .unwrap_or_else(|e| panic!("{route}: {e}"));
        }
    }
    fuzz("answers", 4_000, answer(), |a| {
        let (route, read) = ANSWERS[a.route];
        let mut status = a.status;
        let body = match &a.body {
            Body::Bytes(b) => b.clone(),
            Body::Answer(max, m) => {
                let (x, n) = &answers[a.route];
                json::apply(if *max { x } else { n }, m)
            }
            Body::Error(i, m) => {
                let e = &errors[i % errors.len()];
                // Mostly with the status the body names, as the service sends it.
                if a.status == 200 {
                    status = e["status"].as_u64().map_or(400, |s| s as u16);
                }
                json::apply(e, m)
            }
        };
        match read(status, a.retry_after.as_deref(), &body) {
            Ok(()) => prop_assert_eq!(status, 200, "{} read a {} as an answer", route, status),
            Err(f) => {
                let words = f.to_string();
                // The words staff or the log get: never blank, whatever the server sent.
                prop_assert!(!words.trim().is_empty(), "{route}: {words:?}");
                prop_assert!(f.after().is_none_or(|d| d <= MAX_RETRY_AFTER));
                match &f {
                    Failure::Rejected { status: s, .. } => {
                        prop_assert!([400, 404, 422].contains(s) && *s == status)
                    }
                    Failure::Auth { status: s, .. } => prop_assert!([401, 403].contains(s)),
                    Failure::Conflict { .. } => prop_assert_eq!(status, 400),
                    Failure::Contended { .. } => prop_assert_eq!(status, 409),
                    Failure::Retry { status: s, .. } => prop_assert_eq!(*s, status),
                    Failure::Unreadable { status: s, .. } => prop_assert_eq!(*s, status),
                }
                if status == 200 {
                    // Retried, and never mistaken for "no answer": it is its own failure.
                    prop_assert!(
                        matches!(f, Failure::Unreadable { .. }),
                        "{route}: a 200 that does not read is unreadable, not {f:?}"
                    );
                }
            }
        }
        Ok(())
    });
}

// ------------------------------------------------------------------ the wedge detector

/// `ui/wedge.js` under node: `crates/usher-fuzz/wedge/fuzz.js`, a seeded generator with the
/// detector's properties. With `USHER_FUZZ_SECS` it runs that long.
#[test]
fn wedge_bursts_are_one_scan_each_and_typing_at_human_speed_never_is() {
    let script = repo().join("crates/usher-fuzz/wedge/fuzz.js");
    let mut cmd = std::process::Command::new("node");
    cmd.arg(&script)
        .arg("--wedge")
        .arg(repo().join("ui/wedge.js"))
        .arg("--seed")
        .arg(std::env::var("USHER_FUZZ_SEED").unwrap_or_else(|_| "1".into()));
    match std::env::var("USHER_FUZZ_SECS") {
        Ok(secs) => cmd.arg("--seconds").arg(secs),
        Err(_) => cmd.arg("--iterations").arg("30000"),
    };
    let out = cmd.output().unwrap_or_else(|e| {
        panic!("node is needed to fuzz ui/wedge.js (the page's wedge detector) and could not be run: {e}. Install Node.js 18 or later.")
    });
    let stdout = String::from_utf8_lossy(&out.stdout);
    let figures: Value = stdout
        .lines()
        .last()
        .and_then(|l| serde_json::from_str(l).ok())
        .unwrap_or_else(|| {
            panic!(
                "the wedge fuzzer printed no figures: {stdout}\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
    println!(
        "fuzz wedge: {} iterations, {} crashes, seed {}",
        figures["iterations"], figures["crashes"], figures["seed"]
    );
    assert!(figures["iterations"].as_u64().unwrap_or(0) > 0, "{figures}");
    assert!(
        out.status.success() && figures["crashes"] == 0,
        "the wedge detector broke its properties:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

// ------------------------------------------------------------------ regressions

/// Found by `answers` (seed 0x54e3ef0c5): the contract's error body with a blank message gave
/// a failure whose words were blank, so the door showed an empty reason.
#[test]
fn an_error_body_with_a_blank_message_still_gives_staff_words() {
    for (status, name) in [
        (400, "ticket.checkInByKey.error.NOOP_TRANSITION.min.json"),
        (400, "ticket.checkInByKey.error.EVENT_MISMATCH.min.json"),
        (
            422,
            "ticket.checkInByKey.error.INPUT_VALIDATION_FAILED.json",
        ),
    ] {
        let mut body = fixture(name);
        body["message"] = Value::String(" \t\n".into());
        let f = read_answer::<MeResponse>(
            status,
            None,
            &serde_json::to_vec(&body).unwrap(),
            jiff::Timestamp::now(),
        )
        .unwrap_err();
        assert!(!f.to_string().trim().is_empty(), "{name}: {f:?}");
    }
}

/// The detector fuzzed above is the one the page runs: `index.html` loads one ES module,
/// `app.js` (no inline script: strict CSP), the keyboard module imports `wedge.js` and
/// creates its detector with the scanner's layout, feeding it physical keys, and no other
/// module keeps a timing rule of its own.
#[test]
fn the_page_runs_the_fuzzed_wedge_detector() {
    let ui = repo().join("ui");
    let page = std::fs::read_to_string(ui.join("index.html")).unwrap();
    assert!(
        page.contains(r#"<script type="module" src="app.js"></script>"#),
        "index.html must load app.js as a module"
    );
    assert_eq!(
        page.matches("<script").count(),
        1,
        "no other (inline) script"
    );
    let keyboard = std::fs::read_to_string(ui.join("keyboard.js")).unwrap();
    assert!(keyboard.contains(r#"import * as UsherWedge from "./wedge.js""#));
    assert!(keyboard.contains("UsherWedge.createWedge({ keys: () => scanner.keys })"));
    // Bursts are read by physical key, with Shift: the fuzzed path.
    assert!(keyboard.contains("wedge.key(e.key, performance.now(), e.code, e.shiftKey)"));
    for entry in std::fs::read_dir(&ui).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "js") && !path.ends_with("wedge.js") {
            let js = std::fs::read_to_string(&path).unwrap();
            assert!(
                !js.contains("WEDGE_MEDIAN_GAP_MS") && !js.contains("MEDIAN_GAP"),
                "{} keeps a timing rule of its own",
                path.display()
            );
        }
    }
}
