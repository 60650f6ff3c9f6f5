//! Property tests: the chord-name parser and the sheet readers never panic on any input, chord
//! names read back as written, and transposing by N then by -N gives the same pitches back.

use proptest::prelude::*;

use tool::chords::chord::{Chord, Spelling};
use tool::chords::import::read_song;
use tool::chords::sheet::{self, Line, Sheet};
use tool::chords::spell::Naming;
use tool::chords::transpose::transpose;
use tool::chords::{arrange, cho, render};

/// Text that looks like a chord sheet often enough to reach every branch of the readers:
/// chord letters, accidentals, suffixes, slashes, brackets, braces, tabs and line breaks.
const SHEETISH: &str =
    "([A-G][#b]?(m|7|M7|dim|sus|aug|/)?|[ \t\n]{1,4}|[a-z()\\[\\]{}|:#*-]|’|x2){0,40}";

/// Chord names from the whole grammar: a head, a number, modifiers, a bass note.
const CHORD_NAME: &str = "[A-G][#b]?(|m|M|maj|min|-|dim|°|ø|aug|\\+)(|6|6/9|69|7|9|11|13)(|sus|\\(maj7\\)|sus2|sus4|add9|add11|b5|#5|b9|#9|#11|b13|alt|no3|\\(b9\\)|\\(#11,b13\\)){0,2}(/[A-G][#b]?)?";

fn spelling() -> impl Strategy<Value = Spelling> {
    prop_oneof![Just(Spelling::Sharps), Just(Spelling::Flats)]
}

/// Each chord's pitches and quality, and each lyric and annotation, line by line.
fn content(sheet: &Sheet) -> Vec<String> {
    sheet
        .lines()
        .map(|line| match line {
            Line::Chords { items } | Line::Notes { items } => items
                .iter()
                .map(|p| match p.item.chord() {
                    Some(c) => format!("{:?}", c.identity()),
                    None => p.item.text(),
                })
                .collect::<Vec<_>>()
                .join(" "),
            Line::Lyrics { text } | Line::Annotation { text } => text.clone(),
            Line::Blank => String::new(),
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_chord_parser_takes_any_string(text in "\\PC{0,12}") {
        let _ = text.parse::<Chord>();
    }

    #[test]
    fn chord_names_read_back_as_written(name in CHORD_NAME) {
        let chord: Chord = name.parse().expect("a chord name");
        prop_assert_eq!(&chord.to_string(), &name);
        // The quality is the same sound whatever the root (one with an accidental, so that a
        // suffix starting with b reads as a flat fifth or ninth again).
        let on_c: Chord = format!("C#{}", chord.quality.suffix()).parse().unwrap();
        prop_assert_eq!(on_c.quality.intervals(), chord.quality.intervals());
    }

    #[test]
    fn power_chords_read_and_a_root_alone_is_major(root in "[A-G][#b]?") {
        let power: Chord = format!("{root}5").parse().unwrap();
        prop_assert_eq!(power.quality.intervals(), 1 | 1 << 7);
        let major: Chord = root.parse().unwrap();
        prop_assert_eq!(major.quality.intervals(), 1 | 1 << 4 | 1 << 7);
    }

    #[test]
    fn transposing_by_n_then_minus_n_gives_the_chord_back(
        name in CHORD_NAME, n in -11i32..=11, sp in spelling()
    ) {
        let chord: Chord = name.parse().unwrap();
        let back = chord.transposed(n, sp).transposed(-n, sp);
        prop_assert_eq!(back.identity(), chord.identity());
        prop_assert_eq!(back.quality, chord.quality);
    }

    #[test]
    fn the_sheet_readers_take_any_string(text in "\\PC{0,200}") {
        let _ = sheet::parse(&text);
        let _ = cho::parse(&text, "t");
    }

    #[test]
    fn the_sheet_readers_take_sheet_like_text(text in SHEETISH) {
        let _ = sheet::parse(&text);
        let _ = cho::parse(&text, "t");
    }

    #[test]
    fn any_bytes_make_a_song_or_a_clear_error(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        if let Ok(song) = read_song(&bytes, None, "t") {
            let options = arrange::Options { transpose: 5, capo: Some(2), diagrams: true, ..Default::default() };
            let r = arrange::arrange(&song, &options);
            let _ = render::text::render(&r, tool::output::Paint::ansi());
            let _ = render::chordpro::render(&r, render::chordpro::Dialect::Current);
            let _ = render::chordpro::render(&r, render::chordpro::Dialect::Legacy);
            let _ = render::html::render(&r);
            prop_assert_eq!(render::json::parse(&render::json::render(&r).unwrap()).unwrap(), r);
        }
    }

    #[test]
    fn transposing_a_sheet_by_n_then_minus_n_gives_the_same_pitches(
        text in SHEETISH, n in -11i32..=11, sp in spelling()
    ) {
        let sheet = sheet::parse(&text);
        let there = transpose(&sheet, n, Naming::Forced(sp));
        let back = transpose(&there, -n, Naming::Forced(sp));
        prop_assert_eq!(there.lines().count(), sheet.lines().count());
        prop_assert_eq!(content(&back), content(&sheet));
        // Every chord stays on the character it was written over.
        for (a, b) in sheet.lines().zip(there.lines()) {
            if let (Some(a), Some(b)) = (a.items(), b.items()) {
                let columns = |items: &[sheet::Placed]| items.iter().map(|p| p.column).collect::<Vec<_>>();
                prop_assert_eq!(columns(b), columns(a));
            }
        }
    }
}
