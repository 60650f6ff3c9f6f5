//! How long a message is on each platform, against the platforms' own code run with node: the
//! npm package twitter-text 3.1.0 for X (URLs included), code points for Mastodon, and ICU's
//! grapheme clusters (Intl.Segmenter) for Bluesky. The package is installed once into the
//! target directory.

use crate::support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;
use tool::twuu::{self, Platform};

const TWITTER_TEXT: &str = "twitter-text@3.1.0";

/// The directory holding node_modules/twitter-text, installed on first use; None (after a loud
/// message) when node or npm is missing and CI is not set. The tests of this file run in parallel
/// and each asks for it, so one installs while the others wait: two npm installs into one prefix
/// break each other.
fn reference() -> Option<PathBuf> {
    static INSTALLED: Mutex<bool> = Mutex::new(false);
    if !support::require("node", "runs the platforms' own counting code")
        || !support::require("npm", "installs the npm package twitter-text")
    {
        return None;
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("twitter-text-3.1.0");
    let mut installed = INSTALLED.lock().unwrap_or_else(|e| e.into_inner());
    if !*installed && !dir.join("node_modules/twitter-text/package.json").exists() {
        // Installed beside and renamed into place, so that an interrupted install is never
        // taken for a finished one.
        let partial = dir.with_extension("partial");
        let _ = std::fs::remove_dir_all(&partial);
        std::fs::create_dir_all(&partial).unwrap();
        support::assert_ran(
            Command::new("npm")
                .args([
                    "install",
                    "--no-audit",
                    "--no-fund",
                    "--loglevel=error",
                    "--prefix",
                ])
                .arg(&partial)
                .arg(TWITTER_TEXT)
                .output()
                .expect("npm runs"),
            "npm install twitter-text",
        );
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::rename(&partial, &dir).unwrap();
    }
    *installed = true;
    Some(dir)
}

fn node(dir: &Path, arg: Option<&str>, stdin: &str) -> Value {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/support/platforms.js");
    let mut child = Command::new("node")
        .arg(script)
        .args(arg)
        .env("NODE_PATH", dir.join("node_modules"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = support::assert_ran(child.wait_with_output().unwrap(), "node platforms.js");
    serde_json::from_slice(&out.stdout).expect("the reference answers JSON")
}

/// Asserts that every text counts the same here as in the reference, on every platform or
/// (`with_x` false) on Mastodon and Bluesky; returns how many texts hold a URL.
fn assert_counts_match<S: AsRef<str> + serde::Serialize>(
    dir: &Path,
    texts: &[S],
    with_x: bool,
) -> usize {
    let theirs = node(dir, None, &serde_json::to_string(texts).unwrap());
    for (text, theirs) in texts.iter().zip(theirs.as_array().unwrap()) {
        let text = text.as_ref();
        let x = |n: u64| if with_x { n } else { 0 };
        let ours = [
            x(Platform::X.length(text)),
            Platform::Mastodon.length(text),
            Platform::Bluesky.length(text),
        ];
        let expected = [
            x(theirs["x"].as_u64().unwrap()),
            theirs["code_points"].as_u64().unwrap(),
            theirs["graphemes"].as_u64().unwrap(),
        ];
        assert_eq!(
            ours,
            expected,
            "x, mastodon, bluesky for {text:?} (twitter-text found {} URLs, we {})",
            theirs["urls"],
            twuu::urls(text).len()
        );
    }
    let with_urls = theirs.as_array().unwrap().iter();
    with_urls.filter(|t| t["urls"].as_u64() > Some(0)).count()
}

#[test]
fn the_url_patterns_are_twitter_texts() {
    let Some(dir) = reference() else { return };
    let theirs = node(&dir, Some("patterns"), "");
    assert_eq!(theirs["version"], "3.1.0");
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/data/twitter-text/");
    for (key, file) in [
        ("extractUrl", "extract_url.re"),
        ("validAsciiDomain", "valid_ascii_domain.re"),
    ] {
        let ours = std::fs::read_to_string(format!("{data}{file}")).unwrap();
        assert_eq!(theirs[key][0].as_str().unwrap(), ours.trim_end(), "{file}");
        assert_eq!(theirs[key][1], "gi", "{file} is used with the flags gi");
    }
}

#[test]
fn urls_and_weights_count_as_twitter_text_does() {
    let Some(dir) = reference() else { return };
    let long = "a".repeat(60) + "." + &"b".repeat(70) + ".com";
    let texts = [
        "x.com",
        "ab x.com",
        "abx.com",
        "a x.comx",
        "x.co",
        "-x.com",
        ".x.com",
        "/x.com",
        "_x.com",
        "x.com/a?b=c",
        "x.com?b=c",
        "x.com:8080/p",
        "a.b.c.x.co.uk/path(x)",
        "http://foo.bar/baz?x=1 a",
        "https://t.co/abcdef?x=y.z",
        "http://t.co/0123456789012345678901234567890123456789012",
        "xn--abc.com",
        "xn--ab\u{416}.com",
        "www.\u{416}\u{416}.com",
        "\u{416}\u{416}.com a.\u{440}\u{444}",
        "http://\u{416}\u{416}.\u{440}\u{444}",
        "\u{3E4}\u{2639}x.com\u{2639}",
        "a.co.b.co.c.co",
        "email@x.com #x.com $x.com",
        "\u{A9} \u{AE} \u{2702} \u{2705} \u{2764}",
        "\u{417}\u{483}\u{489}",
        &long,
    ];
    let with_urls = assert_counts_match(&dir, &texts, true);
    assert!(with_urls > 12, "only {with_urls} texts hold a URL");
}

#[test]
fn graphemes_count_as_icu_does() {
    let Some(dir) = reference() else { return };
    // Emoji ZWJ sequences, skin tones, flags, keycaps and stacked combining marks. X is left
    // out here: twitter-text weighs a multi-code-point emoji as 2, which `tool` does not
    // restate, since no twuu message holds one.
    let texts = [
        "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}",
        "\u{1F44D}\u{1F3FD} \u{1F3F3}\u{FE0F}\u{200D}\u{1F308}",
        "\u{1F1EB}\u{1F1F7}\u{1F1E9}",
        "1\u{FE0F}\u{20E3}#",
        "e\u{301}\u{301}a\u{308}\u{323}",
        "\u{417}\u{483}\u{489}\u{3E4}",
        "\u{1100}\u{1161}\u{11A8}\u{AC00}",
        "\r\n\u{915}\u{94D}\u{937}",
    ];
    assert_counts_match(&dir, &texts, false);
}

/// Glyphs of the 2048 alphabet, with pieces of URLs mixed in so that many texts hold some.
fn glyph_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => (0..twuu::GLYPH_COUNT)
            .prop_map(|v| char::from_u32(twuu::GLYPHS[v]).unwrap().to_string()),
        2 => prop::sample::select(&b"abcdexkmnorstuwz.:/-_?=@#("[..])
            .prop_map(|b| char::from(b).to_string()),
        1 => prop::sample::select(&['\u{2639}', '\u{263A}', ' ', '\u{483}', '\u{416}'][..])
            .prop_map(String::from),
        2 => prop::sample::select(
            &[
                ".com", ".co", ".uk", ".jp", ".\u{440}\u{444}", ".xyz", ".museum", "http://",
                "https://", "t.co/", "www.", "xn--", "/", "?", "#",
            ][..]
        )
        .prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

#[test]
fn random_glyph_runs_count_as_the_platforms_do() {
    let Some(dir) = reference() else { return };
    let mut runner = TestRunner::new(Config::with_cases(1));
    // Found by this test: twitter-text places an ASCII domain inside a longer one with indexOf,
    // at the first place its text occurs ("t.co" inside "t.comt").
    let mut texts = vec!["ot.comtᘒt.co/oĚ_(/u:.jpᑶb.xyzeӚ?ᑳ⟞".to_string()];
    for _ in 0..5000 {
        texts.push(glyph_text().new_tree(&mut runner).unwrap().current());
    }
    // Whole encoded messages too, as stats measures them.
    for n in 0..300u32 {
        let data: Vec<u8> = (0..n).map(|i| (i * 7919 + n) as u8).collect();
        let mut out = Vec::new();
        let options = twuu::EncodeOptions {
            zlib: n % 2 == 0,
            markers: true,
            alphabet: [twuu::Alphabet::A2048, twuu::Alphabet::A4096][n as usize % 3 / 2],
        };
        twuu::encode(&data[..], &mut out, options).unwrap();
        texts.push(String::from_utf8(out).unwrap());
    }
    let with_urls = assert_counts_match(&dir, &texts, true);
    assert!(with_urls > 100, "only {with_urls} texts hold a URL");
}

#[test]
fn stats_reports_each_platform_as_json() {
    let Some(dir) = reference() else { return };
    // A message whose glyphs spell a link on X.
    let text = "\u{2639}ab x.com\u{2639}";
    let data = twuu::decode_str(
        text,
        twuu::DecodeOptions {
            zlib: false,
            max_size: twuu::DEFAULT_MAX_SIZE,
        },
    )
    .unwrap();
    let encoded = twuu::encode_to_string(&data);
    let message = format!("\u{2639}{encoded}\u{2639}");
    let out = support::assert_succeeds(&support::run(&["twuu", "stats", "--json"], &data));
    let v: Value = serde_json::from_slice(&out).unwrap();
    let theirs = node(&dir, None, &serde_json::to_string(&[&message]).unwrap());
    assert_eq!(v["platforms"]["x"]["length"], theirs[0]["x"]);
    assert_eq!(v["weighted_length"], theirs[0]["x"]);
    assert_eq!(
        v["platforms"]["mastodon"]["length"],
        theirs[0]["code_points"]
    );
    assert_eq!(v["platforms"]["bluesky"]["length"], theirs[0]["graphemes"]);
    assert_eq!(v["platforms"]["mastodon"]["limit"], 500);
    assert_eq!(v["platforms"]["bluesky"]["limit"], 300);
    assert_eq!(v["platforms"]["x"]["fits"], true);
    let out = support::assert_succeeds(&support::run(
        &["twuu", "stats", "--json", "--for", "mastodon"],
        &data,
    ));
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["platforms"].as_object().unwrap().len(), 1);
}

#[test]
fn every_post_split_writes_fits_as_the_platforms_count_it() {
    let Some(dir) = reference() else { return };
    // Bytes whose glyphs spell many URLs: random glyph runs, decoded.
    let mut runner = TestRunner::new(Config::with_cases(1));
    let glyphs: String = (0..120)
        .map(|_| glyph_text().new_tree(&mut runner).unwrap().current())
        .collect::<String>()
        .chars()
        .filter(|&c| twuu::value_of(c).is_some())
        .collect();
    let options = twuu::DecodeOptions {
        zlib: false,
        max_size: twuu::DEFAULT_MAX_SIZE,
    };
    let mut data = twuu::decode_str(&glyphs, options).unwrap();
    data.push(b'!');
    let mut posts = Vec::new();
    for platform in Platform::ALL {
        for alphabet in [twuu::Alphabet::A2048, twuu::Alphabet::A4096] {
            let options = twuu::SplitOptions {
                zlib: false,
                alphabet,
                platform,
            };
            for post in twuu::split(&data[..], options).unwrap() {
                assert!(platform.length(&post) <= platform.limit(), "{post}");
                posts.push(post);
            }
        }
    }
    let with_urls = assert_counts_match(&dir, &posts, true);
    assert!(with_urls > 20, "only {with_urls} posts hold a URL");
}
