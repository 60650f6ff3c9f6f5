//! ChordPro as the format is today: metadata kept in every output, the sheet's own {define}
//! drawn, {chorus} recalled, grids with their shape, the current standard's directives in the
//! export and chordii's older dialect, which chordii reads without a complaint, a flag away.
//! Plain sheets' "Title:", "Artist:", "Key:" and "Capo:" lines are metadata too.

use crate::support::chordii;
use crate::support::chords as chords_support;

use chords_support::{SLUGS, body, chords, tempdir};
use serde_json::Value;

const SONG: &str = "{title: Meta Song}
{subtitle: A Show}
{artist: Someone}
{composer: Joss Whedon}
{year: 2008}
{tempo: 120}
{time: 3/4}
{meta: mood dark}
{key: G}
{capo: 2}
{define: C base-fret 1 frets x 3 5 5 5 3 fingers 0 1 2 3 4 1}
{start_of_verse: Verse 1}
[G]la la [C]la
{end_of_verse}
{soc}
[D]chorus [G]line
{eoc}
{start_of_grid shape=\"1+4x2+4\"}
A  || G . . . | C . . . |
{end_of_grid}
{chorus}
";

fn saved(name: &str, text: &str) -> String {
    let path = tempdir("chordpro").join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn metadata_is_kept_in_every_output() {
    let path = saved("m.cho", SONG);
    let text = chords(&["show", &path]);
    let head: Vec<&str> = text.lines().take(3).collect();
    assert_eq!(
        head,
        [
            "Meta Song",
            "A Show · Key: A · capo 2, G shapes",
            "Artist: Someone · Composer: Joss Whedon · Year: 2008 · Tempo: 120 · Time: 3/4 · Mood: dark"
        ]
    );
    let json: Value = serde_json::from_str(&chords(&["show", &path, "--format", "json"])).unwrap();
    assert_eq!(json["capo"], 2);
    assert_eq!(json["key"], "A");
    assert_eq!(json["shapes_key"], "G");
    assert_eq!(json["meta"][1]["name"], "composer");
    assert_eq!(json["meta"][5]["value"], "dark");
    let html = chords(&["show", &path, "--format", "html"]);
    assert!(
        html.contains("Composer: Joss Whedon · Year: 2008"),
        "{html}"
    );
    assert!(html.contains("capo 2, G shapes"));
    let cho = chords(&["show", &path, "--format", "chordpro"]);
    for directive in [
        "{artist: Someone}",
        "{composer: Joss Whedon}",
        "{year: 2008}",
        "{tempo: 120}",
        "{time: 3/4}",
        "{meta: mood dark}",
        "{key: G}",
        "{capo: 2}",
    ] {
        assert!(cho.contains(directive), "{directive} in {cho}");
    }
    // Another capo shows other shapes of the same sounding key.
    let json: Value =
        serde_json::from_str(&chords(&["show", &path, "--capo", "0", "--format", "json"])).unwrap();
    assert_eq!(
        (json["capo"].as_u64(), json["key"].as_str()),
        (Some(0), Some("A"))
    );
    assert_eq!(json["chords"][0], "A");
}

#[test]
fn the_sheets_own_define_is_drawn() {
    let path = saved("d.cho", SONG);
    let json: Value = serde_json::from_str(&chords(&[
        "show",
        &path,
        "--diagrams",
        "--capo",
        "2",
        "--format",
        "json",
    ]))
    .unwrap();
    let c = json["diagrams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["chord"] == "C")
        .expect("a diagram for C");
    assert_eq!(
        c["fingering"]["frets"],
        serde_json::json!([-1, 3, 5, 5, 5, 3])
    );
    assert_eq!(
        c["fingering"]["fingers"],
        serde_json::json!([0, 1, 2, 3, 4, 1])
    );
}

#[test]
fn chorus_recalls_the_chorus_and_blocks_keep_their_labels() {
    let path = saved("c.cho", SONG);
    let shown = body(&chords(&["show", &path]));
    assert_eq!(
        shown.iter().filter(|l| *l == "chorus line").count(),
        2,
        "{shown:#?}"
    );
    assert!(shown.contains(&"Verse 1:".to_string()));
    assert!(!shown.iter().any(|l| l.contains("1+4x2+4")), "{shown:#?}");
    let cho = chords(&["show", &path, "--format", "chordpro"]);
    assert!(cho.contains("{start_of_verse: label=\"Verse 1\"}"), "{cho}");
    assert!(
        cho.contains(
            "{start_of_grid: shape=\"1+4x2+4\"}\nA  || G . . . | C . . . |\n{end_of_grid}"
        ),
        "{cho}"
    );
}

#[test]
fn the_current_export_reads_back_to_itself() {
    let dir = tempdir("chordpro-fixed");
    let mut sources: Vec<String> = SLUGS.iter().map(|s| s.to_string()).collect();
    sources.push(saved("f.cho", SONG));
    for source in &sources {
        for extra in [
            vec![],
            vec!["--transpose=3", "--diagrams"],
            vec!["--capo", "4"],
        ] {
            let mut args = vec!["show", source.as_str(), "--format", "chordpro"];
            args.extend(&extra);
            let once = chords(&args);
            let path = dir.join("again.cho");
            std::fs::write(&path, &once).unwrap();
            let twice = chords(&["show", path.to_str().unwrap(), "--format", "chordpro"]);
            // Only the transposition remark is not carried: the export is of a sheet as written.
            let once: Vec<_> = once
                .lines()
                .filter(|l| !l.starts_with("# transposed"))
                .collect();
            let twice: Vec<_> = twice.lines().collect();
            assert_eq!(twice, once, "{source} {extra:?}");
        }
    }
}

#[test]
fn chordii_reads_the_legacy_export_of_everything_without_a_complaint() {
    if !chordii::available() {
        return;
    }
    let dir = tempdir("legacy");
    let song = saved("l.cho", SONG);
    for extra in [
        vec![],
        vec!["--diagrams"],
        vec!["--transpose=-4", "--capo", "3"],
    ] {
        let mut args = vec!["show", song.as_str(), "--format", "chordpro-legacy"];
        args.extend(&extra);
        let path = dir.join("l.cho");
        std::fs::write(&path, chords(&args)).unwrap();
        let complaints = chordii::complaints(&path);
        assert!(complaints.is_empty(), "{extra:?}: {complaints:#?}");
    }
    // The current dialect is not for chordii: it rejects {key} and {capo}.
    let path = dir.join("current.cho");
    std::fs::write(
        &path,
        chords(&["show", song.as_str(), "--format", "chordpro"]),
    )
    .unwrap();
    assert!(!chordii::complaints(&path).is_empty());
}

#[test]
fn plain_sheets_read_their_metadata_lines() {
    let path = saved(
        "plain.txt",
        "Title: Hallelujah\nArtist: Leonard Cohen\nKey: C\nCapo: 3\n\nC        Am\nI heard there was\n",
    );
    let json: Value = serde_json::from_str(&chords(&["show", &path, "--format", "json"])).unwrap();
    assert_eq!(json["title"], "Hallelujah");
    assert_eq!(
        json["meta"][0],
        serde_json::json!({"name": "artist", "value": "Leonard Cohen"})
    );
    assert_eq!(json["capo"], 3);
    assert_eq!(json["shapes_key"], "C");
    assert_eq!(json["key"], "Eb");
    let text = chords(&["show", &path]);
    assert_eq!(body(&text), ["C        Am", "I heard there was"]);
    // A line that only looks like one, in the middle of a sheet, is a lyric.
    let path = saved("lyric.txt", "Am\nla\nTime: is on my side\n");
    assert!(body(&chords(&["show", &path])).contains(&"Time: is on my side".to_string()));
}

#[test]
fn built_in_titles_have_their_apostrophes() {
    let listed: Value = serde_json::from_str(&chords(&["list", "--json"])).unwrap();
    let titles: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap())
        .collect();
    for title in [
        "I'm Going to Go Back There Someday",
        "Everyone’s A Hero",
        "Penny’s Song",
    ] {
        assert!(titles.contains(&title), "{titles:?}");
    }
    assert_eq!(
        chords(&["show", "pennys-song"]).lines().next(),
        Some("Penny’s Song")
    );
}
