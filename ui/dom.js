// Usher: small DOM and formatting helpers. Everything shown is set as text (textContent,
// never innerHTML), so a QR holding markup shows as literal text; no inline styles or handlers
// (strict CSP): classes, data-attributes and CSSOM only.

import { invoke, errText } from "./bridge.js";
import { t, language } from "./i18n.js";

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
  // Grouped the language's way ("1,234", "1.234"), like the core's `Language::number`.
  return Number(n).toLocaleString(language() || undefined, { maximumFractionDigits: 1 });
}

/** A local clock time for times the core sends as ISO stamps and does not word itself
 *  (sync times, an event's entry, the pace chart's ends). */
export function fmtTime(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  if (isNaN(d.getTime())) return "";
  return d.toLocaleTimeString(language() || [], { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
}

export function fmtDateTime(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  if (isNaN(d.getTime())) return "";
  return d.toLocaleDateString(language() || [], { day: "numeric", month: "short" }) + " " + fmtTime(iso);
}

/**
 * An age in the core's words: "45 s", "12 min", "3 h 05 min", in the language in force: the
 * core's `Words::age` (usher-core's look.rs), with the page's own page-age-* messages
 * (page.ftl), so a ticking age in the sync bar reads as the core's; change both together.
 * The page ages the core's whole seconds by the seconds since they arrived.
 */
export function age(seconds) {
  if (seconds == null || !isFinite(seconds)) return "";
  const s = Math.floor(seconds);
  if (s < 60) return t("page-age-seconds", { n: s });
  if (s < 3600) return t("page-age-minutes", { n: Math.trunc(s / 60) });
  if (s < 86400) return t("page-age-hours", { h: Math.trunc(s / 3600), m: String(Math.trunc((s % 3600) / 60)).padStart(2, "0") });
  return t("page-age-days", { n: Math.trunc(s / 86400) });
}
