//! A contact list kept in a CSV file: `reader` (records as people export them:
//! encodings, BOMs, line endings, quoted line breaks; shared with the streaming
//! audit), `records` (the byte-level record reader, filling a `record`), `encoding` (naming a file's
//! text encoding), `store` (`CsvStore`, the `Store` over one file, its new bytes
//! made by `render`, rewritten atomically through `atomic`) and `kind` (how a job file and the command line
//! name a CSV list, and opening it).

pub mod atomic;
pub mod encoding;
pub mod kind;
pub mod reader;
pub mod record;
pub mod records;
mod render;
pub mod store;

pub use kind::{CsvKind, CsvSource};
pub use reader::*;
pub use store::CsvStore;
