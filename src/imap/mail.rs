//! What the listings say about a message: its header fields read as the RFCs define them
//! ([`header`](super::header), [`address`](super::address), [`date`](super::date)), a text
//! preview and the attachments, from the MIME structure [`mime`](super::mime) gives; this
//! module picks the fields and keeps "missing" apart from "empty".

use mail_parser::{HeaderName, Message, MessageParser, MessagePart, MimeHeaders, PartType};
use serde::Serialize;

pub use super::address::Mailbox;

use super::address;
use super::{date, header, mime};

/// Characters of body text in a preview.
pub const PREVIEW_CHARS: usize = 160;

/// The header fields a `subjects --json` line shows, as IMAP names them.
pub const LISTING_FIELDS: [&str; 4] = ["SUBJECT", "FROM", "DATE", "MESSAGE-ID"];

/// One line of `tool imap subjects --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubjectLine {
    pub uid: u32,
    /// `None` when the message has no Subject header, `""` when it is empty.
    pub subject: Option<String>,
    pub from: Option<String>,
    /// RFC 3339, in the message's own time zone; `None` without a Date field or when it names
    /// no date that can be.
    pub date: Option<String>,
    /// The Date field as sent (unfolded).
    pub date_raw: Option<String>,
    /// Without the angle brackets.
    pub message_id: Option<String>,
}

/// One line of `tool imap messages --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub uid: u32,
    pub subject: Option<String>,
    pub from: Option<String>,
    pub to: Vec<String>,
    pub date: Option<String>,
    pub date_raw: Option<String>,
    /// RFC822.SIZE: the message's size on the server, in bytes.
    pub size: u64,
    /// The start of the text body, white space collapsed; `None` without a text or HTML part.
    pub preview: Option<String>,
    pub attachments: Vec<Attachment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attachment {
    pub name: Option<String>,
    pub content_type: String,
    /// Decoded size in bytes.
    pub size: usize,
}

/// The header fields a listing shows, read from the message's own bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields {
    pub subject: Option<String>,
    pub from: Vec<Mailbox>,
    pub to: Vec<Mailbox>,
    pub cc: Vec<Mailbox>,
    pub date: Option<String>,
    pub date_raw: Option<String>,
    pub message_id: Option<String>,
}

impl Fields {
    /// The fields of `message`'s own header.
    pub fn of(message: &Message<'_>) -> Fields {
        let Some(part) = message.parts.first() else {
            return Fields::default();
        };
        let raw = message.raw_message.as_ref();
        let field = |name| header::raw_field(raw, part, name);
        let mailboxes = |name| field(name).map(address::mailboxes).unwrap_or_default();
        let date_raw = field(HeaderName::Date);
        Fields {
            subject: field(HeaderName::Subject).map(header::unstructured),
            from: mailboxes(HeaderName::From),
            to: mailboxes(HeaderName::To),
            cc: mailboxes(HeaderName::Cc),
            date: date_raw.and_then(date::rfc3339),
            date_raw: date_raw.map(header::unfold),
            message_id: message.message_id().map(str::to_string),
        }
    }

    /// The first From mailbox, as a listing shows it.
    pub fn sender(&self) -> Option<String> {
        self.from.first().map(Mailbox::display)
    }
}

/// Decodes header fields as fetched with `BODY.PEEK[HEADER.FIELDS (...)]`.
pub fn subject_line(uid: u32, header: &[u8]) -> SubjectLine {
    let fields = MessageParser::default()
        .parse_headers(header)
        .map(|m| Fields::of(&m))
        .unwrap_or_default();
    SubjectLine {
        uid,
        from: fields.sender(),
        subject: fields.subject,
        date: fields.date,
        date_raw: fields.date_raw,
        message_id: fields.message_id,
    }
}

/// The listing of a whole message, parsed by [`mime::parse`].
pub fn summary(uid: u32, size: u64, message: &Message<'_>) -> Summary {
    let fields = Fields::of(message);
    Summary {
        uid,
        from: fields.sender(),
        subject: fields.subject,
        to: fields.to.iter().map(Mailbox::display).collect(),
        date: fields.date,
        date_raw: fields.date_raw,
        size,
        preview: preview(message),
        attachments: attachments(message),
    }
}

/// The start of the first text body, white space collapsed, at most [`PREVIEW_CHARS`]
/// characters; HTML is turned into text first.
fn preview(message: &Message<'_>) -> Option<String> {
    let first = message.text_body.first()?;
    let text = match &message.parts.get(*first as usize)?.body {
        PartType::Text(text) => std::borrow::Cow::Borrowed(text.as_ref()),
        // Enough of the HTML for a preview, cut on a character.
        PartType::Html(html) => {
            let mut end = html.len().min(PREVIEW_CHARS * 400);
            while !html.is_char_boundary(end) {
                end -= 1;
            }
            std::borrow::Cow::Owned(mime::html_to_text(&html[..end]))
        }
        _ => return None,
    };
    let mut out = String::new();
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        if out.chars().count() >= PREVIEW_CHARS {
            break;
        }
    }
    Some(out.chars().take(PREVIEW_CHARS).collect())
}

pub fn attachments(message: &Message<'_>) -> Vec<Attachment> {
    message
        .attachments()
        .map(|part: &MessagePart<'_>| Attachment {
            name: part.attachment_name().map(str::to_string),
            content_type: mime::content_type(part),
            size: part.len(),
        })
        .collect()
}

/// Body text for a terminal: CRLF becomes LF, and control characters other than line breaks
/// and tabs (escape sequences that could drive the terminal) become U+FFFD.
pub fn printable_text(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .map(|c| match c {
            '\n' | '\t' => c,
            c if c.is_control() => '\u{FFFD}',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn subject_of(header: &str) -> Option<String> {
        subject_line(1, header.as_bytes()).subject
    }

    #[test]
    fn subjects_in_many_forms() {
        let cases = [
            ("Subject: plain\r\n\r\n", Some("plain")),
            ("From: a@example.org\r\n\r\n", None),
            ("Subject:\r\nFrom: a@example.org\r\n\r\n", Some("")),
            ("Subject:   \r\n\r\n", Some("")),
            (
                "Subject: a long\r\n  folded\r\n\tsubject\r\n\r\n",
                Some("a long  folded\tsubject"),
            ),
            (
                "Subject: =?UTF-8?Q?caf=C3=A9?= =?UTF-8?B?IOKYlQ==?=\r\n\r\n",
                Some("café ☕"),
            ),
            ("Subject: =?ISO-8859-1?Q?Gr=FC=DFe?=\r\n\r\n", Some("Grüße")),
            ("Subject: =?koi8-r?B?8NLJ18XU?=\r\n\r\n", Some("Привет")),
            ("Subject: =?Shift_JIS?B?g2WDWINn?=\r\n\r\n", Some("テスト")),
            (
                "Subject: =?ISO-2022-JP?B?GyRCJEskWyRzJDQbKEI=?=\r\n\r\n",
                Some("にほんご"),
            ),
            ("Subject: =?windows-1252?Q?=80_5?=\r\n\r\n", Some("€ 5")),
            (
                "Subject: raw ünïcödé 日本\r\n\r\n",
                Some("raw ünïcödé 日本"),
            ),
            (
                "Subject: =?UTF-8?Q?a?=\r\n =?UTF-8?Q?b?= c\r\n\r\n",
                Some("ab c"),
            ),
        ];
        for (header, expected) in cases {
            assert_eq!(subject_of(header).as_deref(), expected, "{header:?}");
        }
        assert_eq!(subject_line(1, b"").subject, None);
        assert_eq!(subject_line(1, b"no header at all\r\n\r\n").subject, None);
    }

    #[test]
    fn listing_fields() {
        let header = "From: =?UTF-8?Q?J=C3=BCrgen?= <j@example.org>\r\n\
                      Date: Tue, 5 Mar 2024 09:30:00 +0100\r\n\
                      Message-ID: <abc@example.org>\r\n\r\n";
        let line = subject_line(9, header.as_bytes());
        assert_eq!(
            line,
            SubjectLine {
                uid: 9,
                subject: None,
                from: Some("Jürgen <j@example.org>".into()),
                date: Some("2024-03-05T09:30:00+01:00".into()),
                date_raw: Some("Tue, 5 Mar 2024 09:30:00 +0100".into()),
                message_id: Some("abc@example.org".into()),
            }
        );
        let json = serde_json::to_string(&line).unwrap();
        assert_eq!(
            json,
            r#"{"uid":9,"subject":null,"from":"Jürgen <j@example.org>","date":"2024-03-05T09:30:00+01:00","date_raw":"Tue, 5 Mar 2024 09:30:00 +0100","message_id":"abc@example.org"}"#
        );
    }

    #[test]
    fn a_summary_lists_attachments() {
        let raw = "From: a@example.org\r\nTo: B <b@example.org>, c@example.org\r\n\
            Subject: report\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n\
            --XX\r\nContent-Type: text/plain\r\n\r\nHello\r\n  there.\r\n\
            --XX\r\nContent-Type: application/PDF; name=\"r.pdf\"\r\n\
            Content-Transfer-Encoding: base64\r\n\r\nAAECAw==\r\n--XX--\r\n";
        let message = MessageParser::default().parse(raw.as_bytes()).unwrap();
        let s = summary(3, 400, &message);
        assert_eq!(s.to, ["B <b@example.org>", "c@example.org"]);
        assert_eq!(s.preview.as_deref(), Some("Hello there."));
        assert_eq!(
            s.attachments,
            [Attachment {
                name: Some("r.pdf".into()),
                content_type: "application/pdf".into(),
                size: 4,
            }]
        );
    }

    #[test]
    fn terminal_safety() {
        assert_eq!(printable_text("a\r\nb\x1b\tc"), "a\nb\u{FFFD}\tc");
    }

    /// Encodes `text` as RFC 2047 encoded words of at most 75 characters, folded onto lines,
    /// as a mail client would write a Subject.
    fn encode_words(text: &str, q: bool) -> String {
        let mut words = Vec::new();
        let mut chunk = String::new();
        for ch in text.chars() {
            // UTF-8 sequences may not be split across words: cut on characters.
            if chunk.len() + ch.len_utf8() > 30 {
                words.push(std::mem::take(&mut chunk));
            }
            chunk.push(ch);
        }
        if !chunk.is_empty() {
            words.push(chunk);
        }
        let encoded: Vec<String> = words
            .iter()
            .map(|w| {
                if q {
                    let body: String = w
                        .bytes()
                        .map(|b| match b {
                            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => (b as char).to_string(),
                            b' ' => "_".to_string(),
                            _ => format!("={b:02X}"),
                        })
                        .collect();
                    format!("=?UTF-8?Q?{body}?=")
                } else {
                    format!("=?utf-8?B?{}?=", crate::imap::auth::base64(w.as_bytes()))
                }
            })
            .collect();
        encoded.join("\r\n ")
    }

    proptest! {
        #[test]
        fn encoded_words_decode_to_the_text(
            text in "[^\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]{1,80}",
            q in any::<bool>(),
        ) {
            // Encoded words carry white space exactly; only folding between words is dropped.
            let header = format!("Subject: {}\r\n\r\n", encode_words(&text, q));
            prop_assert_eq!(subject_of(&header), Some(text));
        }

        #[test]
        fn folding_is_undone(words in proptest::collection::vec("[!-~&&[^=?]]{1,12}", 1..12)) {
            let folded = words.join("\r\n ");
            let header = format!("Subject: {folded}\r\n\r\n");
            prop_assert_eq!(subject_of(&header), Some(words.join(" ")));
        }

        #[test]
        fn any_header_bytes_give_a_line(header in proptest::collection::vec(any::<u8>(), 0..400)) {
            let line = subject_line(7, &header);
            prop_assert_eq!(line.uid, 7);
            let json = serde_json::to_string(&line).unwrap();
            prop_assert!(!json.contains('\n'));
        }
    }
}
