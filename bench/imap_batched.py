#!/usr/bin/env python3
"""Baseline (b) for bench/imap.sh: careful, batched imaplib, one verb of `tool imap` each.

- subjects FOLDER: the folder opened read-only, then one FETCH of the Subject header for the
  whole folder (BODY.PEEK[HEADER.FIELDS (SUBJECT)]), each subject decoded (RFC 2047) and printed
  in UID order, as `tool imap subjects` prints them;
- folders: LIST, then STATUS (MESSAGES) of each folder (imaplib cannot send them together),
  printed as `tool imap folders` prints them;
- show FOLDER UID: the folder opened read-only, one FETCH of the message (BODY.PEEK[]), its
  Subject, From, Date and text printed.

Usage: TOOL_IMAP_PASSWORD=... imap_batched.py [--tls CAFILE] HOST PORT USER VERB [ARGS]
"""
import argparse
import email
import email.header
import email.parser
import email.policy
import imaplib
import os
import re
import ssl
import sys


def decoded(subject):
    if subject is None:
        return ""
    return str(email.header.make_header(email.header.decode_header(subject)))


def subjects(c, folder):
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


def folders(c):
    status, listed = c.list()
    if status != "OK":
        raise Exception(listed)
    out = []
    for line in listed:
        flags, name = re.match(rb'\((.*?)\) (?:"[^"]*"|NIL) (.*)', line).groups()
        name = name.decode()
        quoted = name if name.startswith('"') else f'"{name}"'
        if b"\\Noselect" in flags:
            out.append(f"{'-':>8}  {name.strip(chr(34))}")
            continue
        status, data = c.status(quoted, "(MESSAGES)")
        if status != "OK":
            raise Exception(data)
        count = int(re.search(rb"MESSAGES (\d+)", data[0]).group(1))
        out.append(f"{count:>8}  {name.strip(chr(34))}")
    sys.stdout.write("".join(line + "\n" for line in out))


def show(c, folder, uid):
    c.select(folder, readonly=True)
    status, data = c.uid("FETCH", uid, "(BODY.PEEK[])")
    if status != "OK" or not isinstance(data[0], tuple):
        raise Exception(data)
    message = email.message_from_bytes(data[0][1], policy=email.policy.default)
    for field in ("Subject", "From", "Date"):
        print(f"{field}: {message[field]}")
    print()
    body = message.get_body(preferencelist=("plain", "html"))
    sys.stdout.write(body.get_content() if body else "")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tls", metavar="CAFILE", help="TLS from the first byte, trusting CAFILE")
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    parser.add_argument("user")
    parser.add_argument("verb", choices=["subjects", "folders", "show"])
    parser.add_argument("args", nargs="*")
    a = parser.parse_args()
    if a.tls:
        context = ssl.create_default_context(cafile=a.tls)
        c = imaplib.IMAP4_SSL(a.host, a.port, ssl_context=context)
    else:
        c = imaplib.IMAP4(a.host, a.port)
    c.login(a.user, os.environ["TOOL_IMAP_PASSWORD"])
    {"subjects": subjects, "folders": folders, "show": show}[a.verb](c, *a.args)
    c.logout()


if __name__ == "__main__":
    main()
