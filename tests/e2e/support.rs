//! A real Usher window driven through WebDriver: tauri-driver (port 4444, or
//! `USHER_WEBDRIVER`) starts `usher-desktop` (this build's, or `USHER_DESKTOP_BIN`, e.g. a
//! release build for the latency figure) under WebKitWebDriver; `scripts/test` runs both
//! under Xvfb.

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One window at a time: tauri-driver drives one application session.
static ONE_WINDOW: Mutex<()> = Mutex::new(());

/// Runs `body` against a fresh window over a fresh data folder. The window is closed even
/// when `body` fails, so the next test gets a session.
pub fn with_window<F>(body: impl FnOnce(Window) -> F)
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    let home = tempfile::tempdir().expect("a temp dir");
    with_window_over(home.path(), body)
}

/// As [`with_window`], over the data folder `home`: a second call is a restart of the app.
pub fn with_window_over<F>(home: &Path, body: impl FnOnce(Window) -> F)
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    let _one = ONE_WINDOW.lock().unwrap_or_else(|p| p.into_inner());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let outcome = rt.block_on(async {
        let window = Window::open(home).await;
        let client = window.client.clone();
        let outcome = tokio::spawn(body(window)).await;
        let _ = client.close().await;
        outcome
    });
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

/// The screen on show, the filled fields and the sync bar, as one line of text.
const WHAT_IS_SHOWN: &str = r#"(() => {
    const shown = [...document.querySelectorAll("section[id^=screen-]")].find((e) => !e.hidden);
    const fields = [...document.querySelectorAll("input")].filter((i) => i.value).map((i) => i.id + "=" + i.value);
    const bar = document.getElementById("syncbar");
    return (shown ? shown.id + ": " + shown.innerText.replace(/\s+/g, " ").trim() : "no screen shown")
        + " | fields: " + fields.join(", ")
        + " | sync bar: " + (bar ? bar.innerText.replace(/\s+/g, " ").trim() : "?");
})()"#;

/// Every screenshot is taken at these page sizes: a landscape and a portrait tablet.
pub const SHOT_SIZES: [(u32, u32); 2] = [(1280, 800), (800, 1280)];

pub struct Window {
    pub client: Client,
}

/// Where screenshots go: `USHER_SCREENSHOTS`, else `artifacts/screenshots/` in the repository.
pub fn screenshot_dir() -> PathBuf {
    std::env::var_os("USHER_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts/screenshots"))
}

/// Writes a file of figures next to the screenshots.
pub fn save_figures(name: &str, contents: &str) {
    let dir = screenshot_dir();
    std::fs::create_dir_all(&dir).expect("the screenshot folder can be made");
    std::fs::write(dir.join(name), contents).expect("the figures are written");
}

/// Prints the median, p90 and max of `ms` (with every figure) after `what`, and saves them
/// as `file` next to the screenshots.
pub fn report_latency(what: &str, file: &str, ms: &[f64]) {
    let mut sorted = ms.to_vec();
    sorted.sort_by(f64::total_cmp);
    let pct = |q: f64| sorted[((sorted.len() - 1) as f64 * q).round() as usize];
    println!(
        "{what}: median {:.0} ms, p90 {:.0} ms, max {:.0} ms; all: {ms:.0?}",
        pct(0.5),
        pct(0.9),
        pct(1.0)
    );
    save_figures(file, &serde_json::to_string(ms).expect("numbers serialize"));
}

impl Window {
    async fn open(home: &Path) -> Window {
        let url =
            std::env::var("USHER_WEBDRIVER").unwrap_or_else(|_| "http://127.0.0.1:4444".into());
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("wry"));
        caps.insert(
            "tauri:options".into(),
            json!({
                "application": std::env::var("USHER_DESKTOP_BIN")
                    .unwrap_or_else(|_| env!("CARGO_BIN_EXE_usher-desktop").to_string()),
                // A door group's exchange stays on loopback, with no mDNS, in every test.
                "args": [
                    "--data-dir", home,
                    "--peer-listen", "127.0.0.1:0",
                    "--peer-discover", "off",
                ],
            }),
        );
        let client = ClientBuilder::rustls()
            .expect("rustls is available")
            .capabilities(caps)
            .connect(&url)
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "no WebDriver at {url} ({e}). The window tests need tauri-driver and \
                     WebKitWebDriver under a display: run scripts/test"
                )
            });
        Window { client }
    }

    /// Evaluates a JavaScript expression in the page.
    pub async fn js(&self, expr: &str) -> Value {
        self.client
            .execute(&format!("return ({expr});"), vec![])
            .await
            .unwrap_or_else(|e| panic!("script {expr:?} failed: {e}"))
    }

    /// The numbers of the JavaScript array `expr` (a page's measurements).
    pub async fn numbers(&self, expr: &str) -> Vec<f64> {
        self.js(expr)
            .await
            .as_array()
            .unwrap_or_else(|| panic!("{expr} is an array of measurements"))
            .iter()
            .filter_map(Value::as_f64)
            .collect()
    }

    /// Waits until the JavaScript expression is true.
    pub async fn wait(&self, expr: &str, within: Duration, what: &str) {
        let until = Instant::now() + within;
        loop {
            if self.js(expr).await == Value::Bool(true) {
                return;
            }
            if Instant::now() >= until {
                // What staff would see: the screen on show, the fields' values and the
                // sync bar, so a failure says why without a rerun.
                let seen = self.js(WHAT_IS_SHOWN).await;
                panic!("waited {within:?} for {what} ({expr}); the window shows {seen}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Calls one of the shell's commands as the page does (`window.__TAURI__.core.invoke`):
    /// its answer, or the `{code, message}` it failed with.
    pub async fn invoke(&self, command: &str, args: Value) -> Result<Value, Value> {
        let out = self
            .client
            .execute_async(
                "const [command, args, done] = arguments; \
                 window.__TAURI__.core.invoke(command, args).then( \
                   (v) => done({ ok: v === undefined ? null : v }), \
                   (e) => done({ err: e === undefined ? null : e }));",
                vec![json!(command), args],
            )
            .await
            .unwrap_or_else(|e| panic!("invoking {command:?} failed: {e}"));
        match out.get("ok") {
            Some(answer) => Ok(answer.clone()),
            None => Err(out.get("err").cloned().unwrap_or(Value::Null)),
        }
    }

    /// Sizes the window so the page is `width` CSS pixels wide (a window frame, if there is
    /// one, is measured, not assumed), then waits until the page is laid out at that width.
    pub async fn set_page_width(&self, width: u32) {
        let (_, _, outer, height) = self
            .client
            .get_window_rect()
            .await
            .unwrap_or_else(|e| panic!("the window's size cannot be read: {e}"));
        let inner = self.js("window.innerWidth").await.as_u64().unwrap_or(outer);
        let frame = outer.saturating_sub(inner) as u32;
        self.client
            .set_window_size(width + frame, height as u32)
            .await
            .unwrap_or_else(|e| panic!("the window cannot be made {width} px wide: {e}"));
        self.wait(
            &format!("window.innerWidth === {width}"),
            Duration::from_secs(10),
            &format!("the page to be {width} px wide"),
        )
        .await;
    }

    /// Sizes the window so the page is `width` x `height` CSS pixels (a window frame, if there
    /// is one, is measured, not assumed), then waits until the page is laid out at that size.
    pub async fn set_page_size(&self, width: u32, height: u32) {
        let (_, _, outer_w, outer_h) = self
            .client
            .get_window_rect()
            .await
            .unwrap_or_else(|e| panic!("the window's size cannot be read: {e}"));
        let (inner_w, inner_h) = self.page_size().await;
        let frame_w = outer_w.saturating_sub(u64::from(inner_w)) as u32;
        let frame_h = outer_h.saturating_sub(u64::from(inner_h)) as u32;
        self.client
            .set_window_size(width + frame_w, height + frame_h)
            .await
            .unwrap_or_else(|e| panic!("the window cannot be made {width} x {height}: {e}"));
        self.wait(
            &format!("window.innerWidth === {width} && window.innerHeight === {height}"),
            Duration::from_secs(10),
            &format!("the page to be {width} x {height} px"),
        )
        .await;
    }

    /// The page's size in CSS pixels: `window.innerWidth` x `window.innerHeight`.
    pub async fn page_size(&self) -> (u32, u32) {
        let size = self.js("[window.innerWidth, window.innerHeight]").await;
        let at = |i: usize| size[i].as_u64().expect("a page size") as u32;
        (at(0), at(1))
    }

    pub async fn text(&self, id: &str) -> String {
        self.js(&format!("document.getElementById('{id}').textContent"))
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// A count the page shows, read past the language's digit grouping ("4,000", "4.000").
    pub async fn count(&self, id: &str) -> u64 {
        let text = self.text(id).await;
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        digits
            .parse()
            .unwrap_or_else(|e| panic!("#{id} shows {text:?}, not a count: {e}"))
    }

    pub async fn click(&self, id: &str) {
        self.wait(
            &format!("(() => {{ const e = document.getElementById('{id}'); return !!e && !e.disabled && e.offsetParent !== null; }})()"),
            Duration::from_secs(10),
            &format!("#{id} to be clickable"),
        )
        .await;
        self.client
            .find(fantoccini::Locator::Id(id))
            .await
            .expect("found above")
            .click()
            .await
            .unwrap_or_else(|e| panic!("click on #{id} failed: {e}"));
    }

    /// Types `code` as a USB scanner does: keystrokes a few milliseconds apart, then Enter,
    /// with no text field focused.
    pub async fn wedge(&self, code: &str) {
        self.js("(document.activeElement && document.activeElement.blur(), true)")
            .await;
        // A USB scanner is a US keyboard: it holds Shift for the characters that need it
        // (the wedge reads the physical key and Shift, not the OS's character).
        const SHIFT: char = '\u{E008}';
        let shifted = |c: char| c.is_ascii_uppercase() || "~!@#$%^&*()_+{}|:\"<>?".contains(c);
        let mut keys = KeyActions::new("usb-scanner".into());
        for c in code.chars().chain(['\u{E007}']) {
            if shifted(c) {
                keys = keys.then(KeyAction::Down { value: SHIFT });
            }
            keys = keys
                .then(KeyAction::Down { value: c })
                .then(KeyAction::Up { value: c });
            if shifted(c) {
                keys = keys.then(KeyAction::Up { value: SHIFT });
            }
        }
        self.client
            .perform_actions(keys)
            .await
            .unwrap_or_else(|e| panic!("typing {code:?} failed: {e}"));
    }

    /// The scan id the verdict panel shows now.
    pub async fn shown_scan(&self) -> String {
        self.js("document.getElementById('verdict').getAttribute('data-scan-id') || ''")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Waits for a new verdict after `before` and returns its name.
    pub async fn next_verdict(&self, before: &str) -> String {
        self.wait(
            &format!(
                "(() => {{ const v = document.getElementById('verdict'); const id = v.getAttribute('data-scan-id'); \
                 return !!id && id !== '{before}' && v.getAttribute('data-verdict') !== 'READY'; }})()"
            ),
            Duration::from_secs(10),
            "a new verdict",
        )
        .await;
        self.js("document.getElementById('verdict').getAttribute('data-verdict')")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Scans `code` with the wedge and returns the verdict shown.
    pub async fn scan(&self, code: &str) -> String {
        let before = self.shown_scan().await;
        self.wedge(code).await;
        self.next_verdict(&before).await
    }

    /// Scans `code` with the wedge and checks the verdict, showing the panel when it differs.
    pub async fn scan_expecting(&self, code: &str, expected: &str) {
        let got = self.scan(code).await;
        if got != expected {
            let panel = self
                .js("document.getElementById('verdict').innerText")
                .await;
            panic!("scanned {code:?}: expected {expected}, the window shows {got}: {panel}");
        }
    }

    /// Saves `name-1280x800.png` and `name-800x1280.png` (every size in [`SHOT_SIZES`]), then
    /// gives the window back the size it had.
    pub async fn screenshot(&self, name: &str) {
        let before = self.page_size().await;
        for (width, height) in SHOT_SIZES {
            self.set_page_size(width, height).await;
            self.screenshot_as_is(&format!("{name}-{width}x{height}"))
                .await;
        }
        if before != SHOT_SIZES[SHOT_SIZES.len() - 1] {
            self.set_page_size(before.0, before.1).await;
        }
    }

    /// Saves `name.png` of the window at the size it has.
    pub async fn screenshot_as_is(&self, name: &str) {
        // The picture is of what is painted: let the page paint its latest DOM first.
        self.client
            .execute_async(
                "const done = arguments[arguments.length - 1]; \
                 requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
                vec![],
            )
            .await
            .unwrap_or_else(|e| panic!("waiting for a frame before {name} failed: {e}"));
        let png = self
            .client
            .screenshot()
            .await
            .unwrap_or_else(|e| panic!("screenshot {name} failed: {e}"));
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).expect("the screenshot folder can be made");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("the screenshot is written");
    }

    pub async fn show_screen(&self, name: &str) {
        self.click(&format!("nav-{name}")).await;
        self.wait(
            &format!("!document.getElementById('screen-{name}').hidden"),
            Duration::from_secs(5),
            &format!("the {name} screen"),
        )
        .await;
    }

    /// Starts the demo from the welcome screen and waits for the scan screen with its counters.
    pub async fn start_demo(&self) {
        self.start_demo_with_screenshot("").await
    }

    /// As [`Window::start_demo`], with a screenshot of the welcome screen named `shot`.
    pub async fn start_demo_with_screenshot(&self, shot: &str) {
        self.wait(
            "!!document.getElementById('try-demo') && !document.getElementById('screen-welcome').hidden",
            Duration::from_secs(20),
            "the welcome screen",
        )
        .await;
        if !shot.is_empty() {
            self.screenshot(shot).await;
        }
        self.click("try-demo").await;
        self.wait(
            "!document.getElementById('screen-scan').hidden && Number(document.getElementById('count-total').textContent.replace(/[^0-9]/g, '')) > 0",
            Duration::from_secs(60),
            "the demo's scan screen with its counters",
        )
        .await;
    }
}
