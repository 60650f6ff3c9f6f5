//! `tool twuu`.

mod alphabet;
mod alphabet_4096;
mod cli;
mod codec;
mod original;
mod platforms;
mod split;
