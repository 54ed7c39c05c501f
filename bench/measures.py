"""Accuracy measures shared by the bench scripts: pairwise precision,
recall and F1 with a threshold slack, score sweeps for tools without a
Jaccard threshold, connected components, B-cubed F1 and adjusted Rand
index."""
import collections
import json

SLACK = 0.02  # a found pair is right when its truth J >= threshold - SLACK


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def key(a, b):
    return (a, b) if a <= b else (b, a)


def pairwise(found, truth_j, t):
    """precision (with slack), recall, F1 of a set of pairs at threshold t"""
    truth = {k for k, j in truth_j.items() if j >= t}
    ok = sum(1 for k in found if truth_j.get(k, 0.0) >= t - SLACK)
    p = ok / len(found) if found else 1.0
    r = len(found & truth) / len(truth) if truth else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, len(found), len(truth)


def sweep(pairs, truth_j, t):
    """[(cut, precision, recall, F1)] for every distinct score of a peer's
    pairs taken as the cut-off (pairs scoring >= cut), in one pass"""
    ntruth = sum(1 for j in truth_j.values() if j >= t)
    out = []
    ok = tp = n = 0
    items = sorted(pairs.items(), key=lambda kv: -kv[1])
    for i, (k, s) in enumerate(items):
        j = truth_j.get(k, 0.0)
        n += 1
        ok += j >= t - SLACK
        tp += j >= t
        if i + 1 == len(items) or items[i + 1][1] != s:
            p = ok / n
            r = tp / ntruth if ntruth else 1.0
            out.append((s, p, r, 2 * p * r / (p + r) if p + r else 0.0))
    return out


def at_cut(curve, cut):
    """precision and recall at a cut-off from a sweep (nothing above: 1, 0)"""
    best = (1.0, 0.0)
    for s, p, r, _ in curve:
        if s >= cut:
            best = (p, r)
    return best


def components(items, pairs):
    """item -> cluster label, by union-find over pairs"""
    parent = {x: x for x in items}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for a, b in pairs:
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in items}


def cluster_scores(found, truth):
    """B-cubed F1 and adjusted Rand index of two labellings of one item set"""
    cell = collections.Counter((found[x], truth[x]) for x in truth)
    fa = collections.Counter(found[x] for x in truth)
    tb = collections.Counter(truth.values())
    n = len(truth)
    bp = sum(c * c / fa[f] for (f, _), c in cell.items()) / n
    br = sum(c * c / tb[t] for (_, t), c in cell.items()) / n
    bf = 2 * bp * br / (bp + br) if bp + br else 0.0

    def c2(x):
        return x * (x - 1) / 2
    index = sum(c2(c) for c in cell.values())
    a = sum(c2(c) for c in fa.values())
    b = sum(c2(c) for c in tb.values())
    expected = a * b / c2(n) if n > 1 else 0.0
    top = (a + b) / 2
    ari = (index - expected) / (top - expected) if top != expected else 1.0
    return bf, ari


def reprint_clusters(path, items, level):
    """item -> cluster label from a --clusters file (others: singletons)"""
    lab = {x: x for x in items}
    for c in load(path):
        if c["level"] != level:
            continue
        if level == "doc":
            head = c["kept"]
            members = [m["id"] for m in c["members"]]
        else:
            head = (c["kept"], c["kept_para"])
            members = [(m["id"], m["para"]) for m in c["members"]]
        for m in [head] + members:
            if m in lab:
                lab[m] = head if head in lab else members[0]
    return lab




DOC_HEADER = ("| tool | J | cut-off | precision | recall | F1 | B-cubed F1 | ARI "
              "| found | truth |\n"
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")


def doc_row(name, t, items, truth_j, pairs=None, found=None, clusters=None):
    """one Markdown row of document scores at J >= t: reprint's `found` pairs
    and `clusters` file, or a peer's scored `pairs` at its best-F1 cut-off"""
    truth_lab = components(items, [k for k, j in truth_j.items() if j >= t])
    if pairs is None:
        got, cut = found, t
        lab = reprint_clusters(clusters, items, "doc")
    else:
        cut = max(sweep(pairs, truth_j, t), key=lambda x: x[3])[0]
        got = {k for k, s in pairs.items() if s >= cut}
        lab = components(items, got)
    p, r, f, nf, nt = pairwise(got, truth_j, t)
    bf, ari = cluster_scores(lab, truth_lab)
    return (f"| {name} | {t} | {cut:.2f} | {p:.4f} | {r:.4f} | {f:.4f} "
            f"| {bf:.4f} | {ari:.4f} | {nf} | {nt} |")
