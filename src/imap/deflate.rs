//! COMPRESS=DEFLATE (RFC 4978): raw DEFLATE both ways over the connection, each write ended
//! with a sync flush so that a command leaves at once, whole.

use std::io::{self, Read, Write};

use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress};

/// A connection compressed both ways.
#[derive(Debug)]
pub struct Deflated<T> {
    inner: T,
    inflate: Decompress,
    deflate: Compress,
    /// A buffer whose bytes `raw_start..raw_end` were read and not inflated yet.
    raw: Vec<u8>,
    raw_start: usize,
    raw_end: usize,
    /// Compressed bytes waiting to be written.
    out: Vec<u8>,
}

impl<T> Deflated<T> {
    pub fn new(inner: T) -> Deflated<T> {
        Deflated {
            inner,
            // Raw DEFLATE: no zlib header, as the RFC says.
            inflate: Decompress::new(false),
            deflate: Compress::new(Compression::default(), false),
            raw: vec![0; 64 * 1024],
            raw_start: 0,
            raw_end: 0,
            out: Vec::new(),
        }
    }
}

fn corrupt(e: impl std::error::Error + Send + Sync + 'static) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e)
}

impl<T: Read> Read for Deflated<T> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if self.raw_start < self.raw_end {
                let (before_in, before_out) = (self.inflate.total_in(), self.inflate.total_out());
                self.inflate
                    .decompress(
                        &self.raw[self.raw_start..self.raw_end],
                        buf,
                        FlushDecompress::Sync,
                    )
                    .map_err(corrupt)?;
                self.raw_start += (self.inflate.total_in() - before_in) as usize;
                if self.inflate.total_out() > before_out {
                    return Ok((self.inflate.total_out() - before_out) as usize);
                }
            }
            // What is left is the start of a block that needs more input.
            self.raw.copy_within(self.raw_start..self.raw_end, 0);
            (self.raw_start, self.raw_end) = (0, self.raw_end - self.raw_start);
            let n = self.inner.read(&mut self.raw[self.raw_end..])?;
            if n == 0 {
                return Ok(0);
            }
            self.raw_end += n;
        }
    }
}

impl<T: Write> Deflated<T> {
    fn compress(&mut self, mut input: &[u8], flush: FlushCompress) -> io::Result<()> {
        loop {
            self.out.reserve(input.len() / 2 + 64);
            let before = self.deflate.total_in();
            self.deflate
                .compress_vec(input, &mut self.out, flush)
                .map_err(corrupt)?;
            input = &input[(self.deflate.total_in() - before) as usize..];
            // Done when the input is in and the compressor left room (nothing more pending).
            if input.is_empty() && self.out.len() < self.out.capacity() {
                return Ok(());
            }
        }
    }
}

impl<T: Write> Write for Deflated<T> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.compress(buf, FlushCompress::None)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.compress(&[], FlushCompress::Sync)?;
        let out = std::mem::take(&mut self.out);
        self.inner.write_all(&out)?;
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::cell::RefCell;
    use std::collections::VecDeque;
    use std::rc::Rc;

    /// One end of a pipe: what one end writes, the other reads.
    #[derive(Clone, Default)]
    struct Pipe(Rc<RefCell<VecDeque<u8>>>);

    impl Read for Pipe {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            // A few bytes at a time, as a network delivers them.
            let mut queue = self.0.borrow_mut();
            let n = buf.len().min(queue.len()).min(61);
            for b in buf.iter_mut().take(n) {
                *b = queue.pop_front().unwrap_or(0);
            }
            Ok(n)
        }
    }

    impl Write for Pipe {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    proptest! {
        #[test]
        fn each_flushed_write_reads_back_whole(
            writes in proptest::collection::vec(
                proptest::collection::vec(prop_oneof![Just(b'a'), any::<u8>()], 1..3000), 1..6)
        ) {
            let pipe = Pipe::default();
            let mut sender = Deflated::new(pipe.clone());
            let mut receiver = Deflated::new(pipe);
            for w in &writes {
                sender.write_all(w).unwrap();
                sender.flush().unwrap();
                // A sync flush delivers all that was written, without waiting for more.
                let mut got = vec![0u8; w.len()];
                receiver.read_exact(&mut got).unwrap();
                prop_assert_eq!(&got, w);
            }
        }
    }
}
