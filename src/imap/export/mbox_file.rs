//! The mbox side of an export: what a run may assume about the file it finds, and a writer that
//! only ever adds after what is there.
//!
//! Bytes past the recorded length that an interrupted run may have left are never cut: the run
//! that resumes fetches the same messages again and compares what it would write with what is
//! there. Where they agree, the bytes are its own and it moves past them; where they do not, it
//! stops before writing anything.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;

use super::state::Tail;
use crate::imap::mbox::{self, Encoder};

/// What a run finds in the mbox, against the state the last run recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// As the last run left it.
    AsLeft,
    /// An interrupted run's bytes may follow the recorded end: check them against the messages
    /// fetched again.
    Unfinished,
    /// Longer, with the recorded end intact: something was added after the export's messages.
    Grew,
    /// Different where the export wrote (a mail reader rewrote it, say), at least as long.
    Rewritten,
    /// Shorter than the export left it: mail may have been lost.
    Shorter,
    /// Changed, after a run that was interrupted: its unfinished bytes cannot be told apart.
    ChangedWhileUnfinished,
}

/// Decides from the file's length, the recorded length, whether the recorded tail is intact and
/// whether the last run was interrupted.
pub fn assess(len: u64, recorded: u64, tail_intact: bool, unfinished: bool) -> Found {
    if len < recorded {
        return Found::Shorter;
    }
    match (tail_intact, unfinished, len > recorded) {
        (true, _, false) => Found::AsLeft,
        (true, true, true) => Found::Unfinished,
        (true, false, true) => Found::Grew,
        (false, false, _) => Found::Rewritten,
        (false, true, _) => Found::ChangedWhileUnfinished,
    }
}

/// What must come before the next `From ` line after `end` (the last bytes of what is there) for
/// the message before it to close with a blank line, as mboxrd readers expect.
pub fn separator(end: &[u8]) -> &'static [u8] {
    if end.is_empty() || end.ends_with(b"\n\n") {
        b""
    } else if end.ends_with(b"\n") {
        b"\n"
    } else {
        b"\n\n"
    }
}

/// The up to `most` bytes of `file` that end at `end`.
pub fn read_before(file: &File, end: u64, most: u64) -> io::Result<Vec<u8>> {
    let start = end.saturating_sub(most);
    let mut bytes = vec![0; usize::try_from(end - start).unwrap_or(0)];
    file.read_exact_at(&mut bytes, start)?;
    Ok(bytes)
}

/// Why a write did not happen.
#[derive(Debug)]
pub enum Fault {
    Io(io::Error),
    /// The bytes an interrupted run left are not the ones this run would write there.
    NotOurs,
}

impl From<io::Error> for Fault {
    fn from(e: io::Error) -> Self {
        Fault::Io(e)
    }
}

/// Writes messages after `start`, comparing rather than writing while it is still inside bytes
/// that were there before (`verify_end`).
pub struct MboxFile {
    file: File,
    /// Written bytes not yet on their way to the file, starting at offset `pos`.
    buf: Vec<u8>,
    pos: u64,
    verify_end: u64,
    /// The end of the last whole message.
    boundary: u64,
    /// Goes before the first message of the run, to close what was there before.
    separator: &'static [u8],
    encoder: Option<Encoder>,
}

impl MboxFile {
    /// Spill the buffer at this size: large writes, little memory.
    const BUFFER: usize = 1 << 16;

    /// A writer whose messages start at `start`; the file's bytes up to `verify_end` are
    /// compared, not written.
    pub fn new(file: File, start: u64, verify_end: u64) -> io::Result<MboxFile> {
        let end = read_before(&file, start, 2)?;
        Ok(MboxFile {
            file,
            buf: Vec::with_capacity(Self::BUFFER),
            pos: start,
            verify_end: verify_end.max(start),
            boundary: start,
            separator: separator(&end),
            encoder: None,
        })
    }

    /// Starts a message.
    pub fn begin(&mut self, received: Option<i64>) -> Result<(), Fault> {
        self.buf
            .extend_from_slice(std::mem::take(&mut self.separator));
        self.buf
            .extend_from_slice(mbox::from_line(received).as_bytes());
        self.encoder = Some(Encoder::default());
        self.spill(false)
    }

    /// The next bytes of the message.
    pub fn bytes(&mut self, bytes: &[u8]) -> Result<(), Fault> {
        if let Some(encoder) = &mut self.encoder {
            encoder.write(&mut self.buf, bytes)?;
        }
        self.spill(false)
    }

    /// Ends the message.
    pub fn end(&mut self) -> Result<(), Fault> {
        if let Some(encoder) = self.encoder.take() {
            encoder.finish(&mut self.buf)?;
        }
        self.spill(false)?;
        self.boundary = self.pos + self.buf.len() as u64;
        Ok(())
    }

    /// Drops an unfinished message: what this run wrote of it goes, whatever was there before
    /// stays.
    pub fn abandon(&mut self) -> io::Result<()> {
        self.encoder = None;
        if let Some(whole) = self.boundary.checked_sub(self.pos) {
            // The message began in the buffer: nothing of it reached the file.
            self.buf
                .truncate(usize::try_from(whole).unwrap_or(usize::MAX));
            return Ok(());
        }
        self.buf.clear();
        let keep = self.boundary.max(self.verify_end);
        if self.file.metadata()?.len() > keep {
            self.file.set_len(keep)?;
        }
        self.pos = self.boundary;
        Ok(())
    }

    /// Makes everything up to the last whole message durable. Returns its end, whether bytes
    /// follow it (an interrupted run's, not yet compared), and the fingerprint of its tail.
    pub fn sync(&mut self) -> Result<(u64, bool, Tail), Fault> {
        self.spill(true)?;
        self.file.sync_data()?;
        let end = self.boundary;
        let tail = read_before(&self.file, end, Tail::MAX)?;
        let len = self.file.metadata()?.len();
        Ok((end, len > end, Tail::of(&tail)))
    }

    /// Sends the buffer on (always when `force`, else once it is large): compared while inside
    /// the bytes that were there, written after them.
    fn spill(&mut self, force: bool) -> Result<(), Fault> {
        if self.buf.is_empty() || (!force && self.buf.len() < Self::BUFFER) {
            return Ok(());
        }
        let compared = usize::try_from(self.verify_end.saturating_sub(self.pos))
            .unwrap_or(usize::MAX)
            .min(self.buf.len());
        if compared > 0 {
            let mut there = vec![0; compared];
            self.file.read_exact_at(&mut there, self.pos)?;
            if there != self.buf[..compared] {
                return Err(Fault::NotOurs);
            }
        }
        self.file
            .write_all_at(&self.buf[compared..], self.pos + compared as u64)?;
        self.pos += self.buf.len() as u64;
        self.buf.clear();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn what_a_run_finds() {
        use Found::*;
        assert_eq!(assess(100, 100, true, false), AsLeft);
        assert_eq!(assess(100, 100, true, true), AsLeft);
        assert_eq!(assess(150, 100, true, true), Unfinished);
        assert_eq!(assess(150, 100, true, false), Grew);
        assert_eq!(assess(150, 100, false, false), Rewritten);
        assert_eq!(assess(100, 100, false, false), Rewritten);
        assert_eq!(assess(150, 100, false, true), ChangedWhileUnfinished);
        assert_eq!(assess(99, 100, true, false), Shorter);
        assert_eq!(assess(0, 100, false, true), Shorter);
    }

    #[test]
    fn separators_close_the_message_before() {
        assert_eq!(separator(b""), b"");
        assert_eq!(separator(b"x\n\n"), b"");
        assert_eq!(separator(b"\n"), b"\n");
        assert_eq!(separator(b"x\n"), b"\n");
        assert_eq!(separator(b"xy"), b"\n\n");
    }

    fn scratch(name: &str, content: &[u8]) -> (std::path::PathBuf, File) {
        let path =
            std::env::temp_dir().join(format!("tool-mbox-file-{name}-{}", std::process::id()));
        fs::write(&path, content).unwrap();
        let file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&path)
            .unwrap();
        (path, file)
    }

    fn message(out: &mut MboxFile, raw: &[u8]) -> Result<(), Fault> {
        out.begin(Some(0))?;
        out.bytes(raw)?;
        out.end()
    }

    #[test]
    fn an_unfinished_tail_of_its_own_is_passed_over_and_continued() {
        let mut whole = Vec::new();
        mbox::write_message(&mut whole, b"a: 1\r\n\r\none\r\n", Some(0)).unwrap();
        mbox::write_message(&mut whole, b"a: 2\r\n\r\ntwo\r\n", Some(0)).unwrap();
        // A run killed in the middle of the second message.
        let (path, file) = scratch("own", &whole[..whole.len() - 7]);
        let mut out = MboxFile::new(file, 0, whole.len() as u64 - 7).unwrap();
        message(&mut out, b"a: 1\r\n\r\none\r\n").unwrap();
        message(&mut out, b"a: 2\r\n\r\ntwo\r\n").unwrap();
        let (end, more, _) = out.sync().unwrap();
        assert_eq!((end, more), (whole.len() as u64, false));
        assert_eq!(fs::read(&path).unwrap(), whole);
        fs::remove_file(path).unwrap();
    }

    #[test]
    fn a_tail_that_is_not_its_own_is_left_alone() {
        let (path, file) = scratch("foreign", b"From someone\n\nnot ours\n");
        let mut out = MboxFile::new(file, 0, 23).unwrap();
        assert!(matches!(
            message(&mut out, b"a: 1\r\n\r\none\r\n").and_then(|()| out.sync().map(drop)),
            Err(Fault::NotOurs)
        ));
        out.abandon().unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"From someone\n\nnot ours\n");
        fs::remove_file(path).unwrap();
    }

    #[test]
    fn what_follows_a_message_without_its_blank_line_is_set_apart() {
        let (path, file) = scratch("separate", b"From me\n\nmine\n");
        let mut out = MboxFile::new(file, 14, 14).unwrap();
        message(&mut out, b"a: 1\r\n\r\none").unwrap();
        out.begin(Some(0)).unwrap();
        out.bytes(b"a: 2\r\n\r\nunfinished").unwrap();
        out.abandon().unwrap();
        out.sync().unwrap();
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "From me\n\nmine\n\nFrom MAILER-DAEMON Thu Jan  1 00:00:00 1970\na: 1\n\none\n\n"
        );
        fs::remove_file(path).unwrap();
    }
}
