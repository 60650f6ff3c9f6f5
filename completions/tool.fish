# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_tool_global_optspecs
    string join \n h/help V/version
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

complete -c tool -n "__fish_tool_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tool -n "__fish_tool_needs_command" -s V -l version -d 'Print version'
complete -c tool -n "__fish_tool_needs_command" -f -a "twuu" -d 'twuuenc, the uuencode of web2.0: pack bytes into 11-bit Unicode glyphs'
complete -c tool -n "__fish_tool_needs_command" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c tool -n "__fish_tool_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tool -n "__fish_tool_using_subcommand twuu; and not __fish_seen_subcommand_from encode decode stats help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tool -n "__fish_tool_using_subcommand twuu; and not __fish_seen_subcommand_from encode decode stats help" -s V -l version -d 'Print version'
complete -c tool -n "__fish_tool_using_subcommand twuu; and not __fish_seen_subcommand_from encode decode stats help" -f -a "encode" -d 'Encode bytes as glyphs, followed by one newline'
complete -c tool -n "__fish_tool_using_subcommand twuu; and not __fish_seen_subcommand_from encode decode stats help" -f -a "decode" -d 'Decode glyphs back to the original bytes'
complete -c tool -n "__fish_tool_using_subcommand twuu; and not __fish_seen_subcommand_from encode decode stats help" -f -a "stats" -d 'Show the encoded length of the input and whether it fits one post on X'
complete -c tool -n "__fish_tool_using_subcommand twuu; and not __fish_seen_subcommand_from encode decode stats help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from encode" -l zlib -d 'Compress with zlib (level 9) before encoding; the marker becomes ☺'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from encode" -l markers -d 'Wrap the message in markers (the default)'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from encode" -l no-markers -d 'Leave the markers out'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from encode" -s h -l help -d 'Print help'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from encode" -s V -l version -d 'Print version'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from decode" -l max-size -d 'Refuse to inflate past this many bytes (K, M, G suffixes)' -r
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from decode" -l zlib -d 'Inflate the decoded bytes even if the message is not wrapped in ☺'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from decode" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from decode" -s V -l version -d 'Print version'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from stats" -l zlib -d 'Compress with zlib (level 9) before encoding; the marker becomes ☺'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from stats" -l markers -d 'Wrap the message in markers (the default)'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from stats" -l no-markers -d 'Leave the markers out'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from stats" -l json -d 'Print one JSON object instead of text'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from stats" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from stats" -s V -l version -d 'Print version'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from help" -f -a "encode" -d 'Encode bytes as glyphs, followed by one newline'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from help" -f -a "decode" -d 'Decode glyphs back to the original bytes'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from help" -f -a "stats" -d 'Show the encoded length of the input and whether it fits one post on X'
complete -c tool -n "__fish_tool_using_subcommand twuu; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tool -n "__fish_tool_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tool -n "__fish_tool_using_subcommand completions" -s V -l version -d 'Print version'
complete -c tool -n "__fish_tool_using_subcommand help; and not __fish_seen_subcommand_from twuu completions help" -f -a "twuu" -d 'twuuenc, the uuencode of web2.0: pack bytes into 11-bit Unicode glyphs'
complete -c tool -n "__fish_tool_using_subcommand help; and not __fish_seen_subcommand_from twuu completions help" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c tool -n "__fish_tool_using_subcommand help; and not __fish_seen_subcommand_from twuu completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tool -n "__fish_tool_using_subcommand help; and __fish_seen_subcommand_from twuu" -f -a "encode" -d 'Encode bytes as glyphs, followed by one newline'
complete -c tool -n "__fish_tool_using_subcommand help; and __fish_seen_subcommand_from twuu" -f -a "decode" -d 'Decode glyphs back to the original bytes'
complete -c tool -n "__fish_tool_using_subcommand help; and __fish_seen_subcommand_from twuu" -f -a "stats" -d 'Show the encoded length of the input and whether it fits one post on X'
