//! Plain text: chords over lyrics as the transcriber typed them, with chord boxes on request.
//! Colour is the caller's decision; without it the output is plain characters.

use std::fmt::Write;

use super::{key_phrases, meta_phrases};
use crate::chords::arrange::Rendition;
use crate::chords::diagrams::{Diagram, ROWS};
use crate::chords::layout::{lay_out, printed};
use crate::chords::sheet::{Block, Item, Line, Placed};
use crate::output::Paint;

/// Boxes are laid side by side up to this width.
const PAGE_WIDTH: usize = 78;
/// Room for the six strings (11 characters) and a base-fret label.
const BOX_WIDTH: usize = 16;

const BOLD: &str = Paint::BOLD;
const CHORD: &str = "1;36";
const NOTE: &str = "36";
const DIM: &str = "2";

pub fn render(r: &Rendition, paint: Paint) -> String {
    let mut out = String::new();
    let mut about = Vec::new();
    about.extend(r.source.clone());
    about.extend(key_phrases(r));
    writeln!(out, "{}", paint.apply(BOLD, &r.title)).unwrap();
    writeln!(out, "{}", about.join(" · ")).unwrap();
    let meta = meta_phrases(r);
    if !meta.is_empty() {
        writeln!(out, "{}", meta.join(" · ")).unwrap();
    }
    out.push('\n');
    if !r.diagrams.is_empty() {
        for line in boxes(&r.diagrams) {
            writeln!(out, "{}", line.trim_end()).unwrap();
        }
        out.push('\n');
    }
    for section in &r.sheet.sections {
        if let Some(label) = section.label.as_deref().or(section.block.map(Block::title)) {
            writeln!(out, "{}", paint.apply(BOLD, &format!("{label}:"))).unwrap();
        }
        for line in &printed(&section.lines) {
            let text = match line {
                Line::Blank => String::new(),
                Line::Chords { items } => chord_line(items, paint, CHORD),
                Line::Notes { items } => chord_line(items, paint, NOTE),
                Line::Lyrics { text } => text.trim_end().to_string(),
                Line::Annotation { text } => paint.apply(DIM, text.trim_end()),
            };
            writeln!(out, "{text}").unwrap();
        }
    }
    out
}

fn chord_line(items: &[Placed], paint: Paint, chord_style: &str) -> String {
    lay_out(items, |item, text| {
        let style = match item {
            Item::Chord { .. } => chord_style,
            Item::Text { .. } | Item::Annotation { .. } => DIM,
        };
        paint.apply(style, text)
    })
}

/// Chord boxes side by side, as many to a row as fit the page.
fn boxes(diagrams: &[Diagram]) -> Vec<String> {
    let per_row = (PAGE_WIDTH / BOX_WIDTH).max(1);
    let mut lines = Vec::new();
    for (i, row) in diagrams.chunks(per_row).enumerate() {
        if i > 0 {
            lines.push(String::new());
        }
        let drawn: Vec<Vec<String>> = row.iter().map(chord_box).collect();
        for n in 0..drawn[0].len() {
            let mut line = String::new();
            for d in &drawn {
                let cell = &d[n];
                line.push_str(cell);
                let width = cell.chars().count();
                // A name longer than the box still gets a space before the next one.
                line.extend(std::iter::repeat_n(
                    ' ',
                    BOX_WIDTH.saturating_sub(width).max(1),
                ));
            }
            lines.push(line);
        }
    }
    lines
}

/// One box: the name, open and muted strings, the nut or the base fret, then a row per fret
/// with the finger (or `*` when no finger is known) where a string is held.
fn chord_box(diagram: &Diagram) -> Vec<String> {
    let mut lines = vec![diagram.chord.to_string()];
    let Some(f) = &diagram.fingering else {
        lines.push("(no diagram)".to_string());
        lines.extend(std::iter::repeat_n(String::new(), ROWS as usize + 1));
        return lines;
    };
    let strings = |mark: &dyn Fn(usize) -> char| {
        (0..6)
            .map(mark)
            .map(String::from)
            .collect::<Vec<_>>()
            .join(" ")
    };
    lines.push(strings(&|s| match f.frets[s] {
        -1 => 'x',
        0 => 'o',
        _ => ' ',
    }));
    lines.push(if f.base_fret <= 1 {
        "=".repeat(11)
    } else {
        format!("{} {}fr", "-".repeat(11), f.base_fret)
    });
    for row in 1..=ROWS as i8 {
        lines.push(strings(&|s| {
            if f.frets[s] != row {
                '|'
            } else {
                char::from_digit(u32::from(f.fingers[s]), 10)
                    .filter(|&c| c != '0')
                    .unwrap_or('*')
            }
        }));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_an_open_chord() {
        let diagram = Diagram::of(&"C".parse().unwrap());
        assert_eq!(
            chord_box(&diagram),
            [
                "C",
                "x     o   o",
                "===========",
                "| | | | 1 |",
                "| | 2 | | |",
                "| 3 | | | |",
                "| | | | | |",
            ]
        );
    }

    #[test]
    fn draws_a_barre_with_its_base_fret() {
        let diagram = Diagram::of(&"G#m".parse().unwrap());
        assert_eq!(
            chord_box(&diagram),
            [
                "G#m",
                "           ",
                "----------- 4fr",
                "1 | | 1 1 1",
                "| | | | | |",
                "| 3 4 | | |",
                "| | | | | |",
            ]
        );
    }
}
