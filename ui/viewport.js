// Usher: an on-screen keyboard. Opening one shrinks the visual viewport (a keyboard over the
// page) or the window (one that resizes it). The page is fitted to the visual viewport
// (--viewport-height, tablet.css), a short one drops lookup's heading, and lookup's field,
// while focused, is scrolled to the top of its screen so it and the first results stay in
// view above the keyboard.

import { $ } from "./dom.js";

/** Below this height (CSS px) the viewport counts as short. */
const SHORT_PX = 620;

function viewportHeight() {
  const vv = window.visualViewport;
  return vv ? vv.height : window.innerHeight;
}

/** Lookup's field at the top of its screen, with the results under it. */
function keepLookupInView() {
  const q = $("lookup-query");
  if (document.activeElement !== q) return;
  const screen = $("screen-lookup");
  const gap = q.getBoundingClientRect().top - screen.getBoundingClientRect().top;
  screen.scrollTop += gap - 8;
}

function fit() {
  const h = viewportHeight();
  const app = $("app");
  app.style.setProperty("--viewport-height", Math.round(h) + "px");
  app.setAttribute("data-viewport", h < SHORT_PX ? "short" : "tall");
  // After the new layout, not before it.
  requestAnimationFrame(keepLookupInView);
}

export function initViewport() {
  if (window.visualViewport) window.visualViewport.addEventListener("resize", fit);
  window.addEventListener("resize", fit);
  $("lookup-query").addEventListener("focus", () => requestAnimationFrame(keepLookupInView));
  fit();
}
