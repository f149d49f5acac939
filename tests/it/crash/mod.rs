//! Crash safety: in-memory runs cut short, the real binary killed with SIGKILL,
//! the real binary stopped with Ctrl-C and SIGTERM (`signals`), and the temporary
//! copies a killed write leaves, removed by the next run (`leftovers`).

mod leftovers;
mod memory;
mod sigkill;
mod signals;
