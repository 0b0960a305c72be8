#!/usr/bin/env python3
"""Checks that two score outputs agree lead by lead, in order: same deal id, total and band.

    python3 benches/agree.py stagegate.jsonl other.jsonl

Each file is JSON Lines, either `stagegate score --format jsonl` rows
(`{"deal", "scores": {"lead": {"total", "band", ...}}}`) or flat rows (`{"deal", "total", "band"}`,
as benches/json-rules-engine/score.js writes them). Exits 1 on the first differences (up to 5 shown).
"""

import json
import sys


def rows(path, card="lead"):
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            row = json.loads(line)
            if "scores" in row:
                score = row["scores"][card]
                yield row["deal"], score["total"], score["band"]
            else:
                yield row["deal"], row["total"], row["band"]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    left, right = sys.argv[1], sys.argv[2]
    count = 0
    differences = []
    a, b = rows(left), rows(right)
    while True:
        x, y = next(a, None), next(b, None)
        if x is None and y is None:
            break
        count += 1
        if x != y:
            differences.append((count, x, y))
            if len(differences) >= 5:
                break
    if differences:
        for line, x, y in differences:
            print(f"line {line}: {left}: {x}  {right}: {y}", file=sys.stderr)
        print(f"DISAGREE: {left} and {right}", file=sys.stderr)
        sys.exit(1)
    print(f"agree: {count} leads, same id, total and band in the same order")


if __name__ == "__main__":
    main()
