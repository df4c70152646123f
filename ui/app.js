// Usher: the door window.
//
// Rules kept everywhere in this file:
// - everything that comes from a scan, a guest or the backend is shown with textContent
//   (never innerHTML), so a QR holding markup shows as literal text;
// - no inline styles or handlers (strict CSP): classes, data-attributes and CSSOM only;
// - the scan screen's verdict is painted from "verdict" events (one path); invoke replies are
//   only used for errors (and as a safety net if the event channel could not be opened).
"use strict";

(function () {
  // ---------------------------------------------------------------- backend bridge
  const core = window.__TAURI__ && window.__TAURI__.core;
  const invoke = core && core.invoke
    ? core.invoke
    : () => Promise.reject({ code: "NO_BACKEND", message: "The app's backend is not available." });
  const Channel = core && core.Channel;

  const $ = (id) => document.getElementById(id);

  window.usherMetrics = window.usherMetrics || { enterToPaint: [] };
  if (!Array.isArray(window.usherMetrics.enterToPaint)) window.usherMetrics.enterToPaint = [];

  const FADE_MS = 8000;
  const CONFIRM_FADE_MS = 30000;
  const CAMERA_FRAME_MS = 80;
  const HEALTH_POLL_MS = 2000;
  const VIEW_POLL_MS = 10000;

  const SCREENS = ["welcome", "scan", "lookup", "activity", "health", "setup"];
  const NAV_ORDER = ["scan", "lookup", "activity", "health", "setup"];

  const state = {
    screen: null,
    configured: false,
    demo: false,
    view: null,
    viewAt: 0, // Date.now() when the view arrived, to age its "seconds" fields locally
    camera: { state: "STARTING", words: "" },
    networkUp: true,
    eventsOk: null, // null while subscribing, then true/false
    lastSentCode: "",
    lastPainted: null, // { outcome, cls, at }
    paintSeq: 0,
    painted: new Set(), // scanIds already painted (to avoid double sounds)
    pendingWedges: [], // [{ t0, scanId|null, at }]
    progressHideTimer: null,
  };

  // ---------------------------------------------------------------- small helpers
  function errText(e) {
    if (e && typeof e === "object" && e.message) return String(e.message);
    if (typeof e === "string" && e) return e;
    return "Something went wrong. Try again.";
  }

  function errCode(e) {
    return e && typeof e === "object" && e.code ? String(e.code) : "";
  }

  function setText(el, text) {
    if (el) el.textContent = text == null ? "" : String(text);
  }

  function make(tag, cls, text) {
    const el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text != null && text !== "") el.textContent = String(text);
    return el;
  }

  function clear(el) {
    while (el && el.firstChild) el.removeChild(el.firstChild);
  }

  function fmtTime(iso) {
    if (!iso) return "";
    const d = new Date(iso);
    if (isNaN(d.getTime())) return "";
    return d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function fmtDateTime(iso) {
    if (!iso) return "";
    const d = new Date(iso);
    if (isNaN(d.getTime())) return "";
    return d.toLocaleDateString([], { day: "numeric", month: "short" }) + " " + fmtTime(iso);
  }

  /** Relative age in short words: "12 s", "3 min", "2 h", "4 d". */
  function age(seconds) {
    if (seconds == null || !isFinite(seconds)) return "";
    const s = Math.max(0, Math.round(seconds));
    if (s < 60) return s + " s";
    if (s < 3600) return Math.floor(s / 60) + " min";
    if (s < 172800) return Math.floor(s / 3600) + " h";
    return Math.floor(s / 86400) + " d";
  }

  function fullName(att) {
    if (!att) return "";
    return [att.firstName, att.lastName].filter((x) => x).join(" ").trim();
  }

  function num(n) {
    if (n == null || !isFinite(n)) return "–";
    return String(n);
  }

  function isEditable(el) {
    if (!el || el === document.body) return false;
    if (el.isContentEditable) return true;
    const tag = el.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") return true;
    if (tag === "INPUT") {
      const t = (el.getAttribute("type") || "text").toLowerCase();
      return !["checkbox", "radio", "button", "submit", "reset", "range", "color", "file", "image"].includes(t);
    }
    return false;
  }

  // ---------------------------------------------------------------- verdict vocabulary
  const VERDICT_WORDS = {
    ADMIT: "ADMIT",
    ALREADY_CHECKED_IN: "ALREADY IN",
    CANCELLED: "CANCELLED",
    NOT_FOUND: "NOT FOUND",
    WRONG_EVENT: "WRONG EVENT",
    NOT_FOR_THIS_GATE: "NOT FOR THIS GATE",
    TOO_EARLY: "TOO EARLY",
    ENTRY_CLOSED: "ENTRY CLOSED",
    ORDER: "ORDER",
    CHECKED_OUT: "CHECKED OUT",
    NOT_CHECKED_IN: "NOT CHECKED IN",
    NOT_A_TICKET_CODE: "NOT A TICKET",
    READY: "READY",
    ERROR: "NOT READY",
  };

  const ICONS = { go: "✓", confirm: "!", stop: "✕", junk: "?", error: "!", ready: "" };

  function verdictWord(v) {
    return VERDICT_WORDS[v] || String(v || "").replace(/_/g, " ");
  }

  /** go | confirm | stop | junk */
  function verdictClass(o) {
    switch (o && o.verdict) {
      case "ADMIT":
      case "CHECKED_OUT":
        return "go";
      case "ORDER": {
        const ord = o.order;
        if (ord && ord.needsConfirmation && !ord.confirmed) return "confirm";
        if (ord && ord.admitting > 0) return "go";
        return "stop";
      }
      case "NOT_A_TICKET_CODE":
        return "junk";
      default:
        return "stop";
    }
  }

  function classOfVerdictString(v) {
    if (v === "ADMIT" || v === "CHECKED_OUT") return "go";
    if (v === "ORDER") return "confirm";
    if (v === "NOT_A_TICKET_CODE") return "junk";
    return "stop";
  }

  /** "Checked in 20:14 by Sam Lee (device door-2)" */
  function previousWords(p) {
    if (!p) return "";
    let s = p.kind === "CHECK_OUT" ? "Checked out" : "Checked in";
    const t = fmtTime(p.at);
    if (t) s += " " + t;
    if (p.by) s += " by " + p.by;
    if (p.origin === "THIS_DEVICE") s += " (this door)";
    else if (p.deviceId) s += " (device " + p.deviceId + ")";
    return s;
  }

  // ---------------------------------------------------------------- sounds (WebAudio)
  let audioCtx = null;
  let muted = false;

  function ensureAudio() {
    if (audioCtx) return audioCtx;
    const AC = window.AudioContext || window.webkitAudioContext;
    if (!AC) return null;
    try {
      audioCtx = new AC();
    } catch (_) {
      audioCtx = null;
    }
    return audioCtx;
  }

  function unlockAudio() {
    try {
      const ctx = ensureAudio();
      if (ctx && ctx.state === "suspended") ctx.resume().catch(() => {});
    } catch (_) { /* never break input */ }
  }

  function tone(ctx, freq, start, dur, type, peak) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = type;
    osc.frequency.setValueAtTime(freq, start);
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(peak, start + 0.01);
    gain.gain.setValueAtTime(peak, start + Math.max(0.01, dur - 0.03));
    gain.gain.exponentialRampToValueAtTime(0.0001, start + dur);
    osc.connect(gain);
    gain.connect(ctx.destination);
    osc.start(start);
    osc.stop(start + dur + 0.02);
  }

  function playSound(cls) {
    if (muted) return;
    try {
      const ctx = ensureAudio();
      if (!ctx) return;
      if (ctx.state === "suspended") ctx.resume().catch(() => {});
      const t = ctx.currentTime + 0.01;
      if (cls === "go") {
        tone(ctx, 880, t, 0.09, "sine", 0.35);
        tone(ctx, 1320, t + 0.12, 0.11, "sine", 0.35);
      } else if (cls === "confirm") {
        tone(ctx, 784, t, 0.2, "triangle", 0.4);
        tone(ctx, 523, t + 0.22, 0.28, "triangle", 0.4);
      } else {
        tone(ctx, 140, t, 0.4, "square", 0.18);
        tone(ctx, 147, t, 0.4, "sawtooth", 0.12);
      }
    } catch (_) { /* a sound failure must never break scanning */ }
  }

  function loadMute() {
    try {
      muted = window.localStorage.getItem("usher.muted") === "1";
    } catch (_) {
      muted = false;
    }
    renderMute();
  }

  function renderMute() {
    const b = $("mute");
    b.setAttribute("aria-pressed", muted ? "true" : "false");
    setText($("mute-label"), muted ? "Muted" : "Sound on");
    setText($("mute-icon"), muted ? "⊘" : "♪");
    b.title = muted ? "Sounds are off: press to turn them on" : "Press to mute verdict sounds";
  }

  function toggleMute() {
    muted = !muted;
    try {
      window.localStorage.setItem("usher.muted", muted ? "1" : "0");
    } catch (_) { /* ignore */ }
    renderMute();
    if (!muted) playSound("go");
  }

  // ---------------------------------------------------------------- screens
  function showScreen(name) {
    if (!SCREENS.includes(name)) return;
    const prev = state.screen;
    state.screen = name;
    for (const s of SCREENS) {
      const el = $("screen-" + s);
      if (el) el.hidden = s !== name;
    }
    $("app").setAttribute("data-screen", name);
    $("nav").hidden = name === "welcome";
    for (const s of NAV_ORDER) {
      const b = $("nav-" + s);
      if (!b) continue;
      if (s === name) b.setAttribute("aria-current", "page");
      else b.removeAttribute("aria-current");
    }

    // Leave no hidden field holding the focus (the wedge scanner needs "nothing focused").
    const active = document.activeElement;
    if (active && active !== document.body && !$("screen-" + name).contains(active) && !$("topbar").contains(active)) {
      active.blur();
    }

    updateCameraLoop();
    if (name === "health") startHealth(); else stopHealth();
    if (name === "activity") refreshActivity();
    if (name === "lookup") {
      const q = $("lookup-query");
      q.focus();
      q.select();
      if (q.value.trim()) runLookup();
    }
    if (name === "scan") {
      if (isEditable(document.activeElement)) document.activeElement.blur();
      if (prev !== "scan") $("verdict").focus({ preventScroll: true });
    }
    if (name === "setup") {
      renderSetupCurrent();
      refreshSetupLock();
    } else if (prev === "setup") {
      invoke("setup_lock").catch(() => {});
    }
  }

  // Setup behind the door PIN: the station says whether it is locked and checks the PIN.
  async function refreshSetupLock() {
    $("setup-form").hidden = true;
    $("setup-lock").hidden = true;
    let locked = false;
    try {
      locked = await invoke("setup_locked");
    } catch (e) {
      setText($("setup-message"), errText(e));
    }
    if (state.screen !== "setup") return;
    $("setup-lock").hidden = !locked;
    $("setup-form").hidden = locked;
    if (locked) {
      $("setup-lock-pin").value = "";
      $("setup-lock-pin").focus();
    }
  }

  async function onSetupForget() {
    const msg = $("setup-forget-message");
    if (!window.confirm("Forget this event's guest list and scan log on this laptop?")) return;
    try {
      const r = await invoke("setup_forget");
      $("setup-export-pending").hidden = true;
      setText(msg, "Forgot event " + r.eventId + ": " + num(r.tickets) + " tickets and " + num(r.scans) + " scans removed.");
      state.configured = false;
      state.view = null;
      renderSetupCurrent();
    } catch (e) {
      setText(msg, errText(e));
      // Scans still wait to upload: offer to keep them first.
      $("setup-export-pending").hidden = !(e && e.code === "REFUSED");
    }
  }

  async function onExportPending() {
    try {
      const r = await invoke("export_pending");
      setText($("setup-forget-message"), "Saved the waiting scans to " + r.folder);
    } catch (e) {
      setText($("setup-forget-message"), errText(e));
    }
  }

  async function onSetupUnlock() {
    const field = $("setup-lock-pin");
    const pin = field.value;
    field.value = "";
    try {
      await invoke("setup_unlock", { pin: pin });
      setText($("setup-lock-message"), "");
      $("setup-lock").hidden = true;
      $("setup-form").hidden = false;
    } catch (e) {
      setText($("setup-lock-message"), errText(e));
      field.focus();
    }
  }

  function goHome() {
    if (state.screen === "welcome") return;
    if (!state.configured && state.screen === "setup") {
      showScreen("welcome");
      return;
    }
    showScreen("scan");
  }

  // ---------------------------------------------------------------- door view: counters, sync bar
  function renderView(view) {
    if (!view || typeof view !== "object") return;
    state.view = view;
    state.viewAt = Date.now();
    state.demo = !!view.demo;
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
    setText(badge, online ? "Online" : "Offline");
    badge.title = online
      ? "Connected to Session Services"
      : "No connection: scans are decided from the guest list on this device and uploaded later";

    const bits = [];
    if (view.demo) bits.push("DEMO");
    if (s.eventName || s.eventId) bits.push(s.eventName || s.eventId);
    if (s.gate) bits.push(s.gate + (s.mode === "EXIT" ? " (exit)" : ""));
    if (s.offline) bits.push("cache only");
    setText($("door-label"), bits.join(" · "));
    $("door-label").classList.toggle("is-exit", s.mode === "EXIT");

    setText($("pending-count"), num(s.pendingUpload || 0));
    $("pending-count").parentElement.classList.toggle("has-pending", (s.pendingUpload || 0) > 0);

    const latest = [s.lastUploadAt, s.lastDownloadAt, s.cacheSyncedAt]
      .filter((x) => x && !isNaN(new Date(x).getTime()))
      .sort((a, b) => new Date(b) - new Date(a))[0];
    setText($("last-sync"), latest ? "synced " + fmtTime(latest) : "not synced yet");

    const problems = (s.conflicts || 0) + (s.rejected || 0);
    const up = $("upload-problems");
    up.hidden = problems === 0;
    setText(up, problems === 1 ? "1 upload problem" : problems + " upload problems");

    const errEl = $("last-error");
    const errWords = s.uploadsPaused
      ? "Uploads paused: " + s.uploadsPaused
      : (s.clockWarning || s.lastError || (s.roster && s.roster.warning) || "");
    errEl.hidden = !errWords;
    setText(errEl, errWords);
    errEl.classList.toggle("is-paused", !!s.uploadsPaused);
    // A paused upload is fixed by checking a token again, in Setup (the demo never pauses).
    $("fix-uploads").hidden = !s.uploadsPaused || !!view.demo;

    $("demo-controls").hidden = !view.demo;
    if (view.camera) renderCamera(view.camera);

    tickAges();
    if (state.screen === "setup") renderSetupCurrent();
  }

  /** Ages in the sync bar count up locally between view events. */
  function tickAges() {
    const view = state.view;
    if (!view) return;
    const s = view.status || {};
    const extra = (Date.now() - state.viewAt) / 1000;

    const oldest = $("oldest-pending");
    if ((s.pendingUpload || 0) > 0 && s.oldestPendingAgeSeconds != null) {
      setText(oldest, "oldest " + age(s.oldestPendingAgeSeconds + extra));
      oldest.hidden = false;
    } else {
      setText(oldest, "");
      oldest.hidden = true;
    }

    const cache = $("cache-age");
    if (s.cacheAgeSeconds != null) {
      setText(cache, "guest list " + age(s.cacheAgeSeconds + extra) + " old" + (s.cacheStale ? " (old!)" : ""));
      cache.hidden = false;
    } else {
      setText(cache, s.eventId ? "no guest list yet" : "");
      cache.hidden = !s.eventId;
    }
    cache.classList.toggle("is-stale", !!s.cacheStale);
  }

  async function refreshView() {
    try {
      renderView(await invoke("door_view"));
      return true;
    } catch (e) {
      return false;
    }
  }

  function renderProgress(p) {
    const el = $("sync-progress");
    const done = Number(p.walksDone) || 0;
    const total = Number(p.walks) || 0;
    const rows = Number(p.rows) || 0;
    const expected = p.expected == null ? null : Number(p.expected);
    const finished = total > 0 && done >= total;
    const words = finished
      ? "Guest list downloaded: " + num(rows) + " guests"
      : "Downloading guest list: " + num(rows) + (expected != null ? " of " + num(expected) : "") + " guests";
    setText(el, words);
    el.hidden = false;
    el.classList.toggle("is-done", finished);
    clearTimeout(state.progressHideTimer);
    if (finished) state.progressHideTimer = setTimeout(() => { el.hidden = true; }, 5000);
    if ($("setup-finish").disabled) setText($("setup-message"), words);
    if ($("try-demo").disabled) setText($("welcome-message"), "Starting the demo… " + words);
  }

  // ---------------------------------------------------------------- camera preview
  const PREVIEW_URL = /Windows|Android/i.test(navigator.userAgent)
    ? "http://usher.localhost/preview.jpg"
    : "usher://localhost/preview.jpg";
  const cam = { running: false, inflight: false, timer: null, counter: 0, loadStart: 0 };

  const CAMERA_DEFAULT_WORDS = {
    STARTING: "Starting the camera…",
    LIVE: "Camera on: hold the code in the frame.",
    NO_CAMERA: "No camera found. Scan with the USB scanner or type the code.",
    BUSY: "The camera is in use by another app. Scan with the USB scanner or type the code.",
    PERMISSION_DENIED: "The camera is not allowed. Scan with the USB scanner or type the code.",
    UNPLUGGED: "The camera was unplugged. Scan with the USB scanner or type the code.",
    ENDED: "The camera stopped. Scan with the USB scanner or type the code.",
    FAILED: "The camera failed. Scan with the USB scanner or type the code.",
  };

  function renderCamera(c) {
    if (!c) return;
    state.camera = { state: String(c.state || "STARTING"), words: c.words ? String(c.words) : "" };
    $("camera-box").setAttribute("data-state", state.camera.state);
    setText($("camera-words"), state.camera.words || CAMERA_DEFAULT_WORDS[state.camera.state] || "");
    updateCameraLoop();
  }

  function updateCameraLoop() {
    const want = state.screen === "scan" && state.camera.state === "LIVE";
    if (want) camStart(); else camStop();
  }

  function camSchedule(ms) {
    clearTimeout(cam.timer);
    cam.timer = setTimeout(camNext, ms);
  }

  function camNext() {
    cam.timer = null;
    if (!cam.running || cam.inflight) return;
    cam.inflight = true;
    cam.loadStart = performance.now();
    cam.counter += 1;
    $("camera-preview").src = PREVIEW_URL + "?n=" + cam.counter;
  }

  function camStart() {
    if (cam.running) return;
    cam.running = true;
    if (!cam.inflight) camSchedule(0);
  }

  function camStop() {
    cam.running = false;
    clearTimeout(cam.timer);
    cam.timer = null;
    $("camera-preview").hidden = true;
    $("camera-target").hidden = true;
  }

  function bindCamera() {
    const img = $("camera-preview");
    img.addEventListener("load", () => {
      cam.inflight = false;
      if (!cam.running) return;
      img.hidden = false;
      $("camera-target").hidden = false;
      const elapsed = performance.now() - cam.loadStart;
      camSchedule(Math.max(0, CAMERA_FRAME_MS - elapsed));
    });
    img.addEventListener("error", () => {
      cam.inflight = false;
      if (!cam.running) return;
      camSchedule(1000);
    });
  }

  // ---------------------------------------------------------------- verdict panel
  let fadeTimer = null;

  function paintOutcome(o, opts) {
    if (!o || typeof o !== "object") return;
    const repeat = o.scanId != null && state.painted.has(o.scanId);
    if (o.scanId != null) {
      state.painted.add(o.scanId);
      if (state.painted.size > 500) state.painted = new Set(Array.from(state.painted).slice(-200));
    }
    const cls = verdictClass(o);
    const panel = $("verdict");
    state.paintSeq += 1;
    state.lastPainted = { outcome: o, cls: cls, at: Date.now() };

    panel.setAttribute("data-verdict", String(o.verdict || ""));
    panel.setAttribute("data-scan-id", o.scanId == null ? "" : String(o.scanId));
    panel.setAttribute("data-class", cls);
    panel.classList.remove("is-faded");

    setText($("verdict-icon"), ICONS[cls]);
    setText($("verdict-word"), verdictWord(o.verdict));
    panel.setAttribute("data-len", wordLen(verdictWord(o.verdict)));

    // Who and what.
    let name = fullName(o.attendee);
    if (!name && o.verdict === "ORDER" && o.order && o.order.lines) {
      const names = o.order.lines.map((l) => fullName(l.ticket && l.ticket.attendee)).filter((x) => x);
      const uniq = Array.from(new Set(names));
      name = uniq.length ? uniq.slice(0, 2).join(", ") + (uniq.length > 2 ? " +" + (uniq.length - 2) : "") : "";
    }
    setText($("verdict-name"), name);
    const adm = [o.admission && o.admission.name, o.section && o.section.name].filter((x) => x).join(" · ");
    setText($("verdict-admission"), adm);
    let prev = previousWords(o.previous);
    // "Already in" is said by the previous scan's line; the long detail would repeat it.
    setText($("verdict-detail"), o.verdict === "ALREADY_CHECKED_IN" && prev ? "" : o.detail || "");
    if (!prev && o.verdict === "NOT_A_TICKET_CODE" && o.scanned) {
      // What was scanned, as plain text: a code holding markup stays inert.
      prev = "Scanned: " + o.scanned;
    }
    if (!prev && o.verdict === "NOT_FOUND" && o.cacheAgeSeconds != null) {
      prev = "Guest list on this device is " + age(o.cacheAgeSeconds) + " old";
    }
    if (o.verdict === "NOT_FOUND" && o.scanned) prev = "Scanned: " + o.scanned + (prev ? " · " + prev : "");
    setText($("verdict-previous"), prev);

    renderOrder(o, cls);

    // Small print: source, time, how it was decided.
    const meta = [];
    const t = fmtTime(o.doorTime);
    if (t) meta.push(t);
    if (o.source) meta.push(sourceWords(o.source));
    if (o.gate) meta.push(o.gate);
    meta.push(o.confirmedOnline ? "confirmed with the server" : "decided on this device");
    // A scanner that fired twice: the first verdict again, nothing recorded twice.
    if (o.sameScan) meta.push("same scan, shown again");
    if (o.cacheAgeSeconds != null && o.verdict !== "NOT_FOUND" && !o.confirmedOnline) {
      meta.push("guest list " + age(o.cacheAgeSeconds) + " old");
    }
    setText($("verdict-meta"), meta.join(" · "));
    setText($("verdict-last"), "");

    renderMiniVerdict(o, cls);

    clearTimeout(fadeTimer);
    fadeTimer = setTimeout(fadeToReady, cls === "confirm" ? CONFIRM_FADE_MS : FADE_MS);

    if (!repeat && !(opts && opts.silent)) playSound(cls);
    if (state.screen === "lookup") lookupAfterVerdict(o);
    if (state.screen === "activity") refreshActivity();
  }

  /** Size class for the verdict word, so long words still fit the panel. */
  function wordLen(w) {
    return w.length <= 7 ? "s" : w.length <= 11 ? "m" : "l";
  }

  function sourceWords(src) {
    switch (src) {
      case "WEDGE": return "USB scanner";
      case "MANUAL": return "typed";
      case "CAMERA": return "camera";
      case "LOOKUP": return "lookup";
      default: return String(src).toLowerCase().replace(/_/g, " ");
    }
  }

  function renderOrder(o, cls) {
    const box = $("verdict-order");
    const lines = $("order-lines");
    const btn = $("confirm-order");
    clear(lines);
    const ord = o.order;
    if (!ord) {
      box.hidden = true;
      btn.hidden = true;
      btn.removeAttribute("data-code");
      return;
    }
    box.hidden = false;
    const n = (ord.lines || []).length;
    const parts = [n + (n === 1 ? " ticket" : " tickets")];
    parts.push((ord.alreadyIn || 0) + " already in");
    parts.push("admitting " + (ord.admitting || 0));
    setText($("order-summary"), parts.join(" · "));
    for (const line of ord.lines || []) {
      const li = make("li", "order-line");
      li.setAttribute("data-class", classOfVerdictString(line.state));
      li.appendChild(make("span", "order-line-state", verdictWord(line.state)));
      li.appendChild(make("span", "order-line-name", fullName(line.ticket && line.ticket.attendee) || (line.ticket && line.ticket.id) || ""));
      const admName = line.ticket && line.ticket.admission && line.ticket.admission.name;
      if (admName) li.appendChild(make("span", "order-line-adm", admName));
      if (line.detail) li.appendChild(make("span", "order-line-detail", line.detail));
      lines.appendChild(li);
    }
    const needs = cls === "confirm";
    btn.hidden = !needs;
    btn.disabled = false;
    if (needs) {
      const code = (o.orderId && /^ord_/.test(o.orderId)) ? o.orderId
        : (ord.orderId && /^ord_/.test(ord.orderId)) ? ord.orderId : state.lastSentCode;
      btn.setAttribute("data-code", code || "");
      setText(btn, "Admit the rest (" + (ord.admitting || 0) + ")");
    } else {
      btn.removeAttribute("data-code");
    }
  }

  function renderMiniVerdict(o, cls) {
    const mini = $("mini-verdict");
    mini.classList.remove("is-faded");
    mini.setAttribute("data-class", cls);
    const name = fullName(o.attendee);
    setText(mini, (ICONS[cls] ? ICONS[cls] + " " : "") + verdictWord(o.verdict) + (name ? " · " + name : ""));
  }

  function fadeToReady() {
    fadeTimer = null;
    const last = state.lastPainted;
    const panel = $("verdict");
    panel.setAttribute("data-verdict", "READY");
    panel.setAttribute("data-class", "ready");
    panel.classList.add("is-faded");
    setText($("verdict-icon"), "");
    setText($("verdict-word"), "READY");
    panel.setAttribute("data-len", "s");
    setText($("verdict-name"), "");
    setText($("verdict-admission"), "");
    setText($("verdict-detail"), "Scan a ticket, or type a code below and press Enter.");
    setText($("verdict-previous"), "");
    setText($("verdict-meta"), "");
    $("verdict-order").hidden = true;
    clear($("order-lines"));
    $("confirm-order").hidden = true;
    if (last && last.outcome) {
      const o = last.outcome;
      const bits = ["Last: " + verdictWord(o.verdict)];
      const name = fullName(o.attendee);
      if (name) bits.push(name);
      const t = fmtTime(o.doorTime);
      if (t) bits.push(t);
      setText($("verdict-last"), bits.join(" · "));
      $("verdict-last").setAttribute("data-class", last.cls);
    }
    const mini = $("mini-verdict");
    mini.classList.add("is-faded");
  }

  function paintError(e) {
    const panel = $("verdict");
    clearTimeout(fadeTimer);
    panel.setAttribute("data-verdict", "ERROR");
    panel.setAttribute("data-scan-id", "");
    panel.setAttribute("data-class", "error");
    panel.classList.remove("is-faded");
    setText($("verdict-icon"), ICONS.error);
    setText($("verdict-word"), "NOT READY");
    panel.setAttribute("data-len", wordLen("NOT READY"));
    setText($("verdict-name"), "");
    setText($("verdict-admission"), "");
    setText($("verdict-detail"), errText(e));
    setText($("verdict-previous"), "");
    setText($("verdict-meta"), "");
    setText($("verdict-last"), "");
    $("verdict-order").hidden = true;
    $("confirm-order").hidden = true;
    const mini = $("mini-verdict");
    mini.setAttribute("data-class", "error");
    mini.classList.remove("is-faded");
    setText(mini, "! NOT READY");
    playSound("stop");
    fadeTimer = setTimeout(fadeToReady, FADE_MS * 2);
  }

  // ---------------------------------------------------------------- scanning
  function purgeWedges() {
    const now = performance.now();
    state.pendingWedges = state.pendingWedges.filter((w) => now - w.t0 < 15000);
  }

  function takeWedgeFor(o) {
    if (!o || o.source !== "WEDGE" || state.pendingWedges.length === 0) return null;
    let i = state.pendingWedges.findIndex((w) => w.scanId != null && w.scanId === o.scanId);
    if (i < 0) i = state.pendingWedges.findIndex((w) => w.scanId == null);
    if (i < 0) return null;
    return state.pendingWedges.splice(i, 1)[0];
  }

  function recordEnterToPaint(t0) {
    requestAnimationFrame(() => setTimeout(() => {
      const ms = performance.now() - t0;
      const arr = window.usherMetrics.enterToPaint;
      arr.push(ms);
      if (arr.length > 5000) arr.splice(0, arr.length - 5000);
      renderEnterMetric();
    }, 0));
  }

  function onVerdictEvent(o) {
    const wedge = takeWedgeFor(o);
    paintOutcome(o);
    if (wedge) recordEnterToPaint(wedge.t0);
  }

  async function sendScan(code, source, confirm, t0) {
    unlockAudio();
    state.lastSentCode = code;
    let wedge = null;
    if (source === "WEDGE") {
      purgeWedges();
      wedge = { t0: t0 == null ? performance.now() : t0, scanId: null };
      state.pendingWedges.push(wedge);
    }
    const seqAtSend = state.paintSeq;
    try {
      const out = await invoke("scan", { code: code, source: source, confirm: !!confirm });
      if (wedge) wedge.scanId = out && out.scanId != null ? out.scanId : null;
      safetyNet(out, seqAtSend, wedge);
      return out;
    } catch (e) {
      if (wedge) {
        const i = state.pendingWedges.indexOf(wedge);
        if (i >= 0) state.pendingWedges.splice(i, 1);
      }
      if (/DUPLICATE|DEBOUNCE|REPEAT|IGNORED/i.test(errCode(e))) {
        // The same code again within a moment: the verdict on screen stands.
        setText($("verdict-meta"), errText(e));
        return null;
      }
      paintError(e);
      return null;
    }
  }

  /**
   * The verdict is painted from the "verdict" event. If the event channel could not be opened,
   * or the event for this scan never arrives, paint the reply so the door is never left blind.
   */
  function safetyNet(out, seqAtSend, wedge) {
    if (!out || typeof out !== "object") return;
    const paintReply = () => {
      if (out.scanId != null && state.painted.has(out.scanId)) return;
      if (state.paintSeq !== seqAtSend) return; // something newer is on screen
      if (wedge) {
        const i = state.pendingWedges.indexOf(wedge);
        if (i >= 0) state.pendingWedges.splice(i, 1);
      }
      paintOutcome(out);
      if (wedge) recordEnterToPaint(wedge.t0);
    };
    if (state.eventsOk === false) paintReply();
    else setTimeout(paintReply, 2500);
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

  function onConfirmOrder() {
    const btn = $("confirm-order");
    const code = btn.getAttribute("data-code") || state.lastSentCode;
    if (!code) return;
    btn.disabled = true;
    setText(btn, "Admitting…");
    sendScan(code, "MANUAL", true).then(() => { btn.disabled = false; });
  }

  // ---------------------------------------------------------------- keyboard: wedge + shortcuts
  // A USB scanner's burst of keys is told from typing by wedge.js (loaded before this file).
  const wedge = window.UsherWedge.createWedge();

  function resetWedge() {
    wedge.reset();
  }

  function shortcutDigit(e) {
    const m = /^(?:Digit|Numpad)([1-5])$/.exec(e.code || "");
    if (m) return Number(m[1]);
    if (/^[1-5]$/.test(e.key)) return Number(e.key);
    return 0;
  }

  function onKeyDown(e) {
    // Shortcuts work everywhere (except on the welcome screen, which has no navigation).
    if (e.altKey && !e.ctrlKey && !e.metaKey) {
      const d = shortcutDigit(e);
      if (d) {
        e.preventDefault();
        resetWedge();
        const to = NAV_ORDER[d - 1];
        if (state.screen !== "welcome" && !(to === "lookup" && $("nav-lookup").hidden)) showScreen(to);
        return;
      }
    }
    if (e.key === "Escape" || e.key === "Esc") {
      resetWedge();
      if (state.screen !== "scan" && state.screen !== "welcome") {
        e.preventDefault();
        goHome();
      } else if (isEditable(document.activeElement)) {
        document.activeElement.blur();
      }
      return;
    }

    // Someone is typing in a field: leave their keys alone.
    if (isEditable(document.activeElement)) {
      resetWedge();
      return;
    }
    if (e.ctrlKey || e.altKey || e.metaKey) {
      resetWedge();
      return;
    }
    if (e.isComposing) return;

    // A key held down repeats; a scanner never does.
    if (e.repeat) return;
    const seen = wedge.key(e.key, performance.now());
    if (seen.kind === "swallow") {
      // Inside a fast burst, stop a stray space from pressing a focused button.
      e.preventDefault();
    } else if (seen.kind === "scan") {
      e.preventDefault();
      e.stopPropagation();
      const t0 = performance.now();
      sendScan(seen.code, "WEDGE", false, t0);
    }
  }

  // ---------------------------------------------------------------- events from the backend
  function onEvent(msg) {
    if (!msg || typeof msg !== "object") return;
    try {
      switch (msg.kind) {
        case "verdict":
          onVerdictEvent(msg.outcome);
          break;
        case "view":
          renderView(msg.view);
          if (state.screen === "activity") refreshActivity();
          break;
        case "progress":
          renderProgress(msg);
          break;
        case "camera":
          renderCamera({ state: msg.state, words: msg.words });
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

  function subscribe() {
    if (!Channel) {
      state.eventsOk = false;
      return;
    }
    try {
      const channel = new Channel();
      channel.onmessage = onEvent;
      invoke("subscribe", { onEvent: channel })
        .then(() => { state.eventsOk = true; })
        .catch(() => { state.eventsOk = false; });
    } catch (_) {
      state.eventsOk = false;
    }
  }

  // ---------------------------------------------------------------- lookup
  const look = { seq: 0, timer: null, last: [] };

  function scheduleLookup() {
    clearTimeout(look.timer);
    look.timer = setTimeout(runLookup, 30);
  }

  async function runLookup() {
    const query = $("lookup-query").value.trim();
    const my = ++look.seq;
    if (!query) {
      clear($("lookup-results"));
      setText($("lookup-status"), "");
      return;
    }
    try {
      const rows = await invoke("lookup", { query: query, limit: 50 });
      if (my !== look.seq) return; // a newer query is on its way
      renderLookup(Array.isArray(rows) ? rows : []);
    } catch (e) {
      if (my !== look.seq) return;
      clear($("lookup-results"));
      setText($("lookup-status"), errText(e));
    }
  }

  function lookupStateWords(hit) {
    if (hit.status === "CANCELLED") return { words: "Cancelled", key: "cancelled" };
    if (hit.inside) return { words: "Inside", key: "inside" };
    if (hit.status === "REDEEMED") return { words: "Checked out", key: "out" };
    return { words: "Not in yet", key: "waiting" };
  }

  function renderLookup(rows) {
    const box = $("lookup-results");
    clear(box);
    setText($("lookup-status"), rows.length === 0 ? "No guest matches." : rows.length === 1 ? "1 guest" : rows.length + " guests");
    for (const hit of rows) {
      const t = hit.ticket || {};
      const row = make("div", "lookup-row");
      row.setAttribute("data-ticket-id", String(t.id || ""));
      const st = lookupStateWords(hit);
      row.setAttribute("data-state", st.key);

      const main = make("div", "row-main");
      main.appendChild(make("div", "row-name", fullName(t.attendee) || "(no name)"));
      const c = hit.contact || {};
      const contact = [c.email, c.phone].filter((x) => x).join(" · ");
      main.appendChild(make("div", "row-contact", contact));
      const what = [t.admission && t.admission.name, t.section && t.section.name].filter((x) => x).join(" · ");
      main.appendChild(make("div", "row-admission", what));
      main.appendChild(make("div", "row-ids", [t.id, t.orderId].filter((x) => x).join(" · ")));
      row.appendChild(main);

      const side = make("div", "row-state");
      side.appendChild(make("span", "state-badge", st.words));
      side.lastElementChild.setAttribute("data-state", st.key);
      const last = previousWords(hit.lastScan);
      side.appendChild(make("div", "row-last", last || "Never scanned"));
      row.appendChild(side);

      const actions = make("div", "row-actions");
      if (hit.inside) {
        const b = make("button", "row-btn check-out", "Check out");
        b.type = "button";
        b.setAttribute("data-ticket-id", String(t.id || ""));
        b.setAttribute("aria-label", "Check out " + (fullName(t.attendee) || t.id || ""));
        actions.appendChild(b);
      } else if (hit.status !== "CANCELLED") {
        const b = make("button", "row-btn check-in", "Check in");
        b.type = "button";
        b.setAttribute("data-ticket-id", String(t.id || ""));
        b.setAttribute("aria-label", "Check in " + (fullName(t.attendee) || t.id || ""));
        actions.appendChild(b);
      }
      row.appendChild(actions);
      box.appendChild(row);
    }
  }

  async function onLookupClick(e) {
    const btn = e.target && e.target.closest ? e.target.closest("button.check-in, button.check-out") : null;
    if (!btn) return;
    const ticketId = btn.getAttribute("data-ticket-id");
    if (!ticketId) return;
    const direction = btn.classList.contains("check-out") ? "EXIT" : "ENTRY";
    unlockAudio();
    btn.disabled = true;
    setText(btn, direction === "EXIT" ? "Checking out…" : "Checking in…");
    const seqAtSend = state.paintSeq;
    try {
      const out = await invoke("check", { ticketId: ticketId, direction: direction });
      safetyNet(out, seqAtSend, null);
    } catch (e2) {
      setText($("lookup-verdict"), errText(e2));
      $("lookup-verdict").setAttribute("data-class", "error");
      paintError(e2);
    }
    runLookup();
  }

  function lookupAfterVerdict(o) {
    const bits = [verdictWord(o.verdict)];
    const name = fullName(o.attendee);
    if (name) bits.push(name);
    if (o.detail) bits.push(o.detail);
    const el = $("lookup-verdict");
    setText(el, bits.join(" · "));
    el.setAttribute("data-class", verdictClass(o));
  }

  // ---------------------------------------------------------------- activity
  const act = { busy: false, again: false };

  const UPLOAD_WORDS = {
    NONE: "no upload needed",
    PENDING: "waiting to upload",
    ACKNOWLEDGED: "uploaded",
    CONFLICT: "conflict",
    REJECTED: "rejected",
  };

  async function refreshActivity() {
    if (act.busy) {
      act.again = true;
      return;
    }
    act.busy = true;
    try {
      const rows = await invoke("activity", { limit: 200 });
      renderActivity(Array.isArray(rows) ? rows : []);
    } catch (e) {
      setText($("undo-message"), errText(e));
    } finally {
      act.busy = false;
      if (act.again) {
        act.again = false;
        if (state.screen === "activity") setTimeout(refreshActivity, 200);
      }
    }
  }

  function renderActivity(rows) {
    const list = $("activity-list");
    const probs = $("activity-problems");
    clear(list);
    clear(probs);
    let nProblems = 0;
    if (rows.length === 0) list.appendChild(make("li", "empty-row", "No scans on this door yet."));
    for (const r of rows) {
      const li = make("li", "activity-row");
      li.setAttribute("data-verdict", String(r.verdict || ""));
      li.setAttribute("data-upload", String(r.upload || ""));
      li.setAttribute("data-class", classOfVerdictString(r.verdict));
      li.appendChild(make("span", "act-time", fmtTime(r.doorTime)));
      li.appendChild(make("span", "act-verdict", verdictWord(r.verdict)));
      const mid = make("span", "act-main");
      mid.appendChild(make("span", "act-name", r.name || ""));
      mid.appendChild(make("span", "act-detail", r.detail || ""));
      li.appendChild(mid);
      const how = [sourceWords(r.source || "")];
      if (r.action === "CHECK_IN") how.push("check-in");
      if (r.action === "CHECK_OUT") how.push("check-out");
      li.appendChild(make("span", "act-source", how.filter((x) => x).join(" · ")));
      const up = make("span", "act-upload", UPLOAD_WORDS[r.upload] || String(r.upload || "").toLowerCase());
      up.setAttribute("data-upload", String(r.upload || ""));
      li.appendChild(up);
      if (r.problem) li.appendChild(make("span", "act-problem", r.problem));
      list.appendChild(li);

      if (r.upload === "CONFLICT" || r.upload === "REJECTED") {
        nProblems += 1;
        const p = make("li", "problem-row");
        p.setAttribute("data-upload", String(r.upload));
        p.setAttribute("data-scan-id", String(r.scanId == null ? "" : r.scanId));
        const head = [r.upload === "CONFLICT" ? "Conflict" : "Rejected", fmtTime(r.doorTime), r.name || r.ticketId || ""]
          .filter((x) => x).join(" · ");
        p.appendChild(make("div", "problem-head", head));
        p.appendChild(make("div", "problem-text", r.problem || "The server did not accept this scan."));
        probs.appendChild(p);
      }
    }
    $("activity-problems-box").hidden = nProblems === 0;
  }

  async function onUndo() {
    const btn = $("undo-last");
    const msg = $("undo-message");
    btn.disabled = true;
    unlockAudio();
    const seqAtSend = state.paintSeq;
    try {
      const out = await invoke("undo_last");
      const name = fullName(out && out.attendee);
      setText(msg, "Undone: " + (name ? name + " is" : "the guest is") + " checked out again. The check-out will be uploaded.");
      safetyNet(out, seqAtSend, null);
    } catch (e) {
      setText(msg, errCode(e) === "NOTHING_TO_UNDO" ? "Nothing to undo: this door has no check-in to take back." : errText(e));
    } finally {
      btn.disabled = false;
      refreshActivity();
    }
  }

  // ---------------------------------------------------------------- health
  const health = { timer: null, busy: false };

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
  let aboutShown = false;
  async function loadAbout() {
    if (aboutShown) return;
    try {
      const a = (await invoke("about")) || {};
      setText($("health-about"), "About: " + [[a.name, a.version].filter(Boolean).join(" "), a.description, a.identifier, a.copyright].filter(Boolean).join(" · "));
      aboutShown = true;
    } catch (e) {
      setText($("health-about"), "");
    }
  }

  function fmtMs(v) {
    if (v == null || !isFinite(v)) return "–";
    return (v < 10 ? Math.round(v * 10) / 10 : Math.round(v)) + " ms";
  }

  function renderHealth(h) {
    const spm = Number(h.scansPerMinute);
    setText($("health-spm"), isFinite(spm) ? String(Math.round(spm * 10) / 10) : "–");
    const d = h.decisionMs || {};
    setText($("health-decision"), "p50 " + fmtMs(d.p50) + " · p95 " + fmtMs(d.p95) + (d.last != null ? " · last " + fmtMs(d.last) : ""));
    setText($("health-pending"), num(h.pendingUpload || 0));
    setText($("health-oldest"), (h.pendingUpload || 0) > 0 && h.oldestPendingAgeSeconds != null ? age(h.oldestPendingAgeSeconds) : "none waiting");
    setText($("health-cache-age"), h.cacheAgeSeconds != null ? age(h.cacheAgeSeconds) : "no guest list");
    const fps = Number(h.cameraFps);
    setText($("health-camera-fps"), isFinite(fps) && fps > 0 ? (Math.round(fps * 10) / 10) + " fps" : "off");
    setText($("health-online"), h.online ? "Online" : "Offline");
    const enc = h.encryption || {};
    const keep = Number(h.retentionDays);
    setText($("health-encryption"), [enc.words || "", isFinite(keep) && keep > 0 ? "An event's guest list and scans are forgotten " + keep + " days after its entry ends." : ""].filter((x) => x).join(" "));
    $("health-encryption").setAttribute("data-encrypted", enc.encrypted ? "true" : "false");
    const notes = [];
    const s = state.view && state.view.status;
    if (s && s.clockWarning) notes.push(s.clockWarning);
    if (h.searchIndexError) notes.push("Guest search index: " + h.searchIndexError);
    setText($("health-message"), notes.join(" "));
    $("health-online").setAttribute("data-online", h.online ? "true" : "false");
    renderEnterMetric();
    drawPace(Array.isArray(h.pace) ? h.pace : []);
  }

  function renderEnterMetric() {
    const arr = window.usherMetrics.enterToPaint;
    const last = arr.length ? arr[arr.length - 1] : null;
    setText($("health-enter"), last == null ? "Enter to verdict: no USB scan yet" : "Enter to verdict: " + Math.round(last) + " ms");
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
      ctx.fillText("No scans yet", padL + w / 2, padT + hgt / 2);
    }
  }

  function niceCeil(v) {
    if (v <= 5) return 5;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
    return 10 * p;
  }

  // ---------------------------------------------------------------- welcome / demo
  async function onTryDemo() {
    const btn = $("try-demo");
    btn.disabled = true;
    $("setup-real").disabled = true;
    setText(btn, "Starting the demo…");
    setText($("welcome-message"), "Starting the demo… downloading the demo guest list.");
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
      setText(btn, "Try the demo");
    }
  }

  async function onDemoShowTicket() {
    const btn = $("demo-show-ticket");
    btn.disabled = true;
    try {
      const r = await invoke("demo_show_ticket");
      setText($("demo-message"), "Holding up " + ((r && r.name) || "a demo") + "’s ticket to the camera…");
    } catch (e) {
      setText($("demo-message"), errText(e));
    } finally {
      btn.disabled = false;
    }
  }

  function renderNetworkButton() {
    const b = $("demo-network");
    setText(b, state.networkUp ? "Cut the network" : "Restore the network");
    b.setAttribute("aria-pressed", state.networkUp ? "false" : "true");
  }

  async function onDemoNetwork() {
    const b = $("demo-network");
    b.disabled = true;
    try {
      const r = await invoke("demo_network", { up: !state.networkUp });
      state.networkUp = !!(r && r.up);
      setText($("demo-message"), state.networkUp
        ? "Network restored: waiting scans will upload."
        : "Network cut: the door keeps working from the guest list on this device.");
    } catch (e) {
      setText($("demo-message"), errText(e));
    } finally {
      b.disabled = false;
      renderNetworkButton();
    }
  }

  async function onSaveDiagnostics() {
    const b = $("health-save-diagnostics");
    b.disabled = true;
    try {
      const r = await invoke("save_diagnostics");
      setText($("health-diagnostics"), "Saved in: " + ((r && r.folder) || ""));
    } catch (e) {
      setText($("health-diagnostics"), errText(e));
    } finally {
      b.disabled = false;
    }
  }

  async function onDemoSaveTickets() {
    const b = $("demo-save-tickets");
    b.disabled = true;
    try {
      const r = await invoke("save_demo_tickets");
      const n = r && Array.isArray(r.files) ? r.files.length : 0;
      setText($("demo-tickets-folder"), "Saved " + n + " printable tickets in: " + ((r && r.folder) || ""));
    } catch (e) {
      setText($("demo-tickets-folder"), errText(e));
    } finally {
      b.disabled = false;
    }
  }

  // ---------------------------------------------------------------- setup
  const setup = { events: [], access: {}, eventSeq: 0 };

  function renderSetupCurrent() {
    const s = state.view && state.view.status;
    if (!s || !s.eventId) {
      setText($("setup-current"), "This door is not set up yet.");
      return;
    }
    setText($("setup-current"),
      "Now: " + (state.view.demo ? "demo · " : "") + (s.eventName || s.eventId) + " · gate " + (s.gate || "?") +
      " (" + (s.mode === "EXIT" ? "exit" : "entry") + ")" + (s.offline ? " · cache only" : "") +
      (s.tenantId ? " · tenant " + s.tenantId : ""));
  }

  function onApiChange() {
    const custom = $("setup-api").value === "custom";
    $("setup-api-url-row").hidden = !custom;
    if (custom) $("setup-api-url").focus();
  }

  function reportLine(ok, text) {
    const li = make("li", "report-line");
    li.setAttribute("data-ok", ok ? "true" : "false");
    li.appendChild(make("span", "report-icon", ok ? "✓" : "✕"));
    li.appendChild(make("span", "report-text", text));
    return li;
  }

  async function onSetupCheck() {
    const btn = $("setup-check");
    const report = $("setup-token-report");
    const apiSel = $("setup-api").value;
    const api = apiSel === "custom" ? $("setup-api-url").value.trim() : apiSel;
    const tenantId = $("setup-tenant").value.trim();
    const tokenInput = $("setup-token");
    const token = tokenInput.value.trim();
    clear(report);
    if (!api) { report.appendChild(make("p", "report-error", "Type the API address.")); return; }
    if (!tenantId) { report.appendChild(make("p", "report-error", "Type the tenant id.")); return; }
    if (!token) { report.appendChild(make("p", "report-error", "Paste the API token.")); return; }
    btn.disabled = true;
    setText(btn, "Checking…");
    let r = null;
    try {
      r = await invoke("setup_check_token", { api: api, tenantId: tenantId, token: token });
    } catch (e) {
      report.appendChild(make("p", "report-error", errText(e)));
    } finally {
      tokenInput.value = ""; // the token never stays in the page
      btn.disabled = false;
      setText(btn, "Check the token");
    }
    if (r) renderTokenReport(r);
  }

  function renderTokenReport(r) {
    const report = $("setup-token-report");
    clear(report);
    const who = r.user
      ? [r.user, r.email ? "(" + r.email + ")" : ""].filter((x) => x).join(" ")
      : "a service token (no person)";
    report.appendChild(make("p", "report-who", "Token accepted: " + who + "."));
    const ul = make("ul", "report-list");
    setup.events = Array.isArray(r.events) ? r.events : [];
    // What the token's listed permissions say per event: only a hint (roles may grant more),
    // so every event stays selectable and the first check-in gives the real answer.
    setup.access = {};
    for (const a of Array.isArray(r.access) ? r.access : []) setup.access[String(a.eventId)] = a;
    const hints = Object.values(setup.access);
    const able = hints.filter((a) => a.scan === "YES").length;
    if (hints.length && able === hints.length) ul.appendChild(reportLine(true, "Appears able to scan tickets for every event listed"));
    else if (able) ul.appendChild(reportLine(true, "Appears able to scan tickets for " + able + " of " + hints.length + " events"));
    else ul.appendChild(reportLine(false, "Scan permission could not be confirmed from the token's listed permissions; the first check-in will tell."));
    for (const w of Array.isArray(r.warnings) ? r.warnings : []) ul.appendChild(reportLine(false, String(w)));
    report.appendChild(ul);

    const sel = $("setup-event");
    clear(sel);
    let first = null;
    let firstAble = null;
    for (const ev of setup.events) {
      const a = setup.access[String(ev.id)];
      const bits = [ev.name || ev.id];
      if (ev.status) bits.push(String(ev.status).toLowerCase());
      if (ev.entryStartsAt) bits.push("entry " + fmtDateTime(ev.entryStartsAt));
      if (a && a.scan === "DENIED") bits.push("token denies scanning");
      else if (a && a.scan !== "YES") bits.push("scan permission not confirmed");
      const opt = make("option", "", bits.join(" · "));
      opt.value = String(ev.id);
      sel.appendChild(opt);
      if (first == null) first = String(ev.id);
      if (firstAble == null && a && a.scan === "YES") firstAble = String(ev.id);
    }
    if (setup.events.length === 0) {
      const opt = make("option", "", "No events found for this tenant");
      opt.value = "";
      opt.disabled = true;
      sel.appendChild(opt);
    }
    const pick = firstAble != null ? firstAble : first;
    $("setup-step-event").disabled = pick == null;
    if (pick != null) {
      sel.value = pick;
      loadSetupEvent();
    }
  }

  function checkboxList(box, items, name) {
    clear(box);
    if (!items.length) {
      box.appendChild(make("p", "muted", name === "admission" ? "This event has no admissions." : "This event has no sections."));
      return;
    }
    for (const it of items) {
      const label = make("label", "check-item");
      const cb = document.createElement("input");
      cb.type = "checkbox";
      cb.checked = true;
      cb.value = String(it.id);
      cb.name = name;
      label.appendChild(cb);
      label.appendChild(make("span", "", it.name || it.id));
      box.appendChild(label);
    }
  }

  async function loadSetupEvent() {
    const eventId = $("setup-event").value;
    const my = ++setup.eventSeq;
    clear($("setup-admissions"));
    clear($("setup-sections"));
    // The token's hint for this event, as a warning only: Setup never refuses an event for it.
    const hint = setup.access[String(eventId)];
    setText($("setup-message"), hint && hint.scan !== "YES" ? hint.summary : "");
    if (!eventId) return;
    $("setup-admissions").appendChild(make("p", "muted", "Loading…"));
    try {
      const r = await invoke("setup_event", { eventId: eventId });
      if (my !== setup.eventSeq) return;
      checkboxList($("setup-admissions"), (r && r.admissions) || [], "admission");
      checkboxList($("setup-sections"), (r && r.sections) || [], "section");
    } catch (e) {
      if (my !== setup.eventSeq) return;
      clear($("setup-admissions"));
      setText($("setup-message"), errText(e));
    }
  }

  /** Ticked ids; every box ticked means "all" (an empty filter). Null when none is ticked. */
  function tickedIds(box) {
    const all = Array.from(box.querySelectorAll("input[type=checkbox]"));
    const on = all.filter((c) => c.checked).map((c) => c.value);
    if (all.length === 0 || on.length === all.length) return [];
    if (on.length === 0) return null;
    return on;
  }

  async function onSetupFinish() {
    const eventId = $("setup-event").value;
    const msg = $("setup-message");
    if (!eventId) { setText(msg, "Choose the event first."); return; }
    const admissionIds = tickedIds($("setup-admissions"));
    const sectionIds = tickedIds($("setup-sections"));
    if (admissionIds === null) { setText(msg, "Tick at least one admission this gate lets in."); return; }
    if (sectionIds === null) { setText(msg, "Tick at least one section this gate lets in."); return; }
    const gate = {
      name: $("setup-gate-name").value.trim() || "Main door",
      mode: $("setup-gate-mode").value === "EXIT" ? "EXIT" : "ENTRY",
      admissionIds: admissionIds,
      sectionIds: sectionIds,
      lookup: $("setup-lookup").checked,
    };
    const btn = $("setup-finish");
    btn.disabled = true;
    setText(btn, "Downloading the guest list…");
    setText(msg, "Downloading the guest list…");
    try {
      const pin = $("setup-pin").value;
      $("setup-pin").value = "";
      const keep = parseInt($("setup-retention").value, 10);
      const view = await invoke("setup_finish", { eventId: eventId, gate: gate, offline: $("setup-offline").checked, pin: pin || null, retentionDays: isFinite(keep) ? keep : null });
      state.configured = true;
      renderView(view);
      setText(msg, "Done. The door is open.");
      showScreen("scan");
    } catch (e) {
      setText(msg, errText(e));
    } finally {
      btn.disabled = false;
      setText(btn, "Download the guest list and open the door");
    }
  }

  // ---------------------------------------------------------------- start
  function bind() {
    document.addEventListener("keydown", onKeyDown, true);
    document.addEventListener("pointerdown", unlockAudio, { capture: true, passive: true });

    for (const s of NAV_ORDER) $("nav-" + s).addEventListener("click", () => showScreen(s));
    $("mute").addEventListener("click", toggleMute);

    $("try-demo").addEventListener("click", onTryDemo);
    $("setup-real").addEventListener("click", () => showScreen("setup"));

    $("manual-code").addEventListener("keydown", onManualKey);
    $("confirm-order").addEventListener("click", onConfirmOrder);
    $("demo-show-ticket").addEventListener("click", onDemoShowTicket);
    $("demo-network").addEventListener("click", onDemoNetwork);
    $("demo-save-tickets").addEventListener("click", onDemoSaveTickets);
    $("health-save-diagnostics").addEventListener("click", onSaveDiagnostics);

    $("lookup-query").addEventListener("input", scheduleLookup);
    $("lookup-query").addEventListener("keydown", (e) => {
      if (e.key === "ArrowDown") {
        const first = $("lookup-results").querySelector("button");
        if (first) { e.preventDefault(); first.focus(); }
      }
    });
    $("lookup-results").addEventListener("click", onLookupClick);

    $("undo-last").addEventListener("click", onUndo);

    $("setup-api").addEventListener("change", onApiChange);
    $("setup-check").addEventListener("click", onSetupCheck);
    $("setup-token").addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); onSetupCheck(); } });
    $("setup-event").addEventListener("change", loadSetupEvent);
    $("setup-finish").addEventListener("click", onSetupFinish);
    $("setup-unlock").addEventListener("click", onSetupUnlock);
    $("setup-forget").addEventListener("click", onSetupForget);
    $("setup-export-pending").addEventListener("click", onExportPending);
    $("setup-lock-pin").addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); onSetupUnlock(); } });

    $("online-badge").addEventListener("click", () => showScreen("health"));
    $("upload-problems").addEventListener("click", () => showScreen("activity"));
    $("fix-uploads").addEventListener("click", () => showScreen("setup"));

    bindCamera();
    window.addEventListener("resize", () => { if (state.screen === "health") pollHealth(); });

    setInterval(tickAges, 1000);
    setInterval(() => { if (state.configured) refreshView(); }, VIEW_POLL_MS);
  }

  /** Tells the app once the scan screen is painted: it then prepares guest search, and
   *  `usher-desktop --measure` takes its start-up figure. */
  function screenReady() {
    requestAnimationFrame(() => setTimeout(() => invoke("screen_ready").catch(() => {}), 0));
  }

  async function start() {
    bind();
    loadMute();
    renderNetworkButton();
    renderEnterMetric();
    subscribe();
    let s = null;
    try {
      s = await invoke("app_start");
    } catch (e) {
      showScreen("welcome");
      // A guest list whose key the keychain does not give (CACHE_LOCKED): the message says
      // what to do; setup and the demo never open an empty list in its place.
      if (e && e.code === "CACHE_LOCKED") setText($("welcome-lead"), "The guest list is locked.");
      setText($("welcome-message"), errText(e));
      return;
    }
    state.demo = !!(s && s.demo);
    if (s && s.dataDir) setText($("welcome-datadir"), "Data folder: " + s.dataDir);
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

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
