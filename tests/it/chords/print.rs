//! The HTML page printed by a real browser: headless Chromium prints every built-in song to PDF
//! on Letter and on A4, and `pdftotext -layout` reads the pages back. Page 1 must hold song
//! lines (not only the header and diagrams), and no chord line may end a page whose next page
//! opens with its lyric.

use crate::support;
use crate::support::chords as chords_support;

use std::path::Path;
use std::process::Command;

use chords_support::{SLUGS, chords, tempdir};
use tool::chords::arrange::{Options, arrange};
use tool::chords::layout::{lay_out, printed};
use tool::chords::library;
use tool::chords::sheet::Line;

/// The paper sizes, as CSS names them, and their width and height in points.
const PAPERS: [(&str, (u32, u32)); 2] = [("letter", (612, 792)), ("A4", (595, 842))];

/// Spaces collapsed: pdftotext places words by their position, not by the page's spaces.
fn normalize(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Each chord line of the song as printed, with the lyric under it.
fn pairs(slug: &str) -> Vec<(String, String)> {
    let song = library::find(slug).unwrap().song();
    let rendition = arrange(&song, &Options::default());
    let mut pairs = Vec::new();
    for section in &rendition.sheet.sections {
        let lines = printed(&section.lines);
        for two in lines.windows(2) {
            if let [Line::Chords { items }, Line::Lyrics { text }] = two {
                let lyric = normalize(text);
                if !lyric.is_empty() {
                    pairs.push((normalize(&lay_out(items, |_, t| t.to_string())), lyric));
                }
            }
        }
    }
    pairs
}

/// Prints `html` on `paper` with Chromium; the PDF's pages as lines, blank lines dropped.
fn print(html: &str, paper: &str, dir: &Path) -> Vec<Vec<String>> {
    let sized = html.replacen(
        "</head>",
        &format!("<style>@page {{ size: {paper}; }}</style>\n</head>"),
        1,
    );
    let page = dir.join(format!("{paper}.html"));
    let pdf = dir.join(format!("{paper}.pdf"));
    std::fs::write(&page, sized).unwrap();
    let out = Command::new("timeout")
        .arg("120")
        .arg("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.join(format!("profile-{paper}")).display()
        ))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    support::assert_ran(out, "chromium --print-to-pdf");
    let info = support::assert_ran(
        Command::new("pdfinfo").arg(&pdf).output().unwrap(),
        "pdfinfo",
    );
    let size = PAPERS.iter().find(|(name, _)| *name == paper).unwrap().1;
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    // "Page size:       595.92 x 842.88 pts (A4)": the browser rounds to its own units.
    let points: Vec<f64> = info
        .lines()
        .find_map(|l| l.strip_prefix("Page size:"))
        .unwrap_or_else(|| panic!("{paper}: no page size in {info}"))
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    let near = |got: f64, wanted: u32| (got - f64::from(wanted)).abs() < 2.0;
    assert!(
        near(points[0], size.0) && near(points[1], size.1),
        "{paper}: {info}"
    );
    let text = support::assert_ran(
        Command::new("pdftotext")
            .args(["-layout", "-enc", "UTF-8"])
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap(),
        "pdftotext",
    );
    let text = String::from_utf8(text.stdout).unwrap();
    let mut pages: Vec<Vec<String>> = text
        .split('\x0c')
        .map(|page| {
            page.lines()
                .map(normalize)
                .filter(|l| !l.is_empty())
                .collect()
        })
        .collect();
    pages.retain(|page: &Vec<String>| !page.is_empty());
    pages
}

/// Finds each chord line, in order, with its lyric right under it on the same page.
fn assert_chords_stay_with_lyrics(slug: &str, paper: &str, pages: &[Vec<String>]) {
    let lines: Vec<(usize, usize)> = pages
        .iter()
        .enumerate()
        .flat_map(|(p, page)| (0..page.len()).map(move |i| (p, i)))
        .collect();
    let mut at = 0;
    for (chord, lyric) in pairs(slug) {
        let found = lines[at..].iter().position(|&(p, i)| {
            if pages[p][i] != chord {
                return false;
            }
            match pages[p].get(i + 1) {
                Some(next) => *next == lyric,
                None => {
                    let opens_next = pages.get(p + 1).map(|next| &next[0]);
                    assert_ne!(
                        opens_next,
                        Some(&lyric),
                        "{slug} on {paper}: the chord line {chord:?} ends page {} and its lyric \
                         opens page {}",
                        p + 1,
                        p + 2
                    );
                    false
                }
            }
        });
        let found = found.unwrap_or_else(|| {
            panic!("{slug} on {paper}: {chord:?} over {lyric:?} is not in the PDF: {pages:#?}")
        });
        at += found + 2;
    }
}

#[test]
fn every_song_prints_on_letter_and_a4_with_chords_over_their_lyrics() {
    if !support::require(
        "chromium",
        "prints the HTML page to PDF (Debian's chromium)",
    ) || !support::require("pdftotext", "reads the printed PDF (poppler-utils)")
    {
        return;
    }
    for slug in SLUGS {
        let html = chords(&["show", slug, "--format", "html"]);
        let dir = tempdir(&format!("print-{slug}"));
        for (paper, _) in PAPERS {
            let pages = print(&html, paper, &dir);
            let (_, first_lyric) = &pairs(slug)[0];
            assert!(
                pages[0].contains(first_lyric),
                "{slug} on {paper}: page 1 holds no song line: {:#?}",
                pages[0]
            );
            assert_chords_stay_with_lyrics(slug, paper, &pages);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
