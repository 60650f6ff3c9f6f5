//! The 2009 twuuenc alphabet: 2048 code points, one per 11-bit value.
//!
//! The tables are built at compile time so that encoding is a table load per glyph and decoding a
//! table load per code point, with nothing to initialise at start-up.

/// The original's Unicode ranges, end-exclusive, in the order it concatenates them. They hold
/// 2060 code points; only the first 2048 are glyphs, because an 11-bit value stops at 2047.
const RANGES: [(u32, u32); 15] = [
    (0x20, 0x7E),
    (0xA1, 0xFF),
    (0x100, 0x17F),
    (0x180, 0x24F),
    (0x250, 0x2AE),
    (0x2B0, 0x2FE),
    (0x390, 0x3CE),
    (0x3D0, 0x3FF),
    (0x400, 0x4FF),
    (0x1401, 0x1676),
    (0x2580, 0x259F),
    (0x25A0, 0x25FF),
    (0x2701, 0x27BE),
    (0x27C0, 0x27EB),
    (0x27F0, 0x27FF),
];

/// Number of glyphs: one per 11-bit value.
pub const GLYPH_COUNT: usize = 1 << BITS_PER_GLYPH;
/// Bits carried by one glyph.
pub const BITS_PER_GLYPH: u32 = 11;

/// ☹ wraps a plain message.
pub const MARKER_PLAIN: char = '\u{2639}';
/// ☺ wraps a zlib-compressed message.
pub const MARKER_ZLIB: char = '\u{263A}';

/// Code point of each glyph, indexed by its 11-bit value.
pub static GLYPHS: [u32; GLYPH_COUNT] = build_glyphs();

/// The glyphs as UTF-8, padded to four bytes so a writer can copy a fixed width and advance by
/// the real length (the fourth byte holds that length; no glyph needs more than three).
pub static GLYPHS_UTF8: [[u8; 4]; GLYPH_COUNT] = build_glyphs_utf8();

/// One past the highest code point any range reaches; the reverse table covers everything below.
const REVERSE_LEN: usize = 0x2800;

/// Marks a code point in [`REVERSE`] that is not a glyph.
pub const NOT_A_GLYPH: u16 = u16::MAX;

/// 11-bit value of each code point below `REVERSE_LEN`, or [`NOT_A_GLYPH`].
pub static REVERSE: [u16; REVERSE_LEN] = build_reverse();

/// The 11-bit value of `c`, if it is a glyph.
#[inline]
pub fn value_of(c: char) -> Option<u16> {
    match REVERSE.get(c as usize) {
        Some(&v) if v != NOT_A_GLYPH => Some(v),
        _ => None,
    }
}

/// Whether `c` is one of the 12 code points the original lists after the 2048th: the original
/// decoder fails on them, since their position does not fit in 11 bits.
pub fn is_beyond_alphabet(c: char) -> bool {
    let mut seen = 0usize;
    let cp = c as u32;
    let mut i = 0;
    while i < RANGES.len() {
        let (start, end) = RANGES[i];
        if cp >= start && cp < end {
            return seen + (cp - start) as usize >= GLYPH_COUNT;
        }
        seen += (end - start) as usize;
        i += 1;
    }
    false
}

const fn build_glyphs() -> [u32; GLYPH_COUNT] {
    let mut table = [0u32; GLYPH_COUNT];
    let mut n = 0;
    let mut r = 0;
    while r < RANGES.len() && n < GLYPH_COUNT {
        let (start, end) = RANGES[r];
        let mut cp = start;
        while cp < end && n < GLYPH_COUNT {
            table[n] = cp;
            n += 1;
            cp += 1;
        }
        r += 1;
    }
    assert!(
        n == GLYPH_COUNT,
        "the ranges hold fewer than 2048 code points"
    );
    table
}

const fn build_glyphs_utf8() -> [[u8; 4]; GLYPH_COUNT] {
    let glyphs = build_glyphs();
    let mut table = [[0u8; 4]; GLYPH_COUNT];
    let mut v = 0;
    while v < GLYPH_COUNT {
        let cp = glyphs[v];
        table[v] = if cp < 0x80 {
            [cp as u8, 0, 0, 1]
        } else if cp < 0x800 {
            [0xC0 | (cp >> 6) as u8, 0x80 | (cp & 0x3F) as u8, 0, 2]
        } else {
            [
                0xE0 | (cp >> 12) as u8,
                0x80 | ((cp >> 6) & 0x3F) as u8,
                0x80 | (cp & 0x3F) as u8,
                3,
            ]
        };
        v += 1;
    }
    table
}

const fn build_reverse() -> [u16; REVERSE_LEN] {
    let glyphs = build_glyphs();
    let mut table = [NOT_A_GLYPH; REVERSE_LEN];
    let mut v = 0;
    while v < GLYPH_COUNT {
        table[glyphs[v] as usize] = v as u16;
        v += 1;
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_hold_2060_code_points_and_the_2048th_is_u27f2() {
        let total: u32 = RANGES.iter().map(|(s, e)| e - s).sum();
        assert_eq!(total, 2060);
        assert_eq!(GLYPHS[0], 0x20);
        assert_eq!(GLYPHS[GLYPH_COUNT - 1], 0x27F2);
    }

    #[test]
    fn every_glyph_maps_back_to_its_value() {
        for (v, &cp) in GLYPHS.iter().enumerate() {
            let c = char::from_u32(cp).unwrap();
            assert_eq!(value_of(c), Some(v as u16));
            let utf8 = GLYPHS_UTF8[v];
            let len = utf8[3] as usize;
            assert_eq!(&utf8[..len], c.to_string().as_bytes());
        }
    }

    #[test]
    fn the_twelve_listed_extras_and_the_markers_are_not_glyphs() {
        for cp in 0x27F3..0x27FF {
            let c = char::from_u32(cp).unwrap();
            assert_eq!(value_of(c), None);
            assert!(is_beyond_alphabet(c));
        }
        assert!(!is_beyond_alphabet('\u{27F2}'));
        for c in [MARKER_PLAIN, MARKER_ZLIB, '\n', '~', '\u{7F}', '\u{FF}'] {
            assert_eq!(value_of(c), None, "{c:?}");
        }
    }
}
