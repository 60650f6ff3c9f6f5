//! `tool`: a sysadmin's toolbox. Each subcommand is a library module with its pure logic apart
//! from its effects; the binary in `main.rs` only parses the command line and dispatches.

pub mod chords;
pub mod cli;
pub mod docs;
pub mod exit;
pub mod imap;
pub mod interrupt;
pub mod layered;
pub mod mirror;
pub mod output;
pub mod size;
pub mod stream;
pub mod twuu;
