//! Ctrl-C and SIGTERM for commands that stop cleanly: the first signal sets a flag the command
//! checks between steps, a second one ends the process at once (exit 130) for when a step
//! hangs. Only commands whose work is safe to cut at any moment may rely on the second.
//! Commands that mostly wait ([`Stop`]) are woken from their wait instead.

use std::fmt;
use std::net::{Shutdown, TcpStream};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

/// The exit status of a command stopped by a signal, as shells report it for SIGINT.
pub const EXIT_STATUS: u8 = 130;

/// Starts catching SIGINT and SIGTERM; the flag turns true at the first.
pub fn catch() -> std::io::Result<Arc<AtomicBool>> {
    let flag = Arc::new(AtomicBool::new(false));
    for signal in [SIGINT, SIGTERM] {
        // Registered first, so that it sees the flag before the second registration sets it.
        signal_hook::flag::register_conditional_shutdown(
            signal,
            i32::from(EXIT_STATUS),
            Arc::clone(&flag),
        )?;
        signal_hook::flag::register(signal, Arc::clone(&flag))?;
    }
    Ok(flag)
}

/// A command stopped by a signal after doing part of its work; `main` prints it as it is (no
/// `error:`) and exits with [`EXIT_STATUS`].
#[derive(Debug)]
pub struct Interrupted(pub String);

impl fmt::Display for Interrupted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Interrupted {}

/// A stop request for a command that waits, on the network or on a timer, and stops cleanly at
/// SIGINT or SIGTERM: a thread receives the signal, wakes any [`Stop::sleep`] and shuts down the
/// socket being waited on, so that no wait outlasts the signal.
#[derive(Clone)]
pub struct Stop(Arc<StopState>);

#[derive(Default)]
struct StopState {
    stopped: Mutex<bool>,
    changed: Condvar,
    socket: Mutex<Option<TcpStream>>,
}

impl Stop {
    /// Starts catching SIGINT and SIGTERM.
    pub fn on_signals() -> std::io::Result<Stop> {
        let stop = Stop(Arc::default());
        let mut signals = Signals::new([SIGINT, SIGTERM])?;
        let for_thread = stop.clone();
        std::thread::spawn(move || {
            if signals.forever().next().is_some() {
                for_thread.stop();
            }
        });
        Ok(stop)
    }

    fn stop(&self) {
        *lock(&self.0.stopped) = true;
        self.0.changed.notify_all();
        if let Some(socket) = lock(&self.0.socket).as_ref() {
            let _ = socket.shutdown(Shutdown::Both);
        }
    }

    pub fn is_stopped(&self) -> bool {
        *lock(&self.0.stopped)
    }

    /// Waits for `duration` or until stopped; says whether it was stopped.
    pub fn sleep(&self, duration: Duration) -> bool {
        let stopped = lock(&self.0.stopped);
        let (stopped, _) = self
            .0
            .changed
            .wait_timeout_while(stopped, duration, |s| !*s)
            .unwrap_or_else(PoisonError::into_inner);
        *stopped
    }

    /// The socket to shut down at a signal, in place of the one before.
    pub fn guard(&self, socket: TcpStream) {
        *lock(&self.0.socket) = Some(socket);
        // A signal that came before this socket existed must still end its waits.
        if self.is_stopped() {
            self.stop();
        }
    }
}

/// The state stays usable when another thread panicked holding it: it is only flags.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
