#!/usr/bin/env python3
"""Accuracy of reprint, and of its peers, on a generated corpus with known
reuse (tools/gen-corpus.py).

    bench/generated-accuracy.py --reprint REPRINT --work DIR [--size 10M]
        [--seed 1] [--plot FILE.svg] [--no-peers]

Runs reprint (dedup at several thresholds, documents and paragraphs;
trace with and without dates) and the peers (bench/peers.py) on the same
corpus and scores all of them on the generator's exact truth:

- near-duplicate documents at J 0.5, 0.8, 0.9: pairwise precision, recall
  and F1 (truth: pairs with exact word 5-gram Jaccard >= J; a reported pair
  counts as right when its truth Jaccard is >= J - 0.02, the slack for pairs
  straddling the threshold), and cluster quality, B-cubed F1 and adjusted
  Rand index, of the tool's clusters against the truth's connected
  components at J (every document an item; singletons included). reprint
  runs at --threshold J; a peer has no Jaccard threshold, so each is given
  the cut-off on its own score that maximises its F1 (tuned on the truth:
  generous to the peers);
- the same for paragraphs (reprint only: the peers compare files), footers
  and page junk left out and scored apart;
- provenance: passages whose origin is the truly first document, copy edges
  directed right, with dates and with dates removed;
- quote clusters: pairwise precision and recall of documents sharing a
  quote, "translated" variants apart;
- speed on the same corpus: reprint dedup against each peer.
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import peers  # noqa: E402
from measures import (DOC_HEADER, at_cut, cluster_scores,  # noqa: E402
                      components, doc_row, key, load, pairwise,
                      reprint_clusters, sweep)
import svgplot  # noqa: E402

TARGETS = (0.5, 0.8, 0.9)
SWEEP = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


# ---- runs ----------------------------------------------------------------

def run(cmd):
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reprint", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--size", default="10M")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--plot")
    ap.add_argument("--no-peers", action="store_true")
    a = ap.parse_args()
    w, rp = a.work, a.reprint
    os.makedirs(w, exist_ok=True)
    corpus, tdir = os.path.join(w, "c.jsonl"), os.path.join(w, "truth")
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "gen-corpus.py"),
                    "--size", a.size, "--seed", str(a.seed), "-o", corpus,
                    "--truth", tdir], check=True, stderr=subprocess.DEVNULL)
    docs = {d["id"]: d for d in load(f"{tdir}/docs.jsonl")}
    mb = os.path.getsize(corpus) / 1e6
    print(f"Corpus: `tools/gen-corpus.py --size {a.size} --seed {a.seed} "
          f"--truth T`: {mb:.1f} MB, {len(docs):,} documents.")
    print()

    # reprint runs
    for t in sorted(set(SWEEP) | set(TARGETS)):
        run([rp, "dedup", "-q", "--level", "doc", "--threshold", str(t), corpus,
             "-o", "/dev/null", "--pairs", f"{w}/dp{t}", "--clusters",
             f"{w}/dc{t}"])
    for t in TARGETS:
        run([rp, "dedup", "-q", "--level", "para", "--threshold", str(t),
             corpus, "-o", "/dev/null", "--pairs", f"{w}/pp{t}", "--clusters",
             f"{w}/pc{t}", "--log", f"{w}/pl{t}"])
    run([rp, "trace", "-q", corpus, "--json", f"{w}/trace.json"])
    nodates = os.path.join(w, "nodates.jsonl")
    with open(corpus, encoding="utf-8") as f, \
            open(nodates, "w", encoding="utf-8") as out:
        for line in f:
            r = json.loads(line)
            r.pop("date", None)
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
    run([rp, "trace", "-q", nodates, "--json", f"{w}/nodates.json"])
    speed = {}
    for t in (1, os.cpu_count() or 1):
        speed[f"reprint dedup --level doc --threshold 0.5 --threads {t}"] = min(
            run([rp, "dedup", "-q", "--level", "doc", "--threshold", "0.5",
                 "--threads", str(t), corpus, "-o", "/dev/null"])
            for _ in range(3))

    # documents
    truth_j = {key(p["a"], p["b"]): p["jaccard"]
               for p in load(f"{tdir}/pairs.jsonl")}
    items = list(docs)
    found = {t: {key(x["a"], x["b"]) for x in load(f"{w}/dp{t}")}
             for t in sorted(set(SWEEP) | set(TARGETS))}
    tools = {"reprint": None}
    if not a.no_peers:
        for name, (sec, pairs) in peers.run_all(corpus, w).items():
            tools[name] = pairs
            speed[name] = sec
    print("### Near-duplicate documents")
    print()
    print(DOC_HEADER)
    for name, pairs in tools.items():
        for t in TARGETS:
            print(doc_row(name, t, items, truth_j, pairs=pairs, found=found[t],
                          clusters=f"{w}/dc{t}"))
    print()
    print("reprint's clusters are leader clusters (every member within J of "
          "the kept document, no chaining); the truth's are connected "
          "components, so chains of near copies lower B-cubed recall.")
    print()
    print("Speed on the same corpus (best of 3 for reprint; peers once, "
          "their own run only, after the documents were written to files):")
    print()
    print("| run | seconds | MB/s |")
    print("|---|---:|---:|")
    for name, sec in speed.items():
        print(f"| {name} | {sec:.3f} | {mb / sec:.1f} |")
    print()
    if not a.no_peers:
        print("Peers: " + "; ".join(f"{n}: `{peers.INSTALL[n]}`, "
                                    f"`{peers.INVOKE[n]}`"
                                    for n in peers.INSTALL) + ".")
        print()
    if a.plot:
        series = []
        rp_pts = [(t, pairwise(found[t], truth_j, 0.5)) for t in SWEEP]
        series.append(("reprint precision", [(t, s[0]) for t, s in rp_pts],
                       False, 0))
        series.append(("reprint recall", [(t, s[1]) for t, s in rp_pts], True,
                       0))
        for ci, (name, pairs) in enumerate(tools.items()):
            if pairs is None:
                continue
            curve = sweep(pairs, truth_j, 0.5)
            pts = [(c / 20, at_cut(curve, c / 20)) for c in range(1, 20)]
            series.append((f"{name} precision", [(c, s[0]) for c, s in pts],
                           False, ci))
            series.append((f"{name} recall", [(c, s[1]) for c, s in pts], True,
                           ci))
        svgplot.line_chart(a.plot, "Near-duplicate documents, truth J >= 0.5",
                           "threshold on the tool's own similarity",
                           "precision (solid), recall (dashed)", series,
                           xrange=(0, 1), yrange=(0, 1))

    # paragraphs
    boiler = {(d, i) for d, x in docs.items() for i in x["boilerplate"]}
    pitems = [(d, i) for d, x in docs.items()
              for i in range(min(x["boilerplate"] or [0]))]
    ptruth = {}
    for p in load(f"{tdir}/para_pairs.jsonl"):
        ptruth[key((p["a"], p["a_para"]), (p["b"], p["b_para"]))] = p["jaccard"]
    print("### Near-duplicate paragraphs (reprint dedup --level para)")
    print()
    print("| J | precision | recall | F1 | B-cubed F1 | ARI | found | truth | "
          "footers removed |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    outlets = collections.Counter(x["outlet"] for x in docs.values())
    want_footers = sum(outlets.values()) - len(outlets)
    for t in TARGETS:
        got = set()
        for x in load(f"{w}/pp{t}"):
            u, v = (x["a"], x["a_para"]), (x["b"], x["b_para"])
            if u[0] != v[0] and u not in boiler and v not in boiler:
                got.add(key(u, v))
        p, r, f, nf, nt = pairwise(got, ptruth, t)
        lab = reprint_clusters(f"{w}/pc{t}", pitems, "para")
        tl = components(pitems, [k for k, j in ptruth.items() if j >= t])
        bf, ari = cluster_scores(lab, tl)
        footers = sum(1 for x in load(f"{w}/pl{t}")
                      if (x["removed"], x.get("para")) in boiler)
        print(f"| {t} | {p:.4f} | {r:.4f} | {f:.4f} | {bf:.4f} | {ari:.4f} | "
              f"{nf} | {nt} | {footers} of {want_footers} |")
    print()
    print("Items: the documents' own paragraphs (footers and junk are scored "
          "apart: every outlet's footer repeats in all its documents, so all "
          "but one per outlet should go).")
    print()

    # provenance
    print("### Provenance (reprint trace)")
    print()
    print("| dates | passages | origin right | wrong (bad date) | open | right "
          "of directed | copy edges linked | right | reversed (bad date) | "
          "open |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    edges = load(f"{tdir}/edges.jsonl")
    for name, path in (("with dates", f"{w}/trace.json"),
                       ("removed", f"{w}/nodates.json")):
        tr = json.load(open(path, encoding="utf-8"))
        c = collections.Counter()
        seen = {}
        for ps in tr["passages"]:
            if ps.get("boilerplate"):
                continue
            members = {m["doc"] for m in ps["members"]}
            first = min(members, key=lambda d: docs[d]["true_date"])
            v = ("open" if ps["origin"] is None else
                 "right" if ps["origin"] == first else "wrong")
            c["origin " + v] += 1
            if v == "wrong" and not all(docs[d]["dated"] for d in members):
                c["origin wrong, bad date"] += 1
            for e in ps["edges"]:
                d = "open" if e["direction"] != "from->to" else (e["from"],
                                                                 e["to"])
                seen.setdefault(key(e["from"], e["to"]), set()).add(d)
        for e in edges:
            s = seen.get(key(e["from"], e["to"]))
            if s is None:
                continue
            c["linked"] += 1
            v = ("right" if (e["from"], e["to"]) in s else
                 "reversed" if (e["to"], e["from"]) in s else "open")
            c["edge " + v] += 1
            if v == "reversed" and not (docs[e["from"]]["dated"] and
                                        docs[e["to"]]["dated"]):
                c["edge reversed, bad date"] += 1
        n = c["origin right"] + c["origin wrong"] + c["origin open"]
        directed = c["origin right"] + c["origin wrong"]
        print(f"| {name} | {n} | {c['origin right']} | {c['origin wrong']} "
              f"({c['origin wrong, bad date']}) | "
              f"{c['origin open']} | "
              f"{c['origin right'] / directed if directed else 0:.4f} | "
              f"{c['linked']} of {len(edges)} | {c['edge right']} | "
              f"{c['edge reversed']} ({c['edge reversed, bad date']}) | "
              f"{c['edge open']} |")
    print()
    print("A passage's true origin is its member published first (true date). "
          "5 % of documents carry no date and 2 % a date before their "
          "source's; *bad date* counts the errors where a member (an edge's "
          "end) is one of those, which dates alone cannot get right. A true "
          "copy "
          "edge is *linked* when trace joins its two documents directly; "
          "identical siblings often make another version the closest. "
          "Without dates only text evidence can direct an edge; the "
          "generator writes none (no attributions, no joined paragraphs), "
          "so edges stay open, as they should.")
    print()

    # quotes
    tr = json.load(open(f"{w}/trace.json", encoding="utf-8"))
    qfound = set()
    for q in tr["quotes"]:
        ds = sorted({m["doc"] for m in q["members"]})
        qfound |= {(x, y) for i, x in enumerate(ds) for y in ds[i + 1:]}
    qtruth = collections.defaultdict(set)
    for q in load(f"{tdir}/quotes.jsonl"):
        m = q["members"]
        for i in range(len(m)):
            for k in range(i + 1, len(m)):
                kind = "translated" if "translated" in (m[i][1], m[k][1]) \
                    else "same wording"
                qtruth[kind].add(key(m[i][0], m[k][0]))
    allq = set().union(*qtruth.values()) if qtruth else set()
    tp = len(qfound & allq)
    p = tp / len(qfound) if qfound else 1.0
    r = tp / len(allq) if allq else 1.0
    print("### Quote clusters (reprint trace)")
    print()
    print(f"Document pairs sharing a quote: precision {p:.4f}, recall {r:.4f}, "
          f"F1 {2 * p * r / (p + r) if p + r else 0:.4f} ({tp} of "
          f"{len(allq)}; {len(qfound)} found). Recall by variant: " +
          ", ".join(f"{k} {len(qfound & v) / len(v):.4f} "
                    f"({len(qfound & v)} of {len(v)})"
                    for k, v in sorted(qtruth.items())) + ".")


if __name__ == "__main__":
    main()
