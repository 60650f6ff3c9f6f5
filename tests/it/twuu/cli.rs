//! `tool twuu` as other tooling calls it: the exact flags, stdin and files, exit codes, and what
//! bad input gets.

use crate::support;

use std::io::Write;

use support::{assert_fails, assert_succeeds, run};

const GETTYSBURG: &str = "Four score and seven years ago our fathers brought forth on this \
    continent a new nation, conceived in Liberty, and dedicated to the proposition that all men \
    are created equal.";

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).expect("UTF-8 output")
}

#[test]
fn encode_writes_the_glyphs_and_one_newline_with_markers_by_default() {
    let out = text(assert_succeeds(&run(&["twuu", "encode"], b"a")));
    assert_eq!(out, "\u{2639}\u{3E4}\u{2639}\n");
    let out = text(assert_succeeds(&run(
        &["twuu", "encode", "--no-markers"],
        b"a",
    )));
    assert_eq!(out, "\u{3E4}\n");
    // The last of --markers and --no-markers wins.
    let out = text(assert_succeeds(&run(
        &["twuu", "encode", "--no-markers", "--markers"],
        b"a",
    )));
    assert_eq!(out, "\u{2639}\u{3E4}\u{2639}\n");
}

#[test]
fn the_posts_gettysburg_figures_on_the_command_line() {
    let count = |args: &[&str]| {
        let out = text(assert_succeeds(&run(args, GETTYSBURG.as_bytes())));
        out.trim_end_matches('\n').chars().count()
    };
    assert_eq!(count(&["twuu", "encode", "--no-markers"]), 128);
    assert_eq!(count(&["twuu", "encode"]), 130);
    assert_eq!(count(&["twuu", "encode", "--zlib", "--no-markers"]), 93);
    assert_eq!(count(&["twuu", "encode", "--zlib"]), 95);
}

#[test]
fn decode_round_trips_files_stdin_and_dash() {
    let dir = tempdir();
    let encoded = assert_succeeds(&run(&["twuu", "encode", "--zlib"], GETTYSBURG.as_bytes()));
    let path = dir.join("msg.txt");
    std::fs::write(&path, &encoded).unwrap();
    let p = path.to_str().unwrap();
    // ☺ alone says it is compressed: no --zlib needed.
    assert_eq!(
        assert_succeeds(&run(&["twuu", "decode", p], b"")),
        GETTYSBURG.as_bytes()
    );
    assert_eq!(
        assert_succeeds(&run(&["twuu", "decode", "-"], &encoded)),
        GETTYSBURG.as_bytes()
    );
    assert_eq!(
        assert_succeeds(&run(&["twuu", "decode"], &encoded)),
        GETTYSBURG.as_bytes()
    );
    // Without markers, --zlib says it.
    let bare = assert_succeeds(&run(
        &["twuu", "encode", "--zlib", "--no-markers"],
        b"hi\0\0",
    ));
    assert_eq!(
        assert_succeeds(&run(&["twuu", "decode", "--zlib"], &bare)),
        b"hi\0\0"
    );
    let input = dir.join("in.bin");
    std::fs::write(&input, b"x. ").unwrap();
    let enc = assert_succeeds(&run(&["twuu", "encode", input.to_str().unwrap()], b""));
    assert_eq!(assert_succeeds(&run(&["twuu", "decode"], &enc)), b"x. ");
}

#[test]
fn decode_ignores_surrounding_line_breaks_but_not_spaces() {
    let out = assert_succeeds(&run(&["twuu", "decode"], "\r\n\u{1B6} \r\n\n".as_bytes()));
    assert_eq!(out, b". ");
    let out = assert_succeeds(&run(&["twuu", "decode"], "\u{1B6}".as_bytes()));
    assert_eq!(out, b".");
}

#[test]
fn stats_reports_text_and_json() {
    let out = text(assert_succeeds(&run(
        &["twuu", "stats"],
        GETTYSBURG.as_bytes(),
    )));
    assert!(out.contains("bytes in:    175"), "{out}");
    assert!(out.contains("glyphs out:  130"), "{out}");
    for row in [
        "x         weighted, URLs 23       185    280  yes, 95 to spare",
        "mastodon  code points             130    500  yes, 370 to spare",
        "bluesky   graphemes               130    300  yes, 170 to spare",
    ] {
        assert!(out.contains(row), "{row:?} not in {out}");
    }
    let out = assert_succeeds(&run(
        &["twuu", "stats", "--zlib", "--json"],
        GETTYSBURG.as_bytes(),
    ));
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["bytes_in"], 175);
    assert_eq!(v["glyphs"], 95);
    assert_eq!(v["limit"], 280);
    assert_eq!(v["fits"], true);
    let encoded = text(assert_succeeds(&run(
        &["twuu", "encode", "--zlib"],
        GETTYSBURG.as_bytes(),
    )));
    assert_eq!(
        v["weighted_length"],
        tool::twuu::weighted_length(encoded.trim_end())
    );
    assert_eq!(text(out).lines().count(), 1);
    // Too long for one post.
    let long = vec![b'x'; 1000];
    let out = assert_succeeds(&run(&["twuu", "stats", "--json", "--no-markers"], &long));
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["glyphs"], 728);
    assert_eq!(v["fits"], false);
}

#[test]
fn plain_encoding_of_trailing_nuls_is_refused_before_any_output() {
    let msg = assert_fails(&run(&["twuu", "encode"], b"abc\0"), &["<stdin>", "--zlib"]);
    assert!(msg.contains("NUL"), "{msg}");
    let dir = tempdir();
    let path = dir.join("nul.bin");
    std::fs::write(&path, b"abc\0\0").unwrap();
    assert_fails(
        &run(&["twuu", "encode", path.to_str().unwrap()], b""),
        &["nul.bin", "--zlib"],
    );
    assert_fails(
        &run(&["twuu", "stats", path.to_str().unwrap()], b""),
        &["nul.bin"],
    );
    // stdin redirected from a file is checked up front too.
    let file = std::fs::File::open(&path).unwrap();
    let out = support::tool()
        .args(["twuu", "encode"])
        .stdin(file)
        .output()
        .unwrap();
    assert_fails(&out, &["<stdin>", "--zlib"]);
    assert_succeeds(&run(
        &["twuu", "encode", "--zlib", path.to_str().unwrap()],
        b"",
    ));
}

#[test]
fn decode_refuses_characters_outside_the_alphabet_and_says_where() {
    assert_fails(
        &run(&["twuu", "decode"], "\u{3E4}\u{3E4}\u{263B}".as_bytes()),
        &["U+263B", "character 3"],
    );
    assert_fails(
        &run(&["twuu", "decode"], "\u{3E4}\n\u{3E4}".as_bytes()),
        &["line break", "character 2"],
    );
    assert_fails(
        &run(&["twuu", "decode"], "\u{3E4}\t".as_bytes()),
        &["U+0009"],
    );
}

#[test]
fn decode_refuses_invalid_utf8() {
    assert_fails(
        &run(&["twuu", "decode"], b"\xCF\xA4\xFF"),
        &["UTF-8", "byte 2"],
    );
}

#[test]
fn decode_refuses_a_smiley_message_that_is_not_zlib() {
    let plain = assert_succeeds(&run(&["twuu", "encode", "--no-markers"], b"not compressed"));
    let mut fake = "\u{263A}".as_bytes().to_vec();
    fake.extend_from_slice(String::from_utf8(plain).unwrap().trim_end().as_bytes());
    fake.extend_from_slice("\u{263A}".as_bytes());
    assert_fails(&run(&["twuu", "decode"], &fake), &["zlib"]);
}

#[test]
fn decode_refuses_to_inflate_past_the_limit_and_a_flag_raises_it() {
    let bomb = vec![b'z'; 64 * 1024 * 1024 + 1];
    let encoded = assert_succeeds(&run(&["twuu", "encode", "--zlib"], &bomb));
    assert!(encoded.len() < 400_000, "zeros compress well");
    // Nothing is written, though the first 64 MiB inflated fine: from a pipe and from a file.
    assert_fails(
        &run(&["twuu", "decode"], &encoded),
        &["67108864", "--max-size"],
    );
    let dir = tempdir();
    let path = dir.join("bomb.txt");
    std::fs::write(&path, &encoded).unwrap();
    assert_fails(
        &run(&["twuu", "decode", path.to_str().unwrap()], b""),
        &["bomb.txt", "67108864"],
    );
    let file = std::fs::File::open(&path).unwrap();
    let out = support::tool()
        .args(["twuu", "decode"])
        .stdin(file)
        .output()
        .unwrap();
    assert_fails(&out, &["67108864"]);
    let out = assert_succeeds(&run(&["twuu", "decode", "--max-size", "65M"], &encoded));
    assert!(
        out == bomb,
        "the whole message comes back under a raised limit"
    );
    let exact = &bomb[..64 * 1024 * 1024];
    let encoded = assert_succeeds(&run(&["twuu", "encode", "--zlib"], exact));
    assert_eq!(
        assert_succeeds(&run(&["twuu", "decode"], &encoded)).len(),
        exact.len()
    );
}

/// 2 MB that zlib cannot squeeze much, its compressed message, and that message less its last
/// ten glyphs.
fn compressed_message_and_its_cut() -> (Vec<u8>, String, String) {
    let big: Vec<u8> = (0..2_000_000u32)
        .map(|i| (i % 251) as u8 ^ (i >> 13) as u8)
        .collect();
    let encoded = text(assert_succeeds(&run(&["twuu", "encode", "--zlib"], &big)));
    let cut: String = encoded.chars().take(encoded.chars().count() - 10).collect();
    (big, encoded, cut)
}

#[test]
fn a_cut_compressed_message_writes_nothing() {
    let (big, encoded, cut) = compressed_message_and_its_cut();
    assert_fails(&run(&["twuu", "decode"], cut.as_bytes()), &["ends early"]);
    assert_eq!(
        assert_succeeds(&run(&["twuu", "decode"], encoded.as_bytes())),
        big
    );
}

#[test]
fn leading_line_breaks_do_not_hide_the_marker_of_a_compressed_message() {
    let (big, encoded, cut) = compressed_message_and_its_cut();
    // Far more line breaks than any look-ahead window, after a BOM: still checked whole.
    let breaks = "\u{FEFF}".to_string() + &"\r\n".repeat(300_000);
    let message = breaks.clone() + &cut;
    assert_fails(
        &run(&["twuu", "decode"], message.as_bytes()),
        &["ends early"],
    );
    let bomb = vec![b'z'; 64 * 1024 * 1024 + 1];
    let bomb = text(assert_succeeds(&run(&["twuu", "encode", "--zlib"], &bomb)));
    let message = breaks.clone() + &bomb;
    assert_fails(
        &run(&["twuu", "decode"], message.as_bytes()),
        &["--max-size"],
    );
    // The same input whole decodes, and an error's position still counts the breaks.
    let message = breaks.clone() + &encoded;
    assert_eq!(
        assert_succeeds(&run(&["twuu", "decode"], message.as_bytes())),
        big
    );
    let message = breaks + "\u{263A}\u{3E4}~";
    assert_fails(
        &run(&["twuu", "decode"], message.as_bytes()),
        &["character 600004", "byte 600008"],
    );
}

#[test]
fn piped_plain_input_ending_in_nul_writes_no_glyph() {
    let mut input: Vec<u8> = (0..10_000_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8 | 1)
        .collect();
    input.push(0);
    let msg = assert_fails(&run(&["twuu", "encode"], &input), &["<stdin>", "--zlib"]);
    assert!(msg.contains("NUL"), "{msg}");
}

#[test]
fn an_error_names_its_cause_once() {
    let dir = tempdir();
    let msg = assert_fails(
        &run(&["twuu", "encode", dir.to_str().unwrap()], b""),
        &["Is a directory"],
    );
    assert_eq!(msg.matches("Is a directory").count(), 1, "{msg}");
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = support::tool()
        .args(["twuu", "encode"])
        .stdin(std::process::Stdio::null())
        .stdout(full)
        .output()
        .unwrap();
    let msg = assert_fails(&out, &["No space left on device"]);
    assert_eq!(msg.matches("No space left").count(), 1, "{msg}");
}

#[test]
fn a_missing_file_is_named() {
    assert_fails(
        &run(&["twuu", "encode", "/nonexistent/in.txt"], b""),
        &["/nonexistent/in.txt"],
    );
    assert_fails(
        &run(&["twuu", "decode", "/nonexistent/in.txt"], b""),
        &["/nonexistent/in.txt"],
    );
    let dir = tempdir();
    assert_fails(
        &run(&["twuu", "encode", dir.to_str().unwrap()], b""),
        &[dir.to_str().unwrap()],
    );
}

#[test]
fn encode_for_a_platform_picks_its_alphabet_and_decode_follows() {
    let x = text(assert_succeeds(&run(
        &["twuu", "encode", "--for", "x"],
        b"hi",
    )));
    assert!(x.starts_with('\u{2639}'), "{x}");
    for platform in ["mastodon", "bluesky"] {
        let out = assert_succeeds(&run(
            &["twuu", "encode", "--for", platform],
            GETTYSBURG.as_bytes(),
        ));
        let message = text(out.clone());
        assert!(message.starts_with('\u{2616}'), "{message}");
        assert_eq!(message.trim_end().chars().count(), 119);
        assert_eq!(
            assert_succeeds(&run(&["twuu", "decode"], &out)),
            GETTYSBURG.as_bytes()
        );
    }
    let out = assert_succeeds(&run(
        &[
            "twuu",
            "encode",
            "--alphabet",
            "4096",
            "--zlib",
            "--no-markers",
        ],
        GETTYSBURG.as_bytes(),
    ));
    assert_eq!(
        assert_succeeds(&run(&["twuu", "decode", "--zlib"], &out)),
        GETTYSBURG.as_bytes()
    );
    let out = run(
        &["twuu", "encode", "--for", "x", "--alphabet", "4096"],
        b"hi",
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["twuu", "encode", "--bogus"][..],
        &["twuu", "decode", "--max-size", "lots"],
        &["twuu", "encode", "--alphabet", "1024"],
        &["twuu", "stats", "--for", "myspace"],
        &["twuu", "frobnicate"],
        &["nosuchcommand"],
    ] {
        let out = run(args, b"");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let mut child = support::tool()
        .args(["twuu", "encode", "--no-markers"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stdin = child.stdin.take().unwrap();
    let _ = stdin.write_all(&vec![b'x'; 20 * 1024 * 1024]);
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(0));
}

/// A fresh directory under the target dir, removed at the start of each run.
fn tempdir() -> std::path::PathBuf {
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("tool-twuu-cli-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The `error:` line of every subcommand follows the one colour rule (src/output): coloured
/// with --color always even into a pipe, plain with NO_COLOR and --color auto.
#[test]
fn every_subcommand_colours_its_error_line_by_the_one_rule() {
    let failing: [&[&str]; 4] = [
        &["twuu", "decode", "/nonexistent/x"],
        &["mirror", "plan"],
        &["chords", "show", "no-such-song"],
        &["imap", "folders"],
    ];
    for args in failing {
        let stderr = |colour: &str, no_color: Option<&str>| {
            let mut cmd = support::tool();
            cmd.args(args).args(["--color", colour]);
            match no_color {
                Some(v) => cmd.env("NO_COLOR", v),
                None => cmd.env_remove("NO_COLOR"),
            };
            let out = cmd.output().unwrap();
            assert_eq!(out.status.code(), Some(1), "{args:?}");
            String::from_utf8_lossy(&out.stderr).into_owned()
        };
        let coloured = stderr("always", Some("1"));
        assert!(
            coloured.starts_with("\x1b[1;31merror:\x1b[0m "),
            "{args:?}: {coloured:?}"
        );
        let plain = stderr("auto", Some("1"));
        assert!(plain.starts_with("error: "), "{args:?}: {plain:?}");
        assert!(!plain.contains('\x1b'), "{args:?}: {plain:?}");
        assert_eq!(plain.lines().count(), 1, "{args:?}: {plain:?}");
    }
}
