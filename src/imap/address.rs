//! Address fields (From, To, Cc) as RFC 5322 section 3.4 reads them, obsolete forms of section
//! 4.4 included: comments are white space, never a name or a recipient (mail-parser takes
//! `(Bob) bob@example.org` for a mailbox named "Bob", and a lone comment for a recipient);
//! a group's name is not a recipient, its members are; display names may hold encoded words,
//! decoded as in unstructured fields.

use super::header::{decode_words, skip_cfws, unfold};

/// One mailbox: its display name (`None` when it has none) and its address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox {
    pub name: Option<String>,
    pub address: String,
}

impl Mailbox {
    /// `Name <address>`, or the bare address.
    pub fn display(&self) -> String {
        match &self.name {
            Some(name) => format!("{name} <{}>", self.address),
            None => self.address.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// An atom, dots allowed (dot-atom and obs-phrase alike).
    Atom(String),
    /// A quoted string's content, unescaped.
    Quoted(String),
    /// A domain literal, brackets kept.
    Literal(String),
    Special(u8),
}

/// The mailboxes of an address field's raw value, groups opened, in order.
pub fn mailboxes(raw: &[u8]) -> Vec<Mailbox> {
    let tokens = tokenize(unfold(raw).as_bytes());
    let mut out = Vec::new();
    let mut rest = tokens.as_slice();
    while !rest.is_empty() {
        rest = address(rest, &mut out, false);
    }
    out
}

/// Reads one address (a mailbox or a group) into `out`; returns what follows its separator.
fn address<'t>(tokens: &'t [Token], out: &mut Vec<Mailbox>, in_group: bool) -> &'t [Token] {
    let phrase_len = tokens
        .iter()
        .take_while(|t| !matches!(t, Token::Special(_)))
        .count();
    let (phrase, rest) = tokens.split_at(phrase_len);
    match rest.first() {
        Some(Token::Special(b'<')) => {
            let close = rest.iter().position(|t| *t == Token::Special(b'>'));
            let inner = &rest[1..close.unwrap_or(rest.len())];
            // An obsolete route (`<@a,@b:user@host>`) is dropped.
            let inner = match inner.iter().position(|t| *t == Token::Special(b':')) {
                Some(colon) if inner.first() == Some(&Token::Special(b'@')) => &inner[colon + 1..],
                _ => inner,
            };
            let address = addr_spec(inner);
            if !address.is_empty() {
                out.push(Mailbox {
                    name: display_name(phrase),
                    address,
                });
            }
            skip_to_separator(&rest[close.map_or(rest.len(), |c| c + 1)..], in_group)
        }
        Some(Token::Special(b':')) if !in_group => {
            let mut members = &rest[1..];
            while let Some(first) = members.first() {
                if *first == Token::Special(b';') {
                    members = &members[1..];
                    break;
                }
                members = address(members, out, true);
            }
            skip_to_separator(members, false)
        }
        _ => {
            // An addr-spec: the local part then, after `@`, the domain.
            let end = tokens
                .iter()
                .position(|t| matches!(t, Token::Special(b',' | b';' | b'<' | b'>' | b':')))
                .unwrap_or(tokens.len());
            let address = addr_spec(&tokens[..end]);
            if !address.is_empty() {
                out.push(Mailbox {
                    name: None,
                    address,
                });
            }
            match tokens.first() {
                // A stray separator or special: step over it.
                Some(Token::Special(b',')) if end == 0 => &tokens[1..],
                Some(_) if end == 0 => skip_to_separator(&tokens[1..], in_group),
                _ => skip_to_separator(&tokens[end..], in_group),
            }
        }
    }
}

/// Skips what stands before the next `,` (and the comma); in a group, stops before its `;`.
fn skip_to_separator(tokens: &[Token], in_group: bool) -> &[Token] {
    match tokens
        .iter()
        .position(|t| *t == Token::Special(b',') || (in_group && *t == Token::Special(b';')))
    {
        Some(i) if tokens[i] == Token::Special(b',') => &tokens[i + 1..],
        Some(i) => &tokens[i..],
        None => &[],
    }
}

/// `local@domain` as written without comments and folding; quotes kept where the local part
/// needs them.
fn addr_spec(tokens: &[Token]) -> String {
    let mut out = String::new();
    for token in tokens {
        match token {
            Token::Atom(a) => out.push_str(a),
            Token::Quoted(q) if !q.is_empty() && is_dot_atom(q) => out.push_str(q),
            Token::Quoted(q) => {
                out.push('"');
                for c in q.chars() {
                    if c == '"' || c == '\\' {
                        out.push('\\');
                    }
                    out.push(c);
                }
                out.push('"');
            }
            Token::Literal(l) => out.push_str(l),
            Token::Special(b'@') => out.push('@'),
            Token::Special(_) => {}
        }
    }
    out
}

fn is_dot_atom(text: &str) -> bool {
    text.split('.')
        .all(|part| !part.is_empty() && part.chars().all(is_atext))
}

/// The words of a phrase, one space between them, encoded words decoded; `None` when empty.
fn display_name(phrase: &[Token]) -> Option<String> {
    let words: Vec<&str> = phrase
        .iter()
        .filter_map(|t| match t {
            Token::Atom(a) | Token::Quoted(a) | Token::Literal(a) => Some(a.as_str()),
            Token::Special(_) => None,
        })
        .collect();
    let name = decode_words(&words.join(" "));
    let name = name.trim();
    (!name.is_empty()).then(|| name.to_string())
}

fn is_atext(c: char) -> bool {
    !c.is_ascii() || c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c)
}

fn tokenize(s: &[u8]) -> Vec<Token> {
    let text = String::from_utf8_lossy(s);
    let s = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    loop {
        i = skip_cfws(s, i);
        let Some(&b) = s.get(i) else { break };
        match b {
            b'"' => {
                let mut content = Vec::new();
                i += 1;
                while let Some(&c) = s.get(i) {
                    i += 1;
                    match c {
                        b'"' => break,
                        b'\\' => {
                            if let Some(&q) = s.get(i) {
                                content.push(q);
                                i += 1;
                            }
                        }
                        c => content.push(c),
                    }
                }
                tokens.push(Token::Quoted(
                    String::from_utf8_lossy(&content).into_owned(),
                ));
            }
            b'[' => {
                let end = s[i..]
                    .iter()
                    .position(|&c| c == b']')
                    .map_or(s.len(), |e| i + e + 1);
                let literal: String = String::from_utf8_lossy(&s[i..end])
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                tokens.push(Token::Literal(literal));
                i = end;
            }
            b'<' | b'>' | b'@' | b',' | b';' | b':' | b'\\' | b']' | b')' => {
                tokens.push(Token::Special(b));
                i += 1;
            }
            _ => {
                let start = i;
                while i < s.len()
                    && !matches!(
                        s[i],
                        b' ' | b'\t'
                            | b'('
                            | b'"'
                            | b'['
                            | b'<'
                            | b'>'
                            | b'@'
                            | b','
                            | b';'
                            | b':'
                            | b'\\'
                            | b']'
                            | b')'
                    )
                {
                    i += 1;
                }
                tokens.push(Token::Atom(
                    String::from_utf8_lossy(&s[start..i]).into_owned(),
                ));
            }
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn shown(raw: &str) -> Vec<String> {
        mailboxes(raw.as_bytes())
            .iter()
            .map(Mailbox::display)
            .collect()
    }

    #[test]
    fn address_lists() {
        let cases: [(&str, &[&str]); 12] = [
            ("(comment) bob@example.org (Bob)", &["bob@example.org"]),
            ("\"x\" (c) <y@example.org>", &["x <y@example.org>"]),
            ("(nobody)", &[]),
            ("undisclosed-recipients:;", &[]),
            (
                "A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;, Mary <m@x.test>",
                &[
                    "Ed Jones <c@a.test>",
                    "joe@where.test",
                    "John <jdoe@one.test>",
                    "Mary <m@x.test>",
                ],
            ),
            (
                "\"Doe, John\" <j@x.test>, , k@x.test",
                &["Doe, John <j@x.test>", "k@x.test"],
            ),
            (
                "John Q. Public <@r1.test,@r2.test:jqp@x.test>",
                &["John Q. Public <jqp@x.test>"],
            ),
            (
                "Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>",
                &["Pete <pete@silly.test>"],
            ),
            (
                "=?utf-8?q?J=C3?= =?utf-8?q?=BCrgen?= <j@x.test>",
                &["Jürgen <j@x.test>"],
            ),
            (
                "\"very odd\"@x.test, \"plain\"@x.test",
                &["\"very odd\"@x.test", "plain@x.test"],
            ),
            ("a@[192.0.2.1 ]", &["a@[192.0.2.1]"]),
            ("Bob\r\n <bob@x.test>", &["Bob <bob@x.test>"]),
        ];
        for (raw, expected) in cases {
            assert_eq!(shown(raw), expected, "{raw:?}");
        }
    }

    proptest! {
        #[test]
        fn any_value_gives_mailboxes_without_line_breaks(raw in proptest::collection::vec(any::<u8>(), 0..200)) {
            for mailbox in mailboxes(&raw) {
                prop_assert!(!mailbox.address.is_empty());
                prop_assert!(!mailbox.display().contains(['\r', '\n']));
            }
        }

        #[test]
        fn written_lists_are_read_back(
            list in proptest::collection::vec(("[A-Za-z][A-Za-z ,.]{0,12}", "[a-z0-9.]{1,8}", "[a-z]{1,8}"), 1..5),
        ) {
            let raw = list
                .iter()
                .map(|(name, local, domain)| format!("\"{}\" <{local}@{domain}.test>", name.trim()))
                .collect::<Vec<_>>()
                .join(",\r\n ");
            let expected: Vec<String> = list
                .iter()
                .map(|(name, local, domain)| format!("{} <{local}@{domain}.test>", name.trim()))
                .collect();
            prop_assert_eq!(shown(&raw), expected);
        }
    }
}
