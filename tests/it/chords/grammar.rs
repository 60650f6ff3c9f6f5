//! The whole chord grammar through the real binary: every name real sheets use transposes, in
//! plain sheets, inline and in grids; annotations stay as written; a name that looks like a
//! chord but cannot be read is reported on stderr with its line and column.

use crate::support;
use crate::support::chords as chords_support;

use chords_support::{body, tempdir, tokens};
use support::{assert_succeeds, run};
use tool::chords::chord::Chord;

/// `tool chords show FILE ARGS` on `text` saved as `name`: (stdout, stderr).
fn show(name: &str, text: &str, args: &[&str]) -> (String, String) {
    let dir = tempdir("grammar");
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let mut all = vec!["chords", "show", path.to_str().unwrap()];
    all.extend(args);
    let out = run(&all, b"");
    let stderr = String::from_utf8(out.stderr.clone()).unwrap();
    (String::from_utf8(assert_succeeds(&out)).unwrap(), stderr)
}

const ISSUE_LINES: &str = "Am13   Dm13   C6/9   G13b9\nla la la la\n\
    G7#5#9  G7#9#5  Cmaj9#11  E7alt\nmore la la\n\
    Bm7b5  Edim7  Faug  Dsus2  Gsus4  Cadd9  E7b9  C7#11  C7b13  Am/G  (Ab)  N.C.\nla\n";

fn chord_names(line: &str) -> Vec<Chord> {
    tokens(line)
        .iter()
        .filter_map(|(_, t)| t.trim_matches(['(', ')']).parse().ok())
        .collect()
}

#[test]
fn every_name_of_the_issue_transposes_in_a_plain_sheet() {
    let (original, stderr) = show("sheet.txt", ISSUE_LINES, &[]);
    assert_eq!(stderr, "");
    let original = body(&original);
    for n in -11..=11 {
        let arg = format!("--transpose={n}");
        let (out, stderr) = show("sheet.txt", ISSUE_LINES, &[&arg]);
        assert_eq!(stderr, "", "{arg}");
        let out = body(&out);
        for i in [0, 2, 4] {
            let (before, after) = (chord_names(&original[i]), chord_names(&out[i]));
            assert_eq!(before.len(), after.len(), "{arg}: {}", out[i]);
            assert!(before.len() >= 4, "{}", original[i]);
            for (b, a) in before.iter().zip(&after) {
                let up = (i32::from(b.root.pitch()) + n).rem_euclid(12) as u8;
                assert_eq!(a.root.pitch(), up, "{arg}: {b} became {a}");
                assert_eq!(
                    a.quality.intervals(),
                    b.quality.intervals(),
                    "{b} became {a}"
                );
            }
        }
        assert!(out[4].ends_with("N.C."), "{}", out[4]);
    }
}

#[test]
fn inline_names_transpose_and_annotations_stay() {
    let cho = "{title: T}\n[Am13]la [*N.C.]la [C6/9]la [G7(b9)]la\n";
    let (out, stderr) = show("t.cho", cho, &["--transpose=2", "--format", "chordpro"]);
    assert_eq!(stderr, "");
    assert!(
        out.contains("[Bm13]la [*N.C.]la [D6/9]la [A7(b9)]la"),
        "{out}"
    );
    let (text, _) = show("t.cho", cho, &["--transpose=2"]);
    assert!(
        body(&text).contains(&"Bm13 N.C. D6/9 A7(b9)".to_string()),
        "{text}"
    );
}

#[test]
fn unreadable_names_are_reported_with_line_and_column() {
    let (out, stderr) = show(
        "odd.cho",
        "{title: T}\nG      Dsus3   C\nla la\n[Am]la [Hm7]x [G7#]y\n",
        &["--transpose=1"],
    );
    let warnings: Vec<&str> = stderr.lines().collect();
    assert_eq!(warnings.len(), 2, "{stderr}");
    assert!(
        warnings[0].contains("line 2, column 8: 'Dsus3'"),
        "{stderr}"
    );
    assert!(warnings[1].contains("line 4, column 16: 'G7#'"), "{stderr}");
    assert!(warnings.iter().all(|w| w.starts_with("warning: ")));
    // The readable chords around them still move.
    assert!(body(&out)[0].starts_with("Ab     Dsus3   Db"), "{out}");
}

#[test]
fn grids_transpose_and_keep_their_shape() {
    let cho = "{title: T}\n{start_of_grid 21}\nA  || Am . . . | C7 . . . :|\n{end_of_grid}\n\
               [Am]la\n";
    let (text, _) = show("g.cho", cho, &["--transpose=3"]);
    let text = body(&text);
    assert!(!text.iter().any(|l| l.starts_with("21")), "{text:?}");
    assert!(
        text.contains(&"A  || Cm . . . | Eb7 . . . :|".to_string()),
        "{text:?}"
    );
    let (cho_out, _) = show("g.cho", cho, &["--transpose=3", "--format", "chordpro"]);
    assert!(
        cho_out.contains(
            "{start_of_grid: shape=\"21\"}\nA  || Cm . . . | Eb7 . . . :|\n{end_of_grid}"
        ),
        "{cho_out}"
    );
    // A bar-line grid in a plain sheet.
    let (text, _) = show("g.txt", "| Am . | Dm7 . | E7b9 . |\n", &["--transpose=-2"]);
    assert_eq!(body(&text), ["| Gm . | Cm7 . | D7b9 . |"]);
}
