
use builtin;
use str;

set edit:completion:arg-completer[tool] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'tool'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'tool'= {
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand twuu 'twuuenc, the uuencode of web2.0: pack bytes into 11-bit Unicode glyphs'
            cand mirror 'Copy the traffic of a Xen or KVM host and its guests to a monitoring VM'
            cand chords 'Chord sheets: the built-in songs or your own, transposed, capoed and exported'
            cand imap 'Read mail over IMAP without changing it: folders, subjects, parsed messages, backups'
            cand completions 'Print a shell completion script to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tool;twuu'= {
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand encode 'Encode bytes as glyphs, followed by one newline'
            cand decode 'Decode glyphs back to the original bytes'
            cand stats 'Show the encoded length of the input and whether it fits one post, per platform'
            cand split 'Encode and cut into numbered posts that each fit one platform'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tool;twuu;encode'= {
            cand --alphabet 'The alphabet: 2048 (11 bits a glyph, the 2009 format) or 4096 (12 bits a glyph)'
            cand --for 'Use the densest alphabet for this platform''s count: 2048 for x, 4096 for mastodon and bluesky'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set'
            cand --zlib 'Compress with zlib (level 9) before encoding; the marker becomes ☺'
            cand --markers 'Wrap the message in markers (the default)'
            cand --no-markers 'Leave the markers out'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tool;twuu;decode'= {
            cand --max-size 'Refuse to inflate past this many bytes (K, M, G suffixes)'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set'
            cand --zlib 'Inflate the decoded bytes even if the message is not wrapped in ☺'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tool;twuu;stats'= {
            cand --alphabet 'The alphabet: 2048 (11 bits a glyph, the 2009 format) or 4096 (12 bits a glyph)'
            cand --for 'Count for this platform only (all three when absent)'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set'
            cand --zlib 'Compress with zlib (level 9) before encoding; the marker becomes ☺'
            cand --markers 'Wrap the message in markers (the default)'
            cand --no-markers 'Leave the markers out'
            cand --json 'Print one JSON object instead of text'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tool;twuu;split'= {
            cand --for 'The platform the posts are for: each fits one post there'
            cand --alphabet 'The alphabet: 2048 or 4096 (the densest for the platform when absent)'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set'
            cand --zlib 'Compress with zlib (level 9) before encoding; the marker becomes ☺ (☗ in 4096)'
            cand -0 'Follow each post with a NUL byte instead of a newline'
            cand --null 'Follow each post with a NUL byte instead of a newline'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tool;twuu;help'= {
            cand encode 'Encode bytes as glyphs, followed by one newline'
            cand decode 'Decode glyphs back to the original bytes'
            cand stats 'Show the encoded length of the input and whether it fits one post, per platform'
            cand split 'Encode and cut into numbered posts that each fit one platform'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tool;twuu;help;encode'= {
        }
        &'tool;twuu;help;decode'= {
        }
        &'tool;twuu;help;stats'= {
        }
        &'tool;twuu;help;split'= {
        }
        &'tool;twuu;help;help'= {
        }
        &'tool;mirror'= {
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand plan 'Print the rules apply would load (nft script, JSON, or iptables-restore input); changes nothing'
            cand apply 'Load the mirroring rules in one atomic transaction, replacing the tool''s earlier ones'
            cand status 'Whether copies reach the monitor, per source; exits 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN'
            cand remove 'Delete everything the tool made, and nothing else'
            cand check 'Check that this host can mirror: tools, kernel support, br_netfilter, destination'
            cand watch 'Apply, then re-apply within a second whenever ports, the destination or the tool''s tables change'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tool;mirror;plan'= {
            cand --bridge 'Mirror every port of this bridge, and what the host sends through it'
            cand --source 'Mirror this interface (repeatable; globs such as ''vif*'')'
            cand --to 'L2: duplicate frames onto this interface, the monitor VM''s capture port'
            cand --gateway 'L3: route copies to this address, the monitor VM''s (one per IP version)'
            cand --collector 'L2: also (or only) send every copy through a tunnel to a central collector: vxlan:ADDR, gretap:ADDR or erspan:ADDR, IPv4 or IPv6'
            cand --vni 'The collector tunnel''s VXLAN network identifier (GRE key, ERSPAN session id), one per host [default: 1]'
            cand --collector-port 'The collector''s VXLAN UDP port [default: 4789]'
            cand --exclude-iface 'Never copy frames received on this interface (repeatable; globs)'
            cand --exclude-net 'Never copy a packet from or to this network (repeatable; IPv4 or IPv6 CIDR)'
            cand --direction 'Which way --source ports are copied [default: both]'
            cand --backend 'nft, or iptables for the TEE target (L3 only) [default: nft]'
            cand --config 'Read the SPEC from a TOML file with the same field names (e.g. exclude_net); flags win'
            cand --format 'text (an nft script or iptables-restore input) or json (the nft JSON batch)'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set'
            cand --allow-bridged-monitor 'Accept a destination that is a port of a mirrored bridge (it also gets the flooding)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tool;mirror;apply'= {
            cand --bridge 'Mirror every port of this bridge, and what the host sends through it'
            cand --source 'Mirror this interface (repeatable; globs such as ''vif*'')'
            cand --to 'L2: duplicate frames onto this interface, the monitor VM''s capture port'
            cand --gateway 'L3: route copies to this address, the monitor VM''s (one per IP version)'
            cand --collector 'L2: also (or only) send every copy through a tunnel to a central collector: vxlan:ADDR, gretap:ADDR or erspan:ADDR, IPv4 or IPv6'
            cand --vni 'The collector tunnel''s VXLAN network identifier (GRE key, ERSPAN session id), one per host [default: 1]'
            cand --collector-port 'The collector''s VXLAN UDP port [default: 4789]'
            cand --exclude-iface 'Never copy frames received on this interface (repeatable; globs)'
            cand --exclude-net 'Never copy a packet from or to this network (repeatable; IPv4 or IPv6 CIDR)'
            cand --direction 'Which way --source ports are copied [default: both]'
            cand --backend 'nft, or iptables for the TEE target (L3 only) [default: nft]'
            cand --config 'Read the SPEC from a TOML file with the same field names (e.g. exclude_net); flags win'
            cand --wait 'Wait at most this long for another apply, remove or watch in this network namespace to finish, then fail without changing anything'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set'
            cand --allow-bridged-monitor 'Accept a destination that is a port of a mirrored bridge (it also gets the flooding)'
            cand --dry-run 'Check the change with nft --check (or iptables-restore --test) and change nothing'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tool;mirror;status'= {
            cand --format 'text (a summary line, a table, the problems), json, or prometheus (node_exporter textfile)'
            cand --interval 'Read the destinations'' drop counters twice, this many seconds apart (0: read once and skip the drops check)'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set'
            cand --json 'The same as --format json'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tool;mirror;remove'= {
            cand --backend 'Remove only what this backend holds [default: both]'
            cand --wait 'Wait at most this long for another apply, remove or watch in this network namespace to finish, then fail without changing anything'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tool;mirror;check'= {
            cand --bridge 'Mirror every port of this bridge, and what the host sends through it'
            cand --source 'Mirror this interface (repeatable; globs such as ''vif*'')'
            cand --to 'L2: duplicate frames onto this interface, the monitor VM''s capture port'
            cand --gateway 'L3: route copies to this address, the monitor VM''s (one per IP version)'
            cand --collector 'L2: also (or only) send every copy through a tunnel to a central collector: vxlan:ADDR, gretap:ADDR or erspan:ADDR, IPv4 or IPv6'
            cand --vni 'The collector tunnel''s VXLAN network identifier (GRE key, ERSPAN session id), one per host [default: 1]'
            cand --collector-port 'The collector''s VXLAN UDP port [default: 4789]'
            cand --exclude-iface 'Never copy frames received on this interface (repeatable; globs)'
            cand --exclude-net 'Never copy a packet from or to this network (repeatable; IPv4 or IPv6 CIDR)'
            cand --direction 'Which way --source ports are copied [default: both]'
            cand --backend 'nft, or iptables for the TEE target (L3 only) [default: nft]'
            cand --config 'Read the SPEC from a TOML file with the same field names (e.g. exclude_net); flags win'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set'
            cand --allow-bridged-monitor 'Accept a destination that is a port of a mirrored bridge (it also gets the flooding)'
            cand --json 'Print one JSON object instead of text'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tool;mirror;watch'= {
            cand --bridge 'Mirror every port of this bridge, and what the host sends through it'
            cand --source 'Mirror this interface (repeatable; globs such as ''vif*'')'
            cand --to 'L2: duplicate frames onto this interface, the monitor VM''s capture port'
            cand --gateway 'L3: route copies to this address, the monitor VM''s (one per IP version)'
            cand --collector 'L2: also (or only) send every copy through a tunnel to a central collector: vxlan:ADDR, gretap:ADDR or erspan:ADDR, IPv4 or IPv6'
            cand --vni 'The collector tunnel''s VXLAN network identifier (GRE key, ERSPAN session id), one per host [default: 1]'
            cand --collector-port 'The collector''s VXLAN UDP port [default: 4789]'
            cand --exclude-iface 'Never copy frames received on this interface (repeatable; globs)'
            cand --exclude-net 'Never copy a packet from or to this network (repeatable; IPv4 or IPv6 CIDR)'
            cand --direction 'Which way --source ports are copied [default: both]'
            cand --backend 'nft, or iptables for the TEE target (L3 only) [default: nft]'
            cand --config 'Read the SPEC from a TOML file with the same field names (e.g. exclude_net); flags win'
            cand --wait 'Wait at most this long for another apply, remove or watch in this network namespace to finish, then fail without changing anything'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set'
            cand --allow-bridged-monitor 'Accept a destination that is a port of a mirrored bridge (it also gets the flooding)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tool;mirror;help'= {
            cand plan 'Print the rules apply would load (nft script, JSON, or iptables-restore input); changes nothing'
            cand apply 'Load the mirroring rules in one atomic transaction, replacing the tool''s earlier ones'
            cand status 'Whether copies reach the monitor, per source; exits 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN'
            cand remove 'Delete everything the tool made, and nothing else'
            cand check 'Check that this host can mirror: tools, kernel support, br_netfilter, destination'
            cand watch 'Apply, then re-apply within a second whenever ports, the destination or the tool''s tables change'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tool;mirror;help;plan'= {
        }
        &'tool;mirror;help;apply'= {
        }
        &'tool;mirror;help;status'= {
        }
        &'tool;mirror;help;remove'= {
        }
        &'tool;mirror;help;check'= {
        }
        &'tool;mirror;help;watch'= {
        }
        &'tool;mirror;help;help'= {
        }
        &'tool;chords'= {
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the built-in songs: slug, title, source, key and chords'
            cand show 'Print a song, transposed, capoed or exported'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tool;chords;list'= {
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set'
            cand --json 'Print a JSON array instead of a table'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tool;chords;show'= {
            cand --transpose 'Move the song by N semitones, -11 to 11'
            cand --capo 'Show the shapes to play with a capo on fret N, 0 to 11; the song sounds the same. Without it, a sheet''s own {capo} (or "Capo:" line) is kept'
            cand --format 'Output format'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set'
            cand --sharps 'Spell every chord with sharps, whatever the key'
            cand --flats 'Spell every chord with flats, whatever the key'
            cand --no-color 'The same as --color never, from before --color; kept for the scripts that give it'
            cand --diagrams 'Add a guitar chord diagram for every chord used (ChordPro: {define} lines; HTML always has them)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tool;chords;help'= {
            cand list 'List the built-in songs: slug, title, source, key and chords'
            cand show 'Print a song, transposed, capoed or exported'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tool;chords;help;list'= {
        }
        &'tool;chords;help;show'= {
        }
        &'tool;chords;help;help'= {
        }
        &'tool;imap'= {
            cand --host 'The server''s host name or address'
            cand --port 'The server''s port [default: 993 with tls, 143 otherwise]'
            cand --user 'The user to log in as'
            cand --security 'How the connection is protected [default: tls]'
            cand --ca-file 'A PEM file with a CA certificate to trust besides the system''s (for a private CA)'
            cand --password-command 'Run CMD with sh and use the first line it prints as the password'
            cand --auth 'How to log in: the password, or an OAuth 2.0 access token (from the same sources as the password, e.g. a token broker as --password-command) [default: password]'
            cand --account 'Take the settings of this account from $XDG_CONFIG_HOME/tool/config.toml; flags win'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set'
            cand --no-compress 'Never compress the connection (COMPRESS=DEFLATE is otherwise used where the server offers it, except on a loopback address)'
            cand --compress 'Compress where the server offers it even on a loopback address, as through an SSH tunnel to a distant server'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand folders 'List every folder with its message count'
            cand subjects 'Print the decoded subject of each message of a folder, in UID order, as they arrive'
            cand messages 'Print each message of a folder, parsed: uid, date, sender, subject'
            cand show 'Show one message: headers, text body and attachments'
            cand export 'Back up a folder into an mbox file or a Maildir; a second run fetches only what is new'
            cand watch 'Print each message that arrives in a folder, once, as it arrives'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tool;imap;folders'= {
            cand --host 'The server''s host name or address'
            cand --port 'The server''s port [default: 993 with tls, 143 otherwise]'
            cand --user 'The user to log in as'
            cand --security 'How the connection is protected [default: tls]'
            cand --ca-file 'A PEM file with a CA certificate to trust besides the system''s (for a private CA)'
            cand --password-command 'Run CMD with sh and use the first line it prints as the password'
            cand --auth 'How to log in: the password, or an OAuth 2.0 access token (from the same sources as the password, e.g. a token broker as --password-command) [default: password]'
            cand --account 'Take the settings of this account from $XDG_CONFIG_HOME/tool/config.toml; flags win'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set'
            cand --json 'One JSON object a line: name, messages (null for a folder that only holds folders)'
            cand --no-compress 'Never compress the connection (COMPRESS=DEFLATE is otherwise used where the server offers it, except on a loopback address)'
            cand --compress 'Compress where the server offers it even on a loopback address, as through an SSH tunnel to a distant server'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tool;imap;subjects'= {
            cand --since 'Arrived on this day or later (YYYY-MM-DD; the server''s INTERNALDATE and time zone)'
            cand --before 'Arrived before this day (YYYY-MM-DD)'
            cand --from 'TEXT in the From header (case-insensitive substring)'
            cand --to 'TEXT in the To header'
            cand --subject 'TEXT in the Subject header'
            cand --larger 'Larger than SIZE (bytes, or with K, M or G)'
            cand --smaller 'Smaller than SIZE (bytes, or with K, M or G)'
            cand --host 'The server''s host name or address'
            cand --port 'The server''s port [default: 993 with tls, 143 otherwise]'
            cand --user 'The user to log in as'
            cand --security 'How the connection is protected [default: tls]'
            cand --ca-file 'A PEM file with a CA certificate to trust besides the system''s (for a private CA)'
            cand --password-command 'Run CMD with sh and use the first line it prints as the password'
            cand --auth 'How to log in: the password, or an OAuth 2.0 access token (from the same sources as the password, e.g. a token broker as --password-command) [default: password]'
            cand --account 'Take the settings of this account from $XDG_CONFIG_HOME/tool/config.toml; flags win'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set'
            cand --json 'One JSON object a line instead of text'
            cand --unseen 'Only messages not marked read (\Seen)'
            cand --no-compress 'Never compress the connection (COMPRESS=DEFLATE is otherwise used where the server offers it, except on a loopback address)'
            cand --compress 'Compress where the server offers it even on a loopback address, as through an SSH tunnel to a distant server'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tool;imap;messages'= {
            cand --since 'Arrived on this day or later (YYYY-MM-DD; the server''s INTERNALDATE and time zone)'
            cand --before 'Arrived before this day (YYYY-MM-DD)'
            cand --from 'TEXT in the From header (case-insensitive substring)'
            cand --to 'TEXT in the To header'
            cand --subject 'TEXT in the Subject header'
            cand --larger 'Larger than SIZE (bytes, or with K, M or G)'
            cand --smaller 'Smaller than SIZE (bytes, or with K, M or G)'
            cand --host 'The server''s host name or address'
            cand --port 'The server''s port [default: 993 with tls, 143 otherwise]'
            cand --user 'The user to log in as'
            cand --security 'How the connection is protected [default: tls]'
            cand --ca-file 'A PEM file with a CA certificate to trust besides the system''s (for a private CA)'
            cand --password-command 'Run CMD with sh and use the first line it prints as the password'
            cand --auth 'How to log in: the password, or an OAuth 2.0 access token (from the same sources as the password, e.g. a token broker as --password-command) [default: password]'
            cand --account 'Take the settings of this account from $XDG_CONFIG_HOME/tool/config.toml; flags win'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set'
            cand --json 'One JSON object a line instead of text'
            cand --unseen 'Only messages not marked read (\Seen)'
            cand --no-compress 'Never compress the connection (COMPRESS=DEFLATE is otherwise used where the server offers it, except on a loopback address)'
            cand --compress 'Compress where the server offers it even on a loopback address, as through an SSH tunnel to a distant server'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tool;imap;show'= {
            cand --host 'The server''s host name or address'
            cand --port 'The server''s port [default: 993 with tls, 143 otherwise]'
            cand --user 'The user to log in as'
            cand --security 'How the connection is protected [default: tls]'
            cand --ca-file 'A PEM file with a CA certificate to trust besides the system''s (for a private CA)'
            cand --password-command 'Run CMD with sh and use the first line it prints as the password'
            cand --auth 'How to log in: the password, or an OAuth 2.0 access token (from the same sources as the password, e.g. a token broker as --password-command) [default: password]'
            cand --account 'Take the settings of this account from $XDG_CONFIG_HOME/tool/config.toml; flags win'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set'
            cand --raw 'Print the message''s exact bytes instead'
            cand --no-compress 'Never compress the connection (COMPRESS=DEFLATE is otherwise used where the server offers it, except on a loopback address)'
            cand --compress 'Compress where the server offers it even on a loopback address, as through an SSH tunnel to a distant server'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tool;imap;export'= {
            cand --mbox 'Append to this mbox file, in mboxrd format (created if missing)'
            cand --maildir 'Write into this Maildir (created if missing)'
            cand --since 'Arrived on this day or later (YYYY-MM-DD; the server''s INTERNALDATE and time zone)'
            cand --before 'Arrived before this day (YYYY-MM-DD)'
            cand --from 'TEXT in the From header (case-insensitive substring)'
            cand --to 'TEXT in the To header'
            cand --subject 'TEXT in the Subject header'
            cand --larger 'Larger than SIZE (bytes, or with K, M or G)'
            cand --smaller 'Smaller than SIZE (bytes, or with K, M or G)'
            cand --host 'The server''s host name or address'
            cand --port 'The server''s port [default: 993 with tls, 143 otherwise]'
            cand --user 'The user to log in as'
            cand --security 'How the connection is protected [default: tls]'
            cand --ca-file 'A PEM file with a CA certificate to trust besides the system''s (for a private CA)'
            cand --password-command 'Run CMD with sh and use the first line it prints as the password'
            cand --auth 'How to log in: the password, or an OAuth 2.0 access token (from the same sources as the password, e.g. a token broker as --password-command) [default: password]'
            cand --account 'Take the settings of this account from $XDG_CONFIG_HOME/tool/config.toml; flags win'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set'
            cand --unseen 'Only messages not marked read (\Seen)'
            cand --no-compress 'Never compress the connection (COMPRESS=DEFLATE is otherwise used where the server offers it, except on a loopback address)'
            cand --compress 'Compress where the server offers it even on a loopback address, as through an SSH tunnel to a distant server'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tool;imap;watch'= {
            cand --exec 'Run CMD with sh once per message, with its JSON line on stdin (and TOOL_IMAP_UID, \ TOOL_IMAP_FOLDER set); a failing CMD is reported and the watch goes on'
            cand --interval 'Seconds between NOOPs where the server lacks IDLE'
            cand --since-uid 'Start with the messages above this UID (0 for every message of the folder)'
            cand --state 'Record in FILE where the watch stands, and resume from there when FILE exists'
            cand --host 'The server''s host name or address'
            cand --port 'The server''s port [default: 993 with tls, 143 otherwise]'
            cand --user 'The user to log in as'
            cand --security 'How the connection is protected [default: tls]'
            cand --ca-file 'A PEM file with a CA certificate to trust besides the system''s (for a private CA)'
            cand --password-command 'Run CMD with sh and use the first line it prints as the password'
            cand --auth 'How to log in: the password, or an OAuth 2.0 access token (from the same sources as the password, e.g. a token broker as --password-command) [default: password]'
            cand --account 'Take the settings of this account from $XDG_CONFIG_HOME/tool/config.toml; flags win'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set'
            cand --json 'One JSON object a line, as ''messages --json'' prints them'
            cand --no-compress 'Never compress the connection (COMPRESS=DEFLATE is otherwise used where the server offers it, except on a loopback address)'
            cand --compress 'Compress where the server offers it even on a loopback address, as through an SSH tunnel to a distant server'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tool;imap;help'= {
            cand folders 'List every folder with its message count'
            cand subjects 'Print the decoded subject of each message of a folder, in UID order, as they arrive'
            cand messages 'Print each message of a folder, parsed: uid, date, sender, subject'
            cand show 'Show one message: headers, text body and attachments'
            cand export 'Back up a folder into an mbox file or a Maildir; a second run fetches only what is new'
            cand watch 'Print each message that arrives in a folder, once, as it arrives'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tool;imap;help;folders'= {
        }
        &'tool;imap;help;subjects'= {
        }
        &'tool;imap;help;messages'= {
        }
        &'tool;imap;help;show'= {
        }
        &'tool;imap;help;export'= {
        }
        &'tool;imap;help;watch'= {
        }
        &'tool;imap;help;help'= {
        }
        &'tool;completions'= {
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tool;help'= {
            cand twuu 'twuuenc, the uuencode of web2.0: pack bytes into 11-bit Unicode glyphs'
            cand mirror 'Copy the traffic of a Xen or KVM host and its guests to a monitoring VM'
            cand chords 'Chord sheets: the built-in songs or your own, transposed, capoed and exported'
            cand imap 'Read mail over IMAP without changing it: folders, subjects, parsed messages, backups'
            cand completions 'Print a shell completion script to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tool;help;twuu'= {
            cand encode 'Encode bytes as glyphs, followed by one newline'
            cand decode 'Decode glyphs back to the original bytes'
            cand stats 'Show the encoded length of the input and whether it fits one post, per platform'
            cand split 'Encode and cut into numbered posts that each fit one platform'
        }
        &'tool;help;twuu;encode'= {
        }
        &'tool;help;twuu;decode'= {
        }
        &'tool;help;twuu;stats'= {
        }
        &'tool;help;twuu;split'= {
        }
        &'tool;help;mirror'= {
            cand plan 'Print the rules apply would load (nft script, JSON, or iptables-restore input); changes nothing'
            cand apply 'Load the mirroring rules in one atomic transaction, replacing the tool''s earlier ones'
            cand status 'Whether copies reach the monitor, per source; exits 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN'
            cand remove 'Delete everything the tool made, and nothing else'
            cand check 'Check that this host can mirror: tools, kernel support, br_netfilter, destination'
            cand watch 'Apply, then re-apply within a second whenever ports, the destination or the tool''s tables change'
        }
        &'tool;help;mirror;plan'= {
        }
        &'tool;help;mirror;apply'= {
        }
        &'tool;help;mirror;status'= {
        }
        &'tool;help;mirror;remove'= {
        }
        &'tool;help;mirror;check'= {
        }
        &'tool;help;mirror;watch'= {
        }
        &'tool;help;chords'= {
            cand list 'List the built-in songs: slug, title, source, key and chords'
            cand show 'Print a song, transposed, capoed or exported'
        }
        &'tool;help;chords;list'= {
        }
        &'tool;help;chords;show'= {
        }
        &'tool;help;imap'= {
            cand folders 'List every folder with its message count'
            cand subjects 'Print the decoded subject of each message of a folder, in UID order, as they arrive'
            cand messages 'Print each message of a folder, parsed: uid, date, sender, subject'
            cand show 'Show one message: headers, text body and attachments'
            cand export 'Back up a folder into an mbox file or a Maildir; a second run fetches only what is new'
            cand watch 'Print each message that arrives in a folder, once, as it arrives'
        }
        &'tool;help;imap;folders'= {
        }
        &'tool;help;imap;subjects'= {
        }
        &'tool;help;imap;messages'= {
        }
        &'tool;help;imap;show'= {
        }
        &'tool;help;imap;export'= {
        }
        &'tool;help;imap;watch'= {
        }
        &'tool;help;completions'= {
        }
        &'tool;help;help'= {
        }
    ]
    $completions[$command]
}
