//! What a fingering sounds in standard tuning, and whether that is the chord it is drawn for.
//! Every diagram is checked before it is drawn: chords-db has shapes that play other chords
//! (its Am/G# has F# in the bass), and a wrong diagram is worse than none.

use std::fmt;

use super::chord::{Chord, Note, Spelling};
use super::diagrams::Fingering;

/// Standard tuning, low E first, as MIDI note numbers.
pub const TUNING: [i32; 6] = [40, 45, 50, 55, 59, 64];

/// The MIDI note each string sounds, low E first; `None` for a string not played.
pub fn pitches(f: &Fingering) -> [Option<i32>; 6] {
    std::array::from_fn(|string| match f.frets[string] {
        row if row < 0 => None,
        0 => Some(TUNING[string]),
        row => Some(TUNING[string] + i32::from(row) + i32::from(f.base_fret) - 1),
    })
}

/// Why a fingering is not the chord.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// No string is played.
    Silent,
    /// The lowest note is not the bass (the root, or the note after the slash).
    Bass { lowest: u8, wanted: u8 },
    /// A note that is not in the chord.
    Foreign(u8),
    /// A note the chord cannot do without (its root, third, seventh, alterations, added notes
    /// and highest extension) does not sound.
    Missing(u8),
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = |pitch: u8| Note::from_pitch(pitch, Spelling::Sharps);
        match *self {
            Fault::Silent => write!(f, "no string is played"),
            Fault::Bass { lowest, wanted } => {
                write!(f, "{} in the bass, not {}", name(lowest), name(wanted))
            }
            Fault::Foreign(pitch) => write!(f, "{} is not in the chord", name(pitch)),
            Fault::Missing(pitch) => write!(f, "{} does not sound", name(pitch)),
        }
    }
}

/// Diminished seventh and augmented chords: the same notes from any of them, so guitarists
/// play whichever inversion lies under the hand.
const SYMMETRIC: [u16; 2] = [1 | 1 << 3 | 1 << 6 | 1 << 9, 1 | 1 << 4 | 1 << 8];

/// Checks that `f` plays `chord`: its bass lowest (the root unless a slash names another;
/// any note of a symmetric chord), nothing outside the chord, and every note the chord cannot
/// do without ([`Quality::essential`]).
///
/// [`Quality::essential`]: super::quality::Quality::essential
pub fn check(chord: &Chord, f: &Fingering) -> Result<(), Fault> {
    let (root, intervals, bass) = chord.identity();
    let sounding: Vec<i32> = pitches(f).into_iter().flatten().collect();
    let class = |midi: i32| midi.rem_euclid(12) as u8;
    let lowest = class(*sounding.iter().min().ok_or(Fault::Silent)?);
    let wanted = bass.unwrap_or(root);
    let any_inversion = bass.is_none() && SYMMETRIC.contains(&intervals);
    if lowest != wanted && !any_inversion {
        return Err(Fault::Bass { lowest, wanted });
    }
    let above_root = |pitch: u8| (pitch + 12 - root) % 12;
    let mut heard = 0u16;
    for pitch in sounding.into_iter().map(class) {
        if intervals & 1 << above_root(pitch) == 0 && Some(pitch) != bass {
            return Err(Fault::Foreign(pitch));
        }
        heard |= 1 << above_root(pitch);
    }
    let missing = chord.quality.essential() & !heard;
    match (0..12u8).find(|i| missing & 1 << i != 0) {
        Some(interval) => Err(Fault::Missing((root + interval) % 12)),
        None => Ok(()),
    }
}
