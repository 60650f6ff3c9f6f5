//! The mboxrd format: each message after a `From ` line, with LF line ends, and every body line
//! that already looks like `From ` (after any number of `>`) quoted with one more `>`, so that
//! a reader can undo it exactly.

use std::io::{self, Write};

use mail_parser::DateTime;

/// Writes one message: the `From ` separator, the quoted lines, and a blank line.
pub fn write_message(out: &mut impl Write, raw: &[u8], received: Option<i64>) -> io::Result<()> {
    writeln!(out, "From MAILER-DAEMON {}", asctime(received.unwrap_or(0)))?;
    for line in lines(raw) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().skip_while(|&&b| b == b'>').take(5).eq(b"From ") {
            out.write_all(b">")?;
        }
        out.write_all(line)?;
        out.write_all(b"\n")?;
    }
    out.write_all(b"\n")
}

/// The lines of `raw` without their LF; a last line without one counts too.
fn lines(raw: &[u8]) -> impl Iterator<Item = &[u8]> {
    let body = raw.strip_suffix(b"\n").unwrap_or(raw);
    body.split(|&b| b == b'\n').filter(move |_| !raw.is_empty())
}

/// The date as `From ` lines have it: `Thu Jan  1 00:00:00 1970`, in UTC.
pub fn asctime(seconds: i64) -> String {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let d = DateTime::from_timestamp(seconds);
    format!(
        "{} {} {:2} {:02}:{:02}:{:02} {}",
        DAYS[usize::from(d.day_of_week() % 7)],
        MONTHS[usize::from(d.month.clamp(1, 12) - 1)],
        d.day,
        d.hour,
        d.minute,
        d.second,
        d.year
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// An mboxrd reader: what the export is checked against.
    fn read_mbox(mbox: &[u8]) -> Vec<Vec<u8>> {
        let mut messages: Vec<Vec<u8>> = Vec::new();
        for line in mbox.split_inclusive(|&b| b == b'\n') {
            if line.starts_with(b"From ") {
                messages.push(Vec::new());
                continue;
            }
            let current = messages.last_mut().expect("a From line first");
            let quoted = line.iter().skip_while(|&&b| b == b'>').take(5).eq(b"From ");
            current.extend_from_slice(if quoted { &line[1..] } else { line });
        }
        for m in &mut messages {
            // The blank line that ends each message belongs to the format.
            assert_eq!(m.pop(), Some(b'\n'));
        }
        messages
    }

    #[test]
    fn quoting_and_line_ends() {
        let mut out = Vec::new();
        let raw = b"Subject: x\r\n\r\nFrom here\r\n>From there\r\nFrom: no\r\nlast";
        write_message(&mut out, raw, Some(0)).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "From MAILER-DAEMON Thu Jan  1 00:00:00 1970\nSubject: x\n\n>From here\n\
             >>From there\nFrom: no\nlast\n\n"
        );
    }

    #[test]
    fn dates() {
        assert_eq!(asctime(0), "Thu Jan  1 00:00:00 1970");
        assert_eq!(asctime(1_709_627_400), "Tue Mar  5 08:30:00 2024");
        assert_eq!(asctime(951_782_400), "Tue Feb 29 00:00:00 2000");
    }

    proptest! {
        #[test]
        fn a_reader_gets_every_message_back(
            messages in proptest::collection::vec(
                proptest::collection::vec(
                    prop_oneof![
                        Just(b"From ".to_vec()), Just(b">".to_vec()), Just(b"\r\n".to_vec()),
                        Just(b"\n".to_vec()), proptest::collection::vec(any::<u8>(), 1..8),
                    ], 0..20).prop_map(|parts| parts.concat()),
                1..5),
        ) {
            let mut mbox = Vec::new();
            for m in &messages {
                write_message(&mut mbox, m, Some(1_700_000_000)).unwrap();
            }
            // What mbox keeps: LF line ends, and a final line end.
            let expected: Vec<Vec<u8>> = messages.iter().map(|m| {
                let mut lf: Vec<u8> = Vec::new();
                for line in lines(m) {
                    lf.extend_from_slice(line.strip_suffix(b"\r").unwrap_or(line));
                    lf.push(b'\n');
                }
                lf
            }).collect();
            prop_assert_eq!(read_mbox(&mbox), expected);
        }
    }
}
