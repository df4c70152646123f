// Fuzzes ui/wedge.js, the keyboard-wedge burst detector, under node with no dependencies.
//
//   node fuzz.js [--seed N] [--iterations N | --seconds S] [--wedge PATH]
//
// Each iteration draws one case from a seeded generator (xorshift32, so a seed and an
// iteration number reproduce a case exactly) and checks the detector's properties:
//   - it never throws and always answers {kind: "scan" | "swallow" | "none"}, whatever keys
//     and times it is fed;
//   - a burst of at least WEDGE_MIN_CHARS characters typed a few ms apart, with Shift keys in
//     between and at most one stall shorter than WEDGE_RESET_MS, then Enter or Tab, is one
//     scan of exactly those characters;
//   - typing at human speed (gaps above WEDGE_MEDIAN_GAP_MS, one fast roll-over allowed) is
//     never a scan, and its keys are never swallowed;
//   - every scan holds only characters fed since the last reset, at least WEDGE_MIN_CHARS;
//   - read by physical key: a burst typed by a scanner of a random layout (a random table from
//     characters to keys with or without Shift) on an OS of another random layout (the `key`
//     of each event its own random character), decoded through the scanner's table, is one
//     scan of exactly the scanner's characters, and `typed` is the OS's; a key the table does
//     not know, or one with no code, is the OS's character; every scan is the decoding of the
//     presses fed, one character each, whatever the table holds.
// Prints one JSON line: {"target":"wedge","seed":…,"iterations":…,"crashes":…}, and each
// failing case (seed, iteration, property, the keys) on stderr. Exits 1 on any crash.
"use strict";

const path = require("path");
const { pathToFileURL } = require("url");

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const wedgePath = arg("--wedge", path.join(__dirname, "..", "..", "..", "ui", "wedge.js"));
// The page's detector is an ES module: loaded with import(), which any Node from 14 on has
// (require() of an ES module needs Node 20.19 or later).
let W;
const seed = Number(arg("--seed", "1")) >>> 0 || 1;
const seconds = Number(arg("--seconds", "0"));
const maxIterations = Number(arg("--iterations", seconds > 0 ? "Infinity" : "20000"));

function rng(s) {
  let x = s >>> 0 || 0x9e3779b9;
  const next = () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x;
  };
  return {
    int: (lo, hi) => lo + (next() % (hi - lo + 1)), // inclusive
    pick: (a) => a[next() % a.length],
    chance: (p) => next() / 4294967296 < p,
  };
}

const CODE_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:/.-?=&";
const ODD_KEYS = ["", "Enter", "Tab", "Shift", "CapsLock", "Unidentified", "Dead", "Backspace",
  "ArrowLeft", "Escape", "Control", "F5", " ", "é", "😀", "\u202e", "\u0000", "ab", "Process",
  undefined, null, 0, 7, {}, [], "Enter ", "enter"];

// Physical keys (KeyboardEvent.code) a scanner may press, each with or without Shift.
const CODES = [];
for (const l of "ABCDEFGHIJKLMNOPQRSTUVWXYZ") CODES.push("Key" + l);
for (const d of "0123456789") CODES.push("Digit" + d);
CODES.push("Minus", "Equal", "BracketLeft", "BracketRight", "Semicolon", "Quote", "Comma",
  "Period", "Slash", "Backquote", "Backslash", "IntlBackslash");
const PRESSES = [];
for (const c of CODES) PRESSES.push({ code: c, shift: false }, { code: c, shift: true });
// What an OS may type for a key: any one character.
const OS_CHARS = CODE_CHARS + "ßäöüÄÖÜéèçàù°§´^¨µ£€²<>|\\;,!\"'()[]{}*+#~ ";
const pressName = (p) => (p.shift ? "Shift+" : "") + p.code;

function shuffled(r, a) {
  const b = a.slice();
  for (let i = b.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [b[i], b[j]] = [b[j], b[i]];
  }
  return b;
}

// A scanner's layout (character → press, and the page's table press name → character, a few
// entries dropped at random) and an OS layout (press name → character).
function layouts(r) {
  const presses = shuffled(r, PRESSES);
  const scanner = new Map();
  const keys = {};
  let i = 0;
  for (const ch of CODE_CHARS) {
    const p = presses[i++];
    scanner.set(ch, p);
    if (!r.chance(0.05)) keys[pressName(p)] = ch;
  }
  // An own property by that name is a key like any other, never the prototype.
  if (r.chance(0.1)) Object.defineProperty(keys, "__proto__", { value: "x", enumerable: true });
  const os = {};
  for (const p of PRESSES) os[pressName(p)] = r.pick(OS_CHARS);
  return { scanner, keys, os };
}

// What the page should read for one event: the table's character, else the OS's key.
function meant(ev, keys) {
  const [key, , code, shift] = ev;
  const name = (shift === true ? "Shift+" : "") + (typeof code === "string" ? code : "");
  return keys && typeof code === "string" && code && Object.prototype.hasOwnProperty.call(keys, name) &&
    typeof keys[name] === "string" && keys[name].length === 1
    ? keys[name]
    : key;
}

function code(r, n) {
  let s = "";
  for (let i = 0; i < n; i++) s += r.pick(CODE_CHARS);
  return s;
}

// A case is a list of [key, time] events plus what must come of them.
function burstCase(r) {
  const chars = code(r, r.int(W.WEDGE_MIN_CHARS, 80));
  const events = [];
  let t = r.int(0, 1e6);
  // Whatever happened before, a pause longer than the reset window separates it.
  if (r.chance(0.5)) {
    const prefix = r.int(1, 10);
    for (let i = 0; i < prefix; i++) {
      t += r.int(0, 300);
      events.push([r.chance(0.7) ? r.pick(CODE_CHARS) : r.pick(ODD_KEYS), t]);
    }
    t += W.WEDGE_RESET_MS + r.int(1, 5000);
  }
  const from = events.length;
  // The one stall: between two characters, or before the Enter.
  const stallAt = r.chance(0.7) ? r.int(1, chars.length) : -1;
  for (let i = 0; i < chars.length; i++) {
    if (i > 0) {
      const gap = i === stallAt
        ? r.int(W.WEDGE_MEDIAN_GAP_MS + 1, W.WEDGE_RESET_MS)
        : r.int(0, 12);
      if (r.chance(0.1)) {
        // Shift (or CapsLock) between characters, as a scanner typing capitals sends it.
        events.push([r.pick(["Shift", "CapsLock"]), t + r.int(0, gap)]);
      }
      t += gap;
    }
    events.push([chars[i], t]);
  }
  t += stallAt === chars.length ? r.int(W.WEDGE_MEDIAN_GAP_MS + 1, W.WEDGE_RESET_MS) : r.int(0, 12);
  events.push([r.pick(["Enter", "Tab"]), t]);
  return { kind: "burst", events, from, expect: chars };
}

// A burst by physical key: a scanner of a random layout on an OS of another.
function layoutBurstCase(r) {
  const { scanner, keys, os } = layouts(r);
  const chars = code(r, r.int(W.WEDGE_MIN_CHARS, 80));
  const events = [];
  let t = r.int(0, 1e6);
  let expect = "";
  let typed = "";
  for (let i = 0; i < chars.length; i++) {
    const p = scanner.get(chars[i]);
    if (i > 0) t += r.int(0, 12);
    if (p.shift && r.chance(0.5)) events.push(["Shift", t, "ShiftLeft", true]);
    const osKey = os[pressName(p)];
    // Now and then the OS gives no code (a virtual keyboard): the OS's character stands.
    const noCode = r.chance(0.03);
    const ev = [osKey, t, noCode ? "" : p.code, p.shift];
    events.push(ev);
    expect += meant(ev, keys);
    typed += osKey;
  }
  t += r.int(0, 12);
  events.push([r.pick(["Enter", "Tab"]), t, r.pick(["Enter", "NumpadEnter", "Tab"]), false]);
  return { kind: "burst", events, from: 0, expect, typed, keys };
}

function typingCase(r) {
  const chars = code(r, r.int(1, 40));
  const events = [];
  let t = r.int(0, 1e6);
  const fastAt = r.chance(0.5) ? r.int(1, chars.length) : -1; // one roll-over
  for (let i = 0; i < chars.length; i++) {
    if (i > 0) {
      t += i === fastAt ? r.int(0, W.WEDGE_MEDIAN_GAP_MS) : r.int(W.WEDGE_MEDIAN_GAP_MS + 1, 900);
    }
    events.push([chars[i], t]);
  }
  t += r.int(0, 900);
  events.push([r.pick(["Enter", "Tab"]), t]);
  // With a single roll-over among two gaps the median is the slow one; with one gap it is
  // the fast one, and two characters are not a scan anyway.
  return { kind: "typing", events, fastAt };
}

function soupCase(r) {
  const events = [];
  let t = r.chance(0.1) ? r.pick([0, -5, 1e15, Number.MAX_SAFE_INTEGER]) : r.int(0, 1e6);
  const n = r.int(0, 200);
  for (let i = 0; i < n; i++) {
    t += r.pick([0, 1, 3, 10, 35, 36, 100, 399, 400, 401, r.int(0, 2000)]);
    const key = r.chance(0.6) ? r.pick(CODE_CHARS) : r.pick(ODD_KEYS);
    const p = r.pick(PRESSES);
    events.push(r.chance(0.5)
      ? [key, t, r.chance(0.9) ? p.code : r.pick(["", undefined, null, 7, {}, "__proto__", "constructor"]), r.chance(0.9) ? p.shift : r.pick([1, "yes", null])]
      : [key, t]);
    if (r.chance(0.05)) events.push(["__reset__", t]);
  }
  const keys = r.chance(0.5) ? layouts(r).keys : r.pick([null, undefined, {}, { constructor: 5 }]);
  return { kind: "soup", events, keys };
}

function show(events) {
  const s = JSON.stringify(events.map((ev) => ev.map((x) => (x === undefined ? "<undefined>" : x))));
  return s.length > 2000 ? s.slice(0, 2000) + "…" : s;
}

function check(c) {
  // With no table (c.keys undefined) the OS's characters are the scan, as before.
  const w = c.keys === undefined ? W.createWedge() : W.createWedge({ keys: () => c.keys });
  const scans = [];
  let sinceReset = [];
  for (let i = 0; i < c.events.length; i++) {
    const ev = c.events[i];
    const [key, t, physical, shift] = ev;
    if (key === "__reset__") {
      w.reset();
      sinceReset = [];
      continue;
    }
    const out = w.key(key, t, physical, shift);
    if (!out || ["scan", "swallow", "none"].indexOf(out.kind) === -1) {
      return `answered ${JSON.stringify(out)} to ${JSON.stringify(key)}`;
    }
    if (typeof key === "string" && key.length === 1) sinceReset.push(ev);
    if (out.kind === "scan") {
      if (typeof out.code !== "string" || out.code.length < W.WEDGE_MIN_CHARS) {
        return `scanned ${JSON.stringify(out.code)}, shorter than ${W.WEDGE_MIN_CHARS}`;
      }
      const n = out.presses ? out.presses.length : -1;
      const fed = sinceReset.slice(-n);
      if (n !== out.code.length || n > sinceReset.length) {
        return `scanned ${JSON.stringify(out.code)} from ${n} presses, not one character each`;
      }
      if (out.code !== fed.map((e) => meant(e, c.keys)).join("")) {
        return `scanned ${JSON.stringify(out.code)}, not the decoding of the keys fed`;
      }
      if (out.typed !== fed.map((e) => e[0]).join("")) {
        return `typed ${JSON.stringify(out.typed)}, not the OS's keys fed`;
      }
      // Whatever came before a burst may have been a scan of its own.
      if (c.kind !== "burst" || i >= c.from) scans.push(out);
    }
    if (c.kind === "typing" && out.kind === "swallow" && c.fastAt < 0) {
      return `swallowed ${JSON.stringify(key)} of human-speed typing`;
    }
    if (key === "Enter" || key === "Tab") sinceReset = [];
    if (w.pending() > sinceReset.length) return `holds ${w.pending()} keys, fed fewer`;
  }
  if (c.kind === "burst" && (scans.length !== 1 || scans[0].code !== c.expect)) {
    return `a burst of ${c.expect.length} characters gave ${JSON.stringify(scans.map((s) => s.code))}, not one scan of ${JSON.stringify(c.expect)}`;
  }
  if (c.typed !== undefined && scans[0].typed !== c.typed) {
    return `a burst the OS typed as ${JSON.stringify(c.typed)} says it typed ${JSON.stringify(scans[0].typed)}`;
  }
  if (c.kind === "typing" && scans.length !== 0) {
    return `human-speed typing was taken for a scan: ${JSON.stringify(scans.map((s) => s.code))}`;
  }
  return null;
}

function main() {
  const r = rng(seed);
  const started = Date.now();
  let iterations = 0;
  let crashes = 0;
  const kinds = [burstCase, typingCase, soupCase, layoutBurstCase];
  while (iterations < maxIterations && (seconds <= 0 || Date.now() - started < seconds * 1000)) {
    const c = kinds[iterations % kinds.length](r);
    let why;
    try {
      why = check(c);
    } catch (e) {
      why = `threw ${e && e.stack ? e.stack : e}`;
    }
    if (why) {
      crashes++;
      if (crashes <= 20) {
        process.stderr.write(`wedge crash: seed ${seed} iteration ${iterations} (${c.kind}): ${why}\n  keys: ${show(c.events)}\n`);
      }
    }
    iterations++;
}
process.stdout.write(JSON.stringify({ target: "wedge", seed, iterations, crashes }) + "\n");
process.exit(crashes ? 1 : 0);
}

import(pathToFileURL(path.resolve(wedgePath)).href).then(
  (module) => {
    W = module;
    main();
  },
  (e) => {
    process.stderr.write(`cannot load the wedge detector ${wedgePath}: ${e && e.stack ? e.stack : e}\n`);
    process.exit(2);
  },
);
