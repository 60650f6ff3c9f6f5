//! `tool twuu`: the effects around the codec (files, stdout, reports).

use std::io::{self, Read, Write};

use anyhow::Context;

use crate::cli::{
    TwuuArgs, TwuuCommand, TwuuDecodeArgs, TwuuEncodeArgs, TwuuSplitArgs, TwuuStatsArgs,
};
use crate::stream::{HeldOutput, Input};
use crate::twuu::{self, DecodeOptions, EncodeOptions, Error, Opening, Platform, Stats};

/// Output up to this size is held until the command has succeeded, so a failure on a typical
/// message writes nothing; larger output streams, keeping memory bounded.
const HOLD_LIMIT: usize = 8 * 1024 * 1024;

/// How much of a message, after the line breaks before it, is read to see its opening marker.
const PEEK: usize = 4096;

/// A compressed message, or plain input to encode, arriving on a pipe is kept in memory up to
/// this size, so it can be checked whole before anything is written; a longer one is handled in
/// one streaming pass. The help of `encode` and `decode` states this figure.
const PIPE_HOLD: u64 = 16 * 1024 * 1024;

pub fn run(args: TwuuArgs) -> anyhow::Result<()> {
    match args.command {
        TwuuCommand::Encode(args) => encode(&args),
        TwuuCommand::Decode(args) => decode(&args),
        TwuuCommand::Stats(args) => stats(&args),
        TwuuCommand::Split(args) => split(&args),
    }
}

fn encode(args: &TwuuEncodeArgs) -> anyhow::Result<()> {
    let options = args.options();
    let (name, input) = open_for_encoding(args.input.file.as_deref(), options)?;
    let mut out = HeldOutput::new(io::stdout().lock(), HOLD_LIMIT);
    twuu::encode(input, &mut out, options).with_context(|| name)?;
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
    let mut opening = Opening::read(&mut input, PEEK).with_context(|| name.clone())?;
    let mut out = HeldOutput::new(io::stdout().lock(), HOLD_LIMIT);
    let decode = |input: &mut dyn Read, out: &mut dyn Write| {
        twuu::decode(input, out, options).with_context(|| name.clone())
    };
    if twuu::opens_a_post(opening.head()) {
        // Numbered posts come in any order: all of them are read to put them back in order,
        // and the message they make is checked whole before a byte of it is written.
        let mut posts = opening.head().to_vec();
        input
            .read_to_end(&mut posts)
            .with_context(|| name.clone())?;
        let message = twuu::join_posts(&posts, opening.head_line())
            .map_err(Error::from)
            .with_context(|| name.clone())?;
        decode(&mut message.as_bytes(), &mut io::sink())?;
        decode(&mut message.as_bytes(), &mut out)?;
        return Ok(out.commit()?);
    }
    if !(options.zlib || opening.compressed()) {
        // Plain output is never larger than the input: holding it back is enough.
        decode(&mut opening.replay().chain(input), &mut out)?;
        return Ok(out.commit()?);
    }
    // A compressed message can inflate far past what may be held back, and only its end says
    // whether it was whole and under the limit: check it all first, then write.
    if let Some(rewind) = rewind {
        decode(&mut opening.replay().chain(input), &mut io::sink())?;
        decode(&mut rewind.reopen()?, &mut out)?;
        return Ok(out.commit()?);
    }
    if opening
        .hold(&mut input, PIPE_HOLD)
        .with_context(|| name.clone())?
    {
        decode(&mut opening.replay(), &mut io::sink())?;
        decode(&mut opening.replay(), &mut out)?;
    } else {
        decode(&mut opening.replay().chain(input), &mut out)?;
    }
    Ok(out.commit()?)
}

fn stats(args: &TwuuStatsArgs) -> anyhow::Result<()> {
    let (name, input) = open_for_encoding(args.input.file.as_deref(), args.packing.options())?;
    let platforms = match &args.platform {
        Some(one) => std::slice::from_ref(one),
        None => &Platform::ALL[..],
    };
    let stats = twuu::stats(input, args.packing.options(), platforms).with_context(|| name)?;
    let mut out = io::stdout().lock();
    if args.json {
        crate::output::write_json_line(&mut out, &stats)?;
    } else {
        write!(out, "{}", stats_report(&stats))?;
    }
    Ok(out.flush()?)
}

fn split(args: &TwuuSplitArgs) -> anyhow::Result<()> {
    let options = args.options();
    let encoding = EncodeOptions {
        zlib: options.zlib,
        markers: true,
        alphabet: options.alphabet,
    };
    let (name, input) = open_for_encoding(args.input.file.as_deref(), encoding)?;
    let posts = twuu::split(input, options).with_context(|| name)?;
    let end = if args.null { b'\0' } else { b'\n' };
    let mut out = io::BufWriter::new(io::stdout().lock());
    for post in posts {
        out.write_all(post.as_bytes())?;
        out.write_all(&[end])?;
    }
    Ok(out.flush()?)
}

/// Opens the input to encode, with its name. Plain twuuenc cannot carry a trailing NUL, so
/// one is refused before any output: at once for a regular file; for a pipe once up to
/// `PIPE_HOLD` bytes of it are read, so a longer piped input is refused only at its end.
fn open_for_encoding(
    path: Option<&std::path::Path>,
    options: EncodeOptions,
) -> anyhow::Result<(String, Box<dyn Read>)> {
    let mut input = Input::open(path)?;
    let name = input.name().to_string();
    if options.zlib {
        return Ok((name, Box::new(input)));
    }
    match input.last_byte_if_regular_file() {
        Some(0) => Err(Error::TrailingNul).context(name),
        Some(_) => Ok((name, Box::new(input))),
        None => {
            let mut head = Vec::new();
            (&mut input)
                .take(PIPE_HOLD + 1)
                .read_to_end(&mut head)
                .with_context(|| name.clone())?;
            if head.len() as u64 <= PIPE_HOLD && head.last() == Some(&0) {
                return Err(Error::TrailingNul).context(name);
            }
            Ok((name, Box::new(io::Cursor::new(head).chain(input))))
        }
    }
}

fn stats_report(s: &Stats) -> String {
    let packing = match (s.zlib, s.markers) {
        (false, true) => "plain, with markers",
        (false, false) => "plain, no markers",
        (true, true) => "zlib, with markers",
        (true, false) => "zlib, no markers",
    };
    let mut report = format!(
        "bytes in:    {}\n\
         glyphs out:  {} ({packing}, alphabet {})\n\
         {:<9} {:<18} {:>8} {:>6}  fits one post\n",
        s.bytes_in,
        s.glyphs,
        s.alphabet.name(),
        "platform",
        "counts",
        "length",
        "limit"
    );
    for (platform, fit) in &s.platforms {
        let verdict = if fit.fits {
            format!("yes, {} to spare", fit.limit - fit.length)
        } else {
            format!("no, {} over", fit.length - fit.limit)
        };
        report += &format!(
            "{:<9} {:<18} {:>8} {:>6}  {verdict}\n",
            platform.name(),
            platform.unit(),
            fit.length,
            fit.limit
        );
    }
    report
}
