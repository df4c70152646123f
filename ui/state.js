// Usher: what the page's modules share: the screen on show, whether a door is open, the
// station's last door view, and a small publish/subscribe ("view", "painted", "progress",
// "enter-metric") so one module reacts to another's news without importing it.

export const state = {
  screen: null,
  configured: false,
  view: null,
  viewAt: 0, // Date.now() when the view arrived, to age its "seconds" fields locally
};

const listeners = new Map();

/** Calls `fn(payload)` each time `name` is emitted. */
export function on(name, fn) {
  if (!listeners.has(name)) listeners.set(name, []);
  listeners.get(name).push(fn);
}

/** Tells every listener of `name`; one that throws does not stop the others. */
export function emit(name, payload) {
  for (const fn of listeners.get(name) || []) {
    try {
      fn(payload);
    } catch (err) {
      if (window.console) console.error("usher: " + name + " listener failed", err);
    }
  }
}
