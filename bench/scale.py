#!/usr/bin/env python3
"""Speed and memory of reprint on generated corpora of growing size, each
figure also a ratio to baselines timed in the same run over the same bytes.

    bench/scale.py --bin BUILD_DIR --work DIR --sizes 10M,100M,1G \
        [--reps 3] [--plot FILE.svg] [--json FILE]

For every size: tools/gen-corpus.py writes DIR/gen-SIZE.jsonl (seed 1, kept
for the next run: the same size and seed give the same bytes) and zstd -3
a .zst copy. Then, best of --reps wall times each (once at 2 GiB and
over), with peak RSS and minor page faults from GNU time:

  LC_ALL=C wc -w, xxhsum -H3, zstd -dc      the baselines
  bench_sign                                one thread, records in memory:
                                            parse, normalise, shingle, sign
  reprint sign / dedup  --threads 1 and N   end to end from the file
  reprint dedup on the .zst                 against zstd -dc
  bench_touch                               first touch of dedup's peak
                                            RSS, 1 and N threads
  reprint trace                             (one thread: trace has no
                                            --threads yet)

A run whose peak RSS at the next smaller size, scaled by bytes, would not
fit in 90 % of MemAvailable is reported as not run. It prints Markdown
(tables, slopes of log time against log size, stage timings, the speed
targets) and writes the raw figures as JSON and a time-vs-size SVG.
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import svgplot  # noqa: E402


def parse_size(s):
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([KMG]?)", s.upper())
    return int(float(m.group(1)) * {"": 1, "K": 1 << 10, "M": 1 << 20,
                                    "G": 1 << 30}[m.group(2)])


def run_once(cmd, stdout=subprocess.DEVNULL, env=None):
    """(wall seconds, peak RSS bytes, stderr text, minor page faults) of
    one run; RSS and faults are GNU time's %M and %R (a child forked from
    Python would report Python's)"""
    fd, tf = tempfile.mkstemp()
    os.close(fd)
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%M %R", "-o", tf] + cmd,
                       stdout=stdout, stderr=subprocess.PIPE, env=env)
    dt = time.perf_counter() - t0
    with open(tf) as f:
        kb = f.read().split()
    os.remove(tf)
    err = p.stderr.decode(errors="replace")
    if p.returncode != 0 or len(kb) < 2:
        raise SystemExit(f"scale: {' '.join(cmd)} failed ({p.returncode}):"
                         f"\n{err}")
    return dt, int(kb[-2]) * 1024, err, int(kb[-1])


def best(cmd, reps, **kw):
    """the least disturbed of `reps` runs: this machine is shared"""
    runs = [run_once(cmd, **kw) for _ in range(reps)]
    return min(runs, key=lambda r: r[0])


def corpus(work, size):
    path = os.path.join(work, f"gen-{size}.jsonl")
    gen_s = None
    if not os.path.exists(path):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, os.path.join(ROOT, "tools",
                                                     "gen-corpus.py"),
                        "--size", size, "--seed", "1", "-o", path],
                       check=True, stderr=subprocess.DEVNULL)
        gen_s = time.perf_counter() - t0
    return path, gen_s


def zst(path, work):
    """a zstd -3 copy of path in work (kept for the next run)"""
    z = os.path.join(work, os.path.basename(path) + ".zst")
    if not os.path.exists(z) or os.path.getmtime(z) < os.path.getmtime(path):
        subprocess.run(["zstd", "-q", "-3", "-T0", "-f", path, "-o", z],
                       check=True)
    return z


def sign_stages(out):
    """bench_sign's MB/s per stage"""
    return {m.group(1): float(m.group(2)) for m in
            re.finditer(r"^(\w+)\s+([\d.]+) MB/s", out, re.M)}


def dedup_stages(err):
    m = re.search(r"seconds: sign ([\d.]+), lsh ([\d.]+), verify ([\d.]+), "
                  r"cluster ([\d.]+), write ([\d.]+)", err)
    return dict(zip(("read+sign", "lsh", "verify", "cluster", "write"),
                    map(float, m.groups()))) if m else {}


def mem_available():
    """bytes the kernel says a new process can use (MemAvailable)"""
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    return None


def measure(a, size, path, gen_s, nthreads, prev=None):
    """prev: the measurements of the next smaller size; a run whose peak
    RSS there, scaled by bytes, would not fit in 90 % of the available
    memory is not started (reported as skipped, with the prediction)"""
    nbytes = os.path.getsize(path)
    with open(path, "rb") as f:
        docs = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 24), b""))
    zpath = zst(path, a.work)
    zbytes = os.path.getsize(zpath)
    rp = os.path.join(a.bin, "reprint")
    rps = os.path.join(a.work, "scale.rps")
    tj = os.path.join(a.work, "scale.trace.json")
    c = dict(os.environ, LC_ALL="C")
    if nbytes >= (2 << 30):
        a = argparse.Namespace(**dict(vars(a), reps=1))  # 10 GB: once each
    r = {"size": size, "bytes": nbytes, "docs": docs, "zst_bytes": zbytes,
         "gen_seconds": gen_s, "runs": {}, "stages": {}}
    R = r["runs"]

    def put(name, threads, res):
        R[name] = {"threads": threads, "seconds": res[0], "rss": res[1],
                   "faults": res[3]}
        return res

    avail = mem_available()

    def fits(name, threads):
        p = prev["runs"].get(name) if prev else None
        if not p or "rss" not in p or not avail:
            return True
        want = p["rss"] / prev["bytes"] * nbytes
        if want <= 0.9 * avail:
            return True
        R[name] = {"threads": threads, "skipped":
                   f"not run: peak RSS would be ~{want / 1e9:.0f} GB "
                   f"({p['rss'] / prev['docs']:,.0f} bytes/doc at "
                   f"{prev['size']}), {avail / 1e9:.0f} GB available"}
        print(f"scale: {size}: {name} {R[name]['skipped']}", file=sys.stderr)
        return False

    put("wc -w", 1, best(["wc", "-w", path], a.reps, env=c))
    put("xxhsum -H3", 1, best(["xxhsum", "-H3", path], a.reps))
    put("zstd -dc", 1, best(["zstd", "-q", "-dc", zpath], a.reps))
    bs = [subprocess.run([os.path.join(a.bin, "bench_sign"), path],
                         capture_output=True, text=True, check=True).stdout
          for _ in range(a.reps)]
    st = max((sign_stages(o) for o in bs), key=lambda s: s.get("sign", 0))
    r["stages"]["bench_sign MB/s"] = st
    for t in sorted({1, nthreads}):
        if fits(f"sign {t}", t):
            put(f"sign {t}", t, best([rp, "sign", "-q", "--threads", str(t),
                                      path, "-o", rps], a.reps))
        if fits(f"dedup {t}", t):
            res = put(f"dedup {t}", t, best([rp, "dedup", "-v", "--threads",
                                             str(t), path, "-o", "/dev/null"],
                                            a.reps))
            r["stages"][f"dedup {t}"] = dedup_stages(res[2])
        if fits(f"dedup .zst {t}", t):
            put(f"dedup .zst {t}", t, best([rp, "dedup", "-q", "--threads",
                                            str(t), zpath, "-o", "/dev/null"],
                                           a.reps))
    if ran(r, "dedup 1"):
        # first touch of as much memory as dedup's peak, 1 and N threads
        touch = os.path.join(a.bin, "bench_touch")
        r["touch"] = {}
        for t in sorted({1, nthreads}):
            out = subprocess.run([touch, str(R["dedup 1"]["rss"]), str(t)],
                                 capture_output=True, text=True,
                                 check=True).stdout
            v = dict(line.split() for line in out.splitlines())
            r["touch"][t] = (float(v["seconds"]), float(v["us_per_page"]))
    if fits("trace 1", 1):
        put("trace 1", 1, best([rp, "trace", "-q", path, "--json", tj],
                               a.reps if nbytes < (1 << 30) else 1))
    for f in (rps, tj):
        if os.path.exists(f):
            os.remove(f)
    return r


def slope(points):
    """least-squares slope of log(seconds) against log(bytes)"""
    if len(points) < 2:
        return None
    xs = [math.log(x) for x, _ in points]
    ys = [math.log(y) for _, y in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else None


JOBS = ["sign", "dedup", "dedup .zst", "trace"]


def ran(r, name):
    """the run exists and was not skipped"""
    return "seconds" in r["runs"].get(name, {})


def report(results, nthreads, growth=True):
    out = []
    w = out.append
    for r in results:
        R = r["runs"]
        mb = r["bytes"] / 1e6
        w(f"### {r['size']}: {mb:.0f} MB, {r['docs']:,} documents "
          f"({r['zst_bytes'] / 1e6:.0f} MB as .zst)")
        w("")
        if r["gen_seconds"]:
            w(f"Generated in {r['gen_seconds']:.1f} s "
              f"({mb / r['gen_seconds']:.1f} MB/s, `tools/gen-corpus.py "
              f"--jobs {nthreads}`, no truth).")
            w("")
        w("| run | threads | seconds | MB/s | docs/s | peak RSS MB | "
          "RSS bytes/doc | minor faults | / wc -w | / xxhsum -H3 | "
          "/ zstd -dc |")
        w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        base = {k: R[k]["seconds"] for k in ("wc -w", "xxhsum -H3", "zstd -dc")}
        for name, x in R.items():
            if "skipped" in x:
                w(f"| {name} | {x['threads']} | {x['skipped']} |" + " |" * 8)
                continue
            s = x["seconds"]
            rate = [f"{base[b] / s:.2f}x" if b != "zstd -dc" or
                    ".zst" in name or name == b else "" for b in base]
            w(f"| {name} | {x['threads']} | {s:.3f} | {mb / s:.1f} | "
              f"{r['docs'] / s:,.0f} | {x['rss'] / 1e6:.0f} | "
              f"{x['rss'] / r['docs']:,.0f} | {x.get('faults', 0):,} | "
              + " | ".join(rate) + " |")
        w("")
        tc = r.get("touch")
        if tc and ran(r, "dedup 1"):
            d1 = R["dedup 1"]
            one = tc[1]
            w(f"First touch of memory (`bench_touch`, "
              f"{d1['rss'] / 1e9:.2f} GB = dedup 1's peak RSS): "
              f"{one[0]:.2f} s, {one[1]:.1f} us a 4 KiB page, on one thread"
              + "".join(f"; {v[0]:.2f} s on {t} ({one[0] / v[0]:.2f}x)"
                        for t, v in tc.items() if t != 1)
              + f". dedup 1's {d1['faults']:,} minor faults at that cost: "
              f"~{d1['faults'] * one[1] / 1e6:.1f} s of its "
              f"{d1['seconds']:.1f} s.")
            w("")
        st = r["stages"]["bench_sign MB/s"]
        if st:
            prev = 0.0
            parts = []
            for k in ("parse", "normalize", "shingle", "sign"):
                if k in st:
                    sec = mb / st[k]
                    parts.append(f"{k} {(sec - prev) / mb * 1e3:.2f}")
                    prev = sec
            wc = mb / R["wc -w"]["seconds"]
            w(f"One thread, records in memory (`bench_sign`): "
              f"{st.get('sign', 0):.1f} MB/s = {st.get('sign', 0) / wc:.2f}x "
              f"`wc -w` ({wc:.1f} MB/s). Milliseconds per MB by stage: "
              + ", ".join(parts) + " (sign = segment + MinHash).")
            w("")
        for t in sorted({1, nthreads}):
            d = r["stages"].get(f"dedup {t}")
            if d:
                w(f"`reprint dedup -v --threads {t}` stages (s): " +
                  ", ".join(f"{k} {v:.3f}" for k, v in d.items()) + ".")
        w("")
    if results and growth:
        w("### Growth and threads")
        w("")
        w("Slope of log(seconds) against log(bytes) over "
          + ", ".join(r["size"] for r in results)
          + " (1.00 = linear), and the speed-up of "
          f"{nthreads} threads over one at each size:")
        w("")
        w("| run | slope, 1 thread | slope, " + f"{nthreads} threads | "
          + " | ".join(f"speed-up {r['size']}" for r in results) + " |")
        w("|---|---:|---:|" + "---:|" * len(results))
        for j in JOBS:
            s1 = slope([(r["bytes"], r["runs"][f"{j} 1"]["seconds"])
                        for r in results if ran(r, f"{j} 1")])
            sn = slope([(r["bytes"], r["runs"][f"{j} {nthreads}"]["seconds"])
                        for r in results if ran(r, f"{j} {nthreads}")])
            sp = [r["runs"][f"{j} 1"]["seconds"] /
                  r["runs"][f"{j} {nthreads}"]["seconds"]
                  if ran(r, f"{j} {nthreads}") and ran(r, f"{j} 1") and
                  nthreads > 1 else None
                  for r in results]
            f = (lambda v: f"{v:.2f}" if v is not None else "-")
            w(f"| {j} | {f(s1)} | {f(sn) if nthreads > 1 else '-'} | "
              + " | ".join(f(v) + ("x" if v else "") for v in sp) + " |")
        for b in ("wc -w", "xxhsum -H3"):
            s = slope([(r["bytes"], r["runs"][b]["seconds"]) for r in results])
            w(f"| {b} (baseline) | {s:.2f} | - |" + " |" * len(results)
              if s is not None else f"| {b} (baseline) | - | - |"
              + " |" * len(results))
        w("")
    return "\n".join(out)


def targets(results, nthreads):
    """the issue's speed targets, computed from these runs: on the 1 GB
    corpus (the issue's size), slopes from 10 MB to 1 GB"""
    upto = [r for r in results if r["bytes"] < (2 << 30)] or results
    big = upto[-1]
    R = big["runs"]
    mb = big["bytes"] / 1e6
    wc = mb / R["wc -w"]["seconds"]
    fp = big["stages"]["bench_sign MB/s"].get("sign", 0.0)
    e2e = mb / R["sign 1"]["seconds"] if ran(big, "sign 1") else 0.0
    out = ["### Speed targets", "",
           "| target | measured | met |", "|---|---|---|"]
    out.append(f"| one-thread fingerprinting >= `LC_ALL=C wc -w` on "
               f"{big['size']} | in memory (`bench_sign`) {fp / wc:.2f}x; end "
               f"to end (`reprint sign --threads 1`) {e2e / wc:.2f}x | "
               f"{'yes' if fp >= wc else 'no'} / "
               f"{'yes' if e2e >= wc else 'no'} |")
    if nthreads > 1:
        for j in ("sign", "dedup"):
            if not (ran(big, f"{j} 1") and ran(big, f"{j} {nthreads}")):
                continue
            sp = R[f"{j} 1"]["seconds"] / R[f"{j} {nthreads}"]["seconds"]
            out.append(f"| {j}: {nthreads} threads >= 1.8x one, "
                       f"{big['size']} | {sp:.2f}x | "
                       f"{'yes' if sp >= 1.8 else 'no'} |")
    for j in JOBS:
        s = slope([(r["bytes"], r["runs"][f"{j} 1"]["seconds"])
                   for r in upto if ran(r, f"{j} 1")])
        if s is not None:
            out.append(f"| {j}: slope <= 1.05, one thread, "
                       f"{upto[0]['size']} to {big['size']} | {s:.2f} | "
                       f"{'yes' if s <= 1.05 else 'no'} |")
    out.append("")
    return "\n".join(out)


def plot(results, nthreads, path):
    series = []
    for name, dashed in (("wc -w", True), ("xxhsum -H3", True),
                         ("sign 1", False), (f"sign {nthreads}", False),
                         ("dedup 1", False), (f"dedup {nthreads}", False),
                         ("trace 1", False)):
        pts = [(r["bytes"], r["runs"][name]["seconds"]) for r in results
               if ran(r, name)]
        if pts and (name, pts) not in [(s[0], s[1]) for s in series]:
            series.append((name.replace(" 1", ", 1 thread").replace(
                f" {nthreads}", f", {nthreads} threads") if name[-1].isdigit()
                else name, pts, dashed))
    svgplot.line_chart(path, "Wall time against corpus size (log-log)",
                       "bytes", "seconds", series, logx=True, logy=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True, help="release build directory")
    ap.add_argument("--work", required=True)
    ap.add_argument("--sizes", default="10M,100M,1G")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--extra", action="append", default=[],
                    help="NAME=FILE.jsonl: also measure a corpus of your own "
                    "(not in the slopes)")
    ap.add_argument("--plot")
    ap.add_argument("--json")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    nthreads = os.cpu_count() or 1
    results = []
    for size in a.sizes.split(","):
        print(f"scale: {size}", file=sys.stderr)
        path, gen_s = corpus(a.work, size)
        results.append(measure(a, size, path, gen_s, nthreads,
                               results[-1] if results else None))
    extra = []
    for e in a.extra:
        name, path = e.split("=", 1)
        print(f"scale: {name}", file=sys.stderr)
        extra.append(measure(a, name, path, None, nthreads))
    print(report(results, nthreads))
    print(targets(results, nthreads))
    if extra:
        print(report(extra, nthreads, growth=False))
    if a.plot:
        plot(results, nthreads, a.plot)
    if a.json:
        with open(a.json + ".tmp", "w") as f:
            json.dump(results, f, indent=1)
        os.replace(a.json + ".tmp", a.json)


if __name__ == "__main__":
    main()
