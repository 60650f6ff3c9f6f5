//! `tool mirror watch`: apply, then follow the kernel's announcements and apply again whenever
//! the rules may no longer match the host: a port joins or leaves the bridge, a source or the
//! destination is deleted, re-created or renamed (a Xen guest reboots as vif5.0 where it was
//! vif2.0), or someone else changes or deletes the tool's table. Each re-apply takes the same
//! lock as `apply` and `remove`, and is the same convergent apply: it changes only what differs.
//!
//! SIGTERM and SIGINT stop the watch and leave the rules in place: copying must not stop while
//! the service restarts. SIGHUP reads the SPEC (and its --config file) again.

use std::io::{self, Read};
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

use super::apply;
use super::changes::{self, Change, Follower, Links};
use super::command;
use super::events::Listener;
use super::host::Host;
use super::lock;
use super::log::Log;
use super::spec::Spec;
use super::system;
use crate::cli::MirrorWatchArgs;

/// After an announcement, how long to wait for the next one before applying: a guest's port
/// is created, enslaved and brought up in quick succession, and one apply should cover it all.
const QUIET: Duration = Duration::from_millis(20);
/// The longest the announcements of one burst may delay the apply.
const SETTLE_AT_MOST: Duration = Duration::from_millis(150);
/// When the lock was held by someone else for all of --wait, the next try.
const RETRY: Duration = Duration::from_secs(1);

pub fn run(args: &MirrorWatchArgs) -> anyhow::Result<()> {
    let spec = command::resolve(&args.spec)?;
    // Both before the first apply, so that nothing between it and the loop goes unseen.
    let signals = Signals::catch().context("cannot catch signals")?;
    let mut listener = Listener::open().context(
        "cannot listen to the kernel's link and nftables announcements (netlink): run as root",
    )?;
    let mut watch = Watch {
        follower: Follower::new(spec.backend),
        spec,
        wait: args.lock.duration(),
        retry: None,
        basis: Links::default(),
        warnings: Vec::new(),
        log: Log::stderr(),
    };
    // Should the first apply fail, changes are told from the host as it was at the start.
    if let Ok(host) = Host::read() {
        watch.follower.links = Links::of(&host);
        watch.basis = Links::of(&host);
    }
    watch.reconcile(&[Change::Started]);
    let mut fds = listener.fds().to_vec();
    fds.push(signals.wake.as_raw_fd());
    loop {
        let timeout = watch
            .retry
            .as_ref()
            .map(|(at, _)| at.saturating_duration_since(Instant::now()));
        wait(&fds, timeout)?;
        signals.clear();
        if let Some(signal) = signals.stop() {
            watch.log.info(&format!(
                "{signal}: stopping; the rules stay in place and copying goes on"
            ));
            return Ok(());
        }
        let mut changed = Vec::new();
        if signals.reload.swap(false, Ordering::SeqCst) {
            match command::resolve(&args.spec) {
                Ok(spec) => {
                    watch.follower.set_backend(spec.backend);
                    watch.spec = spec;
                    changed.push(Change::Reloaded);
                }
                Err(e) => watch.log.error(&format!(
                    "SIGHUP: {e:#}; still mirroring as before the SIGHUP"
                )),
            }
        }
        watch.follow(&mut listener, &mut changed)?;
        if !changed.is_empty() || watch.follower.transaction_open() {
            watch.settle(&mut listener, &mut changed)?;
        }
        changed.extend(watch.follower.unattributed());
        let due = watch
            .retry
            .as_ref()
            .is_some_and(|(at, _)| *at <= Instant::now());
        if due || !changed.is_empty() {
            changed.extend(watch.retry.take().map(|(_, c)| c).unwrap_or_default());
        }
        if !changed.is_empty() {
            watch.reconcile(&changed);
        }
    }
}

struct Watch {
    spec: Spec,
    follower: Follower,
    wait: Duration,
    /// When to try again the changes that found the lock held.
    retry: Option<(Instant, Vec<Change>)>,
    /// The interfaces as the last successful apply saw them: what changed since is what its
    /// next log line names, however the announcements and the reads of the host interleaved.
    basis: Links,
    /// The warnings already logged, so each is said once while it holds.
    warnings: Vec<String>,
    log: Log,
}

impl Watch {
    /// Takes in what has been announced, adding what matters to `changed`.
    fn follow(&mut self, listener: &mut Listener, changed: &mut Vec<Change>) -> io::Result<()> {
        let mut events = Vec::new();
        listener.drain(&mut events)?;
        changed.extend(
            events
                .iter()
                .filter_map(|e| self.follower.take(e, system::ran_here)),
        );
        Ok(())
    }

    /// Waits for the rest of a burst of announcements.
    fn settle(&mut self, listener: &mut Listener, changed: &mut Vec<Change>) -> io::Result<()> {
        let start = Instant::now();
        while start.elapsed() < SETTLE_AT_MOST && wait(&listener.fds(), Some(QUIET))? {
            self.follow(listener, changed)?;
        }
        Ok(())
    }

    /// Applies the SPEC under the lock; logs a line when the rules changed or could not be.
    fn reconcile(&mut self, changed: &[Change]) {
        let applied = lock::acquire(self.wait).and_then(|_lock| apply::converge(&self.spec, false));
        match applied {
            Ok(applied) => {
                let now = Links::of(&applied.host);
                let (signals, others): (Vec<Change>, Vec<Change>) = changed
                    .iter()
                    .filter(|c| !c.of_links())
                    .cloned()
                    .partition(|c| matches!(c, Change::Started | Change::Reloaded));
                let mut said = signals;
                said.extend(self.basis.diff(&now, &self.spec));
                said.extend(others);
                let why = changes::describe(if said.is_empty() { changed } else { &said });
                self.follower.links = now.clone();
                self.basis = now;
                let says = matches!(changed, [Change::Started | Change::Reloaded, ..]);
                if applied.changed || says {
                    let verb = if applied.changed {
                        "applied"
                    } else {
                        "already in place:"
                    };
                    self.log
                        .info(&format!("{why}: {verb} {}", applied.summary()));
                }
                for w in applied
                    .warnings
                    .iter()
                    .filter(|w| !self.warnings.contains(w))
                {
                    self.log.warning(w);
                }
                self.warnings = applied.warnings;
            }
            Err(e) => {
                // The links stay as the announcements left them: re-reading the host now could
                // take in, unnoticed, the very change that mends this.
                let next = if e.is::<lock::Held>() {
                    // Kept, so that the line that reports the apply names them.
                    self.retry = Some((Instant::now() + RETRY, changed.to_vec()));
                    "trying again in a second"
                } else {
                    "applying again at the next change"
                };
                let why = changes::describe(changed);
                self.log
                    .error(&format!("{why}: nothing applied: {e:#}; {next}"));
            }
        }
    }
}

/// SIGTERM and SIGINT stop, SIGHUP reloads; each also writes to a socket the loop polls.
struct Signals {
    terminate: Arc<AtomicBool>,
    interrupt: Arc<AtomicBool>,
    reload: Arc<AtomicBool>,
    wake: UnixStream,
}

impl Signals {
    fn catch() -> io::Result<Signals> {
        let (wake, write) = UnixStream::pair()?;
        wake.set_nonblocking(true)?;
        let signals = Signals {
            terminate: Arc::default(),
            interrupt: Arc::default(),
            reload: Arc::default(),
            wake,
        };
        for (signal, flag) in [
            (SIGTERM, &signals.terminate),
            (SIGINT, &signals.interrupt),
            (SIGHUP, &signals.reload),
        ] {
            // The flag first: the loop reads it once woken.
            signal_hook::flag::register(signal, Arc::clone(flag))?;
            signal_hook::low_level::pipe::register(signal, write.try_clone()?)?;
        }
        Ok(signals)
    }

    /// The stopping signal that arrived, if one did.
    fn stop(&self) -> Option<&'static str> {
        if self.terminate.load(Ordering::SeqCst) {
            Some("SIGTERM")
        } else if self.interrupt.load(Ordering::SeqCst) {
            Some("SIGINT")
        } else {
            None
        }
    }

    /// Empties the wake-up socket.
    fn clear(&self) {
        let mut buf = [0u8; 64];
        while matches!((&self.wake).read(&mut buf), Ok(n) if n > 0) {}
    }
}

/// Waits until one of `fds` can be read or `timeout` has passed (`None`: no limit); whether one
/// can. A signal ends the wait too.
fn wait(fds: &[RawFd], timeout: Option<Duration>) -> io::Result<bool> {
    let mut polled: Vec<libc::pollfd> = fds
        .iter()
        .map(|&fd| libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        })
        .collect();
    let timeout = timeout.map_or(-1, |t| {
        i32::try_from(t.as_millis().max(1)).unwrap_or(i32::MAX)
    });
    // SAFETY: `polled` is a valid array of `polled.len()` pollfd structs for the whole call.
    let ready = unsafe { libc::poll(polled.as_mut_ptr(), polled.len() as libc::nfds_t, timeout) };
    if ready < 0 {
        let e = io::Error::last_os_error();
        return if e.kind() == io::ErrorKind::Interrupted {
            Ok(false)
        } else {
            Err(e)
        };
    }
    Ok(ready > 0)
}
