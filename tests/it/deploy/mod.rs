//! The deployment files in `deploy/` agree with the binary: every command line in
//! them (the Dockerfile's, the systemd units', the Kubernetes containers') is
//! parsed by the real argument parser, every job file they mount is loaded by the
//! real job loader, and the paths, ports and names they share (the state volume,
//! the listen port and the probes, the Secret's keys) are the same everywhere. So
//! a flag renamed, a path moved or a port changed in one place fails here.
//! `docker`: the Dockerfile and .dockerignore (and its health check run against a
//! real serve); `systemd`: the units (and `systemd-analyze verify` when it is
//! installed); `kube`: the manifests, parsed as YAML.

mod docker;
mod kube;
mod systemd;

use cinnox_sync::cli::{Cli, Command};
use cinnox_sync::job::Job;
use clap::Parser;
use std::path::{Path, PathBuf};

/// Where the job file is mounted or installed, everywhere.
pub const JOB_PATH: &str = "/etc/cinnox-sync/job.toml";
/// The state volume (the directory), everywhere.
pub const STATE_DIR: &str = "/var/lib/cinnox-sync";

pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

pub fn read(path: &str) -> String {
    std::fs::read_to_string(repo(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// `args` (without the program's name) as the binary parses them.
pub fn parse_cli(args: &[String], whence: &str) -> Cli {
    let argv = std::iter::once("cinnox-sync".to_string()).chain(args.iter().cloned());
    Cli::try_parse_from(argv)
        .unwrap_or_else(|e| panic!("{whence}: the binary refuses {args:?}:\n{e}"))
}

/// The command `args` run.
pub fn parse(args: &[String], whence: &str) -> Command {
    parse_cli(args, whence).command
}

/// The job file `text`, loaded as if installed at `path`, whose state must lie
/// on the state volume.
pub fn job_on_volume(text: &str, path: &str, whence: &str) -> Job {
    let job = Job::parse(text, Path::new(path))
        .unwrap_or_else(|e| panic!("{whence}: the job file is refused: {e}"));
    assert!(
        job.state.starts_with(STATE_DIR),
        "{whence}: the state file {} is not on the state volume {STATE_DIR}",
        job.state.display()
    );
    job
}

/// The job file a command line names (`serve JOB...` or `sync --config JOB`).
pub fn job_files(cmd: &Command) -> Vec<PathBuf> {
    match cmd {
        Command::Serve(a) => a.jobs.clone(),
        Command::Sync(a) => vec![a.config.clone()],
        other => panic!("a deployment runs serve or sync, not {other:?}"),
    }
}

#[test]
fn the_example_job_file_keeps_its_state_and_list_on_the_state_volume() {
    let job = job_on_volume(&read("deploy/job.toml"), JOB_PATH, "deploy/job.toml");
    assert!(job.serve.is_some(), "it has a [serve] table");
    assert!(
        job.source.describe().contains(STATE_DIR),
        "the CSV list is on the volume: {}",
        job.source.describe()
    );
}
