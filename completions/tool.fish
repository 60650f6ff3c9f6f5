# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_tool_global_optspecs
    string join \n color= h/help V/version
end

function __fish_tool_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_tool_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_tool_using_subcommand
    set -l cmd (__fish_tool_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c tool -n "__fish_tool_needs_command" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set' -r -f -a "auto\t'Colour where the output is a terminal and NO_COLOR is unset or empty'
always\t'Colour even into a pipe or a file, whatever NO_COLOR says'
never\t'Never colour'"
complete -c tool -n "__fish_tool_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tool -n "__fish_tool_needs_command" -s V -l version -d 'Print version'
complete -c tool -n "__fish_tool_needs_command" -f -a "twuu" -d 'twuuenc, the uuencode of web2.0: pack bytes into 11-bit Unicode glyphs'
complete -c tool -n "__fish_tool_needs_command" -f -a "mirror" -d 'Copy the traffic of a Xen or KVM host and its guests to a monitoring VM'
complete -c tool -n "__fish_tool_needs_command" -f -a "chords" -d 'Chord sheets: the built-in songs or your own, transposed, capoed and exported'
complete -c tool -n "__fish_tool_needs_command" -f -a "imap" -d 'Read mail over IMAP without changing it: folders, subjects, parsed messages, backups'
complete -c tool -n "__fish_tool_needs_command" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c tool -n "__fish_tool_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tool -n "__fish_tool_using_subcommand twuu; and not __fish_seen_subcommand_from encode decode stats split help" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set' -r -f -a "auto\t'Colour where the output is a terminal and NO_COLOR is unset or empty'
always\t'Colour even into a pipe or a file, whatever NO_COLOR says'
never\t'Never colour'"
complete -c tool -n "__fish_tool_using_subcommand twuu; and not __fish_seen_subcommand_from encode decode stats split help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tool -n "__fish_tool_using_subcommand twuu; and not __fish_seen_subcommand_from encode decode stats split help" -s V -l version -d 'Print version'
complete -c tool -n "__fish_tool_using_subcommand twuu; and not __fish_seen_subcommand_from encode decode stats split help" -f -a "encode" -d 'Encode bytes as glyphs, followed by one newline'
complete -c tool -n "__fish_tool_using_subcommand twuu; and not __fish_seen_subcommand_from encode decode stats split help" -f -a "decode" -d 'Decode glyphs back to the original bytes'
complete -c tool -n "__fish_tool_using_subcommand twuu; and not __fish_seen_subcommand_from encode decode stats split help" -f -a "stats" -d 'Show the encoded length of the input and whether it fits one post, per platform'
complete -c tool -n "__fish_tool_using_subcommand twuu; and not __fish_seen_subcommand_from encode decode stats split help" -f -a "split" -d 'Encode and cut into numbered posts that each fit one platform'
complete -c tool -n "__fish_tool_using_subcommand twuu; and not __fish_seen_subcommand_from encode decode stats split help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from encode" -l alphabet -d 'The alphabet: 2048 (11 bits a glyph, the 2009 format) or 4096 (12 bits a glyph)' -r -f -a "2048\t'The 2009 alphabet: 11 bits a glyph, markers ☹ and ☺'
4096\t'CJK ideographs U+4E00-U+5DFF: 12 bits a glyph, markers ☖ and ☗'"
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from encode" -l for -d 'Use the densest alphabet for this platform\'s count: 2048 for x, 4096 for mastodon and bluesky' -r -f -a "x\t'X (Twitter): twitter-text 3\'s weighted length, URLs as 23; 280'
mastodon\t'Mastodon: code points; 500'
bluesky\t'Bluesky: extended grapheme clusters; 300'"
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from encode" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set' -r -f -a "auto\t'Colour where the output is a terminal and NO_COLOR is unset or empty'
always\t'Colour even into a pipe or a file, whatever NO_COLOR says'
never\t'Never colour'"
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from encode" -l zlib -d 'Compress with zlib (level 9) before encoding; the marker becomes ☺'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from encode" -l markers -d 'Wrap the message in markers (the default)'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from encode" -l no-markers -d 'Leave the markers out'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from encode" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from encode" -s V -l version -d 'Print version'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from decode" -l max-size -d 'Refuse to inflate past this many bytes (K, M, G suffixes)' -r
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from decode" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set' -r -f -a "auto\t'Colour where the output is a terminal and NO_COLOR is unset or empty'
always\t'Colour even into a pipe or a file, whatever NO_COLOR says'
never\t'Never colour'"
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from decode" -l zlib -d 'Inflate the decoded bytes even if the message is not wrapped in ☺'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from decode" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from decode" -s V -l version -d 'Print version'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from stats" -l alphabet -d 'The alphabet: 2048 (11 bits a glyph, the 2009 format) or 4096 (12 bits a glyph)' -r -f -a "2048\t'The 2009 alphabet: 11 bits a glyph, markers ☹ and ☺'
4096\t'CJK ideographs U+4E00-U+5DFF: 12 bits a glyph, markers ☖ and ☗'"
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from stats" -l for -d 'Count for this platform only (all three when absent)' -r -f -a "x\t'X (Twitter): twitter-text 3\'s weighted length, URLs as 23; 280'
mastodon\t'Mastodon: code points; 500'
bluesky\t'Bluesky: extended grapheme clusters; 300'"
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from stats" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set' -r -f -a "auto\t'Colour where the output is a terminal and NO_COLOR is unset or empty'
always\t'Colour even into a pipe or a file, whatever NO_COLOR says'
never\t'Never colour'"
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from stats" -l zlib -d 'Compress with zlib (level 9) before encoding; the marker becomes ☺'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from stats" -l markers -d 'Wrap the message in markers (the default)'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from stats" -l no-markers -d 'Leave the markers out'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from stats" -l json -d 'Print one JSON object instead of text'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from stats" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from stats" -s V -l version -d 'Print version'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from split" -l for -d 'The platform the posts are for: each fits one post there' -r -f -a "x\t'X (Twitter): twitter-text 3\'s weighted length, URLs as 23; 280'
mastodon\t'Mastodon: code points; 500'
bluesky\t'Bluesky: extended grapheme clusters; 300'"
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from split" -l alphabet -d 'The alphabet: 2048 or 4096 (the densest for the platform when absent)' -r -f -a "2048\t'The 2009 alphabet: 11 bits a glyph, markers ☹ and ☺'
4096\t'CJK ideographs U+4E00-U+5DFF: 12 bits a glyph, markers ☖ and ☗'"
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from split" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set' -r -f -a "auto\t'Colour where the output is a terminal and NO_COLOR is unset or empty'
always\t'Colour even into a pipe or a file, whatever NO_COLOR says'
never\t'Never colour'"
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from split" -l zlib -d 'Compress with zlib (level 9) before encoding; the marker becomes ☺ (☗ in 4096)'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from split" -s 0 -l null -d 'Follow each post with a NUL byte instead of a newline'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from split" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from split" -s V -l version -d 'Print version'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from help" -f -a "encode" -d 'Encode bytes as glyphs, followed by one newline'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from help" -f -a "decode" -d 'Decode glyphs back to the original bytes'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from help" -f -a "stats" -d 'Show the encoded length of the input and whether it fits one post, per platform'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from help" -f -a "split" -d 'Encode and cut into numbered posts that each fit one platform'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tool -n "__fish_tool_using_subcommand mirror; and not __fish_seen_subcommand_from plan apply status remove check watch help" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set' -r -f -a "auto\t'Colour where the output is a terminal and NO_COLOR is unset or empty'
always\t'Colour even into a pipe or a file, whatever NO_COLOR says'
never\t'Never colour'"
complete -c tool -n "__fish_tool_using_subcommand mirror; and not __fish_seen_subcommand_from plan apply status remove check watch help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tool -n "__fish_tool_using_subcommand mirror; and not __fish_seen_subcommand_from plan apply status remove check watch help" -s V -l version -d 'Print version'
complete -c tool -n "__fish_tool_using_subcommand mirror; and not __fish_seen_subcommand_from plan apply status remove check watch help" -f -a "plan" -d 'Print the rules apply would load (nft script, JSON, or iptables-restore input); changes nothing'
complete -c tool -n "__fish_tool_using_subcommand mirror; and not __fish_seen_subcommand_from plan apply status remove check watch help" -f -a "apply" -d 'Load the mirroring rules in one atomic transaction, replacing the tool\'s earlier ones'
complete -c tool -n "__fish_tool_using_subcommand mirror; and not __fish_seen_subcommand_from plan apply status remove check watch help" -f -a "status" -d 'Whether copies reach the monitor, per source; exits 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN'
complete -c tool -n "__fish_tool_using_subcommand mirror; and not __fish_seen_subcommand_from plan apply status remove check watch help" -f -a "remove" -d 'Delete everything the tool made, and nothing else'
complete -c tool -n "__fish_tool_using_subcommand mirror; and not __fish_seen_subcommand_from plan apply status remove check watch help" -f -a "check" -d 'Check that this host can mirror: tools, kernel support, br_netfilter, destination'
complete -c tool -n "__fish_tool_using_subcommand mirror; and not __fish_seen_subcommand_from plan apply status remove check watch help" -f -a "watch" -d 'Apply, then re-apply within a second whenever ports, the destination or the tool\'s tables change'
complete -c tool -n "__fish_tool_using_subcommand mirror; and not __fish_seen_subcommand_from plan apply status remove check watch help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from plan" -l bridge -d 'Mirror every port of this bridge, and what the host sends through it' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from plan" -l source -d 'Mirror this interface (repeatable; globs such as \'vif*\')' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from plan" -l to -d 'L2: duplicate frames onto this interface, the monitor VM\'s capture port' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from plan" -l gateway -d 'L3: route copies to this address, the monitor VM\'s (one per IP version)' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from plan" -l collector -d 'L2: also (or only) send every copy through a tunnel to a central collector: vxlan:ADDR, gretap:ADDR or erspan:ADDR, IPv4 or IPv6' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from plan" -l vni -d 'The collector tunnel\'s VXLAN network identifier (GRE key, ERSPAN session id), one per host [default: 1]' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from plan" -l collector-port -d 'The collector\'s VXLAN UDP port [default: 4789]' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from plan" -l exclude-iface -d 'Never copy frames received on this interface (repeatable; globs)' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from plan" -l exclude-net -d 'Never copy a packet from or to this network (repeatable; IPv4 or IPv6 CIDR)' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from plan" -l direction -d 'Which way --source ports are copied [default: both]' -r -f -a "in\t''
out\t''
both\t''"
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from plan" -l backend -d 'nft, or iptables for the TEE target (L3 only) [default: nft]' -r -f -a "nft\t''
iptables\t''"
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from plan" -l config -d 'Read the SPEC from a TOML file with the same field names (e.g. exclude_net); flags win' -r -F
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from plan" -l format -d 'text (an nft script or iptables-restore input) or json (the nft JSON batch)' -r -f -a "text\t''
json\t''"
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from plan" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set' -r -f -a "auto\t'Colour where the output is a terminal and NO_COLOR is unset or empty'
always\t'Colour even into a pipe or a file, whatever NO_COLOR says'
never\t'Never colour'"
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from plan" -l allow-bridged-monitor -d 'Accept a destination that is a port of a mirrored bridge (it also gets the flooding)'
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from plan" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from plan" -s V -l version -d 'Print version'
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from apply" -l bridge -d 'Mirror every port of this bridge, and what the host sends through it' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from apply" -l source -d 'Mirror this interface (repeatable; globs such as \'vif*\')' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from apply" -l to -d 'L2: duplicate frames onto this interface, the monitor VM\'s capture port' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from apply" -l gateway -d 'L3: route copies to this address, the monitor VM\'s (one per IP version)' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from apply" -l collector -d 'L2: also (or only) send every copy through a tunnel to a central collector: vxlan:ADDR, gretap:ADDR or erspan:ADDR, IPv4 or IPv6' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from apply" -l vni -d 'The collector tunnel\'s VXLAN network identifier (GRE key, ERSPAN session id), one per host [default: 1]' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from apply" -l collector-port -d 'The collector\'s VXLAN UDP port [default: 4789]' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from apply" -l exclude-iface -d 'Never copy frames received on this interface (repeatable; globs)' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from apply" -l exclude-net -d 'Never copy a packet from or to this network (repeatable; IPv4 or IPv6 CIDR)' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from apply" -l direction -d 'Which way --source ports are copied [default: both]' -r -f -a "in\t''
out\t''
both\t''"
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from apply" -l backend -d 'nft, or iptables for the TEE target (L3 only) [default: nft]' -r -f -a "nft\t''
iptables\t''"
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from apply" -l config -d 'Read the SPEC from a TOML file with the same field names (e.g. exclude_net); flags win' -r -F
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from apply" -l wait -d 'Wait at most this long for another apply, remove or watch in this network namespace to finish, then fail without changing anything' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from apply" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set' -r -f -a "auto\t'Colour where the output is a terminal and NO_COLOR is unset or empty'
always\t'Colour even into a pipe or a file, whatever NO_COLOR says'
never\t'Never colour'"
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from apply" -l allow-bridged-monitor -d 'Accept a destination that is a port of a mirrored bridge (it also gets the flooding)'
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from apply" -l dry-run -d 'Check the change with nft --check (or iptables-restore --test) and change nothing'
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from apply" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from apply" -s V -l version -d 'Print version'
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from status" -l format -d 'text (a summary line, a table, the problems), json, or prometheus (node_exporter textfile)' -r -f -a "text\t'The plugin\'s summary line, a table, one line per problem'
json\t'One JSON object'
prometheus\t'node_exporter textfile collector format'"
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from status" -l interval -d 'Read the destinations\' drop counters twice, this many seconds apart (0: read once and skip the drops check)' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from status" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set' -r -f -a "auto\t'Colour where the output is a terminal and NO_COLOR is unset or empty'
always\t'Colour even into a pipe or a file, whatever NO_COLOR says'
never\t'Never colour'"
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from status" -l json -d 'The same as --format json'
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from remove" -l backend -d 'Remove only what this backend holds [default: both]' -r -f -a "nft\t''
iptables\t''"
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from remove" -l wait -d 'Wait at most this long for another apply, remove or watch in this network namespace to finish, then fail without changing anything' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from remove" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set' -r -f -a "auto\t'Colour where the output is a terminal and NO_COLOR is unset or empty'
always\t'Colour even into a pipe or a file, whatever NO_COLOR says'
never\t'Never colour'"
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from check" -l bridge -d 'Mirror every port of this bridge, and what the host sends through it' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from check" -l source -d 'Mirror this interface (repeatable; globs such as \'vif*\')' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from check" -l to -d 'L2: duplicate frames onto this interface, the monitor VM\'s capture port' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from check" -l gateway -d 'L3: route copies to this address, the monitor VM\'s (one per IP version)' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from check" -l collector -d 'L2: also (or only) send every copy through a tunnel to a central collector: vxlan:ADDR, gretap:ADDR or erspan:ADDR, IPv4 or IPv6' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from check" -l vni -d 'The collector tunnel\'s VXLAN network identifier (GRE key, ERSPAN session id), one per host [default: 1]' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from check" -l collector-port -d 'The collector\'s VXLAN UDP port [default: 4789]' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from check" -l exclude-iface -d 'Never copy frames received on this interface (repeatable; globs)' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from check" -l exclude-net -d 'Never copy a packet from or to this network (repeatable; IPv4 or IPv6 CIDR)' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from check" -l direction -d 'Which way --source ports are copied [default: both]' -r -f -a "in\t''
out\t''
both\t''"
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from check" -l backend -d 'nft, or iptables for the TEE target (L3 only) [default: nft]' -r -f -a "nft\t''
iptables\t''"
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from check" -l config -d 'Read the SPEC from a TOML file with the same field names (e.g. exclude_net); flags win' -r -F
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from check" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set' -r -f -a "auto\t'Colour where the output is a terminal and NO_COLOR is unset or empty'
always\t'Colour even into a pipe or a file, whatever NO_COLOR says'
never\t'Never colour'"
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from check" -l allow-bridged-monitor -d 'Accept a destination that is a port of a mirrored bridge (it also gets the flooding)'
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from check" -l json -d 'Print one JSON object instead of text'
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from watch" -l bridge -d 'Mirror every port of this bridge, and what the host sends through it' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from watch" -l source -d 'Mirror this interface (repeatable; globs such as \'vif*\')' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from watch" -l to -d 'L2: duplicate frames onto this interface, the monitor VM\'s capture port' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from watch" -l gateway -d 'L3: route copies to this address, the monitor VM\'s (one per IP version)' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from watch" -l collector -d 'L2: also (or only) send every copy through a tunnel to a central collector: vxlan:ADDR, gretap:ADDR or erspan:ADDR, IPv4 or IPv6' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from watch" -l vni -d 'The collector tunnel\'s VXLAN network identifier (GRE key, ERSPAN session id), one per host [default: 1]' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from watch" -l collector-port -d 'The collector\'s VXLAN UDP port [default: 4789]' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from watch" -l exclude-iface -d 'Never copy frames received on this interface (repeatable; globs)' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from watch" -l exclude-net -d 'Never copy a packet from or to this network (repeatable; IPv4 or IPv6 CIDR)' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from watch" -l direction -d 'Which way --source ports are copied [default: both]' -r -f -a "in\t''
out\t''
both\t''"
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from watch" -l backend -d 'nft, or iptables for the TEE target (L3 only) [default: nft]' -r -f -a "nft\t''
iptables\t''"
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from watch" -l config -d 'Read the SPEC from a TOML file with the same field names (e.g. exclude_net); flags win' -r -F
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from watch" -l wait -d 'Wait at most this long for another apply, remove or watch in this network namespace to finish, then fail without changing anything' -r
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from watch" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set' -r -f -a "auto\t'Colour where the output is a terminal and NO_COLOR is unset or empty'
always\t'Colour even into a pipe or a file, whatever NO_COLOR says'
never\t'Never colour'"
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from watch" -l allow-bridged-monitor -d 'Accept a destination that is a port of a mirrored bridge (it also gets the flooding)'
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from watch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from watch" -s V -l version -d 'Print version'
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from help" -f -a "plan" -d 'Print the rules apply would load (nft script, JSON, or iptables-restore input); changes nothing'
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from help" -f -a "apply" -d 'Load the mirroring rules in one atomic transaction, replacing the tool\'s earlier ones'
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from help" -f -a "status" -d 'Whether copies reach the monitor, per source; exits 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN'
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Delete everything the tool made, and nothing else'
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from help" -f -a "check" -d 'Check that this host can mirror: tools, kernel support, br_netfilter, destination'
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from help" -f -a "watch" -d 'Apply, then re-apply within a second whenever ports, the destination or the tool\'s tables change'
complete -c tool -n "__fish_tool_using_subcommand mirror; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tool -n "__fish_tool_using_subcommand chords; and not __fish_seen_subcommand_from list show help" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set' -r -f -a "auto\t'Colour where the output is a terminal and NO_COLOR is unset or empty'
always\t'Colour even into a pipe or a file, whatever NO_COLOR says'
never\t'Never colour'"
complete -c tool -n "__fish_tool_using_subcommand chords; and not __fish_seen_subcommand_from list show help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tool -n "__fish_tool_using_subcommand chords; and not __fish_seen_subcommand_from list show help" -s V -l version -d 'Print version'
complete -c tool -n "__fish_tool_using_subcommand chords; and not __fish_seen_subcommand_from list show help" -f -a "list" -d 'List the built-in songs: slug, title, source, key and chords'
complete -c tool -n "__fish_tool_using_subcommand chords; and not __fish_seen_subcommand_from list show help" -f -a "show" -d 'Print a song, transposed, capoed or exported'
complete -c tool -n "__fish_tool_using_subcommand chords; and not __fish_seen_subcommand_from list show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tool -n "__fish_tool_using_subcommand chords; and __fish_seen_subcommand_from list" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set' -r -f -a "auto\t'Colour where the output is a terminal and NO_COLOR is unset or empty'
always\t'Colour even into a pipe or a file, whatever NO_COLOR says'
never\t'Never colour'"
complete -c tool -n "__fish_tool_using_subcommand chords; and __fish_seen_subcommand_from list" -l json -d 'Print a JSON array instead of a table'
complete -c tool -n "__fish_tool_using_subcommand chords; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tool -n "__fish_tool_using_subcommand chords; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c tool -n "__fish_tool_using_subcommand chords; and __fish_seen_subcommand_from show" -l transpose -d 'Move the song by N semitones, -11 to 11' -r
complete -c tool -n "__fish_tool_using_subcommand chords; and __fish_seen_subcommand_from show" -l capo -d 'Show the shapes to play with a capo on fret N, 0 to 11; the song sounds the same. Without it, a sheet\'s own {capo} (or "Capo:" line) is kept' -r
complete -c tool -n "__fish_tool_using_subcommand chords; and __fish_seen_subcommand_from show" -l format -d 'Output format' -r -f -a "text\t'Chords over lyrics, as typed'
chordpro\t'ChordPro as the current standard (6.x) writes it, chords inline in [brackets]'
chordpro-legacy\t'ChordPro in the older dialect chordii reads: no {key}, {capo} or block labels'
json\t'The parsed structure'
html\t'A standalone printable page with SVG chord diagrams'"
complete -c tool -n "__fish_tool_using_subcommand chords; and __fish_seen_subcommand_from show" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set' -r -f -a "auto\t'Colour where the output is a terminal and NO_COLOR is unset or empty'
always\t'Colour even into a pipe or a file, whatever NO_COLOR says'
never\t'Never colour'"
complete -c tool -n "__fish_tool_using_subcommand chords; and __fish_seen_subcommand_from show" -l sharps -d 'Spell every chord with sharps, whatever the key'
complete -c tool -n "__fish_tool_using_subcommand chords; and __fish_seen_subcommand_from show" -l flats -d 'Spell every chord with flats, whatever the key'
complete -c tool -n "__fish_tool_using_subcommand chords; and __fish_seen_subcommand_from show" -l no-color -d 'The same as --color never, from before --color; kept for the scripts that give it'
complete -c tool -n "__fish_tool_using_subcommand chords; and __fish_seen_subcommand_from show" -l diagrams -d 'Add a guitar chord diagram for every chord used (ChordPro: {define} lines; HTML always has them)'
complete -c tool -n "__fish_tool_using_subcommand chords; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tool -n "__fish_tool_using_subcommand chords; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c tool -n "__fish_tool_using_subcommand chords; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the built-in songs: slug, title, source, key and chords'
complete -c tool -n "__fish_tool_using_subcommand chords; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print a song, transposed, capoed or exported'
complete -c tool -n "__fish_tool_using_subcommand chords; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tool -n "__fish_tool_using_subcommand imap; and not __fish_seen_subcommand_from folders subjects messages show export watch help" -l host -d 'The server\'s host name or address' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and not __fish_seen_subcommand_from folders subjects messages show export watch help" -l port -d 'The server\'s port [default: 993 with tls, 143 otherwise]' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and not __fish_seen_subcommand_from folders subjects messages show export watch help" -l user -d 'The user to log in as' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and not __fish_seen_subcommand_from folders subjects messages show export watch help" -l security -d 'How the connection is protected [default: tls]' -r -f -a "tls\t'TLS from the first byte (port 993)'
starttls\t'plain text upgraded with STARTTLS; refused if the server lacks it'
plain\t'no encryption: the password travels in clear'"
complete -c tool -n "__fish_tool_using_subcommand imap; and not __fish_seen_subcommand_from folders subjects messages show export watch help" -l ca-file -d 'A PEM file with a CA certificate to trust besides the system\'s (for a private CA)' -r -F
complete -c tool -n "__fish_tool_using_subcommand imap; and not __fish_seen_subcommand_from folders subjects messages show export watch help" -l password-command -d 'Run CMD with sh and use the first line it prints as the password' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and not __fish_seen_subcommand_from folders subjects messages show export watch help" -l auth -d 'How to log in: the password, or an OAuth 2.0 access token (from the same sources as the password, e.g. a token broker as --password-command) [default: password]' -r -f -a "password\t'LOGIN with a password'
xoauth2\t'AUTHENTICATE XOAUTH2 with an OAuth 2.0 access token (Gmail, Outlook)'
oauthbearer\t'AUTHENTICATE OAUTHBEARER with an OAuth 2.0 access token (RFC 7628)'"
complete -c tool -n "__fish_tool_using_subcommand imap; and not __fish_seen_subcommand_from folders subjects messages show export watch help" -l account -d 'Take the settings of this account from $XDG_CONFIG_HOME/tool/config.toml; flags win' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and not __fish_seen_subcommand_from folders subjects messages show export watch help" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set' -r -f -a "auto\t'Colour where the output is a terminal and NO_COLOR is unset or empty'
always\t'Colour even into a pipe or a file, whatever NO_COLOR says'
never\t'Never colour'"
complete -c tool -n "__fish_tool_using_subcommand imap; and not __fish_seen_subcommand_from folders subjects messages show export watch help" -l no-compress -d 'Never compress the connection (COMPRESS=DEFLATE is otherwise used where the server offers it, except on a loopback address)'
complete -c tool -n "__fish_tool_using_subcommand imap; and not __fish_seen_subcommand_from folders subjects messages show export watch help" -l compress -d 'Compress where the server offers it even on a loopback address, as through an SSH tunnel to a distant server'
complete -c tool -n "__fish_tool_using_subcommand imap; and not __fish_seen_subcommand_from folders subjects messages show export watch help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tool -n "__fish_tool_using_subcommand imap; and not __fish_seen_subcommand_from folders subjects messages show export watch help" -s V -l version -d 'Print version'
complete -c tool -n "__fish_tool_using_subcommand imap; and not __fish_seen_subcommand_from folders subjects messages show export watch help" -f -a "folders" -d 'List every folder with its message count'
complete -c tool -n "__fish_tool_using_subcommand imap; and not __fish_seen_subcommand_from folders subjects messages show export watch help" -f -a "subjects" -d 'Print the decoded subject of each message of a folder, in UID order, as they arrive'
complete -c tool -n "__fish_tool_using_subcommand imap; and not __fish_seen_subcommand_from folders subjects messages show export watch help" -f -a "messages" -d 'Print each message of a folder, parsed: uid, date, sender, subject'
complete -c tool -n "__fish_tool_using_subcommand imap; and not __fish_seen_subcommand_from folders subjects messages show export watch help" -f -a "show" -d 'Show one message: headers, text body and attachments'
complete -c tool -n "__fish_tool_using_subcommand imap; and not __fish_seen_subcommand_from folders subjects messages show export watch help" -f -a "export" -d 'Back up a folder into an mbox file or a Maildir; a second run fetches only what is new'
complete -c tool -n "__fish_tool_using_subcommand imap; and not __fish_seen_subcommand_from folders subjects messages show export watch help" -f -a "watch" -d 'Print each message that arrives in a folder, once, as it arrives'
complete -c tool -n "__fish_tool_using_subcommand imap; and not __fish_seen_subcommand_from folders subjects messages show export watch help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from folders" -l host -d 'The server\'s host name or address' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from folders" -l port -d 'The server\'s port [default: 993 with tls, 143 otherwise]' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from folders" -l user -d 'The user to log in as' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from folders" -l security -d 'How the connection is protected [default: tls]' -r -f -a "tls\t'TLS from the first byte (port 993)'
starttls\t'plain text upgraded with STARTTLS; refused if the server lacks it'
plain\t'no encryption: the password travels in clear'"
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from folders" -l ca-file -d 'A PEM file with a CA certificate to trust besides the system\'s (for a private CA)' -r -F
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from folders" -l password-command -d 'Run CMD with sh and use the first line it prints as the password' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from folders" -l auth -d 'How to log in: the password, or an OAuth 2.0 access token (from the same sources as the password, e.g. a token broker as --password-command) [default: password]' -r -f -a "password\t'LOGIN with a password'
xoauth2\t'AUTHENTICATE XOAUTH2 with an OAuth 2.0 access token (Gmail, Outlook)'
oauthbearer\t'AUTHENTICATE OAUTHBEARER with an OAuth 2.0 access token (RFC 7628)'"
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from folders" -l account -d 'Take the settings of this account from $XDG_CONFIG_HOME/tool/config.toml; flags win' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from folders" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set' -r -f -a "auto\t'Colour where the output is a terminal and NO_COLOR is unset or empty'
always\t'Colour even into a pipe or a file, whatever NO_COLOR says'
never\t'Never colour'"
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from folders" -l json -d 'One JSON object a line: name, messages (null for a folder that only holds folders)'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from folders" -l no-compress -d 'Never compress the connection (COMPRESS=DEFLATE is otherwise used where the server offers it, except on a loopback address)'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from folders" -l compress -d 'Compress where the server offers it even on a loopback address, as through an SSH tunnel to a distant server'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from folders" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from folders" -s V -l version -d 'Print version'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from subjects" -l since -d 'Arrived on this day or later (YYYY-MM-DD; the server\'s INTERNALDATE and time zone)' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from subjects" -l before -d 'Arrived before this day (YYYY-MM-DD)' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from subjects" -l from -d 'TEXT in the From header (case-insensitive substring)' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from subjects" -l to -d 'TEXT in the To header' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from subjects" -l subject -d 'TEXT in the Subject header' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from subjects" -l larger -d 'Larger than SIZE (bytes, or with K, M or G)' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from subjects" -l smaller -d 'Smaller than SIZE (bytes, or with K, M or G)' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from subjects" -l host -d 'The server\'s host name or address' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from subjects" -l port -d 'The server\'s port [default: 993 with tls, 143 otherwise]' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from subjects" -l user -d 'The user to log in as' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from subjects" -l security -d 'How the connection is protected [default: tls]' -r -f -a "tls\t'TLS from the first byte (port 993)'
starttls\t'plain text upgraded with STARTTLS; refused if the server lacks it'
plain\t'no encryption: the password travels in clear'"
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from subjects" -l ca-file -d 'A PEM file with a CA certificate to trust besides the system\'s (for a private CA)' -r -F
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from subjects" -l password-command -d 'Run CMD with sh and use the first line it prints as the password' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from subjects" -l auth -d 'How to log in: the password, or an OAuth 2.0 access token (from the same sources as the password, e.g. a token broker as --password-command) [default: password]' -r -f -a "password\t'LOGIN with a password'
xoauth2\t'AUTHENTICATE XOAUTH2 with an OAuth 2.0 access token (Gmail, Outlook)'
oauthbearer\t'AUTHENTICATE OAUTHBEARER with an OAuth 2.0 access token (RFC 7628)'"
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from subjects" -l account -d 'Take the settings of this account from $XDG_CONFIG_HOME/tool/config.toml; flags win' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from subjects" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set' -r -f -a "auto\t'Colour where the output is a terminal and NO_COLOR is unset or empty'
always\t'Colour even into a pipe or a file, whatever NO_COLOR says'
never\t'Never colour'"
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from subjects" -l json -d 'One JSON object a line instead of text'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from subjects" -l unseen -d 'Only messages not marked read (\\Seen)'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from subjects" -l no-compress -d 'Never compress the connection (COMPRESS=DEFLATE is otherwise used where the server offers it, except on a loopback address)'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from subjects" -l compress -d 'Compress where the server offers it even on a loopback address, as through an SSH tunnel to a distant server'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from subjects" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from subjects" -s V -l version -d 'Print version'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from messages" -l since -d 'Arrived on this day or later (YYYY-MM-DD; the server\'s INTERNALDATE and time zone)' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from messages" -l before -d 'Arrived before this day (YYYY-MM-DD)' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from messages" -l from -d 'TEXT in the From header (case-insensitive substring)' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from messages" -l to -d 'TEXT in the To header' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from messages" -l subject -d 'TEXT in the Subject header' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from messages" -l larger -d 'Larger than SIZE (bytes, or with K, M or G)' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from messages" -l smaller -d 'Smaller than SIZE (bytes, or with K, M or G)' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from messages" -l host -d 'The server\'s host name or address' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from messages" -l port -d 'The server\'s port [default: 993 with tls, 143 otherwise]' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from messages" -l user -d 'The user to log in as' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from messages" -l security -d 'How the connection is protected [default: tls]' -r -f -a "tls\t'TLS from the first byte (port 993)'
starttls\t'plain text upgraded with STARTTLS; refused if the server lacks it'
plain\t'no encryption: the password travels in clear'"
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from messages" -l ca-file -d 'A PEM file with a CA certificate to trust besides the system\'s (for a private CA)' -r -F
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from messages" -l password-command -d 'Run CMD with sh and use the first line it prints as the password' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from messages" -l auth -d 'How to log in: the password, or an OAuth 2.0 access token (from the same sources as the password, e.g. a token broker as --password-command) [default: password]' -r -f -a "password\t'LOGIN with a password'
xoauth2\t'AUTHENTICATE XOAUTH2 with an OAuth 2.0 access token (Gmail, Outlook)'
oauthbearer\t'AUTHENTICATE OAUTHBEARER with an OAuth 2.0 access token (RFC 7628)'"
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from messages" -l account -d 'Take the settings of this account from $XDG_CONFIG_HOME/tool/config.toml; flags win' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from messages" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set' -r -f -a "auto\t'Colour where the output is a terminal and NO_COLOR is unset or empty'
always\t'Colour even into a pipe or a file, whatever NO_COLOR says'
never\t'Never colour'"
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from messages" -l json -d 'One JSON object a line instead of text'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from messages" -l unseen -d 'Only messages not marked read (\\Seen)'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from messages" -l no-compress -d 'Never compress the connection (COMPRESS=DEFLATE is otherwise used where the server offers it, except on a loopback address)'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from messages" -l compress -d 'Compress where the server offers it even on a loopback address, as through an SSH tunnel to a distant server'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from messages" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from messages" -s V -l version -d 'Print version'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from show" -l host -d 'The server\'s host name or address' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from show" -l port -d 'The server\'s port [default: 993 with tls, 143 otherwise]' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from show" -l user -d 'The user to log in as' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from show" -l security -d 'How the connection is protected [default: tls]' -r -f -a "tls\t'TLS from the first byte (port 993)'
starttls\t'plain text upgraded with STARTTLS; refused if the server lacks it'
plain\t'no encryption: the password travels in clear'"
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from show" -l ca-file -d 'A PEM file with a CA certificate to trust besides the system\'s (for a private CA)' -r -F
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from show" -l password-command -d 'Run CMD with sh and use the first line it prints as the password' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from show" -l auth -d 'How to log in: the password, or an OAuth 2.0 access token (from the same sources as the password, e.g. a token broker as --password-command) [default: password]' -r -f -a "password\t'LOGIN with a password'
xoauth2\t'AUTHENTICATE XOAUTH2 with an OAuth 2.0 access token (Gmail, Outlook)'
oauthbearer\t'AUTHENTICATE OAUTHBEARER with an OAuth 2.0 access token (RFC 7628)'"
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from show" -l account -d 'Take the settings of this account from $XDG_CONFIG_HOME/tool/config.toml; flags win' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from show" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set' -r -f -a "auto\t'Colour where the output is a terminal and NO_COLOR is unset or empty'
always\t'Colour even into a pipe or a file, whatever NO_COLOR says'
never\t'Never colour'"
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from show" -l raw -d 'Print the message\'s exact bytes instead'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from show" -l no-compress -d 'Never compress the connection (COMPRESS=DEFLATE is otherwise used where the server offers it, except on a loopback address)'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from show" -l compress -d 'Compress where the server offers it even on a loopback address, as through an SSH tunnel to a distant server'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from export" -l mbox -d 'Append to this mbox file, in mboxrd format (created if missing)' -r -F
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from export" -l maildir -d 'Write into this Maildir (created if missing)' -r -F
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from export" -l since -d 'Arrived on this day or later (YYYY-MM-DD; the server\'s INTERNALDATE and time zone)' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from export" -l before -d 'Arrived before this day (YYYY-MM-DD)' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from export" -l from -d 'TEXT in the From header (case-insensitive substring)' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from export" -l to -d 'TEXT in the To header' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from export" -l subject -d 'TEXT in the Subject header' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from export" -l larger -d 'Larger than SIZE (bytes, or with K, M or G)' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from export" -l smaller -d 'Smaller than SIZE (bytes, or with K, M or G)' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from export" -l host -d 'The server\'s host name or address' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from export" -l port -d 'The server\'s port [default: 993 with tls, 143 otherwise]' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from export" -l user -d 'The user to log in as' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from export" -l security -d 'How the connection is protected [default: tls]' -r -f -a "tls\t'TLS from the first byte (port 993)'
starttls\t'plain text upgraded with STARTTLS; refused if the server lacks it'
plain\t'no encryption: the password travels in clear'"
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from export" -l ca-file -d 'A PEM file with a CA certificate to trust besides the system\'s (for a private CA)' -r -F
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from export" -l password-command -d 'Run CMD with sh and use the first line it prints as the password' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from export" -l auth -d 'How to log in: the password, or an OAuth 2.0 access token (from the same sources as the password, e.g. a token broker as --password-command) [default: password]' -r -f -a "password\t'LOGIN with a password'
xoauth2\t'AUTHENTICATE XOAUTH2 with an OAuth 2.0 access token (Gmail, Outlook)'
oauthbearer\t'AUTHENTICATE OAUTHBEARER with an OAuth 2.0 access token (RFC 7628)'"
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from export" -l account -d 'Take the settings of this account from $XDG_CONFIG_HOME/tool/config.toml; flags win' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from export" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set' -r -f -a "auto\t'Colour where the output is a terminal and NO_COLOR is unset or empty'
always\t'Colour even into a pipe or a file, whatever NO_COLOR says'
never\t'Never colour'"
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from export" -l unseen -d 'Only messages not marked read (\\Seen)'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from export" -l no-compress -d 'Never compress the connection (COMPRESS=DEFLATE is otherwise used where the server offers it, except on a loopback address)'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from export" -l compress -d 'Compress where the server offers it even on a loopback address, as through an SSH tunnel to a distant server'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from export" -s V -l version -d 'Print version'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from watch" -l exec -d 'Run CMD with sh once per message, with its JSON line on stdin (and TOOL_IMAP_UID, \\ TOOL_IMAP_FOLDER set); a failing CMD is reported and the watch goes on' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from watch" -l interval -d 'Seconds between NOOPs where the server lacks IDLE' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from watch" -l since-uid -d 'Start with the messages above this UID (0 for every message of the folder)' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from watch" -l state -d 'Record in FILE where the watch stands, and resume from there when FILE exists' -r -F
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from watch" -l host -d 'The server\'s host name or address' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from watch" -l port -d 'The server\'s port [default: 993 with tls, 143 otherwise]' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from watch" -l user -d 'The user to log in as' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from watch" -l security -d 'How the connection is protected [default: tls]' -r -f -a "tls\t'TLS from the first byte (port 993)'
starttls\t'plain text upgraded with STARTTLS; refused if the server lacks it'
plain\t'no encryption: the password travels in clear'"
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from watch" -l ca-file -d 'A PEM file with a CA certificate to trust besides the system\'s (for a private CA)' -r -F
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from watch" -l password-command -d 'Run CMD with sh and use the first line it prints as the password' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from watch" -l auth -d 'How to log in: the password, or an OAuth 2.0 access token (from the same sources as the password, e.g. a token broker as --password-command) [default: password]' -r -f -a "password\t'LOGIN with a password'
xoauth2\t'AUTHENTICATE XOAUTH2 with an OAuth 2.0 access token (Gmail, Outlook)'
oauthbearer\t'AUTHENTICATE OAUTHBEARER with an OAuth 2.0 access token (RFC 7628)'"
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from watch" -l account -d 'Take the settings of this account from $XDG_CONFIG_HOME/tool/config.toml; flags win' -r
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from watch" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set' -r -f -a "auto\t'Colour where the output is a terminal and NO_COLOR is unset or empty'
always\t'Colour even into a pipe or a file, whatever NO_COLOR says'
never\t'Never colour'"
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from watch" -l json -d 'One JSON object a line, as \'messages --json\' prints them'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from watch" -l no-compress -d 'Never compress the connection (COMPRESS=DEFLATE is otherwise used where the server offers it, except on a loopback address)'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from watch" -l compress -d 'Compress where the server offers it even on a loopback address, as through an SSH tunnel to a distant server'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from watch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from watch" -s V -l version -d 'Print version'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from help" -f -a "folders" -d 'List every folder with its message count'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from help" -f -a "subjects" -d 'Print the decoded subject of each message of a folder, in UID order, as they arrive'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from help" -f -a "messages" -d 'Print each message of a folder, parsed: uid, date, sender, subject'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one message: headers, text body and attachments'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from help" -f -a "export" -d 'Back up a folder into an mbox file or a Maildir; a second run fetches only what is new'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from help" -f -a "watch" -d 'Print each message that arrives in a folder, once, as it arrives'
complete -c tool -n "__fish_tool_using_subcommand imap; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tool -n "__fish_tool_using_subcommand completions" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set' -r -f -a "auto\t'Colour where the output is a terminal and NO_COLOR is unset or empty'
always\t'Colour even into a pipe or a file, whatever NO_COLOR says'
never\t'Never colour'"
complete -c tool -n "__fish_tool_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tool -n "__fish_tool_using_subcommand completions" -s V -l version -d 'Print version'
complete -c tool -n "__fish_tool_using_subcommand help; and not __fish_seen_subcommand_from twuu mirror chords imap completions help" -f -a "twuu" -d 'twuuenc, the uuencode of web2.0: pack bytes into 11-bit Unicode glyphs'
complete -c tool -n "__fish_tool_using_subcommand help; and not __fish_seen_subcommand_from twuu mirror chords imap completions help" -f -a "mirror" -d 'Copy the traffic of a Xen or KVM host and its guests to a monitoring VM'
complete -c tool -n "__fish_tool_using_subcommand help; and not __fish_seen_subcommand_from twuu mirror chords imap completions help" -f -a "chords" -d 'Chord sheets: the built-in songs or your own, transposed, capoed and exported'
complete -c tool -n "__fish_tool_using_subcommand help; and not __fish_seen_subcommand_from twuu mirror chords imap completions help" -f -a "imap" -d 'Read mail over IMAP without changing it: folders, subjects, parsed messages, backups'
complete -c tool -n "__fish_tool_using_subcommand help; and not __fish_seen_subcommand_from twuu mirror chords imap completions help" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c tool -n "__fish_tool_using_subcommand help; and not __fish_seen_subcommand_from twuu mirror chords imap completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tool -n "__fish_tool_using_subcommand help; and __fish_seen_subcommand_from twuu" -f -a "encode" -d 'Encode bytes as glyphs, followed by one newline'
complete -c tool -n "__fish_tool_using_subcommand help; and __fish_seen_subcommand_from twuu" -f -a "decode" -d 'Decode glyphs back to the original bytes'
complete -c tool -n "__fish_tool_using_subcommand help; and __fish_seen_subcommand_from twuu" -f -a "stats" -d 'Show the encoded length of the input and whether it fits one post, per platform'
complete -c tool -n "__fish_tool_using_subcommand help; and __fish_seen_subcommand_from twuu" -f -a "split" -d 'Encode and cut into numbered posts that each fit one platform'
complete -c tool -n "__fish_tool_using_subcommand help; and __fish_seen_subcommand_from mirror" -f -a "plan" -d 'Print the rules apply would load (nft script, JSON, or iptables-restore input); changes nothing'
complete -c tool -n "__fish_tool_using_subcommand help; and __fish_seen_subcommand_from mirror" -f -a "apply" -d 'Load the mirroring rules in one atomic transaction, replacing the tool\'s earlier ones'
complete -c tool -n "__fish_tool_using_subcommand help; and __fish_seen_subcommand_from mirror" -f -a "status" -d 'Whether copies reach the monitor, per source; exits 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN'
complete -c tool -n "__fish_tool_using_subcommand help; and __fish_seen_subcommand_from mirror" -f -a "remove" -d 'Delete everything the tool made, and nothing else'
complete -c tool -n "__fish_tool_using_subcommand help; and __fish_seen_subcommand_from mirror" -f -a "check" -d 'Check that this host can mirror: tools, kernel support, br_netfilter, destination'
complete -c tool -n "__fish_tool_using_subcommand help; and __fish_seen_subcommand_from mirror" -f -a "watch" -d 'Apply, then re-apply within a second whenever ports, the destination or the tool\'s tables change'
complete -c tool -n "__fish_tool_using_subcommand help; and __fish_seen_subcommand_from chords" -f -a "list" -d 'List the built-in songs: slug, title, source, key and chords'
complete -c tool -n "__fish_tool_using_subcommand help; and __fish_seen_subcommand_from chords" -f -a "show" -d 'Print a song, transposed, capoed or exported'
complete -c tool -n "__fish_tool_using_subcommand help; and __fish_seen_subcommand_from imap" -f -a "folders" -d 'List every folder with its message count'
complete -c tool -n "__fish_tool_using_subcommand help; and __fish_seen_subcommand_from imap" -f -a "subjects" -d 'Print the decoded subject of each message of a folder, in UID order, as they arrive'
complete -c tool -n "__fish_tool_using_subcommand help; and __fish_seen_subcommand_from imap" -f -a "messages" -d 'Print each message of a folder, parsed: uid, date, sender, subject'
complete -c tool -n "__fish_tool_using_subcommand help; and __fish_seen_subcommand_from imap" -f -a "show" -d 'Show one message: headers, text body and attachments'
complete -c tool -n "__fish_tool_using_subcommand help; and __fish_seen_subcommand_from imap" -f -a "export" -d 'Back up a folder into an mbox file or a Maildir; a second run fetches only what is new'
complete -c tool -n "__fish_tool_using_subcommand help; and __fish_seen_subcommand_from imap" -f -a "watch" -d 'Print each message that arrives in a folder, once, as it arrives'
