//! The streams the subcommands read and write: `FILE` or `-` for stdin, and output that is held
//! back until a command has succeeded. (Named apart from `std::io`, which it builds on.)

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::fd::AsFd;
use std::os::unix::fs::FileExt;
use std::path::Path;

use anyhow::Context;

/// Chunk size for streaming copies: large enough that per-call costs vanish.
const COPY_CHUNK: usize = 64 * 1024;

/// An input named on the command line: a file, or stdin for none or `-`.
pub struct Input {
    name: String,
    source: Source,
}

enum Source {
    Stdin(io::StdinLock<'static>),
    File(File),
}

impl Input {
    pub fn open(path: Option<&Path>) -> anyhow::Result<Input> {
        match path {
            None => Ok(Input::stdin()),
            Some(p) if p.as_os_str() == "-" => Ok(Input::stdin()),
            Some(p) => {
                let file = File::open(p).with_context(|| {
                    format!(
                        "cannot open {}: check the path and its permissions",
                        p.display()
                    )
                })?;
                Ok(Input {
                    name: p.display().to_string(),
                    source: Source::File(file),
                })
            }
        }
    }

    fn stdin() -> Input {
        Input {
            name: "<stdin>".to_string(),
            source: Source::Stdin(io::stdin().lock()),
        }
    }

    /// The name to use in messages: the path as given, or `<stdin>`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The last byte of the input when it is a regular file (stdin redirected from one counts),
    /// read without moving the read position; `None` when it is empty or cannot be known
    /// without reading it all.
    pub fn last_byte_if_regular_file(&self) -> Option<u8> {
        let file = self.regular_file()?;
        let len = file.metadata().ok()?.len();
        let mut byte = [0u8];
        file.read_exact_at(&mut byte, len.checked_sub(1)?).ok()?;
        Some(byte[0])
    }

    /// A way back to the current read position, when the input is a regular file, for commands
    /// that check the whole input before they write anything.
    pub fn rewind_point(&self) -> Option<Rewind> {
        let mut file = self.regular_file()?;
        let offset = file.stream_position().ok()?;
        Some(Rewind { file, offset })
    }

    /// A second handle on the input (sharing its read position) if it is a regular file.
    fn regular_file(&self) -> Option<File> {
        let file = match &self.source {
            Source::File(f) => f.try_clone().ok()?,
            Source::Stdin(s) => File::from(s.as_fd().try_clone_to_owned().ok()?),
        };
        file.metadata().ok()?.is_file().then_some(file)
    }
}

/// A regular-file input's position to read from again; see [`Input::rewind_point`].
pub struct Rewind {
    file: File,
    offset: u64,
}

impl Rewind {
    /// The input, positioned where it was when the rewind point was taken.
    pub fn reopen(mut self) -> io::Result<File> {
        self.file.seek(SeekFrom::Start(self.offset))?;
        Ok(self.file)
    }
}

impl Read for Input {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match &mut self.source {
            Source::Stdin(s) => s.read(buf),
            Source::File(f) => f.read(buf),
        }
    }
}

/// Copies all of `input` into `out` in large chunks; returns the bytes copied.
pub fn copy_all(mut input: impl Read, out: &mut impl Write) -> io::Result<u64> {
    let mut buf = vec![0u8; COPY_CHUNK];
    let mut total = 0u64;
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => return Ok(total),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        out.write_all(&buf[..n])?;
        total += n as u64;
    }
}

/// Output that stays in memory until [`HeldOutput::commit`], so that a command that fails
/// writes nothing. Past `limit` bytes it starts streaming, to keep memory bounded on large
/// inputs; a failure after that leaves what was written, as any streaming filter does.
pub struct HeldOutput<W: Write> {
    inner: W,
    held: Vec<u8>,
    limit: usize,
    streaming: bool,
}

impl<W: Write> HeldOutput<W> {
    pub fn new(inner: W, limit: usize) -> Self {
        HeldOutput {
            inner,
            held: Vec::new(),
            limit,
            streaming: false,
        }
    }

    /// Writes out what was held and flushes.
    pub fn commit(mut self) -> io::Result<()> {
        self.inner.write_all(&self.held)?;
        self.inner.flush()
    }
}

impl<W: Write> Write for HeldOutput<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.streaming {
            return self.inner.write(buf);
        }
        self.held.extend_from_slice(buf);
        if self.held.len() > self.limit {
            self.inner.write_all(&self.held)?;
            self.held = Vec::new();
            self.streaming = true;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.streaming {
            self.inner.flush()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_output_writes_nothing_until_committed() {
        let mut sink = Vec::new();
        {
            let mut out = HeldOutput::new(&mut sink, 10);
            out.write_all(b"12345").unwrap();
        }
        assert!(sink.is_empty());
        let mut out = HeldOutput::new(&mut sink, 10);
        out.write_all(b"12345").unwrap();
        out.commit().unwrap();
        assert_eq!(sink, b"12345");
    }

    #[test]
    fn held_output_streams_past_its_limit() {
        let mut sink = Vec::new();
        {
            let mut out = HeldOutput::new(&mut sink, 4);
            out.write_all(b"123456").unwrap();
            out.write_all(b"78").unwrap();
        }
        assert_eq!(sink, b"12345678");
    }
}
