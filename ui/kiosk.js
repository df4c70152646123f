// Usher: kiosk mode. Setup's switch (inside Setup's form, so behind the door PIN: kiosk mode
// never goes off without it), the window the shell dresses to match (full screen, no frame),
// and the close dialog: in kiosk mode a close or quit waits for the door PIN, and the
// dialog says how many scans still wait to upload.

import { invoke, errText } from "./bridge.js";
import { $, setText } from "./dom.js";
import { t } from "./i18n.js";

const kiosk = { on: false };

function render(k) {
  kiosk.on = !!(k && k.on);
  $("setup-kiosk").checked = kiosk.on;
  $("app").setAttribute("data-kiosk", kiosk.on ? "on" : "off");
  $("kiosk-quit").hidden = !kiosk.on;
}

/** Kiosk mode as stored; the shell dresses the window to match. */
async function loadKiosk() {
  try {
    render(await invoke("kiosk_state"));
  } catch (e) {
    setText($("setup-kiosk-message"), errText(e));
  }
}

async function onKioskApply() {
  const on = $("setup-kiosk").checked;
  const field = $("setup-kiosk-pin");
  const pin = field.value;
  field.value = "";
  const msg = $("setup-kiosk-message");
  try {
    const k = await invoke("kiosk_set", { on: on, pin: pin || null });
    render(k);
    setText(msg, k.on ? t("kiosk-is-on") : t("kiosk-is-off"));
  } catch (e) {
    render(kiosk);
    setText(msg, errText(e));
  }
}

function waitingWords(waiting) {
  if (waiting == null) return t("kiosk-waiting-unknown");
  if (waiting === 0) return t("kiosk-waiting-none");
  return waiting === 1 ? t("kiosk-waiting-one") : t("kiosk-waiting-many", { count: waiting });
}

/** The window was asked to close: the station kept it open until the door PIN is given. */
export function askToClose(waiting) {
  const box = $("kiosk-close-waiting");
  setText(box, waitingWords(waiting));
  box.setAttribute("data-waiting", waiting == null ? "" : String(waiting));
  setText($("kiosk-close-message"), "");
  $("kiosk-close-pin").value = "";
  $("kiosk-close").hidden = false;
  $("kiosk-close-pin").focus();
}

function keepOpen() {
  $("kiosk-close").hidden = true;
  $("kiosk-close-pin").value = "";
  if (document.activeElement) document.activeElement.blur();
}

async function onCloseConfirm() {
  const field = $("kiosk-close-pin");
  const pin = field.value;
  field.value = "";
  const msg = $("kiosk-close-message");
  if (!pin) {
    setText(msg, t("kiosk-type-pin"));
    field.focus();
    return;
  }
  try {
    await invoke("kiosk_close", { pin: pin });
    setText(msg, t("kiosk-closing"));
  } catch (e) {
    setText(msg, t("kiosk-stays-open", { why: errText(e) }));
    field.focus();
  }
}

/** Setup's "Close Usher": a close like the window manager's (the dialog asks for the PIN). */
function onQuit() {
  const w = window.__TAURI__ && window.__TAURI__.window;
  if (w && w.getCurrentWindow) {
    w.getCurrentWindow().close().catch((e) => setText($("setup-kiosk-message"), errText(e)));
  }
}

export function initKiosk() {
  $("setup-kiosk-apply").addEventListener("click", onKioskApply);
  $("kiosk-quit").addEventListener("click", onQuit);
  $("kiosk-close-confirm").addEventListener("click", onCloseConfirm);
  $("kiosk-close-cancel").addEventListener("click", keepOpen);
  $("kiosk-close-pin").addEventListener("keydown", (e) => {
    if (e.key === "Enter") { e.preventDefault(); onCloseConfirm(); }
  });
  loadKiosk();
}
