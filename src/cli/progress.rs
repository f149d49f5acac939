//! The progress bars of long commands (an audit's bytes read, a CINNOX listing,
//! the writes of a run; see `watched` for the last two), and the log writer that
//! keeps them readable: indicatif and tracing both write to stderr, so while a bar
//! is shown each log line is written with the bar suspended (cleared, then redrawn
//! below it). Bars show only when stderr is a terminal, and never with `-q`.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::{self, IsTerminal, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

static ACTIVE: Mutex<Option<ProgressBar>> = Mutex::new(None);
static HIDDEN: AtomicBool = AtomicBool::new(false);

/// Hides every bar of this process (`-q`: stderr is for errors only).
pub fn hide(quiet: bool) {
    HIDDEN.store(quiet, Ordering::Relaxed);
}

/// Whether a bar may be drawn: stderr is a terminal and bars are not hidden.
pub fn wanted() -> bool {
    !HIDDEN.load(Ordering::Relaxed) && io::stderr().is_terminal()
}

/// A byte-counting bar for reading `total` bytes, shown only when stderr is a
/// terminal and the work is big enough to be worth watching; `None` otherwise.
pub fn bar_for_bytes(total: u64, min_total: u64, message: &str) -> Option<ProgressBar> {
    if total < min_total || !io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(total).with_message(message.to_string());
    Some(show(
        bar,
        "{spinner} {msg} [{wide_bar}] {bytes}/{total_bytes}, {eta} left",
    ))
}

/// A bar counting items: `pos/len` when `total` is known, else a running count.
/// The caller checks `wanted()` first.
pub fn bar_for_items(total: Option<u64>, message: &str) -> ProgressBar {
    match total {
        Some(t) => show(
            ProgressBar::new(t).with_message(message.to_string()),
            "{spinner} {msg} [{wide_bar}] {pos}/{len}, {eta} left",
        ),
        None => show(
            ProgressBar::no_length().with_message(message.to_string()),
            "{spinner} {msg}: {pos}",
        ),
    }
}

/// A bar whose message says the counts itself (`{msg}`), with the time left.
pub fn bar_with_message(total: u64, message: &str) -> ProgressBar {
    show(
        ProgressBar::new(total).with_message(message.to_string()),
        "{spinner} {msg} [{wide_bar}] {eta} left",
    )
}

/// Styles `bar` and makes it the one logs are written around.
fn show(bar: ProgressBar, template: &str) -> ProgressBar {
    let style = ProgressStyle::with_template(template)
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    if let Ok(mut active) = ACTIVE.lock() {
        *active = Some(bar.clone());
    }
    bar
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
