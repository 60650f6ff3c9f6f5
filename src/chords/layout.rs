//! Where chords go on the printed page. A sheet keeps each chord at the lyric character it is
//! sung on; a name that grew when transposed, or two chords on one syllable, would then touch
//! the chord before. Printing makes room: over a lyric, the lyric is padded (at the gap between
//! words where there is one) so that every chord still stands over its own character; on a line
//! of chords alone, the touching chord moves right.

use super::sheet::{Item, Line, Placed};

/// Lines as printed in monospace: each chord line followed by its lyric laid out with
/// [`fit`], other chord and note lines with [`settle`].
pub fn printed(lines: &[Line]) -> Vec<Line> {
    let mut out = Vec::with_capacity(lines.len());
    let mut rest = lines.iter().peekable();
    while let Some(line) = rest.next() {
        match (line, rest.peek()) {
            (Line::Chords { items }, Some(Line::Lyrics { text })) => {
                let (items, text) = fit(items, text);
                out.push(Line::Chords { items });
                out.push(Line::Lyrics { text });
                rest.next();
            }
            (Line::Chords { items }, _) => out.push(Line::Chords {
                items: settle(items),
            }),
            (Line::Notes { items }, _) => out.push(Line::Notes {
                items: settle(items),
            }),
            (other, _) => out.push(other.clone()),
        }
    }
    out
}

/// Items at their columns unless that would touch the one before: then it moves right just
/// enough to leave one space.
pub fn settle(items: &[Placed]) -> Vec<Placed> {
    let mut placed: Vec<Placed> = Vec::with_capacity(items.len());
    for p in items {
        let column = match placed.last() {
            Some(prev) => p.column.max(end(prev) + 1),
            None => p.column,
        };
        placed.push(Placed {
            column,
            item: p.item.clone(),
        });
    }
    placed
}

/// `items` (each at the column of the lyric character it is sung on) laid out over `lyric`:
/// where an item would touch the one before, spaces go into the lyric, at the last gap between
/// the two items' characters or else just before the item's own character, so that each item
/// stays over the character it was over and no lyric character is lost.
pub fn fit(items: &[Placed], lyric: &str) -> (Vec<Placed>, String) {
    let chars: Vec<char> = lyric.chars().collect();
    // (lyric index, spaces to put before it), in order.
    let mut pads: Vec<(usize, usize)> = Vec::new();
    let mut shift = 0;
    let mut placed: Vec<Placed> = Vec::with_capacity(items.len());
    let mut previous_anchor = None;
    for p in items {
        let mut column = p.column + shift;
        if let (Some(prev), Some(before)) = (placed.last(), previous_anchor) {
            let room = end(prev) + 1;
            if column < room {
                let extra = room - column;
                let gap = (before + 1..p.column.min(chars.len()))
                    .rev()
                    .find(|&i| chars[i].is_whitespace());
                pads.push((gap.unwrap_or(p.column), extra));
                shift += extra;
                column += extra;
            }
        }
        previous_anchor = Some(p.column);
        placed.push(Placed {
            column,
            item: p.item.clone(),
        });
    }
    let mut padded = String::with_capacity(lyric.len() + shift);
    let mut pads = pads.into_iter().peekable();
    for (i, c) in chars.iter().enumerate() {
        while let Some((_, n)) = pads.next_if(|&(at, _)| at == i) {
            padded.extend(std::iter::repeat_n(' ', n));
        }
        padded.push(*c);
    }
    (placed, padded)
}

/// The column just past `placed`.
fn end(placed: &Placed) -> usize {
    placed.column + placed.item.text().chars().count()
}

/// A chord or note line as text: each item at its column.
pub fn chord_line_text(items: &[Placed]) -> String {
    lay_out(items, |_, text| text.to_string())
}

/// A chord or note line with each item at its column (which must leave room for the one
/// before, as [`settle`] and [`fit`] do), passed through `dress`, which may wrap it in markup
/// that takes no room on the page (colour, HTML).
pub fn lay_out(items: &[Placed], mut dress: impl FnMut(&Item, &str) -> String) -> String {
    let mut out = String::new();
    let mut column = 0;
    for placed in items {
        let pad = placed.column.saturating_sub(column);
        out.extend(std::iter::repeat_n(' ', pad));
        let text = placed.item.text();
        column += pad + text.chars().count();
        out.push_str(&dress(&placed.item, &text));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chords(named: &[(usize, &str)]) -> Vec<Placed> {
        named
            .iter()
            .map(|&(column, name)| Placed {
                column,
                item: Item::Chord {
                    chord: name.parse().unwrap(),
                    prefix: String::new(),
                    suffix: String::new(),
                },
            })
            .collect()
    }

    fn fitted(named: &[(usize, &str)], lyric: &str) -> [String; 2] {
        let (items, lyric) = fit(&chords(named), lyric);
        [chord_line_text(&items), lyric]
    }

    #[test]
    fn room_is_made_at_the_gap_between_words() {
        // C#m/G# over "slipping" would touch D# over "away": the gap before "away" widens.
        assert_eq!(
            fitted(
                &[(21, "C#m/G#"), (26, "D#")],
                "Everything’s slipping     away…"
            ),
            [
                "                     C#m/G# D#",
                "Everything’s slipping       away…"
            ]
        );
    }

    #[test]
    fn within_a_word_the_syllable_is_pushed_along() {
        assert_eq!(
            fitted(&[(0, "D#m7"), (4, "E")], "going"),
            ["D#m7 E", "goin g"]
        );
        assert_eq!(fitted(&[(0, "C"), (0, "G")], "la"), ["C G", "  la"]);
    }

    #[test]
    fn what_fits_is_left_alone() {
        assert_eq!(
            fitted(&[(0, "Gm"), (14, "Cm/G")], "Look at these people"),
            ["Gm            Cm/G", "Look at these people"]
        );
        // Past the end of the lyric only the chord line moves.
        assert_eq!(fitted(&[(0, "Ebm7"), (3, "D")], "la"), ["Ebm7 D", "la"]);
    }

    #[test]
    fn settling_keeps_one_space_and_moves_only_what_touches() {
        let placed = settle(&chords(&[(0, "C#m/G#"), (5, "D"), (20, "E")]));
        let columns: Vec<_> = placed.iter().map(|p| p.column).collect();
        assert_eq!(columns, [0, 7, 20]);
    }
}
