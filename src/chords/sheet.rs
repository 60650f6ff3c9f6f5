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
/// (`(Dr. Horrible)`) to the next; in ChordPro, a block such as `{start_of_chorus}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// What the section is called, when the source says (ChordPro's `{start_of_verse: Verse 2}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The ChordPro block it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block: Option<Block>,
    /// A grid's shape as written (`1+4x2+4`, `21`): cells per measure, measures per line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shape: Option<String>,
    pub lines: Vec<Line>,
}

/// ChordPro's blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Block {
    Chorus,
    Verse,
    Bridge,
    /// Monospace text (tablature) printed as it is.
    Tab,
    /// Bars of chords: `| Am . . . | C . . . |`.
    Grid,
}

impl Block {
    pub const ALL: [Block; 5] = [
        Block::Chorus,
        Block::Verse,
        Block::Bridge,
        Block::Tab,
        Block::Grid,
    ];

    /// The name in its directives: `chorus` in `{start_of_chorus}`.
    pub fn name(self) -> &'static str {
        match self {
            Block::Chorus => "chorus",
            Block::Verse => "verse",
            Block::Bridge => "bridge",
            Block::Tab => "tab",
            Block::Grid => "grid",
        }
    }

    /// What the block is called when it names nothing else: "Chorus".
    pub fn title(self) -> &'static str {
        match self {
            Block::Chorus => "Chorus",
            Block::Verse => "Verse",
            Block::Bridge => "Bridge",
            Block::Tab => "Tab",
            Block::Grid => "Grid",
        }
    }
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
    /// A word or mark among the chords: `intro`, `|`, `x2`, `(notes use the same chords)`,
    /// and a name that looks like a chord but does not read as one (reported, kept as written).
    Text { text: String },
    /// ChordPro's `[*text]`: text printed where a chord would be, never read as one.
    Annotation { annotation: String },
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
            Item::Annotation { annotation } => annotation.clone(),
        }
    }

    pub fn chord(&self) -> Option<&Chord> {
        match self {
            Item::Chord { chord, .. } => Some(chord),
            Item::Text { .. } | Item::Annotation { .. } => None,
        }
    }

    /// A word on a chord line that looks like a chord name but does not read as one.
    pub fn unreadable(&self) -> Option<&str> {
        match self {
            Item::Text { text } if looks_like_a_chord(text) => Some(text),
            _ => None,
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
    read(text, 1).0
}

/// Reads a plain-text chord sheet whose first line is line `first_line` of its file, with the
/// words on chord lines that look like chords but cannot be read.
pub fn read(text: &str, first_line: usize) -> (Sheet, Vec<Unreadable>) {
    let mut sections = SectionBuilder::default();
    let mut reader = LineReader::default();
    for (i, raw) in text.lines().enumerate() {
        sections.push(reader.read(raw, first_line + i));
    }
    (sections.finish(), reader.unreadable)
}

/// A word on a chord line that looks like a chord but cannot be read as one, where it is in
/// the input (both counted from 1, columns in characters after tabs are expanded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub line: usize,
    pub column: usize,
    pub text: String,
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, column {}: '{}' looks like a chord but is not a chord name tool can read; \
             it is left as written, not transposed",
            self.line, self.column, self.text
        )
    }
}

/// Reads plain-text lines one at a time, remembering what the line before announced.
#[derive(Default)]
pub struct LineReader {
    notes_follow: bool,
    pub unreadable: Vec<Unreadable>,
}

impl LineReader {
    /// Reads line number `number` (from 1) of the input.
    pub fn read(&mut self, raw: &str, number: usize) -> Line {
        let line = classify(&expand_tabs(raw), self.notes_follow);
        if let Some(items) = line.items() {
            self.report(number, items.iter().map(|p| (p.column, &p.item)));
        }
        self.saw(&line);
        line
    }

    /// Notes the unreadable chord names among `items` (with their columns, from 0) on line
    /// `number`.
    pub fn report<'a>(&mut self, number: usize, items: impl Iterator<Item = (usize, &'a Item)>) {
        for (column, item) in items {
            if let Some(text) = item.unreadable() {
                self.unreadable.push(Unreadable {
                    line: number,
                    column: column + 1,
                    text: text.to_string(),
                });
            }
        }
    }

    /// Takes note of a line that came another way (a ChordPro comment).
    pub fn saw(&mut self, line: &Line) {
        self.notes_follow = matches!(line, Line::Annotation { text } if announces_notes(text));
    }
}

/// How a section opens: its label, and the block it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Opening {
    pub label: Option<String>,
    pub block: Option<Block>,
    pub shape: Option<String>,
}

/// Splits lines into sections: at each annotation, and where text resumes after blank lines;
/// inside a ChordPro block, only where the block ends.
#[derive(Default)]
pub struct SectionBuilder {
    sections: Vec<Section>,
    current: Vec<Line>,
    opening: Opening,
    in_block: bool,
}

impl SectionBuilder {
    pub fn push(&mut self, line: Line) {
        let after_blank = matches!(self.current.last(), Some(Line::Blank));
        let starts_section = !self.in_block
            && match &line {
                Line::Blank => false,
                Line::Annotation { .. } => {
                    !matches!(self.current.last(), None | Some(Line::Annotation { .. }))
                }
                _ => after_blank,
            };
        if starts_section {
            self.close();
        }
        self.current.push(line);
    }

    /// Starts a block: what comes until [`end`](Self::end) is one section.
    pub fn open(&mut self, opening: Opening) {
        self.close();
        self.opening = opening;
        self.in_block = true;
    }

    /// Ends the block [`open`](Self::open) started.
    pub fn end(&mut self) {
        self.close();
        self.in_block = false;
    }

    /// Repeats the last chorus (ChordPro's `{chorus}`); `false` when there was none.
    pub fn recall_chorus(&mut self) -> bool {
        self.close();
        let last = self
            .sections
            .iter()
            .rev()
            .find(|s| s.block == Some(Block::Chorus))
            .cloned();
        let found = last.is_some();
        self.sections.extend(last);
        found
    }

    fn close(&mut self) {
        let Opening {
            label,
            block,
            shape,
        } = std::mem::take(&mut self.opening);
        if !self.current.is_empty() || label.is_some() || block.is_some() {
            self.sections.push(Section {
                label,
                block,
                shape,
                lines: std::mem::take(&mut self.current),
            });
        }
    }

    pub fn finish(mut self) -> Sheet {
        self.close();
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
    let (mut chords, mut unreadable, mut words) = (0, 0, 0);
    for (column, token) in tokens(line) {
        let item = parse_item(token).or_else(|| {
            looks_like_a_chord(token).then(|| Item::Text {
                text: token.to_string(),
            })
        })?;
        match &item {
            Item::Chord { .. } => chords += 1,
            Item::Text { text } if looks_like_a_chord(text) => unreadable += 1,
            Item::Text { text } if text.chars().any(char::is_alphabetic) => words += 1,
            Item::Text { .. } | Item::Annotation { .. } => {}
        }
        items.push(Placed { column, item });
    }
    // Words may go with chords but not outnumber them: `Bm intro` is a chord line, `Intro
    // riff A` is not. A name that looks like a chord but does not read makes a chord line
    // (to be reported) among chords or alone, but not among words: "Amm, okay" is a lyric.
    let chord_line = if chords > 0 {
        words <= chords
    } else {
        unreadable > 0 && words == 0
    };
    chord_line.then_some(items)
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

/// A line of a grid: bar lines, beat marks (`.`, `/`, `%`) and chords; words before the first
/// bar line are the margin's text, not chords.
pub fn grid_line(line: &str) -> Line {
    let tokens = tokens(line);
    if tokens.is_empty() {
        return Line::Blank;
    }
    let first_bar = tokens.iter().position(|(_, t)| t.starts_with(['|', ':']));
    let items = tokens
        .into_iter()
        .enumerate()
        .map(|(i, (column, token))| {
            let margin = first_bar.is_some_and(|bar| i < bar);
            let item = if margin {
                Item::Annotation {
                    annotation: token.to_string(),
                }
            } else {
                parse_item(token).unwrap_or_else(|| Item::Text {
                    text: token.to_string(),
                })
            };
            Placed { column, item }
        })
        .collect();
    Line::Chords { items }
}

/// A token of a chord line: a chord with its decorations, or a word or mark that may stand
/// among chords. `None` for anything else, which makes the line lyrics.
pub fn parse_item(token: &str) -> Option<Item> {
    let core_start = token
        .find(|c: char| c != '(' && c != '|')
        .unwrap_or(token.len());
    let (prefix, rest) = token.split_at(core_start);
    // The whole rest first, for names with parentheses of their own: G7(b9).
    if let Ok(chord) = rest.parse::<Chord>() {
        return Some(Item::Chord {
            chord,
            prefix: prefix.to_string(),
            suffix: String::new(),
        });
    }
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

/// Pieces chord names are made of, after the root: what makes `Dsus3` or `G7#` look like a
/// chord (to be reported) and `Bad` or `Dim` a word.
const CHORD_PIECES: &[&str] = &[
    "maj", "Maj", "min", "mi", "m", "M", "dim", "aug", "sus", "add", "alt", "no", "omit", "°", "ø",
    "Δ", "+", "-", "#", "b", "♭", "♯", "(", ")", ",",
];

/// A word that starts like a chord and is made only of what chord names are made of.
fn looks_like_a_chord(token: &str) -> bool {
    let token = token
        .trim_start_matches(['(', '|'])
        .trim_end_matches(['|', ')']);
    let Some(mut rest) = token.strip_prefix(|c: char| matches!(c, 'A'..='G')) else {
        return false;
    };
    while !rest.is_empty() {
        rest = if let Some(after) = CHORD_PIECES.iter().find_map(|p| rest.strip_prefix(p)) {
            after
        } else if let Some(after) = rest.strip_prefix(|c: char| c.is_ascii_digit()) {
            after
        } else if let Some(after) = rest.strip_prefix('/') {
            after
                .strip_prefix(|c: char| matches!(c, 'A'..='G' | '0'..='9'))
                .unwrap_or(after)
        } else {
            return false;
        };
    }
    true
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
    fn every_chord_name_of_real_sheets_makes_a_chord_line() {
        for line in [
            "Am13   Dm13   C6/9   G13b9",
            "G7#5#9  G7#9#5  Cmaj9#11",
            "Bm7b5  E7b9  Am  (Ab)  N.C.",
            "C  G/B  Am7  Fmaj7  Dsus2  Gsus4  Cadd9  Edim7  Caug",
        ] {
            let Line::Chords { items } = classify(line, false) else {
                panic!("{line} is a chord line");
            };
            assert!(
                items.iter().all(|p| p.item.unreadable().is_none()),
                "{line}"
            );
        }
    }

    #[test]
    fn names_that_look_like_chords_but_do_not_read_are_told_from_words() {
        for name in ["Dsus3", "G7#", "Cmaj#", "Ebb", "Am7add"] {
            assert!(looks_like_a_chord(name), "{name}");
        }
        for word in ["Bad", "Dim", "Be", "Amazing", "Add", "hero", "intro"] {
            assert!(!looks_like_a_chord(word), "{word}");
        }
        // Among chords, or alone, it makes a chord line to be reported; among words, a lyric.
        assert_eq!(kind("G  Dsus3  C"), "chords");
        assert_eq!(kind("Dsus3"), "chords");
        assert_eq!(kind("Amm, okay"), "lyrics");
        let (_, unreadable) = read("title\nG  Dsus3  C\nla\n", 10);
        assert_eq!(
            unreadable,
            [Unreadable {
                line: 11,
                column: 4,
                text: "Dsus3".to_string()
            }]
        );
    }

    #[test]
    fn bar_line_grids_in_plain_sheets_are_chord_lines() {
        assert_eq!(kind("| Am . . . | C7 . . . |"), "chords");
        assert_eq!(kind("|: Am | % | G | G7 :|"), "chords");
        let Line::Chords { items } = grid_line("Intro |: A . | E . :|") else {
            panic!("a grid line");
        };
        assert_eq!(items[0].item.chord(), None, "the margin's text");
        assert_eq!(items[2].item.chord().unwrap().to_string(), "A");
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
