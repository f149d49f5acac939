//! A real browser for tests of the pages cinnox-sync writes (the audit's HTML
//! report, later the `serve` status page): the distribution's Chromium, headless,
//! with a fresh profile each run and no network of its own.
//!
//! `Browser::drive` opens a page inside a frame of a chosen width (headless
//! Chromium will not make a window narrower than 500 px, and a frame is a
//! viewport of its own, media queries included), lets the page's own scripts run,
//! then runs a test script that uses the page as a person would (types in a
//! filter, picks from a list, clicks a header) and returns what it saw as JSON.
//! The script is the body of an async function with `win` and `doc` (the page's
//! window and document) and these helpers in scope: `sleep(ms)`, `type(el,
//! text)`, `choose(select, value)`, `click(el)`, `$(css)`, `$$(css)` (in the
//! page), `text(el)` (what is shown), `lineBoxes(el)` (how many lines its text
//! takes). Timers run on virtual time, so `sleep` costs nothing real.
//!
//! Without Chromium a test is skipped with a note, except when `CI` is set: then it
//! fails, since `.ci/run` installs Chromium and a missing one is a broken machine.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub struct Browser {
    exe: PathBuf,
}

const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-extensions",
    "--hide-scrollbars",
    // The frame reads the page beside it (both file:// URLs).
    "--allow-file-access-from-files",
];

/// A browser that has not answered by then is stuck.
const TIMEOUT: Duration = Duration::from_secs(90);

impl Browser {
    /// The installed Chromium, or `None` (with a note) outside CI.
    pub fn find() -> Option<Browser> {
        let found = ["chromium", "chromium-browser"].iter().find_map(|name| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|d| d.join(name))
                    .find(|p| p.is_file())
            })
        });
        match found {
            Some(exe) => Some(Browser { exe }),
            None if std::env::var_os("CI").is_some() => panic!(
                "CI is set but no chromium is on PATH: this test needs a real browser \
                 (.ci/run installs it: apt-get install -y chromium)"
            ),
            None => {
                eprintln!(
                    "SKIPPED: no chromium on PATH (apt-get install -y chromium); set CI to make this a failure"
                );
                None
            }
        }
    }

    /// Opens `page` in a frame `width` x `height` CSS pixels, runs `script` once
    /// the page has loaded, and returns the JSON value the script returns.
    /// Panics with the script's error, if it throws.
    pub fn drive(&self, page: &Path, width: u32, height: u32, script: &str) -> serde_json::Value {
        let harness = page.with_extension("harness.html");
        let name = page
            .file_name()
            .and_then(|n| n.to_str())
            .expect("page name");
        std::fs::write(&harness, harness_html(name, width, height, script)).expect("harness");
        let profile = tempfile::tempdir().expect("profile dir");
        let dom = self.run(
            profile.path(),
            &[
                format!("--window-size={},{}", width.max(500) + 20, height + 20),
                "--virtual-time-budget=20000".into(),
                "--dump-dom".into(),
                url(&harness),
            ],
        );
        let dom = String::from_utf8_lossy(&dom);
        let start = dom
            .find("<pre id=\"__result\">")
            .unwrap_or_else(|| panic!("the test script never finished; the page was:\n{dom}"))
            + "<pre id=\"__result\">".len();
        let end = start + dom[start..].find("</pre>").expect("end of result");
        let json = percent_decode(&dom[start..end]);
        let value: serde_json::Value =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
        if let Some(err) = value.get("__error") {
            panic!("the test script failed in the page: {err}");
        }
        value
    }

    /// Writes a PNG of `page` as a window `width` x `height` shows it (at least
    /// 500 px wide: narrower pages are framed, as in `drive`).
    pub fn screenshot(&self, page: &Path, width: u32, height: u32, out: &Path) {
        let target = if width < 500 {
            let framed = page.with_extension("frame.html");
            let name = page
                .file_name()
                .and_then(|n| n.to_str())
                .expect("page name");
            std::fs::write(&framed, harness_html(name, width, height, "return {};"))
                .expect("frame");
            framed
        } else {
            page.to_path_buf()
        };
        let profile = tempfile::tempdir().expect("profile dir");
        self.run(
            profile.path(),
            &[
                format!("--window-size={},{}", width.max(500), height),
                "--virtual-time-budget=5000".into(),
                format!("--screenshot={}", out.display()),
                url(&target),
            ],
        );
        assert!(out.exists(), "no screenshot written to {}", out.display());
    }

    fn run(&self, profile: &Path, args: &[String]) -> Vec<u8> {
        let mut child = Command::new(&self.exe)
            .args(FLAGS)
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromium");
        let mut stdout = child.stdout.take().expect("stdout");
        let reader = std::thread::spawn(move || {
            let mut buf = Vec::new();
            std::io::Read::read_to_end(&mut stdout, &mut buf).map(|_| buf)
        });
        let deadline = Instant::now() + TIMEOUT;
        let status = loop {
            if let Some(s) = child.try_wait().expect("wait for chromium") {
                break s;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("chromium did not finish within {TIMEOUT:?}");
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let out = reader
            .join()
            .expect("reader")
            .expect("read chromium's output");
        assert!(status.success(), "chromium failed: {status}");
        out
    }
}

fn url(path: &Path) -> String {
    let abs = std::fs::canonicalize(path).expect("absolute path");
    format!("file://{}", abs.display())
}

/// The page in a frame, and the test script run once the frame has loaded.
fn harness_html(page: &str, width: u32, height: u32, script: &str) -> String {
    format!(
        r#"<!doctype html><html><head><meta charset="utf-8"></head>
<body style="margin:0;background:#888">
<iframe id="__page" src="{page}" style="width:{width}px;height:{height}px;border:0;background:#fff"></iframe>
<script>
document.getElementById("__page").addEventListener("load", async function () {{
  var win = this.contentWindow, doc = win.document;
  var sleep = function (ms) {{ return new Promise(function (r) {{ setTimeout(r, ms); }}); }};
  var $ = function (css) {{ return doc.querySelector(css); }};
  var $$ = function (css) {{ return Array.prototype.slice.call(doc.querySelectorAll(css)); }};
  var type = function (el, text) {{ el.focus(); el.value = text; el.dispatchEvent(new win.Event("input", {{ bubbles: true }})); }};
  var choose = function (el, value) {{ el.value = value; el.dispatchEvent(new win.Event("change", {{ bubbles: true }})); }};
  var click = function (el) {{ el.dispatchEvent(new win.MouseEvent("click", {{ bubbles: true }})); }};
  var text = function (el) {{ return el.innerText.trim(); }};
  var lineBoxes = function (el) {{
    var r = doc.createRange(); r.selectNodeContents(el);
    var tops = {{}};
    Array.prototype.forEach.call(r.getClientRects(), function (b) {{ if (b.width > 0) tops[Math.round(b.top)] = 1; }});
    return Object.keys(tops).length;
  }};
  var result;
  try {{
    result = await (async function () {{ {script} }})();
  }} catch (e) {{
    result = {{ __error: String(e && e.stack || e) }};
  }}
  var pre = document.createElement("pre");
  pre.id = "__result";
  pre.textContent = encodeURIComponent(JSON.stringify(result === undefined ? null : result));
  document.body.appendChild(pre);
}});
</script>
</body></html>"#
    )
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ascii");
            out.push(u8::from_str_radix(hex, 16).expect("hex"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("utf-8")
}
