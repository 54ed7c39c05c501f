#!/usr/bin/env python3
"""Generate a news-like corpus with known reuse, and its ground truth.

    tools/gen-corpus.py --size 10M --seed 1 -o corpus.jsonl[.zst] [--truth DIR]
                        [--jobs N]

Deterministic: the same --seed and --size give the same bytes, whatever
--jobs. The corpus is made of fixed blocks of 64 MiB, each generated from
its own seed (seed, block) by one of N worker processes and appended in
block order; ids and story numbers of block k start at k * 1,000,000 + 1.

Articles are paragraphs of sentences of words drawn from a Zipf
distribution (s = 1.1) over a real word list (Debian's wamerican,
/usr/share/dict/words, in a seeded random rank order; --words FILE to use
another). Each story starts as an original from one outlet; copies follow a
copy tree (each copy takes from the original or from an earlier copy):

  verbatim   the whole text, the copying outlet's footer instead
  near       the whole text with words substituted, dropped or inserted at
             a set rate (2, 5, 10 or 20 %)
  para       one to three paragraphs of the source, each verbatim or
             rewritten at 30 %, inside new text of the copy's own

With --ocr RATE every text is damaged as OCR damages print (look-alike
characters, split and joined words, line-break hyphens) after the truth is
taken, from a generator of its own: the same seed gives the same corpus
with and without noise, but for the noise.

Originals may carry quotes (“…,” NAME said.); whole copies keep them
(edited at the copy's rate), paragraph copies re-quote them verbatim, trim
them (an excerpt) or "translate" them (40 % of the words replaced by fixed
synonyms). Every outlet has a footer (boilerplate) and some add page junk.
Dates: copies appear 1 hour to 4 days after their source; dates come as
RFC 3339 with varied time zones, date-only, or missing (5 %); 2 % of copies
are wrongly dated (before their source). Truth files (JSON Lines) in DIR:

  docs.jsonl         id, story, outlet, kind, source, edit_rate, true_date
                     (UTC seconds), dated (false when missing or wrong)
  pairs.jsonl        document pairs of one story with word 5-gram Jaccard
                     >= 0.3, exact, computed here over lower-cased \\w+
                     tokens (reprint's normalisation on this ASCII text)
  edges.jsonl        copy edges: from (source) -> to, kind
  paragraphs.jsonl   reused paragraphs: (doc, para) -> (doc, para), verbatim
                     or rewritten
  para_pairs.jsonl   paragraph pairs of one story's different documents
                     with 5-gram Jaccard >= 0.3, exact as for pairs.jsonl
                     (a, a_para, b, b_para, jaccard; paragraphs numbered
                     from 0 as split at blank lines; footers and junk are
                     left out: docs.jsonl lists them as "boilerplate")
  quotes.jsonl       per quote cluster: speaker and members (doc, variant)
"""
import argparse
import itertools
import json
import os
import random
import re
import multiprocessing
import subprocess
import sys
import types
import zlib

import gen_real

TZS = ["Z", "+00:00", "+01:00", "-05:00", "+03:30", "+09:00", "-08:00"]
FIRST = ["Ann", "Omar", "Li", "Maria", "John", "Aisha", "Pavel", "Sara",
         "Kenji", "Elena", "David", "Fatima", "Tom", "Nadia", "Ravi"]
LAST = ["Lee", "Haddad", "Chen", "Diaz", "Smith", "Rahman", "Novak", "Berg",
        "Sato", "Rossi", "Cohen", "Okafor", "Moss", "Petrov", "Iyer"]


def parse_size(s):
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([KMG]?)", s.upper())
    if not m:
        raise SystemExit(f"gen-corpus: bad size {s!r} (e.g. 10M, 1G)")
    return int(float(m.group(1)) * {"": 1, "K": 1 << 10, "M": 1 << 20,
                                    "G": 1 << 30}[m.group(2)])


def vocabulary(path, rng):
    words = []
    if path and os.path.exists(path):
        with open(path, encoding="utf-8", errors="replace") as f:
            words = sorted({w.strip().lower() for w in f
                            if re.fullmatch(r"[A-Za-z]{2,12}", w.strip())})
    if len(words) < 5000:  # no word list: pronounceable made-up words
        syl = [a + b for a in "bcdfghklmnprstvz" for b in "aeiou"]
        words = sorted({"".join(rng.choice(syl) for _ in range(rng.randint(1, 4)))
                        for _ in range(40000)})
    rng.shuffle(words)  # a seeded rank order
    weights = [1.0 / (r + 1) ** 1.1 for r in range(len(words))]
    return words, list(itertools.accumulate(weights))


BLOCK = 64 << 20          # bytes of corpus per block (fixed: determinism)
IDS_PER_BLOCK = 1000000   # ids and stories of block k start at k * this + 1
STORY_GAP = 300           # seconds between the originals of a block
T0 = 1704067200           # 2024-01-01T00:00:00Z


# --real: the extra kinds' shares (tools/gen_real.py)
REAL_SHARES = {"wire": 0.01, "replies": 0.05, "paraphrase": 0.05,
               "long": 0.005}


class Shared:
    """What every block shares: vocabulary, outlets, footers, junk."""

    def __init__(self, a):
        rng = random.Random(a.seed)
        self.seed = a.seed
        self.words, self.cum = vocabulary(a.words, rng)
        self.outlets = [f"outlet{i:02d}.example" for i in range(a.outlets)]
        g = Gen(self, rng)
        self.footer = {o: g.sentence(rng.randint(14, 22)) for o in self.outlets}
        self.junk = {o: ("Error! Error occurred!" if rng.random() < 0.3 else "")
                     for o in self.outlets}


class Gen:
    def __init__(self, shared, rng):
        self.rng = rng
        self.sh = shared
        self.words = shared.words
        self.cum = shared.cum

    def draw(self, n):
        return self.rng.choices(self.words, cum_weights=self.cum, k=n)

    def sentence(self, n):
        w = self.draw(n)
        w[0] = w[0].capitalize()
        return " ".join(w) + "."

    def paragraph(self):
        return " ".join(self.sentence(self.rng.randint(8, 24))
                        for _ in range(self.rng.randint(2, 5)))

    def synonym(self, w):
        """the fixed "translation" of a word, the same in every block"""
        h = zlib.crc32(f"{self.sh.seed}:{w}".encode())
        return self.words[h % len(self.words)]

    def edit(self, text, rate):
        """substitute, drop or insert words at `rate`"""
        out = []
        r = self.rng
        for w in text.split(" "):
            x = r.random()
            if x >= rate:
                out.append(w)
            elif x < rate / 3:
                out.append(self.draw(1)[0])
            elif x < 2 * rate / 3:
                continue
            else:
                out.append(w)
                out.append(self.draw(1)[0])
        return " ".join(out) if out else text


def fmt_date(rng, t, precision):
    import datetime as dt
    if precision == "none":
        return None
    tz = rng.choice(TZS)
    off = 0 if tz in ("Z", "+00:00") else (1 if tz[0] == "+" else -1) * (
        int(tz[1:3]) * 3600 + int(tz[4:6]) * 60)
    local = dt.datetime.fromtimestamp(t + off, dt.timezone.utc)
    if precision == "day":
        return local.strftime("%Y-%m-%d")
    return local.strftime("%Y-%m-%dT%H:%M:%S") + tz


def shingles(text):
    """the set of word 5-grams of lower-cased \\w+ tokens"""
    t = re.findall(r"\w+", text.lower())
    if len(t) < 5:
        return {tuple(t)} if t else set()
    return set(zip(t, t[1:], t[2:], t[3:], t[4:]))


TRUTH = ("docs", "pairs", "edges", "paragraphs", "para_pairs", "quotes",
         "clusters", "excerpts")
SHARED = None  # set before the workers fork


def jaccard(a, b):
    if a.isdisjoint(b):
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def doc_truth(t, v, story, dated, nbody):
    """one document's truth: the document, its copy edge, its reused
    paragraphs; records it in its quotes' clusters"""
    t["docs"].write(json.dumps({
        "id": v["id"], "story": story, "outlet": v["outlet"],
        "kind": v["kind"], "source": v["source"]["id"]
        if v["source"] else None, "edit_rate": v["rate"],
        "true_date": v["t"], "dated": dated,
        "boilerplate": list(range(len(v["paras"]), nbody))}) + "\n")
    if v["source"] is not None:
        t["edges"].write(json.dumps({"from": v["source"]["id"],
                                     "to": v["id"], "kind": v["kind"]})
                         + "\n")
    for i, p, how in v["para_src"] or []:
        t["paragraphs"].write(json.dumps({
            "from": v["source"]["id"], "from_para": i,
            "to": v["id"], "to_para": v["paras"].index(p),
            "how": how}) + "\n")
    for q, how in v["quotes"]:
        q["members"].append([v["id"], how])


def story_truth(t, versions, quotes):
    """exact Jaccard (>= 0.3) of a story's document and paragraph pairs
    (paragraphs compared only in documents that share a shingle); quote
    clusters"""
    sh = [shingles(v["text"]) for v in versions]
    psh = [[shingles(p) for p in v["paras"]] for v in versions]
    for i in range(len(versions)):
        for k in range(i + 1, len(versions)):
            j = jaccard(sh[i], sh[k])
            if j == 0.0:
                continue
            a, b = versions[i]["id"], versions[k]["id"]
            if j >= 0.3:
                t["pairs"].write(json.dumps({"a": a, "b": b,
                                             "jaccard": round(j, 6)}) + "\n")
            for x, pa in enumerate(psh[i]):
                for y, pb in enumerate(psh[k]):
                    j = jaccard(pa, pb)
                    if j >= 0.3:
                        t["para_pairs"].write(json.dumps({
                            "a": a, "a_para": x, "b": b, "b_para": y,
                            "jaccard": round(j, 6)}) + "\n")
    for q in quotes:
        if len(q["members"]) > 1:
            t["quotes"].write(json.dumps({"speaker": q["speaker"],
                                          "members": q["members"]}) + "\n")


# characters OCR confuses, both ways
LOOKALIKE = {"e": "c", "c": "e", "l": "1", "i": "l", "o": "0", "h": "b",
             "b": "h", "u": "n", "n": "u", "a": "o", "s": "5", "t": "f",
             "f": "t", "m": "rn", "d": "cl", "g": "q", "r": "t"}


def ocr_noise(text, rate, rng):
    """OCR-style damage: per word, with probability `rate`, one character
    read as a look-alike ("rn" for "m", "1" for "l"); a tenth of those
    split the word with a space, a tenth join it to the next; a word of 7
    letters or more is broken across lines with a hyphen ("ver-\ny") with
    probability rate / 2. Blank lines (paragraphs) stay."""
    out = []
    for line in text.split("\n"):
        words = line.split(" ")
        res = []
        i = 0
        while i < len(words):
            w = words[i]
            if w and rng.random() < rate:
                x = rng.random()
                if x < 0.1 and len(w) > 3:
                    c = rng.randint(1, len(w) - 1)
                    w = w[:c] + " " + w[c:]
                elif x < 0.2 and i + 1 < len(words):
                    w = w + words[i + 1]
                    i += 1
                else:
                    spots = [j for j, ch in enumerate(w) if ch in LOOKALIKE]
                    if spots:
                        j = rng.choice(spots)
                        w = w[:j] + LOOKALIKE[w[j]] + w[j + 1:]
            if len(w) >= 7 and w.isalpha() and rng.random() < rate / 2:
                c = rng.randint(3, len(w) - 3)
                w = w[:c] + "-\n" + w[c:]
            res.append(w)
            i += 1
        out.append(" ".join(res))
    return "\n".join(out)


def put(a, out, k, story, v, fields=None):
    """write version v as a record; returns its bytes"""
    rec = {"id": v["id"]}
    if v.get("url", True):  # posts to a list or group have none
        rec["url"] = f"https://www.{v['outlet']}/{story}/{v['id']}"
    if v["date"]:
        rec["date"] = v["date"]
    rec.update(fields or {})
    rec["text"] = v["text"]
    if a.ocr > 0:
        # its own generator: the corpus is the same with or without
        # noise, but for the noise
        rec["text"] = ocr_noise(v["text"], a.ocr,
                                random.Random(f"{a.seed}:{k}:ocr:{v['id']}"))
    line = (json.dumps(rec, ensure_ascii=False) + "\n").encode()
    out.write(line)
    return len(line)


def gen_block(job):
    """write block k of the corpus and its truth to DIR/k.NAME"""
    a, k, limit, work = job
    g = Gen(SHARED, random.Random(f"{a.seed}:{k}"))
    r = g.rng
    out = open(os.path.join(work, f"{k}.corpus"), "wb")
    t = {name: open(os.path.join(work, f"{k}.{name}"), "w")
         for name in TRUTH} if a.truth else None
    written = 0
    real = gen_real.Real(a, SHARED, k, types.SimpleNamespace(
        Gen=Gen, fmt_date=fmt_date, FIRST=FIRST, LAST=LAST)) \
        if a.wire or a.replies or a.paraphrase or a.long else None
    n = k * IDS_PER_BLOCK
    story = k * IDS_PER_BLOCK
    tstart = T0 + k * (IDS_PER_BLOCK // 80) * STORY_GAP
    while written < limit:
        story += 1
        # the original
        outlet = r.choice(SHARED.outlets)
        paras = [g.paragraph() for _ in range(r.randint(3, 10))]
        quotes = []
        for _ in range(r.choice([0, 0, 1, 1, 2])):
            words = g.draw(r.randint(12, 30))
            speaker = f"{r.choice(FIRST)} {r.choice(LAST)}"
            q = {"words": words, "speaker": speaker, "members": []}
            quotes.append(q)
            paras.insert(r.randint(1, len(paras)),
                         f"\u201c{' '.join(words).capitalize()},\u201d "
                         f"{speaker} said.")
        versions = [{"id": None, "paras": paras, "t": tstart +
                     (story % IDS_PER_BLOCK) * STORY_GAP + r.randint(0, 280),
                     "outlet": outlet, "quotes":
                     [(q, "original") for q in quotes], "kind": "original",
                     "source": None, "rate": 0.0, "para_src": None}]
        # copies per story: geometric, mean share / (1 - share)
        stop = 1 - a.copy_share
        ncopies = 0
        while ncopies < 20 and r.random() > stop:
            ncopies += 1
        for _ in range(ncopies):
            src = r.choice(versions)
            kind = r.choice(["verbatim", "near", "near", "para", "para"])
            c = {"outlet": r.choice(SHARED.outlets), "t": src["t"] +
                 r.randint(3600, 4 * 86400), "kind": kind, "source": src,
                 "rate": 0.0, "quotes": [], "para_src": None}
            if kind == "verbatim":
                c["paras"] = list(src["paras"])
                c["quotes"] = [(q, "verbatim") for q, _ in src["quotes"]]
            elif kind == "near":
                c["rate"] = r.choice([0.02, 0.05, 0.1, 0.2])
                c["paras"] = [g.edit(p, c["rate"]) for p in src["paras"]]
                c["quotes"] = [(q, "edited") for q, _ in src["quotes"]]
            else:
                take = sorted(r.sample(range(len(src["paras"])),
                                       min(len(src["paras"]), r.randint(1, 3))))
                own = [g.paragraph() for _ in range(r.randint(2, 6))]
                c["para_src"] = []
                for i in take:
                    how = r.choice(["verbatim", "rewritten"])
                    p = src["paras"][i]
                    if how == "rewritten":
                        p = g.edit(p, 0.3)
                    pos = r.randint(0, len(own))
                    own.insert(pos, p)
                    c["para_src"].append((i, p, how))
                c["paras"] = own
                # quotes: some copies re-quote the source's quotes
                for q, _ in src["quotes"]:
                    v = r.choice(["verbatim", "excerpt", "translated"])
                    w = q["words"]
                    if v == "excerpt":
                        s = r.randint(0, len(w) // 3)
                        w = w[s:s + max(8, 2 * len(w) // 3)]
                    elif v == "translated":
                        w = [g.synonym(x) if r.random() < 0.4 else x for x in w]
                    c["paras"].insert(r.randint(1, len(c["paras"])),
                                      f"\u201c{' '.join(w).capitalize()},\u201d"
                                      f" {q['speaker'].split()[-1]} told "
                                      f"reporters.")
                    c["quotes"].append((q, v))
            versions.append(c)
        # write the story's versions
        for v in versions:
            n += 1
            v["id"] = f"d{n}"
            body = list(v["paras"])
            body.append(SHARED.footer[v["outlet"]])
            if SHARED.junk[v["outlet"]]:
                body.append(SHARED.junk[v["outlet"]])
            v["text"] = "\n\n".join(body)
            dated = True
            x = r.random()
            t_shown = v["t"]
            if x < 0.05:
                prec = "none"
                dated = False
            elif v["source"] is not None and x < 0.07:
                prec = "second"  # wrongly dated: before its source
                t_shown = v["source"]["t"] - r.randint(3600, 86400)
                dated = False
            else:
                prec = "day" if x < 0.25 else "second"
            v["date"] = fmt_date(r, t_shown, prec)
            written += put(a, out, k, story, v)
            if t:
                doc_truth(t, v, story, dated, len(body))
        if t:
            story_truth(t, versions, quotes)
        if real:
            real.remember(versions[0])
            for group in real.after_story(versions[0]["t"]):
                story += 1
                for v in group:
                    n += 1
                    v["id"] = f"d{n}"
                    written += put(a, out, k, story, v, v.get("fields"))
                if t:
                    real.truth(t, group, story)
    out.close()
    for f in (t or {}).values():
        f.close()
    return n - k * IDS_PER_BLOCK, story - k * IDS_PER_BLOCK, written


def main():
    global SHARED
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", default="10M")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--out", required=True)
    ap.add_argument("--truth", help="directory for the ground truth "
                    "(without it only the corpus is written, faster)")
    ap.add_argument("--words", default="/usr/share/dict/words")
    ap.add_argument("--ocr", type=float, default=0.0,
                    help="OCR noise: wrong characters per word (0.1 = one "
                         "in ten words), split/joined words, line-break "
                         "hyphens; the truth is the clean corpus's")
    ap.add_argument("--outlets", type=int, default=20)
    ap.add_argument("--copy-share", type=float, default=0.4,
                    help="share of documents that are copies")
    ap.add_argument("--wire", type=float, default=None, metavar="P",
                    help="after each news story, with probability P, a "
                         "wire story syndicated to many sites")
    ap.add_argument("--max-fanout", type=int, default=2000,
                    help="most copies of one wire story (default 2000)")
    ap.add_argument("--replies", type=float, default=None, metavar="P",
                    help="likewise a thread of posts quoting each other")
    ap.add_argument("--paraphrase", type=float, default=None, metavar="P",
                    help="likewise an article and rewrites of it")
    ap.add_argument("--long", type=float, default=None, metavar="P",
                    help="likewise a 30-300 KB report quoting articles")
    ap.add_argument("--real", action="store_true",
                    help="all four at their default shares: --wire 0.01 "
                         "--replies 0.05 --paraphrase 0.05 --long 0.005 "
                         "(each one given wins)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="worker processes (default: all cores)")
    ap.add_argument("--block", default=str(BLOCK), help=argparse.SUPPRESS)
    a = ap.parse_args()
    for name, share in REAL_SHARES.items():
        if getattr(a, name) is None:
            setattr(a, name, share if a.real else 0.0)
    limit = parse_size(a.size)
    block = parse_size(a.block)
    nblocks = max(1, -(-limit // block))
    if nblocks > 1000:
        raise SystemExit("gen-corpus: more than 1000 blocks; raise --block")
    SHARED = Shared(a)
    if a.truth:
        os.makedirs(a.truth, exist_ok=True)
    work = a.out + ".parts"
    os.makedirs(work, exist_ok=True)
    jobs = [(a, k, min(block, limit - k * block), work) for k in range(nblocks)]
    raw = open(a.out + ".tmp", "wb")
    proc = None
    out = raw
    if a.out.endswith(".zst"):
        proc = subprocess.Popen(["zstd", "-q", "-3", "-c"], stdin=subprocess.PIPE,
                                stdout=raw)
        out = proc.stdin
    truth = {name: open(os.path.join(a.truth, name + ".jsonl"), "wb")
             for name in TRUTH} if a.truth else {}
    n = stories = written = 0
    with multiprocessing.get_context("fork").Pool(max(1, a.jobs)) as pool:
        for k, (dn, ds, dw) in enumerate(pool.imap(gen_block, jobs)):
            n, stories, written = n + dn, stories + ds, written + dw
            for name, f in [("corpus", out)] + list(truth.items()):
                part = os.path.join(work, f"{k}.{name}")
                with open(part, "rb") as src:
                    while True:
                        chunk = src.read(1 << 22)
                        if not chunk:
                            break
                        f.write(chunk)
                os.remove(part)
    if proc:
        proc.stdin.close()
        if proc.wait() != 0:
            raise SystemExit("gen-corpus: zstd failed")
    raw.close()
    for f in truth.values():
        f.close()
    os.rmdir(work)
    os.replace(a.out + ".tmp", a.out)
    print(f"gen-corpus: {n} documents, {stories} stories, {written} bytes "
          f"in {nblocks} blocks -> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
