"""How fast `tool mirror watch` heals, in network namespaces this script makes and deletes.

  mirror_watch.py TOOL PREFIX OUT.json [CHURN_SECONDS [HEALS]]

A host: bridge br0, a sink guest (198.18.0.1) that every guest sends to, the monitor's capture
port off the bridge, 20 guest namespaces. One process drives it all: it enters each namespace
with setns(2) to open its sockets there, so that sending, receiving and capturing share one
clock and one loop.

 - reaction: 20 guests start one after another, Xen-style (a new vif<domid>.0 enslaved and set
   up); each sends a marked datagram every millisecond once its port is up. Reaction is
   the time from the command that brings the port up until the first copy of the guest's
   traffic reaches the monitor.
 - heal: HEALS times each (default 10), with the 20 guests running, something is changed under
   the watch while a guest sends a marked datagram every millisecond, and the time is taken until
   the first copy of one sent after the change reaches the monitor: a guest rebooted Xen-style
   (its port deleted, back under a new vif name), the monitor restarted (its capture port deleted
   and made again), the tool's nft table deleted by hand, one of its dup rules deleted by hand.
 - churn: for CHURN_SECONDS (default 60), guests stop and start at random while every running
   guest sends 100 datagrams a second. After each change the watch's log line for it is awaited,
   then every running guest sends a burst of marked datagrams, each of which must reach the
   monitor exactly once. Copies lost during the reaction windows (delivered to the sink, never
   copied) are counted, and so are any lost or doubled elsewhere.
"""

import ctypes
import fcntl
import json
import os
import random
import re
import select
import socket
import statistics
import subprocess
import sys
import time

CLONE_NEWNET = 0x40000000
PORT = 9999
GUESTS = 20
SINK = "198.18.0.1"
TOKEN = re.compile(rb"tmtw:([A-Za-z0-9_.-]+);")
LIBC = ctypes.CDLL(None, use_errno=True)
TABLE = ("netdev", "tool_mirror")  # the tool's table with the nft backend (src/mirror/nft.rs)
WAIT = 10.0  # the longest the driver waits for the watch to react before it counts a failure


def sh(*args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)


class Namespaces:
    def __init__(self, prefix):
        self.prefix = prefix
        self.made = []
        self.home = os.open("/proc/self/ns/net", os.O_RDONLY)

    def name(self, role):
        return f"{self.prefix}-{role}"

    def add(self, role):
        sh("ip", "netns", "add", self.name(role))
        self.made.append(role)
        self.run(role, "ip", "link", "set", "lo", "up")
        # No IPv6 chatter (DAD, router and listener reports) among the counted frames.
        self.run(role, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
                 "net.ipv6.conf.default.disable_ipv6=1")

    def run(self, role, *args):
        sh("ip", "netns", "exec", self.name(role), *args)

    def ip(self, role, *args):
        sh("ip", "-n", self.name(role), *args)

    def socket_in(self, role, *args):
        """A socket of the namespace `role`: sockets keep the namespace they were made in."""
        fd = os.open(f"/run/netns/{self.name(role)}", os.O_RDONLY)
        try:
            if LIBC.setns(fd, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "setns")
            return socket.socket(*args)
        finally:
            os.close(fd)
            LIBC.setns(self.home, CLONE_NEWNET)

    def delete(self):
        for role in reversed(self.made):
            subprocess.run(["ip", "netns", "del", self.name(role)], stderr=subprocess.DEVNULL)


def receiving(s):
    s.setsockopt(socket.SOL_SOCKET, 33, 64 << 20)  # SO_RCVBUFFORCE
    s.setblocking(False)
    return s


class Lab:
    def __init__(self, tool, prefix):
        self.ns = Namespaces(prefix)
        self.tool = tool
        self.domid = 0
        self.running = {}  # guest slot -> vif name
        self.senders = {}
        self.copies = {}  # mark -> copies seen at the monitor
        self.delivered = set()  # marks the sink received
        self.log = []
        self.pending = b""

    def build(self):
        ns = self.ns
        for role in ["dom0", "mon", "sink"] + [f"g{k}" for k in range(GUESTS)]:
            ns.add(role)
        ns.ip("dom0", "link", "add", "br0", "type", "bridge")
        ns.ip("dom0", "link", "set", "br0", "up")
        ns.ip("dom0", "link", "add", "vifmon", "type", "veth", "peer", "name", "cap0",
              "netns", ns.name("mon"))
        ns.ip("dom0", "link", "set", "vifmon", "up")
        ns.ip("mon", "link", "set", "cap0", "up", "promisc", "on")
        ns.ip("dom0", "link", "add", "vifsink", "type", "veth", "peer", "name", "eth0",
              "netns", ns.name("sink"))
        ns.ip("dom0", "link", "set", "vifsink", "master", "br0", "up")
        ns.ip("sink", "addr", "add", f"{SINK}/16", "dev", "eth0")
        ns.ip("sink", "link", "set", "eth0", "up")
        out = subprocess.run(["ip", "-n", ns.name("sink"), "-j", "link", "show", "eth0"],
                             check=True, capture_output=True).stdout
        self.sink_mac = json.loads(out)[0]["address"]
        self.open_capture()
        self.sink = receiving(ns.socket_in("sink", socket.AF_INET, socket.SOCK_DGRAM))
        self.sink.bind((SINK, PORT))
        for k in range(GUESTS):
            sender = ns.socket_in(f"g{k}", socket.AF_INET, socket.SOCK_DGRAM)
            sender.setblocking(False)
            self.senders[k] = sender
        self.watch = subprocess.Popen(
            ["ip", "netns", "exec", ns.name("dom0"), self.tool, "mirror", "watch",
             "--bridge", "br0", "--to", "vifmon"],
            stderr=subprocess.PIPE)
        flags = fcntl.fcntl(self.watch.stderr, fcntl.F_GETFL)
        fcntl.fcntl(self.watch.stderr, fcntl.F_SETFL, flags | os.O_NONBLOCK)
        self.await_line(lambda l: l.startswith("started: applied"))

    def open_capture(self):
        """The monitor's capture socket on cap0 (again, once the monitor's port is made anew)."""
        self.capture = receiving(
            self.ns.socket_in("mon", socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3)))
        self.capture.bind(("cap0", 0))

    def restart_monitor(self):
        """The monitor's port deleted and made again; returns the moment it was made."""
        ns = self.ns
        self.capture.close()
        ns.ip("dom0", "link", "del", "vifmon")
        made = time.monotonic()
        ns.ip("dom0", "link", "add", "vifmon", "type", "veth", "peer", "name", "cap0",
              "netns", ns.name("mon"))
        ns.ip("mon", "link", "set", "cap0", "up", "promisc", "on")
        self.open_capture()
        ns.ip("dom0", "link", "set", "vifmon", "up")
        return made

    def nft(self, *args):
        """Runs nft in the host as someone else would; returns the moment it was started."""
        at = time.monotonic()
        self.ns.run("dom0", "nft", *args)
        return at

    def dup_rule(self, vif):
        """The chain and handle of the dup rule that copies what enters `vif`."""
        out = subprocess.run(["ip", "netns", "exec", self.ns.name("dom0"), "nft", "-j", "-a",
                              "list", "table", *TABLE], check=True, capture_output=True).stdout
        # nft -j names no chain's device: the tool's comment on each rule does.
        return next((i["rule"]["chain"], str(i["rule"]["handle"]))
                    for i in json.loads(out)["nftables"]
                    if f"src={vif}#" in i.get("rule", {}).get("comment", "")
                    and "hook=ingress" in i["rule"]["comment"]
                    and any("dup" in e for e in i["rule"]["expr"]))

    def stop_watch(self):
        if self.watch.poll() is None:
            self.watch.terminate()
            self.watch.wait()

    def read_log(self):
        while True:
            try:
                chunk = os.read(self.watch.stderr.fileno(), 65536)
            except BlockingIOError:
                return
            if not chunk:
                return
            self.pending += chunk
            *lines, self.pending = self.pending.split(b"\n")
            self.log.extend(l.decode() for l in lines)

    def await_line(self, wanted, since=0, pump=None):
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            self.read_log()
            for line in self.log[since:]:
                if wanted(line):
                    return line
            (pump or self.collect)(0.002)
        return None

    def send(self, slot, mark):
        try:
            self.senders[slot].sendto(b"tmtw:%s;" % mark.encode(), (SINK, PORT))
        except OSError:
            pass  # the guest's port is not there (yet)

    def collect(self, timeout):
        """Counts what reached the monitor and the sink, waiting at most `timeout` for it."""
        arrived = []
        ready, _, _ = select.select([self.capture, self.sink], [], [], timeout)
        for s in ready:
            while True:
                try:
                    data = s.recv(65535)
                except BlockingIOError:
                    break
                now = time.monotonic()
                for mark in TOKEN.findall(data):
                    mark = mark.decode()
                    if s is self.capture:
                        self.copies[mark] = self.copies.get(mark, 0) + 1
                        arrived.append((mark, now))
                    else:
                        self.delivered.add(mark)
        return arrived

    def start_guest(self, slot):
        """Starts guest `slot` on a new vif; returns (vif, the moment its port came up)."""
        self.domid += 1
        vif = f"vif{self.domid}.0"
        ns = self.ns
        ns.ip("dom0", "link", "add", vif, "type", "veth", "peer", "name", "eth0",
              "netns", ns.name(f"g{slot}"))
        guest = f"g{slot}"
        ns.ip(guest, "addr", "add", f"198.18.1.{slot + 1}/16", "dev", "eth0")
        ns.ip(guest, "link", "set", "eth0", "up")
        ns.ip(guest, "neigh", "replace", SINK, "lladdr", self.sink_mac, "dev", "eth0")
        up = time.monotonic()
        ns.ip("dom0", "link", "set", vif, "master", "br0", "up")
        self.running[slot] = vif
        return vif, up

    def stop_guest(self, slot):
        vif = self.running.pop(slot)
        self.ns.ip("dom0", "link", "del", vif)
        return vif


def until_copied(lab, slot, prefix):
    """Guest `slot` sends a datagram marked `prefix` every millisecond until the first copy of
    one reaches the monitor; the moment it did (None: not within WAIT)."""
    seq = 0
    start = time.monotonic()
    while (now := time.monotonic()) < start + WAIT:
        if now >= start + seq * 0.001:
            lab.send(slot, f"{prefix}{seq}")
            seq += 1
        for mark, at in lab.collect(max(0, start + seq * 0.001 - time.monotonic())):
            if mark.startswith(prefix):
                return at
    return None


def reaction_trials(lab):
    """Each guest, started in turn, sends every millisecond until its first copy arrives."""
    times = []
    for slot in range(GUESTS):
        since = len(lab.log)
        vif, up = lab.start_guest(slot)
        first = until_copied(lab, slot, f"r{slot}-")
        times.append(None if first is None else first - up)
        lab.await_line(lambda l: vif in l and ": applied" in l, since)
    return times


def reboot(lab, slot):
    """Xen-style: the guest's port deleted, the guest back on a new vif<domid>.0."""
    lab.stop_guest(slot)
    return lab.start_guest(slot)[1]


def delete_table(lab, slot):
    return lab.nft("delete", "table", *TABLE)


def delete_dup_rule(lab, slot):
    chain, handle = lab.dup_rule(lab.running[slot])
    return lab.nft("delete", "rule", *TABLE, chain, "handle", handle)


HEALS = {
    "reboot": reboot,
    "monitor": lambda lab, slot: lab.restart_monitor(),
    "table": delete_table,
    "rule": delete_dup_rule,
}


def heal_trials(lab, runs):
    """Each case `runs` times: with the guest's copies flowing, `change` breaks them; the time
    from the moment it returns until the first copy of a datagram sent after it, and how many
    datagrams sent after it reached the sink uncopied."""
    result = {}
    for case, change in HEALS.items():
        times, lost = [], []
        for run in range(runs):
            slot = run % GUESTS
            prefix = f"h{case}{run}-"
            if until_copied(lab, slot, f"s{case}{run}-") is None:
                raise SystemExit(f"heal {case}: the guest's copies did not flow before the change")
            since = len(lab.log)
            at = change(lab, slot)
            first = until_copied(lab, slot, prefix)
            times.append(None if first is None else first - at)
            lab.await_line(lambda l: ": applied" in l, since)
            settle_end = time.monotonic() + 0.3  # the last copies in flight, a later apply
            while time.monotonic() < settle_end:
                lab.collect(0.02)
            lost.append(sum(1 for m in lab.delivered
                            if m.startswith(prefix) and m not in lab.copies))
        result[case] = {"times": times, "lost": lost}
    return result


def churn(lab, seconds):
    rng = random.Random(1)
    changes, failed_checks, checked = 0, 0, 0
    windows = []  # (slot, first tick, tick when the watch said it was in) of each start
    start_reactions = []
    seq = 0
    end = time.monotonic() + seconds

    def traffic(timeout):
        """Every running guest sends one datagram a tick (a tick is at least 10 ms)."""
        nonlocal seq
        for slot in list(lab.running):
            lab.send(slot, f"t{slot}-{seq}")
        seq += 1
        return lab.collect(timeout)

    while time.monotonic() < end:
        slot = rng.randrange(GUESTS)
        since = len(lab.log)
        first_tick = seq
        if slot in lab.running:
            vif, up = lab.stop_guest(slot), None
        else:
            vif, up = lab.start_guest(slot)
        changes += 1
        # Traffic goes on while the watch reacts; its log line says the change is in.
        deadline = time.monotonic() + WAIT
        first = line = None
        while time.monotonic() < deadline and (line is None or (up and first is None)):
            for mark, at in traffic(0.01):
                if up is not None and first is None and mark.startswith(f"t{slot}-"):
                    first = at
            lab.read_log()
            line = line or next((l for l in lab.log[since:] if vif in l and ": applied" in l), None)
        if up is not None:
            windows.append((slot, first_tick, seq))
            if first is not None:
                start_reactions.append(first - up)
        # Settled: a burst from every running guest, each datagram copied exactly once.
        marks = [(g, f"k{changes}-{g}-{i}") for g in lab.running for i in range(5)]
        for g, mark in marks:
            lab.send(g, mark)
        settle_end = time.monotonic() + 0.3
        while time.monotonic() < settle_end:
            lab.collect(0.02)
        checked += len(marks)
        failed_checks += any(lab.copies.get(m, 0) != 1 for _, m in marks)
        pause_end = time.monotonic() + rng.uniform(0.2, 1.0)
        while time.monotonic() < pause_end:
            traffic(0.01)
    for _ in range(30):  # the last copies in flight
        lab.collect(0.01)
    lost = {m for m in lab.delivered if m.startswith("t") and m not in lab.copies}
    in_windows = {f"t{slot}-{t}" for slot, a, b in windows for t in range(a, b)}
    return {
        "changes": changes,
        "checks_failed": failed_checks,
        "probes_checked": checked,
        "start_reactions": start_reactions,
        "window_delivered": len(in_windows & lab.delivered),
        "window_lost": len(lost & in_windows),
        "outside_lost": len(lost - in_windows),
        "doubled": sum(1 for n in lab.copies.values() if n > 1),
        "traffic_delivered": sum(1 for m in lab.delivered if m.startswith("t")),
    }


def main():
    tool, prefix, out = sys.argv[1:4]
    seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 60
    heals = int(sys.argv[5]) if len(sys.argv) > 5 else 10
    lab = Lab(tool, prefix)
    try:
        lab.build()
        reactions = reaction_trials(lab)
        result = {"reactions": reactions, "heals": heal_trials(lab, heals)}
        result.update(churn=churn(lab, seconds), seconds=seconds)
        lab.stop_watch()
        result["log_lines"] = len(lab.log)
        with open(out, "w") as f:
            json.dump(result, f)
    finally:
        lab.stop_watch()
        lab.ns.delete()


main()
