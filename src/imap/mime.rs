//! A message's MIME structure as RFC 2045 and RFC 2046 define it. mail-parser does the parsing;
//! this module corrects the few places where it reads a message otherwise than the RFCs, so
//! that every verb shows the same parts:
//! - a Content-Type without a subtype (`text`) is syntactically invalid, which RFC 2045 section
//!   5.2 says to read as text/plain; mail-parser makes it an attachment.
//! - a multipart without a boundary parameter cannot be split (RFC 2046 section 5.1.1): its body
//!   is shown as text; mail-parser makes it an attachment.
//! - a part without Content-Type is text/plain, in a multipart/digest message/rfc822 (RFC 2046
//!   section 5.1.5); mail-parser parses these right but leaves them without a type.
//! - a message whose header runs to the end without a final line break loses its last field.
//! - see [`repair_header_blocks`] for the one place mail-parser's reading of the MIME tree itself
//!   is worked around.

use std::borrow::Cow;

use mail_parser::{Message, MessageParser, MessagePart, MimeHeaders, PartType};

/// Parses `raw` into a message with the corrections above. Borrows from `raw` unless a
/// correction needs a copy (only the rare messages that need a repair).
pub fn parse(raw: &[u8]) -> Message<'_> {
    let header_only_without_newline = !raw.is_empty()
        && !raw.ends_with(b"\n")
        && memchr::memmem::find(raw, b"\n\r\n").is_none()
        && memchr::memmem::find(raw, b"\n\n").is_none();
    let mut message = if header_only_without_newline {
        parse_owned([raw, b"\r\n"].concat())
    } else {
        match MessageParser::default().parse(raw) {
            None => headerless(Cow::Borrowed(raw)),
            Some(message) => match repair_header_blocks(raw, &message) {
                None => message,
                Some(repaired) => parse_owned(repaired),
            },
        }
    };
    normalize(&mut message);
    message
}

fn parse_owned(mut bytes: Vec<u8>) -> Message<'static> {
    // Each pass repairs the blocks the last parse could see; nesting can hide more.
    for _ in 0..4 {
        let Some(message) = MessageParser::default().parse(&bytes) else {
            return headerless(Cow::Owned(bytes));
        };
        match repair_header_blocks(&bytes, &message) {
            None => return message.into_owned(),
            Some(repaired) => bytes = repaired,
        }
    }
    match MessageParser::default().parse(&bytes) {
        Some(message) => message.into_owned(),
        None => headerless(Cow::Owned(bytes)),
    }
}

/// A message with no header at all (mail-parser declines those): one text part, the bytes.
fn headerless(raw: Cow<'_, [u8]>) -> Message<'_> {
    let end = u32::try_from(raw.len()).unwrap_or(u32::MAX);
    let text = match raw {
        Cow::Borrowed(bytes) => String::from_utf8_lossy(bytes),
        Cow::Owned(ref bytes) => Cow::Owned(String::from_utf8_lossy(bytes).into_owned()),
    };
    Message {
        text_body: vec![0],
        html_body: vec![0],
        parts: vec![MessagePart {
            body: PartType::Text(text),
            offset_end: end,
            ..MessagePart::default()
        }],
        raw_message: raw,
        ..Message::default()
    }
}

/// The one workaround for mail-parser's MIME tree. RFC 2046 section 5.1.1 lets a body part end
/// right after its header fields (`body-part := MIME-part-headers [CRLF *OCTET]`), and RFC 5322
/// lets a message/rfc822 body be a header without a body. mail-parser 0.11 then reads the next
/// boundary delimiter as part of that header and the part swallows all its siblings (its own
/// test message thirdparty_015 shows this: of its three attached messages two are lost). Where
/// a delimiter of the message's boundaries directly follows such a header block, this returns
/// a copy of `raw` with the missing empty line put in, which parses as the RFCs read it;
/// `None` when no block needs it.
fn repair_header_blocks(raw: &[u8], message: &Message<'_>) -> Option<Vec<u8>> {
    let mut boundaries = Vec::new();
    collect_boundaries(message, &mut boundaries);
    let mut inserts: Vec<usize> = Vec::new();
    for boundary in &boundaries {
        let needle = [b"\n--", boundary.as_slice()].concat();
        for at in memchr::memmem::find_iter(raw, &needle) {
            let line_start = at + 1;
            if header_block_runs_into(raw, line_start, &boundaries) {
                inserts.push(line_start);
            }
        }
    }
    if inserts.is_empty() {
        return None;
    }
    inserts.sort_unstable();
    inserts.dedup();
    let mut out = Vec::with_capacity(raw.len() + 2 * inserts.len());
    let mut from = 0;
    for at in inserts {
        out.extend_from_slice(&raw[from..at]);
        out.extend_from_slice(b"\r\n");
        from = at;
    }
    out.extend_from_slice(&raw[from..]);
    Some(out)
}

fn collect_boundaries(message: &Message<'_>, out: &mut Vec<Vec<u8>>) {
    for part in &message.parts {
        if let Some(boundary) = part.content_type().and_then(|ct| ct.attribute("boundary"))
            && !boundary.is_empty()
            && !out.iter().any(|b| b == boundary.as_bytes())
        {
            out.push(boundary.as_bytes().to_vec());
        }
        if let PartType::Message(inner) = &part.body {
            collect_boundaries(inner, out);
        }
    }
}

/// Whether the lines just before `line_start` (a delimiter line) are a header block that began
/// at a delimiter (a body part's own header), or after the header of a message/rfc822 part.
fn header_block_runs_into(raw: &[u8], line_start: usize, boundaries: &[Vec<u8>]) -> bool {
    // Lines above, nearest first, without their line ends; a long run is no header.
    let lines = lines_before(raw, line_start).take(1000);
    let mut fields = 0;
    let mut after_blank = false;
    let mut outer_is_message = false;
    for line in lines {
        if is_delimiter(line, boundaries) {
            return fields > 0 && (!after_blank || outer_is_message);
        }
        if line.is_empty() {
            if fields == 0 || after_blank {
                return false;
            }
            after_blank = true;
            continue;
        }
        if !is_field_line(line) {
            return false;
        }
        if after_blank && is_message_content_type(line) {
            outer_is_message = true;
        }
        if !after_blank {
            fields += 1;
        }
    }
    false
}

fn lines_before(raw: &[u8], end: usize) -> impl Iterator<Item = &[u8]> {
    let mut end = end;
    std::iter::from_fn(move || {
        if end == 0 {
            return None;
        }
        let body = &raw[..end - 1];
        let start = memchr::memrchr(b'\n', body).map_or(0, |i| i + 1);
        let line = &raw[start..end - 1];
        end = start;
        Some(line.strip_suffix(b"\r").unwrap_or(line))
    })
}

fn is_delimiter(line: &[u8], boundaries: &[Vec<u8>]) -> bool {
    line.strip_prefix(b"--")
        .is_some_and(|rest| boundaries.iter().any(|b| rest.starts_with(b)))
}

/// A header field's first line (`Name:`), or a folded continuation of one.
fn is_field_line(line: &[u8]) -> bool {
    if line.starts_with(b" ") || line.starts_with(b"\t") {
        return true;
    }
    let name_len = line
        .iter()
        .take_while(|&&b| (33..=126).contains(&b) && b != b':')
        .count();
    name_len > 0 && line.get(name_len) == Some(&b':')
}

fn is_message_content_type(line: &[u8]) -> bool {
    let line = String::from_utf8_lossy(line).to_ascii_lowercase();
    line.starts_with("content-type:")
        && ["message/rfc822", "message/global"]
            .iter()
            .any(|t| line.contains(t))
}

/// Puts the parts RFC 2045 reads as text among the message's text bodies.
fn normalize(message: &mut Message<'_>) {
    let mut moved = Vec::new();
    for &id in &message.attachments {
        let Some(part) = message.parts.get_mut(id as usize) else {
            continue;
        };
        if !reads_as_text(part)
            || part
                .content_disposition()
                .is_some_and(|d| d.is_attachment())
        {
            continue;
        }
        if let PartType::Binary(bytes) | PartType::InlineBinary(bytes) = &part.body {
            let text = String::from_utf8_lossy(bytes).into_owned();
            part.body = PartType::Text(Cow::Owned(text));
        }
        if matches!(part.body, PartType::Text(_)) {
            moved.push(id);
        }
    }
    for id in moved {
        message.attachments.retain(|&a| a != id);
        for list in [&mut message.text_body, &mut message.html_body] {
            if let Err(at) = list.binary_search(&id) {
                list.insert(at, id);
            }
        }
    }
}

/// A part RFC 2045 reads as text/plain though mail-parser does not: a Content-Type without a
/// subtype, or a multipart that cannot be split.
fn reads_as_text(part: &MessagePart<'_>) -> bool {
    part.content_type().is_some_and(|ct| {
        ct.c_subtype.is_none()
            || (ct.c_type.eq_ignore_ascii_case("multipart")
                && !matches!(part.body, PartType::Multipart(_)))
    })
}

/// A part's media type, lower case, as RFC 2045 and 2046 define it where the part does not say.
pub fn content_type(part: &MessagePart<'_>) -> String {
    match part.content_type() {
        None if matches!(part.body, PartType::Message(_)) => "message/rfc822".to_string(),
        None => "text/plain".to_string(),
        Some(_) if reads_as_text(part) => "text/plain".to_string(),
        Some(ct) => format!(
            "{}/{}",
            ct.c_type,
            ct.c_subtype.as_deref().unwrap_or_default()
        )
        .to_ascii_lowercase(),
    }
}

/// The text of each of the message's text bodies, HTML turned into text.
pub fn texts<'m>(message: &'m Message<'_>) -> impl Iterator<Item = Cow<'m, str>> {
    message
        .text_body
        .iter()
        .filter_map(|&id| match &message.parts.get(id as usize)?.body {
            PartType::Text(text) => Some(Cow::Borrowed(text.as_ref())),
            PartType::Html(html) => Some(Cow::Owned(html_to_text(html))),
            _ => None,
        })
}

/// HTML as plain text, by html2text: block elements on lines of their own, no wrapping, no
/// markup decoration.
pub fn html_to_text(html: &str) -> String {
    // Wide enough that no line is wrapped; the width only bounds wrapping, nothing is padded.
    const WIDTH: usize = 1 << 20;
    html2text::config::plain_no_decorate()
        .allow_width_overflow()
        .no_link_wrapping()
        .string_from_read(html.as_bytes(), WIDTH)
        .unwrap_or_else(|_| html.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn types(message: &Message<'_>) -> Vec<String> {
        message.attachments().map(content_type).collect()
    }

    fn text(message: &Message<'_>) -> String {
        texts(message).collect::<Vec<_>>().join("|")
    }

    #[test]
    fn digest_parts_default_to_messages() {
        let raw = "Subject: digest\r\nContent-Type: multipart/digest; boundary=D\r\n\r\n\
            --D\r\n\r\nFrom: x@example.org\r\nSubject: inner\r\n\r\nInner body.\r\n\
            --D\r\nContent-Type: text/plain\r\n\r\nplain part\r\n--D--\r\n";
        let message = parse(raw.as_bytes());
        assert_eq!(types(&message), ["message/rfc822"]);
        assert_eq!(text(&message), "plain part");
    }

    #[test]
    fn invalid_types_and_multiparts_without_boundary_are_text() {
        for ct in [
            "text",
            "application",
            "multipart/mixed",
            "multipart/alternative; charset=x",
        ] {
            let raw = format!("Subject: s\r\nContent-Type: {ct}\r\n\r\nThe body\r\n");
            let message = parse(raw.as_bytes());
            assert_eq!(types(&message), Vec::<String>::new(), "{ct}");
            assert_eq!(text(&message), "The body\r\n", "{ct}");
            assert_eq!(content_type(&message.parts[0]), "text/plain", "{ct}");
        }
        // An attachment stays one, typed as RFC 2045 reads it.
        let raw = "Subject: s\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n\
            Content-Type: text\r\nContent-Disposition: attachment; filename=a.txt\r\n\r\nA\r\n--B--\r\n";
        assert_eq!(types(&parse(raw.as_bytes())), ["text/plain"]);
    }

    #[test]
    fn html_blocks_on_lines_of_their_own() {
        let raw = "Subject: s\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
            <h1>Gr\u{fc}\u{df}e</h1><p>Caf\u{e9}<br>zwei</p><ul><li>eins</li><li>drei</li></ul>";
        let shown = text(&parse(raw.as_bytes()));
        let lines: Vec<&str> = shown.lines().filter(|l| !l.trim().is_empty()).collect();
        // html2text marks a heading as Markdown does.
        assert_eq!(lines, ["# Grüße", "Café", "zwei", "* eins", "* drei"]);
    }

    #[test]
    fn a_header_without_an_end_keeps_its_last_field() {
        for raw in [
            "From: a@example.org\r\nSubject: last",
            "Subject: last",
            "From: a@example.org\nSubject: last",
        ] {
            let message = parse(raw.as_bytes());
            assert_eq!(message.subject(), Some("last"), "{raw:?}");
        }
    }

    /// A part whose header runs into the outer delimiter (as in mail-parser's own thirdparty_015)
    /// does not swallow its siblings.
    #[test]
    fn a_header_block_ending_at_a_delimiter_keeps_the_siblings() {
        let raw = "Subject: outer\r\nContent-Type: multipart/mixed; boundary=OUT\r\n\r\n\
            --OUT\r\nContent-Type: text/plain\r\n\r\nfirst\r\n\
            --OUT\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner1\r\n\
            Content-Type: multipart/alternative; boundary=IN\r\n\
            --OUT\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner2\r\n\r\nsecond body\r\n\
            --OUT\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=t.txt\r\n\
            --OUT\r\nContent-Type: text/plain\r\n\r\nthird\r\n--OUT--\r\n";
        let message = parse(raw.as_bytes());
        assert_eq!(
            types(&message),
            ["message/rfc822", "message/rfc822", "text/plain"]
        );
        assert_eq!(text(&message), "first|third");
        let inner: Vec<Option<&str>> = message
            .attachments()
            .filter_map(|p| p.message())
            .map(|m| m.subject())
            .collect();
        assert_eq!(inner, [Some("inner1"), Some("inner2")]);
        // A body whose lines look like header fields is left alone.
        let raw = "Subject: s\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n\
            Content-Type: text/plain\r\n\r\nNote: kept\r\n--B--\r\n";
        let message = parse(raw.as_bytes());
        assert!(matches!(message.raw_message, Cow::Borrowed(_)));
        assert_eq!(text(&message), "Note: kept");
    }

    proptest! {
        #[test]
        fn any_bytes_parse(raw in proptest::collection::vec(any::<u8>(), 0..300)) {
            let message = parse(&raw);
            let _ = types(&message);
            let _ = text(&message);
        }

        #[test]
        fn mime_like_bytes_parse(raw in "(Content-Type: (multipart/(mixed|digest); boundary=B|text|message/rfc822)\r\n|Subject: s\r\n|\r\n|--B\r\n|--B--\r\n|x\r\n){0,20}") {
            let message = parse(raw.as_bytes());
            let _ = types(&message);
            let _ = text(&message);
        }
    }
}
