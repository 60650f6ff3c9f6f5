//! How long a message is where it will be posted.

use std::io::{self, Write};

/// The weighted-length limit of one post on X.
pub const POST_LIMIT: u64 = 280;

/// The weight X gives a code point (twitter-text v3): 1 in its light ranges, 2 elsewhere.
///
/// twitter-text normalises to NFC before it counts; no glyph or marker changes under NFC and none
/// composes with a neighbour, so counting the text as written gives the same figure.
pub fn twitter_weight(c: char) -> u64 {
    match c as u32 {
        0..=4351 | 8192..=8205 | 8208..=8223 | 8242..=8247 => 1,
        _ => 2,
    }
}

/// The weighted length of `text` as X counts it.
pub fn weighted_length(text: &str) -> u64 {
    text.chars().map(twitter_weight).sum()
}

/// A writer that keeps only the character count and weighted length of the UTF-8 written to it.
/// Every write must hold whole characters, as the encoder's do.
#[derive(Debug, Default)]
pub struct LengthCounter {
    pub chars: u64,
    pub weighted: u64,
}

impl Write for LengthCounter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text =
            std::str::from_utf8(buf).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        self.chars += text.chars().count() as u64;
        self.weighted += weighted_length(text);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_follow_twitter_text_v3_ranges() {
        assert_eq!(twitter_weight(' '), 1);
        assert_eq!(twitter_weight('\u{10FF}'), 1);
        assert_eq!(twitter_weight('\u{1100}'), 2);
        assert_eq!(twitter_weight('\u{1401}'), 2);
        assert_eq!(twitter_weight('\u{2000}'), 1);
        assert_eq!(twitter_weight('\u{200D}'), 1);
        assert_eq!(twitter_weight('\u{200E}'), 2);
        assert_eq!(twitter_weight('\u{2010}'), 1);
        assert_eq!(twitter_weight('\u{201F}'), 1);
        assert_eq!(twitter_weight('\u{2020}'), 2);
        assert_eq!(twitter_weight('\u{2032}'), 1);
        assert_eq!(twitter_weight('\u{2037}'), 1);
        assert_eq!(twitter_weight('\u{2038}'), 2);
        assert_eq!(twitter_weight('\u{2639}'), 2);
        assert_eq!(weighted_length("a\u{2639}"), 3);
    }
}
