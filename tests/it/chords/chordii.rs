//! chordii, the ChordPro reference implementation, reads every song's export without a
//! complaint other than chords it does not know by name.

use crate::support::chordii;
use crate::support::chords as chords_support;

use chords_support::{SLUGS, chords, tempdir};
use tool::chords::chord::Chord;

#[test]
fn chordii_reads_every_songs_export() {
    if !chordii::available() {
        return;
    }
    let dir = tempdir("chordii");
    for slug in SLUGS {
        for extra in [
            vec![],
            vec!["--diagrams"],
            vec!["--transpose=3"],
            vec!["--transpose=-5", "--capo", "2", "--diagrams"],
            vec!["--flats"],
        ] {
            let mut args = vec!["show", slug, "--format", "chordpro-legacy"];
            args.extend(&extra);
            let path = dir.join(format!("{slug}.cho"));
            std::fs::write(&path, chords(&args)).unwrap();
            let complaints = chordii::complaints(&path);
            assert!(
                complaints.is_empty(),
                "chordii on {slug} {extra:?}: {complaints:#?}"
            );
        }
    }
}

#[test]
fn with_diagrams_chordii_knows_every_chord_of_every_song() {
    if !chordii::available() {
        return;
    }
    let dir = tempdir("chordii-defines");
    for slug in SLUGS {
        let path = dir.join(format!("{slug}.cho"));
        let exported = chords(&["show", slug, "--format", "chordpro-legacy", "--diagrams"]);
        std::fs::write(&path, &exported).unwrap();
        let out = std::process::Command::new("chordii")
            .arg("-o")
            .arg("/dev/null")
            .arg(&path)
            .output()
            .expect("chordii runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        // What may be unknown is what is no chord name: decorated ones such as F#(chords)
        // or (Ab), and words such as intro.
        for line in stderr.lines().filter(|l| l.starts_with("WARNING: chord '")) {
            let name = line.split('\'').nth(1).unwrap();
            assert!(name.parse::<Chord>().is_err(), "{slug}: {line}");
        }
    }
}

#[test]
fn the_checker_catches_what_chordii_complains_about() {
    if !chordii::available() {
        return;
    }
    let dir = tempdir("chordii-self");
    let path = dir.join("bad.cho");
    std::fs::write(&path, "{title: x}\n{key: G}\n{ la\n[Hm]la\n").unwrap();
    let complaints = chordii::complaints(&path);
    assert_eq!(complaints.len(), 2, "{complaints:#?}");
}
