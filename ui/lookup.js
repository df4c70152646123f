// Usher: the lookup screen: search the guest list as you type, check a guest in or out by
// hand. Each hit's badge and last-scan line are the core's (hit.look: presence, badge, last);
// the verdict of a check made here is shown above the results in the core's words too.

import { invoke, errText } from "./bridge.js";
import { t } from "./i18n.js";
import { $, setText, make, clear, num } from "./dom.js";
import { state, on } from "./state.js";
import { unlockAudio } from "./sounds.js";
import { paintError, paintCount, safetyNet } from "./verdict.js";
import { screenHooks } from "./nav.js";

const search = { seq: 0, timer: null };

function scheduleLookup() {
  clearTimeout(search.timer);
  search.timer = setTimeout(runLookup, 30);
}

async function runLookup() {
  const query = $("lookup-query").value.trim();
  const my = ++search.seq;
  if (!query) {
    clear($("lookup-results"));
    setText($("lookup-status"), "");
    return;
  }
  try {
    const rows = await invoke("lookup", { query: query, limit: 50 });
    if (my !== search.seq) return; // a newer query is on its way
    renderLookup(Array.isArray(rows) ? rows : []);
  } catch (e) {
    if (my !== search.seq) return;
    clear($("lookup-results"));
    setText($("lookup-status"), errText(e));
  }
}

function actionButton(cls, words, ticket, who) {
  const b = make("button", "row-btn " + cls, words);
  b.type = "button";
  b.setAttribute("data-ticket-id", String(ticket.id || ""));
  b.setAttribute("aria-label", words + " " + (who || ticket.id || ""));
  return b;
}

function renderLookup(rows) {
  const box = $("lookup-results");
  clear(box);
  setText($("lookup-status"), rows.length === 0 ? t("no-match") : t("guests-found", { count: num(rows.length) }));
  for (const hit of rows) {
    const ticket = hit.ticket || {};
    const look = hit.look || {};
    const row = make("div", "lookup-row");
    row.setAttribute("data-ticket-id", String(ticket.id || ""));
    row.setAttribute("data-state", String(look.presence || ""));

    const main = make("div", "row-main");
    main.appendChild(make("div", "row-name", look.who || ""));
    const c = hit.contact || {};
    main.appendChild(make("div", "row-contact", [c.email, c.phone].filter((x) => x).join(" · ")));
    main.appendChild(make("div", "row-admission", look.what || ""));
    main.appendChild(make("div", "row-ids", [ticket.id, ticket.orderId].filter((x) => x).join(" · ")));
    row.appendChild(main);

    const side = make("div", "row-state");
    const badge = make("span", "state-badge", look.badge);
    badge.setAttribute("data-state", String(look.presence || ""));
    side.appendChild(badge);
    side.appendChild(make("div", "row-last", look.last));
    row.appendChild(side);

    const actions = make("div", "row-actions");
    if (hit.inside) actions.appendChild(actionButton("check-out", t("check-out"), ticket, look.who));
    else if (hit.status !== "CANCELLED") actions.appendChild(actionButton("check-in", t("check-in"), ticket, look.who));
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
  setText(btn, t(direction === "EXIT" ? "checking-out" : "checking-in"));
  const seqAtSend = paintCount();
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

/** A verdict painted while lookup shows: its headline, who and why, in the core's words. */
function lookupAfterVerdict(o) {
  const look = o.look || {};
  const el = $("lookup-verdict");
  setText(el, [look.headline, look.who, look.detail].filter((x) => x).join(" · "));
  el.setAttribute("data-class", look.class || "stop");
}

export function initLookup() {
  $("lookup-query").addEventListener("input", scheduleLookup);
  $("lookup-query").addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown") {
      const first = $("lookup-results").querySelector("button");
      if (first) { e.preventDefault(); first.focus(); }
    }
  });
  $("lookup-results").addEventListener("click", onLookupClick);
  on("painted", (o) => { if (state.screen === "lookup") lookupAfterVerdict(o); });
  screenHooks("lookup", {
    enter() {
      const q = $("lookup-query");
      q.focus();
      q.select();
      if (q.value.trim()) runLookup();
    },
  });
}
