#!/usr/bin/env python3
"""Score reprint's --pairs output against the Reuters near-duplicate truth.

usage: bench/reuters-accuracy.py PAIRS.jsonl TRUTH.jsonl BODY500_IDS.txt
       [--threshold 0.5] [--explain REUTERS.jsonl.zst]

Only doc-level pairs between stories listed in BODY500_IDS count (the truth
was computed over those 11,786 stories). Prints recall, precision and each
disagreement; with --explain it recomputes the truth's Jaccard (lower-cased
\\w+ tokens, word 5-grams) to show why a pair differs.
"""
import json
import re
import subprocess
import sys


def load_pairs(path, ids):
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r.get("level", "doc") != "doc":
                continue
            a, b = r["a"], r["b"]
            if a in ids and b in ids:
                out[tuple(sorted((a, b)))] = r.get("jaccard")
    return out


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    thr = 0.5
    explain = None
    if "--threshold" in argv:
        thr = float(argv[argv.index("--threshold") + 1])
        args.remove(argv[argv.index("--threshold") + 1])
    if "--explain" in argv:
        explain = argv[argv.index("--explain") + 1]
        args.remove(explain)
    pairs_path, truth_path, ids_path = args[:3]
    ids = set(open(ids_path).read().split())
    got = {k: v for k, v in load_pairs(pairs_path, ids).items()
           if v is None or v >= thr}
    truth = {}
    with open(truth_path) as f:
        for line in f:
            r = json.loads(line)
            if r["jaccard"] >= thr:
                truth[tuple(sorted((r["a"], r["b"])))] = r["jaccard"]
    tp = len(set(got) & set(truth))
    recall = tp / len(truth) if truth else 1.0
    precision = tp / len(got) if got else 1.0
    f1 = 2 * recall * precision / (recall + precision) if tp else 0.0
    print(f"threshold {thr}: truth {len(truth)} pairs, reprint {len(got)} "
          f"pairs, both {tp}")
    print(f"recall {recall:.4f}  precision {precision:.4f}  F1 {f1:.4f}")
    texts = {}
    if explain:
        raw = subprocess.run(["zstd", "-dc", explain], check=True,
                             capture_output=True).stdout.decode("utf-8")
        for line in raw.splitlines():
            r = json.loads(line)
            texts[r["id"]] = r["text"]

    def truth_j(a, b):
        def sh(t):
            w = re.findall(r"\w+", t.lower())
            return {tuple(w[i:i + 5]) for i in range(max(1, len(w) - 4))}
        x, y = sh(texts[a]), sh(texts[b])
        return len(x & y) / len(x | y)

    both = sorted(set(truth) & set(got))
    diff = [k for k in both if got[k] is not None and
            abs(got[k] - truth[k]) > 5e-5]
    print(f"pairs found by both whose Jaccard differs from the truth's by "
          f"more than 5e-5: {len(diff)} of {len(both)}")
    for k in diff[:20]:
        print(f"  {k[0]} {k[1]} reprint {got[k]:.4f} truth {truth[k]:.4f}")
    for k in sorted(set(truth) - set(got)):
        extra = f" recomputed {truth_j(*k):.4f}" if texts else ""
        print(f"missed {k[0]} {k[1]} truth {truth[k]:.4f}{extra}")
    for k in sorted(set(got) - set(truth)):
        extra = f" truth-tokenised {truth_j(*k):.4f}" if texts else ""
        print(f"extra  {k[0]} {k[1]} reprint {got[k]:.4f}{extra}")
    return 0


sys.exit(main(sys.argv))
