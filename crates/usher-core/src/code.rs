//! **Parse**: from untrusted scanned text to the ticket or order key it carries.
//!
//! The QR content is not documented (`docs/session-services.md`, "What a ticket's QR code
//! holds"), so the text is opaque: we take the first `(tkt|ord)_[0-9a-z]{26}` anywhere in it
//! (a bare id, a URL, a delimited string), in either case: Crockford base32 is
//! case-insensitive, a wedge scanner with Caps Lock on types capitals, and a QR code's dense
//! alphanumeric mode holds capitals only. The id is the lower-case one. It must end at a
//! boundary: a longer run of letters and digits is not an id cut short.
//!
//! **Architecture invariant:** the parser never panics and never allocates more than the
//! length limit, whatever bytes it is given. It knows nothing of the cache.

use serde::{Deserialize, Serialize};
use session_api::ids::{is_body_byte, BODY_LEN};
use std::fmt;

/// The longest scanned text we look at. A QR code holds at most 2,953 bytes; anything longer
/// is not a QR payload (a stuck key on a wedge scanner, a pasted file) and is refused whole
/// rather than searched.
pub const MAX_PAYLOAD_BYTES: usize = 4096;

/// What a code refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum KeyKind {
    /// A `tkt_…` id: one ticket.
    Ticket,
    /// An `ord_…` id: every ticket of an order.
    Order,
}

/// A `tkt_…` or `ord_…` id found in a scan: what check-in is called with.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct TicketKey {
    kind: KeyKind,
    id: String,
}

impl TicketKey {
    /// Whether it is a ticket's or an order's id.
    pub fn kind(&self) -> KeyKind {
        self.kind
    }
    /// The id, in lower case (`tkt_…` or `ord_…`).
    pub fn as_str(&self) -> &str {
        &self.id
    }
}

impl fmt::Display for TicketKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id)
    }
}

impl From<TicketKey> for String {
    fn from(k: TicketKey) -> String {
        k.id
    }
}

impl TryFrom<String> for TicketKey {
    type Error = NotATicketCode;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        match parse(s.as_bytes())? {
            k if k.id == s => Ok(k),
            _ => Err(NotATicketCode::NoTicketId),
        }
    }
}

/// Why scanned text is not a ticket code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NotATicketCode {
    /// The text is empty or only whitespace.
    #[error("nothing was scanned")]
    Empty,
    /// The text is longer than [`MAX_PAYLOAD_BYTES`] (its length in bytes).
    #[error("the scanned text is {0} bytes long; a ticket code is far shorter")]
    TooLong(usize),
    /// No ticket or order id ends at a boundary anywhere in the text.
    #[error("the scanned text holds no ticket or order id")]
    NoTicketId,
}

/// Finds the first `(tkt|ord)_[0-9a-z]{26}`, in any case, in `payload`, not followed by
/// another letter or digit.
///
/// Hand-written rather than a regex: it is a fixed 30-byte shape, and a plain scan keeps the
/// "never panics, bounded work" invariant obvious.
pub fn parse(payload: &[u8]) -> Result<TicketKey, NotATicketCode> {
    if payload.len() > MAX_PAYLOAD_BYTES {
        return Err(NotATicketCode::TooLong(payload.len()));
    }
    if payload.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(NotATicketCode::Empty);
    }
    const ID_LEN: usize = 4 + BODY_LEN;
    payload
        .windows(ID_LEN)
        .enumerate()
        .find_map(|(at, w)| {
            let id = w.to_ascii_lowercase();
            let kind = match &id[..4] {
                b"tkt_" => KeyKind::Ticket,
                b"ord_" => KeyKind::Order,
                _ => return None,
            };
            let ends = payload
                .get(at + ID_LEN)
                .is_none_or(|b| !b.is_ascii_alphanumeric());
            (ends && id[4..].iter().all(|&b| is_body_byte(b))).then(|| TicketKey {
                kind,
                // Every byte is ASCII, checked above.
                id: String::from_utf8_lossy(&id).into_owned(),
            })
        })
        .ok_or(NotATicketCode::NoTicketId)
}

/// Characters that change how text around them is shown without being seen: bidirectional
/// overrides and isolates, and zero-width characters. Escaped in previews, so a crafted code
/// cannot hide or reorder what staff read.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// A printable, bounded preview of scanned text for the log and the screen: control and
/// invisible characters escaped, invalid UTF-8 replaced, its first `max_chars` characters
/// kept (an escape is longer than its character; a cut is marked `…`).
pub fn preview(payload: &[u8], max_chars: usize) -> String {
    let head = &payload[..payload.len().min(max_chars * 4)];
    let text = String::from_utf8_lossy(head);
    let mut out = String::new();
    for (n, c) in text.chars().enumerate() {
        if n == max_chars {
            out.push('…');
            break;
        }
        if c.is_control() || is_invisible(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const TKT: &str = "tkt_01jps5cgsg0s32w2pr73vbccde";
    const ORD: &str = "ord_01jps5cgsg0s32w2pr73vbccdf";

    #[test]
    fn bare_ticket_id_is_parsed() {
        let k = parse(TKT.as_bytes()).unwrap();
        assert_eq!((k.kind(), k.as_str()), (KeyKind::Ticket, TKT));
    }

    #[test]
    fn id_inside_a_url_is_found() {
        let url = format!("https://tickets.example/t/{ORD}?utm=x");
        let k = parse(url.as_bytes()).unwrap();
        assert_eq!((k.kind(), k.as_str()), (KeyKind::Order, ORD));
    }

    #[test]
    fn first_of_several_ids_wins() {
        let text = format!("x|{ORD}|{TKT}");
        assert_eq!(parse(text.as_bytes()).unwrap().as_str(), ORD);
    }

    #[test]
    fn ids_in_capitals_are_ids_in_lower_case() {
        let k = parse(TKT.to_uppercase().as_bytes()).unwrap();
        assert_eq!((k.kind(), k.as_str()), (KeyKind::Ticket, TKT));
        let url = format!("HTTPS://T.EXAMPLE/{}", ORD.to_uppercase());
        assert_eq!(parse(url.as_bytes()).unwrap().as_str(), ORD);
    }

    #[test]
    fn short_long_or_other_ids_are_not_ticket_codes() {
        assert_eq!(
            parse(&TKT.as_bytes()[..29]),
            Err(NotATicketCode::NoTicketId)
        );
        // A 27-character body is not silently cut to 26.
        for extra in ["0", "z", "Z"] {
            assert_eq!(
                parse(format!("{TKT}{extra}").as_bytes()),
                Err(NotATicketCode::NoTicketId),
                "{extra}"
            );
        }
        assert_eq!(parse(format!("{TKT}_x").as_bytes()).unwrap().as_str(), TKT);
        assert_eq!(
            parse(b"evt_01jps5cgsg0s32w2pr73vbccde"),
            Err(NotATicketCode::NoTicketId)
        );
    }

    #[test]
    fn empty_and_oversized_payloads_are_refused() {
        assert_eq!(parse(b""), Err(NotATicketCode::Empty));
        assert_eq!(parse(b" \r\n\t"), Err(NotATicketCode::Empty));
        let mut big = vec![b'a'; 1 << 20];
        big[..30].copy_from_slice(TKT.as_bytes());
        assert_eq!(parse(&big), Err(NotATicketCode::TooLong(1 << 20)));
    }

    #[test]
    fn binary_payload_around_an_id_still_parses() {
        let mut bytes = vec![0u8, 0xff, 0xfe, 0x80];
        bytes.extend_from_slice(TKT.as_bytes());
        bytes.extend_from_slice(&[0xc3, 0x28]);
        assert_eq!(parse(&bytes).unwrap().as_str(), TKT);
    }

    #[test]
    fn preview_escapes_controls_and_truncates() {
        assert_eq!(preview(b"a\x1bb\n", 10), "a\\u{1b}b\\n");
        assert_eq!(preview(b"abcdef", 3), "abc…");
        assert_eq!(preview(&[0xff, b'a'], 10), "\u{fffd}a");
    }

    #[test]
    fn preview_escapes_bidi_overrides_and_zero_width_characters() {
        let shown = preview("paid\u{202E}diap\u{200B}x".as_bytes(), 40);
        assert_eq!(shown, "paid\\u{202e}diap\\u{200b}x");
    }

    #[test]
    fn script_payload_is_not_a_ticket_code() {
        assert_eq!(
            parse(b"<script>alert(1)</script>"),
            Err(NotATicketCode::NoTicketId)
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn parser_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..6000)) {
            let _ = parse(&bytes);
            let _ = preview(&bytes, 200);
        }

        #[test]
        fn an_id_embedded_anywhere_is_found(
            prefix in "[^a-z0-9_]{0,40}",
            body in "[0-9a-z]{26}",
            suffix in "[^a-zA-Z0-9]{0,40}",
            order in any::<bool>(),
        ) {
            let id = format!("{}_{}", if order { "ord" } else { "tkt" }, body);
            let text = format!("{prefix}{id}{suffix}");
            let k = parse(text.as_bytes()).unwrap();
            prop_assert_eq!(k.as_str(), id.as_str());
            prop_assert_eq!(k.kind(), if order { KeyKind::Order } else { KeyKind::Ticket });
        }

        #[test]
        fn a_match_is_always_a_valid_id(bytes in proptest::collection::vec(prop_oneof![
            Just(b't'), Just(b'k'), Just(b'o'), Just(b'r'), Just(b'd'), Just(b'_'), Just(b'0'), Just(b'z'), any::<u8>()
        ], 0..300)) {
            if let Ok(k) = parse(&bytes) {
                let ok = session_api::ids::is_id("tkt", k.as_str()) || session_api::ids::is_id("ord", k.as_str());
                prop_assert!(ok);
            }
        }
    }
}
