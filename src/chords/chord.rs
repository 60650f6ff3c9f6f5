//! Chord names: reading them, spelling their notes, and moving them by semitones.
//!
//! A chord is a root, a quality written as musicians write it ("m", "M7", "sus", "m7b5",
//! "13b9", "6/9": see [`quality`](super::quality)) and an optional bass note ("Cm/G"). Only
//! suffixes that read whole count: that is what tells the chord `A` from the word "A" at the
//! start of a lyric line.

use std::fmt;
use std::str::FromStr;

pub use super::quality::{Quality, Triad};

/// Which accidental notes off the white keys get: `F#` or `Gb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Spelling {
    Sharps,
    Flats,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Accidental {
    Flat,
    Natural,
    Sharp,
}

/// A spelled note name: a letter and an accidental, so that `D#` and `Eb` stay apart until
/// something respells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Note {
    /// 0 to 6 for C, D, E, F, G, A, B.
    letter: u8,
    accidental: Accidental,
}

const LETTERS: [char; 7] = ['C', 'D', 'E', 'F', 'G', 'A', 'B'];
const NATURAL_PITCH: [u8; 7] = [0, 2, 4, 5, 7, 9, 11];

impl Note {
    /// Reads a note name at the start of `text`: an upper-case letter and an optional `#` or
    /// `b`. Returns it with the rest of the text.
    pub fn parse_prefix(text: &str) -> Option<(Note, &str)> {
        let first = text.chars().next()?;
        let letter = LETTERS.iter().position(|&l| l == first)? as u8;
        let rest = &text[1..];
        let (accidental, rest) = match rest.as_bytes().first() {
            Some(b'#') => (Accidental::Sharp, &rest[1..]),
            Some(b'b') => (Accidental::Flat, &rest[1..]),
            _ => (Accidental::Natural, rest),
        };
        Some((Note { letter, accidental }, rest))
    }

    /// The pitch class, 0 for C to 11 for B.
    pub fn pitch(self) -> u8 {
        let natural = NATURAL_PITCH[self.letter as usize];
        match self.accidental {
            Accidental::Flat => (natural + 11) % 12,
            Accidental::Natural => natural,
            Accidental::Sharp => (natural + 1) % 12,
        }
    }

    pub fn accidental(self) -> Accidental {
        self.accidental
    }

    /// The name of pitch class `pitch` (taken modulo 12): a white key when there is one, else
    /// the sharp or flat of a neighbour. Never `E#`, `Cb` and the like.
    pub fn from_pitch(pitch: u8, spelling: Spelling) -> Note {
        let pitch = pitch % 12;
        if let Some(letter) = NATURAL_PITCH.iter().position(|&p| p == pitch) {
            return Note {
                letter: letter as u8,
                accidental: Accidental::Natural,
            };
        }
        let (neighbour, accidental) = match spelling {
            Spelling::Sharps => ((pitch + 11) % 12, Accidental::Sharp),
            Spelling::Flats => ((pitch + 1) % 12, Accidental::Flat),
        };
        let letter = NATURAL_PITCH
            .iter()
            .position(|&p| p == neighbour)
            .expect("a black key's neighbours are white keys") as u8;
        Note { letter, accidental }
    }

    /// The note at pitch class `pitch` (modulo 12) named with the letter `steps` letters above
    /// this one's: from C, 2 steps and pitch 3 is `Eb`. `None` when that takes a double
    /// accidental.
    pub fn letters_above(self, steps: u8, pitch: u8) -> Option<Note> {
        let letter = (self.letter + steps) % 7;
        let accidental = match (pitch % 12 + 12 - NATURAL_PITCH[letter as usize]) % 12 {
            0 => Accidental::Natural,
            1 => Accidental::Sharp,
            11 => Accidental::Flat,
            _ => return None,
        };
        Some(Note { letter, accidental })
    }

    /// How many letters `other` is above this note (0 to 6).
    pub fn letter_steps_to(self, other: Note) -> u8 {
        (other.letter + 7 - self.letter) % 7
    }

    /// This note moved by `semitones`, spelled with `spelling`.
    pub fn transposed(self, semitones: i32, spelling: Spelling) -> Note {
        Note::from_pitch(shift_pitch(self.pitch(), semitones), spelling)
    }
}

/// `pitch` moved by `semitones`, as a pitch class.
pub fn shift_pitch(pitch: u8, semitones: i32) -> u8 {
    (i32::from(pitch) + semitones).rem_euclid(12) as u8
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let accidental = match self.accidental {
            Accidental::Flat => "b",
            Accidental::Natural => "",
            Accidental::Sharp => "#",
        };
        write!(f, "{}{accidental}", LETTERS[self.letter as usize])
    }
}

/// A chord name such as `Cm/G`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Chord {
    pub root: Note,
    pub quality: Quality,
    pub bass: Option<Note>,
}

/// The text was not a chord name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAChord(pub String);

impl fmt::Display for NotAChord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "'{}' is not a chord name", self.0)
    }
}

impl std::error::Error for NotAChord {}

impl FromStr for Chord {
    type Err = NotAChord;

    fn from_str(text: &str) -> Result<Chord, NotAChord> {
        let fail = || NotAChord(text.to_string());
        let (root, rest) = Note::parse_prefix(text).ok_or_else(fail)?;
        // A bass note after the last slash; any other slash is the suffix's own (6/9).
        let (suffix, bass) = match rest.rsplit_once('/') {
            Some((suffix, bass)) => match Note::parse_prefix(bass) {
                Some((note, "")) => (suffix, Some(note)),
                _ => (rest, None),
            },
            None => (rest, None),
        };
        let quality = Quality::parse(suffix).ok_or_else(fail)?;
        Ok(Chord {
            root,
            quality,
            bass,
        })
    }
}

impl fmt::Display for Chord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.root, self.quality.suffix())?;
        match self.bass {
            Some(bass) => write!(f, "/{bass}"),
            None => Ok(()),
        }
    }
}

impl Chord {
    /// This chord moved by `semitones`, root and bass alike, keeping its quality.
    pub fn transposed(&self, semitones: i32, spelling: Spelling) -> Chord {
        Chord {
            root: self.root.transposed(semitones, spelling),
            quality: self.quality,
            bass: self.bass.map(|b| b.transposed(semitones, spelling)),
        }
    }

    /// What makes two chords the same to a player: pitches and sound, not spelling. `D#m`
    /// and `Ebm` are one chord; so are `FM7` and `Fmaj7`.
    pub fn identity(&self) -> (u8, u16, Option<u8>) {
        (
            self.root.pitch(),
            self.quality.intervals(),
            self.bass.map(Note::pitch),
        )
    }
}

impl serde::Serialize for Chord {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Chord {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Chord, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chord(text: &str) -> Chord {
        text.parse().unwrap()
    }

    #[test]
    fn reads_the_chords_of_the_seed() {
        for name in [
            "Cm/G", "Ddim", "F#dim", "FM7", "Em7", "Am/C", "G/D", "C#m", "F#m/E", "Fsus", "Bbm",
            "E/G#", "A/C#", "Fm/E", "Gm", "Eb", "D#m", "G#m", "Ab", "Db", "Gb", "C/E",
        ] {
            assert_eq!(chord(name).to_string(), name);
        }
        let c = chord("F#m/E");
        assert_eq!(c.root.pitch(), 6);
        assert_eq!(c.quality.intervals(), super::super::quality::MINOR_TRIAD);
        assert_eq!(c.bass.map(Note::pitch), Some(4));
        assert_eq!(chord("FM7").identity(), chord("Fmaj7").identity());
        assert_eq!(chord("Fsus").identity(), chord("Fsus4").identity());
    }

    #[test]
    fn reads_the_names_sheets_use() {
        for name in [
            "Am13", "Dm13", "C6/9", "G13b9", "G7#5#9", "G7#9#5", "Cmaj9#11", "Bm7b5", "Edim7",
            "Caug", "Dsus2", "Asus4", "Cadd9", "E7b9", "E7#9", "C7#11", "C7b13", "G7alt", "C6/9/E",
            "Am7/G", "F#m7b5/C", "G7(b9)",
        ] {
            assert_eq!(chord(name).to_string(), name);
        }
        assert_eq!(chord("C6/9").bass, None);
        assert_eq!(chord("C6/9/E").bass.map(Note::pitch), Some(4));
    }

    #[test]
    fn refuses_words_and_lower_case() {
        for text in [
            "", "A hero", "hero", "Am I", "am", "intro", "Bb/", "C/H", "Cm/Gm", "C#b", "H", "Ab)",
            "Amazing", "Eb7x", "Dr.",
        ] {
            assert!(text.parse::<Chord>().is_err(), "{text}");
        }
    }

    #[test]
    fn moves_root_and_bass_and_keeps_the_quality() {
        assert_eq!(
            chord("Cm/G").transposed(2, Spelling::Sharps).to_string(),
            "Dm/A"
        );
        assert_eq!(
            chord("F#m/E").transposed(-1, Spelling::Flats).to_string(),
            "Fm/Eb"
        );
        assert_eq!(
            chord("FM7").transposed(1, Spelling::Sharps).to_string(),
            "F#M7"
        );
        assert_eq!(chord("B").transposed(1, Spelling::Flats).to_string(), "C");
        assert_eq!(chord("E").transposed(1, Spelling::Sharps).to_string(), "F");
        assert_eq!(
            chord("Ab").transposed(-11, Spelling::Sharps).to_string(),
            "A"
        );
    }

    #[test]
    fn spells_black_keys_both_ways_and_white_keys_plainly() {
        let names = |spelling| {
            (0..12)
                .map(|p| Note::from_pitch(p, spelling).to_string())
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(names(Spelling::Sharps), "C C# D D# E F F# G G# A A# B");
        assert_eq!(names(Spelling::Flats), "C Db D Eb E F Gb G Ab A Bb B");
    }

    #[test]
    fn enharmonic_chords_are_one_chord() {
        assert_eq!(chord("D#m").identity(), chord("Ebm").identity());
        assert_eq!(chord("E/G#").identity(), chord("E/Ab").identity());
        assert_eq!(chord("FM7").identity(), chord("Fmaj7").identity());
        assert_ne!(chord("F").identity(), chord("F/A").identity());
    }
}
