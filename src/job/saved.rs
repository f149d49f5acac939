//! A plan saved by `plan --out` for `apply`: the job it belongs to and the plan, as
//! JSON, in a file only its owner can read. Reading one names the file and what is
//! wrong with it.

use crate::engine::Plan;
use anyhow::Context;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, Serialize, Deserialize)]
pub struct SavedPlan {
    /// The job file, absolute.
    pub job: PathBuf,
    pub plan: Plan,
}

impl SavedPlan {
    pub fn load(path: &Path) -> anyhow::Result<SavedPlan> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the plan {}", path.display()))?;
        serde_json::from_str(&text).with_context(|| {
            format!(
                "{} is not a plan saved by `cinnox-sync plan --out`",
                path.display()
            )
        })
    }

    /// Saves `plan` of the job file `job` to `out`.
    pub fn save(out: &Path, job: &Path, plan: &Plan) -> anyhow::Result<()> {
        let job = std::path::absolute(job).unwrap_or_else(|_| job.to_path_buf());
        let saved = SavedPlan {
            job,
            plan: plan.clone(),
        };
        let text = serde_json::to_string_pretty(&saved)?;
        // A plan holds contact data: readable by its owner only.
        crate::private_files::write(out, text.as_bytes())
            .with_context(|| format!("cannot write the plan to {}", out.display()))
    }
}
