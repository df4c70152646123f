// The scanner window. Everything shown is set with textContent: scanned text and names are
// never interpreted as HTML.
"use strict";

const invoke = window.__TAURI__.core.invoke;

const CLASS = {
  ADMIT: "ok", CHECKED_OUT: "ok",
  ORDER: "warn", TOO_EARLY: "warn",
};

function show(outcome) {
  const panel = document.getElementById("verdict");
  panel.className = "verdict " + (CLASS[outcome.verdict] || "stop");
  document.getElementById("verdict-word").textContent = outcome.verdict.replaceAll("_", " ");
  const a = outcome.attendee;
  const who = a ? `${a.firstName} ${a.lastName}` + (outcome.admission ? ` · ${outcome.admission.name}` : "") : "";
  document.getElementById("verdict-who").textContent = who;
  document.getElementById("verdict-detail").textContent = outcome.detail || "";
}

function showError(e) {
  const panel = document.getElementById("verdict");
  panel.className = "verdict stop";
  document.getElementById("verdict-word").textContent = "Not ready";
  document.getElementById("verdict-who").textContent = "";
  document.getElementById("verdict-detail").textContent = (e && e.message) || String(e);
}

async function refreshStatus() {
  const el = document.getElementById("status");
  try {
    const s = await invoke("door_status");
    el.textContent = `${s.eventName || s.eventId} · checked in ${s.checkedIn} / ${s.total}` +
      ` · waiting to upload ${s.pendingUpload} · gate ${s.gate}`;
  } catch (e) {
    el.textContent = (e && e.message) || String(e);
  }
}

document.getElementById("wedge-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const input = document.getElementById("wedge");
  const code = input.value;
  input.value = "";
  if (!code) return;
  try {
    show(await invoke("scan", { code, source: "WEDGE" }));
  } catch (e) {
    showError(e);
  }
  refreshStatus();
});

refreshStatus();
