//! Links `tool` as a position-dependent executable.
//!
//! A start of `tool chords show` does far less work than chordii, yet a position-independent
//! build spent most of its start in the dynamic loader: the 21,000 pointers of the binary's
//! read-only tables (vtables, panic locations, string tables) are relocated at every start, and
//! each of the 114 pages holding them is copied on write. Linked at a fixed address they are
//! plain file pages read on demand: `tool chords show slipping` went from 309 to 200 page
//! faults and from 2.3 to 1.9 ms of CPU, level with chordii (docs/benchmarks.md, chords). The
//! price is that the executable itself is not placed at a random address (its libraries, heap
//! and stack still are), as with Go's default builds; lintian names it `hardening-no-pie`, a
//! warning.
fn main() {
    let linux = std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux");
    if linux {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
