#!/usr/bin/env python3
"""The peer for the export figures of bench/imap.sh: a backup as imaplib and mailbox make it.

The folder opened read-only, each message fetched whole (UID FETCH BODY.PEEK[]) and added to an
mbox with Python's mailbox module.

Usage: TOOL_IMAP_PASSWORD=... imap_export_python.py HOST PORT USER FOLDER MBOX
"""
import imaplib
import mailbox
import os
import sys


def main():
    host, port, user, folder, path = sys.argv[1:6]
    c = imaplib.IMAP4(host, int(port))
    c.login(user, os.environ["TOOL_IMAP_PASSWORD"])
    c.select(folder, readonly=True)
    status, data = c.uid("SEARCH", None, "ALL")
    if status != "OK":
        raise Exception(data)
    box = mailbox.mbox(path)
    box.lock()
    for uid in data[0].split():
        status, fetched = c.uid("FETCH", uid, "(BODY.PEEK[])")
        if status != "OK":
            raise Exception(fetched)
        box.add(fetched[0][1])
        box.flush()
    box.unlock()
    c.logout()


main()
