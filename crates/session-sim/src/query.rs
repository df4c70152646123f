//! Strict query strings: only the route's keys, scalars once, arrays in bracket notation
//! (`admissionIds[0]=…`, also `admissionIds[]=…`).

use std::collections::BTreeMap;

use session_api::ids;

use crate::error::{ApiError, FieldErrors};

/// A validated query string.
#[derive(Debug, Default)]
pub struct Query {
    scalars: BTreeMap<String, String>,
    arrays: BTreeMap<String, Vec<String>>,
}

/// The keys a route accepts.
pub struct Shape<'a> {
    pub scalars: &'a [&'a str],
    pub arrays: &'a [&'a str],
}

impl Query {
    /// Parses `raw` against `shape`: unknown keys, repeated scalars and arrays without
    /// brackets are 422s.
    pub fn parse(raw: Option<&str>, shape: &Shape<'_>) -> Result<Query, ApiError> {
        Query::parse_with(raw, shape, true)
    }

    /// For a route whose input is not strict (a plain zod object strips unknown keys): as
    /// [`Query::parse`], but keys the route does not name are ignored.
    pub fn parse_lenient(raw: Option<&str>, shape: &Shape<'_>) -> Result<Query, ApiError> {
        Query::parse_with(raw, shape, false)
    }

    fn parse_with(raw: Option<&str>, shape: &Shape<'_>, strict: bool) -> Result<Query, ApiError> {
        let mut q = Query::default();
        let mut errors = FieldErrors::default();
        let mut indexed: BTreeMap<String, Vec<(usize, String)>> = BTreeMap::new();
        for (key, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            if let Some((name, rest)) = key.split_once('[') {
                let known = shape.arrays.contains(&name);
                let Some(index) = rest.strip_suffix(']').filter(|_| known) else {
                    if strict || known {
                        errors.unknown_key(&key);
                    }
                    continue;
                };
                let entries = indexed.entry(name.to_string()).or_default();
                let ix = if index.is_empty() {
                    entries.len()
                } else {
                    match index.parse::<usize>() {
                        Ok(i) if i < 1000 => i,
                        _ => {
                            errors.field(name, format!("Invalid array index {index:?}"));
                            continue;
                        }
                    }
                };
                if entries.iter().any(|(i, _)| *i == ix) {
                    errors.field(name, format!("Duplicate array index {ix}"));
                    continue;
                }
                entries.push((ix, value.into_owned()));
            } else if shape.scalars.contains(&key.as_ref()) {
                if q.scalars
                    .insert(key.to_string(), value.into_owned())
                    .is_some()
                {
                    errors.field(&key, "Expected a single value");
                }
            } else if shape.arrays.contains(&key.as_ref()) {
                errors.field(&key, "Expected an array in bracket notation (name[0]=…)");
            } else if strict {
                errors.unknown_key(&key);
            }
        }
        errors.into_result()?;
        for (name, mut entries) in indexed {
            entries.sort_by_key(|(i, _)| *i);
            q.arrays
                .insert(name, entries.into_iter().map(|(_, v)| v).collect());
        }
        Ok(q)
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.scalars.get(key).map(String::as_str)
    }

    pub fn array(&self, key: &str) -> &[String] {
        self.arrays.get(key).map_or(&[], Vec::as_slice)
    }

    /// A canonical text of every filter except the page's own keys (`cursor`, `before`,
    /// `anchor`, `limit`), to bind cursors to their query.
    pub fn fingerprint(&self) -> String {
        let mut s = String::new();
        for (k, v) in &self.scalars {
            if !["cursor", "before", "anchor", "limit"].contains(&k.as_str()) {
                s.push_str(&format!("{k}={v}&"));
            }
        }
        for (k, vs) in &self.arrays {
            for v in vs {
                s.push_str(&format!("{k}[]={v}&"));
            }
        }
        s
    }

    /// `limit`, an integer 1–100, or `default`.
    pub fn limit(&self, default: usize) -> Result<usize, ApiError> {
        self.limit_of(default, true)
    }

    /// `limit` where the contract types it as a number (`z.coerce.number()`, 1–100): a
    /// fraction is allowed and rounds down.
    pub fn number_limit(&self, default: usize) -> Result<usize, ApiError> {
        self.limit_of(default, false)
    }

    fn limit_of(&self, default: usize, integer: bool) -> Result<usize, ApiError> {
        let Some(v) = self.get("limit") else {
            return Ok(default);
        };
        let n: f64 = match v.trim().parse() {
            Ok(n) if !v.trim().is_empty() => n,
            _ => return Err(ApiError::invalid_field("limit", "Expected a number")),
        };
        if integer && n.fract() != 0.0 {
            return Err(ApiError::invalid_field("limit", "Expected an integer"));
        }
        if !(1.0..=100.0).contains(&n) {
            return Err(ApiError::invalid_field(
                "limit",
                "Must be between 1 and 100",
            ));
        }
        Ok(n as usize)
    }

    /// A boolean scalar (`true` or `false`), or `default`.
    pub fn boolean(&self, key: &str, default: bool, errors: &mut FieldErrors) -> bool {
        match self.get(key) {
            None => default,
            Some("true") => true,
            Some("false") => false,
            Some(_) => {
                errors.field(key, "Expected 'true' or 'false'");
                default
            }
        }
    }

    /// A string scalar of at most `max` characters.
    pub fn text(&self, key: &str, max: usize, errors: &mut FieldErrors) -> Option<String> {
        let v = self.get(key)?;
        if v.chars().count() > max {
            errors.field(key, format!("Must be at most {max} characters"));
            return None;
        }
        Some(v.to_string())
    }

    /// One of `allowed`, or `None` (with an error for anything else).
    pub fn choice(
        &self,
        key: &str,
        allowed: &[&'static str],
        errors: &mut FieldErrors,
    ) -> Option<&'static str> {
        let v = self.get(key)?;
        let found = allowed.iter().find(|a| **a == v).copied();
        if found.is_none() {
            let list: Vec<String> = allowed.iter().map(|a| format!("'{a}'")).collect();
            errors.field(key, format!("Expected {}", list.join(" | ")));
        }
        found
    }

    /// An optional scalar that must be an id with `prefix`.
    pub fn id(&self, key: &str, prefix: &str, errors: &mut FieldErrors) -> Option<String> {
        let v = self.get(key)?;
        if ids::is_id(prefix, v) {
            Some(v.to_string())
        } else {
            errors.field(
                key,
                format!("Invalid id: expected {prefix}_ followed by 26 characters"),
            );
            None
        }
    }

    /// An array whose items must be ids with `prefix`.
    pub fn ids(&self, key: &str, prefix: &str, errors: &mut FieldErrors) -> Vec<String> {
        let items = self.array(key);
        for v in items {
            if !ids::is_id(prefix, v) {
                errors.field(
                    key,
                    format!("Invalid id {v:?}: expected {prefix}_ followed by 26 characters"),
                );
            }
        }
        items.to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHAPE: Shape<'static> = Shape {
        scalars: &["eventId", "limit"],
        arrays: &["admissionIds"],
    };

    #[test]
    fn bracket_arrays_keep_index_order() {
        let q = Query::parse(Some("admissionIds[1]=b&admissionIds[0]=a&limit=5"), &SHAPE).unwrap();
        assert_eq!(q.array("admissionIds"), ["a", "b"]);
        assert_eq!(q.limit(20).unwrap(), 5);
    }

    #[test]
    fn a_lenient_route_ignores_unknown_keys_but_not_repeats() {
        assert!(Query::parse_lenient(Some("foo=1&bar[0]=2"), &SHAPE).is_ok());
        assert!(Query::parse_lenient(Some("limit=1&limit=2"), &SHAPE).is_err());
    }

    #[test]
    fn limit_is_one_to_a_hundred() {
        let q = |s| Query::parse(Some(s), &SHAPE).unwrap();
        assert!(q("limit=0").limit(20).is_err());
        assert!(q("limit=101").limit(20).is_err());
        assert!(q("limit=2.5").limit(20).is_err());
        assert_eq!(q("limit=2.5").number_limit(20).unwrap(), 2);
        assert_eq!(q("limit=100").limit(20).unwrap(), 100);
    }

    #[test]
    fn unknown_and_repeated_keys_are_rejected() {
        assert!(Query::parse(Some("foo=1"), &SHAPE).is_err());
        assert!(Query::parse(Some("limit=1&limit=2"), &SHAPE).is_err());
        assert!(Query::parse(Some("admissionIds=a"), &SHAPE).is_err());
        assert!(Query::parse(Some("eventId[0]=a"), &SHAPE).is_err());
    }
}
