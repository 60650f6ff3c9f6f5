"""Shared by the bench scripts' reports: peak memory as GNU time recorded it, and writing one
benchmark's section into docs/benchmarks.md."""

import os
import re


def peak_rss(work, name):
    """The peak RSS in KiB that `/usr/bin/time -f %M -o WORK/rss.NAME` recorded."""
    with open(os.path.join(work, "rss." + name)) as f:
        return int(f.read().split()[-1])


def kib(k):
    return f"{k:,} KiB ({k / 1024:.1f} MiB)"


def replace_section(doc, name, section):
    """Puts `section` between the lines <!-- NAME:start --> and <!-- NAME:end -->, leaving every
    other section as it was."""
    try:
        with open(doc, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        text = "# Benchmarks\n"
    pattern = re.compile(r"^<!-- %s:start -->$.*?^<!-- %s:end -->$" % (name, name), re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    os.makedirs(os.path.dirname(doc), exist_ok=True)
    tmp = doc + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, doc)
