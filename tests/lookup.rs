//! `usher lookup`: search as you type, from the first character.

use crate::support::*;
use serde_json::Value;
use session_api::TicketStatus;

fn lookup(door: &Door, q: &str) -> Vec<Value> {
    let v = door
        .run(&["--json", "lookup", q])
        .success()
        .json_lines()
        .remove(0);
    v.as_array().unwrap().clone()
}

fn some_ticket() -> session_api::Ticket {
    let id = &dataset().ticket_ids_of_admission(0, 0, TicketStatus::Active)[7];
    dataset().ticket(id).unwrap()
}

#[test]
fn one_character_finds_guests_with_a_word_starting_with_it_first() {
    let door = Door::ready(&[]);
    let hits = lookup(&door, "m");
    assert_eq!(hits.len(), 50, "a one-letter query fills the page");
    for h in &hits {
        let a = &h["ticket"]["attendee"];
        let text = format!(
            "{} {} {} {} {}",
            a["firstName"],
            a["lastName"],
            h["contact"]["email"],
            h["ticket"]["id"],
            h["ticket"]["orderId"]
        )
        .to_lowercase();
        let starts_word = text.char_indices().any(|(i, c)| {
            c == 'm' && (i == 0 || !text[..i].chars().last().unwrap().is_alphanumeric())
        });
        assert!(starts_word, "{text}");
    }
}

#[test]
fn substring_in_the_middle_of_a_name_is_found() {
    let door = Door::ready(&[]);
    let t = some_ticket();
    let last = t.attendee.last_name.to_lowercase();
    let middle: String = last.chars().skip(1).take(4).collect();
    let hits = lookup(&door, &middle);
    assert!(
        hits.iter().any(|h| h["ticket"]["id"] == t.id.as_str()),
        "{middle}"
    );
}

#[test]
fn full_name_email_ticket_and_order_ids_are_found() {
    let door = Door::ready(&[]);
    let t = some_ticket();
    let full = format!("{} {}", t.attendee.first_name, t.attendee.last_name);
    for q in [full.as_str(), &t.attendee.email, &t.id[10..], &t.order_id] {
        let hits = lookup(&door, q);
        assert!(
            hits.iter().any(|h| h["ticket"]["id"] == t.id.as_str()),
            "query {q:?}"
        );
    }
}

#[test]
fn lookup_shows_who_is_already_inside() {
    let door = Door::ready(&[]);
    let t = some_ticket();
    door.scan_one(&t.id);
    let hit = lookup(&door, &t.id)
        .into_iter()
        .find(|h| h["ticket"]["id"] == t.id.as_str())
        .unwrap();
    assert_eq!(hit["inside"], true);
}

#[test]
fn query_with_like_and_fts_syntax_is_taken_literally() {
    let door = Door::ready(&[]);
    for q in ["%", "_", "\"", "a\" OR \"b", "NEAR(", "*"] {
        let hits = lookup(&door, q);
        assert!(hits.len() <= 50, "{q}");
    }
    assert!(lookup(&door, "%%%").is_empty());
}

#[test]
fn lookup_switched_off_in_the_gate_profile_is_refused_and_scanning_still_works() {
    let door = Door::ready(&["--no-lookup"]);
    let err = door.run(&["lookup", "a"]).failure();
    assert!(err.contains("guest lookup is switched off"), "{err}");
    assert_eq!(door.status()["lookup"], false);
    let id = &dataset().ticket_ids_of_admission(0, 0, TicketStatus::Active)[0];
    assert_eq!(door.scan_one(id)["verdict"], "ADMIT");
}
