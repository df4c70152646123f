//! Languages: every word the window and the command line show comes from the Fluent catalogs
//! in `crates/usher-core/locales/<language>/*.ftl`, embedded at compile time.
//!
//! A [`Catalog`] is one language's messages (English is the fallback for a message a newer
//! English catalog has and another does not yet; a unit test fails on any such gap). The
//! door's [`crate::look::Words`] holds one; `page.ftl` is what the window's page shows as
//! static text ([`Catalog::page_texts`]).
//!
//! Numbers and times follow the language: Fluent's numbers go through [`Language::number`]
//! (grouping), and [`Language::clock`] / [`Language::date`] / [`Language::day_time`] give the
//! clock, the date and "day + time" forms.

use crate::error::{Error, Result};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use include_dir::{include_dir, Dir};
use jiff::civil::Weekday;
use jiff::Zoned;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

pub use fluent_bundle::FluentValue as Arg;

/// The catalogs, one folder per language, embedded at compile time.
static LOCALES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/locales");

/// A language the door speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Language {
    /// English (`en`), the fallback.
    English,
    /// German (`de`).
    German,
}

impl Language {
    /// Every language, in the order Setup offers them.
    pub const ALL: [Language; 2] = [Language::English, Language::German];

    /// The language subtag, and the name of its catalog folder: `en`, `de`.
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::German => "de",
        }
    }

    /// The language's name in itself, as a selector offers it: "English", "Deutsch".
    pub fn own_name(self) -> &'static str {
        match self {
            Language::English => "English",
            Language::German => "Deutsch",
        }
    }

    /// The language of a BCP 47 tag or a POSIX locale (`de`, `de-AT`, `de_DE.UTF-8`,
    /// `en-US`); None for a language without a catalog, or text that is no tag at all.
    pub fn from_tag(tag: &str) -> Option<Language> {
        // POSIX locales: "de_DE.UTF-8@euro" → "de-DE".
        let tag = tag.split(['.', '@']).next().unwrap_or("").replace('_', "-");
        let id: unic_langid::LanguageIdentifier = tag.parse().ok()?;
        Language::ALL
            .into_iter()
            .find(|l| id.language.as_str() == l.code())
    }

    /// [`Language::from_tag`], or a clear error naming the languages there are.
    pub fn parse(tag: &str) -> Result<Language> {
        Language::from_tag(tag).ok_or_else(|| {
            let known: Vec<_> = Language::ALL.iter().map(|l| l.code()).collect();
            Error::InvalidConfig(
                Said::new("config-language")
                    .with("tag", format!("{tag:?}"))
                    .with("known", known.join(", ")),
            )
        })
    }

    /// The OS's preferred language that has a catalog (through `sys-locale`), else English.
    pub fn from_os() -> Language {
        sys_locale::get_locales()
            .find_map(|tag| Language::from_tag(&tag))
            .unwrap_or(Language::English)
    }

    /// A whole number with the language's grouping: "1,234" in English, "1.234" in German.
    pub fn number(self, n: i64) -> String {
        let sep = match self {
            Language::English => ',',
            Language::German => '.',
        };
        let digits = n.unsigned_abs().to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
        if n < 0 {
            out.push('-');
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(c);
        }
        out
    }

    /// The clock: "19:42" (both languages use the 24-hour clock at a door).
    pub fn clock(self, z: &Zoned) -> String {
        z.strftime("%H:%M").to_string()
    }

    /// A date: "6 Dec 2026" in English, "06.12.2026" in German.
    pub fn date(self, z: &Zoned) -> String {
        match self {
            Language::English => z.strftime("%-d %b %Y").to_string(),
            Language::German => z.strftime("%d.%m.%Y").to_string(),
        }
    }

    /// Date and time to the second, for a report: "28 Nov 2026 19:05:09",
    /// "28.11.2026 19:05:09".
    pub fn stamp(self, z: &Zoned) -> String {
        format!("{} {}", self.date(z), z.strftime("%H:%M:%S"))
    }

    /// Day and time, for an entry window: "Sat 28 Nov 19:00", "Sa. 28.11. 19:00".
    pub fn day_time(self, z: &Zoned) -> String {
        match self {
            Language::English => z.strftime("%a %-d %b %H:%M").to_string(),
            Language::German => format!(
                "{} {}",
                german_weekday(z.weekday()),
                z.strftime("%d.%m. %H:%M")
            ),
        }
    }
}

/// German weekday abbreviations. Hand-written: jiff's `strftime` names days in English only,
/// and the one well-kept crate that knows CLDR's names (ICU4X's `icu_datetime`) brings its
/// whole locale data and build for seven words; this table and the patterns above are the
/// whole of what the door shows.
fn german_weekday(d: Weekday) -> &'static str {
    match d {
        Weekday::Monday => "Mo.",
        Weekday::Tuesday => "Di.",
        Weekday::Wednesday => "Mi.",
        Weekday::Thursday => "Do.",
        Weekday::Friday => "Fr.",
        Weekday::Saturday => "Sa.",
        Weekday::Sunday => "So.",
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl From<Language> for String {
    fn from(l: Language) -> String {
        l.code().to_owned()
    }
}

impl TryFrom<String> for Language {
    type Error = Error;
    fn try_from(s: String) -> Result<Language> {
        Language::parse(&s)
    }
}

impl std::str::FromStr for Language {
    type Err = Error;
    fn from_str(s: &str) -> Result<Language> {
        Language::parse(s)
    }
}

/// One language's messages, with English behind them.
pub struct Catalog {
    language: Language,
    own: FluentBundle<FluentResource>,
    english: Option<Arc<Catalog>>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("language", &self.language)
            .finish_non_exhaustive()
    }
}

/// The `.ftl` files of one language: (file name, text).
pub fn catalog_files(language: Language) -> Vec<(&'static str, &'static str)> {
    let Some(dir) = LOCALES.get_dir(language.code()) else {
        return Vec::new();
    };
    let mut files: Vec<_> = dir
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "ftl"))
        .filter_map(|f| {
            Some((
                f.path().file_name()?.to_str()?,
                f.contents_utf8().unwrap_or(""),
            ))
        })
        .collect();
    files.sort();
    files
}

fn format_english(v: &FluentValue<'_>, _: &intl_memoizer_kind::Memo) -> Option<String> {
    number_value(v).map(|n| Language::English.number(n))
}

fn format_german(v: &FluentValue<'_>, _: &intl_memoizer_kind::Memo) -> Option<String> {
    number_value(v).map(|n| Language::German.number(n))
}

/// A whole Fluent number (the door's numbers are counts); None leaves Fluent's own form.
fn number_value(v: &FluentValue<'_>) -> Option<i64> {
    match v {
        FluentValue::Number(n) if n.value.fract() == 0.0 && n.value.abs() < 1e15 => {
            Some(n.value as i64)
        }
        _ => None,
    }
}

/// The memoizer type of the concurrent bundle, named once.
mod intl_memoizer_kind {
    pub type Memo = intl_memoizer::concurrent::IntlLangMemoizer;
}

impl Catalog {
    /// The catalog of `language`, built once per process from the embedded files.
    pub fn of(language: Language) -> Arc<Catalog> {
        static BUILT: [OnceLock<Arc<Catalog>>; 2] = [OnceLock::new(), OnceLock::new()];
        let slot = Language::ALL
            .iter()
            .position(|l| *l == language)
            .expect("every language is in ALL");
        BUILT[slot]
            .get_or_init(|| Arc::new(Catalog::build(language)))
            .clone()
    }

    fn build(language: Language) -> Catalog {
        let id: unic_langid::LanguageIdentifier =
            language.code().parse().expect("our codes are tags");
        let mut own = FluentBundle::new_concurrent(vec![id]);
        // No Unicode isolation marks around arguments: the page sets text, and a terminal
        // would print them as noise.
        own.set_use_isolating(false);
        own.set_formatter(Some(match language {
            Language::English => format_english,
            Language::German => format_german,
        }));
        for (name, text) in catalog_files(language) {
            // A file that does not parse keeps what did parse; the completeness test fails on it.
            let resource = FluentResource::try_new(text.to_owned()).unwrap_or_else(|(r, _)| r);
            if own.add_resource(resource).is_err() {
                debug_assert!(false, "{}/{name} defines a message twice", language.code());
            }
        }
        let english = (language != Language::English).then(|| Catalog::of(Language::English));
        Catalog {
            language,
            own,
            english,
        }
    }

    /// Which language this is.
    pub fn language(&self) -> Language {
        self.language
    }

    /// Whether this catalog itself (not English behind it) has message `id`.
    pub fn has(&self, id: &str) -> bool {
        self.own.has_message(id)
    }

    /// Message `id` with `args`; English's when this language lacks it; the id itself when
    /// no catalog has it (so a missing message shows, and is never blank).
    pub fn text(&self, id: &str, args: &[(&str, Arg<'_>)]) -> String {
        self.format(id, None, args)
    }

    /// Attribute `attr` of message `id` (`id.attr` in the catalog), as [`Catalog::text`].
    pub fn attr(&self, id: &str, attr: &str, args: &[(&str, Arg<'_>)]) -> String {
        self.format(id, Some(attr), args)
    }

    fn format(&self, id: &str, attr: Option<&str>, args: &[(&str, Arg<'_>)]) -> String {
        let pattern = self.own.get_message(id).and_then(|m| match attr {
            Some(a) => m.get_attribute(a).map(|a| a.value()),
            None => m.value(),
        });
        let Some(pattern) = pattern else {
            return match &self.english {
                Some(en) => en.format(id, attr, args),
                None => attr.map_or_else(|| id.to_owned(), |a| format!("{id}.{a}")),
            };
        };
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            fargs.set(*k, v.clone());
        }
        let mut errors = Vec::new();
        self.own
            .format_pattern(pattern, Some(&fargs), &mut errors)
            .into_owned()
    }

    /// Every message of `page.ftl`, resolved: what the window's page shows as static text,
    /// by id (`data-i18n="id"` in `ui/index.html`, `t("id")` in the page's modules). English
    /// fills any message this language lacks.
    pub fn page_texts(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for (name, text) in catalog_files(Language::English) {
            if name != "page.ftl" {
                continue;
            }
            for id in message_ids(text) {
                out.insert(id.clone(), self.text(&id, &[]));
            }
        }
        out
    }
}

/// Something to tell staff, before it is worded: a message of the catalogs and its
/// arguments. Errors carry one (`Error::said`), so the window and the command line word them
/// in the language in force ([`Said::in_words`]); its `Display` is the English.
///
/// **Architecture invariant:** an error's sentence lives in `errors.ftl` only. What the code
/// passes in are its specifics: a path, a count, a key name, and the words of someone else
/// (the OS, SQLite, a JSON parser, Session Services), which are quoted as they were said.
///
/// A `Said` kept in the database (the last sync failure, why uploads are paused) is stored
/// as JSON ([`Said::stored`]) and worded when it is shown, in the language in force then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Said {
    id: Cow<'static, str>,
    args: Vec<(Cow<'static, str>, SaidArg)>,
}

/// One argument of a [`Said`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SaidArg {
    /// Text shown as it is (a path, a name, the OS's words).
    Text(String),
    /// A count: plurals and the language's grouping.
    Number(i64),
    /// Another message, worded in the same language first.
    Said(Box<Said>),
}

impl From<String> for SaidArg {
    fn from(v: String) -> SaidArg {
        SaidArg::Text(v)
    }
}

impl From<&str> for SaidArg {
    fn from(v: &str) -> SaidArg {
        SaidArg::Text(v.to_owned())
    }
}

impl From<Said> for SaidArg {
    fn from(v: Said) -> SaidArg {
        SaidArg::Said(Box::new(v))
    }
}

macro_rules! said_numbers {
    ($($t:ty),*) => {$(
        impl From<$t> for SaidArg {
            fn from(v: $t) -> SaidArg {
                SaidArg::Number(i64::try_from(v).unwrap_or(i64::MAX))
            }
        }
    )*};
}
said_numbers!(i64, u64, u32, i32, usize);

impl Said {
    /// Message `id` of the catalogs, without arguments yet.
    pub fn new(id: impl Into<Cow<'static, str>>) -> Said {
        Said {
            id: id.into(),
            args: Vec::new(),
        }
    }

    /// With argument `key` (`{ $key }` in the message).
    pub fn with(mut self, key: &'static str, value: impl Into<SaidArg>) -> Said {
        self.args.push((Cow::Borrowed(key), value.into()));
        self
    }

    /// "cannot VERB PATH" (`io-VERB`: read, write, remove, sync, restrict, create-beside,
    /// replace): what a file operation was doing.
    pub fn io(verb: &'static str, path: &impl AsRef<std::path::Path>) -> Said {
        Said::new(format!("io-{verb}")).with("path", path.as_ref().display().to_string())
    }

    /// Someone else's words (the OS's, SQLite's, a parser's, Session Services'), quoted as
    /// they were said.
    pub fn quoted(words: impl std::fmt::Display) -> Said {
        Said::new("quoted").with("words", words.to_string())
    }

    /// As the database keeps it: JSON, read back by [`Said::from_stored`].
    pub fn stored(&self) -> String {
        serde_json::to_string(self).expect("a Said is JSON")
    }

    /// A kept `Said`; text that is not one (a row written before words were kept this way)
    /// is quoted as it is, never lost.
    pub fn from_stored(text: &str) -> Said {
        serde_json::from_str(text).unwrap_or_else(|_| Said::quoted(text))
    }

    /// The words in `catalog`'s language (nested messages too).
    pub fn in_words(&self, catalog: &Catalog) -> String {
        let args: Vec<(&str, Arg<'_>)> = self
            .args
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    SaidArg::Text(t) => Arg::from(t.as_str()),
                    SaidArg::Number(n) => Arg::from(*n as f64),
                    SaidArg::Said(inner) => Arg::from(inner.in_words(catalog)),
                };
                (k.as_ref(), v)
            })
            .collect();
        catalog.text(&self.id, &args)
    }
}

/// Serializes an optional [`Said`] as its English words, for JSON meant for people and
/// scripts (`usher … --json`), where a message is text (`#[serde(serialize_with = …)]`).
pub fn english_opt<S: serde::Serializer>(
    said: &Option<Said>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    said.as_ref().map(Said::to_string).serialize(s)
}

/// As [`english_opt`], for a [`Said`].
pub fn english<S: serde::Serializer>(said: &Said, s: S) -> std::result::Result<S::Ok, S::Error> {
    said.to_string().serialize(s)
}

impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.in_words(&Catalog::of(Language::English)))
    }
}

/// The ids of the messages in one `.ftl` text.
pub fn message_ids(text: &str) -> Vec<String> {
    let resource = match FluentResource::try_new(text.to_owned()) {
        Ok(r) => r,
        Err((r, _)) => r,
    };
    resource
        .entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
#[path = "i18n_tests.rs"]
mod tests;
