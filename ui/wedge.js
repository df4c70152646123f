// Usher: the keyboard-wedge burst detector, a pure module (no DOM, no clock of its own).
//
// A USB barcode scanner "types" a code a few milliseconds per key, then Enter or Tab; people
// type 100 ms or more apart. The decision is on the median gap of the burst, so one stall of
// the page (a repaint, a busy moment) in the middle of a scan does not cut the code in two.
// The page (keyboard.js) feeds it keys with their times; the fuzz test
// (crates/usher-fuzz/wedge/fuzz.js) feeds it generated bursts and typing under node, which
// loads this ES module with import() (ui/package.json says the folder holds ES modules).
//
// A scanner's burst is read by physical key (KeyboardEvent.code and Shift), not by the
// character the OS made of it: a scanner typing as a US keyboard on a German laptop sends
// KeyZ for "z", which the OS turns into "y". The burst is decoded through the scanner's
// layout, a table from a press name ("KeyZ", "Shift+Minus") to the character the scanner
// meant: US unless Setup's calibration code taught another (usher_core::scanner_layout holds
// the US table and the learning; the page receives the table with `scanner_layout`). A press
// the table does not know, or one with no code, keeps the OS's character.

export const WEDGE_MEDIAN_GAP_MS = 35;
export const WEDGE_RESET_MS = 400;
export const WEDGE_MIN_CHARS = 4;

// Keys that arrive between the characters of a scanner's burst: the buffer is kept.
const PASSIVE_KEYS = ["Shift", "CapsLock", "Unidentified", "Dead"];

/** A press's name in a layout table: the physical key, "Shift+" first when Shift was down. */
export function pressName(press) {
  return (press.shift ? "Shift+" : "") + press.code;
}

/**
 * The text a burst of presses ({key, code, shift}) means through the layout table `keys`
 * (press name → one character), each press one character: the table's, else the OS's `key`.
 */
export function decode(presses, keys) {
  let out = "";
  for (const p of presses) {
    const name = pressName(p);
    const c = keys && p.code && Object.prototype.hasOwnProperty.call(keys, name) ? keys[name] : null;
    out += typeof c === "string" && c.length === 1 ? c : p.key;
  }
  return out;
}

/** Whether a scan is Setup's calibration code (its text, read either way, starts with `prefix`). */
export function isCalibration(scan, prefix) {
  return !!prefix && !!scan && (scan.code.startsWith(prefix) || scan.typed.startsWith(prefix));
}

// One detector: `key(name, now, physical, shift)` for each keydown that is neither a
// shortcut nor meant for a focused text field (the page filters those, and key repeats, and
// calls `reset`), with `now` in milliseconds from a monotonic clock (performance.now()),
// `physical` and `shift` the event's physical key (`code`) and Shift state.
// `options.keys()` gives the scanner's layout table at the end of each burst (null: the OS's
// characters). It answers what the page should do with that key:
//   { kind: "scan", code, typed, presses }  Enter/Tab ended a scanner's burst: send `code`
//                            (decoded by physical key), swallow the key; `typed` is what the
//                            OS made of it, `presses` its keys ({code, shift}) for calibration;
//   { kind: "swallow" }      a character inside a fast burst: keep it from pressing buttons;
//   { kind: "none" }         anything else: let the key do what it does.
export function createWedge(options) {
  const keysOf = options && typeof options.keys === "function" ? options.keys : () => null;
  let buf = [];
  let gaps = [];
  let last = 0;

  function reset() {
    buf = [];
    gaps = [];
    last = 0;
  }

  function medianGap() {
    const g = gaps.slice().sort((a, b) => a - b);
    return g.length ? g[Math.floor(g.length / 2)] : Infinity;
  }

  function key(name, now, physical, shift) {
    const k = typeof name === "string" ? name : "";
    const t = now;
    if (k.length === 1) {
      if (buf.length && t - last > WEDGE_RESET_MS) reset();
      if (buf.length) gaps.push(t - last);
      buf.push({ key: k, code: typeof physical === "string" ? physical : "", shift: shift === true });
      last = t;
      return buf.length >= 2 && medianGap() <= WEDGE_MEDIAN_GAP_MS
        ? { kind: "swallow" }
        : { kind: "none" };
    }
    if (k === "Enter" || k === "Tab") {
      const isWedge = buf.length >= WEDGE_MIN_CHARS &&
        t - last <= WEDGE_RESET_MS &&
        medianGap() <= WEDGE_MEDIAN_GAP_MS;
      const presses = buf;
      reset();
      if (!isWedge) return { kind: "none" };
      let keys = null;
      try {
        keys = keysOf();
      } catch (_) {
        keys = null;
      }
      return {
        kind: "scan",
        code: decode(presses, keys && typeof keys === "object" ? keys : null),
        typed: presses.map((p) => p.key).join(""),
        presses: presses.map((p) => ({ code: p.code, shift: p.shift })),
      };
    }
    if (PASSIVE_KEYS.indexOf(k) === -1) reset();
    return { kind: "none" };
  }

  return { key, reset, pending: () => buf.length };
}
