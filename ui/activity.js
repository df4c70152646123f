// Usher: the activity screen: this door's recent scans, its upload problems (conflicts and
// rejections, with the server's explanation) and "Undo last check-in". Each row's class,
// headline, time, how and upload state are the core's (row.look).

import { invoke, errText, errCode } from "./bridge.js";
import { t } from "./i18n.js";
import { $, setText, make, clear } from "./dom.js";
import { state, on } from "./state.js";
import { unlockAudio } from "./sounds.js";
import { paintCount, safetyNet } from "./verdict.js";
import { screenHooks } from "./nav.js";

const act = { busy: false, again: false };

/** Lists the recent scans again; a call while one is on its way asks for one more after it. */
export async function refreshActivity() {
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

/** Refreshes the list if the activity screen is on show. */
export function refreshActivityIfShown() {
  if (state.screen === "activity") refreshActivity();
}

function renderActivity(rows) {
  const list = $("activity-list");
  const probs = $("activity-problems");
  clear(list);
  clear(probs);
  let nProblems = 0;
  if (rows.length === 0) list.appendChild(make("li", "empty-row", t("no-scans")));
  for (const r of rows) {
    const look = r.look || {};
    const li = make("li", "activity-row");
    li.setAttribute("data-verdict", String(r.verdict || ""));
    li.setAttribute("data-upload", String(r.upload || ""));
    li.setAttribute("data-class", String(look.class || ""));
    li.appendChild(make("span", "act-time", look.time));
    li.appendChild(make("span", "act-verdict", look.headline));
    const mid = make("span", "act-main");
    mid.appendChild(make("span", "act-name", r.name || ""));
    mid.appendChild(make("span", "act-detail", r.detail || ""));
    li.appendChild(mid);
    li.appendChild(make("span", "act-source", look.how));
    const up = make("span", "act-upload", look.upload);
    up.setAttribute("data-upload", String(r.upload || ""));
    li.appendChild(up);
    if (r.problem) li.appendChild(make("span", "act-problem", r.problem));
    list.appendChild(li);

    // A conflict or a rejection: the core gives it a head line.
    if (look.problemHead) {
      nProblems += 1;
      const p = make("li", "problem-row");
      p.setAttribute("data-upload", String(r.upload || ""));
      p.setAttribute("data-scan-id", String(r.scanId == null ? "" : r.scanId));
      p.appendChild(make("div", "problem-head", look.problemHead));
      p.appendChild(make("div", "problem-text", r.problem || ""));
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
  const seqAtSend = paintCount();
  try {
    const out = await invoke("undo_last");
    const who = out && out.look && out.look.who;
    setText(msg, t("undone", { who: who || t("undone-guest") }));
    safetyNet(out, seqAtSend, null);
  } catch (e) {
    setText(msg, errCode(e) === "NOTHING_TO_UNDO" ? t("nothing-to-undo") : errText(e));
  } finally {
    btn.disabled = false;
    refreshActivity();
  }
}

export function initActivity() {
  $("undo-last").addEventListener("click", onUndo);
  on("painted", refreshActivityIfShown);
  screenHooks("activity", { enter: refreshActivity });
}
