// Usher: Setup's language selector: the OS's language (the default) or one chosen, applied
// at once through `set_language` (the station swaps its words; every screen repaints). Its
// options are the station's (each language named in itself); the texts come from i18n.js.

import { invoke, errText } from "./bridge.js";
import { $, setText, make, clear } from "./dom.js";
import { on } from "./state.js";
import { t, useLanguage } from "./i18n.js";

let osName = "";

function renderPicker(view) {
  const sel = $("setup-language");
  if (!sel || !view || !Array.isArray(view.choices)) return;
  clear(sel);
  const os = view.choices.find((c) => c.code === view.os);
  osName = os ? os.name : String(view.os || "");
  const auto = make("option", "", t("language-os", { language: osName }));
  auto.value = "";
  sel.appendChild(auto);
  for (const c of view.choices) {
    const opt = make("option", "", c.name);
    opt.value = String(c.code);
    sel.appendChild(opt);
  }
  sel.value = view.chosen ? String(view.chosen) : "";
}

async function onPick() {
  const value = $("setup-language").value;
  try {
    useLanguage(await invoke("set_language", { language: value || null }));
  } catch (e) {
    setText($("setup-message"), errText(e));
  }
}

export function initLanguage() {
  $("setup-language").addEventListener("change", onPick);
  on("language", renderPicker);
}
