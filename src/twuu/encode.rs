//! Bytes to glyphs, streaming: a block of as many bytes as a glyph has bits (eleven or twelve)
//! in, eight glyphs out.

use std::io::{self, Write};
use std::marker::PhantomData;

use super::alphabet::BITS_PER_GLYPH;
use super::glyphs::{Base2048, Glyphs};

/// Room for the largest block.
const MAX_BLOCK: usize = 16;
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
    glyphs_for(len, BITS_PER_GLYPH)
}

/// Glyphs of `bits` bits each needed to carry `len` bytes.
fn glyphs_for(len: u64, bits: u32) -> u64 {
    (len * 8).div_ceil(u64::from(bits))
}

/// A writer that turns the bytes written to it into glyphs of alphabet `G` on `out`.
///
/// Call [`Encoder::finish`] to write the final partial block; dropping the encoder loses it.
pub struct Encoder<W: Write, G: Glyphs = Base2048> {
    out: W,
    pending: [u8; MAX_BLOCK],
    pending_len: usize,
    buf: Box<[u8]>,
    buf_len: usize,
    bytes_in: u64,
    last_byte: Option<u8>,
    glyphs: PhantomData<G>,
}

/// What an encoder saw and wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncoderTotals {
    pub bytes_in: u64,
    pub glyphs: u64,
    pub last_byte: Option<u8>,
}

impl<W: Write, G: Glyphs> Encoder<W, G> {
    const BLOCK: usize = G::BITS as usize;

    pub fn new(out: W) -> Self {
        Encoder {
            out,
            pending: [0; MAX_BLOCK],
            pending_len: 0,
            buf: vec![0; OUT_CHUNK + BLOCK_OUT_MAX].into_boxed_slice(),
            buf_len: 0,
            bytes_in: 0,
            last_byte: None,
            glyphs: PhantomData,
        }
    }

    /// Writes the glyphs of the final partial block and flushes; returns the writer.
    pub fn finish(mut self) -> io::Result<(W, EncoderTotals)> {
        if self.pending_len > 0 {
            let mut block = [0u8; MAX_BLOCK];
            block[..self.pending_len].copy_from_slice(&self.pending[..self.pending_len]);
            let keep = glyphs_for(self.pending_len as u64, G::BITS) as usize;
            self.buf_len += write_block::<G>(&block, keep, &mut self.buf[self.buf_len..]);
        }
        self.flush_buf()?;
        self.out.flush()?;
        let summary = EncoderTotals {
            bytes_in: self.bytes_in,
            glyphs: glyphs_for(self.bytes_in, G::BITS),
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

    fn push_block(&mut self, block: &[u8]) -> io::Result<()> {
        self.buf_len += write_block::<G>(block, GLYPHS_PER_BLOCK, &mut self.buf[self.buf_len..]);
        if self.buf_len >= OUT_CHUNK {
            self.flush_buf()?;
        }
        Ok(())
    }
}

impl<W: Write, G: Glyphs> Write for Encoder<W, G> {
    fn write(&mut self, mut data: &[u8]) -> io::Result<usize> {
        let n = data.len();
        if let Some(&last) = data.last() {
            self.last_byte = Some(last);
        }
        self.bytes_in += n as u64;
        if self.pending_len > 0 {
            let take = (Self::BLOCK - self.pending_len).min(data.len());
            self.pending[self.pending_len..self.pending_len + take].copy_from_slice(&data[..take]);
            self.pending_len += take;
            data = &data[take..];
            if self.pending_len < Self::BLOCK {
                return Ok(n);
            }
            let block = self.pending;
            self.pending_len = 0;
            self.push_block(&block[..Self::BLOCK])?;
        }
        let mut blocks = data.chunks_exact(Self::BLOCK);
        for block in &mut blocks {
            self.push_block(block)?;
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

/// Writes the first `keep` glyphs of `block` (`G::BITS` bytes, or more of which only those
/// count) into `out` (which has room for eight at four bytes each) and returns the number of
/// bytes written.
#[inline]
fn write_block<G: Glyphs>(block: &[u8], keep: usize, out: &mut [u8]) -> usize {
    let mut wide = [0u8; 16];
    wide[..G::BITS as usize].copy_from_slice(&block[..G::BITS as usize]);
    // The block's bits sit at the top of a u128; each glyph takes the next BITS from the top.
    let bits = u128::from_be_bytes(wide);
    let mask = (1u128 << G::BITS) - 1;
    let mut pos = 0;
    for i in 0..keep {
        let shift = 128 - G::BITS as usize * (i + 1);
        let value = ((bits >> shift) & mask) as usize;
        let glyph = G::utf8(value);
        out[pos..pos + 4].copy_from_slice(&glyph);
        pos += glyph[3] as usize;
    }
    pos
}

/// Encodes `data` in memory (no markers, no newline).
pub fn encode_to_string(data: &[u8]) -> String {
    let mut encoder = Encoder::<_, Base2048>::new(Vec::with_capacity(data.len() * 2));
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
            let mut encoder = Encoder::<_, Base2048>::new(Vec::new());
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
