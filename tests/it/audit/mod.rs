//! The audit command: real-world inputs, report formats, the generated benchmark
//! data; audits of CINNOX and against it, and the HTML report in a browser (`cinnox`).

mod cinnox;
mod formats;
mod generated;
mod inputs;
