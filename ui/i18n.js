// Usher: the page's words. The page keeps no word table of its own: the station sends every
// message of the core's page catalog (crates/usher-core/locales/<language>/page.ftl),
// resolved in the language in force (`language`, `set_language`). Static text in
// index.html names its message with data-i18n="id" (data-i18n-placeholder, -title, -alt
// and -aria-label for attributes); a module's sentence is t("id", { name: value }), which fills the
// message's { $name } places. Counts that need plurals are worded in Rust instead.

import { invoke } from "./bridge.js";
import { emit } from "./state.js";

let texts = {};
let current = null;

/** Message `id` in the language in force, its { $name } places filled from `args`. */
export function t(id, args) {
  let s = Object.prototype.hasOwnProperty.call(texts, id) ? texts[id] : null;
  // Before the texts arrive (or for an unknown id) the id shows: never a blank.
  if (s == null) return id;
  if (args) {
    for (const k of Object.keys(args)) s = s.split("{$" + k + "}").join(String(args[k]));
  }
  return s;
}

/** The language in force ("en", "de"), null before the station answered. */
export function language() {
  return current;
}

const ATTRS = [
  ["data-i18n-placeholder", "placeholder"],
  ["data-i18n-title", "title"],
  ["data-i18n-alt", "alt"],
  ["data-i18n-aria-label", "aria-label"],
];

/** Sets every data-i18n element's text (and marked attributes) under `root`. */
export function applyTexts(root) {
  const r = root || document;
  for (const el of r.querySelectorAll("[data-i18n]")) el.textContent = t(el.getAttribute("data-i18n"));
  for (const [data, attr] of ATTRS) {
    for (const el of r.querySelectorAll("[" + data + "]")) el.setAttribute(attr, t(el.getAttribute(data)));
  }
}

/** Takes a LanguageView: its texts, its language on <html lang>, every text re-applied;
 *  "language" tells the modules to repaint what they worded. */
export function useLanguage(view) {
  if (!view || typeof view !== "object") return;
  texts = view.texts || {};
  current = view.language || null;
  if (current) document.documentElement.setAttribute("lang", current);
  applyTexts(document);
  emit("language", view);
}

/** Asks the station for the language in force and applies it. */
export async function loadLanguage() {
  try {
    useLanguage(await invoke("language"));
  } catch (_) {
    // No backend (the page opened in a browser): the English text in index.html stays.
  }
}

/** A DoorView names the station's language: a door that opened with another one reloads. */
export function followView(view) {
  if (view && view.language && current && view.language !== current) loadLanguage();
}
