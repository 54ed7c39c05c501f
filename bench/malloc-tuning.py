#!/usr/bin/env python3
"""The allocator: reprint as it starts (glibc's malloc tuned by the tool,
src/cli/malloc_tune.c) against REPRINT_MALLOC=0 (glibc's defaults), run
for run interleaved, with LC_ALL=C wc -w on the same bytes as a baseline:
wall time, peak RSS and minor page faults (GNU time), best of --reps by
time (the two settings take turns at going first; the disk is synced
before each run); dedup's records compared byte for byte between the two.

    bench/malloc-tuning.py --reprint R --corpus FILE --work DIR
        [--reuters FILE] [--reps 2]

Prints a Markdown table.
"""
import argparse
import filecmp
import os
import subprocess
import tempfile
import time


def timed(cmd, env):
    """(wall seconds, peak RSS bytes, minor faults) of one run"""
    fd, tf = tempfile.mkstemp()
    os.close(fd)
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%M %R", "-o", tf] + cmd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       env=env, text=True)
    dt = time.perf_counter() - t0
    with open(tf) as f:
        rss, faults = f.read().split()[-2:]
    os.unlink(tf)
    if p.returncode != 0:
        raise SystemExit(f"malloc-tuning: {' '.join(cmd)} failed:\n"
                         f"{p.stderr}")
    return dt, int(rss) * 1024, int(faults)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reprint", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--reuters", help="Reuters-21578 .jsonl.zst, for trace")
    ap.add_argument("--reps", type=int, default=2)
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    base = {k: v for k, v in os.environ.items()
            if k not in ("REPRINT_MALLOC", "GLIBC_TUNABLES")}
    envs = {"default": dict(base, REPRINT_MALLOC="0"), "tuned": base}
    c, w = a.corpus, a.work
    runs = [("sign --threads 1", ["sign", "--threads", "1", c, "-o",
                                  os.path.join(w, "s.rps")]),
            ("dedup --threads 1", ["dedup", "--threads", "1", c, "-o",
                                   os.path.join(w, "{e}-t1.jsonl")]),
            ("dedup --threads 2", ["dedup", "--threads", "2", c, "-o",
                                   os.path.join(w, "{e}-t2.jsonl")]),
            ("dedup --threads 2 --memory 256M",
             ["dedup", "--threads", "2", "--memory", "256M", "--tmp-dir", w,
              c, "-o", os.path.join(w, "{e}-m.jsonl")])]
    if a.reuters and os.path.exists(a.reuters):
        for t in (1, 2):
            runs.append((f"trace Reuters --threads {t}",
                         ["trace", "--threads", str(t), a.reuters, "--json",
                          os.path.join(w, f"{{e}}-trace{t}.json")]))
    wc_env = dict(base, LC_ALL="C")
    best = {}
    wc = min(timed(["wc", "-w", c], wc_env)[0] for _ in range(a.reps))
    for rep in range(a.reps):
        for name, args in runs:
            # each setting first in every other rep, and the disk synced
            # before each run: a run that follows one writing 1 GB would
            # otherwise pay for its write-back
            order = list(envs.items())
            if rep % 2:
                order.reverse()
            for e, env in order:
                cmd = [a.reprint] + [x.format(e=e) for x in args]
                os.sync()
                r = timed(cmd, env)
                if (name, e) not in best or r[0] < best[(name, e)][0]:
                    best[(name, e)] = r
    same = []
    for name, args in runs:
        outs = [x for x in args if "{e}" in x]
        for o in outs:
            if not filecmp.cmp(o.format(e="default"), o.format(e="tuned"),
                               shallow=False):
                raise SystemExit(f"malloc-tuning: {name}: outputs differ")
            same.append(name)
    mb = os.path.getsize(c) / 1e6
    print(f"Corpus: {os.path.basename(c)} ({mb:.0f} MB); `LC_ALL=C wc -w` "
          f"{wc:.2f} s in the same run; best of {a.reps} by time, the two "
          f"settings alternating run for run, each first in every other "
          f"rep, the disk synced before each run. Outputs byte-identical "
          f"between them: {', '.join(sorted(set(same))) or 'none compared'}.")
    print()
    print("| run | default s | tuned s | speed-up | default × wc -w | "
          "tuned × wc -w | peak RSS MB default | tuned | minor faults "
          "default | tuned |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, _ in runs:
        d, t = best[(name, "default")], best[(name, "tuned")]
        print(f"| {name} | {d[0]:.2f} | {t[0]:.2f} | {d[0] / t[0]:.2f}x | "
              f"{d[0] / wc:.2f} | {t[0] / wc:.2f} | {d[1] / 1e6:.0f} | "
              f"{t[1] / 1e6:.0f} | {d[2]:,} | {t[2]:,} |")
    t1 = [best.get((f"trace Reuters --threads {t}", e)) for t in (1, 2)
          for e in ("default", "tuned")]
    if all(t1):
        print()
        print(f"trace on Reuters, 1 thread over 2: default "
              f"{t1[0][0] / t1[2][0]:.2f}x, tuned {t1[1][0] / t1[3][0]:.2f}x.")
    d1, d2 = best[("dedup --threads 1", "tuned")], best[("dedup --threads 2",
                                                        "tuned")]
    e1, e2 = best[("dedup --threads 1", "default")], best[(
        "dedup --threads 2", "default")]
    print(f"dedup, 1 thread over 2: default {e1[0] / e2[0]:.2f}x, tuned "
          f"{d1[0] / d2[0]:.2f}x.")


if __name__ == "__main__":
    main()
