//! The service's side of its supervisor: SIGTERM or SIGINT stop it gracefully (it
//! stops accepting, sets the stop token, so the sync going on stops safely between
//! writes as `sync` does on a signal, and exits 0 once everything is stored); a
//! second signal exits at once (the journal keeps the next run safe). systemd is
//! told `READY=1` once the service listens with its jobs loaded and `STOPPING=1`
//! when it begins to stop (nothing is sent when `NOTIFY_SOCKET` is not set).

use crate::job::{Cancel, Stop};

/// Starts listening for the signals on the current runtime (in place on return).
/// `stopping` runs once, on the first.
pub fn listen(cancel: Cancel, stopping: impl FnOnce(Stop) + Send + 'static) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut int), Ok(mut term)) = (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        ) else {
            tracing::warn!(
                "cannot listen for SIGINT and SIGTERM; a signal ends the service at once"
            );
            return;
        };
        tokio::spawn(async move {
            let first = tokio::select! {
                _ = int.recv() => Stop::Interrupt,
                _ = term.recv() => Stop::Terminate,
            };
            tracing::warn!(
                "{}: stopping: no more deliveries are accepted; a sync going on stops once its write in flight is done",
                first.signal()
            );
            notify(&[sd_notify::NotifyState::Stopping]);
            stopping(first);
            cancel.stop(first);
            let second = tokio::select! {
                _ = int.recv() => Stop::Interrupt,
                _ = term.recv() => Stop::Terminate,
            };
            tracing::warn!(
                "{}: stopped at once; the state file's journal keeps the next run safe",
                second.signal()
            );
            std::process::exit(i32::from(second.exit_code()));
        });
    }
    #[cfg(not(unix))]
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            stopping(Stop::Interrupt);
            cancel.stop(Stop::Interrupt);
        }
        if tokio::signal::ctrl_c().await.is_ok() {
            std::process::exit(i32::from(Stop::Interrupt.exit_code()));
        }
    });
}

/// Tells systemd the service is ready.
pub fn ready() {
    notify(&[sd_notify::NotifyState::Ready]);
}

fn notify(state: &[sd_notify::NotifyState]) {
    if std::env::var_os("NOTIFY_SOCKET").is_none() {
        return;
    }
    if let Err(e) = sd_notify::notify(state) {
        tracing::warn!("cannot notify systemd: {e}");
    }
}
