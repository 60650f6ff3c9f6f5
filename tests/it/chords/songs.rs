//! Every built-in song through the real binary: verbatim at N = 0, every transposition from
//! -11 to 11 keeping lines and lyrics (padded at most) and moving every root and bass by N, and the
//! JSON and ChordPro exports reading back.

use crate::support::chords as chords_support;

use chords_support::{SLUGS, body, chords, only_spaces_added, tempdir, tokens, transcription};
use tool::chords::chord::Chord;
use tool::chords::key::Key;
use tool::chords::library;
use tool::chords::render;

#[test]
fn the_library_holds_the_seven_songs_of_the_posts() {
    let slugs: Vec<_> = library::entries().map(|e| e.slug).collect();
    assert_eq!(slugs, SLUGS);
    let listed: serde_json::Value = serde_json::from_str(&chords(&["list", "--json"])).unwrap();
    let titles: Vec<_> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "I'm Going to Go Back There Someday",
            "Slipping",
            "So They Say",
            "Everyone’s A Hero",
            "Brand New Day",
            "Penny’s Song",
            "On The Rise"
        ]
    );
}

#[test]
fn every_song_comes_out_verbatim_untransposed() {
    for slug in SLUGS {
        let shown = body(&chords(&["show", slug]));
        assert_eq!(shown, transcription(slug), "{slug}");
    }
}

#[test]
fn every_song_is_in_the_key_its_chords_say() {
    let keys: Vec<_> = SLUGS
        .iter()
        .map(|slug| {
            let header = chords(&["show", slug]);
            let line = header.lines().nth(1).unwrap().to_string();
            line.rsplit("Key: ").next().unwrap().to_string()
        })
        .collect();
    assert_eq!(keys, ["G", "Gm", "F#", "G", "Fm", "C", "Bm"]);
}

/// A chord token of a chord line: its chord, and what was typed around it.
fn chord_of(token: &str) -> Option<(Chord, String)> {
    let core_start = token.find(|c: char| c != '(' && c != '|')?;
    let rest = &token[core_start..];
    let core_end = rest.find(['(', ')', '|']).unwrap_or(rest.len());
    let chord = rest[..core_end].parse().ok()?;
    let decoration = format!("{}{}", &token[..core_start], &rest[core_end..]);
    Some((chord, decoration))
}

fn is_chord_line(line: &str) -> bool {
    let toks = tokens(line);
    toks.iter().any(|(_, t)| chord_of(t).is_some())
        && toks.iter().all(|(_, t)| {
            chord_of(t).is_some() || t.starts_with('(') || ["intro", "outro"].contains(&t.as_str())
        })
}

/// Checks `moved` against `original` transposed by `n`: same tokens but chords moved by n,
/// none of them left of where it was written (where each stands over its lyric is
/// tests/it/chords/positions.rs's business).
fn assert_moved(original: &str, moved: &str, n: i32, what: &str) {
    let (before, after) = (tokens(original), tokens(moved));
    assert_eq!(before.len(), after.len(), "{what}: tokens of {moved:?}");
    for ((col, tok), (new_col, new_tok)) in before.iter().zip(&after) {
        assert!(new_col >= col, "{what}: {new_tok} moved left in {moved:?}");
        match (chord_of(tok), chord_of(new_tok)) {
            (Some((c, deco)), Some((m, new_deco))) => {
                let up = |p: u8| (i32::from(p) + n).rem_euclid(12) as u8;
                assert_eq!(
                    m.root.pitch(),
                    up(c.root.pitch()),
                    "{what}: {tok} -> {new_tok}"
                );
                assert_eq!(
                    m.bass.map(|b| b.pitch()),
                    c.bass.map(|b| up(b.pitch())),
                    "{what}: bass of {tok} -> {new_tok}"
                );
                assert_eq!(m.quality.suffix(), c.quality.suffix(), "{what}: quality");
                assert_eq!(new_deco, deco, "{what}: decoration of {tok}");
            }
            (None, None) => assert_eq!(tok, new_tok, "{what}"),
            _ => panic!("{what}: {tok} became {new_tok}"),
        }
    }
}

#[test]
fn every_transposition_keeps_lines_and_lyrics_and_moves_every_chord() {
    let key_of = |out: &str| -> Key {
        out.lines()
            .nth(1)
            .and_then(|l| l.split("Key: ").nth(1))
            .and_then(|k| k.split(' ').next())
            .unwrap()
            .parse()
            .unwrap()
    };
    for slug in SLUGS {
        let original = transcription(slug);
        let home = key_of(&chords(&["show", slug]));
        for n in -11..=11 {
            let arg = format!("--transpose={n}");
            let out = chords(&["show", slug, &arg]);
            let what = format!("{slug} {arg}");
            let key = key_of(&out);
            let up = (i32::from(home.tonic.pitch()) + n).rem_euclid(12) as u8;
            assert_eq!(
                (key.tonic.pitch(), key.minor),
                (up, home.minor),
                "{what}: key"
            );
            let shown = body(&out);
            assert_eq!(shown.len(), original.len(), "{what}: line count");
            for (i, (before, after)) in original.iter().zip(&shown).enumerate() {
                let what = format!("{what} line {}", i + 1);
                if is_chord_line(before) {
                    // How each chord is named is tests/it/chords/spelling.rs's business.
                    assert_moved(before, after, n, &what);
                } else {
                    assert!(only_spaces_added(before, after), "{what}: {after:?}");
                }
            }
        }
    }
}

#[test]
fn sharps_and_flats_override_the_key() {
    let sharp = body(&chords(&["show", "brand-new-day", "--sharps"]));
    let flat = body(&chords(&["show", "so-they-say", "--flats"]));
    assert_eq!(sharp[0], "Fm                 C#                       Fm");
    assert_eq!(flat[0], "      Gb    Abm   B    Db   Gb(chords)");
    for (slug, n) in [("brand-new-day", 0), ("so-they-say", 0), ("slipping", 4)] {
        let arg = format!("--transpose={n}");
        let original = transcription(slug);
        for flag in ["--sharps", "--flats"] {
            let shown = body(&chords(&["show", slug, &arg, flag]));
            for (before, after) in original.iter().zip(&shown) {
                if is_chord_line(before) {
                    assert_moved(before, after, n, &format!("{slug} {flag}"));
                    let bad = if flag == "--sharps" { 'b' } else { '#' };
                    for (_, tok) in tokens(after) {
                        if let Some((chord, _)) = chord_of(&tok) {
                            assert!(!chord.to_string()[1..].starts_with(bad), "{tok}");
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn a_capo_shows_the_shapes_below_the_sounding_key() {
    for slug in SLUGS {
        for (n, capo) in [(0, 2), (3, 5), (-2, 7)] {
            let (t, c) = (format!("--transpose={n}"), capo.to_string());
            let out = chords(&["show", slug, &t, "--capo", &c]);
            let header = out.lines().nth(1).unwrap();
            assert!(header.contains(&format!("capo {capo}, ")), "{header}");
            let shown = body(&out);
            for (before, after) in transcription(slug).iter().zip(&shown) {
                if is_chord_line(before) {
                    assert_moved(before, after, n - capo, &format!("{slug} {t} capo {capo}"));
                } else {
                    assert!(only_spaces_added(before, after), "{after:?}");
                }
            }
        }
    }
}

#[test]
fn json_reads_back_into_the_same_song() {
    for slug in SLUGS {
        for args in [
            vec![],
            vec!["--transpose=5"],
            vec!["--transpose=-7", "--capo", "2", "--diagrams"],
            vec!["--flats"],
        ] {
            let mut with = vec!["show", slug];
            with.extend(&args);
            let text = chords(&with);
            with.extend(["--format", "json"]);
            let json = chords(&with);
            let rendition = render::json::parse(&json).expect("the JSON reads back");
            assert_eq!(
                render::json::render(&rendition).unwrap(),
                json,
                "{slug} {args:?}"
            );
            assert_eq!(
                render::text::render(&rendition, tool::output::Paint::plain()),
                text,
                "{slug} {args:?}"
            );
        }
    }
}

#[test]
fn json_holds_the_lines_with_chords_at_their_columns() {
    let json: serde_json::Value =
        serde_json::from_str(&chords(&["show", "slipping", "--format", "json"])).unwrap();
    assert_eq!(json["title"], "Slipping");
    assert_eq!(json["key"], "Gm");
    let first = &json["sections"][0]["lines"];
    assert_eq!(first[0]["kind"], "chords");
    assert_eq!(first[0]["items"][1]["chord"], "Cm/G");
    assert_eq!(first[0]["items"][1]["column"], 14);
    assert_eq!(first[1]["kind"], "lyrics");
    assert_eq!(first[1]["text"], "Look at these people");
}

#[test]
fn chordpro_export_reads_back_as_the_same_sheet() {
    let dir = tempdir("cho");
    for slug in SLUGS {
        for n in ["0", "4", "-9"] {
            let arg = format!("--transpose={n}");
            let exported = chords(&["show", slug, &arg, "--format", "chordpro", "--diagrams"]);
            let path = dir.join(format!("{slug}{n}.cho"));
            std::fs::write(&path, &exported).unwrap();
            let again = chords(&["show", path.to_str().unwrap()]);
            let shown = chords(&["show", slug, &arg]);
            assert_eq!(again.lines().next(), shown.lines().next(), "title");
            let (again, shown) = (body(&again), body(&shown));
            assert_eq!(again.len(), shown.len(), "{slug} {n}");
            for (a, s) in again.iter().zip(&shown) {
                if s.trim_start().starts_with('[') {
                    // A bracketed aside comes back as a remark in parentheses.
                    let bracketless = s.replace('[', "(").replace(']', ")");
                    assert_eq!(a.trim(), bracketless.trim(), "{slug} {n}");
                } else {
                    assert_eq!(a, s, "{slug} {n}");
                }
            }
        }
    }
}
