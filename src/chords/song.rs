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

use super::key::Key;
use super::sheet::{self, Sheet, Unreadable};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Song {
    pub title: String,
    /// The film, show or album.
    pub source: Option<String>,
    /// The transcriber's remarks on the transcription.
    pub note: Option<String>,
    /// The key the file declares, which wins over the one detected from the chords.
    pub key: Option<Key>,
    pub sheet: Sheet,
    /// Words on chord lines that look like chords but cannot be read, for the user to hear of.
    pub unreadable: Vec<Unreadable>,
}

/// The metadata above the `---` line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    pub title: Option<String>,
    pub source: Option<String>,
    pub note: Option<String>,
    pub key: Option<Key>,
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
        let value = value.trim().to_string();
        match key.trim() {
            "title" => header.title = Some(value),
            "source" => header.source = Some(value),
            // A key that does not read is left to detection rather than spoiling the header.
            "key" => header.key = value.parse().ok(),
            "note" => {
                header.note = Some(match header.note.take() {
                    Some(before) => format!("{before}\n{value}"),
                    None => value,
                })
            }
            _ => return None,
        }
        if rest.is_empty() {
            return None;
        }
    }
}

/// Reads a plain-text song, with or without a header; without one, or without a title in it,
/// the title is `fallback_title`.
pub fn parse_plain(text: &str, fallback_title: &str) -> Song {
    let (header, body) = split_header(text).unwrap_or((Header::default(), text));
    let first_line = 1 + text[..text.len() - body.len()].matches('\n').count();
    let (sheet, unreadable) = sheet::read(body, first_line);
    Song {
        title: header.title.unwrap_or_else(|| fallback_title.to_string()),
        source: header.source,
        note: header.note,
        key: header.key,
        sheet,
        unreadable,
    }
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
