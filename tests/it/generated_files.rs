//! The committed completion scripts and man pages must be what the current CLI generates.
//! `scripts/gen-docs` rewrites them (it runs this test with TOOL_BLESS=1).

use crate::support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tool::docs;

const HOW_TO_FIX: &str = "regenerate them with scripts/gen-docs and commit the result";

/// Every generated file, by path relative to the repository root.
fn generated() -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    for shell in docs::SHELLS {
        let path = Path::new("completions").join(docs::completion_file_name(shell));
        files.insert(path, docs::completion_script(shell));
    }
    for (name, roff) in docs::man_pages() {
        files.insert(Path::new("man").join(name), roff);
    }
    files
}

fn committed_in(root: &Path, dir: &str) -> Vec<PathBuf> {
    std::fs::read_dir(root.join(dir))
        .map(|entries| {
            entries
                .map(|e| Path::new(dir).join(e.unwrap().file_name()))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn completions_and_man_pages_match_the_cli() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = generated();
    if std::env::var_os("TOOL_BLESS").is_some() {
        for dir in ["completions", "man"] {
            let _ = std::fs::remove_dir_all(root.join(dir));
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        for (path, content) in &files {
            std::fs::write(root.join(path), content).unwrap();
        }
        return;
    }
    let mut problems = Vec::new();
    for (path, content) in &files {
        match std::fs::read(root.join(path)) {
            Ok(committed) if &committed == content => {}
            Ok(_) => problems.push(format!("{} differs", path.display())),
            Err(_) => problems.push(format!("{} is missing", path.display())),
        }
    }
    for path in committed_in(root, "completions")
        .into_iter()
        .chain(committed_in(root, "man"))
    {
        if !files.contains_key(&path) {
            problems.push(format!("{} is no longer generated", path.display()));
        }
    }
    assert!(
        problems.is_empty(),
        "generated files are out of date with the CLI ({}): {HOW_TO_FIX}",
        problems.join("; ")
    );
}

#[test]
fn every_subcommand_has_a_man_page() {
    let names: Vec<String> = docs::man_pages().into_iter().map(|(n, _)| n).collect();
    for expected in [
        "tool.1",
        "tool-twuu.1",
        "tool-twuu-encode.1",
        "tool-completions.1",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} in {names:?}"
        );
    }
}

#[test]
fn the_completions_command_prints_the_generated_script() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = support::run(&["completions", shell], b"");
        let script = support::assert_succeeds(&out);
        let shell = shell.parse().unwrap();
        assert_eq!(script, docs::completion_script(shell));
        assert!(String::from_utf8(script).unwrap().contains("twuu"));
    }
    let out = support::run(&["completions", "tcsh"], b"");
    assert_eq!(out.status.code(), Some(2));
}
