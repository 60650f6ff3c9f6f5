//! The one colour rule: `--color always` and `never` say so; `auto` (the default) colours a
//! stream that is a terminal, unless NO_COLOR is set to something other than "" (no-color.org:
//! a flag the user gives wins over the variable).

use std::ffi::OsStr;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU8, Ordering};

/// When to colour, as `--color` takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour where the output is a terminal and NO_COLOR is unset or empty
    #[default]
    Auto,
    /// Colour even into a pipe or a file, whatever NO_COLOR says
    Always,
    /// Never colour
    Never,
}

/// Which of the process's streams a piece of output goes to; each is a terminal or not on its
/// own (`tool ... | less` still has stderr on the terminal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// The choice `main` read from the command line; `Auto` until it says.
static CHOICE: AtomicU8 = AtomicU8::new(ColorChoice::Auto as u8);

/// Records the command line's `--color`, once, before anything is printed.
pub fn set_choice(choice: ColorChoice) {
    CHOICE.store(choice as u8, Ordering::Relaxed);
}

fn choice() -> ColorChoice {
    match CHOICE.load(Ordering::Relaxed) {
        x if x == ColorChoice::Always as u8 => ColorChoice::Always,
        x if x == ColorChoice::Never as u8 => ColorChoice::Never,
        _ => ColorChoice::Auto,
    }
}

/// The rule itself, apart from the process's state so that it can be tested whole.
pub fn decide(choice: ColorChoice, is_terminal: bool, no_color: Option<&OsStr>) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => is_terminal && no_color.is_none_or(OsStr::is_empty),
    }
}

/// Whether output to `stream` is coloured in this process.
pub fn enabled(stream: Stream) -> bool {
    let is_terminal = match stream {
        Stream::Stdout => std::io::stdout().is_terminal(),
        Stream::Stderr => std::io::stderr().is_terminal(),
    };
    decide(
        choice(),
        is_terminal,
        std::env::var_os("NO_COLOR").as_deref(),
    )
}

/// ANSI styling (SGR codes such as "1" for bold), or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paint(bool);

impl Paint {
    pub const BOLD: &str = "1";

    /// Styling for `stream` as the rule decides.
    pub fn for_stream(stream: Stream) -> Paint {
        Paint(enabled(stream))
    }

    /// No styling, for output that is never coloured (files, tests of the plain form).
    pub fn plain() -> Paint {
        Paint(false)
    }

    /// Always styled, for tests of the coloured form.
    pub fn ansi() -> Paint {
        Paint(true)
    }

    /// `text` in `style`; empty text stays empty rather than becoming bare escape codes.
    pub fn apply(self, style: &str, text: &str) -> String {
        if self.0 && !text.is_empty() {
            format!("\x1b[{style}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_decision_table() {
        use ColorChoice::*;
        let set = Some(OsStr::new("1"));
        let empty = Some(OsStr::new(""));
        // (choice, terminal, NO_COLOR, colour)
        let table = [
            (Auto, true, None, true),
            (Auto, true, empty, true),
            (Auto, true, set, false),
            (Auto, false, None, false),
            (Auto, false, set, false),
            (Always, false, None, true),
            (Always, false, set, true),
            (Always, true, set, true),
            (Never, true, None, false),
            (Never, true, empty, false),
            (Never, false, None, false),
        ];
        for (choice, terminal, no_color, expected) in table {
            assert_eq!(
                decide(choice, terminal, no_color),
                expected,
                "{choice:?} terminal={terminal} NO_COLOR={no_color:?}"
            );
        }
    }

    #[test]
    fn paint_styles_only_when_on_and_never_empty_text() {
        assert_eq!(Paint::ansi().apply(Paint::BOLD, "A"), "\x1b[1mA\x1b[0m");
        assert_eq!(Paint::ansi().apply(Paint::BOLD, ""), "");
        assert_eq!(Paint::plain().apply(Paint::BOLD, "A"), "A");
    }
}
