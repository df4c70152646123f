// Usher: the bridge to the Rust side. Commands go through `invoke` (one Station call each,
// src-tauri/src/lib.rs); events (verdict, view, progress, camera, error) come back on one IPC
// channel; a failed command rejects with the shell's `{code, message}` (UiError), read here by
// errText and errCode. The page handles only codes the Rust side emits, and checks each in
// one form only: `errCode(e) === "CODE"`.

const core = window.__TAURI__ && window.__TAURI__.core;

// The page's own stand-in, never sent by Rust: with no Tauri backend (the page opened in a
// browser) every command fails with these words. No code check compares against it.
const PAGE_ONLY_NO_BACKEND = Object.freeze({
  code: "NO_BACKEND",
  message: "The app's backend is not available.",
});

export const invoke = core && core.invoke
  ? core.invoke
  : () => Promise.reject(PAGE_ONLY_NO_BACKEND);

/** The plain words of a failed command (the station's message). */
export function errText(e) {
  if (e && typeof e === "object" && e.message) return String(e.message);
  if (typeof e === "string" && e) return e;
  return "Something went wrong. Try again.";
}

/** The stable code of a failed command (StationError::code / usher_core::Error::code). */
export function errCode(e) {
  return e && typeof e === "object" && e.code ? String(e.code) : "";
}

// null while subscribing, then true (events arrive) or false (they never will).
let eventsOk = null;

/** Whether the event channel is open: null (not yet known), true or false. */
export function eventsOpen() {
  return eventsOk;
}

/** Opens the one event channel (`subscribe`); every StationEvent goes to `onEvent`. */
export function subscribe(onEvent) {
  const Channel = core && core.Channel;
  if (!Channel) {
    eventsOk = false;
    return;
  }
  try {
    const channel = new Channel();
    channel.onmessage = onEvent;
    invoke("subscribe", { onEvent: channel })
      .then(() => { eventsOk = true; })
      .catch(() => { eventsOk = false; });
  } catch (_) {
    eventsOk = false;
  }
}
