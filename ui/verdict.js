// Usher: the verdict panel, and the mini verdict in the top bar. It only paints: every word
// of a verdict (headline, who, what, detail, previous scan, small print, order lines, the
// "Admit the rest" button, the "Last: …" line) and its class come from the core, in the
// outcome's `look` (usher-core's look.rs). The page's own are the idle panel ("ready") and a
// failure with no verdict ("error", NOT READY), and one glyph per class.

import { errText, eventsOpen } from "./bridge.js";
import { $, setText, make, clear } from "./dom.js";
import { emit, on } from "./state.js";
import { playSound } from "./sounds.js";
import { t } from "./i18n.js";

const FADE_MS = 8000;
const CONFIRM_FADE_MS = 30000;

/** The glyph beside the headline, per class. */
const ICONS = { go: "✓", confirm: "!", stop: "✕", warn: "?", error: "!", ready: "" };


let fadeTimer = null;
let lastPainted = null; // the look of the verdict on show, for the "Last: …" line
let paintSeq = 0;
let painted = new Set(); // scanIds already painted (to avoid double sounds)

/** Counts every paint: a reply is painted only if nothing newer is on screen. */
export function paintCount() {
  return paintSeq;
}

/** The class the core gave the verdict. Every outcome the door sends is worded; were one
 *  not, the panel shows it as a refusal, the safe side at a door. */
function classOf(look) {
  return look.class || "stop";
}

/** Size class for the headline, so long words still fit the panel. */
function wordLen(w) {
  return w.length <= 7 ? "s" : w.length <= 11 ? "m" : "l";
}

/** The panel's head and its data attributes: one place for the three states (a verdict,
 *  ready, error). */
function paintHead(verdict, scanId, cls, word) {
  const panel = $("verdict");
  panel.setAttribute("data-verdict", verdict);
  panel.setAttribute("data-scan-id", scanId);
  panel.setAttribute("data-class", cls);
  setText($("verdict-icon"), ICONS[cls] || "");
  setText($("verdict-word"), word);
  panel.setAttribute("data-len", wordLen(word));
  return panel;
}

/** The lines under the head. */
function paintLines(who, what, detail, previous, meta) {
  setText($("verdict-name"), who);
  setText($("verdict-admission"), what);
  setText($("verdict-detail"), detail);
  setText($("verdict-previous"), previous);
  setText($("verdict-meta"), meta);
}

/** Paints one ScanOutcome (a verdict event, or a command's reply as a safety net). */
export function paintOutcome(o, opts) {
  if (!o || typeof o !== "object") return;
  const repeat = o.scanId != null && painted.has(o.scanId);
  if (o.scanId != null) {
    painted.add(o.scanId);
    if (painted.size > 500) painted = new Set(Array.from(painted).slice(-200));
  }
  const look = o.look || {};
  const cls = classOf(look);
  paintSeq += 1;
  lastPainted = { look: look, cls: cls };

  const panel = paintHead(String(o.verdict || ""), o.scanId == null ? "" : String(o.scanId), cls, look.headline || "");
  panel.classList.remove("is-faded");
  paintLines(look.who, look.what, look.detail, look.previous, look.meta);
  setText($("verdict-last"), "");
  renderOrder(look.order);

  const mini = $("mini-verdict");
  mini.classList.remove("is-faded");
  mini.setAttribute("data-class", cls);
  setText(mini, (ICONS[cls] ? ICONS[cls] + " " : "") + (look.headline || "") + (look.who ? " · " + look.who : ""));

  clearTimeout(fadeTimer);
  fadeTimer = setTimeout(fadeToReady, cls === "confirm" ? CONFIRM_FADE_MS : FADE_MS);

  if (!repeat && !(opts && opts.silent)) playSound(cls);
  emit("painted", o);
}

/** An order's tickets, one line each, and the button that admits the rest when the core
 *  offers it (look.order.confirm: its label and the code to scan again, confirmed). */
function renderOrder(order) {
  const box = $("verdict-order");
  const lines = $("order-lines");
  const btn = $("confirm-order");
  clear(lines);
  if (!order) {
    box.hidden = true;
    hideConfirm();
    return;
  }
  box.hidden = false;
  setText($("order-summary"), order.summary);
  for (const line of order.lines || []) {
    const li = make("li", "order-line");
    li.setAttribute("data-class", line.class || "");
    li.appendChild(make("span", "order-line-state", line.headline));
    li.appendChild(make("span", "order-line-name", line.who));
    if (line.what) li.appendChild(make("span", "order-line-adm", line.what));
    if (line.detail) li.appendChild(make("span", "order-line-detail", line.detail));
    lines.appendChild(li);
  }
  const confirm = order.confirm;
  if (!confirm) {
    hideConfirm();
    return;
  }
  btn.hidden = false;
  btn.disabled = false;
  btn.setAttribute("data-code", confirm.code || "");
  setText(btn, confirm.label);
}

function hideConfirm() {
  const btn = $("confirm-order");
  btn.hidden = true;
  btn.removeAttribute("data-code");
}

/** Back to the idle panel, keeping the core's "Last: …" line of the verdict it showed. */
function fadeToReady() {
  fadeTimer = null;
  const panel = paintHead("READY", $("verdict").getAttribute("data-scan-id") || "", "ready", t("ready"));
  panel.classList.add("is-faded");
  paintLines("", "", t("ready-detail"), "", "");
  $("verdict-order").hidden = true;
  clear($("order-lines"));
  hideConfirm();
  const last = $("verdict-last");
  if (lastPainted) {
    setText(last, lastPainted.look.last);
    last.setAttribute("data-class", lastPainted.cls);
  }
  $("mini-verdict").classList.add("is-faded");
}

/** A new language: the idle panel in its words; a verdict on show fades to it (its words
 *  were the old language's; the next scan is worded in the new one). */
on("language", () => {
  if ($("verdict").getAttribute("data-class") === "ready") {
    setText($("verdict-word"), t("ready"));
    setText($("verdict-detail"), t("ready-detail"));
  } else {
    clearTimeout(fadeTimer);
    fadeToReady();
  }
});

/** A failure where a verdict was expected: the page's own NOT READY, with the message. */
export function paintError(e) {
  clearTimeout(fadeTimer);
  const panel = paintHead("ERROR", "", "error", t("not-ready"));
  panel.classList.remove("is-faded");
  paintLines("", "", errText(e), "", "");
  setText($("verdict-last"), "");
  $("verdict-order").hidden = true;
  hideConfirm();
  const mini = $("mini-verdict");
  mini.classList.remove("is-faded");
  mini.setAttribute("data-class", "error");
  setText(mini, ICONS.error + " " + t("not-ready"));
  playSound("stop");
  fadeTimer = setTimeout(fadeToReady, FADE_MS * 2);
}

/**
 * The verdict is painted from the "verdict" event. If the event channel could not be opened,
 * or the event for this scan never arrives, paint the command's reply so the door is never
 * left blind; `afterPaint` runs once it is painted that way.
 */
export function safetyNet(out, seqAtSend, afterPaint) {
  if (!out || typeof out !== "object") return;
  const paintReply = () => {
    if (out.scanId != null && painted.has(out.scanId)) return;
    if (paintSeq !== seqAtSend) return; // something newer is on screen
    paintOutcome(out);
    if (afterPaint) afterPaint();
  };
  if (eventsOpen() === false) paintReply();
  else setTimeout(paintReply, 2500);
}

/** Focuses the panel (screen readers read it; the wedge needs no text field focused). */
export function focusVerdict() {
  $("verdict").focus({ preventScroll: true });
}
