//! Fault injection: a share of answers turned into `502 {"code":6451001}`, added
//! latency, and creates whose answer is lost after the contact was stored. Dice are
//! rolled from a seeded RNG so that a run with `--fault-seed` is repeatable (for a
//! given order of requests).

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The faults in force; all off by default. Also the JSON of `/sandbox/faults`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// Share (0..=1) of API answers replaced by HTTP 502 with code 6451001. Decided
    /// before the request is acted on: a create answered so stored nothing.
    pub server_error: f64,
    /// Added to every API answer.
    pub latency_ms: u64,
    /// Share (0..=1) of creates stored and then answered with a connection that
    /// breaks off, so the client cannot know the outcome.
    pub lost_create: f64,
}

impl Faults {
    pub fn latency(&self) -> Duration {
        Duration::from_millis(self.latency_ms)
    }

    /// Applies one `--fault` spec: `5xx=0.2`, `latency=50ms`, `lost-create=0.1`.
    pub fn apply_spec(&mut self, spec: &str) -> Result<(), String> {
        let (key, value) = spec
            .split_once('=')
            .ok_or_else(|| format!("`{spec}`: write KIND=VALUE, e.g. 5xx=0.2"))?;
        let share = |v: &str| -> Result<f64, String> {
            let x: f64 = v
                .trim()
                .trim_end_matches('%')
                .parse()
                .map_err(|_| format!("`{spec}`: `{v}` is not a number"))?;
            let x = if v.trim().ends_with('%') {
                x / 100.0
            } else {
                x
            };
            if (0.0..=1.0).contains(&x) {
                Ok(x)
            } else {
                Err(format!(
                    "`{spec}`: a share is between 0 and 1 (or 0% and 100%)"
                ))
            }
        };
        match key.trim().to_ascii_lowercase().as_str() {
            "5xx" | "server-error" => self.server_error = share(value)?,
            "lost-create" | "lost_create" => self.lost_create = share(value)?,
            "latency" => {
                self.latency_ms = parse_millis(value).ok_or_else(|| {
                    format!("`{spec}`: write the latency as 50ms, 2s or a number of milliseconds")
                })?
            }
            other => {
                return Err(format!(
                    "`{spec}`: unknown fault `{other}` (known: 5xx, latency, lost-create)"
                ));
            }
        }
        Ok(())
    }

    /// Checks the shares (for faults set through the JSON endpoint).
    pub fn check(&self) -> Result<(), String> {
        for (name, x) in [
            ("server_error", self.server_error),
            ("lost_create", self.lost_create),
        ] {
            if !(0.0..=1.0).contains(&x) {
                return Err(format!("{name}: a share is between 0 and 1"));
            }
        }
        Ok(())
    }
}

fn parse_millis(v: &str) -> Option<u64> {
    let v = v.trim();
    if let Some(ms) = v.strip_suffix("ms") {
        return ms.trim().parse().ok();
    }
    if let Some(s) = v.strip_suffix('s') {
        let s: f64 = s.trim().parse().ok()?;
        return (s >= 0.0 && s.is_finite()).then(|| (s * 1000.0).round() as u64);
    }
    v.parse().ok()
}

/// The faults and the dice that decide each one.
#[derive(Debug)]
pub struct FaultDice {
    pub faults: Faults,
    rng: StdRng,
}

impl FaultDice {
    pub fn new(faults: Faults, seed: u64) -> Self {
        FaultDice {
            faults,
            rng: StdRng::seed_from_u64(seed),
        }
    }

    pub fn reseed(&mut self, seed: u64) {
        self.rng = StdRng::seed_from_u64(seed);
    }

    /// Whether this answer becomes a 502.
    pub fn server_error(&mut self) -> bool {
        roll(&mut self.rng, self.faults.server_error)
    }

    /// Whether this create's answer is lost.
    pub fn lost_create(&mut self) -> bool {
        roll(&mut self.rng, self.faults.lost_create)
    }
}

fn roll(rng: &mut StdRng, share: f64) -> bool {
    share > 0.0 && rng.random_bool(share.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse() {
        let mut f = Faults::default();
        f.apply_spec("5xx=0.2").unwrap();
        f.apply_spec("latency=50ms").unwrap();
        f.apply_spec("lost-create=10%").unwrap();
        assert_eq!(
            f,
            Faults {
                server_error: 0.2,
                latency_ms: 50,
                lost_create: 0.1
            }
        );
        f.apply_spec("latency=1.5s").unwrap();
        assert_eq!(f.latency(), Duration::from_millis(1500));
        assert!(
            f.apply_spec("5xx=2")
                .unwrap_err()
                .contains("between 0 and 1")
        );
        assert!(
            f.apply_spec("gremlins=1")
                .unwrap_err()
                .contains("unknown fault")
        );
        assert!(f.apply_spec("5xx").is_err());
    }

    #[test]
    fn dice_are_repeatable() {
        let f = Faults {
            server_error: 0.5,
            ..Default::default()
        };
        let rolls = |seed| {
            let mut d = FaultDice::new(f, seed);
            (0..64).map(|_| d.server_error()).collect::<Vec<_>>()
        };
        assert_eq!(rolls(7), rolls(7));
        assert!(rolls(7).iter().any(|x| *x) && rolls(7).iter().any(|x| !*x));
        let mut never = FaultDice::new(Faults::default(), 1);
        assert!(!(0..100).any(|_| never.server_error() || never.lost_create()));
    }
}
