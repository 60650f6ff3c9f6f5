//! Guitar fingerings for chords, from the chords-db data set (`data/chords-db`, MIT), with the
//! corrections in `data/chords-db/overlay.cho` taken first.
//!
//! The data knows every root and common quality but only some slash chords; for the others
//! (`Cm/G`, `F#m/E`) a shape of the chord gets the bass note added or put on its lowest string.
//! Every shape is checked against the chord's notes ([`voicing::check`]) before it is used:
//! one that plays another chord is passed over for the next.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::chord::{Chord, Note};
use super::quality::Quality;
use super::voicing::{self, TUNING};

const GUITAR_JSON: &str = include_str!("../../data/chords-db/guitar.json");
const OVERLAY: &str = include_str!("../../data/chords-db/overlay.cho");

/// Rows a diagram shows.
pub const ROWS: u8 = 4;

/// How to hold a chord.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingering {
    /// The fret the first row stands for; 1 means the nut is at the top.
    pub base_fret: u8,
    /// Per string, low E first: -1 not played, 0 open, else the row (1 is `base_fret`).
    pub frets: [i8; 6],
    /// Per string, the finger (1 index to 4 little); 0 for none or not known.
    pub fingers: [u8; 6],
    /// Rows held down across strings by one finger.
    pub barres: Vec<u8>,
}

/// A chord and how to play it; no fingering when none is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagram {
    pub chord: Chord,
    pub fingering: Option<Fingering>,
}

impl Diagram {
    pub fn of(chord: &Chord) -> Diagram {
        Diagram {
            chord: *chord,
            fingering: fingering(chord),
        }
    }

    /// The sheet's own fingering for `chord` when it defines one by that name, else the data's.
    pub fn with_defines(chord: &Chord, defines: &[Define]) -> Diagram {
        let name = chord.to_string();
        match defines.iter().rev().find(|d| d.name == name) {
            Some(define) => Diagram {
                chord: *chord,
                fingering: Some(define.fingering.clone()),
            },
            None => Diagram::of(chord),
        }
    }
}

/// A fingering a sheet gives for one of its chords: ChordPro's
/// `{define: Am7 base-fret 1 frets x 0 2 0 1 0 fingers 0 0 2 0 1 0}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Define {
    /// The chord's name as the sheet writes it.
    pub name: String,
    pub fingering: Fingering,
}

impl Define {
    /// Reads a `{define}` directive's value; `None` when it holds no six frets.
    pub fn parse(value: &str) -> Option<Define> {
        let (name, rest) = value.split_once([' ', ':'])?;
        let mut words = rest.split_whitespace().peekable();
        let mut fingering = Fingering {
            base_fret: 1,
            frets: [0; 6],
            fingers: [0; 6],
            barres: Vec::new(),
        };
        let mut frets = None;
        while let Some(word) = words.next() {
            match word {
                "base-fret" => fingering.base_fret = words.next()?.parse().ok()?,
                "frets" => {
                    let mut six = [0i8; 6];
                    for fret in &mut six {
                        *fret = match words.next()? {
                            "x" | "X" | "N" | "-1" => -1,
                            n => n.parse().ok().filter(|&n: &i8| (0..=24).contains(&n))?,
                        };
                    }
                    frets = Some(six);
                }
                "fingers" => {
                    for finger in &mut fingering.fingers {
                        *finger = words
                            .next_if(|w| w.parse::<u8>().is_ok() || *w == "x" || *w == "-")
                            .and_then(|w| w.parse().ok())
                            .unwrap_or(0);
                    }
                }
                _ => {}
            }
        }
        fingering.frets = frets?;
        fingering.barres = barres(&fingering);
        Some(Define {
            name: name.trim().to_string(),
            fingering,
        })
    }
}

/// Rows where one finger holds two strings or more: a barre, as a define does not say.
fn barres(f: &Fingering) -> Vec<u8> {
    let mut rows: Vec<u8> = (0..6)
        .filter(|&s| f.frets[s] > 0 && f.fingers[s] > 0)
        .filter(|&s| (s + 1..6).any(|t| f.frets[t] == f.frets[s] && f.fingers[t] == f.fingers[s]))
        .map(|s| f.frets[s] as u8)
        .collect();
    rows.sort_unstable();
    rows.dedup();
    rows
}

#[derive(Deserialize)]
struct Db {
    chords: HashMap<String, Vec<DbChord>>,
}

#[derive(Deserialize)]
struct DbChord {
    key: String,
    suffix: String,
    positions: Vec<DbPosition>,
}

#[derive(Deserialize)]
struct DbPosition {
    frets: [i8; 6],
    fingers: [u8; 6],
    #[serde(rename = "baseFret")]
    base_fret: u8,
    #[serde(default)]
    barres: Vec<u8>,
}

/// Root pitch class, the quality's notes ([`Quality::intervals`]), bass pitch class.
///
/// [`Quality::intervals`]: super::quality::Quality::intervals
type Identity = (u8, u16, Option<u8>);

fn index() -> &'static HashMap<Identity, Vec<Fingering>> {
    static INDEX: OnceLock<HashMap<Identity, Vec<Fingering>>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let db: Db = serde_json::from_str(GUITAR_JSON).expect("the embedded chords-db parses");
        db.chords
            .into_values()
            .flatten()
            .filter_map(|chord| {
                let (root, _) = Note::parse_prefix(&chord.key)?;
                // The data names its triads "major" and "minor", and its slash chords "/E" on
                // a major chord and "m/E" on a minor one; the rest are chord suffixes.
                let (suffix, bass) = match chord.suffix.split_once('/') {
                    Some((suffix, bass)) => (suffix, Some(Note::parse_prefix(bass)?.0.pitch())),
                    None => (chord.suffix.as_str(), None),
                };
                let suffix = match suffix {
                    "major" => "",
                    "minor" => "m",
                    other => other,
                };
                let quality = Quality::parse(suffix)?.intervals();
                let shapes = chord
                    .positions
                    .into_iter()
                    .map(|p| Fingering {
                        base_fret: p.base_fret,
                        frets: p.frets,
                        fingers: p.fingers,
                        barres: p.barres,
                    })
                    .collect();
                Some(((root.pitch(), quality, bass), shapes))
            })
            .collect()
    })
}

/// The overlay's fingerings, by chord.
fn overlay() -> &'static HashMap<Identity, Fingering> {
    static OVERLAID: OnceLock<HashMap<Identity, Fingering>> = OnceLock::new();
    OVERLAID.get_or_init(|| {
        OVERLAY
            .lines()
            .filter_map(|line| line.strip_prefix("{define:")?.strip_suffix('}'))
            .map(|value| {
                let define = Define::parse(value.trim()).expect("the overlay's defines read");
                let chord: Chord = define.name.parse().expect("the overlay names chords");
                (chord.identity(), define.fingering)
            })
            .collect()
    })
}

/// The shapes for a chord, the overlay's first.
fn shapes(root: u8, quality: u16, bass: Option<u8>) -> impl Iterator<Item = &'static Fingering> {
    let identity = (root, quality, bass);
    overlay()
        .get(&identity)
        .into_iter()
        .chain(index().get(&identity).into_iter().flatten())
}

/// The most common way to play `chord` that plays it, if the data knows one or one can be
/// made from it.
pub fn fingering(chord: &Chord) -> Option<Fingering> {
    let (root, quality, bass) = chord.identity();
    let bass = bass.filter(|&b| b != root);
    let plays = |shape: &Fingering| voicing::check(chord, shape).is_ok();
    if let Some(shape) = shapes(root, quality, bass).find(|shape| plays(shape)) {
        return Some(shape.clone());
    }
    let bass = bass?;
    shapes(root, quality, None)
        .filter_map(|shape| with_bass(shape, bass))
        .find(plays)
}

/// `shape` with `bass` as its lowest note, on a string below the shape or on its lowest string,
/// within the rows the shape spans. `None` when it does not fit there.
fn with_bass(shape: &Fingering, bass: u8) -> Option<Fingering> {
    let lowest = shape.frets.iter().position(|&f| f >= 0)?;
    let absolute = |row: i8| i32::from(row) + i32::from(shape.base_fret) - 1;
    // Strings below the shape first, so the chord keeps all its notes.
    for string in (0..=lowest).rev().skip(1).chain([lowest]) {
        for row in 0..=ROWS as i8 {
            let pitch = if row == 0 {
                TUNING[string]
            } else {
                TUNING[string] + absolute(row)
            };
            if pitch.rem_euclid(12) != i32::from(bass) {
                continue;
            }
            let mut bassed = shape.clone();
            bassed.frets[string] = row;
            bassed.fingers[string] = 0;
            let pitches = voicing::pitches(&bassed);
            let is_lowest = (0..6)
                .filter(|&s| s != string)
                .filter_map(|s| pitches[s])
                .all(|other| other > pitch);
            if is_lowest {
                return Some(bassed);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frets(name: &str) -> Option<[i8; 6]> {
        fingering(&name.parse().unwrap()).map(|f| f.frets)
    }

    #[test]
    fn knows_the_open_chords() {
        assert_eq!(frets("C"), Some([-1, 3, 2, 0, 1, 0]));
        assert_eq!(frets("Em7").map(|f| f[0]), Some(0));
    }

    #[test]
    fn enharmonic_names_find_the_same_shape() {
        assert_eq!(frets("Db"), frets("C#"));
        assert_eq!(frets("E/G#"), frets("E/Ab"));
        assert_eq!(frets("FM7"), frets("Fmaj7"));
        assert!(frets("E/G#").is_some());
    }

    #[test]
    fn makes_slash_chords_the_data_lacks() {
        for name in ["Cm/G", "F#m/E", "Am/C", "Fm/E", "Bbm/Ab", "C#m/B"] {
            let chord: Chord = name.parse().unwrap();
            let f = fingering(&chord).unwrap_or_else(|| panic!("{name}"));
            let lowest = f.frets.iter().position(|&r| r >= 0).unwrap();
            let row = f.frets[lowest];
            let fret = if row == 0 {
                0
            } else {
                i32::from(row) + i32::from(f.base_fret) - 1
            };
            let pitch = (TUNING[lowest] + fret).rem_euclid(12);
            assert_eq!(Some(pitch as u8), chord.bass.map(Note::pitch), "{name}");
        }
    }

    /// The name of every chord the data has.
    fn data_chords() -> Vec<String> {
        let db: Db = serde_json::from_str(GUITAR_JSON).unwrap();
        let names = db.chords.into_values().flatten().map(|chord| {
            let suffix = match chord.suffix.as_str() {
                "major" => "",
                "minor" => "m",
                other => other,
            };
            format!("{}{suffix}", chord.key)
        });
        names.collect()
    }

    #[test]
    fn every_chord_of_the_data_is_drawn_with_a_shape_that_plays_it() {
        let mut drawn = 0;
        for name in data_chords() {
            let Ok(chord) = name.parse::<Chord>() else {
                continue;
            };
            let Some(f) = fingering(&chord) else {
                // The data's "alt" shapes hold no seventh; 7alt, as sheets mean it, has one.
                assert!(name.ends_with("alt"), "{name} has no diagram");
                continue;
            };
            voicing::check(&chord, &f).unwrap_or_else(|e| panic!("{name}: {e}"));
            drawn += 1;
        }
        assert!(drawn > 500, "only {drawn} chords of the data read");
    }

    #[test]
    fn every_diagram_for_every_root_quality_and_bass_plays_its_chord() {
        let roots = [
            "C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B",
        ];
        let qualities = [
            "", "m", "7", "m7", "maj7", "6", "m6", "9", "m9", "sus2", "sus4", "7sus4", "dim",
            "dim7", "aug", "m7b5", "add9", "madd9", "11", "13", "7b9", "7#9", "6/9",
        ];
        for root in roots {
            for quality in qualities {
                for bass in std::iter::once(String::new()).chain(roots.map(|b| format!("/{b}"))) {
                    let name = format!("{root}{quality}{bass}");
                    let chord: Chord = name.parse().unwrap();
                    if let Some(f) = fingering(&chord) {
                        voicing::check(&chord, &f).unwrap_or_else(|e| panic!("{name}: {e}"));
                    }
                }
            }
        }
    }

    #[test]
    fn the_data_shapes_the_overlay_corrects_are_wrong_and_its_own_are_right() {
        let db: Db = serde_json::from_str(GUITAR_JSON).unwrap();
        let first = |key: &str, suffix: &str| {
            let mut chords = db.chords.values().flatten();
            let found = chords.find(|c| c.key == key && c.suffix == suffix).unwrap();
            let p = &found.positions[0];
            Fingering {
                base_fret: p.base_fret,
                frets: p.frets,
                fingers: p.fingers,
                barres: p.barres.clone(),
            }
        };
        for (name, key, suffix, fault) in [
            ("Am/G#", "A", "m/G#", "F# in the bass, not G#"),
            ("C#aug", "C#", "aug", "F# is not in the chord"),
            ("Emadd9", "E", "madd9", "F in the bass, not E"),
        ] {
            let f = first(key, suffix);
            let chord: Chord = name.parse().unwrap();
            let e = voicing::check(&chord, &f).unwrap_err();
            assert_eq!(e.to_string(), fault, "{name}");
        }
        let defines = OVERLAY.lines().filter_map(|l| l.strip_prefix("{define:"));
        let mut checked = 0;
        for define in defines.map(|d| Define::parse(d.trim_end_matches('}').trim()).unwrap()) {
            let chord: Chord = define.name.parse().unwrap();
            voicing::check(&chord, &define.fingering)
                .unwrap_or_else(|e| panic!("overlay {}: {e}", define.name));
            checked += 1;
        }
        assert_eq!(checked, overlay().len(), "one define a chord");
    }

    #[test]
    fn common_shapes_are_preferred() {
        let absolute = |name: &str| {
            let f = fingering(&name.parse().unwrap()).unwrap();
            f.frets.map(|row| match row {
                r if r <= 0 => r,
                r => r + f.base_fret as i8 - 1,
            })
        };
        assert_eq!(absolute("Gm"), [3, 5, 5, 3, 3, 3]);
        assert_eq!(absolute("Am/G#"), [4, -1, 2, 2, 1, 0]);
        assert_eq!(absolute("C#aug"), [-1, 4, 3, 2, 2, 1]);
        assert_eq!(absolute("Emadd9"), [0, 2, 4, 0, 0, 0]);
        assert_eq!(absolute("B"), [-1, 2, 4, 4, 4, 2]);
        assert_eq!(absolute("Cmaj7"), [-1, 3, 2, 0, 0, 0]);
        let gm = fingering(&"Gm".parse().unwrap()).unwrap();
        assert_eq!(gm.barres, [1], "the barre is drawn");
    }

    #[test]
    fn power_chords_have_no_fingering_in_the_data() {
        assert_eq!(frets("E5"), None);
    }
}
