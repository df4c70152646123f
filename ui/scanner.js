// Usher: the USB scanner's keyboard layout. The page reads a wedge scanner's bursts by
// physical key through `scanner.keys` (wedge.js decodes), loaded from the station at start:
// the layout learned from Setup's calibration code, else US (the table is the core's,
// usher_core::scanner_layout). Setup's "USB scanner" section shows the calibration code as a
// QR code (drawn by Rust), the layout in use (its name and any warning worded by the station
// in the door's language), the result of a calibration scan, and "Forget
// scanner layout" (back to US).

import { invoke, errText, errCode } from "./bridge.js";
import { $, setText } from "./dom.js";
import { state, on } from "./state.js";
import { t } from "./i18n.js";
import { showScreen } from "./nav.js";

/** The layout wedge bursts are read with: press name → character (null until loaded: the
 *  OS's characters), and the calibration code's prefix. */
export const scanner = { keys: null, prefix: "", learned: false, name: null, warning: null };

function layoutWords() {
  if (scanner.warning) return t("scanner-layout-warning", { warning: scanner.warning });
  if (!scanner.learned) return t("scanner-layout-us");
  return scanner.name
    ? t("scanner-layout-taught", { name: scanner.name })
    : t("scanner-layout-taught-own");
}

function apply(kept) {
  scanner.keys = kept.keys;
  scanner.prefix = kept.calibrationPrefix || "";
  scanner.learned = !!kept.learned;
  scanner.name = kept.name || null;
  scanner.warning = kept.warning || null;
  setText($("scanner-layout"), layoutWords());
  $("scanner-forget").hidden = !scanner.learned && !scanner.warning;
}

/** Reads the layout the station keeps (at start). */
export async function loadScannerLayout() {
  try {
    apply(await invoke("scanner_layout"));
  } catch (e) {
    setText($("scanner-layout"), t("scanner-layout-not-loaded", { why: errText(e) }));
  }
}

/** A burst of the calibration code: the station learns the scanner's layout from its keys.
 *  The answer is shown in Setup's scanner section, where the code is. */
export async function teachScanner(presses) {
  if (state.screen !== "setup" && state.screen !== "welcome") showScreen("setup");
  const msg = $("scanner-message");
  msg.setAttribute("data-ok", "pending");
  setText(msg, t("scanner-learning"));
  try {
    const kept = await invoke("scanner_teach", { presses: presses });
    apply(kept);
    msg.setAttribute("data-ok", "true");
    setText(msg, kept.name ? t("scanner-taught", { name: kept.name }) : t("scanner-taught-own"));
  } catch (e) {
    msg.setAttribute("data-ok", "false");
    if (errCode(e) === "SETUP_LOCKED") {
      // The scanner section is behind the PIN: say it where the PIN is asked.
      const words = t("scanner-then-again", { why: errText(e) });
      setText(msg, words);
      setText($("setup-lock-message"), words);
    } else {
      setText(msg, t("scanner-error", { why: errText(e) }));
    }
  }
}

async function onForget() {
  const msg = $("scanner-message");
  try {
    apply(await invoke("scanner_forget"));
    msg.setAttribute("data-ok", "true");
    setText(msg, t("scanner-forgotten"));
  } catch (e) {
    msg.setAttribute("data-ok", "false");
    setText(msg, errText(e));
  }
}

/** The calibration code's QR code, drawn by Rust as SVG text. */
async function showCalibration() {
  try {
    const c = await invoke("scanner_calibration");
    // An image from the SVG text as a data: URL (img-src allows it): no markup is parsed
    // into the page.
    $("scanner-qr").src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(c.svg);
    $("scanner-qr").setAttribute("data-text", c.text);
  } catch (e) {
    setText($("scanner-message"), errText(e));
  }
}

export function initScanner() {
  $("scanner-forget").addEventListener("click", onForget);
  loadScannerLayout();
  showCalibration();
  // A new language: the station words the layout's name and warning again (the other
  // messages answer a click).
  on("language", loadScannerLayout);
}
