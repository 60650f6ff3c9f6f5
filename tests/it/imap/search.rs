//! `--since`, `--before`, `--from`, `--to`, `--subject`, `--unseen`, `--larger` and `--smaller`:
//! one UID SEARCH on a real Dovecot, checked against what Python's imaplib gets from the same
//! server for the same search keys.

use crate::support;
use crate::support::dovecot;

use std::process::Command;

use dovecot::{Dovecot, PASSWORD, Proxy, USER};
use support::{assert_fails, assert_succeeds};

const FOLDER: &str = "Searched";
const COUNT: u64 = 12;
/// 2024-03-01T12:00:00Z.
const MARCH_1: u64 = 1_709_294_400;

/// Message `n`: from Jürgen when odd, to ops@ every third, a German subject every fourth,
/// read when even, received on March n+1 2024, n * 300 bytes of text.
fn fill(server: &Dovecot) {
    for n in 1..=COUNT {
        let from = if n % 2 == 1 {
            "=?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <jm@example.de>"
        } else {
            "Ann Example <ann@example.org>"
        };
        let to = if n % 3 == 0 {
            "ops@example.org"
        } else {
            "reader@example.org"
        };
        let subject = if n % 4 == 0 {
            "=?utf-8?q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?=".to_string()
        } else {
            format!("report {n}")
        };
        let body = "x".repeat(n as usize * 300);
        let text = format!(
            "From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nDate: Fri, 1 Mar 2024 12:00:00 +0000\r\n\
             Message-ID: <s{n}@example.org>\r\n\r\n{body}\r\n"
        );
        let flags = if n % 2 == 0 { Some("S") } else { None };
        server.deliver_received(FOLDER, text.as_bytes(), flags, Some(MARCH_1 + n * 86_400));
    }
}

fn server() -> Option<&'static Dovecot> {
    Dovecot::shared(module_path!(), fill)
}

/// The UIDs `tool imap subjects --json` lists with `flags`.
fn tool_uids(server: &Dovecot, flags: &[&str]) -> Vec<u32> {
    let mut args = vec!["subjects", FOLDER, "--json"];
    args.extend(flags);
    let out = assert_succeeds(&server.tool(&args, "plain").output().unwrap());
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["uid"].as_u64().unwrap() as u32
        })
        .collect()
}

/// What imaplib's UID SEARCH finds for `keys` (atoms, and texts quoted or, when not ASCII, as
/// the one literal imaplib sends, last, after CHARSET UTF-8).
fn imaplib_uids(server: &Dovecot, keys: &[&str]) -> Option<Vec<u32>> {
    if !support::require("python3", "the search test checks against Python's imaplib") {
        return None;
    }
    let script = r#"
import imaplib, json, sys
port, folder, user, password, keys = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], json.loads(sys.argv[5])
c = imaplib.IMAP4("127.0.0.1", port)
c.login(user, password)
c.select(folder, readonly=True)
args = []
for key in keys:
    if key.isascii():
        args.append(key)
    else:
        args[:0] = ["CHARSET", "UTF-8"]
        c.literal = key.encode()
typ, data = c.uid("SEARCH", *args)
assert typ == "OK", (typ, data)
print(" ".join(data[0].decode().split()))
c.logout()
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(server.imap_port.to_string())
        .arg(FOLDER)
        .arg(USER)
        .arg(PASSWORD)
        .arg(serde_json::to_string(keys).unwrap())
        .output()
        .unwrap();
    let text = String::from_utf8(assert_succeeds(&out)).unwrap();
    let mut uids: Vec<u32> = text
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect();
    uids.sort_unstable();
    Some(uids)
}

#[test]
fn each_filter_finds_what_imaplib_finds() {
    let Some(server) = server() else { return };
    let cases: [(&[&str], &[&str]); 12] = [
        (&["--since", "2024-03-05"], &["SINCE", "5-Mar-2024"]),
        (&["--before", "2024-03-08"], &["BEFORE", "8-Mar-2024"]),
        (&["--from", "ann"], &["FROM", "\"ann\""]),
        (&["--from", "Jürgen"], &["FROM", "Jürgen"]),
        (&["--to", "ops@"], &["TO", "\"ops@\""]),
        (&["--subject", "Köln"], &["SUBJECT", "Köln"]),
        (&["--subject", "report"], &["SUBJECT", "\"report\""]),
        (&["--unseen"], &["UNSEEN"]),
        (&["--larger", "2K"], &["LARGER", "2048"]),
        (&["--smaller", "1500"], &["SMALLER", "1500"]),
        (
            &["--since", "2024-03-03", "--unseen", "--larger", "1K"],
            &["SINCE", "3-Mar-2024", "UNSEEN", "LARGER", "1024"],
        ),
        (
            &[
                "--before",
                "2024-03-14",
                "--to",
                "ops",
                "--subject",
                "Grüße",
            ],
            &["BEFORE", "14-Mar-2024", "TO", "\"ops\"", "SUBJECT", "Grüße"],
        ),
    ];
    for (flags, keys) in cases {
        let ours = tool_uids(server, flags);
        let Some(theirs) = imaplib_uids(server, keys) else {
            return;
        };
        assert_eq!(ours, theirs, "{flags:?}");
        assert!(
            !ours.is_empty() && ours.len() < COUNT as usize,
            "{flags:?}: {ours:?}"
        );
    }
    assert_eq!(
        tool_uids(server, &["--subject", "no such words"]),
        Vec::<u32>::new()
    );
}

#[test]
fn one_search_then_one_fetch_for_messages_and_subjects() {
    let Some(server) = server() else { return };
    let proxy = Proxy::start(server.imap_port, None);
    let port = proxy.port.to_string();
    for verb in ["subjects", "messages"] {
        proxy.reset();
        let out = server
            .tool_with(
                &[verb, FOLDER, "--unseen", "--json"],
                "plain",
                &[("--port", &port)],
            )
            .output()
            .unwrap();
        let lines = String::from_utf8(assert_succeeds(&out)).unwrap();
        assert_eq!(lines.lines().count(), COUNT as usize / 2);
        // Once the client has closed, LOGOUT (sent last, not waited for) has come through.
        proxy.flights();
        let sent = String::from_utf8(proxy.sent_by_client()).unwrap();
        let commands: Vec<&str> = sent.lines().map(|l| l.split_once(' ').unwrap().1).collect();
        assert_eq!(
            commands[..3],
            [
                "LOGIN \"tester\" \"correct \\\"horse\\\" battery\"",
                &format!("EXAMINE \"{FOLDER}\""),
                "UID SEARCH UNSEEN"
            ]
        );
        assert!(
            commands[3].starts_with("UID FETCH 1,3,5,7,9,11 ("),
            "{sent}"
        );
        assert_eq!(commands.len(), 5, "{sent}");
    }
}

#[test]
fn an_export_records_its_filters_and_refuses_others() {
    let Some(server) = server() else { return };
    let mbox = server.scratch("search").join("unseen.mbox");
    let path = mbox.to_str().unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["export", FOLDER, "--mbox", path];
        args.extend(extra);
        server.tool(&args, "starttls").output().unwrap()
    };
    let first =
        String::from_utf8(assert_succeeds(&run(&["--unseen", "--from", "Jürgen"]))).unwrap();
    assert!(first.starts_with("Searched: 6 new messages"), "{first}");
    let again =
        String::from_utf8(assert_succeeds(&run(&["--unseen", "--from", "Jürgen"]))).unwrap();
    assert!(again.starts_with("Searched: 0 new messages"), "{again}");
    let before = std::fs::read(&mbox).unwrap();
    for other in [&[][..], &["--unseen"][..]] {
        assert_fails(
            &run(other),
            &[
                "was exported with --from 'Jürgen' --unseen",
                "run with the same filters",
            ],
        );
    }
    assert_eq!(std::fs::read(&mbox).unwrap(), before);
    let state = std::fs::read_to_string(format!("{path}.tool-imap.json")).unwrap();
    assert!(state.contains("\"unseen\": true"), "{state}");
}

#[test]
fn bad_filters_are_usage_errors_that_say_what_to_give() {
    for (flag, value, needle) in [
        ("--since", "2024-02-30", "Feb has no day 30"),
        ("--before", "03/01/2024", "YYYY-MM-DD"),
        ("--larger", "1.5M", "K, M or G"),
        ("--smaller", "10T", "K, M or G"),
        ("--from", "", "give some text"),
        ("--subject", "a\nb", "line break"),
    ] {
        let out = support::run(
            &[
                "imap", "subjects", "INBOX", "--host", "h", "--user", "u", flag, value,
            ],
            b"",
        );
        assert_eq!(out.status.code(), Some(2), "{flag} {value}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(needle) && stderr.contains(flag), "{stderr}");
        assert!(out.stdout.is_empty());
    }
}
