//! Structure-aware mutations of JSON: real answers and files, changed the ways a broken,
//! hostile or newer server could change them. A mutation is a list of [`Op`]s, so proptest
//! shrinks a failing one to the few operations that matter.

use proptest::prelude::*;
use serde_json::{Map, Value};

/// One change to a JSON document.
#[derive(Debug, Clone)]
pub enum Op {
    /// The `n`-th node (in document order, wrapping) becomes an odd value.
    Replace(usize, Odd),
    /// The `n`-th object loses a key, or the `n`-th array an element.
    Remove(usize, usize),
    /// The `n`-th array gets one of its elements `k` more times.
    Repeat(usize, usize, u8),
    /// The `n`-th object gets a key it does not expect.
    AddKey(usize, String, Odd),
    /// A key of the `n`-th object is renamed (case, spelling).
    Rename(usize, usize, String),
    /// The `n`-th string or number changes type.
    Retype(usize),
}

/// Values a field should never hold, or holds only at its edges.
#[derive(Debug, Clone)]
pub enum Odd {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A signed integer, often an edge (`i64::MIN`, `i64::MAX`, -1, 0).
    Int(i64),
    /// An unsigned integer, often `u64::MAX` (beyond `i64`).
    Big(u64),
    /// A float, often an edge (`1e308`, `-0.0`); one JSON cannot hold (NaN, infinity)
    /// becomes `null`.
    Float(f64),
    /// An awkward string: empty or blank, a near-miss id, date or zone, invisible
    /// characters, an enum value that is not one, or any short text.
    Text(String),
    /// `[]`.
    EmptyArray,
    /// `{}`.
    EmptyObject,
    /// Arrays nested this deep.
    Deep(u16),
    /// A long string.
    Long(usize),
}

impl Odd {
    fn value(&self) -> Value {
        match self {
            Odd::Null => Value::Null,
            Odd::Bool(b) => Value::Bool(*b),
            Odd::Int(i) => Value::from(*i),
            Odd::Big(u) => Value::from(*u),
            Odd::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Odd::Text(s) => Value::String(s.clone()),
            Odd::EmptyArray => Value::Array(vec![]),
            Odd::EmptyObject => Value::Object(Map::new()),
            Odd::Deep(n) => {
                let mut v = Value::Array(vec![]);
                for _ in 0..*n {
                    v = Value::Array(vec![v]);
                }
                v
            }
            Odd::Long(n) => Value::String("x".repeat(*n)),
        }
    }
}

/// Odd strings: ids of the wrong kind or case, dates that are not dates, control and
/// direction characters, empty.
fn odd_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just(" \t\n".to_string()),
        Just("tkt_01jdem0000000000000000000".to_string()),
        Just("TKT_01JDEM00000000000000000000".to_string()),
        Just("evt_".to_string()),
        Just("2025-13-45T99:99:99Z".to_string()),
        Just("1970-01-01T00:00:00Z".to_string()),
        Just("9999-12-31T23:59:59.999999999Z".to_string()),
        Just("-000001-01-01T00:00:00Z".to_string()),
        Just("Europe/Nowhere".to_string()),
        Just("\u{202e}\u{200b}\0\u{feff}".to_string()),
        Just("NOOP_TRANSITION".to_string()),
        Just("CHECKED_IN".to_string()),
        "\\PC{0,40}",
        any::<String>(),
    ]
}

fn odd() -> impl Strategy<Value = Odd> {
    prop_oneof![
        Just(Odd::Null),
        any::<bool>().prop_map(Odd::Bool),
        prop_oneof![
            Just(i64::MIN),
            Just(i64::MAX),
            Just(-1i64),
            Just(0i64),
            any::<i64>()
        ]
        .prop_map(Odd::Int),
        prop_oneof![Just(u64::MAX), any::<u64>()].prop_map(Odd::Big),
        prop_oneof![Just(1e308), Just(-0.0), Just(0.5), any::<f64>()].prop_map(Odd::Float),
        odd_text().prop_map(Odd::Text),
        Just(Odd::EmptyArray),
        Just(Odd::EmptyObject),
        (100u16..300).prop_map(Odd::Deep),
        (1_000usize..200_000).prop_map(Odd::Long),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    let n = any::<usize>();
    prop_oneof![
        4 => (n, odd()).prop_map(|(n, v)| Op::Replace(n, v)),
        2 => (n, any::<usize>()).prop_map(|(n, k)| Op::Remove(n, k)),
        1 => (n, any::<usize>(), 1u8..50).prop_map(|(n, i, k)| Op::Repeat(n, i, k)),
        1 => (n, "[a-zA-Z_]{1,12}", odd()).prop_map(|(n, k, v)| Op::AddKey(n, k, v)),
        1 => (n, any::<usize>(), prop_oneof![Just("ID".to_string()), Just("".to_string()), "[a-zA-Z_]{1,12}"])
            .prop_map(|(n, i, k)| Op::Rename(n, i, k)),
        2 => n.prop_map(Op::Retype),
    ]
}

/// A byte-level change of the serialized text, after the structural ones.
#[derive(Debug, Clone)]
pub enum Bytes {
    /// Cut at this position (of the length, wrapping).
    Truncate(usize),
    /// One byte replaced.
    Set(usize, u8),
    /// Bytes inserted.
    Insert(usize, Vec<u8>),
    /// The first object's first member written twice (a duplicate key).
    DuplicateKey,
}

fn bytes_op() -> impl Strategy<Value = Bytes> {
    prop_oneof![
        any::<usize>().prop_map(Bytes::Truncate),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Bytes::Set(i, b)),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(i, b)| Bytes::Insert(i, b)),
        Just(Bytes::DuplicateKey),
    ]
}

/// A mutation: structural operations, then (sometimes) byte-level ones.
#[derive(Debug, Clone)]
pub struct Mutation {
    /// Structural changes, applied to the value in order.
    pub ops: Vec<Op>,
    /// Byte-level changes, applied to the serialised text after them.
    pub bytes: Vec<Bytes>,
}

/// Any [`Mutation`]: up to five structural operations, and byte-level ones one time in four.
pub fn mutation() -> impl Strategy<Value = Mutation> {
    (
        prop::collection::vec(op(), 0..6),
        prop_oneof![
            3 => Just(vec![]),
            1 => prop::collection::vec(bytes_op(), 1..3),
        ],
    )
        .prop_map(|(ops, bytes)| Mutation { ops, bytes })
}

/// Every node, in document order, as a path of steps from the root.
fn paths(v: &Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(here.clone());
    match v {
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                here.push(Step::Index(i));
                paths(x, here, out);
                here.pop();
            }
        }
        Value::Object(o) => {
            for (k, x) in o {
                here.push(Step::Key(k.clone()));
                paths(x, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

#[derive(Debug, Clone)]
enum Step {
    Index(usize),
    Key(String),
}

fn node<'v>(mut v: &'v mut Value, path: &[Step]) -> &'v mut Value {
    for s in path {
        v = match (s, v) {
            (Step::Index(i), Value::Array(a)) => &mut a[*i],
            (Step::Key(k), Value::Object(o)) => o.get_mut(k).expect("a path from this tree"),
            _ => unreachable!("a path from this tree"),
        };
    }
    v
}

/// The `n`-th (wrapping) node for which `pick` holds, if any.
fn nth(v: &mut Value, n: usize, pick: impl Fn(&Value) -> bool) -> Option<&mut Value> {
    let mut all = vec![];
    paths(v, &mut vec![], &mut all);
    let fits: Vec<Vec<Step>> = all.into_iter().filter(|p| pick(node(v, p))).collect();
    if fits.is_empty() {
        return None;
    }
    let path = fits[n % fits.len()].clone();
    Some(node(v, &path))
}

fn apply_op(v: &mut Value, op: &Op) {
    match op {
        Op::Replace(n, odd) => {
            if let Some(x) = nth(v, *n, |_| true) {
                *x = odd.value();
            }
        }
        Op::Remove(n, k) => {
            if let Some(x) = nth(v, *n, |x| {
                x.as_array().is_some_and(|a| !a.is_empty())
                    || x.as_object().is_some_and(|o| !o.is_empty())
            }) {
                match x {
                    Value::Array(a) => {
                        let i = k % a.len();
                        a.remove(i);
                    }
                    Value::Object(o) => {
                        let key = o.keys().nth(k % o.len()).cloned().expect("not empty");
                        o.remove(&key);
                    }
                    _ => {}
                }
            }
        }
        Op::Repeat(n, i, k) => {
            if let Some(Value::Array(a)) =
                nth(v, *n, |x| x.as_array().is_some_and(|a| !a.is_empty()))
            {
                let e = a[i % a.len()].clone();
                for _ in 0..*k {
                    a.push(e.clone());
                }
            }
        }
        Op::AddKey(n, key, odd) => {
            if let Some(Value::Object(o)) = nth(v, *n, Value::is_object) {
                o.insert(key.clone(), odd.value());
            }
        }
        Op::Rename(n, i, to) => {
            if let Some(Value::Object(o)) =
                nth(v, *n, |x| x.as_object().is_some_and(|o| !o.is_empty()))
            {
                let key = o.keys().nth(i % o.len()).cloned().expect("not empty");
                let val = o.remove(&key).expect("present");
                let to = if to == "ID" {
                    key.to_uppercase()
                } else {
                    to.clone()
                };
                o.insert(to, val);
            }
        }
        Op::Retype(n) => {
            if let Some(x) = nth(v, *n, |x| x.is_string() || x.is_number()) {
                let retyped = match &*x {
                    Value::String(s) => s
                        .parse::<f64>()
                        .ok()
                        .and_then(serde_json::Number::from_f64)
                        .map_or(Value::from(s.len()), Value::Number),
                    other => Value::String(other.to_string()),
                };
                *x = retyped;
            }
        }
    }
}

fn apply_bytes(text: &mut Vec<u8>, b: &Bytes) {
    match b {
        Bytes::Truncate(i) => {
            if !text.is_empty() {
                text.truncate(i % text.len());
            }
        }
        Bytes::Set(i, byte) => {
            if !text.is_empty() {
                let at = i % text.len();
                text[at] = *byte;
            }
        }
        Bytes::Insert(i, more) => {
            let at = i % (text.len() + 1);
            text.splice(at..at, more.iter().copied());
        }
        Bytes::DuplicateKey => {
            // `{"a":1,...}` → `{"a":1,"a":1,...}`: the first member of the first object again.
            let Some(open) = text.iter().position(|&c| c == b'{') else {
                return;
            };
            let Ok(v) = serde_json::from_slice::<Value>(&text[open..]) else {
                return;
            };
            let Some((k, x)) = v.as_object().and_then(|o| o.iter().next()) else {
                return;
            };
            let member = format!("{}:{},", Value::String(k.clone()), x);
            text.splice(open + 1..open + 1, member.into_bytes());
        }
    }
}

/// `v` with the mutation applied, serialized.
pub fn apply(v: &Value, m: &Mutation) -> Vec<u8> {
    let mut v = v.clone();
    for op in &m.ops {
        apply_op(&mut v, op);
    }
    let mut text = serde_json::to_vec(&v).expect("a Value serializes");
    for b in &m.bytes {
        apply_bytes(&mut text, b);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::ValueTree;

    #[test]
    fn mutations_change_documents_and_keep_most_of_them_json() {
        let doc = serde_json::json!({"a": [1, 2, {"b": "c"}], "d": {"e": null}});
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let (mut changed, mut json) = (0, 0);
        for _ in 0..500 {
            let m = mutation().new_tree(&mut runner).unwrap().current();
            let out = apply(&doc, &m);
            changed += (out != serde_json::to_vec(&doc).unwrap()) as u32;
            json += serde_json::from_slice::<Value>(&out).is_ok() as u32;
        }
        assert!(
            changed > 400,
            "only {changed} of 500 mutations changed the document"
        );
        assert!(
            json > 250,
            "only {json} of 500 mutations are still JSON: too few reach the types"
        );
    }
}
