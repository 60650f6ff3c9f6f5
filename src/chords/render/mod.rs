//! The output formats, each made from a [`Rendition`](super::arrange::Rendition).

pub mod chordpro;
pub mod html;
pub mod json;
pub mod text;

use super::arrange::Rendition;
use super::cho::capitalized;

/// What a player needs to know before starting, in a few short phrases: the key, how far it
/// was moved, the capo.
pub fn key_phrases(r: &Rendition) -> Vec<String> {
    let mut phrases = vec![match r.key {
        Some(key) => format!("Key: {key}"),
        None => "Key: unknown".to_string(),
    }];
    if r.transpose != 0 {
        phrases.push(format!("transposed {:+}", r.transpose));
    }
    if r.capo > 0 {
        phrases.push(match r.shapes_key {
            Some(shapes) => format!("capo {}, {shapes} shapes", r.capo),
            None => format!("capo {}", r.capo),
        });
    }
    phrases
}

/// The song's other metadata as short phrases: "Composer: Joss Whedon", "Time: 3/4".
pub fn meta_phrases(r: &Rendition) -> Vec<String> {
    r.meta
        .iter()
        .map(|m| format!("{}: {}", capitalized(&m.name), m.value))
        .collect()
}
