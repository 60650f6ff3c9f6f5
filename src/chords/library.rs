//! The songs built into the binary, and finding one by slug or by part of its title.

use std::fmt;

use super::song::{Song, parse_plain, split_header};

/// Each song's slug and file, embedded so that nothing is needed at run time.
const SONGS: [(&str, &str); 7] = [
    (
        "im-going-to-go-back-there-someday",
        include_str!("../../songs/im-going-to-go-back-there-someday.txt"),
    ),
    ("slipping", include_str!("../../songs/slipping.txt")),
    ("so-they-say", include_str!("../../songs/so-they-say.txt")),
    (
        "everyones-a-hero",
        include_str!("../../songs/everyones-a-hero.txt"),
    ),
    (
        "brand-new-day",
        include_str!("../../songs/brand-new-day.txt"),
    ),
    ("pennys-song", include_str!("../../songs/pennys-song.txt")),
    ("on-the-rise", include_str!("../../songs/on-the-rise.txt")),
];

/// How many titles an error suggests.
const SUGGESTIONS: usize = 3;

/// A song of the library, read only as far as its header until its sheet is wanted.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub slug: &'static str,
    text: &'static str,
}

impl Entry {
    pub fn title(&self) -> String {
        split_header(self.text)
            .and_then(|(header, _)| header.title)
            .expect("every library song has a title")
    }

    pub fn song(&self) -> Song {
        parse_plain(self.text, self.slug)
    }
}

pub fn entries() -> impl Iterator<Item = Entry> {
    SONGS.iter().map(|&(slug, text)| Entry { slug, text })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupError {
    /// Nothing matched; the closest titles.
    Unknown { query: String, closest: Vec<String> },
    /// Several titles hold the query.
    Ambiguous { query: String, matches: Vec<String> },
}

impl fmt::Display for LookupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LookupError::Unknown { query, closest } => write!(
                f,
                "no song matches '{query}'; the closest titles are: {}",
                closest.join(", ")
            ),
            LookupError::Ambiguous { query, matches } => write!(
                f,
                "'{query}' matches several songs: {}; give more of the title",
                matches.join(", ")
            ),
        }
    }
}

impl std::error::Error for LookupError {}

/// Lower case, apostrophes dropped, anything else that is not a letter or digit a single
/// space: "Everyone's a hero" and "everyones-a-hero" read alike.
fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().filter(|c| !matches!(c, '\'' | '’')) {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out.trim().to_string()
}

/// The song whose slug is `query`, or the only one whose title holds it (case, spacing and
/// punctuation aside).
pub fn find(query: &str) -> Result<Entry, LookupError> {
    if let Some(entry) = entries().find(|e| e.slug.eq_ignore_ascii_case(query.trim())) {
        return Ok(entry);
    }
    let wanted = normalize(query);
    let matching: Vec<Entry> = entries()
        .filter(|e| !wanted.is_empty() && normalize(&e.title()).contains(&wanted))
        .collect();
    match matching.as_slice() {
        [one] => Ok(*one),
        [] => Err(LookupError::Unknown {
            query: query.to_string(),
            closest: closest_titles(&wanted),
        }),
        many => Err(LookupError::Ambiguous {
            query: query.to_string(),
            matches: many.iter().map(Entry::title).collect(),
        }),
    }
}

fn closest_titles(wanted: &str) -> Vec<String> {
    let mut scored: Vec<(usize, String)> = entries()
        .map(|e| {
            let title = e.title();
            (substring_distance(wanted, &normalize(&title)), title)
        })
        .collect();
    // Stable: equally close titles stay in library order.
    scored.sort_by_key(|(distance, _)| *distance);
    scored
        .into_iter()
        .take(SUGGESTIONS)
        .map(|(_, title)| title)
        .collect()
}

/// The fewest edits that turn `needle` into some part of `haystack` (Sellers' algorithm): how
/// far a mistyped part of a title is from being right.
fn substring_distance(needle: &str, haystack: &str) -> usize {
    let hay: Vec<char> = haystack.chars().collect();
    // Row for the empty needle prefix: matching nothing costs nothing, wherever it starts.
    let mut row = vec![0usize; hay.len() + 1];
    for (i, n) in needle.chars().enumerate() {
        let mut next = vec![i + 1; hay.len() + 1];
        for (j, &h) in hay.iter().enumerate() {
            let substitute = row[j] + usize::from(n != h);
            next[j + 1] = substitute.min(row[j + 1] + 1).min(next[j] + 1);
        }
        row = next;
    }
    row.into_iter().min().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slug_of(query: &str) -> &'static str {
        find(query).unwrap().slug
    }

    #[test]
    fn finds_by_slug_or_part_of_title() {
        assert_eq!(slug_of("slipping"), "slipping");
        assert_eq!(slug_of("so they say"), "so-they-say");
        assert_eq!(slug_of("hero"), "everyones-a-hero");
        assert_eq!(slug_of("penny"), "pennys-song");
        assert_eq!(slug_of("someday"), "im-going-to-go-back-there-someday");
        assert_eq!(slug_of("SLIPPING"), "slipping");
        assert_eq!(slug_of("Everyone's"), "everyones-a-hero");
        assert_eq!(slug_of("brand-new-day"), "brand-new-day");
        assert_eq!(slug_of("on the rise"), "on-the-rise");
    }

    #[test]
    fn ambiguous_and_unknown_names_list_titles() {
        let Err(LookupError::Ambiguous { matches, .. }) = find("s") else {
            panic!("ambiguous");
        };
        assert!(matches.contains(&"Slipping".to_string()));
        let Err(LookupError::Unknown { closest, .. }) = find("slipin") else {
            panic!("unknown");
        };
        assert_eq!(closest[0], "Slipping");
        let Err(LookupError::Unknown { closest, .. }) = find("brand new dya") else {
            panic!("unknown");
        };
        assert_eq!(closest[0], "Brand New Day");
        assert!(matches!(find(""), Err(LookupError::Unknown { .. })));
    }

    #[test]
    fn slugs_are_the_titles_spelled_for_urls() {
        for entry in entries() {
            assert_eq!(entry.slug, normalize(&entry.title()).replace(' ', "-"));
        }
    }

    #[test]
    fn substring_distance_counts_edits_to_the_nearest_part() {
        assert_eq!(substring_distance("hero", "everyones a hero"), 0);
        assert_eq!(substring_distance("hreo", "everyones a hero"), 2);
        assert_eq!(substring_distance("", "x"), 0);
    }
}
