//! The mboxrd format: each message after a `From ` line, with LF line ends, and every body line
//! that already looks like `From ` (after any number of `>`) quoted with one more `>`, so that
//! a reader can undo it exactly.
//!
//! [`Encoder`] writes a message that arrives in pieces of any size, so that one too large to
//! hold is written as it comes.

use std::io::{self, Write};

use mail_parser::DateTime;

/// The `From ` line that opens a message.
pub fn from_line(received: Option<i64>) -> String {
    format!("From MAILER-DAEMON {}\n", asctime(received.unwrap_or(0)))
}

/// Where the encoder is within the current line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    /// At its start: `gts` `>` signs seen, then the first `from` bytes of "From ".
    Start { gts: usize, from: usize },
    /// Past the point where quoting is decided.
    Rest,
}

/// One message's bytes in, mboxrd out: CRLF becomes LF, `>*From ` lines get one more `>`, and
/// [`Encoder::finish`] ends the last line and adds the blank line that closes the message.
#[derive(Debug)]
pub struct Encoder {
    line: Line,
    /// A CR that may be the first half of a CRLF.
    cr: bool,
}

impl Default for Encoder {
    fn default() -> Self {
        Encoder {
            line: Line::Start { gts: 0, from: 0 },
            cr: false,
        }
    }
}

impl Encoder {
    /// Writes the mboxrd form of `bytes`, the next piece of the message.
    pub fn write(&mut self, out: &mut impl Write, mut bytes: &[u8]) -> io::Result<()> {
        while let Some((&b, rest)) = bytes.split_first() {
            if let Line::Start { gts, from } = self.line {
                bytes = rest;
                if from == 0 && b == b'>' {
                    self.line = Line::Start { gts: gts + 1, from };
                } else if b == b"From "[from] {
                    self.line = Line::Start {
                        gts,
                        from: from + 1,
                    };
                    if from + 1 == 5 {
                        out.write_all(b">")?;
                        start_pending(out, gts, 5)?;
                        self.line = Line::Rest;
                    }
                } else {
                    start_pending(out, gts, from)?;
                    self.line = Line::Rest;
                    self.rest_byte(out, b)?;
                }
                continue;
            }
            if self.cr {
                bytes = rest;
                self.rest_byte(out, b)?;
                continue;
            }
            // The common case: copy up to the next line end at once.
            let run = bytes
                .iter()
                .position(|&c| c == b'\n' || c == b'\r')
                .unwrap_or(bytes.len());
            out.write_all(&bytes[..run])?;
            bytes = &bytes[run..];
            if let Some((&b, rest)) = bytes.split_first() {
                bytes = rest;
                self.rest_byte(out, b)?;
            }
        }
        Ok(())
    }

    /// Ends the message: its last line gets its LF, then the blank line. A CR at the very end
    /// goes, as the CR of a CRLF would.
    pub fn finish(self, out: &mut impl Write) -> io::Result<()> {
        let open = match self.line {
            Line::Start { gts, from } => {
                start_pending(out, gts, from)?;
                gts > 0 || from > 0
            }
            Line::Rest => true,
        };
        if open {
            out.write_all(b"\n")?;
        }
        out.write_all(b"\n")
    }

    /// One byte past the start of a line.
    fn rest_byte(&mut self, out: &mut impl Write, b: u8) -> io::Result<()> {
        if std::mem::take(&mut self.cr) && b != b'\n' {
            out.write_all(b"\r")?;
        }
        match b {
            b'\r' => self.cr = true,
            b'\n' => {
                out.write_all(b"\n")?;
                self.line = Line::Start { gts: 0, from: 0 };
            }
            _ => out.write_all(&[b])?,
        }
        Ok(())
    }
}

/// Writes the start of a line held back while it could still have been a `From ` line.
fn start_pending(out: &mut impl Write, gts: usize, from: usize) -> io::Result<()> {
    const MANY: [u8; 64] = [b'>'; 64];
    let mut left = gts;
    while left > 0 {
        let n = left.min(MANY.len());
        out.write_all(&MANY[..n])?;
        left -= n;
    }
    out.write_all(&b"From "[..from])
}

/// Writes one whole message: the `From ` separator, the quoted lines, and a blank line.
pub fn write_message(out: &mut impl Write, raw: &[u8], received: Option<i64>) -> io::Result<()> {
    out.write_all(from_line(received).as_bytes())?;
    let mut encoder = Encoder::default();
    encoder.write(out, raw)?;
    encoder.finish(out)
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

    /// The lines of `raw` without their LF; a last line without one counts too.
    fn lines(raw: &[u8]) -> impl Iterator<Item = &[u8]> {
        let body = raw.strip_suffix(b"\n").unwrap_or(raw);
        body.split(|&b| b == b'\n').filter(move |_| !raw.is_empty())
    }

    /// mboxrd written a line at a time, as plainly as it can be said: what [`Encoder`] must
    /// match whatever pieces the message comes in.
    fn reference(raw: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        for line in lines(raw) {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.iter().skip_while(|&&b| b == b'>').take(5).eq(b"From ") {
                out.push(b'>');
            }
            out.extend_from_slice(line);
            out.push(b'\n');
        }
        out.push(b'\n');
        out
    }

    fn message_bytes() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(
            prop_oneof![
                Just(b"From ".to_vec()),
                Just(b"Fro".to_vec()),
                Just(b">".to_vec()),
                Just(b"\r\n".to_vec()),
                Just(b"\r".to_vec()),
                Just(b"\n".to_vec()),
                proptest::collection::vec(any::<u8>(), 1..8),
            ],
            0..20,
        )
        .prop_map(|parts| parts.concat())
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

    #[test]
    fn long_quote_runs_and_lone_carriage_returns() {
        let gts = ">".repeat(200);
        let raw = format!("{gts}From x\r\n{gts}Fro\r\na\rb\r");
        let mut out = Vec::new();
        write_message(&mut out, raw.as_bytes(), None).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_eq!(
            out.split_once('\n').unwrap().1,
            format!(">{gts}From x\n{gts}Fro\na\rb\n\n")
        );
    }

    proptest! {
        #[test]
        fn pieces_of_any_size_encode_as_the_whole(
            raw in message_bytes(),
            cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..6),
        ) {
            let mut cuts: Vec<usize> = cuts.iter().map(|i| i.index(raw.len() + 1)).collect();
            cuts.sort_unstable();
            let mut out = Vec::new();
            let mut encoder = Encoder::default();
            let mut start = 0;
            for cut in cuts.into_iter().chain([raw.len()]) {
                encoder.write(&mut out, &raw[start..cut]).unwrap();
                start = cut;
            }
            encoder.finish(&mut out).unwrap();
            prop_assert_eq!(out, reference(&raw));
        }

        #[test]
        fn a_reader_gets_every_message_back(
            messages in proptest::collection::vec(message_bytes(), 1..5),
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
