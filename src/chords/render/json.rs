//! JSON: the rendition as data (title, key, sections of lines, chords with their columns),
//! which reads back into the same [`Rendition`].

use crate::chords::arrange::Rendition;

pub fn render(r: &Rendition) -> serde_json::Result<String> {
    let mut json = serde_json::to_string_pretty(r)?;
    json.push('\n');
    Ok(json)
}

/// Reads what [`render`] wrote.
pub fn parse(json: &str) -> serde_json::Result<Rendition> {
    serde_json::from_str(json)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chords::arrange::{Options, arrange};
    use crate::chords::song::parse_plain;

    #[test]
    fn reads_back_what_it_wrote() {
        let song = parse_plain(
            "title: T\nsource: S\n---\n(Intro)\nBbm     Db   (Ab)  F#(chords)\nla la\n\nG# A#(notes)\n",
            "t",
        );
        let options = Options {
            transpose: 3,
            capo: Some(1),
            diagrams: true,
            ..Options::default()
        };
        let r = arrange(&song, &options);
        let json = render(&r).unwrap();
        assert_eq!(parse(&json).unwrap(), r);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["sections"][0]["lines"][1]["kind"], "chords");
        assert_eq!(value["sections"][0]["lines"][1]["items"][0]["chord"], "Cm");
        assert_eq!(value["sections"][0]["lines"][1]["items"][0]["column"], 0);
    }
}
