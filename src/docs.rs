//! Completion scripts and man pages, generated from the clap definitions in [`crate::cli`].

use clap::CommandFactory;
use clap_complete::{Generator, Shell};

use crate::cli::Cli;

/// The binary's name, as completions and man pages know it.
pub const BIN: &str = "tool";

/// Every shell `tool completions` supports.
pub const SHELLS: [Shell; 5] = [
    Shell::Bash,
    Shell::Zsh,
    Shell::Fish,
    Shell::Elvish,
    Shell::PowerShell,
];

/// The completion script for `shell`.
pub fn completion_script(shell: Shell) -> Vec<u8> {
    crate::cli::define_all();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), BIN, &mut out);
    out
}

/// The conventional file name of `shell`'s script: `tool.bash`, `_tool`, `tool.fish`, ...
pub fn completion_file_name(shell: Shell) -> String {
    shell.file_name(BIN)
}

/// Man pages for `tool` and each of its subcommands, as (file name, roff) pairs.
pub fn man_pages() -> Vec<(String, Vec<u8>)> {
    crate::cli::define_all();
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut pages = Vec::new();
    collect_man_pages(&cmd, &mut pages);
    pages
}

fn collect_man_pages(cmd: &clap::Command, pages: &mut Vec<(String, Vec<u8>)>) {
    let man = clap_mangen::Man::new(cmd.clone())
        .source(format!("{BIN} {}", env!("CARGO_PKG_VERSION")))
        .manual(format!("{BIN} manual"));
    let mut roff = Vec::new();
    man.render(&mut roff)
        .expect("rendering into a Vec cannot fail");
    pages.push((man.get_filename(), roff));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        collect_man_pages(sub, pages);
    }
}
