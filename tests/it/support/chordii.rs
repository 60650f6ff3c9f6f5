//! Debian's `chordii`, the ChordPro reference implementation, as a judge of our ChordPro
//! export. It always exits 0, so what it thinks is read from its stderr.

use std::path::Path;
use std::process::Command;

/// Whether chordii can be run: under CI=true its absence fails the test; locally the caller
/// skips after a loud message.
pub fn available() -> bool {
    crate::support::require(
        "chordii",
        "apt-get install chordii; it checks the ChordPro export",
    )
}

/// chordii's complaints about the ChordPro file at `path`, one per warning or error, leaving
/// out "chord ... has never been defined" (chordii knows few chords by name, and that is
/// what it says about the rest).
pub fn complaints(path: &Path) -> Vec<String> {
    let out = Command::new("chordii")
        .arg("-o")
        .arg("/dev/null")
        .arg(path)
        .output()
        .expect("chordii runs");
    assert!(out.status.success(), "chordii exit status {:?}", out.status);
    let stderr = String::from_utf8_lossy(&out.stderr);
    stderr
        .lines()
        .map(str::trim)
        // Each warning is followed by an "in file ..., line N" line and a blank one.
        .filter(|line| !line.is_empty() && !line.starts_with("in file"))
        .filter(|line| !is_undefined_chord(line))
        .map(str::to_string)
        .collect()
}

fn is_undefined_chord(line: &str) -> bool {
    line.starts_with("WARNING: chord '") && line.ends_with("' has never been defined")
}
