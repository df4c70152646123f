// Usher: verdict sounds (WebAudio tones, no files) and the mute button. A sound is chosen by
// the verdict's class as the core sends it (look.class): go, confirm, and a low buzz for
// everything else (stop, warn, the page's own error).

import { $, setText } from "./dom.js";
import { t } from "./i18n.js";
import { on } from "./state.js";

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

/** Browsers start audio suspended until a user gesture: called on every press and scan. */
export function unlockAudio() {
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

/** The sound of a verdict class: "go", "confirm", anything else a refusal. */
export function playSound(cls) {
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

function renderMute() {
  const b = $("mute");
  b.setAttribute("aria-pressed", muted ? "true" : "false");
  setText($("mute-label"), t(muted ? "sound-off" : "sound-on"));
  setText($("mute-icon"), muted ? "⊘" : "♪");
  b.title = t(muted ? "sound-unmute-title" : "sound-mute-title");
}

function toggleMute() {
  muted = !muted;
  try {
    window.localStorage.setItem("usher.muted", muted ? "1" : "0");
  } catch (_) { /* ignore */ }
  renderMute();
  if (!muted) playSound("go");
}

/** Reads the kept mute choice and binds the button. */
export function initSounds() {
  try {
    muted = window.localStorage.getItem("usher.muted") === "1";
  } catch (_) {
    muted = false;
  }
  renderMute();
  on("language", renderMute);
  $("mute").addEventListener("click", toggleMute);
  document.addEventListener("pointerdown", unlockAudio, { capture: true, passive: true });
}
