//! Moving a whole sheet by semitones, every chord staying over its syllable.

use super::sheet::{Item, Line, Placed, Section, Sheet};
use super::spell::Naming;

/// `sheet` with every chord and note moved by `semitones` and named by `naming`. Lyric
/// lines and annotations are untouched, no line is added or removed, and every item keeps its
/// column, so each chord stays on its syllable (printing makes room for longer names).
pub fn transpose(sheet: &Sheet, semitones: i32, naming: Naming) -> Sheet {
    Sheet {
        sections: sheet
            .sections
            .iter()
            .map(|section| Section {
                label: section.label.clone(),
                block: section.block,
                shape: section.shape.clone(),
                lines: section
                    .lines
                    .iter()
                    .map(|line| transpose_line(line, semitones, naming))
                    .collect(),
            })
            .collect(),
    }
}

fn transpose_line(line: &Line, semitones: i32, naming: Naming) -> Line {
    let moved = |items: &[Placed]| {
        items
            .iter()
            .map(|p| Placed {
                column: p.column,
                item: transpose_item(&p.item, semitones, naming),
            })
            .collect()
    };
    match line {
        Line::Chords { items } => Line::Chords {
            items: moved(items),
        },
        Line::Notes { items } => Line::Notes {
            items: moved(items),
        },
        other => other.clone(),
    }
}

fn transpose_item(item: &Item, semitones: i32, naming: Naming) -> Item {
    match item {
        Item::Chord {
            chord,
            prefix,
            suffix,
        } => Item::Chord {
            chord: naming.chord(chord, semitones),
            prefix: prefix.clone(),
            suffix: suffix.clone(),
        },
        Item::Text { .. } | Item::Annotation { .. } => item.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chords::chord::Spelling;
    use crate::chords::layout::{chord_line_text, printed};
    use crate::chords::sheet::parse;

    fn shifted(text: &str, semitones: i32, spelling: Spelling) -> Vec<String> {
        let sheet = transpose(&parse(text), semitones, Naming::Forced(spelling));
        let lines: Vec<Line> = sheet.lines().cloned().collect();
        printed(&lines)
            .iter()
            .map(|line| match line {
                Line::Lyrics { text } => text.clone(),
                other => chord_line_text(other.items().unwrap()),
            })
            .collect()
    }

    #[test]
    fn chords_keep_their_columns_and_lyrics_stay() {
        let text = "Gm            Cm/G\nLook at these people\n";
        assert_eq!(
            shifted(text, 2, Spelling::Sharps),
            ["Am            Dm/A", "Look at these people"]
        );
    }

    #[test]
    fn a_longer_name_pushes_only_the_chord_it_would_touch() {
        let text = "F#dim            Gm       Cm/G Gm\n";
        assert_eq!(
            shifted(text, 1, Spelling::Sharps),
            ["Gdim             G#m      C#m/G# G#m"]
        );
    }

    #[test]
    fn chords_keep_their_columns_however_long_their_names_grow() {
        let sheet = transpose(&parse("Cm/G D\nla\n"), 1, Naming::Forced(Spelling::Sharps));
        let columns: Vec<_> = sheet
            .lines()
            .next()
            .unwrap()
            .items()
            .unwrap()
            .iter()
            .map(|p| p.column)
            .collect();
        assert_eq!(columns, [0, 5]);
    }

    #[test]
    fn notes_move_with_the_chords_and_keep_their_remarks() {
        let text = "G# A# F# C# G# C# B D# C# F F#(notes)\n";
        assert_eq!(
            shifted(text, -1, Spelling::Flats),
            // Bb is longer than B and would touch D: D moves one column, C stays.
            ["G  A  F  C  G  C  Bb D C  E F(notes)"]
        );
    }
}
