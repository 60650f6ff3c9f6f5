//! `tool chords`: the effects around the library (finding and reading sheets, colour, stdout).

use std::io::{self, Read, Write};
use std::path::Path;

use anyhow::Context;
use serde::Serialize;

use crate::chords::arrange::{Options, arrange, song_key};
use crate::chords::chord::{Chord, Spelling};
use crate::chords::import::{MAX_BYTES, read_song};
use crate::chords::key::Key;
use crate::chords::library;
use crate::chords::render;
use crate::chords::render::chordpro::Dialect;
use crate::chords::song::Song;
use crate::cli::{ChordsArgs, ChordsCommand, ChordsFormat, ChordsListArgs, ChordsShowArgs};
use crate::output::{self, Paint, Stream};
use crate::stream::Input;

/// The title of a sheet read from stdin that names none.
const STDIN_TITLE: &str = "Untitled";

pub fn run(args: ChordsArgs) -> anyhow::Result<()> {
    match args.command {
        ChordsCommand::List(args) => list(&args),
        ChordsCommand::Show(args) => show(&args),
    }
}

#[derive(Serialize)]
struct Listing {
    slug: &'static str,
    title: String,
    source: Option<String>,
    key: Option<Key>,
    chords: Vec<Chord>,
}

fn list(args: &ChordsListArgs) -> anyhow::Result<()> {
    let listings: Vec<Listing> = library::entries()
        .map(|entry| {
            let song = entry.song();
            Listing {
                slug: entry.slug,
                key: song_key(&song),
                chords: song.sheet.distinct_chords(),
                title: song.title,
                source: song.source,
            }
        })
        .collect();
    let out = if args.json {
        let mut json = serde_json::to_string_pretty(&listings)?;
        json.push('\n');
        json
    } else {
        table(&listings)
    };
    print(&out)
}

fn table(listings: &[Listing]) -> String {
    let heading = ["SLUG", "TITLE", "SOURCE", "KEY", "CHORDS"].map(String::from);
    let rows: Vec<[String; 5]> = std::iter::once(heading)
        .chain(listings.iter().map(|l| {
            [
                l.slug.to_string(),
                l.title.clone(),
                l.source.clone().unwrap_or_default(),
                l.key.map(|k| k.to_string()).unwrap_or_else(|| "?".into()),
                l.chords
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(" "),
            ]
        }))
        .collect();
    output::table(&rows)
}

fn show(args: &ChordsShowArgs) -> anyhow::Result<()> {
    let song = load(&args.song)?;
    for unreadable in &song.unreadable {
        output::warn(&format!("{}: {unreadable}", args.song));
    }
    let format = args.format;
    let options = Options {
        transpose: args.transpose,
        capo: args.capo,
        spelling: match (args.sharps, args.flats) {
            (true, _) => Some(Spelling::Sharps),
            (_, true) => Some(Spelling::Flats),
            _ => None,
        },
        diagrams: args.diagrams || format == ChordsFormat::Html,
    };
    let rendition = arrange(&song, &options);
    let out = match format {
        ChordsFormat::Text => render::text::render(&rendition, Paint::for_stream(Stream::Stdout)),
        ChordsFormat::Chordpro => render::chordpro::render(&rendition, Dialect::Current),
        ChordsFormat::ChordproLegacy => render::chordpro::render(&rendition, Dialect::Legacy),
        ChordsFormat::Json => render::json::render(&rendition)?,
        ChordsFormat::Html => render::html::render(&rendition),
    };
    print(&out)
}

/// Finds SONG: a library slug first, then `-` for stdin or an existing file, then part of a
/// library title; a name that looks like a path but is none gets the error of opening it.
fn load(name: &str) -> anyhow::Result<Song> {
    let path = Path::new(name);
    let found = library::find(name);
    if let Ok(entry) = &found
        && entry.slug.eq_ignore_ascii_case(name.trim())
    {
        return Ok(entry.song());
    }
    if name == "-" || path.exists() {
        return read_file(path);
    }
    match found {
        Ok(entry) => Ok(entry.song()),
        Err(_) if looks_like_a_path(path) => read_file(path),
        Err(e) => Err(e.into()),
    }
}

fn looks_like_a_path(path: &Path) -> bool {
    path.components().count() > 1 || path.extension().is_some()
}

fn read_file(path: &Path) -> anyhow::Result<Song> {
    let input = Input::open(Some(path))?;
    let name = input.name().to_string();
    let mut bytes = Vec::new();
    // One byte past the limit is enough to know it is too large.
    input
        .take(MAX_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {name}"))?;
    let (named, title) = match path.file_stem() {
        Some(stem) if path.as_os_str() != "-" => (Some(path), stem.to_string_lossy().into_owned()),
        _ => (None, STDIN_TITLE.to_string()),
    };
    read_song(&bytes, named, &title).with_context(|| name)
}

fn print(text: &str) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    Ok(out.flush()?)
}
