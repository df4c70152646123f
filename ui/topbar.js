// Usher: the always-visible bars, painted from the station's DoorView: the counters (inside
// of total, and one counter per admission), the online badge, the door's name, and the sync
// bar (waiting scans, ages that tick between views, upload problems, download progress).

import { invoke } from "./bridge.js";
import { $, setText, make, clear, num, fmtTime, age } from "./dom.js";
import { state, emit, on } from "./state.js";
import { t, followView } from "./i18n.js";
import { showScreen } from "./nav.js";

let progressHideTimer = null;

/** Paints a DoorView (`door_view`, a "view" event, a finished setup or demo start). */
export function renderView(view) {
  if (!view || typeof view !== "object") return;
  state.view = view;
  state.viewAt = Date.now();
  followView(view);
  const s = view.status || {};
  // Lookup switched off in the gate profile: no way to it (the station refuses it too).
  $("nav-lookup").hidden = s.lookup === false;
  if (s.lookup === false && state.screen === "lookup") showScreen("scan");

  setText($("count-in"), num(s.checkedIn));
  setText($("count-total"), num(s.total));

  const list = $("count-admissions");
  clear(list);
  for (const a of s.admissions || []) {
    const li = make("li", "count-admission");
    li.appendChild(make("span", "adm-name", a.name));
    li.appendChild(document.createTextNode(" "));
    li.appendChild(make("span", "adm-count", num(a.checkedIn) + "/" + num(a.total)));
    list.appendChild(li);
  }

  const badge = $("online-badge");
  const online = !!view.online;
  badge.setAttribute("data-online", online ? "true" : "false");
  setText(badge, t(online ? "online" : "offline"));
  badge.title = t(online ? "online-title" : "offline-title");

  const bits = [];
  if (view.demo) bits.push(t("door-demo"));
  if (s.eventName || s.eventId) bits.push(s.eventName || s.eventId);
  if (s.gate) bits.push(s.mode === "EXIT" ? t("door-exit", { gate: s.gate }) : s.gate);
  if (s.offline) bits.push(t("door-cache-only"));
  setText($("door-label"), bits.join(" · "));
  $("door-label").classList.toggle("is-exit", s.mode === "EXIT");

  setText($("pending-count"), num(s.pendingUpload || 0));
  $("pending-count").parentElement.classList.toggle("has-pending", (s.pendingUpload || 0) > 0);

  const latest = [s.lastUploadAt, s.lastDownloadAt, s.cacheSyncedAt]
    .filter((x) => x && !isNaN(new Date(x).getTime()))
    .sort((a, b) => new Date(b) - new Date(a))[0];
  setText($("last-sync"), latest ? t("synced", { time: fmtTime(latest) }) : t("not-synced"));

  // Doors of its group this door exchanges scans with (none shown when it shares with none).
  const linked = $("doors-linked");
  const n = view.linkedDoors;
  linked.hidden = n == null;
  setText(linked, n === 1 ? t("doors-linked-one") : t("doors-linked-many", { count: num(n || 0) }));
  linked.setAttribute("data-linked", n == null ? "" : String(n));

  const problems = (s.conflicts || 0) + (s.rejected || 0);
  const up = $("upload-problems");
  up.hidden = problems === 0;
  setText(up, t("upload-problems", { count: num(problems) }));

  const errEl = $("last-error");
  const errWords = s.uploadsPaused
    ? t("uploads-paused", { why: s.uploadsPaused })
    : (s.clockWarning || s.lastError || (s.roster && s.roster.warning) || "");
  errEl.hidden = !errWords;
  setText(errEl, errWords);
  errEl.classList.toggle("is-paused", !!s.uploadsPaused);
  // A paused upload is fixed by checking a token again, in Setup (the demo never pauses).
  $("fix-uploads").hidden = !s.uploadsPaused || !!view.demo;

  tickAges();
  emit("view", view);
}

/** Ages in the sync bar count up locally between views, in the core's words (dom.js age). */
function tickAges() {
  const view = state.view;
  if (!view) return;
  const s = view.status || {};
  const extra = (Date.now() - state.viewAt) / 1000;

  const oldest = $("oldest-pending");
  if ((s.pendingUpload || 0) > 0 && s.oldestPendingAgeSeconds != null) {
    setText(oldest, t("oldest-pending", { age: age(s.oldestPendingAgeSeconds + extra) }));
    oldest.hidden = false;
  } else {
    setText(oldest, "");
    oldest.hidden = true;
  }

  const cache = $("cache-age");
  if (s.cacheAgeSeconds != null) {
    setText(cache, t("guest-list-age", { age: age(s.cacheAgeSeconds + extra) }) + (s.cacheStale ? " " + t("guest-list-stale") : ""));
    cache.hidden = false;
  } else {
    setText(cache, s.eventId ? t("no-guest-list") : "");
    cache.hidden = !s.eventId;
  }
  cache.classList.toggle("is-stale", !!s.cacheStale);
}

/** Asks for the door view again (every 10 s, as a net under the "view" events). */
export async function refreshView() {
  try {
    renderView(await invoke("door_view"));
    return true;
  } catch (e) {
    return false;
  }
}

/** The last "progress" event, so a new language words the line again. */
let lastProgress = null;

function progressWords(p) {
  const done = Number(p.walksDone) || 0;
  const total = Number(p.walks) || 0;
  const rows = Number(p.rows) || 0;
  const expected = p.expected == null ? null : Number(p.expected);
  const finished = total > 0 && done >= total;
  const words = finished
    ? t("downloaded", { rows: num(rows) })
    : expected != null
      ? t("downloading-of", { rows: num(rows), expected: num(expected) })
      : t("downloading", { rows: num(rows) });
  return { words, finished };
}

/** A "progress" event: the guest list downloading. */
export function renderProgress(p) {
  const el = $("sync-progress");
  lastProgress = p;
  const { words, finished } = progressWords(p);
  setText(el, words);
  el.hidden = false;
  el.classList.toggle("is-done", finished);
  clearTimeout(progressHideTimer);
  if (finished) progressHideTimer = setTimeout(() => { el.hidden = true; }, 5000);
  emit("progress", words);
}

export function initTopbar() {
  $("online-badge").addEventListener("click", () => showScreen("health"));
  $("upload-problems").addEventListener("click", () => showScreen("activity"));
  $("fix-uploads").addEventListener("click", () => showScreen("setup"));
  setInterval(tickAges, 1000);
  // A new language: the bars, and the progress line still shown, are worded again.
  on("language", () => {
    if (state.view) renderView(state.view);
    const el = $("sync-progress");
    if (lastProgress && !el.hidden) setText(el, progressWords(lastProgress).words);
  });
  setInterval(() => { if (state.configured) refreshView(); }, 10000);
}
