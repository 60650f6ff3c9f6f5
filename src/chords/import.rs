//! A user's own chord sheet: from bytes to a song, whether it is plain chords-over-lyrics
//! text or ChordPro.

use std::fmt;
use std::path::Path;

use super::cho;
use super::sheet::{Item, parse_item};
use super::song::{Song, parse_plain};

/// Chord sheets are a few kilobytes; anything much larger is not one.
pub const MAX_BYTES: usize = 1 << 20;

/// File name endings that mean ChordPro.
const CHORDPRO_EXTENSIONS: [&str; 5] = ["cho", "chordpro", "chopro", "crd", "pro"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetError {
    Empty,
    Binary,
    TooLarge,
}

impl fmt::Display for SheetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SheetError::Empty => "is empty: a chord sheet needs chords or lyrics",
            SheetError::Binary => {
                "is not a text file: it holds bytes that no chord sheet has (NUL or other \
                 control characters)"
            }
            SheetError::TooLarge => "is over 1 MiB, far larger than any chord sheet",
        })
    }
}

impl std::error::Error for SheetError {}

/// Reads a sheet. `path` tells the format by its extension (`.cho`, `.chordpro`); without one
/// that says ChordPro, the text itself decides. `fallback_title` is for a sheet that names
/// no title.
pub fn read_song(
    bytes: &[u8],
    path: Option<&Path>,
    fallback_title: &str,
) -> Result<Song, SheetError> {
    if bytes.len() > MAX_BYTES {
        return Err(SheetError::TooLarge);
    }
    let text = decode(bytes)?;
    if text.trim().is_empty() {
        return Err(SheetError::Empty);
    }
    let by_extension = path
        .and_then(Path::extension)
        .and_then(|e| e.to_str())
        .is_some_and(|e| CHORDPRO_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
    Ok(if by_extension || looks_like_chordpro(&text) {
        cho::parse(&text, fallback_title)
    } else {
        parse_plain(&text, fallback_title)
    })
}

/// UTF-8, or failing that Windows-1252, which is what older chord files on the web are in.
/// Text with NUL or other control characters (tabs, line ends and form feeds aside) is
/// refused: it is not a chord sheet, and printing it could drive the terminal.
fn decode(bytes: &[u8]) -> Result<String, SheetError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.strip_prefix('\u{feff}').unwrap_or(text).to_string(),
        Err(_) => bytes
            .iter()
            .map(|&b| windows_1252(b))
            .collect::<Option<String>>()
            .ok_or(SheetError::Binary)?,
    };
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c'))
    {
        return Err(SheetError::Binary);
    }
    Ok(text)
}

/// Windows-1252: Latin-1 with printable characters where Latin-1 has C1 controls; `None` for
/// the five bytes it leaves undefined.
fn windows_1252(byte: u8) -> Option<char> {
    const C1: [char; 32] = [
        '€', '\0', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\0', 'Ž', '\0', '\0',
        '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\0', 'ž', 'Ÿ',
    ];
    match byte {
        0x80..=0x9f => Some(C1[usize::from(byte - 0x80)]).filter(|&c| c != '\0'),
        _ => Some(char::from(byte)),
    }
}

/// A directive on a line of its own, or a chord in square brackets.
fn looks_like_chordpro(text: &str) -> bool {
    text.lines().any(|line| {
        let trimmed = line.trim();
        let directive = trimmed.starts_with('{')
            && trimmed.ends_with('}')
            && trimmed[1..].starts_with(|c: char| c.is_ascii_alphabetic());
        directive || bracketed_chord(trimmed)
    })
}

fn bracketed_chord(line: &str) -> bool {
    line.split('[').skip(1).any(|after| {
        after.split_once(']').is_some_and(|(inside, _)| {
            matches!(parse_item(inside.trim()), Some(Item::Chord { .. }))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8], path: Option<&str>) -> Result<Song, SheetError> {
        read_song(bytes, path.map(Path::new), "T")
    }

    #[test]
    fn refuses_empty_binary_and_huge_input() {
        assert_eq!(read(b"", None), Err(SheetError::Empty));
        assert_eq!(read(b" \n\t\n", None), Err(SheetError::Empty));
        assert_eq!(read(b"Am\0C", None), Err(SheetError::Binary));
        assert_eq!(read(b"\x1b[31mAm", None), Err(SheetError::Binary));
        assert_eq!(read(b"\x81\x8d", None), Err(SheetError::Binary));
        assert_eq!(
            read(&vec![b'a'; MAX_BYTES + 1], None),
            Err(SheetError::TooLarge)
        );
    }

    #[test]
    fn reads_windows_1252() {
        let song = read(b"Am\nI\x92m here\n", None).unwrap();
        assert!(song.sheet.lines().any(|l| matches!(
            l,
            crate::chords::sheet::Line::Lyrics { text } if text == "I’m here"
        )));
    }

    #[test]
    fn tells_chordpro_from_plain_text() {
        assert!(looks_like_chordpro("{title: x}\n"));
        assert!(looks_like_chordpro("la [Am]la\n"));
        assert!(!looks_like_chordpro(
            "[yeah, it’s two r’s- h-o-r-r, right]\n"
        ));
        assert!(!looks_like_chordpro("Am\n{ la }\n"));
        let song = read(b"{title: Mine}\nAm\nla\n", Some("x.txt")).unwrap();
        assert_eq!(song.title, "Mine");
        // The extension says ChordPro even when the text does not.
        let song = read(b"[yeah]\n", Some("x.CHO")).unwrap();
        assert!(matches!(
            song.sheet.lines().next(),
            Some(crate::chords::sheet::Line::Chords { .. })
        ));
    }
}
