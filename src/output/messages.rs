//! Messages for the person at the terminal, on stderr, in one style: `warning: TEXT` and
//! `error: TEXT`, the label coloured when stderr is, and informational lines as they are.

use std::io::Write;

use super::color::{Paint, Stream};
use super::text::single_line;

const WARNING_STYLE: &str = "33";
const ERROR_STYLE: &str = "1;31";

/// What kind of message a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warning,
    Error,
}

/// `text` as a message line of `level` (without the newline), styled with `paint`.
pub fn line(level: Level, text: &str, paint: Paint) -> String {
    match level {
        Level::Info => text.to_string(),
        Level::Warning => format!("{} {text}", paint.apply(WARNING_STYLE, "warning:")),
        Level::Error => format!("{} {text}", paint.apply(ERROR_STYLE, "error:")),
    }
}

/// Writes one line to stderr. Nowhere is left to report a stderr that is gone.
fn emit(level: Level, text: &str) {
    let line = line(level, text, Paint::for_stream(Stream::Stderr));
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// `warning: TEXT` on stderr.
pub fn warn(text: &str) {
    emit(Level::Warning, text);
}

/// A line of progress or news on stderr, without a label.
pub fn info(text: &str) {
    emit(Level::Info, text);
}

/// `error: ` and the error with its causes on one line, on stderr: how every failure that ends
/// the process is shown.
pub fn error(e: &anyhow::Error) {
    emit(Level::Error, &error_text(e));
}

/// The error and its causes, joined by ": ", on one line. A cause whose text ends the
/// one before it is left out: an error that shows its source in its own message (as those
/// that wrap an I/O error do) would otherwise print it twice.
pub fn error_text(e: &anyhow::Error) -> String {
    let mut text = String::new();
    let mut previous = String::new();
    for cause in e.chain() {
        let cause = cause.to_string();
        if previous.ends_with(&cause) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&cause);
        previous = cause;
    }
    single_line(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_and_errors_share_one_style() {
        let plain = Paint::plain();
        assert_eq!(line(Level::Warning, "w", plain), "warning: w");
        assert_eq!(line(Level::Error, "e", plain), "error: e");
        assert_eq!(line(Level::Info, "i", plain), "i");
        let ansi = Paint::ansi();
        assert_eq!(line(Level::Warning, "w", ansi), "\x1b[33mwarning:\x1b[0m w");
        assert_eq!(line(Level::Error, "e", ansi), "\x1b[1;31merror:\x1b[0m e");
    }

    #[test]
    fn an_error_is_its_causes_on_one_line_without_repeats() {
        let io = std::io::Error::other("disk full");
        let e = anyhow::Error::new(io).context("cannot write x: disk full");
        assert_eq!(error_text(&e), "cannot write x: disk full");
        let e = anyhow::anyhow!("the server said\r\nno").context("INBOX");
        assert_eq!(error_text(&e), "INBOX: the server said  no");
    }
}
