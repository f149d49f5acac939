//! Entry point: parse arguments, start logging, run the command, map errors to exit 2.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cinnox_sync::cli::Cli::parse();
    cinnox_sync::cli::init_logging(cli.verbose, cli.quiet);
    cinnox_sync::install_crypto_provider();
    match cinnox_sync::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            // `{:#}` prints the context chain. Each error's message names its own
            // cause and none also returns it from `source()`, so nothing repeats.
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
