//! Chords stay where they are sung: in every output format and at every transposition, each
//! chord stands over the lyric character it was written over, and reading an export back gives
//! the same positions.

use crate::support;
use crate::support::chords as chords_support;

use chords_support::{
    SLUGS, anchors, body, chords, inline, only_spaces_added, tempdir, tokens, transcription,
};
use serde_json::Value;
use support::{assert_succeeds, run};

/// A chord line and the lyric under it, as the JSON export has them: item columns and text.
type Pair = (Vec<usize>, String);

/// Every chord line with a lyric under it in a `--format json` rendition, in order.
fn pairs(json: &str) -> Vec<Pair> {
    let value: Value = serde_json::from_str(json).expect("JSON");
    let lines: Vec<&Value> = value["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["lines"].as_array().unwrap())
        .collect();
    lines
        .windows(2)
        .filter(|w| w[0]["kind"] == "chords" && w[1]["kind"] == "lyrics")
        .map(|w| {
            let columns = w[0]["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["column"].as_u64().unwrap() as usize)
                .collect();
            (columns, w[1]["text"].as_str().unwrap().to_string())
        })
        .collect()
}

fn placed(pairs: &[Pair]) -> Vec<Vec<(usize, Option<char>)>> {
    pairs
        .iter()
        .map(|(columns, lyric)| anchors(columns.iter().copied(), lyric))
        .collect()
}

/// The lines of a ChordPro file that are sung: no directives, no comments.
fn sung(cho: &str) -> Vec<&str> {
    cho.lines()
        .filter(|l| !l.starts_with('{') && !l.starts_with('#'))
        .collect()
}

fn stdin_chords(args: &[&str], input: &str) -> String {
    let mut all = vec!["chords", "show", "-"];
    all.extend(args);
    String::from_utf8(assert_succeeds(&run(&all, input.as_bytes()))).unwrap()
}

const ISSUE_LINE: &str = "[Cmaj7]I [G/B]love [Am7]you [Fmaj7]so";

#[test]
fn the_chordpro_export_is_the_inputs_chord_positions() {
    let exported = stdin_chords(&["--format", "chordpro"], &format!("{ISSUE_LINE}\n"));
    assert_eq!(exported.lines().last(), Some(ISSUE_LINE), "{exported}");
    let (written, lyric) = inline(ISSUE_LINE);
    for n in -11..=11 {
        let arg = format!("--transpose={n}");
        let out = stdin_chords(&["--format", "chordpro", &arg], ISSUE_LINE);
        let (items, again) = inline(out.lines().last().unwrap());
        assert_eq!(again, lyric, "{arg}");
        let columns: Vec<_> = items.iter().map(|(c, _)| *c).collect();
        let wanted: Vec<_> = written.iter().map(|(c, _)| *c).collect();
        assert_eq!(columns, wanted, "{arg}: {out}");
    }
}

#[test]
fn the_inline_example_prints_each_chord_over_its_word() {
    let text = body(&stdin_chords(&[], ISSUE_LINE));
    assert_eq!(text, ["Cmaj7 G/B  Am7 Fmaj7", "I     love you so"]);
}

#[test]
fn slipping_up_a_semitone_keeps_away_and_to_whole() {
    let out = chords(&["show", "slipping", "--format", "chordpro", "--transpose=1"]);
    assert!(out.contains("[D#]away"), "{out}");
    assert!(out.contains("goin[D#]g [E]to"), "{out}");
    for broken in ["aw[", "g t[", "t[E]o"] {
        assert!(!out.contains(broken), "{broken} in {out}");
    }
    let text = body(&chords(&["show", "slipping", "--transpose=1"]));
    let at = text
        .iter()
        .position(|l| l.starts_with("Everything’s"))
        .unwrap();
    let d = text[at - 1].find("D#").unwrap();
    let under: String = text[at].chars().skip(d).take(4).collect();
    assert_eq!(under, "away", "{:?}", &text[at - 1..=at]);
}

#[test]
fn every_chord_stays_on_its_character_in_every_format_and_key() {
    let dir = tempdir("positions");
    for slug in SLUGS {
        let original = pairs(&chords(&["show", slug, "--format", "json"]));
        let source = transcription(slug);
        for n in -11..=11 {
            let arg = format!("--transpose={n}");
            let what = format!("{slug} {arg}");
            let json = chords(&["show", slug, &arg, "--format", "json"]);
            // The sheet itself never moves a chord, whatever its name became.
            let moved = pairs(&json);
            assert_eq!(moved, original, "{what}: JSON columns");

            // Text: the same syllable under every chord; the lyric only gains spaces.
            let text = body(&chords(&["show", slug, &arg]));
            assert_eq!(text.len(), source.len(), "{what}: line count");
            for i in 0..source.len() - 1 {
                let (before, lyric) = (&source[i], &source[i + 1]);
                let Some(k) = original.iter().position(|(_, l)| l.trim_end() == lyric) else {
                    continue;
                };
                if tokens(before).iter().map(|(c, _)| *c).collect::<Vec<_>>() != original[k].0 {
                    continue;
                }
                let columns = |line: &str| tokens(line).into_iter().map(|(c, _)| c);
                assert!(
                    only_spaces_added(lyric, &text[i + 1]),
                    "{what}: {lyric:?} became {:?}",
                    text[i + 1]
                );
                assert_eq!(
                    anchors(columns(&text[i]), &text[i + 1]),
                    anchors(columns(before), lyric),
                    "{what}:\n{}\n{}",
                    text[i],
                    text[i + 1]
                );
            }

            // ChordPro: exactly the sheet's positions, and read back, the same sheet.
            let cho = chords(&["show", slug, &arg, "--format", "chordpro"]);
            let path = dir.join(format!("{slug}{n}.cho"));
            std::fs::write(&path, &cho).unwrap();
            let back = pairs(&chords(&[
                "show",
                path.to_str().unwrap(),
                "--format",
                "json",
            ]));
            assert_eq!(placed(&back), placed(&moved), "{what}: ChordPro read back");
            assert_eq!(
                sung(&chords(&[
                    "show",
                    path.to_str().unwrap(),
                    "--format",
                    "chordpro"
                ])),
                sung(&cho),
                "{what}: ChordPro export of the export"
            );

            // Text read back as a plain sheet: the same chords on the same characters.
            let path = dir.join(format!("{slug}{n}.txt"));
            std::fs::write(&path, text.join("\n")).unwrap();
            let back = pairs(&chords(&[
                "show",
                path.to_str().unwrap(),
                "--format",
                "json",
            ]));
            assert_eq!(placed(&back), placed(&moved), "{what}: text read back");
        }
    }
}
