//! `tool imap` as other tooling calls it, against a real Dovecot: every verb and its --json
//! form, decoding, the connection options in both places, TLS, STARTTLS, passwords, accounts,
//! and what bad input gets. No verb may change a flag.

use crate::support;
use crate::support::dovecot;

use std::process::{Command, Stdio};

use dovecot::{Dovecot, PASSWORD, Proxy, message};
use serde_json::Value;
use support::{assert_fails, assert_succeeds, json_lines, stdout};

/// The INBOX: each message's subject header as sent, the subject as decoded, and its flags
/// (`None`: delivered into new/, unseen).
const SUBJECTS: &[(Option<&str>, Option<&str>, Option<&str>)] = &[
    (
        Some(" Plain ASCII subject"),
        Some("Plain ASCII subject"),
        Some("S"),
    ),
    (
        Some(" =?UTF-8?B?w5xiZXJwcsO8ZnVuZyDinJM=?="),
        Some("Überprüfung ✓"),
        Some(""),
    ),
    (
        Some(" =?ISO-8859-1?Q?Gr=FC=DFe_aus_K=F6ln?="),
        Some("Grüße aus Köln"),
        Some("FS"),
    ),
    (Some(" =?koi8-r?B?8NLJ18XU?="), Some("Привет"), Some("RS")),
    (Some(" =?Shift_JIS?B?g2WDWINn?="), Some("テスト"), Some("S")),
    (
        Some(" =?ISO-2022-JP?B?GyRCJEskWyRzJDQbKEI=?="),
        Some("にほんご"),
        Some(""),
    ),
    (
        Some(" =?windows-1252?Q?=93quoted=94?= =?UTF-8?Q?_and_joined?="),
        Some("“quoted” and joined"),
        Some("S"),
    ),
    (
        Some(" This subject\r\n is folded\r\n\tover three lines"),
        // RFC 5322 unfolding removes the line breaks only.
        Some("This subject is folded\tover three lines"),
        Some("S"),
    ),
    (
        Some(" Raw UTF-8 ünïcödé 日本語"),
        Some("Raw UTF-8 ünïcödé 日本語"),
        Some("S"),
    ),
    (None, None, Some("S")),
    (Some(""), Some(""), Some("S")),
    (Some(" Fresh in new/"), Some("Fresh in new/"), None),
];

/// UIDs of the messages after SUBJECTS, in delivery order.
const UID_ATTACHMENTS: u32 = 13;
const UID_BROKEN: u32 = 14;
const UID_HTML: u32 = 15;
const INBOX_COUNT: usize = 15;

const ATTACHMENTS: &str = "From: Ann <ann@example.org>\r\n\
    To: Bob <bob@example.org>, carol@example.org\r\n\
    Cc: Dan <dan@example.org>\r\n\
    Date: Wed, 06 Mar 2024 10:00:00 +0000\r\n\
    Subject: Quarterly report\r\n\
    Message-ID: <report@example.org>\r\n\
    MIME-Version: 1.0\r\n\
    Content-Type: multipart/mixed; boundary=\"XYZ\"\r\n\
    \r\n\
    --XYZ\r\n\
    Content-Type: text/plain; charset=utf-8\r\n\
    \r\n\
    Hello Bob,\r\n\
    \r\n\
    the report is attached.\x1b[31m\r\n\
    --XYZ\r\n\
    Content-Type: application/pdf; name=\"report.pdf\"\r\n\
    Content-Disposition: attachment; filename=\"report.pdf\"\r\n\
    Content-Transfer-Encoding: base64\r\n\
    \r\n\
    JVBERi0xLjQKJcfsj6IK\r\n\
    --XYZ\r\n\
    Content-Type: image/png\r\n\
    Content-Disposition: attachment; filename=\"=?UTF-8?Q?gr=C3=BCn.png?=\"\r\n\
    Content-Transfer-Encoding: base64\r\n\
    \r\n\
    iVBORw0KGgo=\r\n\
    --XYZ--\r\n";

const BROKEN: &str = "From: broken@example.org\r\n\
    Subject: Broken MIME still listed\r\n\
    MIME-Version: 1.0\r\n\
    Content-Type: multipart/mixed; boundary=\"never-used\"\r\n\
    \r\n\
    --another-boundary\r\n\
    Content-Type: text/plain\r\n\
    Content-Transfer-Encoding: base64\r\n\
    \r\n\
    !!! not base64 @@@\r\n";

const HTML: &str = "From: news@example.org\r\n\
    Subject: HTML only\r\n\
    MIME-Version: 1.0\r\n\
    Content-Type: text/html; charset=utf-8\r\n\
    \r\n\
    <html><body><p>Hello <b>world</b></p></body></html>\r\n";

fn fill(server: &Dovecot) {
    for (n, (header, _, flags)) in SUBJECTS.iter().enumerate() {
        let body = format!("Body of message {}.\nSecond line.", n + 1);
        server.deliver("INBOX", &message(n as u32 + 1, *header, &body), *flags);
    }
    server.deliver("INBOX", ATTACHMENTS.as_bytes(), Some("S"));
    server.deliver("INBOX", BROKEN.as_bytes(), Some(""));
    server.deliver("INBOX", HTML.as_bytes(), Some("S"));
    for n in 1..=3 {
        server.deliver(
            "Archive",
            &message(100 + n, Some(" archived"), "old"),
            Some("S"),
        );
    }
    // "Entwürfe" in modified UTF-7.
    server.deliver(
        "Entw&APw-rfe",
        &message(200, Some(" draft"), "draft"),
        Some("D"),
    );
    server.create_folder("Empty");
    // Names that must be quoted and escaped, and a child whose parent only holds it.
    for (spelt, shown) in NAMED {
        server.deliver(
            spelt,
            &message(300, Some(&format!(" in {shown}")), "x"),
            Some("S"),
        );
    }
}

/// Folder names as IMAP spells them (`.` is Dovecot's hierarchy delimiter here), and as tool
/// shows them; `Parent` is listed \Noselect. Dovecot sends a name with more
/// than four `"` and `\\` as a literal.
const NAMED: [(&str, &str); 6] = [
    ("back\\slash", "back\\slash"),
    ("quo\"te", "quo\"te"),
    ("sp ace", "sp ace"),
    ("Parent.Child", "Parent.Child"),
    ("q\"u\"o\"t\"e\\s\\", "q\"u\"o\"t\"e\\s\\"),
    ("Entw&APw-rfe.K\"ind", "Entwürfe.K\"ind"),
];

fn server() -> Option<&'static Dovecot> {
    Dovecot::shared(module_path!(), fill)
}

#[test]
fn subjects_are_decoded_in_uid_order() {
    let Some(server) = server() else { return };
    let out = stdout(&server.run(&["subjects", "INBOX"]));
    let mut expected: Vec<String> = SUBJECTS
        .iter()
        .map(|(_, s, _)| s.unwrap_or("").replace('\t', " "))
        .collect();
    expected
        .extend(["Quarterly report", "Broken MIME still listed", "HTML only"].map(String::from));
    assert_eq!(out.lines().collect::<Vec<_>>(), expected);
}

#[test]
fn subjects_json_tells_missing_from_empty() {
    let Some(server) = server() else { return };
    let lines = json_lines(&server.run(&["subjects", "INBOX", "--json"]));
    assert_eq!(lines.len(), INBOX_COUNT);
    for (i, (line, (_, subject, _))) in lines.iter().zip(SUBJECTS).enumerate() {
        assert_eq!(line["uid"], i as u64 + 1, "{line}");
        assert_eq!(
            line["subject"],
            subject.map_or(Value::Null, Value::from),
            "{line}"
        );
    }
    let first = &lines[0];
    assert_eq!(first["from"], "Sender 1 <sender1@example.org>");
    assert_eq!(first["date"], "2024-03-05T09:01:00+01:00");
    assert_eq!(first["message_id"], "m1@example.org");
    let keys: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys.len(), 6, "{keys:?}");
    assert_eq!(first["date_raw"], "Tue, 05 Mar 2024 09:01:00 +0100");
    let broken = &lines[UID_BROKEN as usize - 1];
    assert_eq!(broken["subject"], "Broken MIME still listed");
    assert_eq!(broken["date"], Value::Null);
}

#[test]
fn messages_json_is_the_parsed_mail() {
    let Some(server) = server() else { return };
    let lines = json_lines(&server.run(&["messages", "INBOX", "--json"]));
    assert_eq!(lines.len(), INBOX_COUNT);
    let uids: Vec<u64> = lines.iter().map(|l| l["uid"].as_u64().unwrap()).collect();
    assert_eq!(uids, (1..=INBOX_COUNT as u64).collect::<Vec<_>>());
    let first = &lines[0];
    assert_eq!(first["subject"], "Plain ASCII subject");
    assert_eq!(
        first["to"],
        serde_json::json!(["Reader <reader@example.org>"])
    );
    assert_eq!(first["preview"], "Body of message 1. Second line.");
    assert_eq!(
        first["size"],
        message(1, SUBJECTS[0].0, "Body of message 1.\nSecond line.").len()
    );
    let report = &lines[UID_ATTACHMENTS as usize - 1];
    assert_eq!(report["from"], "Ann <ann@example.org>");
    assert_eq!(
        report["to"],
        serde_json::json!(["Bob <bob@example.org>", "carol@example.org"])
    );
    assert_eq!(report["size"], ATTACHMENTS.len());
    assert_eq!(
        report["attachments"],
        serde_json::json!([
            {"name": "report.pdf", "content_type": "application/pdf", "size": 15},
            {"name": "grün.png", "content_type": "image/png", "size": 8},
        ])
    );
    let broken = &lines[UID_BROKEN as usize - 1];
    assert_eq!(broken["subject"], "Broken MIME still listed");
    assert_eq!(lines[UID_HTML as usize - 1]["preview"], "Hello world");
}

#[test]
fn messages_text_is_one_line_each() {
    let Some(server) = server() else { return };
    let out = stdout(&server.run(&["messages", "INBOX"]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), INBOX_COUNT);
    assert_eq!(
        lines[0],
        "     1  2024-03-05 09:01  Sender 1 <sender1@example.org>  Plain ASCII subject"
    );
    assert!(
        lines[UID_ATTACHMENTS as usize - 1].ends_with("Quarterly report  [2 attached]"),
        "{out}"
    );
}

#[test]
fn show_prints_headers_text_and_attachments() {
    let Some(server) = server() else { return };
    let out = stdout(&server.run(&["show", "INBOX", &UID_ATTACHMENTS.to_string()]));
    assert_eq!(
        out,
        "From: Ann <ann@example.org>\n\
         To: Bob <bob@example.org>, carol@example.org\n\
         Cc: Dan <dan@example.org>\n\
         Date: Wed, 06 Mar 2024 10:00:00 +0000\n\
         Subject: Quarterly report\n\
         \n\
         Hello Bob,\n\
         \n\
         the report is attached.\u{FFFD}[31m\n\
         \n\
         Attachments:\n  \
         report.pdf (application/pdf, 15 bytes)\n  \
         grün.png (image/png, 8 bytes)\n"
    );
    let html = stdout(&server.run(&["show", "INBOX", &UID_HTML.to_string()]));
    assert!(
        html.ends_with("Subject: HTML only\n\nHello world\n"),
        "{html}"
    );
}

#[test]
fn show_raw_gives_the_exact_bytes() {
    let Some(server) = server() else { return };
    let out = assert_succeeds(&server.run(&["show", "INBOX", &UID_BROKEN.to_string(), "--raw"]));
    assert_eq!(out, BROKEN.as_bytes());
}

#[test]
fn folders_with_their_counts() {
    let Some(server) = server() else { return };
    let out = stdout(&server.run(&["folders"]));
    let mut lines: Vec<&str> = out.lines().collect();
    lines.sort_unstable();
    let inbox = format!("{INBOX_COUNT:>8}  INBOX");
    let mut expected = vec![
        "       -  Parent",
        "       0  Empty",
        "       1  Entwürfe",
        "       3  Archive",
        &inbox,
    ];
    let named: Vec<String> = NAMED
        .iter()
        .map(|(_, n)| format!("       1  {n}"))
        .collect();
    expected.extend(named.iter().map(String::as_str));
    expected.sort_unstable();
    assert_eq!(lines, expected);
    let mut json = json_lines(&server.run(&["folders", "--json"]));
    json.sort_by_key(|v| v["name"].as_str().unwrap().to_string());
    assert_eq!(
        json[2],
        serde_json::json!({"name": "Entwürfe", "messages": 1})
    );
    assert!(
        json.contains(&serde_json::json!({"name": "Parent", "messages": null})),
        "{json:?}"
    );
    // A folder name outside ASCII is typed as shown.
    assert_eq!(stdout(&server.run(&["subjects", "Entwürfe"])), "draft\n");
    assert_eq!(stdout(&server.run(&["subjects", "Empty", "--json"])), "");
}

#[test]
fn every_listed_name_works_in_every_verb() {
    let Some(server) = server() else { return };
    for (_, name) in NAMED {
        let subject = format!("in {name}");
        assert_eq!(
            stdout(&server.run(&["subjects", name])),
            format!("{subject}\n")
        );
        let lines = json_lines(&server.run(&["messages", name, "--json"]));
        assert_eq!(lines[0]["subject"], subject.as_str(), "{name}");
        let shown = stdout(&server.run(&["show", name, "1"]));
        assert!(shown.contains(&format!("Subject: {subject}\n")), "{shown}");
        let mbox = server.scratch("named").join("out.mbox");
        let out = server.run(&["export", name, "--mbox", mbox.to_str().unwrap()]);
        assert_succeeds(&out);
        assert!(std::fs::read_to_string(&mbox).unwrap().contains(&subject));
    }
}

#[test]
fn unselectable_and_missing_folders_are_told_apart() {
    let Some(server) = server() else { return };
    let out = server.run(&["subjects", "Parent"]);
    assert_fails(
        &out,
        &["'Parent'", "only holds other folders", "\\Noselect"],
    );
    // Dovecot names a missing folder in UTF-8, which is shown as sent.
    let out = server.run(&["messages", "Nöwhere"]);
    assert_fails(
        &out,
        &["has no folder 'Nöwhere'", "Mailbox doesn't exist: Nöwhere"],
    );
}

#[test]
fn no_verb_changes_a_flag() {
    let Some(server) = server() else { return };
    let before = server.flags("INBOX");
    assert_eq!(before.len(), INBOX_COUNT);
    assert!(before.iter().any(|(_, f)| f.is_empty()), "{before:?}");
    let scratch = server.scratch("flags");
    let mbox = scratch.join("inbox.mbox");
    let maildir = scratch.join("inbox.maildir");
    let uid = UID_ATTACHMENTS.to_string();
    let runs: [&[&str]; 9] = [
        &["folders"],
        &["subjects", "INBOX"],
        &["subjects", "INBOX", "--json"],
        &["messages", "INBOX", "--json"],
        &["show", "INBOX", "1"],
        &["show", "INBOX", &uid],
        &["show", "INBOX", "12", "--raw"],
        &["export", "INBOX", "--mbox", mbox.to_str().unwrap()],
        &["export", "INBOX", "--maildir", maildir.to_str().unwrap()],
    ];
    for args in runs {
        assert_succeeds(&server.run(args));
        assert_eq!(server.flags("INBOX"), before, "after {args:?}");
    }
}

#[test]
fn connection_options_go_after_imap_or_after_the_verb() {
    let Some(server) = server() else { return };
    let conn = server.args("starttls");
    let conn: Vec<&str> = conn.iter().map(String::as_str).collect();
    let run = |args: Vec<&str>| {
        support::tool()
            .args(args)
            .env("TOOL_IMAP_PASSWORD", PASSWORD)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let before = run([&["imap"][..], &conn, &["subjects", "Archive"]].concat());
    let after = run([&["imap", "subjects", "Archive"][..], &conn].concat());
    let (a, b) = (conn.split_at(4).0, conn.split_at(4).1);
    let split = run([&["imap"][..], a, &["subjects", "Archive"], b].concat());
    for out in [&before, &after, &split] {
        assert_eq!(stdout(out), "archived\narchived\narchived\n");
    }
}

#[test]
fn tls_with_the_test_ca_and_an_unknown_ca_refused() {
    let Some(server) = server() else { return };
    let ok = server
        .tool(&["subjects", "Archive"], "tls")
        .output()
        .unwrap();
    assert_eq!(stdout(&ok), "archived\narchived\narchived\n");
    let mut unknown = support::tool();
    unknown
        .args([
            "imap",
            "subjects",
            "Archive",
            "--host",
            "127.0.0.1",
            "--user",
            "tester",
        ])
        .args(["--port", &server.imaps_port.to_string()])
        .env("TOOL_IMAP_PASSWORD", PASSWORD);
    let msg = assert_fails(
        &unknown.output().unwrap(),
        &["TLS with 127.0.0.1:", "--ca-file"],
    );
    assert!(msg.contains("certificate"), "{msg}");
    // The certificate names localhost too.
    let by_name = server
        .tool_with(&["subjects", "Archive"], "tls", &[("--host", "localhost")])
        .output()
        .unwrap();
    assert_eq!(stdout(&by_name), "archived\narchived\narchived\n");
}

#[test]
fn a_bad_ca_file_is_named() {
    let Some(server) = server() else { return };
    let scratch = server.scratch("ca");
    let not_pem = scratch.join("not.pem");
    std::fs::write(&not_pem, "hello").unwrap();
    let out = server
        .tool_with(
            &["folders"],
            "tls",
            &[("--ca-file", not_pem.to_str().unwrap())],
        )
        .output()
        .unwrap();
    assert_fails(&out, &["CA file", "not.pem", "PEM"]);
    let missing = scratch.join("missing.pem");
    let out = server
        .tool_with(
            &["folders"],
            "tls",
            &[("--ca-file", missing.to_str().unwrap())],
        )
        .output()
        .unwrap();
    assert_fails(&out, &["CA file", "missing.pem"]);
}

#[test]
fn plain_works_and_warns_that_the_password_travels_in_clear() {
    let Some(server) = server() else { return };
    let out = server
        .tool(&["subjects", "Archive"], "plain")
        .output()
        .unwrap();
    assert_eq!(stdout(&out), "archived\narchived\narchived\n");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("warning: --security plain: the password travels in clear"),
        "{stderr}"
    );
    assert!(
        !stderr.contains('\x1b'),
        "no colour off a terminal: {stderr:?}"
    );
}

#[test]
fn starttls_is_refused_before_login_when_the_server_lacks_it() {
    let Some(bare) = Dovecot::start(dovecot::Options {
        tls: false,
        ..Default::default()
    }) else {
        return;
    };
    let proxy = Proxy::start(bare.imap_port, None);
    let out = support::tool()
        .args(["imap", "folders", "--host", "127.0.0.1", "--user", "tester"])
        .args(["--security", "starttls", "--port", &proxy.port.to_string()])
        .env("TOOL_IMAP_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert_fails(&out, &["does not offer STARTTLS", "nothing was sent"]);
    // The greeting names the capabilities: nothing at all was sent.
    let sent = String::from_utf8_lossy(&proxy.sent_by_client()).into_owned();
    assert_eq!(sent, "");
    // The same server is fine with plain, which is said out loud.
    let plain = bare.tool(&["folders"], "plain").output().unwrap();
    assert_eq!(stdout(&plain), "       0  INBOX\n");
}

#[test]
fn a_wrong_password_is_a_clear_error() {
    let Some(server) = server() else { return };
    let out = server
        .tool(&["folders"], "starttls")
        .env("TOOL_IMAP_PASSWORD", "wrong secret")
        .output()
        .unwrap();
    let msg = assert_fails(
        &out,
        &["refused the login of 'tester'", "TOOL_IMAP_PASSWORD"],
    );
    assert!(!msg.contains("wrong secret"), "{msg}");
    assert!(!msg.contains("panicked"), "{msg}");
}

#[test]
fn passwords_from_a_command() {
    let Some(server) = server() else { return };
    let command = format!("printf '%s\\nnot this line\\n' '{PASSWORD}'");
    let out = server
        .tool(
            &["subjects", "Archive", "--password-command", &command],
            "starttls",
        )
        .env_remove("TOOL_IMAP_PASSWORD")
        .output()
        .unwrap();
    assert_eq!(stdout(&out), "archived\narchived\narchived\n");
    let out = server
        .tool(
            &["folders", "--password-command", "echo leaked; exit 3"],
            "starttls",
        )
        .env_remove("TOOL_IMAP_PASSWORD")
        .output()
        .unwrap();
    let msg = assert_fails(&out, &["password command failed", "exit status: 3"]);
    assert!(!msg.contains("leaked"), "{msg}");
    let out = server
        .tool(&["folders", "--password-command", "true"], "starttls")
        .env_remove("TOOL_IMAP_PASSWORD")
        .output()
        .unwrap();
    assert_fails(&out, &["printed no password"]);
}

#[test]
fn no_password_without_a_terminal_says_where_to_put_one() {
    let Some(server) = server() else { return };
    let out = server
        .tool(&["folders"], "starttls")
        .env_remove("TOOL_IMAP_PASSWORD")
        .output()
        .unwrap();
    assert_fails(
        &out,
        &[
            "no password for tester on 127.0.0.1:",
            "TOOL_IMAP_PASSWORD",
            "--password-command",
        ],
    );
}

#[test]
fn accounts_from_the_config_file_with_flags_on_top() {
    let Some(server) = server() else { return };
    let config_home = server.scratch("xdg");
    std::fs::create_dir_all(config_home.join("tool")).unwrap();
    std::fs::copy(server.ca_file(), config_home.join("tool").join("ca.pem")).unwrap();
    let secret = config_home.join("secret");
    std::fs::write(&secret, format!("{PASSWORD}\n")).unwrap();
    std::fs::write(
        config_home.join("tool").join("config.toml"),
        format!(
            "[chords]\nunrelated = true\n\n[imap.accounts.test]\nhost = \"127.0.0.1\"\n\
             port = {}\nuser = \"tester\"\nsecurity = \"tls\"\nca_file = \"ca.pem\"\n\
             password_command = \"cat '{}'\"\n\n\
             [imap.accounts.broken]\nhots = \"typo\"\n",
            server.imaps_port,
            secret.display()
        ),
    )
    .unwrap();
    let run = |args: &[&str]| {
        support::tool()
            .arg("imap")
            .args(args)
            .env("XDG_CONFIG_HOME", &config_home)
            .env_remove("TOOL_IMAP_PASSWORD")
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let out = run(&["subjects", "Archive", "--account", "test"]);
    assert_eq!(stdout(&out), "archived\narchived\narchived\n");
    // Flags win: the plaintext port with STARTTLS instead of the account's TLS port.
    let port = server.imap_port.to_string();
    let out = run(&[
        "--account",
        "test",
        "folders",
        "--port",
        &port,
        "--security",
        "starttls",
    ]);
    assert!(stdout(&out).contains("INBOX"));
    let config = config_home.join("tool/config.toml").display().to_string();
    let out = run(&["folders", "--account", "nope"]);
    assert_fails(&out, &[&config, "no account 'nope'", "broken, test"]);
    let out = run(&["folders", "--account", "broken"]);
    assert_fails(&out, &[&config, "line 13", "hots"]);
    let elsewhere = server.scratch("no-config");
    let out = support::tool()
        .args(["imap", "folders", "--account", "test"])
        .env("XDG_CONFIG_HOME", &elsewhere)
        .output()
        .unwrap();
    assert_fails(
        &out,
        &["--account test: cannot read", "[imap.accounts.test]"],
    );
}

#[test]
fn bad_input_gets_one_line_and_what_to_do() {
    let Some(server) = server() else { return };
    let out = server.run(&["subjects", "No/Such/Folder"]);
    assert_fails(
        &out,
        &["has no folder 'No/Such/Folder'", "tool imap folders"],
    );
    let out = server.run(&["show", "INBOX", "999"]);
    assert_fails(
        &out,
        &[
            "'INBOX' has no message with UID 999",
            "tool imap subjects INBOX",
        ],
    );
    let out = support::tool()
        .args(["imap", "folders", "--user", "x"])
        .env("TOOL_IMAP_PASSWORD", "x")
        .output()
        .unwrap();
    assert_fails(&out, &["no server given", "--host"]);
    // A port where nothing listens.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let out = support::tool()
        .args(["imap", "folders", "--host", "127.0.0.1", "--user", "x"])
        .args(["--security", "starttls"])
        .args(["--port", &port.to_string()])
        .env("TOOL_IMAP_PASSWORD", "x")
        .output()
        .unwrap();
    assert_fails(
        &out,
        &[&format!("cannot connect to 127.0.0.1:{port}"), "--port"],
    );
    // TLS spoken to the plaintext port.
    let plain_port = server.imap_port.to_string();
    let out = server
        .tool_with(&["folders"], "tls", &[("--port", &plain_port)])
        .output()
        .unwrap();
    assert_fails(&out, &["TLS with 127.0.0.1:"]);
    let usage = support::run(&["imap", "export", "INBOX", "--host", "h"], b"");
    assert_eq!(usage.status.code(), Some(2));
    let usage = support::run(&["imap", "show", "INBOX", "not-a-uid"], b"");
    assert_eq!(usage.status.code(), Some(2));
}

/// `tool imap ARGS` with the server's connection flags, on a terminal.
fn on_terminal(server: &Dovecot, args: &[&str], no_color: bool) -> Option<String> {
    let connection = server.args("starttls");
    let all: Vec<&str> = std::iter::once("imap")
        .chain(args.iter().copied())
        .chain(connection.iter().map(String::as_str))
        .collect();
    support::on_terminal(
        &all,
        &[("TOOL_IMAP_PASSWORD", PASSWORD)],
        no_color.then_some("1"),
    )
}

#[test]
fn colour_only_on_a_terminal_and_never_with_no_color() {
    let Some(server) = server() else { return };
    let piped = stdout(&server.run(&["show", "INBOX", "1"]));
    assert!(!piped.contains('\x1b'), "{piped:?}");
    let Some(shown) = on_terminal(server, &["show", "INBOX", "1"], false) else {
        return;
    };
    assert!(
        shown.contains("\x1b[1mSubject:\x1b[0m Plain ASCII subject"),
        "{shown:?}"
    );
    let Some(plain) = on_terminal(server, &["show", "INBOX", "1"], true) else {
        return;
    };
    assert!(!plain.contains('\x1b'), "{plain:?}");
    assert!(plain.contains("Subject: Plain ASCII subject"), "{plain:?}");
}

#[test]
fn color_always_colours_a_pipe_and_never_or_no_color_do_not() {
    let Some(server) = server() else { return };
    let shown = stdout(&server.run(&["show", "INBOX", "1", "--color", "always"]));
    assert!(
        shown.contains("\x1b[1mSubject:\x1b[0m Plain ASCII subject"),
        "{shown:?}"
    );
    // The warning on stderr follows the same rule.
    let out = server
        .tool(&["subjects", "Archive", "--color", "always"], "plain")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("\x1b[33mwarning:\x1b[0m --security plain"),
        "{stderr:?}"
    );
    let Some(auto) = on_terminal(server, &["show", "INBOX", "1", "--color", "auto"], true) else {
        return;
    };
    assert!(
        !auto.contains('\x1b'),
        "NO_COLOR=1 with --color auto: {auto:?}"
    );
    let Some(never) = on_terminal(server, &["show", "INBOX", "1", "--color", "never"], false)
    else {
        return;
    };
    assert!(!never.contains('\x1b'), "{never:?}");
}

#[test]
fn a_progress_bar_only_on_a_terminal() {
    let Some(server) = server() else { return };
    let dir = server.scratch("progress");
    let piped = dir.join("piped.mbox");
    let out = server.run(&["export", "Archive", "--mbox", piped.to_str().unwrap()]);
    assert_succeeds(&out);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shown = dir.join("shown.mbox");
    let args = ["export", "Archive", "--mbox", shown.to_str().unwrap()];
    let Some(screen) = on_terminal(server, &args, false) else {
        return;
    };
    assert!(screen.contains("/3 messages ["), "{screen:?}");
    assert!(screen.contains("Archive: 3 new messages"), "{screen:?}");
}

/// Types the password at the prompt on a pseudo-terminal, once the terminal stopped echoing.
const TYPE_AT_THE_PROMPT: &str = r#"
import os, pty, sys, termios, time
password = os.environ.pop("TYPED").encode()
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
seen = b""
while b"Password for" not in seen:
    seen += os.read(fd, 1024)
for _ in range(1000):
    if not termios.tcgetattr(fd)[3] & termios.ECHO:
        break
    time.sleep(0.01)
os.write(fd, password + b"\n")
while True:
    try:
        chunk = os.read(fd, 1024)
    except OSError:
        break
    if not chunk:
        break
    seen += chunk
sys.stdout.buffer.write(seen)
sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
"#;

#[test]
fn the_password_prompt_does_not_echo() {
    let Some(server) = server() else { return };
    if !support::require(
        "python3",
        "the prompt is typed at through Python's pty module",
    ) {
        return;
    }
    let mut command = Command::new("python3");
    command
        .args([
            "-c",
            TYPE_AT_THE_PROMPT,
            env!("CARGO_BIN_EXE_tool"),
            "imap",
            "subjects",
        ])
        .arg("Archive")
        .args(server.args("starttls"))
        .env("TYPED", PASSWORD)
        .env_remove("TOOL_IMAP_PASSWORD")
        .stdin(Stdio::null());
    let screen = stdout(&command.output().unwrap());
    assert!(
        screen.starts_with("Password for tester on 127.0.0.1:"),
        "{screen:?}"
    );
    assert!(
        screen.contains("archived\r\narchived\r\narchived"),
        "{screen:?}"
    );
    assert!(
        !screen.contains("horse"),
        "the password was echoed: {screen:?}"
    );
}
