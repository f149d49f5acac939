//! Opens the CINNOX side a job names: a real tenant through the HTTP client (paced
//! by the context's pacer for its service account), a sandbox started inside this
//! process (its data in a local file, seeded on first start), or, for an import
//! without a job file, the tenant the environment names. The list side is opened
//! by `list`.

use super::context::Context;
use super::file::{CinnoxSide, Job};
use crate::cinnox::{CinnoxClient, ClientConfig, Credentials, Secret};
use crate::sandbox::{self, RunningSandbox, SandboxConfig};
use anyhow::Context as _;
use std::path::Path;

/// CINNOX for one run, and the embedded sandbox serving it, if any (kept alive for
/// the run; dropped after).
pub struct CinnoxHandle {
    pub client: CinnoxClient,
    pub sandbox: Option<RunningSandbox>,
}

/// Connects to the job's CINNOX (starting the embedded sandbox if the job says so),
/// or with no job to the one `CINNOX_BASE_URL`, `CINNOX_APP_ID` and
/// `CINNOX_APP_TOKEN` name. Must run inside a tokio runtime.
pub async fn open_cinnox(job: Option<&Job>, ctx: &Context<'_>) -> anyhow::Result<CinnoxHandle> {
    let Some(job) = job else {
        return Ok(CinnoxHandle {
            client: paced(ClientConfig::from_env()?, ctx)?,
            sandbox: None,
        });
    };
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
                client: paced(config, ctx)?,
                sandbox: None,
            })
        }
        CinnoxSide::Sandbox { data, seed } => start_sandbox(data, seed.as_deref(), ctx).await,
    }
}

/// A client paced by the context's pacer for its service account.
fn paced(config: ClientConfig, ctx: &Context<'_>) -> anyhow::Result<CinnoxClient> {
    let pacer = config
        .requests_per_minute
        .filter(|n| *n > 0)
        .map(|n| ctx.pacers.get(config.base_url_trimmed(), n));
    Ok(CinnoxClient::with_pacer(config, pacer)?)
}

/// Starts a sandbox on a free loopback port with its data in `data`; a new data file
/// is seeded from `seed` (a JSON object `{"contacts": [...]}` in CINNOX's read model).
pub async fn start_sandbox(
    data: &Path,
    seed: Option<&Path>,
    ctx: &Context<'_>,
) -> anyhow::Result<CinnoxHandle> {
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
        ctx.progress.tell(&format!(
            "started a new embedded sandbox in {} with {n} contacts from {}",
            data.display(),
            seed.display()
        ));
    }
    let mut config = running.client_config();
    // Loopback, in-process: no pacing (the sandbox's rate limit is off too).
    config.requests_per_minute = None;
    Ok(CinnoxHandle {
        client: CinnoxClient::with_pacer(config, None)?,
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
