//! Differential tests against the 2009 original's behaviour, restated in Python 3 with CPython's
//! real zlib (tests/it/support/twuu_original.py): glyph-for-glyph output wherever the original was
//! lossless, the original decoder getting our output back where it was not, identical decoding,
//! and X's weighted length computed after NFC.

use crate::support;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use serde_json::{Value, json};
use tool::twuu::{self, DEFAULT_MAX_SIZE, DecodeOptions, EncodeOptions};

struct Original {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Original {
    fn start() -> Option<Original> {
        if !support::require("python3", "the reference restatement of tw_uuencode.py") {
            return None;
        }
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/it/support/twuu_original.py"
        );
        let mut child = Command::new("python3")
            .arg(script)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Some(Original {
            child,
            stdin,
            stdout,
        })
    }

    fn ask(&mut self, request: Value) -> Value {
        writeln!(self.stdin, "{request}").unwrap();
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        serde_json::from_str(&line).expect("the reference answers JSON")
    }

    fn encode(&mut self, data: &[u8], zlib: bool) -> String {
        let answer = self.ask(json!({"op": "encode", "hex": hex(data), "zlib": zlib}));
        answer["text"].as_str().unwrap().to_string()
    }

    /// The original decoder's bytes, or None where it raised.
    fn decode(&mut self, text: &str, zlib: bool) -> Option<Vec<u8>> {
        let answer = self.ask(json!({"op": "decode", "text": text, "zlib": zlib}));
        answer["hex"].as_str().map(unhex)
    }
}

impl Drop for Original {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn hex(data: &[u8]) -> String {
    data.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

fn ours_encode(data: &[u8], zlib: bool) -> String {
    let mut out = Vec::new();
    twuu::encode(
        data,
        &mut out,
        EncodeOptions {
            zlib,
            markers: false,
            alphabet: twuu::Alphabet::A2048,
        },
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

fn ours_decode(text: &str, zlib: bool) -> Result<Vec<u8>, twuu::Error> {
    twuu::decode_str(
        text,
        DecodeOptions {
            zlib,
            max_size: DEFAULT_MAX_SIZE,
        },
    )
}

/// Inputs of every length up to a few blocks, biased to end in bytes whose low bits are zero
/// (where the original drops data), plus text and a large block-crossing input.
fn inputs() -> Vec<Vec<u8>> {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut all = Vec::new();
    for len in 1..=60 {
        for round in 0..12 {
            let mut data: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            let last = data.last_mut().unwrap();
            *last = match round % 3 {
                0 => *last | 1,
                1 => (*last | 0x80) & 0xF0,
                _ => 0x20,
            };
            all.push(data);
        }
    }
    all.push(b"Four score and seven years ago. ".to_vec());
    all.push("Ünïcödé ☺ text, with a trailing space ".as_bytes().to_vec());
    all.push((0..300_000).map(|_| (next() % 7) as u8 + b'a').collect());
    all
}

#[test]
fn plain_encoding_matches_the_original_or_mends_its_loss() {
    let Some(mut original) = Original::start() else {
        return;
    };
    let (mut same, mut mended) = (0, 0);
    for data in inputs() {
        let theirs = original.encode(&data, false);
        let ours = ours_encode(&data, false);
        if original.decode(&theirs, false).as_deref() == Some(&data[..]) {
            assert_eq!(ours, theirs, "input {}", hex(&data));
            same += 1;
        } else {
            assert_ne!(ours, theirs);
            assert_eq!(original.decode(&ours, false).as_deref(), Some(&data[..]));
            mended += 1;
        }
        assert_eq!(ours_decode(&ours, false).unwrap(), data);
    }
    assert!(
        same > 100 && mended > 100,
        "both cases exercised: {same} same, {mended} mended"
    );
}

#[test]
fn zlib_encoding_matches_cpythons_zlib_level_9() {
    let Some(mut original) = Original::start() else {
        return;
    };
    let (mut same, mut lost) = (0, 0);
    for data in inputs() {
        let theirs = original.encode(&data, true);
        let ours = ours_encode(&data, true);
        match original.decode(&theirs, true) {
            Some(back) if back == data => {
                assert_eq!(ours, theirs, "input {}", hex(&data));
                same += 1;
            }
            // The original loses a zlib stream that ends in NUL, and so does its decoder on
            // ours; ours still comes back through our decoder.
            _ => {
                assert!(ours.starts_with(&theirs));
                lost += 1;
            }
        }
        assert_eq!(ours_decode(&ours, true).unwrap(), data);
    }
    assert!(
        same > 600,
        "{same} identical, {lost} where the original lost its stream"
    );
}

#[test]
fn decoding_matches_the_originals_decoder() {
    let Some(mut original) = Original::start() else {
        return;
    };
    let mut state = 12345u32;
    for round in 0..400 {
        let len = round % 50;
        let values: String = (0..len)
            .map(|_| {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
                // Bias towards value 0 so that NUL runs and trailing NULs are common.
                let v = if state >> 30 == 0 {
                    0
                } else {
                    (state >> 8) as usize % 2048
                };
                char::from_u32(twuu::GLYPHS[v]).unwrap()
            })
            .collect();
        let marked = format!("\u{2639}{values}\u{2639}");
        for text in [&values, &marked] {
            assert_eq!(
                ours_decode(text, false).unwrap(),
                original.decode(text, false).unwrap(),
                "message {text:?}"
            );
        }
    }
}

#[test]
fn weighted_length_matches_twitter_text_after_nfc() {
    let Some(mut original) = Original::start() else {
        return;
    };
    let every_glyph: String = twuu::GLYPHS
        .iter()
        .map(|&cp| char::from_u32(cp).unwrap())
        .chain([twuu::MARKER_PLAIN, twuu::MARKER_ZLIB])
        .collect();
    // Every glyph beside two neighbours too, in case one composed with another under NFC.
    let pairs: String = every_glyph
        .chars()
        .rev()
        .chain(every_glyph.chars())
        .collect();
    for text in [every_glyph, pairs] {
        let theirs = original.ask(json!({"op": "weight", "text": text}))["weight"]
            .as_u64()
            .unwrap();
        assert_eq!(twuu::weighted_length(&text), theirs);
    }
}
