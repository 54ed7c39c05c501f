"""The shapes of real text that gen-corpus.py's news stories lack.

Used by tools/gen-corpus.py (--wire, --replies, --paraphrase, --long, or
--real for all four at the shares documented there). Each kind is a group
of records generated from the block's own random generator for these
kinds, so a corpus without them is byte for byte what it was before they
existed:

  wire        one agency story syndicated to many sites (fan-out drawn
              from a heavy tail, up to --max-fanout): each copy carries its
              site's tagline and footer, some cut the last paragraphs, some
              edit a word in fifty
  thread      a mailing-list or Usenet thread: posts with their author's
              signature, replies opening with an attribution line ("In
              article <...>, x@y (Name) writes:", "On DATE, Name <x@y>
              wrote:", "Name wrote:") and quoting some or all of the lines
              they answer with "> " (nested ">> " for what those quoted),
              "| " or ": ", now and then answering between the quoted lines
  paraphrase  an article and rewrites of it: sentences dropped, clauses
              swapped, a third to a half of the words replaced by fixed
              synonyms, sentences of the rewriter's own added
  long        a report of 30 to 300 KB, one line without breaks or lines
              without blank lines, quoting whole paragraphs of earlier
              articles of the corpus

Truth (beside gen-corpus.py's): docs.jsonl rows with these kinds (wire
original/copy, post/reply, original/paraphrase, long) and edges.jsonl
edges (from -> to, kind wire, reply, paraphrase, excerpt); clusters.jsonl
has one row per wire story (origin and every member); excerpts.jsonl one
row per paragraph a long report quotes: from, from_para, to, and the byte
offset and length of the quoted text in the (noise-free) record's text.
Wire stories are left out of pairs.jsonl (a story in 2,000 copies is two
million pairs): their cluster says it all.
"""
import json
import random

DOMAINS = ["example.edu", "example.com", "example.org", "cs.example.ac.uk",
           "mail.example.net", "example.gov"]


class Real:
    """The extra kinds of one block, after each news story."""

    def __init__(self, a, shared, k, helpers):
        self.a = a
        self.sh = shared
        self.k = k
        self.h = helpers  # Gen, fmt_date, FIRST, LAST
        self.rng = random.Random(f"{a.seed}:{k}:real")
        self.g = helpers.Gen(shared, self.rng)
        self.recent = []  # (id, paras) of recent news originals
        self.sites = {}
        self.authors = {}
        self.nthreads = 0

    # ---- what every kind shares ------------------------------------------

    def site(self, j):
        """site j's tagline and footer, the same in every block"""
        if j not in self.sites:
            g = self.h.Gen(self.sh, random.Random(f"{self.a.seed}:site:{j}"))
            self.sites[j] = (f"site{j:05d}.example",
                             g.sentence(g.rng.randint(6, 10)),
                             g.sentence(g.rng.randint(12, 18)))
        return self.sites[j]

    def author(self, j):
        """person j: name, address and signature, the same in every block"""
        if j not in self.authors:
            r = random.Random(f"{self.a.seed}:author:{j}")
            g = self.h.Gen(self.sh, r)
            first, last = r.choice(self.h.FIRST), r.choice(self.h.LAST)
            name = f"{first} {last}"
            addr = f"{first.lower()}{j}@{r.choice(DOMAINS)}"
            lines = [f"{name}  <{addr}>"]
            for _ in range(r.randint(1, 3)):
                lines.append(g.sentence(r.randint(5, 9)))
            self.authors[j] = (name, addr, "-- \n" + "\n".join(lines))
        return self.authors[j]

    def date(self, t, undated=0.05):
        r = self.rng
        if r.random() < undated:
            return None
        return self.h.fmt_date(r, t, "day" if r.random() < 0.2 else "second")

    def remember(self, v):
        """a news original that long reports may quote"""
        self.recent.append((v["id"], v["paras"]))
        if len(self.recent) > 200:
            del self.recent[:100]

    # ---- the groups --------------------------------------------------------

    def after_story(self, t):
        """the groups to write after a news story of time t: each a list of
        versions (dicts with text, outlet, kind, source (index in the
        group or None), t, date, fields, boilerplate, and kind-specific
        truth)"""
        a, r = self.a, self.rng
        out = []
        if a.wire > 0 and r.random() < a.wire:
            out.append(self.wire(t))
        if a.replies > 0 and r.random() < a.replies:
            out.append(self.thread(t))
        if a.paraphrase > 0 and r.random() < a.paraphrase:
            out.append(self.paraphrases(t))
        if a.long > 0 and self.recent and r.random() < a.long:
            out.append(self.report(t))
        return out

    def wire(self, t):
        r, g = self.rng, self.g
        n = min(self.a.max_fanout, max(2, int(3 * r.paretovariate(0.7))))
        paras = [g.paragraph() for _ in range(r.randint(4, 7))]
        paras[0] = "NEW YORK (Wire) - " + paras[0]
        group = [{"text": "\n\n".join(paras), "outlet": "wire.example",
                  "kind": "original", "source": None, "t": t,
                  "date": self.h.fmt_date(r, t, "second"),
                  "boilerplate": []}]
        for j in sorted(r.sample(range(20000), n)):
            name, tag, foot = self.site(j)
            body = list(paras)
            if r.random() < 0.3 and len(body) > 3:
                body = body[:len(body) - r.randint(1, 2)]
            rate = 0.02 if r.random() < 0.2 else 0.0
            if rate:
                body = [g.edit(p, rate) for p in body]
            ct = t + r.randint(60, 12 * 3600)
            group.append({"text": "\n\n".join([tag] + body + [foot]),
                          "outlet": name, "kind": "copy", "source": 0,
                          "t": ct, "date": self.date(ct), "rate": rate,
                          "boilerplate": [0, len(body) + 1]})
        return group

    def thread(self, t):
        r, g = self.rng, self.g
        self.nthreads += 1
        people = [r.randrange(5000) for _ in range(r.randint(2, 5))]
        subject = g.sentence(r.randint(3, 7)).rstrip(".")
        group = []
        for i in range(r.randint(2, 9)):
            who = r.choice(people)
            name, addr, sig = self.author(who)
            own = [wrap(g.paragraph()) for _ in range(r.randint(1, 3))]
            if i == 0:
                parent = None
                body = own
                pt = t
            else:
                parent = len(group) - 1 if r.random() < 0.6 else \
                    r.randrange(len(group))
                p = group[parent]
                body = [attribution(r, p)] + quoted(r, p, own)
                pt = p["t"] + r.randint(600, 2 * 86400)
            text = "\n\n".join(body + [sig])
            group.append({"text": text, "outlet": addr.split("@")[1],
                          "kind": "reply" if i else "post",
                          "source": parent, "t": pt, "date": self.date(pt),
                          "name": name, "addr": addr, "url": False,
                          "body_lines": "\n\n".join(body).split("\n"),
                          "sig_lines": sig.split("\n"),
                          "fields": {"from": f"{addr} ({name})",
                                     "subject": ("Re: " if i else "") +
                                     subject},
                          "boilerplate": [len(body)]})
        return group

    def paraphrases(self, t):
        r, g = self.rng, self.g
        paras = [g.paragraph() for _ in range(r.randint(3, 6))]
        outlet = r.choice(self.sh.outlets)
        group = [{"text": "\n\n".join(paras), "outlet": outlet,
                  "kind": "original", "source": None, "t": t,
                  "date": self.date(t), "boilerplate": []}]
        for _ in range(r.randint(1, 3)):
            rate = r.choice([0.3, 0.4, 0.5])
            out = []
            for p in paras:
                sents = []
                for s in p.split(". "):
                    s = s.rstrip(".")
                    if not s or r.random() < 0.15:
                        continue
                    w = [g.synonym(x.lower()) if r.random() < rate else x
                         for x in s.split(" ")]
                    if len(w) > 6 and r.random() < 0.3:
                        c = len(w) // 2
                        w = w[c:] + [","] + w[:c]
                    sents.append(" ".join(w).capitalize().replace(" ,", ",")
                                 + ".")
                    if r.random() < 0.2:
                        sents.append(g.sentence(r.randint(8, 16)))
                if sents:
                    out.append(" ".join(sents))
            ct = t + r.randint(3600, 5 * 86400)
            group.append({"text": "\n\n".join(out or [g.paragraph()]),
                          "outlet": r.choice(self.sh.outlets),
                          "kind": "paraphrase", "source": 0, "t": ct,
                          "date": self.date(ct), "rate": rate,
                          "boilerplate": []})
        return group

    def report(self, t):
        r, g = self.rng, self.g
        size = r.randint(30, 300) * 1024
        paras, n = [], 0
        while n < size:
            p = g.paragraph()
            paras.append((None, None, p))
            n += len(p) + 1
        for _ in range(r.randint(3, 12)):
            sid, sp = r.choice(self.recent)
            i = r.randrange(len(sp))
            paras.insert(r.randint(0, len(paras)), (sid, i, sp[i]))
        sep = " " if r.random() < 0.5 else "\n"
        text, excerpts, off = [], [], 0
        for sid, i, p in paras:
            if text:
                off += len(sep)
            if sid is not None:
                excerpts.append({"from": sid, "from_para": i,
                                 "offset": off,
                                 "length": len(p.encode())})
            text.append(p)
            off += len(p.encode())
        return [{"text": sep.join(text), "outlet": r.choice(self.sh.outlets),
                 "kind": "long", "source": None, "t": t,
                 "date": self.date(t), "excerpts": excerpts,
                 "boilerplate": []}]

    # ---- truth -------------------------------------------------------------

    def truth(self, t, group, story):
        """the group's rows in the truth files t (ids assigned)"""
        for v in group:
            src = group[v["source"]]["id"] if v["source"] is not None else None
            t["docs"].write(json.dumps({
                "id": v["id"], "story": story, "outlet": v["outlet"],
                "kind": v["kind"], "source": src,
                "edit_rate": v.get("rate", 0.0), "true_date": v["t"],
                "dated": v["date"] is not None,
                "boilerplate": v["boilerplate"]}) + "\n")
            if src is not None:
                kind = {"copy": "wire", "reply": "reply",
                        "paraphrase": "paraphrase"}[v["kind"]]
                t["edges"].write(json.dumps({"from": src, "to": v["id"],
                                             "kind": kind}) + "\n")
            for e in v.get("excerpts", []):
                t["edges"].write(json.dumps({"from": e["from"],
                                             "to": v["id"],
                                             "kind": "excerpt"}) + "\n")
                t["excerpts"].write(json.dumps(dict(e, to=v["id"])) + "\n")
        if group[0]["outlet"] == "wire.example":
            t["clusters"].write(json.dumps({
                "story": story, "kind": "wire", "origin": group[0]["id"],
                "members": [v["id"] for v in group]}) + "\n")


def wrap(text, width=72):
    """text in lines of at most width characters, as mail is written"""
    lines, cur = [], ""
    for w in text.split(" "):
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    if cur:
        lines.append(cur)
    return "\n".join(lines)


def attribution(r, p):
    """the line a reply opens with, naming the post it answers"""
    x = r.random()
    if x < 0.4:
        mid = f"{r.randrange(10**6)}@{p['addr'].split('@')[1]}"
        return f"In article <{mid}>, {p['addr']} ({p['name']}) writes:"
    if x < 0.8:
        return f"On {p['date'] or 'an earlier day'}, {p['name']} " \
               f"<{p['addr']}> wrote:"
    return f"{p['name']} wrote:"


def quoted(r, p, own):
    """the reply's body: some or all of p's lines quoted, with its own
    paragraphs after them or between them"""
    lines = [ln for ln in p["body_lines"]]
    if r.random() < 0.1:
        lines += p["sig_lines"]
    x = r.random()
    full = [i for i, ln in enumerate(lines) if ln.strip()]
    if x < 0.4 and len(full) > 3:  # a few lines, from one with words
        s = r.choice(full[:-2])
        lines = lines[s:s + r.randint(1, 3)]
    elif x < 0.8 and len(full) > 6:  # a stretch
        s = r.choice(full[:len(full) // 2])
        lines = lines[s:s + r.randint(4, len(lines) - s)]
    while lines and not lines[-1].strip():
        lines.pop()
    mark = r.choices([">", "|", ":"], [0.85, 0.1, 0.05])[0]

    def q(ln):
        if not ln:
            return mark
        return mark + ln if ln[0] in ">|:" else f"{mark} {ln}"
    if r.random() < 0.3 and len(lines) > 3 and len(own) > 1:
        # answered point by point
        cut = len(lines) // 2
        return ["\n".join(q(ln) for ln in lines[:cut]), own[0],
                "\n".join(q(ln) for ln in lines[cut:])] + own[1:]
    return ["\n".join(q(ln) for ln in lines)] + own
