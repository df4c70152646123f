// Usher: the door window's page, booted here. Each part is its own ES module (no bundler):
// bridge.js (commands, the event channel, errors), state.js (what the modules share),
// dom.js (DOM and formatting helpers), sounds.js, verdict.js (the verdict panel), wedge.js
// (the USB scanner detector) and keyboard.js, camera.js, topbar.js (counters and sync bar),
// nav.js (which screen shows), and one module per screen: welcome, scan, lookup, activity,
// health, setup (and scanner.js, Setup's USB scanner section; kiosk.js, kiosk mode; viewport.js,
// the on-screen keyboard); i18n.js (the page's texts from the core's catalog) and language.js
// (Setup's language selector). The page decides nothing: every verdict, count and state it shows comes
// from the station, worded by the core.

import { invoke, errText, errCode, subscribe } from "./bridge.js";
import { $, setText } from "./dom.js";
import { state } from "./state.js";
import { initSounds } from "./sounds.js";
import { paintError } from "./verdict.js";
import { initCamera, renderCamera } from "./camera.js";
import { initKeyboard } from "./keyboard.js";
import { NAV_ORDER, showScreen } from "./nav.js";
import { initTopbar, renderView, renderProgress } from "./topbar.js";
import { initWelcome } from "./welcome.js";
import { initScan, onVerdictEvent, screenReady } from "./scan.js";
import { initLookup } from "./lookup.js";
import { initActivity, refreshActivityIfShown } from "./activity.js";
import { initHealth } from "./health.js";
import { initSetup } from "./setup.js";
import { initScanner } from "./scanner.js";
import { initDoorGroup } from "./doorgroup.js";
import { initKiosk, askToClose } from "./kiosk.js";
import { initViewport } from "./viewport.js";
import { t, loadLanguage } from "./i18n.js";
import { initLanguage } from "./language.js";

/** One StationEvent from the channel. */
function onEvent(msg) {
  if (!msg || typeof msg !== "object") return;
  try {
    switch (msg.kind) {
      case "verdict":
        onVerdictEvent(msg.outcome);
        break;
      case "view":
        renderView(msg.view);
        refreshActivityIfShown();
        break;
      case "progress":
        renderProgress(msg);
        break;
      case "camera":
        renderCamera({ state: msg.state, words: msg.words });
        break;
      case "closeAsked":
        askToClose(msg.waiting);
        break;
      case "error":
        // A failure no command waited for (a camera scan that could not be recorded).
        paintError({ code: msg.code, message: msg.message });
        break;
      default:
        break;
    }
  } catch (err) {
    // A rendering bug must not stop later events from being handled.
    if (window.console) console.error("usher: event handling failed", err);
  }
}

function bind() {
  initKeyboard();
  initSounds();
  for (const s of NAV_ORDER) $("nav-" + s).addEventListener("click", () => showScreen(s));
  initTopbar();
  initCamera();
  initWelcome();
  initScan();
  initLookup();
  initActivity();
  initHealth();
  initSetup();
  initScanner();
  initDoorGroup();
  initKiosk();
  initViewport();
  initLanguage();
}

async function start() {
  bind();
  subscribe(onEvent);
  // The page's texts in the language in force, before the first screen shows.
  await loadLanguage();
  let s = null;
  try {
    s = await invoke("app_start");
  } catch (e) {
    showScreen("welcome");
    // A guest list whose key the keychain does not give: the message says what to do;
    // setup and the demo never open an empty list in its place.
    if (errCode(e) === "CACHE_LOCKED") setText($("welcome-lead"), t("welcome-locked"));
    setText($("welcome-message"), errText(e));
    return;
  }
  if (s && s.dataDir) setText($("welcome-datadir"), t("data-folder", { folder: s.dataDir }));
  if (s && s.screen === "DOOR") {
    state.configured = true;
    showScreen("scan");
    try {
      renderView(await invoke("door_view"));
      screenReady();
    } catch (e) {
      paintError(e);
    }
  } else {
    showScreen("welcome");
    $("try-demo").focus();
  }
}

// A module runs once the document is parsed.
start();
