//! Turning a song and the player's wishes (a key, a capo, sharps or flats) into what gets
//! printed: the rendition every output format is made from.

use serde::{Deserialize, Serialize};

use super::chord::{Chord, Spelling, shift_pitch};
use super::diagrams::{Define, Diagram};
use super::key::{self, Key, spelling_of};
use super::sheet::Sheet;
use super::song::{Meta, Song};
use super::spell::Naming;
use super::transpose::transpose;

/// What the player asked for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Semitones to move the sounding song by.
    pub transpose: i32,
    /// The fret the capo is on; the chords shown are the shapes to play above it. `None`
    /// keeps the song's own capo.
    pub capo: Option<u8>,
    /// Sharps or flats whatever the key; `None` follows the key.
    pub spelling: Option<Spelling>,
    /// Include fingerings for the chords.
    pub diagrams: bool,
}

/// A song as it is to be played: the parsed structure that `--format json` prints and every
/// other format is rendered from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rendition {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Artist, composer, year, tempo, time and the like, as the song gives them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub meta: Vec<Meta>,
    /// The key it sounds in; `None` for a sheet without chords.
    pub key: Option<Key>,
    pub transpose: i32,
    pub capo: u8,
    /// With a capo, the key of the shapes played.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shapes_key: Option<Key>,
    /// The chords as played, once each, in order of first appearance.
    pub chords: Vec<Chord>,
    #[serde(flatten)]
    pub sheet: Sheet,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagrams: Vec<Diagram>,
    /// The fingerings the sheet gives (`{define}`), while its chords are as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub defines: Vec<Define>,
}

/// The song's key: the one it declares, else the one its chords fit best.
pub fn song_key(song: &Song) -> Option<Key> {
    song.key.or_else(|| key::detect(&song.sheet.chords()))
}

pub fn arrange(song: &Song, options: &Options) -> Rendition {
    // The chords as written are shapes above the song's own capo, if it has one.
    let written = song_key(song);
    let song_capo = i32::from(song.capo.unwrap_or(0));
    let capo = options.capo.unwrap_or(song.capo.unwrap_or(0));
    let shift = options.transpose + song_capo - i32::from(capo);
    // The key moved by `semitones`, spelled as asked or as that key is written; unmoved and
    // not asked, spelled as the song spells it.
    let moved = |semitones: i32| {
        written.map(|k| match (semitones, options.spelling) {
            (0, None) => k,
            (_, Some(spelling)) => k.transposed(semitones, spelling),
            (_, None) => k.transposed(
                semitones,
                spelling_of(shift_pitch(k.tonic.pitch(), semitones), k.minor),
            ),
        })
    };
    let shapes_key = moved(shift);
    let sheet = match (shift, options.spelling) {
        (0, None) => song.sheet.clone(),
        (_, Some(spelling)) => transpose(&song.sheet, shift, Naming::Forced(spelling)),
        (_, None) => {
            let naming = shapes_key.map_or(Naming::Forced(Spelling::Sharps), Naming::InKey);
            transpose(&song.sheet, shift, naming)
        }
    };
    let chords = sheet.distinct_chords();
    // The sheet's own fingerings are for its chords as written.
    let defines = if shift == 0 { &song.defines[..] } else { &[] };

    let diagrams = if options.diagrams {
        chords
            .iter()
            .map(|c| Diagram::with_defines(c, defines))
            .collect()
    } else {
        Vec::new()
    };
    Rendition {
        title: song.title.clone(),
        source: song.source.clone(),
        note: song.note.clone(),
        meta: song.meta.clone(),
        key: moved(options.transpose + song_capo),
        transpose: options.transpose,
        capo,
        shapes_key: (capo > 0).then_some(shapes_key).flatten(),
        chords,
        sheet,
        diagrams,
        defines: defines.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chords::song::parse_plain;

    fn rendition(text: &str, options: Options) -> Rendition {
        arrange(&parse_plain(text, "t"), &options)
    }

    fn chord_names(r: &Rendition) -> String {
        r.chords
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    }

    const SO_THEY_SAY: &str = "F# G#m B C# D#m\nla\nF#\nla\n";

    #[test]
    fn untransposed_keeps_the_songs_own_spelling() {
        let r = rendition(SO_THEY_SAY, Options::default());
        assert_eq!(r.key.unwrap().to_string(), "F#");
        assert_eq!(chord_names(&r), "F# G#m B C# D#m");
    }

    #[test]
    fn transposed_spelling_follows_the_new_key() {
        let r = rendition(
            SO_THEY_SAY,
            Options {
                transpose: -1,
                ..Options::default()
            },
        );
        assert_eq!(r.key.unwrap().to_string(), "F");
        assert_eq!(chord_names(&r), "F Gm Bb C Dm");
        let r = rendition(
            SO_THEY_SAY,
            Options {
                transpose: 1,
                spelling: Some(Spelling::Sharps),
                ..Options::default()
            },
        );
        assert_eq!(r.key.unwrap().to_string(), "G");
        let r = rendition(
            SO_THEY_SAY,
            Options {
                spelling: Some(Spelling::Flats),
                ..Options::default()
            },
        );
        assert_eq!(r.key.unwrap().to_string(), "Gb");
        assert_eq!(chord_names(&r), "Gb Abm B Db Ebm");
    }

    #[test]
    fn a_capo_shows_shapes_and_keeps_the_sounding_key() {
        let r = rendition(
            SO_THEY_SAY,
            Options {
                capo: Some(2),
                ..Options::default()
            },
        );
        assert_eq!(r.key.unwrap().to_string(), "F#");
        assert_eq!(r.shapes_key.unwrap().to_string(), "E");
        assert_eq!(chord_names(&r), "E F#m A B C#m");
    }

    #[test]
    fn a_declared_key_wins() {
        let r = rendition("title: T\nkey: D#m\n---\nF# G#m\n", Options::default());
        assert_eq!(r.key.unwrap().to_string(), "D#m");
    }
}
