// Usher: the keyboard, whatever has focus: Alt+1 … Alt+5 and Escape move between screens,
// and a USB scanner's burst of keys (told from typing by wedge.js, the fuzzed detector; this
// file has no timing rule of its own) is sent as a scan, read by physical key through the
// scanner's layout (scanner.js); a burst of Setup's calibration code teaches that layout.

import * as UsherWedge from "./wedge.js";
import { $, isEditable } from "./dom.js";
import { state } from "./state.js";
import { NAV_ORDER, showScreen, goHome } from "./nav.js";
import { sendScan } from "./scan.js";
import { scanner, teachScanner } from "./scanner.js";

const wedge = UsherWedge.createWedge({ keys: () => scanner.keys });

function shortcutDigit(e) {
  const m = /^(?:Digit|Numpad)([1-5])$/.exec(e.code || "");
  if (m) return Number(m[1]);
  if (/^[1-5]$/.test(e.key)) return Number(e.key);
  return 0;
}

function onKeyDown(e) {
  // Shortcuts work everywhere (except on the welcome screen, which has no navigation).
  if (e.altKey && !e.ctrlKey && !e.metaKey) {
    const d = shortcutDigit(e);
    if (d) {
      e.preventDefault();
      wedge.reset();
      const to = NAV_ORDER[d - 1];
      if (state.screen !== "welcome" && !(to === "lookup" && $("nav-lookup").hidden)) showScreen(to);
      return;
    }
  }
  if (e.key === "Escape" || e.key === "Esc") {
    wedge.reset();
    if (state.screen !== "scan" && state.screen !== "welcome") {
      e.preventDefault();
      goHome();
    } else if (isEditable(document.activeElement)) {
      document.activeElement.blur();
    }
    return;
  }

  // Someone is typing in a field: leave their keys alone.
  if (isEditable(document.activeElement)) {
    wedge.reset();
    return;
  }
  if (e.ctrlKey || e.altKey || e.metaKey) {
    wedge.reset();
    return;
  }
  if (e.isComposing) return;

  // A key held down repeats; a scanner never does.
  if (e.repeat) return;
  const seen = wedge.key(e.key, performance.now(), e.code, e.shiftKey);
  if (seen.kind === "swallow") {
    // Inside a fast burst, stop a stray space from pressing a focused button.
    e.preventDefault();
  } else if (seen.kind === "scan") {
    e.preventDefault();
    e.stopPropagation();
    if (UsherWedge.isCalibration(seen, scanner.prefix)) {
      teachScanner(seen.presses);
      return;
    }
    const t0 = performance.now();
    sendScan(seen.code, "WEDGE", false, t0);
  }
}

export function initKeyboard() {
  document.addEventListener("keydown", onKeyDown, true);
}
