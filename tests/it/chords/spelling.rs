//! Spelling a musician would write: every chord of two common progressions, one major and one
//! minor, moved to all 24 keys and named from its function in the key (borrowed chords by
//! their usual names, slash basses from the chord, the leading tone raised in minor), and
//! `--sharps` / `--flats` still forcing one way.

use crate::support;
use crate::support::chords as chords_support;

use chords_support::{body, tempdir};
use support::{assert_succeeds, run};
use tool::chords::chord::{Accidental, Chord};

/// I vi IV V7 ii7 V7/V(3rd in the bass) bVII bVI V7/vi(3rd in the bass) iv I/3 V/3 bIII #ivø7
/// #i°7 bII, written in C.
const MAJOR: &str = "C Am F G7 Dm7 D7/F# Bb Ab E7/G# Fm C/E G/B Eb F#m7b5 C#dim7 Db";

/// i iv V7 VI III VII vii°7 i/b7 iiø7 bII(Neapolitan) V/3 i/7(leading tone) IV(Dorian) I(Picardy)
/// viø7, written in A minor.
const MINOR: &str = "Am Dm E7 F C G G#dim7 Am/G Bm7b5 Bb E/G# Am/G# D A F#m7b5";

/// Each key as it is written, and the progression in it.
const MAJOR_KEYS: [(&str, &str); 12] = [
    ("C", MAJOR),
    (
        "Db",
        "Db Bbm Gb Ab7 Ebm7 Eb7/G B A F7/A Gbm Db/F Ab/C E Gm7b5 Ddim7 D",
    ),
    (
        "D",
        "D Bm G A7 Em7 E7/G# C Bb F#7/A# Gm D/F# A/C# F G#m7b5 D#dim7 Eb",
    ),
    (
        "Eb",
        "Eb Cm Ab Bb7 Fm7 F7/A Db B G7/B Abm Eb/G Bb/D Gb Am7b5 Edim7 E",
    ),
    (
        "E",
        "E C#m A B7 F#m7 F#7/A# D C G#7/C Am E/G# B/D# G A#m7b5 Fdim7 F",
    ),
    (
        "F",
        "F Dm Bb C7 Gm7 G7/B Eb Db A7/C# Bbm F/A C/E Ab Bm7b5 F#dim7 Gb",
    ),
    (
        "Gb",
        "Gb Ebm Cb Db7 Abm7 Ab7/C E D Bb7/D Cbm Gb/Bb Db/F A Cm7b5 Gdim7 G",
    ),
    (
        "G",
        "G Em C D7 Am7 A7/C# F Eb B7/D# Cm G/B D/F# Bb C#m7b5 G#dim7 Ab",
    ),
    (
        "Ab",
        "Ab Fm Db Eb7 Bbm7 Bb7/D Gb E C7/E Dbm Ab/C Eb/G B Dm7b5 Adim7 A",
    ),
    (
        "A",
        "A F#m D E7 Bm7 B7/D# G F C#7/F Dm A/C# E/G# C D#m7b5 A#dim7 Bb",
    ),
    (
        "Bb",
        "Bb Gm Eb F7 Cm7 C7/E Ab Gb D7/F# Ebm Bb/D F/A Db Em7b5 Bdim7 B",
    ),
    (
        "B",
        "B G#m E F#7 C#m7 C#7/F A G D#7/G Em B/D# F#/A# D Fm7b5 Cdim7 C",
    ),
];

const MINOR_KEYS: [(&str, &str); 12] = [
    ("Am", MINOR),
    (
        "Bbm",
        "Bbm Ebm F7 Gb Db Ab Adim7 Bbm/Ab Cm7b5 B F/A Bbm/A Eb Bb Gm7b5",
    ),
    (
        "Bm",
        "Bm Em F#7 G D A A#dim7 Bm/A C#m7b5 C F#/A# Bm/A# E B G#m7b5",
    ),
    (
        "Cm",
        "Cm Fm G7 Ab Eb Bb Bdim7 Cm/Bb Dm7b5 Db G/B Cm/B F C Am7b5",
    ),
    (
        "C#m",
        "C#m F#m G#7 A E B B#dim7 C#m/B D#m7b5 D G#/B# C#m/B# F# C# A#m7b5",
    ),
    (
        "Dm",
        "Dm Gm A7 Bb F C C#dim7 Dm/C Em7b5 Eb A/C# Dm/C# G D Bm7b5",
    ),
    (
        "Ebm",
        "Ebm Abm Bb7 Cb Gb Db Ddim7 Ebm/Db Fm7b5 E Bb/D Ebm/D Ab Eb Cm7b5",
    ),
    (
        "Em",
        "Em Am B7 C G D D#dim7 Em/D F#m7b5 F B/D# Em/D# A E C#m7b5",
    ),
    (
        "Fm",
        "Fm Bbm C7 Db Ab Eb Edim7 Fm/Eb Gm7b5 Gb C/E Fm/E Bb F Dm7b5",
    ),
    (
        "F#m",
        "F#m Bm C#7 D A E E#dim7 F#m/E G#m7b5 G C#/E# F#m/E# B F# D#m7b5",
    ),
    (
        "Gm",
        "Gm Cm D7 Eb Bb F F#dim7 Gm/F Am7b5 Ab D/F# Gm/F# C G Em7b5",
    ),
    (
        "G#m",
        "G#m C#m D#7 E B F# Gdim7 G#m/F# A#m7b5 A D#/G G#m/G C# G# Fm7b5",
    ),
];

/// The progression in `key` moved by `n` with `extra` flags: (the key shown, the chords).
fn moved(key: &str, progression: &str, n: i32, extra: &[&str]) -> (String, String) {
    let dir = tempdir("spelling");
    let path = dir.join("p.txt");
    std::fs::write(&path, format!("title: P\nkey: {key}\n---\n{progression}\n")).unwrap();
    let arg = format!("--transpose={n}");
    let mut args = vec!["chords", "show", path.to_str().unwrap(), &arg];
    args.extend(extra);
    let out = String::from_utf8(assert_succeeds(&run(&args, b""))).unwrap();
    let shown_key = out.lines().nth(1).unwrap().split("Key: ").nth(1).unwrap();
    let shown_key = shown_key.split(' ').next().unwrap().to_string();
    let chords = body(&out)[0]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (shown_key, chords)
}

#[test]
fn every_key_names_every_chord_by_its_function() {
    for table in [MAJOR_KEYS, MINOR_KEYS] {
        let (home, progression) = table[0];
        for (n, (key, wanted)) in table.iter().enumerate() {
            let (shown_key, chords) = moved(home, progression, n as i32, &[]);
            assert_eq!(&shown_key, key, "{home} moved {n}");
            assert_eq!(&chords, wanted, "{home} moved {n} to {key}");
            // Moving back from there gives the progression as written.
            let (back_key, back) = moved(key, wanted, -(n as i32), &[]);
            if n > 0 {
                assert_eq!(
                    (back_key.as_str(), back.as_str()),
                    (home, progression),
                    "{key}"
                );
            }
        }
    }
}

#[test]
fn sharps_and_flats_still_force() {
    let (_, sharps) = moved("Dm", "Dm Gm A7 C#dim7 Bb Dm/C#", 0, &["--sharps"]);
    assert_eq!(sharps, "Dm Gm A7 C#dim7 A# Dm/C#");
    let (_, flats) = moved("Dm", "Dm Gm A7 C#dim7 Bb Dm/C#", 0, &["--flats"]);
    assert_eq!(flats, "Dm Gm A7 Dbdim7 Bb Dm/Db");
    for (flag, banned) in [
        ("--flats", Accidental::Sharp),
        ("--sharps", Accidental::Flat),
    ] {
        for n in -11..=11 {
            let (_, chords) = moved("C", MAJOR, n, &[flag]);
            for name in chords.split(' ') {
                let chord: Chord = name.parse().unwrap();
                for note in std::iter::once(chord.root).chain(chord.bass) {
                    assert_ne!(note.accidental(), banned, "{flag} {n}: {chords}");
                }
            }
        }
    }
}

#[test]
fn the_issues_misspellings_are_gone() {
    // Slipping (Gm) down 5 is in Dm: the leading-tone diminished is C#dim.
    let out = body(
        &String::from_utf8(assert_succeeds(&run(
            &["chords", "show", "slipping", "--transpose=-5"],
            b"",
        )))
        .unwrap(),
    )
    .join("\n");
    assert!(out.contains("C#dim"), "{out}");
    assert!(!out.contains("Dbdim"), "{out}");
    // Gm/F# and Dm/C#, not Gm/Gb and Dm/Db.
    let (_, chords) = moved("Gm", "Gm Gm/F# Gm/F Dm/C#", 0, &[]);
    assert_eq!(chords, "Gm Gm/F# Gm/F Dm/C#");
    let (_, chords) = moved("Am", "Am Am/G# Em/D#", 10, &[]);
    assert_eq!(chords, "Gm Gm/F# Dm/C#");
    // Borrowed chords in C by their usual names: Bb, Db, Ab, Ebm.
    let (_, chords) = moved("D", "D C Eb Bb Fm", -2, &[]);
    assert_eq!(chords, "C Bb Db Ab Ebm");
}
