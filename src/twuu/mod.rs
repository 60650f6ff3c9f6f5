//! twuuenc, "the uuencode of web2.0" (2009): bytes packed eleven bits to a glyph from a
//! 2048-character Unicode alphabet, optionally zlib-compressed and wrapped in ☹ or ☺ markers.
//!
//! Output is glyph-for-glyph the original's wherever the original was lossless; where the
//! original dropped a trailing glyph that still carried bits, this keeps it, so the original's
//! own decoder gets the input back. Decoding gives exactly what the original decoder gives.

mod alphabet;
mod decode;
mod encode;
mod error;
mod glyphs;
mod inflate;
mod opening;
mod platform;
mod posts;
mod twitter;

pub mod command;

use std::collections::BTreeMap;
use std::io::{Read, Write};

use flate2::Compression;
use flate2::write::ZlibEncoder;

pub use alphabet::{GLYPH_COUNT, GLYPHS, MARKER_PLAIN, MARKER_ZLIB, value_of};
pub use decode::{DecodeOptions, DecodeSummary, decode, decode_str};
pub use encode::{Encoder, encode_to_string, glyph_count};
pub use error::Error;
pub use glyphs::{Alphabet, FIRST_4096, X_SAFE_CODE_POINTS};
pub use opening::Opening;
pub use platform::{Lengths, Platform};
pub use posts::{PostError, join as join_posts, opens_a_post};
pub use twitter::{POST_LIMIT, twitter_weight, urls, weighted_length};

use crate::stream::copy_all;
use glyphs::{Base2048, Base4096, Glyphs};
use platform::LengthCounter;

/// The default ceiling on what a zlib message may inflate to.
pub const DEFAULT_MAX_SIZE: u64 = 64 * 1024 * 1024;

/// How to encode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncodeOptions {
    /// Compress with zlib (level 9, as the original) before encoding; the marker becomes ☺.
    pub zlib: bool,
    /// Wrap the message in markers.
    pub markers: bool,
    pub alphabet: Alphabet,
}

impl EncodeOptions {
    fn marker(self) -> char {
        let (plain, zlib) = self.alphabet.markers();
        if self.zlib { zlib } else { plain }
    }
}

/// What an encode read and wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncodeSummary {
    pub bytes_in: u64,
    /// Bytes that were encoded: the input, or its zlib stream.
    pub payload_bytes: u64,
    /// Characters written, markers included.
    pub glyphs: u64,
}

/// Encodes everything read from `input` onto `out` (no trailing newline).
///
/// Plain input that ends in a NUL byte is refused with [`Error::TrailingNul`] once the input is
/// read, since no decoder could give those bytes back; what was already written is the caller's
/// to discard.
pub fn encode(
    input: impl Read,
    out: &mut dyn Write,
    options: EncodeOptions,
) -> Result<EncodeSummary, Error> {
    match options.alphabet {
        Alphabet::A2048 => encode_with::<Base2048>(input, out, options),
        Alphabet::A4096 => encode_with::<Base4096>(input, out, options),
    }
}

/// Encodes a message held in memory (for tests and library callers).
pub fn encode_str(data: &[u8], options: EncodeOptions) -> Result<String, Error> {
    let mut out = Vec::new();
    encode(data, &mut out, options)?;
    Ok(String::from_utf8(out).expect("glyphs and markers are UTF-8"))
}

fn encode_with<G: Glyphs>(
    input: impl Read,
    out: &mut dyn Write,
    options: EncodeOptions,
) -> Result<EncodeSummary, Error> {
    let mut marker = [0u8; 4];
    let marker = options.marker().encode_utf8(&mut marker).as_bytes();
    if options.markers {
        out.write_all(marker)?;
    }
    let encoder = Encoder::<_, G>::new(&mut *out);
    let (bytes_in, payload) = if options.zlib {
        let mut zlib = ZlibEncoder::new(encoder, Compression::best());
        let bytes_in = copy_all(input, &mut zlib)?;
        let (_, payload) = zlib.finish()?.finish()?;
        (bytes_in, payload)
    } else {
        let mut encoder = encoder;
        let bytes_in = copy_all(input, &mut encoder)?;
        let (_, payload) = encoder.finish()?;
        if payload.last_byte == Some(0) {
            return Err(Error::TrailingNul);
        }
        (bytes_in, payload)
    };
    if options.markers {
        out.write_all(marker)?;
    }
    Ok(EncodeSummary {
        bytes_in,
        payload_bytes: payload.bytes_in,
        glyphs: payload.glyphs + if options.markers { 2 } else { 0 },
    })
}

/// How to cut a message into posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SplitOptions {
    pub zlib: bool,
    pub alphabet: Alphabet,
    /// Where the posts go: each fits there as that platform counts it.
    pub platform: Platform,
}

/// Encodes `input` and cuts the message into numbered posts (`N/M ☹…☹`) that each fit
/// `options.platform`; see [`join_posts`] for the way back.
pub fn split(input: impl Read, options: SplitOptions) -> Result<Vec<String>, Error> {
    let encoding = EncodeOptions {
        zlib: options.zlib,
        markers: false,
        alphabet: options.alphabet,
    };
    let mut glyphs = Vec::new();
    encode(input, &mut glyphs, encoding)?;
    let glyphs = String::from_utf8(glyphs).expect("glyphs are UTF-8");
    Ok(posts::cut(&glyphs, encoding.marker(), options.platform))
}

/// What a message would cost to post.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    pub bytes_in: u64,
    /// Characters the encoded message has, markers included.
    pub glyphs: u64,
    /// Its length as X weighs it.
    pub weighted_length: u64,
    /// X's limit.
    pub limit: u64,
    /// Whether it fits one post on X.
    pub fits: bool,
    pub zlib: bool,
    pub markers: bool,
    pub alphabet: Alphabet,
    /// Its length, limit and fit on each platform asked about.
    pub platforms: BTreeMap<Platform, Fit>,
}

/// A message's length on one platform, against that platform's limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Fit {
    pub length: u64,
    pub limit: u64,
    pub fits: bool,
}

impl Fit {
    fn new(length: u64, limit: u64) -> Fit {
        Fit {
            length,
            limit,
            fits: length <= limit,
        }
    }
}

/// Encodes `input` without keeping the output, and measures it on `platforms`.
pub fn stats(
    input: impl Read,
    options: EncodeOptions,
    platforms: &[Platform],
) -> Result<Stats, Error> {
    let mut counter = LengthCounter::default();
    let summary = encode(input, &mut counter, options)?;
    let lengths = counter.finish();
    debug_assert_eq!(summary.glyphs, lengths.code_points);
    let x = Fit::new(lengths.x, POST_LIMIT);
    Ok(Stats {
        bytes_in: summary.bytes_in,
        glyphs: lengths.code_points,
        weighted_length: x.length,
        limit: x.limit,
        fits: x.fits,
        zlib: options.zlib,
        markers: options.markers,
        alphabet: options.alphabet,
        platforms: platforms
            .iter()
            .map(|&p| (p, Fit::new(lengths.on(p), p.limit())))
            .collect(),
    })
}
