#!/usr/bin/env python3
"""How soon `tool imap watch FOLDER --json` prints a message another client appends.

Usage: imap_watch.py TOOL HOST PORT USER FOLDER OUT.json [RUNS]
(the password in TOOL_IMAP_PASSWORD, as bench/imap.sh exports it for the tool too).

Creates FOLDER when missing, starts the watch on it (plain IMAP), and waits until it is idle: its
"watching ..." line on stderr, one unmeasured message printed, then settled (below). Then RUNS
times (20 by default): APPENDs one message with a unique subject with imaplib from a connection of
its own, and measures from APPEND's tagged OK (imaplib's append returning) until the watch's stdout
line holding that subject was read (each line is timestamped by a thread that does nothing else).
Before each APPEND the watch is let settle: its previous line at least SETTLE seconds ago, and all
its threads asleep in the kernel, twice in a row. A message not printed within TIMEOUT seconds is
counted as missed. Beside the watch, a bare IDLE held by hand with imaplib on a third connection
(the same folder, EXAMINEd) times the server's own share: from the same OK until its untagged
EXISTS was read, for the same messages. Finally SIGTERM, which must end the watch with status 0, and every subject must
have been printed exactly once. The figures go to OUT.json.
"""

import imaplib
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid

SETTLE = 0.3
TIMEOUT = 10.0


def message(subject):
    return (
        "From: Bench <bench@example.org>\r\n"
        "To: Watcher <watcher@example.org>\r\n"
        f"Subject: {subject}\r\n"
        "Date: Wed, 02 Dec 2026 05:00:00 +0000\r\n"
        f"Message-ID: <{uuid.uuid4()}@example.org>\r\n"
        "\r\n"
        "Arrived while someone was watching.\r\n"
    ).encode()


def asleep(pid):
    """Whether every thread of `pid` is asleep in the kernel (state S)."""
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] != "S":
                    return False
    except FileNotFoundError:
        return False
    return True


def main():
    tool, host, port, user, folder, out = sys.argv[1:7]
    runs = int(sys.argv[7]) if len(sys.argv) > 7 else 20
    password = os.environ["TOOL_IMAP_PASSWORD"]

    client = imaplib.IMAP4(host, int(port))
    client.login(user, password)
    typ, _ = client.create(folder)  # NO when it exists already: fine

    watch = subprocess.Popen(
        [tool, "imap", "watch", folder, "--json", "--host", host, "--port", port, "--user", user,
         "--security", "plain", "--color", "never"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    # Whatever happens, the bench does not hang, nor leave the watch behind.
    def give_up(*_):
        watch.kill()
        print(f"imap_watch.py: not done within {30 + 2 * runs} s", file=sys.stderr)
        os._exit(1)

    signal.signal(signal.SIGALRM, give_up)
    signal.alarm(30 + 2 * runs)

    # The reference: IDLE by hand, each EXISTS timestamped as it is read.
    idler = imaplib.IMAP4(host, int(port))
    idler.login(user, password)
    idler.select(folder, readonly=True)
    idler.send(b"I1 IDLE\r\n")
    if not idler.readline().startswith(b"+"):
        sys.exit("imap_watch.py: the server refused IDLE")
    exists = queue.Queue()

    def read_idler():
        while True:
            try:
                raw = idler.readline()
            except (OSError, ValueError):
                return
            if not raw:
                return
            if raw.rstrip().endswith(b"EXISTS"):
                exists.put(time.monotonic())

    idler_thread = threading.Thread(target=read_idler, daemon=True)
    idler_thread.start()

    lines = queue.Queue()
    last_line = [time.monotonic()]

    def read_stdout():
        for raw in watch.stdout:
            now = time.monotonic()
            last_line[0] = now
            lines.put((now, raw.decode()))
        lines.put((time.monotonic(), None))

    stderr_lines = []
    watching = threading.Event()

    def read_stderr():
        for raw in watch.stderr:
            text = raw.decode().rstrip("\n")
            stderr_lines.append(text)
            if "watching" in text:
                watching.set()

    threading.Thread(target=read_stdout, daemon=True).start()
    threading.Thread(target=read_stderr, daemon=True).start()

    def fail(why):
        watch.kill()
        print(f"imap_watch.py: {why}; the watch said: {' | '.join(stderr_lines)}", file=sys.stderr)
        os._exit(1)  # not sys.exit: the reader threads hold locks that finalizing would wait for

    if not watching.wait(20):
        fail("the watch did not say it was watching within 20 s")

    seen = {}

    def wait_for(subject):
        """The time the line with `subject` was read, or None after TIMEOUT."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                at, line = lines.get(timeout=left)
            except queue.Empty:
                return None
            if line is None:
                fail("the watch ended")
            got = json.loads(line)["subject"]
            seen[got] = seen.get(got, 0) + 1
            if got == subject:
                return at

    def settle():
        calm = 0
        while calm < 2:
            time.sleep(0.05)
            quiet = time.monotonic() - last_line[0] >= SETTLE
            calm = calm + 1 if quiet and asleep(watch.pid) else 0

    def append(subject):
        typ, data = client.append(folder, None, None, message(subject))
        ok = time.monotonic()
        if typ != "OK":
            fail(f"APPEND answered {typ} {data}")
        return ok

    tag = uuid.uuid4().hex[:8]
    settle()
    warm = f"watch-bench {tag} warm-up"
    append(warm)
    if wait_for(warm) is None:
        fail(f"the warm-up message was not printed within {TIMEOUT:.0f} s")

    latencies = []
    server = []
    subjects = [warm]
    for n in range(1, runs + 1):
        settle()
        while not exists.empty():
            exists.get_nowait()
        subject = f"watch-bench {tag} {n}"
        subjects.append(subject)
        ok = append(subject)
        at = wait_for(subject)
        latencies.append(None if at is None else at - ok)
        try:
            server.append(exists.get(timeout=TIMEOUT) - ok)
        except queue.Empty:
            server.append(None)

    watch.send_signal(signal.SIGTERM)
    try:
        status = watch.wait(10)
    except subprocess.TimeoutExpired:
        fail("SIGTERM did not end the watch within 10 s")
    time.sleep(0.1)
    while True:  # anything printed after the last wait
        try:
            _, line = lines.get_nowait()
        except queue.Empty:
            break
        if line is not None:
            got = json.loads(line)["subject"]
            seen[got] = seen.get(got, 0) + 1
    client.logout()
    # Not imaplib's shutdown(): closing the file its reader thread is blocked on would wait
    # forever for that thread's lock. Shutting the socket down ends the thread's read instead.
    idler.send(b"DONE\r\n")
    idler.sock.shutdown(socket.SHUT_RDWR)
    idler_thread.join(5)

    doubled = sorted(s for s, n in seen.items() if n > 1)
    stray = sorted(s for s in seen if s not in subjects)
    result = {
        "runs": runs,
        "latencies": latencies,
        "missed": sum(t is None for t in latencies),
        "server": server,
        "server_missed": sum(t is None for t in server),
        "doubled": doubled,
        "stray": stray,
        "exit_status": status,
        "watching": next((s for s in stderr_lines if "watching" in s), ""),
        "settle": SETTLE,
        "timeout": TIMEOUT,
    }
    signal.alarm(0)
    with open(out, "w") as f:
        json.dump(result, f, indent=1)
    if status != 0:
        sys.exit(f"imap_watch.py: SIGTERM ended the watch with status {status}")
    if doubled or stray:
        sys.exit(f"imap_watch.py: printed more than once: {doubled}; not appended: {stray}")


if __name__ == "__main__":
    main()
