//! `tool twuu`: the effects around the codec (files, stdout, reports).

use std::io::{self, Read, Write};

use anyhow::Context;

use crate::cli::{TwuuArgs, TwuuCommand, TwuuDecodeArgs, TwuuEncodeArgs, TwuuStatsArgs};
use crate::io::{HeldOutput, Input};
use crate::twuu::{self, DecodeOptions, EncodeOptions, Error, Stats};

/// Output up to this size is held until the command has succeeded, so a failure on a typical
/// message writes nothing; larger output streams, keeping memory bounded.
const HOLD_LIMIT: usize = 8 * 1024 * 1024;

/// How much of a message is read to see its opening marker.
const PEEK: u64 = 4096;

/// A compressed message arriving on a pipe is kept in memory up to this size, so it can be
/// checked whole before anything is written; a longer one is decoded in one streaming pass.
const PIPE_HOLD: u64 = 16 * 1024 * 1024;

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
    let mut input = Input::open(args.input.file.as_deref())?;
    let name = input.name().to_string();
    let options = DecodeOptions {
        zlib: args.zlib,
        max_size: args.max_size,
    };
    let rewind = input.rewind_point();
    let mut prefix = Vec::new();
    (&mut input)
        .take(PEEK)
        .read_to_end(&mut prefix)
        .with_context(|| name.clone())?;
    let mut out = HeldOutput::new(io::stdout().lock(), HOLD_LIMIT);
    let decode = |input: &mut dyn Read, out: &mut dyn Write| {
        twuu::decode(input, out, options).with_context(|| name.clone())
    };
    if !(options.zlib || twuu::opens_compressed(&prefix)) {
        // Plain output is never larger than the input: holding it back is enough.
        decode(&mut prefix.chain(input), &mut out)?;
        return Ok(out.commit()?);
    }
    // A compressed message can inflate far past what may be held back, and only its end says
    // whether it was whole and under the limit: check it all first, then write.
    if let Some(rewind) = rewind {
        decode(&mut prefix.chain(input), &mut io::sink())?;
        decode(&mut rewind.reopen()?, &mut out)?;
        return Ok(out.commit()?);
    }
    let mut message = prefix;
    (&mut input)
        .take(PIPE_HOLD + 1)
        .read_to_end(&mut message)
        .with_context(|| name.clone())?;
    if message.len() as u64 <= PIPE_HOLD {
        decode(&mut &message[..], &mut io::sink())?;
        decode(&mut &message[..], &mut out)?;
    } else {
        decode(&mut message.chain(input), &mut out)?;
    }
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
