//! The words of the status page: outcomes, triggers, problem kinds and counts as a
//! contact-centre admin says them (rows of the list, "in CINNOX", "deleted in
//! CINNOX or merged"), and times in a readable form ("1 Dec 2026, 13:05 UTC",
//! "in 14 min", "5 min ago"). Pure: the page is rendered from these.

use chrono::{DateTime, Utc};

/// A run's outcome (`Outcome::name`), as the page says it.
pub fn outcome(name: &str) -> &str {
    match name {
        "applied" => "Synced",
        "planned" => "Planned, nothing written",
        "finished_with_problems" => "Synced, with problems to settle",
        "refused" => "Stopped by a guard, nothing written",
        "failed" => "Failed",
        "interrupted" => "Stopped safely part-way",
        "running" => "Running",
        other => other,
    }
}

/// What started a run, for runs of this process.
pub fn trigger(t: Option<&str>) -> &str {
    match t {
        Some("start") => "when serve started",
        Some("schedule") => "on schedule",
        Some("webhooks") => "by changes in CINNOX (webhooks)",
        Some(other) => other,
        None => "outside this serve (by hand or cron)",
    }
}

/// Why the next run is planned.
pub fn next_why(why: &str) -> &str {
    match why {
        "schedule" => "on schedule",
        "webhooks" => "for changes CINNOX reported",
        other => other,
    }
}

/// A kind of problem (`status::Problem::kind`), as a short heading.
pub fn problem_kind(kind: &str) -> &str {
    match kind {
        "conflict" => "Changed on both sides",
        "rejected" => "Refused by CINNOX",
        "unanswered" => "No answer from CINNOX",
        "ambiguous" => "Ambiguous match",
        "invalid" => "Invalid value",
        "skipped" => "Skipped",
        "guard" => "Stopped by a guard",
        "failed" => "Run failed",
        other => other,
    }
}

/// The plan's counts that say what a run did or left, in words, the non-zero
/// ones only, in the order a person reads them.
pub fn counts(counts: Option<&serde_json::Value>, rows_written: Option<u64>) -> Vec<String> {
    const WORDS: &[(&str, &str, &str)] = &[
        (
            "creates",
            "contact created in CINNOX",
            "contacts created in CINNOX",
        ),
        (
            "updates",
            "contact updated in CINNOX",
            "contacts updated in CINNOX",
        ),
        (
            "rows_appended",
            "row added to the list",
            "rows added to the list",
        ),
        (
            "rows_changed",
            "row changed in the list",
            "rows changed in the list",
        ),
        (
            "rows_marked",
            "row marked (deleted in CINNOX or merged)",
            "rows marked (deleted in CINNOX or merged)",
        ),
        (
            "rows_removed",
            "row removed from the list",
            "rows removed from the list",
        ),
        ("unresolved", "conflict to settle", "conflicts to settle"),
        (
            "invalid",
            "row with an invalid value",
            "rows with invalid values",
        ),
        ("skips", "record skipped", "records skipped"),
    ];
    let Some(c) = counts else {
        return Vec::new();
    };
    let mut out: Vec<String> = WORDS
        .iter()
        .filter_map(|(key, one, many)| {
            let n = c.get(*key)?.as_u64()?;
            (n > 0).then(|| plural(n, one, many))
        })
        .collect();
    if out.is_empty() && rows_written.unwrap_or(0) == 0 {
        out.push("nothing to change".into());
    }
    out
}

pub fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A stamp of the state file or the service (RFC 3339), if it is one.
pub fn parse_time(stamp: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(stamp)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// `1 Dec 2026, 13:05 UTC`.
pub fn when(t: DateTime<Utc>) -> String {
    t.format("%-d %b %Y, %H:%M UTC").to_string()
}

/// `in 14 min`, `5 min ago`, `just now`, `in 2 h 5 min`, `3 days ago`.
pub fn relative(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (t - now).num_seconds();
    let span = span(secs.unsigned_abs());
    match span {
        None => "just now".into(),
        Some(s) if secs > 0 => format!("in {s}"),
        Some(s) => format!("{s} ago"),
    }
}

fn span(secs: u64) -> Option<String> {
    let (m, h, d) = (secs / 60, secs / 3600, secs / 86_400);
    if secs < 45 {
        None
    } else if m < 60 {
        Some(format!("{} min", m.max(1)))
    } else if h < 24 && m % 60 == 0 {
        Some(format!("{h} h"))
    } else if h < 24 {
        Some(format!("{h} h {} min", m % 60))
    } else {
        Some(plural(d, "day", "days"))
    }
}

/// How long a run took: `3 s`, `2 min 5 s`, `1 h 10 min`.
pub fn took(start: DateTime<Utc>, end: DateTime<Utc>) -> String {
    let s = (end - start).num_seconds().max(0) as u64;
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min {} s", s / 60, s % 60),
        _ => format!("{} h {} min", s / 3600, s / 60 % 60),
    }
}
