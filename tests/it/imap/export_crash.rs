//! `tool imap export` interrupted in every way a real run can be: killed with SIGKILL at random
//! moments, stopped with SIGINT, and a message too large to hold in memory. Each against its own
//! real Dovecot; what the export leaves is read back and compared byte for byte.

use crate::support;
use crate::support::dovecot;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use dovecot::{Dovecot, Options, message, with_attachment};
use support::assert_succeeds;

/// Messages in the folder the kill tests export.
const COUNT: u32 = 2000;

/// The body of message `n`: lines an mbox has to quote, and a size that varies.
fn body(n: u32) -> String {
    let mut text = format!("From the start of a line, message {n}\n>From quoted once\n");
    for line in 0..(n % 40) {
        text.push_str(&format!(
            "line {line} of message {n}, some text to make it longer\n"
        ));
    }
    text.push_str(">>From quoted twice\nend");
    text
}

fn original(n: u32) -> Vec<u8> {
    message(n, Some(&format!(" crash {n}")), &body(n))
}

/// A server of its own with `COUNT` messages in folder "Many".
fn many() -> Option<Dovecot> {
    let server = Dovecot::start(Options::default())?;
    for n in 1..=COUNT {
        server.deliver("Many", &original(n), Some("S"));
    }
    Some(server)
}

/// The message-id number of each message (from `Message-ID: <mN@example.org>`).
fn number(raw: &[u8]) -> u32 {
    let text = String::from_utf8_lossy(raw);
    let start = text.find("Message-ID: <m").expect("a Message-ID") + "Message-ID: <m".len();
    let end = start + text[start..].find('@').unwrap();
    text[start..end].parse().unwrap()
}

/// The messages of an mboxrd file: split at `From ` lines, one `>` taken from quoted lines,
/// the blank line that ends each message dropped.
fn read_mboxrd(mbox: &[u8]) -> Vec<Vec<u8>> {
    let mut messages: Vec<Vec<u8>> = Vec::new();
    for line in mbox.split_inclusive(|&b| b == b'\n') {
        if line.starts_with(b"From ") {
            messages.push(Vec::new());
            continue;
        }
        let current = messages
            .last_mut()
            .expect("the file starts with a From line");
        let quoted = line.iter().skip_while(|&&b| b == b'>').take(5).eq(b"From ");
        current.extend_from_slice(if quoted { &line[1..] } else { line });
    }
    for (i, m) in messages.iter_mut().enumerate() {
        assert!(
            m.ends_with(b"\n\n"),
            "message {i} does not end with a blank line"
        );
        m.pop();
    }
    messages
}

/// Asserts that `messages` holds each of 1..=COUNT exactly once, byte for byte as delivered
/// (with LF line ends, as mbox keeps them when `lf` is set).
fn assert_each_once(messages: Vec<Vec<u8>>, lf: bool) {
    let mut seen: BTreeMap<u32, usize> = BTreeMap::new();
    for m in &messages {
        let n = number(m);
        *seen.entry(n).or_default() += 1;
        let mut expected = original(n);
        if lf {
            expected = String::from_utf8(expected)
                .unwrap()
                .replace("\r\n", "\n")
                .into_bytes();
        }
        assert!(
            *m == expected,
            "message {n} differs from what was delivered"
        );
    }
    let twice: Vec<_> = seen.iter().filter(|(_, c)| **c > 1).collect();
    assert!(twice.is_empty(), "more than once: {twice:?}");
    let missing: Vec<u32> = (1..=COUNT).filter(|n| !seen.contains_key(n)).collect();
    assert!(missing.is_empty(), "missing: {missing:?}");
    assert_eq!(messages.len(), COUNT as usize);
}

/// The messages of a Maildir, from cur/ and new/.
fn read_maildir(dir: &Path) -> Vec<Vec<u8>> {
    let mut messages = Vec::new();
    for sub in ["cur", "new"] {
        for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
            messages.push(std::fs::read(entry.unwrap().path()).unwrap());
        }
    }
    messages
}

/// A small xorshift generator: random kill moments without another dependency, and a seed
/// printed so that a failure can be replayed.
struct Random(u64);

impl Random {
    fn new() -> Random {
        let seed = std::env::var("TOOL_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    | 1
            });
        eprintln!("random kill moments from TOOL_TEST_SEED={seed}");
        Random(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

fn export_command(server: &Dovecot, target: &[&str]) -> Command {
    let mut args = vec!["export", "Many"];
    args.extend_from_slice(target);
    let mut command = server.tool(&args, "starttls");
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    command
}

/// Ten exports into `target`, each killed with SIGKILL at a random moment, then one that runs
/// to the end. Returns how many of the killed runs had written something.
fn kill_ten_times_then_finish(server: &Dovecot, target: &[&str], what: &Path) -> usize {
    // How long a whole export takes here, to spread the kills over it.
    let scratch = server.scratch("timing");
    let timing_target = scratch.join("timing");
    let flag = if target[0] == "--mbox" {
        "--mbox"
    } else {
        "--maildir"
    };
    let started = Instant::now();
    let timing = export_command(server, &[flag, timing_target.to_str().unwrap()])
        .spawn()
        .unwrap();
    while size_of(&timing_target) == 0 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_micros(200));
    }
    let startup = started.elapsed();
    assert_succeeds(&timing.wait_with_output().unwrap());
    let whole = started.elapsed();
    eprintln!("{flag}: a whole export takes {whole:?}, {startup:?} of it before the first write");
    let full = size_of(&timing_target);
    let mut random = Random::new();
    let mut grew = 0;
    for trial in 0..10u32 {
        let before = size_of(what);
        let mut child = export_command(server, target).spawn().unwrap();
        // Each trial within its share of what is left, so that most land before the end.
        let share = 10 - trial;
        if trial % 2 == 0 {
            // Any moment: connecting, comparing what an earlier run left, writing, recording.
            let window = startup + (whole - startup) / share;
            std::thread::sleep(Duration::from_micros(
                random.below(window.as_micros() as u64),
            ));
        } else {
            // Somewhere in what is still to write.
            let goal = before + 1 + random.below(full.saturating_sub(before) / u64::from(share));
            let deadline = Instant::now() + whole * 3;
            while size_of(what) < goal && Instant::now() < deadline {
                std::thread::sleep(Duration::from_micros(200));
            }
        }
        child.kill().unwrap();
        let out = child.wait_with_output().unwrap();
        if size_of(what) > before {
            grew += 1;
        }
        // Killed, or (rarely) done before the kill came.
        assert!(
            out.status.code().is_none() || out.status.success(),
            "trial {trial}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let last = export_command(server, target).output().unwrap();
    let text = String::from_utf8(assert_succeeds(&last)).unwrap();
    assert!(text.ends_with(&format!(", {COUNT} in all\n")), "{text}");
    grew
}

/// Bytes in a file, or in a directory's cur/ and new/ files.
fn size_of(path: &Path) -> u64 {
    if path.is_dir() {
        ["cur", "new"]
            .iter()
            .filter_map(|sub| std::fs::read_dir(path.join(sub)).ok())
            .flatten()
            .map(|e| e.unwrap().metadata().unwrap().len())
            .sum()
    } else {
        std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
    }
}

#[test]
fn killed_at_random_moments_an_export_still_ends_with_each_message_once() {
    let Some(server) = many() else { return };
    let dir = server.scratch("kill");
    let mbox = dir.join("many.mbox");
    let grew = kill_ten_times_then_finish(&server, &["--mbox", mbox.to_str().unwrap()], &mbox);
    eprintln!("mbox: {grew} of 10 killed runs had written something");
    assert!(grew > 0, "no kill landed while the export was writing");
    assert_each_once(read_mboxrd(&std::fs::read(&mbox).unwrap()), true);

    let maildir = dir.join("many");
    let grew =
        kill_ten_times_then_finish(&server, &["--maildir", maildir.to_str().unwrap()], &maildir);
    eprintln!("Maildir: {grew} of 10 killed runs had written something");
    assert!(grew > 0, "no kill landed while the export was writing");
    assert_each_once(read_maildir(&maildir), false);
    let leftovers: Vec<_> = std::fs::read_dir(maildir.join("tmp")).unwrap().collect();
    assert!(leftovers.is_empty(), "tmp/ keeps {leftovers:?}");
}

/// Runs an export and sends it `signal` once it has written its first bytes into `watched`.
fn signalled(server: &Dovecot, target: &[&str], watched: &Path, signal: &str) -> Output {
    let child = export_command(server, target).spawn().unwrap();
    let pid = child.id().to_string();
    let deadline = Instant::now() + Duration::from_secs(30);
    while size_of(watched) == 0 {
        assert!(Instant::now() < deadline, "the export never wrote anything");
        std::thread::sleep(Duration::from_millis(2));
    }
    support::assert_ran(
        Command::new("kill").args([signal, &pid]).output().unwrap(),
        "kill",
    );
    child.wait_with_output().unwrap()
}

/// The N of "interrupted after N of M; ...", checked against the rest of the line.
fn interrupted_after(out: &Output) -> u32 {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(out.stdout.is_empty());
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    let rest = stderr
        .strip_prefix("interrupted after ")
        .unwrap_or_else(|| panic!("{stderr}"));
    let (n, rest) = rest.split_once(' ').unwrap();
    assert_eq!(
        rest,
        format!("of {COUNT}; run the same command again to resume\n")
    );
    n.parse().unwrap()
}

/// Exports into `flag` `NAME` on a 1 MB file system of its own (a tmpfs in a mount namespace of
/// its own) until the disk is full, then again with room to spare. Returns both outputs and a
/// copy of what is left on it.
fn on_a_full_disk(
    server: &Dovecot,
    flag: &str,
    name: &str,
) -> (Output, Output, std::path::PathBuf) {
    let disk = server.scratch("disk");
    let copy = server.scratch("copy");
    let target = disk.join(name);
    let command = export_command(server, &[flag, target.to_str().unwrap()]);
    let script = "set -u; disk=$1; copy=$2; shift 2\n\
        mount -t tmpfs -o size=1m tool-test \"$disk\" || exit 99\n\
        \"$@\" >\"$copy/1.out\" 2>\"$copy/1.err\"; echo $? >\"$copy/1.status\"\n\
        mount -o remount,size=64m \"$disk\"\n\
        \"$@\" >\"$copy/2.out\" 2>\"$copy/2.err\"; echo $? >\"$copy/2.status\"\n\
        cp -a \"$disk/.\" \"$copy/\"\n";
    let out = wrapped(
        "unshare",
        &[
            "--mount".as_ref(),
            "sh".as_ref(),
            "-c".as_ref(),
            script.as_ref(),
            "sh".as_ref(),
            disk.as_os_str(),
            copy.as_os_str(),
        ],
        &command,
    )
    .output()
    .unwrap();
    support::assert_ran(out, "unshare and mount");
    let read = |run: &str| {
        let status: i32 = std::fs::read_to_string(copy.join(format!("{run}.status")))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let mut out = Command::new("sh")
            .args(["-c", &format!("exit {status}")])
            .output()
            .unwrap();
        out.stdout = std::fs::read(copy.join(format!("{run}.out"))).unwrap();
        out.stderr = std::fs::read(copy.join(format!("{run}.err"))).unwrap();
        out
    };
    (read("1"), read("2"), copy.join(name))
}

#[test]
fn a_full_disk_stops_the_export_and_a_run_with_room_finishes_it() {
    if !support::require(
        "unshare",
        "the full disk is a tmpfs in a mount namespace (Debian: util-linux)",
    ) {
        return;
    }
    let Some(server) = many() else { return };
    for (flag, name) in [("--mbox", "many.mbox"), ("--maildir", "many")] {
        let (full, roomy, left) = on_a_full_disk(&server, flag, name);
        let message = support::assert_fails(
            &full,
            &[
                "No space left on device",
                "new messages before UID",
                "running the same command again resumes",
            ],
        );
        assert!(!message.contains("panicked"), "{message}");
        let said = String::from_utf8(assert_succeeds(&roomy)).unwrap();
        assert!(said.ends_with(&format!(", {COUNT} in all\n")), "{said}");
        if flag == "--mbox" {
            assert_each_once(read_mboxrd(&std::fs::read(&left).unwrap()), true);
        } else {
            assert_each_once(read_maildir(&left), false);
        }
    }
}

#[test]
fn sigint_and_sigterm_stop_cleanly_and_say_how_to_resume() {
    let Some(server) = many() else { return };
    let dir = server.scratch("sigint");
    let mbox = dir.join("many.mbox");
    let target = ["--mbox", mbox.to_str().unwrap()];
    let done = interrupted_after(&signalled(&server, &target, &mbox, "-INT"));
    assert!(done < COUNT, "{done}");
    // What it reports is what it kept, whole: the file ends with its last message.
    let kept = read_mboxrd(&std::fs::read(&mbox).unwrap());
    assert_eq!(kept.len(), done as usize);
    let out = String::from_utf8(assert_succeeds(
        &export_command(&server, &target).output().unwrap(),
    ))
    .unwrap();
    assert!(
        out.starts_with(&format!("Many: {} new messages", COUNT - done)),
        "{out}"
    );
    assert_each_once(read_mboxrd(&std::fs::read(&mbox).unwrap()), true);

    let maildir = dir.join("many");
    let target = ["--maildir", maildir.to_str().unwrap()];
    let done = interrupted_after(&signalled(&server, &target, &maildir, "-TERM"));
    assert_eq!(read_maildir(&maildir).len(), done as usize);
    assert_succeeds(&export_command(&server, &target).output().unwrap());
    assert_each_once(read_maildir(&maildir), false);
}

/// `program ARGS... COMMAND...`: `command` run under a wrapper, with its environment.
fn wrapped(program: &str, args: &[&std::ffi::OsStr], command: &Command) -> Command {
    let mut outer = Command::new(program);
    outer
        .args(args)
        .arg(command.get_program())
        .args(command.get_args())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => outer.env(key, value),
            None => outer.env_remove(key),
        };
    }
    outer
}

/// Peak resident memory of a command in KiB, by GNU time.
fn peak_kib(command: Command) -> (Output, u64) {
    let report = tempfile_path("time");
    let out = wrapped(
        "/usr/bin/time",
        &[
            "-f".as_ref(),
            "%M".as_ref(),
            "-o".as_ref(),
            report.as_os_str(),
        ],
        &command,
    )
    .output()
    .unwrap();
    let text = std::fs::read_to_string(&report).unwrap();
    let kib = text.lines().last().unwrap().trim().parse().unwrap();
    (out, kib)
}

fn tempfile_path(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("tool-test-{name}-{}", std::process::id()))
}

#[test]
fn a_150_mb_message_is_streamed_to_disk_and_held_once_to_read() {
    if !support::require(
        "time",
        "peak memory is measured with GNU time (Debian: time)",
    ) {
        return;
    }
    let Some(server) = Dovecot::start(Options::default()) else {
        return;
    };
    let huge = with_attachment("huge", "huge.bin", 150 << 20, &mut 0x2545_f491_4f6c_dd1d);
    server.deliver("Huge", &huge, Some("S"));
    let dir = server.scratch("huge");
    let mbox = dir.join("huge.mbox");
    let (out, kib) = peak_kib(server.tool(
        &["export", "Huge", "--mbox", mbox.to_str().unwrap()],
        "starttls",
    ));
    assert_succeeds(&out);
    eprintln!("export --mbox of a 150 MB message: {kib} KiB peak");
    assert!(kib < 64 << 10, "export --mbox peaked at {kib} KiB");
    let lf = String::from_utf8(huge.clone())
        .unwrap()
        .replace("\r\n", "\n")
        .into_bytes();
    assert!(read_mboxrd(&std::fs::read(&mbox).unwrap()) == [lf]);
    std::fs::remove_file(&mbox).unwrap();

    let maildir = dir.join("huge");
    let (out, kib) = peak_kib(server.tool(
        &["export", "Huge", "--maildir", maildir.to_str().unwrap()],
        "starttls",
    ));
    assert_succeeds(&out);
    eprintln!("export --maildir of a 150 MB message: {kib} KiB peak");
    assert!(kib < 64 << 10, "export --maildir peaked at {kib} KiB");
    assert!(read_maildir(&maildir) == [huge.clone()]);
    std::fs::remove_dir_all(&maildir).unwrap();

    // Reading it holds it once (and what parsing it decodes), not copy upon copy.
    let limit = 2 * huge.len() as u64 / 1024;
    let (out, kib) = peak_kib(server.tool(&["messages", "Huge", "--json"], "starttls"));
    let line: serde_json::Value = serde_json::from_slice(&assert_succeeds(&out)).unwrap();
    assert_eq!(line["subject"], "huge");
    eprintln!("messages --json of a 150 MB message: {kib} KiB peak");
    assert!(kib < limit, "messages peaked at {kib} KiB, over {limit}");
    let (out, kib) = peak_kib(server.tool(&["show", "Huge", "1"], "starttls"));
    let text = String::from_utf8(assert_succeeds(&out)).unwrap();
    assert!(text.contains("huge.bin"), "{text}");
    eprintln!("show of a 150 MB message: {kib} KiB peak");
    assert!(kib < limit, "show peaked at {kib} KiB, over {limit}");
}
