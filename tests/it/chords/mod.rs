//! `tool chords`.

mod chordii;
mod chordpro;
mod cli;
mod grammar;
mod positions;
mod print;
mod props;
mod songs;
mod spelling;
