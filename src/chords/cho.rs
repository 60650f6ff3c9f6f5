//! Reading ChordPro: `{directives}`, chords written `[Chord]` inline before their syllable,
//! `#` comments. Lines without brackets are read as plain-text sheet lines, so a chord line
//! typed over its lyric the old way still counts.

use super::diagrams::Define;
use super::sheet::{
    Block, Item, Line, LineReader, Opening, Placed, SectionBuilder, expand_tabs, grid_line,
    parse_item,
};
use super::song::{Header, Meta, Song};

/// Reads a ChordPro file. Never fails: unknown directives are skipped, and whatever is not a
/// chord is text.
pub fn parse(text: &str, fallback_title: &str) -> Song {
    let mut header = Header::default();
    let mut sections = SectionBuilder::default();
    let mut reader = LineReader::default();
    // What the block being read holds, if it is not lyrics.
    let mut inside: Option<Block> = None;
    for (i, raw) in text.lines().enumerate() {
        let number = i + 1;
        let trimmed = raw.trim();
        if trimmed.starts_with('#') {
            continue;
        }
        if let Some((name, value)) = directive(trimmed) {
            if header.take(&name, value) {
                continue;
            }
            match name.as_str() {
                "meta" => {
                    let (name, value) = value.split_once([' ', ':']).unwrap_or((value, ""));
                    if !header.take(name, value) {
                        header.meta.push(Meta {
                            name: name.to_ascii_lowercase(),
                            value: value.trim().to_string(),
                        });
                    }
                }
                "define" => header.defines.extend(Define::parse(value)),
                "comment" | "c" | "comment_italic" | "ci" | "comment_box" | "cb" | "highlight" => {
                    let line = Line::Annotation {
                        text: value.to_string(),
                    };
                    reader.saw(&line);
                    sections.push(line);
                }
                "chorus" => {
                    if !sections.recall_chorus() {
                        sections.push(Line::Annotation {
                            text: "Chorus".to_string(),
                        });
                    }
                }
                _ => {
                    if let Some(block) = block_start(&name) {
                        let known = Block::ALL.into_iter().find(|b| b.name() == block);
                        inside = known.filter(|b| matches!(b, Block::Tab | Block::Grid));
                        sections.open(opening(known, block, value));
                    } else if is_block_end(&name) {
                        inside = None;
                        sections.end();
                    }
                }
            }
            continue;
        }
        match inside {
            Some(Block::Tab) => {
                sections.push(if trimmed.is_empty() {
                    Line::Blank
                } else {
                    Line::Lyrics {
                        text: expand_tabs(raw),
                    }
                });
                continue;
            }
            Some(Block::Grid) => {
                let line = grid_line(&expand_tabs(raw));
                if let Some(items) = line.items() {
                    reader.report(number, items.iter().map(|p| (p.column, &p.item)));
                }
                sections.push(line);
                continue;
            }
            _ => {}
        }
        let line = expand_tabs(raw);
        match inline_chords(&line) {
            Some(Inline {
                items,
                lyric,
                brackets,
            }) => {
                reader.report(
                    number,
                    brackets.into_iter().zip(items.iter().map(|p| &p.item)),
                );
                sections.push(Line::Chords { items });
                if !lyric.trim().is_empty() {
                    // Notes written as text under chords are still notes; any unreadable
                    // chord among them was reported above.
                    let mut notes = LineReader::default();
                    sections.push(match notes.read(&lyric, number) {
                        notes @ Line::Notes { .. } => notes,
                        _ => Line::Lyrics { text: lyric },
                    });
                }
            }
            None => sections.push(reader.read(&line, number)),
        }
    }
    header.into_song(fallback_title, sections.finish(), reader.unreadable)
}

/// `{name: value}` or `{name value}` as (lower-case name, value).
fn directive(line: &str) -> Option<(String, &str)> {
    let inner = line.strip_prefix('{')?.strip_suffix('}')?.trim();
    let split = inner
        .find(|c: char| c == ':' || c.is_whitespace())
        .unwrap_or(inner.len());
    let (name, value) = inner.split_at(split);
    let value = value.strip_prefix(':').unwrap_or(value).trim();
    Some((name.to_ascii_lowercase(), value))
}

/// The block a directive opens: `chorus` for `start_of_chorus` or `soc`.
fn block_start(name: &str) -> Option<&str> {
    match name {
        "soc" => Some("chorus"),
        "sov" => Some("verse"),
        "sob" => Some("bridge"),
        "sot" => Some("tab"),
        "sog" => Some("grid"),
        _ => name.strip_prefix("start_of_").filter(|b| !b.is_empty()),
    }
}

fn is_block_end(name: &str) -> bool {
    matches!(name, "eoc" | "eov" | "eob" | "eot" | "eog") || name.starts_with("end_of_")
}

/// `word` with its first letter in upper case: `Part` for `start_of_part`.
pub fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// How a block opens, from its directive's value: ChordPro 6's `label="Verse 2"` and
/// `shape="1+4x2+4"` attributes, or the older bare value (a grid's shape when it is one, else
/// the label). A block ChordPro does not define is labelled with its name.
fn opening(block: Option<Block>, name: &str, value: &str) -> Opening {
    let (mut label, mut shape) = (attribute(value, "label"), attribute(value, "shape"));
    if label.is_none() && shape.is_none() && !value.is_empty() {
        let is_shape = value
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | 'x' | ' '));
        if block == Some(Block::Grid) && is_shape {
            shape = Some(value.to_string());
        } else {
            label = Some(value.to_string());
        }
    }
    if block.is_none() && label.is_none() {
        label = Some(capitalized(name));
    }
    Opening {
        label,
        block,
        shape,
    }
}

/// The value of `name="value"` in a directive's attributes.
fn attribute(value: &str, name: &str) -> Option<String> {
    let mut rest = value;
    while let Some(at) = rest.find(name) {
        let after = &rest[at + name.len()..];
        let boundary = at == 0 || rest[..at].ends_with(char::is_whitespace);
        if boundary && let Some(quoted) = after.trim_start().strip_prefix('=') {
            let quoted = quoted.trim_start();
            let quote = quoted.chars().next().filter(|q| matches!(q, '"' | '\''))?;
            let inner = &quoted[1..];
            return inner.find(quote).map(|end| inner[..end].to_string());
        }
        rest = after;
    }
    None
}

/// A lyric line with chords written inline.
struct Inline {
    /// Each at the column of the lyric character it stands before, exactly: several may
    /// share one.
    items: Vec<Placed>,
    lyric: String,
    /// The column of each item's name in the line, for reporting.
    brackets: Vec<usize>,
}

/// Splits a line with `[...]` in it into the chords and the lyric. `None` when it holds no
/// brackets.
fn inline_chords(line: &str) -> Option<Inline> {
    let mut lyric = String::new();
    let mut items = Vec::new();
    let mut brackets = Vec::new();
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let Some(length) = rest[open..].find(']') else {
            break;
        };
        lyric.push_str(&rest[..open]);
        let bracket = line[..line.len() - rest.len() + open].chars().count();
        let inside = rest[open + 1..open + length].trim();
        let item = match inside.strip_prefix('*') {
            // ChordPro's annotation: text over the lyric, never a chord.
            Some(annotation) => Some(Item::Annotation {
                annotation: annotation.to_string(),
            }),
            None if inside.is_empty() => None,
            None => Some(parse_item(inside).unwrap_or_else(|| Item::Text {
                text: inside.to_string(),
            })),
        };
        if let Some(item) = item {
            items.push(Placed {
                column: lyric.chars().count(),
                item,
            });
            brackets.push(bracket + 1);
        }
        rest = &rest[open + length + 1..];
    }
    if items.is_empty() {
        return None;
    }
    lyric.push_str(rest);
    Some(Inline {
        items,
        lyric,
        brackets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chords::layout::{chord_line_text, printed};

    fn lines(text: &str) -> Vec<String> {
        let lines: Vec<Line> = parse(text, "T").sheet.lines().cloned().collect();
        printed(&lines)
            .iter()
            .map(|line| match line {
                Line::Blank => String::new(),
                Line::Lyrics { text } | Line::Annotation { text } => text.clone(),
                other => chord_line_text(other.items().unwrap()),
            })
            .collect()
    }

    #[test]
    fn reads_directives() {
        let song = parse(
            "{title: Slipping}\n{st: Dr. Horrible}\n{subtitle: Key: Gm}\n{key: Gm}\n# hidden\n{define: X base-fret 1 frets 0 0 0 0 0 0}\n[Gm]la\n",
            "fallback",
        );
        assert_eq!(song.title, "Slipping");
        assert_eq!(song.source.as_deref(), Some("Dr. Horrible"));
        assert_eq!(song.note.as_deref(), Some("Key: Gm"));
        assert_eq!(song.key.map(|k| k.to_string()).as_deref(), Some("Gm"));
        assert_eq!(song.sheet.lines().count(), 2);
        assert_eq!(parse("[C]la", "fallback").title, "fallback");
    }

    #[test]
    fn inline_chords_go_back_over_their_syllables() {
        assert_eq!(
            lines("[Cm/G]Everything’s [Gm]slipping [Cm/G]    [D]away…\n"),
            [
                "Cm/G         Gm       Cm/G D",
                // D is sung on "away": the lyric makes room for the Cm/G before it.
                "Everything’s slipping      away…"
            ]
        );
        // Chords with nothing between them keep a space apart, the second on its syllable.
        assert_eq!(lines("[C][G]la"), ["C G", "  la"]);
        assert_eq!(lines("[F#] [G#m]  [*intro]"), ["F# G#m intro"]);
    }

    #[test]
    fn blocks_become_sections_with_their_labels() {
        let song = parse(
            "la\n{soc}\n[C]la\n\n[G]lo\n{eoc}\n{sot}\n[x]|--3--|\n{eot}\n\
             {start_of_verse: Verse 2}\nla\n{end_of_verse}\n{start_of_part}\nla\n{end_of_part}\n",
            "T",
        );
        let heads: Vec<_> = song
            .sheet
            .sections
            .iter()
            .map(|s| (s.block, s.label.as_deref(), s.lines.len()))
            .collect();
        assert_eq!(
            heads,
            [
                (None, None, 1),
                // A blank line inside a block does not end it.
                (Some(Block::Chorus), None, 5),
                (Some(Block::Tab), None, 1),
                (Some(Block::Verse), Some("Verse 2"), 1),
                (None, Some("Part"), 1),
            ]
        );
        // Inside a tab block nothing is a chord.
        assert!(matches!(
            &song.sheet.sections[2].lines[0],
            Line::Lyrics { text } if text == "[x]|--3--|"
        ));
    }

    #[test]
    fn grids_are_chords_with_their_shape() {
        for (directive, label, shape) in [
            ("{start_of_grid 21}", None, Some("21")),
            ("{start_of_grid: shape=\"1+4x2+4\"}", None, Some("1+4x2+4")),
            (
                "{sog: label=\"Intro\" shape=\"4x2\"}",
                Some("Intro"),
                Some("4x2"),
            ),
            ("{start_of_grid: Coda}", Some("Coda"), None),
        ] {
            let song = parse(
                &format!("{directive}\nA  || Am . | C7 . :|\n{{eog}}\n"),
                "T",
            );
            let grid = &song.sheet.sections[0];
            assert_eq!(grid.block, Some(Block::Grid), "{directive}");
            assert_eq!(grid.label.as_deref(), label, "{directive}");
            assert_eq!(grid.shape.as_deref(), shape, "{directive}");
            let chords: Vec<_> = song
                .sheet
                .chords()
                .iter()
                .map(ToString::to_string)
                .collect();
            // "A" in the margin is the row's name, not a chord.
            assert_eq!(chords, ["Am", "C7"], "{directive}");
        }
    }

    #[test]
    fn chorus_recalls_the_last_chorus() {
        let song = parse("{soc}\n[C]la\n{eoc}\n[G]verse\n{chorus}\n", "T");
        let sections = &song.sheet.sections;
        assert_eq!(sections.len(), 3);
        assert_eq!(sections[2], sections[0]);
        // With no chorus before it, it is a remark.
        let song = parse("{chorus}\n", "T");
        assert_eq!(
            song.sheet.lines().next(),
            Some(&Line::Annotation {
                text: "Chorus".to_string()
            })
        );
    }

    #[test]
    fn annotations_stay_annotations_and_odd_names_are_reported() {
        let song = parse("[*N.C.]la [Am13]la [Gsus3]la\nG  Dsus3\nla\n", "T");
        let items = song.sheet.lines().next().unwrap().items().unwrap();
        assert_eq!(
            items[0].item,
            Item::Annotation {
                annotation: "N.C.".to_string()
            }
        );
        assert_eq!(items[1].item.chord().unwrap().to_string(), "Am13");
        let reported: Vec<_> = song
            .unreadable
            .iter()
            .map(|u| (u.line, u.column, u.text.as_str()))
            .collect();
        assert_eq!(reported, [(1, 21, "Gsus3"), (2, 4, "Dsus3")]);
    }

    #[test]
    fn notes_and_plain_chord_lines_are_recognised() {
        let song = parse("[F#]G# A# F#[G#m] C#(notes)\nAm    C\nla la\n", "T");
        let kinds: Vec<_> = song
            .sheet
            .lines()
            .map(|l| match l {
                Line::Chords { .. } => "chords",
                Line::Notes { .. } => "notes",
                Line::Lyrics { .. } => "lyrics",
                _ => "other",
            })
            .collect();
        assert_eq!(kinds, ["chords", "notes", "chords", "lyrics"]);
    }
}
