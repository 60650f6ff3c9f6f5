//! Shared by the chords tests: the seven songs, running `tool chords`, and reading its text
//! output back into columns.

use std::path::Path;

pub use super::tempdir;
use super::{assert_succeeds, run};

/// Every song of the library, by slug.
pub const SLUGS: [&str; 7] = [
    "im-going-to-go-back-there-someday",
    "slipping",
    "so-they-say",
    "everyones-a-hero",
    "brand-new-day",
    "pennys-song",
    "on-the-rise",
];

/// `tool chords ARGS` must succeed; its stdout.
pub fn chords(args: &[&str]) -> String {
    let mut all = vec!["chords"];
    all.extend(args);
    String::from_utf8(assert_succeeds(&run(&all, b""))).expect("UTF-8 output")
}

/// The sheet part of text output: everything after the header's blank line.
pub fn body(text: &str) -> Vec<String> {
    text.lines()
        .skip_while(|l| !l.is_empty())
        .skip(1)
        .map(str::to_string)
        .collect()
}

/// The transcription of `slug` as stored in `songs/`, trailing spaces dropped.
pub fn transcription(slug: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("songs")
        .join(format!("{slug}.txt"));
    let text = std::fs::read_to_string(&path).expect("the song file reads");
    let (_, sheet) = text.split_once("\n---\n").expect("a header ends in ---");
    sheet.lines().map(|l| l.trim_end().to_string()).collect()
}

/// Whitespace-separated tokens and their columns (in characters), a parenthesis holding its
/// spaces inside one token: how a chord line reads to a musician.
pub fn tokens(line: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut depth = 0usize;
    let mut in_token = false;
    for (column, c) in line.chars().enumerate() {
        if c.is_whitespace() && depth == 0 {
            in_token = false;
            continue;
        }
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if in_token {
            out.last_mut().unwrap().1.push(c);
        } else {
            out.push((column, c.to_string()));
            in_token = true;
        }
    }
    out
}

/// Where each chord of a chord line stands over `lyric`, in terms that padding the lyric with
/// spaces does not change: how many of the lyric's visible characters come before it, and the
/// character under it (`None` past the lyric's last visible character, a space for any blank).
/// Two printings put every chord over the same syllable exactly when these agree.
pub fn anchors(
    columns: impl IntoIterator<Item = usize>,
    lyric: &str,
) -> Vec<(usize, Option<char>)> {
    let chars: Vec<char> = lyric.trim_end().chars().collect();
    columns
        .into_iter()
        .map(|column| {
            let before = chars[..column.min(chars.len())]
                .iter()
                .filter(|c| !c.is_whitespace())
                .count();
            let under = chars
                .get(column)
                .map(|&c| if c.is_whitespace() { ' ' } else { c });
            (before, under)
        })
        .collect()
}

/// A ChordPro lyric line split into its bracketed items (each at the column of the lyric
/// character it precedes) and its lyric.
pub fn inline(line: &str) -> (Vec<(usize, String)>, String) {
    let mut items = Vec::new();
    let mut lyric = String::new();
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let close = open + rest[open..].find(']').expect("a closed bracket");
        lyric.push_str(&rest[..open]);
        items.push((lyric.chars().count(), rest[open + 1..close].to_string()));
        rest = &rest[close + 1..];
    }
    lyric.push_str(rest);
    (items, lyric)
}

/// `padded` is `lyric` with only spaces put in.
pub fn only_spaces_added(lyric: &str, padded: &str) -> bool {
    let mut want = lyric.chars().peekable();
    for c in padded.chars() {
        if want.next_if_eq(&c).is_none() && c != ' ' {
            return false;
        }
    }
    want.next().is_none()
}
