//! `tool imap`, against the Dovecot of the harness.

mod cli;
mod export;
mod export_crash;
mod library;
mod oauth;
mod python;
mod rfc;
mod round_trips;
mod search;
mod watch;
