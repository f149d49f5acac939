//! Ctrl-C and SIGTERM for the commands that run a job: the first sets the run's
//! stop token (`job::Cancel`), so the run stops safely between writes, writes the
//! ids of what it created into the list, records itself and exits 130 (SIGINT) or
//! 143 (SIGTERM); a second exits at once, which the journal makes safe too (the
//! next run looks for what was sent before creating anything again).

use super::progress::LogWriter;
use crate::job::{Cancel, Stop};
use std::io::Write;

/// Starts listening on `rt` (the handlers are in place when this returns); the
/// task ends with the runtime.
pub fn listen(rt: &tokio::runtime::Runtime, cancel: Cancel) {
    let _entered = rt.enter();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut int), Ok(mut term)) = (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        ) else {
            tracing::warn!("cannot listen for Ctrl-C and SIGTERM; a signal ends the run at once");
            return;
        };
        rt.spawn(async move {
            let first = tokio::select! {
                _ = int.recv() => Stop::Interrupt,
                _ = term.recv() => Stop::Terminate,
            };
            stopping(&cancel, first);
            let second = tokio::select! {
                _ = int.recv() => Stop::Interrupt,
                _ = term.recv() => Stop::Terminate,
            };
            stop_now(second);
        });
    }
    #[cfg(not(unix))]
    rt.spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            stopping(&cancel, Stop::Interrupt);
        }
        if tokio::signal::ctrl_c().await.is_ok() {
            stop_now(Stop::Interrupt);
        }
    });
}

fn stopping(cancel: &Cancel, why: Stop) {
    cancel.stop(why);
    say(&format!(
        "{}: stopping once the write in flight is done; the ids of what was created go into the list. Press Ctrl-C again to stop at once",
        why.signal()
    ));
}

fn stop_now(why: Stop) -> ! {
    say(&format!(
        "{}: stopped at once. The state file's journal lets the next run find what was sent, so nothing is created twice",
        why.signal()
    ));
    std::process::exit(i32::from(why.exit_code()));
}

/// One line on stderr, around a progress bar if one is shown.
fn say(line: &str) {
    let _ = writeln!(LogWriter, "{line}");
}
