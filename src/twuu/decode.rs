//! Glyphs to bytes, streaming, with the original decoder's exact semantics: markers dropped
//! wherever they stand, eleven bits a glyph, whole bytes kept, trailing NUL bytes stripped.

use std::io::{Read, Write};

use super::Error;
use super::alphabet::{BITS_PER_GLYPH, MARKER_PLAIN, MARKER_ZLIB, NOT_A_GLYPH, REVERSE};
use super::inflate::Inflater;

const CHUNK: usize = 64 * 1024;
const BOM: char = '\u{FEFF}';

/// Where decoded bytes go: straight out, or through an inflater.
pub trait ByteSink {
    fn put(&mut self, bytes: &[u8]) -> Result<(), Error>;
    /// Called once after the last `put`; returns the bytes this sink wrote out.
    fn finish(&mut self) -> Result<u64, Error>;
}

struct PlainSink<W: Write> {
    out: W,
    written: u64,
}

impl<W: Write> ByteSink for PlainSink<W> {
    fn put(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.out.write_all(bytes)?;
        self.written += bytes.len() as u64;
        Ok(())
    }

    fn finish(&mut self) -> Result<u64, Error> {
        self.out.flush()?;
        Ok(self.written)
    }
}

/// How to decode.
#[derive(Debug, Clone, Copy)]
pub struct DecodeOptions {
    /// Inflate even when the message is not wrapped in ☺.
    pub zlib: bool,
    /// Most bytes inflating may produce.
    pub max_size: u64,
}

/// What a decode read and wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeSummary {
    pub glyphs: u64,
    /// Bytes the glyphs carried (after the trailing NULs were stripped).
    pub payload_bytes: u64,
    /// Bytes written: the payload, or what it inflated to.
    pub bytes_out: u64,
    pub inflated: bool,
}

/// Decodes the message read from `input` onto `out`, inflating it when it opens with ☺ or
/// `options.zlib` is set.
pub fn decode(
    input: impl Read,
    out: &mut dyn Write,
    options: DecodeOptions,
) -> Result<DecodeSummary, Error> {
    let mut text = Utf8Chunks::new(input);
    let mut scanner = Scanner::default();
    let mut sink: Option<Box<dyn ByteSink + '_>> = None;
    let mut out = Some(out);
    let mut inflated = false;
    while let Some((offset, chunk)) = text.next_chunk()? {
        if sink.is_none()
            && let Some(first) = chunk.chars().find(|&c| !is_skipped(c))
        {
            inflated = options.zlib || first == MARKER_ZLIB;
            sink = Some(make_sink(
                out.take().expect("taken once"),
                inflated,
                options,
            ));
        }
        let Some(sink) = sink.as_deref_mut() else {
            scanner.skip(chunk);
            continue;
        };
        scanner.feed(chunk, offset, sink)?;
    }
    let mut sink = match sink {
        Some(sink) => sink,
        None => {
            inflated = options.zlib;
            make_sink(out.take().expect("taken once"), inflated, options)
        }
    };
    scanner.unpacker.finish(sink.as_mut())?;
    let bytes_out = sink.finish()?;
    Ok(DecodeSummary {
        glyphs: scanner.unpacker.glyphs,
        payload_bytes: scanner.unpacker.bytes,
        bytes_out,
        inflated,
    })
}

/// Decodes a whole message held in memory (for tests and library callers).
pub fn decode_str(message: &str, options: DecodeOptions) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    decode(message.as_bytes(), &mut out, options)?;
    Ok(out)
}

fn make_sink<'a>(
    out: &'a mut dyn Write,
    inflate: bool,
    options: DecodeOptions,
) -> Box<dyn ByteSink + 'a> {
    if inflate {
        Box::new(Inflater::new(out, options.max_size))
    } else {
        Box::new(PlainSink { out, written: 0 })
    }
}

/// Whether a message beginning with `prefix` opens with ☺, the marker of a compressed message.
pub fn opens_compressed(prefix: &[u8]) -> bool {
    let valid = match std::str::from_utf8(prefix) {
        Ok(text) => text,
        Err(e) => std::str::from_utf8(&prefix[..e.valid_up_to()]).expect("valid up to here"),
    };
    valid.chars().find(|&c| !is_skipped(c)) == Some(MARKER_ZLIB)
}

/// Characters ignored before the message: line breaks and a byte-order mark.
fn is_skipped(c: char) -> bool {
    matches!(c, '\n' | '\r' | BOM)
}

/// Walks the characters, checking each, and hands glyph values to the unpacker.
#[derive(Default)]
struct Scanner {
    /// Characters seen so far (for error positions).
    chars: u64,
    /// Whether a glyph or marker has been seen: line breaks before one are surrounding.
    started: bool,
    /// A line break after the message started, with its position: fine if nothing but line
    /// breaks follow it.
    line_break: Option<(char, u64, u64)>,
    unpacker: Unpacker,
}

impl Scanner {
    /// Counts characters of a chunk that holds nothing but leading line breaks.
    fn skip(&mut self, chunk: &str) {
        self.chars += chunk.chars().count() as u64;
    }

    fn feed(&mut self, chunk: &str, base: u64, sink: &mut dyn ByteSink) -> Result<(), Error> {
        for (i, c) in chunk.char_indices() {
            self.chars += 1;
            let value = REVERSE.get(c as usize).copied().unwrap_or(NOT_A_GLYPH);
            if value != NOT_A_GLYPH && self.line_break.is_none() {
                self.started = true;
                self.unpacker.push(value, sink)?;
                continue;
            }
            self.slow_char(c, value, base + i as u64, sink)?;
        }
        Ok(())
    }

    /// Everything but a glyph in the middle of a message.
    fn slow_char(
        &mut self,
        c: char,
        value: u16,
        byte_offset: u64,
        sink: &mut dyn ByteSink,
    ) -> Result<(), Error> {
        let here = (c, self.chars, byte_offset);
        if matches!(c, '\n' | '\r') || (c == BOM && self.chars == 1) {
            if self.started && self.line_break.is_none() {
                self.line_break = Some(here);
            }
            return Ok(());
        }
        if let Some((ch, position, byte_offset)) = self.line_break {
            return Err(Error::NotAGlyph {
                ch,
                position,
                byte_offset,
            });
        }
        self.started = true;
        match c {
            MARKER_PLAIN | MARKER_ZLIB => Ok(()),
            _ if value != NOT_A_GLYPH => self.unpacker.push(value, sink),
            _ => Err(Error::NotAGlyph {
                ch: c,
                position: here.1,
                byte_offset,
            }),
        }
    }
}

/// Packs 11-bit values into bytes and holds back runs of NUL bytes until a non-NUL byte shows
/// they are not trailing.
#[derive(Default)]
struct Unpacker {
    acc: u32,
    nbits: u32,
    buf: Vec<u8>,
    held_nuls: u64,
    glyphs: u64,
    bytes: u64,
}

impl Unpacker {
    #[inline]
    fn push(&mut self, value: u16, sink: &mut dyn ByteSink) -> Result<(), Error> {
        self.glyphs += 1;
        self.acc = (self.acc << BITS_PER_GLYPH) | u32::from(value);
        self.nbits += BITS_PER_GLYPH;
        while self.nbits >= 8 {
            self.nbits -= 8;
            self.buf.push((self.acc >> self.nbits) as u8);
        }
        self.acc &= (1 << self.nbits) - 1;
        if self.buf.len() >= CHUNK {
            self.flush(sink)?;
        }
        Ok(())
    }

    fn flush(&mut self, sink: &mut dyn ByteSink) -> Result<(), Error> {
        match self.buf.iter().rposition(|&b| b != 0) {
            None => self.held_nuls += self.buf.len() as u64,
            Some(last) => {
                self.bytes += self.held_nuls + last as u64 + 1;
                const ZEROS: [u8; 4096] = [0; 4096];
                while self.held_nuls > 0 {
                    let n = self.held_nuls.min(ZEROS.len() as u64);
                    sink.put(&ZEROS[..n as usize])?;
                    self.held_nuls -= n;
                }
                sink.put(&self.buf[..=last])?;
                self.held_nuls = (self.buf.len() - 1 - last) as u64;
            }
        }
        self.buf.clear();
        Ok(())
    }

    /// Flushes what is left; the bits of an incomplete byte and the trailing NULs are dropped.
    fn finish(&mut self, sink: &mut dyn ByteSink) -> Result<(), Error> {
        self.flush(sink)
    }
}

/// Reads UTF-8 text in chunks, carrying a character split between reads into the next chunk.
struct Utf8Chunks<R: Read> {
    input: R,
    buf: Vec<u8>,
    /// Bytes of `buf` handed out as the current chunk.
    len: usize,
    /// Bytes of `buf` after the chunk: the start of a character split by the read.
    carry: usize,
    /// Input offset of the current chunk's first byte.
    offset: u64,
    eof: bool,
}

impl<R: Read> Utf8Chunks<R> {
    fn new(input: R) -> Self {
        Utf8Chunks {
            input,
            buf: vec![0; CHUNK + 4],
            len: 0,
            carry: 0,
            offset: 0,
            eof: false,
        }
    }

    /// The next chunk of text and the input offset of its first byte.
    fn next_chunk(&mut self) -> Result<Option<(u64, &str)>, Error> {
        self.offset += self.len as u64;
        self.buf.copy_within(self.len..self.len + self.carry, 0);
        let mut filled = self.carry;
        while !self.eof && filled < CHUNK {
            match self.input.read(&mut self.buf[filled..CHUNK]) {
                Ok(0) => self.eof = true,
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e.into()),
            }
        }
        if filled == 0 {
            self.len = 0;
            self.carry = 0;
            return Ok(None);
        }
        let (len, carry) = match std::str::from_utf8(&self.buf[..filled]) {
            Ok(_) => (filled, 0),
            Err(e) if e.error_len().is_none() && !self.eof => {
                (e.valid_up_to(), filled - e.valid_up_to())
            }
            Err(e) => {
                return Err(Error::InvalidUtf8 {
                    byte_offset: self.offset + e.valid_up_to() as u64,
                });
            }
        };
        self.len = len;
        self.carry = carry;
        let text = std::str::from_utf8(&self.buf[..len]).expect("validated above");
        Ok(Some((self.offset, text)))
    }
}
