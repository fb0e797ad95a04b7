"""Reads a captured screen on stdin and checks that, on every row holding
an e-mail address, the address starts at the same display column, counting
wide characters as two columns and combining marks as none."""
import sys
import unicodedata


def width(text):
    cols = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        cols += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return cols


starts = {}
for line in sys.stdin.read().splitlines():
    at = line.find("@demo.bezala.test")
    if at < 0 or line.startswith(" ") and "|" in line:
        continue
    begin = line.rfind(" ", 0, at) + 1
    starts[line.strip()] = width(line[:begin])
if len(starts) < 2:
    sys.exit("fewer than two rows with an address")
if len(set(starts.values())) != 1:
    for row, col in starts.items():
        print(col, row)
    sys.exit("the address column does not line up")
print("aligned at column", next(iter(starts.values())), "over",
      len(starts), "rows")
