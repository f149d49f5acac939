//! What `plan`, `apply`, `sync` and `import` print: the summary (a few lines of
//! text, or one JSON object with `--json`) and the plan in words, with the hints on
//! how to go ahead in the words of this command line (`--force`, `--add-id-column`).

use crate::engine::import::{ImportAction, ImportPlan};
use crate::engine::plan::{Action, Plan};
use crate::job::summary::{Outcome, Summary, where_};
use std::io::Write;

/// Adds to the summary's messages how to go ahead from here with this command line.
pub fn add_hints(summary: &mut Summary) {
    if let Some(g) = &mut summary.guard {
        use crate::engine::GuardError as G;
        g.message.push_str(match g.error {
            G::EmptyCinnox { .. } => ". If CINNOX really is empty now, run again with --force",
            G::EmptyList { .. } => ". If that is what you meant, run again with --force",
            G::TooManyChanges { .. } => {
                ". Review it with `cinnox-sync plan`, then run again with --force (or raise policy.max_change_share)"
            }
        });
    }
    if summary.missing_sync_columns
        && let Some(e) = &mut summary.error
    {
        e.push_str(
            ": add it to the header row, or pass --add-id-column to let cinnox-sync add it as the last column",
        );
    }
}

/// Prints the summary: one JSON object on `out` (the error in it), or a few lines
/// of text: what was done on `out`, and why a run failed or was refused (with
/// the outcome line) on `err`, so a failure shows even with stdout redirected.
pub fn print_summary<'w>(
    s: &Summary,
    json: bool,
    out: &'w mut dyn Write,
    err: &'w mut dyn Write,
) -> std::io::Result<()> {
    if json {
        serde_json::to_writer_pretty(&mut *out, s)?;
        return writeln!(out);
    }
    let c = &s.counts;
    let first = match s.outcome {
        Outcome::Failed | Outcome::Refused | Outcome::Interrupted => &mut *err,
        _ => &mut *out,
    };
    // First the time, the job and the outcome: a log of many runs reads well.
    writeln!(
        first,
        "{} {} {}: {} (exit {})",
        s.started_at,
        s.command,
        s.job.as_deref().unwrap_or(&s.list),
        s.outcome.name(),
        s.exit_code
    )?;
    if !s.planned && s.applied.is_none() {
        // Failed (or stopped) before anything was planned: the reason is all there
        // is to say.
        if let Some(e) = &s.error {
            writeln!(err, "Failed: {e}")?;
        }
        if let Some(i) = &s.interrupted {
            writeln!(err, "Interrupted: {}", i.message)?;
        }
        return writeln!(err, "Outcome: {} (exit {})", s.outcome.name(), s.exit_code);
    }
    writeln!(
        out,
        "{}: {} create, {} update, {} rows changed, {} appended, {} removed, {} conflicts ({} unresolved), {} invalid, {} skipped, {} unchanged",
        if s.dry_run || s.applied.is_none() {
            "Planned"
        } else {
            "Done"
        },
        c.creates,
        c.updates,
        c.rows_changed,
        c.rows_appended,
        c.rows_removed,
        c.conflicts,
        c.unresolved,
        c.invalid,
        c.skips,
        c.unchanged
    )?;
    if let Some(a) = &s.applied {
        write!(
            out,
            "Applied: {} created, {} updated, {} rejected, {} unknown, {} stale",
            a.created, a.updated, a.rejected, a.unknown, a.stale
        )?;
        // An import never changes its list: only the rejected file is written.
        if s.command != "import" {
            write!(out, "; {} rows of {} written", s.rows_written, s.list)?;
        }
        if let (Some(file), Some(n)) = (&s.rejected_file, s.rejected_rows) {
            write!(out, "; {n} rejected rows written to {file}")?;
        }
        writeln!(out)?;
    }
    let k = &s.calls;
    writeln!(
        out,
        "CINNOX calls: list {}, create {}, update {}, staff {}",
        k.list, k.create, k.update, k.staff
    )?;
    for p in &s.problems {
        writeln!(out, "  ! {p}")?;
    }
    for n in &s.notes {
        writeln!(out, "  note: {n}")?;
    }
    if let Some(g) = &s.guard {
        writeln!(err, "Refused: {}", g.message)?;
    }
    if let Some(e) = &s.error {
        writeln!(err, "Failed: {e}")?;
    }
    if let Some(i) = &s.interrupted {
        writeln!(err, "Interrupted: {}", i.message)?;
    }
    let last = match s.outcome {
        Outcome::Failed | Outcome::Refused | Outcome::Interrupted => err,
        _ => out,
    };
    writeln!(last, "Outcome: {} (exit {})", s.outcome.name(), s.exit_code)
}

/// The plan in words, one line per action.
pub fn print_plan(plan: &Plan, out: &mut dyn Write) -> std::io::Result<()> {
    for rec in &plan.records {
        let at = where_(rec);
        for a in &rec.actions {
            match a {
                Action::CreateContact { values } => {
                    let fields: Vec<&str> = values.iter().map(|(f, _)| f.key()).collect();
                    writeln!(out, "create    {at}: new contact ({})", fields.join(", "))?
                }
                Action::UpdateContact { changes, .. } => {
                    for ch in changes {
                        let name = if ch.column.is_empty() {
                            ch.field.key()
                        } else {
                            &ch.column
                        };
                        writeln!(out, "update    {at}: {name} {:?} -> {:?}", ch.from, ch.to)?
                    }
                }
                Action::SetCells { cells, reason, .. } => {
                    for c in cells {
                        writeln!(
                            out,
                            "row       {at}: {} {:?} -> {:?} ({reason})",
                            c.column, c.old, c.new
                        )?
                    }
                }
                Action::AppendRow { .. } => {
                    writeln!(out, "append    {at}: new in CINNOX, added to the list")?
                }
                Action::RemoveRow { reason } => writeln!(out, "remove    {at}: {reason}")?,
                Action::Link { contact_id, how } => {
                    writeln!(out, "link      {at} -> {contact_id}: {how}")?
                }
                Action::Conflict(k) => writeln!(
                    out,
                    "conflict  {at}: {} base {:?}, list {}{:?}, CINNOX {:?}: {} ({})",
                    k.name(),
                    k.base.as_deref().unwrap_or(""),
                    k.source_line
                        .map(|l| format!("(line {l}) "))
                        .unwrap_or_default(),
                    k.source,
                    k.cinnox,
                    k.resolution,
                    k.settled_by()
                )?,
                Action::Note { message, .. } => writeln!(out, "note      {at}: {message}")?,
                Action::Skip { reason } => writeln!(out, "skip      {at}: {reason}")?,
                Action::Forget { .. } => {}
            }
        }
    }
    if !plan.add_columns.is_empty() {
        writeln!(out, "columns   add {}", plan.add_columns.join(", "))?;
    }
    Ok(())
}

/// Prints the plan's lines on stdout, at most `max` of them.
pub fn print_limited(plan: &Plan, max: usize) -> std::io::Result<()> {
    let mut buf = Vec::new();
    print_plan(plan, &mut buf)?;
    let text = String::from_utf8_lossy(&buf);
    let lines: Vec<&str> = text.lines().collect();
    let mut out = std::io::stdout().lock();
    for l in lines.iter().take(max) {
        writeln!(out, "{l}")?;
    }
    if lines.len() > max {
        writeln!(
            out,
            "... and {} more lines (see `cinnox-sync plan`)",
            lines.len() - max
        )?;
    }
    Ok(())
}

/// What an import would do, one line per row that changes something.
pub fn print_import_plan(plan: &ImportPlan) {
    for r in &plan.rows {
        match &r.action {
            ImportAction::Create { .. } => println!("create    line {}", r.line),
            ImportAction::Update {
                contact_id,
                changed,
                ..
            } => {
                let f: Vec<&str> = changed.iter().map(|f| f.key()).collect();
                println!("update    line {} ({contact_id}): {}", r.line, f.join(", "))
            }
            ImportAction::Unchanged { .. } => {}
            ImportAction::Reject { message } => println!("reject    line {}: {message}", r.line),
        }
    }
}
