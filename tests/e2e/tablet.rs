//! The window on a tablet, portrait (800 x 1280) and landscape (1280 x 800): finger-sized
//! controls on every screen, nothing that works only on hover, the verdict filling a portrait
//! screen, and lookup usable with an on-screen keyboard open.

use crate::support::{with_window, Window, SHOT_SIZES};
use crate::{demo_dataset, spare_valid_tickets};
use serde_json::Value;
use std::time::Duration;

/// Every control a finger can tap on the screen on show: buttons, fields, selects, links,
/// and anything else with a pointer cursor (the sync bar's badges); a checkbox counts as
/// the label around it, which takes the tap. Each is measured with getBoundingClientRect.
const SMALL_TARGETS: &str = r##"(() => {
    const seen = new Set();
    const small = [];
    const controls = [...document.querySelectorAll("button, input, select, textarea, a[href], [role=button], summary")];
    for (const el of document.querySelectorAll("body *")) {
        const parent = el.parentElement;
        if (getComputedStyle(el).cursor === "pointer" && !(parent && getComputedStyle(parent).cursor === "pointer")) controls.push(el);
    }
    for (let el of controls) {
        if ((el.type === "checkbox" || el.type === "radio") && el.closest("label")) el = el.closest("label");
        if (seen.has(el)) continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === "hidden") continue;
        seen.add(el);
        if (r.width < 48 || r.height < 48) {
            small.push((el.id ? "#" + el.id : el.tagName.toLowerCase() + "." + String(el.className).replace(/ /g, "."))
                + " " + Math.round(r.width) + "x" + Math.round(r.height));
        }
    }
    return { measured: seen.size, small };
})()"##;

/// Rules that change what shows (not just how it looks) on hover: a control that appears only
/// under a mouse. A finger has no hover.
const HOVER_ONLY_RULES: &str = r##"(() => {
    const found = [];
    let rules = 0;
    const walk = (list) => {
        for (const r of list) {
            if (r.cssRules && !r.selectorText) { walk(r.cssRules); continue; }
            rules += 1;
            if (!r.selectorText || !r.selectorText.includes(":hover")) continue;
            for (const p of ["display", "visibility", "opacity", "pointer-events", "max-height", "height", "width", "content", "transform"]) {
                if (r.style.getPropertyValue(p)) found.push(r.selectorText + " { " + p + " }");
            }
        }
    };
    for (const sheet of document.styleSheets) walk(sheet.cssRules);
    return { rules, found };
})()"##;

async fn assert_finger_sized(w: &Window, screen: &str) {
    let (width, height) = w.page_size().await;
    let seen = w.js(SMALL_TARGETS).await;
    assert!(
        seen["measured"].as_u64().unwrap_or(0) >= 3,
        "{screen} at {width}x{height}: measured too few controls: {seen}"
    );
    assert_eq!(
        seen["small"],
        Value::Array(vec![]),
        "{screen} at {width}x{height}: controls smaller than 48 x 48 px"
    );
}

#[test]
fn every_control_is_finger_sized_on_every_screen_and_the_verdict_fills_a_portrait_screen() {
    let data = demo_dataset();
    let valid = spare_valid_tickets(&data);
    let ticket = data.ticket(&valid[80]).expect("the ticket exists");
    let first_name = ticket.attendee.first_name.clone();
    let admit = valid[81].clone();
    with_window(|w| async move {
        w.wait(
            "!document.getElementById('screen-welcome').hidden",
            Duration::from_secs(20),
            "the welcome screen",
        )
        .await;
        for (width, height) in SHOT_SIZES {
            w.set_page_size(width, height).await;
            assert_finger_sized(&w, "welcome").await;
        }
        let hover = w.js(HOVER_ONLY_RULES).await;
        assert!(
            hover["rules"].as_u64().unwrap_or(0) > 100,
            "the style sheets were read: {hover}"
        );
        assert_eq!(
            hover["found"],
            Value::Array(vec![]),
            "rules that show or hide something on hover"
        );

        w.start_demo().await;
        w.scan_expecting(&admit, "ADMIT").await;
        w.show_screen("lookup").await;
        w.client
            .find(fantoccini::Locator::Id("lookup-query"))
            .await
            .expect("the search field")
            .send_keys(&first_name)
            .await
            .expect("typing works");
        w.wait(
            "document.querySelectorAll('#lookup-results .lookup-row').length > 0",
            Duration::from_secs(10),
            "lookup's results",
        )
        .await;
        for (width, height) in SHOT_SIZES {
            w.set_page_size(width, height).await;
            for screen in ["scan", "lookup", "activity", "health", "setup"] {
                w.show_screen(screen).await;
                if screen == "setup" {
                    w.wait(
                        "!document.getElementById('setup-form').hidden",
                        Duration::from_secs(10),
                        "the setup form (the demo's door has no PIN)",
                    )
                    .await;
                }
                assert_finger_sized(&w, screen).await;
            }
        }

        // Portrait: the verdict keeps the screen's width and most of its height, its
        // headline whole inside it.
        w.set_page_size(800, 1280).await;
        w.show_screen("scan").await;
        w.scan_expecting(&valid[82], "ADMIT").await;
        let fill = w
            .js(
                "(() => { const v = document.getElementById('verdict').getBoundingClientRect(); \
                 const h = document.getElementById('verdict-word').getBoundingClientRect(); \
                 return { w: v.width / window.innerWidth, h: v.height / window.innerHeight, \
                   headlineInside: h.left >= v.left && h.right <= v.right && h.top >= v.top && h.bottom <= v.bottom }; })()",
            )
            .await;
        let share = |k: &str| fill[k].as_f64().unwrap_or(0.0);
        assert!(
            share("w") >= 0.9 && share("h") >= 0.5 && fill["headlineInside"] == Value::Bool(true),
            "the verdict fills a portrait screen: {fill}"
        );
        w.screenshot("49-verdict-admit-tablet").await;
    });
}

/// Lookup's field, focused, and its first result with its button, whole inside the visual
/// viewport (what the keyboard leaves).
const FIELD_AND_FIRST_RESULT_IN_VIEW: &str = r##"(() => {
    const vh = window.visualViewport ? window.visualViewport.height : window.innerHeight;
    const inside = (el) => {
        if (!el) return false;
        const r = el.getBoundingClientRect();
        return r.height > 0 && r.top >= 0 && r.bottom <= vh + 0.5;
    };
    const row = document.querySelector("#lookup-results .lookup-row");
    return document.activeElement === document.getElementById("lookup-query")
        && inside(document.getElementById("lookup-query")) && inside(row)
        && inside(row && row.querySelector(".row-btn"));
})()"##;

/// The keyboard takes the lower part of the screen (the window shrinks, as an on-screen
/// keyboard that resizes it does): lookup's field and its first result, check-in button and
/// all, stay inside the visual viewport, upright and on its side.
#[test]
fn lookup_keeps_its_field_and_first_result_in_view_with_an_on_screen_keyboard_open() {
    let data = demo_dataset();
    let id = spare_valid_tickets(&data)[90].clone();
    let ticket = data.ticket(&id).expect("the ticket exists");
    let name = format!(
        "{} {}",
        ticket.attendee.first_name, ticket.attendee.last_name
    );
    with_window(|w| async move {
        w.start_demo().await;
        for ((width, height), keyboard) in SHOT_SIZES.into_iter().zip([380, 520]) {
            w.set_page_size(width, height).await;
            w.show_screen("lookup").await;
            let field = w
                .client
                .find(fantoccini::Locator::Id("lookup-query"))
                .await
                .expect("the search field");
            field.clear().await.expect("the field clears");
            field.send_keys(&name).await.expect("typing works");
            w.wait(
                &format!("!!document.querySelector(\"#lookup-results .lookup-row[data-ticket-id='{id}'] .check-in\")"),
                Duration::from_secs(10),
                "the guest in the results",
            )
            .await;
            w.set_page_size(width, height - keyboard).await;
            w.wait(
                FIELD_AND_FIRST_RESULT_IN_VIEW,
                Duration::from_secs(5),
                &format!(
                    "the field and the first result above a {keyboard} px keyboard at {width}x{height}"
                ),
            )
            .await;
            w.screenshot_as_is(&format!(
                "50-lookup-keyboard-open-{width}x{}",
                height - keyboard
            ))
            .await;
        }
    });
}
