//! Reading ChordPro: `{directives}`, chords written `[Chord]` inline before their syllable,
//! `#` comments. Lines without brackets are read as plain-text sheet lines, so a chord line
//! typed over its lyric the old way still counts.

use super::sheet::{Item, Line, LineReader, Placed, SectionBuilder, expand_tabs, parse_item};
use super::song::{Header, Song};

/// Reads a ChordPro file. Never fails: unknown directives are skipped, and whatever is not a
/// chord is text.
pub fn parse(text: &str, fallback_title: &str) -> Song {
    let mut header = Header::default();
    let mut sections = SectionBuilder::default();
    let mut reader = LineReader::default();
    // Tab and grid blocks hold monospace text to print as it is.
    let mut verbatim = false;
    for raw in text.lines() {
        let trimmed = raw.trim();
        if trimmed.starts_with('#') {
            continue;
        }
        if let Some((name, value)) = directive(trimmed) {
            match name.as_str() {
                "title" | "t" => header.title = Some(value.to_string()),
                "subtitle" | "st" | "artist" | "album" => add_about(&mut header, value),
                "key" | "k" => header.key = value.parse().ok(),
                "comment" | "c" | "comment_italic" | "ci" | "comment_box" | "cb" | "highlight" => {
                    let line = Line::Annotation {
                        text: value.to_string(),
                    };
                    reader.saw(&line);
                    sections.push(line);
                }
                "chorus" => sections.push(Line::Annotation {
                    text: "Chorus".to_string(),
                }),
                _ => {
                    if let Some(block) = block_start(&name) {
                        verbatim = matches!(block, "tab" | "grid");
                        let label = if value.is_empty() {
                            capitalized(block)
                        } else {
                            value.to_string()
                        };
                        sections.close(Some(label));
                    } else if is_block_end(&name) {
                        verbatim = false;
                        sections.close(None);
                    }
                }
            }
            continue;
        }
        if verbatim {
            sections.push(if trimmed.is_empty() {
                Line::Blank
            } else {
                Line::Lyrics {
                    text: expand_tabs(raw),
                }
            });
            continue;
        }
        let line = expand_tabs(raw);
        match inline_chords(&line) {
            Some((items, lyric)) => {
                sections.push(Line::Chords { items });
                if !lyric.trim().is_empty() {
                    // Notes written as text under chords are still notes.
                    sections.push(match reader.read(&lyric) {
                        notes @ Line::Notes { .. } => notes,
                        _ => Line::Lyrics { text: lyric },
                    });
                }
            }
            None => sections.push(reader.read(&line)),
        }
    }
    Song {
        title: header.title.unwrap_or_else(|| fallback_title.to_string()),
        source: header.source,
        note: header.note,
        key: header.key,
        sheet: sections.finish(),
    }
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

/// The first subtitle (or artist) is the source; any more are remarks.
fn add_about(header: &mut Header, value: &str) {
    if header.source.is_none() {
        header.source = Some(value.to_string());
    } else {
        header.note = Some(match header.note.take() {
            Some(note) => format!("{note}\n{value}"),
            None => value.to_string(),
        });
    }
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

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Splits a line with `[...]` in it into the chords (at the columns of the characters they
/// stand before, exactly: several may share one) and the lyric. `None` when it holds no brackets.
fn inline_chords(line: &str) -> Option<(Vec<Placed>, String)> {
    let mut lyric = String::new();
    let mut wanted = Vec::new();
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let Some(length) = rest[open..].find(']') else {
            break;
        };
        lyric.push_str(&rest[..open]);
        let inside = rest[open + 1..open + length].trim();
        // `[*text]` is ChordPro's annotation: text over the lyric, not a chord.
        let inside = inside.strip_prefix('*').unwrap_or(inside);
        if !inside.is_empty() {
            let item = parse_item(inside).unwrap_or_else(|| Item::Text {
                text: inside.to_string(),
            });
            wanted.push(Placed {
                column: lyric.chars().count(),
                item,
            });
        }
        rest = &rest[open + length + 1..];
    }
    if wanted.is_empty() {
        return None;
    }
    lyric.push_str(rest);
    Some((wanted, lyric))
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
    fn blocks_become_labelled_sections() {
        let song = parse("la\n{soc}\n[C]la\n{eoc}\n{sot}\n[x]|--3--|\n{eot}\n", "T");
        let labels: Vec<_> = song
            .sheet
            .sections
            .iter()
            .map(|s| s.label.clone())
            .collect();
        assert_eq!(
            labels,
            [None, Some("Chorus".to_string()), Some("Tab".to_string())]
        );
        // Inside a tab block nothing is a chord.
        assert!(matches!(
            &song.sheet.sections[2].lines[0],
            Line::Lyrics { text } if text == "[x]|--3--|"
        ));
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
