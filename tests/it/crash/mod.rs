//! Crash safety: in-memory runs cut short, the real binary killed with SIGKILL,
//! and the real binary stopped with Ctrl-C and SIGTERM (`signals`).

mod memory;
mod sigkill;
mod signals;
