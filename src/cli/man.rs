//! `cinnox-sync man`: the manual page, generated from the clap definitions
//! (clap_mangen), so its synopsis and options are always those of this binary;
//! `--dir DIR` writes one page per command, as a package installs them.

use super::Cli;
use anyhow::Context;
use clap::CommandFactory;
use std::path::PathBuf;
use std::process::ExitCode;

const AFTER_HELP: &str = "\
Examples:
  cinnox-sync man | man -l -
  cinnox-sync man --dir /usr/local/share/man/man1   # cinnox-sync.1, cinnox-sync-audit.1, ...";

/// Print the manual page (roff), or write one page per command into a folder.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct ManArgs {
    /// Write cinnox-sync.1 and a page per command (cinnox-sync-audit.1...) into
    /// this folder instead of printing the main page.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

pub fn run(args: ManArgs) -> anyhow::Result<ExitCode> {
    let cmd = Cli::command();
    match args.dir {
        Some(dir) => {
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            clap_mangen::generate_to(cmd, &dir)
                .with_context(|| format!("cannot write the pages into {}", dir.display()))?;
            eprintln!("manual pages written to {}", dir.display());
        }
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut page)?;
            super::print_stdout(&page)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
