//! USB scanners on any keyboard layout: which character each physical key of a wedge
//! scanner means.
//!
//! A USB scanner is a keyboard: it sends physical keys (USB HID usages, which the page sees as
//! `KeyboardEvent.code`: `KeyZ`, `Minus`) and the OS turns them into characters through *its*
//! layout. A scanner typing as a US keyboard on a German laptop sends `KeyZ` for `z`, which
//! the OS types as `y`, and `Shift+Minus` for `_`, which comes out as `?`. So the page reads a
//! scanner's burst by physical key and maps it through the layout the *scanner* types with:
//! US ([`US_KEYS`]) unless this door learned another from the calibration code.
//!
//! **Calibration:** Setup shows [`CALIBRATION_TEXT`] as a QR code: a fixed prefix and every
//! character a scanned id can hold, in a known order. A scanner set to any layout types it as
//! some sequence of physical keys; [`learn`] aligns that sequence with the known text and
//! keeps "this key (with or without Shift) means this character" ([`ScannerLayout`]), stored
//! in the `device` table (migration 0012) by [`save`] and read by [`load`].
//!
//! A stored layout that cannot be read (not JSON, a key that is no key name, a character
//! missing or typed by two keys) is not silently replaced: [`load`] falls back to US *with a
//! warning* that says so ([`Kept::warning`]); the window shows it in Setup and logs it, and the
//! door goes on reading US scanners.

use crate::error::{Error, Result};
use crate::i18n::Said;
use crate::look::Words;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How a calibration code begins. Its letters are on the same key, unshifted, on US (QWERTY),
/// German (QWERTZ) and French (AZERTY) keyboards, so the page recognises the code before it
/// knows the scanner's layout.
pub const CALIBRATION_PREFIX: &str = "usherinput";

/// The calibration code's text: [`CALIBRATION_PREFIX`], then every character a scanned id can
/// hold (`session_api::ids`: digits, lower-case letters, `_`; capitals too, because a scanned
/// code is read in either case, `code::parse`), in this order.
pub const CALIBRATION_TEXT: &str = concat!(
    "usherinput",
    "0123456789",
    "abcdefghijklmnopqrstuvwxyz",
    "_",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
);

/// The US keyboard (ANSI) as a scanner set to US types it: each physical key by its
/// `KeyboardEvent.code` name (the W3C "UI Events KeyboardEvent code Values", named for the key
/// at that position on a US keyboard), with its character unshifted and with Shift. The one
/// copy of this table: the page receives it with [`load`]'s answer.
pub const US_KEYS: &[(&str, char, char)] = &[
    ("Backquote", '`', '~'),
    ("Digit1", '1', '!'),
    ("Digit2", '2', '@'),
    ("Digit3", '3', '#'),
    ("Digit4", '4', '$'),
    ("Digit5", '5', '%'),
    ("Digit6", '6', '^'),
    ("Digit7", '7', '&'),
    ("Digit8", '8', '*'),
    ("Digit9", '9', '('),
    ("Digit0", '0', ')'),
    ("Minus", '-', '_'),
    ("Equal", '=', '+'),
    ("KeyQ", 'q', 'Q'),
    ("KeyW", 'w', 'W'),
    ("KeyE", 'e', 'E'),
    ("KeyR", 'r', 'R'),
    ("KeyT", 't', 'T'),
    ("KeyY", 'y', 'Y'),
    ("KeyU", 'u', 'U'),
    ("KeyI", 'i', 'I'),
    ("KeyO", 'o', 'O'),
    ("KeyP", 'p', 'P'),
    ("BracketLeft", '[', '{'),
    ("BracketRight", ']', '}'),
    ("Backslash", '\\', '|'),
    ("KeyA", 'a', 'A'),
    ("KeyS", 's', 'S'),
    ("KeyD", 'd', 'D'),
    ("KeyF", 'f', 'F'),
    ("KeyG", 'g', 'G'),
    ("KeyH", 'h', 'H'),
    ("KeyJ", 'j', 'J'),
    ("KeyK", 'k', 'K'),
    ("KeyL", 'l', 'L'),
    ("Semicolon", ';', ':'),
    ("Quote", '\'', '"'),
    ("KeyZ", 'z', 'Z'),
    ("KeyX", 'x', 'X'),
    ("KeyC", 'c', 'C'),
    ("KeyV", 'v', 'V'),
    ("KeyB", 'b', 'B'),
    ("KeyN", 'n', 'N'),
    ("KeyM", 'm', 'M'),
    ("Comma", ',', '<'),
    ("Period", '.', '>'),
    ("Slash", '/', '?'),
    ("Space", ' ', ' '),
];

/// Layouts a learned one is recognised as, by a stable id (worded `layout-ID` in the
/// catalogs: "German (QWERTZ)"): how each differs from US for the calibration's characters (a
/// capital is Shift with its letter's key).
const KNOWN: &[(&str, &[(char, &str)])] = &[
    ("US", &[]),
    ("DE", &[('z', "KeyY"), ('y', "KeyZ"), ('_', "Shift+Slash")]),
    (
        "FR",
        &[
            ('a', "KeyQ"),
            ('q', "KeyA"),
            ('z', "KeyW"),
            ('w', "KeyZ"),
            ('m', "Semicolon"),
            ('_', "Digit8"),
            ('1', "Shift+Digit1"),
            ('2', "Shift+Digit2"),
            ('3', "Shift+Digit3"),
            ('4', "Shift+Digit4"),
            ('5', "Shift+Digit5"),
            ('6', "Shift+Digit6"),
            ('7', "Shift+Digit7"),
            ('8', "Shift+Digit8"),
            ('9', "Shift+Digit9"),
            ('0', "Shift+Digit0"),
        ],
    ),
];

/// One key of a scanner's burst as the page saw it: the physical key and whether Shift was
/// down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Press {
    /// `KeyboardEvent.code` (`KeyY`, `Slash`); empty when the OS gave none.
    pub code: String,
    /// `KeyboardEvent.shiftKey`.
    pub shift: bool,
}

impl Press {
    /// The name a layout keys this press by: the code, `Shift+` first when Shift was down.
    pub fn name(&self) -> String {
        if self.shift {
            format!("Shift+{}", self.code)
        } else {
            self.code.clone()
        }
    }
}

/// Whether `name` is a press's name: an optional `Shift+` and a code of ASCII letters and
/// digits (every `KeyboardEvent.code` value is).
fn is_press_name(name: &str) -> bool {
    let code = name.strip_prefix("Shift+").unwrap_or(name);
    !code.is_empty() && code.len() <= 32 && code.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// A scanner's layout: what each press (by [`Press::name`]) means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScannerLayout {
    keys: BTreeMap<String, char>,
}

impl ScannerLayout {
    /// The US layout, every key of [`US_KEYS`] with and without Shift.
    pub fn us() -> ScannerLayout {
        let mut keys = BTreeMap::new();
        for &(code, plain, shifted) in US_KEYS {
            keys.insert(code.to_string(), plain);
            keys.insert(format!("Shift+{code}"), shifted);
        }
        ScannerLayout { keys }
    }

    /// What each press means, by [`Press::name`].
    pub fn keys(&self) -> &BTreeMap<String, char> {
        &self.keys
    }

    /// The character `press` means, if this layout knows the key.
    pub fn char_of(&self, press: &Press) -> Option<char> {
        self.keys.get(&press.name()).copied()
    }

    /// The press that types `c`, if any.
    fn press_of(&self, c: char) -> Option<&str> {
        self.keys
            .iter()
            .find(|(_, &v)| v == c)
            .map(|(k, _)| k.as_str())
    }

    /// Which known layout this is for the calibration's characters, by id ("US", "DE", "FR";
    /// its name is message `layout-ID`), or `None` for a layout of its own.
    pub fn known(&self) -> Option<&'static str> {
        let us = ScannerLayout::us();
        KNOWN.iter().find_map(|&(name, moved)| {
            CALIBRATION_TEXT
                .chars()
                .all(|c| {
                    let lower = c.to_ascii_lowercase();
                    let expected = match moved.iter().find(|(m, _)| *m == c) {
                        Some((_, press)) => press.to_string(),
                        None => match moved.iter().find(|(m, _)| *m == lower) {
                            Some((_, press)) if c.is_ascii_uppercase() => format!("Shift+{press}"),
                            _ => us.press_of(c).unwrap_or_default().to_string(),
                        },
                    };
                    self.press_of(c) == Some(expected.as_str())
                })
                .then_some(name)
        })
    }

    /// Reads a stored layout: a JSON object from press names to one character each, holding
    /// every character of [`CALIBRATION_TEXT`] once.
    fn from_json(text: &str) -> std::result::Result<ScannerLayout, Said> {
        let raw: BTreeMap<String, String> = serde_json::from_str(text)
            .map_err(|e| Said::new("layout-not-a-table").with("why", e.to_string()))?;
        let mut keys = BTreeMap::new();
        for (name, value) in raw {
            if !is_press_name(&name) {
                return Err(Said::new("layout-not-a-key").with("key", format!("{name:?}")));
            }
            let mut chars = value.chars();
            let (Some(c), None) = (chars.next(), chars.next()) else {
                return Err(Said::new("layout-not-one-character")
                    .with("key", name)
                    .with("typed", format!("{value:?}")));
            };
            keys.insert(name, c);
        }
        let layout = ScannerLayout { keys };
        for c in CALIBRATION_TEXT.chars() {
            let typed_by = layout.keys.values().filter(|&&v| v == c).count();
            if typed_by != 1 {
                return Err(Said::new("layout-keys-per-character")
                    .with("keys", typed_by)
                    .with("character", format!("{c:?}")));
            }
        }
        Ok(layout)
    }

    fn to_json(&self) -> String {
        let raw: BTreeMap<&str, String> = self
            .keys
            .iter()
            .map(|(k, v)| (k.as_str(), v.to_string()))
            .collect();
        serde_json::to_string(&raw).expect("a map of strings is JSON")
    }
}

impl Serialize for ScannerLayout {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.keys.serialize(s)
    }
}

/// Learns a scanner's layout from its burst of [`CALIBRATION_TEXT`]: press `i` means the
/// text's character `i`. Refused, with what is wrong, when the burst is not as long as the
/// text, a key came without its physical code, one key typed two different characters, or
/// one character came from two keys (then it was not the calibration code, or the scanner
/// is not a keyboard of one layout).
pub fn learn(presses: &[Press]) -> Result<ScannerLayout> {
    let text: Vec<char> = CALIBRATION_TEXT.chars().collect();
    let refuse = |why: Said| Err(Error::Calibration(why));
    if presses.len() != text.len() {
        return refuse(
            Said::new("calibration-length")
                .with("typed", presses.len())
                .with("expected", text.len()),
        );
    }
    let mut keys: BTreeMap<String, char> = BTreeMap::new();
    let mut by_char: BTreeMap<char, String> = BTreeMap::new();
    for (i, (press, &c)) in presses.iter().zip(&text).enumerate() {
        if !is_press_name(&press.name()) {
            return refuse(
                Said::new("calibration-no-key-code")
                    .with("position", i + 1)
                    .with("character", format!("{c:?}")),
            );
        }
        let name = press.name();
        if let Some(&other) = keys.get(&name) {
            if other != c {
                return refuse(
                    Said::new("calibration-same-key")
                        .with("key", name)
                        .with("first", format!("{other:?}"))
                        .with("second", format!("{c:?}")),
                );
            }
        }
        if let Some(first) = by_char.get(&c) {
            if *first != name {
                return refuse(
                    Said::new("calibration-two-keys")
                        .with("character", format!("{c:?}"))
                        .with("first", first.as_str())
                        .with("second", name),
                );
            }
        }
        keys.insert(name.clone(), c);
        by_char.insert(c, name);
    }
    Ok(ScannerLayout { keys })
}

/// The layout this door reads its scanner with, as the page receives it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Kept {
    /// What each press means.
    pub keys: ScannerLayout,
    /// Whether it was learned from the calibration code (else it is US, the default).
    pub learned: bool,
    /// The known layout it is, by id ("US", "DE", "FR"; see [`Kept::name`]), or `None` for
    /// one of its own.
    pub layout: Option<&'static str>,
    /// Set when the stored layout could not be read and US is used instead: what is wrong
    /// (the page gets it worded in the door's language, [`Kept::warning_in`]).
    #[serde(skip)]
    pub warning: Option<Said>,
    /// [`CALIBRATION_PREFIX`], so the page recognises the calibration code.
    pub calibration_prefix: &'static str,
}

impl Kept {
    /// US, with `warning` saying why the kept layout could not be read (the data folder would
    /// not open).
    pub fn us_because(warning: Said) -> Kept {
        Kept::of(ScannerLayout::us(), false, Some(warning))
    }

    /// The known layout's name in `words`' language ("German (QWERTZ)", "Deutsch (QWERTZ)").
    pub fn name(&self, words: &Words) -> Option<String> {
        self.layout
            .map(|id| words.say(&Said::new(format!("layout-{id}"))))
    }

    /// The warning in `words`' language.
    pub fn warning_in(&self, words: &Words) -> Option<String> {
        self.warning.as_ref().map(|w| words.say(w))
    }

    fn of(keys: ScannerLayout, learned: bool, warning: Option<Said>) -> Kept {
        Kept {
            layout: keys.known(),
            keys,
            learned,
            warning,
            calibration_prefix: CALIBRATION_PREFIX,
        }
    }
}

/// Keeps `layout` as this door's scanner layout.
pub fn save(conn: &Connection, layout: &ScannerLayout) -> Result<Kept> {
    crate::settings::device_id(conn)?;
    conn.execute(
        "UPDATE device SET scanner_keys = ?1 WHERE id = 1",
        [layout.to_json()],
    )?;
    Ok(Kept::of(layout.clone(), true, None))
}

/// Back to US: forgets a learned layout.
pub fn forget(conn: &Connection) -> Result<Kept> {
    conn.execute("UPDATE device SET scanner_keys = NULL WHERE id = 1", [])?;
    Ok(Kept::of(ScannerLayout::us(), false, None))
}

/// This door's scanner layout: the learned one, else US. A stored one that cannot be read is
/// US with a [`Kept::warning`] saying what is wrong (never a silent US).
pub fn load(conn: &Connection) -> Result<Kept> {
    let stored: Option<String> = conn
        .query_row("SELECT scanner_keys FROM device WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?
        .flatten();
    Ok(match stored {
        None => Kept::of(ScannerLayout::us(), false, None),
        Some(text) => match ScannerLayout::from_json(&text) {
            Ok(layout) => Kept::of(layout, true, None),
            Err(why) => Kept::us_because(Said::new("layout-damaged").with("why", why)),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;

    /// The presses a scanner set to `layout` sends for `text` (every character known).
    fn typed(layout: &ScannerLayout, text: &str) -> Vec<Press> {
        text.chars()
            .map(|c| {
                let name = layout.press_of(c).unwrap_or_else(|| panic!("{c:?}"));
                match name.strip_prefix("Shift+") {
                    Some(code) => Press {
                        code: code.into(),
                        shift: true,
                    },
                    None => Press {
                        code: name.into(),
                        shift: false,
                    },
                }
            })
            .collect()
    }

    /// German (QWERTZ) for the calibration's characters, written out key by key (not through
    /// `KNOWN`): y and z swapped, `_` on Shift and the key right of the full stop.
    fn german() -> ScannerLayout {
        let mut keys = BTreeMap::new();
        for (code, plain, shifted) in US_KEYS {
            let (code, plain, shifted) = match *code {
                "KeyY" => ("KeyY", 'z', 'Z'),
                "KeyZ" => ("KeyZ", 'y', 'Y'),
                "Slash" => ("Slash", '-', '_'),
                "Minus" => ("Minus", 'ß', '?'),
                _ => (*code, *plain, *shifted),
            };
            keys.insert(code.to_string(), plain);
            keys.insert(format!("Shift+{code}"), shifted);
        }
        ScannerLayout { keys }
    }

    /// French (AZERTY), written out the same way: a/q and z/w swapped, m right of l, digits
    /// on Shift, `_` on the 8 key.
    fn french() -> ScannerLayout {
        let digits = "&é\"'(-è_çà";
        let mut keys = BTreeMap::new();
        for (code, plain, shifted) in US_KEYS {
            let (plain, shifted) = match *code {
                "KeyQ" => ('a', 'A'),
                "KeyA" => ('q', 'Q'),
                "KeyW" => ('z', 'Z'),
                "KeyZ" => ('w', 'W'),
                "Semicolon" => ('m', 'M'),
                "KeyM" => (',', '?'),
                "Minus" => (')', '°'),
                d if d.starts_with("Digit") => {
                    let n = d[5..].parse::<usize>().unwrap();
                    let at = (n + 9) % 10;
                    (digits.chars().nth(at).unwrap(), d.chars().last().unwrap())
                }
                _ => (*plain, *shifted),
            };
            keys.insert(code.to_string(), plain);
            keys.insert(format!("Shift+{code}"), shifted);
        }
        ScannerLayout { keys }
    }

    #[test]
    fn a_french_scanner_is_learned_and_named() {
        let layout = learn(&typed(&french(), CALIBRATION_TEXT)).unwrap();
        assert_eq!(layout.known(), Some("FR"));
        let kept = Kept::of(layout.clone(), true, None);
        let german = Words::of(crate::i18n::Language::German);
        assert_eq!(kept.name(&german).as_deref(), Some("Französisch (AZERTY)"));
        let us = Kept::of(ScannerLayout::us(), false, None);
        assert_eq!(us.name(&Words::english()).as_deref(), Some("US"));
        let one = Press {
            code: "Digit1".into(),
            shift: true,
        };
        assert_eq!(layout.char_of(&one), Some('1'));
    }

    #[test]
    fn the_us_table_types_every_printable_ascii_character() {
        let us = ScannerLayout::us();
        for b in 0x20u8..0x7f {
            assert!(us.press_of(b as char).is_some(), "{:?}", b as char);
        }
        assert_eq!(
            us.char_of(&Press {
                code: "Minus".into(),
                shift: true
            }),
            Some('_')
        );
        assert_eq!(us.known(), Some("US"));
    }

    #[test]
    fn a_german_scanner_is_learned_from_the_calibration_code_and_named() {
        let layout = learn(&typed(&german(), CALIBRATION_TEXT)).unwrap();
        assert_eq!(layout.known(), Some("DE"));
        let z = Press {
            code: "KeyY".into(),
            shift: false,
        };
        assert_eq!(layout.char_of(&z), Some('z'));
        let underscore = Press {
            code: "Slash".into(),
            shift: true,
        };
        assert_eq!(layout.char_of(&underscore), Some('_'));
        // The ticket the scanner types next reads right through what was learned.
        let ticket = "tkt_01jzy5cgsg0s32w2pr73vbccde";
        let read: String = typed(&german(), ticket)
            .iter()
            .map(|p| layout.char_of(p).unwrap())
            .collect();
        assert_eq!(read, ticket);
        // Through US the same keys are not the ticket.
        let us = ScannerLayout::us();
        let misread: String = typed(&german(), ticket)
            .iter()
            .map(|p| us.char_of(p).unwrap())
            .collect();
        assert_eq!(misread, "tkt?01jyz5cgsg0s32w2pr73vbccde");
    }

    #[test]
    fn a_layout_of_its_own_is_learned_but_not_named() {
        // A scanner whose digits are shifted and whose letters are where US has them: French
        // digits, US letters.
        let mut presses = typed(&ScannerLayout::us(), CALIBRATION_TEXT);
        for p in presses.iter_mut().filter(|p| p.code.starts_with("Digit")) {
            p.shift = true;
        }
        let layout = learn(&presses).unwrap();
        assert_eq!(layout.known(), None);
    }

    #[test]
    fn a_burst_that_does_not_align_with_the_calibration_code_is_refused_with_what_is_wrong() {
        let good = typed(&german(), CALIBRATION_TEXT);
        let short = &good[..good.len() - 3];
        let e = learn(short).unwrap_err();
        assert_eq!(e.code(), "CALIBRATION_MISMATCH");
        assert!(e.to_string().contains("dropped or added keys"), "{e}");
        // In German the whole sentence is German, with the counts in it.
        let german = Words::of(crate::i18n::Language::German).say(&e.said());
        assert!(
            german.contains("nicht angelernt") && german.contains(&format!("{}", short.len())),
            "{german}"
        );

        let mut same_key = good.clone();
        same_key[20] = same_key[21].clone();
        let e = learn(&same_key).unwrap_err().to_string();
        assert!(e.contains("the same key"), "{e}");

        let mut two_keys = good.clone();
        two_keys[0] = Press {
            code: "KeyJ".into(),
            shift: true,
        };
        let e = learn(&two_keys).unwrap_err().to_string();
        assert!(e.contains("two different keys"), "{e}");

        let mut no_code = good;
        no_code[5].code = String::new();
        let e = learn(&no_code).unwrap_err().to_string();
        assert!(e.contains("without a physical key code"), "{e}");
    }

    #[test]
    fn a_learned_layout_is_kept_read_back_and_forgotten() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open(tmp.path()).unwrap();
        let fresh = load(store.conn()).unwrap();
        assert!(!fresh.learned && fresh.warning.is_none());
        assert_eq!(fresh.layout, Some("US"));
        let layout = learn(&typed(&german(), CALIBRATION_TEXT)).unwrap();
        save(store.conn(), &layout).unwrap();
        let kept = load(store.conn()).unwrap();
        assert!(kept.learned && kept.warning.is_none());
        assert_eq!(kept.keys, layout);
        assert_eq!(kept.layout, Some("DE"));
        let english = Words::english();
        let german = Words::of(crate::i18n::Language::German);
        assert_eq!(kept.name(&english).as_deref(), Some("German (QWERTZ)"));
        assert_eq!(kept.name(&german).as_deref(), Some("Deutsch (QWERTZ)"));
        forget(store.conn()).unwrap();
        let back = load(store.conn()).unwrap();
        assert!(!back.learned);
        assert_eq!(back.keys, ScannerLayout::us());
    }

    #[test]
    fn a_damaged_stored_layout_is_us_with_a_warning_that_says_what_is_wrong() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open(tmp.path()).unwrap();
        crate::settings::device_id(store.conn()).unwrap();
        let complete = learn(&typed(&german(), CALIBRATION_TEXT))
            .unwrap()
            .to_json();
        let missing_z = complete.replace(r#""KeyY":"z","#, "");
        assert_ne!(missing_z, complete);
        for (bad, says) in [
            ("{not json", "not a key table"),
            (r#"["KeyA"]"#, "not a key table"),
            (r#"{"Key A!":"a"}"#, "is not a key"),
            (r#"{"KeyA":"ab"}"#, "not one character"),
            (missing_z.as_str(), r#"0 keys type 'z'"#),
        ] {
            store
                .conn()
                .execute("UPDATE device SET scanner_keys = ?1 WHERE id = 1", [bad])
                .unwrap();
            let kept = load(store.conn()).unwrap();
            assert!(!kept.learned, "{bad}");
            assert_eq!(kept.keys, ScannerLayout::us(), "{bad}");
            let warning = kept.warning_in(&Words::english()).unwrap_or_default();
            assert!(
                warning.contains("damaged") && warning.contains(says),
                "{bad}: {warning}"
            );
            // The door's language words the warning, the specifics stay as they are.
            let german = Words::of(crate::i18n::Language::German);
            let gewarnt = kept.warning_in(&german).unwrap_or_default();
            assert!(gewarnt.contains("beschädigt"), "{bad}: {gewarnt}");
            assert!(!gewarnt.contains("damaged"), "{bad}: {gewarnt}");
        }
    }
}
