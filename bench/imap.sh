#!/usr/bin/env bash
# Speed and memory benchmark of `tool imap` against a local Dovecot, whole processes:
#   - `tool imap subjects` on a 10,000-message folder against (a) the loop of "Making imaplib
#     simple" (bench/imap_post_loop.py: SEARCH ALL, then FETCH (RFC822) per message, parsed with
#     email) and (b) batched imaplib (bench/imap_batched.py: one FETCH of the Subject header for
#     the whole folder, read-only); all three outputs are checked to be the same first;
#   - the peak RSS of `tool imap messages --json` over 60 messages of 2 MB each;
#   - wall time and peak RSS with one message of 150 MB: `tool imap export` to an mbox and to a
#     Maildir (streamed in 8 MiB partial FETCHes), `messages --json` and `show`, against the
#     same backup made with imaplib and mailbox (bench/imap_export_python.py).
# The server is the tests' own Dovecot harness (tests/support/dovecot.rs), filled and served by
# the test helper tests/support/imap_server.rs, which the ignored test bench_server of
# tests/imap_library.rs runs. The results replace the imap section of docs/benchmarks.md and are
# printed.
#
# Usage: bench/imap.sh        (from anywhere; about 2-4 minutes on 2 cores, as root)
# Needs: cargo, python3, dovecot-imapd, openssl, hyperfine and GNU time (the last four are
# installed with apt-get when missing and running as root). CARGO_TARGET_DIR is honoured.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
TOOL="$TARGET/release/tool"
DOC="$ROOT/docs/benchmarks.md"
JSON_KEEP="$TARGET/bench/imap-hyperfine.json"
FOLDER=Bench10k
BIG=Big2MB
HUGE=Huge150MB
RSS_LIMIT_KIB=65536 # 64 MiB

BENCH=bench/imap.sh
# shellcheck source=bench/common.sh
. "$ROOT/bench/common.sh"

need hyperfine=hyperfine time=gnu-time dovecot-imapd=/usr/lib/dovecot/imap openssl=openssl
have cargo || die "cargo not found"
have python3 || die "python3 not found"
[ "$(id -u)" -eq 0 ] || die "the Dovecot harness runs as root (its mail belongs to the mail user)"

# --- build ----------------------------------------------------------------------------------

step "building tool (release)"
(cd "$ROOT" && cargo build --release --quiet --target-dir "$TARGET")
[ -x "$TOOL" ] || die "$TOOL was not built"
step "building the Dovecot harness"
HARNESS=$(cd "$ROOT" && cargo test --release --quiet --target-dir "$TARGET" --test imap_library --no-run \
    --message-format=json | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("target", {}).get("name") == "imap_library" and m.get("executable"):
        print(m["executable"])')
[ -x "$HARNESS" ] || die "the harness test binary was not built"

# --- server ---------------------------------------------------------------------------------

WORK=$(mktemp -d "${TMPDIR:-/tmp}/imap-bench.XXXXXX")
SERVER_PID=
cleanup() {
    exec 3>&- 2>/dev/null || true # closing its stdin stops the harness, which stops Dovecot
    [ -n "$SERVER_PID" ] && wait "$SERVER_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

step "starting Dovecot with $FOLDER (10,000 messages), $BIG (60 x 2 MB) and $HUGE (1 x 150 MB)"
mkfifo "$WORK/stdin"
TOOL_BENCH_SERVER_INFO="$WORK/server.json" "$HARNESS" --ignored --exact bench_server --nocapture \
    <"$WORK/stdin" >"$WORK/harness.log" 2>&1 &
SERVER_PID=$!
exec 3>"$WORK/stdin"
for _ in $(seq 600); do
    [ -s "$WORK/server.json" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || die "the harness stopped: $(cat "$WORK/harness.log")"
    sleep 0.2
done
[ -s "$WORK/server.json" ] || die "the server was not ready within 120 s"
field() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$WORK/server.json" "$1"; }
HOST=$(field host)
PORT=$(field imap_port)
USER_NAME=$(field user)
TOOL_IMAP_PASSWORD=$(field password)
export TOOL_IMAP_PASSWORD

# --- correctness first ----------------------------------------------------------------------

q() { printf '%q' "$1"; }
CONN="--host $HOST --port $PORT --user $(q "$USER_NAME") --security plain"
CMD_TOOL="$(q "$TOOL") imap subjects $FOLDER $CONN"
CMD_LOOP="python3 $(q "$ROOT/bench/imap_post_loop.py") $HOST $PORT $(q "$USER_NAME") $FOLDER"
CMD_BATCH="python3 $(q "$ROOT/bench/imap_batched.py") $HOST $PORT $(q "$USER_NAME") $FOLDER"

step "checking that all three print the same 10,000 subjects"
bash -c "$CMD_TOOL" >"$WORK/out.tool" 2>/dev/null
bash -c "$CMD_LOOP" >"$WORK/out.loop"
bash -c "$CMD_BATCH" >"$WORK/out.batch"
[ "$(wc -l <"$WORK/out.tool")" -eq 10000 ] || die "tool printed $(wc -l <"$WORK/out.tool") subjects, not 10000"
cmp -s "$WORK/out.tool" "$WORK/out.loop" || die "tool and the post's loop disagree: $(diff "$WORK/out.tool" "$WORK/out.loop" | head -5)"
cmp -s "$WORK/out.tool" "$WORK/out.batch" || die "tool and batched imaplib disagree: $(diff "$WORK/out.tool" "$WORK/out.batch" | head -5)"

# --- speed ----------------------------------------------------------------------------------

step "timing with hyperfine"
# The post's loop pays 10,000 round trips a run: fewer runs of it keep the bench short.
hyperfine --style basic --warmup 2 --runs 10 --export-json "$WORK/fast.json" \
    -n tool "$CMD_TOOL > /dev/null 2>&1" \
    -n batched "$CMD_BATCH > /dev/null" >&2
hyperfine --style basic --warmup 1 --runs 3 --export-json "$WORK/loop.json" \
    -n post-loop "$CMD_LOOP > /dev/null" >&2
mkdir -p "$(dirname "$JSON_KEEP")"
python3 -c 'import json, sys; print(json.dumps({"results": [r for f in sys.argv[1:] for r in json.load(open(f))["results"]]}, indent=1))' \
    "$WORK/fast.json" "$WORK/loop.json" >"$JSON_KEEP"

# --- memory ---------------------------------------------------------------------------------

step "peak RSS of tool imap messages --json over $BIG (GNU time %M)"
/usr/bin/time -f %M -o "$WORK/rss.messages" "$TOOL" imap messages "$BIG" --json $CONN \
    >"$WORK/out.messages" 2>/dev/null
[ "$(wc -l <"$WORK/out.messages")" -eq 60 ] || die "messages printed $(wc -l <"$WORK/out.messages") lines, not 60"
BIG_BYTES=$(python3 -c 'import json, sys; print(sum(json.loads(l)["size"] for l in open(sys.argv[1])))' "$WORK/out.messages")
/usr/bin/time -f %M -o "$WORK/rss.subjects" "$TOOL" imap subjects "$FOLDER" $CONN >/dev/null 2>&1
[ "$(tail -1 "$WORK/rss.messages")" -lt "$RSS_LIMIT_KIB" ] ||
    die "tool imap messages peaked at $(tail -1 "$WORK/rss.messages") KiB, over the 64 MiB budget"

step "one 150 MB message ($HUGE): wall time and peak RSS (GNU time %e %M)"
huge() { # NAME COMMAND...: runs it under GNU time into WORK/rss.huge-NAME
    local name=$1
    shift
    /usr/bin/time -f '%e %M' -o "$WORK/rss.huge-$name" "$@" >"$WORK/out.huge-$name" 2>"$WORK/err.huge-$name" ||
        die "$name failed: $(cat "$WORK/err.huge-$name")"
}
huge export-mbox "$TOOL" imap export "$HUGE" --mbox "$WORK/huge.mbox" $CONN
huge export-maildir "$TOOL" imap export "$HUGE" --maildir "$WORK/huge.maildir" $CONN
huge messages "$TOOL" imap messages "$HUGE" --json $CONN
huge show "$TOOL" imap show "$HUGE" 1 $CONN
huge python python3 "$ROOT/bench/imap_export_python.py" "$HOST" "$PORT" "$USER_NAME" "$HUGE" \
    "$WORK/huge.python.mbox"
HUGE_BYTES=$(python3 - "$WORK" <<'PY'
import mailbox, os, sys
work = sys.argv[1]
sizes = set()
for name in ("huge.mbox", "huge.python.mbox"):
    messages = list(mailbox.mbox(f"{work}/{name}"))
    assert len(messages) == 1 and messages[0]["subject"] == "huge", name
    sizes.add(len(messages[0].get_payload()[1].get_payload(decode=True)))
(messages,) = mailbox.Maildir(f"{work}/huge.maildir", create=False)
sizes.add(len(messages.get_payload()[1].get_payload(decode=True)))
assert len(sizes) == 1, f"the attachments differ: {sizes}"
(name,) = os.listdir(f"{work}/huge.maildir/cur")
print(os.path.getsize(f"{work}/huge.maildir/cur/{name}"))
PY
) || die "the three backups of $HUGE do not agree"
[ "$(cut -d' ' -f2 "$WORK/rss.huge-export-mbox")" -lt "$RSS_LIMIT_KIB" ] ||
    die "tool imap export peaked at $(cut -d' ' -f2 "$WORK/rss.huge-export-mbox") KiB, over the 64 MiB budget"

# --- report ---------------------------------------------------------------------------------

bench_facts

export DOC WORK JSON_KEEP BIG_BYTES FOLDER BIG HUGE HUGE_BYTES
export B_DOVECOT B_PYTHON
B_DOVECOT=$(dovecot --version | cut -d' ' -f1)
B_PYTHON=$(python3 --version)

python3 - <<'PY'
import json, os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(os.environ["DOC"]))), "bench"))
from report import kib, peak_rss, replace_section

env = os.environ
work = env["WORK"]
with open(env["JSON_KEEP"]) as f:
    results = {r["command"]: r for r in json.load(f)["results"]}

def wall(name):
    with open(os.path.join(work, "rss.huge-" + name)) as f:
        return float(f.read().split()[-2])


rows = [
    ("tool", f"`tool imap subjects {env['FOLDER']}`"),
    ("batched", "(b) batched imaplib, `bench/imap_batched.py`"),
    ("post-loop", "(a) the post's loop, `bench/imap_post_loop.py`"),
]
table = [
    "| command | runs | mean ± stddev (s) | min … max (s) |",
    "| --- | ---: | ---: | ---: |",
]
for key, label in rows:
    r = results[key]
    table.append(
        f"| {label} | {len(r['times'])} | {r['mean']:.3f} ± {r['stddev']:.3f} | "
        f"{r['min']:.3f} … {r['max']:.3f} |"
    )
tool = results["tool"]["mean"]
ratio_loop = results["post-loop"]["mean"] / tool
ratio_batch = results["batched"]["mean"] / tool
big_mb = int(env["BIG_BYTES"]) / 1e6

section = "\n".join([
    "<!-- imap:start -->",
    "## imap: `tool imap` vs imaplib, against a local Dovecot",
    "",
    "Produced by `bench/imap.sh` (do not edit by hand; run the script again to refresh).",
    "",
    f"- Date: {env['B_DATE']}",
    f"- Machine: {env['cpu_model']}, nproc = {env['B_NPROC']}, {env['B_KERNEL']}",
    f"- Versions: tool {env['commit']} (release), {env['B_RUSTC']}, Dovecot {env['B_DOVECOT']}, "
    f"{env['B_PYTHON']}, {env['B_HYPERFINE']}",
    f"- Server: the tests' Dovecot harness on 127.0.0.1, plaintext IMAP (`--security plain`), "
    f"Maildir; folder `{env['FOLDER']}` holds 10,000 messages of about 3 kB, one subject in ten "
    "in RFC 2047 encoded words.",
    "- Method: whole processes, stdout to /dev/null; hyperfine `--warmup 2 --runs 10` for tool "
    "and (b), `--warmup 1 --runs 3` for (a) (10,000 round trips a run). All three were first "
    "checked to print the same 10,000 decoded subjects.",
    "- Command: `bench/imap.sh`",
    "",
    *table,
    "",
    f"- (a) the post's loop / tool = **{ratio_loop:.1f}×** (the goal: at least 10×)",
    f"- (b) batched imaplib / tool = **{ratio_batch:.1f}×** (the goal: at least 5×)",
    "",
    "Memory (peak RSS from GNU time `%M`, one run each):",
    "",
    "| command | peak RSS |",
    "| --- | ---: |",
    f"| `tool imap messages {env['BIG']} --json` (60 messages of 2 MB, {big_mb:.1f} MB in all) | "
    f"{kib(peak_rss(work, 'messages'))} |",
    f"| `tool imap subjects {env['FOLDER']}` (10,000 messages) | {kib(peak_rss(work, 'subjects'))} |",
    "",
    "The budget for the first is 64 MiB: messages come in batches of at most 8 MiB and are "
    "parsed one at a time.",
    "",
    f"One message of {int(env['HUGE_BYTES']) / 1e6:.1f} MB (folder `{env['HUGE']}`, a base64 "
    "attachment), one run each; the three backups were checked to hold the same attachment:",
    "",
    "| command | wall (s) | peak RSS |",
    "| --- | ---: | ---: |",
    *[
        f"| {label} | {wall(name):.2f} | {kib(peak_rss(work, 'huge-' + name))} |"
        for name, label in [
            ("export-mbox", f"`tool imap export {env['HUGE']} --mbox FILE`"),
            ("export-maildir", f"`tool imap export {env['HUGE']} --maildir DIR`"),
            ("messages", f"`tool imap messages {env['HUGE']} --json`"),
            ("show", f"`tool imap show {env['HUGE']} 1`"),
            ("python", "imaplib and mailbox.mbox, `bench/imap_export_python.py`"),
        ]
    ],
    "",
    "The export streams the message in 8 MiB partial FETCHes (budget: 64 MiB); `messages` and "
    "`show` hold it once, beside the attachment mail-parser decodes (budget: twice its size).",
    "<!-- imap:end -->",
])

replace_section(env["DOC"], "imap", section)

print(section)
PY
echo "bench/imap.sh: wrote the imap section of ${DOC#"$ROOT"/}; hyperfine JSON kept in $JSON_KEEP" >&2
