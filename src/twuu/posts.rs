//! A message too long for one post, cut into numbered posts, and the posts put back in order.
//!
//! A post is `N/M ` and then a run of the message's glyphs in the message's own markers, so
//! each is a whole twuuenc message a reader recognises, with its place in the series. The
//! glyph runs of posts 1 to M, joined, are the glyphs of the whole message: a cut may fall
//! between any two glyphs, and every post holds as many as its platform allows.

use std::fmt;
use std::ops::Range;

use super::glyphs::Alphabet;
use super::platform::Platform;
use super::twitter::twitter_weight;

/// The posts of `glyphs` (a message without its markers) wrapped in `marker`, each fitting
/// `platform` as that platform counts it.
pub fn cut(glyphs: &str, marker: char, platform: Platform) -> Vec<String> {
    let message = Glyphs::new(glyphs, platform);
    // Each post's length depends on how many digits the total has; the cut is made for a
    // total of `digits` nines, and made again with more digits until the count fits in them.
    let mut digits = 1;
    loop {
        let runs = message.cut(|number, run| render(number, &"9".repeat(digits), marker, run));
        let total = runs.len().to_string();
        if total.len() <= digits {
            return runs
                .iter()
                .enumerate()
                .map(|(i, run)| render(i + 1, &total, marker, &glyphs[run.clone()]))
                .collect();
        }
        digits = total.len();
    }
}

fn render(number: usize, total: &str, marker: char, glyphs: &str) -> String {
    format!("{number}/{total} {marker}{glyphs}{marker}")
}

/// A message's glyphs, with what each is likely to count on the platform: a first guess at
/// how many fit a post, which the post's real length then corrects.
struct Glyphs<'a> {
    text: &'a str,
    platform: Platform,
    /// Byte offset of each glyph, and of the end.
    bounds: Vec<usize>,
    /// Running total of the guessed counts: `guess[i]` for the glyphs before glyph `i`.
    guess: Vec<u64>,
}

impl<'a> Glyphs<'a> {
    fn new(text: &'a str, platform: Platform) -> Glyphs<'a> {
        let mut bounds = Vec::with_capacity(text.len() + 1);
        let mut guess = Vec::with_capacity(text.len() + 1);
        let mut total = 0;
        for (at, c) in text.char_indices() {
            bounds.push(at);
            guess.push(total);
            total += match platform {
                Platform::X => twitter_weight(c),
                Platform::Mastodon | Platform::Bluesky => 1,
            };
        }
        bounds.push(text.len());
        guess.push(total);
        Glyphs {
            text,
            platform,
            bounds,
            guess,
        }
    }

    fn glyph_count(&self) -> usize {
        self.bounds.len() - 1
    }

    /// Byte ranges of the runs, each post (`post(number, run)`) as long as the platform
    /// allows: a run one glyph longer would not fit. X's URLs and Bluesky's combining marks
    /// make a post's length differ from the guess either way, so the guess is only where the
    /// search starts.
    fn cut(&self, post: impl Fn(usize, &str) -> String) -> Vec<Range<usize>> {
        let end = self.glyph_count();
        let limit = self.platform.limit();
        if end == 0 {
            // An empty message is one post with no glyphs.
            return std::iter::once(0..0).collect();
        }
        let mut runs = Vec::new();
        let mut from = 0;
        loop {
            let number = runs.len() + 1;
            let fits = |to: usize| {
                let run = &self.text[self.bounds[from]..self.bounds[to]];
                self.platform.length(&post(number, run)) <= limit
            };
            let room = limit.saturating_sub(self.platform.length(&post(number, "")));
            let guessed = self.guess[from..].partition_point(|&g| g - self.guess[from] <= room);
            // A run of one glyph always fits (a post holds far more than a header, markers and
            // a URL); search between it and the end for a run that fits where one glyph more
            // would not.
            let guess = (from + guessed - 1).clamp(from + 1, end);
            let (mut fit, mut over) = if fits(guess) {
                // Gallop up from the guess, which is usually close.
                let (mut fit, mut step) = (guess, 1);
                while fit + step <= end && fits(fit + step) {
                    fit += step;
                    step *= 2;
                }
                (fit, (fit + step).min(end + 1))
            } else {
                (from + 1, guess)
            };
            while over - fit > 1 {
                let mid = fit + (over - fit) / 2;
                if fits(mid) { fit = mid } else { over = mid }
            }
            let to = fit;
            runs.push(self.bounds[from]..self.bounds[to]);
            if to == end {
                return runs;
            }
            from = to;
        }
    }
}

/// Whether text that opens with `head` is a numbered post: `N/M`, a space, then a marker.
pub fn opens_a_post(head: &[u8]) -> bool {
    // The head may end inside a character.
    let text = match std::str::from_utf8(head) {
        Ok(text) => text,
        Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).expect("valid up to there"),
    };
    header(text).is_some_and(|(_, _, rest)| rest.chars().next().and_then(marker_of).is_some())
}

/// `N/M ` at the start of `text`: the post's number, the total, and what follows the space.
fn header(text: &str) -> Option<(u64, u64, &str)> {
    let (numbers, rest) = text.split_once(' ')?;
    let (number, total) = numbers.split_once('/')?;
    let count = |digits: &str| {
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok()
    };
    Some((count(number)?, count(total)?, rest))
}

/// The alphabet whose marker `c` is.
fn marker_of(c: char) -> Option<Alphabet> {
    [Alphabet::A2048, Alphabet::A4096].into_iter().find(|a| {
        let (plain, zlib) = a.markers();
        c == plain || c == zlib
    })
}

/// One post as read: where it was, and its glyphs.
struct Post<'a> {
    line: u64,
    glyphs: &'a str,
}

/// The message whose posts `text` holds, one a line (or NUL-separated, as `split -0` writes
/// them) in any order; `first_line` is the line number of its first line. Every post must be
/// there, each once (a copy of a post is fine), all of one message.
pub fn join(text: &[u8], first_line: u64) -> Result<String, PostError> {
    let mut series: Option<(u64, char, u64)> = None;
    let mut posts = std::collections::BTreeMap::<u64, Post>::new();
    for (i, line) in text.split(|&b| b == b'\n').enumerate() {
        let line_number = first_line + i as u64;
        for piece in line.split(|&b| b == b'\r' || b == 0) {
            if piece.is_empty() {
                continue;
            }
            let piece =
                std::str::from_utf8(piece).map_err(|_| PostError::NotUtf8 { line: line_number })?;
            let (number, total, message) =
                header(piece).ok_or(PostError::NotAPost { line: line_number })?;
            let mut chars = message.chars();
            let (Some(open), Some(close)) = (chars.next(), chars.next_back()) else {
                return Err(PostError::NotAPost { line: line_number });
            };
            let alphabet = marker_of(open).ok_or(PostError::NotAPost { line: line_number })?;
            if close != open {
                return Err(PostError::NotAPost { line: line_number });
            }
            let glyphs = chars.as_str();
            let bad = glyphs.chars().position(|c| !alphabet.is_glyph(c));
            if let Some(at) = bad {
                // Counted from 1: the header (ASCII, a byte a character), the marker, the glyphs.
                let column = (piece.len() - message.len() + 1 + at + 1) as u64;
                return Err(PostError::NotAGlyph {
                    number,
                    total,
                    ch: glyphs.chars().nth(at).expect("found there"),
                    column,
                });
            }
            let (first_total, first_marker, first) =
                *series.get_or_insert((total, open, line_number));
            if total != first_total || open != first_marker {
                return Err(PostError::OtherMessage {
                    line: line_number,
                    first,
                });
            }
            if number == 0 || number > total {
                return Err(PostError::OutOfRange { number, total });
            }
            let post = Post {
                line: line_number,
                glyphs,
            };
            if let Some(seen) = posts.get(&number) {
                if seen.glyphs != glyphs {
                    return Err(PostError::Differ {
                        number,
                        total,
                        lines: (seen.line, line_number),
                    });
                }
                continue;
            }
            posts.insert(number, post);
        }
    }
    let Some((total, marker, _)) = series else {
        return Err(PostError::NoPosts);
    };
    if posts.len() as u64 != total {
        let mut missing = Vec::new();
        let mut expected = 1;
        for &number in posts.keys().chain(std::iter::once(&(total + 1))) {
            while expected < number && missing.len() < MISSING_SHOWN {
                missing.push(expected);
                expected += 1;
            }
            expected = number + 1;
        }
        return Err(PostError::Missing {
            missing,
            count: total - posts.len() as u64,
            total,
        });
    }
    let mut message = String::with_capacity(text.len());
    message.push(marker);
    for post in posts.values() {
        message.push_str(post.glyphs);
    }
    message.push(marker);
    Ok(message)
}

/// How many missing posts an error lists by number.
const MISSING_SHOWN: usize = 10;

/// Why numbered posts could not be put back together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostError {
    NotUtf8 {
        line: u64,
    },
    /// A line among posts that is not one.
    NotAPost {
        line: u64,
    },
    NotAGlyph {
        number: u64,
        total: u64,
        ch: char,
        column: u64,
    },
    /// A post of another series (another total, or other markers) than the first.
    OtherMessage {
        line: u64,
        first: u64,
    },
    OutOfRange {
        number: u64,
        total: u64,
    },
    /// Two different posts with the same number.
    Differ {
        number: u64,
        total: u64,
        lines: (u64, u64),
    },
    /// The first `missing` numbers of the `count` posts not given.
    Missing {
        missing: Vec<u64>,
        count: u64,
        total: u64,
    },
    NoPosts,
}

impl fmt::Display for PostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PostError::NotUtf8 { line } => write!(
                f,
                "line {line} is not UTF-8 text; pass the posts exactly as they were posted"
            ),
            PostError::NotAPost { line } => write!(
                f,
                "line {line} is not a numbered post (N/M, a space, then a message in its \
                 markers); give only the posts that split wrote, one a line"
            ),
            PostError::NotAGlyph {
                number,
                total,
                ch,
                column,
            } => write!(
                f,
                "post {number}/{total}: U+{:04X} at character {column} is not a twuuenc glyph; \
                 check that the post was copied whole",
                *ch as u32
            ),
            PostError::OtherMessage { line, first } => write!(
                f,
                "the post on line {line} belongs to another message than the one on line \
                 {first} (another total or other markers); give the posts of one message"
            ),
            PostError::OutOfRange { number, total } => write!(
                f,
                "post {number}/{total} is numbered outside 1 to {total}; check that it was \
                 copied whole"
            ),
            PostError::Differ {
                number,
                total,
                lines: (a, b),
            } => write!(
                f,
                "post {number}/{total} is given twice, differently, on lines {a} and {b}; keep \
                 the one that was posted"
            ),
            PostError::Missing {
                missing,
                count,
                total,
            } => {
                let mut names: Vec<String> = missing.iter().map(u64::to_string).collect();
                let more = count - missing.len() as u64;
                if more > 0 {
                    names.push(format!("{more} more"));
                }
                let last = names.pop().expect("at least one post is missing");
                let list = match names.is_empty() {
                    true => last,
                    false => format!("{} and {last}", names.join(", ")),
                };
                let (posts, are, them) = match count {
                    1 => ("post", "is", "it"),
                    _ => ("posts", "are", "them"),
                };
                write!(
                    f,
                    "{posts} {list} of {total} {are} missing; add {them} (the posts may come in \
                     any order, one a line)"
                )
            }
            PostError::NoPosts => write!(f, "no posts were given"),
        }
    }
}
