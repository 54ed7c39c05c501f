#!/usr/bin/env python3
"""Input shapes, shard folders, codecs and formats (issue 14, item 1).

    python3 tests/cli/inputs.py REPRINT shapes|shards|codecs|formats|fields

shapes   datatrove and Dolma records (fields nested in "metadata") give the
         same dates, outlets and removals as the flat records they were
         made from: `dedup` and `trace` on each shape against the golden
         files of the flat shape (tests/cli/golden/shapes-*), compared
         modulo the records' own bytes; a kept nested record comes out
         byte for byte, a rewritten one with only its text value changed.
shards   a folder of mixed .jsonl/.gz/.zst/.xz/.bz2 shards (nested, with a
         hidden file and a README) gives the results of their
         concatenation.
codecs   .xz and .bz2 in and out; truncated, corrupt and trailing-garbage
         streams name the file; every output named .zst/.gz/.xz/.bz2 is
         compressed so.
formats  Parquet, WARC, CSV, a JSON array ... are refused by name; empty
         folders are an error.
fields   bad paths are usage errors; fields named but absent warn, or fail
         where they change results.

The corpus comes from tools/gen-corpus.py (fixed seed). Prints ok/FAIL
lines; exit 1 on any failure. REPRINT_UPDATE_GOLDEN=1 rewrites the golden
files of the flat shape (shapes-dedup.log.jsonl, shapes-dedup.clusters.jsonl,
and shapes-trace-digest.json: trace's documents with their dates and
outlets, each passage's origin and members, and the outlet flows)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
GOLDEN = os.path.join(HERE, "golden")
FAILED = []


def check(cond, what, detail=""):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        FAILED.append(what)
        if detail:
            print("     " + str(detail)[:600])


def run(args, cwd=None, ok_codes=(0,)):
    p = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    if p.returncode not in ok_codes:
        print("     command: %s\n     exit %d\n     %s" %
              (" ".join(args), p.returncode, p.stderr[-800:]))
    return p


def gen(path, size="300K", seed=11):
    subprocess.run([sys.executable, os.path.join(ROOT, "tools",
                                                 "gen-corpus.py"),
                    "--size", size, "--seed", str(seed), "-o", path],
                   check=True, capture_output=True)
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f]


def no_nulls(x):
    """A record without a date has no date key, in every shape."""
    if isinstance(x, dict):
        return {k: no_nulls(v) for k, v in x.items() if v is not None}
    if isinstance(x, list):
        return [no_nulls(v) for v in x]
    return x


def write(path, recs):
    with open(path, "w", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps(no_nulls(r), ensure_ascii=False) + "\n")


def slug(url):
    return url.split("/")[2]


# ---- the shapes ----------------------------------------------------------

def flat(r):
    return {"id": r["id"], "url": r["url"], "date": r.get("date"),
            "text": r["text"]}


def datatrove(r):
    """datatrove's Document as JsonlWriter writes it."""
    return {"text": r["text"], "id": r["id"], "media": [],
            "metadata": {"dump": "CC-MAIN-2024-10", "url": r["url"],
                         "date": r.get("date"), "file_path":
                         "s3://commoncrawl/crawl-data/x.warc.gz",
                         "language": "en", "language_score": 0.97}}


def dolma(r):
    """Dolma's format: source names the data set; created is the date."""
    return {"id": r["id"], "text": r["text"], "source": "common-crawl",
            "added": "2024-05-01T00:00:00.000Z", "created": r.get("date"),
            "metadata": {"url": r["url"], "warc": "x.warc.gz"}}


def deep(r):
    """Every field somewhere else, read through explicit paths."""
    return {"doc": {"body": r["text"], "ids": [r["id"]]},
            "meta.data": {"when": {"iso~date": r.get("date")}},
            "link/s": [{"href": r["url"]}]}


SHAPES = [
    ("flat", flat, []),
    ("datatrove", datatrove, []),
    ("datatrove-paths", datatrove,
     ["--date-field", "/metadata/date", "--url-field", "metadata.url"]),
    ("dolma", dolma, ["--source-field", "-"]),
    ("deep", deep,
     ["--text-field", "doc.body", "--id-field", "/doc/ids/0",
      "--date-field", "/meta.data/when/iso~0date",
      "--url-field", "/link~1s/0/href"]),
]


def text_token_split(line, rec_text):
    """(prefix, suffix) around the text value's JSON token in line."""
    tok = json.dumps(rec_text, ensure_ascii=False)
    at = line.find(tok)
    return (line[:at], line[at + len(tok):]) if at >= 0 else (None, None)


def golden(name, data):
    path = os.path.join(GOLDEN, name)
    if os.environ.get("REPRINT_UPDATE_GOLDEN") == "1":
        with open(path, "w", encoding="utf-8") as f:
            f.write(data)
        check(True, name + " (rewritten)")
        return
    with open(path, encoding="utf-8") as f:
        want = f.read()
    check(want == data, "%s matches the golden file" % name,
          next((f"line {i + 1}: want {a!r} got {b!r}" for i, (a, b) in
                enumerate(zip(want.splitlines(), data.splitlines()))
                if a != b), "lengths differ"))


def case_shapes(reprint, tmp):
    base = gen(os.path.join(tmp, "gen.jsonl"), "120K", 11)
    results = {}
    for name, shape, opts in SHAPES:
        d = os.path.join(tmp, name)
        os.mkdir(d)
        recs = [shape(r) for r in base]
        write(os.path.join(d, "in.jsonl"), recs)
        p = run([reprint, "dedup", "-q", "in.jsonl", "-o", "out.jsonl",
                 "--log", "log.jsonl", "--clusters", "clusters.jsonl",
                 *opts], cwd=d)
        t = run([reprint, "trace", "-q", "in.jsonl", "--json",
                 "trace.json", *opts], cwd=d)
        if p.returncode or t.returncode:
            check(False, name + ": dedup and trace run")
            continue
        # records without a date: named fields warn with the count
        noise = [l for l in (p.stderr + t.stderr).splitlines()
                 if not ("--date-field" in l and "is missing from" in l)]
        check(not noise, name + ": no other message", noise)
        with open(os.path.join(d, "in.jsonl"), encoding="utf-8") as f:
            lines_in = f.read().splitlines()
        with open(os.path.join(d, "out.jsonl"), encoding="utf-8") as f:
            lines_out = f.read().splitlines()
        by_id = {}
        for line, r in zip(lines_in, base):
            by_id[r["id"]] = line
        kept, same, rewritten, broken = [], 0, 0, []
        for line in lines_out:
            o = json.loads(line)
            rid = {"deep": lambda o: o["doc"]["ids"][0]}.get(
                name, lambda o: o["id"])(o)
            text = o["doc"]["body"] if name == "deep" else o["text"]
            kept.append((rid, text))
            src = by_id[rid]
            if line == src:
                same += 1
                continue
            orig = next(r["text"] for r in base if r["id"] == rid)
            pre, suf = text_token_split(src, orig)
            if (pre is not None and line.startswith(pre) and
                    line.endswith(suf) and
                    json.loads(line[len(pre):len(line) - len(suf)]) == text):
                rewritten += 1
            else:
                broken.append(rid)
        check(not broken, name + ": kept records byte for byte (%d) or "
              "with only the text value rewritten (%d)" % (same, rewritten),
              broken)
        with open(os.path.join(d, "log.jsonl"), encoding="utf-8") as f:
            log = f.read()
        with open(os.path.join(d, "clusters.jsonl"), encoding="utf-8") as f:
            clusters = f.read()
        with open(os.path.join(d, "trace.json"), encoding="utf-8") as f:
            trace = f.read()
        results[name] = (kept, log, clusters, trace, rewritten)
    if "flat" not in results:
        return
    kept, log, clusters, trace, rewritten = results["flat"]
    check(rewritten > 0 and log.count("\n") > 0,
          "flat: the corpus has removals and paragraph rewrites")
    golden("shapes-dedup.log.jsonl", log)
    golden("shapes-dedup.clusters.jsonl", clusters)
    t = json.loads(trace)
    digest = {"documents": t["documents"],
              "passages": [{"id": x["id"], "origin": x["origin"],
                            "origin_basis": x["origin_basis"],
                            "members": [m["doc"] for m in x["members"]]}
                           for x in t["passages"]],
              "flows": t["flows"]}
    golden("shapes-trace-digest.json",
           json.dumps(digest, indent=1, ensure_ascii=False) + "\n")
    for name, r in results.items():
        if name == "flat":
            continue
        check(r[0] == kept, name + ": same records kept, same texts")
        check(r[1] == log and r[2] == clusters,
              name + ": same removals, dates and evidence (log, clusters)")
        check(r[3] == trace,
              name + ": same trace (dates, outlets, passages)")


# ---- shards ----------------------------------------------------------------

COMPRESS = {"": None, ".gz": ["gzip", "-c"], ".zst": ["zstd", "-q", "-c"],
            ".xz": ["xz", "-c"], ".bz2": ["bzip2", "-c"]}


def compress(src, dst, ext):
    if COMPRESS[ext] is None:
        shutil.copy(src, dst)
        return
    with open(dst, "wb") as f:
        subprocess.run(COMPRESS[ext] + [src], stdout=f, check=True)


def strip_places(obj):
    """Drop the input file names and line numbers, which differ."""
    if isinstance(obj, dict):
        return {k: strip_places(v) for k, v in obj.items()
                if k not in ("file", "line", "files", "inputs")}
    if isinstance(obj, list):
        return [strip_places(v) for v in obj]
    return obj


def case_shards(reprint, tmp):
    recs = gen(os.path.join(tmp, "gen.jsonl"), "400K", 5)
    n = len(recs)
    # bytewise order of the relative paths: B.jsonl.bz2 < a.jsonl <
    # b/c.jsonl.zst < b/d/e.json.xz < b/f.jsonl.gz < g.ndjson
    names = ["B.jsonl.bz2", "a.jsonl", "b/c.jsonl.zst", "b/d/e.json.xz",
             "b/f.jsonl.gz", "g.ndjson"]
    folder = os.path.join(tmp, "shards")
    cut = [n * k // len(names) for k in range(len(names) + 1)]
    concat = os.path.join(tmp, "all.jsonl")
    with open(concat, "w", encoding="utf-8") as whole:
        for k, name in enumerate(names):
            part = recs[cut[k]:cut[k + 1]]
            plain = os.path.join(tmp, "part%d.jsonl" % k)
            write(plain, part)
            with open(plain, encoding="utf-8") as f:
                whole.write(f.read())
            dst = os.path.join(folder, name)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            ext = next(e for e in (".gz", ".zst", ".xz", ".bz2", "")
                       if name.endswith(e))
            compress(plain, dst, ext)
    # not read: hidden, other kinds
    write(os.path.join(folder, ".hidden.jsonl"), recs[:3])
    os.makedirs(os.path.join(folder, ".git"))
    write(os.path.join(folder, ".git", "x.jsonl"), recs[:3])
    with open(os.path.join(folder, "README.md"), "w") as f:
        f.write("not a shard\n")
    outs = {}
    for what, inp in (("folder", folder), ("concat", concat)):
        d = run([reprint, "dedup", inp, "-o", os.path.join(tmp, what + ".out"),
                 "--log", os.path.join(tmp, what + ".log")])
        t = run([reprint, "trace", "-q", inp, "--json",
                 os.path.join(tmp, what + ".trace.json")])
        if d.returncode or t.returncode:
            check(False, what + ": dedup and trace run")
            return
        outs[what] = d.stderr
    check("6 files read (1 input, 1 folder)" in outs["folder"],
          "the folder's 6 shards are read and counted (hidden files, "
          "README skipped)", outs["folder"])
    with open(os.path.join(tmp, "folder.out"), "rb") as a, \
            open(os.path.join(tmp, "concat.out"), "rb") as b:
        check(a.read() == b.read(),
              "shard folder: records out = those of the concatenation")
    logs = []
    for what in ("folder", "concat"):
        with open(os.path.join(tmp, what + ".log"), encoding="utf-8") as f:
            logs.append([strip_places(json.loads(l)) for l in f])
    check(logs[0] == logs[1] and logs[0],
          "shard folder: the same removals as the concatenation")
    tr = []
    for what in ("folder", "concat"):
        with open(os.path.join(tmp, what + ".trace.json"),
                  encoding="utf-8") as f:
            tr.append(strip_places(json.load(f)))
    check(tr[0] == tr[1], "shard folder: the same trace as the "
          "concatenation")


# ---- codecs ----------------------------------------------------------------

def case_codecs(reprint, tmp):
    recs = gen(os.path.join(tmp, "gen.jsonl"), "200K", 2)
    src = os.path.join(tmp, "in.jsonl")
    write(src, recs)
    ref = os.path.join(tmp, "ref.jsonl")
    run([reprint, "dedup", "-q", src, "-o", ref])
    with open(ref, "rb") as f:
        want = f.read()
    for ext, dec in ((".xz", ["xz", "-dc"]), (".bz2", ["bzip2", "-dc"]),
                     (".zst", ["zstd", "-dc"]), (".gz", ["gzip", "-dc"])):
        c = os.path.join(tmp, "in.jsonl" + ext)
        compress(src, c, ext)
        out = os.path.join(tmp, "out.jsonl" + ext)
        log = os.path.join(tmp, "log.jsonl" + ext)
        p = run([reprint, "dedup", "-q", c, "-o", out, "--log", log])
        got = subprocess.run(dec + [out], capture_output=True).stdout
        glog = subprocess.run(dec + [log], capture_output=True).stdout
        check(p.returncode == 0 and got == want and glog.startswith(b"{"),
              "%s in, -o out%s and --log log%s: compressed, same records"
              % (ext, ext, ext))
    # two streams joined with cat are one input
    for ext in (".xz", ".bz2"):
        c = os.path.join(tmp, "in.jsonl" + ext)
        cat = os.path.join(tmp, "cat.jsonl" + ext)
        with open(c, "rb") as f:
            data = f.read()
        with open(cat, "wb") as f:
            f.write(data + data)
        p = run([reprint, "dedup", cat, "-o", os.devnull])
        check(p.returncode == 0 and
              "%d records in" % (2 * len(recs)) in p.stderr,
              ext + ": concatenated streams are read on")
        cut = os.path.join(tmp, "cut.jsonl" + ext)
        with open(cut, "wb") as f:
            f.write(data[:len(data) * 2 // 3])
        out = os.path.join(tmp, "never.jsonl")
        p = run([reprint, "dedup", cut, "-o", out], ok_codes=(1,))
        name = "xz" if ext == ".xz" else "bzip2"
        check(p.returncode == 1 and ("cut.jsonl%s:" % ext) in p.stderr and
              "truncated %s stream" % name in p.stderr and
              "byte offset" in p.stderr and not os.path.exists(out),
              ext + ": a truncated stream names file, line and offset; "
              "no output", p.stderr)
        bad = bytearray(data)
        for i in range(len(bad) // 3, len(bad) // 3 + 64):
            bad[i] ^= 0x5a
        cor = os.path.join(tmp, "bad.jsonl" + ext)
        with open(cor, "wb") as f:
            f.write(bytes(bad))
        p = run([reprint, "dedup", cor, "-o", out], ok_codes=(1,))
        check(p.returncode == 1 and ("bad.jsonl%s:" % ext) in p.stderr and
              "corrupt %s stream" % name in p.stderr and
              not os.path.exists(out),
              ext + ": a corrupt stream is named", p.stderr)
        gar = os.path.join(tmp, "tail.jsonl" + ext)
        with open(gar, "wb") as f:
            f.write(data + b"garbage")
        p = run([reprint, "dedup", gar, "-o", out], ok_codes=(1,))
        check(p.returncode == 1 and ("tail.jsonl%s:" % ext) in p.stderr and
              not os.path.exists(out),
              ext + ": trailing garbage is an error", p.stderr)
    # a bomb: 64 MiB of one line from a small file, refused by the limit
    bomb = os.path.join(tmp, "bomb.jsonl.xz")
    with open(bomb, "wb") as f:
        big = b'{"text":"' + b"a" * (64 << 20) + b'"}\n'
        f.write(subprocess.run(["xz", "-1", "-c"], input=big,
                               capture_output=True).stdout)
    p = run([reprint, "dedup", bomb, "-o", os.devnull,
             "--max-record-bytes", "1000000"], ok_codes=(1,))
    check(p.returncode == 1 and "longer than the limit" in p.stderr,
          ".xz: a decompression bomb stops at --max-record-bytes",
          p.stderr)


# ---- formats ---------------------------------------------------------------

FORMATS = [
    ("a.parquet", b"PAR1\x15\x04\x15\x10", "Parquet"),
    ("a.warc", b"WARC/1.0\r\nWARC-Type: response\r\n\r\n", "WARC"),
    ("a.csv", b"id,text,date\n1,hello,2020\n", "CSV"),
    ("a.tsv", b"id\ttext\n1\thello\n", "TSV"),
    ("a.json", b'[{"text": "a"}, {"text": "b"}]\n', "a JSON array"),
    ("b.json", b'{\n  "text": "a"\n}\n', "pretty-printed JSON"),
    ("a.zip", b"PK\x03\x04\x14\x00\x00\x00", "zip archive"),
    ("a.7z", b"7z\xbc\xaf\x27\x1c\x00\x04", "7z archive"),
    ("a.tar", b"x" * 257 + b"ustar\x0000" + b"\x00" * 100, "tar archive"),
    ("u16.jsonl", '{"text":"a"}\n'.encode("utf-16"), "UTF-16"),
    ("a.html", b"<!doctype html><html>", "HTML"),
]


def case_formats(reprint, tmp):
    for name, data, says in FORMATS:
        path = os.path.join(tmp, name)
        with open(path, "wb") as f:
            f.write(data)
        for cmd in ("dedup", "trace"):
            out = os.path.join(tmp, "out")
            args = [reprint, cmd, path] + (["-o", out] if cmd == "dedup"
                                           else ["--json", out])
            p = run(args, ok_codes=(1,))
            check(p.returncode == 1 and
                  ("%s: unsupported format: looks like" % path) in p.stderr
                  and says in p.stderr and not os.path.exists(out),
                  "%s %s: 'unsupported format: ... %s'" % (cmd, name, says),
                  p.stderr)
    # compressed: told after decompression
    w = os.path.join(tmp, "a.warc")
    compress(w, w + ".gz", ".gz")
    p = run([reprint, "dedup", w + ".gz", "-o", os.devnull], ok_codes=(1,))
    check("looks like WARC" in p.stderr, "a .warc.gz is told as WARC")
    # a JSON Lines file that starts with a blank line is still read
    ok = os.path.join(tmp, "ok.jsonl")
    with open(ok, "w") as f:
        f.write('\n  \n{"text": "one two three four five six seven"}\n')
    p = run([reprint, "dedup", "-q", ok, "-o", os.devnull])
    check(p.returncode == 0, "blank lines before the first record: read")
    # folders
    empty = os.path.join(tmp, "empty")
    os.mkdir(empty)
    other = os.path.join(tmp, "other")
    os.mkdir(other)
    with open(os.path.join(other, "notes.md"), "w") as f:
        f.write("x\n")
    write(os.path.join(other, ".hidden.jsonl"), [{"text": "a b c"}])
    for d, what in ((empty, "an empty folder"),
                    (other, "a folder with no readable file")):
        for cmd in ("dedup", "trace"):
            out = os.path.join(tmp, "out")
            args = [reprint, cmd, d] + (["-o", out] if cmd == "dedup"
                                        else ["--json", out])
            p = run(args, ok_codes=(1,))
            check(p.returncode == 1 and ("%s: no input file" % d) in p.stderr
                  and not os.path.exists(out),
                  "%s %s is an error" % (cmd, what), p.stderr)


# ---- fields ----------------------------------------------------------------

def case_fields(reprint, tmp):
    recs = gen(os.path.join(tmp, "gen.jsonl"), "100K", 4)
    src = os.path.join(tmp, "in.jsonl")
    write(src, [datatrove(r) for r in recs])
    n = len(recs)
    out = os.path.join(tmp, "out")
    for bad in ("a..b", ".a", "a.", "/a/~2", "/a~"):
        for cmd in ("dedup", "trace"):
            args = [reprint, cmd, src, "--date-field", bad] + (
                ["-o", out] if cmd == "dedup" else ["--json", out])
            p = run(args, ok_codes=(2,))
            check(p.returncode == 2 and "--date-field" in p.stderr and
                  not os.path.exists(out),
                  "%s --date-field %s: a usage error" % (cmd, bad),
                  p.stderr)
    p = run([reprint, "dedup", src, "--text-field", "-", "-o", out],
            ok_codes=(2,))
    check(p.returncode == 2, "--text-field - is a usage error")
    # warnings: named, absent, no effect on results
    p = run([reprint, "dedup", "-q", src, "--id-field", "nosuch", "-o", out])
    check(p.returncode == 0 and
          '--id-field "nosuch" is in none of the %d records' % n in p.stderr,
          "dedup --id-field nosuch: a warning with the count", p.stderr)
    p = run([reprint, "trace", "-q", src, "--url-field", "nosuch",
             "--json", out])
    check(p.returncode == 0 and '--url-field "nosuch" is in none' in
          p.stderr, "trace --url-field nosuch: a warning", p.stderr)
    half = os.path.join(tmp, "half.jsonl")
    write(half, [dict(datatrove(r), uid="u%d" % i) if i % 2 else
                 datatrove(r) for i, r in enumerate(recs)])
    p = run([reprint, "dedup", "-q", half, "--id-field", "uid", "-o", out])
    check(p.returncode == 0 and '--id-field "uid" is missing from %d of '
          'the %d records' % ((n + 1) // 2, n) in p.stderr,
          "a field some records lack: a warning with counts", p.stderr)
    # options that cannot take effect
    nod = os.path.join(tmp, "nodates.jsonl")
    write(nod, [{"id": r["id"], "text": r["text"]} for r in recs])
    p = run([reprint, "dedup", "-q", nod, "-o", out])
    check("no record has a date, so --keep earliest" in p.stderr,
          "--keep earliest with no date at all: a warning", p.stderr)
    p = run([reprint, "dedup", "-q", nod, "--keep", "first", "-o", out])
    check(p.stderr == "", "... not with --keep first", p.stderr)
    p = run([reprint, "dedup", "-q", src, "--level", "doc",
             "--para-threshold", "0.5", "--follow-symlinks", "-o", out])
    check("--para-threshold has no effect with --level doc" in p.stderr and
          "--follow-symlinks has no effect" in p.stderr,
          "--para-threshold with --level doc, --follow-symlinks with no "
          "folder: warnings", p.stderr)
    # errors where results would change
    os.path.exists(out) and os.unlink(out)
    p = run([reprint, "dedup", src, "--date-field", "date", "-o", out],
            ok_codes=(1,))
    check(p.returncode == 1 and 'date field "date" is in none' in p.stderr
          and not os.path.exists(out),
          "dedup --keep earliest with a date field in no record: an error, "
          "no output", p.stderr)
    p = run([reprint, "dedup", "-q", src, "--date-field", "date",
             "--keep", "first", "-o", out])
    check(p.returncode == 0 and '--date-field "date" is in none' in
          p.stderr, "... with --keep first: a warning", p.stderr)
    os.unlink(out)
    for f in ("--date-field", "--source-field"):
        p = run([reprint, "trace", src, f, "nosuch", "--json", out],
                ok_codes=(1,))
        check(p.returncode == 1 and "field \"nosuch\" is in none" in
              p.stderr and not os.path.exists(out),
              "trace %s nosuch: an error, no output" % f, p.stderr)
    # a key with a dot in it: a dotted path never reaches it, a JSON
    # Pointer does. Two copies of one text; the nested dates keep one, the
    # top-level "metadata.date" keys the other
    text = " ".join(recs[0]["text"].split()[:60])
    lit = os.path.join(tmp, "literal.jsonl")
    write(lit, [{"id": "a", "text": text, "metadata.date": "2021-05-02",
                 "metadata": {"date": "2020-01-01"}},
                {"id": "b", "text": text, "metadata.date": "2021-05-01",
                 "metadata": {"date": "2020-01-02"}}])
    kept = {}
    for path in ("metadata.date", "/metadata.date", "/metadata/date"):
        p = run([reprint, "dedup", "-q", lit, "--date-field", path, "-o",
                 out])
        kept[path] = [json.loads(x)["id"] for x in open(out)]
        check(p.returncode == 0 and p.stderr == "",
              "--date-field %s: read, no warning" % path, p.stderr)
    check(kept["metadata.date"] == ["a"] and kept["/metadata/date"] == ["a"]
          and kept["/metadata.date"] == ["b"],
          "a dotted path is nested keys; the JSON Pointer /metadata.date "
          "is the key \"metadata.date\"", kept)
    p = run([reprint, "dedup", "--help"])
    check("/metadata.date is the top-level key" in
          " ".join(p.stdout.split()), "--help says how to name a key with "
          "a dot in it")
    # --title-field (trace): a path like the others, the same checks
    tit = os.path.join(tmp, "titles.jsonl")
    write(tit, [{"id": "a", "text": text, "meta": {"headline": "Head <A>"}},
                {"id": "b", "text": text, "title": "default title"}])
    p = run([reprint, "trace", "-q", tit, "--title-field", "meta.headline",
             "--json", out])
    docs = {d["id"]: d["title"] for d in json.load(open(out))["documents"]}
    check(p.returncode == 0 and docs == {"a": "Head <A>", "b": None} and
          '--title-field "meta.headline" is missing from 1 of the 2 '
          'records' in p.stderr,
          "trace --title-field meta.headline: that field's titles, a "
          "warning for the record without one", (docs, p.stderr))
    p = run([reprint, "trace", "-q", tit, "--json", out])
    docs = {d["id"]: d["title"] for d in json.load(open(out))["documents"]}
    check(p.returncode == 0 and docs == {"a": None, "b": "default title"},
          "trace: titles from title/headline by default", docs)
    for f in ("--title-field", "--author-field"):
        p = run([reprint, "trace", "-q", tit, f, "nosuch", "--json", out])
        check(p.returncode == 0 and '%s "nosuch" is in none of the 2 '
              'records' % f in p.stderr, "trace %s nosuch: a warning" % f,
              p.stderr)
        p = run([reprint, "trace", tit, f, "a..b", "--json", out],
                ok_codes=(2,))
        check(p.returncode == 2 and f in p.stderr,
              "trace %s a..b: a usage error" % f, p.stderr)
    # ... but not in a field dedup does not read (author, title), from
    # records or from their .rps
    dupt = os.path.join(tmp, "duptitle.jsonl")
    with open(dupt, "w") as f:
        f.write('{"id":"a","title":"x","title":"y","author":"p","author":'
                '"q","text":"%s"}\n' % text)
    rps = os.path.join(tmp, "duptitle.rps")
    p = run([reprint, "sign", "-q", dupt, "-o", rps])
    p2 = run([reprint, "dedup", "-q", rps, "-o", out])
    p3 = run([reprint, "dedup", "-q", dupt, "-o", out])
    check(p.returncode == p2.returncode == p3.returncode == 0 and
          open(out).read() == open(dupt).read(),
          "dedup: a duplicate title or author key is not a bad record "
          "(dedup reads neither)", p.stderr + p2.stderr + p3.stderr)
    # duplicate keys along a path are bad records
    dup = os.path.join(tmp, "dup.jsonl")
    with open(dup, "w") as f:
        f.write('{"text":"a b c d e f g h","metadata":{"date":"2020",'
                '"date":"2021"}}\n')
    p = run([reprint, "dedup", dup, "-o", out], ok_codes=(1,))
    check(p.returncode == 1 and 'duplicate key "metadata.date"' in p.stderr
          and ":1:" in p.stderr, "a duplicate nested date key: a bad "
          "record, named with its line", p.stderr)
    with open(dup, "w") as f:
        f.write('{"text":"a b c d e f g h","metadata":{"url":"x"},'
                '"metadata":{"date":"2021"}}\n')
    p = run([reprint, "dedup", dup, "-o", out], ok_codes=(1,))
    check(p.returncode == 1 and 'duplicate key "metadata.date"' in p.stderr,
          "a duplicate key on the path: a bad record", p.stderr)


CASES = {"shapes": case_shapes, "shards": case_shards,
         "codecs": case_codecs, "formats": case_formats,
         "fields": case_fields}


def main():
    reprint, case = os.path.abspath(sys.argv[1]), sys.argv[2]
    with tempfile.TemporaryDirectory(prefix="reprint-inputs.") as tmp:
        CASES[case](reprint, tmp)
    print("%d failed" % len(FAILED))
    sys.exit(1 if FAILED else 0)


if __name__ == "__main__":
    main()
