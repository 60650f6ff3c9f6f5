#!/usr/bin/env python3
"""Baseline (a) for bench/imap.sh: the loop from "Making imaplib simple" (2009), in Python 3.

SEARCH ALL, then one FETCH (RFC822) round trip per message, each parsed with the email module,
and the subject printed; as the post's get_messages_by_folder does. Two changes only: the
folder is opened read-only (the post's SELECT plus RFC822 would mark every message seen), and
the subject is decoded (RFC 2047), as `tool imap subjects` does, so that the outputs compare.

Usage: TOOL_IMAP_PASSWORD=... imap_post_loop.py HOST PORT USER FOLDER
"""
import email
import email.header
import imaplib
import os
import sys


class SimpleImap(imaplib.IMAP4):
    def get_messages_by_folder(self, folder, charset=None):
        ids = self.get_ids_by_folder(folder, charset=charset)
        for m in self.get_messages_by_ids(ids):
            yield m

    def get_ids_by_folder(self, folder, charset=None):
        self.select(folder, readonly=True)
        status, data = self.search(charset, "ALL")
        if status != "OK":
            raise Exception(data)
        return data[0].split()

    def get_messages_by_ids(self, ids):
        for i in ids:
            yield self.get_message_by_id(i)

    def get_message_by_id(self, id):
        status, data = self.fetch(id, "(RFC822)")
        if status != "OK":
            raise Exception(data)
        return email.message_from_bytes(data[0][1])


def decoded(subject):
    if subject is None:
        return ""
    return str(email.header.make_header(email.header.decode_header(subject)))


def main():
    host, port, user, folder = sys.argv[1:5]
    c = SimpleImap(host, int(port))
    c.login(user, os.environ["TOOL_IMAP_PASSWORD"])
    out = sys.stdout
    for m in c.get_messages_by_folder(folder):
        out.write(decoded(m["subject"]) + "\n")
    c.logout()


if __name__ == "__main__":
    main()
