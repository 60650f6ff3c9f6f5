use std::fmt;
use std::io;

use super::alphabet::is_beyond_alphabet;
use super::glyphs::Alphabet;
use super::posts::PostError;

/// Why a twuu encode or decode failed. Each message names the problem and what to do about it.
#[derive(Debug)]
pub enum Error {
    /// Plain input ending in NUL bytes: decoding strips trailing NULs, so they would be lost.
    TrailingNul,
    /// The input is not UTF-8 text.
    InvalidUtf8 {
        byte_offset: u64,
    },
    /// A character that is neither a glyph, a marker nor a surrounding line break.
    NotAGlyph {
        ch: char,
        /// 1-based character position in the input.
        position: u64,
        byte_offset: u64,
        /// The alphabet the message opened in.
        alphabet: Alphabet,
    },
    /// The message was to be decompressed but is not a zlib stream (or is a damaged one).
    NotZlib(String),
    /// The zlib stream ends early.
    TruncatedZlib,
    /// Bytes follow the end of the zlib stream.
    TrailingAfterZlib,
    /// Inflating would exceed the size limit.
    TooLarge {
        limit: u64,
    },
    /// Numbered posts that do not make one whole message.
    Posts(PostError),
    Io(io::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::TrailingNul => write!(
                f,
                "the input ends in NUL bytes, which plain twuuenc cannot carry (decoding strips \
                 them); encode with --zlib, which keeps them"
            ),
            Error::InvalidUtf8 { byte_offset } => write!(
                f,
                "invalid UTF-8 at byte {byte_offset}: a twuuenc message is UTF-8 text; pass the \
                 glyphs exactly as they were posted"
            ),
            Error::NotAGlyph {
                ch,
                position,
                byte_offset,
                alphabet,
            } => {
                let what = match ch {
                    '\n' | '\r' => "a line break inside the message".to_string(),
                    c if c.is_control() || c.is_whitespace() => format!("U+{:04X}", *c as u32),
                    c => format!("'{c}' (U+{:04X})", *c as u32),
                };
                write!(
                    f,
                    "{what} at character {position} (byte {byte_offset}) is not a twuuenc glyph"
                )?;
                if *alphabet == Alphabet::A4096 {
                    write!(
                        f,
                        " (the message opened in the 4096 alphabet, U+4E00 to U+5DFF)"
                    )?;
                } else if is_beyond_alphabet(*ch) {
                    write!(
                        f,
                        " (the original lists it after the 2048th glyph, so no 11-bit value maps \
                         to it)"
                    )?;
                }
                let (plain, zlib) = alphabet.markers();
                write!(
                    f,
                    "; remove it, or check that the message was copied whole (markers are \
                     {plain} and {zlib})"
                )
            }
            Error::NotZlib(why) => write!(
                f,
                "the message is not a valid zlib stream ({why}); decode without --zlib if it was \
                 not compressed, or check that it was copied whole"
            ),
            Error::TruncatedZlib => write!(
                f,
                "the zlib stream ends early; check that the message was copied whole"
            ),
            Error::TrailingAfterZlib => write!(
                f,
                "data follows the end of the zlib stream; check that only one message was given"
            ),
            Error::TooLarge { limit } => write!(
                f,
                "the message inflates past the {limit}-byte limit; raise it with --max-size if \
                 you trust the input"
            ),
            Error::Posts(e) => e.fmt(f),
            Error::Io(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<PostError> for Error {
    fn from(e: PostError) -> Self {
        Error::Posts(e)
    }
}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        Error::Io(e)
    }
}
