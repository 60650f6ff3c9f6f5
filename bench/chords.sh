#!/usr/bin/env bash
# Speed benchmark: `tool chords show slipping` as a whole process, against chordii (the
# ChordPro reference implementation, Debian's `chordii`) turning the same song's ChordPro
# export into PostScript. One hyperfine run times them all, commands executed directly (no
# shell in between), output discarded. The medians replace the chords section of
# docs/benchmarks.md and are printed.
#
# Usage: bench/chords.sh        (from anywhere; well under a minute once tool is built)
# Needs: cargo, python3, hyperfine, chordii (the last two are installed with apt-get when
# missing and running as root).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOL="$ROOT/target/release/tool"
DOC="$ROOT/docs/benchmarks.md"
JSON_KEEP="$ROOT/target/bench/chords-hyperfine.json"
SONG=slipping

WARMUP=10
RUNS=300

BENCH=bench/chords.sh
# shellcheck source=bench/common.sh
. "$ROOT/bench/common.sh"

need hyperfine=hyperfine chordii=chordii
have cargo || die "cargo not found"
have python3 || die "python3 not found"

# --- build and inputs -----------------------------------------------------------------------

step "building tool (release)"
(cd "$ROOT" && cargo build --release --quiet --target-dir "$ROOT/target")
[ -x "$TOOL" ] || die "$TOOL was not built"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/chords-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

step "exporting $SONG to ChordPro for chordii"
"$TOOL" chords show "$SONG" --format chordpro-legacy >"$WORK/$SONG.cho"
# chordii always exits 0; a complaint other than an unknown chord would mean it did not read
# the song as written, and the comparison would be unfair.
chordii -o /dev/null "$WORK/$SONG.cho" 2>"$WORK/chordii.err"
if grep -v -e "has never been defined" -e "^ *in file" -e '^$' "$WORK/chordii.err" >&2; then
    die "chordii complained about the export (above)"
fi
"$TOOL" chords show "$SONG" >/dev/null || die "tool chords show $SONG failed"

# --- speed ----------------------------------------------------------------------------------

q() { printf '%q' "$1"; }
CMD_TOOL="$(q "$TOOL") chords show $SONG"
CMD_TOOL_DIAGRAMS="$(q "$TOOL") chords show $SONG --transpose=5 --diagrams"
CMD_CHORDII="chordii -o /dev/null $(q "$WORK/$SONG.cho")"

step "timing with hyperfine (--warmup $WARMUP --runs $RUNS, no shell)"
hyperfine --style basic -N --warmup "$WARMUP" --runs "$RUNS" --export-json "$WORK/hyperfine.json" \
    -n tool "$CMD_TOOL" \
    -n tool-diagrams "$CMD_TOOL_DIAGRAMS" \
    -n chordii "$CMD_CHORDII" >&2
mkdir -p "$(dirname "$JSON_KEEP")"
cp "$WORK/hyperfine.json" "$JSON_KEEP"

# --- report ---------------------------------------------------------------------------------

bench_facts

export DOC WORK SONG WARMUP RUNS
export B_CHORDII B_LINES B_LOAD
B_LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
B_CHORDII=$(dpkg-query -W -f '${Version}' chordii 2>/dev/null || echo unknown)
B_LINES=$("$TOOL" chords show "$SONG" | wc -l)

python3 - <<'PY'
import json, os, re, sys

env = os.environ
with open(os.path.join(env["WORK"], "hyperfine.json")) as f:
    results = {r["command"]: r for r in json.load(f)["results"]}

def ms(seconds):
    return f"{seconds * 1000:.2f}"

song = env["SONG"]
rows = [
    ("tool", f"`tool chords show {song}`"),
    ("tool-diagrams", f"`tool chords show {song} --transpose=5 --diagrams`"),
    ("chordii", f"`chordii -o /dev/null {song}.cho` (the export of `tool chords show {song} --format chordpro-legacy`)"),
]
table = [
    "| command | median (ms) | mean ± stddev (ms) | min … max (ms) | CPU, user + system (ms) |",
    "| --- | ---: | ---: | ---: | ---: |",
]
for key, label in rows:
    r = results[key]
    table.append(
        f"| {label} | **{ms(r['median'])}** | {ms(r['mean'])} ± {ms(r['stddev'])} "
        f"| {ms(r['min'])} … {ms(r['max'])} | {ms(r['user'] + r['system'])} |"
    )
ratio = results["chordii"]["median"] / results["tool"]["median"]

section = "\n".join([
    "<!-- chords:start -->",
    "## chords: `tool chords show` vs `chordii`",
    "",
    "Produced by `bench/chords.sh` (do not edit by hand; run the script again to refresh).",
    "",
    f"- Date: {env['B_DATE']}",
    f"- Machine: {env['cpu_model']}, nproc = {env['B_NPROC']}, {env['B_KERNEL']}",
    f"- Versions: tool {env['commit']}, {env['B_RUSTC']}, {env['B_HYPERFINE']}, "
    f"chordii {env['B_CHORDII']} (Debian)",
    f"- Input: \"Slipping\", built in ({int(env['B_LINES'])} lines of text output); chordii "
    "reads the same song as exported to ChordPro and writes PostScript to /dev/null.",
    f"- Method: whole processes started directly by hyperfine (`-N`, no shell), stdout "
    f"discarded; `--warmup {env['WARMUP']} --runs {env['RUNS']}`, all three in one run.",
    "- Command: `bench/chords.sh`",
    "",
    *table,
    "",
    f"chordii median / tool median = **{ratio:.2f}×** (above 1 means `tool` is faster). "
    f"Load average when it ran: {env['B_LOAD']} (the CPU column is the steadier figure on a "
    "busy machine).",
    "",
    "What a start costs: `tool` links only libc, libm, libgcc_s and zlib (TLS is rustls, "
    "built in); it is linked at a fixed address, so the loader relocates no tables "
    "(`build.rs`; `tests/it/chords/cli.rs` checks both); and it defines only the arguments of "
    "the subcommand given (`Deferred` in `src/cli.rs`). Before these three, a start took 448 "
    "page faults and 5.2 ms of CPU; now 149 and 1.0, chordii 72 and 1.7 "
    "(`perf stat -r 1000 -e task-clock,page-faults CMD`, one after the other, 2026-12-02).",
    "<!-- chords:end -->",
])

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(env["DOC"]))), "bench"))
from report import replace_section

replace_section(env["DOC"], "chords", section)

print(section)
PY
echo "bench/chords.sh: wrote the chords section of ${DOC#"$ROOT"/}; hyperfine JSON kept in ${JSON_KEEP#"$ROOT"/}" >&2
