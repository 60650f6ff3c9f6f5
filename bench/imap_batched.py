#!/usr/bin/env python3
"""Baseline (b) for bench/imap.sh: careful, batched imaplib.

The folder opened read-only, then one FETCH of the Subject header for the whole folder
(BODY.PEEK[HEADER.FIELDS (SUBJECT)]), each subject decoded (RFC 2047) and printed in UID order.

Usage: TOOL_IMAP_PASSWORD=... imap_batched.py HOST PORT USER FOLDER
"""
import email
import email.header
import email.parser
import imaplib
import os
import sys


def decoded(subject):
    if subject is None:
        return ""
    return str(email.header.make_header(email.header.decode_header(subject)))


def main():
    host, port, user, folder = sys.argv[1:5]
    c = imaplib.IMAP4(host, int(port))
    c.login(user, os.environ["TOOL_IMAP_PASSWORD"])
    c.select(folder, readonly=True)
    status, data = c.uid("FETCH", "1:*", "(UID BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    if status != "OK":
        raise Exception(data)
    parser = email.parser.BytesHeaderParser()
    lines = []
    for item in data:
        # Each message comes as (b'N (UID u BODY[...] {n}', header bytes), then b')'.
        if isinstance(item, tuple):
            uid = int(item[0].split(b"UID ")[1].split()[0])
            lines.append((uid, decoded(parser.parsebytes(item[1])["subject"])))
    lines.sort()
    sys.stdout.write("".join(subject + "\n" for _, subject in lines))
    c.logout()


if __name__ == "__main__":
    main()
