#!/usr/bin/env python3
"""A WAN for bench/imap.sh where the kernel has no netem: a TCP proxy on 127.0.0.1 that hands
every byte on DELAY seconds after it read it, in each direction (2 x DELAY is the round trip),
and counts per connection the client's flights (what the client sends after having heard from
the server; its first sending counts as one) and the bytes each way.

When a connection has closed both ways, one JSON line goes to LOG:
{"flights": N, "bytes_from_client": N, "bytes_from_server": N}

Usage: imap_wan_proxy.py UPSTREAM_PORT DELAY LOG PORT_FILE
(the port it listens on is written to PORT_FILE once it listens; it runs until killed)
"""
import json
import os
import queue
import socket
import sys
import threading
import time


class Connection:
    """The counts of one connection, shared by its two directions."""

    def __init__(self, log):
        self.log = log
        self.lock = threading.Lock()
        self.flights = 0
        self.bytes = {"client": 0, "server": 0}
        # Whether the client was handed server bytes since it last sent.
        self.server_spoke = True
        self.ended = 0

    def client_sent(self, n):
        with self.lock:
            if self.server_spoke:
                self.flights += 1
                self.server_spoke = False
            self.bytes["client"] += n

    def server_delivered(self, n):
        # Counted as it is handed to the client, before the client can answer it.
        with self.lock:
            self.server_spoke = True
            self.bytes["server"] += n

    def end(self):
        with self.lock:
            self.ended += 1
            if self.ended < 2:
                return
            line = json.dumps(
                {
                    "flights": self.flights,
                    "bytes_from_client": self.bytes["client"],
                    "bytes_from_server": self.bytes["server"],
                }
            )
        with open(self.log, "a") as f:
            f.write(line + "\n")


def pump(source, sink, delay, on_read, on_deliver, done):
    """Copies source to sink, each chunk `delay` after it was read, in order."""
    chunks = queue.Queue()

    def deliver():
        while True:
            item = chunks.get()
            if item is None:
                break
            due, data = item
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            on_deliver(len(data))
            try:
                sink.sendall(data)
            except OSError:
                break
        try:
            sink.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        done()

    writer = threading.Thread(target=deliver, daemon=True)
    writer.start()
    while True:
        try:
            data = source.recv(65536)
        except OSError:
            data = b""
        if not data:
            break
        on_read(len(data))
        chunks.put((time.monotonic() + delay, data))
    chunks.put(None)


def serve(client, upstream_port, delay, log):
    try:
        server = socket.create_connection(("127.0.0.1", upstream_port))
    except OSError:
        client.close()
        return
    for s in (client, server):
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    conn = Connection(log)
    closed = []

    def done():
        closed.append(1)
        conn.end()
        if len(closed) == 2:
            client.close()
            server.close()

    threading.Thread(
        target=pump,
        args=(client, server, delay, conn.client_sent, lambda n: None, done),
        daemon=True,
    ).start()
    pump(server, client, delay, lambda n: None, conn.server_delivered, done)


def main():
    upstream_port, delay, log, port_file = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4]
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(listener.getsockname()[1]))
    os.replace(port_file + ".tmp", port_file)
    while True:
        client, _ = listener.accept()
        threading.Thread(target=serve, args=(client, upstream_port, delay, log), daemon=True).start()


if __name__ == "__main__":
    main()
