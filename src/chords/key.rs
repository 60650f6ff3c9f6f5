//! Keys: finding a song's key from its chords, and which accidentals a key is written with.

use std::fmt;
use std::str::FromStr;

use super::chord::{Chord, NotAChord, Note, Spelling, Triad, shift_pitch};
use super::quality::{MAJOR_TRIAD, MINOR_TRIAD};

/// A spelled key: `Gm`, `F#`, `Bb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub tonic: Note,
    pub minor: bool,
}

/// Major keys written with flats, by tonic pitch class: F, Bb, Eb, Ab, Db, Gb.
const FLAT_MAJOR: [u8; 6] = [5, 10, 3, 8, 1, 6];
/// Minor keys written with flats: Dm, Gm, Cm, Fm, Bbm, Ebm.
const FLAT_MINOR: [u8; 6] = [2, 7, 0, 5, 10, 3];

/// Degrees (semitones above the tonic) and the triads that belong to a major key.
const MAJOR_DEGREES: &[(u8, Triad)] = &[
    (0, Triad::Major),
    (2, Triad::Minor),
    (4, Triad::Minor),
    (5, Triad::Major),
    (7, Triad::Major),
    (9, Triad::Minor),
    (11, Triad::Diminished),
];

/// The same for a minor key: natural minor, plus the major V and the diminished vii of
/// harmonic minor, which is how minor songs reach home. These two are also what set a minor
/// key apart from its relative major, which has the same natural chords.
const MINOR_DEGREES: &[(u8, Triad)] = &[
    (0, Triad::Minor),
    (2, Triad::Diminished),
    (3, Triad::Major),
    (5, Triad::Minor),
    (7, Triad::Minor),
    (7, Triad::Major),
    (8, Triad::Major),
    (10, Triad::Major),
    (11, Triad::Diminished),
];

/// The spelling a key is written in.
pub fn spelling_of(tonic: u8, minor: bool) -> Spelling {
    let flats = if minor { &FLAT_MINOR } else { &FLAT_MAJOR };
    if flats.contains(&(tonic % 12)) {
        Spelling::Flats
    } else {
        Spelling::Sharps
    }
}

impl Key {
    /// The key on `tonic` spelled as that key is written.
    pub fn conventional(tonic: u8, minor: bool) -> Key {
        Key {
            tonic: Note::from_pitch(tonic, spelling_of(tonic, minor)),
            minor,
        }
    }

    /// This key moved by `semitones`, spelled with `spelling`.
    pub fn transposed(self, semitones: i32, spelling: Spelling) -> Key {
        Key {
            tonic: self.tonic.transposed(semitones, spelling),
            minor: self.minor,
        }
    }

    /// The spelling this key is conventionally written in.
    pub fn spelling(self) -> Spelling {
        spelling_of(self.tonic.pitch(), self.minor)
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.tonic, if self.minor { "m" } else { "" })
    }
}

impl FromStr for Key {
    type Err = NotAChord;

    /// Reads `G`, `Gm`, `F#m`, `Bb`: a major or minor chord name naming its tonic.
    fn from_str(text: &str) -> Result<Key, NotAChord> {
        let chord: Chord = text.trim().parse()?;
        match (chord.quality.intervals(), chord.bass) {
            (MAJOR_TRIAD, None) => Ok(Key {
                tonic: chord.root,
                minor: false,
            }),
            (MINOR_TRIAD, None) => Ok(Key {
                tonic: chord.root,
                minor: true,
            }),
            _ => Err(NotAChord(text.to_string())),
        }
    }
}

impl serde::Serialize for Key {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Key {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

fn fits(chord: &Chord, tonic: u8, minor: bool) -> bool {
    let degrees = if minor { MINOR_DEGREES } else { MAJOR_DEGREES };
    let degree = shift_pitch(chord.root.pitch(), -i32::from(tonic));
    let triad = chord.quality.triad();
    degrees.iter().any(|&(d, t)| {
        d == degree
            && (t == triad || (triad == Triad::NoThird && matches!(t, Triad::Major | Triad::Minor)))
    })
}

fn is_tonic(chord: &Chord, tonic: u8, minor: bool) -> bool {
    let wanted = if minor { Triad::Minor } else { Triad::Major };
    chord.root.pitch() == tonic && chord.quality.triad() == wanted
}

/// The key whose diatonic chords fit the most of `chords` (each occurrence counts), ties broken
/// by the first and the last chord being its tonic, then major before minor and lower tonic
/// first, so the answer never depends on anything else. `None` without chords.
///
/// The tonic is spelled as the song spells it when one of its chords has that root, so a song
/// written in F# is in F#, not Gb; otherwise as the key is conventionally written.
pub fn detect(chords: &[Chord]) -> Option<Key> {
    let (first, last) = (chords.first()?, chords.last()?);
    let mut best: Option<((usize, u8), u8, bool)> = None;
    for minor in [false, true] {
        for tonic in 0..12u8 {
            let fit = chords.iter().filter(|c| fits(c, tonic, minor)).count();
            let ends =
                u8::from(is_tonic(first, tonic, minor)) + u8::from(is_tonic(last, tonic, minor));
            let score = (fit, ends);
            if best.is_none_or(|(s, _, _)| score > s) {
                best = Some((score, tonic, minor));
            }
        }
    }
    let (_, tonic, minor) = best?;
    let as_written = chords.iter().map(|c| c.root).find(|r| r.pitch() == tonic);
    Some(
        as_written.map_or(Key::conventional(tonic, minor), |tonic| Key {
            tonic,
            minor,
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_of(names: &str) -> String {
        let chords: Vec<Chord> = names
            .split_whitespace()
            .map(|n| n.parse().unwrap())
            .collect();
        detect(&chords).map(|k| k.to_string()).unwrap_or_default()
    }

    #[test]
    fn finds_major_and_minor_keys() {
        assert_eq!(key_of("C F Em7 Am C F Em7 Am F G"), "C");
        assert_eq!(key_of("Gm Cm/G Gm Ddim Gm Cm D Gm"), "Gm");
        assert_eq!(key_of("Fm Db Fm Bbm Eb Db C Fm"), "Fm");
        assert_eq!(key_of("Bm G Bm F#m A E/G# G Bm"), "Bm");
    }

    #[test]
    fn relative_keys_are_told_apart_by_the_first_and_last_chord() {
        // The same four chords fit both F# and D#m.
        assert_eq!(key_of("F# G#m B C# F#"), "F#");
        assert_eq!(key_of("D#m G#m B C# D#m"), "D#m");
    }

    #[test]
    fn no_chords_no_key() {
        assert_eq!(key_of(""), "");
    }

    #[test]
    fn spelling_follows_the_key() {
        for (tonic, minor, spelling) in [
            (5, false, Spelling::Flats),
            (6, false, Spelling::Flats),
            (7, false, Spelling::Sharps),
            (11, false, Spelling::Sharps),
            (2, true, Spelling::Flats),
            (3, true, Spelling::Flats),
            (8, true, Spelling::Sharps),
            (9, true, Spelling::Sharps),
        ] {
            assert_eq!(spelling_of(tonic, minor), spelling, "{tonic} {minor}");
        }
        assert_eq!(Key::conventional(10, true).to_string(), "Bbm");
        assert_eq!(Key::conventional(1, true).to_string(), "C#m");
    }

    #[test]
    fn reads_key_names() {
        assert_eq!("F#m".parse::<Key>().unwrap().to_string(), "F#m");
        assert!("Cm/G".parse::<Key>().is_err());
        assert!("Hm".parse::<Key>().is_err());
    }
}
