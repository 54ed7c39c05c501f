#!/usr/bin/env python3
"""`reprint trace` against a dedup baseline on the real sets of
../shared/data, scored with the same measures, printed as Markdown.

    python3 bench/real-sets.py --reprint PATH --data ../shared/data --work DIR
        [--sets reuters,eebo,usenet,webis,bible] [--timeout SECONDS]
        [--heading TEXT]

Per set it runs, one after another (never two at once): `reprint trace`
on the set as given (eebo and bible with --date-field year_guess / year:
reprint reads a JSON number 1611 as the text "1611", a year-precision ISO
date), trace again on a copy written into --work with every date-like field
removed (sets that have dates), the baseline `reprint dedup --level doc
--shingle 3 --threshold 0.2` without and with --pairs, and, when this
build's trace takes --threads, trace with --threads 1 and --threads 2.
A run over --timeout seconds is killed and reported as timed out. Trace's
document pairs are its top-level "links" when the JSON has them, else every
copy edge of every non-boilerplate passage (score: the pair's highest edge
similarity). Every measure is defined under its table. Everything printed
is deterministic except wall times.
"""
import argparse
import bisect
import collections
import json
import os
import random
import re
import shlex
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from measures import cluster_scores, components, key  # noqa: E402

SEED = 1
MIN_NEG = 2000
ALL_SETS = ("reuters", "eebo", "usenet", "webis", "bible")
# every field name reprint reads a date from, and the sets' own date fields
DATE_FIELDS = ("date", "date_raw", "year_guess", "year", "published",
               "published_at", "publish_date", "pubdate", "date_published",
               "timestamp", "datetime", "created_at", "time")
SPEC = {
    "reuters": ("reuters21578", "reuters21578.jsonl.zst", None, True),
    "eebo": ("eebo-bible-passim", "eebo-bible-passim.jsonl.zst",
             "year_guess", True),
    "usenet": ("usenet-20ng-full", "usenet-20ng-full.jsonl.zst", None, True),
    "webis": ("webis-cpc11-sample", "webis-cpc11-sample.jsonl.zst", None,
              False),
    "bible": ("bible-pd-english", "bible-pd-english.jsonl.zst", "year", True),
}
DASH = "—"
BASE_OPTS = ["--level", "doc", "--shingle", "3", "--threshold", "0.2"]


# ---------------------------------------------------------------- running

class Run:
    def __init__(self, cmd, status, seconds, note=""):
        self.cmd, self.status, self.seconds, self.note = cmd, status, seconds, note

    def ok(self):
        return self.status == "ok"

    def cell(self):
        if self.status == "ok":
            return f"{self.seconds:.2f}"
        if self.status == "timeout":
            return f"timed out (> {self.seconds:.0f} s)"
        return self.status


def run(cmd, timeout):
    print("bench: " + shlex.join(cmd), file=sys.stderr)
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return Run(cmd, "timeout", timeout)
    sec = time.perf_counter() - t0
    if p.returncode != 0:
        err = p.stderr.decode("utf-8", "replace").strip().splitlines()
        return Run(cmd, f"failed (exit {p.returncode})", sec,
                   err[-1] if err else "")
    return Run(cmd, "ok", sec)


def read_jsonl(path):
    if path.endswith(".zst"):
        raw = subprocess.run(["zstd", "-dc", path], check=True,
                             capture_output=True).stdout.decode("utf-8")
    else:
        with open(path, encoding="utf-8") as f:
            raw = f.read()
    return [json.loads(line) for line in raw.splitlines() if line.strip()]


def trace_has_threads(reprint):
    p = subprocess.run([reprint, "trace", "--help"], capture_output=True)
    return b"--threads" in p.stdout + p.stderr


# ------------------------------------------------------------ tool output

class Found:
    """document pairs one tool reported: score, direction, aligned spans"""

    def __init__(self):
        self.score = {}      # key(a, b) -> graded score
        self.src = {}        # key(a, b) -> source doc id, or None
        self.pm = []         # per non-boilerplate passage: doc -> spans
        self.rp = collections.defaultdict(list)  # doc -> indexes into pm
        self.whole = None    # doc -> length: spans are whole records
        self.basis = ""
        self.dated = None    # documents with a date, of all (trace)
        self.clusters = None  # trace's own clusters, if given
        self.kinds = None
        self.rel = {}        # key(a, b) -> score of a pair listed as related
                             # only (trace links with "reuse": false): ranked
                             # by AUC, not counted as found

    def rank(self, k):
        """the graded score for ROC AUC: found or only related, else 0"""
        return self.score.get(k, self.rel.get(k, 0.0))


def merge(iv):
    iv = sorted(iv)
    out = []
    for s, e in iv:
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return out


def overlap(iv, s, e):
    return sum(max(0, min(e, b) - max(s, a)) for a, b in iv)


def load_trace(path):
    with open(path, encoding="utf-8") as f:
        tr = json.load(f)
    fd = Found()
    docs = tr.get("documents", [])
    fd.dated = (sum(1 for d in docs if d.get("date")), len(docs))
    for p in tr.get("passages", []):
        if p.get("boilerplate"):
            continue
        per = collections.defaultdict(list)
        for m in p["members"]:
            per[m["doc"]].append(tuple(m["span"]))
        for d in per:
            fd.rp[d].append(len(fd.pm))
        fd.pm.append({d: merge(v) for d, v in per.items()})
    if "links" in tr:
        fd.basis = "links"
        fd.kinds = collections.Counter(str(ln.get("kind")) for ln in tr["links"])
        for ln in tr["links"]:
            a, b = ln["a"], ln["b"]
            if a == b:
                continue
            k = key(a, b)
            d = ln.get("direction")
            if ln.get("reuse") is False:
                fd.rel[k] = max(fd.rel.get(k, 0.0), float(ln.get("score", 0.0)))
                continue
            fd.score[k] = max(fd.score.get(k, 0.0), float(ln.get("score", 0.0)))
            fd.src[k] = a if d == "a->b" else b if d == "b->a" else None
    else:
        fd.basis = "edges"
        votes = collections.defaultdict(collections.Counter)
        for p in tr.get("passages", []):
            if p.get("boilerplate"):
                continue
            for e in p.get("edges", []):
                a, b = e["from"], e["to"]
                if a == b:
                    continue
                k = key(a, b)
                fd.score[k] = max(fd.score.get(k, 0.0), float(e["similarity"]))
                votes[k]
                if e["direction"] == "from->to":
                    votes[k][a] += 1
        for k, v in votes.items():
            top = v.most_common(2)
            if not top or (len(top) == 2 and top[0][1] == top[1][1]):
                fd.src[k] = None
            else:
                fd.src[k] = top[0][0]
    if isinstance(tr.get("clusters"), list):
        lab = {}
        for c in tr["clusters"]:
            for m in c.get("members", []):
                lab.setdefault(m, c.get("id"))
        fd.clusters = lab
    return fd


def load_pairs(path, lengths):
    fd = Found()
    fd.basis = "pairs"
    fd.whole = lengths
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            if r.get("level", "doc") != "doc" or r["a"] == r["b"]:
                continue
            k = key(r["a"], r["b"])
            fd.score[k] = max(fd.score.get(k, 0.0), float(r["jaccard"]))
            fd.src[k] = None
    return fd


# --------------------------------------------------------------- measures

def f4(x):
    return DASH if x is None else f"{x:.4f}"


def prf(found, truth):
    tp = len(found & truth)
    p = tp / len(found) if found else None
    r = tp / len(truth) if truth else None
    f = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
    return p, r, f, tp


def auc(pos, neg):
    """P(score of a truth pair > score of an unrelated pair), ties half"""
    if not pos or not neg:
        return None
    sp = sorted(pos)
    tot = 0.0
    for s in neg:
        lo = bisect.bisect_left(sp, s)
        hi = bisect.bisect_right(sp, s)
        tot += (len(sp) - hi) + 0.5 * (hi - lo)
    return tot / (len(pos) * len(neg))


def sample_pairs(left, right, n, related):
    """n distinct pairs (a in left, b in right, a != b) not related, drawn
    with a fixed seed from sorted lists"""
    rng = random.Random(SEED)
    left, right = sorted(left), sorted(right)
    out, seen = [], set()
    tries = 0
    while len(out) < n and tries < 200 * n:
        tries += 1
        a, b = left[rng.randrange(len(left))], right[rng.randrange(len(right))]
        if a == b:
            continue
        k = key(a, b)
        if k in seen or related(k):
            continue
        seen.add(k)
        out.append(k)
    return out


def best_cut(fd, found, truth):
    """the best pairwise F1 over cut-offs on the tool's score (pairs scoring
    >= cut), and that cut: tuned on the truth, so an upper bound"""
    items = sorted(((fd.score[k], k) for k in found), key=lambda x: -x[0])
    best, cut = 0.0, None
    tp = 0
    for i, (sc, k) in enumerate(items):
        tp += k in truth
        if i + 1 == len(items) or items[i + 1][0] != sc:
            p, r = tp / (i + 1), tp / len(truth)
            f = 2 * p * r / (p + r) if p + r else 0.0
            if f > best:
                best, cut = f, sc
    return best, cut


def bcubed(universe, pairs, truth_lab):
    lab = components(universe, [k for k in pairs])
    return cluster_scores(lab, truth_lab)[0]


def own_bcubed(fd, universe, truth_lab):
    if fd.clusters is None:
        return None
    lab = {x: fd.clusters.get(x, ("single", x)) for x in universe}
    return cluster_scores(lab, truth_lab)[0]


def dir_count(fd, pairs, want_src):
    """right / wrong / undetermined over found pairs; want_src(k) -> id"""
    r = w = u = 0
    for k in pairs:
        if k not in fd.score:
            continue
        s = fd.src.get(k)
        if s is None:
            u += 1
        elif s == want_src(k):
            r += 1
        else:
            w += 1
    return r, w, u


def dir_cell(c):
    r, w, u = c
    acc = f"{r / (r + w):.4f}" if r + w else DASH
    return f"{r} / {w} / {u} ({acc})"


def baseline_recall(tools, universe, truth):
    """the recall of the last tool (the baseline), for ranked comparison"""
    fd = tools[-1][1] if tools else None
    if fd is None or not truth:
        return None
    uni = set(universe)
    found = {k for k in fd.score if k[0] in uni and k[1] in uni}
    return len(found & truth) / len(truth)


def at_recall(fd, universe, truth, target, cross=None):
    """the shortest prefix of the tool's pairs ranked by score (found and
    related alike, ties by pair) that reaches `target` recall: (precision,
    pairs, pairs across `cross` labels) or None when it never does"""
    if target <= 0:
        return None
    uni = set(universe)
    pairs = [k for k in set(fd.score) | set(fd.rel)
             if k[0] in uni and k[1] in uni]
    pairs.sort(key=lambda k: (-fd.rank(k), k))
    need = target * len(truth) - 1e-9
    hit = bad = 0
    for n, k in enumerate(pairs, 1):
        if k in truth:
            hit += 1
        elif cross is not None and cross[k[0]] != cross[k[1]]:
            bad += 1
        if hit >= need:
            return hit / n, n, bad
    return None


def common(fd, universe, truth, truth_lab, negs, target=None, cross=None):
    """rows shared by every set; found pairs restricted to the universe.
    With `target` (the baseline's recall), also the tool's precision (and
    pairs across `cross` labels) at that recall when its pairs are ranked
    by score: the comparison at equal recall."""
    uni = set(universe)
    found = {k for k in fd.score if k[0] in uni and k[1] in uni}
    p, r, f, tp = prf(found, truth)
    rows = [("pairs found", str(len(found))),
            ("truth pairs found", f"{tp} of {len(truth)}"),
            ("pairwise precision", f4(p)), ("pairwise recall", f4(r)),
            ("pairwise F1", f4(f))]
    bf, cut = best_cut(fd, found, truth)
    rows.append(("best pairwise F1 over score cut-offs (cut-off)",
                 DASH if cut is None else f"{bf:.4f} (>= {cut:.4f})"))
    if truth_lab is not None:
        rows.append(("B-cubed F1", f4(bcubed(universe, found, truth_lab))))
        if fd.clusters is not None:
            rows.append(("B-cubed F1 of trace's own clusters",
                         f4(own_bcubed(fd, universe, truth_lab))))
    pos = [fd.rank(k) for k in sorted(truth)]
    neg = [fd.rank(k) for k in negs]
    rows.append(("ROC AUC of the score", f4(auc(pos, neg))))
    if target is not None:
        if fd is target[1]:
            cell = cell2 = "(its own)"
        else:
            a = at_recall(fd, universe, truth, target[0], cross)
            cell = DASH if a is None else f"{f4(a[0])} ({a[1]} pairs)"
            cell2 = DASH if a is None else str(a[2])
        rows.append((f"precision at the baseline's recall, ranked by score",
                     cell))
        if cross is not None:
            rows.append(("false links at the baseline's recall, ranked by "
                         "score", cell2))
    return rows, found


def cross_verse(fd, a, b, linked=True):
    """aligned span pairs (span in a, span in b) of a pair the tool found
    (linked=False: trace's passages whether or not it links the pair):
    the baseline's two whole records; trace's member spans of a and b in
    each non-boilerplate passage that has both"""
    if key(a, b) not in fd.score and (linked or fd.whole is not None):
        return []
    if fd.whole is not None:
        return [([[0, fd.whole.get(a, 0)]], [[0, fd.whole.get(b, 0)]])]
    both = sorted(set(fd.rp.get(a, ())) & set(fd.rp.get(b, ())))
    return [(fd.pm[i][a], fd.pm[i][b]) for i in both]


# ---------------------------------------------------------- byte offsets

class Bytes:
    """char offset -> byte offset of the UTF-8 text (trace spans are bytes)"""

    def __init__(self, texts):
        self.texts = texts
        self.cache = {}

    def __call__(self, rec, c):
        t = self.texts[rec]
        if t.isascii():
            return c
        tab = self.cache.get(rec)
        if tab is None:
            tab = [0]
            n = 0
            for ch in t:
                n += len(ch.encode("utf-8"))
                tab.append(n)
            self.cache[rec] = tab
        return tab[c]


# ------------------------------------------------------------------- sets

def set_reuters(data, recs, tools):
    ids = open(os.path.join(data, "body500-ids.txt")).read().split()
    uni = set(ids)
    truth_rows = [json.loads(x) for x in
                  open(os.path.join(data, "near-dup-pairs-body500-j05.jsonl"))
                  if x.strip()]
    truth_rows = [t for t in truth_rows if t["a"] in uni and t["b"] in uni]
    truth = {key(t["a"], t["b"]) for t in truth_rows}
    earlier = {}
    for t in truth_rows:
        if t["date_a"] != t["date_b"]:
            earlier[key(t["a"], t["b"])] = (t["a"] if t["date_a"] < t["date_b"]
                                            else t["b"])
    truth_lab = components(ids, truth)
    negs = sample_pairs(ids, ids, max(len(truth), MIN_NEG),
                        lambda k: k in truth)
    out = []
    br = baseline_recall(tools, ids, truth)
    tgt = None if br is None else (br, tools[-1][1])
    for name, fd in tools:
        if fd is None:
            out.append(None)
            continue
        rows, found = common(fd, ids, truth, truth_lab, negs, tgt)
        rows.append(("direction right / wrong / undetermined (accuracy)",
                     DASH if fd.whole is not None else dir_cell(
                         dir_count(fd, earlier, earlier.get))))
        out.append(rows)
    head = (f"Universe: the {len(ids):,} stories of body500-ids.txt (trace "
            f"and dedup read all 21,578; pairs with an end outside body500 "
            f"are dropped). Truth: the {len(truth)} pairs of "
            f"near-dup-pairs-body500-j05.jsonl (exhaustive word 5-gram "
            f"Jaccard >= 0.5), so a found pair sharing less is counted "
            f"wrong by pairwise precision. B-cubed: truth clusters are the "
            f"connected components of the truth pairs (singletons for the "
            f"rest). Direction: the {len(earlier)} truth pairs with different "
            f"timestamps, the earlier story is the original.")
    return out, head


def set_eebo(data, recs, tools):
    texts = {r["id"]: r["text"] for r in recs}
    year = {r["id"]: r.get("year_guess") for r in recs}
    books = sorted(r["id"] for r in recs if r.get("source") != "kjv")
    kjv = sorted(r["id"] for r in recs if r.get("source") == "kjv")
    bset, kset = set(books), set(kjv)
    tb = Bytes(texts)
    rows = [json.loads(x) for x in open(os.path.join(data, "truth.jsonl"))
            if x.strip()]
    spans = []   # (book rec, b0, b1, [(kjv rec, k0, k1)])
    truth = set()
    for t in rows:
        brec, b0, b1 = t["book_spans"][0]
        ks = [(kr, tb(kr, k0), tb(kr, k1)) for kr, k0, k1 in t["kjv_spans"]]
        spans.append((brec, tb(brec, b0), tb(brec, b1), ks))
        for kr, _, _ in ks:
            truth.add(key(brec, kr))
    negs = sample_pairs(books, kjv, max(len(truth), MIN_NEG),
                        lambda k: k in truth)
    universe = books + kjv
    book_of = {k: (k[0] if k[0] in bset else k[1]) for k in truth}
    kjv_of = {k: (k[0] if k[0] in kset else k[1]) for k in truth}
    post = {k for k in truth if isinstance(year[book_of[k]], int)
            and year[book_of[k]] > 1611}
    pre = {k for k in truth if isinstance(year[book_of[k]], int)
           and year[book_of[k]] < 1611}
    out = []
    br = baseline_recall(tools, universe, truth)
    tgt = None if br is None else (br, tools[-1][1])
    for name, fd in tools:
        if fd is None:
            out.append(None)
            continue
        r, found = common(fd, universe, truth, None, negs, tgt)
        bk = {k for k in found if (k[0] in bset) != (k[1] in bset)}
        bb = sum(1 for k in found if k[0] in bset and k[1] in bset)
        kk = sum(1 for k in found if k[0] in kset and k[1] in kset)
        tp = len(bk & truth)
        prec = tp / len(bk) if bk else None
        rec = tp / len(truth)
        f1 = 2 * prec * rec / (prec + rec) if prec and rec else 0.0
        r = [x for x in r if x[0] not in (
            "pairwise precision", "pairwise F1",
            "best pairwise F1 over score cut-offs (cut-off)")]
        r.insert(2, ("book-KJV pairs found: in truth / unknown",
                     f"{tp} / {len(bk) - tp}"))
        r.insert(3, ("book-book / KJV-KJV pairs found", f"{bb} / {kk}"))
        r.insert(4, ("pairwise precision, lower bound (book-KJV)", f4(prec)))
        r.insert(6, ("pairwise F1 (lower-bound precision)", f4(f1)))
        hit = touch = onlink = 0
        for brec, b0, b1, ks in spans:
            best = 0   # 2: half the book span, 1: any of it
            linked = False
            for krec, k0, k1 in ks:
                for sb, sk in cross_verse(fd, brec, krec, False):
                    ob = overlap(sb, b0, b1)
                    if ob > 0 and overlap(sk, k0, k1) > 0:
                        half = 2 * ob >= b1 - b0
                        best = max(best, 2 if half else 1)
                        linked |= half and key(brec, krec) in fd.score
            hit += best == 2
            touch += best >= 1
            onlink += linked
        r.insert(0, ("truth spans found (half the book span)",
                     f"{hit} of {len(spans)} ({hit / len(spans):.4f})"))
        r.insert(1, ("truth spans overlapped at all",
                     f"{touch} of {len(spans)} ({touch / len(spans):.4f})"))
        r.insert(2, ("truth spans found whose pair the tool links",
                     f"{onlink} of {len(spans)} ({onlink / len(spans):.4f})"))
        if fd.whole is not None:
            r.append(("direction, books after 1611: right / wrong / "
                      "undetermined (accuracy)", DASH))
            r.append(("direction, books before 1611: KJV->book (wrong) / "
                      "book->KJV / undetermined", DASH))
        else:
            r.append(("direction, books after 1611: right / wrong / "
                      "undetermined (accuracy)",
                      dir_cell(dir_count(fd, post, kjv_of.get))))
            a, b, u = dir_count(fd, pre, kjv_of.get)
            r.append(("direction, books before 1611: KJV->book (wrong) / "
                      "book->KJV / undetermined", f"{a} / {b} / {u}"))
        out.append(r)
    nyear = len({book_of[k] for k in truth} - {book_of[k] for k in pre | post})
    head = (f"Universe: {len(books)} book records, {len(kjv)} KJV chapters. "
            f"Truth: {len(rows)} passim alignments, {len(truth)} (book record, "
            f"KJV chapter) pairs; a LOWER BOUND (passim n=5, minAlg=20). A truth "
            f"span is found when one non-boilerplate passage of trace has a "
            f"member in the book record overlapping at least half of the book "
            f"span and a member in one of its KJV chapter records overlapping "
            f"the KJV span (whether or not trace links the two records; the "
            f"row *whose pair the tool links* also asks for the link); for the "
            f"baseline when it found the pair (book record, KJV chapter), "
            f"taken to cover both whole records. "
            f"Pairwise precision counts only book-KJV pairs: those in "
            f"the truth over all book-KJV pairs found; the others are "
            f"\"unknown\" (real quotations passim did not list are among "
            f"them), so it is a lower bound; book-book and KJV-KJV pairs "
            f"(e.g. parallel passages inside the KJV) are counted apart and "
            f"not scored. AUC: unrelated pairs are sampled book-KJV pairs "
            f"outside the truth (some are real quotations). Direction on "
            f"found truth pairs by the book's year_guess: after 1611 the KJV "
            f"is the source ({len(post)} pairs); before 1611 ({len(pre)} "
            f"pairs) the book quotes an earlier translation, so KJV->book is "
            f"wrong; {nyear} book records with truth pairs have no year_guess (or "
            f"1611) and are not scored. Spans *overlapped at all*: the same "
            f"with any overlap of the book span. "
            f"No truth clusters: no B-cubed.")
    return out, head


def set_usenet(data, recs, tools):
    universe = sorted(r["id"] for r in recs)
    text = {r["id"]: r["text"] for r in recs}
    rows = read_jsonl(os.path.join(data, "truth-replies.jsonl.zst"))
    truth = {key(t["reply"], t["ancestor"]) for t in rows}
    anc = {key(t["reply"], t["ancestor"]): t["ancestor"] for t in rows}
    direct = {key(t["reply"], t["ancestor"]) for t in rows if t["direct"]}
    quoted = {key(t["reply"], t["ancestor"]) for t in rows if t["direct"]
              and re.search(r"(?m)^[ \t]*>", text.get(t["reply"], ""))}
    thread = {}
    for t in read_jsonl(os.path.join(data, "truth-threads.jsonl")):
        for m in t["members"]:
            thread[m] = t["thread"]
    lab = {x: thread.get(x, x) for x in universe}
    negs = sample_pairs(universe, universe, max(len(truth), MIN_NEG),
                        lambda k: lab[k[0]] == lab[k[1]])
    out = []
    br = baseline_recall(tools, universe, truth)
    tgt = None if br is None else (br, tools[-1][1])
    for name, fd in tools:
        if fd is None:
            out.append(None)
            continue
        r, found = common(fd, universe, truth, lab, negs, tgt, lab)
        cross = sum(1 for k in found if lab[k[0]] != lab[k[1]])
        same = sum(1 for k in found if lab[k[0]] == lab[k[1]]
                   and k not in truth)
        for name2, sub in (("recall, direct replies", direct),
                           ("recall, direct replies quoting with >", quoted)):
            n = len(sub & found)
            r.append((name2, f"{n} of {len(sub)} ({n / len(sub):.4f})"))
        r.append(("found pairs in one thread, not reply-ancestor", str(same)))
        r.append(("false links: found pairs across threads (share)",
                  f"{cross} ({cross / len(found):.4f})" if found else "0"))
        r.append(("direction right / wrong / undetermined (accuracy)",
                  DASH if fd.whole is not None else dir_cell(dir_count(fd, truth, anc.get))))
        out.append(r)
    head = (f"Universe: {len(universe):,} posts. Truth pairs: {len(truth):,} "
            f"reply-ancestor pairs from References/In-Reply-To "
            f"({len(direct):,} direct; {len(quoted):,} direct ones whose reply "
            f"has a line starting with `>`). Replies that quote nothing cap "
            f"recall; reposts, FAQs and signatures are real reuse outside the "
            f"truth, so pairwise precision is a lower bound. B-cubed: truth "
            f"clusters are the {len(set(thread.values())):,} threads, a post "
            f"in none its own cluster. AUC: unrelated pairs are sampled pairs "
            f"of posts in different threads. False links: found pairs whose "
            f"posts are in different threads. Direction on found truth pairs: "
            f"the ancestor is the source.")
    return out, head


def set_webis(data, recs, tools):
    universe = sorted(r["id"] for r in recs)
    rows = [json.loads(x) for x in open(os.path.join(data, "truth.jsonl"))
            if x.strip()]
    op = {key(t["original"], t["paraphrase"]) for t in rows}
    yes = {key(t["original"], t["paraphrase"]) for t in rows
           if t["label"] == "Yes"}
    no = op - yes
    orig = {key(t["original"], t["paraphrase"]): t["original"] for t in rows}
    lab = {x: x for x in universe}
    for t in rows:
        lab[t["paraphrase"]] = t["original"]
    groups = collections.defaultdict(list)
    for x in universe:
        groups[lab[x]].append(x)
    truth = set()
    for g in groups.values():
        for i, a in enumerate(g):
            for b in g[i + 1:]:
                truth.add(key(a, b))
    negs = sample_pairs(universe, universe, max(len(op), MIN_NEG),
                        lambda k: lab[k[0]] == lab[k[1]])
    out = []
    br = baseline_recall(tools, universe, truth)
    tgt = None if br is None else (br, tools[-1][1])
    for name, fd in tools:
        if fd is None:
            out.append(None)
            continue
        r, found = common(fd, universe, truth, lab, negs, tgt)
        r = [x for x in r if x[0] != "ROC AUC of the score"]
        nyes = [fd.rank(k) for k in negs]
        r.append(("ROC AUC, original-rewrite pairs",
                  f4(auc([fd.rank(k) for k in sorted(op)], nyes))))
        r.append(("ROC AUC, Yes pairs only",
                  f4(auc([fd.rank(k) for k in sorted(yes)], nyes))))
        for name2, sub in (("recall, original-rewrite pairs", op),
                           ("recall, Yes (paraphrase) pairs", yes),
                           ("recall, No pairs", no)):
            n = len(sub & found)
            r.append((name2, f"{n} of {len(sub)} ({n / len(sub):.4f})"))
        r.append(("direction original->rewrite: right / wrong / "
                  "undetermined (accuracy)",
                  DASH if fd.whole is not None else dir_cell(dir_count(fd, op, orig.get))))
        out.append(r)
    head = (f"Universe: {len(universe):,} records ({len(groups)} originals "
            f"with their rewrites). Truth pairs for pairwise and B-cubed: "
            f"every pair inside a group (original-rewrite and rewrite-rewrite "
            f"of one original, {len(truth):,}); clusters: the groups. AUC "
            f"and the recall rows use the {len(op)} original-rewrite pairs "
            f"of truth.jsonl ({len(yes)} judged Yes, {len(no)} No; No pairs "
            f"are often near-copies, Yes ones real paraphrases); unrelated "
            f"pairs are sampled across groups. No dates: direction is "
            f"original->rewrite by construction.")
    return out, head


def set_bible(data, recs, tools):
    universe = sorted(r["id"] for r in recs)
    texts = {r["id"]: r["text"] for r in recs}
    tb = Bytes(texts)
    lab = {x: x for x in universe}
    truth = set()
    for u in (json.loads(x) for x in
              open(os.path.join(data, "truth-chapters.jsonl")) if x.strip()):
        for i, a in enumerate(u["records"]):
            lab[a] = u["unit"]
            for b in u["records"][i + 1:]:
                truth.add(key(a, b))
    where = {}                       # (record, ref) -> (b0, b1) bytes
    vpairs = collections.defaultdict(list)   # (a, b) a<b -> [(va, vb)]
    for v in read_jsonl(os.path.join(data, "truth-verses.jsonl.zst")):
        sp = sorted((rec, tb(rec, c0), tb(rec, c1))
                    for rec, c0, c1 in v["spans"])
        for rec, b0, b1 in sp:
            where[(rec, v["ref"])] = (b0, b1)
        for i, (a, a0, a1) in enumerate(sp):
            for b, b0, b1 in sp[i + 1:]:
                if a != b:
                    vpairs[(a, b)].append(((a0, a1), (b0, b1)))
    nv = sum(len(x) for x in vpairs.values())
    verses = {}                      # record -> [(ref, b0, b1)]
    for r in recs:
        verses[r["id"]] = [(f'{r["book"]}.{r["chapter"]}.{v}',
                            tb(r["id"], c0), tb(r["id"], c1))
                           for v, c0, c1 in r["verses"]]
    negs = sample_pairs(universe, universe, max(len(truth), MIN_NEG),
                        lambda k: lab[k[0]] == lab[k[1]])
    out = []
    br = baseline_recall(tools, universe, truth)
    tgt = None if br is None else (br, tools[-1][1])
    for name, fd in tools:
        if fd is None:
            out.append(None)
            continue
        r, found = common(fd, universe, truth, lab, negs, tgt)
        hit = 0
        for (a, b), lst in vpairs.items():
            al = cross_verse(fd, a, b)
            if not al:
                continue
            for (a0, a1), (b0, b1) in lst:
                for sa, sb in al:
                    if overlap(sa, a0, a1) > 0 and overlap(sb, b0, b1) > 0:
                        hit += 1
                        break
        num = den = 0
        for a, b in sorted(fd.score):
            for sa, sb in cross_verse(fd, a, b):
                for x, sx, y, sy in ((a, sa, b, sb), (b, sb, a, sa)):
                    for ref, v0, v1 in verses.get(x, ()):
                        ov = overlap(sx, v0, v1)
                        if not ov:
                            continue
                        den += ov
                        cp = where.get((y, ref))
                        if cp and where.get((x, ref)) and \
                                overlap(sy, cp[0], cp[1]) > 0:
                            num += ov
        r.append(("verse pairs found (verse recall)",
                  f"{hit} of {nv} ({hit / nv:.4f})"))
        r.append(("verse precision (aligned verse bytes)",
                  f4(num / den if den else None)))
        out.append(r)
    head = (f"Universe: {len(universe):,} chapter records. Chapter level: "
            f"truth pairs are the {len(truth):,} pairs of records of one unit "
            f"of truth-chapters.jsonl (clusters: the units, records in none "
            f"are singletons); AUC: unrelated pairs are sampled pairs of "
            f"different units. Verse level: *aligned span pairs* exist only "
            f"for a pair (A, B) the tool found: for trace, A's and B's member "
            f"spans in each non-boilerplate passage that has both (a passage "
            f"may hold many records, so these spans are A's and B's reused "
            f"text there, not necessarily aligned with each other), for the "
            f"baseline the two whole records. Verse recall: a "
            f"truth verse pair (A's and B's spans of one ref, all {nv:,} pairs "
            f"of truth-verses) is found when one aligned span pair of A and B "
            f"overlaps both verse spans (at least a byte each). Verse "
            f"precision: of the bytes of verses covered by aligned spans "
            f"(both sides), the share lying in a verse whose same-ref "
            f"counterpart in the other record overlaps the other span. "
            f"JPS keeps Hebrew versification, so some JPS-Noyes verse truth is "
            f"wrong. Direction is not scored: later translations were made "
            f"from the Greek/Hebrew, not copied (OEBcth = OEB respelt, same "
            f"year).")
    return out, head


HANDLERS = {"reuters": set_reuters, "eebo": set_eebo, "usenet": set_usenet,
            "webis": set_webis, "bible": set_bible}


# ------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reprint", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--sets", default=",".join(ALL_SETS))
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("--heading",
                    default="## Reuse on real sets with ground truth")
    a = ap.parse_args()
    sets = [s for s in a.sets.split(",") if s]
    for s in sets:
        if s not in SPEC:
            ap.error(f"unknown set {s!r} (known: {', '.join(ALL_SETS)})")
    os.makedirs(a.work, exist_ok=True)
    threads = trace_has_threads(a.reprint)
    timing = []
    if a.heading:
        print(a.heading)
        print()
    print(f"Command: `python3 bench/real-sets.py --reprint {a.reprint} "
          f"--data {a.data} --work W --sets {','.join(sets)} --timeout "
          f"{a.timeout:.0f}`. Per set, `reprint trace` (as given, and on a "
          f"copy with every date-like field removed: "
          f"{', '.join(DATE_FIELDS)}) against the baseline `reprint dedup "
          f"{' '.join(BASE_OPTS)} --pairs` (document pairs at word "
          f"3-shingle Jaccard >= 0.2; score: the exact Jaccard; no "
          f"direction), scored the same way; runs one after another, each "
          f"killed after {a.timeout:.0f} s.")
    print()
    print("Measures used in every table: *pairs found*: distinct document "
          "pairs the tool links (trace: its top-level `links` with "
          "`\"reuse\": true` when present, those with `\"reuse\": false` "
          "(`related`) being ranked by the AUC only; else both ends of every copy edge of every non-boilerplate "
          "passage; baseline: the `--pairs` lines). Pairwise precision = "
          "found pairs in the truth / found pairs; recall = truth pairs "
          "found / truth pairs; F1 their harmonic mean; *best pairwise F1 "
          "over score cut-offs*: the same keeping only found pairs whose "
          "score is >= a cut-off, at the cut-off that maximises it (tuned on "
          "the truth: an upper bound, shows how well the score ranks). "
          "B-cubed F1: the "
          "found pairs' connected components over the set's universe (a "
          "record linked to nothing is a singleton) against the truth "
          "clusters. ROC AUC: the tool's graded score (trace: link `score`, "
          "related links included, "
          "else the pair's highest edge similarity; baseline: Jaccard; 0 "
          f"for a pair not linked) on the truth pairs against max(truth "
          f"pairs, {MIN_NEG}) unrelated pairs drawn with seed {SEED}; ties "
          "count half. Direction on the found truth pairs: right / wrong / "
          "undetermined, accuracy = right / (right + wrong) (trace's edges: "
          "the direction most determined edges of the pair give, a tie "
          "undetermined).")
    print()
    for s in sets:
        folder, fname, date_field, has_dates = SPEC[s]
        data = os.path.join(a.data, folder)
        src = os.path.join(data, fname)
        print(f"bench: {s}", file=sys.stderr)
        recs = read_jsonl(src)
        lengths = {r["id"]: len(r["text"].encode("utf-8")) for r in recs}
        mb = sum(lengths.values()) / 1e6
        w = os.path.join(a.work, s)
        os.makedirs(w, exist_ok=True)
        nodates = None
        if has_dates:
            nodates = os.path.join(w, f"{s}.nodates.jsonl")
            with open(nodates, "w", encoding="utf-8") as f:
                for r in recs:
                    f.write(json.dumps({k: v for k, v in r.items()
                                        if k not in DATE_FIELDS},
                                       ensure_ascii=False) + "\n")
        df = ["--date-field", date_field] if date_field else []
        runs = {}
        runs["trace"] = run([a.reprint, "trace", src, *df, "--json",
                             os.path.join(w, "trace.json")], a.timeout)
        if nodates and runs["trace"].status == "timeout":
            runs["trace_nd"] = Run([a.reprint, "trace", nodates, "--json",
                                    os.path.join(w, "trace-nodates.json")],
                                   "not run (trace with dates timed out)", 0)
        elif nodates:
            runs["trace_nd"] = run([a.reprint, "trace", nodates, "--json",
                                    os.path.join(w, "trace-nodates.json")],
                                   a.timeout)
        runs["dedup"] = run([a.reprint, "dedup", "-q", *BASE_OPTS, src, "-o",
                             "/dev/null"], a.timeout)
        runs["dedup_pairs"] = run([a.reprint, "dedup", "-q", *BASE_OPTS, src,
                                   "-o", "/dev/null",
                                   "--pairs", os.path.join(w, "pairs.jsonl")],
                                  a.timeout)
        if threads and runs["trace"].ok():
            for n in (1, 2):
                runs[f"t{n}"] = run([a.reprint, "trace", src, *df,
                                     "--threads", str(n), "--json",
                                     os.path.join(w, f"trace-t{n}.json")],
                                    a.timeout)
        tools = [
            ("trace", load_trace(os.path.join(w, "trace.json"))
             if runs["trace"].ok() else None),
            ("trace, dates removed",
             load_trace(os.path.join(w, "trace-nodates.json"))
             if nodates and runs["trace_nd"].ok() else None),
            ("dedup baseline",
             load_pairs(os.path.join(w, "pairs.jsonl"), lengths)
             if runs["dedup_pairs"].ok() else None),
        ]
        results, head = HANDLERS[s](data, recs, tools)
        print(f"### {s}: {folder}")
        print()
        print(f"{len(recs):,} records, {mb:.1f} MB of text. Commands "
              f"(wall seconds):")
        print()
        print("```")
        for r in runs.values():
            print(f"{shlex.join(r.cmd)}    # {r.cell()}"
                  + (f": {r.note}" if r.note else ""))
        print("```")
        print()
        cols = ["trace", "trace, dates removed", "dedup baseline"]
        keep = [0, 1, 2] if has_dates else [0, 2]
        cols = [cols[i] for i in keep]
        names = []
        for res in results:
            for m, _ in res or []:
                if m not in names:
                    names.append(m)
        print("| measure | " + " | ".join(cols) + " |")
        print("|---|" + "---:|" * len(cols))
        status = [runs["trace"], runs.get("trace_nd"), runs["dedup_pairs"]]
        for m in names:
            cells = []
            for i in keep:
                res = results[i]
                if res is None:
                    st = status[i]
                    cells.append("not run (no dates)" if st is None else
                                 st.cell() if st.status != "ok" else DASH)
                    continue
                cells.append(dict(res).get(m, DASH))
            print(f"| {m} | " + " | ".join(cells) + " |")
        print()
        print(head)
        notes = []
        for label, (name, fd) in zip(("trace", "trace, dates removed"),
                                     tools[:2]):
            if fd is not None:
                d, n = fd.dated
                notes.append(f"{label}: pairs from `{fd.basis}`, {d:,} of "
                             f"{n:,} documents dated"
                             + (", links by kind: " + ", ".join(
                                 f"{k} {v}" for k, v in sorted(fd.kinds.items()))
                                if fd.kinds else ""))
        if notes:
            print()
            print("Read: " + "; ".join(notes) + ".")
        print()
        timing.append((s, len(recs), mb, runs))

    print("### Wall time")
    print()
    print("Seconds of wall time; this script's runs go one after another, "
          "never two at once, but the machine may be shared, so read the "
          "ratios (timings are the only figures that change between runs). "
          "*trace / dedup*: trace's time over the baseline's without "
          "--pairs; *t1 / t2*: trace --threads 1 over --threads 2.")
    print()
    print("| set | records | MB | trace | trace, dates removed | dedup | "
          "dedup --pairs | trace / dedup | trace --threads 1 | "
          "trace --threads 2 | t1 / t2 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for s, n, mb, runs in timing:
        tr, dd = runs["trace"], runs["dedup"]
        nd = runs.get("trace_nd")
        ratio = (f"{tr.seconds / dd.seconds:.1f}x"
                 if tr.ok() and dd.ok() and dd.seconds > 0 else DASH)
        if not threads:
            t1 = t2 = tt = "no --threads in trace"
        elif "t1" not in runs:
            t1 = t2 = tt = "not run (trace " + tr.status + ")"
        else:
            t1, t2 = runs["t1"].cell(), runs["t2"].cell()
            tt = (f"{runs['t1'].seconds / runs['t2'].seconds:.2f}"
                  if runs["t1"].ok() and runs["t2"].ok() else DASH)
        print(f"| {s} | {n:,} | {mb:.1f} | {tr.cell()} | "
              f"{nd.cell() if nd else DASH} | {dd.cell()} | "
              f"{runs['dedup_pairs'].cell()} | {ratio} | {t1} | {t2} | {tt} |")
    print()


if __name__ == "__main__":
    main()
