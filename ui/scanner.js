// Usher: the USB scanner's keyboard layout. The page reads a wedge scanner's bursts by
// physical key through `scanner.keys` (wedge.js decodes), loaded from the station at start:
// the layout learned from Setup's calibration code, else US (the table is the core's,
// usher_core::scanner_layout). Setup's "USB scanner" section shows the calibration code as a
// QR code (drawn by Rust), the layout in use, the result of a calibration scan, and "Forget
// scanner layout" (back to US).

import { invoke, errText, errCode } from "./bridge.js";
import { $, setText } from "./dom.js";
import { state } from "./state.js";
import { showScreen } from "./nav.js";

/** The layout wedge bursts are read with: press name → character (null until loaded: the
 *  OS's characters), and the calibration code's prefix. */
export const scanner = { keys: null, prefix: "", learned: false, name: null, warning: null };

function layoutWords() {
  if (scanner.warning) return "Scanner layout: US. " + scanner.warning + ".";
  const name = scanner.name ? scanner.name + " layout" : "a layout of its own";
  return scanner.learned
    ? "Scanner layout: " + name + ", taught by the calibration code."
    : "Scanner layout: US keyboard (the default).";
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
    setText($("scanner-layout"), "Scanner layout: not loaded (" + errText(e) + "); scanners are read as the OS types them.");
  }
}

/** A burst of the calibration code: the station learns the scanner's layout from its keys.
 *  The answer is shown in Setup's scanner section, where the code is. */
export async function teachScanner(presses) {
  if (state.screen !== "setup" && state.screen !== "welcome") showScreen("setup");
  const msg = $("scanner-message");
  msg.setAttribute("data-ok", "pending");
  setText(msg, "Learning the scanner's layout…");
  try {
    const kept = await invoke("scanner_teach", { presses: presses });
    apply(kept);
    msg.setAttribute("data-ok", "true");
    setText(msg, "Scanner taught: " + (kept.name ? kept.name + " layout detected." : "a layout of its own learned."));
  } catch (e) {
    msg.setAttribute("data-ok", "false");
    if (errCode(e) === "SETUP_LOCKED") {
      // The scanner section is behind the PIN: say it where the PIN is asked.
      const words = errText(e) + ", then scan the calibration code again.";
      setText(msg, words);
      setText($("setup-lock-message"), words);
    } else {
      setText(msg, errText(e) + ".");
    }
  }
}

async function onForget() {
  const msg = $("scanner-message");
  try {
    apply(await invoke("scanner_forget"));
    msg.setAttribute("data-ok", "true");
    setText(msg, "Scanner layout forgotten: scanners are read as US keyboards.");
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
}
