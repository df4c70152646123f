// Usher: the welcome screen, shown while this device is not set up: "Try the demo" (the
// simulated Session Services on loopback, its guest list downloaded, the door opened) or
// "Set up a real door".

import { invoke, errText } from "./bridge.js";
import { t } from "./i18n.js";
import { $, setText } from "./dom.js";
import { state, on } from "./state.js";
import { unlockAudio } from "./sounds.js";
import { showScreen } from "./nav.js";
import { renderView } from "./topbar.js";
import { screenReady } from "./scan.js";

async function onTryDemo() {
  const btn = $("try-demo");
  btn.disabled = true;
  $("setup-real").disabled = true;
  setText(btn, t("demo-starting"));
  setText($("welcome-message"), t("demo-starting-long"));
  unlockAudio();
  try {
    const view = await invoke("demo_start");
    state.configured = true;
    renderView(view);
    setText($("welcome-message"), "");
    showScreen("scan");
    screenReady();
  } catch (e) {
    setText($("welcome-message"), errText(e));
  } finally {
    btn.disabled = false;
    $("setup-real").disabled = false;
    setText(btn, t("try-demo"));
  }
}

export function initWelcome() {
  $("try-demo").addEventListener("click", onTryDemo);
  $("setup-real").addEventListener("click", () => showScreen("setup"));
  // While the demo starts, its message follows the guest list's download.
  on("progress", (words) => {
    if ($("try-demo").disabled) setText($("welcome-message"), t("demo-starting") + " " + words);
  });
}
