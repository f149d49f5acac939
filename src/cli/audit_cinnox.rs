//! The CINNOX side of `audit`: `--cinnox` lists every contact stored in CINNOX
//! (with progress) and audits them with the list audit's rules, grouping the
//! duplicates into merge suggestions; `--against-cinnox` lists them to check a
//! list's rows against. CINNOX comes from `--config JOB.toml` (a tenant or the
//! job's embedded sandbox) or the `CINNOX_*` environment variables. The checks
//! themselves are pure (`validate::cinnox`, `validate::against`).

use crate::engine::Remote;
use crate::job::cinnox::open_cinnox;
use crate::job::watched::Watched;
use crate::job::{CinnoxSide, Context, Job, list as job_list};
use crate::mapping::Mapping;
use crate::model::Contact;
use crate::sources::{CsvSource, CsvStore, ListSource, Store, Table, TextEncoding};
use crate::validate::against::{check_against, rows_by_contact};
use crate::validate::numeric;
use crate::validate::{AuditReport, Audited, audit_contacts};
use std::collections::HashMap;

/// The contacts CINNOX lists, and how to name that CINNOX in a report.
struct Listing {
    contacts: Vec<Contact>,
    what: String,
}

/// Lists every contact of the job's CINNOX, else of the one the `CINNOX_*`
/// variables name, showing progress on a terminal (the bars every command draws).
async fn list(job: Option<&Job>, ctx: &Context<'_>) -> anyhow::Result<Listing> {
    let mut cinnox = open_cinnox(job, ctx).await?;
    let what = match job.map(|j| &j.cinnox) {
        Some(CinnoxSide::Sandbox { data, .. }) => {
            format!("CINNOX sandbox {}", data.display())
        }
        _ => format!("CINNOX {}", cinnox.client.config().base_url_trimmed()),
    };
    let mut watched = Watched::new(&mut cinnox.client, ctx);
    let contacts = Remote::list_contacts(&mut watched)
        .await
        .map_err(|e| anyhow::anyhow!("CINNOX: {e}"))?;
    Ok(Listing { contacts, what })
}

/// `audit --cinnox`: the contacts stored in CINNOX, audited. With a job, its list
/// says which contact of a duplicate group has a row (that one is kept).
pub fn audit_cinnox(
    job: Option<&Job>,
    mapping: &Mapping,
    quiet: bool,
) -> anyhow::Result<AuditReport> {
    let (listing, rows) = super::in_context(true, async |ctx| {
        let listing = list(job, ctx).await?;
        let rows = match job {
            Some(j) => list_rows(j, mapping, &listing.contacts, ctx, quiet).await,
            None => HashMap::new(),
        };
        anyhow::Ok((listing, rows))
    })?;
    let mut report = audit_contacts(&listing.contacts, mapping, &rows, &listing.what);
    report.list_arg = Some(match job {
        Some(j) => format!(
            "--cinnox --config {}",
            crate::validate::report::shell_word(&j.origin.display().to_string())
        ),
        None => "--cinnox".to_string(),
    });
    Ok(report)
}

/// The contacts the job's list has rows for, with their lines. A list that cannot
/// be read only costs that preference, and says so.
async fn list_rows(
    job: &Job,
    mapping: &Mapping,
    contacts: &[Contact],
    ctx: &Context<'_>,
    quiet: bool,
) -> HashMap<String, u64> {
    let read = async {
        let table = match job.source.get::<CsvSource>() {
            // Read as it is: an audit never copies a job's template into place.
            Some(csv) => {
                if !csv.path.exists() {
                    anyhow::bail!("{} does not exist", csv.path.display());
                }
                CsvStore::open(&csv.path, csv.text_encoding()?)?.read_table()?
            }
            None => {
                job_list::open(&job.source, Some(&job.origin), ctx)
                    .await?
                    .read()
                    .await?
            }
        };
        // The rows' ids and keys are all that is read: missing columns are empty.
        let columns =
            crate::engine::SyncColumns::resolve(mapping, &table.header, &job.source.describe())?;
        anyhow::Ok(rows_by_contact(&table, &columns.columns, mapping, contacts))
    };
    match read.await {
        Ok(rows) => rows,
        Err(e) => {
            if !quiet {
                eprintln!(
                    "note: the job's list was not read ({e}), so merge suggestions do not prefer the contacts it has rows for"
                );
            }
            HashMap::new()
        }
    }
}

/// `audit LIST --against-cinnox`: adds to `report` what each row of the list
/// would meet in CINNOX. `table` is the list as read (a sheet), else the CSV file
/// is read again as a table.
pub fn against_cinnox(
    report: &mut AuditReport,
    source: &ListSource,
    table: Option<Table>,
    encoding: TextEncoding,
    mapping: &Mapping,
    job: Option<&Job>,
) -> anyhow::Result<()> {
    let mut table = match (table, source.get::<CsvSource>()) {
        (Some(t), _) => t,
        (None, Some(csv)) => {
            match CsvStore::open(&csv.path, encoding).and_then(|mut s| s.read_table()) {
                Ok(t) => t,
                Err(e) => anyhow::bail!(
                    "{} was audited, but cannot be checked against CINNOX until it reads as a table: {e}",
                    csv.path.display()
                ),
            }
        }
        (None, None) => anyhow::bail!("the list's table is missing"),
    };
    let columns = mapping.resolve_present(&table.header, &report.file)?;
    numeric::restore(&mut table, &columns, &mapping.normaliser);
    let listing = super::in_context(true, async |ctx| list(job, ctx).await)?;
    let (found, counts) = check_against(&table, &columns, mapping, &listing.contacts);
    report.violations.extend(found);
    // A row's own violations keep their order; CINNOX's findings follow them.
    report.violations.sort_by_key(|v| v.line);
    report.audited = Audited::ListAgainstCinnox(counts);
    let list = report
        .list_arg
        .clone()
        .unwrap_or_else(|| crate::validate::report::shell_word(&report.file));
    report.list_arg = Some(match job {
        Some(j) => format!(
            "{list} --config {} --against-cinnox",
            crate::validate::report::shell_word(&j.origin.display().to_string())
        ),
        None => format!("{list} --against-cinnox"),
    });
    Ok(())
}
