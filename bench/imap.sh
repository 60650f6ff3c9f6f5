#!/usr/bin/env bash
# Speed and memory benchmark of `tool imap` against a local Dovecot, whole processes:
#   - `tool imap subjects` on a 10,000-message folder against (a) the loop of "Making imaplib
#     simple" (bench/imap_post_loop.py: SEARCH ALL, then FETCH (RFC822) per message, parsed with
#     email) and (b) batched imaplib (bench/imap_batched.py: one FETCH of the Subject header for
#     the whole folder, read-only); all three outputs are checked to be the same first;
#   - the peak RSS of `tool imap messages --json` over 60 messages of 2 MB each;
#   - wall time and peak RSS with one message of 150 MB: `tool imap export` to an mbox and to a
#     Maildir (streamed in 8 MiB partial FETCHes), `messages --json` and `show`, against the
#     same backup made with imaplib and mailbox (bench/imap_export_python.py);
#   - a WAN at a 50 ms round trip, through a proxy this script starts (bench/imap_wan_proxy.py:
#     the kernel has no netem; 25 ms each way, client flights and bytes counted per connection):
#     `subjects` of the 10,000 messages, `folders` and `show`, each against batched imaplib, over
#     plain IMAP and TLS, the tool with and without COMPRESS=DEFLATE;
#   - `tool imap watch FOLDER --json`: how soon it prints a message another client appends, 20
#     times, with IDLE, beside a bare IDLE held with imaplib (bench/imap_watch.py drives both).
# The server is the tests' own Dovecot harness (tests/it/support/dovecot.rs), filled and served by
# the test helper tests/it/support/imap_server.rs, which the test bench_server of
# tests/it/imap/library.rs runs when TOOL_BENCH_SERVER_INFO is set. The results replace the imap and
# imap-watch sections of docs/benchmarks.md and are printed.
#
# Usage: bench/imap.sh [watch]   (from anywhere; about 3-5 minutes on 2 cores, as root; `watch`
#        runs only the watch part and writes only the imap-watch section, under a minute once built)
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
WATCH_FOLDER=Watch
WATCH_RUNS=20
PART=${1:-all}

BENCH=bench/imap.sh
# shellcheck source=bench/common.sh
. "$ROOT/bench/common.sh"

need hyperfine=hyperfine time=gnu-time dovecot-imapd=/usr/lib/dovecot/imap openssl=openssl
have cargo || die "cargo not found"
have python3 || die "python3 not found"
[ "$(id -u)" -eq 0 ] || die "the Dovecot harness runs as root (its mail belongs to the mail user)"
case $PART in
    all | watch) ;;
    *) die "unknown part '$PART' (usage: bench/imap.sh [watch])" ;;
esac

# --- build ----------------------------------------------------------------------------------

step "building tool (release)"
(cd "$ROOT" && cargo build --release --quiet --target-dir "$TARGET")
[ -x "$TOOL" ] || die "$TOOL was not built"
step "building the Dovecot harness"
HARNESS=$(cd "$ROOT" && cargo test --release --quiet --target-dir "$TARGET" --test it --no-run \
    --message-format=json | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("target", {}).get("name") == "it" and m.get("executable"):
        print(m["executable"])')
[ -x "$HARNESS" ] || die "the harness test binary was not built"

# --- server ---------------------------------------------------------------------------------

WORK=$(mktemp -d "${TMPDIR:-/tmp}/imap-bench.XXXXXX")
SERVER_PID=
PROXY_PIDS=()
cleanup() {
    for pid in "${PROXY_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    exec 3>&- 2>/dev/null || true # closing its stdin stops the harness, which stops Dovecot
    [ -n "$SERVER_PID" ] && wait "$SERVER_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

step "starting Dovecot with $FOLDER (10,000 messages), $BIG (60 x 2 MB) and $HUGE (1 x 150 MB)"
mkfifo "$WORK/stdin"
TOOL_BENCH_SERVER_INFO="$WORK/server.json" "$HARNESS" --exact imap::library::bench_server --nocapture \
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
TLS_PORT=$(field imaps_port)
CA_FILE=$(field ca_file)
USER_NAME=$(field user)
TOOL_IMAP_PASSWORD=$(field password)
export TOOL_IMAP_PASSWORD

# --- watch ----------------------------------------------------------------------------------

# How soon `tool imap watch` prints what another client appends, written to the imap-watch
# section. The folder is one of its own, so the other parts' folders stay as they were.
watch_bench() {
    step "timing tool imap watch $WATCH_FOLDER --json: $WATCH_RUNS messages appended with imaplib"
    python3 "$ROOT/bench/imap_watch.py" "$TOOL" "$HOST" "$PORT" "$USER_NAME" "$WATCH_FOLDER" \
        "$WORK/watch.json" "$WATCH_RUNS"
    mkdir -p "$TARGET/bench"
    cp "$WORK/watch.json" "$TARGET/bench/imap-watch.json"
    bench_facts
    export DOC WORK WATCH_FOLDER B_DOVECOT B_PYTHON
    B_DOVECOT=$(dovecot --version | cut -d' ' -f1)
    B_PYTHON=$(python3 --version)
    python3 - <<'PY'
import json, os, statistics, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(os.environ["DOC"]))), "bench"))
from report import replace_section

env = os.environ
with open(os.path.join(env["WORK"], "watch.json")) as f:
    r = json.load(f)
ms = lambda s: f"{1000 * s:.1f} ms"
verdict = lambda ok: "met" if ok else "**not met**"
folder = env["WATCH_FOLDER"]


def row(label, times, missed, judged):
    got = [t for t in times if t is not None]
    median = statistics.median(got) if got else float("nan")
    worst = max(got, default=float("nan"))
    bar = goal = ""
    if judged:
        bar = verdict(not missed and worst <= 1)
        goal = f"{verdict(median <= 0.1)} (median), {verdict(worst <= 0.1)} (max)"
    return f"| {label} | {len(times)} | {missed} | {ms(median)} | {ms(worst)} | {bar} | {goal} |"


own = [t - s for t, s in zip(r["latencies"], r["server"]) if t is not None and s is not None]
section = "\n".join([
    "<!-- imap-watch:start -->",
    "## imap watch: from another client's APPEND until `tool imap watch` prints the message",
    "",
    "Produced by `bench/imap.sh watch` (also part of `bench/imap.sh`; bench/imap_watch.py drives "
    "it). Do not edit by hand; run the script again to refresh.",
    "",
    f"- Date: {env['B_DATE']}",
    f"- Machine: {env['cpu_model']}, nproc = {env['B_NPROC']}, {env['B_KERNEL']}; shared with "
    "other work while it ran, so the figures are upper bounds",
    f"- Versions: tool {env['commit']} (release), Dovecot {env['B_DOVECOT']}, {env['B_PYTHON']}",
    "- Server: the tests' Dovecot harness on 127.0.0.1 (the imap section's), plain IMAP; the "
    f"folder `{folder}`, created by the script, holds only what it appends. The watch said: "
    f"\"{r['watching'].strip()}\".",
    f"- Method: `tool imap watch {folder} --json --security plain` runs; once it says it is "
    f"watching and has printed one unmeasured message, {r['runs']} times: wait until it is idle "
    f"(its last line at least {r['settle'] * 1000:.0f} ms ago and all its threads asleep), APPEND "
    "one message with a unique subject with imaplib from another connection, and time from "
    "APPEND's tagged OK (imaplib's `append` returning) until the watch's JSON line with that "
    "subject is read from its stdout. A bare IDLE held by hand with imaplib on a third "
    "connection times the server's own share for the same messages: from the same OK until its "
    "`* N EXISTS` is read. Then SIGTERM: exit status "
    f"{r['exit_status']}; every subject printed exactly once: "
    f"{'yes' if not r['doubled'] and not r['stray'] else '**no**'}.",
    "- Command: `bench/imap.sh watch`",
    "",
    "| from APPEND's OK until | runs | missed (> 10 s) | median | max | bar 1 s | goal 100 ms |",
    "| --- | ---: | ---: | ---: | ---: | --- | --- |",
    row("`tool imap watch --json` prints the message (IDLE)", r["latencies"], r["missed"], True),
    row("a bare imaplib IDLE reads `EXISTS` (the server's share)", r["server"], r["server_missed"], False),
    f"| the tool's own share (the two above, run by run) | {len(own)} | | "
    f"{ms(statistics.median(own)) if own else 'n/a'} | {ms(max(own)) if own else 'n/a'} | | |",
    "",
    "Dovecot announces a change to an IDLE client only after waiting 500 ms for more changes "
    "(`NOTIFY_DELAY_MSECS` in its mailbox-watch.c), so against Dovecot no IDLE client can meet "
    "the 100 ms goal; the tool's own share, the FETCH of the new message and the printing, is "
    "the last row.",
    "",
    "Polling was not measured: the watch polls (NOOP every `--interval` seconds, 60 by default) "
    "only where the server does not offer IDLE, and has no flag to poll where it does. A message "
    "then waits for the next NOOP: half the interval on average and up to all of it, plus a round "
    "trip, so about 30 s and up to 60 s by default; only `--interval 1` would keep within "
    "the 1 s bar, and only just, at a NOOP a second.",
    "<!-- imap-watch:end -->",
])
replace_section(env["DOC"], "imap-watch", section)
print(section)
PY
    echo "bench/imap.sh: wrote the imap-watch section of ${DOC#"$ROOT"/}; the times kept in $TARGET/bench/imap-watch.json" >&2
}
if [ "$PART" = watch ]; then
    watch_bench
    exit 0
fi

# --- correctness first ----------------------------------------------------------------------

q() { printf '%q' "$1"; }
CONN="--host $HOST --port $PORT --user $(q "$USER_NAME") --security plain"
CMD_TOOL="$(q "$TOOL") imap subjects $FOLDER $CONN"
CMD_LOOP="python3 $(q "$ROOT/bench/imap_post_loop.py") $HOST $PORT $(q "$USER_NAME") $FOLDER"
CMD_BATCH="python3 $(q "$ROOT/bench/imap_batched.py") $HOST $PORT $(q "$USER_NAME") subjects $FOLDER"

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

# --- WAN ------------------------------------------------------------------------------------

step "a WAN at a 50 ms round trip: bench/imap_wan_proxy.py before the plain and the TLS port"
start_proxy() { # NAME UPSTREAM_PORT: prints the port it listens on
    python3 "$ROOT/bench/imap_wan_proxy.py" "$2" 0.025 "$WORK/wan-$1.log" "$WORK/wan-$1.port" \
        2>"$WORK/wan-$1.err" &
    PROXY_PIDS+=($!)
    for _ in $(seq 100); do
        [ -s "$WORK/wan-$1.port" ] && break
        sleep 0.05
    done
    [ -s "$WORK/wan-$1.port" ] || die "the $1 proxy did not start: $(cat "$WORK/wan-$1.err")"
}
start_proxy plain "$PORT"
start_proxy tls "$TLS_PORT"
WAN_PLAIN=$(cat "$WORK/wan-plain.port")
WAN_TLS=$(cat "$WORK/wan-tls.port")
WAN_SHOW_UID=1
# wan_cmd CLIENT SECURITY COMPRESS VERB: the command line of one case.
wan_cmd() {
    local client=$1 security=$2 compress=$3 verb=$4 port args
    case $security in
        plain) port=$WAN_PLAIN ;;
        tls) port=$WAN_TLS ;;
        local) port=$PORT security=plain ;; # no proxy: what the same command costs without a WAN
    esac
    case $verb in
        subjects) args="subjects $FOLDER" ;;
        folders) args=folders ;;
        show) args="show $FOLDER $WAN_SHOW_UID" ;;
    esac
    if [ "$client" = tool ]; then
        local flags="--host $HOST --port $port --user $(q "$USER_NAME") --security $security"
        [ "$security" = tls ] && flags="$flags --ca-file $(q "$CA_FILE")"
        [ "$compress" = yes ] && flags="$flags --compress" || flags="$flags --no-compress"
        echo "$(q "$TOOL") imap $args $flags"
    else
        local tls=
        [ "$security" = tls ] && tls="--tls $(q "$CA_FILE")"
        echo "python3 $(q "$ROOT/bench/imap_batched.py") $tls $HOST $port $(q "$USER_NAME") $args"
    fi
}
WAN_CASES=()
LOCAL_CASES=()
for verb in subjects folders show; do
    LOCAL_CASES+=("tool local no $verb")
    for security in plain tls; do
        WAN_CASES+=("tool $security no $verb" "tool $security yes $verb" "imaplib $security no $verb")
    done
done

step "checking that the tool and batched imaplib agree through the WAN"
for security in plain tls; do
    for verb in subjects folders; do
        bash -c "$(wan_cmd tool "$security" no "$verb")" >"$WORK/wan.tool" 2>/dev/null
        bash -c "$(wan_cmd imaplib "$security" no "$verb")" >"$WORK/wan.imaplib"
        cmp -s "$WORK/wan.tool" "$WORK/wan.imaplib" ||
            die "$verb over $security: the tool and imaplib disagree: $(diff "$WORK/wan.tool" "$WORK/wan.imaplib" | head -5)"
    done
done
[ "$(bash -c "$(wan_cmd tool tls yes subjects)" 2>/dev/null | wc -l)" -eq 10000 ] ||
    die "subjects with COMPRESS did not list 10,000 subjects"

step "counting round trips and bytes, one run of each case"
: >"$WORK/wan-counts.jsonl"
for case in "${WAN_CASES[@]}"; do
    read -r client security compress verb <<<"$case"
    log="$WORK/wan-$security.log"
    : >"$log"
    bash -c "$(wan_cmd "$client" "$security" "$compress" "$verb")" >/dev/null 2>&1 ||
        die "$case failed"
    # The proxy writes the line once the server has closed too.
    for _ in $(seq 100); do
        [ -s "$log" ] && break
        sleep 0.05
    done
    [ "$(wc -l <"$log")" -eq 1 ] || die "$case: expected one connection in the proxy's log, got $(wc -l <"$log")"
    python3 -c 'import json, sys; c = json.loads(open(sys.argv[1]).read()); c["case"] = sys.argv[2]; print(json.dumps(c))' \
        "$log" "$case" >>"$WORK/wan-counts.jsonl"
done

step "timing the WAN cases with hyperfine"
WAN_ARGS=()
for case in "${LOCAL_CASES[@]}" "${WAN_CASES[@]}"; do
    read -r client security compress verb <<<"$case"
    WAN_ARGS+=(-n "$case" "$(wan_cmd "$client" "$security" "$compress" "$verb") > /dev/null 2>&1")
done
hyperfine --style basic --warmup 1 --runs 8 --export-json "$WORK/wan.json" "${WAN_ARGS[@]}" >&2

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

mkdir -p "$(dirname "$JSON_KEEP")"
python3 -c 'import json, sys; print(json.dumps({"results": [r for f in sys.argv[1:] for r in json.load(open(f))["results"]]}, indent=1))' \
    "$WORK/fast.json" "$WORK/loop.json" "$WORK/wan.json" >"$JSON_KEEP"

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


def wan_section():
    """The WAN part: a table per verb, then the bar and the goal."""
    with open(os.path.join(work, "wan-counts.jsonl")) as f:
        counts = {c["case"]: c for c in map(json.loads, f)}
    verbs = [
        ("subjects", f"`subjects {env['FOLDER']}` (10,000 messages)"),
        ("folders", "`folders` (4 folders)"),
        ("show", f"`show {env['FOLDER']} 1` (one message of 3 kB)"),
    ]
    out = [
        "### At a 50 ms round trip",
        "",
        "The same server through `bench/imap_wan_proxy.py`, which the script starts (the kernel "
        "has no netem): every byte is handed on 25 ms after it was read, each way, and each "
        "connection's client flights (what the client sends after having heard from the server; "
        "its first sending counts) and bytes are counted. The connection to the proxy is local, "
        "so the TCP handshake's round trip is not in these figures (a real link adds one to every "
        "row alike). hyperfine `--warmup 1 --runs 8` each, right after the local runs above; flights "
        "and bytes from one more run. The machine is shared: the minimum is the figure least "
        "disturbed by other work. "
        "The tool and batched imaplib were first checked to print the same subjects and folders "
        "over both; imaplib has no COMPRESS.",
        "",
    ]
    for verb, label in verbs:
        out += [
            f"{label}:",
            "",
            "| client | over | COMPRESS | client flights | bytes client → server | bytes server → client | mean ± stddev (s) | min (s) |",
            "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for security in ("plain", "tls"):
            for client, compress in (("tool", "no"), ("tool", "yes"), ("imaplib", "no")):
                case = f"{client} {security} {compress} {verb}"
                c, r = counts[case], results[case]
                name = "`tool imap`" if client == "tool" else "batched imaplib"
                over = "plain IMAP" if security == "plain" else "TLS"
                out.append(
                    f"| {name} | {over} | {compress} | {c['flights']} | {c['bytes_from_client']:,} | "
                    f"{c['bytes_from_server']:,} | {r['mean']:.3f} ± {r['stddev']:.3f} | "
                    f"{r['min']:.3f} |"
                )
        r = results[f"tool local no {verb}"]
        out.append(
            f"| `tool imap`, no WAN | plain IMAP | no | | | | {r['mean']:.3f} ± {r['stddev']:.3f} | "
            f"{r['min']:.3f} |"
        )
        out.append("")
    mean = lambda case: results[case]["mean"]
    plain = mean("imaplib plain no subjects") / mean("tool plain no subjects")
    tls = mean("imaplib tls no subjects") / mean("tool tls no subjects")
    flights = counts["tool plain no subjects"]["flights"]
    tls_flights = counts["tool tls no subjects"]["flights"]
    # Round trips waited: what the WAN adds to the same command, in 50 ms units.
    waited = {
        (verb, security): (results[f"tool {security} no {verb}"]["min"]
                           - results[f"tool local no {verb}"]["min"]) / 0.05
        for verb, _ in verbs
        for security in ("plain", "tls")
    }
    listed = ", ".join(
        f"`{verb}` {waited[(verb, 'plain')]:.1f} ({waited[(verb, 'tls')]:.1f} over TLS)"
        for verb, _ in verbs
    )
    out += [
        f"- `subjects`, batched imaplib / tool (means) = **{plain:.1f}×** over plain IMAP, "
        f"**{tls:.1f}×** over TLS (the bar: at least 2×).",
        "- The protocol's minimum is everything in one flight over plain IMAP, one round trip "
        "(two over TLS 1.3, the ClientHello first). The tool takes "
        f"{flights} flights and {tls_flights}: the last is LOGOUT, sent once the answer is read "
        "and never waited for. In time (minimum over the WAN less minimum without it, in round "
        f"trips of 50 ms): {listed}; the goal is within one round trip of the minimum, that is "
        "at most 2 (3 over TLS), the answer's own trip included.",
    ]
    return out


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
    "",
    *wan_section(),
    "<!-- imap:end -->",
])

replace_section(env["DOC"], "imap", section)

print(section)
PY
echo "bench/imap.sh: wrote the imap section of ${DOC#"$ROOT"/}; hyperfine JSON kept in $JSON_KEEP" >&2

watch_bench
