//! Opaque pagination cursors: base64url JSON `{"p": position, "m": mac}` where the MAC is an
//! HMAC-SHA256 over the position and the query's filters, keyed per simulator. A cursor the
//! simulator did not issue, or one issued for other filters, is refused.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::error::ApiError;

/// The key cursors are signed with.
#[derive(Clone)]
pub struct CursorKey([u8; 32]);

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Payload {
    p: u64,
    m: String,
}

impl CursorKey {
    pub fn new(bytes: [u8; 32]) -> CursorKey {
        CursorKey(bytes)
    }

    fn mac(&self, scope: &str, position: u64) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("any key length");
        mac.update(scope.as_bytes());
        mac.update(b"\0");
        mac.update(&position.to_be_bytes());
        URL_SAFE_NO_PAD.encode(&mac.finalize().into_bytes()[..12])
    }

    /// A cursor for `position` in the list that `scope` (route and filters) names.
    pub fn issue(&self, scope: &str, position: u64) -> String {
        let payload = Payload {
            p: position,
            m: self.mac(scope, position),
        };
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&payload).expect("serialisable"))
    }

    /// The position of a cursor this key issued for `scope`, or a 422.
    pub fn open(&self, scope: &str, cursor: &str) -> Result<u64, ApiError> {
        let invalid = || ApiError::invalid_field("cursor", "Invalid cursor");
        let bytes = URL_SAFE_NO_PAD
            .decode(cursor.trim_end_matches('='))
            .map_err(|_| invalid())?;
        let payload: Payload = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
        if payload.m == self.mac(scope, payload.p) {
            Ok(payload.p)
        } else {
            Err(invalid())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_cursor_opens_and_forgeries_do_not() {
        let k = CursorKey::new([7; 32]);
        let c = k.issue("tickets?eventId=x", 40);
        assert_eq!(k.open("tickets?eventId=x", &c).unwrap(), 40);
        assert!(k.open("tickets?eventId=y", &c).is_err());
        assert!(k.open("tickets?eventId=x", "garbage!").is_err());
        let forged = URL_SAFE_NO_PAD.encode(br#"{"p":80,"m":"AAAAAAAAAAAAAAAA"}"#);
        assert!(k.open("tickets?eventId=x", &forged).is_err());
        assert!(CursorKey::new([8; 32])
            .open("tickets?eventId=x", &c)
            .is_err());
    }
}
