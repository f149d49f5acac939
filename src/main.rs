//! Entry point: parse arguments, start logging, run the command, map errors to exit 2.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cinnox_sync::cli::Cli::parse();
    let log = cli.log_options();
    cinnox_sync::cli::logging::init(log);
    cinnox_sync::install_crypto_provider();
    match cinnox_sync::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            cinnox_sync::cli::logging::report_failure(log.format, &e);
            ExitCode::from(2)
        }
    }
}
