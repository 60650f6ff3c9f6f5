//! The log of `tool mirror watch`: one line per change, on stderr, in the style of every
//! message (`crate::output`). On a terminal each line starts with the time (UTC); elsewhere it
//! is plain, since journald and log files stamp lines themselves.

use std::io::{self, IsTerminal, Write};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::output::messages::{self, Level};
use crate::output::{Paint, Stream};

pub struct Log {
    terminal: bool,
    paint: Paint,
}

impl Log {
    pub fn stderr() -> Log {
        Log {
            terminal: io::stderr().is_terminal(),
            paint: Paint::for_stream(Stream::Stderr),
        }
    }

    pub fn info(&self, text: &str) {
        self.line(Level::Info, text);
    }

    pub fn warning(&self, text: &str) {
        self.line(Level::Warning, text);
    }

    pub fn error(&self, text: &str) {
        self.line(Level::Error, text);
    }

    fn line(&self, level: Level, text: &str) {
        let stamp = if self.terminal {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            format!("{} ", clock(now))
        } else {
            String::new()
        };
        let line = messages::line(level, text, self.paint);
        // Nowhere left to say it if stderr is gone; the watch goes on.
        let _ = writeln!(io::stderr().lock(), "{stamp}{line}");
    }
}

/// The UTC time of day of `seconds` since the epoch, as HH:MM:SSZ.
fn clock(seconds: u64) -> String {
    let day = seconds % 86_400;
    format!("{:02}:{:02}:{:02}Z", day / 3600, day / 60 % 60, day % 60)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_clock_is_utc_time_of_day() {
        assert_eq!(super::clock(0), "00:00:00Z");
        // 2026-12-01 23:45:07 UTC
        assert_eq!(super::clock(1_796_168_707), "23:45:07Z");
    }
}
