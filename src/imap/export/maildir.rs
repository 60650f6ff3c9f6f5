//! The Maildir side of an export: each message written into tmp/, synced, then renamed into
//! cur/, so that a file in cur/ is always whole. Its name holds the UIDVALIDITY and UID, so a
//! run that resumes after a crash knows which messages are already there.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::state::sync_dir;
use crate::imap::RawMail;

/// What marks a file as this tool's, in tmp/ and in the names it gives.
const MARK: &str = ".tool-imap";

pub struct MaildirOut {
    dir: PathBuf,
    uid_validity: u32,
    /// UIDs past the recorded last one that are already in cur/ or new/.
    present: HashSet<u32>,
    /// The message being written: its file in tmp/, its name, and its delivery time.
    current: Option<(File, String, Option<i64>)>,
}

impl MaildirOut {
    /// Prepares `dir` (which must exist with its cur/, new/ and tmp/) for messages above
    /// `last_uid`: unfinished files an interrupted run left in tmp/ go, and whole ones it left
    /// in cur/ are noted so that they are not written twice.
    pub fn open(dir: &Path, uid_validity: u32, last_uid: u32) -> io::Result<MaildirOut> {
        for entry in fs::read_dir(dir.join("tmp"))? {
            let entry = entry?;
            if entry.file_name().to_string_lossy().contains(MARK) {
                fs::remove_file(entry.path())?;
            }
        }
        let mut present = HashSet::new();
        for sub in ["cur", "new"] {
            for entry in fs::read_dir(dir.join(sub))? {
                let name = entry?.file_name();
                if let Some(uid) = uid_in_name(&name.to_string_lossy(), uid_validity)
                    && uid > last_uid
                {
                    present.insert(uid);
                }
            }
        }
        Ok(MaildirOut {
            dir: dir.to_path_buf(),
            uid_validity,
            present,
            current: None,
        })
    }

    /// Starts a message; one already there is passed over.
    pub fn begin(&mut self, mail: &RawMail) -> io::Result<()> {
        if self.present.contains(&mail.uid) {
            return Ok(());
        }
        let name = file_name(mail, self.uid_validity);
        let file = File::create(self.dir.join("tmp").join(&name))?;
        self.current = Some((file, name, mail.internal_date));
        Ok(())
    }

    pub fn bytes(&mut self, bytes: &[u8]) -> io::Result<()> {
        match &mut self.current {
            Some((file, ..)) => file.write_all(bytes),
            None => Ok(()),
        }
    }

    /// Ends the message: synced, then moved into cur/.
    pub fn end(&mut self) -> io::Result<()> {
        let Some((file, name, received)) = self.current.take() else {
            return Ok(());
        };
        // Maildir readers take the delivery time from the file's mtime.
        if let Some(secs) = received.and_then(|s| u64::try_from(s).ok()) {
            file.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))?;
        }
        file.sync_data()?;
        drop(file);
        fs::rename(
            self.dir.join("tmp").join(&name),
            self.dir.join("cur").join(&name),
        )
    }

    /// Drops an unfinished message.
    pub fn abandon(&mut self) -> io::Result<()> {
        match self.current.take() {
            Some((_, name, _)) => fs::remove_file(self.dir.join("tmp").join(name)),
            None => Ok(()),
        }
    }

    /// Makes the renames into cur/ durable.
    pub fn sync(&self) -> io::Result<()> {
        sync_dir(&self.dir.join("cur"))
    }
}

/// `RECEIVED.VuidvalidityUuid.tool-imap:2,FLAGS`.
fn file_name(mail: &RawMail, uid_validity: u32) -> String {
    format!(
        "{}.V{uid_validity}U{}{MARK}:2,{}",
        mail.internal_date.unwrap_or(0),
        mail.uid,
        maildir_flags(&mail.flags)
    )
}

/// The UID in a name this tool gave a message of a folder with `uid_validity`, whatever flags a
/// mail reader has given it since.
pub fn uid_in_name(name: &str, uid_validity: u32) -> Option<u32> {
    let base = name.split(':').next()?.strip_suffix(MARK)?;
    let (received, ids) = base.split_once('.')?;
    received.parse::<i64>().ok()?;
    let uid = ids.strip_prefix(&format!("V{uid_validity}U"))?;
    if uid.starts_with('+') {
        return None;
    }
    uid.parse().ok()
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
    fn names_of_other_folders_and_programs_are_not_taken_for_ours() {
        assert_eq!(uid_in_name("1700000000.V7U5.tool-imap:2,S", 7), Some(5));
        assert_eq!(uid_in_name("1700000000.V7U5.tool-imap:2,RS", 7), Some(5));
        assert_eq!(uid_in_name("1700000000.V7U5.tool-imap", 7), Some(5));
        assert_eq!(uid_in_name("1700000000.V8U5.tool-imap:2,S", 7), None);
        assert_eq!(uid_in_name("1700000000.V7U5.host:2,S", 7), None);
        assert_eq!(uid_in_name("1700000000.M1P2.tooltest:2,S", 7), None);
        assert_eq!(uid_in_name("x.V7U5.tool-imap:2,S", 7), None);
        assert_eq!(uid_in_name("1.V7U+5.tool-imap", 7), None);
    }

    proptest! {
        #[test]
        fn each_name_given_gives_its_uid_back(
            uid in any::<u32>(), uid_validity in any::<u32>(), other in any::<u32>(),
            received in proptest::option::of(any::<i64>()),
            flags in proptest::collection::vec("[\\\\$]?[A-Za-z]{1,9}", 0..4),
        ) {
            let mail = RawMail { uid, size: 0, flags, internal_date: received, raw: Vec::new() };
            let name = file_name(&mail, uid_validity);
            prop_assert_eq!(uid_in_name(&name, uid_validity), Some(uid));
            if other != uid_validity {
                prop_assert_eq!(uid_in_name(&name, other), None);
            }
        }

        #[test]
        fn any_name_is_read_without_panicking(name in any::<String>(), v in any::<u32>()) {
            let _ = uid_in_name(&name, v);
        }
    }
}
