//! Tables for people: columns left-aligned two spaces apart, measured in the columns a
//! terminal gives each character (unicode-width), so a CJK title, an emoji or a combining
//! accent keeps the columns after it in line.

use unicode_width::UnicodeWidthStr;

/// How many terminal columns `text` takes.
pub fn width(text: &str) -> usize {
    text.width()
}

/// The rows (the heading first) laid out as lines, each ending in a newline and none in
/// spaces. Every row has the heading's number of cells.
pub fn table<const N: usize>(rows: &[[String; N]]) -> String {
    let mut widths = [0usize; N];
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (cell, w) in row.iter().zip(widths) {
            line.push_str(cell);
            line.extend(std::iter::repeat_n(' ', w + 2 - width(cell)));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_width_of_wide_and_combining_text() {
        assert_eq!(width("abc"), 3);
        // CJK ideographs take two columns each.
        assert_eq!(width("夜空"), 4);
        // An emoji takes two.
        assert_eq!(width("😀"), 2);
        // e + COMBINING ACUTE ACCENT is one column, though two chars and three bytes.
        assert_eq!(width("e\u{301}"), 1);
        assert_eq!(width("Zoë"), 3);
    }

    #[test]
    fn columns_line_up_in_display_width() {
        let row = |a: &str, b: &str| [a.to_string(), b.to_string()];
        let out = table(&[
            row("NAME", "N"),
            row("夜空", "1"),
            row("e\u{301}te\u{301}", "2"),
            row("😀x", "3"),
            row("plain", ""),
        ]);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "NAME   N");
        for line in &lines[1..4] {
            let before: String = line.chars().take_while(|c| !c.is_ascii_digit()).collect();
            assert_eq!(width(&before), 7, "{line:?}");
        }
        assert_eq!(lines[4], "plain", "no trailing spaces");
        assert!(out.ends_with('\n'));
    }
}
