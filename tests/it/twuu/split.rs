//! `tool twuu split`: a message cut into numbered posts that each fit a platform, and `decode`
//! putting them back in any order, naming any that is missing.

use crate::support;

use proptest::prelude::*;
use support::{assert_fails, assert_succeeds, run};
use tool::twuu::{self, Alphabet, DecodeOptions, Platform, SplitOptions};

const DECODE: DecodeOptions = DecodeOptions {
    zlib: false,
    max_size: twuu::DEFAULT_MAX_SIZE,
};

/// Bytes that look random (zlib cannot shrink them) and do not end in NUL, so plain mode
/// carries them too.
fn data(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed;
    let mut bytes: Vec<u8> = (0..len)
        .map(|_| {
            // splitmix64
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            (z ^ (z >> 31)) as u8
        })
        .collect();
    if let Some(last) = bytes.last_mut() {
        *last |= 1;
    }
    bytes
}

/// A post's number, total, marker and glyphs.
fn parts(post: &str) -> (usize, usize, char, &str) {
    let (header, message) = post.split_once(' ').expect("N/M then a space");
    let (number, total) = header.split_once('/').expect("N/M");
    let marker = message.chars().next().expect("a marker");
    let glyphs = &message[marker.len_utf8()..message.len() - marker.len_utf8()];
    assert!(message.ends_with(marker), "{post}");
    (
        number.parse().unwrap(),
        total.parse().unwrap(),
        marker,
        glyphs,
    )
}

/// Every post fits, is numbered 1 to the total in order, and is full: one glyph more (the next
/// post's first) would not fit.
fn assert_posts_fit(posts: &[String], platform: Platform) {
    let total = posts.len();
    for (i, post) in posts.iter().enumerate() {
        let (number, of, marker, glyphs) = parts(post);
        assert_eq!((number, of), (i + 1, total), "{post}");
        let length = platform.length(post);
        assert!(length <= platform.limit(), "{platform:?} {length}: {post}");
        if let Some(next) = posts.get(i + 1) {
            let first = parts(next).3.chars().next().expect("a post holds a glyph");
            let longer = format!("{number}/{total} {marker}{glyphs}{first}{marker}");
            assert!(
                platform.length(&longer) > platform.limit(),
                "post {number} could hold one more glyph on {platform:?}"
            );
        }
    }
}

fn join_and_decode(posts: &[String]) -> Result<Vec<u8>, twuu::Error> {
    let message = twuu::join_posts(posts.join("\n").as_bytes(), 1)?;
    twuu::decode_str(&message, DECODE)
}

#[test]
fn each_platform_gets_full_posts_that_decode_in_any_order() {
    let input = data(5000, 7);
    for platform in Platform::ALL {
        for zlib in [false, true] {
            for alphabet in [Alphabet::A2048, Alphabet::A4096] {
                let options = SplitOptions {
                    zlib,
                    alphabet,
                    platform,
                };
                let posts = twuu::split(&input[..], options).unwrap();
                assert!(posts.len() > 1, "{options:?}");
                assert_posts_fit(&posts, platform);
                let (plain, compressed) = alphabet.markers();
                let marker = if zlib { compressed } else { plain };
                assert!(posts.iter().all(|p| parts(p).2 == marker));
                let mut shuffled = posts.clone();
                shuffled.reverse();
                shuffled.swap(0, posts.len() / 2);
                assert_eq!(join_and_decode(&shuffled).unwrap(), input, "{options:?}");
            }
        }
    }
}

#[test]
fn the_glyphs_of_the_posts_are_the_message() {
    let input = data(3000, 1);
    let options = SplitOptions {
        zlib: false,
        alphabet: Alphabet::A2048,
        platform: Platform::X,
    };
    let posts = twuu::split(&input[..], options).unwrap();
    let glyphs: String = posts.iter().map(|p| parts(p).3).collect();
    assert_eq!(glyphs, twuu::encode_to_string(&input));
}

#[test]
fn the_total_gets_as_many_digits_as_it_needs() {
    // About 110 posts on X: a header of 6 to 8 characters.
    let input = data(40_000, 3);
    let options = SplitOptions {
        zlib: false,
        alphabet: Alphabet::A2048,
        platform: Platform::X,
    };
    let posts = twuu::split(&input[..], options).unwrap();
    assert!(posts.len() >= 100, "{}", posts.len());
    assert!(posts[0].starts_with(&format!("1/{} ", posts.len())));
    assert_posts_fit(&posts, Platform::X);
    assert_eq!(join_and_decode(&posts).unwrap(), input);
}

#[test]
fn a_short_message_is_one_post_and_nothing_is_one_empty_post() {
    let out = assert_succeeds(&run(&["twuu", "split", "--for", "x"], b"a"));
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "1/1 \u{2639}\u{3E4}\u{2639}\n"
    );
    let out = assert_succeeds(&run(&["twuu", "split", "--for", "bluesky"], b""));
    assert_eq!(
        String::from_utf8(out.clone()).unwrap(),
        "1/1 \u{2616}\u{2616}\n"
    );
    assert!(assert_succeeds(&run(&["twuu", "decode"], &out)).is_empty());
}

#[test]
fn the_command_line_splits_files_and_stdin_one_a_line_or_nul_separated() {
    let input = data(4000, 9);
    let dir = std::env::temp_dir().join(format!("tool-twuu-split-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("in.bin");
    std::fs::write(&path, &input).unwrap();
    let path = path.to_str().unwrap();
    for platform in Platform::ALL {
        let name = platform.name();
        let lines = assert_succeeds(&run(&["twuu", "split", "--for", name, path], b""));
        let lines = String::from_utf8(lines).unwrap();
        let posts: Vec<String> = lines.lines().map(String::from).collect();
        assert!(lines.ends_with('\n'));
        assert_posts_fit(&posts, platform);
        let shuffled: String = posts.iter().rev().map(|p| format!("{p}\r\n")).collect();
        let out = assert_succeeds(&run(&["twuu", "decode"], shuffled.as_bytes()));
        assert_eq!(out, input, "{name}");
        let nul = assert_succeeds(&run(&["twuu", "split", "-0", "--for", name], &input));
        let nul = String::from_utf8(nul).unwrap();
        assert_eq!(nul, lines.replace('\n', "\0"));
        assert_eq!(
            assert_succeeds(&run(&["twuu", "decode"], nul.as_bytes())),
            input
        );
    }
    let zlib = assert_succeeds(&run(
        &[
            "twuu",
            "split",
            "--for",
            "x",
            "--zlib",
            "--alphabet",
            "4096",
            path,
        ],
        b"",
    ));
    assert!(String::from_utf8_lossy(&zlib).starts_with("1/"));
    assert!(String::from_utf8_lossy(&zlib).contains(" \u{2617}"));
    assert_eq!(assert_succeeds(&run(&["twuu", "decode"], &zlib)), input);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Posts of a message long enough for five on X.
fn five_posts() -> Vec<String> {
    let options = SplitOptions {
        zlib: true,
        alphabet: Alphabet::A2048,
        platform: Platform::X,
    };
    let posts = twuu::split(&data(1200, 5)[..], options).unwrap();
    assert_eq!(posts.len(), 5);
    posts
}

fn decode_posts(posts: &[&str]) -> std::process::Output {
    run(&["twuu", "decode"], posts.join("\n").as_bytes())
}

#[test]
fn a_missing_post_is_named_and_nothing_is_written() {
    let posts = five_posts();
    let p: Vec<&str> = posts.iter().map(String::as_str).collect();
    assert_fails(
        &decode_posts(&[p[4], p[0], p[1], p[3]]),
        &["<stdin>", "post 3 of 5 is missing", "add it"],
    );
    assert_fails(
        &decode_posts(&[p[2]]),
        &["posts 1, 2, 4 and 5 of 5 are missing", "add them"],
    );
    // A copy of a post is fine.
    let out = decode_posts(&[p[0], p[1], p[1], p[2], p[3], p[4]]);
    assert_eq!(assert_succeeds(&out), data(1200, 5));
}

#[test]
fn many_missing_posts_are_counted() {
    let message = "\u{2639}ab\u{2639}";
    let one = format!("7/300 {message}");
    assert_fails(
        &decode_posts(&[&one]),
        &["posts 1, 2, 3, 4, 5, 6, 8, 9, 10, 11 and 289 more of 300 are missing"],
    );
}

#[test]
fn posts_that_do_not_make_one_message_are_refused() {
    let posts = five_posts();
    let p: Vec<&str> = posts.iter().map(String::as_str).collect();
    let other_total = p[1].replacen("2/5", "2/6", 1);
    assert_fails(
        &decode_posts(&[p[0], &other_total]),
        &["line 2 belongs to another message than the one on line 1"],
    );
    let other_marker = p[1].replace('\u{263A}', "\u{2639}");
    assert_fails(
        &decode_posts(&[p[0], &other_marker]),
        &["line 2 belongs to another message"],
    );
    let changed = p[1].replacen(' ', "  ", 1);
    assert_fails(
        &decode_posts(&[p[0], &changed]),
        &["line 2 is not a numbered post"],
    );
    let differs = p[3].replacen("4/5", "2/5", 1);
    assert_fails(
        &decode_posts(&[p[0], p[1], p[2], &differs]),
        &["post 2/5 is given twice, differently, on lines 2 and 4"],
    );
    let zero = p[0].replacen("1/5", "0/5", 1);
    assert_fails(
        &decode_posts(&[&zero]),
        &["post 0/5 is numbered outside 1 to 5"],
    );
    let six = p[0].replacen("1/5", "6/5", 1);
    assert_fails(&decode_posts(&[p[0], &six]), &["post 6/5"]);
    // Leading line breaks count as lines.
    let text = format!("\n\r\n{}\nhello\n", p[0]);
    assert_fails(
        &run(&["twuu", "decode"], text.as_bytes()),
        &["line 4 is not a numbered post"],
    );
    let bad_glyph = p[2].replacen('\u{263A}', "\u{263A}~", 1);
    assert_fails(
        &decode_posts(&[&bad_glyph]),
        &["post 3/5: U+007E at character 6 is not a twuuenc glyph"],
    );
    let four = "1/1 \u{2616}\u{4E00}~\u{2616}";
    assert_fails(&decode_posts(&[four]), &["post 1/1: U+007E at character 7"]);
    let mut not_utf8 = b"1/1 \xE2\x98\xB9ab\xE2\x98\xB9\n2/2 \xFF".to_vec();
    not_utf8.push(b'\n');
    assert_fails(
        &run(&["twuu", "decode"], &not_utf8),
        &["line 2 is not UTF-8"],
    );
}

#[test]
fn split_refuses_what_encode_refuses_and_needs_a_platform() {
    let msg = assert_fails(
        &run(&["twuu", "split", "--for", "x"], b"abc\0"),
        &["--zlib"],
    );
    assert!(msg.contains("NUL"), "{msg}");
    let out = assert_succeeds(&run(&["twuu", "split", "--for", "x", "--zlib"], b"abc\0"));
    assert_eq!(assert_succeeds(&run(&["twuu", "decode"], &out)), b"abc\0");
    assert_fails(
        &run(&["twuu", "split", "--for", "x", "/nonexistent/in"], b""),
        &["/nonexistent/in"],
    );
    for args in [
        &["twuu", "split"][..],
        &["twuu", "split", "--for", "myspace"],
        &["twuu", "split", "--for", "x", "--alphabet", "1024"],
        &["twuu", "split", "--for", "x", "--no-markers"],
    ] {
        let out = run(args, b"");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_bytes_split_and_join_in_any_order(
        data in proptest::collection::vec(any::<u8>(), 0..3000),
        zlib in any::<bool>(),
        alphabet in prop::sample::select(&[Alphabet::A2048, Alphabet::A4096][..]),
        platform in prop::sample::select(&Platform::ALL[..]),
        order in any::<prop::sample::Index>(),
    ) {
        let zlib = zlib || data.last() == Some(&0);
        let options = SplitOptions { zlib, alphabet, platform };
        let mut posts = twuu::split(&data[..], options).unwrap();
        assert_posts_fit(&posts, platform);
        let at = order.index(posts.len());
        posts.rotate_left(at);
        prop_assert_eq!(join_and_decode(&posts).unwrap(), data);
    }

    #[test]
    fn joining_any_text_never_panics(text in "[0-9/ \n\r\u{2639}\u{263A}\u{2616}\u{4E00}a~]{0,80}") {
        let _ = twuu::join_posts(text.as_bytes(), 1);
        let _ = twuu::opens_a_post(text.as_bytes());
    }

    #[test]
    fn joining_any_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = twuu::join_posts(&bytes, 1);
        let _ = twuu::opens_a_post(&bytes);
    }
}
