//! ChordPro: each chord written `[Chord]` inline, just before the character it stood over.
//!
//! Two dialects: the current standard (ChordPro 6: `{key}`, `{capo}`, metadata directives,
//! labelled blocks, grids with their shape), and the older one `chordii` reads without
//! complaint (only the directives it knows; the rest as subtitles and comments). In both,
//! square brackets in lyrics are turned into round ones so that no lyric becomes a chord, and
//! nothing else could read as a directive or comment.

use std::fmt::Write;

use super::key_phrases;
use crate::chords::arrange::Rendition;
use crate::chords::cho::capitalized;
use crate::chords::diagrams::Fingering;
use crate::chords::layout::{chord_line_text, settle};
use crate::chords::sheet::{Block, Item, Line, Placed, Section};
use crate::chords::song::META_NAMES;

/// Which ChordPro: the current standard (ChordPro 6), or the older one chordii reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Current,
    Legacy,
}

pub fn render(r: &Rendition, dialect: Dialect) -> String {
    let mut out = String::new();
    writeln!(out, "{{title: {}}}", unbracketed(&r.title)).unwrap();
    if let Some(source) = &r.source {
        writeln!(out, "{{subtitle: {}}}", unbracketed(source)).unwrap();
    }
    match dialect {
        Dialect::Current => metadata(&mut out, r),
        Dialect::Legacy => {
            for meta in &r.meta {
                let name = capitalized(&meta.name);
                writeln!(out, "{{subtitle: {name}: {}}}", unbracketed(&meta.value)).unwrap();
            }
            writeln!(out, "{{subtitle: {}}}", key_phrases(r).join(", ")).unwrap();
        }
    }
    for line in r.note.iter().flat_map(|n| n.lines()) {
        match dialect {
            // ChordPro 6 keeps it as metadata, so that it reads back.
            Dialect::Current => writeln!(out, "{{meta: note {}}}", unbracketed(line)).unwrap(),
            Dialect::Legacy => writeln!(out, "# {line}").unwrap(),
        }
    }
    let mut defined = Vec::new();
    for diagram in &r.diagrams {
        if let Some(fingering) = &diagram.fingering {
            let name = diagram.chord.to_string();
            writeln!(out, "{}", define(&name, fingering)).unwrap();
            defined.push(name);
        }
    }
    // The sheet's own fingerings stay with it.
    for own in r.defines.iter().filter(|d| !defined.contains(&d.name)) {
        writeln!(out, "{}", define(&own.name, &own.fingering)).unwrap();
    }
    for section in &r.sheet.sections {
        let directive = section.block.and_then(|b| directive_name(b, dialect));
        match (section.block, directive) {
            (Some(block), Some(name)) => {
                writeln!(out, "{}", block_start(section, block, name, dialect)).unwrap();
            }
            (block, _) => {
                if let Some(title) = section.label.as_deref().or(block.map(Block::title)) {
                    writeln!(out, "{{comment: {}}}", unbracketed(title)).unwrap();
                }
            }
        }
        if section.block == Some(Block::Grid) {
            for line in &section.lines {
                let text = line.items().map(|items| chord_line_text(&settle(items)));
                writeln!(out, "{}", text.unwrap_or_default()).unwrap();
            }
        } else {
            write_lines(&mut out, &section.lines);
        }
        if let Some(name) = directive {
            writeln!(out, "{{end_of_{name}}}").unwrap();
        }
    }
    out
}

fn write_lines(out: &mut String, lines: &[Line]) {
    let mut lines = lines.iter().peekable();
    while let Some(line) = lines.next() {
        let below = match (line, lines.peek()) {
            (Line::Chords { .. }, Some(Line::Lyrics { text })) => Some(text.clone()),
            (Line::Chords { .. }, Some(Line::Notes { items })) => {
                Some(chord_line_text(&settle(items)))
            }
            _ => None,
        };
        if below.is_some() {
            lines.next();
        }
        writeln!(out, "{}", chordpro_line(line, below.as_deref())).unwrap();
    }
}

/// ChordPro 6's metadata directives: each item under its own name (or `{meta}` for names
/// ChordPro has no directive for), the key of the chords as written here and the capo they are
/// played with. How far the song was moved is a comment: ChordPro has no directive for it.
fn metadata(out: &mut String, r: &Rendition) {
    for meta in &r.meta {
        let value = unbracketed(&meta.value);
        if META_NAMES.contains(&meta.name.as_str()) {
            writeln!(out, "{{{}: {value}}}", meta.name).unwrap();
        } else {
            writeln!(out, "{{meta: {} {value}}}", unbracketed(&meta.name)).unwrap();
        }
    }
    if let Some(key) = r.shapes_key.or(r.key) {
        writeln!(out, "{{key: {key}}}").unwrap();
    }
    if r.capo > 0 {
        writeln!(out, "{{capo: {}}}", r.capo).unwrap();
    }
    if r.transpose != 0 {
        writeln!(out, "# transposed {:+}", r.transpose).unwrap();
    }
}

/// The block's name in the dialect's `{start_of_...}`, if the dialect has it: chordii knows
/// only choruses and tabs, and shows a grid best as a tab.
fn directive_name(block: Block, dialect: Dialect) -> Option<&'static str> {
    match (dialect, block) {
        (Dialect::Current, b) => Some(b.name()),
        (Dialect::Legacy, Block::Chorus | Block::Tab) => Some(block.name()),
        (Dialect::Legacy, Block::Grid) => Some(Block::Tab.name()),
        (Dialect::Legacy, Block::Verse | Block::Bridge) => None,
    }
}

/// `{start_of_verse}`, with the label and a grid's shape as ChordPro 6 attributes; chordii's
/// dialect has no attributes, so a label goes in a comment before.
fn block_start(section: &Section, block: Block, name: &str, dialect: Dialect) -> String {
    let label = &section.label;
    match dialect {
        Dialect::Current => {
            let mut attributes = Vec::new();
            if let Some(label) = label {
                attributes.push(format!("label=\"{}\"", attribute_text(label)));
            }
            if let Some(shape) = &section.shape {
                attributes.push(format!("shape=\"{}\"", attribute_text(shape)));
            }
            if attributes.is_empty() {
                format!("{{start_of_{name}}}")
            } else {
                format!("{{start_of_{name}: {}}}", attributes.join(" "))
            }
        }
        Dialect::Legacy => {
            let title = label
                .as_deref()
                .or((block.name() != name).then_some(block.title()));
            match title {
                Some(title) => format!("{{comment: {}}}\n{{start_of_{name}}}", unbracketed(title)),
                None => format!("{{start_of_{name}}}"),
            }
        }
    }
}

/// Text for a quoted attribute: no quote to end it early, no brace to end the directive.
fn attribute_text(text: &str) -> String {
    unbracketed(text).replace('"', "'")
}

/// One output line: `line`, with `below` (the lyric or notes under a chord line) merged in.
fn chordpro_line(line: &Line, below: Option<&str>) -> String {
    match (line, below) {
        (Line::Chords { items }, below) => inline(items, below.unwrap_or("")),
        (Line::Notes { items }, _) => text_line(&chord_line_text(&settle(items))),
        (Line::Lyrics { text }, _) => {
            let trimmed = text.trim();
            if trimmed.starts_with('[') && trimmed.ends_with(']') {
                // A spoken aside in brackets: a remark, not a chord.
                format!("{{comment: {}}}", unbracketed(trimmed))
            } else {
                text_line(text)
            }
        }
        (Line::Annotation { text }, _) => format!("{{comment: {}}}", unbracketed(text.trim())),
        (Line::Blank, _) => String::new(),
    }
}

/// `lyric` with each item written `[item]` before the character at its column, exactly where
/// the sheet has it; the lyric is padded with spaces where the chords run past its end.
fn inline(items: &[Placed], lyric: &str) -> String {
    let mut chars: Vec<char> = unbracketed(lyric.trim_end()).chars().collect();
    let end = items.last().map_or(0, |p| p.column);
    if chars.len() < end {
        chars.resize(end, ' ');
    }
    let mut out = String::new();
    let mut at = 0;
    for placed in items {
        let column = placed.column.max(at);
        out.extend(&chars[at..column]);
        at = column;
        let star = if matches!(placed.item, Item::Annotation { .. }) {
            "*"
        } else {
            ""
        };
        write!(out, "[{star}{}]", unbracketed(&placed.item.text())).unwrap();
    }
    out.extend(&chars[at..]);
    starts_as_text(out)
}

/// Text with the brackets and braces ChordPro gives a meaning turned into parentheses, for
/// lyrics (where `[` starts a chord) and directives (where `}` ends one).
fn unbracketed(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '[' | '{' => '(',
            ']' | '}' => ')',
            c => c,
        })
        .collect()
}

/// A line of text: no brackets, and not starting as a comment.
fn text_line(text: &str) -> String {
    starts_as_text(unbracketed(text))
}

/// A line that would start with `#` is a comment to ChordPro; a leading space keeps it text.
fn starts_as_text(line: String) -> String {
    if line.starts_with('#') {
        format!(" {line}")
    } else {
        line
    }
}

/// `{define: NAME base-fret N frets ...}`, strings low E first, `x` for a string not played.
fn define(name: &str, f: &Fingering) -> String {
    let frets: Vec<String> = f
        .frets
        .iter()
        .map(|&fret| match fret {
            f if f < 0 => "x".to_string(),
            f => f.to_string(),
        })
        .collect();
    format!(
        "{{define: {} base-fret {} frets {}}}",
        unbracketed(name),
        f.base_fret.max(1),
        frets.join(" ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chords::arrange::{Options, arrange};
    use crate::chords::song::parse_plain;

    fn chordpro(text: &str) -> String {
        render(
            &arrange(&parse_plain(text, "T"), &Options::default()),
            Dialect::Current,
        )
    }

    fn body(text: &str) -> Vec<String> {
        chordpro(text)
            .lines()
            .skip_while(|l| {
                ["{title:", "{subtitle:", "{define:", "{key:", "# "]
                    .iter()
                    .any(|header| l.starts_with(header))
            })
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn puts_each_chord_before_its_syllable() {
        assert_eq!(
            body("Cm/G         Gm      Cm/G D\nEverything’s slipping     away…\n"),
            ["[Cm/G]Everything’s [Gm]slipping[Cm/G]     [D]away…"]
        );
    }

    #[test]
    fn pads_lyrics_for_chords_past_their_end() {
        assert_eq!(body("C        G\nla\n"), ["[C]la       [G]"]);
    }

    #[test]
    fn chord_only_lines_and_annotations_stay() {
        assert_eq!(
            body("(Intro)\nF# G#m B C#\nBm intro\n"),
            [
                "{comment: (Intro)}",
                // Spaces under the chords where the lyric would be, so they read back at
                // their columns.
                "[F#]   [G#m]    [B]  [C#]",
                "[Bm]   [intro]"
            ]
        );
    }

    #[test]
    fn brackets_in_lyrics_never_become_chords() {
        assert_eq!(
            body("[yeah, it’s two r’s- h-o-r-r, right]\nGm\nsay [what] {x}\n#1\n"),
            [
                "{comment: (yeah, it’s two r’s- h-o-r-r, right)}",
                "[Gm]say (what) (x)",
                " #1"
            ]
        );
    }

    #[test]
    fn notes_under_chords_are_text_with_the_chords_inline() {
        assert_eq!(
            body("F#    G#m\nG# A# F# C#(notes)\n"),
            ["[F#]G# A# [G#m]F# C#(notes)"]
        );
    }

    #[test]
    fn writes_defines_for_diagrams() {
        let song = parse_plain("C\nla\n", "T");
        let r = arrange(
            &song,
            &Options {
                diagrams: true,
                ..Options::default()
            },
        );
        assert!(render(&r, Dialect::Current).contains("{define: C base-fret 1 frets x 3 2 0 1 0}"));
    }
}
