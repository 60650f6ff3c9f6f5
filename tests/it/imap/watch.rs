//! `tool imap watch` against a real Dovecot: messages delivered while it watches appear once,
//! with IDLE and with NOOP polling; a server restarted under it loses and repeats nothing; a
//! state file resumes; --exec runs once per message and survives a failing command; SIGTERM
//! ends it with 0; a renumbered folder (new UIDVALIDITY) is reported.

use crate::support;
use crate::support::dovecot;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use dovecot::{Dovecot, Proxy, message};
use serde_json::Value;
use support::assert_fails;

/// How long a test waits for something that should come at once; a bound, not a measure.
const PATIENCE: Duration = Duration::from_secs(30);

fn shared() -> Option<&'static Dovecot> {
    Dovecot::shared(module_path!(), |_| {})
}

/// A running `tool imap watch`, its output read line by line as it comes.
struct Watch {
    child: Child,
    stdout: Receiver<String>,
    stderr: Receiver<String>,
    /// Everything read from stderr so far, for failure messages.
    seen_stderr: Vec<String>,
}

impl Watch {
    fn start(mut command: Command) -> Watch {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tool runs");
        let stdout = lines(child.stdout.take().unwrap());
        let stderr = lines(child.stderr.take().unwrap());
        Watch {
            child,
            stdout,
            stderr,
            seen_stderr: Vec::new(),
        }
    }

    /// Waits for a line on stderr that contains `needle`, and returns it.
    fn wait_stderr(&mut self, needle: &str) -> String {
        loop {
            match self.stderr.recv_timeout(PATIENCE) {
                Ok(line) => {
                    self.seen_stderr.push(line.clone());
                    if line.contains(needle) {
                        return line;
                    }
                }
                Err(_) => panic!("no {needle:?} on stderr; it said: {:?}", self.seen_stderr),
            }
        }
    }

    /// The next line on stdout.
    fn line(&mut self) -> String {
        match self.stdout.recv_timeout(PATIENCE) {
            Ok(line) => line,
            Err(_) => {
                self.seen_stderr.extend(self.stderr.try_iter());
                panic!("no line on stdout; stderr: {:?}", self.seen_stderr)
            }
        }
    }

    fn json(&mut self) -> Value {
        serde_json::from_str(&self.line()).expect("one JSON object a line")
    }

    /// Sends SIGTERM and returns the exit status and what it printed after what was read.
    fn terminate(self) -> (ExitStatus, Vec<String>, Vec<String>) {
        let pid = self.child.id().to_string();
        assert!(
            Command::new("kill")
                .args(["-TERM", &pid])
                .status()
                .unwrap()
                .success()
        );
        self.finish()
    }

    /// Sends SIGTERM and checks that it ends with 0 and prints nothing more.
    fn ends_cleanly(self) {
        let (status, rest, stderr) = self.terminate();
        assert_eq!(status.code(), Some(0), "{stderr:?}");
        assert!(rest.is_empty(), "printed twice: {rest:?}");
    }

    /// Waits for the end, and returns the exit status and what it printed after what was read.
    fn finish(mut self) -> (ExitStatus, Vec<String>, Vec<String>) {
        let status = self.child.wait().unwrap();
        let rest = self.stdout.iter().collect();
        self.seen_stderr.extend(self.stderr.iter());
        (status, rest, self.seen_stderr)
    }
}

/// Lines from `source` as they are read, from a thread.
fn lines(source: impl std::io::Read + Send + 'static) -> Receiver<String> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(source).lines() {
            let Ok(line) = line else { return };
            if send.send(line).is_err() {
                return;
            }
        }
    });
    receive
}

/// `tool imap watch ARGS` on `server` over STARTTLS, or through `proxy` over plain IMAP so that
/// the proxy sees the commands.
fn watch(server: &Dovecot, proxy: Option<&Proxy>, args: &[&str]) -> Command {
    let mut verb = vec!["watch"];
    verb.extend_from_slice(args);
    match proxy {
        Some(proxy) => server.tool_with(&verb, "plain", &[("--port", &proxy.port.to_string())]),
        None => server.tool(&verb, "starttls"),
    }
}

fn deliver(server: &Dovecot, folder: &str, n: u32) {
    server.deliver(
        folder,
        &message(n, Some(&format!(" watched {n}")), "x"),
        None,
    );
}

/// Checks that the client sent `used` and never `unused`; returns all it sent.
fn waited_with(proxy: &Proxy, used: &str, unused: &str) -> String {
    let sent = String::from_utf8_lossy(&proxy.sent_by_client()).into_owned();
    assert!(sent.contains(&format!(" {used}\r\n")), "{sent}");
    assert!(!sent.contains(&format!(" {unused}\r\n")), "{sent}");
    sent
}

fn uid_and_subject(line: &Value) -> (u64, String) {
    (
        line["uid"].as_u64().unwrap(),
        line["subject"].as_str().unwrap().to_string(),
    )
}

#[test]
fn messages_that_arrive_appear_once_as_they_arrive_with_idle() {
    let Some(server) = shared() else { return };
    server.deliver("Idle", &message(1, Some(" before"), "x"), Some("S"));
    let proxy = Proxy::start(server.imap_port, None);
    let mut watching = Watch::start(watch(server, Some(&proxy), &["Idle", "--json"]));
    watching.wait_stderr("watching 'Idle' after UID 1, with IDLE");
    for n in 2..=4 {
        deliver(server, "Idle", n);
        let line = watching.json();
        assert_eq!(
            uid_and_subject(&line),
            (u64::from(n), format!("watched {n}"))
        );
        assert_eq!(line["from"], format!("Sender {n} <sender{n}@example.org>"));
        assert_eq!(line["date"], format!("2024-03-05T09:{n:02}:00+01:00"));
    }
    watching.ends_cleanly();
    let sent = waited_with(&proxy, "IDLE", "NOOP");
    assert!(sent.contains(" EXAMINE "), "{sent}");
    for change in [" SELECT ", " STORE ", "BODY[", "RFC822 "] {
        assert!(!sent.contains(change), "{change} sent: {sent}");
    }
    // Read-only: the new messages are still unseen.
    for (_, flags) in server.flags("Idle").iter().skip(1) {
        assert!(!flags.contains("\\Seen"), "{flags}");
    }
}

#[test]
fn without_idle_it_asks_with_noop_every_interval() {
    let Some(server) = Dovecot::start(dovecot::Options {
        idle: false,
        ..Default::default()
    }) else {
        return;
    };
    let proxy = Proxy::start(server.imap_port, None);
    let mut watching = Watch::start(watch(&server, Some(&proxy), &["INBOX", "--interval", "1"]));
    watching.wait_stderr("watching 'INBOX' after UID 0, asking every 1 s (the server lacks IDLE)");
    for n in 1..=2 {
        deliver(&server, "INBOX", n);
        let line = watching.line();
        assert!(
            line.starts_with(&format!("     {n}  2024-03-05 09:0{n}  Sender {n}")),
            "{line}"
        );
        assert!(line.ends_with(&format!("watched {n}")), "{line}");
    }
    watching.ends_cleanly();
    waited_with(&proxy, "NOOP", "IDLE");
}

#[test]
fn a_restarted_server_loses_and_repeats_nothing() {
    let Some(server) = Dovecot::start(dovecot::Options::default()) else {
        return;
    };
    let mut watching = Watch::start(watch(
        &server,
        None,
        &["INBOX", "--json", "--since-uid", "0"],
    ));
    watching.wait_stderr("watching 'INBOX' after UID 0");
    let mut n = 0;
    let mut seen = Vec::new();
    for _trial in 0..3 {
        // One seen before the restart, one that may or may not be, two while it is down.
        n += 1;
        deliver(&server, "INBOX", n);
        seen.push(uid_and_subject(&watching.json()));
        n += 1;
        deliver(&server, "INBOX", n);
        server.stop();
        for _ in 0..2 {
            n += 1;
            deliver(&server, "INBOX", n);
        }
        watching.wait_stderr("connecting again in");
        server.restart();
        watching.wait_stderr("watching 'INBOX' after UID");
        while seen.len() < n as usize {
            seen.push(uid_and_subject(&watching.json()));
        }
    }
    let expected: Vec<_> = (1..=u64::from(n))
        .map(|n| (n, format!("watched {n}")))
        .collect();
    assert_eq!(seen, expected);
    // Stopped while it waits to connect again: still 0.
    server.stop();
    watching.wait_stderr("connecting again in");
    watching.ends_cleanly();
}

#[test]
fn a_renumbered_folder_ends_the_watch_with_the_reason() {
    let Some(server) = Dovecot::start(dovecot::Options::default()) else {
        return;
    };
    deliver(&server, "INBOX", 1);
    let mut watching = Watch::start(watch(&server, None, &["INBOX"]));
    let line = watching.wait_stderr("watching 'INBOX' after UID 1");
    assert!(line.contains("with IDLE"), "{line}");
    server.renumber("INBOX", 4242);
    server.stop();
    server.restart();
    let (status, rest, stderr) = watching.finish();
    assert_eq!(status.code(), Some(1), "{stderr:?}");
    assert!(rest.is_empty(), "{rest:?}");
    let last = stderr.last().unwrap();
    assert!(
        last.starts_with("error: the UIDVALIDITY of 'INBOX' changed from "),
        "{last}"
    );
    assert!(last.contains(" to 4242"), "{last}");
}

#[test]
fn exec_runs_once_per_message_and_a_failing_command_does_not_stop_the_watch() {
    let Some(server) = shared() else { return };
    for n in 1..=3 {
        deliver(server, "Exec", n);
    }
    let out = server.scratch("exec").join("received");
    let command = format!(
        "read -r line; printf '%s %s\\n' \"$TOOL_IMAP_FOLDER\" \"$line\" >> '{}'; \
         [ \"$TOOL_IMAP_UID\" != 2 ] || exit 7",
        out.display()
    );
    let mut watching = Watch::start(watch(
        server,
        None,
        &["Exec", "--since-uid", "0", "--exec", &command],
    ));
    watching.wait_stderr("watching 'Exec' after UID 0");
    let failed = watching.wait_stderr("--exec failed");
    assert_eq!(
        failed,
        "warning: --exec failed for the message with UID 2: exit status: 7; the watch goes on"
    );
    deliver(server, "Exec", 4);
    let printed: Vec<String> = (0..4).map(|_| watching.line()).collect();
    for (n, line) in printed.iter().enumerate() {
        assert!(line.ends_with(&format!("watched {}", n + 1)), "{line}");
    }
    watching.ends_cleanly();
    let received = std::fs::read_to_string(&out).unwrap();
    let uids: Vec<u64> = received
        .lines()
        .map(|l| {
            let json = l.strip_prefix("Exec ").expect("the folder, then the JSON");
            serde_json::from_str::<Value>(json).unwrap()["uid"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(uids, [1, 2, 3, 4]);
}

#[test]
fn a_state_file_resumes_where_the_last_run_stopped() {
    let Some(server) = shared() else { return };
    deliver(server, "State", 1);
    let state = server.scratch("state").join("watch.json");
    let state_arg = state.display().to_string();
    let args = ["State", "--json", "--state", &state_arg];
    let mut first = Watch::start(watch(server, None, &args));
    first.wait_stderr("watching 'State' after UID 1");
    for n in 2..=3 {
        deliver(server, "State", n);
        assert_eq!(first.json()["uid"], n);
    }
    first.ends_cleanly();
    let recorded: Value = serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert_eq!(recorded["last_uid"], 3);
    assert_eq!(recorded["folder"], "State");

    // Two arrive while nothing watches; the next run starts with them.
    for n in 4..=5 {
        deliver(server, "State", n);
    }
    let mut second = Watch::start(watch(server, None, &args));
    assert_eq!(second.json()["uid"], 4);
    assert_eq!(second.json()["uid"], 5);
    second.wait_stderr("watching 'State' after UID 3");
    second.ends_cleanly();

    // --since-uid says where to start whatever the state says.
    let mut again = args.to_vec();
    again.extend(["--since-uid", "3"]);
    let mut third = Watch::start(watch(server, None, &again));
    assert_eq!(third.json()["uid"], 4);
    assert_eq!(third.json()["uid"], 5);
    third.ends_cleanly();

    // The folder renumbered between runs: refused, with the reason.
    server.renumber("State", 777);
    let out = watch(server, None, &args).output().unwrap();
    assert_fails(
        &out,
        &["UIDVALIDITY of 'State' changed", "to 777", "--since-uid"],
    );
}

#[test]
fn bad_state_files_and_folders_get_one_line() {
    let Some(server) = shared() else { return };
    let dir = server.scratch("bad-state");
    let damaged = dir.join("damaged.json");
    std::fs::write(&damaged, "{ not json").unwrap();
    let damaged_arg = damaged.display().to_string();
    let out = watch(server, None, &["INBOX", "--state", &damaged_arg])
        .output()
        .unwrap();
    assert_fails(&out, &[&damaged_arg, "damaged", "--since-uid"]);

    let other = dir.join("other.json");
    std::fs::write(
        &other,
        format!(
            "{{\"server\":\"127.0.0.1\",\"user\":\"{}\",\"folder\":\"Elsewhere\",\
             \"uid_validity\":1,\"last_uid\":1}}",
            dovecot::USER
        ),
    )
    .unwrap();
    let other_arg = other.display().to_string();
    let out = watch(server, None, &["INBOX", "--state", &other_arg])
        .output()
        .unwrap();
    assert_fails(&out, &["'Elsewhere'", "state file of its own"]);

    let out = watch(server, None, &["Nowhere"]).output().unwrap();
    assert_fails(&out, &["no folder 'Nowhere'"]);

    let out = watch(server, None, &["INBOX", "--interval", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
