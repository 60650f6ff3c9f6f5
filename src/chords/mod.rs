//! `tool chords`: chord sheets (chords typed over lyrics, or ChordPro) read into a structure,
//! moved to another key without a chord drifting off its syllable, and printed as text,
//! ChordPro, JSON or an HTML page, with guitar chord diagrams.
//!
//! Seven transcriptions from the blog posts this project rebuilds are built in (`songs/`).
//! Everything here is pure apart from [`command`], which reads files and prints.

pub mod arrange;
pub mod cho;
pub mod chord;
pub mod command;
pub mod diagrams;
pub mod import;
pub mod key;
pub mod layout;
pub mod library;
pub mod quality;
pub mod render;
pub mod sheet;
pub mod song;
pub mod spell;
pub mod transpose;
pub mod voicing;
