// Usher: the door health screen: pace, decision time, Enter to verdict, the upload queue, the
// guest list's age, the camera's frame rate, encryption at rest, the door group's links (a
// row per other door), the pace chart of the last 30 minutes, "Save diagnostics", "Save shift
// report" and the About line. Polled every 2 s while it shows.

import { invoke, errText } from "./bridge.js";
import { t } from "./i18n.js";
import { $, setText, make, clear, num, fmtTime, age, buttonCommand } from "./dom.js";
import { state, on } from "./state.js";
import { screenHooks } from "./nav.js";

const HEALTH_POLL_MS = 2000;
const health = { timer: null, busy: false };
let aboutShown = false;

function startHealth() {
  if (health.timer) return;
  loadAbout();
  pollHealth();
  health.timer = setInterval(pollHealth, HEALTH_POLL_MS);
}

function stopHealth() {
  clearInterval(health.timer);
  health.timer = null;
}

async function pollHealth() {
  if (health.busy) return;
  health.busy = true;
  try {
    const h = await invoke("health");
    setText($("health-message"), "");
    if (state.screen === "health") renderHealth(h || {});
  } catch (e) {
    setText($("health-message"), errText(e));
  } finally {
    health.busy = false;
  }
}

/** The About line: name, version and identifier, as the app's configuration sets them
 *  (asked for once; a failure leaves the line empty). */
async function loadAbout() {
  if (aboutShown) return;
  try {
    const a = (await invoke("about")) || {};
    setText($("health-about"), t("about") + " " + [[a.name, a.version].filter(Boolean).join(" "), a.description, a.identifier, a.copyright].filter(Boolean).join(" · "));
    aboutShown = true;
  } catch (e) {
    setText($("health-about"), "");
  }
}

function fmtMs(v) {
  if (v == null || !isFinite(v)) return "–";
  return (v < 10 ? Math.round(v * 10) / 10 : Math.round(v)) + " ms";
}

/** How a link stands, in the page's words (the station's LinkState). */
function linkWords(state) {
  switch (state) {
    case "LINKED": return t("link-linked");
    case "UNREACHABLE": return t("link-unreachable");
    case "NOT_IN_GROUP": return t("link-not-in-group");
    case "MYSELF": return t("link-myself");
    default: return t("link-connecting");
  }
}

/** Door health's door group: how sharing stands, and a row per other door. */
function renderDoorGroup(g) {
  const line = $("health-door-group");
  line.setAttribute("data-state", g.state || "");
  if (g.state === "ON") {
    setText(line, t("door-group-on", { linked: num(g.linked || 0), at: g.listening || "", refused: num(g.refused || 0) }) + (g.peers && g.peers.length ? "" : " " + t("door-group-no-peers")));
  } else if (g.state === "STARTING") {
    setText(line, t("door-group-starting"));
  } else if (g.state === "FAILED") {
    setText(line, t("door-group-failed", { why: g.error || "" }));
  } else {
    setText(line, t("door-group-off"));
  }
  const peers = g.peers || [];
  $("health-peers").hidden = peers.length === 0;
  const rows = $("health-peers-rows");
  clear(rows);
  for (const p of peers) {
    const tr = make("tr", "peer-row");
    tr.setAttribute("data-state", p.state || "");
    tr.appendChild(make("td", "peer-name", p.name === p.address ? p.address : p.name + " (" + p.address + ")"));
    tr.appendChild(make("td", "peer-state", linkWords(p.state) + (p.error ? ": " + p.error : "")));
    tr.appendChild(make("td", "peer-last-heard", p.lastHeardMs != null ? age(Math.max(0, (Date.now() - p.lastHeardMs) / 1000)) : t("peer-never")));
    tr.appendChild(make("td", "peer-lag", fmtMs(p.lagMs)));
    tr.appendChild(make("td", "peer-received", num(p.received || 0)));
    rows.appendChild(tr);
  }
}

function renderHealth(h) {
  const spm = Number(h.scansPerMinute);
  setText($("health-spm"), isFinite(spm) ? String(Math.round(spm * 10) / 10) : "–");
  const d = h.decisionMs || {};
  setText($("health-decision"), "p50 " + fmtMs(d.p50) + " · p95 " + fmtMs(d.p95) + (d.last != null ? " · " + t("last-ms", { ms: fmtMs(d.last) }) : ""));
  setText($("health-pending"), num(h.pendingUpload || 0));
  setText($("health-oldest"), (h.pendingUpload || 0) > 0 && h.oldestPendingAgeSeconds != null ? age(h.oldestPendingAgeSeconds) : t("none-waiting"));
  setText($("health-cache-age"), h.cacheAgeSeconds != null ? age(h.cacheAgeSeconds) : t("no-guest-list"));
  const fps = Number(h.cameraFps);
  setText($("health-camera-fps"), isFinite(fps) && fps > 0 ? (Math.round(fps * 10) / 10) + " fps" : "off");
  setText($("health-online"), h.online ? "Online" : "Offline");
  const enc = h.encryption || {};
  const keep = Number(h.retentionDays);
  setText($("health-encryption"), [enc.words || "", isFinite(keep) && keep > 0 ? t("retention", { days: num(keep) }) : ""].filter((x) => x).join(" "));
  $("health-encryption").setAttribute("data-encrypted", enc.encrypted ? "true" : "false");
  renderDoorGroup(h.doorGroup || {});
  const notes = [];
  const s = state.view && state.view.status;
  if (s && s.clockWarning) notes.push(s.clockWarning);
  if (h.searchIndexError) notes.push(t("search-index-error", { why: h.searchIndexError }));
  if (h.screenAwake) notes.push(h.screenAwake);
  setText($("health-message"), notes.join(" "));
  $("health-online").setAttribute("data-online", h.online ? "true" : "false");
  renderEnterMetric();
  drawPace(Array.isArray(h.pace) ? h.pace : []);
}

/** The "Enter to verdict" tile: the last USB scan's figure (its title says what it is). */
function renderEnterMetric() {
  const arr = window.usherMetrics ? window.usherMetrics.enterToPaint : [];
  const last = arr.length ? arr[arr.length - 1] : null;
  setText($("health-enter"), last == null ? t("no-usb-scan") : Math.round(last) + " ms");
}

function drawPace(pace) {
  const canvas = $("health-pace");
  const dpr = window.devicePixelRatio || 1;
  const cssW = Math.max(200, canvas.clientWidth || 900);
  const cssH = Math.max(100, canvas.clientHeight || 200);
  if (canvas.width !== Math.round(cssW * dpr) || canvas.height !== Math.round(cssH * dpr)) {
    canvas.width = Math.round(cssW * dpr);
    canvas.height = Math.round(cssH * dpr);
  }
  const ctx = canvas.getContext("2d");
  if (!ctx) return;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, cssW, cssH);

  const padL = 44, padR = 12, padT = 12, padB = 28;
  const w = cssW - padL - padR;
  const hgt = cssH - padT - padB;
  const max = Math.max(1, ...pace.map((p) => Number(p.scans) || 0));
  const top = niceCeil(max);

  ctx.font = "14px system-ui, sans-serif";
  ctx.fillStyle = "#9aa4b2";
  ctx.strokeStyle = "#3a414c";
  ctx.lineWidth = 1;
  ctx.textBaseline = "middle";
  ctx.textAlign = "right";
  for (const frac of [0, 0.5, 1]) {
    const y = padT + hgt - frac * hgt;
    ctx.beginPath();
    ctx.moveTo(padL, Math.round(y) + 0.5);
    ctx.lineTo(padL + w, Math.round(y) + 0.5);
    ctx.stroke();
    ctx.fillText(String(Math.round(top * frac)), padL - 6, y);
  }

  const n = Math.max(pace.length, 1);
  const slot = w / n;
  const barW = Math.max(2, slot * 0.75);
  ctx.fillStyle = "#3ddc84";
  pace.forEach((p, i) => {
    const v = Number(p.scans) || 0;
    const bh = (v / top) * hgt;
    const x = padL + i * slot + (slot - barW) / 2;
    ctx.fillRect(x, padT + hgt - bh, barW, bh);
  });

  ctx.fillStyle = "#9aa4b2";
  ctx.textBaseline = "top";
  if (pace.length) {
    ctx.textAlign = "left";
    ctx.fillText(fmtTime(pace[0].minute), padL, padT + hgt + 6);
    ctx.textAlign = "right";
    ctx.fillText(fmtTime(pace[pace.length - 1].minute), padL + w, padT + hgt + 6);
  } else {
    ctx.textAlign = "center";
    ctx.fillText(t("health-no-scans"), padL + w / 2, padT + hgt / 2);
  }
}

function niceCeil(v) {
  if (v <= 5) return 5;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** "Save shift report": the page and its CSV go to Downloads; where, and whether the scans
 *  were checked against Session Services, is shown beside the button. */
async function saveShiftReport() {
  const b = $("health-save-report");
  const out = $("health-report");
  b.disabled = true;
  try {
    const r = (await invoke("save_shift_report")) || {};
    const checked = r.reconciled
      ? t("report-checked", { count: num(r.differences) })
      : t("report-not-checked", { why: r.notReconciledBecause || "" });
    setText(out, t("report-saved", { html: r.html || "", csv: r.csv || "", checked: checked }));
    out.setAttribute("data-file", r.html || "");
  } catch (e) {
    setText(out, errText(e));
    out.setAttribute("data-file", "");
  } finally {
    b.disabled = false;
  }
}

export function initHealth() {
  $("health-save-diagnostics").addEventListener("click", () =>
    buttonCommand("health-save-diagnostics", "health-diagnostics", "save_diagnostics", undefined,
      (r) => t("saved-in", { folder: r.folder || "" })));
  $("health-save-report").addEventListener("click", saveShiftReport);
  window.addEventListener("resize", () => { if (state.screen === "health") pollHealth(); });
  on("enter-metric", renderEnterMetric);
  renderEnterMetric();
  screenHooks("health", { enter: startHealth, leave: stopHealth });
}
