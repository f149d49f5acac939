//! `cinnox-sync serve` through the binary: the dashboard actions reaching the CSV
//! through the real webhook path (`dashboard`, with subscribe and the handshake),
//! the inbox across a kill and under a burst (`inbox`), what the receiver refuses
//! (`refusals`), two jobs sharing one budget (`budget`), SIGTERM and systemd's
//! readiness (`signals`), a sheet polled on the schedule (`sheets`), the status as
//! data (`status`), operating it (`operating`: metrics, health, JSON logs, the
//! state file's mode), the status as a page in a real browser (`page`).

mod budget;
mod dashboard;
mod inbox;
mod operating;
mod page;
mod refusals;
mod sheets;
mod signals;
mod status;
pub mod support;
