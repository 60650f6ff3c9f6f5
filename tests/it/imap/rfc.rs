//! `tool imap` reads mail as the RFCs define it, in every verb that shows a message
//! (`subjects`, `messages`, `show`), against a real Dovecot: dates (RFC 5322 sections 3.3 and
//! 4.3), header fields (unfolding, RFC 2047 encoded words, comments in addresses) and MIME
//! (RFC 2045 and 2046 defaults, HTML as text, a part's header that runs into a boundary).

use crate::support;
use crate::support::dovecot;

use dovecot::Dovecot;
use serde_json::json;
use support::{json_lines, stdout};

/// Date header as sent, and the RFC 3339 `date` every listing gives for it.
const DATES: &[(&str, Option<&str>)] = &[
    ("Mon, 29 Feb 2023 10:00:00 +0000", None),
    ("Tue, 5 Mar 2024 09:30:00 +9999", None),
    (
        "21 Nov 97 09(comment):55:06 GMT",
        Some("1997-11-21T09:55:06Z"),
    ),
    (
        "Thu,\r\n      13\r\n        Feb\r\n          1969\r\n      23:32\r\n               -0330 (Newfoundland Time)",
        Some("1969-02-13T23:32:00-03:30"),
    ),
    ("1 Jan 49 00:00 EST", Some("2049-01-01T00:00:00-05:00")),
    (
        "Thu, 29 Feb 2024 23:59:60 -0000",
        Some("2024-02-29T23:59:60-00:00"),
    ),
];

/// One message a case: its raw text (LF line ends, made CRLF), and what each verb must show.
struct Case {
    raw: &'static str,
    subject: &'static str,
    to: &'static [&'static str],
    preview: Option<&'static str>,
    attachments: &'static [&'static str],
    /// Lines `show` prints after the header (empty lines left out).
    shown: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        raw: "Subject: =?utf-8?q?J=C3?= =?utf-8?q?=BCrgen?=\n\nx\n",
        subject: "Jürgen",
        to: &[],
        preview: Some("x"),
        attachments: &[],
        shown: &["x"],
    },
    Case {
        raw: "Subject: two  spaces\n  and\ta tab\nTo: (comment) bob@example.org (Bob), \"x\" (c) <y@example.org>,\n (nobody), undisclosed-recipients:;\n\nx\n",
        subject: "two  spaces  and\ta tab",
        to: &["bob@example.org", "x <y@example.org>"],
        preview: Some("x"),
        attachments: &[],
        shown: &["x"],
    },
    Case {
        raw: "Subject: digest\nContent-Type: multipart/digest; boundary=D\n\n--D\n\nSubject: inner\n\nInner body.\n--D\nContent-Type: text/plain\n\nplain part\n--D--\n",
        subject: "digest",
        to: &[],
        preview: Some("plain part"),
        attachments: &["message/rfc822"],
        shown: &["plain part"],
    },
    Case {
        raw: "Subject: bare text\nContent-Type: text\n\nThe body of a text part.\n",
        subject: "bare text",
        to: &[],
        preview: Some("The body of a text part."),
        attachments: &[],
        shown: &["The body of a text part."],
    },
    Case {
        raw: "Subject: no boundary\nContent-Type: multipart/mixed\n\nA multipart that cannot be split.\n",
        subject: "no boundary",
        to: &[],
        preview: Some("A multipart that cannot be split."),
        attachments: &[],
        shown: &["A multipart that cannot be split."],
    },
    Case {
        raw: "Subject: html\nContent-Type: text/html; charset=utf-8\n\n<h1>Grüße</h1><p>Café</p>",
        subject: "html",
        to: &[],
        preview: Some("# Grüße Café"),
        attachments: &[],
        shown: &["# Grüße", "Café"],
    },
    Case {
        raw: "To: a@example.org\nSubject: no blank line and no final newline",
        subject: "no blank line and no final newline",
        to: &["a@example.org"],
        preview: None,
        attachments: &[],
        shown: &[],
    },
    // mail-parser's thirdparty_015 in small: the first message/rfc822 part's header runs into
    // the outer boundary.
    Case {
        raw: "Subject: outer\nContent-Type: multipart/mixed; boundary=OUT\n\n--OUT\nContent-Type: text/plain\n\nfirst\n--OUT\nContent-Type: message/rfc822\n\nSubject: inner1\nContent-Type: multipart/alternative; boundary=IN\n--OUT\nContent-Type: message/rfc822\n\nSubject: inner2\n\nsecond\n--OUT\nContent-Type: application/pdf; name=a.pdf\n\n%PDF\n--OUT--\n",
        subject: "outer",
        to: &[],
        preview: Some("first"),
        attachments: &["message/rfc822", "message/rfc822", "application/pdf"],
        shown: &["first"],
    },
];

fn crlf(text: &str) -> Vec<u8> {
    text.replace("\r\n", "\n")
        .replace('\n', "\r\n")
        .into_bytes()
}

fn fill(server: &Dovecot) {
    for (date, _) in DATES {
        let raw = format!("From: d@example.org\nDate: {date}\nSubject: dated\n\nx\n");
        server.deliver("Dates", &crlf(&raw), Some("S"));
    }
    for case in CASES {
        server.deliver("Mime", &crlf(case.raw), Some("S"));
    }
}

fn server() -> Option<&'static Dovecot> {
    Dovecot::shared(module_path!(), fill)
}

/// The Date field as the listings give it raw: unfolded.
fn unfolded(date: &str) -> String {
    date.replace("\r\n", "")
}

#[test]
fn dates_are_rfc_3339_or_null_with_the_raw_field_beside() {
    let Some(server) = server() else { return };
    let subjects = json_lines(&server.run(&["subjects", "Dates", "--json"]));
    let messages = json_lines(&server.run(&["messages", "Dates", "--json"]));
    assert_eq!(subjects.len(), DATES.len());
    for (i, (raw, date)) in DATES.iter().enumerate() {
        for line in [&subjects[i], &messages[i]] {
            assert_eq!(line["date"], json!(date), "{raw:?}");
            assert_eq!(line["date_raw"], json!(unfolded(raw)), "{raw:?}");
        }
        let shown = stdout(&server.run(&["show", "Dates", &(i + 1).to_string()]));
        assert!(
            shown.contains(&format!("Date: {}\n", unfolded(raw))),
            "{shown}"
        );
    }
    // The text listing shows no date for a date that cannot be.
    let text = stdout(&server.run(&["messages", "Dates"]));
    assert!(
        text.lines().next().unwrap().starts_with("     1  -  "),
        "{text}"
    );
}

#[test]
fn mime_and_header_fields_alike_in_every_verb() {
    let Some(server) = server() else { return };
    let subjects = json_lines(&server.run(&["subjects", "Mime", "--json"]));
    let text = stdout(&server.run(&["subjects", "Mime"]));
    let messages = json_lines(&server.run(&["messages", "Mime", "--json"]));
    assert_eq!(messages.len(), CASES.len());
    for (i, case) in CASES.iter().enumerate() {
        let uid = (i + 1).to_string();
        assert_eq!(subjects[i]["subject"], case.subject, "{}", case.raw);
        assert_eq!(messages[i]["subject"], case.subject, "{}", case.raw);
        assert_eq!(
            text.lines().nth(i),
            Some(case.subject.replace('\t', " ").as_str())
        );
        assert_eq!(messages[i]["to"], json!(case.to), "{}", case.raw);
        assert_eq!(messages[i]["preview"], json!(case.preview), "{}", case.raw);
        let types: Vec<&str> = messages[i]["attachments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["content_type"].as_str().unwrap())
            .collect();
        assert_eq!(types, case.attachments, "{}", case.raw);

        let shown = stdout(&server.run(&["show", "Mime", &uid]));
        let (head, body) = shown.split_once("\n\n").unwrap_or((&shown, ""));
        assert!(
            head.contains(&format!("Subject: {}", case.subject.replace('\t', " "))),
            "{shown}"
        );
        if !case.to.is_empty() {
            assert!(
                head.contains(&format!("To: {}", case.to.join(", "))),
                "{shown}"
            );
        }
        let body = body.split("\nAttachments:").next().unwrap_or("");
        let lines: Vec<&str> = body.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines, case.shown, "{shown}");
        let listed = shown.matches(" bytes)\n").count();
        assert_eq!(listed, case.attachments.len(), "{shown}");
    }
}
