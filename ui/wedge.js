// Usher: the keyboard-wedge burst detector, a pure module (no DOM, no clock of its own).
//
// A USB barcode scanner "types" a code a few milliseconds per key, then Enter or Tab; people
// type 100 ms or more apart. The decision is on the median gap of the burst, so one stall of
// the page (a repaint, a busy moment) in the middle of a scan does not cut the code in two.
// The page (keyboard.js) feeds it keys with their times; the fuzz test
// (crates/usher-fuzz/wedge/fuzz.js) feeds it generated bursts and typing under node, which
// loads this ES module with require() (ui/package.json says the folder holds ES modules).

export const WEDGE_MEDIAN_GAP_MS = 35;
export const WEDGE_RESET_MS = 400;
export const WEDGE_MIN_CHARS = 4;

// Keys that arrive between the characters of a scanner's burst: the buffer is kept.
const PASSIVE_KEYS = ["Shift", "CapsLock", "Unidentified", "Dead"];

// One detector: `key(name, now)` for each keydown that is neither a shortcut nor meant for a
// focused text field (the page filters those, and key repeats, and calls `reset`), with
// `now` in milliseconds from a monotonic clock (performance.now()). It answers what the page should do with that key:
//   { kind: "scan", code }   Enter/Tab ended a scanner's burst: send `code`, swallow the key;
//   { kind: "swallow" }      a character inside a fast burst: keep it from pressing buttons;
//   { kind: "none" }         anything else: let the key do what it does.
export function createWedge() {
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

  function key(name, now) {
    const k = name || "";
    const t = now;
    if (k.length === 1) {
      if (buf.length && t - last > WEDGE_RESET_MS) reset();
      if (buf.length) gaps.push(t - last);
      buf.push(k);
      last = t;
      return buf.length >= 2 && medianGap() <= WEDGE_MEDIAN_GAP_MS
        ? { kind: "swallow" }
        : { kind: "none" };
    }
    if (k === "Enter" || k === "Tab") {
      const isWedge = buf.length >= WEDGE_MIN_CHARS &&
        t - last <= WEDGE_RESET_MS &&
        medianGap() <= WEDGE_MEDIAN_GAP_MS;
      const code = buf.join("");
      reset();
      return isWedge ? { kind: "scan", code } : { kind: "none" };
    }
    if (PASSIVE_KEYS.indexOf(k) === -1) reset();
    return { kind: "none" };
  }

  return { key, reset, pending: () => buf.length };
}
