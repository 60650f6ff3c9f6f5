//! The facts behind the alphabets, derived from the Unicode data: ICU4X's tables here, and
//! CPython's unicodedata (another implementation, of an older Unicode version) as a check.
//!
//! A safe glyph is assigned and graphic, neither a combining mark nor whitespace, unchanged by
//! NFC and NFKC, neither a bidi control nor a right-to-left letter.

use crate::support;

use std::collections::BTreeSet;
use std::process::Command;

use icu_normalizer::ComposingNormalizerBorrowed;
use icu_properties::props::WhiteSpace;
use icu_properties::props::{BidiClass, BidiControl, GeneralCategory, GeneralCategoryGroup};
use icu_properties::{CodePointMapData, CodePointSetData};
use tool::twuu::{self, Alphabet, FIRST_4096, X_SAFE_CODE_POINTS};
use unicode_segmentation::UnicodeSegmentation;

fn is_safe(c: char) -> bool {
    let gc = CodePointMapData::<GeneralCategory>::new().get(c);
    let graphic_not_mark_or_space = GeneralCategoryGroup::Letter.contains(gc)
        || GeneralCategoryGroup::Number.contains(gc)
        || GeneralCategoryGroup::Punctuation.contains(gc)
        || GeneralCategoryGroup::Symbol.contains(gc);
    let bidi = CodePointMapData::<BidiClass>::new().get(c);
    let rtl_or_control = matches!(
        bidi,
        BidiClass::RightToLeft
            | BidiClass::ArabicLetter
            | BidiClass::LeftToRightEmbedding
            | BidiClass::RightToLeftEmbedding
            | BidiClass::LeftToRightOverride
            | BidiClass::RightToLeftOverride
            | BidiClass::PopDirectionalFormat
            | BidiClass::LeftToRightIsolate
            | BidiClass::RightToLeftIsolate
            | BidiClass::FirstStrongIsolate
            | BidiClass::PopDirectionalIsolate
    ) || CodePointSetData::new::<BidiControl>().contains(c);
    let s = c.to_string();
    graphic_not_mark_or_space
        && !CodePointSetData::new::<WhiteSpace>().contains(c)
        && !rtl_or_control
        && ComposingNormalizerBorrowed::new_nfc().normalize(&s) == s
        && ComposingNormalizerBorrowed::new_nfkc().normalize(&s) == s
}

/// Code points X weighs 1.
fn x_light() -> impl Iterator<Item = char> {
    (0..=4351u32)
        .chain(8192..=8205)
        .chain(8208..=8223)
        .chain(8242..=8247)
        .filter_map(char::from_u32)
}

fn safe_light() -> BTreeSet<u32> {
    x_light().filter(|&c| is_safe(c)).map(u32::from).collect()
}

#[test]
fn x_has_fewer_than_4096_safe_glyphs_of_weight_1() {
    let safe = safe_light();
    assert_eq!(safe.len(), X_SAFE_CODE_POINTS);
    assert!(safe.len() >= 2048 && safe.len() < 4096, "{}", safe.len());
    // The figure the help and README state.
    let help = support::assert_succeeds(&support::run(&["twuu", "encode", "--help"], b""));
    let help = String::from_utf8(help).unwrap().replace('\n', " ");
    assert!(
        help.contains(&format!("only {X_SAFE_CODE_POINTS} code points")),
        "{help}"
    );
    let readme = include_str!("../../../README.md").replace('\n', " ");
    assert!(readme.contains(&format!("{X_SAFE_CODE_POINTS} code points")));
    // Spot checks of each rule.
    for (c, safe) in [
        ('a', true),
        ('\u{416}', true),
        (' ', false),
        ('\u{301}', false),
        ('\u{5D0}', false),
        ('\u{627}', false),
        ('\u{200E}', false),
        ('\u{2033}', false),
        ('\u{2010}', true),
        ('\u{378}', false),
        ('\u{340}', false),
        ('\u{BD}', false),
    ] {
        assert_eq!(is_safe(c), safe, "{c:?}");
    }
}

#[test]
fn cpython_agrees_on_the_safe_glyphs() {
    if !support::require("python3", "checks the safe set with CPython's unicodedata") {
        return;
    }
    let script = r#"
import json, sys, unicodedata as u
BAD = {"R", "AL", "RLE", "LRE", "PDF", "RLO", "LRO", "LRI", "RLI", "FSI", "PDI"}
def safe(c):
    return (u.category(c)[0] in "LNPS" and not c.isspace()
            and u.normalize("NFC", c) == c and u.normalize("NFKC", c) == c
            and u.bidirectional(c) not in BAD)
cps = [cp for cp in json.load(sys.stdin) if not 0xD800 <= cp < 0xE000]
print(json.dumps({
    "version": u.unidata_version,
    "safe": [cp for cp in cps if safe(chr(cp))],
    "unassigned": [cp for cp in cps if u.category(chr(cp)) == "Cn"],
}))
"#;
    let cps: Vec<u32> = x_light()
        .map(u32::from)
        .chain(FIRST_4096..FIRST_4096 + 4096)
        .collect();
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    serde_json::to_writer(child.stdin.take().unwrap(), &cps).unwrap();
    let out = support::assert_ran(child.wait_with_output().unwrap(), "python3 unicodedata");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let set = |key: &str| -> BTreeSet<u32> {
        v[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_u64().unwrap() as u32)
            .collect()
    };
    let theirs = set("safe");
    let new_since = set("unassigned");
    let ours: BTreeSet<u32> = cps
        .iter()
        .copied()
        .filter(|&cp| is_safe(char::from_u32(cp).unwrap()))
        .collect();
    // Only code points Python's older Unicode had not assigned yet may differ.
    let differ: Vec<_> = ours.symmetric_difference(&theirs).copied().collect();
    let unexplained: Vec<_> = differ.iter().filter(|cp| !new_since.contains(cp)).collect();
    assert!(
        unexplained.is_empty(),
        "Unicode {} disagrees on {unexplained:X?}",
        v["version"]
    );
}

#[test]
fn every_4096_glyph_is_safe_and_a_grapheme_of_its_own() {
    let glyphs: Vec<char> = (FIRST_4096..FIRST_4096 + 4096)
        .map(|cp| char::from_u32(cp).unwrap())
        .collect();
    let (plain, zlib) = Alphabet::A4096.markers();
    for &g in &glyphs {
        assert!(is_safe(g), "{g:?}");
        assert_eq!(twuu::twitter_weight(g), 2, "{g:?}");
    }
    // Beside each other, the markers and any 2048 glyph, nothing joins.
    let neighbours: Vec<char> = [plain, zlib, '\u{2639}', ' ', '\u{483}', 'a']
        .into_iter()
        .chain(glyphs.iter().copied().step_by(97))
        .collect();
    for &g in &glyphs {
        for &n in &neighbours {
            for pair in [format!("{g}{n}"), format!("{n}{g}")] {
                if n != '\u{483}' || pair.starts_with('\u{483}') {
                    assert_eq!(pair.graphemes(true).count(), 2, "{pair:?}");
                }
            }
        }
    }
    for m in [plain, zlib] {
        assert!(is_safe(m), "{m:?}");
        assert_eq!(twuu::value_of(m), None);
        assert_eq!(Alphabet::of_opening(m), Alphabet::A4096);
    }
}
