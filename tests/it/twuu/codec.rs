//! The twuu codec as a library: golden vectors computed by hand from the format's facts, the
//! post's figures, and properties over arbitrary input.

use proptest::prelude::*;
use tool::twuu::{
    self, DEFAULT_MAX_SIZE, DecodeOptions, EncodeOptions, Error, decode_str, encode_to_string,
};

const GETTYSBURG: &str = "Four score and seven years ago our fathers brought forth on this \
    continent a new nation, conceived in Liberty, and dedicated to the proposition that all men \
    are created equal.";

const PLAIN: DecodeOptions = DecodeOptions {
    zlib: false,
    max_size: DEFAULT_MAX_SIZE,
};

fn encode(data: &[u8], zlib: bool, markers: bool) -> Result<String, Error> {
    let alphabet = twuu::Alphabet::A2048;
    twuu::encode_str(
        data,
        EncodeOptions {
            zlib,
            markers,
            alphabet,
        },
    )
}

fn decode(text: &str) -> Result<Vec<u8>, Error> {
    decode_str(text, PLAIN)
}

/// The original's encoder, restated: every block's eight glyphs, then every trailing value-0
/// glyph stripped.
fn original_encode(data: &[u8]) -> String {
    let full = data.len().div_ceil(11) * 11;
    let mut padded = data.to_vec();
    padded.resize(full, 0);
    let mut out = String::new();
    for block in padded.chunks(11) {
        let mut wide = [0u8; 16];
        wide[..11].copy_from_slice(block);
        let bits = u128::from_be_bytes(wide);
        for i in 0..8 {
            let value = (bits >> (128 - 11 * (i + 1))) & 0x7FF;
            out.push(char::from_u32(twuu::GLYPHS[value as usize]).unwrap());
        }
    }
    out.trim_end_matches(' ').to_string()
}

#[test]
fn hand_computed_vectors() {
    // 'a' = 0x61: 01100001 + 000 = 776, the 21st code point of [0x3D0, 0x3FF).
    assert_eq!(encode_to_string(b"a"), "\u{3E4}");
    // 0xFF: 11111111 + 000 = 2040, the 39th code point of [0x27C0, 0x27EB).
    assert_eq!(encode_to_string(&[0xFF]), "\u{27E6}");
    // NUL then 'a': 00000000011 = 3 is '#'; 00001 + 000000 = 64 is '`'.
    assert_eq!(encode_to_string(b"\0a"), "#`");
    // 11 bytes of 0xFF: eight glyphs of 2047, the 2048th code point, U+27F2.
    assert_eq!(encode_to_string(&[0xFF; 11]), "\u{27F2}".repeat(8));
    // 12 bytes: the twelfth starts a new block.
    assert_eq!(
        encode_to_string(&[0xFF; 12]),
        "\u{27F2}".repeat(8) + "\u{27E6}"
    );
    assert_eq!(encode_to_string(b""), "");
}

#[test]
fn the_original_flaw_is_mended_where_it_lost_data() {
    // ". " = 0x2E 0x20: 00101110001 = 369 is U+01B6; the second glyph holds 00000 of the space
    // and padding, value 0, which the original stripped, so its decoder gave back ".".
    assert_eq!(original_encode(b". "), "\u{1B6}");
    assert_eq!(decode("\u{1B6}").unwrap(), b".");
    assert_eq!(encode_to_string(b". "), "\u{1B6} ");
    assert_eq!(decode("\u{1B6} ").unwrap(), b". ");
}

#[test]
fn decoding_keeps_whole_bytes_and_strips_trailing_nuls() {
    assert_eq!(decode("\u{3E4}").unwrap(), b"a");
    assert_eq!(decode(&"\u{27F2}".repeat(8)).unwrap(), [0xFF; 11]);
    // Eight glyphs of value 0 are eleven NUL bytes, all trailing.
    assert_eq!(decode("        ").unwrap(), b"");
    // NULs in the middle stay.
    assert_eq!(decode("#`").unwrap(), b"\0a");
    // Markers are dropped wherever they stand, as the original does.
    assert_eq!(decode("\u{2639}\u{3E4}\u{2639}").unwrap(), b"a");
    assert_eq!(decode("\u{3E4}\u{2639}").unwrap(), b"a");
}

#[test]
fn the_posts_figures() {
    let plain = encode(GETTYSBURG.as_bytes(), false, false).unwrap();
    assert_eq!(GETTYSBURG.len(), 175);
    assert_eq!(plain.chars().count(), 128);
    assert_eq!(
        encode(GETTYSBURG.as_bytes(), false, true)
            .unwrap()
            .chars()
            .count(),
        130
    );
    let zlib = encode(GETTYSBURG.as_bytes(), true, false).unwrap();
    assert_eq!(zlib.chars().count(), 93);
    let marked = encode(GETTYSBURG.as_bytes(), true, true).unwrap();
    assert_eq!(marked.chars().count(), 95);
    assert!(marked.starts_with('\u{263A}') && marked.ends_with('\u{263A}'));
    assert_eq!(decode_str(&marked, PLAIN).unwrap(), GETTYSBURG.as_bytes());
    assert_eq!(plain, original_encode(GETTYSBURG.as_bytes()));
}

#[test]
fn stats_count_glyphs_and_weight() {
    let s = twuu::stats(
        GETTYSBURG.as_bytes(),
        EncodeOptions {
            zlib: false,
            markers: true,
            alphabet: twuu::Alphabet::A2048,
        },
        &twuu::Platform::ALL,
    )
    .unwrap();
    assert_eq!((s.bytes_in, s.glyphs), (175, 130));
    let text = encode(GETTYSBURG.as_bytes(), false, true).unwrap();
    assert_eq!(s.weighted_length, twuu::weighted_length(&text));
    assert!(s.weighted_length > s.glyphs, "three-byte glyphs weigh 2");
    assert!(s.fits);
    assert_eq!(s.platforms[&twuu::Platform::X].length, s.weighted_length);
    assert_eq!(s.platforms[&twuu::Platform::Mastodon].length, 130);
}

#[test]
fn plain_input_ending_in_nul_is_refused() {
    assert!(matches!(
        encode(b"a\0", false, true),
        Err(Error::TrailingNul)
    ));
    assert!(matches!(
        encode(b"\0", false, false),
        Err(Error::TrailingNul)
    ));
    let zlib = encode(b"a\0\0", true, true).unwrap();
    assert_eq!(decode_str(&zlib, PLAIN).unwrap(), b"a\0\0");
}

#[test]
fn a_zlib_stream_that_ends_in_nul_still_comes_back() {
    // About one input in 256 has an Adler-32 ending in a zero byte; the decoder strips it and the
    // inflater must give it back.
    let found = (0..5000u32)
        .map(|i| {
            (0..40u32)
                .map(|j| (i.wrapping_mul(31).wrapping_add(j * j) % 251) as u8)
                .collect::<Vec<u8>>()
        })
        .find(|m| {
            let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
            std::io::Write::write_all(&mut z, m).unwrap();
            z.finish().unwrap().last() == Some(&0)
        })
        .expect("some message has a zlib stream ending in NUL");
    let text = encode(&found, true, true).unwrap();
    assert_eq!(decode_str(&text, PLAIN).unwrap(), found);
}

fn zlib_options(max_size: u64) -> DecodeOptions {
    DecodeOptions {
        zlib: true,
        max_size,
    }
}

#[test]
fn zlib_errors() {
    assert!(matches!(
        decode_str("\u{263A}\u{3E4}\u{263A}", PLAIN),
        Err(Error::NotZlib(_))
    ));
    assert!(matches!(
        decode_str("", zlib_options(10)),
        Err(Error::NotZlib(_))
    ));
    let text = encode(GETTYSBURG.as_bytes(), true, false).unwrap();
    let cut: String = text.chars().take(60).collect();
    assert!(matches!(
        decode_str(&cut, zlib_options(1000)),
        Err(Error::TruncatedZlib)
    ));
    assert!(matches!(
        decode_str(&text, zlib_options(100)),
        Err(Error::TooLarge { limit: 100 })
    ));
    assert_eq!(
        decode_str(&text, zlib_options(175)).unwrap(),
        GETTYSBURG.as_bytes()
    );
    let doubled = format!("{text}{}", encode(b"x", true, false).unwrap());
    assert!(matches!(
        decode_str(&doubled, zlib_options(1000)),
        Err(Error::TrailingAfterZlib)
    ));
}

#[test]
fn characters_outside_the_alphabet_are_named_with_their_place() {
    match decode("\u{3E4}\u{3E4}~") {
        Err(Error::NotAGlyph {
            ch: '~',
            position: 3,
            byte_offset: 4,
            alphabet: twuu::Alphabet::A2048,
        }) => {}
        other => panic!("{other:?}"),
    }
    // The twelve code points the original lists after the 2048th are not glyphs.
    let err = decode("\u{27F3}").unwrap_err();
    assert!(err.to_string().contains("after the 2048th glyph"), "{err}");
    // Line breaks around the message are fine, inside it they are not.
    assert_eq!(decode("\n\r\n\u{3E4}\n\n").unwrap(), b"a");
    assert!(matches!(
        decode("\u{3E4}\n\u{3E4}"),
        Err(Error::NotAGlyph {
            ch: '\n',
            position: 2,
            ..
        })
    ));
    assert!(matches!(
        decode_str("\u{3E4}\t", PLAIN),
        Err(Error::NotAGlyph { .. })
    ));
}

#[test]
fn invalid_utf8_is_refused_with_its_offset() {
    let mut out = Vec::new();
    let err = twuu::decode(&b"ab\xFFc"[..], &mut out, PLAIN).unwrap_err();
    assert!(
        matches!(err, Error::InvalidUtf8 { byte_offset: 2 }),
        "{err:?}"
    );
    let err = twuu::decode(&b"ab\xE2\x98"[..], &mut out, PLAIN).unwrap_err();
    assert!(
        matches!(err, Error::InvalidUtf8 { byte_offset: 2 }),
        "{err:?}"
    );
}

#[test]
fn long_inputs_cross_every_internal_chunk_boundary() {
    // Larger than the 64 KiB chunks of both directions, with NUL runs across chunk edges.
    let mut data: Vec<u8> = (0..300_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    for run in [65_530..65_600, 131_000..140_000] {
        data[run].fill(0);
    }
    let text = encode_to_string(&data);
    assert_eq!(text, original_encode(&data));
    assert_eq!(decode(&text).unwrap(), data);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_bytes_round_trip_in_zlib_mode(data in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let text = encode(&data, true, true).unwrap();
        prop_assert_eq!(decode_str(&text, PLAIN).unwrap(), data);
    }

    #[test]
    fn bytes_not_ending_in_nul_round_trip_in_plain_mode(
        mut data in proptest::collection::vec(any::<u8>(), 0..2000),
        last in 1u8..=255,
        markers in any::<bool>(),
    ) {
        data.push(last);
        let text = encode(&data, false, markers).unwrap();
        prop_assert_eq!(decode_str(&text, PLAIN).unwrap(), data);
    }

    #[test]
    fn output_equals_the_originals_wherever_the_original_is_lossless(
        data in proptest::collection::vec(any::<u8>(), 1..200),
    ) {
        let original = original_encode(&data);
        let ours = encode_to_string(&data);
        if decode(&original).unwrap() == data {
            prop_assert_eq!(ours, original);
        } else if data.last() != Some(&0) {
            // Where the original lost data, its decoder still gets the input from ours.
            prop_assert!(ours.starts_with(&original));
            prop_assert_eq!(decode(&ours).unwrap(), data);
        }
    }

    #[test]
    fn low_zero_bits_at_the_end_still_round_trip(
        mut data in proptest::collection::vec(any::<u8>(), 0..40),
        last in 1u8..=255,
        zero_bits in 1u32..8,
    ) {
        // Force the last byte's low bits to zero, the case the original loses.
        data.push(((last >> zero_bits).max(1)) << zero_bits);
        prop_assert_eq!(decode(&encode_to_string(&data)).unwrap(), data);
    }

    #[test]
    fn the_decoder_never_panics(text in any::<String>(), zlib in any::<bool>()) {
        let _ = decode_str(&text, DecodeOptions { zlib, max_size: 1 << 20 });
    }

    #[test]
    fn the_decoder_never_panics_on_glyph_soup(
        values in proptest::collection::vec(0usize..2048, 0..300),
        zlib in any::<bool>(),
    ) {
        let text: String = values.iter().map(|&v| char::from_u32(twuu::GLYPHS[v]).unwrap()).collect();
        let _ = decode_str(&text, DecodeOptions { zlib, max_size: 1 << 20 });
    }

    #[test]
    fn invalid_utf8_is_found_where_std_finds_it(
        values in proptest::collection::vec(0usize..2048, 1..200),
        at in any::<prop::sample::Index>(),
        junk in proptest::collection::vec(any::<u8>(), 1..4),
    ) {
        let text: String = values.iter().map(|&v| char::from_u32(twuu::GLYPHS[v]).unwrap()).collect();
        let mut bytes = text.into_bytes();
        let at = at.index(bytes.len());
        bytes.splice(at..at, junk);
        let mut out = Vec::new();
        let ours = twuu::decode(&bytes[..], &mut out, PLAIN);
        match std::str::from_utf8(&bytes) {
            Ok(text) => prop_assert!(
                ours.is_ok() || matches!(ours, Err(Error::NotAGlyph { .. })),
                "{:?} on {:?}", ours, text
            ),
            Err(e) => {
                let before_ok = std::str::from_utf8(&bytes[..e.valid_up_to()])
                    .unwrap()
                    .chars()
                    .all(|c| twuu::value_of(c).is_some());
                if before_ok {
                    let expected = e.valid_up_to() as u64;
                    prop_assert!(
                        matches!(ours, Err(Error::InvalidUtf8 { byte_offset }) if byte_offset == expected),
                        "{:?}, expected invalid UTF-8 at {}", ours, expected
                    );
                } else {
                    prop_assert!(ours.is_err());
                }
            }
        }
    }

    #[test]
    fn the_decoder_never_panics_on_arbitrary_bytes(data in proptest::collection::vec(any::<u8>(), 0..500)) {
        let mut out = Vec::new();
        let _ = twuu::decode(&data[..], &mut out, PLAIN);
    }
}
