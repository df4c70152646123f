use super::*;
use fluent_syntax::ast;
use fluent_syntax::parser::parse;
use std::collections::BTreeSet;

/// Per file: message id → (its attributes, the variables its value and each attribute use).
type Shape = BTreeMap<String, (BTreeSet<String>, BTreeMap<String, BTreeSet<String>>)>;

fn variables_of_pattern(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for element in &p.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            variables_of_expression(expression, out);
        }
    }
}

fn variables_of_expression(e: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    match e {
        ast::Expression::Select { selector, variants } => {
            variables_of_inline(selector, out);
            for v in variants {
                variables_of_pattern(&v.value, out);
            }
        }
        ast::Expression::Inline(i) => variables_of_inline(i, out),
    }
}

fn variables_of_inline(i: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match i {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        ast::InlineExpression::Placeable { expression } => variables_of_expression(expression, out),
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                variables_of_inline(a, out);
            }
            for a in &arguments.named {
                variables_of_inline(&a.value, out);
            }
        }
        _ => {}
    }
}

/// Parses one catalog file strictly: a syntax error is a failure, naming the file.
fn shape(language: Language, name: &str, text: &str) -> Shape {
    let resource = parse(text).unwrap_or_else(|(_, errors)| {
        panic!("{}/{name} does not parse: {errors:?}", language.code())
    });
    let mut out = Shape::new();
    for entry in resource.body {
        match entry {
            ast::Entry::Message(m) => {
                let mut vars = BTreeMap::new();
                let mut value_vars = BTreeSet::new();
                if let Some(v) = &m.value {
                    variables_of_pattern(v, &mut value_vars);
                }
                vars.insert(String::new(), value_vars);
                let mut attrs = BTreeSet::new();
                for a in &m.attributes {
                    attrs.insert(a.id.name.to_owned());
                    let mut av = BTreeSet::new();
                    variables_of_pattern(&a.value, &mut av);
                    vars.insert(a.id.name.to_owned(), av);
                }
                let previous = out.insert(m.id.name.to_owned(), (attrs, vars));
                assert!(
                    previous.is_none(),
                    "{}/{name} defines {} twice",
                    language.code(),
                    m.id.name
                );
            }
            ast::Entry::Junk { content } => {
                panic!(
                    "{}/{name} has text that is no message: {content:?}",
                    language.code()
                )
            }
            _ => {}
        }
    }
    out
}

fn shapes(language: Language) -> BTreeMap<String, Shape> {
    catalog_files(language)
        .into_iter()
        .map(|(name, text)| (name.to_owned(), shape(language, name, text)))
        .collect()
}

/// Every language's catalog gaps against English: missing files, messages, attributes, and
/// messages whose variables differ.
fn gaps(english: &BTreeMap<String, Shape>, other: &BTreeMap<String, Shape>) -> Vec<String> {
    let mut gaps = Vec::new();
    for (file, messages) in english {
        let Some(theirs) = other.get(file) else {
            gaps.push(format!("file {file} is missing"));
            continue;
        };
        for (id, (attrs, vars)) in messages {
            let Some((their_attrs, their_vars)) = theirs.get(id) else {
                gaps.push(format!("{file}: message {id} is missing"));
                continue;
            };
            for a in attrs.difference(their_attrs) {
                gaps.push(format!("{file}: attribute {id}.{a} is missing"));
            }
            for (part, v) in vars {
                if let Some(tv) = their_vars.get(part) {
                    if tv != v {
                        gaps.push(format!(
                            "{file}: {id}{}{part} uses variables {tv:?}, English {v:?}",
                            if part.is_empty() { "" } else { "." }
                        ));
                    }
                }
            }
        }
    }
    gaps
}

#[test]
fn every_catalog_parses_and_has_every_message_attribute_and_variable_english_has() {
    let english = shapes(Language::English);
    assert!(
        english.contains_key("door.ftl") && english.contains_key("page.ftl"),
        "English has {:?}",
        english.keys()
    );
    let messages: usize = english.values().map(|m| m.len()).sum();
    assert!(messages > 100, "only {messages} English messages?");
    for language in Language::ALL {
        let files = shapes(language);
        // One bundle holds every file of a language: an id may be in one file only.
        let mut seen = BTreeMap::new();
        for (file, messages) in &files {
            for id in messages.keys() {
                if let Some(other) = seen.insert(id.clone(), file.clone()) {
                    panic!("{}: {id} is in both {other} and {file}", language.code());
                }
            }
        }
        let gaps = gaps(&english, &files);
        assert!(
            gaps.is_empty(),
            "the {} catalog lacks what English has:\n{}",
            language.code(),
            gaps.join("\n")
        );
    }
}

#[test]
fn the_completeness_check_finds_a_deleted_message_a_missing_attribute_and_a_changed_variable() {
    let en = "a = A\nb = B { $n }\n    .title = T\n";
    let english = BTreeMap::from([("x.ftl".to_owned(), shape(Language::English, "x.ftl", en))]);
    let other =
        |text: &str| BTreeMap::from([("x.ftl".to_owned(), shape(Language::German, "x.ftl", text))]);
    assert!(gaps(&english, &other(en)).is_empty());
    let missing = gaps(&english, &other("b = B { $n }\n    .title = T\n"));
    assert_eq!(missing, ["x.ftl: message a is missing"]);
    let no_attr = gaps(&english, &other("a = A\nb = B { $n }\n"));
    assert_eq!(no_attr, ["x.ftl: attribute b.title is missing"]);
    let renamed = gaps(
        &english,
        &other("a = A\nb = B { $count }\n    .title = T\n"),
    );
    assert_eq!(renamed.len(), 1, "{renamed:?}");
    assert!(gaps(&english, &BTreeMap::new())[0].contains("file x.ftl is missing"));
}

#[test]
#[should_panic(expected = "does not parse")]
fn a_catalog_that_does_not_parse_fails_the_check() {
    shape(Language::German, "x.ftl", "a = { $n\n");
}

#[test]
fn a_language_comes_from_tags_and_posix_locales_and_unknown_ones_are_refused() {
    assert_eq!(Language::from_tag("de"), Some(Language::German));
    assert_eq!(Language::from_tag("de-AT"), Some(Language::German));
    assert_eq!(Language::from_tag("de_DE.UTF-8"), Some(Language::German));
    assert_eq!(Language::from_tag("en-US"), Some(Language::English));
    assert_eq!(Language::from_tag("fr-FR"), None);
    assert_eq!(Language::from_tag(""), None);
    let e = Language::parse("klingon").unwrap_err();
    assert_eq!(e.code(), "INVALID_CONFIG");
    assert!(e.to_string().contains("en, de"), "{e}");
}

#[test]
fn numbers_and_dates_follow_the_language() {
    assert_eq!(Language::German.number(1234), "1.234");
    assert_eq!(Language::English.number(1234567), "1,234,567");
    assert_eq!(Language::German.number(-999), "-999");
    let z: Zoned = "2026-12-06T18:05:00[Europe/Berlin]".parse().unwrap();
    assert_eq!(Language::German.date(&z), "06.12.2026");
    assert_eq!(Language::English.date(&z), "6 Dec 2026");
    assert_eq!(Language::German.clock(&z), "18:05");
    assert_eq!(Language::German.day_time(&z), "So. 06.12. 18:05");
    assert_eq!(Language::English.day_time(&z), "Sun 6 Dec 18:05");
    // Fluent numbers in German messages are grouped the German way.
    let de = Catalog::of(Language::German);
    assert_eq!(
        de.text("age-days", &[("n", Arg::from(1234.0))]),
        "1.234 Tage"
    );
    assert_eq!(de.text("age-days", &[("n", Arg::from(1.0))]), "1 Tag");
}

#[test]
fn a_message_no_catalog_has_shows_its_id_and_german_falls_back_to_english() {
    let de = Catalog::of(Language::German);
    assert_eq!(de.text("no-such-message", &[]), "no-such-message");
    assert!(!de.has("no-such-message"));
    assert!(de.has("headline-CANCELLED"));
    assert_eq!(de.text("headline-CANCELLED", &[]), "STORNIERT");
}

#[test]
fn the_page_gets_every_page_message_resolved_in_its_language() {
    let de = Catalog::of(Language::German).page_texts();
    let en = Catalog::of(Language::English).page_texts();
    assert_eq!(de.keys().collect::<Vec<_>>(), en.keys().collect::<Vec<_>>());
    assert!(de.values().all(|t| !t.is_empty()));
    assert_ne!(de.get("nav-setup"), en.get("nav-setup"));
}

/// The workspace's Rust sources (every crate's `src`, and the shell's), as (path, text).
fn workspace_sources() -> Vec<(std::path::PathBuf, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut dirs = vec![root.join("src-tauri/src")];
    for krate in std::fs::read_dir(root.join("crates")).expect("the crates folder") {
        dirs.push(krate.expect("a crate").path().join("src"));
    }
    let mut out = vec![];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs")
                && !path.ends_with("i18n_tests.rs")
            {
                let text = std::fs::read_to_string(&path).expect("a readable source");
                out.push((path, text));
            }
        }
    }
    assert!(out.len() > 50, "found only {} sources", out.len());
    out
}

/// Each `"…"` literal right after `opening` in `text`.
fn literals_after<'a>(text: &'a str, opening: &str) -> Vec<&'a str> {
    text.match_indices(opening)
        .filter_map(|(at, _)| {
            let rest = &text[at + opening.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

#[test]
fn every_message_the_code_says_and_every_error_code_has_english_words() {
    let english = Catalog::of(Language::English);
    let mut missing = vec![];
    let mut seen = 0;
    for (path, text) in workspace_sources() {
        let mut ids: Vec<String> = literals_after(&text, "Said::new(\"")
            .into_iter()
            .map(str::to_owned)
            .collect();
        ids.extend(
            literals_after(&text, "Said::io(\"")
                .into_iter()
                .map(|verb| format!("io-{verb}")),
        );
        // Every stable error code (the `=> "CODE"` arms of each error's `code()`).
        if text.contains("fn code(&self) -> &'static str") {
            ids.extend(
                literals_after(&text, "=> \"")
                    .into_iter()
                    .filter(|c| c.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
                    .map(|code| format!("error-{code}")),
            );
        }
        for id in ids {
            seen += 1;
            if !english.has(&id) {
                missing.push(format!("{}: {id}", path.display()));
            }
        }
    }
    assert!(seen > 100, "found only {seen} messages in the code");
    assert!(missing.is_empty(), "no English words for: {missing:#?}");
}

#[test]
fn the_check_for_missing_words_sees_a_message_the_catalog_lacks() {
    let english = Catalog::of(Language::English);
    let text = "x(Said::new(\"no-such-message\")); Said::io(\"write\", &p)";
    let ids = literals_after(text, "Said::new(\"");
    assert_eq!(ids, ["no-such-message"]);
    assert!(!english.has(ids[0]));
    assert!(english.has(&format!("io-{}", literals_after(text, "Said::io(\"")[0])));
}

#[test]
fn an_error_is_worded_whole_in_german_with_its_specifics_and_nested_words() {
    let german = Catalog::of(Language::German);
    let e = crate::Error::Refused(Said::new("refused-lookup-off").with("gate", "Nord 2"));
    assert_eq!(
        e.to_string(),
        "guest lookup is switched off at Nord 2 (its gate profile): scan the ticket, or switch \
         lookup on in Setup"
    );
    let words = e.said().in_words(&german);
    assert!(
        words.starts_with("Die Gästesuche ist an Nord 2 ausgeschaltet"),
        "{words}"
    );
    // A nested message is worded in the same language; counts follow its grouping.
    let many = crate::Error::Refused(
        Said::new("refused-forget-waiting")
            .with("waiting", 1234)
            .with("event", "evt_1"),
    );
    let words = many.said().in_words(&german);
    assert!(
        words.starts_with("1.234 Scans der Veranstaltung evt_1 warten"),
        "{words}"
    );
    assert!(
        many.to_string()
            .starts_with("1,234 scans of event evt_1 are"),
        "{many}"
    );
    let one = Said::new("refused-forget-waiting")
        .with("waiting", 1)
        .with("event", "evt_1");
    assert!(
        one.to_string().starts_with("1 scan of event evt_1 is"),
        "{one}"
    );
}

#[test]
fn a_kept_said_reads_back_and_plain_text_from_an_older_row_is_quoted() {
    let said = Said::new("layout-damaged").with(
        "why",
        Said::new("layout-keys-per-character")
            .with("keys", 0)
            .with("character", "'z'"),
    );
    assert_eq!(Said::from_stored(&said.stored()), said);
    let old = Said::from_stored("cannot reach Session Services (network down?); will retry");
    assert_eq!(
        old.to_string(),
        "cannot reach Session Services (network down?); will retry"
    );
    assert_eq!(Said::from_stored("{not json").to_string(), "{not json");
}
