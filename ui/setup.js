// Usher: the setup screen of a real door: behind the door PIN when one is set; the account
// (environment, tenant, token checked and kept in the OS keychain, never in the page), the
// event and gate profile, then the guest list downloaded and the door opened; and forgetting
// the event (refused while scans wait to upload; they can be saved to a file first). The door
// group's section is doorgroup.js.

import { invoke, errText, errCode } from "./bridge.js";
import { $, setText, make, clear, num, fmtDateTime } from "./dom.js";
import { state, on } from "./state.js";
import { screenHooks, showScreen } from "./nav.js";
import { renderView } from "./topbar.js";
import { t } from "./i18n.js";
import { loadDoorGroup } from "./doorgroup.js";

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
  } else {
    loadDoorGroup();
  }
}

async function onSetupForget() {
  const msg = $("setup-forget-message");
  if (!window.confirm(t("forget-confirm"))) return;
  try {
    const r = await invoke("setup_forget");
    $("setup-export-pending").hidden = true;
    setText(msg, t("forgot", { event: r.eventId, tickets: num(r.tickets), scans: num(r.scans) }));
    state.configured = false;
    state.view = null;
    renderSetupCurrent();
  } catch (e) {
    setText(msg, errText(e));
    // Scans still wait to upload: offer to keep them first.
    $("setup-export-pending").hidden = !(errCode(e) === "REFUSED");
  }
}

async function onExportPending() {
  try {
    const r = await invoke("export_pending");
    setText($("setup-forget-message"), t("saved-waiting", { folder: r.folder }));
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
    loadDoorGroup();
  } catch (e) {
    setText($("setup-lock-message"), errText(e));
    field.focus();
  }
}

const setup = { events: [], access: {}, eventSeq: 0 };

function renderSetupCurrent() {
  const s = state.view && state.view.status;
  if (!s || !s.eventId) {
    setText($("setup-current"), t("not-set-up"));
    return;
  }
  setText($("setup-current"),
    t("setup-now", {
      door: [state.view.demo ? t("door-demo") : "", s.eventName || s.eventId,
        t(s.mode === "EXIT" ? "setup-gate-exit" : "setup-gate-entry", { gate: s.gate || "?" }),
        s.offline ? t("door-cache-only") : "", s.tenantId ? t("setup-tenant", { tenant: s.tenantId }) : ""]
        .filter((x) => x).join(" · "),
    }));
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
  if (!api) { report.appendChild(make("p", "report-error", t("type-api"))); return; }
  if (!tenantId) { report.appendChild(make("p", "report-error", t("type-tenant"))); return; }
  if (!token) { report.appendChild(make("p", "report-error", t("paste-token"))); return; }
  btn.disabled = true;
  setText(btn, t("checking"));
  let r = null;
  try {
    r = await invoke("setup_check_token", { api: api, tenantId: tenantId, token: token });
  } catch (e) {
    report.appendChild(make("p", "report-error", errText(e)));
  } finally {
    tokenInput.value = ""; // the token never stays in the page
    btn.disabled = false;
    setText(btn, t("check-token"));
  }
  if (r) renderTokenReport(r);
}

function renderTokenReport(r) {
  const report = $("setup-token-report");
  clear(report);
  const who = r.user
    ? [r.user, r.email ? "(" + r.email + ")" : ""].filter((x) => x).join(" ")
    : t("service-token");
  report.appendChild(make("p", "report-who", t("token-accepted", { who: who })));
  const ul = make("ul", "report-list");
  setup.events = Array.isArray(r.events) ? r.events : [];
  // What the token's listed permissions say per event: only a hint (roles may grant more),
  // so every event stays selectable and the first check-in gives the real answer.
  setup.access = {};
  for (const a of Array.isArray(r.access) ? r.access : []) setup.access[String(a.eventId)] = a;
  const hints = Object.values(setup.access);
  const able = hints.filter((a) => a.scan === "YES").length;
  if (hints.length && able === hints.length) ul.appendChild(reportLine(true, t("able-all")));
  else if (able) ul.appendChild(reportLine(true, t("able-some", { able: num(able), events: num(hints.length) })));
  else ul.appendChild(reportLine(false, t("able-unknown")));
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
    if (ev.entryStartsAt) bits.push(t("event-entry", { when: fmtDateTime(ev.entryStartsAt) }));
    if (a && a.scan === "DENIED") bits.push(t("token-denies"));
    else if (a && a.scan !== "YES") bits.push(t("scan-unconfirmed"));
    const opt = make("option", "", bits.join(" · "));
    opt.value = String(ev.id);
    sel.appendChild(opt);
    if (first == null) first = String(ev.id);
    if (firstAble == null && a && a.scan === "YES") firstAble = String(ev.id);
  }
  if (setup.events.length === 0) {
    const opt = make("option", "", t("no-events"));
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
    box.appendChild(make("p", "muted", t(name === "admission" ? "no-admissions" : "no-sections")));
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
  if (!eventId) { setText(msg, t("choose-event")); return; }
  const admissionIds = tickedIds($("setup-admissions"));
  const sectionIds = tickedIds($("setup-sections"));
  if (admissionIds === null) { setText(msg, t("tick-admission")); return; }
  if (sectionIds === null) { setText(msg, t("tick-section")); return; }
  const gate = {
    name: $("setup-gate-name").value.trim() || t("main-door"),
    mode: $("setup-gate-mode").value === "EXIT" ? "EXIT" : "ENTRY",
    admissionIds: admissionIds,
    sectionIds: sectionIds,
    lookup: $("setup-lookup").checked,
  };
  const btn = $("setup-finish");
  btn.disabled = true;
  setText(btn, t("downloading-list"));
  setText(msg, t("downloading-list"));
  try {
    const pin = $("setup-pin").value;
    $("setup-pin").value = "";
    const keep = parseInt($("setup-retention").value, 10);
    const view = await invoke("setup_finish", { eventId: eventId, gate: gate, offline: $("setup-offline").checked, pin: pin || null, retentionDays: isFinite(keep) ? keep : null });
    state.configured = true;
    renderView(view);
    setText(msg, t("setup-done"));
    showScreen("scan");
  } catch (e) {
    setText(msg, errText(e));
  } finally {
    btn.disabled = false;
    setText(btn, t("setup-finish"));
  }
}

export function initSetup() {
  $("setup-api").addEventListener("change", onApiChange);
  $("setup-check").addEventListener("click", onSetupCheck);
  $("setup-token").addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); onSetupCheck(); } });
  $("setup-event").addEventListener("change", loadSetupEvent);
  $("setup-finish").addEventListener("click", onSetupFinish);
  $("setup-unlock").addEventListener("click", onSetupUnlock);
  $("setup-forget").addEventListener("click", onSetupForget);
  $("setup-export-pending").addEventListener("click", onExportPending);
  $("setup-lock-pin").addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); onSetupUnlock(); } });
  on("view", () => { if (state.screen === "setup") renderSetupCurrent(); });
  on("language", () => { if (state.screen === "setup") renderSetupCurrent(); });
  // While the guest list downloads for a finishing setup, its message follows the download.
  on("progress", (words) => { if ($("setup-finish").disabled) setText($("setup-message"), words); });
  screenHooks("setup", {
    enter() {
      renderSetupCurrent();
      refreshSetupLock();
    },
    // Setup closes again behind the PIN once the page leaves it.
    leave() {
      invoke("setup_lock").catch(() => {});
    },
  });
}
