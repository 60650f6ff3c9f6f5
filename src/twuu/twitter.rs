//! The length of a post as X counts it: twitter-text 3's weighted length, URLs included.
//!
//! Code points 0-4351, 8192-8205, 8208-8223 and 8242-8247 weigh 1, all others 2, and every URL
//! twitter-text would link, with or without `https://`, counts 23 however long it is. URLs are
//! found with twitter-text's own patterns (see data/twitter-text/) and its rules for using a
//! match, restated from `extractUrlsWithIndices`.
//!
//! twitter-text also normalises to NFC and weighs an emoji sequence as one character of weight
//! 2; neither changes the count of a twuu message, whose glyphs and markers are unchanged by
//! NFC, compose with nothing, and never form a multi-code-point emoji (the differential test
//! against the npm package checks this on random messages).

use std::ops::Range;
use std::sync::LazyLock;

use fancy_regex::{Regex, RegexBuilder};

/// The weighted-length limit of one post on X.
pub const POST_LIMIT: u64 = 280;

/// What X counts for any URL.
const URL_WEIGHT: u64 = 23;

/// twitter-text refuses a URL longer than this, in UTF-16 units, `https://` included.
const MAX_URL_LENGTH: usize = 4096;
const DEFAULT_PROTOCOL: &str = "https://";
const MAX_DOMAIN_LABEL_LENGTH: usize = 63;
const MAX_TCO_SLUG_LENGTH: usize = 40;

static EXTRACT_URL: LazyLock<Regex> =
    LazyLock::new(|| pattern(include_str!("../../data/twitter-text/extract_url.re")));
static VALID_ASCII_DOMAIN: LazyLock<Regex> = LazyLock::new(|| {
    pattern(include_str!(
        "../../data/twitter-text/valid_ascii_domain.re"
    ))
});

/// The t.co rule, restated from twitter-text's `validTcoUrl`.
static VALID_TCO_URL: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)^https?://t\.co/([a-z0-9]+)(?:\?[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]*[a-z0-9\-_&=#/])?",
    )
    .expect("the t.co pattern compiles")
});

/// Without a dot before a top-level domain (or `xn--`), nothing is a URL: most segments of a
/// message are ruled out by this cheap search before the full pattern runs.
static MAY_HOLD_URL: LazyLock<regex::Regex> = LazyLock::new(|| {
    let src = include_str!("../../data/twitter-text/valid_ascii_domain.re");
    // The domain pattern ends with the alternation of top-level domains, each followed by
    // twitter-text's look-ahead; here the look-ahead's condition is matched instead.
    let tlds = src
        .split_once(")+")
        .map(|(_, tlds)| tlds)
        .expect("validAsciiDomain is labels then top-level domains")
        .replace("(?=[^0-9a-zA-Z@+-]|$)", "(?:[^0-9a-zA-Z@+-]|$)");
    regex::Regex::new(&format!(r"(?i)\.(?:{tlds}|xn--)"))
        .expect("the top-level domain pattern compiles")
});

fn pattern(source: &str) -> Regex {
    // The patterns are used case-insensitively (flag `i`), and a long run of domain characters
    // can take many steps: twitter-text sets no limit either.
    RegexBuilder::new(&format!("(?i){}", source.trim_end()))
        .backtrack_limit(usize::MAX)
        .build()
        .expect("twitter-text's patterns compile")
}

/// The weight X gives a code point: 1 in its light ranges, 2 elsewhere.
pub fn twitter_weight(c: char) -> u64 {
    match c as u32 {
        0..=4351 | 8192..=8205 | 8208..=8223 | 8242..=8247 => 1,
        _ => 2,
    }
}

/// The weighted length of `text` as X counts it, URLs included.
pub fn weighted_length(text: &str) -> u64 {
    let mut counter = XLength::default();
    counter.push(text);
    counter.finish()
}

/// Counts the weighted length of text given in pieces.
///
/// No URL twitter-text finds holds a whitespace character (one may follow one), so the text is
/// measured a space-separated segment at a time, each segment opening with its space: the same
/// URLs are found as in the whole text, in memory the size of the longest segment.
#[derive(Debug, Default)]
pub struct XLength {
    segment: String,
    total: u64,
}

impl XLength {
    pub fn push(&mut self, mut text: &str) {
        while let Some(space) = text.find(char::is_whitespace) {
            let next = space + text[space..].chars().next().map_or(1, char::len_utf8);
            self.segment.push_str(&text[..space]);
            self.total += segment_length(&self.segment);
            self.segment.clear();
            self.segment.push_str(&text[space..next]);
            text = &text[next..];
        }
        self.segment.push_str(text);
    }

    pub fn finish(mut self) -> u64 {
        self.total += segment_length(&self.segment);
        self.segment.clear();
        self.total
    }
}

fn segment_length(text: &str) -> u64 {
    let mut length = 0;
    let mut at = 0;
    for url in urls(text) {
        length += text[at..url.start].chars().map(twitter_weight).sum::<u64>() + URL_WEIGHT;
        at = url.end;
    }
    length + text[at..].chars().map(twitter_weight).sum::<u64>()
}

/// The byte ranges of the URLs twitter-text finds in `text`, in order.
pub fn urls(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    if !MAY_HOLD_URL.is_match(text) {
        return found;
    }
    for caps in EXTRACT_URL.captures_iter(text) {
        let Ok(caps) = caps else { break };
        let group = |i| caps.get(i).map(|m| m.range());
        let (Some(before), Some(url), Some(domain)) = (group(2), group(3), group(5)) else {
            continue;
        };
        let protocol = group(4);
        let path = group(7).filter(|p| !p.is_empty());
        let url_text = &text[url.clone()];
        let protocol_len = protocol
            .as_ref()
            .map_or(DEFAULT_PROTOCOL.len(), |p| p.len());
        if !valid_domain(&text[domain.clone()])
            || protocol_len + utf16_len(url_text) > MAX_URL_LENGTH
        {
            continue;
        }
        if protocol.is_some() {
            match VALID_TCO_URL.captures(url_text) {
                Some(tco) if tco[1].len() > MAX_TCO_SLUG_LENGTH => {}
                Some(tco) => found.push(url.start..url.start + tco[0].len()),
                None => found.push(url),
            }
            continue;
        }
        if ends_with_one_of(&text[before], &['-', '_', '.', '/']) {
            continue;
        }
        // Without a protocol only ASCII domains are links; each one in the domain is. twitter-text
        // places each with `indexOf` from the end of the one before, so a domain whose text
        // also comes earlier ("t.co" in "t.comtᘒt.co") is placed at that earlier text.
        let domain_text = &text[domain.clone()];
        let mut last = None;
        let mut from = 0;
        for ascii in VALID_ASCII_DOMAIN.find_iter(domain_text).flatten() {
            let at = domain_text[from..]
                .find(ascii.as_str())
                .map_or(ascii.start(), |i| from + i);
            from = at + ascii.as_str().len();
            found.push(domain.start + at..domain.start + from);
            last = Some(found.len() - 1);
        }
        // The last one takes the path and what follows it: twitter-text makes its text the URL
        // with the domain replaced by the ASCII one, and skips that many UTF-16 units from
        // where the ASCII domain starts (not always to the URL's end, when the two differ).
        if let (Some(last), Some(_)) = (last, path) {
            let start = found[last].start;
            let units = utf16_len(&text[found[last].clone()]) + utf16_len(url_text)
                - utf16_len(&text[domain.clone()]);
            found[last] = start..start + utf16_prefix_bytes(&text[start..], units);
        }
    }
    found
}

/// twitter-text's `idna.toAscii` check: every label punycode-encodes to 1 to 63 characters,
/// and a domain that says it is punycode is ASCII.
fn valid_domain(domain: &str) -> bool {
    if domain.starts_with("xn--") && !matches!(VALID_ASCII_DOMAIN.is_match(domain), Ok(true)) {
        return false;
    }
    domain.split('.').all(|label| {
        let encoded = if label.is_ascii() {
            Some(label.len())
        } else {
            idna::punycode::encode_str(label).map(|p| "xn--".len() + p.len())
        };
        encoded.is_some_and(|len| (1..=MAX_DOMAIN_LABEL_LENGTH).contains(&len))
    })
}

fn ends_with_one_of(text: &str, chars: &[char]) -> bool {
    text.chars().next_back().is_some_and(|c| chars.contains(&c))
}

fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

/// The bytes of `text`'s first `units` UTF-16 units (a character is taken whole).
fn utf16_prefix_bytes(text: &str, units: usize) -> usize {
    let mut seen = 0;
    for (at, c) in text.char_indices() {
        if seen >= units {
            return at;
        }
        seen += c.len_utf16();
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_follow_twitter_text_v3_ranges() {
        for (c, w) in [
            (' ', 1),
            ('\u{10FF}', 1),
            ('\u{1100}', 2),
            ('\u{1401}', 2),
            ('\u{2000}', 1),
            ('\u{200D}', 1),
            ('\u{200E}', 2),
            ('\u{2010}', 1),
            ('\u{201F}', 1),
            ('\u{2020}', 2),
            ('\u{2032}', 1),
            ('\u{2037}', 1),
            ('\u{2038}', 2),
            ('\u{2639}', 2),
        ] {
            assert_eq!(twitter_weight(c), w, "{c:?}");
        }
        assert_eq!(weighted_length("a\u{2639}"), 3);
    }

    #[test]
    fn urls_count_23() {
        assert_eq!(weighted_length("x.com"), 23);
        assert_eq!(weighted_length("ab x.com"), 26);
        assert_eq!(weighted_length("http://foo.bar/baz?x=1 a"), 25);
        // Not a top-level domain, a non-ASCII domain without protocol, a dot after a dash.
        assert_eq!(weighted_length("a.b"), 3);
        assert_eq!(weighted_length("\u{416}\u{416}.com"), 6);
        assert_eq!(weighted_length("-.x.com"), 7);
        // The ASCII domain ends before the whole domain does: the skip is measured from it.
        assert_eq!(weighted_length("x.\u{440}\u{444}.com/\u{4C0}"), 27);
    }

    #[test]
    fn pieces_count_as_the_whole() {
        let text = "ab x.com and http://foo.bar/baz?x=1 q.co.uk/a b";
        let mut counter = XLength::default();
        for piece in text.split_inclusive(['.', ' ', 'o']) {
            counter.push(piece);
        }
        assert_eq!(counter.finish(), weighted_length(text));
        assert_eq!(urls(text).len(), 3);
    }
}
