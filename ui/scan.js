// Usher: the scan screen (home): sending a code from any of the three sources (USB scanner,
// typed, "Admit the rest"), the Enter-to-verdict figure of each USB scan, the demo's
// controls, and telling the app once the screen is painted.

import { invoke } from "./bridge.js";
import { t } from "./i18n.js";
import { $, setText, isEditable, buttonCommand } from "./dom.js";
import { on, emit } from "./state.js";

import { unlockAudio } from "./sounds.js";
import { paintOutcome, paintError, paintCount, safetyNet, focusVerdict } from "./verdict.js";
import { updateCameraLoop } from "./camera.js";
import { screenHooks } from "./nav.js";

// Enter key to painted verdict, per USB scan: Door health shows the last; the window tests
// read them all (window.usherMetrics.enterToPaint).
window.usherMetrics = window.usherMetrics || { enterToPaint: [] };
if (!Array.isArray(window.usherMetrics.enterToPaint)) window.usherMetrics.enterToPaint = [];

let pendingWedges = []; // [{ t0, scanId|null }]: USB scans sent, their verdict not painted yet
let networkUp = true;

function purgeWedges() {
  const now = performance.now();
  pendingWedges = pendingWedges.filter((w) => now - w.t0 < 15000);
}

function dropWedge(w) {
  const i = pendingWedges.indexOf(w);
  if (i >= 0) pendingWedges.splice(i, 1);
}

function takeWedgeFor(o) {
  if (!o || o.source !== "WEDGE" || pendingWedges.length === 0) return null;
  let i = pendingWedges.findIndex((w) => w.scanId != null && w.scanId === o.scanId);
  if (i < 0) i = pendingWedges.findIndex((w) => w.scanId == null);
  if (i < 0) return null;
  return pendingWedges.splice(i, 1)[0];
}

function recordEnterToPaint(t0) {
  requestAnimationFrame(() => setTimeout(() => {
    const ms = performance.now() - t0;
    const arr = window.usherMetrics.enterToPaint;
    arr.push(ms);
    if (arr.length > 5000) arr.splice(0, arr.length - 5000);
    emit("enter-metric");
  }, 0));
}

/** A "verdict" event: any scan, from any source, on this door. */
export function onVerdictEvent(o) {
  const wedge = takeWedgeFor(o);
  paintOutcome(o);
  if (wedge) recordEnterToPaint(wedge.t0);
}

/** Sends one code to the door; the verdict arrives as an event (the reply is the safety net). */
export async function sendScan(code, source, confirm, t0) {
  unlockAudio();
  let wedge = null;
  if (source === "WEDGE") {
    purgeWedges();
    wedge = { t0: t0 == null ? performance.now() : t0, scanId: null };
    pendingWedges.push(wedge);
  }
  const seqAtSend = paintCount();
  try {
    const out = await invoke("scan", { code: code, source: source, confirm: !!confirm });
    if (wedge) wedge.scanId = out && out.scanId != null ? out.scanId : null;
    safetyNet(out, seqAtSend, wedge ? () => { dropWedge(wedge); recordEnterToPaint(wedge.t0); } : null);
    return out;
  } catch (e) {
    if (wedge) dropWedge(wedge);
    paintError(e);
    return null;
  }
}

function onManualKey(e) {
  if (e.key !== "Enter") return;
  e.preventDefault();
  const input = $("manual-code");
  const code = input.value.trim();
  input.value = "";
  if (!code) return;
  sendScan(code, "MANUAL", false);
}

/** "Admit the rest": the order's code again, confirmed (the code the core put on the button). */
function onConfirmOrder() {
  const btn = $("confirm-order");
  const code = btn.getAttribute("data-code");
  if (!code) return;
  btn.disabled = true;
  setText(btn, t("admitting"));
  sendScan(code, "MANUAL", true).then(() => { btn.disabled = false; });
}

/** Tells the app once the scan screen is painted: it then prepares guest search, and
 *  `usher-desktop --measure` takes its start-up figure. */
export function screenReady() {
  requestAnimationFrame(() => setTimeout(() => invoke("screen_ready").catch(() => {}), 0));
}

// ---------------------------------------------------------------- the demo's controls
function renderNetworkButton() {
  const b = $("demo-network");
  setText(b, t(networkUp ? "demo-cut" : "demo-restore"));
  b.setAttribute("aria-pressed", networkUp ? "false" : "true");
}

function onDemoShowTicket() {
  // The shell answers with the ticket's id only (demo_show_ticket → {ticketId}), no name.
  return buttonCommand("demo-show-ticket", "demo-message", "demo_show_ticket", undefined,
    () => t("demo-showing"));
}

async function onDemoNetwork() {
  await buttonCommand("demo-network", "demo-message", "demo_network", { up: !networkUp }, (r) => {
    networkUp = !!r.up;
    return networkUp
      ? t("demo-restore-done")
      : t("demo-cut-done");
  });
  renderNetworkButton();
}

function onDemoSaveTickets() {
  return buttonCommand("demo-save-tickets", "demo-tickets-folder", "save_demo_tickets", undefined,
    (r) => t("demo-saved", { count: Array.isArray(r.files) ? r.files.length : 0, folder: r.folder || "" }));
}

export function initScan() {
  on("language", renderNetworkButton);
  $("manual-code").addEventListener("keydown", onManualKey);
  $("confirm-order").addEventListener("click", onConfirmOrder);
  $("demo-show-ticket").addEventListener("click", onDemoShowTicket);
  $("demo-network").addEventListener("click", onDemoNetwork);
  $("demo-save-tickets").addEventListener("click", onDemoSaveTickets);
  renderNetworkButton();
  on("view", (view) => { $("demo-controls").hidden = !view.demo; });
  screenHooks("scan", {
    enter(prev) {
      updateCameraLoop();
      if (isEditable(document.activeElement)) document.activeElement.blur();
      if (prev !== "scan") focusVerdict();
    },
    leave: updateCameraLoop,
  });
}
