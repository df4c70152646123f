// Usher: Setup's door group (doors that see each other): create the group or leave it, show a
// join code with its QR code and this door's addresses (the token handed on only when ticked),
// join a group by a typed code and address or a join QR code scanned into the field, and the
// manual list of doors by address. The station does all of it; the page shows what it says.

import { invoke, errText } from "./bridge.js";
import { $, setText } from "./dom.js";
import { state } from "./state.js";
import { showScreen } from "./nav.js";
import { renderView } from "./topbar.js";
import { t } from "./i18n.js";

function say(words, ok) {
  const msg = $("door-group-message");
  msg.setAttribute("data-ok", ok ? "true" : "false");
  setText(msg, words);
}

/** What the station says of this door's group: in one or not, its hint, the manual list. */
function apply(g) {
  const inGroup = !!(g && g.inGroup);
  $("setup-door-group").setAttribute("data-in-group", inGroup ? "true" : "false");
  setText($("door-group-state"), inGroup ? t("door-group-in", { hint: g.hint || "" }) : t("door-group-none"));
  $("door-group-create").hidden = inGroup;
  $("door-group-leave").hidden = !inGroup;
  $("door-group-invite-box").hidden = !inGroup;
  $("door-group-join-box").hidden = inGroup;
  if (!inGroup) hideInvite();
  $("door-group-peers").value = ((g && g.peerList) || []).join("\n");
}

function hideInvite() {
  setText($("door-group-code"), "");
  setText($("door-group-addresses"), "");
  $("door-group-qr").hidden = true;
  $("door-group-qr").removeAttribute("src");
  $("door-group-qr").removeAttribute("data-text");
}

/** Loads the section (Setup calls it once the form shows: the station wants Setup open). */
export async function loadDoorGroup() {
  try {
    apply(await invoke("door_group"));
    say("", true);
  } catch (e) {
    say(errText(e), false);
  }
}

async function run(command, args) {
  try {
    apply(await invoke(command, args));
    return true;
  } catch (e) {
    say(errText(e), false);
    return false;
  }
}

async function onCreate() {
  if (await run("door_group_create")) say("", true);
}

async function onLeave() {
  if (!window.confirm(t("door-group-leave-confirm"))) return;
  if (await run("door_group_leave")) say("", true);
}

async function onInvite() {
  try {
    const v = await invoke("door_group_invite", { withToken: $("door-group-with-token").checked });
    setText($("door-group-code"), t("door-group-code", { code: v.code, minutes: v.minutes }));
    setText($("door-group-addresses"), t("door-group-addresses", { addresses: (v.addresses || []).join(", ") }));
    // An image from the SVG text as a data: URL (img-src allows it): no markup is parsed
    // into the page.
    const qr = $("door-group-qr");
    qr.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(v.qrSvg);
    qr.setAttribute("data-text", v.qrText);
    qr.hidden = false;
    say("", true);
  } catch (e) {
    hideInvite();
    say(errText(e), false);
  }
}

async function onJoin() {
  const btn = $("door-group-join");
  const pin = $("door-group-join-pin").value;
  $("door-group-join-pin").value = "";
  btn.disabled = true;
  say(t("door-group-joining"), true);
  try {
    const view = await invoke("door_group_join", {
      code: $("door-group-join-code").value,
      at: $("door-group-join-at").value.trim() || null,
      gate: $("door-group-join-gate").value.trim() || null,
      pin: pin || null,
    });
    $("door-group-join-code").value = "";
    if (view) {
      state.configured = true;
      renderView(view);
      say(t("door-group-joined-open"), true);
      showScreen("scan");
    } else {
      say(t("door-group-joined-token"), true);
      loadDoorGroup();
    }
  } catch (e) {
    say(errText(e), false);
  } finally {
    btn.disabled = false;
  }
}

async function onSavePeers() {
  const peers = $("door-group-peers").value.split(/[\n,]/).map((p) => p.trim()).filter((p) => p);
  if (await run("door_group_peers", { peers: peers })) say(t("door-group-peers-saved"), true);
}

export function initDoorGroup() {
  $("door-group-create").addEventListener("click", onCreate);
  $("door-group-leave").addEventListener("click", onLeave);
  $("door-group-invite").addEventListener("click", onInvite);
  $("door-group-join").addEventListener("click", onJoin);
  $("door-group-join-code").addEventListener("keydown", (e) => {
    // A scanner ends its burst with Enter: a join QR code's text joins at once.
    if (e.key === "Enter") { e.preventDefault(); onJoin(); }
  });
  $("door-group-peers-save").addEventListener("click", onSavePeers);
}
