//! The command line, defined once: the binary parses it, and the completion scripts and man pages
//! are generated from it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use clap_complete::Shell;

use crate::io::parse_size;

#[derive(Debug, Parser)]
#[command(
    name = "tool",
    version,
    about = "A sysadmin's toolbox in one binary",
    long_about = "A sysadmin's toolbox in one binary.\n\n\
        Each subcommand is a small, careful rebuild of a script that used to live in a drawer. \
        Errors go to stderr as one line starting with 'error:'; the exit status is 0 on \
        success, 1 on failure and 2 on a usage error.",
    propagate_version = true,
    arg_required_else_help = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// twuuenc, the uuencode of web2.0: pack bytes into 11-bit Unicode glyphs
    #[command(
        long_about = "twuuenc, the uuencode of web2.0: pack bytes into 11-bit Unicode \
        glyphs.\n\n\
        Every 11 bytes become 8 characters from a 2048-glyph alphabet, optionally after zlib \
        compression. A message wrapped in ☹ is plain, one wrapped in ☺ is compressed. Output is \
        byte-compatible with the 2009 tw_uuencode.py, except that it never drops a glyph that \
        still carries data."
    )]
    Twuu(TwuuArgs),

    /// Print a shell completion script to stdout
    #[command(long_about = "Print a shell completion script to stdout.\n\n\
        For example: tool completions bash > ~/.local/share/bash-completion/completions/tool")]
    Completions {
        /// The shell to complete for
        shell: Shell,
    },
}

#[derive(Debug, Args)]
#[command(arg_required_else_help = true)]
pub struct TwuuArgs {
    #[command(subcommand)]
    pub command: TwuuCommand,
}

#[derive(Debug, Subcommand)]
pub enum TwuuCommand {
    /// Encode bytes as glyphs, followed by one newline
    Encode(TwuuEncodeArgs),
    /// Decode glyphs back to the original bytes
    #[command(long_about = "Decode glyphs back to the original bytes.\n\n\
        Line breaks around the message are ignored; spaces are not, since U+0020 is a glyph. \
        Markers are dropped. The message is inflated when it is wrapped in ☺ or --zlib is \
        given.")]
    Decode(TwuuDecodeArgs),
    /// Show the encoded length of the input and whether it fits one post on X
    #[command(
        long_about = "Show the encoded length of the input and whether it fits one post \
        on X.\n\n\
        The weighted length is counted as twitter-text v3 does: code points 0-4351, \
        8192-8205, 8208-8223 and 8242-8247 weigh 1, all others 2; a post holds 280."
    )]
    Stats(TwuuStatsArgs),
}

/// Where the bytes come from.
#[derive(Debug, Args)]
pub struct InputArg {
    /// Input file; stdin when absent or '-'
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
}

/// How the message is packed.
#[derive(Debug, Args)]
pub struct PackingArgs {
    /// Compress with zlib (level 9) before encoding; the marker becomes ☺
    #[arg(long)]
    pub zlib: bool,

    /// Wrap the message in markers (the default)
    #[arg(long, overrides_with = "no_markers")]
    pub markers: bool,

    /// Leave the markers out
    #[arg(long, overrides_with = "markers")]
    pub no_markers: bool,
}

impl PackingArgs {
    pub fn options(&self) -> crate::twuu::EncodeOptions {
        crate::twuu::EncodeOptions {
            zlib: self.zlib,
            markers: !self.no_markers,
        }
    }
}

#[derive(Debug, Args)]
pub struct TwuuEncodeArgs {
    #[command(flatten)]
    pub input: InputArg,
    #[command(flatten)]
    pub packing: PackingArgs,
}

#[derive(Debug, Args)]
pub struct TwuuDecodeArgs {
    #[command(flatten)]
    pub input: InputArg,

    /// Inflate the decoded bytes even if the message is not wrapped in ☺
    #[arg(long)]
    pub zlib: bool,

    /// Refuse to inflate past this many bytes (K, M, G suffixes)
    #[arg(long, value_name = "SIZE", default_value = "64M", value_parser = parse_size)]
    pub max_size: u64,
}

#[derive(Debug, Args)]
pub struct TwuuStatsArgs {
    #[command(flatten)]
    pub input: InputArg,
    #[command(flatten)]
    pub packing: PackingArgs,

    /// Print one JSON object instead of text
    #[arg(long)]
    pub json: bool,
}
