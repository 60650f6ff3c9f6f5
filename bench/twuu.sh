#!/usr/bin/env bash
# Speed and memory benchmark: `tool twuu` against the base2048 crate (2.0.2), both 11 bits per
# glyph, and tool's 4096 alphabet (12 bits per glyph) beside its 2048 one. Whole processes are timed with hyperfine on 64 MiB of random bytes, peak RSS is taken
# with GNU time, and `tool` is also run on 1 GiB streamed through pipes to show that its memory
# stays constant. The results replace the twuu section of docs/benchmarks.md and are printed.
#
# Usage: bench/twuu.sh        (from anywhere; about 2-3 minutes on 2 cores)
# Needs: cargo, python3, hyperfine, GNU time (the last two are installed with apt-get when
# missing and running as root). The temp dir (~600 MB) comes from mktemp, so TMPDIR applies.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PEER_DIR="$ROOT/bench/base2048-peer"
TOOL="$ROOT/target/release/tool"
PEER="$PEER_DIR/target/release/base2048-peer"
DOC="$ROOT/docs/benchmarks.md"
JSON_KEEP="$ROOT/target/bench/twuu-hyperfine.json"

SIZE=67108864        # 64 MiB
BIG=1073741824       # 1 GiB
WARMUP=1
RUNS=5

BENCH=bench/twuu.sh
# shellcheck source=bench/common.sh
. "$ROOT/bench/common.sh"

need hyperfine=hyperfine time=gnu-time
have cargo || die "cargo not found"
have python3 || die "python3 not found"

# --- build ----------------------------------------------------------------------------------

step "building tool (release)"
(cd "$ROOT" && cargo build --release --quiet --target-dir "$ROOT/target")
step "building base2048-peer (release)"
cargo build --release --quiet --manifest-path "$PEER_DIR/Cargo.toml" --target-dir "$PEER_DIR/target"
[ -x "$TOOL" ] || die "$TOOL was not built"
[ -x "$PEER" ] || die "$PEER was not built"

# --- inputs ---------------------------------------------------------------------------------

WORK=$(mktemp -d "${TMPDIR:-/tmp}/twuu-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# Plain twuu refuses input that ends in NUL (no decoder could give it back): draw again then.
step "making $SIZE random bytes"
last_byte() { tail -c 1 "$1" | od -An -tu1 | tr -d ' \n'; }
while :; do
    head -c "$SIZE" /dev/urandom >"$WORK/rand"
    [ "$(last_byte "$WORK/rand")" != 0 ] && break
done

step "encoding it with both tools"
"$TOOL" twuu encode --no-markers <"$WORK/rand" >"$WORK/rand.twuu"
"$TOOL" twuu encode --no-markers --alphabet 4096 <"$WORK/rand" >"$WORK/rand.twuu4096"
"$PEER" encode <"$WORK/rand" >"$WORK/rand.b2048"

step "checking that both decoders give the input back"
"$TOOL" twuu decode <"$WORK/rand.twuu" >"$WORK/check.tool"
cmp "$WORK/rand" "$WORK/check.tool" || die "tool twuu decode did not give back the input"
"$TOOL" twuu decode <"$WORK/rand.twuu4096" >"$WORK/check.tool"
cmp "$WORK/rand" "$WORK/check.tool" || die "tool twuu decode (4096) did not give back the input"
"$PEER" decode <"$WORK/rand.b2048" >"$WORK/check.peer"
cmp "$WORK/rand" "$WORK/check.peer" || die "base2048-peer decode did not give back the input"
rm -f "$WORK/check.tool" "$WORK/check.peer"

# --- speed ----------------------------------------------------------------------------------

q() { printf '%q' "$1"; }
W=$(q "$WORK")
CMD_TOOL_ENC="$(q "$TOOL") twuu encode --no-markers < $W/rand > $W/out.tool-enc"
CMD_PEER_ENC="$(q "$PEER") encode < $W/rand > $W/out.peer-enc"
CMD_TOOL_DEC="$(q "$TOOL") twuu decode < $W/rand.twuu > $W/out.tool-dec"
CMD_PEER_DEC="$(q "$PEER") decode < $W/rand.b2048 > $W/out.peer-dec"
CMD_TOOL_ENC4="$(q "$TOOL") twuu encode --no-markers --alphabet 4096 < $W/rand > $W/out.tool-enc4"
CMD_TOOL_DEC4="$(q "$TOOL") twuu decode < $W/rand.twuu4096 > $W/out.tool-dec4"

step "timing with hyperfine (--warmup $WARMUP --runs $RUNS)"
hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS" --export-json "$WORK/hyperfine.json" \
    -n tool-encode "$CMD_TOOL_ENC" \
    -n peer-encode "$CMD_PEER_ENC" \
    -n tool-decode "$CMD_TOOL_DEC" \
    -n peer-decode "$CMD_PEER_DEC" \
    -n tool-encode-4096 "$CMD_TOOL_ENC4" \
    -n tool-decode-4096 "$CMD_TOOL_DEC4" >&2
mkdir -p "$(dirname "$JSON_KEEP")"
cp "$WORK/hyperfine.json" "$JSON_KEEP"

# --- memory ---------------------------------------------------------------------------------

step "measuring peak RSS (GNU time %M)"
rss() { # rss NAME COMMAND...: runs COMMAND under GNU time with stdin/stdout already redirected
    local name=$1
    shift
    /usr/bin/time -f %M -o "$WORK/rss.$name" "$@"
}
rss tool-encode "$TOOL" twuu encode --no-markers <"$WORK/rand" >"$WORK/out.tool-enc"
rss peer-encode "$PEER" encode <"$WORK/rand" >"$WORK/out.peer-enc"
rss tool-decode "$TOOL" twuu decode <"$WORK/rand.twuu" >"$WORK/out.tool-dec"
rss peer-decode "$PEER" decode <"$WORK/rand.b2048" >"$WORK/out.peer-dec"
rss tool-encode-4096 "$TOOL" twuu encode --no-markers --alphabet 4096 <"$WORK/rand" >"$WORK/out.tool-enc4"
rss tool-decode-4096 "$TOOL" twuu decode <"$WORK/rand.twuu4096" >"$WORK/out.tool-dec4"

# 1 GiB of 'x' (not NUL: plain twuu refuses a trailing NUL), streamed: no 1 GiB file is made.
step "constant memory: tool twuu encode on 1 GiB streamed"
big_enc_bytes=$(head -c "$BIG" /dev/zero | tr '\0' 'x' |
    rss big-encode "$TOOL" twuu encode --no-markers | wc -c)
step "constant memory: tool twuu decode of that, streamed from the encoder"
big_dec_bytes=$(head -c "$BIG" /dev/zero | tr '\0' 'x' |
    "$TOOL" twuu encode --no-markers |
    rss big-decode "$TOOL" twuu decode | wc -c)
[ "$big_dec_bytes" -eq "$BIG" ] || die "1 GiB round trip gave $big_dec_bytes bytes, not $BIG"

# --- report ---------------------------------------------------------------------------------

bench_facts

export DOC WORK SIZE BIG big_enc_bytes big_dec_bytes
export B_TOOL_ENC_BYTES B_PEER_ENC_BYTES B_TOOL4_ENC_BYTES
B_TOOL_ENC_BYTES=$(wc -c <"$WORK/rand.twuu")
B_TOOL4_ENC_BYTES=$(wc -c <"$WORK/rand.twuu4096")
B_PEER_ENC_BYTES=$(wc -c <"$WORK/rand.b2048")

python3 - <<'PY'
import json, os, re, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(os.environ["DOC"]))), "bench"))
from report import kib, peak_rss, replace_section

env = os.environ
work = env["WORK"]
size = int(env["SIZE"])
big = int(env["BIG"])

with open(os.path.join(work, "hyperfine.json")) as f:
    results = {r["command"]: r for r in json.load(f)["results"]}

rows = [
    ("tool-encode", "`tool twuu encode --no-markers`", "encode"),
    ("peer-encode", "`base2048-peer encode`", "encode"),
    ("tool-decode", "`tool twuu decode`", "decode"),
    ("peer-decode", "`base2048-peer decode`", "decode"),
    ("tool-encode-4096", "`tool twuu encode --no-markers --alphabet 4096`", "encode"),
    ("tool-decode-4096", "`tool twuu decode` (4096 alphabet)", "decode"),
]
mb = size / 1e6
table = [
    "| command | mean ± stddev (s) | MB/s | peak RSS |",
    "| --- | ---: | ---: | ---: |",
]
for key, label, _ in rows:
    r = results[key]
    table.append(
        f"| {label} | {r['mean']:.3f} ± {r['stddev']:.3f} | {mb / r['mean']:,.0f} | {kib(peak_rss(work, key))} |"
    )

def ratio(op):
    return results[f"peer-{op}"]["mean"] / results[f"tool-{op}"]["mean"]

def ratio4096(op):
    return results[f"tool-{op}"]["mean"] / results[f"tool-{op}-4096"]["mean"]

ratios = [
    f"- encode: tool/peer speed = **{ratio('encode'):.2f}×**",
    f"- decode: tool/peer speed = **{ratio('decode'):.2f}×**",
    f"- encode: tool 4096/2048 speed = **{ratio4096('encode'):.2f}×**",
    f"- decode: tool 4096/2048 speed = **{ratio4096('decode'):.2f}×**",
]

big_table = [
    "| command (1 GiB streamed through a pipe) | peak RSS |",
    "| --- | ---: |",
    f"| `head -c {big} /dev/zero \\| tr '\\0' x \\| tool twuu encode --no-markers` | {kib(peak_rss(work, 'big-encode'))} |",
    f"| `… \\| tool twuu encode --no-markers \\| tool twuu decode` | {kib(peak_rss(work, 'big-decode'))} |",
]

section = "\n".join([
    "<!-- twuu:start -->",
    "## twuu: `tool twuu` vs `base2048` 2.0.2, and its 4096 alphabet",
    "",
    "Produced by `bench/twuu.sh` (do not edit by hand; run the script again to refresh).",
    "",
    f"- Date: {env['B_DATE']}",
    f"- Machine: {env['cpu_model']}, nproc = {env['B_NPROC']}, {env['B_KERNEL']}",
    f"- Versions: tool {env['commit']}, {env['B_RUSTC']}, {env['B_HYPERFINE']}, "
    "peer `bench/base2048-peer` (base2048 =2.0.2, release, fat LTO)",
    f"- Input: {size:,} bytes ({size // 2**20} MiB) from /dev/urandom. Encoded: "
    f"{int(env['B_TOOL_ENC_BYTES']):,} bytes of twuu text (`--no-markers`, plus one newline), "
    f"{int(env['B_PEER_ENC_BYTES']):,} bytes of base2048 text, "
    f"{int(env['B_TOOL4_ENC_BYTES']):,} bytes of twuu 4096 text.",
    "- Method: whole processes, stdin and stdout redirected to files in a temp dir; hyperfine "
    "`--warmup 1 --runs 5`; both decoders checked with `cmp` against the input first. "
    f"MB/s = {mb:.2f} MB (the raw bytes, 10^6 bytes per MB) / mean time, in both directions. "
    "Peak RSS from GNU time `%M`, one run each.",
    "",
    *table,
    "",
    "Speed ratios, above 1 meaning the first named is faster: tool/peer = base2048 mean time / "
    "tool mean time; tool 4096/2048 = tool 2048 mean time / tool 4096 mean time:",
    "",
    *ratios,
    "",
    "Constant memory of `tool` (1 GiB of `x` generated on the fly; nothing is stored; "
    f"the encoder wrote {int(env['big_enc_bytes']):,} bytes and the decoder gave back "
    f"{int(env['big_dec_bytes']):,}):",
    "",
    *big_table,
    "<!-- twuu:end -->",
])

replace_section(env["DOC"], "twuu", section)

print(section)
PY
echo "bench/twuu.sh: wrote the twuu section of ${DOC#"$ROOT"/}; hyperfine JSON kept in ${JSON_KEEP#"$ROOT"/}" >&2
