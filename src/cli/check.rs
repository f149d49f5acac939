//! `cinnox-sync check --config JOB.toml [--json]`: whether the job's CINNOX and
//! its list look the way cinnox-sync expects, without changing either. The
//! probing and judging live in `cinnox::check`, the header check in
//! `sources::header_check`; this file opens the two sides, calls them and prints.

use super::runtime;
use super::source::SheetArgs;
use crate::cinnox::check::{self, Finding, TenantReport};
use crate::cinnox::pacing::Pacers;
use crate::job::{Context, Job, Silent, cinnox::open_cinnox, list};
use crate::mapping::Mapping;
use crate::mapping::TypedKind;
use crate::sources::Store;
use crate::sources::csv::CsvSource;
use crate::sources::header_check::{ExpectedColumn, ListCheck, check_header};
use clap::Args;
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  # The first step on a real tenant: does it answer the way cinnox-sync expects?
  cinnox-sync check --config job.toml

  # The same as one JSON object (for a ticket, or a machine):
  cinnox-sync check --config job.toml --json

What it does, all reads: signs in, reads the first page of contacts and of staff,
asks for a page one over the limit, reads the webhook subscriptions, and reads the
list's header. It prints the envelope, the members and their JSON types, how phones
and dates are written (their form, never their values), and every finding: a
member the client does not know, a different envelope, a value form the rules do
not expect. A finding on the CINNOX side is corrected in src/cinnox/names.rs.

Exit codes: 0 everything matches; 1 findings (listed); 2 cannot connect, sign in,
or read the list.";

/// Check, read-only, that CINNOX and the list answer the way cinnox-sync expects.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct CheckArgs {
    /// The job file.
    #[arg(long, short = 'c', value_name = "JOB.toml")]
    pub config: PathBuf,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub sheet: SheetArgs,
}

/// The CINNOX side as printed.
#[derive(Debug, Serialize)]
pub struct CinnoxSeen {
    pub base_url: String,
    pub app_id: String,
    #[serde(flatten)]
    pub report: TenantReport,
}

/// Everything `check` prints.
#[derive(Debug, Serialize)]
pub struct CheckOutput {
    pub job: String,
    pub cinnox: Option<CinnoxSeen>,
    pub list: Option<ListCheck>,
    /// Every finding, CINNOX's and the list's.
    pub findings: Vec<Finding>,
    pub notes: Vec<Finding>,
    /// Why the check could not finish (then the exit code is 2).
    pub error: Option<String>,
    pub exit_code: u8,
}

pub fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let job = Job::load(&args.config)?;
    let mut out = CheckOutput {
        job: args.config.display().to_string(),
        cinnox: None,
        list: None,
        findings: Vec::new(),
        notes: Vec::new(),
        error: None,
        exit_code: 0,
    };
    if let Err(e) = runtime()?.block_on(check_job(&job, &args, &mut out)) {
        out.error = Some(format!("{e:#}"));
    }
    out.exit_code = match (&out.error, out.findings.is_empty()) {
        (Some(_), _) => 2,
        (None, false) => 1,
        (None, true) => 0,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        super::check_print::print(&out);
    }
    if let (Some(e), false) = (&out.error, args.json) {
        eprintln!("error: {e}");
    }
    Ok(ExitCode::from(out.exit_code))
}

async fn check_job(job: &Job, args: &CheckArgs, out: &mut CheckOutput) -> anyhow::Result<()> {
    let pacers = Pacers::new();
    let ctx = Context::new(&Silent, &pacers);
    let cinnox = open_cinnox(Some(job), &ctx).await?;
    let config = cinnox.client.config();
    let mut report = check::analyse(&cinnox.client.probe().await?);
    out.findings.append(&mut report.findings);
    out.notes.append(&mut report.notes);
    out.cinnox = Some(CinnoxSeen {
        base_url: config.base_url_trimmed().to_string(),
        app_id: config.app_id.clone(),
        report,
    });
    let source = list::resolve(&args.sheet.choice(None), Some(job))?;
    let name = source.describe();
    if let Some(CsvSource { path, template, .. }) = source.get::<CsvSource>()
        && !path.exists()
    {
        // Opening would copy the template there: check writes nothing.
        let message = match template {
            Some(t) => format!(
                "does not exist yet: the first sync copies {} there",
                t.display()
            ),
            None => "does not exist: check source.csv in the job file".to_string(),
        };
        let about = name.clone();
        match template {
            Some(_) => out.notes.push(finding(about, message)),
            None => out.findings.push(finding(about, message)),
        }
        return Ok(());
    }
    let mapping = Mapping::load_or_builtin(job.mapping.as_deref())?;
    let table = list::open(&source, Some(&job.origin), &ctx)
        .await?
        .read()
        .await?;
    let list = check_header(&name, &table, &expected_columns(&mapping));
    out.findings.extend(
        list.problems
            .iter()
            .map(|p| finding(name.clone(), p.clone())),
    );
    out.notes
        .extend(list.notes.iter().map(|p| finding(name.clone(), p.clone())));
    out.list = Some(list);
    Ok(())
}

fn finding(about: String, message: String) -> Finding {
    Finding {
        about,
        message,
        tolerated: false,
    }
}

/// The columns the job's mapping names, in the words of the mapping file.
fn expected_columns(m: &Mapping) -> Vec<ExpectedColumn> {
    let column = |name: &str, holds: String, required: bool| ExpectedColumn {
        name: name.to_string(),
        holds,
        required,
    };
    let mut out: Vec<ExpectedColumn> = m
        .columns
        .iter()
        .map(|(name, f)| column(name, f.key().to_string(), true))
        .collect();
    for p in &m.typed {
        let (kind, value) = match p.kind {
            TypedKind::Phone => ("phone", "a phone number"),
            TypedKind::Email => ("email", "an email address"),
            TypedKind::Social => ("social messaging", "a social messaging id"),
        };
        let typed_by = format!("the {kind} type of `{}`", p.value_column);
        out.push(column(&p.type_column, typed_by, true));
        let value = format!("{value}, typed by `{}`", p.type_column);
        out.push(column(&p.value_column, value, true));
    }
    out.push(column(&m.id_column, "the CINNOX ID".into(), false));
    if let Some(s) = &m.status_column {
        out.push(column(s, "the sync status".into(), false));
    }
    out
}
