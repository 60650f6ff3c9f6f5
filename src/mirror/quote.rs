//! A string inside an nft script or iptables-restore input: both read it double-quoted, with a
//! backslash before a backslash or a double quote.

pub fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    #[test]
    fn quotes_and_backslashes_are_escaped() {
        assert_eq!(super::quote(r#"a "b" \c"#), r#""a \"b\" \\c""#);
    }
}
