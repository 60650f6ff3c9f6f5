//! One standalone printable HTML page: inline CSS, SVG chord diagrams, nothing fetched. The
//! sheet is monospace lines kept as typed, so chords keep their columns over the lyrics.
//!
//! For print, each chord line and the lyric under it are one block that a page break cannot
//! split (a section label goes with the first), and each section stays on one page when it
//! fits; the first may break, so that it starts on page 1 under the diagrams.

use std::fmt::Write;

use super::{key_phrases, meta_phrases};
use crate::chords::arrange::Rendition;
use crate::chords::diagrams::{Diagram, ROWS};
use crate::chords::layout::{lay_out, printed};
use crate::chords::sheet::{Block, Item, Line, Placed};

const STYLE: &str = "
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       color: #111; background: #fff; }
h1 { margin: 0 0 .25rem; }
.about { margin: 0; color: #444; }
.note { font-style: italic; color: #555; white-space: pre-line; }
.diagrams { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1.5rem 0; }
.diagrams svg { width: 90px; height: 124px; }
main { font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace; font-size: 1rem;
       line-height: 1.35; }
.part { margin: 0 0 1rem; }
.line { white-space: pre; min-height: 1.35em; }
.chord { font-weight: bold; color: #1a5fb4; }
.note-name { color: #1a5fb4; }
.remark, .annotation { color: #666; font-style: italic; }
.label { font-weight: bold; }
@media print {
  body { max-width: none; margin: 0; padding: 0; }
  main { font-size: 10.5pt; }
  .diagrams { margin: .75rem 0; break-inside: avoid; }
  .diagrams svg { width: 60px; height: 83px; }
  header { break-after: avoid; }
  .part { break-inside: avoid; }
  .part:first-child { break-inside: auto; }
  .keep { break-inside: avoid; }
}
";

/// Diagram geometry, in SVG user units.
const STRING_GAP: f32 = 12.0;
const FRET_GAP: f32 = 16.0;
const GRID_LEFT: f32 = 20.0;
const GRID_TOP: f32 = 38.0;

pub fn render(r: &Rendition) -> String {
    let mut out = String::new();
    let mut about = Vec::new();
    about.extend(r.source.clone());
    about.extend(key_phrases(r));
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header>\n\
         <h1>{title}</h1>\n<p class=\"about\">{about}</p>\n",
        title = escape(&r.title),
        about = escape(&about.join(" · ")),
    )
    .unwrap();
    let meta = meta_phrases(r);
    if !meta.is_empty() {
        writeln!(out, "<p class=\"about\">{}</p>", escape(&meta.join(" · "))).unwrap();
    }
    if let Some(note) = &r.note {
        writeln!(out, "<p class=\"note\">{}</p>", escape(note)).unwrap();
    }
    out.push_str("</header>\n");
    if !r.diagrams.is_empty() {
        out.push_str("<section class=\"diagrams\" aria-label=\"Chord diagrams\">\n");
        for diagram in &r.diagrams {
            out.push_str(&svg(diagram));
        }
        out.push_str("</section>\n");
    }
    out.push_str("<main>\n");
    for section in &r.sheet.sections {
        out.push_str("<section class=\"part\">\n");
        let mut keep = Vec::new();
        if let Some(label) = section.label.as_deref().or(section.block.map(Block::title)) {
            keep.push(format!("<span class=\"label\">{}:</span>", escape(label)));
        }
        let lines = printed(&section.lines);
        let mut lines = lines.iter().peekable();
        while let Some(line) = lines.next() {
            keep.push(line_html(line));
            // A chord line is kept with the lyric sung under it.
            if matches!(line, Line::Chords { .. } | Line::Notes { .. })
                && let Some(lyric @ Line::Lyrics { .. }) = lines.peek()
            {
                keep.push(line_html(lyric));
                lines.next();
            }
            push_kept(&mut out, &keep);
            keep.clear();
        }
        push_kept(&mut out, &keep);
        out.push_str("</section>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn line_html(line: &Line) -> String {
    match line {
        Line::Blank => String::new(),
        Line::Chords { items } => chord_line(items, "chord"),
        Line::Notes { items } => chord_line(items, "note-name"),
        Line::Lyrics { text } => escape(text.trim_end()),
        Line::Annotation { text } => format!(
            "<span class=\"annotation\">{}</span>",
            escape(text.trim_end())
        ),
    }
}

/// Lines that a page break must not part: one line alone, or a block of them.
fn push_kept(out: &mut String, lines: &[String]) {
    let (open, close) = match lines.len() {
        0 => return,
        1 => ("", ""),
        _ => ("<div class=\"keep\">\n", "</div>\n"),
    };
    out.push_str(open);
    for line in lines {
        writeln!(out, "<div class=\"line\">{line}</div>").unwrap();
    }
    out.push_str(close);
}

fn chord_line(items: &[Placed], chord_class: &str) -> String {
    lay_out(items, |item, text| {
        let class = match item {
            Item::Chord { .. } => chord_class,
            Item::Text { .. } | Item::Annotation { .. } => "remark",
        };
        format!("<span class=\"{class}\">{}</span>", escape(text))
    })
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A chord box: six strings, the nut or the base fret, open and muted strings above, a dot
/// with the finger number on each held string, a bar for each barre.
fn svg(diagram: &Diagram) -> String {
    let name = escape(&diagram.chord.to_string());
    let width = GRID_LEFT * 2.0 + STRING_GAP * 5.0;
    let height = GRID_TOP + FRET_GAP * f32::from(ROWS) + 6.0;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" \
         role=\"img\" aria-label=\"{name}\">\n\
         <text x=\"{mid}\" y=\"14\" text-anchor=\"middle\" font-size=\"13\" \
         font-weight=\"bold\" font-family=\"sans-serif\">{name}</text>\n",
        mid = width / 2.0
    );
    let Some(f) = &diagram.fingering else {
        writeln!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"9\" \
             font-family=\"sans-serif\">no diagram</text>\n</svg>",
            width / 2.0,
            GRID_TOP + FRET_GAP
        )
        .unwrap();
        return s;
    };
    let x = |string: usize| GRID_LEFT + STRING_GAP * string as f32;
    let y = |row: f32| GRID_TOP + FRET_GAP * row;
    let right = x(5);
    for row in 0..=ROWS {
        let stroke = if row == 0 && f.base_fret <= 1 { 3 } else { 1 };
        writeln!(
            s,
            "<line x1=\"{}\" y1=\"{yy}\" x2=\"{right}\" y2=\"{yy}\" stroke=\"#000\" \
             stroke-width=\"{stroke}\"/>",
            x(0),
            yy = y(f32::from(row))
        )
        .unwrap();
    }
    for string in 0..6 {
        writeln!(
            s,
            "<line x1=\"{xx}\" y1=\"{}\" x2=\"{xx}\" y2=\"{}\" stroke=\"#000\"/>",
            y(0.0),
            y(f32::from(ROWS)),
            xx = x(string)
        )
        .unwrap();
    }
    if f.base_fret > 1 {
        writeln!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"9\" \
             font-family=\"sans-serif\">{}fr</text>",
            x(0) - 4.0,
            y(0.5) + 3.0,
            f.base_fret
        )
        .unwrap();
    }
    for &row in &f.barres {
        let held: Vec<usize> = (0..6)
            .filter(|&s| i32::from(f.frets[s]) == i32::from(row))
            .collect();
        if let (Some(&low), Some(&high)) = (held.first(), held.last()) {
            writeln!(
                s,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"10\" rx=\"5\" fill=\"#000\"/>",
                x(low) - 5.0,
                y(f32::from(row) - 0.5) - 5.0,
                x(high) - x(low) + 10.0
            )
            .unwrap();
        }
    }
    for (string, &fret) in f.frets.iter().enumerate() {
        match fret {
            f if f < 0 => writeln!(
                s,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"10\" \
                 font-family=\"sans-serif\">×</text>",
                x(string),
                GRID_TOP - 5.0
            )
            .unwrap(),
            0 => writeln!(
                s,
                "<circle cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"none\" stroke=\"#000\"/>",
                x(string),
                GRID_TOP - 8.0
            )
            .unwrap(),
            row => {
                let cy = y(f32::from(row) - 0.5);
                writeln!(
                    s,
                    "<circle cx=\"{}\" cy=\"{cy}\" r=\"5\" fill=\"#000\"/>",
                    x(string)
                )
                .unwrap();
                if f.fingers[string] > 0 {
                    writeln!(
                        s,
                        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"8\" \
                         fill=\"#fff\" font-family=\"sans-serif\">{}</text>",
                        x(string),
                        cy + 3.0,
                        f.fingers[string]
                    )
                    .unwrap();
                }
            }
        }
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chords::arrange::{Options, arrange};
    use crate::chords::song::parse_plain;

    fn page(text: &str) -> String {
        let options = Options {
            diagrams: true,
            ..Options::default()
        };
        render(&arrange(&parse_plain(text, "T <&>"), &options))
    }

    #[test]
    fn is_one_standalone_page() {
        let html = page("Am      C/G\nla <b>la</b> & so\n");
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("<title>T &lt;&amp;&gt;</title>"));
        assert!(html.contains("la &lt;b&gt;la&lt;/b&gt; &amp; so"));
        assert!(
            html.contains("<span class=\"chord\">Am</span>      <span class=\"chord\">C/G</span>")
        );
        assert_eq!(html.matches("<svg").count(), 2);
        for fetches in ["src=", "href=", "url(", "@import", "<script", "<link"] {
            assert!(!html.contains(fetches), "{fetches}");
        }
    }
}
