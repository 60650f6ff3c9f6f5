"""Marked UDP probes and an AF_PACKET capture, run inside the test's network namespaces.

  probe.py send DST COUNT MARK [--from ADDR] [--pad N]
                                               COUNT datagrams to DST:9999, payload "tmtprobe:MARK:i;"
                                               (then N bytes of padding), as fast as it can; prints
                                               {"sent": n, "seconds": t}
  probe.py recv PORT                           counts probe payloads received until stdin closes
  probe.py capture IFACE                       counts probe payloads, ARP and IPv6 frames seen on
                                               IFACE until stdin closes

recv and capture print "ready" once listening and, at the end, one JSON object:
{"marks": {"MARK": n, ...}, "anywhere": {"MARK": n, ...}, "arp": n, "ipv6": n, "frames": n,
"neighbour": {"arp SENDER": n, "nd SOURCE": n, ...}}; "anywhere" counts the probes found anywhere
in a frame but an ICMP error, so a probe wrapped in a tunnel's packet counts there too (a copy of a
copy shows as more there than in "marks"); "neighbour" counts ARP frames by sender address and IPv6 neighbour
solicitations and advertisements by source address, so that two captures can be compared.
"""

import ipaddress

import json
import re
import select
import socket
import sys
import time

PORT = 9999
SO_RCVBUFFORCE = getattr(socket, "SO_RCVBUFFORCE", 33)
TOKEN = re.compile(rb"tmtprobe:([A-Za-z0-9_.-]+):(\d+);")


def send(dst, count, mark, source=None, pad=0):
    family = socket.AF_INET6 if ":" in dst else socket.AF_INET
    s = socket.socket(family, socket.SOCK_DGRAM)
    if source:
        s.bind((source, 0))
    start = time.monotonic()
    for i in range(count):
        s.sendto(b"tmtprobe:%s:%d;" % (mark.encode(), i) + b"." * pad, (dst, PORT))
    print(json.dumps({"sent": count, "seconds": time.monotonic() - start}), flush=True)


def count_until_eof(sock, frame_info, payload_of):
    """Counts until stdin closes, then half a second more for copies still in flight."""
    stats = {"marks": {}, "anywhere": {}, "arp": 0, "ipv6": 0, "frames": 0, "neighbour": {}}
    # A deep buffer, so that a burst is counted rather than dropped by the counter itself.
    sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 256 << 20)
    sock.setblocking(False)
    print("ready", flush=True)
    deadline = None
    while deadline is None or time.monotonic() < deadline:
        waiting = [sock] if deadline else [sock, sys.stdin]
        ready, _, _ = select.select(waiting, [], [], 0.1)
        if sys.stdin in ready and not sys.stdin.readline():
            deadline = time.monotonic() + 0.5
        while True:
            try:
                data = sock.recv(65535)
            except BlockingIOError:
                break
            stats["frames"] += 1
            arp, ipv6 = frame_info(data)
            stats["arp"] += arp
            stats["ipv6"] += ipv6
            who = neighbour(data)
            if who:
                stats["neighbour"][who] = stats["neighbour"].get(who, 0) + 1
            for mark, _ in TOKEN.findall(payload_of(data)):
                stats["marks"][mark.decode()] = stats["marks"].get(mark.decode(), 0) + 1
            if not icmp_error(data):
                for mark, _ in TOKEN.findall(data):
                    stats["anywhere"][mark.decode()] = stats["anywhere"].get(mark.decode(), 0) + 1
    print(json.dumps(stats), flush=True)


def udp_payload(frame):
    """The payload of a UDP datagram to the probe port in an Ethernet frame, else b"".

    Only the datagrams themselves count: an ICMP error quoting a probe is not a copy of it.
    """
    kind = int.from_bytes(frame[12:14], "big") if len(frame) >= 14 else 0
    if kind == 0x0800 and len(frame) >= 34:
        ihl = (frame[14] & 0x0F) * 4
        proto, udp = frame[23], 14 + ihl
    elif kind == 0x86DD and len(frame) >= 54:
        proto, udp = frame[20], 54
    else:
        return b""
    if proto != 17 or int.from_bytes(frame[udp + 2:udp + 4], "big") != PORT:
        return b""
    return frame[udp + 8:]


def icmp_error(frame):
    """Whether an Ethernet frame is ICMP or ICMPv6 (which quotes the packet it is about)."""
    kind = int.from_bytes(frame[12:14], "big") if len(frame) >= 14 else 0
    return (kind == 0x0800 and len(frame) >= 24 and frame[23] == 1) or (
        kind == 0x86DD and len(frame) >= 21 and frame[20] == 58
    )


def neighbour(frame):
    """"arp SENDER" for an ARP frame, "nd SOURCE" for an IPv6 neighbour solicitation or
    advertisement, else None."""
    kind = int.from_bytes(frame[12:14], "big") if len(frame) >= 14 else 0
    if kind == 0x0806 and len(frame) >= 42:
        return "arp %s" % ipaddress.IPv4Address(frame[28:32])
    if kind == 0x86DD and len(frame) >= 55 and frame[20] == 58 and frame[54] in (135, 136):
        return "nd %s" % ipaddress.IPv6Address(frame[22:38])
    return None


def ethertype(frame):
    kind = int.from_bytes(frame[12:14], "big") if len(frame) >= 14 else 0
    return (1 if kind == 0x0806 else 0, 1 if kind == 0x86DD else 0)


def main():
    cmd = sys.argv[1]
    if cmd == "send":
        source = sys.argv[sys.argv.index("--from") + 1] if "--from" in sys.argv else None
        pad = int(sys.argv[sys.argv.index("--pad") + 1]) if "--pad" in sys.argv else 0
        send(sys.argv[2], int(sys.argv[3]), sys.argv[4], source, pad)
    elif cmd == "recv":
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        s.bind(("::", int(sys.argv[2])))
        count_until_eof(s, lambda data: (0, 0), lambda data: data)
    elif cmd == "capture":
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
        s.bind((sys.argv[2], 0))
        count_until_eof(s, ethertype, udp_payload)
    else:
        sys.exit("usage: probe.py send|recv|capture ...")


main()
