//! `tool imap export` against a real Dovecot: mbox and Maildir read back by Python's mailbox
//! module, incremental runs, a changed UIDVALIDITY, and the server dying part-way (export keeps
//! what it wrote and resumes; `messages` says how far it got).

use crate::support;
use crate::support::dovecot;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use dovecot::{Dovecot, Options, Proxy, USER, message};
use support::{assert_fails, assert_succeeds, stdout};

fn fill(server: &Dovecot) {
    for n in 1..=5 {
        server.deliver(
            "Incoming",
            &message(n, Some(&format!(" incoming {n}")), "hi"),
            Some("S"),
        );
    }
    let flags = ["S", "FS", "", "RS", "DS"];
    for (n, flags) in (1..).zip(flags) {
        let body = "From the start of a line\n>From quoted already\nend";
        server.deliver(
            "Stable",
            &message(n, Some(&format!(" stable {n}")), body),
            Some(flags),
        );
    }
    for n in 1..=2 {
        server.deliver(
            "Renumbered",
            &message(n, Some(" renumbered"), "x"),
            Some("S"),
        );
    }
}

fn server() -> Option<&'static Dovecot> {
    Dovecot::shared(module_path!(), fill)
}

/// The subjects Python's mailbox module reads from an mbox file or a Maildir.
fn python_subjects(kind: &str, path: &Path) -> Option<Vec<String>> {
    if !support::require(
        "python3",
        "exports are read back with Python's mailbox module",
    ) {
        return None;
    }
    let script = "import mailbox, sys\n\
        box = mailbox.mbox(sys.argv[2]) if sys.argv[1] == 'mbox' else mailbox.Maildir(sys.argv[2])\n\
        keys = sorted(box.keys()) if sys.argv[1] == 'maildir' else box.keys()\n\
        for key in keys:\n    print(box[key]['subject'])\n";
    let out = Command::new("python3")
        .args(["-c", script, kind])
        .arg(path)
        .output()
        .unwrap();
    Some(stdout(&out).lines().map(str::to_string).collect())
}

#[test]
fn an_mbox_export_is_incremental() {
    let Some(server) = server() else { return };
    let dir = server.scratch("mbox");
    let mbox = dir.join("incoming.mbox");
    let path = mbox.to_str().unwrap();
    let export = || stdout(&server.run(&["export", "Incoming", "--mbox", path]));
    let first = export();
    assert!(first.starts_with("Incoming: 5 new messages ("), "{first}");
    assert!(
        first.ends_with(&format!("exported to {path}, 5 in all\n")),
        "{first}"
    );
    let Some(subjects) = python_subjects("mbox", &mbox) else {
        return;
    };
    assert_eq!(
        subjects,
        (1..=5).map(|n| format!("incoming {n}")).collect::<Vec<_>>()
    );
    let again = export();
    assert_eq!(
        again,
        format!("Incoming: 0 new messages (0 bytes) exported to {path}, 5 in all\n")
    );
    let before = std::fs::read(&mbox).unwrap();
    server.deliver("Incoming", &message(6, Some(" incoming 6"), "new"), None);
    let third = export();
    assert!(third.starts_with("Incoming: 1 new messages ("), "{third}");
    let after = std::fs::read(&mbox).unwrap();
    assert!(
        after.starts_with(&before),
        "earlier messages stay as they were"
    );
    let subjects = python_subjects("mbox", &mbox).unwrap();
    assert_eq!(subjects.len(), 6);
    assert_eq!(subjects[5], "incoming 6");
    let state = std::fs::read_to_string(dir.join("incoming.mbox.tool-imap.json")).unwrap();
    let state: serde_json::Value = serde_json::from_str(&state).unwrap();
    assert_eq!(state["last_uid"], 6);
    assert_eq!(state["folder"], "Incoming");
    assert_eq!(state["mbox_bytes"], after.len());
}

#[test]
fn mbox_lines_are_quoted_the_mboxrd_way() {
    let Some(server) = server() else { return };
    let mbox = server.scratch("quoting").join("stable.mbox");
    assert_succeeds(&server.run(&["export", "Stable", "--mbox", mbox.to_str().unwrap()]));
    let text = std::fs::read_to_string(&mbox).unwrap();
    assert_eq!(
        text.matches("\nFrom MAILER-DAEMON ").count() + 1,
        5,
        "{text}"
    );
    assert_eq!(text.matches("\n>From the start of a line\n").count(), 5);
    assert_eq!(text.matches("\n>>From quoted already\n").count(), 5);
    assert!(!text.contains('\r'));
}

#[test]
fn a_maildir_export_keeps_bytes_and_flags() {
    let Some(server) = server() else { return };
    let maildir = server.scratch("maildir").join("stable");
    let path = maildir.to_str().unwrap();
    let out = stdout(&server.run(&["export", "Stable", "--maildir", path]));
    assert!(out.starts_with("Stable: 5 new messages"), "{out}");
    let mut names: Vec<String> = std::fs::read_dir(maildir.join("cur"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort_by_key(|n| {
        n.split('U')
            .nth(1)
            .map(|u| u.split('.').next().unwrap().parse::<u32>().unwrap())
    });
    let flags: Vec<&str> = names
        .iter()
        .map(|n| n.rsplit(":2,").next().unwrap())
        .collect();
    assert_eq!(flags, ["S", "FS", "", "RS", "DS"]);
    let body = "From the start of a line\n>From quoted already\nend";
    let first = std::fs::read(maildir.join("cur").join(&names[0])).unwrap();
    assert_eq!(first, message(1, Some(" stable 1"), body));
    let Some(subjects) = python_subjects("maildir", &maildir) else {
        return;
    };
    assert_eq!(subjects.len(), 5);
    let again = stdout(&server.run(&["export", "Stable", "--maildir", path]));
    assert!(again.starts_with("Stable: 0 new messages"), "{again}");
    // The export state lives inside; another folder is not mixed into the same Maildir.
    assert!(maildir.join("tool-imap-export.json").exists());
    let other = server.run(&["export", "Incoming", "--maildir", path]);
    assert_fails(
        &other,
        &["is an export of 'Stable'", "another file or directory"],
    );
}

#[test]
fn a_new_uidvalidity_is_detected_and_said() {
    let Some(server) = server() else { return };
    let mbox = server.scratch("uidvalidity").join("renumbered.mbox");
    let path = mbox.to_str().unwrap();
    assert_succeeds(&server.run(&["export", "Renumbered", "--mbox", path]));
    let before = std::fs::read(&mbox).unwrap();
    server.doveadm(&[
        "mailbox",
        "update",
        "-u",
        USER,
        "--uid-validity",
        "12345",
        "Renumbered",
    ]);
    let out = server.run(&["export", "Renumbered", "--mbox", path]);
    assert_fails(
        &out,
        &[
            "has a new UIDVALIDITY (12345, was ",
            "export into a new file",
            "left as it was",
        ],
    );
    assert_eq!(std::fs::read(&mbox).unwrap(), before);
}

/// A server of its own with a folder of `count` messages of about 2 kB each.
fn big_folder(count: u32) -> Option<(Dovecot, usize)> {
    let server = Dovecot::start(Options::default())?;
    let body = "0123456789abcdef ".repeat(110);
    for n in 1..=count {
        server.deliver(
            "Big",
            &message(n, Some(&format!(" big {n}")), &body),
            Some("S"),
        );
    }
    let size = message(1, Some(" big 1"), &body).len();
    Some((server, size))
}

/// Runs `command` while the proxy cuts its connection and the server is stopped: the server
/// dies in the middle of the second batch of 256 messages.
fn run_while_the_server_dies(server: &Dovecot, proxy: &Proxy, mut command: Command) -> Output {
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let child = command.spawn().unwrap();
    // Read its output meanwhile, so that a full pipe cannot hold it up.
    let waiter = std::thread::spawn(move || child.wait_with_output().unwrap());
    proxy.wait_tripped();
    server.stop();
    proxy.release();
    waiter.join().unwrap()
}

#[test]
fn the_server_dying_mid_export_keeps_what_was_written_and_resumes() {
    let Some((server, size)) = big_folder(600) else {
        return;
    };
    // Past the first batch (256 messages), well before the end of the second.
    let proxy = Proxy::start(server.imap_port, Some(400 * size));
    let port = proxy.port.to_string();
    let mbox = server.scratch("dying").join("big.mbox");
    let path = mbox.to_str().unwrap();
    let command = server.tool_with(
        &["export", "Big", "--mbox", path],
        "starttls",
        &[("--port", &port)],
    );
    let out = run_while_the_server_dies(&server, &proxy, command);
    let n = stopped_after(&out);
    // Each message is written as it streams in: all that came whole before the cut.
    assert!((300..400).contains(&n), "{n}");
    let message = assert_fails(
        &out,
        &[
            &format!("stopped after {n} of 600 messages of 'Big' (the last had UID {n})"),
            "the server closed the connection",
            &format!("the {n} new messages before that are kept in {path}"),
            "run the same command again",
        ],
    );
    assert!(!message.contains("panicked"));
    let Some(kept) = python_subjects("mbox", &mbox) else {
        return;
    };
    assert_eq!(kept.len(), n);
    server.restart();
    let resumed = stdout(&server.run(&["export", "Big", "--mbox", path]));
    assert!(
        resumed.starts_with(&format!("Big: {} new messages", 600 - n)),
        "{resumed}"
    );
    assert!(resumed.ends_with(", 600 in all\n"), "{resumed}");
    let all = python_subjects("mbox", &mbox).unwrap();
    assert_eq!(
        all,
        (1..=600).map(|n| format!("big {n}")).collect::<Vec<_>>()
    );
}

#[test]
fn the_server_dying_mid_iteration_says_how_far_it_got() {
    let Some((server, size)) = big_folder(600) else {
        return;
    };
    let proxy = Proxy::start(server.imap_port, Some(400 * size));
    let port = proxy.port.to_string();
    let command = server.tool_with(
        &["messages", "Big", "--json"],
        "starttls",
        &[("--port", &port)],
    );
    let out = run_while_the_server_dies(&server, &proxy, command);
    assert_eq!(out.status.code(), Some(1));
    let n = stopped_after(&out);
    // One FETCH for the folder, each message printed as it came.
    assert!((300..400).contains(&n), "{n}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with(&format!(
            "error: stopped after {n} of 600 messages of 'Big' (the last had UID {n}): 127.0.0.1:"
        )),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    // Everything before the failure was printed, whole.
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), n);
    assert_eq!(lines[n - 1]["subject"], format!("big {n}"));
}

/// N of the error line "stopped after N of ...".
fn stopped_after(out: &std::process::Output) -> usize {
    let stderr = String::from_utf8_lossy(&out.stderr);
    stderr
        .split("stopped after ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in: {stderr}"))
}

/// Rewrites an mbox the way a mail reader marks everything read: Python's mailbox module adds
/// `Status: RO` to each message and writes the file anew.
fn mark_read_with_python(mbox: &Path) {
    let script = "import mailbox, sys\n\
        box = mailbox.mbox(sys.argv[1])\n\
        box.lock()\n\
        for key in box.keys():\n    m = box[key]\n    m.set_flags('RO')\n    box[key] = m\n\
        box.flush()\n\
        box.unlock()\n";
    support::assert_ran(
        Command::new("python3")
            .args(["-c", script])
            .arg(mbox)
            .output()
            .unwrap(),
        "python3 mailbox",
    );
}

#[test]
fn a_hand_appended_message_and_a_readers_edits_survive_the_next_export() {
    let Some(server) = Dovecot::start(Options::default()) else {
        return;
    };
    for n in 1..=3 {
        server.deliver(
            "Edited",
            &message(n, Some(&format!(" edited {n}")), "hi"),
            None,
        );
    }
    let mbox = server.scratch("edited").join("edited.mbox");
    let path = mbox.to_str().unwrap();
    let export = || stdout(&server.run(&["export", "Edited", "--mbox", path]));
    let first = export();
    assert!(first.starts_with("Edited: 3 new messages"), "{first}");
    // Someone keeps a note in the same file, without the blank line mboxrd ends a message with.
    let by_hand = "From me@example.org Mon Mar  4 10:00:00 2024\nSubject: kept by hand\n\nmine\n";
    let mut text = std::fs::read_to_string(&mbox).unwrap();
    text.push_str(by_hand);
    std::fs::write(&mbox, &text).unwrap();
    server.deliver("Edited", &message(4, Some(" edited 4"), "new"), None);
    let out = server.run(&["export", "Edited", "--mbox", path]);
    let said = stdout(&out);
    assert!(said.starts_with("Edited: 1 new messages"), "{said}");
    let warning = String::from_utf8_lossy(&out.stderr);
    assert!(
        warning.starts_with("warning: ") && warning.contains(path),
        "{warning}"
    );
    assert!(
        std::fs::read_to_string(&mbox).unwrap().starts_with(&text),
        "the hand-written message stays where it was"
    );
    let Some(subjects) = python_subjects("mbox", &mbox) else {
        return;
    };
    assert_eq!(
        subjects,
        [
            "edited 1",
            "edited 2",
            "edited 3",
            "kept by hand",
            "edited 4"
        ]
    );

    // A mail reader rewrites the file with Status headers; the next export keeps them.
    mark_read_with_python(&mbox);
    let marked = std::fs::read_to_string(&mbox).unwrap();
    assert_eq!(marked.matches("\nStatus: RO\n").count(), 5, "{marked}");
    server.deliver("Edited", &message(5, Some(" edited 5"), "newer"), None);
    assert!(export().starts_with("Edited: 1 new messages"));
    let after = std::fs::read_to_string(&mbox).unwrap();
    assert!(
        after.starts_with(&marked),
        "the reader's edits stay as they were"
    );
    assert_eq!(
        python_subjects("mbox", &mbox).unwrap(),
        [
            "edited 1",
            "edited 2",
            "edited 3",
            "kept by hand",
            "edited 4",
            "edited 5"
        ]
    );
    // And with nothing new, nothing is written at all.
    assert!(export().starts_with("Edited: 0 new messages"));
    assert_eq!(std::fs::read_to_string(&mbox).unwrap(), after);
}

#[test]
fn a_shortened_mbox_is_refused_and_left_as_it_is() {
    let Some(server) = server() else { return };
    let mbox = server.scratch("shortened").join("incoming.mbox");
    let path = mbox.to_str().unwrap();
    assert_succeeds(&server.run(&["export", "Incoming", "--mbox", path]));
    let text = std::fs::read_to_string(&mbox).unwrap();
    // A reader deleted the last message.
    let cut = text.rfind("\nFrom MAILER-DAEMON").unwrap() + 1;
    std::fs::write(&mbox, &text[..cut]).unwrap();
    let out = server.run(&["export", "Incoming", "--mbox", path]);
    assert_fails(
        &out,
        &[
            &format!(
                "{path} is shorter ({cut} bytes) than the last export left it ({} bytes)",
                text.len()
            ),
            "move it aside",
        ],
    );
    assert_eq!(std::fs::read_to_string(&mbox).unwrap(), &text[..cut]);
}

#[test]
fn help_says_the_mbox_is_mboxrd_and_how_to_read_it() {
    let out = support::tool()
        .args(["imap", "export", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(assert_succeeds(&out)).unwrap();
    for needle in ["mboxrd", "mutt -f FILE", "mailbox.mbox(FILE)", "exit 130"] {
        assert!(help.contains(needle), "{needle} not in: {help}");
    }
}

/// Rewinds an mbox export's state to just after its `keep`th message, as a run killed after
/// writing the rest but before recording them leaves it. Returns the offset it rewound to.
fn rewind_state(mbox: &Path, keep: usize) -> u64 {
    let text = std::fs::read(mbox).unwrap();
    let starts: Vec<usize> = (0..text.len())
        .filter(|&i| {
            text[i..].starts_with(b"From MAILER-DAEMON ") && (i == 0 || text[i - 1] == b'\n')
        })
        .collect();
    let at = starts[keep];
    let state_path = format!("{}.tool-imap.json", mbox.display());
    let mut state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state_path).unwrap()).unwrap();
    let tail = &text[at.saturating_sub(4096)..at];
    state["last_uid"] = keep.into();
    state["messages"] = keep.into();
    state["mbox_bytes"] = at.into();
    state["mbox_tail"] = serde_json::json!({"bytes": tail.len(), "crc32": crc32fast::hash(tail)});
    state["unfinished"] = true.into();
    std::fs::write(&state_path, state.to_string()).unwrap();
    at as u64
}

#[test]
fn what_an_interrupted_run_wrote_is_recognised_and_anything_else_refused() {
    let Some(server) = server() else { return };
    let mbox = server.scratch("rewound").join("incoming.mbox");
    let path = mbox.to_str().unwrap();
    assert_succeeds(&server.run(&["export", "Incoming", "--mbox", path]));
    let whole = std::fs::read(&mbox).unwrap();
    let count = python_subjects("mbox", &mbox).map_or(0, |s| s.len());

    // Its own messages 3 onward, and half of the last: passed over and finished, not repeated.
    rewind_state(&mbox, 2);
    std::fs::write(&mbox, &whole[..whole.len() - 40]).unwrap();
    let out = stdout(&server.run(&["export", "Incoming", "--mbox", path]));
    assert!(
        out.contains(&format!(" exported to {path}, {count} in all")),
        "{out}"
    );
    assert_eq!(std::fs::read(&mbox).unwrap(), whole);

    // The same, but a byte of message 4 is not what the server holds: nothing is touched.
    let at = rewind_state(&mbox, 2);
    let mut changed = whole.clone();
    let fourth = whole.len() - 200;
    changed[fourth] ^= 1;
    std::fs::write(&mbox, &changed).unwrap();
    let out = server.run(&["export", "Incoming", "--mbox", path]);
    let message = assert_fails(
        &out,
        &[
            "changed after an export into it was interrupted",
            &format!("what follows byte {at} is not what that export was writing there"),
            &format!("(truncate -s {at} {path})"),
        ],
    );
    assert!(!message.contains("panicked"));
    assert_eq!(std::fs::read(&mbox).unwrap(), changed);
    // Cut where it says, the export writes the rest again.
    std::fs::write(&mbox, &changed[..at as usize]).unwrap();
    assert_succeeds(&server.run(&["export", "Incoming", "--mbox", path]));
    assert_eq!(std::fs::read(&mbox).unwrap(), whole);
}
