#!/usr/bin/env python3
"""Checks of the trace HTML report (tests/cli/run.sh, modes browser and
browser_reuters). The page is a JSON data block and a script that draws one
view at a time (src/lib/report/trace_html.c); these read the data block, and the
DOM Chromium dumps after the script ran.

  report_check.py docviews TRACE.json PAGE.html
      every document in a passage of the JSON report has a document view:
      an entry in the page's data with its passages; prints the anchors of
      the first and last such document
  report_check.py pick PAGE.html
      a word for the search test: in few passages (at least 1, under 100),
      and one passage holding it; prints "WORD pN TOTAL"
  report_check.py search PAGE.html DOM.html WORD pN
      the dumped DOM of PAGE.html#q=WORD lists pN, only passages holding
      WORD, and fewer than all
  report_check.py docview DOM.html ID
      the dumped DOM of a #d<N> view shows document ID and its passages
  report_check.py static PAGE.html TRACE.json
      the page for readers without JavaScript (one <noscript>, after the
      script): an entry for every passage (#pN, boilerplate included),
      every document that shares text (#dN) and every quote (#qN); a
      passage's entry links every document it is in, a document's entry
      every passage it is in; every #link resolves within the lists
"""
import html
import json
from html.parser import HTMLParser
import re
import sys


def data(page):
    s = open(page, encoding="utf-8").read()
    m = re.search(r'<script type="application/json" id="data">(.*?)</script>',
                  s, re.S)
    if not m:
        sys.exit(f"{page}: no data block")
    return json.loads(m.group(1))


def passage_text(p):
    """what the page's search looks in (trace_html.js passageText)"""
    return "\n".join([p["s"]] + ["".join(t[1]) for t in p["t"]]).lower()


def docviews(trace_json, page):
    t = json.load(open(trace_json, encoding="utf-8"))
    d = data(page)
    pos = {x["id"]: n + 1 for n, x in enumerate(t["documents"])}
    want = {pos[m["doc"]] for p in t["passages"] for m in p["members"]}
    # the script's byDoc: passages, boilerplate and quotes of each document
    have = set()
    for p in d["p"]:
        have.update(d["d"][k][0] for k in p["m"])
    for b in d["b"]:
        have.update(d["d"][k][0] for k in b[1])
    missing = sorted(want - have)
    if missing:
        sys.exit(f"{len(missing)} of {len(want)} documents sharing text have "
                 f"no view, e.g. #d{missing[0]}")
    ids = {x[0]: x[1] for x in d["d"]}
    first, last = min(want), max(want)
    print(f"{len(want)} d{first} {ids[first]} d{last} {ids[last]}")


def pick(page):
    d = data(page)
    texts = [passage_text(p) for p in d["p"]]
    best = None
    for i, p in enumerate(d["p"]):
        for w in re.findall(r"[a-z]{6,}", p["s"].lower()):
            n = sum(w in t for t in texts)
            if 1 <= n < 100 and (best is None or abs(n - 3) < abs(best[0] - 3)):
                best = (n, w, p["i"])
        if best and best[0] == 3:
            break
    if not best:
        sys.exit("no word to search for")
    print(f"{best[1]} p{best[2]} {len(d['p'])}")


def search(page, dom, word, target):
    d = data(page)
    byid = {f"p{p['i']}": p for p in d["p"]}
    got = re.findall(r'<li[^>]*data-p="(p\d+)"', open(dom, encoding="utf-8").read())
    if target not in got:
        sys.exit(f"#q={word}: {target} not listed ({len(got)} listed)")
    wrong = [p for p in got if word not in passage_text(byid[p])]
    if wrong:
        sys.exit(f"#q={word}: lists {wrong[:3]} without the word")
    if len(got) >= len(d["p"]):
        sys.exit(f"#q={word}: every passage listed ({len(got)})")
    print(f"#q={word}: {len(got)} of {len(d['p'])} passages, {target} among them")


def docview(dom, doc_id):
    s = open(dom, encoding="utf-8").read()
    m = re.search(r'<main id="view">(.*?)</main>', s, re.S)
    if not m or f"<h2><bdi>{html.escape(doc_id, quote=False)}</bdi></h2>" not in m.group(1):
        sys.exit(f"no document view for {doc_id}")
    if not re.search(r'<li><a href="#(p|boilerplate|q)', m.group(1)):
        sys.exit(f"the view of {doc_id} lists no passage")
    print(f"document view of {doc_id}: shown with its passages")


class Static(HTMLParser):
    """ids, and the #links inside each <li id=...>"""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.links, self.item = set(), {}, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
            if tag in ("li", "tr"):
                self.item = a["id"]
                self.links[self.item] = []
        href = a.get("href", "")
        if tag == "a" and href.startswith("#"):
            self.links.setdefault(self.item, []).append(href[1:])


def static(page, trace_json):
    s = open(page, encoding="utf-8").read()
    if s.count("<noscript>") != 1 or s.count("</noscript>") != 1:
        sys.exit("not exactly one <noscript> ... </noscript>")
    if s.index("<noscript>") < s.index('<script type="application/json"'):
        sys.exit("the <noscript> lists come before the script")
    p = Static()
    p.feed(s[s.index("<noscript>") + 10:s.index("</noscript>")])
    t = json.load(open(trace_json, encoding="utf-8"))
    pos = {x["id"]: n + 1 for n, x in enumerate(t["documents"])}
    dangling = {h for links in p.links.values() for h in links} - p.ids
    if dangling:
        sys.exit(f"{len(dangling)} links lead nowhere, e.g. #{min(dangling)}")
    want_docs = set()
    for x in t["passages"]:
        docs = {f"d{pos[m['doc']]}" for m in x["members"]}
        want_docs |= docs
        if x["id"] not in p.links:
            sys.exit(f"no entry for passage {x['id']}")
        if not x["boilerplate"] and set(p.links[x["id"]]) - {x["id"]} != docs:
            sys.exit(f"{x['id']}: links {sorted(p.links[x['id']])[:5]}, "
                     f"not its documents {sorted(docs)[:5]}")
        for d in docs:
            if x["id"] not in p.links.get(d, []):
                sys.exit(f"{d} (in {x['id']}) does not link it")
    for n, q in enumerate(t["quotes"], 1):
        if f"q{n}" not in p.links:
            sys.exit(f"no entry for quote q{n}")
        want_docs |= {f"d{pos[m['doc']]}" for m in q["members"]}
    missing = want_docs - p.ids
    if missing:
        sys.exit(f"{len(missing)} documents sharing text have no entry, "
                 f"e.g. #{min(missing)}")
    print(f"{len(t['passages'])} passages, {len(want_docs)} documents, "
          f"{len(t['quotes'])} quotes listed, every link resolves")


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"docviews": docviews, "pick": pick, "search": search,
     "docview": docview, "static": static}[cmd](*args)
