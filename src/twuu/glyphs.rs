//! The two alphabets, as the codec uses them: how a value becomes a glyph and back.
//!
//! Both pack eight glyphs into a block of `BITS` bytes, so the encoder and decoder are one
//! piece of code, monomorphised for each alphabet.

use std::hint::select_unpredictable;

use super::alphabet::{self, GLYPHS_UTF8, NOT_A_GLYPH, REVERSE};

/// The alphabets, as the command line and JSON name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, serde::Serialize)]
pub enum Alphabet {
    /// The 2009 alphabet: 11 bits a glyph, markers ☹ and ☺
    #[default]
    #[value(name = "2048")]
    #[serde(rename = "2048")]
    A2048,
    /// CJK ideographs U+4E00-U+5DFF: 12 bits a glyph, markers ☖ and ☗
    #[value(name = "4096")]
    #[serde(rename = "4096")]
    A4096,
}

impl Alphabet {
    /// Its plain and zlib markers.
    pub fn markers(self) -> (char, char) {
        match self {
            Alphabet::A2048 => (Base2048::MARKER_PLAIN, Base2048::MARKER_ZLIB),
            Alphabet::A4096 => (Base4096::MARKER_PLAIN, Base4096::MARKER_ZLIB),
        }
    }

    /// The alphabet of a message whose first marker or glyph is `c`: the two share neither
    /// glyphs nor markers. Anything else is taken as 2048, whose decoder then says what is
    /// wrong with it.
    pub fn of_opening(c: char) -> Alphabet {
        let (plain, zlib) = Alphabet::A4096.markers();
        if c == plain || c == zlib || Base4096::value(c as u32) != NOT_A_GLYPH {
            Alphabet::A4096
        } else {
            Alphabet::A2048
        }
    }

    /// Whether `c` is one of this alphabet's glyphs.
    pub fn is_glyph(self, c: char) -> bool {
        let value = match self {
            Alphabet::A2048 => Base2048::value(c as u32),
            Alphabet::A4096 => Base4096::value(c as u32),
        };
        value != NOT_A_GLYPH
    }

    /// The name as the command line spells it.
    pub fn name(self) -> &'static str {
        match self {
            Alphabet::A2048 => "2048",
            Alphabet::A4096 => "4096",
        }
    }
}

/// One alphabet's tables.
pub trait Glyphs {
    const ALPHABET: Alphabet;
    /// Bits one glyph carries; eight glyphs make a block of this many bytes.
    const BITS: u32;
    /// Wraps a plain message.
    const MARKER_PLAIN: char;
    /// Wraps a zlib-compressed message.
    const MARKER_ZLIB: char;

    /// The UTF-8 of glyph `value`, padded to four bytes, its length in the fourth.
    fn utf8(value: usize) -> [u8; 4];

    /// The value of code point `cp`, or [`NOT_A_GLYPH`].
    fn value(cp: u32) -> u16;

    /// The value and length of the glyph that starts `window` (four bytes of input), when it is
    /// a well-formed glyph; `None` sends the character down the careful path.
    fn fast_glyph(window: &[u8]) -> Option<(u16, usize)>;
}

/// The 2009 alphabet: 2048 glyphs of one, two or three bytes.
pub struct Base2048;

/// Sequence length by lead byte for the one-, two- and three-byte forms 2048 glyphs take; 0 for
/// anything else (four-byte forms and invalid leads), which the careful path handles.
static GLYPH_SEQ_LEN: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b {
            0x00..=0x7F => 1,
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 0,
        };
        b += 1;
    }
    table
};

impl Glyphs for Base2048 {
    const ALPHABET: Alphabet = Alphabet::A2048;
    const BITS: u32 = alphabet::BITS_PER_GLYPH;
    const MARKER_PLAIN: char = alphabet::MARKER_PLAIN;
    const MARKER_ZLIB: char = alphabet::MARKER_ZLIB;

    #[inline(always)]
    fn utf8(value: usize) -> [u8; 4] {
        GLYPHS_UTF8[value]
    }

    #[inline(always)]
    fn value(cp: u32) -> u16 {
        REVERSE.get(cp as usize).copied().unwrap_or(NOT_A_GLYPH)
    }

    /// Glyphs mix one-, two- and three-byte UTF-8 at random, so branching on the length
    /// mispredicts constantly; this computes all three readings and selects one.
    #[inline(always)]
    fn fast_glyph(window: &[u8]) -> Option<(u16, usize)> {
        let w = u32::from_le_bytes(window.try_into().expect("a four-byte window"));
        let (b0, b1, b2) = (w & 0xFF, (w >> 8) & 0x3F, (w >> 16) & 0x3F);
        let len = GLYPH_SEQ_LEN[b0 as usize] as usize;
        if len == 0 {
            return None;
        }
        let two = ((b0 & 0x1F) << 6) | b1;
        let three = ((b0 & 0x0F) << 12) | (b1 << 6) | b2;
        let cp = select_unpredictable(len == 1, b0, select_unpredictable(len == 2, two, three));
        // Continuation bytes must be 10xxxxxx; a form shorter would have done is overlong (a
        // two-byte lead of C2 or more never is). Surrogates lie past every glyph.
        const MASK: [u32; 4] = [0, 0, 0xC000, 0xC0_C000];
        const EXPECT: [u32; 4] = [0, 0, 0x8000, 0x80_8000];
        const MIN: [u32; 4] = [0, 0, 0, 0x800];
        let well_formed = (w & MASK[len] == EXPECT[len]) & (cp >= MIN[len]);
        let value = *REVERSE.get(cp as usize)?;
        (well_formed & (value != NOT_A_GLYPH)).then_some((value, len))
    }
}

/// The 4096 alphabet: CJK ideographs U+4E00 to U+5DFF, glyph `v` being U+4E00 + `v`.
///
/// Every one is assigned, a letter (Lo), left-to-right, unchanged by NFC and NFKC, composes
/// with nothing and is a grapheme of its own (tests/it/twuu/alphabet.rs checks each against the
/// Unicode data). Each is three bytes of UTF-8, so decoding is one range check a glyph.
pub struct Base4096;

/// How many code points X weighs 1 are safe glyphs: assigned, graphic, neither combining nor
/// whitespace, unchanged by NFC and NFKC, neither bidi controls nor right-to-left letters
/// (derived from ICU4X 2.4's Unicode data in tests/it/twuu/alphabet.rs, checked against
/// CPython's). Fewer than 4096: 2048 is the largest power of two X counts as one each.
pub const X_SAFE_CODE_POINTS: usize = 2370;

/// The first glyph of the 4096 alphabet.
pub const FIRST_4096: u32 = 0x4E00;

impl Glyphs for Base4096 {
    const ALPHABET: Alphabet = Alphabet::A4096;
    const BITS: u32 = 12;
    const MARKER_PLAIN: char = '\u{2616}';
    const MARKER_ZLIB: char = '\u{2617}';

    #[inline(always)]
    fn utf8(value: usize) -> [u8; 4] {
        let cp = FIRST_4096 + value as u32;
        [
            0xE0 | (cp >> 12) as u8,
            0x80 | ((cp >> 6) & 0x3F) as u8,
            0x80 | (cp & 0x3F) as u8,
            3,
        ]
    }

    #[inline(always)]
    fn value(cp: u32) -> u16 {
        match cp.wrapping_sub(FIRST_4096) {
            v if v < 1 << Self::BITS => v as u16,
            _ => NOT_A_GLYPH,
        }
    }

    #[inline(always)]
    fn fast_glyph(window: &[u8]) -> Option<(u16, usize)> {
        let w = u32::from_le_bytes(window.try_into().expect("a four-byte window"));
        // A three-byte lead and two continuation bytes; the range check then rules out every
        // overlong form and surrogate, all of which lie below U+4E00 or past U+D7FF.
        if w & 0xC0_C0F0 != 0x80_80E0 {
            return None;
        }
        let cp = ((w & 0x0F) << 12) | (((w >> 8) & 0x3F) << 6) | ((w >> 16) & 0x3F);
        match Self::value(cp) {
            NOT_A_GLYPH => None,
            v => Some((v, 3)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<G: Glyphs>(count: usize) {
        for v in 0..count {
            let utf8 = G::utf8(v);
            let len = utf8[3] as usize;
            let text = std::str::from_utf8(&utf8[..len]).unwrap();
            let c = text.chars().next().unwrap();
            assert_eq!(G::value(c as u32), v as u16);
            let mut window = [0u8; 4];
            window[..len].copy_from_slice(&utf8[..len]);
            assert_eq!(G::fast_glyph(&window), Some((v as u16, len)));
        }
    }

    #[test]
    fn the_opening_names_the_alphabet() {
        for c in ['\u{2616}', '\u{2617}', '\u{4E00}', '\u{5DFF}'] {
            assert_eq!(Alphabet::of_opening(c), Alphabet::A4096, "{c:?}");
        }
        for c in ['\u{2639}', '\u{263A}', ' ', '\u{27F2}', '\u{5E00}', '~'] {
            assert_eq!(Alphabet::of_opening(c), Alphabet::A2048, "{c:?}");
        }
    }

    #[test]
    fn every_glyph_reads_back_on_both_paths() {
        round_trip::<Base2048>(1 << Base2048::BITS);
        round_trip::<Base4096>(1 << Base4096::BITS);
    }

    #[test]
    fn the_4096_fast_path_refuses_what_is_not_a_glyph() {
        for c in ['\u{4DFF}', '\u{5E00}', '\u{2616}', 'a', '\u{3E4}'] {
            let mut window = [0u8; 4];
            c.encode_utf8(&mut window);
            assert_eq!(Base4096::fast_glyph(&window), None, "{c:?}");
            assert_eq!(Base4096::value(c as u32), NOT_A_GLYPH);
        }
        // An overlong form of a glyph's bits, and a bad continuation byte.
        assert_eq!(Base4096::fast_glyph(&[0xE4, 0xB8, 0x40, 0]), None);
        assert_eq!(Base4096::fast_glyph(&[0xE4, 0x38, 0x80, 0]), None);
    }
}
