// Usher: small DOM and formatting helpers. Everything shown is set as text (textContent,
// never innerHTML), so a QR holding markup shows as literal text; no inline styles or handlers
// (strict CSP): classes, data-attributes and CSSOM only.

import { invoke, errText } from "./bridge.js";

export const $ = (id) => document.getElementById(id);

export function setText(el, text) {
  if (el) el.textContent = text == null ? "" : String(text);
}

export function make(tag, cls, text) {
  const el = document.createElement(tag);
  if (cls) el.className = cls;
  if (text != null && text !== "") el.textContent = String(text);
  return el;
}

export function clear(el) {
  while (el && el.firstChild) el.removeChild(el.firstChild);
}

/** A text field, a select or an editable element: its keys belong to the person typing. */
export function isEditable(el) {
  if (!el || el === document.body) return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag === "INPUT") {
    const t = (el.getAttribute("type") || "text").toLowerCase();
    return !["checkbox", "radio", "button", "submit", "reset", "range", "color", "file", "image"].includes(t);
  }
  return false;
}

/** Runs a button's command with the button disabled, and puts `words(reply)` (or the
 *  failure's words) in the element `out`. */
export async function buttonCommand(button, out, command, args, words) {
  const b = $(button);
  b.disabled = true;
  try {
    const r = await invoke(command, args);
    setText($(out), words(r || {}));
  } catch (e) {
    setText($(out), errText(e));
  } finally {
    b.disabled = false;
  }
}

export function num(n) {
  if (n == null || !isFinite(n)) return "–";
  return String(n);
}

/** A local clock time for times the core sends as ISO stamps and does not word itself
 *  (sync times, an event's entry, the pace chart's ends). */
export function fmtTime(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  if (isNaN(d.getTime())) return "";
  return d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

export function fmtDateTime(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  if (isNaN(d.getTime())) return "";
  return d.toLocaleDateString([], { day: "numeric", month: "short" }) + " " + fmtTime(iso);
}

/**
 * An age in the core's words: "45 s", "12 min", "3 h 05 min", "2 days". This is
 * usher-core's `time::human_age` (crates/usher-core/src/time.rs), line for line, so a
 * ticking age in the sync bar reads as the core's own; change both together. The page ages
 * the core's whole seconds by the seconds since they arrived, so it keeps whole seconds.
 */
export function age(seconds) {
  if (seconds == null || !isFinite(seconds)) return "";
  const s = Math.floor(seconds);
  if (s < 60) return s + " s";
  if (s < 3600) return Math.trunc(s / 60) + " min";
  if (s < 86400) return Math.trunc(s / 3600) + " h " + String(Math.trunc((s % 3600) / 60)).padStart(2, "0") + " min";
  return Math.trunc(s / 86400) + " days";
}
