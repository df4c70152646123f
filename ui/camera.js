// Usher: the camera box on the scan screen: the camera's state and sentence as the station
// words them (CameraView: `{state, words}`), and the live preview, the newest frame fetched
// from usher://localhost/preview.jpg about 12 times a second while the scan screen shows.

import { $, setText } from "./dom.js";
import { state, on } from "./state.js";

const CAMERA_FRAME_MS = 80;
const PREVIEW_URL = /Windows|Android/i.test(navigator.userAgent)
  ? "http://usher.localhost/preview.jpg"
  : "usher://localhost/preview.jpg";

let cameraState = "STARTING";
const cam = { running: false, inflight: false, timer: null, counter: 0, loadStart: 0 };

/** A CameraView from the door view or a camera event. */
export function renderCamera(c) {
  if (!c) return;
  cameraState = String(c.state || "STARTING");
  $("camera-box").setAttribute("data-state", cameraState);
  setText($("camera-words"), c.words);
  updateCameraLoop();
}

/** Fetches frames only while the scan screen shows a live camera. */
export function updateCameraLoop() {
  const want = state.screen === "scan" && cameraState === "LIVE";
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

export function initCamera() {
  on("view", (view) => { if (view.camera) renderCamera(view.camera); });
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
