//! Log output on stderr, as an operator reads it: plain text without colour codes
//! when stderr is not a terminal (a cron log, a pipe), colour only on a terminal,
//! `--color auto|always|never` and `NO_COLOR` (https://no-color.org) deciding the
//! rest; or `--log-format json`, one JSON object a line, for a log collector.
//! Contact data is logged only at debug and below.

use super::progress;
use std::io::IsTerminal;

/// When log lines may be coloured.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorWhen {
    // Plain comments, not doc comments: clap would list each value with its own
    // paragraph in every command's --help; the option's help says it all.
    #[default]
    Auto,
    Always,
    Never,
}

/// How log lines are written.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// The logging options every command takes.
#[derive(Copy, Clone, Debug, Default)]
pub struct LogOptions {
    pub verbose: u8,
    pub quiet: bool,
    pub color: ColorWhen,
    pub format: LogFormat,
}

/// Whether to colour: `always` and `never` say so; `auto` colours a terminal only,
/// and not when `NO_COLOR` is set to anything but the empty string.
pub fn use_color(when: ColorWhen, terminal: bool, no_color: Option<&str>) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => terminal && no_color.is_none_or(str::is_empty),
    }
}

/// Sets up tracing on stderr.
pub fn init(opts: LogOptions) {
    use tracing_subscriber::EnvFilter;
    let default = match (opts.quiet, opts.verbose) {
        (true, _) => "error",
        (false, 0) => "warn,cinnox_sync=info",
        (false, 1) => "info,cinnox_sync=debug",
        _ => "debug,cinnox_sync=trace",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    // yup-oauth2 logs token requests and responses (access tokens, signed JWTs) at
    // debug: keep it at warn whatever RUST_LOG says, so no log ever holds a token.
    let filter = match "yup_oauth2=warn".parse() {
        Ok(d) => filter.add_directive(d),
        Err(_) => filter,
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(progress::LogWriter)
        .with_target(false);
    let _ = match opts.format {
        LogFormat::Text => {
            let no_color = std::env::var("NO_COLOR").ok();
            let color = use_color(
                opts.color,
                std::io::stderr().is_terminal(),
                no_color.as_deref(),
            );
            builder.with_ansi(color).try_init()
        }
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_span_list(false)
            .try_init(),
    };
}

/// Tells a failure that ends the run, on stderr: `error: ...` as text, or one JSON
/// log object in JSON mode so a collector sees the reason like any other line.
pub fn report_failure(format: LogFormat, error: &anyhow::Error) {
    match format {
        // `{:#}` prints the context chain. Each error's message names its own
        // cause and none also returns it from `source()`, so nothing repeats.
        LogFormat::Text => eprintln!("error: {error:#}"),
        LogFormat::Json => {
            let line = serde_json::json!({
                "timestamp": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
                "level": "ERROR",
                "message": format!("{error:#}"),
            });
            eprintln!("{line}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_follows_the_terminal_no_color_and_the_option() {
        assert!(use_color(ColorWhen::Auto, true, None));
        assert!(!use_color(ColorWhen::Auto, false, None));
        assert!(!use_color(ColorWhen::Auto, true, Some("1")));
        // An empty NO_COLOR does not count (no-color.org).
        assert!(use_color(ColorWhen::Auto, true, Some("")));
        assert!(use_color(ColorWhen::Always, false, Some("1")));
        assert!(!use_color(ColorWhen::Never, true, None));
    }
}
