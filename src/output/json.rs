//! JSON lines: one compact object a line, as `--json` prints them and `--exec` is handed them.

use std::io::{self, Write};

use serde::Serialize;

/// Writes `value` as one line of JSON, newline included.
pub fn write_json_line<T: Serialize + ?Sized>(mut out: impl Write, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut out, value)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_object_a_line_even_with_line_breaks_inside() {
        #[derive(Serialize)]
        struct Item<'a> {
            uid: u32,
            subject: &'a str,
        }
        let mut out = Vec::new();
        write_json_line(
            &mut out,
            &Item {
                uid: 1,
                subject: "a\nb",
            },
        )
        .unwrap();
        write_json_line(
            &mut out,
            &Item {
                uid: 2,
                subject: "ü 😀",
            },
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "{\"uid\":1,\"subject\":\"a\\nb\"}\n{\"uid\":2,\"subject\":\"ü 😀\"}\n"
        );
        for line in text.lines() {
            let back: serde_json::Value = serde_json::from_str(line).unwrap();
            assert!(back.is_object());
        }
    }
}
