//! One changer at a time: `apply`, `remove` and `watch` read the tool's rules, decide and load
//! a change; two of them interleaved (two guests starting together, each hook script running
//! `apply`) would both add a `dup` rule and copy every frame twice. They serialize on a flock
//! of a file under /run, one per network namespace, since nft tables are per namespace and
//! mirroring in one must not wait on another.

use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Read, Seek, Write};
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;

const DIR: &str = "/run/tool";
/// How often a waiting caller tries again: short against the second that `watch` may take to
/// react, long enough not to spin.
const RETRY: Duration = Duration::from_millis(20);

/// The default of `--wait`: longer than any apply takes, short enough that a stuck caller is
/// reported while someone still looks.
pub const DEFAULT_WAIT_SECONDS: u64 = 30;

/// Someone else held the lock for all of the wait.
#[derive(Debug)]
pub struct Held(String);

impl std::fmt::Display for Held {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Held {}

/// Held until dropped; the kernel releases it also when the process dies.
#[derive(Debug)]
pub struct MirrorLock {
    _file: File,
}

/// The lock file of the current network namespace.
pub fn path() -> anyhow::Result<PathBuf> {
    let netns = std::fs::metadata("/proc/self/ns/net")
        .context("cannot read /proc/self/ns/net to tell this network namespace")?;
    Ok(PathBuf::from(format!("{DIR}/mirror-{}.lock", netns.ino())))
}

/// Takes the lock of this network namespace, waiting at most `wait` for whoever holds it.
pub fn acquire(wait: Duration) -> anyhow::Result<MirrorLock> {
    let path = path()?;
    let denied = |e: std::io::Error| {
        let hint = if e.kind() == ErrorKind::PermissionDenied {
            ": run as root"
        } else {
            ""
        };
        anyhow::anyhow!("cannot open the lock {}: {e}{hint}", path.display())
    };
    std::fs::create_dir_all(DIR).map_err(denied)?;
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(denied)?;
    let start = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < wait => {
                std::thread::sleep(RETRY);
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = match holder.trim() {
                    "" => String::new(),
                    pid => format!(" (pid {pid})"),
                };
                return Err(Held(format!(
                    "another tool mirror apply, remove or watch{holder} still holds {} after {}s: nothing was changed; try again, or raise --wait",
                    path.display(),
                    wait.as_secs()
                ))
                .into());
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock {}", path.display()));
            }
        }
    }
    // Who holds it, for the message of whoever waits in vain.
    file.set_len(0)?;
    file.rewind()?;
    writeln!(file, "{}", std::process::id())?;
    Ok(MirrorLock { _file: file })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_names_this_network_namespace() {
        let p = path().unwrap();
        let name = p.file_name().unwrap().to_str().unwrap();
        let inode = name
            .strip_prefix("mirror-")
            .and_then(|n| n.strip_suffix(".lock"))
            .unwrap();
        assert!(inode.parse::<u64>().unwrap() > 0, "{name}");
        assert_eq!(p.parent().unwrap(), std::path::Path::new(DIR));
    }
}
