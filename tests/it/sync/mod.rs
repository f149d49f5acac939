//! Sync: the engine on in-memory sides (scenarios, properties), the binary on a
//! sandbox with a CSV list, and with faults on.

mod counts;
mod engine;
mod engine_safety;
mod faults;
mod props;
mod sandbox;
mod saved_plans;
