//! Backups of a folder into an mbox file or a Maildir, incremental by UID.
//!
//! Beside the messages lives a small JSON state: which folder of which server and user, its
//! UIDVALIDITY, the last UID written and, for an mbox, its length at that point. A second run
//! fetches only UIDs above the last one; a changed UIDVALIDITY (the server renumbered the
//! folder) is refused rather than guessed at. An interrupted run leaves whole messages and a
//! state that matches them, so running again resumes.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

use super::mbox;
use super::session::RawMail;

/// Where the messages go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Mbox(PathBuf),
    Maildir(PathBuf),
}

impl Target {
    pub fn path(&self) -> &Path {
        match self {
            Target::Mbox(p) | Target::Maildir(p) => p,
        }
    }

    /// The state file: beside an mbox, inside a Maildir.
    pub fn state_path(&self) -> PathBuf {
        match self {
            Target::Mbox(p) => {
                let mut name = p.as_os_str().to_owned();
                name.push(".tool-imap.json");
                PathBuf::from(name)
            }
            Target::Maildir(p) => p.join("tool-imap-export.json"),
        }
    }
}

/// Which folder an export copies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub server: String,
    pub user: String,
    pub folder: String,
}

/// What the last run left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    #[serde(flatten)]
    pub source: Source,
    pub uid_validity: u32,
    pub last_uid: u32,
    /// Messages written by all runs together.
    pub messages: u64,
    /// The mbox file's length after the last message written; beyond it lies an unfinished one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mbox_bytes: Option<u64>,
}

/// Reads a state file's text.
pub fn parse_state(text: &str) -> Result<State, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

/// An export in progress.
pub struct Export {
    target: Target,
    state: State,
    writer: Writer,
    /// Held for the whole run, so that two runs cannot interleave their messages.
    _lock: File,
}

enum Writer {
    Mbox(BufWriter<File>),
    Maildir(PathBuf),
}

/// How an export went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub new_messages: u64,
    pub new_bytes: u64,
    pub total_messages: u64,
}

impl Export {
    /// Opens (or starts) the export of `source` into `target`, checking it against the state
    /// of the last run. Nothing is written if a check fails.
    pub fn open(target: Target, source: Source, uid_validity: u32) -> anyhow::Result<Export> {
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
        } else if holds_messages(&target)? {
            bail!(
                "{shown} already holds mail that 'tool imap export' did not write (there is no \
                 {} beside it); export into a new file or directory",
                state_path.display()
            );
        }
        let state = previous.unwrap_or(State {
            source,
            uid_validity,
            last_uid: 0,
            messages: 0,
            mbox_bytes: None,
        });
        let (writer, lock) = match &target {
            Target::Mbox(path) => open_mbox(path, &state, &shown)?,
            Target::Maildir(path) => open_maildir(path, &shown)?,
        };
        Ok(Export {
            target,
            state,
            writer,
            _lock: lock,
        })
    }

    /// The UID the next run starts after.
    pub fn last_uid(&self) -> u32 {
        self.state.last_uid
    }

    pub fn messages(&self) -> u64 {
        self.state.messages
    }

    /// Adds one message (UIDs come in ascending order).
    pub fn append(&mut self, mail: &RawMail) -> io::Result<()> {
        match &mut self.writer {
            Writer::Mbox(out) => mbox::write_message(out, &mail.raw, mail.internal_date)?,
            Writer::Maildir(dir) => write_maildir(dir, self.state.uid_validity, mail)?,
        }
        self.state.last_uid = mail.uid;
        self.state.messages += 1;
        Ok(())
    }

    /// Makes what was appended durable, then records it in the state file.
    pub fn save(&mut self) -> anyhow::Result<()> {
        let shown = self.target.path().display().to_string();
        if let Writer::Mbox(out) = &mut self.writer {
            out.flush()
                .and_then(|()| out.get_ref().sync_data())
                .and_then(|()| out.stream_position())
                .map(|len| self.state.mbox_bytes = Some(len))
                .with_context(|| format!("cannot write {shown}"))?;
        }
        let state_path = self.target.state_path();
        let mut tmp = state_path.clone().into_os_string();
        tmp.push(".tmp");
        let mut text = serde_json::to_string_pretty(&self.state)?;
        text.push('\n');
        fs::write(&tmp, text)
            .and_then(|()| fs::rename(&tmp, &state_path))
            .with_context(|| format!("cannot write {}", state_path.display()))
    }
}

/// Copies everything `mails` yields into `export`, saving as it goes. `progress` sees each
/// message once written. On an error the messages written so far are kept, and the error says
/// so.
pub fn run<E: std::fmt::Display>(
    export: &mut Export,
    mails: impl Iterator<Item = Result<RawMail, E>>,
    mut progress: impl FnMut(&RawMail),
) -> anyhow::Result<Outcome> {
    /// Saving costs an fsync: often enough that a killed run loses little, rarely enough to
    /// cost nothing.
    const SAVE_EVERY: u64 = 500;
    let before = export.messages();
    let mut new_bytes = 0u64;
    let shown = export.target.path().display().to_string();
    for mail in mails {
        let written = export.messages() - before;
        let mail = match mail {
            Ok(mail) => mail,
            Err(e) => {
                export.save()?;
                bail!(
                    "{e}; the {written} new messages before that are kept in {shown}: run the \
                     same command again to fetch the rest"
                );
            }
        };
        if let Err(e) = export.append(&mail) {
            return Err(anyhow::anyhow!(
                "cannot write {shown}: {e}; the {written} new messages before UID {} are kept, \
                 the export state has not moved past them",
                mail.uid
            ));
        }
        new_bytes += mail.raw.len() as u64;
        progress(&mail);
        if (written + 1).is_multiple_of(SAVE_EVERY) {
            export.save()?;
        }
    }
    export.save()?;
    Ok(Outcome {
        new_messages: export.messages() - before,
        new_bytes,
        total_messages: export.messages(),
    })
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

fn open_mbox(path: &Path, state: &State, shown: &str) -> anyhow::Result<(Writer, File)> {
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .with_context(|| format!("cannot open {shown}: check the path and its permissions"))?;
    let lock_handle = file.try_clone()?;
    lock(&lock_handle, shown)?;
    let len = file.metadata()?.len();
    let kept = state.mbox_bytes.unwrap_or(0);
    if len < kept {
        bail!(
            "{shown} is shorter ({len} bytes) than at the end of the last export ({kept} \
             bytes): it was changed since; move it aside (with its .tool-imap.json) to start \
             again"
        );
    }
    // Bytes past the recorded length are a message that an interrupted run did not finish.
    file.set_len(kept)
        .and_then(|()| file.seek(SeekFrom::Start(kept)).map(drop))
        .with_context(|| format!("cannot write {shown}"))?;
    Ok((
        Writer::Mbox(BufWriter::with_capacity(1 << 16, file)),
        lock_handle,
    ))
}

fn open_maildir(dir: &Path, shown: &str) -> anyhow::Result<(Writer, File)> {
    for sub in ["cur", "new", "tmp"] {
        fs::create_dir_all(dir.join(sub)).with_context(|| {
            format!("cannot create {shown}/{sub}: check the path and its permissions")
        })?;
    }
    let handle = File::open(dir).with_context(|| format!("cannot open {shown}"))?;
    lock(&handle, shown)?;
    Ok((Writer::Maildir(dir.to_path_buf()), handle))
}

/// Writes into tmp/, then renames into cur/, as Maildir wants. The name is made of the
/// UIDVALIDITY and UID, so a message fetched again after a crash replaces itself.
fn write_maildir(dir: &Path, uid_validity: u32, mail: &RawMail) -> io::Result<()> {
    let received = mail.internal_date.unwrap_or(0);
    let name = format!(
        "{received}.V{uid_validity}U{}.tool-imap:2,{}",
        mail.uid,
        maildir_flags(&mail.flags)
    );
    let tmp = dir.join("tmp").join(&name);
    let mut file = File::create(&tmp)?;
    file.write_all(&mail.raw)?;
    // Maildir readers take the delivery time from the file's mtime.
    if let Ok(secs) = u64::try_from(received) {
        file.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))?;
    }
    drop(file);
    fs::rename(&tmp, dir.join("cur").join(&name))
}

/// The Maildir info letters for IMAP flags, in ASCII order; keywords have no portable letter.
pub fn maildir_flags(flags: &[String]) -> String {
    let mut letters: Vec<char> = flags
        .iter()
        .filter_map(|f| match f.to_ascii_lowercase().as_str() {
            "\\draft" => Some('D'),
            "\\flagged" => Some('F'),
            "$forwarded" => Some('P'),
            "\\answered" => Some('R'),
            "\\seen" => Some('S'),
            "\\deleted" => Some('T'),
            _ => None,
        })
        .collect();
    letters.sort_unstable();
    letters.dedup();
    letters.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn source() -> Source {
        Source {
            server: "127.0.0.1:993".into(),
            user: "me".into(),
            folder: "INBOX".into(),
        }
    }

    fn mail(uid: u32, raw: &str) -> RawMail {
        RawMail {
            uid,
            size: raw.len() as u64,
            flags: vec!["\\Seen".into()],
            internal_date: Some(1_700_000_000),
            raw: raw.as_bytes().to_vec(),
        }
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("tool-imap-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn flags_become_maildir_letters() {
        let flags =
            |f: &[&str]| maildir_flags(&f.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(flags(&[]), "");
        assert_eq!(flags(&["\\Seen", "\\Flagged", "$Forwarded", "work"]), "FPS");
        assert_eq!(
            flags(&["\\Answered", "\\Draft", "\\Deleted", "\\SEEN"]),
            "DRST"
        );
    }

    #[test]
    fn an_interrupted_mbox_resumes_where_its_state_says() {
        let dir = scratch("resume");
        let target = Target::Mbox(dir.join("backup.mbox"));
        let mut export = Export::open(target.clone(), source(), 7).unwrap();
        let outcome = run(
            &mut export,
            [
                Ok(mail(1, "Subject: a\r\n\r\none\r\n")),
                Err("connection lost"),
            ]
            .into_iter(),
            |_| {},
        );
        let err = outcome.unwrap_err().to_string();
        assert!(
            err.starts_with("connection lost; the 1 new messages"),
            "{err}"
        );
        drop(export);
        let saved = fs::read(target.path()).unwrap();
        // A half-written message after the saved length is dropped on the next open.
        fs::OpenOptions::new()
            .append(true)
            .open(target.path())
            .unwrap()
            .write_all(b"From MAILER-DAEMON half")
            .unwrap();
        let mut export = Export::open(target.clone(), source(), 7).unwrap();
        assert_eq!(export.last_uid(), 1);
        let outcome = run(
            &mut export,
            [Ok::<_, String>(mail(2, "Subject: b\r\n\r\ntwo\r\n"))].into_iter(),
            |_| {},
        )
        .unwrap();
        assert_eq!(outcome.new_messages, 1);
        assert_eq!(outcome.total_messages, 2);
        let text = String::from_utf8(fs::read(target.path()).unwrap()).unwrap();
        assert!(text.starts_with(std::str::from_utf8(&saved).unwrap()));
        assert_eq!(text.matches("From MAILER-DAEMON").count(), 2, "{text}");
        assert!(!text.contains("half"));
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_changed_source_or_uidvalidity_is_refused() {
        let dir = scratch("checks");
        let target = Target::Maildir(dir.join("md"));
        let mut export = Export::open(target.clone(), source(), 7).unwrap();
        run(
            &mut export,
            [Ok::<_, String>(mail(5, "a: b\r\n\r\n"))].into_iter(),
            |_| {},
        )
        .unwrap();
        drop(export);
        let name = "1700000000.V7U5.tool-imap:2,S";
        assert_eq!(
            fs::read(dir.join("md/cur").join(name)).unwrap(),
            b"a: b\r\n\r\n"
        );
        let err = Export::open(target.clone(), source(), 8)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("new UIDVALIDITY (8, was 7"), "{err}");
        let other = Source {
            folder: "Archive".into(),
            ..source()
        };
        let err = Export::open(target.clone(), other, 7)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("is an export of 'INBOX'"), "{err}");
        // A second run at the same time is refused while the first holds its lock.
        let _first = Export::open(target.clone(), source(), 7).unwrap();
        let err = Export::open(target, source(), 7).err().unwrap().to_string();
        assert!(err.contains("another export"), "{err}");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn foreign_mail_is_not_mixed_in() {
        let dir = scratch("foreign");
        let path = dir.join("old.mbox");
        fs::write(&path, "From someone\n\nhi\n").unwrap();
        let err = Export::open(Target::Mbox(path.clone()), source(), 1)
            .err()
            .unwrap();
        assert!(err.to_string().contains("did not write"), "{err}");
        assert_eq!(fs::read(&path).unwrap(), b"From someone\n\nhi\n");
        fs::remove_dir_all(dir).unwrap();
    }

    proptest! {
        #[test]
        fn states_round_trip(
            server in any::<String>(), user in any::<String>(), folder in any::<String>(),
            uid_validity in any::<u32>(), last_uid in any::<u32>(), messages in any::<u64>(),
            mbox_bytes in proptest::option::of(any::<u64>()),
        ) {
            let state = State {
                source: Source { server, user, folder },
                uid_validity, last_uid, messages, mbox_bytes,
            };
            let text = serde_json::to_string_pretty(&state).unwrap();
            prop_assert_eq!(parse_state(&text), Ok(state));
        }

        #[test]
        fn damaged_states_are_errors(text in any::<String>()) {
            let _ = parse_state(&text);
        }
    }
}
