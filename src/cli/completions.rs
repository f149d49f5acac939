//! `cinnox-sync completions SHELL`: the shell completion script, generated from
//! the clap definitions (clap_complete), so it always knows every command and
//! option of this very binary.

use super::Cli;
use clap::CommandFactory;
use clap_complete::Shell;
use std::process::ExitCode;

const AFTER_HELP: &str = "\
Examples:
  # bash: for this shell, then for every new one
  source <(cinnox-sync completions bash)
  cinnox-sync completions bash > ~/.local/share/bash-completion/completions/cinnox-sync

  # zsh: into a folder on $fpath
  cinnox-sync completions zsh > ~/.zfunc/_cinnox-sync

  # fish
  cinnox-sync completions fish > ~/.config/fish/completions/cinnox-sync.fish

  # PowerShell: add to $PROFILE
  cinnox-sync completions powershell | Out-String | Invoke-Expression";

/// Print the shell completion script for bash, zsh, fish, powershell or elvish.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run(args: CompletionsArgs) -> anyhow::Result<ExitCode> {
    let mut cmd = Cli::command();
    let name = cmd.get_name().to_string();
    // Into memory first: clap_complete panics on a failed write, and `| head`
    // closing the pipe early is not a failure.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, name, &mut script);
    super::print_stdout(&script)?;
    Ok(ExitCode::SUCCESS)
}
