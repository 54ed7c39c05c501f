#!/usr/bin/env python3
"""Regenerate corpus/seeds.jsonl from ../shared/seeds/*.txt.

The metadata (outlet, date, how the date is known) is the table in
../shared/seeds/README.md; each article's text is kept byte for byte.
Usage: tools/make-seeds-corpus.py [SEEDS_DIR] > corpus/seeds.jsonl
"""
import json
import os
import sys

META = {
    "000_4fe0b621bc02cb04": ("Press TV", "2022-11-05",
        "reports the Saturday 5 Nov remarks (so 2022-11-05 or later); "
        "footer names Press TV"),
    "001_a3ec4e8ace67aaf2": (None, "2022-11-05",
        "reports the Saturday 5 Nov remarks (so 2022-11-05 or later), "
        "with the longest verbatim quote"),
    "002_9af639eae0a8370f": (None, "2022-11-01T19:02:21",
        "timestamp printed in the article (no time zone given)"),
    "003_7dd4c22c52ae5dc7": (None, "2022-11-05",
        "the same remarks in a different English translation "
        "(so 2022-11-05 or later)"),
    "004_fadabde3c4f1eb6e": (None, "2022-10-28",
        "reports a Friday phone call with Ukraine's FM that 002 calls "
        "'last week' (so 2022-10-28 or later)"),
}

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    seeds = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        here, "..", "..", "shared", "seeds")
    for stem in sorted(META):
        with open(os.path.join(seeds, stem + ".txt"), encoding="utf-8") as f:
            text = f.read()
        outlet, date, basis = META[stem]
        rec = {"id": stem[:3], "file": stem + ".txt"}
        if outlet:
            rec["source"] = outlet
        rec["date"] = date
        rec["date_basis"] = basis
        rec["text"] = text
        print(json.dumps(rec, ensure_ascii=False))

main()
