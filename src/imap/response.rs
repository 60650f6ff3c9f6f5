//! Server responses read here: where each response ends, what kind it is, and the small ones
//! (LIST, STATUS, EXISTS, SEARCH, capabilities, tagged answers). imap-proto reads FETCH (see
//! `fetch.rs`); these are read by hand because it gets them wrong: LIST and STATUS names stay
//! escaped there (`back\\slash`), and a tagged answer whose text is UTF-8 (Dovecot names a
//! missing folder in UTF-8) fails its parser.
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

/// A tagged answer's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completion {
    Ok,
    No,
    Bad,
}

impl Completion {
    /// The refusal it is, `None` for OK.
    pub fn refusal(self) -> Option<Status> {
        match self {
            Completion::Ok => None,
            Completion::No => Some(Status::No),
            Completion::Bad => Some(Status::Bad),
        }
    }
}

/// One response as the server sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply<'a> {
    /// `* ...`, with its literals and the CRLF.
    Untagged(&'a [u8]),
    /// `+ ...`: the server waits for more of a command; its text, CRLF and all.
    Continue(&'a [u8]),
    /// A command's tagged answer; `text` keeps any `[CODE]`.
    Done {
        tag: &'a [u8],
        status: Completion,
        text: String,
    },
    /// Anything else: the server does not speak IMAP.
    Garbage,
}

/// What kind of response `frame` (one whole response, see [`frame_len`]) is.
pub fn reply(frame: &[u8]) -> Reply<'_> {
    if frame.starts_with(b"* ") {
        return Reply::Untagged(frame);
    }
    if let Some(text) = frame.strip_prefix(b"+") {
        return Reply::Continue(text.strip_prefix(b" ").unwrap_or(text));
    }
    let line = trim_crlf(frame);
    let Some((tag, rest)) = split_word(line) else {
        return Reply::Garbage;
    };
    let (word, text) = split_word(rest).unwrap_or((rest, b""));
    let status = [
        (&b"OK"[..], Completion::Ok),
        (b"NO", Completion::No),
        (b"BAD", Completion::Bad),
    ]
    .into_iter()
    .find_map(|(name, status)| word.eq_ignore_ascii_case(name).then_some(status));
    match status {
        Some(status) => Reply::Done {
            tag,
            status,
            text: String::from_utf8_lossy(text).into_owned(),
        },
        None => Reply::Garbage,
    }
}

/// The length of the first whole response in `buf` (a line, with any literals it announces and
/// the rest of the line after each), or how many bytes at least are needed to have one.
pub fn frame_len(buf: &[u8]) -> Result<usize, usize> {
    let mut pos = 0;
    loop {
        let Some(lf) = buf[pos..].iter().position(|&b| b == b'\n') else {
            return Err(buf.len() + 1);
        };
        let line_end = pos + lf;
        match literal_length(trim_crlf(&buf[pos..line_end])) {
            Some(n) => {
                pos = (line_end + 1).saturating_add(n);
                if pos >= buf.len() {
                    return Err(pos.saturating_add(1));
                }
            }
            None => return Ok(line_end + 1),
        }
    }
}

/// The text of an untagged BYE.
pub fn bye(frame: &[u8]) -> Option<String> {
    let text = strip_keyword(trim_crlf(frame), b"* BYE ")?;
    Some(String::from_utf8_lossy(text).into_owned())
}

/// The capabilities a response names: `* CAPABILITY ...`, or a `[CAPABILITY ...]` code in a
/// greeting or a tagged OK; upper case.
pub fn capabilities(text: &[u8]) -> Option<Vec<String>> {
    let text = trim_crlf(text);
    let list = match text.strip_prefix(b"* CAPABILITY ") {
        Some(list) => list,
        None => {
            let at = text
                .windows(12)
                .position(|w| w.eq_ignore_ascii_case(b"[CAPABILITY "))?;
            let rest = &text[at + 12..];
            &rest[..rest.iter().position(|&b| b == b']')?]
        }
    };
    Some(
        String::from_utf8_lossy(list)
            .split_ascii_whitespace()
            .map(str::to_ascii_uppercase)
            .collect(),
    )
}

/// `n` of `* n EXISTS`.
pub fn exists(frame: &[u8]) -> Option<u32> {
    let line = trim_crlf(frame).strip_prefix(b"* ")?;
    let (n, word) = split_word(line)?;
    word.eq_ignore_ascii_case(b"EXISTS")
        .then(|| std::str::from_utf8(n).ok()?.parse().ok())?
}

/// `n` of `* OK [UIDVALIDITY n]`.
pub fn uid_validity(frame: &[u8]) -> Option<u32> {
    let rest = strip_keyword(trim_crlf(frame), b"* OK [UIDVALIDITY ")?;
    let end = rest.iter().position(|&b| b == b']')?;
    std::str::from_utf8(&rest[..end]).ok()?.parse().ok()
}

/// `n` of `* OK [UIDNEXT n]`.
pub fn uid_next(frame: &[u8]) -> Option<u32> {
    let rest = strip_keyword(trim_crlf(frame), b"* OK [UIDNEXT ")?;
    let end = rest.iter().position(|&b| b == b']')?;
    std::str::from_utf8(&rest[..end]).ok()?.parse().ok()
}

/// The UIDs of `* SEARCH n n ...`; `None` for another response.
pub fn search(frame: &[u8]) -> Option<Vec<u32>> {
    let rest = strip_keyword(trim_crlf(frame), b"* SEARCH")?;
    String::from_utf8_lossy(rest)
        .split_ascii_whitespace()
        .map(|n| n.parse().ok())
        .collect()
}

/// `line` after `keyword`, which it starts with in any case.
fn strip_keyword<'a>(line: &'a [u8], keyword: &[u8]) -> Option<&'a [u8]> {
    let head = line.get(..keyword.len())?;
    head.eq_ignore_ascii_case(keyword)
        .then(|| &line[keyword.len()..])
}

fn trim_crlf(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
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

/// The MESSAGES count of each STATUS response among `data`, by folder name as the server spells
/// it: one per folder asked, or what LIST-STATUS (RFC 5819) put after each LIST line.
pub fn statuses(data: &[u8]) -> Vec<(Vec<u8>, u32)> {
    responses(data)
        .filter_map(|line| {
            let mut c = Cursor(line);
            c.keyword(b"* STATUS ")?;
            let name = c.astring()?;
            c.byte(b' ')?;
            let items = c.parenthesized()?;
            let mut words = items.split(|&b| b == b' ');
            while let Some(word) = words.next() {
                let value = words.next()?;
                if word.eq_ignore_ascii_case(b"MESSAGES") {
                    return Some((name, std::str::from_utf8(value).ok()?.parse().ok()?));
                }
            }
            None
        })
        .collect()
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
    fn status_counts() {
        assert_eq!(
            statuses(b"* STATUS \"quo\\\"te\" (MESSAGES 12 UNSEEN 1)\r\n"),
            [(b"quo\"te".to_vec(), 12)]
        );
        assert_eq!(
            statuses(b"* 2 EXPUNGE\r\n* STATUS {3}\r\na b (UIDNEXT 4 MESSAGES 0)\r\n"),
            [(b"a b".to_vec(), 0)]
        );
        // LIST-STATUS: a STATUS after each LIST line.
        let data = b"* LIST () \".\" INBOX\r\n* STATUS INBOX (MESSAGES 3)\r\n\
            * LIST (\\Noselect) \".\" P\r\n* LIST () \".\" P.c\r\n* STATUS P.c (MESSAGES 0)\r\n";
        assert_eq!(
            statuses(data),
            [(b"INBOX".to_vec(), 3), (b"P.c".to_vec(), 0)]
        );
        assert_eq!(statuses(b"* STATUS x (UIDNEXT 4)\r\n"), []);
        assert_eq!(statuses(b""), []);
    }

    #[test]
    fn replies_keep_their_text() {
        assert_eq!(
            reply(b"t7 NO Mailbox doesn't exist: N\xc3\xb6where (0.001 secs).\r\n"),
            Reply::Done {
                tag: b"t7",
                status: Completion::No,
                text: "Mailbox doesn't exist: Nöwhere (0.001 secs).".into()
            }
        );
        assert_eq!(
            reply(b"t2 bad"),
            Reply::Done {
                tag: b"t2",
                status: Completion::Bad,
                text: String::new()
            }
        );
        assert_eq!(
            reply(b"* BYE bad \xff\r\n"),
            Reply::Untagged(b"* BYE bad \xff\r\n")
        );
        assert_eq!(bye(b"* BYE bad \xff\r\n").as_deref(), Some("bad \u{FFFD}"));
        assert_eq!(reply(b"+ go on\r\n"), Reply::Continue(b"go on\r\n"));
        assert_eq!(reply(b"HTTP/1.1 400\r\n"), Reply::Garbage);
        assert_eq!(reply(b""), Reply::Garbage);
    }

    #[test]
    fn frames() {
        assert_eq!(frame_len(b"* 1 EXISTS\r\n* 2"), Ok(12));
        assert_eq!(frame_len(b"* 1 EXISTS"), Err(11));
        let fetch = b"* 1 FETCH (BODY[] {5}\r\nab\r\nc UID 4)\r\nt1 OK\r\n";
        assert_eq!(frame_len(fetch), Ok(fetch.len() - 7));
        // The literal is not here yet: all of it and the line after are needed.
        assert_eq!(frame_len(&fetch[..25]), Err(29));
        assert_eq!(frame_len(b""), Err(1));
    }

    #[test]
    fn small_responses() {
        let caps =
            capabilities(b"* OK [CAPABILITY IMAP4rev1 LITERAL+ starttls] Dovecot ready.\r\n");
        assert_eq!(caps.unwrap(), ["IMAP4REV1", "LITERAL+", "STARTTLS"]);
        assert_eq!(
            capabilities(b"* CAPABILITY IMAP4rev1 IDLE\r\n").unwrap(),
            ["IMAP4REV1", "IDLE"]
        );
        assert_eq!(capabilities(b"* OK ready\r\n"), None);
        assert_eq!(exists(b"* 23 EXISTS\r\n"), Some(23));
        assert_eq!(exists(b"* 23 RECENT\r\n"), None);
        assert_eq!(search(b"* SEARCH 2 5 9\r\n"), Some(vec![2, 5, 9]));
        assert_eq!(search(b"* SEARCH\r\n"), Some(vec![]));
        assert_eq!(search(b"* SEARCH x\r\n"), None);
        assert_eq!(
            uid_next(b"* OK [UIDNEXT 31] Predicted next UID\r\n"),
            Some(31)
        );
        assert_eq!(
            uid_validity(b"* OK [UIDVALIDITY 1700000] UIDs valid\r\n"),
            Some(1700000)
        );
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
            let _ = statuses(&data);
            let _ = reply(&data);
            let _ = frame_len(&data);
            let _ = capabilities(&data);
            let _ = (exists(&data), uid_validity(&data), bye(&data), search(&data));
        }
    }
}
