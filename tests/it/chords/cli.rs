//! `tool chords` as other tooling calls it: the exact flags, finding songs, the formats, the
//! user's own sheets, colour, and what bad input gets.

use crate::support;
use crate::support::chords as chords_support;

use chords_support::{SLUGS, body, chords, tempdir};
use support::{assert_fails, run, tool};

fn title_of(song: &str) -> String {
    chords(&["show", song]).lines().next().unwrap().to_string()
}

#[test]
fn list_shows_every_song_with_its_key_and_chords() {
    let out = chords(&["list"]);
    let lines: Vec<_> = out.lines().collect();
    assert_eq!(lines.len(), 1 + SLUGS.len());
    assert!(lines[0].starts_with("SLUG"));
    let slipping = lines.iter().find(|l| l.starts_with("slipping ")).unwrap();
    for part in [
        "Slipping",
        "Dr. Horrible's Sing-Along Blog",
        " Gm ",
        "Cm/G",
        "F#dim",
    ] {
        assert!(slipping.contains(part), "{part} in {slipping}");
    }
}

#[test]
fn list_json_has_slug_title_source_key_and_chords() {
    let json: serde_json::Value = serde_json::from_str(&chords(&["list", "--json"])).unwrap();
    let songs = json.as_array().unwrap();
    assert_eq!(songs.len(), SLUGS.len());
    let muppet = &songs[0];
    assert_eq!(muppet["slug"], "im-going-to-go-back-there-someday");
    assert_eq!(muppet["source"], "The Muppet Movie");
    assert_eq!(muppet["key"], "G");
    let used: Vec<_> = muppet["chords"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(used.contains(&"F#m/E") && used.contains(&"Am/C") && used.contains(&"G/D"));
}

#[test]
fn songs_are_found_by_slug_or_any_unambiguous_part_of_the_title() {
    for (name, title) in [
        ("slipping", "Slipping"),
        ("so they say", "So They Say"),
        ("hero", "Everyone’s A Hero"),
        ("penny", "Penny’s Song"),
        ("someday", "I'm Going to Go Back There Someday"),
        ("SLIPPING", "Slipping"),
        ("brand new", "Brand New Day"),
        ("on-the-rise", "On The Rise"),
    ] {
        assert_eq!(title_of(name), title, "{name}");
    }
}

#[test]
fn unknown_and_ambiguous_songs_fail_listing_the_closest_titles() {
    assert_fails(
        &run(&["chords", "show", "slipin"], b""),
        &["no song matches 'slipin'", "Slipping"],
    );
    assert_fails(&run(&["chords", "show", "xyzzy"], b""), &["closest titles"]);
    assert_fails(
        &run(&["chords", "show", "so"], b""),
        &["matches several songs", "So They Say", "Someday"],
    );
}

#[test]
fn transpose_takes_minus_eleven_to_eleven_in_either_form() {
    let a = chords(&["show", "slipping", "--transpose=-3"]);
    let b = chords(&["show", "slipping", "--transpose", "-3"]);
    assert_eq!(a, b);
    assert_eq!(body(&a)[0], "Em            Am/E");
    assert!(
        a.lines()
            .nth(1)
            .unwrap()
            .contains("Key: Em · transposed -3")
    );
    for bad in ["12", "-12", "99999999999999999999", "two", "1.5"] {
        let out = run(
            &["chords", "show", "slipping", &format!("--transpose={bad}")],
            b"",
        );
        assert_eq!(out.status.code(), Some(2), "--transpose={bad}");
        assert!(out.stdout.is_empty());
    }
    for args in [
        vec!["--capo", "12"],
        vec!["--capo", "-1"],
        vec!["--sharps", "--flats"],
        vec!["--format", "pdf"],
    ] {
        let mut all = vec!["chords", "show", "slipping"];
        all.extend(args.iter());
        assert_eq!(run(&all, b"").status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn transposing_respells_for_the_new_key() {
    // Cm/G up 2 is Dm/A: the quality stays, root and bass move.
    assert_eq!(
        body(&chords(&["show", "slipping", "--transpose=2"]))[0],
        "Am            Dm/A"
    );
    // Brand New Day in Fm down 1 lands in Em: sharps.
    let em = chords(&["show", "brand-new-day", "--transpose=-1"]);
    assert!(em.contains("Key: Em"));
    assert_eq!(
        body(&em)[0],
        "Em                 C                        Em"
    );
    // So They Say in F# up 3 lands in A; up 5 in B; down 1 in F, with flats.
    let f = chords(&["show", "so they say", "--transpose=-1"]);
    assert_eq!(body(&f)[0], "      F     Gm    Bb   C    F(chords)");
}

#[test]
fn formats_chordpro_json_and_html() {
    let cho = chords(&["show", "slipping", "--format", "chordpro"]);
    assert!(cho.starts_with("{title: Slipping}\n{subtitle: Dr. Horrible's Sing-Along Blog}\n"));
    assert!(cho.contains("[Gm]Look at these [Cm/G]people"));
    assert!(cho.contains("{comment: (yeah, it’s two r’s- h-o-r-r, right)}"));
    assert!(!cho.contains("[yeah"));

    let json: serde_json::Value =
        serde_json::from_str(&chords(&["show", "penny", "--format", "json"])).unwrap();
    assert_eq!(json["title"], "Penny’s Song");
    assert_eq!(json["key"], "C");

    let html = chords(&["show", "on the rise", "--format", "html"]);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<style>"));
    let used = json_chords("on-the-rise");
    assert_eq!(html.matches("<svg").count(), used.len());
    for fetches in ["src=", "href=", "url(", "@import", "<script", "<link"] {
        assert!(!html.contains(fetches), "{fetches}");
    }
    assert!(html.contains("<span class=\"chord\">E/G#</span>"));
}

fn json_chords(slug: &str) -> Vec<String> {
    let json: serde_json::Value =
        serde_json::from_str(&chords(&["show", slug, "--format", "json"])).unwrap();
    json["chords"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn diagrams_draw_a_box_for_every_chord_used() {
    for slug in SLUGS {
        for transpose in ["--transpose=0", "--transpose=5", "--transpose=-6"] {
            let out = chords(&["show", slug, transpose, "--diagrams", "--format", "json"]);
            let json: serde_json::Value = serde_json::from_str(&out).unwrap();
            let diagrams = json["diagrams"].as_array().unwrap();
            assert_eq!(diagrams.len(), json["chords"].as_array().unwrap().len());
            for d in diagrams {
                assert!(
                    d["fingering"].is_object(),
                    "{slug} {transpose}: no fingering for {}",
                    d["chord"]
                );
            }
        }
    }
    let text = chords(&["show", "slipping", "--diagrams"]);
    // Cm/G is not in the data: its Cm shape gets G on the low E string, finger not known.
    assert!(text.contains("* 3 | | | 4"), "{text}");
    assert_eq!(
        text.matches("===========").count() + text.matches("-----------").count(),
        json_chords("slipping").len()
    );
}

#[test]
fn reads_the_users_own_sheets_plain_and_chordpro() {
    let dir = tempdir("own");
    let plain = dir.join("my song.txt");
    std::fs::write(&plain, "Am        C/G\nHello there my\nfriend\n").unwrap();
    let out = chords(&["show", plain.to_str().unwrap(), "--transpose=3"]);
    assert_eq!(out.lines().next(), Some("my song"));
    assert_eq!(body(&out), ["Cm        Eb/Bb", "Hello there my", "friend"]);

    for name in ["mine.cho", "mine.chordpro", "mine.txt"] {
        let cho = dir.join(name);
        std::fs::write(
            &cho,
            "{title: Mine}\n{subtitle: Me}\n{soc}\n[Am]Hello [C/G]there my\n{eoc}\n",
        )
        .unwrap();
        let out = chords(&["show", cho.to_str().unwrap()]);
        assert_eq!(out.lines().next(), Some("Mine"), "{name}");
        assert_eq!(
            body(&out),
            ["Chorus:", "Am    C/G", "Hello there my"],
            "{name}"
        );
    }

    let out = run(
        &["chords", "show", "-", "--format", "chordpro"],
        b"G     D\nla la la\n",
    );
    let cho = String::from_utf8(support::assert_succeeds(&out)).unwrap();
    assert!(cho.contains("[G]la la [D]la"), "{cho}");
}

#[test]
fn bad_input_gets_a_clear_error_or_a_sensible_rendering() {
    let dir = tempdir("bad");
    let path = |name: &str, bytes: &[u8]| {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p.to_str().unwrap().to_string()
    };
    let empty = path("empty.txt", b"");
    assert_fails(
        &run(&["chords", "show", &empty], b""),
        &["empty.txt", "is empty"],
    );
    let blank = path("blank.cho", b"\n \n\t\n");
    assert_fails(&run(&["chords", "show", &blank], b""), &["is empty"]);
    let binary = path("song.bin", b"\x7fELF\x02\x01\x01\0\0\0");
    assert_fails(
        &run(&["chords", "show", &binary], b""),
        &["not a text file"],
    );
    let huge = path("huge.txt", &vec![b'a'; 2 << 20]);
    assert_fails(&run(&["chords", "show", &huge], b""), &["over 1 MiB"]);
    assert_fails(
        &run(&["chords", "show", dir.to_str().unwrap()], b""),
        &["cannot read"],
    );
    assert_fails(
        &run(&["chords", "show", "no/such/song.cho"], b""),
        &["cannot open no/such/song.cho"],
    );
    assert_fails(
        &run(&["chords", "show", "-"], b""),
        &["<stdin>", "is empty"],
    );

    // Nonsense is lyrics: shown as it is, in no key, whatever the transposition.
    let nonsense = path("nonsense.txt", b"qwerty zxcv H# Xm7 [[[ ]]] {{{\n");
    for transpose in ["--transpose=0", "--transpose=11"] {
        let out = chords(&["show", &nonsense, transpose]);
        assert!(out.contains("Key: unknown"));
        assert_eq!(body(&out), ["qwerty zxcv H# Xm7 [[[ ]]] {{{"]);
    }
    // Windows-1252, as older chord files are.
    let latin = path("latin.txt", b"Am\nI\x92m here\n");
    assert_eq!(body(&chords(&["show", &latin]))[1], "I’m here");
}

#[test]
fn colour_only_on_a_terminal_without_no_color() {
    // Piped: plain.
    assert!(!chords(&["show", "slipping"]).contains('\x1b'));
    let on_terminal = |extra: &[&str], no_color: Option<&str>| {
        let args = [&["chords", "show", "slipping"], extra].concat();
        support::on_terminal(&args, &[], no_color).map(|shown| shown.contains("\x1b["))
    };
    if on_terminal(&[], None).is_none() {
        return;
    }
    assert_eq!(on_terminal(&[], None), Some(true));
    assert_eq!(
        on_terminal(&[], Some("")),
        Some(true),
        "an empty NO_COLOR does not count"
    );
    assert_eq!(on_terminal(&[], Some("1")), Some(false));
    assert_eq!(on_terminal(&["--color", "auto"], Some("1")), Some(false));
    assert_eq!(on_terminal(&["--color", "never"], None), Some(false));
    // The flag of earlier versions, kept for the scripts that give it.
    assert_eq!(on_terminal(&["--no-color"], None), Some(false));
    assert_eq!(
        on_terminal(&["--no-color", "--color", "always"], None),
        Some(true)
    );
}

#[test]
fn color_always_colours_a_pipe_whatever_no_color_says() {
    for (args, colour) in [
        (&["--color", "always"][..], true),
        (&["--color=always", "--no-color"][..], false),
        (&["--color", "never"][..], false),
    ] {
        let out = tool()
            .args(["chords", "show", "slipping"])
            .args(args)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(out.status.success());
        let shown = String::from_utf8_lossy(&out.stdout);
        assert_eq!(shown.contains("\x1b[1;36m"), colour, "{args:?}");
    }
}

#[test]
fn list_columns_line_up_in_display_width() {
    // "Everyone’s A Hero": the apostrophe is three bytes and one column.
    let out = chords(&["list"]);
    let lines: Vec<&str> = out.lines().collect();
    let source_column = |line: &str, needle: &str| {
        let at = line.find(needle).unwrap();
        line[..at].chars().count()
    };
    let heading = source_column(lines[0], "SOURCE");
    let hero = lines.iter().find(|l| l.contains("Everyone’s")).unwrap();
    assert_eq!(source_column(hero, "Dr. Horrible"), heading, "{out}");
}

#[test]
fn help_documents_the_subcommands() {
    let out = tool().args(["chords", "--help"]).output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.contains("list") && help.contains("show"));
    let out = tool().args(["chords", "show", "--help"]).output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--transpose",
        "--capo",
        "--sharps",
        "--flats",
        "--color",
        "--diagrams",
        "--format",
    ] {
        assert!(help.contains(flag), "{flag}");
    }
}

/// What makes `tool chords show` start as fast as chordii (issue: "at least as fast as chordii"):
/// the loader maps only libc, libm, libgcc_s and zlib (no OpenSSL, whose own relocations were
/// most of a start), and relocates no tables, the executable being linked at a fixed address.
/// Times are measured by bench/chords.sh, never asserted; this checks the causes.
#[test]
fn the_binary_starts_without_openssl_and_without_relocating_its_tables() {
    if !support::require(
        "readelf",
        "reads the binary's dynamic section (Debian binutils)",
    ) {
        return;
    }
    let binary = env!("CARGO_BIN_EXE_tool");
    let elf = std::fs::read(binary).unwrap();
    const ET_EXEC: u16 = 2;
    assert_eq!(
        u16::from_le_bytes([elf[16], elf[17]]),
        ET_EXEC,
        "{binary} is position-independent: every start relocates its tables (see build.rs)"
    );
    let dynamic = support::assert_ran(
        std::process::Command::new("readelf")
            .args(["-d", binary])
            .output()
            .unwrap(),
        "readelf -d",
    );
    let dynamic = String::from_utf8_lossy(&dynamic.stdout);
    let needed: Vec<_> = dynamic
        .lines()
        .filter(|l| l.contains("(NEEDED)"))
        .filter_map(|l| l.split('[').nth(1)?.split(']').next())
        .collect();
    // The loader itself is named by some builds (debug ones ask it for thread-local storage).
    let loaded = [
        "ld-linux-x86-64.so.2",
        "libc.so.6",
        "libgcc_s.so.1",
        "libm.so.6",
        "libz.so.1",
    ];
    assert!(
        needed.iter().all(|lib| loaded.contains(lib)),
        "every start of tool loads {needed:?}; only {loaded:?} were expected"
    );
}
