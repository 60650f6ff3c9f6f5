//! Text from a server, a file or another program, made safe for one line of a terminal.

/// Control characters (a decoded subject may hold a line break, or an escape sequence that
/// would drive the terminal) become spaces; everything else stays as it is.
pub fn single_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// [`single_line`], with every run of white space made one space and none at the ends: for
/// text quoted inside a message.
pub fn one_line(text: &str) -> String {
    single_line(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_become_spaces() {
        assert_eq!(single_line("a\nb\x1b[31m"), "a b [31m");
        assert_eq!(single_line("  two  spaces "), "  two  spaces ");
        assert_eq!(one_line(" a\r\n\tb  c\x07"), "a b c");
    }
}
