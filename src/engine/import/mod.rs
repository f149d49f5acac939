//! Import, one way (the list wins): `planner` decides per row (create, update by
//! match keys, unchanged, reject), pure; `send` carries the plan out, journalled.

pub mod planner;
pub mod send;

pub use planner::{ImportAction, ImportPlan, ImportRow, plan_import};
pub use send::{ImportReport, import_apply};
