"""The 2009 tw_uuencode.py, restated in Python 3 as a reference for the differential tests.

It keeps the original's behaviour exactly, flaws included: encode strips every trailing glyph of
value 0 (even one that still carries bits of the last byte); decode drops the markers wherever
they stand, silently skips characters outside the alphabet, fails on the 12 listed code points
past the 2048th, keeps whole bytes and strips trailing NULs. The zlib mode is the post's:
zlib.compress(data, 9) before encoding.

Protocol: one JSON object a line on stdin, one answer a line on stdout.
  {"op": "encode", "hex": "...", "zlib": false}  ->  {"text": "..."}
  {"op": "decode", "text": "...", "zlib": false} ->  {"hex": "..."} or {"error": "..."}
  {"op": "weight", "text": "..."}                ->  {"weight": N}  (twitter-text v3, after NFC)
"""

import json
import sys
import unicodedata
import zlib

RANGES = [(0x20, 0x7E), (0xA1, 0xFF), (0x100, 0x17F), (0x180, 0x24F), (0x250, 0x2AE),
          (0x2B0, 0x2FE), (0x390, 0x3CE), (0x3D0, 0x3FF), (0x400, 0x4FF), (0x1401, 0x1676),
          (0x2580, 0x259F), (0x25A0, 0x25FF), (0x2701, 0x27BE), (0x27C0, 0x27EB),
          (0x27F0, 0x27FF)]
ALPHABET = [cp for start, end in RANGES for cp in range(start, end)]
POSITION = {cp: i for i, cp in enumerate(ALPHABET)}
STORAGE = 11
MARKERS = ("\u2639", "\u263a")


def encode(data):
    out = []
    for i in range(0, len(data), 11):
        block = data[i:i + 11].ljust(11, b"\0")
        bits = int.from_bytes(block, "big")
        for j in range(8):
            out.append(chr(ALPHABET[(bits >> (88 - STORAGE * (j + 1))) & 0x7FF]))
    return "".join(out).rstrip(chr(ALPHABET[0]))


def decode(text):
    bits, nbits = 0, 0
    for c in text:
        if c in MARKERS:
            continue
        pos = POSITION.get(ord(c))
        if pos is None:
            continue
        if pos >= 1 << STORAGE:
            raise ValueError("position %d does not fit in %d bits" % (pos, STORAGE))
        bits = (bits << STORAGE) | pos
        nbits += STORAGE
    whole = nbits // 8
    data = (bits >> (nbits - whole * 8)).to_bytes(whole, "big") if whole else b""
    return data.rstrip(b"\0")


def weight(text):
    total = 0
    for c in unicodedata.normalize("NFC", text):
        cp = ord(c)
        light = cp <= 4351 or 8192 <= cp <= 8205 or 8208 <= cp <= 8223 or 8242 <= cp <= 8247
        total += 1 if light else 2
    return total


def answer(req):
    if req["op"] == "encode":
        data = bytes.fromhex(req["hex"])
        if req.get("zlib"):
            data = zlib.compress(data, 9)
        return {"text": encode(data)}
    if req["op"] == "decode":
        try:
            data = decode(req["text"])
            if req.get("zlib"):
                data = zlib.decompress(data)
            return {"hex": data.hex()}
        except Exception as e:  # the original raised; the caller compares
            return {"error": str(e)}
    if req["op"] == "weight":
        return {"weight": weight(req["text"])}
    raise ValueError("unknown op %r" % req["op"])


for line in sys.stdin:
    sys.stdout.write(json.dumps(answer(json.loads(line))) + "\n")
    sys.stdout.flush()
