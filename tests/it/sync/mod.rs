//! Sync: the engine on in-memory sides (scenarios, properties), the binary on a
//! sandbox with a CSV list, and with faults on; the run history (`history`); rows
//! the list could read only in part (`broken_rows`).

mod broken_rows;
mod counts;
mod engine;
mod engine_safety;
mod faults;
mod history;
mod props;
mod sandbox;
mod saved_plans;
