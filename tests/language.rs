//! The command line's language: `--lang`, `USHER_LANG`, the device's (`usher language`),
//! else the OS's; verdicts, status and errors from the catalogs, codes unchanged.

use crate::support::*;
use session_api::TicketStatus;

#[test]
fn a_cancelled_ticket_scanned_with_lang_de_is_storniert_and_its_code_stays_cancelled() {
    let door = Door::ready(&["--offline"]);
    let id = &tickets(0, TicketStatus::Cancelled)[0];
    let text = door.run(&["--lang", "de", "scan", id]).success().stdout();
    assert!(text.starts_with("STORNIERT"), "{text}");
    assert!(text.contains("Dieses Ticket wurde storniert."), "{text}");

    let json = door
        .run(&["--lang", "de", "--json", "scan", id])
        .success()
        .json_lines();
    assert_eq!(
        json[0]["verdict"], "CANCELLED",
        "the code is the same in every language"
    );
    assert_eq!(json[0]["look"]["headline"], "STORNIERT");
    assert_eq!(json[0]["upload"], "NONE");
}

#[test]
fn usher_lang_in_the_environment_words_the_verdict_in_german() {
    let door = Door::ready(&["--offline"]);
    let id = &dataset().ticket_ids_of_admission(0, 0, TicketStatus::Active)[5];
    let run = Run(door
        .cmd()
        .env("USHER_LANG", "de")
        .args(["scan", id])
        .output()
        .unwrap());
    let text = run.success().stdout();
    assert!(text.starts_with("EINLASS"), "{text}");
}

#[test]
fn the_language_set_with_usher_language_is_kept_for_every_later_command_until_lang_overrides_it() {
    let door = Door::ready(&["--offline"]);
    let said = door.run(&["language", "de"]).success().stdout();
    assert!(said.contains("Deutsch"), "{said}");
    let id = &tickets(0, TicketStatus::Cancelled)[1];
    assert!(door
        .run(&["scan", id])
        .success()
        .stdout()
        .starts_with("STORNIERT"));
    let status = door.run(&["status"]).success().stdout();
    assert!(status.contains("eingecheckt: "), "{status}");
    assert!(status.contains("warten auf Upload: "), "{status}");
    assert!(
        door.run(&["--lang", "en", "scan", id])
            .success()
            .stdout()
            .starts_with("CANCELLED"),
        "--lang wins over the device's language"
    );
    door.run(&["language", "os"]).success();
    assert!(door
        .run(&["scan", id])
        .success()
        .stdout()
        .starts_with("CANCELLED"));
}

#[test]
fn an_error_in_german_keeps_its_code_and_an_unknown_language_is_refused_clearly() {
    let door = Door::new();
    let err = door.run(&["--lang", "de", "--json", "status"]).failure();
    let v: serde_json::Value = serde_json::from_str(err.trim()).unwrap();
    assert_eq!(v["error"]["code"], "NOT_SET_UP");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("nicht eingerichtet"),
        "{v}"
    );

    let ready = Door::ready(&["--offline"]);
    let id = &tickets(0, TicketStatus::Cancelled)[2];
    let err = ready.run(&["--lang", "xx", "scan", id]).failure();
    assert!(
        err.contains("unknown language \"xx\": use one of en, de"),
        "{err}"
    );
    assert!(ready.log().is_empty(), "a refused command records nothing");
    let err = ready.run(&["language", "klingon"]).failure();
    assert!(err.contains("unknown language"), "{err}");
}
