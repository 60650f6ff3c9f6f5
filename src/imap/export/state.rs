//! What an export records between runs, and how it is written so that a crash at any moment
//! leaves either the old record or the new one.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::imap::Criteria;

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
    /// The mbox file's length after the last message recorded here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mbox_bytes: Option<u64>,
    /// The bytes just before `mbox_bytes`, to notice a file changed where the export wrote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mbox_tail: Option<Tail>,
    /// The filters that select what is exported; a run with others is refused.
    #[serde(default, skip_serializing_if = "Criteria::is_empty")]
    pub filter: Criteria,
    /// An mbox run was writing when this was recorded: bytes past `mbox_bytes` may be its own
    /// unfinished work, which the next run checks against what it fetches again.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unfinished: bool,
}

/// A fingerprint of the last `bytes` bytes (at most [`Tail::MAX`]) before an offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tail {
    pub bytes: u64,
    pub crc32: u32,
}

impl Tail {
    /// Enough to span the end of the last message, and the start of the next a reader would
    /// shift if it rewrote anything before.
    pub const MAX: u64 = 4096;

    pub fn of(bytes: &[u8]) -> Tail {
        Tail {
            bytes: bytes.len() as u64,
            crc32: crc32fast::hash(bytes),
        }
    }
}

/// Reads a state file's text.
pub fn parse_state(text: &str) -> Result<State, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

/// Records `state` (as JSON) at `path` atomically and durably: a temporary file, synced, renamed
/// over the old one, and the directory synced so that the rename itself survives a crash.
pub fn save_json(path: &Path, state: &impl Serialize) -> io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let mut text = serde_json::to_string_pretty(state)?;
    text.push('\n');
    let mut file = File::create(&tmp)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    drop(file);
    fs::rename(&tmp, path)?;
    sync_dir(path.parent().unwrap_or(Path::new(".")))
}

/// Makes the names in `dir` (renames, new files) durable.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn states_round_trip(
            server in any::<String>(), user in any::<String>(), folder in any::<String>(),
            uid_validity in any::<u32>(), last_uid in any::<u32>(), messages in any::<u64>(),
            mbox_bytes in proptest::option::of(any::<u64>()),
            tail in proptest::option::of((any::<u64>(), any::<u32>())),
            unfinished in any::<bool>(),
            subject in proptest::option::of("[^\r\n\0]{1,10}"),
            unseen in any::<bool>(),
            larger in proptest::option::of(0u64..1 << 32),
        ) {
            let state = State {
                source: Source { server, user, folder },
                uid_validity, last_uid, messages, mbox_bytes,
                mbox_tail: tail.map(|(bytes, crc32)| Tail { bytes, crc32 }),
                filter: Criteria { subject, unseen, larger, ..Criteria::default() },
                unfinished,
            };
            let text = serde_json::to_string_pretty(&state).unwrap();
            prop_assert_eq!(parse_state(&text), Ok(state));
        }

        #[test]
        fn damaged_states_are_errors(text in any::<String>()) {
            let _ = parse_state(&text);
        }
    }

    #[test]
    fn a_state_from_before_fingerprints_still_reads() {
        let text = r#"{"server": "s", "user": "u", "folder": "f", "uid_validity": 1,
            "last_uid": 9, "messages": 9, "mbox_bytes": 100}"#;
        let state = parse_state(text).unwrap();
        assert_eq!(state.mbox_tail, None);
        assert!(!state.unfinished);
    }
}
