#!/usr/bin/env python3
"""reprint and its peers on Reuters-21578 (the 11,786 stories of
body500-ids.txt), scored on the exhaustive truth at J 0.5, 0.8 and 0.9.

    bench/reuters-peers.py --reprint REPRINT --work DIR

Same measures as bench/generated-accuracy.py (bench/measures.py): pairwise
precision/recall/F1 (slack 0.02), B-cubed F1 and ARI of the clusters; each
peer at the cut-off on its own score that maximises its F1. Needs
../shared/data/reuters21578.
"""
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import peers  # noqa: E402
from measures import DOC_HEADER, doc_row, key, load  # noqa: E402



def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reprint", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--data", default=os.path.normpath(
        os.path.join(HERE, "..", "..", "shared", "data", "reuters21578")))
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    ids = open(f"{a.data}/body500-ids.txt").read().split()
    idset = set(ids)
    corpus = os.path.join(a.work, "body500.jsonl")
    raw = subprocess.run(["zstd", "-dc", f"{a.data}/reuters21578.jsonl.zst"],
                         check=True, capture_output=True).stdout
    with open(corpus, "w", encoding="utf-8") as f:
        for line in raw.decode("utf-8").splitlines():
            if json.loads(line)["id"] in idset:
                f.write(line + "\n")
    truth_j = {key(p["a"], p["b"]): p["jaccard"] for p in
               load(f"{a.data}/near-dup-pairs-body500-j05.jsonl")}
    mb = os.path.getsize(corpus) / 1e6
    tools = {}
    speed = {}
    for t in (0.5, 0.8, 0.9):
        t0 = time.perf_counter()
        subprocess.run([a.reprint, "dedup", "-q", "--level", "doc",
                        "--threshold", str(t), corpus, "-o", "/dev/null",
                        "--pairs", f"{a.work}/p{t}", "--clusters",
                        f"{a.work}/c{t}"], check=True)
        speed.setdefault("reprint dedup --level doc (all threads)",
                        time.perf_counter() - t0)
    for name, (sec, pairs) in peers.run_all(corpus, a.work).items():
        tools[name] = pairs
        speed[name] = sec
    print(f"Reuters-21578, {len(ids):,} stories of body500-ids.txt "
          f"({mb:.1f} MB), truth near-dup-pairs-body500-j05.jsonl "
          "(exhaustive, J >= 0.5).")
    print()
    print(DOC_HEADER)
    for name in ["reprint"] + list(tools):
        for t in (0.5, 0.8, 0.9):
            found = {key(x["a"], x["b"]) for x in load(f"{a.work}/p{t}")}
            print(doc_row(name, t, ids, truth_j, pairs=tools.get(name),
                          found=found, clusters=f"{a.work}/c{t}"))
    print()
    print("| run (same stories) | seconds | MB/s |")
    print("|---|---:|---:|")
    for name, sec in speed.items():
        print(f"| {name} | {sec:.3f} | {mb / sec:.1f} |")


if __name__ == "__main__":
    main()
