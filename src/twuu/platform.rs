//! Where a message is posted, and how long it is there.

use std::io::{self, Write};

use unicode_segmentation::UnicodeSegmentation;

use super::glyphs::Alphabet;
use super::twitter::{self, XLength};

/// A place to post, with its own way of counting.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    /// X (Twitter): twitter-text 3's weighted length, URLs as 23; 280
    X,
    /// Mastodon: code points; 500
    Mastodon,
    /// Bluesky: extended grapheme clusters; 300
    Bluesky,
}

impl Platform {
    pub const ALL: [Platform; 3] = [Platform::X, Platform::Mastodon, Platform::Bluesky];

    /// The most one post may count.
    pub fn limit(self) -> u64 {
        match self {
            Platform::X => twitter::POST_LIMIT,
            Platform::Mastodon => 500,
            Platform::Bluesky => 300,
        }
    }

    /// The name as the command line and JSON spell it.
    pub fn name(self) -> &'static str {
        match self {
            Platform::X => "x",
            Platform::Mastodon => "mastodon",
            Platform::Bluesky => "bluesky",
        }
    }

    /// The alphabet that carries the most bits per unit this platform counts. On X a 4096 glyph
    /// weighs 2 (there are not 4096 safe code points of weight 1), 6 bits a unit, where the
    /// 2048 alphabet carries 11 bits in a weight of 1 or 2; elsewhere each glyph counts one,
    /// and 12 bits beat 11.
    pub fn densest_alphabet(self) -> Alphabet {
        match self {
            Platform::X => Alphabet::A2048,
            Platform::Mastodon | Platform::Bluesky => Alphabet::A4096,
        }
    }

    /// What this platform counts, in a few words.
    pub fn unit(self) -> &'static str {
        match self {
            Platform::X => "weighted, URLs 23",
            Platform::Mastodon => "code points",
            Platform::Bluesky => "graphemes",
        }
    }

    /// The length of `text` on this platform.
    pub fn length(self, text: &str) -> u64 {
        match self {
            Platform::X => twitter::weighted_length(text),
            Platform::Mastodon => text.chars().count() as u64,
            Platform::Bluesky => text.graphemes(true).count() as u64,
        }
    }
}

/// The lengths of the UTF-8 written to it on every platform, without keeping the text (but
/// for the segment X's URL rule needs). Every write must hold whole characters, as the
/// encoder's do.
#[derive(Debug, Default)]
pub struct LengthCounter {
    x: XLength,
    code_points: u64,
    graphemes: Graphemes,
}

/// Counts extended grapheme clusters in text given in pieces. The last cluster of a piece is
/// held back, uncounted, and measured again with the next piece: a piece may end between a
/// letter and its combining mark (the 2048 alphabet has Cyrillic ones), and no rule for where a
/// cluster ends looks back past the start of the cluster before.
#[derive(Debug, Default)]
struct Graphemes {
    held: String,
    counted: u64,
}

impl Graphemes {
    fn push(&mut self, text: &str) {
        self.held.push_str(text);
        let Some((last, _)) = self.held.grapheme_indices(true).next_back() else {
            return;
        };
        self.counted += self.held[..last].graphemes(true).count() as u64;
        self.held.drain(..last);
    }

    fn finish(self) -> u64 {
        self.counted + self.held.graphemes(true).count() as u64
    }
}

/// What each platform counts for one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lengths {
    pub x: u64,
    pub code_points: u64,
    pub graphemes: u64,
}

impl Lengths {
    pub fn on(&self, platform: Platform) -> u64 {
        match platform {
            Platform::X => self.x,
            Platform::Mastodon => self.code_points,
            Platform::Bluesky => self.graphemes,
        }
    }
}

impl LengthCounter {
    pub fn finish(self) -> Lengths {
        Lengths {
            x: self.x.finish(),
            code_points: self.code_points,
            graphemes: self.graphemes.finish(),
        }
    }
}

impl Write for LengthCounter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text =
            std::str::from_utf8(buf).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        self.x.push(text);
        self.code_points += text.chars().count() as u64;
        self.graphemes.push(text);
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
    fn graphemes_join_emoji_sequences_and_combining_marks() {
        let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}";
        assert_eq!(Platform::Bluesky.length(family), 1);
        assert_eq!(Platform::Mastodon.length(family), 5);
        assert_eq!(Platform::Bluesky.length("e\u{301}\u{301}a"), 2);
        assert_eq!(Platform::Mastodon.length("e\u{301}\u{301}a"), 4);
        assert_eq!(Platform::Bluesky.length("\u{1F1EB}\u{1F1F7}\u{1F1EB}"), 2);
    }

    #[test]
    fn counter_agrees_with_whole_text() {
        let text = "\u{2639}ab x.com\u{3E4}\u{483}\u{489}\u{1F468}\u{200D}\u{1F469}\u{2639}";
        let mut counter = LengthCounter::default();
        for c in text.chars() {
            counter.write_all(c.to_string().as_bytes()).unwrap();
        }
        let lengths = counter.finish();
        for p in Platform::ALL {
            assert_eq!(lengths.on(p), p.length(text), "{p:?}");
        }
    }
}
