"""Writes one benchmark's section into docs/benchmarks.md, between the lines
<!-- NAME:start --> and <!-- NAME:end -->, leaving every other section as it was."""

import os
import re


def replace_section(doc, name, section):
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
