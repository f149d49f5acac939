//! Crash safety: in-memory runs cut short, and the real binary killed with SIGKILL.

mod memory;
mod sigkill;
