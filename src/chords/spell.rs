//! Naming transposed chords as a musician would: each root from the chord's function in the
//! key (the leading-tone diminished in minor is C#dim in D minor, the borrowed flat sixth and
//! seventh in C are Ab and Bb), each slash bass from its interval to the root (Gm/F#, not
//! Gm/Gb), or every note with sharps or with flats when the player says so.

use super::chord::{Accidental, Chord, Note, Spelling, Triad, shift_pitch};
use super::key::Key;

/// How the notes of a transposed sheet are named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    /// By function in this key.
    InKey(Key),
    /// Sharps or flats for every black key, whatever the key.
    Forced(Spelling),
}

/// Letters above the tonic for a root on each degree (semitones above the tonic): the diatonic
/// degrees and the usual names of the others, flat II, III, VI and VII and sharp IV.
const ROOT_LETTERS: [u8; 12] = [0, 1, 1, 2, 2, 3, 3, 4, 5, 5, 6, 6];
/// The same for diminished chords, which lead up a semitone and so are named from the letter
/// below: C#dim to Dm, D#dim to Em, G#dim to Am.
const LEADING_LETTERS: [u8; 12] = [0, 0, 1, 1, 2, 3, 3, 4, 4, 5, 5, 6];
/// Letters above the root for a bass on each interval: the 9th, the thirds, the 4th, the 5th,
/// the 6ths, the 7ths (see [`bass_letters`] for flat and sharp fifths).
const BASS_LETTERS: [u8; 12] = [0, 1, 1, 2, 2, 3, 3, 4, 5, 5, 6, 6];

impl Naming {
    /// `chord` moved by `semitones` and named.
    pub fn chord(self, chord: &Chord, semitones: i32) -> Chord {
        let Naming::InKey(key) = self else {
            return chord.transposed(semitones, self.spelling());
        };
        let pitch = shift_pitch(chord.root.pitch(), semitones);
        let letters = if chord.quality.triad() == Triad::Diminished {
            LEADING_LETTERS
        } else {
            ROOT_LETTERS
        };
        let degree = usize::from(shift_pitch(pitch, -i32::from(key.tonic.pitch())));
        let root = self.named(key.tonic.letters_above(letters[degree], pitch), pitch);
        let bass = chord.bass.map(|bass| {
            let pitch = shift_pitch(bass.pitch(), semitones);
            let interval = shift_pitch(pitch, -i32::from(root.pitch()));
            let steps = bass_letters(chord, interval);
            self.named(root.letters_above(steps, pitch), pitch)
        });
        Chord {
            root,
            quality: chord.quality,
            bass,
        }
    }

    fn spelling(self) -> Spelling {
        match self {
            Naming::InKey(key) => key.spelling(),
            Naming::Forced(spelling) => spelling,
        }
    }

    /// `wanted`, unless it needs a double accidental or is a Cb, Fb, E# or B# that is no note
    /// of the key: then the plain name of `pitch`.
    fn named(self, wanted: Option<Note>, pitch: u8) -> Note {
        let plain = Note::from_pitch(pitch, self.spelling());
        let Naming::InKey(key) = self else {
            return plain;
        };
        match wanted {
            Some(note) if !is_white_key_accidental(note) || in_signature(key, note) => note,
            _ => plain,
        }
    }
}

/// Letters above the root for a bass `interval` semitones up: a diminished or flat fifth
/// (Gb over C) and an augmented fifth (G# over C) keep the fifth's letter.
fn bass_letters(chord: &Chord, interval: u8) -> u8 {
    let notes = chord.quality.intervals();
    let has = |i: u8| notes & 1 << i != 0;
    match interval {
        6 if has(6) && !has(7) => 4,
        8 if has(8) && !has(7) => 4,
        i => BASS_LETTERS[usize::from(i)],
    }
}

/// Cb, Fb, E# and B#: white keys named as black ones.
fn is_white_key_accidental(note: Note) -> bool {
    let natural = Note::from_pitch(note.pitch(), Spelling::Sharps);
    note.accidental() != Accidental::Natural && natural.accidental() == Accidental::Natural
}

/// Whether `note` is a note of `key` as written: in its signature (Cb in Gb major), or a minor
/// key's raised leading tone (E# in F# minor).
fn in_signature(key: Key, note: Note) -> bool {
    const MAJOR: [u8; 7] = [0, 2, 4, 5, 7, 9, 11];
    const MINOR: [u8; 7] = [0, 2, 3, 5, 7, 8, 10];
    let scale = if key.minor { MINOR } else { MAJOR };
    let steps = key.tonic.letter_steps_to(note);
    let above = shift_pitch(note.pitch(), -i32::from(key.tonic.pitch()));
    above == scale[usize::from(steps)] || (key.minor && steps == 6 && above == 11)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(key: &str, chord: &str, semitones: i32) -> String {
        let naming = Naming::InKey(key.parse().unwrap());
        naming.chord(&chord.parse().unwrap(), semitones).to_string()
    }

    #[test]
    fn names_from_the_function_in_the_key() {
        assert_eq!(named("Dm", "G#dim", -7), "C#dim");
        assert_eq!(named("Gm", "Am/G#", -2), "Gm/F#");
        assert_eq!(named("C", "A#", 0), "Bb");
        assert_eq!(named("Gb", "B/D#", 0), "Cb/Eb");
        // A flat fifth in the bass keeps the fifth's letter; so does an augmented one.
        assert_eq!(named("C", "Cdim/F#", 0), "Cdim/Gb");
        assert_eq!(named("C", "Caug/Ab", 0), "Caug/G#");
    }

    #[test]
    fn no_double_accidentals_and_no_white_keys_named_black_outside_the_key() {
        // bVI in Db is Bbb, bIII is Fb: A and E.
        assert_eq!(named("Db", "A", 0), "A");
        assert_eq!(named("Db", "E", 0), "E");
        assert_eq!(named("F#m", "Fdim7", 0), "E#dim7");
        assert_eq!(named("G#m", "Gdim7", 0), "Gdim7");
    }

    #[test]
    fn forced_spellings_name_every_black_key_one_way() {
        let sharps = Naming::Forced(Spelling::Sharps);
        let flats = Naming::Forced(Spelling::Flats);
        let chord: Chord = "Bb/Db".parse().unwrap();
        assert_eq!(sharps.chord(&chord, 0).to_string(), "A#/C#");
        assert_eq!(flats.chord(&chord, 2).to_string(), "C/Eb");
    }
}
