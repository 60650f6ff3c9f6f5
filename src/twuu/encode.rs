//! Bytes to glyphs, streaming: eleven bytes in, eight glyphs out.

use std::io::{self, Write};

use super::alphabet::{BITS_PER_GLYPH, GLYPHS_UTF8};

/// Bytes in one block: 88 bits, exactly eight glyphs.
pub const BLOCK_BYTES: usize = 11;
const GLYPHS_PER_BLOCK: usize = 8;
/// Worst case UTF-8 for a block, written four bytes a glyph.
const BLOCK_OUT_MAX: usize = GLYPHS_PER_BLOCK * 4;
/// Output is gathered to this size before it is handed to the writer.
const OUT_CHUNK: usize = 64 * 1024;

/// Glyphs needed to carry `len` bytes without losing a bit: `ceil(8 * len / 11)`.
///
/// The original stripped every trailing glyph of value 0, including ones that still held low bits
/// of the last byte (". " came back as "."). A glyph beyond this count holds only padding, so
/// keeping exactly this many loses nothing, and equals the original's output whenever the original
/// itself was lossless.
pub fn glyph_count(len: u64) -> u64 {
    (len * 8).div_ceil(u64::from(BITS_PER_GLYPH))
}

/// A writer that turns the bytes written to it into glyphs on `out`.
///
/// Call [`Encoder::finish`] to write the final partial block; dropping the encoder loses it.
pub struct Encoder<W: Write> {
    out: W,
    pending: [u8; BLOCK_BYTES],
    pending_len: usize,
    buf: Box<[u8]>,
    buf_len: usize,
    bytes_in: u64,
    last_byte: Option<u8>,
}

/// What an encoder saw and wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncoderTotals {
    pub bytes_in: u64,
    pub glyphs: u64,
    pub last_byte: Option<u8>,
}

impl<W: Write> Encoder<W> {
    pub fn new(out: W) -> Self {
        Encoder {
            out,
            pending: [0; BLOCK_BYTES],
            pending_len: 0,
            buf: vec![0; OUT_CHUNK + BLOCK_OUT_MAX].into_boxed_slice(),
            buf_len: 0,
            bytes_in: 0,
            last_byte: None,
        }
    }

    /// Writes the glyphs of the final partial block and flushes; returns the writer.
    pub fn finish(mut self) -> io::Result<(W, EncoderTotals)> {
        if self.pending_len > 0 {
            let mut block = [0u8; BLOCK_BYTES];
            block[..self.pending_len].copy_from_slice(&self.pending[..self.pending_len]);
            let keep = glyph_count(self.pending_len as u64) as usize;
            self.buf_len += write_block(&block, keep, &mut self.buf[self.buf_len..]);
        }
        self.flush_buf()?;
        self.out.flush()?;
        let summary = EncoderTotals {
            bytes_in: self.bytes_in,
            glyphs: glyph_count(self.bytes_in),
            last_byte: self.last_byte,
        };
        Ok((self.out, summary))
    }

    fn flush_buf(&mut self) -> io::Result<()> {
        if self.buf_len > 0 {
            self.out.write_all(&self.buf[..self.buf_len])?;
            self.buf_len = 0;
        }
        Ok(())
    }

    fn push_block(&mut self, block: &[u8; BLOCK_BYTES]) -> io::Result<()> {
        self.buf_len += write_block(block, GLYPHS_PER_BLOCK, &mut self.buf[self.buf_len..]);
        if self.buf_len >= OUT_CHUNK {
            self.flush_buf()?;
        }
        Ok(())
    }
}

impl<W: Write> Write for Encoder<W> {
    fn write(&mut self, mut data: &[u8]) -> io::Result<usize> {
        let n = data.len();
        if let Some(&last) = data.last() {
            self.last_byte = Some(last);
        }
        self.bytes_in += n as u64;
        if self.pending_len > 0 {
            let take = (BLOCK_BYTES - self.pending_len).min(data.len());
            self.pending[self.pending_len..self.pending_len + take].copy_from_slice(&data[..take]);
            self.pending_len += take;
            data = &data[take..];
            if self.pending_len < BLOCK_BYTES {
                return Ok(n);
            }
            let block = self.pending;
            self.pending_len = 0;
            self.push_block(&block)?;
        }
        let mut blocks = data.chunks_exact(BLOCK_BYTES);
        for block in &mut blocks {
            self.push_block(block.try_into().expect("chunks_exact yields whole blocks"))?;
        }
        let rest = blocks.remainder();
        self.pending[..rest.len()].copy_from_slice(rest);
        self.pending_len = rest.len();
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.flush_buf()?;
        self.out.flush()
    }
}

/// Writes the first `keep` glyphs of `block` into `out` (which has room for eight at four bytes
/// each) and returns the number of bytes written.
#[inline]
fn write_block(block: &[u8; BLOCK_BYTES], keep: usize, out: &mut [u8]) -> usize {
    let mut wide = [0u8; 16];
    wide[..BLOCK_BYTES].copy_from_slice(block);
    // The block's 88 bits sit at the top of a u128; each glyph takes the next 11 from the top.
    let bits = u128::from_be_bytes(wide);
    let mut pos = 0;
    for i in 0..keep {
        let shift = 128 - BITS_PER_GLYPH as usize * (i + 1);
        let value = ((bits >> shift) & 0x7FF) as usize;
        let glyph = GLYPHS_UTF8[value];
        out[pos..pos + 4].copy_from_slice(&glyph);
        pos += glyph[3] as usize;
    }
    pos
}

/// Encodes `data` in memory (no markers, no newline).
pub fn encode_to_string(data: &[u8]) -> String {
    let mut encoder = Encoder::new(Vec::with_capacity(data.len() * 2));
    encoder
        .write_all(data)
        .expect("writing to a Vec cannot fail");
    let (out, _) = encoder.finish().expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("glyphs are valid UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyph_counts() {
        assert_eq!(glyph_count(0), 0);
        assert_eq!(glyph_count(1), 1);
        assert_eq!(glyph_count(2), 2);
        assert_eq!(glyph_count(11), 8);
        assert_eq!(glyph_count(12), 9);
        assert_eq!(glyph_count(175), 128);
    }

    #[test]
    fn split_writes_give_the_same_glyphs_as_one_write() {
        let data: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        let whole = encode_to_string(&data);
        for step in [1, 2, 3, 7, 10, 11, 12, 64] {
            let mut encoder = Encoder::new(Vec::new());
            for piece in data.chunks(step) {
                encoder.write_all(piece).unwrap();
            }
            let (out, summary) = encoder.finish().unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), whole, "step {step}");
            assert_eq!(summary.bytes_in, 1000);
            assert_eq!(summary.glyphs as usize, whole.chars().count());
        }
    }
}
