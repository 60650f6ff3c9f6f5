//! `tool twuu`: the effects around the codec (files, stdout, reports).

use std::io::{self, Write};

use anyhow::Context;

use crate::cli::{TwuuArgs, TwuuCommand, TwuuDecodeArgs, TwuuEncodeArgs, TwuuStatsArgs};
use crate::io::{HeldOutput, Input};
use crate::twuu::{self, DecodeOptions, EncodeOptions, Error, Stats};

/// Output up to this size is held until the command has succeeded, so a failure on a typical
/// message writes nothing; larger output streams, keeping memory bounded.
const HOLD_LIMIT: usize = 8 * 1024 * 1024;

pub fn run(args: TwuuArgs) -> anyhow::Result<()> {
    match args.command {
        TwuuCommand::Encode(args) => encode(&args),
        TwuuCommand::Decode(args) => decode(&args),
        TwuuCommand::Stats(args) => stats(&args),
    }
}

fn encode(args: &TwuuEncodeArgs) -> anyhow::Result<()> {
    let input = open_for_encoding(args.input.file.as_deref(), args.packing.options())?;
    let name = input.name().to_string();
    let mut out = HeldOutput::new(io::stdout().lock(), HOLD_LIMIT);
    twuu::encode(input, &mut out, args.packing.options()).with_context(|| name)?;
    out.write_all(b"\n")?;
    Ok(out.commit()?)
}

fn decode(args: &TwuuDecodeArgs) -> anyhow::Result<()> {
    let input = Input::open(args.input.file.as_deref())?;
    let name = input.name().to_string();
    let options = DecodeOptions {
        zlib: args.zlib,
        max_size: args.max_size,
    };
    let mut out = HeldOutput::new(io::stdout().lock(), HOLD_LIMIT);
    twuu::decode(input, &mut out, options).with_context(|| name)?;
    Ok(out.commit()?)
}

fn stats(args: &TwuuStatsArgs) -> anyhow::Result<()> {
    let input = open_for_encoding(args.input.file.as_deref(), args.packing.options())?;
    let name = input.name().to_string();
    let stats = twuu::stats(input, args.packing.options()).with_context(|| name)?;
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &stats)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", stats_report(&stats))?;
    }
    Ok(out.flush()?)
}

/// Opens the input, refusing at once a plain encoding of a file that ends in NUL, before any
/// output; for a pipe the encoder finds out at the end.
fn open_for_encoding(
    path: Option<&std::path::Path>,
    options: EncodeOptions,
) -> anyhow::Result<Input> {
    let input = Input::open(path)?;
    if !options.zlib && input.last_byte_if_regular_file() == Some(0) {
        return Err(Error::TrailingNul).context(input.name().to_string());
    }
    Ok(input)
}

fn stats_report(s: &Stats) -> String {
    let packing = match (s.zlib, s.markers) {
        (false, true) => "plain, with markers",
        (false, false) => "plain, no markers",
        (true, true) => "zlib, with markers",
        (true, false) => "zlib, no markers",
    };
    let verdict = if s.fits {
        format!("yes, {} to spare", s.limit - s.weighted_length)
    } else {
        format!("no, {} over", s.weighted_length - s.limit)
    };
    format!(
        "bytes in:        {}\n\
         glyphs out:      {} ({packing})\n\
         weighted length: {} of {}\n\
         fits one post:   {verdict}\n",
        s.bytes_in, s.glyphs, s.weighted_length, s.limit
    )
}
