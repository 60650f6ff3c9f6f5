
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'tool' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'tool'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'tool' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('twuu', 'twuu', [CompletionResultType]::ParameterValue, 'twuuenc, the uuencode of web2.0: pack bytes into 11-bit Unicode glyphs')
            [CompletionResult]::new('mirror', 'mirror', [CompletionResultType]::ParameterValue, 'Copy the traffic of a Xen or KVM host and its guests to a monitoring VM')
            [CompletionResult]::new('chords', 'chords', [CompletionResultType]::ParameterValue, 'Chord sheets: the built-in songs or your own, transposed, capoed and exported')
            [CompletionResult]::new('imap', 'imap', [CompletionResultType]::ParameterValue, 'Read mail over IMAP without changing it: folders, subjects, parsed messages, backups')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script to stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tool;twuu' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('encode', 'encode', [CompletionResultType]::ParameterValue, 'Encode bytes as glyphs, followed by one newline')
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Decode glyphs back to the original bytes')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Show the encoded length of the input and whether it fits one post, per platform')
            [CompletionResult]::new('split', 'split', [CompletionResultType]::ParameterValue, 'Encode and cut into numbered posts that each fit one platform')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tool;twuu;encode' {
            [CompletionResult]::new('--alphabet', '--alphabet', [CompletionResultType]::ParameterName, 'The alphabet: 2048 (11 bits a glyph, the 2009 format) or 4096 (12 bits a glyph)')
            [CompletionResult]::new('--for', '--for', [CompletionResultType]::ParameterName, 'Use the densest alphabet for this platform''s count: 2048 for x, 4096 for mastodon and bluesky')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set')
            [CompletionResult]::new('--zlib', '--zlib', [CompletionResultType]::ParameterName, 'Compress with zlib (level 9) before encoding; the marker becomes ☺')
            [CompletionResult]::new('--markers', '--markers', [CompletionResultType]::ParameterName, 'Wrap the message in markers (the default)')
            [CompletionResult]::new('--no-markers', '--no-markers', [CompletionResultType]::ParameterName, 'Leave the markers out')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tool;twuu;decode' {
            [CompletionResult]::new('--max-size', '--max-size', [CompletionResultType]::ParameterName, 'Refuse to inflate past this many bytes (K, M, G suffixes)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set')
            [CompletionResult]::new('--zlib', '--zlib', [CompletionResultType]::ParameterName, 'Inflate the decoded bytes even if the message is not wrapped in ☺')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tool;twuu;stats' {
            [CompletionResult]::new('--alphabet', '--alphabet', [CompletionResultType]::ParameterName, 'The alphabet: 2048 (11 bits a glyph, the 2009 format) or 4096 (12 bits a glyph)')
            [CompletionResult]::new('--for', '--for', [CompletionResultType]::ParameterName, 'Count for this platform only (all three when absent)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set')
            [CompletionResult]::new('--zlib', '--zlib', [CompletionResultType]::ParameterName, 'Compress with zlib (level 9) before encoding; the marker becomes ☺')
            [CompletionResult]::new('--markers', '--markers', [CompletionResultType]::ParameterName, 'Wrap the message in markers (the default)')
            [CompletionResult]::new('--no-markers', '--no-markers', [CompletionResultType]::ParameterName, 'Leave the markers out')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object instead of text')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tool;twuu;split' {
            [CompletionResult]::new('--for', '--for', [CompletionResultType]::ParameterName, 'The platform the posts are for: each fits one post there')
            [CompletionResult]::new('--alphabet', '--alphabet', [CompletionResultType]::ParameterName, 'The alphabet: 2048 or 4096 (the densest for the platform when absent)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set')
            [CompletionResult]::new('--zlib', '--zlib', [CompletionResultType]::ParameterName, 'Compress with zlib (level 9) before encoding; the marker becomes ☺ (☗ in 4096)')
            [CompletionResult]::new('-0', '-0', [CompletionResultType]::ParameterName, 'Follow each post with a NUL byte instead of a newline')
            [CompletionResult]::new('--null', '--null', [CompletionResultType]::ParameterName, 'Follow each post with a NUL byte instead of a newline')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tool;twuu;help' {
            [CompletionResult]::new('encode', 'encode', [CompletionResultType]::ParameterValue, 'Encode bytes as glyphs, followed by one newline')
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Decode glyphs back to the original bytes')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Show the encoded length of the input and whether it fits one post, per platform')
            [CompletionResult]::new('split', 'split', [CompletionResultType]::ParameterValue, 'Encode and cut into numbered posts that each fit one platform')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tool;twuu;help;encode' {
            break
        }
        'tool;twuu;help;decode' {
            break
        }
        'tool;twuu;help;stats' {
            break
        }
        'tool;twuu;help;split' {
            break
        }
        'tool;twuu;help;help' {
            break
        }
        'tool;mirror' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Print the rules apply would load (nft script, JSON, or iptables-restore input); changes nothing')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Load the mirroring rules in one atomic transaction, replacing the tool''s earlier ones')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Whether copies reach the monitor, per source; exits 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Delete everything the tool made, and nothing else')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check that this host can mirror: tools, kernel support, br_netfilter, destination')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Apply, then re-apply within a second whenever ports, the destination or the tool''s tables change')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tool;mirror;plan' {
            [CompletionResult]::new('--bridge', '--bridge', [CompletionResultType]::ParameterName, 'Mirror every port of this bridge, and what the host sends through it')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Mirror this interface (repeatable; globs such as ''vif*'')')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'L2: duplicate frames onto this interface, the monitor VM''s capture port')
            [CompletionResult]::new('--gateway', '--gateway', [CompletionResultType]::ParameterName, 'L3: route copies to this address, the monitor VM''s (one per IP version)')
            [CompletionResult]::new('--collector', '--collector', [CompletionResultType]::ParameterName, 'L2: also (or only) send every copy through a tunnel to a central collector: vxlan:ADDR, gretap:ADDR or erspan:ADDR, IPv4 or IPv6')
            [CompletionResult]::new('--vni', '--vni', [CompletionResultType]::ParameterName, 'The collector tunnel''s VXLAN network identifier (GRE key, ERSPAN session id), one per host [default: 1]')
            [CompletionResult]::new('--collector-port', '--collector-port', [CompletionResultType]::ParameterName, 'The collector''s VXLAN UDP port [default: 4789]')
            [CompletionResult]::new('--exclude-iface', '--exclude-iface', [CompletionResultType]::ParameterName, 'Never copy frames received on this interface (repeatable; globs)')
            [CompletionResult]::new('--exclude-net', '--exclude-net', [CompletionResultType]::ParameterName, 'Never copy a packet from or to this network (repeatable; IPv4 or IPv6 CIDR)')
            [CompletionResult]::new('--direction', '--direction', [CompletionResultType]::ParameterName, 'Which way --source ports are copied [default: both]')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'nft, or iptables for the TEE target (L3 only) [default: nft]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read the SPEC from a TOML file with the same field names (e.g. exclude_net); flags win')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'text (an nft script or iptables-restore input) or json (the nft JSON batch)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set')
            [CompletionResult]::new('--allow-bridged-monitor', '--allow-bridged-monitor', [CompletionResultType]::ParameterName, 'Accept a destination that is a port of a mirrored bridge (it also gets the flooding)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tool;mirror;apply' {
            [CompletionResult]::new('--bridge', '--bridge', [CompletionResultType]::ParameterName, 'Mirror every port of this bridge, and what the host sends through it')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Mirror this interface (repeatable; globs such as ''vif*'')')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'L2: duplicate frames onto this interface, the monitor VM''s capture port')
            [CompletionResult]::new('--gateway', '--gateway', [CompletionResultType]::ParameterName, 'L3: route copies to this address, the monitor VM''s (one per IP version)')
            [CompletionResult]::new('--collector', '--collector', [CompletionResultType]::ParameterName, 'L2: also (or only) send every copy through a tunnel to a central collector: vxlan:ADDR, gretap:ADDR or erspan:ADDR, IPv4 or IPv6')
            [CompletionResult]::new('--vni', '--vni', [CompletionResultType]::ParameterName, 'The collector tunnel''s VXLAN network identifier (GRE key, ERSPAN session id), one per host [default: 1]')
            [CompletionResult]::new('--collector-port', '--collector-port', [CompletionResultType]::ParameterName, 'The collector''s VXLAN UDP port [default: 4789]')
            [CompletionResult]::new('--exclude-iface', '--exclude-iface', [CompletionResultType]::ParameterName, 'Never copy frames received on this interface (repeatable; globs)')
            [CompletionResult]::new('--exclude-net', '--exclude-net', [CompletionResultType]::ParameterName, 'Never copy a packet from or to this network (repeatable; IPv4 or IPv6 CIDR)')
            [CompletionResult]::new('--direction', '--direction', [CompletionResultType]::ParameterName, 'Which way --source ports are copied [default: both]')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'nft, or iptables for the TEE target (L3 only) [default: nft]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read the SPEC from a TOML file with the same field names (e.g. exclude_net); flags win')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait at most this long for another apply, remove or watch in this network namespace to finish, then fail without changing anything')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set')
            [CompletionResult]::new('--allow-bridged-monitor', '--allow-bridged-monitor', [CompletionResultType]::ParameterName, 'Accept a destination that is a port of a mirrored bridge (it also gets the flooding)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Check the change with nft --check (or iptables-restore --test) and change nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tool;mirror;status' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'text (a summary line, a table, the problems), json, or prometheus (node_exporter textfile)')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Read the destinations'' drop counters twice, this many seconds apart (0: read once and skip the drops check)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'The same as --format json')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tool;mirror;remove' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Remove only what this backend holds [default: both]')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait at most this long for another apply, remove or watch in this network namespace to finish, then fail without changing anything')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tool;mirror;check' {
            [CompletionResult]::new('--bridge', '--bridge', [CompletionResultType]::ParameterName, 'Mirror every port of this bridge, and what the host sends through it')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Mirror this interface (repeatable; globs such as ''vif*'')')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'L2: duplicate frames onto this interface, the monitor VM''s capture port')
            [CompletionResult]::new('--gateway', '--gateway', [CompletionResultType]::ParameterName, 'L3: route copies to this address, the monitor VM''s (one per IP version)')
            [CompletionResult]::new('--collector', '--collector', [CompletionResultType]::ParameterName, 'L2: also (or only) send every copy through a tunnel to a central collector: vxlan:ADDR, gretap:ADDR or erspan:ADDR, IPv4 or IPv6')
            [CompletionResult]::new('--vni', '--vni', [CompletionResultType]::ParameterName, 'The collector tunnel''s VXLAN network identifier (GRE key, ERSPAN session id), one per host [default: 1]')
            [CompletionResult]::new('--collector-port', '--collector-port', [CompletionResultType]::ParameterName, 'The collector''s VXLAN UDP port [default: 4789]')
            [CompletionResult]::new('--exclude-iface', '--exclude-iface', [CompletionResultType]::ParameterName, 'Never copy frames received on this interface (repeatable; globs)')
            [CompletionResult]::new('--exclude-net', '--exclude-net', [CompletionResultType]::ParameterName, 'Never copy a packet from or to this network (repeatable; IPv4 or IPv6 CIDR)')
            [CompletionResult]::new('--direction', '--direction', [CompletionResultType]::ParameterName, 'Which way --source ports are copied [default: both]')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'nft, or iptables for the TEE target (L3 only) [default: nft]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read the SPEC from a TOML file with the same field names (e.g. exclude_net); flags win')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set')
            [CompletionResult]::new('--allow-bridged-monitor', '--allow-bridged-monitor', [CompletionResultType]::ParameterName, 'Accept a destination that is a port of a mirrored bridge (it also gets the flooding)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object instead of text')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tool;mirror;watch' {
            [CompletionResult]::new('--bridge', '--bridge', [CompletionResultType]::ParameterName, 'Mirror every port of this bridge, and what the host sends through it')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Mirror this interface (repeatable; globs such as ''vif*'')')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'L2: duplicate frames onto this interface, the monitor VM''s capture port')
            [CompletionResult]::new('--gateway', '--gateway', [CompletionResultType]::ParameterName, 'L3: route copies to this address, the monitor VM''s (one per IP version)')
            [CompletionResult]::new('--collector', '--collector', [CompletionResultType]::ParameterName, 'L2: also (or only) send every copy through a tunnel to a central collector: vxlan:ADDR, gretap:ADDR or erspan:ADDR, IPv4 or IPv6')
            [CompletionResult]::new('--vni', '--vni', [CompletionResultType]::ParameterName, 'The collector tunnel''s VXLAN network identifier (GRE key, ERSPAN session id), one per host [default: 1]')
            [CompletionResult]::new('--collector-port', '--collector-port', [CompletionResultType]::ParameterName, 'The collector''s VXLAN UDP port [default: 4789]')
            [CompletionResult]::new('--exclude-iface', '--exclude-iface', [CompletionResultType]::ParameterName, 'Never copy frames received on this interface (repeatable; globs)')
            [CompletionResult]::new('--exclude-net', '--exclude-net', [CompletionResultType]::ParameterName, 'Never copy a packet from or to this network (repeatable; IPv4 or IPv6 CIDR)')
            [CompletionResult]::new('--direction', '--direction', [CompletionResultType]::ParameterName, 'Which way --source ports are copied [default: both]')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'nft, or iptables for the TEE target (L3 only) [default: nft]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read the SPEC from a TOML file with the same field names (e.g. exclude_net); flags win')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait at most this long for another apply, remove or watch in this network namespace to finish, then fail without changing anything')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set')
            [CompletionResult]::new('--allow-bridged-monitor', '--allow-bridged-monitor', [CompletionResultType]::ParameterName, 'Accept a destination that is a port of a mirrored bridge (it also gets the flooding)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tool;mirror;help' {
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Print the rules apply would load (nft script, JSON, or iptables-restore input); changes nothing')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Load the mirroring rules in one atomic transaction, replacing the tool''s earlier ones')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Whether copies reach the monitor, per source; exits 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Delete everything the tool made, and nothing else')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check that this host can mirror: tools, kernel support, br_netfilter, destination')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Apply, then re-apply within a second whenever ports, the destination or the tool''s tables change')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tool;mirror;help;plan' {
            break
        }
        'tool;mirror;help;apply' {
            break
        }
        'tool;mirror;help;status' {
            break
        }
        'tool;mirror;help;remove' {
            break
        }
        'tool;mirror;help;check' {
            break
        }
        'tool;mirror;help;watch' {
            break
        }
        'tool;mirror;help;help' {
            break
        }
        'tool;chords' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the built-in songs: slug, title, source, key and chords')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a song, transposed, capoed or exported')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tool;chords;list' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON array instead of a table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tool;chords;show' {
            [CompletionResult]::new('--transpose', '--transpose', [CompletionResultType]::ParameterName, 'Move the song by N semitones, -11 to 11')
            [CompletionResult]::new('--capo', '--capo', [CompletionResultType]::ParameterName, 'Show the shapes to play with a capo on fret N, 0 to 11; the song sounds the same. Without it, a sheet''s own {capo} (or "Capo:" line) is kept')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set')
            [CompletionResult]::new('--sharps', '--sharps', [CompletionResultType]::ParameterName, 'Spell every chord with sharps, whatever the key')
            [CompletionResult]::new('--flats', '--flats', [CompletionResultType]::ParameterName, 'Spell every chord with flats, whatever the key')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'The same as --color never, from before --color; kept for the scripts that give it')
            [CompletionResult]::new('--diagrams', '--diagrams', [CompletionResultType]::ParameterName, 'Add a guitar chord diagram for every chord used (ChordPro: {define} lines; HTML always has them)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tool;chords;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the built-in songs: slug, title, source, key and chords')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a song, transposed, capoed or exported')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tool;chords;help;list' {
            break
        }
        'tool;chords;help;show' {
            break
        }
        'tool;chords;help;help' {
            break
        }
        'tool;imap' {
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The server''s host name or address')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The server''s port [default: 993 with tls, 143 otherwise]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The user to log in as')
            [CompletionResult]::new('--security', '--security', [CompletionResultType]::ParameterName, 'How the connection is protected [default: tls]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'A PEM file with a CA certificate to trust besides the system''s (for a private CA)')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'Run CMD with sh and use the first line it prints as the password')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How to log in: the password, or an OAuth 2.0 access token (from the same sources as the password, e.g. a token broker as --password-command) [default: password]')
            [CompletionResult]::new('--account', '--account', [CompletionResultType]::ParameterName, 'Take the settings of this account from $XDG_CONFIG_HOME/tool/config.toml; flags win')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set')
            [CompletionResult]::new('--no-compress', '--no-compress', [CompletionResultType]::ParameterName, 'Never compress the connection (COMPRESS=DEFLATE is otherwise used where the server offers it, except on a loopback address)')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Compress where the server offers it even on a loopback address, as through an SSH tunnel to a distant server')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('folders', 'folders', [CompletionResultType]::ParameterValue, 'List every folder with its message count')
            [CompletionResult]::new('subjects', 'subjects', [CompletionResultType]::ParameterValue, 'Print the decoded subject of each message of a folder, in UID order, as they arrive')
            [CompletionResult]::new('messages', 'messages', [CompletionResultType]::ParameterValue, 'Print each message of a folder, parsed: uid, date, sender, subject')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one message: headers, text body and attachments')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Back up a folder into an mbox file or a Maildir; a second run fetches only what is new')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Print each message that arrives in a folder, once, as it arrives')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tool;imap;folders' {
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The server''s host name or address')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The server''s port [default: 993 with tls, 143 otherwise]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The user to log in as')
            [CompletionResult]::new('--security', '--security', [CompletionResultType]::ParameterName, 'How the connection is protected [default: tls]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'A PEM file with a CA certificate to trust besides the system''s (for a private CA)')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'Run CMD with sh and use the first line it prints as the password')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How to log in: the password, or an OAuth 2.0 access token (from the same sources as the password, e.g. a token broker as --password-command) [default: password]')
            [CompletionResult]::new('--account', '--account', [CompletionResultType]::ParameterName, 'Take the settings of this account from $XDG_CONFIG_HOME/tool/config.toml; flags win')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'One JSON object a line: name, messages (null for a folder that only holds folders)')
            [CompletionResult]::new('--no-compress', '--no-compress', [CompletionResultType]::ParameterName, 'Never compress the connection (COMPRESS=DEFLATE is otherwise used where the server offers it, except on a loopback address)')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Compress where the server offers it even on a loopback address, as through an SSH tunnel to a distant server')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tool;imap;subjects' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Arrived on this day or later (YYYY-MM-DD; the server''s INTERNALDATE and time zone)')
            [CompletionResult]::new('--before', '--before', [CompletionResultType]::ParameterName, 'Arrived before this day (YYYY-MM-DD)')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'TEXT in the From header (case-insensitive substring)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'TEXT in the To header')
            [CompletionResult]::new('--subject', '--subject', [CompletionResultType]::ParameterName, 'TEXT in the Subject header')
            [CompletionResult]::new('--larger', '--larger', [CompletionResultType]::ParameterName, 'Larger than SIZE (bytes, or with K, M or G)')
            [CompletionResult]::new('--smaller', '--smaller', [CompletionResultType]::ParameterName, 'Smaller than SIZE (bytes, or with K, M or G)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The server''s host name or address')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The server''s port [default: 993 with tls, 143 otherwise]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The user to log in as')
            [CompletionResult]::new('--security', '--security', [CompletionResultType]::ParameterName, 'How the connection is protected [default: tls]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'A PEM file with a CA certificate to trust besides the system''s (for a private CA)')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'Run CMD with sh and use the first line it prints as the password')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How to log in: the password, or an OAuth 2.0 access token (from the same sources as the password, e.g. a token broker as --password-command) [default: password]')
            [CompletionResult]::new('--account', '--account', [CompletionResultType]::ParameterName, 'Take the settings of this account from $XDG_CONFIG_HOME/tool/config.toml; flags win')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'One JSON object a line instead of text')
            [CompletionResult]::new('--unseen', '--unseen', [CompletionResultType]::ParameterName, 'Only messages not marked read (\Seen)')
            [CompletionResult]::new('--no-compress', '--no-compress', [CompletionResultType]::ParameterName, 'Never compress the connection (COMPRESS=DEFLATE is otherwise used where the server offers it, except on a loopback address)')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Compress where the server offers it even on a loopback address, as through an SSH tunnel to a distant server')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tool;imap;messages' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Arrived on this day or later (YYYY-MM-DD; the server''s INTERNALDATE and time zone)')
            [CompletionResult]::new('--before', '--before', [CompletionResultType]::ParameterName, 'Arrived before this day (YYYY-MM-DD)')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'TEXT in the From header (case-insensitive substring)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'TEXT in the To header')
            [CompletionResult]::new('--subject', '--subject', [CompletionResultType]::ParameterName, 'TEXT in the Subject header')
            [CompletionResult]::new('--larger', '--larger', [CompletionResultType]::ParameterName, 'Larger than SIZE (bytes, or with K, M or G)')
            [CompletionResult]::new('--smaller', '--smaller', [CompletionResultType]::ParameterName, 'Smaller than SIZE (bytes, or with K, M or G)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The server''s host name or address')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The server''s port [default: 993 with tls, 143 otherwise]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The user to log in as')
            [CompletionResult]::new('--security', '--security', [CompletionResultType]::ParameterName, 'How the connection is protected [default: tls]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'A PEM file with a CA certificate to trust besides the system''s (for a private CA)')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'Run CMD with sh and use the first line it prints as the password')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How to log in: the password, or an OAuth 2.0 access token (from the same sources as the password, e.g. a token broker as --password-command) [default: password]')
            [CompletionResult]::new('--account', '--account', [CompletionResultType]::ParameterName, 'Take the settings of this account from $XDG_CONFIG_HOME/tool/config.toml; flags win')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'One JSON object a line instead of text')
            [CompletionResult]::new('--unseen', '--unseen', [CompletionResultType]::ParameterName, 'Only messages not marked read (\Seen)')
            [CompletionResult]::new('--no-compress', '--no-compress', [CompletionResultType]::ParameterName, 'Never compress the connection (COMPRESS=DEFLATE is otherwise used where the server offers it, except on a loopback address)')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Compress where the server offers it even on a loopback address, as through an SSH tunnel to a distant server')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tool;imap;show' {
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The server''s host name or address')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The server''s port [default: 993 with tls, 143 otherwise]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The user to log in as')
            [CompletionResult]::new('--security', '--security', [CompletionResultType]::ParameterName, 'How the connection is protected [default: tls]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'A PEM file with a CA certificate to trust besides the system''s (for a private CA)')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'Run CMD with sh and use the first line it prints as the password')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How to log in: the password, or an OAuth 2.0 access token (from the same sources as the password, e.g. a token broker as --password-command) [default: password]')
            [CompletionResult]::new('--account', '--account', [CompletionResultType]::ParameterName, 'Take the settings of this account from $XDG_CONFIG_HOME/tool/config.toml; flags win')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Print the message''s exact bytes instead')
            [CompletionResult]::new('--no-compress', '--no-compress', [CompletionResultType]::ParameterName, 'Never compress the connection (COMPRESS=DEFLATE is otherwise used where the server offers it, except on a loopback address)')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Compress where the server offers it even on a loopback address, as through an SSH tunnel to a distant server')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tool;imap;export' {
            [CompletionResult]::new('--mbox', '--mbox', [CompletionResultType]::ParameterName, 'Append to this mbox file, in mboxrd format (created if missing)')
            [CompletionResult]::new('--maildir', '--maildir', [CompletionResultType]::ParameterName, 'Write into this Maildir (created if missing)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Arrived on this day or later (YYYY-MM-DD; the server''s INTERNALDATE and time zone)')
            [CompletionResult]::new('--before', '--before', [CompletionResultType]::ParameterName, 'Arrived before this day (YYYY-MM-DD)')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'TEXT in the From header (case-insensitive substring)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'TEXT in the To header')
            [CompletionResult]::new('--subject', '--subject', [CompletionResultType]::ParameterName, 'TEXT in the Subject header')
            [CompletionResult]::new('--larger', '--larger', [CompletionResultType]::ParameterName, 'Larger than SIZE (bytes, or with K, M or G)')
            [CompletionResult]::new('--smaller', '--smaller', [CompletionResultType]::ParameterName, 'Smaller than SIZE (bytes, or with K, M or G)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The server''s host name or address')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The server''s port [default: 993 with tls, 143 otherwise]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The user to log in as')
            [CompletionResult]::new('--security', '--security', [CompletionResultType]::ParameterName, 'How the connection is protected [default: tls]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'A PEM file with a CA certificate to trust besides the system''s (for a private CA)')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'Run CMD with sh and use the first line it prints as the password')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How to log in: the password, or an OAuth 2.0 access token (from the same sources as the password, e.g. a token broker as --password-command) [default: password]')
            [CompletionResult]::new('--account', '--account', [CompletionResultType]::ParameterName, 'Take the settings of this account from $XDG_CONFIG_HOME/tool/config.toml; flags win')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set')
            [CompletionResult]::new('--unseen', '--unseen', [CompletionResultType]::ParameterName, 'Only messages not marked read (\Seen)')
            [CompletionResult]::new('--no-compress', '--no-compress', [CompletionResultType]::ParameterName, 'Never compress the connection (COMPRESS=DEFLATE is otherwise used where the server offers it, except on a loopback address)')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Compress where the server offers it even on a loopback address, as through an SSH tunnel to a distant server')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tool;imap;watch' {
            [CompletionResult]::new('--exec', '--exec', [CompletionResultType]::ParameterName, 'Run CMD with sh once per message, with its JSON line on stdin (and TOOL_IMAP_UID, \ TOOL_IMAP_FOLDER set); a failing CMD is reported and the watch goes on')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Seconds between NOOPs where the server lacks IDLE')
            [CompletionResult]::new('--since-uid', '--since-uid', [CompletionResultType]::ParameterName, 'Start with the messages above this UID (0 for every message of the folder)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'Record in FILE where the watch stands, and resume from there when FILE exists')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The server''s host name or address')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The server''s port [default: 993 with tls, 143 otherwise]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The user to log in as')
            [CompletionResult]::new('--security', '--security', [CompletionResultType]::ParameterName, 'How the connection is protected [default: tls]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'A PEM file with a CA certificate to trust besides the system''s (for a private CA)')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'Run CMD with sh and use the first line it prints as the password')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How to log in: the password, or an OAuth 2.0 access token (from the same sources as the password, e.g. a token broker as --password-command) [default: password]')
            [CompletionResult]::new('--account', '--account', [CompletionResultType]::ParameterName, 'Take the settings of this account from $XDG_CONFIG_HOME/tool/config.toml; flags win')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'One JSON object a line, as ''messages --json'' prints them')
            [CompletionResult]::new('--no-compress', '--no-compress', [CompletionResultType]::ParameterName, 'Never compress the connection (COMPRESS=DEFLATE is otherwise used where the server offers it, except on a loopback address)')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Compress where the server offers it even on a loopback address, as through an SSH tunnel to a distant server')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tool;imap;help' {
            [CompletionResult]::new('folders', 'folders', [CompletionResultType]::ParameterValue, 'List every folder with its message count')
            [CompletionResult]::new('subjects', 'subjects', [CompletionResultType]::ParameterValue, 'Print the decoded subject of each message of a folder, in UID order, as they arrive')
            [CompletionResult]::new('messages', 'messages', [CompletionResultType]::ParameterValue, 'Print each message of a folder, parsed: uid, date, sender, subject')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one message: headers, text body and attachments')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Back up a folder into an mbox file or a Maildir; a second run fetches only what is new')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Print each message that arrives in a folder, once, as it arrives')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tool;imap;help;folders' {
            break
        }
        'tool;imap;help;subjects' {
            break
        }
        'tool;imap;help;messages' {
            break
        }
        'tool;imap;help;show' {
            break
        }
        'tool;imap;help;export' {
            break
        }
        'tool;imap;help;watch' {
            break
        }
        'tool;imap;help;help' {
            break
        }
        'tool;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tool;help' {
            [CompletionResult]::new('twuu', 'twuu', [CompletionResultType]::ParameterValue, 'twuuenc, the uuencode of web2.0: pack bytes into 11-bit Unicode glyphs')
            [CompletionResult]::new('mirror', 'mirror', [CompletionResultType]::ParameterValue, 'Copy the traffic of a Xen or KVM host and its guests to a monitoring VM')
            [CompletionResult]::new('chords', 'chords', [CompletionResultType]::ParameterValue, 'Chord sheets: the built-in songs or your own, transposed, capoed and exported')
            [CompletionResult]::new('imap', 'imap', [CompletionResultType]::ParameterValue, 'Read mail over IMAP without changing it: folders, subjects, parsed messages, backups')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script to stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tool;help;twuu' {
            [CompletionResult]::new('encode', 'encode', [CompletionResultType]::ParameterValue, 'Encode bytes as glyphs, followed by one newline')
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Decode glyphs back to the original bytes')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Show the encoded length of the input and whether it fits one post, per platform')
            [CompletionResult]::new('split', 'split', [CompletionResultType]::ParameterValue, 'Encode and cut into numbered posts that each fit one platform')
            break
        }
        'tool;help;twuu;encode' {
            break
        }
        'tool;help;twuu;decode' {
            break
        }
        'tool;help;twuu;stats' {
            break
        }
        'tool;help;twuu;split' {
            break
        }
        'tool;help;mirror' {
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Print the rules apply would load (nft script, JSON, or iptables-restore input); changes nothing')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Load the mirroring rules in one atomic transaction, replacing the tool''s earlier ones')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Whether copies reach the monitor, per source; exits 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Delete everything the tool made, and nothing else')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check that this host can mirror: tools, kernel support, br_netfilter, destination')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Apply, then re-apply within a second whenever ports, the destination or the tool''s tables change')
            break
        }
        'tool;help;mirror;plan' {
            break
        }
        'tool;help;mirror;apply' {
            break
        }
        'tool;help;mirror;status' {
            break
        }
        'tool;help;mirror;remove' {
            break
        }
        'tool;help;mirror;check' {
            break
        }
        'tool;help;mirror;watch' {
            break
        }
        'tool;help;chords' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the built-in songs: slug, title, source, key and chords')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a song, transposed, capoed or exported')
            break
        }
        'tool;help;chords;list' {
            break
        }
        'tool;help;chords;show' {
            break
        }
        'tool;help;imap' {
            [CompletionResult]::new('folders', 'folders', [CompletionResultType]::ParameterValue, 'List every folder with its message count')
            [CompletionResult]::new('subjects', 'subjects', [CompletionResultType]::ParameterValue, 'Print the decoded subject of each message of a folder, in UID order, as they arrive')
            [CompletionResult]::new('messages', 'messages', [CompletionResultType]::ParameterValue, 'Print each message of a folder, parsed: uid, date, sender, subject')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one message: headers, text body and attachments')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Back up a folder into an mbox file or a Maildir; a second run fetches only what is new')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Print each message that arrives in a folder, once, as it arrives')
            break
        }
        'tool;help;imap;folders' {
            break
        }
        'tool;help;imap;subjects' {
            break
        }
        'tool;help;imap;messages' {
            break
        }
        'tool;help;imap;show' {
            break
        }
        'tool;help;imap;export' {
            break
        }
        'tool;help;imap;watch' {
            break
        }
        'tool;help;completions' {
            break
        }
        'tool;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
