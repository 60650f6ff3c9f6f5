//! The few server responses read here rather than by the `imap` crate, because it gets them
//! wrong: LIST and STATUS hand back a quoted mailbox name still escaped (`back\\slash`), and a
//! tagged answer whose text is UTF-8 (Dovecot names a missing folder in UTF-8) fails its
//! parser, which then reports "no explanation given".
//!
//! Mailbox names are bytes as the server spells them (modified UTF-7 as a rule): an atom, a
//! quoted string (RFC 3501 section 4.3, `\"` and `\\` escaped) or a literal (`{n}` CRLF and n
//! bytes taken as they are).

/// A folder as one LIST response line names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// The name, unescaped, as the server spells it.
    pub name: Vec<u8>,
    /// `false` for `\Noselect` (or `\NonExistent`, RFC 5258): the name only holds other folders.
    pub selectable: bool,
}

/// The status word of a tagged or `BYE` answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    No,
    Bad,
    Bye,
}

/// The LIST responses among `data` (untagged lines as the server sent them), in order.
pub fn list(data: &[u8]) -> Vec<Listed> {
    responses(data)
        .filter_map(|line| {
            let mut c = Cursor(line);
            c.keyword(b"* LIST ")?;
            let attributes = c.parenthesized()?;
            c.byte(b' ')?;
            c.delimiter()?;
            c.byte(b' ')?;
            let name = c.astring()?;
            let selectable = !attributes.split(|&b| b == b' ').any(|a| {
                a.eq_ignore_ascii_case(b"\\Noselect") || a.eq_ignore_ascii_case(b"\\NonExistent")
            });
            Some(Listed { name, selectable })
        })
        .collect()
}

/// The MESSAGES count of the first STATUS response among `data`.
pub fn status_messages(data: &[u8]) -> Option<u32> {
    responses(data).find_map(|line| {
        let mut c = Cursor(line);
        c.keyword(b"* STATUS ")?;
        c.astring()?;
        c.byte(b' ')?;
        let items = c.parenthesized()?;
        let mut words = items.split(|&b| b == b' ');
        while let Some(word) = words.next() {
            let value = words.next()?;
            if word.eq_ignore_ascii_case(b"MESSAGES") {
                return std::str::from_utf8(value).ok()?.parse().ok();
            }
        }
        None
    })
}

/// A tagged answer, or an untagged BYE, read from its line: its status and its text as sent
/// (lossy UTF-8), any `[CODE]` left in. `None` for OK and for anything else.
pub fn refusal(line: &[u8]) -> Option<(Status, String)> {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let (_tag, rest) = split_word(line)?;
    let (word, text) = split_word(rest).unwrap_or((rest, b""));
    let status = [
        (&b"NO"[..], Status::No),
        (b"BAD", Status::Bad),
        (b"BYE", Status::Bye),
    ]
    .into_iter()
    .find_map(|(name, status)| word.eq_ignore_ascii_case(name).then_some(status))?;
    Some((status, String::from_utf8_lossy(text).into_owned()))
}

/// `name` as an IMAP string: quoted, `\` and `"` escaped. Names the server listed are text
/// (modified UTF-7, or UTF-8 on servers that allow it), never CR or LF.
pub fn quote(name: &[u8]) -> String {
    let text = String::from_utf8_lossy(name);
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars().filter(|c| *c != '\r' && *c != '\n') {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

fn split_word(line: &[u8]) -> Option<(&[u8], &[u8])> {
    let space = line.iter().position(|&b| b == b' ')?;
    Some((&line[..space], &line[space + 1..]))
}

/// Each response in `data`: a line, with any literal it announces and the rest of the line
/// after it, without the final CRLF.
fn responses(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = data;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut end = 0;
        loop {
            let Some(lf) = rest[end..].iter().position(|&b| b == b'\n') else {
                end = rest.len();
                break;
            };
            let line_end = end + lf;
            let line = &rest[..line_end];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            match literal_length(line) {
                Some(n) => end = (line_end + 1).saturating_add(n).min(rest.len()),
                None => {
                    end = line_end + 1;
                    break;
                }
            }
        }
        let (response, tail) = rest.split_at(end);
        rest = tail;
        let response = response.strip_suffix(b"\n").unwrap_or(response);
        Some(response.strip_suffix(b"\r").unwrap_or(response))
    })
}

/// The n of a line that ends in `{n}` (or `{n+}`), announcing a literal.
fn literal_length(line: &[u8]) -> Option<usize> {
    let inner = line.strip_suffix(b"}")?;
    let open = inner.iter().rposition(|&b| b == b'{')?;
    let digits = &inner[open + 1..];
    let digits = digits.strip_suffix(b"+").unwrap_or(digits);
    std::str::from_utf8(digits).ok()?.parse().ok()
}

struct Cursor<'a>(&'a [u8]);

impl Cursor<'_> {
    fn byte(&mut self, b: u8) -> Option<()> {
        let (&first, rest) = self.0.split_first()?;
        (first == b).then(|| self.0 = rest)
    }

    fn keyword(&mut self, word: &[u8]) -> Option<()> {
        let head = self.0.get(..word.len())?;
        head.eq_ignore_ascii_case(word)
            .then(|| self.0 = &self.0[word.len()..])
    }

    /// `(...)` without nesting; the inside.
    fn parenthesized(&mut self) -> Option<Vec<u8>> {
        self.byte(b'(')?;
        let close = self.0.iter().position(|&b| b == b')')?;
        let inside = self.0[..close].to_vec();
        self.0 = &self.0[close + 1..];
        Some(inside)
    }

    /// The hierarchy delimiter: a quoted character or NIL.
    fn delimiter(&mut self) -> Option<()> {
        if self.keyword(b"NIL").is_some() {
            return Some(());
        }
        self.quoted().map(drop)
    }

    fn astring(&mut self) -> Option<Vec<u8>> {
        match self.0.first()? {
            b'"' => self.quoted(),
            b'{' => self.literal(),
            _ => {
                let end = self
                    .0
                    .iter()
                    .position(|&b| b == b' ' || b == b'(' || b == b')')
                    .unwrap_or(self.0.len());
                (end > 0).then(|| {
                    let atom = self.0[..end].to_vec();
                    self.0 = &self.0[end..];
                    atom
                })
            }
        }
    }

    fn quoted(&mut self) -> Option<Vec<u8>> {
        self.byte(b'"')?;
        let mut out = Vec::new();
        loop {
            let (&b, rest) = self.0.split_first()?;
            self.0 = rest;
            match b {
                b'"' => return Some(out),
                b'\\' => {
                    let (&escaped, rest) = self.0.split_first()?;
                    self.0 = rest;
                    out.push(escaped);
                }
                b => out.push(b),
            }
        }
    }

    fn literal(&mut self) -> Option<Vec<u8>> {
        self.byte(b'{')?;
        let close = self.0.iter().position(|&b| b == b'}')?;
        let digits = &self.0[..close];
        let digits = digits.strip_suffix(b"+").unwrap_or(digits);
        let n: usize = std::str::from_utf8(digits).ok()?.parse().ok()?;
        let rest = self.0[close + 1..].strip_prefix(b"\r\n")?;
        let bytes = rest.get(..n)?.to_vec();
        self.0 = &rest[n..];
        Some(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn listed(name: &[u8], selectable: bool) -> Listed {
        Listed {
            name: name.to_vec(),
            selectable,
        }
    }

    #[test]
    fn dovecot_lists() {
        // As Dovecot 2.3 sent them, with an unsolicited line between.
        let data = b"* LIST (\\HasNoChildren) \".\" \"sp ace\"\r\n\
            * LIST (\\HasNoChildren) \".\" \"back\\\\slash\"\r\n\
            * 3 EXISTS\r\n\
            * LIST (\\Noselect \\HasChildren) \".\" Parent\r\n\
            * LIST (\\HasNoChildren) \".\" \"quo\\\"te\"\r\n\
            * LIST () NIL {8}\r\nlit\"er\\l\r\n\
            * list (\\NonExistent) \"/\" Gone\r\n";
        assert_eq!(
            list(data),
            [
                listed(b"sp ace", true),
                listed(b"back\\slash", true),
                listed(b"Parent", false),
                listed(b"quo\"te", true),
                listed(b"lit\"er\\l", true),
                listed(b"Gone", false),
            ]
        );
    }

    #[test]
    fn statuses() {
        assert_eq!(
            status_messages(b"* STATUS \"quo\\\"te\" (MESSAGES 12 UNSEEN 1)\r\n"),
            Some(12)
        );
        assert_eq!(
            status_messages(b"* 2 EXPUNGE\r\n* STATUS {3}\r\na b (UIDNEXT 4 MESSAGES 0)\r\n"),
            Some(0)
        );
        assert_eq!(status_messages(b"* STATUS x (UIDNEXT 4)\r\n"), None);
        assert_eq!(status_messages(b""), None);
    }

    #[test]
    fn refusals_keep_their_text() {
        assert_eq!(
            refusal(b"a7 NO Mailbox doesn't exist: N\xc3\xb6where (0.001 secs).\r\n"),
            Some((
                Status::No,
                "Mailbox doesn't exist: Nöwhere (0.001 secs).".into()
            ))
        );
        assert_eq!(
            refusal(b"* BYE bad \xff\r\n"),
            Some((Status::Bye, "bad \u{FFFD}".into()))
        );
        assert_eq!(refusal(b"a2 bad"), Some((Status::Bad, String::new())));
        assert_eq!(refusal(b"a3 OK done\r\n"), None);
        assert_eq!(refusal(b""), None);
    }

    #[test]
    fn quoting() {
        assert_eq!(quote(b"INBOX"), "\"INBOX\"");
        assert_eq!(quote(b"a\"b\\c"), r#""a\"b\\c""#);
    }

    proptest! {
        #[test]
        fn quoted_names_come_back(name in "[ -~]{1,20}", attrs in "(\\\\[A-Za-z]{1,8} ?){0,3}") {
            let line = format!("* LIST ({}) \"/\" {}\r\n", attrs.trim_end(), quote(name.as_bytes()));
            let found = list(line.as_bytes());
            prop_assert_eq!(found.len(), 1);
            prop_assert_eq!(&found[0].name, name.as_bytes());
        }

        #[test]
        fn literal_names_come_back(name in proptest::collection::vec(any::<u8>(), 0..30)) {
            let mut line = format!("* LIST () \".\" {{{}}}\r\n", name.len()).into_bytes();
            line.extend_from_slice(&name);
            line.extend_from_slice(b"\r\n* LIST () \".\" After\r\n");
            let found = list(&line);
            prop_assert_eq!(found, vec![listed(&name, true), listed(b"After", true)]);
        }

        #[test]
        fn any_bytes_are_safe(data in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = list(&data);
            let _ = status_messages(&data);
            let _ = refusal(&data);
        }
    }
}
