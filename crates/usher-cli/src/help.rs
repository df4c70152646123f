//! `usher --help` in the language in force. Clap writes its help from the doc comments of
//! `main.rs` and has no message catalogs, so before the arguments are parsed, each command's
//! summary, each argument's help and the help's headings are replaced with `cli-help.ftl`'s
//! messages (`help-PATH` for a command, `help-PATH--ARG` for an argument, PATH the command's
//! names joined by `-`, from `usher`). English is the catalog's too: a test fails on a command
//! or argument without a message, so the words shown live in one place.
//!
//! Clap's own refusals of a mistyped command line ("unexpected argument") stay English.

use clap::{Arg, ArgAction, Command};
use std::ffi::OsString;
use usher_core::i18n::{Catalog, Language};

/// The language of the help, before the arguments are parsed: `--lang X` (or `--lang=X`),
/// else `USHER_LANG`, else the OS's; a tag that is no language is left to the parser to
/// refuse, and the help is then English.
pub fn language_of(args: &[OsString]) -> Language {
    let mut given = None;
    let mut args = args.iter().filter_map(|a| a.to_str());
    while let Some(a) = args.next() {
        if a == "--" {
            break;
        }
        if let Some(v) = a.strip_prefix("--lang=") {
            given = Some(v.to_owned());
        } else if a == "--lang" {
            given = args.next().map(str::to_owned);
        }
    }
    let given = given.or_else(|| std::env::var("USHER_LANG").ok());
    match given {
        Some(tag) => Language::from_tag(&tag).unwrap_or(Language::English),
        None => Language::from_os(),
    }
}

/// `command` with its help in `catalog`'s language.
pub fn translated(mut command: Command, catalog: &Catalog) -> Command {
    command.build();
    words(command, "usher", catalog)
}

fn words(mut command: Command, path: &str, catalog: &Catalog) -> Command {
    let text = |id: &str| catalog.text(id, &[]);
    if command.get_about().is_some() {
        command = command.about(text(&about_id(path)));
    }
    command = command
        .help_template(format!(
            "{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
            text("help-heading-usage")
        ))
        .subcommand_help_heading(text("help-heading-commands"));
    let args: Vec<(String, Option<String>, bool)> = command
        .get_arguments()
        .map(|a| (a.get_id().to_string(), help_id(a, path), a.is_positional()))
        .collect();
    for (id, help, positional) in args {
        let heading = if positional {
            "help-heading-arguments"
        } else {
            "help-heading-options"
        };
        command = command.mut_arg(&id, |a: Arg| {
            let a = a.help_heading(text(heading));
            match &help {
                Some(help) => a.help(text(help)),
                None => a,
            }
        });
    }
    let subcommands: Vec<String> = command
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in subcommands {
        let inner = format!("{path}-{name}");
        command = command.mut_subcommand(&name, |s| words(s, &inner, catalog));
    }
    command
}

/// The message of a command's summary: `help-PATH`; `usher help X`'s entry for command X
/// is X's own summary.
fn about_id(path: &str) -> String {
    match path.strip_prefix("usher-help-") {
        Some(command) => format!("help-usher-{command}"),
        None => format!("help-{path}"),
    }
}

/// The message of `arg`'s help in the command at `path`: clap's own `--help` and
/// `--version` have one each, a global option the root's; `None` for an argument with no
/// help of its own.
fn help_id(arg: &Arg, path: &str) -> Option<String> {
    match arg.get_action() {
        ArgAction::Help | ArgAction::HelpShort | ArgAction::HelpLong => {
            Some("help-flag-help".into())
        }
        ArgAction::Version => Some("help-flag-version".into()),
        _ if arg.get_help().is_none() => None,
        _ if arg.is_global_set() => Some(format!("help-usher--{}", arg.get_id())),
        _ => Some(format!("help-{path}--{}", arg.get_id())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Every (message id, English text from the doc comments) the help needs.
    fn needed(command: &Command, path: &str, out: &mut Vec<(String, String)>) {
        if let Some(about) = command.get_about() {
            out.push((about_id(path), about.to_string()));
        }
        for a in command.get_arguments() {
            if let Some(id) = help_id(a, path) {
                let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
                out.push((id, help));
            }
        }
        for s in command.get_subcommands() {
            needed(s, &format!("{path}-{}", s.get_name()), out);
        }
    }

    #[test]
    fn every_command_and_argument_has_help_words_in_english() {
        let mut command = crate::Cli::command();
        command.build();
        let mut all = vec![];
        needed(&command, "usher", &mut all);
        assert!(all.len() > 40, "only {} help texts?", all.len());
        let english = Catalog::of(Language::English);
        all.sort();
        all.dedup();
        let missing: Vec<String> = all
            .iter()
            .filter(|(id, _)| !english.has(id))
            .map(|(id, text)| format!("{id} = {text}"))
            .collect();
        assert!(
            missing.is_empty(),
            "cli-help.ftl lacks:\n{}",
            missing.join("\n")
        );
    }

    #[test]
    fn the_help_is_in_german_when_the_language_is_german() {
        let german = Catalog::of(Language::German);
        let mut root = translated(crate::Cli::command(), &german);
        let help = root.render_help().to_string();
        assert!(
            help.contains("Befehle:") && help.contains("Aufruf:"),
            "{help}"
        );
        assert!(
            !help.contains("Commands:") && !help.contains("Print help"),
            "{help}"
        );
        let setup = root.find_subcommand_mut("setup").expect("setup");
        let help = setup.render_help().to_string();
        assert!(help.contains("Optionen:"), "{help}");
    }

    #[test]
    fn the_help_language_comes_from_lang_then_the_environment() {
        let args = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            language_of(&args(&["usher", "--lang", "de", "status"])),
            Language::German
        );
        assert_eq!(
            language_of(&args(&["usher", "--lang=en", "status"])),
            Language::English
        );
        assert_eq!(
            language_of(&args(&["usher", "--lang", "xx"])),
            Language::English
        );
    }
}
