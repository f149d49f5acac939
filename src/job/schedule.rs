//! The `[serve]` table of a job file: when `cinnox-sync serve` runs the job (`every`
//! or a `cron` expression, with jitter; or only on webhooks), and how a burst of
//! CINNOX webhook deliveries is coalesced into one sync (settle delay, minimum gap
//! between runs, maximum delay). Pure: parsing and "when is the next tick"; the
//! service (`serve`) does the waiting. Cron expressions are read by `croner` (five
//! fields, minute first, in the machine's local time zone).

use chrono::{DateTime, Local};
use serde::Deserialize;
use std::str::FromStr;
use std::time::Duration;

/// The documented defaults (docs/serve.md).
pub const DEFAULT_SETTLE: Duration = Duration::from_secs(5);
pub const DEFAULT_MIN_GAP: Duration = Duration::from_secs(30);
pub const DEFAULT_MAX_DELAY: Duration = Duration::from_secs(120);
/// The default jitter is a tenth of the gap between two ticks, at most this.
pub const MAX_DEFAULT_JITTER: Duration = Duration::from_secs(300);
/// Shorter periods would only queue runs behind each other.
pub const MIN_EVERY: Duration = Duration::from_secs(1);

/// What `serve` does with a job, read from its `[serve]` table.
#[derive(Clone, Debug, PartialEq)]
pub struct ServeTable {
    /// The job's name in logs, metrics and the status (default: the file's stem).
    pub name: Option<String>,
    pub schedule: Schedule,
    /// `None`: the default (a tenth of the period, at most 5 minutes).
    pub jitter: Option<Duration>,
    /// Sync once when serve starts (default true).
    pub at_start: bool,
    pub coalesce: Coalesce,
}

/// When a job runs by itself.
#[derive(Clone, Debug, PartialEq)]
pub enum Schedule {
    Every(Duration),
    Cron(Box<CronSchedule>),
    /// Only at start and on webhooks.
    Webhooks,
}

/// A parsed cron expression, kept with its text.
#[derive(Clone, Debug)]
pub struct CronSchedule {
    pub text: String,
    cron: croner::Cron,
}

impl PartialEq for CronSchedule {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

/// How webhook deliveries become syncs (see `serve::coalesce`).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Coalesce {
    /// A sync starts once no delivery came for this long...
    pub settle: Duration,
    /// ...but at least this long after the previous run started...
    pub min_gap: Duration,
    /// ...and at most this long after the first delivery it covers (unless a run
    /// is still going).
    pub max_delay: Duration,
}

impl Default for Coalesce {
    fn default() -> Self {
        Coalesce {
            settle: DEFAULT_SETTLE,
            min_gap: DEFAULT_MIN_GAP,
            max_delay: DEFAULT_MAX_DELAY,
        }
    }
}

/// The table as written.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawServe {
    name: Option<String>,
    every: Option<String>,
    cron: Option<String>,
    jitter: Option<String>,
    at_start: Option<bool>,
    settle: Option<String>,
    min_gap: Option<String>,
    max_delay: Option<String>,
}

impl RawServe {
    /// Checks the table; a mistake names its key (`serve.every`...).
    pub(crate) fn check(self) -> Result<ServeTable, String> {
        let dur = |key: &str, v: &Option<String>| -> Result<Option<Duration>, String> {
            v.as_deref()
                .map(|t| parse_duration(t).map_err(|e| format!("serve.{key}: {e}")))
                .transpose()
        };
        let schedule = match (&self.every, &self.cron) {
            (Some(_), Some(_)) => {
                return Err("serve: give `every` or `cron`, not both".into());
            }
            (Some(_), None) => {
                let d = dur("every", &self.every)?.unwrap_or(MIN_EVERY);
                if d < MIN_EVERY {
                    return Err(format!(
                        "serve.every is {}; give at least 1s",
                        show_duration(d)
                    ));
                }
                Schedule::Every(d)
            }
            (None, Some(text)) => Schedule::Cron(Box::new(CronSchedule::parse(text)?)),
            (None, None) => Schedule::Webhooks,
        };
        let d = Coalesce::default();
        let coalesce = Coalesce {
            settle: dur("settle", &self.settle)?.unwrap_or(d.settle),
            min_gap: dur("min_gap", &self.min_gap)?.unwrap_or(d.min_gap),
            max_delay: dur("max_delay", &self.max_delay)?.unwrap_or(d.max_delay),
        };
        if coalesce.max_delay < coalesce.settle || coalesce.max_delay < coalesce.min_gap {
            return Err(format!(
                "serve.max_delay ({}) is shorter than settle ({}) or min_gap ({}): a delivery would wait longer than its maximum",
                show_duration(coalesce.max_delay),
                show_duration(coalesce.settle),
                show_duration(coalesce.min_gap)
            ));
        }
        if let Some(name) = &self.name
            && (name.trim().is_empty() || name.contains(['"', '\\', '\n']))
        {
            return Err(format!(
                "serve.name {name:?}: give a plain name (no quotes, backslashes or line breaks)"
            ));
        }
        Ok(ServeTable {
            name: self.name,
            schedule,
            jitter: dur("jitter", &self.jitter)?,
            at_start: self.at_start.unwrap_or(true),
            coalesce,
        })
    }
}

impl CronSchedule {
    pub fn parse(text: &str) -> Result<CronSchedule, String> {
        let cron = croner::Cron::from_str(text.trim()).map_err(|e| {
            format!(
                "serve.cron {text:?} is not a cron expression ({e}); write five fields, e.g. \"0 */2 * * *\" for every two hours"
            )
        })?;
        Ok(CronSchedule {
            text: text.trim().to_string(),
            cron,
        })
    }

    /// The first tick strictly after `after`.
    pub fn next_after(&self, after: DateTime<Local>) -> Option<DateTime<Local>> {
        self.cron.find_next_occurrence(&after, false).ok()
    }
}

impl ServeTable {
    /// The next tick of the schedule after `now`, before jitter; `None` for a job
    /// run only on webhooks.
    pub fn next_tick(&self, now: DateTime<Local>) -> Option<DateTime<Local>> {
        match &self.schedule {
            Schedule::Every(d) => chrono::Duration::from_std(*d).ok().map(|d| now + d),
            Schedule::Cron(c) => c.next_after(now),
            Schedule::Webhooks => None,
        }
    }

    /// The jitter for a tick at `tick` (the configured one, else a tenth of the gap
    /// to the tick after it, at most 5 minutes).
    pub fn jitter_for(&self, tick: DateTime<Local>) -> Duration {
        if let Some(j) = self.jitter {
            return j;
        }
        let period = match &self.schedule {
            Schedule::Every(d) => *d,
            Schedule::Cron(c) => c
                .next_after(tick)
                .and_then(|n| (n - tick).to_std().ok())
                .unwrap_or_default(),
            Schedule::Webhooks => Duration::ZERO,
        };
        (period / 10).min(MAX_DEFAULT_JITTER)
    }

    /// The schedule in words, for the start-up lines and the status.
    pub fn describe(&self) -> String {
        match &self.schedule {
            Schedule::Every(d) => format!("every {}", show_duration(*d)),
            Schedule::Cron(c) => format!("cron \"{}\"", c.text),
            Schedule::Webhooks => "on webhooks only".into(),
        }
    }
}

/// `90s`, `15m`, `1h30m`, `2h`, `500ms`, `1d`: whole numbers with a unit, summed.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let bad = || format!("{text:?} is not a duration; write e.g. \"90s\", \"15m\", \"1h30m\"");
    if t.is_empty() {
        return Err(bad());
    }
    let mut total = Duration::ZERO;
    let mut rest = t;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(bad());
        }
        let n: u64 = rest[..digits].parse().map_err(|_| bad())?;
        rest = &rest[digits..];
        let unit_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        let unit_ms: u64 = match &rest[..unit_len] {
            "ms" => 1,
            "s" => 1000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            _ => return Err(bad()),
        };
        rest = &rest[unit_len..];
        let part = Duration::from_millis(n.checked_mul(unit_ms).ok_or_else(bad)?);
        total = total.checked_add(part).ok_or_else(bad)?;
    }
    Ok(total)
}

/// A duration as `parse_duration` reads it back (`1h30m`, `250ms`).
pub fn show_duration(d: Duration) -> String {
    if d.is_zero() {
        return "0s".into();
    }
    let ms = d.as_millis();
    if !ms.is_multiple_of(1000) {
        return format!("{ms}ms");
    }
    let mut s = d.as_secs();
    let mut out = String::new();
    for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] {
        if s >= size {
            out.push_str(&format!("{}{unit}", s / size));
            s %= size;
        }
    }
    out
}

#[cfg(test)]
#[path = "schedule_tests.rs"]
mod tests;
