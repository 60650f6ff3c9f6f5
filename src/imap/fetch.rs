//! One FETCH response, read by imap-proto: the attributes the session asks for, with the body
//! or header given as a place in the response, so that a whole message can be cut out of the
//! buffer it arrived in rather than copied.

use std::ops::Range;

use imap_proto::{AttributeValue, MessageSection, Response, SectionPath};

/// What one FETCH response says about one message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fetched {
    pub uid: Option<u32>,
    pub size: Option<u32>,
    /// As the server spells them, without `\Recent` (a property of the session, not the mail).
    pub flags: Vec<String>,
    /// Seconds since the epoch.
    pub internal_date: Option<i64>,
    /// `BODY[]` (or a piece of it), where it lies in the response; `Some(empty)` for NIL.
    pub body: Option<Range<usize>>,
    /// `BODY[HEADER...]`, where it lies.
    pub header: Option<Range<usize>>,
}

/// Reads `frame` when it is a FETCH response; `None` for any other response.
pub fn parse(frame: &[u8]) -> Option<Fetched> {
    let Ok((_, Response::Fetch(_, attributes))) = Response::from_bytes(frame) else {
        return None;
    };
    let place = |data: &[u8]| {
        let start = (data.as_ptr() as usize).checked_sub(frame.as_ptr() as usize)?;
        (start + data.len() <= frame.len()).then_some(start..start + data.len())
    };
    let mut fetched = Fetched::default();
    for attribute in attributes {
        match attribute {
            AttributeValue::Uid(uid) => fetched.uid = Some(uid),
            AttributeValue::Rfc822Size(size) => fetched.size = Some(size),
            AttributeValue::Flags(flags) => {
                fetched.flags = flags
                    .iter()
                    .filter(|f| !f.eq_ignore_ascii_case("\\Recent"))
                    .map(ToString::to_string)
                    .collect();
            }
            AttributeValue::InternalDate(date) => fetched.internal_date = internal_date(&date),
            AttributeValue::BodySection { section, data, .. } => {
                // Data the parser had to copy (it never does for a literal or quoted string)
                // would have no place; NIL is an empty piece.
                let range = match &data {
                    Some(d) => place(d)?,
                    None => 0..0,
                };
                match section {
                    None => fetched.body = Some(range),
                    Some(SectionPath::Full(MessageSection::Header)) => {
                        fetched.header = Some(range);
                    }
                    Some(_) => {}
                }
            }
            _ => {}
        }
    }
    Some(fetched)
}

/// INTERNALDATE (`"17-Jul-1996 02:44:25 -0700"`, the day maybe space-padded) in seconds since
/// the epoch.
pub fn internal_date(text: &str) -> Option<i64> {
    let text = text.trim_start();
    let (day, rest) = text.split_once('-')?;
    let (month, rest) = rest.split_once('-')?;
    let (year, rest) = rest.split_once(' ')?;
    let (time, zone) = rest.split_once(' ')?;
    let day: i64 = day.parse().ok()?;
    let month = month_number(month)?;
    let year: i64 = year.parse().ok().filter(|y| (1..=9999).contains(y))?;
    let mut hms = time.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    if hms.next().is_some() || h > 23 || m > 59 || s > 60 || !(1..=31).contains(&day) {
        return None;
    }
    let (sign, digits) = match zone.as_bytes().first()? {
        b'+' => (1, &zone[1..]),
        b'-' => (-1, &zone[1..]),
        _ => return None,
    };
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let offset =
        sign * (digits[..2].parse::<i64>().ok()? * 3600 + digits[2..].parse::<i64>().ok()? * 60);
    Some(days_from_civil(year, month, day) * 86400 + h * 3600 + m * 60 + s - offset)
}

/// 1 for "Jan" ... 12 for "Dec", any case.
pub fn month_number(name: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    MONTHS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(name))
        .map(|i| i as i64 + 1)
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's
/// algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_whole_message_and_its_attributes() {
        let frame = b"* 3 FETCH (UID 7 RFC822.SIZE 5 FLAGS (\\Seen \\Recent $Forwarded) \
            INTERNALDATE \" 4-Mar-2024 08:15:00 +0100\" BODY[] {5}\r\nab\r\nc)\r\n";
        let f = parse(frame).unwrap();
        assert_eq!(f.uid, Some(7));
        assert_eq!(f.size, Some(5));
        assert_eq!(f.flags, ["\\Seen", "$Forwarded"]);
        // 2024-03-04T07:15:00Z
        assert_eq!(f.internal_date, Some(1_709_536_500));
        assert_eq!(&frame[f.body.unwrap()], b"ab\r\nc");
        assert_eq!(f.header, None);
    }

    #[test]
    fn headers_pieces_and_others() {
        let frame = b"* 1 FETCH (UID 2 BODY[HEADER.FIELDS (SUBJECT)] {9}\r\nSubject:\n)\r\n";
        let f = parse(frame).unwrap();
        assert_eq!(&frame[f.header.unwrap()], b"Subject:\n");
        let frame = b"* 1 FETCH (UID 2 BODY[]<100> NIL)\r\n";
        assert_eq!(parse(frame).unwrap().body, Some(0..0));
        assert_eq!(parse(b"* 1 FETCH (FLAGS (\\Seen))\r\n").unwrap().uid, None);
        assert_eq!(parse(b"* 1 EXISTS\r\n"), None);
    }

    #[test]
    fn internal_dates() {
        assert_eq!(internal_date("01-Jan-1970 00:00:00 +0000"), Some(0));
        assert_eq!(
            internal_date("17-Jul-1996 02:44:25 -0700"),
            Some(837_596_665)
        );
        assert_eq!(
            internal_date("29-Feb-2024 23:59:59 +0000"),
            Some(1_709_251_199)
        );
        for bad in [
            "",
            "17-Jux-1996 02:44:25 -0700",
            "17-Jul-1996 02:44 -0700",
            "17-Jul-1996 02:44:25 0700",
        ] {
            assert_eq!(internal_date(bad), None, "{bad}");
        }
    }

    proptest! {
        #[test]
        fn any_bytes_are_safe(data in proptest::collection::vec(any::<u8>(), 0..200), text in "\\PC{0,40}") {
            let _ = parse(&data);
            let _ = internal_date(&text);
        }

        #[test]
        fn dates_count_seconds(days in 0i64..100_000, secs in 0i64..86_400) {
            // Checked against the day count of the date written back.
            let t = days * 86_400 + secs;
            let (y, m, d) = civil_from_days(days);
            let month = ["Jan","Feb","Mar","Apr","May","Jun","Jul","Aug","Sep","Oct","Nov","Dec"][m as usize - 1];
            let text = format!("{d:02}-{month}-{y} {:02}:{:02}:{:02} +0000", secs / 3600, secs / 60 % 60, secs % 60);
            prop_assert_eq!(internal_date(&text), Some(t));
        }
    }

    /// The inverse of [`days_from_civil`], written independently (by counting days).
    fn civil_from_days(mut days: i64) -> (i64, i64, i64) {
        let mut year = 1970;
        loop {
            let len = if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 {
                366
            } else {
                365
            };
            if days < len {
                break;
            }
            days -= len;
            year += 1;
        }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let lengths = [
            31,
            if leap { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        let mut month = 1;
        for len in lengths {
            if days < len {
                break;
            }
            days -= len;
            month += 1;
        }
        (year, month, days + 1)
    }
}
