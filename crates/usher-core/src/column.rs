//! How an enum is kept in a SQLite column: as its serde name (`"PENDING"`, `"CHECK_IN"`),
//! the same text the JSON output and the window use, so a name is spelled in one place.
//! Reading text that is not one of the names is an error that names the column's type, never
//! a silent default.
//!
//! The door's own enums implement `ToSql`/`FromSql` (one impl each, below);
//! Session Services' enums, which live in `session-api`, are read and written through
//! [`Stored`] (Rust lets a crate implement rusqlite's traits only for its own types).

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// The serde name of a unit enum variant.
pub(crate) fn name<T: Serialize>(v: &T) -> rusqlite::Result<String> {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        other => Err(rusqlite::Error::ToSqlConversionFailure(
            format!(
                "{} is not stored as text: {other:?}",
                std::any::type_name::<T>()
            )
            .into(),
        )),
    }
}

/// The enum variant `text` names, if any (for a column read as text first, to say what is
/// damaged in the caller's own words).
pub(crate) fn parse<T: DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).ok()
}

/// The enum variant a column's text names; an error for anything else.
pub(crate) fn read<T: DeserializeOwned>(value: ValueRef<'_>) -> FromSqlResult<T> {
    let text = value.as_str()?;
    serde_json::from_value(serde_json::Value::String(text.to_owned())).map_err(|_| {
        let ty = std::any::type_name::<T>()
            .rsplit("::")
            .next()
            .unwrap_or("value");
        FromSqlError::Other(format!("unknown {ty} {text:?} in the cache").into())
    })
}

/// Implements `ToSql` and `FromSql` for the door's own serde enums, one impl each.
macro_rules! text_column {
    ($($t:ty),* $(,)?) => {$(
        impl rusqlite::types::ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(rusqlite::types::ToSqlOutput::from($crate::column::name(self)?))
            }
        }
        impl rusqlite::types::FromSql for $t {
            fn column_result(
                value: rusqlite::types::ValueRef<'_>,
            ) -> rusqlite::types::FromSqlResult<Self> {
                $crate::column::read(value)
            }
        }
    )*};
}

text_column!(
    crate::gate::Mode,
    crate::scanlog::Source,
    crate::scanlog::UploadState,
    crate::verdict::VerdictKind,
);

/// A Session Services enum (`TicketStatus`, `ScanKind`, `EventStatus`) in a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stored<T>(pub T);

impl<T: Serialize> ToSql for Stored<T> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(name(&self.0)?))
    }
}

impl<T: DeserializeOwned> FromSql for Stored<T> {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        read(value).map(Stored)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scanlog::UploadState;
    use rusqlite::Connection;
    use session_api::TicketStatus;

    #[test]
    fn an_enum_round_trips_through_its_serde_name() {
        let conn = Connection::open_in_memory().unwrap();
        let text: String = conn
            .query_row("SELECT ?1", [UploadState::Pending], |r| r.get(0))
            .unwrap();
        assert_eq!(text, "PENDING");
        let back: UploadState = conn
            .query_row("SELECT 'CONFLICT'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(back, UploadState::Conflict);
        let Stored(status): Stored<TicketStatus> = conn
            .query_row("SELECT ?1", [Stored(TicketStatus::Redeemed)], |r| r.get(0))
            .unwrap();
        assert_eq!(status, TicketStatus::Redeemed);
    }

    #[test]
    fn unknown_text_in_an_enum_column_is_an_error_naming_the_type() {
        let conn = Connection::open_in_memory().unwrap();
        let err = conn
            .query_row("SELECT 'SHIPPED'", [], |r| {
                r.get::<_, Stored<TicketStatus>>(0)
            })
            .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("unknown TicketStatus \"SHIPPED\""), "{text}");
        let err = conn
            .query_row("SELECT 'LATER'", [], |r| r.get::<_, UploadState>(0))
            .unwrap_err();
        assert!(err.to_string().contains("UploadState"), "{err}");
    }
}
