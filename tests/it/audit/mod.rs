//! The audit command: real-world inputs, report formats, the generated benchmark data.

mod formats;
mod generated;
mod inputs;
