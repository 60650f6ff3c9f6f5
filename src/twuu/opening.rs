//! How a message opens: the line breaks before it, however many, and its first bytes.
//!
//! Whether a message is compressed shows only at its first glyph or marker, which any number of
//! line breaks may precede. Those breaks are counted rather than kept, so reading past them takes
//! constant memory, and given back as `\n` when the message is decoded: the decoder treats every
//! leading break alike, so positions in its errors stay those of the input.

use std::io::{self, Read};

use super::glyphs::Alphabet;

const BOM: &[u8] = "\u{FEFF}".as_bytes();
const CHUNK: usize = 64 * 1024;

/// The start of a message, read up to its first byte that is not a line break.
pub struct Opening {
    bom: bool,
    breaks: u64,
    /// How many of the breaks end a line (`\n`).
    newlines: u64,
    /// The bytes read after the breaks.
    head: Vec<u8>,
}

impl Opening {
    /// Reads past a leading BOM and line breaks, then until at least `peek` bytes after them are
    /// held or the input ends.
    pub fn read(input: &mut impl Read, peek: usize) -> io::Result<Opening> {
        let mut head = Vec::new();
        fill(input, &mut head, BOM.len())?;
        let bom = head.starts_with(BOM);
        if bom {
            head.clear();
        }
        let mut breaks = 0;
        let mut newlines = 0;
        loop {
            let n = head
                .iter()
                .take_while(|&&b| matches!(b, b'\n' | b'\r'))
                .count();
            breaks += n as u64;
            newlines += head[..n].iter().filter(|&&b| b == b'\n').count() as u64;
            head.drain(..n);
            if !head.is_empty() || fill(input, &mut head, CHUNK)? == 0 {
                break;
            }
        }
        fill(input, &mut head, peek)?;
        Ok(Opening {
            bom,
            breaks,
            newlines,
            head,
        })
    }

    /// The first character after the line breaks, if the input has one. A BOM there (not
    /// first in the input) counts as that character, as it does for the decoder.
    fn first_char(&self) -> Option<char> {
        let end = self.head.len().min(4);
        (1..=end).find_map(|len| std::str::from_utf8(&self.head[..len]).ok()?.chars().next())
    }

    /// What was read after the line breaks.
    pub fn head(&self) -> &[u8] {
        &self.head
    }

    /// The line number (from 1) that the head starts on.
    pub fn head_line(&self) -> u64 {
        self.newlines + 1
    }

    /// Whether the message opens with a zlib marker (☺, or ☗ in the 4096 alphabet).
    pub fn compressed(&self) -> bool {
        self.first_char()
            .is_some_and(|c| c == Alphabet::of_opening(c).markers().1)
    }

    /// The alphabet the message opens in.
    pub fn alphabet(&self) -> Alphabet {
        self.first_char()
            .map_or(Alphabet::A2048, Alphabet::of_opening)
    }

    /// Reads the rest of `input` into memory, up to `limit` bytes held in all; returns whether
    /// the input ended within that.
    pub fn hold(&mut self, input: &mut impl Read, limit: u64) -> io::Result<bool> {
        let room = (limit + 1).saturating_sub(self.head.len() as u64);
        input.take(room).read_to_end(&mut self.head)?;
        Ok(self.head.len() as u64 <= limit)
    }

    /// What was read, for the decoder: the same characters at the same positions.
    pub fn replay(&self) -> impl Read + '_ {
        let bom: &[u8] = if self.bom { BOM } else { &[] };
        bom.chain(io::repeat(b'\n').take(self.breaks))
            .chain(&self.head[..])
    }
}

/// Reads until `buf` holds `target` bytes or the input ends; returns the bytes read.
fn fill(input: &mut impl Read, buf: &mut Vec<u8>, target: usize) -> io::Result<usize> {
    let want = target.saturating_sub(buf.len()) as u64;
    input.take(want).read_to_end(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replayed(o: &Opening) -> Vec<u8> {
        let mut v = Vec::new();
        o.replay().read_to_end(&mut v).unwrap();
        v
    }

    #[test]
    fn breaks_are_counted_and_given_back_as_newlines() {
        let input = "\u{FEFF}\r\n\n\r\u{263A}abc".as_bytes();
        let o = Opening::read(&mut &input[..], 2).unwrap();
        assert!(o.compressed());
        assert_eq!(replayed(&o), "\u{FEFF}\n\n\n\n\u{263A}abc".as_bytes());
    }

    #[test]
    fn any_number_of_breaks_is_read_past() {
        let mut input = vec![b'\n'; 1_000_000];
        input.extend_from_slice("\u{263A}x".as_bytes());
        let mut reader = &input[..];
        let o = Opening::read(&mut reader, 4).unwrap();
        assert!(o.compressed());
        assert_eq!(o.breaks, 1_000_000);
        assert!(o.head.len() < 70_000);
        let mut all = replayed(&o);
        reader.read_to_end(&mut all).unwrap();
        assert_eq!(all, input);
    }

    #[test]
    fn a_bom_counts_only_first() {
        let o = Opening::read(&mut "\n\u{FEFF}\u{263A}".as_bytes(), 16).unwrap();
        assert!(!o.compressed(), "a BOM after a break is not skipped");
        let o = Opening::read(&mut "\n\u{2617}\u{4E00}".as_bytes(), 16).unwrap();
        assert!(o.compressed());
        assert_eq!(o.alphabet(), Alphabet::A4096);
        let o = Opening::read(&mut "\r\u{4E00}".as_bytes(), 16).unwrap();
        assert!(!o.compressed());
        assert_eq!(o.alphabet(), Alphabet::A4096);
        let o = Opening::read(&mut "\u{2639}\u{263A}".as_bytes(), 16).unwrap();
        assert!(!o.compressed());
        let o = Opening::read(&mut "\n\n".as_bytes(), 16).unwrap();
        assert!(!o.compressed());
        assert_eq!(replayed(&o), b"\n\n");
    }

    #[test]
    fn hold_says_whether_the_input_ended() {
        let input = b"abcdef";
        let mut reader = &input[..];
        let mut o = Opening::read(&mut reader, 2).unwrap();
        assert!(!o.hold(&mut reader, 5).unwrap());
        let mut reader = &input[..];
        let mut o = Opening::read(&mut reader, 2).unwrap();
        assert!(o.hold(&mut reader, 6).unwrap());
        assert_eq!(replayed(&o), input);
    }
}
