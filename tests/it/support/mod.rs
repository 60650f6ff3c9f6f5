//! Shared test harness: running the real binary, and prerequisites that must exist under CI.

pub mod chordii;
pub mod chords;
pub mod dovecot;
pub mod imap_server;
pub mod introspect;
pub mod netns;
pub mod watch;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The `tool` binary built for this test run.
pub fn tool() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tool"))
}

/// Runs `tool ARGS` with `stdin` as its input and NO_COLOR unset.
pub fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = tool()
        .args(args)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the tool binary runs");
    let mut input = child.stdin.take().expect("piped stdin");
    let data = stdin.to_vec();
    // Write from another thread so that a large input cannot deadlock against a full stdout.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().expect("the tool binary finishes");
    writer.join().expect("the stdin writer finishes");
    out
}

/// Runs `tool ARGS` on a terminal (a pseudo-terminal from `script`), with NO_COLOR set to
/// `no_color` or unset and `env` added, and returns what it showed; `None` (said loudly, and
/// a failure under CI) where `script` is missing.
pub fn on_terminal(args: &[&str], env: &[(&str, &str)], no_color: Option<&str>) -> Option<String> {
    if !require(
        "script",
        "colour is tested on a pseudo-terminal (Debian: bsdutils)",
    ) {
        return None;
    }
    let line: Vec<String> = std::iter::once(env!("CARGO_BIN_EXE_tool"))
        .chain(args.iter().copied())
        .map(|a| format!("'{}'", a.replace('\'', "'\\''")))
        .collect();
    let mut script = Command::new("script");
    script
        .args(["-qec", &line.join(" "), "/dev/null"])
        .envs(env.iter().copied())
        .env_remove("NO_COLOR")
        .stdin(Stdio::null());
    if let Some(value) = no_color {
        script.env("NO_COLOR", value);
    }
    let out = script.output().expect("script runs");
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Asserts a clean failure: exit status 1, nothing on stdout, one `error:` line on stderr that
/// contains each of `needles`. Returns the message.
pub fn assert_fails(out: &Output, needles: &[&str]) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "exit status; stderr: {stderr}");
    assert!(
        out.stdout.is_empty(),
        "stdout should be empty, got {} bytes",
        out.stdout.len()
    );
    assert!(stderr.starts_with("error: "), "stderr: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "{needle:?} not in: {stderr}");
    }
    stderr
}

/// Asserts success and returns stdout.
pub fn assert_succeeds(out: &Output) -> Vec<u8> {
    assert!(
        out.status.success(),
        "exit {:?}; stderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout.clone()
}

/// Asserts success and returns stdout as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8(assert_succeeds(out)).expect("UTF-8 output")
}

/// Asserts success and returns stdout's JSON lines, one object each.
pub fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    stdout(out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect()
}

/// Whether `program` can be run. A missing prerequisite fails the test under CI=true; locally it
/// returns false after a loud message, and the caller skips.
pub fn require(program: &str, why: &str) -> bool {
    let found = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|dir| is_executable(&dir.join(program))))
        .unwrap_or(false);
    if !found {
        missing(&format!(
            "{program} is not installed ({why}); run ./scripts/test as root to install what the \
             tests need"
        ));
    }
    found
}

/// Whether `path` exists (`why` says what needs it, and which Debian package has it); a "no" is
/// handled like a missing program.
pub fn require_path(path: &Path, why: &str) -> bool {
    let found = path.exists();
    if !found {
        missing(&format!(
            "{} is not there ({why}); run ./scripts/test as root to install what the tests need",
            path.display()
        ));
    }
    found
}

/// Whether this process runs as root, as tests that start real services or make network
/// namespaces need (`why` says which); a "no" is handled like a missing program.
pub fn require_root(why: &str) -> bool {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let root = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|ids| ids.split_whitespace().nth(1))
        == Some("0");
    if !root {
        missing(&format!("{why}; run ./scripts/test as root"));
    }
    root
}

/// A prerequisite is missing: under CI=true the test fails; locally it says so loudly and the
/// caller skips.
fn missing(message: &str) {
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{message}");
    }
    eprintln!("\n!!!!!!!! SKIPPED: {message} !!!!!!!!\n");
}

/// A fresh empty directory for one test, named after `tag`.
pub fn tempdir(tag: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("tool-{tag}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Asserts that a helper command (`what`) succeeded, showing its output when it did not.
pub fn assert_ran(out: Output, what: &str) -> Output {
    assert!(
        out.status.success(),
        "{what} failed ({:?}): {}{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}
