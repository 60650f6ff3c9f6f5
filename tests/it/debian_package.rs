//! The Debian package that `cargo deb` builds from `[package.metadata.deb]` in Cargo.toml: what
//! it holds (`dpkg -c`), that dpkg installs it (into a throwaway root, never the host's own) and
//! the installed `tool --version` runs, and that lintian finds no errors in it.

use crate::support;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where each of the committed files lands, by path in the package.
const EXPECTED: [&str; 9] = [
    "./usr/bin/tool",
    "./usr/share/man/man1/tool.1.gz",
    "./usr/share/man/man1/tool-imap-export.1.gz",
    "./usr/share/bash-completion/completions/tool",
    "./usr/share/zsh/vendor-completions/_tool",
    "./usr/share/fish/vendor_completions.d/tool.fish",
    "./usr/share/doc/tool/copyright",
    "./usr/lib/systemd/system/tool-mirror.service",
    "./usr/share/doc/tool/examples/mirror.toml",
];

/// Builds the package around the binary this test run built, so that the suite does not pay for
/// a second, release build: `cargo deb` as a user runs it builds the same package from a release
/// binary. cargo-deb warns that the dev profile is meant for testing, which this is.
fn build_package(dir: &Path) -> PathBuf {
    let binary = Path::new(env!("CARGO_BIN_EXE_tool"));
    // CARGO_BIN_EXE_tool is <target dir>/debug/tool: cargo-deb finds it from the target dir.
    let target_dir = binary.parent().and_then(Path::parent).unwrap();
    let deb = dir.join("tool.deb");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "deb",
            "--profile",
            "dev",
            "--no-build",
            "--fast",
            "--output",
        ])
        .arg(&deb)
        .env("CARGO_TARGET_DIR", target_dir)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    support::assert_ran(out, "cargo deb");
    deb
}

/// A root with an empty dpkg database apart from the host's list of installed packages, so that
/// dpkg checks the package's Depends against this system while installing nothing outside it.
fn throwaway_root(dir: &Path) -> PathBuf {
    let root = dir.join("root");
    let admin = root.join("var/lib/dpkg");
    for sub in ["info", "updates", "triggers"] {
        std::fs::create_dir_all(admin.join(sub)).unwrap();
    }
    std::fs::copy("/var/lib/dpkg/status", admin.join("status")).unwrap();
    std::fs::write(admin.join("available"), "").unwrap();
    root
}

fn gunzip(path: &Path) -> Vec<u8> {
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_end(&mut text)
        .unwrap();
    text
}

#[test]
fn the_package_installs_into_a_throwaway_root_and_passes_lintian() {
    let why = "builds, installs and checks the Debian package";
    if !(support::require("cargo-deb", why)
        && support::require("dpkg", why)
        && support::require("lintian", why)
        && support::require_root("dpkg installs the package into a throwaway root as root"))
    {
        return;
    }
    let dir = support::tempdir("debian-package");
    let deb = build_package(&dir);

    let listing = support::assert_ran(
        Command::new("dpkg").arg("-c").arg(&deb).output().unwrap(),
        "dpkg -c",
    );
    let listing = String::from_utf8(listing.stdout).unwrap();
    let paths: Vec<&str> = listing
        .lines()
        .filter_map(|line| line.split_whitespace().nth(5))
        .collect();
    for expected in EXPECTED {
        assert!(paths.contains(&expected), "{expected} not in:\n{listing}");
    }
    let man_pages = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("man"))
        .unwrap()
        .count();
    let packaged = paths
        .iter()
        .filter(|p| p.starts_with("./usr/share/man/man1/") && p.ends_with(".1.gz"))
        .count();
    assert_eq!(packaged, man_pages, "every man page, gzipped:\n{listing}");

    let root = throwaway_root(&dir);
    support::assert_ran(
        Command::new("dpkg")
            .arg(format!("--root={}", root.display()))
            .arg(format!("--log={}", dir.join("dpkg.log").display()))
            .arg("--install")
            .arg(&deb)
            .output()
            .unwrap(),
        "dpkg --root --install",
    );
    let version = support::assert_ran(
        Command::new(root.join("usr/bin/tool"))
            .arg("--version")
            .output()
            .unwrap(),
        "the installed tool --version",
    );
    assert_eq!(
        String::from_utf8(version.stdout).unwrap(),
        format!("tool {}\n", env!("CARGO_PKG_VERSION"))
    );
    let committed =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("man/tool.1")).unwrap();
    assert_eq!(
        gunzip(&root.join("usr/share/man/man1/tool.1.gz")),
        committed
    );

    // Errors fail the test; warnings and notes are Debian's advice, shown but not enforced.
    let lint = Command::new("lintian")
        .args(["--allow-root", "--fail-on", "error"])
        .arg(&deb)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&lint.stdout);
    assert!(lint.status.success(), "lintian found errors:\n{report}");
    eprint!("{report}");
    let _ = std::fs::remove_dir_all(&dir);
}
