//! Header field values read as RFC 5322 and RFC 2047 define them, from the bytes the message
//! holds rather than from mail-parser's decoded values: mail-parser squashes folding white space
//! (RFC 5322 section 2.2.3 unfolding removes only the CRLF) and decodes each encoded word on its
//! own, so a character whose bytes are split over two adjacent words comes out as two U+FFFD.

use mail_parser::{HeaderName, MessagePart};

/// The raw value of the first `name` field among `part`'s headers, as the message holds it
/// (after the colon, folded, undecoded).
pub fn raw_field<'m>(
    raw: &'m [u8],
    part: &MessagePart<'_>,
    name: HeaderName<'_>,
) -> Option<&'m [u8]> {
    let header = part.headers.iter().find(|h| h.name == name)?;
    raw.get(header.offset_start as usize..header.offset_end as usize)
}

/// A value unfolded (every CR and LF removed, the white space after them kept) and trimmed,
/// bytes that are not UTF-8 replaced (RFC 6532 allows UTF-8 in headers; nothing else is text).
pub fn unfold(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    text.chars()
        .filter(|c| *c != '\r' && *c != '\n')
        .collect::<String>()
        .trim_matches([' ', '\t'])
        .to_string()
}

/// An unstructured value (Subject, say) as text: unfolded, encoded words decoded (RFC 2047
/// section 6.2: white space between adjacent encoded words is dropped), and the bytes of
/// adjacent words in one charset joined before they are decoded, as mail readers and Python do.
pub fn unstructured(raw: &[u8]) -> String {
    decode_words(&unfold(raw))
}

/// Decodes the encoded words among the white-space separated tokens of `text`; a token that is
/// not a well-formed encoded word in a known charset stays as it is.
pub fn decode_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // The encoded bytes not yet decoded, with their charset, and the white space seen since.
    let mut pending: Option<(String, Vec<u8>)> = None;
    let mut space = "";
    for (is_space, token) in tokens(text) {
        if is_space {
            space = token;
            continue;
        }
        match encoded_word(token) {
            Some((charset, bytes)) => match &mut pending {
                Some((open, held)) if *open == charset => held.extend_from_slice(&bytes),
                Some(_) => {
                    flush(&mut pending, &mut out);
                    pending = Some((charset, bytes));
                }
                None => {
                    out.push_str(space);
                    pending = Some((charset, bytes));
                }
            },
            None => {
                flush(&mut pending, &mut out);
                out.push_str(space);
                out.push_str(token);
            }
        }
        space = "";
    }
    flush(&mut pending, &mut out);
    out.push_str(space);
    out
}

fn flush(pending: &mut Option<(String, Vec<u8>)>, out: &mut String) {
    if let Some((charset, bytes)) = pending.take() {
        // encoded_word only accepts charsets that decode.
        out.push_str(&decode_charset(&charset, &bytes).unwrap_or_default());
    }
}

/// `text` cut into runs of white space and runs of anything else, in order.
fn tokens(text: &str) -> impl Iterator<Item = (bool, &str)> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let is_space = first == ' ' || first == '\t';
        let end = rest
            .find(|c: char| (c == ' ' || c == '\t') != is_space)
            .unwrap_or(rest.len());
        let (token, tail) = rest.split_at(end);
        rest = tail;
        Some((is_space, token))
    })
}

/// `=?charset?B|Q?text?=` (RFC 2047 section 2; a RFC 2231 `*language` suffix dropped): the
/// charset, lower case, and the bytes it encodes. `None` when malformed or the charset unknown.
fn encoded_word(token: &str) -> Option<(String, Vec<u8>)> {
    let inner = token.strip_prefix("=?")?.strip_suffix("?=")?;
    let mut fields = inner.splitn(3, '?');
    let charset = fields.next()?;
    let encoding = fields.next()?;
    let text = fields.next()?;
    if text.contains('?') {
        return None;
    }
    let charset = charset.split('*').next()?.to_ascii_lowercase();
    let bytes = match encoding {
        "B" | "b" => mail_parser::decoders::base64::base64_decode(text.as_bytes())?,
        "Q" | "q" => q_decode(text.as_bytes())?,
        _ => return None,
    };
    decode_charset(&charset, b"")?;
    Some((charset, bytes))
}

/// The Q encoding (RFC 2047 section 4.2): `_` is a space, `=XX` a byte.
fn q_decode(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'_' => out.push(b' '),
            b'=' => {
                let hex = std::str::from_utf8(text.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    Some(out)
}

/// `bytes` in `charset` as text; `None` for a charset nobody here knows.
fn decode_charset(charset: &str, bytes: &[u8]) -> Option<String> {
    match charset {
        "utf-8" | "utf8" | "unicode-1-1-utf-8" => Some(String::from_utf8_lossy(bytes).into_owned()),
        _ => mail_parser::decoders::charsets::map::charset_decoder(charset.as_bytes())
            .map(|decode| decode(bytes)),
    }
}

/// The index after any white space and comments (CFWS, RFC 5322 section 3.2.2) from `i`.
/// Comments nest, and a backslash quotes the next character; an unclosed comment runs to the
/// end.
pub fn skip_cfws(s: &[u8], mut i: usize) -> usize {
    loop {
        while i < s.len() && matches!(s[i], b' ' | b'\t' | b'\r' | b'\n') {
            i += 1;
        }
        if s.get(i) != Some(&b'(') {
            return i;
        }
        let mut depth = 0usize;
        while i < s.len() {
            match s[i] {
                b'\\' => i += 1,
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        i += 1;
                        break;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        i = i.min(s.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn unstructured_values() {
        let cases = [
            ("=?utf-8?q?J=C3?= =?utf-8?q?=BCrgen?=", "Jürgen"),
            ("=?utf-8?b?SsM=?=\r\n =?UTF-8?B?vHJnZW4=?=", "Jürgen"),
            ("a long\r\n  folded\r\n\tsubject", "a long  folded\tsubject"),
            ("=?UTF-8?Q?a?=\r\n =?UTF-8?Q?b?= c", "ab c"),
            ("x =?iso-8859-1?q?=E9?= =?utf-8?q?=C3=A9?= y", "x éé y"),
            ("=?utf-8*de?q?Gr=C3=BC=C3=9Fe?=", "Grüße"),
            (
                "=?nope?q?x?= =?utf-8?x?y?= =?utf-8?q?=ZZ?=",
                "=?nope?q?x?= =?utf-8?x?y?= =?utf-8?q?=ZZ?=",
            ),
            ("  ", ""),
            ("a  =?utf-8?q?b?=", "a  b"),
        ];
        for (raw, text) in cases {
            assert_eq!(unstructured(raw.as_bytes()), text, "{raw:?}");
        }
    }

    #[test]
    fn comments_nest() {
        assert_eq!(skip_cfws(b" (a (b) \\) c) x", 0), 14);
        assert_eq!(skip_cfws(b"(open", 0), 5);
        assert_eq!(skip_cfws(b"x", 0), 0);
    }

    proptest! {
        #[test]
        fn anything_decodes_without_line_breaks(raw in proptest::collection::vec(any::<u8>(), 0..200)) {
            let text = unstructured(&raw);
            prop_assert!(!text.contains('\n') && !text.contains('\r'));
        }

        #[test]
        fn text_without_encoded_words_is_kept(text in "[^\\r\\n=]{0,60}") {
            prop_assert_eq!(unstructured(text.as_bytes()), text.trim_matches([' ', '\t']));
        }
    }
}
