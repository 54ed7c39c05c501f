#!/usr/bin/env python3
"""Direction of copy edges from `reprint trace` against Reuters timestamps.

usage: bench/reuters-provenance.py TRACE.json TRUTH.jsonl

For every truth pair whose two timestamps differ, looks for trace passages
holding both stories and checks the direction trace gives: the edge between
them (or, without a direct edge, their order in the passage) must run from
the earlier story. Reports the share right, wrong, tied and not found.
"""
import json
import sys


def main(trace_path, truth_path):
    trace = json.load(open(trace_path, encoding="utf-8"))
    where = {}  # doc -> list of (passage index, position in date order)
    edges = {}
    for pi, p in enumerate(trace["passages"]):
        for k, m in enumerate(p["members"]):
            where.setdefault(m["doc"], []).append((pi, k))
        for e in p["edges"]:
            edges[(e["from"], e["to"])] = e["direction"]
    right = wrong = tied = missing = total = 0
    for line in open(truth_path):
        r = json.loads(line)
        if r["date_a"] == r["date_b"]:
            continue
        total += 1
        early, late = (r["a"], r["b"]) if r["date_a"] < r["date_b"] else (r["b"], r["a"])
        if (early, late) in edges:
            if edges[(early, late)] == "from->to":
                right += 1
            else:
                tied += 1
            continue
        if (late, early) in edges:
            wrong += 1
            continue
        common = {pi: k for pi, k in where.get(early, [])}
        orders = [(common[pi], k) for pi, k in where.get(late, []) if pi in common]
        if not orders:
            missing += 1
        elif all(a < b for a, b in orders):
            right += 1
        else:
            wrong += 1
    print(f"pairs with different timestamps: {total}")
    print(f"earlier story first: {right} ({right / total:.4f}); reversed: "
          f"{wrong}; undetermined: {tied}; not in a shared passage: {missing}")


main(*sys.argv[1:3])
