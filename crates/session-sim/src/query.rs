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
        let mut q = Query::default();
        let mut errors = FieldErrors::default();
        let mut indexed: BTreeMap<String, Vec<(usize, String)>> = BTreeMap::new();
        for (key, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            if let Some((name, rest)) = key.split_once('[') {
                let Some(index) = rest.strip_suffix(']') else {
                    errors.unknown_key(&key);
                    continue;
                };
                if !shape.arrays.contains(&name) {
                    errors.unknown_key(&key);
                    continue;
                }
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
            } else {
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

    /// A canonical text of every filter except `cursor` and `limit`, to bind cursors to
    /// their query.
    pub fn fingerprint(&self) -> String {
        let mut s = String::new();
        for (k, v) in &self.scalars {
            if k != "cursor" && k != "limit" {
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

    /// `limit`, 1–100, or `default`.
    pub fn limit(&self, default: usize) -> Result<usize, ApiError> {
        match self.get("limit") {
            None => Ok(default),
            Some(v) => match v.parse::<usize>() {
                Ok(n) if (1..=100).contains(&n) => Ok(n),
                Ok(_) => Err(ApiError::invalid_field(
                    "limit",
                    "Must be between 1 and 100",
                )),
                Err(_) => Err(ApiError::invalid_field("limit", "Expected an integer")),
            },
        }
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
    fn unknown_and_repeated_keys_are_rejected() {
        assert!(Query::parse(Some("foo=1"), &SHAPE).is_err());
        assert!(Query::parse(Some("limit=1&limit=2"), &SHAPE).is_err());
        assert!(Query::parse(Some("admissionIds=a"), &SHAPE).is_err());
        assert!(Query::parse(Some("eventId[0]=a"), &SHAPE).is_err());
    }
}
