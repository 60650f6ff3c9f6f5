//! Backups of a folder into an mbox file or a Maildir, incremental by UID, that never lose,
//! repeat or cut a message, whatever happens around them.
//!
//! Beside the messages lives a small JSON state (`state.rs`): which folder of which server and
//! user, its UIDVALIDITY, the last UID written and, for an mbox, its length and a fingerprint of
//! its last bytes at that point. The state is recorded only after the messages it describes are
//! on disk (written, synced, then the state renamed into place), and early and often, so that a
//! run stopped at any moment, even by SIGKILL, resumes where it stopped: see `mbox_file.rs` and
//! `maildir.rs` for how each format recognises what an interrupted run left. Bytes the export did
//! not write in the same run are never cut or rewritten.

mod maildir;
mod mbox_file;
mod state;

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, bail};

use self::maildir::MaildirOut;
pub use self::maildir::maildir_flags;
use self::mbox_file::{Fault, Found, MboxFile, read_before};
pub use self::state::{Source, State, Tail, Target, parse_state, save_json};
use super::Criteria;
use super::session::{Piece, RawMail};

/// An export in progress.
pub struct Export {
    target: Target,
    state: State,
    writer: Writer,
    change: Option<Change>,
    /// Held for the whole run, so that two runs cannot interleave their messages.
    _lock: File,
}

enum Writer {
    Mbox(MboxFile),
    Maildir(MaildirOut),
}

/// A change to the mbox since the last run that the export accepted: its messages go after
/// what the file holds now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Longer, with the export's own last bytes where they were.
    Grew { was: u64, now: u64 },
    /// Different where the export wrote, as when a mail reader rewrites the file.
    Rewritten { was: u64, now: u64 },
}

/// How an export went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub new_messages: u64,
    pub new_bytes: u64,
    pub total_messages: u64,
    /// Stopped early because it was asked to; a re-run resumes.
    pub interrupted: bool,
}

impl Export {
    /// Opens (or starts) the export of `source` into `target`, checking it against the state
    /// of the last run. Nothing is written if a check fails.
    pub fn open(
        target: Target,
        source: Source,
        filter: &Criteria,
        uid_validity: u32,
    ) -> anyhow::Result<Export> {
        let shown = target.path().display().to_string();
        let state_path = target.state_path();
        let previous = match fs::read_to_string(&state_path) {
            Ok(text) => Some(parse_state(&text).map_err(|e| {
                anyhow::anyhow!(
                    "{}: {e}; this export state is damaged: move {shown} and it aside and export \
                     again",
                    state_path.display()
                )
            })?),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => {
                return Err(e).with_context(|| format!("cannot read {}", state_path.display()));
            }
        };
        if let Some(state) = &previous {
            check_same_source(state, &source, uid_validity, &shown)?;
            if &state.filter != filter {
                bail!(
                    "{shown} was exported with {}, and this run asks for {}: the next messages \
                     would be chosen differently; run with the same filters, or export into \
                     another file or directory",
                    state.filter.flags(),
                    filter.flags()
                );
            }
        } else if holds_messages(&target)? {
            bail!(
                "{shown} already holds mail that 'tool imap export' did not write (there is no \
                 {} beside it); export into a new file or directory",
                state_path.display()
            );
        }
        let mut state = previous.unwrap_or(State {
            source,
            uid_validity,
            last_uid: 0,
            messages: 0,
            mbox_bytes: None,
            mbox_tail: None,
            filter: filter.clone(),
            unfinished: false,
        });
        let (writer, lock, change) = match &target {
            Target::Mbox(path) => open_mbox(path, &mut state, &shown)?,
            Target::Maildir(path) => open_maildir(path, &state, &shown)?,
        };
        let export = Export {
            target,
            state,
            writer,
            change,
            _lock: lock,
        };
        // Recorded before a single byte is written: a run killed from here on resumes.
        export.save_state()?;
        Ok(export)
    }

    /// The UID the next run starts after.
    pub fn last_uid(&self) -> u32 {
        self.state.last_uid
    }

    pub fn messages(&self) -> u64 {
        self.state.messages
    }

    /// What changed in the mbox since the last run, if anything did.
    pub fn change(&self) -> Option<Change> {
        self.change
    }

    fn shown(&self) -> String {
        self.target.path().display().to_string()
    }

    fn begin(&mut self, mail: &RawMail) -> Result<(), Fault> {
        match &mut self.writer {
            Writer::Mbox(out) => out.begin(mail.internal_date),
            Writer::Maildir(out) => Ok(out.begin(mail)?),
        }
    }

    fn bytes(&mut self, bytes: &[u8]) -> Result<(), Fault> {
        match &mut self.writer {
            Writer::Mbox(out) => out.bytes(bytes),
            Writer::Maildir(out) => Ok(out.bytes(bytes)?),
        }
    }

    fn end(&mut self, uid: u32) -> Result<(), Fault> {
        match &mut self.writer {
            Writer::Mbox(out) => out.end()?,
            Writer::Maildir(out) => out.end()?,
        }
        self.state.last_uid = uid;
        self.state.messages += 1;
        Ok(())
    }

    /// Drops a message begun and not ended.
    fn abandon(&mut self) -> io::Result<()> {
        match &mut self.writer {
            Writer::Mbox(out) => out.abandon(),
            Writer::Maildir(out) => out.abandon(),
        }
    }

    /// Makes the messages ended so far durable, then records them in the state. Unless the
    /// run is `over`, the state keeps saying that it may have written more past them.
    fn commit(&mut self, over: bool) -> anyhow::Result<()> {
        let shown = self.shown();
        let recorded = self.state.mbox_bytes.unwrap_or(0);
        match &mut self.writer {
            Writer::Mbox(out) => {
                let (end, more, tail) = out.sync().map_err(|fault| match fault {
                    Fault::Io(e) => anyhow::Error::new(e).context(format!("cannot write {shown}")),
                    Fault::NotOurs => not_ours(&shown, recorded),
                })?;
                self.state.mbox_bytes = Some(end);
                self.state.mbox_tail = Some(tail);
                self.state.unfinished = more || !over;
            }
            Writer::Maildir(out) => out
                .sync()
                .with_context(|| format!("cannot write {shown}"))?,
        }
        self.save_state()
    }

    fn save_state(&self) -> anyhow::Result<()> {
        let path = self.target.state_path();
        state::save_json(&path, &self.state)
            .with_context(|| format!("cannot write {}", path.display()))
    }

    /// Ends the run: the message in progress, if any, dropped, the rest recorded.
    fn stop(&mut self) -> anyhow::Result<()> {
        let shown = self.shown();
        self.abandon()
            .with_context(|| format!("cannot write {shown}"))?;
        self.commit(true)
    }
}

/// Copies every piece `pieces` yields into `export`, recording progress as it goes, until the
/// pieces end or `interrupt` is set. `progress` sees each message once written. On an error
/// the messages written so far are kept, and the error says so.
pub fn run<E: std::fmt::Display>(
    export: &mut Export,
    pieces: impl Iterator<Item = Result<Piece, E>>,
    interrupt: &AtomicBool,
    mut progress: impl FnMut(&RawMail),
) -> anyhow::Result<Outcome> {
    /// Recording costs two fsyncs: often enough that a killed run redoes little, rarely
    /// enough to cost little.
    const COMMIT_MESSAGES: u64 = 100;
    const COMMIT_BYTES: u64 = 8 << 20;
    let before = export.messages();
    let mut new_bytes = 0u64;
    let (mut pending_messages, mut pending_bytes) = (0u64, 0u64);
    let shown = export.shown();
    let outcome = |export: &Export, new_bytes, interrupted| Outcome {
        new_messages: export.messages() - before,
        new_bytes,
        total_messages: export.messages(),
        interrupted,
    };
    for piece in pieces {
        if interrupt.load(Ordering::SeqCst) {
            export.stop()?;
            return Ok(outcome(export, new_bytes, true));
        }
        let written = export.messages() - before;
        let piece = match piece {
            Ok(piece) => piece,
            Err(e) => {
                export.stop()?;
                bail!(
                    "{e}; the {written} new messages before that are kept in {shown}: run the \
                     same command again to fetch the rest"
                );
            }
        };
        let mail = &piece.mail;
        let wrote = (if piece.offset == 0 {
            export.begin(mail)
        } else {
            Ok(())
        })
        .and_then(|()| export.bytes(&mail.raw))
        .and_then(|()| {
            if piece.last {
                export.end(mail.uid)
            } else {
                Ok(())
            }
        });
        match wrote {
            Ok(()) => {}
            Err(Fault::Io(e)) => {
                // Record what is whole; the reason for stopping matters more than a second
                // failure.
                let _ = export.stop();
                bail!(
                    "cannot write {shown}: {e}; the {written} new messages before UID {} are \
                     kept, and running the same command again resumes there",
                    mail.uid
                );
            }
            Err(Fault::NotOurs) => {
                // Nothing was written; the state stays where the interrupted run left it.
                let _ = export.abandon();
                return Err(not_ours(&shown, export.state.mbox_bytes.unwrap_or(0)));
            }
        }
        new_bytes += mail.raw.len() as u64;
        pending_bytes += mail.raw.len() as u64;
        if piece.last {
            progress(mail);
            pending_messages += 1;
            if pending_messages >= COMMIT_MESSAGES || pending_bytes >= COMMIT_BYTES {
                export.commit(false)?;
                (pending_messages, pending_bytes) = (0, 0);
            }
        }
    }
    export.stop()?;
    Ok(outcome(export, new_bytes, false))
}

/// The bytes after an interrupted run's last recorded message (at `at`) are not what it was
/// writing.
fn not_ours(shown: &str, at: u64) -> anyhow::Error {
    anyhow::anyhow!(
        "{shown} changed after an export into it was interrupted: what follows byte {at} is not \
         what that export was writing there; look at it, and if it may go, cut it there \
         (truncate -s {at} {shown}) and run the same command again"
    )
}

fn check_same_source(
    state: &State,
    source: &Source,
    uid_validity: u32,
    shown: &str,
) -> anyhow::Result<()> {
    if &state.source != source {
        bail!(
            "{shown} is an export of '{}' of {} on {}, not of '{}' of {} on {}; export into \
             another file or directory",
            state.source.folder,
            state.source.user,
            state.source.server,
            source.folder,
            source.user,
            source.server
        );
    }
    if state.uid_validity != uid_validity {
        bail!(
            "'{}' on {} has a new UIDVALIDITY ({uid_validity}, was {} at the last export): the \
             server renumbered its messages, so what is new cannot be told by UID; export into a \
             new file or directory ({shown} is left as it was)",
            source.folder,
            source.server,
            state.uid_validity
        );
    }
    Ok(())
}

/// Whether a target without a state file already has mail in it.
fn holds_messages(target: &Target) -> anyhow::Result<bool> {
    let shown = || target.path().display().to_string();
    match target {
        Target::Mbox(path) => match fs::metadata(path) {
            Ok(meta) => Ok(meta.len() > 0),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(e).with_context(|| format!("cannot read {}", shown())),
        },
        Target::Maildir(dir) => {
            for sub in ["cur", "new"] {
                match fs::read_dir(dir.join(sub)) {
                    Ok(mut entries) => {
                        if entries.next().is_some() {
                            return Ok(true);
                        }
                    }
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    Err(e) => return Err(e).with_context(|| format!("cannot read {}", shown())),
                }
            }
            Ok(false)
        }
    }
}

fn lock(file: &File, shown: &str) -> anyhow::Result<()> {
    file.try_lock().map_err(|e| match e {
        fs::TryLockError::WouldBlock => {
            anyhow::anyhow!("another export into {shown} is running; wait for it to finish")
        }
        fs::TryLockError::Error(e) => anyhow::anyhow!("cannot lock {shown}: {e}"),
    })
}

/// Opens the mbox and decides, from what the last run recorded, where this run writes: after
/// its last message, through an interrupted run's own bytes, or after a change someone else
/// made. `state` is updated to match.
fn open_mbox(
    path: &Path,
    state: &mut State,
    shown: &str,
) -> anyhow::Result<(Writer, File, Option<Change>)> {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .with_context(|| format!("cannot open {shown}: check the path and its permissions"))?;
    let lock_handle = file.try_clone()?;
    lock(&lock_handle, shown)?;
    let cannot_read = || format!("cannot read {shown}");
    let len = file.metadata().with_context(cannot_read)?.len();
    let recorded = state.mbox_bytes.unwrap_or(0);
    let tail_intact = len >= recorded
        && match state.mbox_tail {
            None => true,
            Some(tail) => {
                Tail::of(&read_before(&file, recorded, tail.bytes).with_context(cannot_read)?)
                    == tail
            }
        };
    let state_path = Target::Mbox(path.to_path_buf())
        .state_path()
        .display()
        .to_string();
    let found = mbox_file::assess(len, recorded, tail_intact, state.unfinished);
    let (start, change) = match found {
        Found::AsLeft | Found::Unfinished => (recorded, None),
        Found::Grew => (
            len,
            Some(Change::Grew {
                was: recorded,
                now: len,
            }),
        ),
        Found::Rewritten => (
            len,
            Some(Change::Rewritten {
                was: recorded,
                now: len,
            }),
        ),
        Found::Shorter => bail!(
            "{shown} is shorter ({len} bytes) than the last export left it ({recorded} bytes), \
             so mail it held may be gone: restore it from a copy, or move it aside (with \
             {state_path}) to export the folder afresh"
        ),
        Found::ChangedWhileUnfinished => bail!(
            "{shown} changed after an export into it was interrupted, so the unfinished message \
             that export may have left at its end cannot be told apart from the change: remove \
             any such message by hand and set \"unfinished\" to false in {state_path}, or move \
             both aside to export the folder afresh"
        ),
    };
    // What is there up to `start` is accepted as it is; the run writes (or compares) after it.
    if start != recorded {
        let bytes = read_before(&file, start, Tail::MAX).with_context(cannot_read)?;
        state.mbox_bytes = Some(start);
        state.mbox_tail = Some(Tail::of(&bytes));
    }
    state.unfinished = true;
    let out = MboxFile::new(file, start, len).with_context(cannot_read)?;
    Ok((Writer::Mbox(out), lock_handle, change))
}

fn open_maildir(
    dir: &Path,
    state: &State,
    shown: &str,
) -> anyhow::Result<(Writer, File, Option<Change>)> {
    for sub in ["cur", "new", "tmp"] {
        fs::create_dir_all(dir.join(sub)).with_context(|| {
            format!("cannot create {shown}/{sub}: check the path and its permissions")
        })?;
    }
    let handle = File::open(dir).with_context(|| format!("cannot open {shown}"))?;
    lock(&handle, shown)?;
    let out = MaildirOut::open(dir, state.uid_validity, state.last_uid)
        .with_context(|| format!("cannot read {shown}"))?;
    Ok((Writer::Maildir(out), handle, None))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn source() -> Source {
        Source {
            server: "127.0.0.1:993".into(),
            user: "me".into(),
            folder: "INBOX".into(),
        }
    }

    fn mail(uid: u32, raw: &str) -> Piece {
        Piece {
            mail: RawMail {
                uid,
                size: raw.len() as u64,
                flags: vec!["\\Seen".into()],
                internal_date: Some(1_700_000_000),
                raw: raw.as_bytes().to_vec(),
            },
            offset: 0,
            last: true,
        }
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("tool-imap-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn go<E: std::fmt::Display>(
        export: &mut Export,
        pieces: impl IntoIterator<Item = Result<Piece, E>>,
    ) -> anyhow::Result<Outcome> {
        run(export, pieces.into_iter(), &AtomicBool::new(false), |_| {})
    }

    #[test]
    fn a_server_error_keeps_what_was_written_and_the_next_run_resumes() {
        let dir = scratch("resume");
        let target = Target::Mbox(dir.join("backup.mbox"));
        let mut export = Export::open(target.clone(), source(), &Criteria::default(), 7).unwrap();
        let err = go(
            &mut export,
            [
                Ok(mail(1, "Subject: a\r\n\r\none\r\n")),
                Err("connection lost"),
            ],
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("connection lost; the 1 new messages"),
            "{err}"
        );
        drop(export);
        let saved = fs::read(target.path()).unwrap();
        let mut export = Export::open(target.clone(), source(), &Criteria::default(), 7).unwrap();
        assert_eq!(export.last_uid(), 1);
        let outcome = go(
            &mut export,
            [Ok::<_, String>(mail(2, "Subject: b\r\n\r\ntwo\r\n"))],
        )
        .unwrap();
        assert_eq!(outcome.new_messages, 1);
        assert_eq!(outcome.total_messages, 2);
        let text = String::from_utf8(fs::read(target.path()).unwrap()).unwrap();
        assert!(text.starts_with(std::str::from_utf8(&saved).unwrap()));
        assert_eq!(text.matches("From MAILER-DAEMON").count(), 2, "{text}");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn while_a_run_writes_its_state_says_so() {
        let dir = scratch("marked");
        let target = Target::Mbox(dir.join("backup.mbox"));
        let mut export = Export::open(target.clone(), source(), &Criteria::default(), 7).unwrap();
        let recorded = || parse_state(&fs::read_to_string(target.state_path()).unwrap()).unwrap();
        let mut seen = Vec::new();
        let pieces = (1..=250).map(|uid| {
            // What a SIGKILL here would leave: the state of the last commit.
            let state = recorded();
            seen.push((state.last_uid, state.unfinished));
            Ok::<_, String>(mail(uid, "a: b\r\n\r\nc\r\n"))
        });
        run(&mut export, pieces, &AtomicBool::new(false), |_| {}).unwrap();
        assert_eq!(seen[0], (0, true));
        assert_eq!(seen[150], (100, true), "a commit mid-run keeps the mark");
        assert_eq!(seen[249], (200, true));
        let state = recorded();
        assert_eq!((state.last_uid, state.unfinished), (250, false));
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_message_cut_by_an_interrupt_is_taken_back_and_written_whole_later() {
        let dir = scratch("interrupt");
        let target = Target::Mbox(dir.join("backup.mbox"));
        let mut export = Export::open(target.clone(), source(), &Criteria::default(), 7).unwrap();
        let interrupt = AtomicBool::new(false);
        let first = Piece {
            last: false,
            ..mail(1, "Subject: a\r\n\r\nhalf")
        };
        let pieces = [first].into_iter().map(|p| {
            interrupt.store(true, Ordering::SeqCst);
            Ok::<_, String>(p)
        });
        let pieces = pieces.chain([Ok(Piece {
            offset: 19,
            ..mail(1, " and the rest\r\n")
        })]);
        let outcome = run(&mut export, pieces, &interrupt, |_| {}).unwrap();
        assert!(outcome.interrupted);
        assert_eq!(outcome.new_messages, 0);
        drop(export);
        assert_eq!(fs::read(target.path()).unwrap(), b"");
        let mut export = Export::open(target.clone(), source(), &Criteria::default(), 7).unwrap();
        go(
            &mut export,
            [Ok::<_, String>(mail(1, "Subject: a\r\n\r\nall\r\n"))],
        )
        .unwrap();
        let text = fs::read_to_string(target.path()).unwrap();
        assert!(text.ends_with("\nSubject: a\n\nall\n\n"), "{text}");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_maildir_run_passes_over_messages_an_interrupted_one_left_whole() {
        let dir = scratch("maildir-resume");
        let target = Target::Maildir(dir.join("md"));
        let mut export = Export::open(target.clone(), source(), &Criteria::default(), 7).unwrap();
        go(&mut export, [Ok::<_, String>(mail(5, "a: b\r\n\r\n"))]).unwrap();
        drop(export);
        // As a run killed after writing UID 6 (since read: flags changed) and in the middle
        // of UID 7 leaves it.
        fs::write(
            dir.join("md/cur/1700000000.V7U6.tool-imap:2,RS"),
            "a: 6\r\n\r\n",
        )
        .unwrap();
        fs::write(dir.join("md/tmp/1700000000.V7U7.tool-imap:2,S"), "a: ha").unwrap();
        let mut export = Export::open(target.clone(), source(), &Criteria::default(), 7).unwrap();
        let outcome = go(
            &mut export,
            [
                Ok::<_, String>(mail(6, "a: 6\r\n\r\n")),
                Ok(mail(7, "a: 7\r\n\r\n")),
            ],
        )
        .unwrap();
        assert_eq!(outcome.total_messages, 3);
        let mut names: Vec<String> = fs::read_dir(dir.join("md/cur"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "1700000000.V7U5.tool-imap:2,S",
                "1700000000.V7U6.tool-imap:2,RS",
                "1700000000.V7U7.tool-imap:2,S"
            ]
        );
        assert_eq!(fs::read_dir(dir.join("md/tmp")).unwrap().count(), 0);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_changed_source_or_uidvalidity_is_refused() {
        let dir = scratch("checks");
        let target = Target::Maildir(dir.join("md"));
        let mut export = Export::open(target.clone(), source(), &Criteria::default(), 7).unwrap();
        go(&mut export, [Ok::<_, String>(mail(5, "a: b\r\n\r\n"))]).unwrap();
        drop(export);
        let name = "1700000000.V7U5.tool-imap:2,S";
        assert_eq!(
            fs::read(dir.join("md/cur").join(name)).unwrap(),
            b"a: b\r\n\r\n"
        );
        let err = Export::open(target.clone(), source(), &Criteria::default(), 8)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("new UIDVALIDITY (8, was 7"), "{err}");
        let other = Source {
            folder: "Archive".into(),
            ..source()
        };
        let err = Export::open(target.clone(), other, &Criteria::default(), 7)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("is an export of 'INBOX'"), "{err}");
        // A second run at the same time is refused while the first holds its lock.
        let _first = Export::open(target.clone(), source(), &Criteria::default(), 7).unwrap();
        let err = Export::open(target, source(), &Criteria::default(), 7)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("another export"), "{err}");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn foreign_mail_is_not_mixed_in() {
        let dir = scratch("foreign");
        let path = dir.join("old.mbox");
        fs::write(&path, "From someone\n\nhi\n").unwrap();
        let err = Export::open(
            Target::Mbox(path.clone()),
            source(),
            &Criteria::default(),
            1,
        )
        .err()
        .unwrap();
        assert!(err.to_string().contains("did not write"), "{err}");
        assert_eq!(fs::read(&path).unwrap(), b"From someone\n\nhi\n");
        fs::remove_dir_all(dir).unwrap();
    }
}
