#!/usr/bin/env bash
# Speed of `tool mirror`, inside network namespaces this script makes and deletes (never this
# machine's own network):
#  - control plane: `tool mirror apply` on a bridge with 500 ports (one nft transaction) against
#    the per-port iptables way, one `iptables -A ... -j TEE` call per port;
#  - data plane: with L2 mirroring, a guest sends 200,000 UDP datagrams as fast as it can and the
#    monitor's capture port counts the copies (rate and loss).
# The results replace the mirror section of docs/benchmarks.md and are printed.
#
# Usage: sudo bench/mirror.sh    (about a minute on 2 cores)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOL="$ROOT/target/release/tool"
PROBE="$ROOT/tests/support/probe.py"
DOC="$ROOT/docs/benchmarks.md"
PORTS=500
FLOOD=200000
NS="tmtbench$$"

BENCH=bench/mirror.sh
# shellcheck source=bench/common.sh
. "$ROOT/bench/common.sh"

[ "$(id -u)" -eq 0 ] || die "needs root to make network namespaces"
need hyperfine=hyperfine strace=strace
for cmd in ip nft iptables python3 cargo; do
    have "$cmd" || die "$cmd is missing (./scripts/test as root installs what is needed)"
done

WORK=$(mktemp -d)
cleanup() {
    for role in dom0 g1 g2 mon; do ip netns del "$NS-$role" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

step "building tool (release)"
(cd "$ROOT" && cargo build --release --quiet)

step "making a host with a $PORTS-port bridge"
for role in dom0 g1 g2 mon; do ip netns add "$NS-$role"; done
D="$NS-dom0"
{
    echo "link add bench0 type bridge"
    echo "link set bench0 up"
    for i in $(seq 1 "$PORTS"); do
        echo "link add vif$i.0 type veth peer name peer$i"
        echo "link set vif$i.0 master bench0 up"
        echo "link set peer$i up"
    done
} | ip -n "$D" -batch -
ip -n "$D" link add vifmon type veth peer name cap0 netns "$NS-mon"
ip -n "$D" link set vifmon up
ip -n "$NS-mon" link set cap0 up promisc on
for g in 1 2; do
    ip -n "$D" link add "vifg$g" type veth peer name eth0 netns "$NS-g$g"
    ip -n "$D" link set "vifg$g" master bench0 up
    ip -n "$NS-g$g" addr add "198.18.0.1$g/24" dev eth0
    ip -n "$NS-g$g" link set eth0 up
    ip -n "$NS-g$g" link set lo up
done

step "timing apply against the per-port iptables way"
APPLY="ip netns exec $D $TOOL mirror apply --bridge bench0 --to vifmon"
PER_PORT="$WORK/per-port.sh"
{
    echo "set -e"
    for i in $(seq 1 "$PORTS"); do
        echo "iptables -t mangle -A PREROUTING -m physdev --physdev-in vif$i.0 -j TEE --gateway 198.18.200.2"
    done
} >"$PER_PORT"
hyperfine --style basic --warmup 1 --runs 10 --export-json "$WORK/apply.json" "$APPLY" >&2
hyperfine --style basic --runs 3 --prepare "ip netns exec $D iptables -t mangle -F PREROUTING" \
    --export-json "$WORK/iptables.json" "ip netns exec $D bash $PER_PORT" >&2
ip netns exec "$D" iptables -t mangle -F PREROUTING
CHAINS=$(ip netns exec "$D" nft list table netdev tool_mirror | grep -c 'hook ingress')
NFT_CALLS=$(strace -f -e trace=execve -o "$WORK/strace" $APPLY >/dev/null 2>&1 && grep -cE 'execve\("[^"]*/nft", .* = 0$' "$WORK/strace" || echo "n/a (strace missing)")

step "flooding $FLOOD datagrams from a guest with L2 mirroring on"
ip netns exec "$NS-g1" ping -c 1 -W 2 198.18.0.12 >/dev/null
mkfifo "$WORK/stop"
ip netns exec "$NS-mon" python3 "$PROBE" capture cap0 <"$WORK/stop" >"$WORK/capture" &
CAPTURE=$!
exec 3>"$WORK/stop"
until grep -qs ready "$WORK/capture"; do sleep 0.05; done
SENT=$(ip netns exec "$NS-g1" python3 "$PROBE" send 198.18.0.12 "$FLOOD" flood)
exec 3>&-
wait "$CAPTURE"
COPIES=$(tail -n 1 "$WORK/capture")

python3 - "$WORK" "$DOC" "$PORTS" "$FLOOD" "$CHAINS" "$NFT_CALLS" "$SENT" "$COPIES" <<'PY'
import datetime, json, os, platform, re, subprocess, sys
work, doc, ports, flood, chains, nft_calls, sent, copies = sys.argv[1:]
apply = json.load(open(os.path.join(work, "apply.json")))["results"][0]
per_port = json.load(open(os.path.join(work, "iptables.json")))["results"][0]
sent, copies = json.loads(sent), json.loads(copies)
received = copies["marks"].get("flood", 0)
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown")
ratio = per_port["mean"] / apply["mean"]
rate = int(sent["sent"] / sent["seconds"])
section = f"""<!-- mirror:start -->
## mirror: `tool mirror apply` vs one iptables call per port; L2 copies under load

Produced by `sudo bench/mirror.sh` (run it again to refresh; it works in network namespaces it makes and deletes).

- Date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; machine: {cpu}, nproc = {os.cpu_count()}, Linux {platform.release()}
- Host: a bridge with {ports} veth ports (plus two guests), monitor capture port off the bridge.

### Control plane (hyperfine, whole processes)

| command | runs | mean ± stddev (s) |
| --- | ---: | ---: |
| `tool mirror apply --bridge bench0 --to vifmon` ({chains} ingress chains + the bridge's egress, one `nft -j -f` batch; nft run {nft_calls} time(s)) | {len(apply["times"])} | {apply["mean"]:.3f} ± {apply["stddev"]:.3f} |
| per-port iptables: {ports} × `iptables -t mangle -A PREROUTING -m physdev --physdev-in vifN -j TEE --gateway …` | {len(per_port["times"])} | {per_port["mean"]:.3f} ± {per_port["stddev"]:.3f} |

Apply is **{ratio:.1f}×** faster than the per-port iptables way, and atomic where that way is {ports} separate changes.

### Data plane (L2 `dup`)

A guest sent {sent["sent"]:,} UDP datagrams to another guest as fast as one Python process could ({sent["seconds"]:.2f} s, {rate:,} datagrams/s); the monitor's capture port (AF_PACKET, 256 MiB buffer) counted **{received:,}** copies: loss {100 * (1 - received / sent["sent"]):.3f} %.
<!-- mirror:end -->"""
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(doc))), "bench"))
from doc_section import replace_section

replace_section(doc, "mirror", section)
print(section)
PY
step "wrote the mirror section of docs/benchmarks.md"
