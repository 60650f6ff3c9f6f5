//! Filters that the server applies: `--since`, `--before`, `--from`, `--to`, `--subject`,
//! `--unseen`, `--larger` and `--smaller`, sent as one UID SEARCH (RFC 3501 section 6.4.4),
//! with CHARSET UTF-8 when a text is not ASCII. An export records them (see `export`), so they
//! are serialisable.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A calendar day, as `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl Date {
    /// As IMAP writes a date: `1-Feb-2024`.
    pub fn imap(self) -> String {
        format!(
            "{}-{}-{}",
            self.day,
            MONTHS[usize::from(self.month) - 1],
            self.year
        )
    }
}

impl FromStr for Date {
    type Err = String;

    fn from_str(text: &str) -> Result<Date, String> {
        let bad = || "not a date; give one as YYYY-MM-DD, e.g. 2024-03-01".to_string();
        let mut parts = text.split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        fn digits<T: FromStr>(s: &str) -> Option<T> {
            s.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| s.parse().ok())?
        }
        let (Some(year), Some(month), Some(day)) =
            (digits::<u16>(y), digits::<u8>(m), digits::<u8>(d))
        else {
            return Err(bad());
        };
        if !(1..=12).contains(&month) {
            return Err(format!(
                "there is no month {month}; give a date as YYYY-MM-DD"
            ));
        }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        if day == 0 || day > days || year == 0 {
            return Err(format!(
                "{} has no day {day}; give a date as YYYY-MM-DD",
                MONTHS[usize::from(month) - 1]
            ));
        }
        Ok(Date { year, month, day })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl TryFrom<String> for Date {
    type Error = String;

    fn try_from(text: String) -> Result<Date, String> {
        text.parse()
    }
}

impl From<Date> for String {
    fn from(date: Date) -> String {
        date.to_string()
    }
}

/// A size in bytes: a number, or one with a suffix K, M or G (powers of 1024).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let bad = || "not a size; give bytes, or a number with K, M or G (e.g. 500K)".to_string();
    let (digits, unit) = match text.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((at, _)) => text.split_at(at),
        None => (text, ""),
    };
    let shift = match unit.to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        _ => return Err(bad()),
    };
    let n: u64 = digits.parse().map_err(|_| bad())?;
    let bytes = n.checked_mul(1 << shift).ok_or_else(bad)?;
    // IMAP numbers are 32-bit (RFC 3501 section 4.2).
    if bytes > u64::from(u32::MAX) {
        return Err("more than an IMAP server can compare (4G at most)".to_string());
    }
    Ok(bytes)
}

/// A text to search for: any UTF-8 but a line break or NUL, which no search string carries.
pub fn parse_text(text: &str) -> Result<String, String> {
    if text.is_empty() {
        return Err(
            "an empty text matches every message; give some text, or leave the flag out".into(),
        );
    }
    if text.contains(['\r', '\n', '\0']) {
        return Err("a search text cannot hold a line break or NUL; give one line".into());
    }
    Ok(text.to_string())
}

/// What to select; empty selects everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criteria {
    /// Arrived (INTERNALDATE) on this day or later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<Date>,
    /// Arrived before this day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Date>,
    /// Text in the From header (the server's substring match, case-insensitive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Without \Seen.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unseen: bool,
    /// RFC822.SIZE above this many bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub larger: Option<u64>,
    /// RFC822.SIZE below this many bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smaller: Option<u64>,
}

/// One search key or argument, as it goes on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    Atom(String),
    /// A string, quoted or sent as a literal.
    Text(String),
}

impl Criteria {
    pub fn is_empty(&self) -> bool {
        *self == Criteria::default()
    }

    /// The arguments of UID SEARCH: CHARSET UTF-8 first when a text is not ASCII, then one key
    /// for each filter (IMAP ANDs them).
    pub fn keys(&self) -> Vec<Key> {
        let atom = |s: &str| Key::Atom(s.to_string());
        let mut keys = Vec::new();
        let texts = [&self.from, &self.to, &self.subject];
        if texts
            .iter()
            .any(|t| t.as_ref().is_some_and(|t| !t.is_ascii()))
        {
            keys.extend([atom("CHARSET"), atom("UTF-8")]);
        }
        if let Some(date) = self.since {
            keys.extend([atom("SINCE"), Key::Atom(date.imap())]);
        }
        if let Some(date) = self.before {
            keys.extend([atom("BEFORE"), Key::Atom(date.imap())]);
        }
        for (name, text) in [
            ("FROM", &self.from),
            ("TO", &self.to),
            ("SUBJECT", &self.subject),
        ] {
            if let Some(text) = text {
                keys.extend([atom(name), Key::Text(text.clone())]);
            }
        }
        if self.unseen {
            keys.push(atom("UNSEEN"));
        }
        if let Some(n) = self.larger {
            keys.extend([atom("LARGER"), Key::Atom(n.to_string())]);
        }
        if let Some(n) = self.smaller {
            keys.extend([atom("SMALLER"), Key::Atom(n.to_string())]);
        }
        if keys.is_empty() {
            keys.push(atom("ALL"));
        }
        keys
    }

    /// The flags that ask for this, for messages: `--since 2024-03-01 --unseen`.
    pub fn flags(&self) -> String {
        let mut out = Vec::new();
        let quoted = |t: &str| format!("'{}'", t.replace('\'', "'\\''"));
        if let Some(d) = self.since {
            out.push(format!("--since {d}"));
        }
        if let Some(d) = self.before {
            out.push(format!("--before {d}"));
        }
        for (flag, text) in [
            ("--from", &self.from),
            ("--to", &self.to),
            ("--subject", &self.subject),
        ] {
            if let Some(t) = text {
                out.push(format!("{flag} {}", quoted(t)));
            }
        }
        if self.unseen {
            out.push("--unseen".into());
        }
        if let Some(n) = self.larger {
            out.push(format!("--larger {n}"));
        }
        if let Some(n) = self.smaller {
            out.push(format!("--smaller {n}"));
        }
        if out.is_empty() {
            return "no filter".into();
        }
        out.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::super::fetch::month_number;
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn dates() {
        let d: Date = "2024-02-29".parse().unwrap();
        assert_eq!(d.imap(), "29-Feb-2024");
        assert_eq!(d.to_string(), "2024-02-29");
        assert_eq!("2024-03-01".parse::<Date>().unwrap().imap(), "1-Mar-2024");
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-04-31",
            "24-01-01",
            "2024-1-01",
            "2024-01-01x",
            "",
            "yesterday",
            "0000-01-01",
            "+024-01-01",
        ] {
            let err = bad.parse::<Date>().unwrap_err();
            assert!(err.contains("YYYY-MM-DD"), "{bad}: {err}");
        }
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("500"), Ok(500));
        assert_eq!(parse_size("500K"), Ok(500 << 10));
        assert_eq!(parse_size("2m"), Ok(2 << 20));
        assert_eq!(parse_size("1G"), Ok(1 << 30));
        for bad in ["", "K", "1.5M", "-1", "10T", "5G", "99999999999999999999"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn keys_in_order_with_the_charset_when_needed() {
        let c = Criteria {
            since: Some("2024-03-01".parse().unwrap()),
            from: Some("Jürgen".into()),
            unseen: true,
            larger: Some(1024),
            ..Criteria::default()
        };
        let a = |s: &str| Key::Atom(s.into());
        assert_eq!(
            c.keys(),
            [
                a("CHARSET"),
                a("UTF-8"),
                a("SINCE"),
                a("1-Mar-2024"),
                a("FROM"),
                Key::Text("Jürgen".into()),
                a("UNSEEN"),
                a("LARGER"),
                a("1024")
            ]
        );
        assert_eq!(
            c.flags(),
            "--since 2024-03-01 --from 'Jürgen' --unseen --larger 1024"
        );
        assert_eq!(Criteria::default().keys(), [a("ALL")]);
        assert!(Criteria::default().is_empty());
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(
            json,
            r#"{"since":"2024-03-01","from":"Jürgen","unseen":true,"larger":1024}"#
        );
        assert_eq!(serde_json::from_str::<Criteria>(&json).unwrap(), c);
        assert!(serde_json::from_str::<Criteria>(r#"{"since":"2024-02-30"}"#).is_err());
    }

    #[test]
    fn texts() {
        assert!(parse_text("").is_err());
        assert!(parse_text("a\nb").is_err());
        assert_eq!(parse_text("Grüße").unwrap(), "Grüße");
    }

    proptest! {
        #[test]
        fn every_real_day_reads_back(year in 1u16..=9999, month in 1u8..=12, day in 1u8..=31) {
            let text = format!("{year:04}-{month:02}-{day:02}");
            match text.parse::<Date>() {
                Ok(d) => {
                    prop_assert_eq!(d.to_string(), text.clone());
                    // IMAP's form names the same day.
                    let imap = d.imap();
                    let mut parts = imap.split('-');
                    prop_assert_eq!(parts.next().unwrap().parse::<u8>().unwrap(), day);
                    prop_assert_eq!(month_number(parts.next().unwrap()), Some(i64::from(month)));
                }
                Err(e) => prop_assert!(day > 28, "{}: {}", text, e),
            }
        }

        #[test]
        fn any_text_is_safe(text in "\\PC{0,30}") {
            let _ = text.parse::<Date>();
            let _ = parse_size(&text);
        }

        #[test]
        fn sizes_with_units(n in 0u64..4096, unit in prop_oneof![Just(""), Just("K"), Just("M")]) {
            let shift = match unit { "K" => 10, "M" => 20, _ => 0 };
            prop_assert_eq!(parse_size(&format!("{n}{unit}")), Ok(n << shift));
        }
    }
}
