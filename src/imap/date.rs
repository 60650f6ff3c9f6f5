//! The Date field (RFC 5322 section 3.3, with the obsolete forms of section 4.3) as RFC 3339.
//! Comments and folding may stand between any two tokens and inside the time (`09(comment):55:06`
//! is 09:55:06, appendix A.6.3); two- and three-digit years and the old zone names are read as
//! section 4.3 says. A date that cannot be (29 February 2023, a zone of +9999) gives `None`,
//! never a value made up from the parts that could be read.

use super::header::skip_cfws;

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The date and time `value` (a Date field's raw value) names, as RFC 3339 in the message's own
/// zone: `Z` for +0000, `-00:00` where RFC 5322 says the zone is unknown (-0000, and the
/// military letters of section 4.3).
pub fn rfc3339(value: &[u8]) -> Option<String> {
    let mut p = Parser { s: value, i: 0 };
    p.cfws();
    // An optional day of the week (unchecked against the date, as mail readers do).
    if let Some(word) = p.peek_word()
        && DAYS.iter().any(|d| word.eq_ignore_ascii_case(d.as_bytes()))
    {
        p.i += word.len();
        p.cfws();
        p.byte(b',')?;
        p.cfws();
    }
    let day = p.number(1, 2)?;
    p.cfws();
    let word = p.peek_word()?;
    let month = MONTHS
        .iter()
        .position(|m| word.eq_ignore_ascii_case(m.as_bytes()))? as u32
        + 1;
    p.i += word.len();
    p.cfws();
    let digits = p.i;
    let year = p.number(2, 9)?;
    let year = match p.i - digits {
        2 if year < 50 => year + 2000,
        2 | 3 => year + 1900,
        _ => year,
    };
    p.cfws();
    let hour = p.number(2, 2)?;
    p.cfws();
    p.byte(b':')?;
    p.cfws();
    let minute = p.number(2, 2)?;
    let after_minute = p.i;
    p.cfws();
    let second = if p.byte(b':').is_some() {
        p.cfws();
        p.number(2, 2)?
    } else {
        p.i = after_minute;
        0
    };
    p.cfws();
    let zone = p.zone()?;
    p.cfws();
    if p.i != p.s.len() {
        return None;
    }
    let valid = (1..=9999).contains(&year)
        && (1..=days_in_month(year, month)).contains(&day)
        && hour <= 23
        && minute <= 59
        // RFC 5322 and RFC 3339 both allow the leap second.
        && second <= 60;
    valid.then(|| {
        format!(
            "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{}",
            zone.rfc3339()
        )
    })
}

/// A zone as RFC 3339 writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Zone {
    Offset {
        east: bool,
        hours: u32,
        minutes: u32,
    },
    /// RFC 5322 section 3.3: -0000 says the local zone is not known.
    Unknown,
}

impl Zone {
    fn rfc3339(self) -> String {
        match self {
            Zone::Offset {
                hours: 0,
                minutes: 0,
                ..
            } => "Z".to_string(),
            Zone::Offset {
                east,
                hours,
                minutes,
            } => {
                format!("{}{hours:02}:{minutes:02}", if east { '+' } else { '-' })
            }
            Zone::Unknown => "-00:00".to_string(),
        }
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Parser<'a> {
    fn cfws(&mut self) {
        self.i = skip_cfws(self.s, self.i);
    }

    fn byte(&mut self, b: u8) -> Option<()> {
        (self.s.get(self.i) == Some(&b)).then(|| self.i += 1)
    }

    /// The letters from here, not consumed.
    fn peek_word(&self) -> Option<&'a [u8]> {
        let rest: &'a [u8] = &self.s[self.i..];
        let len = rest.iter().take_while(|b| b.is_ascii_alphabetic()).count();
        (len > 0).then(|| &rest[..len])
    }

    /// Between `min` and `max` digits.
    fn number(&mut self, min: usize, max: usize) -> Option<u32> {
        let rest = &self.s[self.i..];
        let len = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if !(min..=max).contains(&len) {
            return None;
        }
        self.i += len;
        std::str::from_utf8(&rest[..len]).ok()?.parse().ok()
    }

    /// `+hhmm` / `-hhmm` with hours to 23 and minutes to 59 (RFC 3339 can write no more), or an
    /// obsolete zone name (RFC 5322 section 4.3).
    fn zone(&mut self) -> Option<Zone> {
        if let Some(&sign) = self.s.get(self.i)
            && (sign == b'+' || sign == b'-')
        {
            self.i += 1;
            let hhmm = self.number(4, 4)?;
            let (hours, minutes) = (hhmm / 100, hhmm % 100);
            if hours > 23 || minutes > 59 {
                return None;
            }
            if sign == b'-' && hhmm == 0 {
                return Some(Zone::Unknown);
            }
            return Some(Zone::Offset {
                east: sign == b'+',
                hours,
                minutes,
            });
        }
        let word = self.peek_word()?;
        self.i += word.len();
        let word = word.to_ascii_uppercase();
        let west = |hours| {
            Some(Zone::Offset {
                east: false,
                hours,
                minutes: 0,
            })
        };
        match word.as_slice() {
            b"UT" | b"GMT" => Some(Zone::Offset {
                east: true,
                hours: 0,
                minutes: 0,
            }),
            b"EDT" => west(4),
            b"EST" | b"CDT" => west(5),
            b"CST" | b"MDT" => west(6),
            b"MST" | b"PDT" => west(7),
            b"PST" => west(8),
            // The military letters (not J) were defined with the wrong sign; RFC 5322 says to
            // read them as -0000.
            [letter] if letter.is_ascii_alphabetic() && *letter != b'J' => Some(Zone::Unknown),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(raw: &str) -> Option<String> {
        rfc3339(raw.as_bytes())
    }

    #[test]
    fn dates_as_rfc_5322_writes_them() {
        let cases = [
            (
                "Tue, 5 Mar 2024 09:30:00 +0100",
                Some("2024-03-05T09:30:00+01:00"),
            ),
            ("Mon, 29 Feb 2023 10:00:00 +0000", None),
            (
                "Thu, 29 Feb 2024 10:00:00 +0000",
                Some("2024-02-29T10:00:00Z"),
            ),
            ("Tue, 5 Mar 2024 09:30:00 +9999", None),
            ("Tue, 5 Mar 2024 09:30:00 +2400", None),
            (
                "Tue, 5 Mar 2024 09:30:00 -0000",
                Some("2024-03-05T09:30:00-00:00"),
            ),
            // RFC 5322 appendix A.6.3.
            (
                "Thu,\r\n      13\r\n        Feb\r\n          1969\r\n      23:32\r\n               -0330 (Newfoundland Time)",
                Some("1969-02-13T23:32:00-03:30"),
            ),
            (
                "21 Nov 97 09(comment):   55  :  06 GMT",
                Some("1997-11-21T09:55:06Z"),
            ),
            (
                "Fri, 21 Nov 1997 09:55:06 -0600",
                Some("1997-11-21T09:55:06-06:00"),
            ),
            ("1 Jan 49 00:00 EST", Some("2049-01-01T00:00:00-05:00")),
            ("1 Jan 50 00:00 PDT", Some("1950-01-01T00:00:00-07:00")),
            ("1 Jan 103 00:00 UT", Some("2003-01-01T00:00:00Z")),
            ("1 jan 2001 00:00:60 z", Some("2001-01-01T00:00:60-00:00")),
            ("1 Jan 2001 00:00 J", None),
            ("1 Jan 2001 00:00 +0100 junk", None),
            ("1 Jan 2001 00:00", None),
            ("31 Apr 2001 00:00 +0000", None),
            ("Tue, 5 Mar 2024 24:00:00 +0000", None),
            ("Tue 5 Mar 2024 10:00:00 +0000", None),
            (
                "(c) Tue (c), (c) 5 (c) Mar (c) 2024 (c) 10:00 (c) +0000 (c)",
                Some("2024-03-05T10:00:00Z"),
            ),
            ("", None),
        ];
        for (raw, expected) in cases {
            assert_eq!(date(raw).as_deref(), expected, "{raw:?}");
        }
    }

    proptest! {
        #[test]
        fn written_dates_are_read_back(
            year in 1900u32..=9999, month in 1u32..=12, day in 1u32..=31,
            hour in 0u32..24, minute in 0u32..60, second in 0u32..60,
            east in any::<bool>(), zh in 0u32..24, zm in 0u32..60,
            weekday in proptest::option::of(0usize..7),
        ) {
            let raw = format!(
                "{}{day} {} {year} {hour:02}:{minute:02}:{second:02} {}{zh:02}{zm:02}",
                weekday.map_or(String::new(), |w| format!("{}, ", DAYS[w])),
                MONTHS[month as usize - 1],
                if east { '+' } else { '-' },
            );
            let parsed = date(&raw);
            if day > days_in_month(year, month) {
                prop_assert_eq!(parsed, None);
            } else {
                let zone = match (east, zh, zm) {
                    (_, 0, 0) if !east => "-00:00".to_string(),
                    (_, 0, 0) => "Z".to_string(),
                    _ => format!("{}{zh:02}:{zm:02}", if east { '+' } else { '-' }),
                };
                prop_assert_eq!(
                    parsed,
                    Some(format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{zone}"))
                );
            }
        }

        #[test]
        fn anything_is_valid_rfc_3339_or_none(raw in proptest::collection::vec(any::<u8>(), 0..60)) {
            if let Some(text) = rfc3339(&raw) {
                prop_assert!(is_rfc3339(&text), "{}", text);
            }
        }

        #[test]
        fn near_dates_are_valid_rfc_3339_or_none(raw in "[A-Za-z]{0,3},? ?[0-9]{1,3} [A-Za-z]{3} [0-9]{2,5} [0-9]{2}:[0-9]{2}(:[0-9]{2})? ([+-][0-9]{4}|[A-Z]{1,3})") {
            if let Some(text) = date(&raw) {
                prop_assert!(is_rfc3339(&text), "{} -> {}", raw, text);
            }
        }
    }

    /// RFC 3339 section 5.6, with the calendar checks of section 5.7.
    fn is_rfc3339(text: &str) -> bool {
        let re = regex::Regex::new(
            r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(Z|[+-](\d{2}):(\d{2}))$",
        )
        .unwrap();
        let Some(c) = re.captures(text) else {
            return false;
        };
        let n = |i: usize| c.get(i).map_or(0, |m| m.as_str().parse::<u32>().unwrap());
        (1..=12).contains(&n(2))
            && (1..=days_in_month(n(1), n(2))).contains(&n(3))
            && n(4) <= 23
            && n(5) <= 59
            && n(6) <= 60
            && n(8) <= 23
            && n(9) <= 59
    }
}
