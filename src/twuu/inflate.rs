//! Bounded zlib inflation of a decoded message.

use std::io::Write;

use flate2::{Decompress, FlushDecompress, Status};

use super::Error;
use super::decode::ByteSink;

const OUT_CHUNK: usize = 64 * 1024;

/// The most NUL bytes decoding can have stripped from the end of a zlib stream: a final deflate
/// byte of zero bits and a four-byte Adler-32 whose bytes are all zero, with room to spare.
const MAX_STRIPPED_NULS: usize = 16;

/// Inflates a zlib stream onto a writer, refusing to produce more than `limit` bytes.
pub struct Inflater<W: Write> {
    z: Decompress,
    out: W,
    buf: Box<[u8]>,
    limit: u64,
    /// Bytes of the message fed in (the NULs given back at the end not counted).
    fed: u64,
    ended: bool,
}

impl<W: Write> Inflater<W> {
    pub fn new(out: W, limit: u64) -> Self {
        Inflater {
            z: Decompress::new(true),
            out,
            buf: vec![0; OUT_CHUNK].into_boxed_slice(),
            limit,
            fed: 0,
            ended: false,
        }
    }

    /// Feeds `input`, writing what it inflates to; returns how many input bytes were used
    /// (fewer than given only when the stream ended).
    fn inflate(&mut self, mut input: &[u8]) -> Result<usize, Error> {
        let given = input.len();
        loop {
            let (in_before, out_before) = (self.z.total_in(), self.z.total_out());
            let status = self
                .z
                .decompress(input, &mut self.buf, FlushDecompress::None)
                .map_err(|e| Error::NotZlib(e.message().unwrap_or("damaged data").to_string()))?;
            let used = (self.z.total_in() - in_before) as usize;
            let produced = (self.z.total_out() - out_before) as usize;
            input = &input[used..];
            if self.z.total_out() > self.limit {
                return Err(Error::TooLarge { limit: self.limit });
            }
            self.out.write_all(&self.buf[..produced])?;
            match status {
                Status::StreamEnd => {
                    self.ended = true;
                    return Ok(given - input.len());
                }
                Status::Ok | Status::BufError => {
                    let stalled = used == 0 && produced == 0;
                    if (input.is_empty() && produced < self.buf.len()) || stalled {
                        return Ok(given - input.len());
                    }
                }
            }
        }
    }
}

impl<W: Write> ByteSink for Inflater<W> {
    fn put(&mut self, bytes: &[u8]) -> Result<(), Error> {
        if self.ended && !bytes.is_empty() {
            return Err(Error::TrailingAfterZlib);
        }
        self.fed += bytes.len() as u64;
        let used = self.inflate(bytes)?;
        if used < bytes.len() {
            return Err(Error::TrailingAfterZlib);
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<u64, Error> {
        if !self.ended {
            // The shortest zlib stream is eight bytes; stripped NULs cannot explain a message
            // that lacks even its two-byte header.
            if self.fed < 2 {
                return Err(Error::NotZlib(
                    "too short to hold a zlib stream".to_string(),
                ));
            }
            // The decoder strips trailing NUL bytes, and a zlib stream may end in some (its
            // Adler-32 can): give them back, one at a time, until the stream says it is whole.
            for _ in 0..MAX_STRIPPED_NULS {
                match self.inflate(&[0]) {
                    Ok(_) if self.ended => break,
                    Ok(_) => {}
                    Err(Error::NotZlib(_)) => return Err(Error::TruncatedZlib),
                    Err(e) => return Err(e),
                }
            }
            if !self.ended {
                return Err(Error::TruncatedZlib);
            }
        }
        self.out.flush()?;
        Ok(self.z.total_out())
    }
}
