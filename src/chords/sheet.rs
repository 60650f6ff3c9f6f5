//! Chord sheets as musicians type them: chords on a line of their own, each over the syllable
//! it falls on, then the lyric line.
//!
//! A line is a chord line only when every token on it is a chord (possibly decorated, as in
//! `(Ab)` or `F#(chords)`) or one of a few words and marks that go with chords (`intro`, `|`,
//! `x2`, a parenthesised remark). That is what keeps "A hero doesn't care if you're" a lyric:
//! `hero` is no chord.

use serde::{Deserialize, Serialize};

use super::chord::Chord;

/// Tab stops in a sheet, for lining up chords typed with tabs over lyrics typed with spaces.
const TAB_WIDTH: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sheet {
    pub sections: Vec<Section>,
}

/// Lines that belong together: a run of lines between blank lines, or from one annotation
/// (`(Dr. Horrible)`) to the next; in ChordPro, a verse or chorus block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// What the section is, when the source says (ChordPro's `{start_of_chorus}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub lines: Vec<Line>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Line {
    Blank,
    /// Chords, each at its column over the line below.
    Chords {
        items: Vec<Placed>,
    },
    /// Single notes to play (`G# A# F#(notes)`): moved with the chords, but no part of the
    /// harmony, so not counted for the key or the diagrams.
    Notes {
        items: Vec<Placed>,
    },
    Lyrics {
        text: String,
    },
    /// A remark on a line of its own: `(Dr. Horrible)`, `(Notes only)`.
    Annotation {
        text: String,
    },
}

/// Something on a chord line, and its column (in characters): over a lyric, that of the
/// character it is sung on, which it keeps whatever its name becomes; printing makes room for
/// a name that grew (see [`layout`](super::layout)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placed {
    pub column: usize,
    #[serde(flatten)]
    pub item: Item,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Item {
    /// A chord with what was typed around it: `(` and `)` for an optional chord, a remark
    /// such as `(chords)` after it, bar lines.
    Chord {
        chord: Chord,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        prefix: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        suffix: String,
    },
    /// A word or mark among the chords: `intro`, `|`, `x2`, `(notes use the same chords)`.
    Text { text: String },
}

impl Item {
    /// The item as printed.
    pub fn text(&self) -> String {
        match self {
            Item::Chord {
                chord,
                prefix,
                suffix,
            } => format!("{prefix}{chord}{suffix}"),
            Item::Text { text } => text.clone(),
        }
    }

    pub fn chord(&self) -> Option<&Chord> {
        match self {
            Item::Chord { chord, .. } => Some(chord),
            Item::Text { .. } => None,
        }
    }
}

impl Line {
    /// The items of a chord or note line.
    pub fn items(&self) -> Option<&[Placed]> {
        match self {
            Line::Chords { items } | Line::Notes { items } => Some(items),
            _ => None,
        }
    }
}

impl Sheet {
    pub fn lines(&self) -> impl Iterator<Item = &Line> {
        self.sections.iter().flat_map(|s| &s.lines)
    }

    /// Every chord of the harmony in order, note lines left out.
    pub fn chords(&self) -> Vec<Chord> {
        self.lines()
            .filter_map(|line| match line {
                Line::Chords { items } => Some(items),
                _ => None,
            })
            .flatten()
            .filter_map(|p| p.item.chord().copied())
            .collect()
    }

    /// The chords used, once each in order of first appearance; enharmonic spellings count as
    /// one chord.
    pub fn distinct_chords(&self) -> Vec<Chord> {
        let mut seen = Vec::new();
        let mut out = Vec::new();
        for chord in self.chords() {
            if !seen.contains(&chord.identity()) {
                seen.push(chord.identity());
                out.push(chord);
            }
        }
        out
    }
}

/// Reads a plain-text chord sheet. Never fails: whatever is not chords is lyrics.
pub fn parse(text: &str) -> Sheet {
    let mut sections = SectionBuilder::default();
    let mut reader = LineReader::default();
    for raw in text.lines() {
        sections.push(reader.read(raw));
    }
    sections.finish()
}

/// Reads plain-text lines one at a time, remembering what the line before announced.
#[derive(Default)]
pub struct LineReader {
    notes_follow: bool,
}

impl LineReader {
    pub fn read(&mut self, raw: &str) -> Line {
        let line = classify(&expand_tabs(raw), self.notes_follow);
        self.saw(&line);
        line
    }

    /// Takes note of a line that came another way (a ChordPro comment).
    pub fn saw(&mut self, line: &Line) {
        self.notes_follow = matches!(line, Line::Annotation { text } if announces_notes(text));
    }
}

/// Splits lines into sections: at each annotation, and where text resumes after blank lines.
#[derive(Default)]
pub struct SectionBuilder {
    sections: Vec<Section>,
    current: Vec<Line>,
    label: Option<String>,
}

impl SectionBuilder {
    pub fn push(&mut self, line: Line) {
        let after_blank = matches!(self.current.last(), Some(Line::Blank));
        let starts_section = match &line {
            Line::Blank => false,
            Line::Annotation { .. } => {
                !matches!(self.current.last(), None | Some(Line::Annotation { .. }))
            }
            _ => after_blank,
        };
        if starts_section {
            self.close(None);
        }
        self.current.push(line);
    }

    /// Ends the current section and names the next one.
    pub fn close(&mut self, next_label: Option<String>) {
        if !self.current.is_empty() || self.label.is_some() {
            self.sections.push(Section {
                label: self.label.take(),
                lines: std::mem::take(&mut self.current),
            });
        }
        self.label = next_label;
    }

    pub fn finish(mut self) -> Sheet {
        self.close(None);
        Sheet {
            sections: self.sections,
        }
    }
}

/// What one line of a plain-text sheet is. `notes_follow`: the line before announced notes.
fn classify(line: &str, notes_follow: bool) -> Line {
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return Line::Blank;
    }
    if let Some(items) = chord_items(line) {
        // `F#(notes)` or a lone `(notes)` says what the whole line is.
        let notes = notes_follow
            || items
                .iter()
                .any(|p| p.item.text().to_ascii_lowercase().contains("(notes"));
        return if notes {
            Line::Notes { items }
        } else {
            Line::Chords { items }
        };
    }
    if trimmed.starts_with('(') && trimmed.ends_with(')') {
        return Line::Annotation {
            text: line.to_string(),
        };
    }
    Line::Lyrics {
        text: line.to_string(),
    }
}

/// `(Notes only)` and the like: the next line is notes, though nothing on it says so.
fn announces_notes(annotation: &str) -> bool {
    let inner = annotation
        .trim()
        .trim_start_matches('(')
        .trim_end_matches(')')
        .trim()
        .to_ascii_lowercase();
    matches!(inner.as_str(), "notes" | "notes only" | "note" | "notes:")
}

/// The items of `line` if it is a chord line.
fn chord_items(line: &str) -> Option<Vec<Placed>> {
    let mut items = Vec::new();
    let (mut chords, mut words) = (0, 0);
    for (column, token) in tokens(line) {
        let item = parse_item(token)?;
        match &item {
            Item::Chord { .. } => chords += 1,
            Item::Text { text } if text.chars().any(char::is_alphabetic) => words += 1,
            Item::Text { .. } => {}
        }
        items.push(Placed { column, item });
    }
    // Words may go with chords but not outnumber them: `Bm intro` is a chord line, `Intro
    // riff A` is not.
    (chords > 0 && words <= chords).then_some(items)
}

/// Whitespace-separated tokens with their columns; a parenthesis keeps its spaces inside one
/// token, so `F#(notes use the same chords)` is one.
fn tokens(line: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start: Option<(usize, usize)> = None;
    let mut depth = 0usize;
    for (column, (byte, c)) in line.char_indices().enumerate() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if c.is_whitespace() && depth == 0 {
            if let Some((col, from)) = start.take() {
                out.push((col, &line[from..byte]));
            }
        } else if start.is_none() {
            start = Some((column, byte));
        }
    }
    if let Some((col, from)) = start {
        out.push((col, &line[from..]));
    }
    out
}

/// Words that go with chords on a chord line.
const CHORD_LINE_WORDS: &[&str] = &[
    "intro",
    "outro",
    "verse",
    "chorus",
    "pre-chorus",
    "bridge",
    "solo",
    "riff",
    "instrumental",
    "interlude",
    "coda",
    "end",
    "fine",
    "repeat",
    "refrain",
    "n.c.",
    "nc",
];

/// A token of a chord line: a chord with its decorations, or a word or mark that may stand
/// among chords. `None` for anything else, which makes the line lyrics.
pub fn parse_item(token: &str) -> Option<Item> {
    let core_start = token
        .find(|c: char| c != '(' && c != '|')
        .unwrap_or(token.len());
    let (prefix, rest) = token.split_at(core_start);
    let core_end = rest.find(['(', ')', '|', '*', ',']).unwrap_or(rest.len());
    let (core, suffix) = rest.split_at(core_end);
    if let Ok(chord) = core.parse::<Chord>()
        && is_decoration(suffix)
    {
        return Some(Item::Chord {
            chord,
            prefix: prefix.to_string(),
            suffix: suffix.to_string(),
        });
    }
    is_chord_line_text(token).then(|| Item::Text {
        text: token.to_string(),
    })
}

fn is_decoration(suffix: &str) -> bool {
    suffix.chars().all(|c| matches!(c, ')' | '|' | '*' | ','))
        || (suffix.starts_with('(') && suffix.ends_with(')'))
}

fn is_chord_line_text(token: &str) -> bool {
    let lower = token.to_lowercase();
    let word = lower.trim_end_matches(':');
    let repeat = |digits: &str| !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit());
    (token.starts_with('(') && token.ends_with(')'))
        || token
            .chars()
            .all(|c| matches!(c, '|' | '/' | '-' | '–' | '%' | '.' | '…' | ':'))
        || CHORD_LINE_WORDS.contains(&word)
        || word.strip_prefix(['x', '×']).is_some_and(repeat)
        || word.strip_suffix(['x', '×']).is_some_and(repeat)
}

/// Replaces tabs with spaces up to the next tab stop.
pub fn expand_tabs(line: &str) -> String {
    if !line.contains('\t') {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len() + TAB_WIDTH);
    let mut column = 0;
    for c in line.chars() {
        if c == '\t' {
            let next = (column / TAB_WIDTH + 1) * TAB_WIDTH;
            out.extend(std::iter::repeat_n(' ', next - column));
            column = next;
        } else {
            out.push(c);
            column += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chords::layout::chord_line_text;

    fn kind(line: &str) -> &'static str {
        match classify(line, false) {
            Line::Blank => "blank",
            Line::Chords { .. } => "chords",
            Line::Notes { .. } => "notes",
            Line::Lyrics { .. } => "lyrics",
            Line::Annotation { .. } => "annotation",
        }
    }

    #[test]
    fn tells_the_hard_lines_of_the_seed_apart() {
        assert_eq!(kind("G# A# F# C# G# C# B D# C# F F#(notes)"), "notes");
        assert_eq!(
            kind("         C# G# C# B D# C# F F#(notes use the same chords)"),
            "notes"
        );
        assert_eq!(kind("      F#    G#m   B    C#   F#(chords)"), "chords");
        assert_eq!(kind("Bm intro"), "chords");
        assert_eq!(kind("Bm outro"), "chords");
        assert_eq!(kind("Bbm          Db      Eb     (Ab)"), "chords");
        assert_eq!(kind("D   Eb    D   Eb  D    Eb F#"), "chords");
        assert_eq!(kind("[yeah, it’s two r’s- h-o-r-r, right]"), "lyrics");
        assert_eq!(kind("A hero doesn’t care if you’re"), "lyrics");
        assert_eq!(kind("A bunch of sca-ry al-co-ho-lic bums"), "lyrics");
        assert_eq!(kind("(Dr. Horrible)"), "annotation");
        assert_eq!(
            kind("(Aside from the Fsus these are just the bass notes)"),
            "annotation"
        );
        assert_eq!(kind("Everyone’s a hero in their- (way)"), "lyrics");
        assert_eq!(kind("Intro A"), "chords");
        assert_eq!(kind("Intro riff A"), "lyrics");
        assert_eq!(kind("G# A# (notes)"), "notes");
        assert_eq!(kind("   "), "blank");
    }

    #[test]
    fn a_notes_only_remark_makes_the_next_line_notes() {
        let sheet = parse("(Notes only)\nGb F Eb C Eb Bb Ab F\nFm\nwords\n");
        let lines: Vec<_> = sheet.lines().collect();
        assert!(matches!(lines[1], Line::Notes { .. }));
        assert!(matches!(lines[2], Line::Chords { .. }));
        assert_eq!(sheet.chords().len(), 1);
    }

    #[test]
    fn keeps_columns_and_decorations() {
        let Line::Chords { items } = classify("      F#    G#m   B    C#   F#(chords)", false)
        else {
            panic!("a chord line");
        };
        let columns: Vec<_> = items.iter().map(|p| p.column).collect();
        assert_eq!(columns, [6, 12, 18, 23, 28]);
        assert_eq!(items[4].item.text(), "F#(chords)");
        assert_eq!(
            chord_line_text(&items),
            "      F#    G#m   B    C#   F#(chords)"
        );
    }

    #[test]
    fn columns_count_characters_and_tabs_reach_the_next_stop() {
        let sheet = parse("\tAm\tC");
        let Some(Line::Chords { items }) = sheet.lines().next() else {
            panic!("a chord line");
        };
        assert_eq!(items[0].column, 8);
        assert_eq!(items[1].column, 16);
        let t = tokens("’x’ Am");
        assert_eq!(t, [(0, "’x’"), (4, "Am")]);
    }

    #[test]
    fn sections_split_at_annotations_and_blank_lines() {
        let sheet = parse("(Intro)\nAm\nla\n(Verse)\nla\n\n\nla\n");
        let sizes: Vec<_> = sheet.sections.iter().map(|s| s.lines.len()).collect();
        assert_eq!(sizes, [3, 4, 1]);
    }
}
