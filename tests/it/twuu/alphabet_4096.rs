//! The 4096 alphabet: twelve bits a glyph, its own markers, recognised by decode unasked.

use proptest::prelude::*;
use tool::twuu::{
    self, Alphabet, DEFAULT_MAX_SIZE, DecodeOptions, EncodeOptions, Error, FIRST_4096,
};

const AUTO: DecodeOptions = DecodeOptions {
    zlib: false,
    max_size: DEFAULT_MAX_SIZE,
};

const MARKED: EncodeOptions = EncodeOptions {
    zlib: false,
    markers: true,
    alphabet: Alphabet::A4096,
};

fn encode(data: &[u8], zlib: bool, markers: bool) -> Result<String, Error> {
    twuu::encode_str(
        data,
        EncodeOptions {
            zlib,
            markers,
            ..MARKED
        },
    )
}

fn glyph(value: u32) -> char {
    char::from_u32(FIRST_4096 + value).unwrap()
}

#[test]
fn hand_computed_vectors() {
    // 0xAB 0xCD 0xEF: 0xABC and 0xDEF, two glyphs for three bytes.
    let out = encode(&[0xAB, 0xCD, 0xEF], false, false).unwrap();
    assert_eq!(out, format!("{}{}", glyph(0xABC), glyph(0xDEF)));
    // One byte: 0x61 then four bits of padding, one glyph.
    assert_eq!(
        encode(b"a", false, false).unwrap(),
        glyph(0x610).to_string()
    );
    // Twelve bytes of 0xFF: eight glyphs of 4095, U+5DFF.
    assert_eq!(
        encode(&[0xFF; 12], false, false).unwrap(),
        "\u{5DFF}".repeat(8)
    );
    assert_eq!(
        encode(b"a", false, true).unwrap(),
        format!("\u{2616}{}\u{2616}", glyph(0x610))
    );
    assert_eq!(
        encode(b"", true, true).unwrap().chars().next(),
        Some('\u{2617}')
    );
}

#[test]
fn decode_recognises_the_alphabet_by_marker_or_first_glyph() {
    let message = encode(b"hello", false, true).unwrap();
    assert_eq!(twuu::decode_str(&message, AUTO).unwrap(), b"hello");
    let bare = encode(b"hello", false, false).unwrap();
    assert_eq!(twuu::decode_str(&bare, AUTO).unwrap(), b"hello");
    let compressed = encode(b"hello hello hello", true, true).unwrap();
    assert_eq!(
        twuu::decode_str(&format!("\r\n\n{compressed}\n"), AUTO).unwrap(),
        b"hello hello hello"
    );
    let bare = encode(b"hi", true, false).unwrap();
    let zlib = DecodeOptions { zlib: true, ..AUTO };
    assert_eq!(twuu::decode_str(&bare, zlib).unwrap(), b"hi");
}

#[test]
fn foreign_glyphs_and_markers_are_refused_with_their_place() {
    // A 2048 glyph inside a 4096 message, and the other alphabet's marker.
    for (text, ch, position) in [
        (format!("{}\u{3E4}", glyph(1)), '\u{3E4}', 2),
        (format!("\u{2616}{}\u{2639}", glyph(1)), '\u{2639}', 3),
        (format!("{}{}\u{5E00}", glyph(1), glyph(2)), '\u{5E00}', 3),
    ] {
        match twuu::decode_str(&text, AUTO) {
            Err(Error::NotAGlyph {
                ch: c,
                position: p,
                alphabet: Alphabet::A4096,
                ..
            }) if c == ch && p == position => {}
            other => panic!("{text:?}: {other:?}"),
        }
    }
    // A 4096 glyph inside a 2048 message.
    let text = format!("\u{3E4}{}", glyph(0));
    assert!(matches!(
        twuu::decode_str(&text, AUTO),
        Err(Error::NotAGlyph {
            position: 2,
            alphabet: Alphabet::A2048,
            ..
        })
    ));
    let err = twuu::decode_str(&format!("{}~", glyph(0)), AUTO).unwrap_err();
    assert!(err.to_string().contains("\u{2616} and \u{2617}"), "{err}");
}

#[test]
fn plain_input_ending_in_nul_is_refused_here_too() {
    assert!(matches!(
        encode(b"ab\0", false, true),
        Err(Error::TrailingNul)
    ));
    let message = encode(b"ab\0", true, true).unwrap();
    assert_eq!(twuu::decode_str(&message, AUTO).unwrap(), b"ab\0");
}

#[test]
fn long_inputs_cross_every_internal_chunk_boundary() {
    let data: Vec<u8> = (0..1_000_003u32)
        .map(|i| (i * 31 % 255 + 1) as u8)
        .collect();
    let text = encode(&data, false, true).unwrap();
    assert_eq!(text.chars().count(), (data.len() * 2).div_ceil(3) + 2);
    assert_eq!(twuu::decode_str(&text, AUTO).unwrap(), data);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn bytes_not_ending_in_nul_round_trip_in_plain_mode(
        mut data in proptest::collection::vec(any::<u8>(), 0..3000),
        markers in any::<bool>(),
    ) {
        if data.last() == Some(&0) {
            data.pop();
            data.push(1);
        }
        let text = encode(&data, false, markers).unwrap();
        prop_assert_eq!(text.chars().count(), data.len() * 2 / 3 + usize::from(data.len() % 3 != 0) + if markers { 2 } else { 0 });
        prop_assert_eq!(twuu::decode_str(&text, AUTO).unwrap(), data);
    }

    #[test]
    fn any_bytes_round_trip_in_zlib_mode(
        data in proptest::collection::vec(any::<u8>(), 0..3000),
    ) {
        let text = encode(&data, true, true).unwrap();
        prop_assert_eq!(twuu::decode_str(&text, AUTO).unwrap(), data);
    }

    #[test]
    fn every_glyph_is_a_cjk_ideograph_of_the_range(
        data in proptest::collection::vec(any::<u8>(), 1..500),
    ) {
        let text = encode(&data, true, false).unwrap();
        for c in text.chars() {
            prop_assert!((FIRST_4096..FIRST_4096 + 4096).contains(&(c as u32)), "{:?}", c);
        }
    }

    #[test]
    fn the_decoder_never_panics_on_mixed_glyph_soup(
        values in proptest::collection::vec(0u32..4200, 0..200),
        zlib in any::<bool>(),
    ) {
        let text: String = std::iter::once('\u{2616}')
            .chain(values.iter().map(|&v| match v {
                0..4096 => glyph(v),
                4096..4100 => ['\u{2616}', '\u{2617}', '\u{2639}', '\n'][(v - 4096) as usize],
                _ => char::from_u32(twuu::GLYPHS[(v - 4100) as usize]).unwrap(),
            }))
            .collect();
        let _ = twuu::decode_str(&text, DecodeOptions { zlib, ..AUTO });
    }
}

#[test]
fn for_picks_the_alphabet_that_counts_least_on_that_platform() {
    let data: Vec<u8> = (0..3000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 | 1)
        .collect();
    for platform in twuu::Platform::ALL {
        let length = |alphabet| {
            let mut out = Vec::new();
            let options = EncodeOptions {
                zlib: false,
                markers: true,
                alphabet,
            };
            twuu::encode(&data[..], &mut out, options).unwrap();
            platform.length(&String::from_utf8(out).unwrap())
        };
        let best = platform.densest_alphabet();
        let other = [Alphabet::A2048, Alphabet::A4096]
            .into_iter()
            .find(|&a| a != best)
            .unwrap();
        assert!(length(best) < length(other), "{platform:?}");
    }
}
