//! `cinnox-sync serve` as a child process of the test: started on a free loopback
//! port, its start-up lines read (the address, each job's webhook path), and
//! plain HTTP to it (deliveries, `/status.json`, `/metrics`). The child is killed
//! if a test ends without stopping it.

use crate::sync_support::sandbox::{Env, TOKEN_ENV};

use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Adds a `[serve]` table to the env's job file.
pub fn serve_table(job: &Path, table: &str) {
    let mut text = std::fs::read_to_string(job).unwrap();
    text.push_str(&format!("\n[serve]\n{table}\n"));
    std::fs::write(job, text).unwrap();
}

pub struct Served {
    child: std::sync::Mutex<Child>,
    pid: u32,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// Job name -> its webhook path.
    pub paths: BTreeMap<String, String>,
    pub stderr: PathBuf,
    http: reqwest::Client,
    rt: tokio::runtime::Runtime,
}

/// Starts `serve` on the env's job (with a `[serve]` table).
pub fn start_env(env: &Env) -> Served {
    start(
        env.dir.path(),
        env.sb.app_token().expose(),
        &[&env.job],
        &[],
    )
}

/// Starts `serve` on `jobs` (each with a `[serve]` table) in `dir`, the CINNOX
/// token in its environment, and waits for its start-up lines.
pub fn start(dir: &Path, token: &str, jobs: &[&Path], extra_env: &[(&str, String)]) -> Served {
    start_with_args(dir, token, jobs, extra_env, &[])
}

/// As `start`, with more arguments on serve's command line (global options).
pub fn start_with_args(
    dir: &Path,
    token: &str,
    jobs: &[&Path],
    extra_env: &[(&str, String)],
    args: &[&str],
) -> Served {
    let stderr = dir.join(format!("serve-{}.log", rand_id()));
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("cinnox-sync"));
    cmd.arg("serve")
        .args(jobs)
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .env(TOKEN_ENV, token)
        .env_remove("CINNOX_APP_TOKEN")
        .env_remove("NOTIFY_SOCKET")
        .env("RUST_LOG", "info")
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&stderr).unwrap());
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let (mut base, mut paths) = (None, BTreeMap::new());
    while base.is_none() || paths.len() < jobs.len() {
        let left = deadline.saturating_duration_since(Instant::now());
        let Ok(line) = rx.recv_timeout(left) else {
            let _ = child.kill();
            panic!(
                "serve did not start: {}",
                std::fs::read_to_string(&stderr).unwrap_or_default()
            );
        };
        if let Some(addr) = line.strip_prefix("cinnox-sync serve: listening on ") {
            base = Some(addr.trim().to_string());
        } else if let Some(rest) = line.strip_prefix("job ") {
            let name = rest.split(' ').next().unwrap().to_string();
            let path = rest
                .split("webhooks at ")
                .nth(1)
                .and_then(|p| p.split(';').next())
                .unwrap()
                .to_string();
            paths.insert(name, path);
        }
    }
    Served {
        pid: child.id(),
        child: std::sync::Mutex::new(child),
        base: base.unwrap(),
        paths,
        stderr,
        http: reqwest::Client::new(),
        rt: tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap(),
    }
}

fn rand_id() -> u64 {
    rand::random::<u32>() as u64
}

impl Served {
    /// The job's webhook URL (the only job's, when there is one).
    pub fn hook(&self, job: &str) -> String {
        format!("{}{}", self.base, self.paths[job])
    }

    pub fn only_hook(&self) -> String {
        let (name, _) = self.paths.iter().next().unwrap();
        self.hook(name)
    }

    /// POSTs `body` (raw bytes) to `url`: (status, body text).
    pub fn post_raw(&self, url: &str, body: Vec<u8>) -> (u16, String) {
        self.rt.block_on(async {
            let r = self
                .http
                .post(url)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.text().await.unwrap_or_default())
        })
    }

    pub fn post(&self, url: &str, body: &Value) -> (u16, String) {
        self.post_raw(url, body.to_string().into_bytes())
    }

    pub fn get(&self, path: &str) -> (u16, String) {
        self.rt.block_on(async {
            let r = self
                .http
                .get(format!("{}{path}", self.base))
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.text().await.unwrap_or_default())
        })
    }

    pub fn status(&self) -> Value {
        let (code, text) = self.get("/status.json");
        assert_eq!(code, 200, "{text}");
        serde_json::from_str(&text).unwrap()
    }

    /// The job's runs as `/status.json` lists them, newest first.
    pub fn runs(&self, job: &str) -> Vec<Value> {
        let s = self.status();
        s["jobs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|j| j["name"] == job)
            .map(|j| j["last_runs"].as_array().unwrap().clone())
            .unwrap_or_default()
    }

    /// Finished runs of the job made by this service (runs of other commands on
    /// the same state file have no trigger).
    pub fn finished_runs(&self, job: &str) -> usize {
        self.runs(job)
            .iter()
            .filter(|r| !r["finished_at"].is_null() && !r["trigger"].is_null())
            .count()
    }

    /// Whether the job is running now.
    pub fn running(&self, job: &str) -> bool {
        let s = self.status();
        s["jobs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|j| j["name"] == job && !j["running"].is_null())
    }

    /// Waits (at most `within`) until `cond`; panics with the log otherwise.
    pub fn wait_for(&self, within: Duration, what: &str, mut cond: impl FnMut() -> bool) {
        let deadline = Instant::now() + within;
        while !cond() {
            if let Some(s) = self.exited() {
                panic!(
                    "serve exited ({s}) while waiting for {what}: {}",
                    self.log()
                );
            }
            if Instant::now() > deadline {
                panic!("no {what} within {within:?}: {}", self.log());
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    pub fn signal(&self, sig: i32) {
        // SAFETY: kill(2) on the pid of a child this test started and has not reaped.
        let r = unsafe { libc::kill(self.pid as i32, sig) };
        assert_eq!(r, 0, "kill failed");
    }

    /// Waits for the child to exit (at most `within`) and answers its exit code.
    pub fn exit_code(&self, within: Duration) -> i32 {
        let deadline = Instant::now() + within;
        loop {
            if let Some(s) = self.exited() {
                return s.code().unwrap_or(-1);
            }
            if Instant::now() > deadline {
                self.kill();
                panic!("serve did not exit within {within:?}: {}", self.log());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Peak resident memory of the child so far, in KiB (Linux).
    pub fn peak_rss_kib(&self) -> u64 {
        let s = std::fs::read_to_string(format!("/proc/{}/status", self.pid)).unwrap();
        s.lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    }
}

impl Served {
    /// How the child ended, if it has.
    pub fn exited(&self) -> Option<std::process::ExitStatus> {
        self.child.lock().unwrap().try_wait().unwrap()
    }

    /// SIGKILL, and reaped.
    pub fn kill(&self) {
        let mut c = self.child.lock().unwrap();
        let _ = c.kill();
        let _ = c.wait();
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if self.exited().is_none() {
            self.kill();
        }
    }
}

/// An event in CINNOX's wrapped form about `id`.
pub fn event(status: &str, id: &str) -> Value {
    serde_json::json!({"type": "message", "challenge": "", "message": {
        "type": "contact", "status": status, "serviceId": "app", "fullName": "Ann Lee", "id": id}})
}
