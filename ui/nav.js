// Usher: which screen is on show. Each screen module registers what it does when it is
// shown (`enter`, told the screen before) and left (`leave`); showScreen hides the others,
// marks the navigation and leaves no hidden field holding the focus.

import { $ } from "./dom.js";
import { state } from "./state.js";

const SCREENS = ["welcome", "scan", "lookup", "activity", "health", "setup"];
/** The navigation's order: Alt+1 … Alt+5. */
export const NAV_ORDER = ["scan", "lookup", "activity", "health", "setup"];

const hooks = {};

/** What screen `name` does when shown (`enter(prev)`) and when left (`leave()`). */
export function screenHooks(name, h) {
  hooks[name] = h;
}

export function showScreen(name) {
  if (!SCREENS.includes(name)) return;
  const prev = state.screen;
  state.screen = name;
  for (const s of SCREENS) {
    const el = $("screen-" + s);
    if (el) el.hidden = s !== name;
  }
  $("app").setAttribute("data-screen", name);
  $("nav").hidden = name === "welcome";
  for (const s of NAV_ORDER) {
    const b = $("nav-" + s);
    if (!b) continue;
    if (s === name) b.setAttribute("aria-current", "page");
    else b.removeAttribute("aria-current");
  }

  // Leave no hidden field holding the focus (the wedge scanner needs "nothing focused").
  const active = document.activeElement;
  if (active && active !== document.body && !$("screen-" + name).contains(active) && !$("topbar").contains(active)) {
    active.blur();
  }

  if (prev && prev !== name && hooks[prev] && hooks[prev].leave) hooks[prev].leave();
  if (hooks[name] && hooks[name].enter) hooks[name].enter(prev);
}

/** Escape: back to the scan screen (to the welcome screen from a first setup). */
export function goHome() {
  if (state.screen === "welcome") return;
  if (!state.configured && state.screen === "setup") {
    showScreen("welcome");
    return;
  }
  showScreen("scan");
}
