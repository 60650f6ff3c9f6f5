//! Guitar fingerings for chords, from the chords-db data set (`data/chords-db`, MIT).
//!
//! The data knows every root and common quality but only some slash chords; for the others
//! (`Cm/G`, `F#m/E`) a shape of the chord gets the bass note added or put on its lowest string.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::chord::{Chord, Note};
use super::quality::Quality;

const GUITAR_JSON: &str = include_str!("../../data/chords-db/guitar.json");

/// Standard tuning, low E first, as MIDI note numbers.
const TUNING: [i32; 6] = [40, 45, 50, 55, 59, 64];

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
        Some(Define {
            name: name.trim().to_string(),
            fingering,
        })
    }
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

fn shapes(root: u8, quality: u16, bass: Option<u8>) -> Option<&'static [Fingering]> {
    index().get(&(root, quality, bass)).map(Vec::as_slice)
}

/// The most common way to play `chord`, if the data knows one or one can be made from it.
pub fn fingering(chord: &Chord) -> Option<Fingering> {
    let (root, quality, bass) = chord.identity();
    let bass = bass.filter(|&b| b != root);
    if let Some(shape) = shapes(root, quality, bass).and_then(<[_]>::first) {
        return Some(shape.clone());
    }
    let bass = bass?;
    shapes(root, quality, None)?
        .iter()
        .find_map(|shape| with_bass(shape, bass))
}

/// `shape` with `bass` as its lowest note, on a string below the shape or on its lowest string,
/// within the rows the shape spans. `None` when it does not fit there.
fn with_bass(shape: &Fingering, bass: u8) -> Option<Fingering> {
    let lowest = shape.frets.iter().position(|&f| f >= 0)?;
    let absolute = |row: i8| i32::from(row) + i32::from(shape.base_fret) - 1;
    let sounding = |frets: &[i8; 6], string: usize| match frets[string] {
        f if f < 0 => None,
        0 => Some(TUNING[string]),
        f => Some(TUNING[string] + absolute(f)),
    };
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
            let mut frets = shape.frets;
            let mut fingers = shape.fingers;
            frets[string] = row;
            fingers[string] = 0;
            let is_lowest = (0..6)
                .filter(|&s| s != string)
                .filter_map(|s| sounding(&frets, s))
                .all(|other| other > pitch);
            if is_lowest {
                return Some(Fingering {
                    base_fret: shape.base_fret,
                    frets,
                    fingers,
                    barres: shape.barres.clone(),
                });
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

    #[test]
    fn power_chords_have_no_fingering_in_the_data() {
        assert_eq!(frets("E5"), None);
    }
}
