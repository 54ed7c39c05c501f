#!/usr/bin/env python3
"""trace on the shapes real text has: syndication at any fan-out, dates
that must not change what is found, one long record sharing many spans.

    python3 tests/cli/trace_cases.py REPRINT CASE   (syndication, nodates,
        long, guarantee, signature, template, quoted_sig, quoted_post,
        chaining, generated)

Each case builds its corpus (deterministic: a fixed seed), runs
`reprint trace`, checks the JSON and prints ok/FAIL lines; exit 1 on any
failure."""
import json
import os
import random
import subprocess
import sys
import tempfile
import time

WORDS = ("harbour council budget bridge repair river winter engineer steel "
         "contract minister province election ferry tunnel storm grant "
         "rail freight port dock tender audit mayor vote levy toll crane "
         "quay barge pilot tide cargo depot timber concrete survey").split()
FAILED = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        FAILED.append(what)


def sentence(rnd, n):
    w = [rnd.choice(WORDS) for _ in range(n)]
    return " ".join(w).capitalize() + "."


def story(rnd, words=150):
    out, n = [], 0
    while n < words:
        s = sentence(rnd, rnd.randint(12, 20))
        out.append(s)
        n += len(s.split())
    return " ".join(out)


def trace(reprint, path, *opts):
    out = path + ".trace.json"
    t0 = time.monotonic()
    subprocess.run([reprint, "trace", "-q", path, "--json", out, *opts],
                   check=True)
    with open(out, encoding="utf-8") as f:
        return json.load(f), time.monotonic() - t0


def write(path, recs):
    with open(path, "w", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps(r) + "\n")


def syndicated(n, rnd, dated=True):
    """one 150-word story in n documents, each with its own intro and
    footer (its outlet's), dated a minute apart from a random start; the
    origin is the earliest"""
    body = story(rnd)
    recs, dates = [], []
    base = 1_700_000_000
    order = list(range(n))
    rnd.shuffle(order)  # input order is not date order
    for i in range(n):
        r = {"id": f"d{i:05d}", "source": f"outlet{i % 997}",
             "text": f"{sentence(rnd, 14)}\n\n{body}\n\n{sentence(rnd, 10)}"}
        if dated:
            t = base + 60 * order[i]
            r["date"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
        recs.append(r)
    first = min(range(n), key=lambda i: order[i])
    return recs, f"d{first:05d}"


def case_syndication(reprint, tmp):
    rnd = random.Random(11)
    for n in (2, 60, 500, 5000):
        recs, first = syndicated(n, rnd)
        path = os.path.join(tmp, f"synd{n}.jsonl")
        write(path, recs)
        d, secs = trace(reprint, path)
        story_p = [p for p in d["passages"] if not p["boilerplate"]
                   and len({m["doc"] for m in p["members"]}) == n]
        docs = {m["doc"] for p in story_p for m in p["members"]}
        check(len(story_p) == 1 and len(docs) == n,
              f"syndication {n}: one passage holds all {n} documents "
              f"({len(story_p)} such passages, {len(d['passages'])} in all, "
              f"{secs:.1f} s)")
        check(story_p and story_p[0]["origin"] == first and
              story_p[0]["origin_basis"] == "dates",
              f"syndication {n}: origin {first} by date "
              f"(got {story_p[0]['origin'] if story_p else None})")


def passages_of(d):
    return sorted(sorted((m["doc"], tuple(m["span"])) for m in p["members"])
                  for p in d["passages"])


def case_nodates(reprint, tmp):
    rnd = random.Random(12)
    recs, _ = syndicated(60, rnd)
    # a second story shared by a few, and the seeds' shape: partial reuse
    extra = story(rnd, 60)
    for i in range(0, 60, 7):
        recs[i]["text"] += "\n\n" + story(rnd, 40) + "\n\n" + extra
    path = os.path.join(tmp, "dated.jsonl")
    write(path, recs)
    nodate = [{k: v for k, v in r.items() if k != "date"} for r in recs]
    path2 = os.path.join(tmp, "undated.jsonl")
    write(path2, nodate)
    a, _ = trace(reprint, path)
    b, _ = trace(reprint, path2)
    check(passages_of(a) == passages_of(b) and len(a["passages"]) >= 2,
          f"dates removed: the same {len(a['passages'])} passages, members "
          f"and spans")
    la = sorted((x["a"], x["b"], x["reuse"]) for x in a["links"])
    lb = sorted((x["a"], x["b"], x["reuse"]) for x in b["links"])
    check(la == lb, f"dates removed: the same {len(la)} links")
    seeds = os.path.join(os.path.dirname(__file__), "..", "..", "corpus",
                         "seeds.jsonl")
    with open(seeds, encoding="utf-8") as f:
        s = [json.loads(x) for x in f if x.strip()]
    write(os.path.join(tmp, "seeds.jsonl"), s)
    write(os.path.join(tmp, "seeds-nd.jsonl"),
          [{k: v for k, v in r.items() if k != "date"} for r in s])
    a, _ = trace(reprint, os.path.join(tmp, "seeds.jsonl"))
    b, _ = trace(reprint, os.path.join(tmp, "seeds-nd.jsonl"))
    check(passages_of(a) == passages_of(b),
          f"seeds, dates removed: the same {len(a['passages'])} passages")


def vocabulary(rnd, n):
    syl = ("ka", "lo", "mi", "ren", "tas", "vo", "dri", "pel", "sun", "gar",
           "ny", "fe", "bor", "qui", "zel", "han", "wit", "os", "ul", "tre")
    return ["".join(rnd.choice(syl) for _ in range(rnd.randint(2, 4)))
            for _ in range(n)]


def case_long(reprint, tmp):
    """one 5 MB record (a book) sharing 10,000 spans with 10,000 short
    records; the words come from a vocabulary of 20,000, as real text's"""
    rnd = random.Random(13)
    vocab = vocabulary(rnd, 20000)

    def sent(n):
        return " ".join(rnd.choice(vocab) for _ in range(n)) + "."
    spans, big, recs = [], [], []
    for i in range(10000):
        s = sent(14)
        spans.append(s)
        big.append(s)
        big.append(" ".join(sent(15) for _ in range(5)))
    text = " ".join(big)
    recs.append({"id": "book", "text": text})
    for i, s in enumerate(spans):
        recs.append({"id": f"n{i:05d}", "text": sent(9) + " " + s})
    path = os.path.join(tmp, "long.jsonl")
    write(path, recs)
    d, secs = trace(reprint, path)
    linked = {x["b"] if x["a"] == "book" else x["a"] for x in d["links"]
              if x["reuse"] and "book" in (x["a"], x["b"])}
    check(len(text) > 4_000_000 and len(linked) >= 9900,
          f"long record ({len(text) / 1e6:.1f} MB): {len(linked)} of 10000 "
          f"short records linked to it in {secs:.1f} s")


def case_guarantee(reprint, tmp):
    """the README's promise: two documents sharing a verbatim run of 8
    words are compared and found to share a passage, whatever surrounds
    the run"""
    rnd = random.Random(14)
    vocab = vocabulary(rnd, 20000)

    def words(n):
        return " ".join(rnd.choice(vocab) for _ in range(n))
    recs = []
    for i in range(300):
        run = words(8)
        recs.append({"id": f"a{i:03d}", "text": f"{words(rnd.randint(0, 200))} "
                     f"{run} {words(rnd.randint(0, 200))}"})
        recs.append({"id": f"b{i:03d}", "text": f"{words(rnd.randint(0, 200))}, "
                     f"{run.upper()}; {words(rnd.randint(0, 200))}"})
    path = os.path.join(tmp, "runs.jsonl")
    write(path, recs)
    d, _ = trace(reprint, path)
    got = set()
    for p in d["passages"]:
        docs = sorted({m["doc"] for m in p["members"]})
        got |= {(x, y) for x in docs for y in docs if x < y}
    want = {(f"a{i:03d}", f"b{i:03d}") for i in range(300)}
    check(want <= got and len(got) == 300,
          f"8-word verbatim runs: {len(want & got)} of 300 pairs share a "
          f"passage, {len(got - want)} other pairs")


def case_signature(reprint, tmp):
    """One author's multi-line signature, no "-- " line, at the tail of
    posts on different topics, is that author's boilerplate: it links none
    of them. A reply by another author quoting one post with '>' is
    still linked to it. Without the author field the signature passage is
    an ordinary one (the test would fail without the per-author rule)."""
    rnd = random.Random(7)
    sig = ("Betty Harvey  <harvey@oasys.example.mil>   | David Taylor Basin\n"
           "ADP, Networking and Communication Assessment | Carderock Div\n"
           "Branch Code 1221 Bethesda Md 20084 | Naval Surface Warfare\n"
           "Phone 301 227 3379 FAX 301 227 3343 | DTMB CD NSWC Center")
    vocab = vocabulary(rnd, 5000)

    def post(n):
        return " ".join(" ".join(rnd.choice(vocab) for _ in range(15)) + "."
                        for _ in range(n // 15))
    posts = [post(rnd.randint(120, 200)) for _ in range(3)]
    recs = [{"id": f"p{i}", "from": "harvey@oasys.example.mil (Betty Harvey)",
             "text": posts[i] + "\n\n" + sig + "\n"} for i in range(3)]
    quoted = "\n".join("> " + ln for ln in posts[0].split(". "))
    recs.append({"id": "r0", "from": "Bob <bob@example.org>",
                 "text": "In article <x@y>, Betty writes:\n" + quoted +
                         "\n\n" + post(60) + "\n"})
    path = os.path.join(tmp, "sig.jsonl")
    write(path, recs)
    for field, want_sig in ((None, True), ("nosuch", False)):
        opts = ("--author-field", field) if field else ()
        d, _ = trace(reprint, path, *opts)
        reuse = {tuple(sorted((ln["a"], ln["b"]))) for ln in d["links"]
                 if ln["reuse"]}
        among = {k for k in reuse if k[0][0] == "p" and k[1][0] == "p"}
        boiler = [p for p in d["passages"] if p["boilerplate"]]
        what = "with" if field is None else "without"
        if want_sig:
            check(not among and len(boiler) == 1,
                  f"{what} authors: signature is boilerplate "
                  f"({len(boiler)} boilerplate passages), links among one "
                  f"author's posts: {sorted(among)}")
        else:
            check(len(among) == 3 and not boiler,
                  f"{what} authors: the signature links the three posts "
                  f"({sorted(among)})")
        check(("p0", "r0") in reuse, f"{what} authors: the quoting reply "
              "is linked to its source")


def case_quoted_sig(reprint, tmp):
    """Signatures read pair by pair. An author's signature that replies
    quote (so the passage holding it has more members quoting it than
    posts of his) still links none of his posts, nor a reply to a post
    of his that it does not answer; each reply stays linked to the post it
    quotes. A short phrase (under 20 words) that one post writes and
    another quotes links the two only when the quoting one names the
    writer (an attribution line), not when it quotes someone else."""
    rnd = random.Random(11)
    sig = ("Betty Harvey  <harvey@oasys.example.mil>   | David Taylor Basin\n"
           "ADP, Networking and Communication Assessment | Carderock Div\n"
           "Branch Code 1221 Bethesda Md 20084 | Naval Surface Warfare")
    vocab = vocabulary(rnd, 5000)

    def post(n):
        return " ".join(" ".join(rnd.choice(vocab) for _ in range(15)) + "."
                        for _ in range(n // 15))

    def quote(text):
        return "\n".join("> " + ln for ln in text.splitlines())
    betty = "harvey@oasys.example.mil (Betty Harvey)"
    recs = [{"id": f"p{i}", "from": betty,
             "text": post(rnd.randint(120, 200)) + "\n\n" + sig + "\n"}
            for i in range(2)]
    for i in range(3):
        recs.append({"id": f"r{i}", "from": f"u{i}@site{i}.example.org",
                     "text": "In article <a@b>, harvey@oasys.example.mil "
                             "writes:\n" + quote(recs[0]["text"]) + "\n\n" +
                             post(60) + "\n"})
    phrase = "the quickest way to find out is to ask them directly"
    recs.append({"id": "s0", "from": "eve@one.example.net",
                 "text": post(90) + " But " + phrase + ". " + post(90) +
                         "\n"})
    recs.append({"id": "t0", "from": "frank@two.example.net",
                 "text": "In article <c@d>, gail@three.example.net "
                         "writes:\n> " + phrase + "\n\n" + post(75) + "\n"})
    recs.append({"id": "u0", "from": "hal@four.example.net",
                 "text": "In article <e@f>, eve@one.example.net writes:\n> "
                         + phrase + "\n\n" + post(75) + "\n"})
    path = os.path.join(tmp, "qsig.jsonl")
    write(path, recs)
    d, _ = trace(reprint, path)
    reuse = {tuple(sorted((ln["a"], ln["b"]))) for ln in d["links"]
             if ln["reuse"]}
    check(("p0", "p1") not in reuse,
          "two posts sharing only their author's signature are not reuse")
    wrong = sorted(k for k in reuse if "p1" in k)
    check(not wrong, f"replies quoting p0's signature are not linked to "
          f"p1 ({wrong})")
    check(all((f"p0", f"r{i}") in reuse for i in range(3)),
          "each reply is linked to the post it quotes")
    check(("s0", "t0") not in reuse,
          "a short phrase quoted from someone else links nothing")
    check(("s0", "u0") in reuse,
          "a short phrase quoted under its writer's attribution is reuse")


def case_quoted_post(reprint, tmp):
    """A post that many replies quote near their head ('>', at any depth,
    and in styles the quoting rule does not read, like '#>') is reuse, not
    the outlet's boilerplate: each reply is linked to it (the 20
    Newsgroups posts of 'Societal basis for morality' were lost this way:
    three members carried the text unquoted and all sat at a head). And
    an author's post quoted in a later reply of his own is not his
    signature: the two are linked. Both failed before the rule asked half
    of an outlet's members, and every one of an author's, to carry the
    text as their own."""
    rnd = random.Random(13)
    vocab = vocabulary(rnd, 5000)

    def post(n):
        return " ".join(" ".join(rnd.choice(vocab) for _ in range(15)) + "."
                        for _ in range(n // 15))
    src = post(75)
    lines = src.split(". ")
    recs = [{"id": "p0", "source": "news", "from": "mike@a.example.edu",
             "text": src + "\n\n" + post(30) + "\n"}]
    marks = [">", ">", "> >", ">>", ">", "#>", "#>"]
    for i, m in enumerate(marks):
        recs.append({"id": f"r{i}", "source": "news",
                     "from": f"u{i}@site{i}.example.org",
                     "text": "mike@a.example.edu (Mike) writes:\n\n" +
                             "\n".join(m + ln for ln in lines) + "\n\n" +
                             post(rnd.randint(200, 300)) + "\n"})
    # Keith's post, its tail quoted in Kent's reply and in Keith's short
    # answer to Kent (at the tail of both of Keith's, a small part of his
    # post: what a signature looks like but for the quoting)
    own = post(30)
    recs.append({"id": "k0", "source": "news", "from": "keith@c.example.edu",
                 "text": post(120) + "\n\n" + own + "\n"})
    recs.append({"id": "k1", "source": "news", "from": "kent@d.example.com",
                 "text": "keith@c.example.edu (Keith) wrote:\n" +
                         "\n".join("> " + ln for ln in own.split(". ")) +
                         "\n\n" + post(30) + "\n"})
    recs.append({"id": "k2", "source": "news", "from": "keith@c.example.edu",
                 "text": "kent@d.example.com (Kent) writes:\n\n" +
                         "\n".join(">> " + ln for ln in own.split(". ")) +
                         "\n\n" + post(15) + "\n"})
    path = os.path.join(tmp, "qpost.jsonl")
    write(path, recs)
    d, _ = trace(reprint, path)
    reuse = {tuple(sorted((ln["a"], ln["b"]))) for ln in d["links"]
             if ln["reuse"]}
    boiler = [p["id"] for p in d["passages"] if p["boilerplate"]]
    linked = [f"r{i}" for i in range(len(marks))
              if ("p0", f"r{i}") in reuse]
    check(len(linked) == len(marks) and not boiler,
          f"a post quoted by {len(marks)} replies near their heads is "
          f"linked to each ({len(linked)}), no boilerplate ({boiler})")
    check(("k0", "k1") in reuse and ("k0", "k2") in reuse,
          "an author's post quoted in his own later reply is not his "
          "signature: both replies are linked to it")


def case_template(reprint, tmp):
    """A weekly report written from one template with other figures each
    week (and a closing paragraph of its own) is not a copy: those pairs
    are links of kind "template", not reuse, and share no passage. A copy
    of one week (same figures), a copy correcting one figure and a copy
    with OCR's digits in its words ("se1ling") are reuse. Two texts on
    one subject in other words and with other figures are not reuse; in
    other words with the same figures they are (reworded)."""
    rnd = random.Random(5)

    def report(week):
        f = [f"{rnd.randint(100, 999)}.{rnd.randint(0, 9)}" for _ in range(6)]
        return (f"U.S. M-1 money supply rose {f[0]} billion dlrs to a "
                f"seasonally adjusted {f[1]} billion dlrs in the week ended "
                f"March {week}, the Federal Reserve said.\n"
                f"The previous week's M-1 level was revised to {f[2]} billion "
                f"dlrs from {f[3]} billion dlrs, while the four-week moving "
                f"average of M-1 rose to {f[4]} billion dlrs from {f[5]} "
                f"billion.\n" + story(rnd, 25) + "\n")
    recs = [{"id": f"w{i}", "text": report(i + 1)} for i in range(5)]
    recs.append({"id": "copy", "text": "From the wire:\n" + recs[2]["text"]})
    fixed = recs[3]["text"].split(" ")
    fixed[5] = "999.9"  # the first figure corrected
    recs.append({"id": "fixed", "text": " ".join(fixed)})
    # OCR misreads letters as digits ("1" for l, "0" for o, "5" for s):
    # such words are not figures, and a misread copy stays a copy
    orig = report(9) + story(rnd, 150) + "\n"
    ocr = orig.split(" ")
    misread = {"l": "1", "o": "0", "s": "5"}
    for i, w in enumerate(ocr):
        c = next((x for x in w[1:] if x in misread), None)
        if c and i % 3 == 0:
            ocr[i] = w[0] + w[1:].replace(c, misread[c], 1)
    recs.append({"id": "orig", "text": orig})
    recs.append({"id": "ocr", "text": " ".join(ocr)})
    # one subject told twice with other figures, in other words and order:
    # not a rewrite of one text; with the same figures it is one
    subj = ("wheat tonnes season department delivery purchases china "
            "export sales commitments outstanding agriculture shipment "
            "cargo buyers contract").split()

    def told(figs, seed):
        r = random.Random(seed)
        w = subj[:]
        r.shuffle(w)
        parts = [f"{w[i]} {w[i + 1]} {figs[i // 3]}" for i in range(0, 15, 3)]
        return " and ".join(parts) + " " + " ".join(w[15:]) + ".\n"
    recs.append({"id": "sales1", "text": told(["90,000", "1987", "30,000",
                                                "26", "910,000"], 1)})
    recs.append({"id": "sales2", "text": told(["60,000", "1986", "45,000",
                                                "12", "120,000"], 2)})
    recs.append({"id": "sales3", "text": told(["90,000", "1987", "30,000",
                                                "26", "910,000"], 3)})
    path = os.path.join(tmp, "template.jsonl")
    write(path, recs)
    d, _ = trace(reprint, path)
    kind = {tuple(sorted((ln["a"], ln["b"]))): ln for ln in d["links"]}
    weeks = [(f"w{i}", f"w{k}") for i in range(5) for k in range(i + 1, 5)]
    tmpl = [p for p in weeks if p in kind and kind[p]["kind"] == "template"]
    reuse = [p for p in weeks if p in kind and kind[p]["reuse"]]
    check(len(tmpl) == len(weeks) and not reuse,
          f"weekly reports, other figures: {len(tmpl)} of {len(weeks)} "
          f"pairs are templates, {len(reuse)} reuse")
    in_passages = {m["doc"] for p in d["passages"] for m in p["members"]}
    check({"w0", "w1", "w4"}.isdisjoint(in_passages),
          "reports sharing only the template are in no passage")
    ln = kind.get(("sales1", "sales2"))
    check(ln is None or not ln["reuse"],
          f"one subject, other words and other figures is not reuse "
          f"({ln and ln['kind']})")
    for a, b in (("copy", "w2"), ("fixed", "w3"), ("ocr", "orig"),
                 ("sales1", "sales3")):
        ln = kind.get(tuple(sorted((a, b))))
        check(ln is not None and ln["reuse"],
              f"{a} of {b} is reuse ({ln and ln['kind']})")


def case_chaining(reprint, tmp):
    """Passages do not chain through a phrase many texts repeat: 30
    documents, each pair of them sharing a paragraph of its own, and every
    one of those paragraphs carrying one 24-word formula. The formula is a
    passage of its own, marked common, linking no pair; each paragraph is
    a passage of its two documents only (before, the formula merged them
    all into one). And a house template: a 45-word sentence in the middle
    of 24 texts of one outlet (not at their head or tail: no footer) and
    of one of another outlet links only across the two outlets."""
    rnd = random.Random(21)
    vocab = vocabulary(rnd, 6000)

    def words(n):
        return " ".join(rnd.choice(vocab) for _ in range(n))
    formula = words(24)
    paras = [f"{words(30)} {formula} {words(30)}." for _ in range(15)]
    recs = [{"id": f"c{i:02d}", "source": f"site{i}",
             "text": f"{words(80)}.\n\n{paras[i // 2]}\n\n{words(60)}."}
            for i in range(30)]
    path = os.path.join(tmp, "chain.jsonl")
    write(path, recs)
    d, _ = trace(reprint, path)
    docs = [{m["doc"] for m in p["members"]} for p in d["passages"]]
    big = [p for p, ds in zip(d["passages"], docs) if len(ds) >= 25]
    check(len(big) == 1 and big[0]["common"] and
          all(formula.split()[5] in m["text"] for m in big[0]["members"]),
          f"chaining: the formula is one passage of its own, marked common "
          f"({len(big)} passages of 25 documents or more)")
    pairs = {frozenset((f"c{2 * k:02d}", f"c{2 * k + 1:02d}"))
             for k in range(15)}
    own = sum(1 for ds in docs if frozenset(ds) in pairs)
    mixed = sum(1 for p, ds in zip(d["passages"], docs)
                if not p["common"] and len(ds) > 2)
    check(own == 15 and mixed == 0,
          f"chaining: each shared paragraph is a passage of its two "
          f"documents ({own} of 15; {mixed} passages mixing pairs)")
    reuse = {frozenset((x["a"], x["b"])) for x in d["links"] if x["reuse"]}
    check(reuse == pairs,
          f"chaining: the 15 pairs are linked as reuse, no pair sharing "
          f"only the formula ({len(reuse)} reuse links)")
    template = words(45)
    recs = [{"id": f"w{i:02d}", "source": "wire" if i < 24 else "gazette",
             "text": f"{words(200)}. {template}. {words(150)}."}
            for i in range(25)]
    path = os.path.join(tmp, "house.jsonl")
    write(path, recs)
    d, _ = trace(reprint, path)
    big = [p for p in d["passages"] if len(p["members"]) >= 20]
    check(len(big) == 1 and big[0]["house_outlet"] == "wire" and
          not big[0]["common"],
          f"house template: one passage, house_outlet wire, not a phrase "
          f"({[(p['house_outlet'], p['common']) for p in big]})")
    reuse = {frozenset((x["a"], x["b"])) for x in d["links"] if x["reuse"]}
    want = {frozenset(("w24", f"w{i:02d}")) for i in range(24)}
    check(reuse == want,
          f"house template: linked across the outlets only ({len(reuse)} "
          f"reuse links, {len(reuse & want)} of the 24 wanted)")
    md = os.path.join(tmp, "house.md")
    subprocess.run([reprint, "trace", "-q", path, "--md", md], check=True)
    with open(md, encoding="utf-8") as f:
        text = f.read()
    check("A house template of wire: it links none of that outlet's texts"
          in text, "house template: the Markdown report says so")


def case_generated(reprint, tmp):
    """The generator's shapes of real text (tools/gen-corpus.py --real):
    wire stories syndicated to hundreds of sites, threads of replies
    quoting with >, | and :, paraphrases, long reports quoting articles.
    Each kind is found as the truth says, with and without dates."""
    root = os.path.join(os.path.dirname(__file__), "..", "..")
    path = os.path.join(tmp, "real.jsonl")
    truth = os.path.join(tmp, "truth")
    subprocess.run([sys.executable, os.path.join(root, "tools",
                                                 "gen-corpus.py"),
                    "--size", "4M", "--seed", "12", "--real",
                    "--max-fanout", "600", "--jobs", "1", "-o", path,
                    "--truth", truth], check=True)

    def rows(name):
        with open(os.path.join(truth, name + ".jsonl")) as f:
            return [json.loads(x) for x in f]
    with open(path, encoding="utf-8") as f:
        recs = [json.loads(x) for x in f]
    write(os.path.join(tmp, "undated.jsonl"),
          [{k: v for k, v in r.items() if k != "date"} for r in recs])
    d, secs = trace(reprint, path)
    nd, _ = trace(reprint, os.path.join(tmp, "undated.jsonl"))
    check(passages_of(d) == passages_of(nd),
          f"generated: the same {len(d['passages'])} passages without dates "
          f"({secs:.1f} s)")
    clusters = rows("clusters")
    byid = {r["id"]: r for r in recs}
    found = 0
    for c in clusters:
        want = set(c["members"])
        p = [p for p in d["passages"] if not p["boilerplate"] and
             want <= {m["doc"] for m in p["members"]}]
        # a copy dated by its day only may be older than the agency's
        # story of that day: then no origin is the right answer
        day = byid[c["origin"]]["date"][:10]
        tie = any(len(byid[m].get("date", "")) == 10 and
                  byid[m]["date"] <= day for m in want)
        found += len(p) == 1 and (p[0]["origin"] == c["origin"] or
                                  (tie and p[0]["origin"] is None))
    check(clusters and found == len(clusters),
          f"generated: {found} of {len(clusters)} wire stories (up to "
          f"{max(len(c['members']) for c in clusters)} copies) are one "
          f"passage with every copy, origin the agency's by date (none "
          f"where a copy's date is only its day)")
    edges = rows("edges")

    def linked(doc, kinds):
        out = {}
        for ln in doc["links"]:
            if ln["reuse"] and ln["kind"] in kinds:
                out[(ln["a"], ln["b"])] = ln["direction"]
                flip = {"a->b": "b->a", "b->a": "a->b"}
                out[(ln["b"], ln["a"])] = flip.get(ln["direction"],
                                                   ln["direction"])
        return out
    reuse = linked(d, {"passage", "quote", "reworded", "similar"})
    undated = linked(nd, {"passage", "quote", "reworded", "similar"})
    replies = [(e["from"], e["to"]) for e in edges if e["kind"] == "reply"]
    hit = [e for e in replies if e in reuse]
    # short quotes (a line of under 8 words) and quotes of what the post
    # itself quoted ('>>' lines only) are missed; 68 of 77 measured
    check(len(hit) >= 0.8 * len(replies),
          f"generated: {len(hit)} of {len(replies)} replies linked to the "
          f"post they quote")
    # wrong ones: nested quoting in mixed styles ('>|', ':>'); 59 right,
    # 1 wrong of 68 measured
    right = sum(undated.get(e) == "a->b" for e in hit)
    wrong = sum(undated.get(e) == "b->a" for e in hit)
    check(right >= 0.75 * len(hit) and wrong <= 0.05 * len(hit),
          f"generated, no dates: replies directed from their post by the "
          f"quoting: {right} right, {wrong} wrong of {len(hit)}")
    # two replies to one post share its text, both on quoted lines at one
    # depth: neither is the other's source, so no reuse link between them
    kids = {}
    for e in edges:
        if e["kind"] == "reply":
            kids.setdefault(e["from"], []).append(e["to"])
    sib = {(a, b) for k in kids.values() for a in k for b in k if a != b}
    # 4 of 19 measured (8 before the rule); the rest share text beside
    # the quoting, or quote it at different depths
    sib_linked = sum(1 for e in sib if e in reuse) // 2
    check(len(sib) // 2 >= 10 and sib_linked <= 0.25 * len(sib) / 2,
          f"generated: {sib_linked} of {len(sib) // 2} pairs of replies to "
          f"one post linked as reuse")
    para = [(e["from"], e["to"]) for e in edges if e["kind"] == "paraphrase"]
    phit = sum(e in reuse for e in para)
    check(phit >= 0.5 * len(para),
          f"generated: {phit} of {len(para)} paraphrases (a third to a half "
          f"of the words replaced) linked")
    ex = rows("excerpts")
    ok = 0
    for e in ex:
        a, b = e["offset"], e["offset"] + e["length"]
        for p in d["passages"]:
            docs = {m["doc"] for m in p["members"]}
            if e["from"] in docs and any(
                    m["doc"] == e["to"] and
                    min(b, m["span"][1]) - max(a, m["span"][0]) >=
                    (b - a) / 2 for m in p["members"]):
                ok += 1
                break
    check(ex and ok >= 0.9 * len(ex),
          f"generated: {ok} of {len(ex)} paragraphs quoted in long reports "
          f"found in a passage with their article")


def main():
    reprint, case = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        {"syndication": case_syndication, "nodates": case_nodates,
         "long": case_long, "guarantee": case_guarantee,
         "signature": case_signature, "template": case_template,
         "quoted_sig": case_quoted_sig, "chaining": case_chaining,
         "quoted_post": case_quoted_post,
         "generated": case_generated}[case](reprint, tmp)
    print(f"{'FAILED: ' + '; '.join(FAILED) if FAILED else 'all ok'}")
    sys.exit(1 if FAILED else 0)


if __name__ == "__main__":
    main()
