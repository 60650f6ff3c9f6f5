//! Glyphs to bytes, streaming, with the original decoder's exact semantics: markers dropped
//! wherever they stand, eleven bits a glyph (twelve in the 4096 alphabet), whole bytes kept,
//! trailing NUL bytes stripped.

use std::io::{Read, Write};
use std::marker::PhantomData;

use super::Error;
use super::alphabet::NOT_A_GLYPH;
use super::glyphs::{Alphabet, Base2048, Base4096, Glyphs};
use super::inflate::Inflater;
use super::opening::Opening;

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

/// Decodes the message read from `input` onto `out`, inflating it when it opens with a zlib
/// marker (☺, or ☗ in the 4096 alphabet) or `options.zlib` is set. The alphabet is the one
/// the message's first marker or glyph belongs to.
pub fn decode(
    mut input: impl Read,
    out: &mut dyn Write,
    options: DecodeOptions,
) -> Result<DecodeSummary, Error> {
    let opening = Opening::read(&mut input, 4)?;
    let input = opening.replay().chain(input);
    match opening.alphabet() {
        Alphabet::A2048 => decode_with::<Base2048>(input, out, options),
        Alphabet::A4096 => decode_with::<Base4096>(input, out, options),
    }
}

fn decode_with<G: Glyphs>(
    input: impl Read,
    out: &mut dyn Write,
    options: DecodeOptions,
) -> Result<DecodeSummary, Error> {
    let mut chunks = ByteChunks::new(input);
    let mut scanner = Scanner::<G>::default();
    let mut sink: Option<Box<dyn ByteSink + '_>> = None;
    let mut out = Some(out);
    let mut inflated = options.zlib;
    while let Some(chunk) = chunks.fill()? {
        let used = scanner.feed(chunk.bytes, chunk.offset, chunk.eof)?;
        chunks.consume(used);
        // The first glyph or marker settles whether to inflate; until then nothing is unpacked.
        if sink.is_none()
            && let Some(first) = scanner.opening
        {
            inflated |= first == G::MARKER_ZLIB;
            sink = Some(make_sink(
                out.take().expect("taken once"),
                inflated,
                options,
            ));
        }
        if let Some(sink) = sink.as_deref_mut() {
            scanner.unpacker.flush(sink)?;
        }
    }
    let mut sink = match sink {
        Some(sink) => sink,
        None => make_sink(out.take().expect("taken once"), inflated, options),
    };
    scanner.unpacker.end_group();
    scanner.unpacker.flush(sink.as_mut())?;
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

/// Walks the characters, checking each, and hands glyph values to the unpacker.
///
/// It decodes UTF-8 itself rather than validating first and iterating `chars()` after: glyphs
/// mix one-, two- and three-byte sequences, and one fused pass is several times faster.
struct Scanner<G: Glyphs> {
    /// Characters seen so far (for error positions).
    chars: u64,
    /// The first glyph or marker, once seen: line breaks before it surround the message.
    opening: Option<char>,
    /// A line break after the message started, with its position: fine if nothing but line
    /// breaks follow it.
    line_break: Option<(char, u64, u64)>,
    unpacker: Unpacker<G>,
}

impl<G: Glyphs> Default for Scanner<G> {
    fn default() -> Self {
        Scanner {
            chars: 0,
            opening: None,
            line_break: None,
            unpacker: Unpacker::default(),
        }
    }
}

impl<G: Glyphs> Scanner<G> {
    /// Scans `bytes` (which start at input offset `base`) and returns how many it used: all of
    /// them, but for a character cut off at the end when more input is to come.
    fn feed(&mut self, bytes: &[u8], base: u64, eof: bool) -> Result<usize, Error> {
        let mut i = 0;
        loop {
            if self.opening.is_some() && self.line_break.is_none() {
                while i + 4 <= bytes.len() {
                    let Some((value, len)) = G::fast_glyph(&bytes[i..i + 4]) else {
                        break;
                    };
                    self.unpacker.push(value);
                    self.chars += 1;
                    i += len;
                }
            }
            let Some(&lead) = bytes.get(i) else {
                return Ok(i);
            };
            let (cp, len) = match lead {
                b if b < 0x80 => (u32::from(b), 1),
                _ => match decode_utf8(&bytes[i..]) {
                    Utf8::Char(cp, len) => (cp, len),
                    Utf8::Incomplete if !eof => return Ok(i),
                    Utf8::Incomplete | Utf8::Invalid => {
                        return Err(Error::InvalidUtf8 {
                            byte_offset: base + i as u64,
                        });
                    }
                },
            };
            self.chars += 1;
            let value = G::value(cp);
            if value != NOT_A_GLYPH && self.line_break.is_none() && self.opening.is_some() {
                self.unpacker.push(value);
            } else {
                let c = char::from_u32(cp).expect("decode_utf8 yields scalar values");
                self.slow_char(c, value, base + i as u64)?;
            }
            i += len;
        }
    }

    /// Everything but a glyph in the middle of a message.
    fn slow_char(&mut self, c: char, value: u16, byte_offset: u64) -> Result<(), Error> {
        let here = (c, self.chars, byte_offset);
        if matches!(c, '\n' | '\r') || (c == BOM && self.chars == 1) {
            if self.opening.is_some() && self.line_break.is_none() {
                self.line_break = Some(here);
            }
            return Ok(());
        }
        if let Some((ch, position, byte_offset)) = self.line_break {
            return Err(Error::NotAGlyph {
                ch,
                position,
                byte_offset,
                alphabet: G::ALPHABET,
            });
        }
        match c {
            _ if c == G::MARKER_PLAIN || c == G::MARKER_ZLIB => {
                self.opening.get_or_insert(c);
                Ok(())
            }
            _ if value != NOT_A_GLYPH => {
                self.opening.get_or_insert(c);
                self.unpacker.push(value);
                Ok(())
            }
            _ => Err(Error::NotAGlyph {
                ch: c,
                position: here.1,
                byte_offset,
                alphabet: G::ALPHABET,
            }),
        }
    }
}

enum Utf8 {
    /// A scalar value and the bytes it took.
    Char(u32, usize),
    /// A valid start whose remaining bytes are not there.
    Incomplete,
    Invalid,
}

/// Decodes the multi-byte UTF-8 sequence at the start of `bytes`, rejecting overlong forms,
/// surrogates and values past U+10FFFF exactly as `std::str::from_utf8` does.
#[inline]
fn decode_utf8(bytes: &[u8]) -> Utf8 {
    let b0 = bytes[0];
    let (len, min, max) = match b0 {
        0xC2..=0xDF => (2, 0x80, 0xBF),
        0xE0 => (3, 0xA0, 0xBF),
        0xE1..=0xEC | 0xEE..=0xEF => (3, 0x80, 0xBF),
        0xED => (3, 0x80, 0x9F),
        0xF0 => (4, 0x90, 0xBF),
        0xF1..=0xF3 => (4, 0x80, 0xBF),
        0xF4 => (4, 0x80, 0x8F),
        _ => return Utf8::Invalid,
    };
    let mut cp = u32::from(b0) & (0x7F >> len);
    for (k, &b) in bytes.iter().enumerate().take(len).skip(1) {
        let (lo, hi) = if k == 1 { (min, max) } else { (0x80, 0xBF) };
        if !(lo..=hi).contains(&b) {
            return Utf8::Invalid;
        }
        cp = (cp << 6) | u32::from(b & 0x3F);
    }
    if bytes.len() < len {
        return Utf8::Incomplete;
    }
    Utf8::Char(cp, len)
}

/// Packs glyph values into bytes, eight values (eleven or twelve bytes) at a time, and holds
/// back runs of NUL bytes until a non-NUL byte shows they are not trailing.
struct Unpacker<G: Glyphs> {
    /// Values not yet packed, newest in the low bits.
    group: u128,
    in_group: u32,
    buf: Box<[u8]>,
    len: usize,
    held_nuls: u64,
    glyphs: u64,
    bytes: u64,
    alphabet: PhantomData<G>,
}

impl<G: Glyphs> Default for Unpacker<G> {
    fn default() -> Self {
        Unpacker {
            group: 0,
            in_group: 0,
            // A chunk of input holds at most CHUNK glyphs: CHUNK * BITS / 8 bytes, plus a group.
            buf: vec![0; CHUNK * G::BITS as usize / 8 + 16].into_boxed_slice(),
            len: 0,
            held_nuls: 0,
            glyphs: 0,
            bytes: 0,
            alphabet: PhantomData,
        }
    }
}

impl<G: Glyphs> Unpacker<G> {
    const GROUP_BYTES: usize = G::BITS as usize;

    #[inline]
    fn push(&mut self, value: u16) {
        self.glyphs += 1;
        self.group = (self.group << G::BITS) | u128::from(value);
        self.in_group += 1;
        if self.in_group == 8 {
            let bytes = (self.group << (128 - 8 * G::BITS)).to_be_bytes();
            self.buf[self.len..self.len + Self::GROUP_BYTES]
                .copy_from_slice(&bytes[..Self::GROUP_BYTES]);
            self.len += Self::GROUP_BYTES;
            self.group = 0;
            self.in_group = 0;
        }
    }

    /// Hands over the bytes packed so far, keeping back trailing NULs.
    fn flush(&mut self, sink: &mut dyn ByteSink) -> Result<(), Error> {
        let packed = &self.buf[..self.len];
        match packed.iter().rposition(|&b| b != 0) {
            None => self.held_nuls += packed.len() as u64,
            Some(last) => {
                self.bytes += self.held_nuls + last as u64 + 1;
                const ZEROS: [u8; 4096] = [0; 4096];
                while self.held_nuls > 0 {
                    let n = self.held_nuls.min(ZEROS.len() as u64);
                    sink.put(&ZEROS[..n as usize])?;
                    self.held_nuls -= n;
                }
                sink.put(&packed[..=last])?;
                self.held_nuls = (packed.len() - 1 - last) as u64;
            }
        }
        self.len = 0;
        Ok(())
    }

    /// Packs the last, partial group: its whole bytes only, as the original keeps them.
    fn end_group(&mut self) {
        let bits = self.in_group * G::BITS;
        let whole = (bits / 8) as usize;
        if whole > 0 {
            let aligned = self.group << (128 - bits);
            self.buf[self.len..self.len + whole].copy_from_slice(&aligned.to_be_bytes()[..whole]);
            self.len += whole;
        }
        self.group = 0;
        self.in_group = 0;
    }
}

/// Input bytes, where they start in the input, and whether the input ends with them.
struct Chunk<'a> {
    offset: u64,
    bytes: &'a [u8],
    eof: bool,
}

/// Reads input in chunks; bytes a chunk's reader leaves unused (a character cut by the read) are
/// carried to the front of the next.
struct ByteChunks<R: Read> {
    input: R,
    buf: Box<[u8]>,
    /// Bytes of `buf` holding input.
    filled: usize,
    /// Input offset of `buf[0]`.
    offset: u64,
    eof: bool,
}

impl<R: Read> ByteChunks<R> {
    fn new(input: R) -> Self {
        ByteChunks {
            input,
            buf: vec![0; CHUNK].into_boxed_slice(),
            filled: 0,
            offset: 0,
            eof: false,
        }
    }

    /// Fills the buffer; returns its offset, contents and whether the input has ended, or `None`
    /// once everything was consumed.
    fn fill(&mut self) -> Result<Option<Chunk<'_>>, Error> {
        while !self.eof && self.filled < self.buf.len() {
            match self.input.read(&mut self.buf[self.filled..]) {
                Ok(0) => self.eof = true,
                Ok(n) => self.filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e.into()),
            }
        }
        if self.filled == 0 {
            return Ok(None);
        }
        Ok(Some(Chunk {
            offset: self.offset,
            bytes: &self.buf[..self.filled],
            eof: self.eof,
        }))
    }

    /// Drops the first `used` bytes of the buffer.
    fn consume(&mut self, used: usize) {
        self.buf.copy_within(used..self.filled, 0);
        self.filled -= used;
        self.offset += used as u64;
    }
}
