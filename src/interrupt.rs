//! Ctrl-C and SIGTERM for commands that stop cleanly: the first signal sets a flag the command
//! checks between steps, a second one ends the process at once (exit 130) for when a step
//! hangs. Only commands whose work is safe to cut at any moment may rely on the second.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use signal_hook::consts::{SIGINT, SIGTERM};

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
