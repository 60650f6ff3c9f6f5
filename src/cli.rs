//! The command line, defined once: the binary parses it, and the completion scripts and man pages
//! are generated from it.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::{ArgMatches, Args, FromArgMatches, Parser, Subcommand};
use clap_complete::Shell;

use crate::output::ColorChoice;
use crate::size::parse_size;

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

    /// When to colour the output: auto colours a terminal unless NO_COLOR is set
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t)]
    pub color: ColorChoice,
}

impl Cli {
    /// The colour choice the command line makes, `chords show --no-color` included.
    pub fn color_choice(&self) -> ColorChoice {
        match &self.command {
            Command::Chords(Deferred(ChordsArgs {
                command: ChordsCommand::Show(show),
            })) if show.no_color => ColorChoice::Never,
            _ => self.color,
        }
    }
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
    Twuu(Deferred<TwuuArgs>),

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
    Mirror(Deferred<Box<MirrorArgs>>),

    /// Chord sheets: the built-in songs or your own, transposed, capoed and exported
    #[command(
        long_about = "Chord sheets: the built-in songs or your own, transposed, capoed and \
        exported.\n\n\
        Seven guitar transcriptions are built in: “I'm Going to Go Back There Someday” from The \
        Muppet Movie and six songs from Dr. Horrible's Sing-Along Blog. Your own sheets work \
        too: chords typed over lyrics as plain text, or ChordPro (.cho, .chordpro). \
        Transposing keeps every chord over its syllable and spells it for the new key; \
        output is text, ChordPro, JSON or a standalone HTML page, with guitar chord diagrams \
        from the chords-db data set (MIT)."
    )]
    Chords(Deferred<ChordsArgs>),

    /// Read mail over IMAP without changing it: folders, subjects, parsed messages, backups
    #[command(
        long_about = "Read mail over IMAP without changing it: folders, subjects, parsed \
        messages, backups.\n\n\
        Folders are opened read-only (EXAMINE) and messages fetched with BODY.PEEK, so no verb \
        changes a flag. Messages come by UID in batches of at most 8 MiB: memory stays bounded \
        and the first lines print at once, however big the folder. The connection options go \
        after 'imap' or after the verb. The password comes from TOOL_IMAP_PASSWORD, else from \
        --password-command (or the account's password_command), else from a prompt on the \
        terminal; it is never taken on the command line. Accounts live in \
        $XDG_CONFIG_HOME/tool/config.toml as [imap.accounts.NAME] tables with host, port, user, \
        security, ca_file, password_command and auth."
    )]
    Imap(Deferred<Box<ImapArgs>>),

    /// Print a shell completion script to stdout
    #[command(long_about = "Print a shell completion script to stdout.\n\n\
        For example: tool completions bash > ~/.local/share/bash-completion/completions/tool")]
    Completions {
        /// The shell to complete for
        shell: Shell,
    },
}

/// A subcommand's arguments, defined only when that subcommand is the one given: a start builds
/// and frees the definitions of one subcommand, not of all four (a fifth of `tool chords show`'s
/// own work before). Help works as before; completions and man pages, which list every
/// subcommand and `tool help`'s tree of them, ask for all of them at once with [`define_all`].
#[derive(Debug)]
pub struct Deferred<T>(pub T);

static DEFINE_ALL: AtomicBool = AtomicBool::new(false);

/// From now on [`Cli::command`] defines every subcommand at once.
pub fn define_all() {
    DEFINE_ALL.store(true, Ordering::Relaxed);
}

impl<T: FromArgMatches> FromArgMatches for Deferred<T> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(matches).map(Deferred)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }
}

impl<T: Args> Args for Deferred<T> {
    fn group_id() -> Option<clap::Id> {
        T::group_id()
    }

    fn augment_args(cmd: clap::Command) -> clap::Command {
        define_later(cmd, define::<T, false>)
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        define_later(cmd, define::<T, true>)
    }
}

fn define_later(cmd: clap::Command, define: fn(clap::Command) -> clap::Command) -> clap::Command {
    if DEFINE_ALL.load(Ordering::Relaxed) {
        define(cmd)
    } else {
        cmd.defer(define)
    }
}

/// `T`'s arguments, the subcommand keeping the description its variant gave it: defined late, a
/// flattened struct's doc comment would otherwise replace it.
fn define<T: Args, const FOR_UPDATE: bool>(cmd: clap::Command) -> clap::Command {
    let about = cmd.get_about().cloned();
    let long_about = cmd.get_long_about().cloned();
    let cmd = if FOR_UPDATE {
        T::augment_args_for_update(cmd)
    } else {
        T::augment_args(cmd)
    };
    match (about, long_about) {
        (Some(about), Some(long_about)) => cmd.about(about).long_about(long_about),
        (Some(about), None) => cmd.about(about),
        _ => cmd,
    }
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
    #[command(long_about = "Encode bytes as glyphs, followed by one newline.\n\n\
        The 2048 alphabet (the default) is the 2009 format. The 4096 alphabet carries 12 bits a \
        glyph in the CJK ideographs U+4E00 to U+5DFF, wrapped in ☖ (plain) or ☗ (zlib); decode \
        recognises either alphabet by its markers or first glyph. On X, 4096 glyphs cannot all \
        weigh 1: only 2370 code points of X's weight-1 ranges are safe glyphs (assigned, \
        graphic, not combining, not whitespace, unchanged by NFC and NFKC, not bidi controls \
        or right-to-left letters), so 2048 is the largest power of two X counts \
        as one each, and --for x keeps 2048. Mastodon and Bluesky count every character as \
        one, where 4096 carries a bit more per character.\n\n\
        Plain input that ends in a NUL byte is refused, since decoding strips trailing NULs \
        (--zlib keeps them). The refusal comes before any output for a file, and for piped \
        input of up to 16 MiB, which is held in memory to see its end; longer piped input is \
        streamed, so its refusal comes at the end, after glyphs were written.")]
    Encode(TwuuEncodeArgs),
    /// Decode glyphs back to the original bytes
    #[command(long_about = "Decode glyphs back to the original bytes.\n\n\
        Line breaks around the message are ignored; spaces are not, since U+0020 is a glyph. \
        Markers are dropped. The message is inflated when it is wrapped in ☺ or --zlib is \
        given. A compressed message is checked whole before anything is written (however many \
        line breaks precede it): a file is read twice, piped input of up to 16 MiB is held in \
        memory; longer piped input is streamed, so a fault near its end is found after output \
        was written.\n\n\
        Numbered posts that split wrote (N/M ☹…☹, one a line or NUL-separated, in any order) \
        are read whole, put in order and checked: a missing post is named.")]
    Decode(TwuuDecodeArgs),
    /// Show the encoded length of the input and whether it fits one post, per platform
    #[command(
        long_about = "Show the encoded length of the input and whether it fits one post, \
        on X, Mastodon and Bluesky (or the one --for names).\n\n\
        Each platform is counted as it counts: X as twitter-text 3 does (code points 0-4351, \
        8192-8205, 8208-8223 and 8242-8247 weigh 1, all others 2, and every URL it would \
        link, such as a run of glyphs that spells x.com, counts 23; a post holds 280), \
        Mastodon in code points (500), Bluesky in extended grapheme clusters (300)."
    )]
    Stats(TwuuStatsArgs),
    /// Encode and cut into numbered posts that each fit one platform
    #[command(
        long_about = "Encode and cut into numbered posts that each fit one post on the \
        platform --for names, counted as stats counts (X weighted with its URL rule, Mastodon \
        in code points, Bluesky in graphemes).\n\n\
        Each post is its number, a slash, the total, a space and a run of the message's glyphs \
        in the message's markers (1/3 ☹…☹), one post a line, or each followed by a NUL with \
        -0. The runs of posts 1 to the total, joined, are the message's glyphs; each post holds \
        as many as fit. decode takes the posts back in any order, joined by newlines (or \
        NULs), checks that every one is there, and names any that is missing. The alphabet is \
        the densest for the platform (2048 on X, 4096 on Mastodon and Bluesky) unless \
        --alphabet says. Plain input that ends in a NUL byte is refused, as by encode."
    )]
    Split(TwuuSplitArgs),
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

    /// The alphabet: 2048 (11 bits a glyph, the 2009 format) or 4096 (12 bits a glyph)
    #[arg(long, value_name = "A", default_value = "2048")]
    pub alphabet: crate::twuu::Alphabet,
}

impl PackingArgs {
    pub fn options(&self) -> crate::twuu::EncodeOptions {
        crate::twuu::EncodeOptions {
            zlib: self.zlib,
            markers: !self.no_markers,
            alphabet: self.alphabet,
        }
    }
}

#[derive(Debug, Args)]
pub struct TwuuEncodeArgs {
    #[command(flatten)]
    pub input: InputArg,
    #[command(flatten)]
    pub packing: PackingArgs,

    /// Use the densest alphabet for this platform's count: 2048 for x, 4096 for mastodon and
    /// bluesky
    #[arg(long = "for", value_name = "PLATFORM", conflicts_with = "alphabet")]
    pub platform: Option<crate::twuu::Platform>,
}

impl TwuuEncodeArgs {
    pub fn options(&self) -> crate::twuu::EncodeOptions {
        let mut options = self.packing.options();
        if let Some(platform) = self.platform {
            options.alphabet = platform.densest_alphabet();
        }
        options
    }
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

    /// Count for this platform only (all three when absent)
    #[arg(long = "for", value_name = "PLATFORM")]
    pub platform: Option<crate::twuu::Platform>,

    /// Print one JSON object instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TwuuSplitArgs {
    #[command(flatten)]
    pub input: InputArg,

    /// The platform the posts are for: each fits one post there
    #[arg(long = "for", value_name = "PLATFORM")]
    pub platform: crate::twuu::Platform,

    /// Compress with zlib (level 9) before encoding; the marker becomes ☺ (☗ in 4096)
    #[arg(long)]
    pub zlib: bool,

    /// The alphabet: 2048 or 4096 (the densest for the platform when absent)
    #[arg(long, value_name = "A")]
    pub alphabet: Option<crate::twuu::Alphabet>,

    /// Follow each post with a NUL byte instead of a newline
    #[arg(short = '0', long = "null")]
    pub null: bool,
}

impl TwuuSplitArgs {
    pub fn options(&self) -> crate::twuu::SplitOptions {
        crate::twuu::SplitOptions {
            zlib: self.zlib,
            alphabet: self
                .alphabet
                .unwrap_or_else(|| self.platform.densest_alphabet()),
            platform: self.platform,
        }
    }
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
        named from their function in the key the song lands in (Bb and Ab borrowed in C, \
        C#dim leading to D minor, slash basses from the chord: Gm/F#), unless --sharps or \
        --flats says. Each chord stays over the lyric character it \
        was written over; where a longer name would touch the next chord, the lyric is padded \
        with spaces rather than the chord moved. Colour is used as \
        --color says: by default only when stdout is a terminal and NO_COLOR is not set.")]
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

    /// Show the shapes to play with a capo on fret N, 0 to 11; the song sounds the same.
    /// Without it, a sheet's own {capo} (or "Capo:" line) is kept
    #[arg(
        long,
        value_name = "N",
        value_parser = clap::value_parser!(u8).range(0..=11)
    )]
    pub capo: Option<u8>,

    /// Spell every chord with sharps, whatever the key
    #[arg(long, conflicts_with = "flats")]
    pub sharps: bool,

    /// Spell every chord with flats, whatever the key
    #[arg(long)]
    pub flats: bool,

    /// The same as --color never, from before --color; kept for the scripts that give it
    #[arg(long, hide = true, overrides_with = "color")]
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
    /// ChordPro as the current standard (6.x) writes it, chords inline in [brackets]
    Chordpro,
    /// ChordPro in the older dialect chordii reads: no {key}, {capo} or block labels
    ChordproLegacy,
    /// The parsed structure
    Json,
    /// A standalone printable page with SVG chord diagrams
    Html,
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
    /// Whether copies reach the monitor, per source; exits 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN
    Status(MirrorStatusArgs),
    /// Delete everything the tool made, and nothing else
    Remove(MirrorRemoveArgs),
    /// Check that this host can mirror: tools, kernel support, br_netfilter, destination
    Check(MirrorCheckArgs),
    /// Apply, then re-apply within a second whenever ports, the destination or the tool's tables change
    ///
    /// Follows the kernel's link announcements (rtnetlink) and nftables transactions (nfnetlink)
    /// and applies again, under the same lock as apply and remove, when a port joins or leaves
    /// the bridge, a source or the destination is deleted, re-created or renamed, or someone
    /// else changes or deletes the tool's table. One log line per change on stderr. SIGHUP
    /// reads the SPEC and --config again; SIGTERM and SIGINT exit 0 and leave the rules in
    /// place, so copying goes on while the service restarts. See contrib/tool-mirror.service.
    Watch(MirrorWatchArgs),
}

/// What to mirror and where to (SPEC); every field can also come from --config.
#[derive(Debug, Args, Clone, Default)]
pub struct MirrorSpecArgs {
    #[command(flatten)]
    pub fields: crate::mirror::spec::SpecInput,

    /// Read the SPEC from a TOML file with the same field names (e.g. exclude_net); flags win
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct MirrorPlanArgs {
    #[command(flatten)]
    pub spec: MirrorSpecArgs,

    /// text (an nft script or iptables-restore input) or json (the nft JSON batch)
    #[arg(long, value_enum, default_value_t = MirrorPlanFormat::Text)]
    pub format: MirrorPlanFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MirrorPlanFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct MirrorApplyArgs {
    #[command(flatten)]
    pub spec: MirrorSpecArgs,

    /// Check the change with nft --check (or iptables-restore --test) and change nothing
    #[arg(long)]
    pub dry_run: bool,

    #[command(flatten)]
    pub lock: MirrorLockArgs,
}

#[derive(Debug, Args)]
pub struct MirrorWatchArgs {
    #[command(flatten)]
    pub spec: MirrorSpecArgs,

    #[command(flatten)]
    pub lock: MirrorLockArgs,
}

/// How long to wait for another apply, remove or watch of the same network namespace.
#[derive(Debug, Args, Clone, Copy)]
pub struct MirrorLockArgs {
    /// Wait at most this long for another apply, remove or watch in this network namespace to
    /// finish, then fail without changing anything
    #[arg(long, value_name = "SECONDS", default_value_t = crate::mirror::lock::DEFAULT_WAIT_SECONDS)]
    pub wait: u64,
}

impl MirrorLockArgs {
    pub fn duration(self) -> std::time::Duration {
        std::time::Duration::from_secs(self.wait)
    }
}

#[derive(Debug, Args)]
pub struct MirrorStatusArgs {
    /// text (a summary line, a table, the problems), json, or prometheus (node_exporter
    /// textfile)
    #[arg(long, value_enum, default_value_t)]
    pub format: crate::mirror::report::Format,

    /// The same as --format json
    #[arg(long, conflicts_with = "format")]
    pub json: bool,

    /// Read the destinations' drop counters twice, this many seconds apart (0: read once and
    /// skip the drops check)
    #[arg(long, value_name = "SECONDS", default_value = "1", value_parser = parse_interval)]
    pub interval: std::time::Duration,
}

/// Seconds, whole or decimal, from 0 to 60.
fn parse_interval(text: &str) -> Result<std::time::Duration, String> {
    text.parse::<f64>()
        .ok()
        .filter(|s| (0.0..=60.0).contains(s))
        .map(std::time::Duration::from_secs_f64)
        .ok_or_else(|| format!("'{text}' is not a number of seconds from 0 to 60, e.g. 0.5"))
}

#[derive(Debug, Args)]
pub struct MirrorRemoveArgs {
    /// Remove only what this backend holds [default: both]
    #[arg(long, value_enum)]
    pub backend: Option<crate::mirror::spec::Backend>,

    #[command(flatten)]
    pub lock: MirrorLockArgs,
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
pub struct ImapArgs {
    #[command(flatten)]
    pub connection: ImapConnectionArgs,
    #[command(subcommand)]
    pub command: ImapCommand,
}

/// Which server, and who logs in; accepted after `imap` and after the verb.
#[derive(Debug, Args)]
pub struct ImapConnectionArgs {
    #[command(flatten)]
    pub settings: crate::imap::config::Account,

    /// Take the settings of this account from $XDG_CONFIG_HOME/tool/config.toml; flags win
    #[arg(long, global = true, value_name = "NAME")]
    pub account: Option<String>,

    /// Never compress the connection (COMPRESS=DEFLATE is otherwise used where the server
    /// offers it, except on a loopback address)
    #[arg(long, global = true)]
    pub no_compress: bool,

    /// Compress where the server offers it even on a loopback address, as through an SSH
    /// tunnel to a distant server
    #[arg(long, global = true, conflicts_with = "no_compress")]
    pub compress: bool,
}

impl clap::ValueEnum for crate::imap::Security {
    fn value_variants<'a>() -> &'a [Self] {
        &crate::imap::Security::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        use crate::imap::Security;
        let help = match self {
            Security::Tls => "TLS from the first byte (port 993)",
            Security::StartTls => {
                "plain text upgraded with STARTTLS; refused if the server lacks it"
            }
            Security::Plain => "no encryption: the password travels in clear",
        };
        Some(clap::builder::PossibleValue::new(self.name()).help(help))
    }
}

#[derive(Debug, Subcommand)]
pub enum ImapCommand {
    /// List every folder with its message count
    Folders(ImapFoldersArgs),
    /// Print the decoded subject of each message of a folder, in UID order, as they arrive
    #[command(
        long_about = "Print the decoded subject of each message of a folder, in UID \
        order, as they arrive.\n\n\
        One subject a line, decoded (RFC 2047 encoded words in any charset, folded lines \
        joined, raw UTF-8); a missing or empty subject is an empty line. With --json, one \
        object a line: uid, subject (null when the header is missing, \"\" when empty), from, \
        date (RFC 3339, or null when the Date field names no date that can be), date_raw (the \
        field as sent) and message_id."
    )]
    Subjects(ImapFolderArgs),
    /// Print each message of a folder, parsed: uid, date, sender, subject
    #[command(
        long_about = "Print each message of a folder, parsed: uid, date, sender, \
        subject.\n\n\
        With --json, one object a line: uid, subject, from, to, date (RFC 3339 or null), \
        date_raw, size (on the server, in bytes), preview (the start of the text, HTML as \
        text) and attachments (name, content_type, size). \
        The folder comes in one FETCH, each message parsed as it streams in, so memory holds \
        one message at a time."
    )]
    Messages(ImapFolderArgs),
    /// Show one message: headers, text body and attachments
    Show(ImapShowArgs),
    /// Back up a folder into an mbox file or a Maildir; a second run fetches only what is new
    #[command(
        long_about = "Back up a folder into an mbox file or a Maildir; a second run \
        fetches only what is new.\n\n\
        The mbox is mboxrd: LF line ends, each message after a 'From ' line and a blank line \
        after it, and lines that start with 'From ' after any number of '>' quoted with one more \
        '>'. 'mutt -f FILE' opens it; Python's mailbox.mbox(FILE) reads it (take one '>' off \
        lines matching '^>+From ' for the exact bytes). A Maildir gets each message as the \
        server keeps it, with its flags. A JSON state beside the mbox (FILE.tool-imap.json) or \
        inside the Maildir records the folder's UIDVALIDITY and the last UID written. If the \
        server renumbers the folder (a new UIDVALIDITY) the export stops and says so.\n\n\
        Bytes the export did not write are never cut: an mbox that grew or was rewritten since \
        (a message added by hand, a mail reader's Status headers) is kept, and new messages go \
        after it; one that got shorter is refused. Stopped in any way (Ctrl-C, kill, the \
        server gone, a full disk), the same command run again resumes, each message ending up \
        there once and whole. Ctrl-C stops after the current message (exit 130); a second one \
        stops at once, which is safe too.\n\n\
        Filters are recorded in the state: a later run with other filters (or none) is refused \
        rather than silently selecting something else; export into another file for that."
    )]
    Export(ImapExportArgs),
    /// Print each message that arrives in a folder, once, as it arrives
    #[command(
        long_about = "Print each message that arrives in a folder, once, as it arrives.\n\n\
        Each message is printed as 'messages' prints it (uid, date, sender, subject; with \
        --json one object a line). The folder is opened read-only and the watch waits with \
        IDLE where the server offers it (issued again every 25 minutes), else asks with NOOP \
        every --interval seconds. A lost connection or a restarted server is reached again \
        after a pause that doubles from 1 s up to 60 s, and the watch catches up by UID: no \
        message is missed or printed twice. If the folder is renumbered (a new UIDVALIDITY) \
        the watch stops and says so. Without --since-uid or a --state file it starts with \
        the messages that arrive from now on. SIGTERM or Ctrl-C ends it with exit status 0."
    )]
    Watch(ImapWatchArgs),
}

#[derive(Debug, Args)]
pub struct ImapFoldersArgs {
    /// One JSON object a line: name, messages (null for a folder that only holds folders)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ImapFolderArgs {
    /// The folder, as 'tool imap folders' shows it (e.g. INBOX)
    #[arg(value_name = "FOLDER")]
    pub folder: String,

    /// One JSON object a line instead of text
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub filter: ImapFilterArgs,
}

/// Which messages, chosen by the server (one UID SEARCH); every one when none is given.
#[derive(Debug, Args)]
#[command(next_help_heading = "Filters (the server searches; all given must match)")]
pub struct ImapFilterArgs {
    /// Arrived on this day or later (YYYY-MM-DD; the server's INTERNALDATE and time zone)
    #[arg(long, value_name = "DATE")]
    pub since: Option<crate::imap::Date>,

    /// Arrived before this day (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub before: Option<crate::imap::Date>,

    /// TEXT in the From header (case-insensitive substring)
    #[arg(long, value_name = "TEXT", value_parser = crate::imap::parse_text)]
    pub from: Option<String>,

    /// TEXT in the To header
    #[arg(long, value_name = "TEXT", value_parser = crate::imap::parse_text)]
    pub to: Option<String>,

    /// TEXT in the Subject header
    #[arg(long, value_name = "TEXT", value_parser = crate::imap::parse_text)]
    pub subject: Option<String>,

    /// Only messages not marked read (\Seen)
    #[arg(long)]
    pub unseen: bool,

    /// Larger than SIZE (bytes, or with K, M or G)
    #[arg(long, value_name = "SIZE", value_parser = crate::imap::parse_size)]
    pub larger: Option<u64>,

    /// Smaller than SIZE (bytes, or with K, M or G)
    #[arg(long, value_name = "SIZE", value_parser = crate::imap::parse_size)]
    pub smaller: Option<u64>,
}

#[derive(Debug, Args)]
pub struct ImapShowArgs {
    /// The folder, as 'tool imap folders' shows it
    #[arg(value_name = "FOLDER")]
    pub folder: String,

    /// The message's UID, as 'tool imap subjects --json' shows it
    #[arg(value_name = "UID", value_parser = clap::value_parser!(u32).range(1..))]
    pub uid: u32,

    /// Print the message's exact bytes instead
    #[arg(long)]
    pub raw: bool,
}

#[derive(Debug, Args)]
pub struct ImapWatchArgs {
    /// The folder, as 'tool imap folders' shows it (e.g. INBOX)
    #[arg(value_name = "FOLDER")]
    pub folder: String,

    /// One JSON object a line, as 'messages --json' prints them
    #[arg(long)]
    pub json: bool,

    /// Run CMD with sh once per message, with its JSON line on stdin (and TOOL_IMAP_UID, \
    /// TOOL_IMAP_FOLDER set); a failing CMD is reported and the watch goes on
    #[arg(long, value_name = "CMD")]
    pub exec: Option<String>,

    /// Seconds between NOOPs where the server lacks IDLE
    #[arg(long, value_name = "SECONDS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub interval: u64,

    /// Start with the messages above this UID (0 for every message of the folder)
    #[arg(long, value_name = "UID")]
    pub since_uid: Option<u32>,

    /// Record in FILE where the watch stands, and resume from there when FILE exists
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("target").required(true).args(["mbox", "maildir"])))]
pub struct ImapExportArgs {
    /// The folder, as 'tool imap folders' shows it
    #[arg(value_name = "FOLDER")]
    pub folder: String,

    /// Append to this mbox file, in mboxrd format (created if missing)
    #[arg(long, value_name = "FILE")]
    pub mbox: Option<PathBuf>,

    /// Write into this Maildir (created if missing)
    #[arg(long, value_name = "DIR")]
    pub maildir: Option<PathBuf>,

    #[command(flatten)]
    pub filter: ImapFilterArgs,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn intervals_are_seconds_from_0_to_60() {
        assert_eq!(
            parse_interval("0.5"),
            Ok(std::time::Duration::from_millis(500))
        );
        assert_eq!(parse_interval("0"), Ok(std::time::Duration::ZERO));
        for bad in ["-1", "61", "NaN", "inf", "", "1s"] {
            let e = parse_interval(bad).unwrap_err();
            assert!(e.contains("from 0 to 60"), "{bad}: {e}");
        }
    }

    proptest! {
        #[test]
        fn interval_parsing_never_panics(text in "\\PC{0,20}") {
            let _ = parse_interval(&text);
        }
    }
}
