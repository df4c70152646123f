//! Session Services ids: `<prefix>_<26 chars of lowercase Crockford base32>`.
//!
//! Schemas validate `^<prefix>_[0-9a-z]{26}$`, so that is what [`is_id`] accepts.

/// Length of the body after `prefix_`.
pub const BODY_LEN: usize = 26;

/// Every prefix the contract names.
pub const PREFIXES: &[&str] = &[
    "tnt", "evt", "adm", "sct", "tkt", "ord", "cus", "usr", "scn", "tem", "pmt", "ven", "loc",
];

/// True when `s` is exactly `<prefix>_` followed by 26 of `[0-9a-z]`.
pub fn is_id(prefix: &str, s: &str) -> bool {
    let Some(body) = s
        .strip_prefix(prefix)
        .and_then(|rest| rest.strip_prefix('_'))
    else {
        return false;
    };
    body.len() == BODY_LEN && body.bytes().all(is_body_byte)
}

/// One byte of an id body as the schemas allow it.
pub fn is_body_byte(b: u8) -> bool {
    b.is_ascii_digit() || b.is_ascii_lowercase()
}

/// Lowercase Crockford base32 alphabet (no `i l o u`), for generating ids.
pub const CROCKFORD: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// Encodes 130 bits (a UUID's 128 padded with two zero bits) as a 26-char id body.
pub fn encode_body(uuid: u128) -> String {
    let mut out = [0u8; BODY_LEN];
    // 26 * 5 = 130 bits; the top two are zero.
    for (i, slot) in out.iter_mut().enumerate() {
        let shift = 5 * (BODY_LEN - 1 - i);
        let v = if shift >= 128 {
            0
        } else {
            (uuid >> shift) & 0x1f
        };
        *slot = CROCKFORD[v as usize];
    }
    String::from_utf8(out.to_vec()).expect("alphabet is ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_example_is_an_id() {
        assert!(is_id("tkt", "tkt_01jps5cgsg0s32w2pr73vbccde"));
    }

    #[test]
    fn wrong_prefix_length_or_case_is_not_an_id() {
        assert!(!is_id("ord", "tkt_01jps5cgsg0s32w2pr73vbccde"));
        assert!(!is_id("tkt", "tkt_01jps5cgsg0s32w2pr73vbccd"));
        assert!(!is_id("tkt", "tkt_01jps5cgsg0s32w2pr73vbccdee"));
        assert!(!is_id("tkt", "tkt_01JPS5CGSG0S32W2PR73VBCCDE"));
        assert!(!is_id("tkt", "tkt01jps5cgsg0s32w2pr73vbccde"));
    }

    #[test]
    fn encoded_bodies_are_valid_ids() {
        for n in [0u128, 1, u128::MAX, 0x0123_4567_89ab_cdef] {
            let id = format!("tkt_{}", encode_body(n));
            assert!(is_id("tkt", &id), "{id}");
        }
        assert_ne!(encode_body(1), encode_body(2));
    }
}
