//! The progress bar of long commands, and the log writer that keeps it readable:
//! indicatif and tracing both write to stderr, so while a bar is shown each log
//! line is written with the bar suspended (cleared, then redrawn below it).

use indicatif::{ProgressBar, ProgressStyle};
use std::io::{self, IsTerminal, Write};
use std::sync::Mutex;

static ACTIVE: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// A byte-counting bar for reading `total` bytes, shown only when stderr is a
/// terminal and the work is big enough to be worth watching; `None` otherwise.
pub fn bar_for_bytes(total: u64, min_total: u64, message: &str) -> Option<ProgressBar> {
    if total < min_total || !io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(total).with_message(message.to_string());
    let style = ProgressStyle::with_template(
        "{spinner} {msg} [{wide_bar}] {bytes}/{total_bytes}, {eta} left",
    )
    .map(|s| s.progress_chars("=> "))
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    if let Ok(mut active) = ACTIVE.lock() {
        *active = Some(bar.clone());
    }
    Some(bar)
}

/// Removes the bar from the screen and stops routing logs around it.
pub fn finish(bar: Option<ProgressBar>) {
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if let Ok(mut active) = ACTIVE.lock() {
        *active = None;
    }
}

/// stderr for tracing: writes around the active bar, if any.
#[derive(Clone, Copy, Default)]
pub struct LogWriter;

impl Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let bar = ACTIVE.lock().ok().and_then(|a| a.clone());
        match bar {
            Some(bar) => bar.suspend(|| io::stderr().write_all(buf))?,
            None => io::stderr().write_all(buf)?,
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        io::stderr().flush()
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogWriter {
    type Writer = LogWriter;

    fn make_writer(&'a self) -> Self::Writer {
        LogWriter
    }
}
