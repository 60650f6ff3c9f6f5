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

    /// Copy the traffic of a Xen or KVM host and its guests to a monitoring VM
    #[command(
        long_about = "Copy the traffic of a Xen or KVM host and its guests to a \
        monitoring VM: virtual port mirroring.\n\n\
        With --to IFACE (L2) every frame that crosses the bridge is duplicated onto the \
        monitor's capture port exactly once, ARP and IPv6 included (nftables netdev dup on \
        each port's ingress and the bridge's egress). With --gateway IP (L3, the classic way) \
        packets are copied to the monitor's address by nft dup or, with --backend iptables, by \
        TEE. The tool only ever touches its own table (tool_mirror) or chains (TOOL-MIRROR-*), \
        and replaces them in one atomic transaction."
    )]
    Mirror(Box<MirrorArgs>),

    /// Chord sheets: the built-in songs or your own, transposed, capoed and exported
    #[command(
        long_about = "Chord sheets: the built-in songs or your own, transposed, capoed and \
        exported.\n\n\
        Seven guitar transcriptions are built in: 'Im Going to Go Back There Someday' from The \
        Muppet Movie and six songs from Dr. Horrible's Sing-Along Blog. Your own sheets work \
        too: chords typed over lyrics as plain text, or ChordPro (.cho, .chordpro). \
        Transposing keeps every chord over its syllable and spells it for the new key; \
        output is text, ChordPro, JSON or a standalone HTML page, with guitar chord diagrams \
        from the chords-db data set (MIT)."
    )]
    Chords(ChordsArgs),

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

#[derive(Debug, Args)]
#[command(arg_required_else_help = true)]
pub struct MirrorArgs {
    #[command(subcommand)]
    pub command: MirrorCommand,
}

#[derive(Debug, Subcommand)]
pub enum MirrorCommand {
    /// Print the rules apply would load (nft script, JSON, or iptables-restore input); changes nothing
    Plan(MirrorPlanArgs),
    /// Load the mirroring rules in one atomic transaction, replacing the tool's earlier ones
    Apply(MirrorApplyArgs),
    /// Packets and bytes copied per source; exits non-zero when copying has gone stale
    Status(MirrorStatusArgs),
    /// Delete everything the tool made, and nothing else
    Remove(MirrorRemoveArgs),
    /// Check that this host can mirror: tools, kernel support, br_netfilter, destination
    Check(MirrorCheckArgs),
}

/// What to mirror and where to (SPEC); every field can also come from --config.
#[derive(Debug, Args, Clone, Default)]
pub struct MirrorSpecArgs {
    /// Mirror every port of this bridge, and what the host sends through it
    #[arg(long, value_name = "BR")]
    pub bridge: Option<String>,

    /// Mirror this interface (repeatable; globs such as 'vif*')
    #[arg(long, value_name = "IFACE")]
    pub source: Vec<String>,

    /// L2: duplicate frames onto this interface, the monitor VM's capture port
    #[arg(long, value_name = "IFACE")]
    pub to: Option<String>,

    /// L3: route copies to this address, the monitor VM's (one per IP version)
    #[arg(long, value_name = "IP")]
    pub gateway: Vec<String>,

    /// Never copy frames received on this interface (repeatable; globs)
    #[arg(long, value_name = "IFACE")]
    pub exclude_iface: Vec<String>,

    /// Never copy a packet from or to this network (repeatable; IPv4 or IPv6 CIDR)
    #[arg(long, value_name = "CIDR")]
    pub exclude_net: Vec<String>,

    /// Which way --source ports are copied [default: both]
    #[arg(long, value_parser = ["in", "out", "both"])]
    pub direction: Option<String>,

    /// nft, or iptables for the TEE target (L3 only) [default: nft]
    #[arg(long, value_parser = ["nft", "iptables"])]
    pub backend: Option<String>,

    /// Accept a destination that is a port of a mirrored bridge (it also gets the flooding)
    #[arg(long)]
    pub allow_bridged_monitor: bool,

    /// Read the SPEC from a TOML file with the same field names (e.g. exclude_net); flags win
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct MirrorPlanArgs {
    #[command(flatten)]
    pub spec: MirrorSpecArgs,

    /// text (an nft script or iptables-restore input) or json (the nft JSON batch)
    #[arg(long, value_parser = ["text", "json"], default_value = "text")]
    pub format: String,
}

#[derive(Debug, Args)]
pub struct MirrorApplyArgs {
    #[command(flatten)]
    pub spec: MirrorSpecArgs,

    /// Check the change with nft --check (or iptables-restore --test) and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct MirrorStatusArgs {
    /// Print one JSON object instead of a table
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct MirrorRemoveArgs {
    /// Remove only what this backend holds [default: both]
    #[arg(long, value_parser = ["nft", "iptables"])]
    pub backend: Option<String>,
}

#[derive(Debug, Args)]
pub struct MirrorCheckArgs {
    #[command(flatten)]
    pub spec: MirrorSpecArgs,

    /// Print one JSON object instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(arg_required_else_help = true)]
pub struct ChordsArgs {
    #[command(subcommand)]
    pub command: ChordsCommand,
}

#[derive(Debug, Subcommand)]
pub enum ChordsCommand {
    /// List the built-in songs: slug, title, source, key and chords
    List(ChordsListArgs),
    /// Print a song, transposed, capoed or exported
    #[command(long_about = "Print a song, transposed, capoed or exported.\n\n\
        With no transposition the chord and lyric lines come out as transcribed. Transposing \
        moves every root and bass note and keeps the quality (Cm/G up 2 is Dm/A); chords are \
        spelled with flats in F, Bb, Eb, Ab, Db, Gb and their relative minors, sharps \
        otherwise, unless --sharps or --flats says. Each chord stays at its column; one that a \
        longer name would touch moves right just enough to keep a space. Colour is used only \
        when stdout is a terminal and neither NO_COLOR nor --no-color is set.")]
    Show(ChordsShowArgs),
}

#[derive(Debug, Args)]
pub struct ChordsListArgs {
    /// Print a JSON array instead of a table
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ChordsShowArgs {
    /// A song's slug, an unambiguous part of its title, or the path of your own sheet (- for
    /// stdin)
    #[arg(value_name = "SONG")]
    pub song: String,

    /// Move the song by N semitones, -11 to 11
    #[arg(
        long,
        value_name = "N",
        default_value_t = 0,
        allow_negative_numbers = true,
        value_parser = clap::value_parser!(i32).range(-11..=11)
    )]
    pub transpose: i32,

    /// Show the shapes to play with a capo on fret N, 0 to 11; the song sounds the same
    #[arg(
        long,
        value_name = "N",
        default_value_t = 0,
        value_parser = clap::value_parser!(u8).range(0..=11)
    )]
    pub capo: u8,

    /// Spell every chord with sharps, whatever the key
    #[arg(long, conflicts_with = "flats")]
    pub sharps: bool,

    /// Spell every chord with flats, whatever the key
    #[arg(long)]
    pub flats: bool,

    /// Never colour the output
    #[arg(long)]
    pub no_color: bool,

    /// Add a guitar chord diagram for every chord used (ChordPro: {define} lines; HTML
    /// always has them)
    #[arg(long)]
    pub diagrams: bool,

    /// Output format
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = ChordsFormat::Text)]
    pub format: ChordsFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ChordsFormat {
    /// Chords over lyrics, as typed
    Text,
    /// ChordPro, chords inline in [brackets]
    Chordpro,
    /// The parsed structure
    Json,
    /// A standalone printable page with SVG chord diagrams
    Html,
}
