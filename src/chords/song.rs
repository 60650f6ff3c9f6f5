//! A song: its sheet and what is known about it, and the plain-text file format that carries
//! both (the library's `songs/*.txt`, and a user's sheet if it has the same header).
//!
//! ```text
//! title: Slipping
//! source: Dr. Horrible's Sing-Along Blog
//! note: the transcriber's remark (one line each; repeatable)
//! key: Gm (optional: otherwise found from the chords)
//! ---
//! Gm            Cm/G
//! Look at these people
//! ```

use serde::{Deserialize, Serialize};

use super::diagrams::Define;
use super::key::Key;
use super::sheet::{self, Sheet, Unreadable};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Song {
    pub title: String,
    /// The film, show or album.
    pub source: Option<String>,
    /// The transcriber's remarks on the transcription.
    pub note: Option<String>,
    /// The key the file declares (of its chords as written), which wins over the one detected
    /// from the chords.
    pub key: Option<Key>,
    /// The fret of the capo the chords as written are played with.
    pub capo: Option<u8>,
    /// Everything else known about the song, in the order given: artist, composer, year...
    pub meta: Vec<Meta>,
    /// Fingerings the file gives for its chords (ChordPro's `{define}`).
    pub defines: Vec<Define>,
    pub sheet: Sheet,
    /// Words on chord lines that look like chords but cannot be read, for the user to hear of.
    pub unreadable: Vec<Unreadable>,
}

/// One item of metadata: `composer`, `Joss Whedon`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub name: String,
    pub value: String,
}

/// What a file says about its song, before the sheet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    pub title: Option<String>,
    pub source: Option<String>,
    pub note: Option<String>,
    pub key: Option<Key>,
    pub capo: Option<u8>,
    pub meta: Vec<Meta>,
    pub defines: Vec<Define>,
}

impl Header {
    /// Takes `name: value` metadata as ChordPro and plain sheets name it; `false` for a name
    /// that is none of it. A value that does not read (a key `H`, a capo `twelve`) is dropped
    /// rather than spoiling the rest.
    pub fn take(&mut self, name: &str, value: &str) -> bool {
        let value = value.trim();
        match name.to_ascii_lowercase().as_str() {
            "title" | "t" => self.title = Some(value.to_string()),
            "subtitle" | "st" | "source" => self.add_about(value),
            "key" | "k" => self.key = value.parse().ok(),
            "capo" => self.capo = value.parse().ok().filter(|&c: &u8| (1..=11).contains(&c)),
            "note" => append_line(&mut self.note, value),
            name if META_NAMES.contains(&name) => self.meta.push(Meta {
                name: name.to_string(),
                value: value.to_string(),
            }),
            _ => return false,
        }
        true
    }

    /// The first subtitle is the source; any more are remarks.
    fn add_about(&mut self, value: &str) {
        if self.source.is_none() {
            self.source = Some(value.to_string());
        } else {
            append_line(&mut self.note, value);
        }
    }

    pub fn into_song(
        self,
        fallback_title: &str,
        sheet: Sheet,
        unreadable: Vec<Unreadable>,
    ) -> Song {
        Song {
            title: self.title.unwrap_or_else(|| fallback_title.to_string()),
            source: self.source,
            note: self.note,
            key: self.key,
            capo: self.capo,
            meta: self.meta,
            defines: self.defines,
            sheet,
            unreadable,
        }
    }
}

/// ChordPro's metadata directives besides title, subtitle, key and capo.
pub const META_NAMES: [&str; 11] = [
    "artist",
    "composer",
    "lyricist",
    "arranger",
    "album",
    "year",
    "copyright",
    "duration",
    "tempo",
    "time",
    "tag",
];

fn append_line(to: &mut Option<String>, line: &str) {
    *to = Some(match to.take() {
        Some(before) => format!("{before}\n{line}"),
        None => line.to_string(),
    });
}

/// Splits a song file into its header and its sheet text. `None` when the text does not open
/// with a header: a first line `title: ...`, more `key: value` lines, then `---`.
pub fn split_header(text: &str) -> Option<(Header, &str)> {
    if !text.starts_with("title:") {
        return None;
    }
    let mut header = Header::default();
    let mut rest = text;
    loop {
        let (line, after) = rest.split_once('\n').unwrap_or((rest, ""));
        rest = after;
        let line = line.trim_end_matches('\r');
        if line == "---" {
            return Some((header, rest));
        }
        let (key, value) = line.split_once(':')?;
        if !header.take(key.trim(), value) {
            return None;
        }
        if rest.is_empty() {
            return None;
        }
    }
}

/// Reads a plain-text song, with or without a header; without one, or without a title in it,
/// the title is `fallback_title`. A sheet without a header may open with lines such as
/// `Title: ...`, `Artist: ...`, `Key: ...` and `Capo: 2`, as sheets on the web do: those are
/// read as metadata too.
pub fn parse_plain(text: &str, fallback_title: &str) -> Song {
    let (header, body) = split_header(text).unwrap_or_else(|| leading_metadata(text));
    let first_line = 1 + text[..text.len() - body.len()].matches('\n').count();
    let (sheet, unreadable) = sheet::read(body, first_line);
    header.into_song(fallback_title, sheet, unreadable)
}

/// The `Name: value` lines a plain sheet opens with (and the blank lines around them), and
/// the rest.
fn leading_metadata(text: &str) -> (Header, &str) {
    let mut header = Header::default();
    let mut body = text;
    let mut rest = text;
    while !rest.is_empty() {
        let (line, after) = rest.split_once('\n').unwrap_or((rest, ""));
        let taken = line.trim().is_empty()
            || line.split_once(':').is_some_and(|(name, value)| {
                let name = name.trim();
                !value.trim().is_empty()
                    && name.starts_with(|c: char| c.is_ascii_uppercase())
                    && !name.contains(' ')
                    && header.take(name, value)
            });
        if !taken {
            break;
        }
        rest = after;
        if header != Header::default() {
            body = rest;
        }
    }
    (header, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_header_and_keeps_the_body() {
        let text = "title: T\nsource: S\nnote: one\nnote: two\n---\nAm\nla\n";
        let (header, body) = split_header(text).unwrap();
        assert_eq!(header.title.as_deref(), Some("T"));
        assert_eq!(header.source.as_deref(), Some("S"));
        assert_eq!(header.note.as_deref(), Some("one\ntwo"));
        assert_eq!(body, "Am\nla\n");
    }

    #[test]
    fn text_without_a_whole_header_is_all_sheet() {
        assert!(split_header("Am\nla\n").is_none());
        assert!(split_header("title: T\nno colon here\n---\nla\n").is_none());
        assert!(split_header("title: T\n").is_none());
        let song = parse_plain("title: T\nla", "fallback");
        assert_eq!(song.title, "fallback");
        assert_eq!(song.sheet.lines().count(), 2);
    }
}
