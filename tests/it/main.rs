//! The integration tests, one crate: one link per build instead of one per file, and one
//! `support` that every module shares. Each subcommand has its module; the tests that need real
//! services (Dovecot, the kernel's nftables in namespaces, chordii, Chromium, node) start them
//! through `support`.

mod chords;
mod debian_package;
mod generated_files;
mod imap;
mod mirror;
mod support;
mod twuu;
