
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
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('twuu', 'twuu', [CompletionResultType]::ParameterValue, 'twuuenc, the uuencode of web2.0: pack bytes into 11-bit Unicode glyphs')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script to stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tool;twuu' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('encode', 'encode', [CompletionResultType]::ParameterValue, 'Encode bytes as glyphs, followed by one newline')
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Decode glyphs back to the original bytes')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Show the encoded length of the input and whether it fits one post on X')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tool;twuu;encode' {
            [CompletionResult]::new('--zlib', '--zlib', [CompletionResultType]::ParameterName, 'Compress with zlib (level 9) before encoding; the marker becomes ☺')
            [CompletionResult]::new('--markers', '--markers', [CompletionResultType]::ParameterName, 'Wrap the message in markers (the default)')
            [CompletionResult]::new('--no-markers', '--no-markers', [CompletionResultType]::ParameterName, 'Leave the markers out')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tool;twuu;decode' {
            [CompletionResult]::new('--max-size', '--max-size', [CompletionResultType]::ParameterName, 'Refuse to inflate past this many bytes (K, M, G suffixes)')
            [CompletionResult]::new('--zlib', '--zlib', [CompletionResultType]::ParameterName, 'Inflate the decoded bytes even if the message is not wrapped in ☺')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tool;twuu;stats' {
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
        'tool;twuu;help' {
            [CompletionResult]::new('encode', 'encode', [CompletionResultType]::ParameterValue, 'Encode bytes as glyphs, followed by one newline')
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Decode glyphs back to the original bytes')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Show the encoded length of the input and whether it fits one post on X')
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
        'tool;twuu;help;help' {
            break
        }
        'tool;completions' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tool;help' {
            [CompletionResult]::new('twuu', 'twuu', [CompletionResultType]::ParameterValue, 'twuuenc, the uuencode of web2.0: pack bytes into 11-bit Unicode glyphs')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script to stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tool;help;twuu' {
            [CompletionResult]::new('encode', 'encode', [CompletionResultType]::ParameterValue, 'Encode bytes as glyphs, followed by one newline')
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Decode glyphs back to the original bytes')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Show the encoded length of the input and whether it fits one post on X')
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
