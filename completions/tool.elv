
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
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand twuu 'twuuenc, the uuencode of web2.0: pack bytes into 11-bit Unicode glyphs'
            cand completions 'Print a shell completion script to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tool;twuu'= {
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand encode 'Encode bytes as glyphs, followed by one newline'
            cand decode 'Decode glyphs back to the original bytes'
            cand stats 'Show the encoded length of the input and whether it fits one post on X'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tool;twuu;encode'= {
            cand --zlib 'Compress with zlib (level 9) before encoding; the marker becomes ☺'
            cand --markers 'Wrap the message in markers (the default)'
            cand --no-markers 'Leave the markers out'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tool;twuu;decode'= {
            cand --max-size 'Refuse to inflate past this many bytes (K, M, G suffixes)'
            cand --zlib 'Inflate the decoded bytes even if the message is not wrapped in ☺'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tool;twuu;stats'= {
            cand --zlib 'Compress with zlib (level 9) before encoding; the marker becomes ☺'
            cand --markers 'Wrap the message in markers (the default)'
            cand --no-markers 'Leave the markers out'
            cand --json 'Print one JSON object instead of text'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tool;twuu;help'= {
            cand encode 'Encode bytes as glyphs, followed by one newline'
            cand decode 'Decode glyphs back to the original bytes'
            cand stats 'Show the encoded length of the input and whether it fits one post on X'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tool;twuu;help;encode'= {
        }
        &'tool;twuu;help;decode'= {
        }
        &'tool;twuu;help;stats'= {
        }
        &'tool;twuu;help;help'= {
        }
        &'tool;completions'= {
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tool;help'= {
            cand twuu 'twuuenc, the uuencode of web2.0: pack bytes into 11-bit Unicode glyphs'
            cand completions 'Print a shell completion script to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tool;help;twuu'= {
            cand encode 'Encode bytes as glyphs, followed by one newline'
            cand decode 'Decode glyphs back to the original bytes'
            cand stats 'Show the encoded length of the input and whether it fits one post on X'
        }
        &'tool;help;twuu;encode'= {
        }
        &'tool;help;twuu;decode'= {
        }
        &'tool;help;twuu;stats'= {
        }
        &'tool;help;completions'= {
        }
        &'tool;help;help'= {
        }
    ]
    $completions[$command]
}
