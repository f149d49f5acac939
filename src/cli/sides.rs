//! Opens the CINNOX side a job names: a real tenant through the HTTP client or a
//! sandbox started inside this process (its data in a local file, seeded on first
//! start). The list side is opened by `source`.

use super::job::{CinnoxSide, Job};
use crate::cinnox::{CinnoxClient, ClientConfig, Credentials, Secret};
use crate::sandbox::{self, RunningSandbox, SandboxConfig};
use anyhow::Context;
use std::path::Path;

/// CINNOX for one run, and the embedded sandbox serving it, if any (kept alive for
/// the run; dropped after).
pub struct CinnoxHandle {
    pub client: CinnoxClient,
    pub sandbox: Option<RunningSandbox>,
}

/// Connects to the job's CINNOX (starting the embedded sandbox if the job says so).
/// Must run inside a tokio runtime.
pub async fn open_cinnox(job: &Job) -> anyhow::Result<CinnoxHandle> {
    match &job.cinnox {
        CinnoxSide::Remote {
            base_url,
            app_id,
            app_token_env,
            app_token,
            requests_per_minute,
        } => {
            let token = app_token
                .clone()
                .or_else(|| std::env::var(app_token_env).ok())
                .filter(|t| !t.trim().is_empty());
            let creds = Credentials {
                base_url: base_url.clone(),
                app_id: app_id.clone(),
                app_token: token.map(Secret::new),
            };
            let mut config = ClientConfig::resolve(&creds).map_err(|e| {
                anyhow::anyhow!("{e} (the job reads the token from ${app_token_env})")
            })?;
            if let Some(n) = requests_per_minute {
                config.requests_per_minute = Some(*n).filter(|n| *n > 0);
            }
            Ok(CinnoxHandle {
                client: CinnoxClient::new(config)?,
                sandbox: None,
            })
        }
        CinnoxSide::Sandbox { data, seed } => start_sandbox(data, seed.as_deref()).await,
    }
}

/// Starts a sandbox on a free loopback port with its data in `data`; a new data file
/// is seeded from `seed` (a JSON object `{"contacts": [...]}` in CINNOX's read model).
pub async fn start_sandbox(data: &Path, seed: Option<&Path>) -> anyhow::Result<CinnoxHandle> {
    let fresh = !data.exists();
    if let Some(dir) = data.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let running = sandbox::start(SandboxConfig {
        db: Some(data.to_path_buf()),
        rate_limit: None,
        ..SandboxConfig::default()
    })
    .await
    .with_context(|| format!("cannot start the embedded sandbox ({})", data.display()))?;
    if let (true, Some(seed)) = (fresh, seed) {
        let contacts = read_seed(seed)?;
        let n = contacts.len();
        running.sandbox().seed_contacts(contacts, false)?;
        eprintln!(
            "started a new embedded sandbox in {} with {n} contacts from {}",
            data.display(),
            seed.display()
        );
    }
    let mut config = running.client_config();
    // Loopback, in-process: no pacing (the sandbox's rate limit is off too).
    config.requests_per_minute = None;
    Ok(CinnoxHandle {
        client: CinnoxClient::new(config)?,
        sandbox: Some(running),
    })
}

fn read_seed(path: &Path) -> anyhow::Result<Vec<crate::model::Contact>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the sandbox seed {}", path.display()))?;
    let v: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("the sandbox seed {} is not JSON", path.display()))?;
    let items = v
        .get("contacts")
        .and_then(|c| c.as_array())
        .with_context(|| {
            format!(
                "the sandbox seed {} has no \"contacts\" array",
                path.display()
            )
        })?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            // Seeds may leave ids out: the sandbox gives them.
            sandbox::wire::contact_from_json(item)
                .map_err(|e| anyhow::anyhow!("sandbox seed {}: contacts[{i}]: {e}", path.display()))
        })
        .collect()
}
