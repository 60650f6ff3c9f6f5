//! A differential test against a corpus written by others: CPython's email test messages
//! (Debian's libpython3.11-testsuite), loaded into the test Dovecot, read by `tool imap
//! subjects --json` and `messages --json`, and compared with what CPython's `email` package
//! (policy=default) reads from the same files: subject, from, date, message-id and the names
//! of attached files. Where the two disagree, [`KNOWN`] says why `tool` is right, with the RFC
//! section; a disagreement not listed there fails the test, and so does a listed one that went
//! away.

use crate::support;
use crate::support::dovecot;

use std::path::{Path, PathBuf};
use std::process::Command;

use dovecot::Dovecot;
use serde_json::Value;
use support::{assert_ran, assert_succeeds};

const CORPUS: &str = "/usr/lib/python3.11/test/test_email/data";
const FOLDER: &str = "Python";

/// (file, field, why tool's reading is the right one). Python's list of attached files is every
/// named part outside an attached message; tool's is the parts it does not show as text.
const KNOWN: &[(&str, &str, &str)] = &[
    (
        "msg_04.txt",
        "attachments",
        "both text/plain parts say Content-Disposition: inline, which RFC 2183 section 2.1 \
         makes parts shown as the message text; their filename only names them when saved",
    ),
    (
        "msg_44.txt",
        "attachments",
        "without Content-Disposition the first text/plain part of the multipart/mixed is the \
         text shown (RFC 2046 section 5.1.3, RFC 2183 section 2); only the second, after it, is \
         listed as a file",
    ),
    (
        "msg_15.txt",
        "attachments",
        "the inner multipart/alternative reuses the outer boundary, which RFC 2046 section \
         5.1.1 forbids; Python ends the outer multipart at the inner one's close delimiter and \
         drops the image/gif part (Content-Disposition: attachment, name xx.gif) that follows, \
         tool keeps it",
    ),
    (
        "msg_43.txt",
        "from",
        "`MAILER DAEMON <>` holds no addr-spec (RFC 5322 section 3.4: an angle-addr encloses \
         one); <> is SMTP's null reverse-path (RFC 5321 section 4.1.1.2), not a mailbox, so \
         there is no sender to show",
    ),
];

fn corpus() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(CORPUS)
        .expect("the corpus directory")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("msg_") && n.ends_with(".txt"))
        })
        .collect();
    files.sort();
    files
}

fn fill(server: &Dovecot) {
    for file in corpus() {
        server.deliver(FOLDER, &std::fs::read(&file).unwrap(), Some("S"));
    }
}

/// Python's reading of each file, one JSON object each, in the files' order.
fn python(files: &[PathBuf]) -> Vec<Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/support/email_fields.py");
    let out = Command::new("python3")
        .arg(script)
        .args(files)
        .output()
        .expect("python3 runs");
    let out = assert_ran(out, "python3 email_fields.py");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn json_lines(server: &Dovecot, verb: &str) -> Vec<Value> {
    let out = assert_succeeds(&server.run(&[verb, FOLDER, "--json"]));
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn tool_reads_cpythons_test_messages_as_python_does_or_as_the_rfcs_say() {
    if !support::require("python3", "the reference reader is CPython's email package")
        || !support::require_path(
            Path::new(CORPUS),
            "CPython's email test messages, Debian package libpython3.11-testsuite",
        )
    {
        return;
    }
    let Some(server) = Dovecot::shared(module_path!(), fill) else {
        return;
    };
    let files = corpus();
    let reference = python(&files);
    let subjects = json_lines(server, "subjects");
    let messages = json_lines(server, "messages");
    assert_eq!(subjects.len(), files.len());
    assert_eq!(messages.len(), files.len());

    let mut disagreements = Vec::new();
    for (i, file) in files.iter().enumerate() {
        let name = file.file_name().unwrap().to_str().unwrap();
        let names: Vec<Value> = messages[i]["attachments"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| !a["name"].is_null())
            .map(|a| a["name"].clone())
            .collect();
        let ours = [
            ("subject", subjects[i]["subject"].clone()),
            ("from", subjects[i]["from"].clone()),
            ("date", subjects[i]["date"].clone()),
            ("message_id", subjects[i]["message_id"].clone()),
            ("attachments", Value::Array(names)),
        ];
        for (field, value) in ours {
            let theirs = &reference[i][field];
            if value != *theirs {
                disagreements.push((name, field, value, theirs.clone()));
            }
        }
    }
    let unexplained: Vec<String> = disagreements
        .iter()
        .filter(|(file, field, ..)| !KNOWN.iter().any(|(f, k, _)| f == file && k == field))
        .map(|(file, field, ours, theirs)| format!("{file} {field}: tool {ours}, Python {theirs}"))
        .collect();
    assert!(
        unexplained.is_empty(),
        "disagreements with Python not explained in KNOWN:\n{}",
        unexplained.join("\n")
    );
    let gone: Vec<String> = KNOWN
        .iter()
        .filter(|(f, k, _)| {
            !disagreements
                .iter()
                .any(|(file, field, ..)| f == file && k == field)
        })
        .map(|(f, k, _)| format!("{f} {k}"))
        .collect();
    assert!(
        gone.is_empty(),
        "listed in KNOWN but agreeing now: {gone:?}"
    );
}
