#!/usr/bin/env python3
"""Score reprint against the ground truth of tools/gen-corpus.py.

    generated-accuracy.py TRUTH_DIR PAIRS_0.5 PAIRS_0.8 PAIRS_0.9 TRACE.json \
        NODATES_TRACE.json

Near-duplicate documents: pairwise precision, recall, F1 at each threshold
(truth: pairs.jsonl with exact Jaccard >= the threshold; a reported pair
counts as right when the truth's Jaccard is >= threshold - 0.02, the slack
for pairs straddling it). Provenance: of the true copy edges whose two
documents trace links directly, the share it directs right, reverses, or
leaves open, with dates and with dates removed (true edges with a wrong or
missing date on either side are counted apart). Quotes: pairwise precision
and recall of documents sharing a quote cluster, by variant.
"""
import collections
import json
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def prf(found, truth):
    tp = len(found & truth)
    p = tp / len(found) if found else 1.0
    r = tp / len(truth) if truth else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, tp


def main():
    tdir, p5, p8, p9, trace, nodates = sys.argv[1:7]
    docs = {d["id"]: d for d in load(f"{tdir}/docs.jsonl")}
    jac = {}
    for p in load(f"{tdir}/pairs.jsonl"):
        jac[tuple(sorted((p["a"], p["b"])))] = p["jaccard"]
    print("near-duplicate documents (pairwise, exact truth):")
    print("  threshold  precision  recall     F1     found  truth")
    for t, path in ((0.5, p5), (0.8, p8), (0.9, p9)):
        found = {tuple(sorted((x["a"], x["b"]))) for x in load(path)
                 if "a" in x}
        truth = {k for k, j in jac.items() if j >= t}
        ok = {k for k in found if jac.get(k, 0) >= t - 0.02}
        p = len(ok) / len(found) if found else 1.0
        r = len(found & truth) / len(truth) if truth else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"  {t:9.1f}  {p:9.4f}  {r:9.4f}  {f:6.4f}  {len(found):6d} "
              f"{len(truth):6d}")
    edges = load(f"{tdir}/edges.jsonl")
    for name, path in (("with dates", trace), ("dates removed", nodates)):
        tr = json.load(open(path, encoding="utf-8"))
        seen = {}
        for p in tr["passages"]:
            for e in p["edges"]:
                key = tuple(sorted((e["from"], e["to"])))
                d = "open" if e["direction"] != "from->to" else (
                    e["from"], e["to"])
                seen.setdefault(key, set()).add(d)
        c = collections.Counter()
        for e in edges:
            key = tuple(sorted((e["from"], e["to"])))
            dated = docs[e["from"]]["dated"] and docs[e["to"]]["dated"]
            group = "" if dated or name == "dates removed" else " (bad date)"
            if key not in seen:
                c["not linked" + group] += 1
                continue
            s = seen[key]
            if (e["from"], e["to"]) in s:
                c["right" + group] += 1
            elif (e["to"], e["from"]) in s:
                c["reversed" + group] += 1
            else:
                c["open" + group] += 1
        linked = c["right"] + c["reversed"] + c["open"]
        print(f"copy edges, {name}: {len(edges)} true edges; of "
              f"{linked} linked directly: right {c['right']}, reversed "
              f"{c['reversed']}, open {c['open']}; not linked "
              f"{c['not linked']}", end="")
        bad = {k: v for k, v in c.items() if "bad date" in k}
        print(f"; with a wrong or missing date: {dict(sorted(bad.items()))}"
              if bad else "")
    tr = json.load(open(trace, encoding="utf-8"))
    found = set()
    for q in tr["quotes"]:
        ds = sorted({m["doc"] for m in q["members"]})
        found |= {(a, b) for i, a in enumerate(ds) for b in ds[i + 1:]}
    truth = collections.defaultdict(set)
    for q in load(f"{tdir}/quotes.jsonl"):
        m = q["members"]
        for i in range(len(m)):
            for k in range(i + 1, len(m)):
                pair = tuple(sorted((m[i][0], m[k][0])))
                kind = "translated" if "translated" in (m[i][1], m[k][1]) \
                    else "same wording"
                truth[kind].add(pair)
    allt = set().union(*truth.values()) if truth else set()
    p, r, f, tp = prf(found, allt)
    print(f"quote clusters (document pairs): precision {p:.4f} recall "
          f"{r:.4f} F1 {f:.4f} ({tp} of {len(allt)}; found {len(found)})")
    for kind, pairs in sorted(truth.items()):
        print(f"  recall, {kind}: {len(found & pairs) / len(pairs):.4f} "
              f"({len(found & pairs)} of {len(pairs)})")


main()
