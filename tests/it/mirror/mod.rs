//! `tool mirror`, on the real kernel inside namespaces the tests make.

mod collector;
mod exactly_once;
mod kernel;
mod status;
mod watch;
