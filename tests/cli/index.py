#!/usr/bin/env python3
"""index.py - the persistent index (issue 11 item 2), end to end.

  index.py REPRINT MODE      MODE: stream, window, crash, damage

stream  days 1..N one at a time with --against --update give the records,
        and the removals, of one run over all days with --keep first; the
        log names the indexed record by id, file, line and date
window  a copy of a record older than --window is kept; a newer one is not;
        --update evicts what fell out of the window
crash   readers (info --check, dedup --against) beside a writer see one
        generation; kill -9 at 20 moments during `index add`: the index
        then opens at the previous or the new generation, and `index info
        --check` passes
shards  sign --shard I/N over a folder, then dedup (and index add) over
        the N .rps files in shard order, equal one run over the folder
damage  a truncated run, a changed entry, bits flipped anywhere in a run,
        a missing run, a damaged manifest, a directory that is not an index,
        and an index of other parameters: a clear error naming the index,
        exit 1, never a crash
"""
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GEN = os.path.join(ROOT, "tools", "gen-corpus.py")


def run(*args, ok=True, **kw):
    p = subprocess.run([REPRINT, *args], capture_output=True, text=True, **kw)
    if p.returncode < 0 or "Sanitizer" in p.stderr:
        sys.exit(f"FAIL: {args} crashed ({p.returncode}): {p.stderr[-2000:]}")
    if ok and p.returncode != 0:
        sys.exit(f"FAIL: {args} exited {p.returncode}: {p.stderr[-2000:]}")
    return p


def info(idx, check=True):
    p = run("index", "info", idx, *(["--check"] if check else []))
    out = {}
    for line in p.stdout.splitlines():
        k, _, v = line.partition(":")
        out[k.strip()] = v.strip()
    return out


def days_of(tmp, size, n):
    """A generated corpus in date order, cut into n days."""
    src = os.path.join(tmp, "gen.jsonl")
    subprocess.run([sys.executable, GEN, "--size", size, "--seed", "11",
                    "-o", src], check=True, capture_output=True)
    rows = [json.loads(l) for l in open(src, encoding="utf-8")]
    rows.sort(key=lambda r: r.get("date") or "")
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    whole = os.path.join(tmp, "all.jsonl")
    with open(whole, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    days = []
    for i in range(n):
        d = os.path.join(tmp, f"day{i}.jsonl")
        with open(d, "w", encoding="utf-8") as f:
            f.write("\n".join(lines[i * len(lines) // n:(i + 1) * len(lines) // n]) + "\n")
        days.append(d)
    return whole, days


def removed(log):
    return sorted((r["level"], r["removed"], r.get("para", -1))
                  for r in map(json.loads, open(log, encoding="utf-8")))


def stream(tmp):
    whole, days = days_of(tmp, "3M", 5)
    one = os.path.join(tmp, "one.jsonl")
    run("dedup", "--keep", "first", whole, "-o", one, "--log", one + ".log",
        "-q")
    idx = os.path.join(tmp, "idx")
    run("index", "create", idx, "-q")
    outs, logs = [], []
    for i, d in enumerate(days):
        o = os.path.join(tmp, f"out{i}.jsonl")
        run("dedup", "--against", idx, "--update", "--keep", "first", d,
            "-o", o, "--log", o + ".log", "-q")
        outs.append(o)
        logs.append(o + ".log")
        assert info(idx)["generation"] == str(i + 1)
    got = b"".join(open(o, "rb").read() for o in outs)
    if got != open(one, "rb").read():
        sys.exit("FAIL: day by day against the index differs from one run")
    by_day = []
    for l in logs:
        by_day += removed(l)
    if sorted(by_day) != removed(one + ".log"):
        sys.exit("FAIL: the removals differ from one run's")
    indexed = [r for l in logs for r in map(json.loads, open(l))
               if "index" in r]
    if not indexed:
        sys.exit("FAIL: no removal in favour of an indexed record")
    for r in indexed:
        ix = r["index"]
        if not (r["kept"] and ix["file"].endswith(".jsonl") and ix["line"] >= 1
                and "entry" in ix and "date" in ix):
            sys.exit(f"FAIL: indexed removal lacks id, file, line, date: {r}")
    # running a day again against the updated index removes all of it
    again = os.path.join(tmp, "again.jsonl")
    run("dedup", "--against", idx, "--keep", "first", days[1], "-o", again,
        "-q")
    if os.path.getsize(again) != 0:
        sys.exit("FAIL: a day already indexed was not removed as a whole")
    # compact: one run, the same answers
    nruns = len([f for f in os.listdir(idx) if f.endswith(".rpr")])
    run("index", "compact", idx, "-q")
    if len([f for f in os.listdir(idx) if f.endswith(".rpr")]) != 1 or nruns < 2:
        sys.exit(f"FAIL: compact left {os.listdir(idx)} (from {nruns} runs)")
    again2 = os.path.join(tmp, "again2.jsonl")
    run("dedup", "--against", idx, "--keep", "first", days[1], "-o", again2,
        "-q")
    if os.path.getsize(again2) != 0 or info(idx)["generation"] != str(len(days) + 1):
        sys.exit("FAIL: after compact the index answers otherwise")
    # index add = dedup --against --update without records
    idx2 = os.path.join(tmp, "idx2")
    run("index", "create", idx2, "-q")
    for d in days:
        run("index", "add", idx2, "--keep", "first", d, "-q")
    a, b = info(idx), info(idx2)
    if (a["documents"], a["paragraphs"]) != (b["documents"], b["paragraphs"]):
        sys.exit(f"FAIL: index add and dedup --update differ: {a} {b}")
    print(f"stream: {len(days)} days = one run; {len(indexed)} removals "
          f"for indexed records; {a['documents']} documents indexed")


def record(i, date, text):
    return json.dumps({"id": f"r{i}", "date": date, "text": text})


STORY = ("The harbour authority said on Tuesday that the new container "
         "terminal would open in the spring after two years of delays, "
         "and that shipping lines had already booked most of its berths "
         "for the first season of operation at the port.")


def window(tmp):
    d0 = os.path.join(tmp, "w0.jsonl")
    d1 = os.path.join(tmp, "w1.jsonl")
    d2 = os.path.join(tmp, "w2.jsonl")
    open(d0, "w").write(record(0, "2026-01-01", STORY) + "\n")
    open(d1, "w").write(record(1, "2026-01-20", "An unrelated note about "
                               "the weather in the mountains this week, "
                               "with snow expected on the high passes.") + "\n")
    open(d2, "w").write(record(2, "2026-01-21", STORY) + "\n")
    for win, expect_kept in (("30d", False), ("7d", True)):
        idx = os.path.join(tmp, "widx" + win)
        run("index", "create", idx, "-q")
        run("index", "add", idx, d0, "-q")
        run("dedup", "--against", idx, "--update", "--window", win, d1,
            "-o", os.path.join(tmp, "w1.out"), "-q")
        out = os.path.join(tmp, "w2.out")
        run("dedup", "--against", idx, "--window", win, d2, "-o", out, "-q")
        kept = os.path.getsize(out) > 0
        if kept != expect_kept:
            sys.exit(f"FAIL: --window {win}: the copy of a 20-day-old story "
                     f"was {'kept' if kept else 'removed'}")
        n = int(info(idx)["documents"])
        if n != (1 if expect_kept else 2):
            sys.exit(f"FAIL: --window {win}: {n} documents left in the index")
    print("window: 7d keeps a copy of a 20-day-old record and evicts it; "
          "30d removes it")


def crash(tmp):
    whole, _ = days_of(tmp, "1M", 1)
    idx = os.path.join(tmp, "cidx")
    run("index", "create", idx, "-q")
    first = os.path.join(tmp, "first.jsonl")
    rows = open(whole, encoding="utf-8").read().splitlines()
    open(first, "w").write("\n".join(rows[: len(rows) // 2]) + "\n")
    second = os.path.join(tmp, "second.jsonl")
    open(second, "w").write("\n".join(rows[len(rows) // 2:]) + "\n")
    run("index", "add", idx, first, "-q")
    before = info(idx)
    # the full add, timed, for the moments to kill at
    ref = os.path.join(tmp, "ref")
    shutil.copytree(idx, ref)
    t0 = time.monotonic()
    run("index", "add", ref, second, "-q")
    span = time.monotonic() - t0
    after = info(ref)
    # readers beside the writer: each sees one whole generation
    work = os.path.join(tmp, "readers")
    shutil.copytree(idx, work)
    p = subprocess.Popen([REPRINT, "index", "add", work, second, "-q"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    reads = 0
    while p.poll() is None or reads == 0:
        now = info(work)
        if now["generation"] not in (before["generation"], after["generation"]):
            sys.exit(f"FAIL: a reader saw generation {now['generation']}")
        run("dedup", "--against", work, first, "-o",
            os.path.join(tmp, "r.jsonl"), "-q")
        reads += 1
    if p.wait() != 0 or info(work)["documents"] != after["documents"]:
        sys.exit("FAIL: the writer beside readers failed")
    shutil.rmtree(work)
    rnd = random.Random(7)
    seen = {"old": 0, "new": 0}
    for k in range(20):
        work = os.path.join(tmp, f"k{k}")
        shutil.copytree(idx, work)
        p = subprocess.Popen([REPRINT, "index", "add", work, second, "-q"],
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        time.sleep(rnd.uniform(0, span * 1.1))
        p.send_signal(signal.SIGKILL)
        p.wait()
        now = info(work)
        key = ("generation", "documents", "paragraphs")
        if all(now[x] == before[x] for x in key):
            seen["old"] += 1
        elif all(now[x] == after[x] for x in key):
            seen["new"] += 1
        else:
            sys.exit(f"FAIL: after kill -9 the index is neither generation: "
                     f"{now} (before {before}, after {after})")
        # and a writer can go on from there
        if now["generation"] == before["generation"]:
            run("index", "add", work, second, "-q")
            if info(work)["documents"] != after["documents"]:
                sys.exit("FAIL: the add after a crash gives another index")
        shutil.rmtree(work)
    print(f"crash: {reads} reads beside a writer; 20 kills, {seen['old']} "
          f"at the previous generation, {seen['new']} at the new one, every "
          f"one checked")


def expect_error(args, what):
    p = run(*args, ok=False)
    if p.returncode != 1 or what not in p.stderr:
        sys.exit(f"FAIL: {args}: exit {p.returncode}, want 1 and '{what}': "
                 f"{p.stderr[-500:]}")


def shards(tmp):
    whole, days = days_of(tmp, "2M", 7)
    folder = os.path.join(tmp, "parts")
    os.mkdir(folder)
    for i, d in enumerate(days):
        shutil.copy(d, os.path.join(folder, f"part{i}.jsonl"))
    ref = os.path.join(tmp, "ref.jsonl")
    run("dedup", folder, "-o", ref, "--log", ref + ".log", "-q")
    for n in (1, 3, 10):  # 10 shards of 7 files: some are empty
        rps = []
        for i in range(1, n + 1):
            r = os.path.join(tmp, f"s{n}-{i}.rps")
            run("sign", "--shard", f"{i}/{n}", folder, "-o", r, "-q")
            rps.append(r)
        out = os.path.join(tmp, f"from{n}.jsonl")
        run("dedup", *rps, "-o", out, "--log", out + ".log", "-q")
        if (open(out, "rb").read() != open(ref, "rb").read() or
                open(out + ".log", "rb").read() != open(ref + ".log", "rb").read()):
            sys.exit(f"FAIL: dedup over {n} shards differs from one run")
    idx_a, idx_b = os.path.join(tmp, "ia"), os.path.join(tmp, "ib")
    run("index", "create", idx_a, "-q")
    run("index", "create", idx_b, "-q")
    run("index", "add", idx_a, folder, "-q")
    run("index", "add", idx_b, *rps, "-q")
    if ({k: v for k, v in info(idx_a).items() if k != "index"} !=
            {k: v for k, v in info(idx_b).items() if k != "index"}):
        sys.exit("FAIL: index add over shards differs from over the folder")
    x = os.path.join(tmp, "x.rps")
    for args, what in ((["sign", "--shard", "4/3", folder, "-o", x],
                        "not I/N"),
                       (["sign", "--shard", "1/2", "-", "-o", x],
                        "standard input")):
        p = run(*args, ok=False, input="")
        if p.returncode == 0 or what not in p.stderr:
            sys.exit(f"FAIL: {args}: {p.returncode} {p.stderr}")
    p = run("dedup", rps[0], whole, "-o", os.path.join(tmp, "m"), ok=False)
    if p.returncode != 1 or "not both" not in p.stderr:
        sys.exit(f"FAIL: records and .rps mixed: {p.returncode} {p.stderr}")
    print("shards: 1, 3 and 10 shards equal one run; index add too; bad "
          "shards refused")


def damage(tmp):
    whole, _ = days_of(tmp, "1M", 1)
    idx = os.path.join(tmp, "didx")
    run("index", "create", idx, "-q")
    run("index", "add", idx, whole, "-q")
    runs = sorted(f for f in os.listdir(idx) if f.endswith(".rpr"))
    if len(runs) != 1:
        sys.exit(f"FAIL: one add, {len(runs)} run files")
    blob = open(os.path.join(idx, runs[0]), "rb").read()
    # truncated
    t = os.path.join(tmp, "trunc")
    shutil.copytree(idx, t)
    with open(os.path.join(t, runs[0]), "r+b") as f:
        f.truncate(len(blob) // 2)
    expect_error(["index", "info", t], "truncated")
    expect_error(["dedup", "--against", t, whole, "-o", os.path.join(tmp, "x")],
                 "truncated")
    # a changed byte inside a stored record: its checksum says so
    first_id = json.loads(open(whole).readline())["id"].encode()
    at = blob.find(first_id)
    if at < 0:
        sys.exit("FAIL: no record id found in the run file")
    c = os.path.join(tmp, "changed")
    shutil.copytree(idx, c)
    with open(os.path.join(c, runs[0]), "r+b") as f:
        f.seek(at + 2)
        b = f.read(1)
        f.seek(at + 2)
        f.write(bytes([b[0] ^ 0x20]))
    expect_error(["index", "info", c, "--check"], "damaged")
    # a changed byte anywhere in the run (a seeded sample of places): an
    # error naming the index or its run, or a right answer, never a crash
    rnd = random.Random(3)
    for k in range(40):
        c2 = os.path.join(tmp, f"flip{k}")
        shutil.copytree(idx, c2)
        pos = rnd.randrange(len(blob))
        with open(os.path.join(c2, runs[0]), "r+b") as f:
            f.seek(pos)
            b = f.read(1)
            f.seek(pos)
            f.write(bytes([b[0] ^ (1 << rnd.randrange(8))]))
        p = run("index", "info", c2, "--check", ok=False)
        if p.returncode not in (0, 1) or (p.returncode and c2 not in p.stderr):
            sys.exit(f"FAIL: a flipped bit at {pos}: exit {p.returncode}: "
                     f"{p.stderr[-300:]}")
        if p.returncode == 0:
            sys.exit(f"FAIL: a flipped bit at {pos} went unseen by --check")
        shutil.rmtree(c2)
    # a missing run, a damaged manifest, not an index
    m = os.path.join(tmp, "missing")
    shutil.copytree(idx, m)
    os.remove(os.path.join(m, runs[0]))
    expect_error(["index", "info", m], "missing")
    for name, content in (("empty", b""), ("text", b"hello\n" * 5000),
                          ("zeros", b"\0" * 65536)):
        d = os.path.join(tmp, name)
        shutil.copytree(idx, d)
        open(os.path.join(d, "manifest"), "wb").write(content)
        p = run("index", "info", d, ok=False)
        if p.returncode != 1 or d not in p.stderr:
            sys.exit(f"FAIL: {name} manifest: exit {p.returncode}: "
                     f"{p.stderr[-300:]}")
    e = os.path.join(tmp, "emptydir")
    os.mkdir(e)
    expect_error(["index", "info", e], "not a reprint index")
    expect_error(["index", "info", os.path.join(tmp, "nothing")], "no index")
    # other parameters
    expect_error(["dedup", "--against", idx, "--threshold", "0.5", whole,
                  "-o", os.path.join(tmp, "y")], "other parameters")
    # the refused runs left no output behind
    for f in ("x", "y"):
        if os.path.exists(os.path.join(tmp, f)):
            sys.exit("FAIL: a failed run left an output")
    print("damage: truncated, changed, foreign and mismatched indexes each "
          "give a clear error")


if __name__ == "__main__":
    REPRINT, mode = sys.argv[1], sys.argv[2]
    tmp = tempfile.mkdtemp(prefix="rp-index-")
    try:
        {"stream": stream, "window": window, "crash": crash,
         "shards": shards, "damage": damage}[mode](tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
