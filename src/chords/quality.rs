//! A chord's quality: the part of its name after the root (`m7b5`, `maj9#11`, `13`, `6/9`,
//! `7sus4`, `7(b9)`), read into the notes it adds above the root.
//!
//! The grammar is the one lead sheets use: an optional head (`m`, `maj`/`M`/`Δ`, `dim`/`°`,
//! `ø`, `aug`/`+`), an optional number (5, 6, 6/9, 7, 9, 11, 13), then any modifiers, bare or
//! in parentheses: `sus2`, `sus4`, `add9`, `b5`, `#5`, `b9`, `#9`, `#11`, `b13`, `alt`, `no3`.
//! Only names that read whole count: that is what tells the chord `A` from the word "A" and
//! `Am` from "Amazing".

use std::fmt;

/// The triad under a quality, which is what key detection looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Triad {
    Major,
    Minor,
    Diminished,
    Augmented,
    /// Suspended and power chords: no third, so they fit a major or a minor degree.
    NoThird,
}

/// Longest suffix kept: longer ones are no chord names anyone writes.
const MAX_SUFFIX: usize = 32;

/// A quality as written, and the pitch classes it puts above the root.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Quality {
    written: [u8; MAX_SUFFIX],
    len: u8,
    /// Bit `n` set: the note `n` semitones above the root sounds (bit 0, the root, always).
    intervals: u16,
    /// The notes of `intervals` a voicing cannot leave out.
    essential: u16,
    triad: Triad,
}

impl fmt::Debug for Quality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Quality({:?}, {:012b})", self.suffix(), self.intervals)
    }
}

/// The notes of a plain major and minor triad, as [`Quality::intervals`] has them.
pub const MAJOR_TRIAD: u16 = 1 | 1 << 4 | 1 << 7;
pub const MINOR_TRIAD: u16 = 1 | 1 << 3 | 1 << 7;

impl Quality {
    /// Reads a suffix; `None` when it is not one a chord name can have.
    pub fn parse(suffix: &str) -> Option<Quality> {
        if suffix.len() > MAX_SUFFIX {
            return None;
        }
        let formula = Formula::read(suffix)?;
        let mut written = [0; MAX_SUFFIX];
        written[..suffix.len()].copy_from_slice(suffix.as_bytes());
        Some(Quality {
            written,
            len: suffix.len() as u8,
            intervals: formula.intervals(),
            essential: formula.essential(),
            triad: formula.triad(),
        })
    }

    /// The suffix as written: "M7", "sus", "".
    pub fn suffix(&self) -> &str {
        std::str::from_utf8(&self.written[..usize::from(self.len)])
            .expect("a suffix is copied whole from a str")
    }

    /// The notes above the root, one bit per semitone: one value per sound, however it is
    /// written ("M7" and "maj7" alike).
    pub fn intervals(&self) -> u16 {
        self.intervals
    }

    /// The notes of [`Quality::intervals`] every voicing must sound: all but a perfect fifth
    /// beside a third (or suspension), the ninth and third under an eleventh, the ninth and
    /// eleventh under a thirteenth, and the alterations of `alt`, among which voicings choose.
    pub fn essential(&self) -> u16 {
        self.essential
    }

    pub fn triad(&self) -> Triad {
        self.triad
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Third {
    Major,
    Minor,
    Sus2,
    Sus4,
    /// A power chord, or `no3`.
    Omitted,
}

/// What a suffix says, built up as it is read.
struct Formula {
    third: Third,
    /// Semitones above the root; `None` for `no5`.
    fifth: Option<u8>,
    seventh: Option<u8>,
    /// Sixths, ninths, elevenths and thirteenths, and altered notes, as interval bits.
    added: u16,
    /// `maj`, `M` or `Δ`: a seventh, when one comes, is major.
    major_seventh: bool,
    diminished: bool,
    /// Notes a voicing may leave out besides a perfect fifth, as interval bits.
    optional: u16,
}

impl Formula {
    fn read(suffix: &str) -> Option<Formula> {
        let mut f = Formula {
            third: Third::Major,
            fifth: Some(7),
            seventh: None,
            added: 0,
            major_seventh: false,
            diminished: false,
            optional: 0,
        };
        let mut rest = f.head(suffix);
        rest = f.number(rest)?;
        while !rest.is_empty() {
            rest = match rest.strip_prefix('(') {
                Some(inner) => {
                    let (group, after) = inner.split_once(')')?;
                    for part in group.split(',').map(str::trim) {
                        f.modifiers(part)?;
                    }
                    after
                }
                None => f.modifier(rest.trim_start_matches(','))?,
            };
        }
        Some(f)
    }

    fn modifiers(&mut self, mut text: &str) -> Option<()> {
        while !text.is_empty() {
            text = self.modifier(text)?;
        }
        Some(())
    }

    /// The quality word at the start: minor, major-seventh marker, diminished, augmented.
    fn head<'a>(&mut self, text: &'a str) -> &'a str {
        const MAJOR_SEVENTH: [&str; 4] = ["maj", "Maj", "M", "Δ"];
        if let Some(rest) = strip_any(text, &MAJOR_SEVENTH) {
            self.major_seventh = true;
            return rest;
        }
        if let Some(rest) = strip_any(text, &["min", "mi", "m", "-"]) {
            self.third = Third::Minor;
            // mM7, mmaj7, -Δ7: a minor chord with a major seventh.
            if let Some(after) = strip_any(rest, &MAJOR_SEVENTH)
                && after.starts_with(|c: char| c.is_ascii_digit())
            {
                self.major_seventh = true;
                return after;
            }
            return rest;
        }
        if let Some(rest) = strip_any(text, &["dim", "°"]) {
            self.third = Third::Minor;
            self.fifth = Some(6);
            self.diminished = true;
            return rest;
        }
        if let Some(rest) = text.strip_prefix('ø') {
            self.third = Third::Minor;
            self.fifth = Some(6);
            self.seventh = Some(10);
            // ø7 says the seventh it already has.
            return rest.strip_prefix('7').unwrap_or(rest);
        }
        if let Some(rest) = strip_any(text, &["aug", "+"]) {
            self.fifth = Some(8);
            return rest;
        }
        text
    }

    /// The number after the head: 5, 6, 6/9, 69, 7, 9, 11, 13.
    fn number<'a>(&mut self, text: &'a str) -> Option<&'a str> {
        if let Some(rest) = strip_any(text, &["6/9", "69"]) {
            self.added |= 1 << 9 | 1 << 2;
            return Some(rest);
        }
        let digits = text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len());
        let (number, rest) = text.split_at(digits);
        match number {
            "" => {}
            "5" if self.third == Third::Major && self.fifth == Some(7) && !self.major_seventh => {
                self.third = Third::Omitted;
            }
            "6" => self.added |= 1 << 9,
            "7" | "9" | "11" | "13" => {
                self.seventh = Some(if self.major_seventh {
                    11
                } else if self.diminished {
                    9
                } else {
                    10
                });
                self.optional |= match number {
                    "11" => 1 << 2 | 1 << 3 | 1 << 4,
                    "13" => 1 << 2 | 1 << 5,
                    _ => 0,
                };
                self.added |= match number {
                    "9" => 1 << 2,
                    "11" => 1 << 2 | 1 << 5,
                    // An eleventh under a major third clashes; only minor thirteenths hold it.
                    "13" if self.third == Third::Minor => 1 << 2 | 1 << 5 | 1 << 9,
                    "13" => 1 << 2 | 1 << 9,
                    _ => 0,
                };
            }
            _ => return None,
        }
        Some(rest)
    }

    /// One modifier at the start of `text`; the rest.
    fn modifier<'a>(&mut self, text: &'a str) -> Option<&'a str> {
        if let Some(rest) = text.strip_prefix("sus") {
            let (third, rest) = match rest.as_bytes().first() {
                Some(b'2') => (Third::Sus2, &rest[1..]),
                Some(b'4') => (Third::Sus4, &rest[1..]),
                _ => (Third::Sus4, rest),
            };
            self.third = third;
            return Some(rest);
        }
        if let Some(rest) = text.strip_prefix("add") {
            let (bit, rest) = added_degree(rest)?;
            self.added |= bit;
            return Some(rest);
        }
        if let Some(rest) = text.strip_prefix("alt") {
            self.seventh.get_or_insert(10);
            self.fifth = None;
            self.added |= 1 << 1 | 1 << 3 | 1 << 6 | 1 << 8;
            self.optional |= 1 << 1 | 1 << 3 | 1 << 6 | 1 << 8;
            return Some(rest);
        }
        if let Some(rest) = strip_any(text, &["no", "omit"]) {
            let digit = rest.as_bytes().first()?;
            match digit {
                b'3' => self.third = Third::Omitted,
                b'5' => self.fifth = None,
                _ => return None,
            }
            return Some(&rest[1..]);
        }
        // A major seventh written after the head: m(maj7), 7M is not one of these.
        if let Some(rest) = strip_any(text, &["maj", "Maj", "M", "Δ"])
            && rest.starts_with(|c: char| c.is_ascii_digit())
        {
            self.major_seventh = true;
            return self.number(rest);
        }
        let (sharp, rest) = match text.chars().next()? {
            'b' | '-' => (false, &text[1..]),
            '#' | '+' => (true, &text[1..]),
            '♭' => (false, &text['♭'.len_utf8()..]),
            '♯' => (true, &text['♯'.len_utf8()..]),
            _ => return None,
        };
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let (degree, rest) = rest.split_at(digits);
        match (sharp, degree) {
            (false, "5") => self.fifth = Some(6),
            (true, "5") => self.fifth = Some(8),
            (false, "9") => self.added |= 1 << 1,
            (true, "9") => self.added |= 1 << 3,
            (true, "11") => self.added |= 1 << 6,
            (false, "13") => self.added |= 1 << 8,
            _ => return None,
        }
        Some(rest)
    }

    fn intervals(&self) -> u16 {
        let third = match self.third {
            Third::Major => 1 << 4,
            Third::Minor => 1 << 3,
            Third::Sus2 => 1 << 2,
            Third::Sus4 => 1 << 5,
            Third::Omitted => 0,
        };
        let fifth = self.fifth.map_or(0, |f| 1 << f);
        let seventh = self.seventh.map_or(0, |s| 1 << s);
        1 | third | fifth | seventh | self.added
    }

    fn essential(&self) -> u16 {
        // A power chord is its root and fifth: there the fifth is all there is.
        let fifth = match self.third != Third::Omitted && self.fifth == Some(7) {
            true => 1 << 7,
            false => 0,
        };
        self.intervals() & !(self.optional | fifth)
    }

    fn triad(&self) -> Triad {
        match (self.third, self.fifth) {
            (Third::Minor, Some(6)) => Triad::Diminished,
            (Third::Minor, _) => Triad::Minor,
            (Third::Major, Some(8)) => Triad::Augmented,
            (Third::Major, _) => Triad::Major,
            _ => Triad::NoThird,
        }
    }
}

/// `9`, `2`, `11`, `4`, `13`, `6` after `add`, as an interval bit.
fn added_degree(text: &str) -> Option<(u16, &str)> {
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (degree, rest) = text.split_at(digits);
    let bit = match degree {
        "2" | "9" => 1 << 2,
        "4" | "11" => 1 << 5,
        "6" | "13" => 1 << 9,
        _ => return None,
    };
    Some((bit, rest))
}

fn strip_any<'a>(text: &'a str, prefixes: &[&str]) -> Option<&'a str> {
    prefixes.iter().find_map(|p| text.strip_prefix(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The notes above C of a suffix, as note names.
    fn notes(suffix: &str) -> String {
        const NAMES: [&str; 12] = [
            "C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B",
        ];
        let q = Quality::parse(suffix).unwrap_or_else(|| panic!("{suffix:?} reads"));
        (0..12)
            .filter(|i| q.intervals() & 1 << i != 0)
            .map(|i| NAMES[i])
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn reads_the_whole_grammar_into_notes() {
        for (suffix, wanted) in [
            ("", "C E G"),
            ("m", "C Eb G"),
            ("5", "C G"),
            ("6", "C E G A"),
            ("6/9", "C D E G A"),
            ("69", "C D E G A"),
            ("m6", "C Eb G A"),
            ("7", "C E G Bb"),
            ("9", "C D E G Bb"),
            ("11", "C D E F G Bb"),
            ("13", "C D E G A Bb"),
            ("m13", "C D Eb F G A Bb"),
            ("maj7", "C E G B"),
            ("M7", "C E G B"),
            ("Δ7", "C E G B"),
            ("maj9#11", "C D E Gb G B"),
            ("m7b5", "C Eb Gb Bb"),
            ("ø", "C Eb Gb Bb"),
            ("dim", "C Eb Gb"),
            ("dim7", "C Eb Gb A"),
            ("°7", "C Eb Gb A"),
            ("aug", "C E Ab"),
            ("+", "C E Ab"),
            ("7#5", "C E Ab Bb"),
            ("sus2", "C D G"),
            ("sus4", "C F G"),
            ("sus", "C F G"),
            ("7sus4", "C F G Bb"),
            ("add9", "C D E G"),
            ("madd9", "C D Eb G"),
            ("7b9", "C Db E G Bb"),
            ("7#9", "C Eb E G Bb"),
            ("13b9", "C Db D E G A Bb"),
            ("7#5#9", "C Eb E Ab Bb"),
            ("7#9#5", "C Eb E Ab Bb"),
            ("7(b9)", "C Db E G Bb"),
            ("7(b9,#11)", "C Db E Gb G Bb"),
            ("7b13", "C E G Ab Bb"),
            ("7alt", "C Db Eb E Gb Ab Bb"),
            ("mmaj7", "C Eb G B"),
            ("mM7", "C Eb G B"),
            ("m(maj7)", "C Eb G B"),
            ("7no3", "C G Bb"),
        ] {
            assert_eq!(notes(suffix), wanted, "{suffix}");
        }
    }

    #[test]
    fn essential_notes_leave_out_what_voicings_leave_out() {
        let essential = |suffix: &str| {
            let q = Quality::parse(suffix).unwrap();
            (0..12)
                .filter(|i| q.essential() & 1 << i != 0)
                .collect::<Vec<_>>()
        };
        assert_eq!(essential(""), [0, 4]);
        assert_eq!(essential("5"), [0, 7]);
        assert_eq!(essential("m7b5"), [0, 3, 6, 10]);
        assert_eq!(essential("aug"), [0, 4, 8]);
        assert_eq!(essential("sus2"), [0, 2]);
        assert_eq!(essential("9"), [0, 2, 4, 10]);
        assert_eq!(essential("11"), [0, 5, 10]);
        assert_eq!(essential("13"), [0, 4, 9, 10]);
        assert_eq!(essential("7alt"), [0, 4, 10]);
        assert_eq!(essential("madd9"), [0, 2, 3]);
    }

    #[test]
    fn triads_follow_the_third_and_fifth() {
        let triad = |s: &str| Quality::parse(s).unwrap().triad();
        assert_eq!(triad("m7b5"), Triad::Diminished);
        assert_eq!(triad("dim7"), Triad::Diminished);
        assert_eq!(triad("m13"), Triad::Minor);
        assert_eq!(triad("+7"), Triad::Augmented);
        assert_eq!(triad("13b9"), Triad::Major);
        assert_eq!(triad("7sus4"), Triad::NoThird);
        assert_eq!(triad("5"), Triad::NoThird);
    }

    #[test]
    fn refuses_what_no_chord_is_called() {
        for suffix in [
            "azing", "b", "#", "sus3", "add", "add8", "x", "7x", "(b9", "b11", "m5", "ero", "7b",
        ] {
            assert!(Quality::parse(suffix).is_none(), "{suffix}");
        }
    }
}
