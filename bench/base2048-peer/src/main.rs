//! Benchmark peer for `tool twuu`: the `base2048` crate (11 bits per glyph) over stdin/stdout.
//!
//! `base2048-peer encode`: all of stdin (bytes) -> base2048 text on stdout (no newline).
//! `base2048-peer decode`: all of stdin (base2048 text) -> bytes on stdout.
//!
//! Deliberately minimal: read everything, make one library call, write everything.

use std::io::{self, Read, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let mode = std::env::args().nth(1);
    let result = match mode.as_deref() {
        Some("encode") => encode(),
        Some("decode") => decode(),
        _ => {
            eprintln!("usage: base2048-peer encode|decode < input > output");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("base2048-peer: {e}");
            ExitCode::FAILURE
        }
    }
}

fn encode() -> io::Result<()> {
    let mut input = Vec::new();
    io::stdin().lock().read_to_end(&mut input)?;
    let text = base2048::encode(&input);
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

fn decode() -> io::Result<()> {
    let mut text = String::new();
    io::stdin().lock().read_to_string(&mut text)?;
    // Tolerate one trailing line ending (as from `echo`); base2048 itself rejects it.
    let text = text
        .strip_suffix('\n')
        .map(|t| t.strip_suffix('\r').unwrap_or(t))
        .unwrap_or(&text);
    let bytes = base2048::decode(text)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "invalid base2048 input"))?;
    let mut out = io::stdout().lock();
    out.write_all(&bytes)?;
    out.flush()
}
