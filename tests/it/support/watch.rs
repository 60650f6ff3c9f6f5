//! A running `tool mirror watch` in a [`Lab`]'s dom0, its log read line by line as it comes.

use std::io::{BufRead, BufReader};
use std::process::{Child, ExitStatus, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use super::netns::Lab;

/// Generous: a loaded CI machine may be slow, and the speed is measured by the benchmark.
const PATIENCE: Duration = Duration::from_secs(60);

type Log = Arc<(Mutex<Vec<String>>, Condvar)>;

pub struct Watcher {
    child: Child,
    log: Log,
    /// Lines before this one have been waited for already.
    seen: usize,
}

impl Watcher {
    /// Starts `tool mirror watch ARGS` and waits for its first line.
    pub fn start(lab: &Lab, args: &[&str]) -> Watcher {
        let mut child = lab
            .tool_command(&[&["mirror", "watch"], args].concat())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the tool starts");
        let log: Log = Arc::default();
        let stderr = BufReader::new(child.stderr.take().unwrap());
        let writer = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in stderr.lines().map_while(Result::ok) {
                writer.0.lock().unwrap().push(line);
                writer.1.notify_all();
            }
        });
        let mut watcher = Watcher {
            child,
            log,
            seen: 0,
        };
        watcher.wait_for(&["started"]);
        watcher
    }

    /// Waits for a line after those already waited for that holds every one of `needles`, and
    /// returns it; fails the test with the log when none comes within a generous time.
    pub fn wait_for(&mut self, needles: &[&str]) -> String {
        let deadline = Instant::now() + PATIENCE;
        let (lines, arrived) = &*self.log;
        let mut lines = lines.lock().unwrap();
        loop {
            if let Some(i) =
                (self.seen..lines.len()).find(|&i| needles.iter().all(|n| lines[i].contains(n)))
            {
                self.seen = i + 1;
                return lines[i].clone();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "no log line with {needles:?} in {PATIENCE:?}; the log:\n{}",
                lines.join("\n")
            );
            lines = arrived.wait_timeout(lines, left).unwrap().0;
        }
    }

    /// Every line logged so far.
    pub fn log(&self) -> Vec<String> {
        self.log.0.lock().unwrap().clone()
    }

    pub fn signal(&self, signal: libc::c_int) {
        // `ip netns exec` execs the tool: the child is the tool itself.
        let pid = libc::pid_t::try_from(self.child.id()).unwrap();
        // SAFETY: kill has no memory effects; the pid is our own child's, not yet reaped.
        assert_eq!(unsafe { libc::kill(pid, signal) }, 0, "kill");
    }

    /// Waits for the watch to end, within the same generous time.
    pub fn exit(mut self) -> ExitStatus {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the watch did not end; its log:\n{}",
                self.log().join("\n")
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
