//! The CINNOX side of `audit`: `--cinnox` lists every contact stored in CINNOX
//! (with progress) and audits them with the list audit's rules, grouping the
//! duplicates into merge suggestions; `--against-cinnox` lists them to check a
//! list's rows against. CINNOX comes from `--config JOB.toml` (a tenant or the
//! job's embedded sandbox) or the `CINNOX_*` environment variables. The checks
//! themselves are pure (`validate::cinnox`, `validate::against`).

use super::import::lenient_columns;
use super::job::{CinnoxSide, Job};
use super::sides::open_cinnox;
use super::source::{ListSource, open_list};
use super::watched::Watched;
use crate::cinnox::{CinnoxClient, ClientConfig};
use crate::engine::Remote;
use crate::mapping::Mapping;
use crate::model::Contact;
use crate::sandbox::RunningSandbox;
use crate::sources::{CsvStore, Store, Table, TextEncoding};
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
/// variables name, showing progress on a terminal.
async fn list(job: Option<&Job>) -> anyhow::Result<Listing> {
    let (mut client, _sandbox): (CinnoxClient, Option<RunningSandbox>) = match job {
        Some(j) => {
            let h = open_cinnox(j).await?;
            (h.client, h.sandbox)
        }
        None => (CinnoxClient::new(ClientConfig::from_env()?)?, None),
    };
    let what = match job.map(|j| &j.cinnox) {
        Some(CinnoxSide::Sandbox { data, .. }) => {
            format!("CINNOX sandbox {}", data.display())
        }
        _ => format!("CINNOX {}", client.config().base_url_trimmed()),
    };
    let mut watched = Watched::new(&mut client);
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
    let rt = super::sync::runtime()?;
    let (listing, rows) = rt.block_on(async {
        let listing = list(job).await?;
        let rows = match job {
            Some(j) => list_rows(j, mapping, &listing.contacts, quiet).await,
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
    quiet: bool,
) -> HashMap<String, u64> {
    let read = async {
        let table = match &job.source {
            ListSource::Csv { path, encoding, .. } => {
                if !path.exists() {
                    anyhow::bail!("{} does not exist", path.display());
                }
                let encoding: TextEncoding = match encoding {
                    Some(e) => e.parse().map_err(|e: String| anyhow::anyhow!(e))?,
                    None => TextEncoding::default(),
                };
                CsvStore::open(path, encoding)?.read_table()?
            }
            source => open_list(source, Some(&job.origin)).await?.read().await?,
        };
        // The rows' ids and keys are all that is read: missing columns are empty.
        let columns = lenient_columns(mapping, &table.header, &job.source.describe())?;
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
    let mut table = match (table, source) {
        (Some(t), _) => t,
        (None, ListSource::Csv { path, .. }) => {
            match CsvStore::open(path, encoding).and_then(|mut s| s.read_table()) {
                Ok(t) => t,
                Err(e) => {
                    anyhow::bail!(
                        "{} was audited, but cannot be checked against CINNOX until it reads as a table: {e}",
                        path.display()
                    )
                }
            }
        }
        (None, ListSource::Sheet(_)) => anyhow::bail!("the sheet's table is missing"),
    };
    let columns = mapping.resolve(&table.header, &report.file)?;
    numeric::restore(&mut table, &columns, &mapping.normaliser);
    let rt = super::sync::runtime()?;
    let listing = rt.block_on(list(job))?;
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
