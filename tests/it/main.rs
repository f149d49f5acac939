//! The one integration test binary (linked once): modules by area drive the real
//! binary (`assert_cmd`) against loopback servers (the sandbox, the fake Sheets API)
//! or the engine on its in-memory seams.
//!
//! - `audit`: the audit command on real-world files, every report format, the
//!   benchmark's generator; `audit --cinnox`, `--against-cinnox`, the fix list, and
//!   the HTML report in a real headless browser.
//! - `client`: the CINNOX client against the sandbox and odd servers (and the
//!   answers CINNOX's own documents show).
//! - `check`: the read-only `check` command; `live_tenant`: the same checks against a
//!   real tenant when `CINNOX_LIVE_*` is set (else reported ignored), and always
//!   against a sandbox.
//! - `sandbox`: the sandbox's API, command and webhooks.
//! - `sheets`: `SheetsStore` against the fake Sheets API.
//! - `sync`: the engine on in-memory sides (scenarios, properties) and the binary on
//!   a sandbox; `lists`: the scenarios written once over a list environment
//!   (`support::list_env`) and run on a CSV file and on a sheet.
//! - `sheets_sync`: what only a sheet has (quotas, crash points, its commands).
//! - `job`: `job::run` called in process, as a service will.
//! - `serve`: the service (webhooks to the list, the inbox, refusals, one budget
//!   for two jobs, SIGTERM, a sheet polled).
//! - `machine`: a state-machine property test of the whole engine on its in-memory
//!   seams (random steps on both sides, runs with failures injected, an oracle).
//! - `crash`, `import`, `progress`: crash safety (signals included), import,
//!   progress bars; `privacy`: no secret in any output or file, private file modes.
//! - `init`: mappings written from a list's header, built-in mappings by name,
//!   lists with some of a mapping's columns; `operator`: log colour and JSON logs,
//!   completions, the manual page, LICENSE and changelog.
//! - `deploy`: the files in deploy/ agree with the binary's flags and paths.
//! - Support: `support` (the fake Sheets API, a headless browser), `sync_support`
//!   (in-memory worlds, the sandbox environment), `audit_support` (running audits
//!   on fixtures).

mod audit_support;
mod support;
mod sync_support;

mod audit;
mod check;
mod client;
mod crash;
mod deploy;
mod import;
mod init;
mod job;
mod lists;
mod live_tenant;
mod machine;
mod operator;
mod privacy;
mod progress;
mod sandbox;
mod serve;
mod sheets;
mod sheets_sync;
mod sync;
