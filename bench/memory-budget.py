#!/usr/bin/env python3
"""dedup under a memory budget (--memory): peak RSS, wall time, what
spilled and the blocks verification was cut into, against the run
without a budget and LC_ALL=C wc -w on the same bytes, timed in one run;
every budgeted output compared byte for byte with the unbudgeted one.

    bench/memory-budget.py --reprint R --corpus FILE --work DIR \
        [--budgets 1G,512M,64M] [--threads 2]

Prints a Markdown table.
"""
import argparse
import filecmp
import os
import re
import subprocess
import tempfile
import time


def timed(cmd, stdout=subprocess.DEVNULL, env=None):
    """(wall seconds, peak RSS bytes, stderr) of one run (GNU time %M)"""
    fd, tf = tempfile.mkstemp()
    os.close(fd)
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", tf] + cmd,
                       stdout=stdout, stderr=subprocess.PIPE, env=env,
                       text=True)
    dt = time.perf_counter() - t0
    with open(tf) as f:
        rss = int(f.read().split()[-1]) * 1024
    os.unlink(tf)
    if p.returncode != 0:
        raise SystemExit(f"memory-budget: {' '.join(cmd)} failed:\n"
                         f"{p.stderr}")
    return dt, rss, p.stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reprint", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--budgets", default="1G,512M,64M")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    size = os.path.getsize(a.corpus)
    env = dict(os.environ, LC_ALL="C")
    wc, _, _ = timed(["wc", "-w", a.corpus], env=env)
    rows = []
    for b in ["none"] + a.budgets.split(","):
        out = os.path.join(a.work, f"kept-{b}")
        cmd = [a.reprint, "dedup", "-v", "--threads", str(a.threads),
               a.corpus, "-o", out + ".jsonl", "--log", out + ".log",
               "--pairs", out + ".pairs", "--tmp-dir", a.work]
        if b != "none":
            cmd += ["--memory", b]
        dt, rss, err = timed(cmd)
        m = re.search(r"spilled in (\d+) sorted runs, ([\d.]+) MB", err)
        docs = re.search(r"(\d+) records in", err)
        vb = re.search(r"verification in (\d+) blocks", err)
        same = "—"
        if b != "none":
            ref = os.path.join(a.work, "kept-none")
            same = "yes" if all(filecmp.cmp(ref + x, out + x, shallow=False)
                                for x in (".jsonl", ".log", ".pairs")) \
                else "NO"
        rows.append((b, dt, rss, int(docs.group(1)) if docs else 0,
                     m.group(1) if m else "0", m.group(2) if m else "0",
                     vb.group(1) if vb else "—", same))
    left = [f for f in os.listdir(a.work) if f.startswith("reprint-spill")]
    print(f"Corpus: {a.corpus} ({size / 1e6:.0f} MB); `LC_ALL=C wc -w` "
          f"{wc:.2f} s in the same run; dedup with --threads {a.threads}, "
          f"--log and --pairs.\n")
    print("| --memory | wall s | × wc -w | peak RSS MB | RSS bytes/doc | "
          "runs spilled | MB spilled | verification blocks | "
          "outputs = no budget |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for b, dt, rss, docs, runs, mb, vblocks, same in rows:
        print(f"| {b} | {dt:.2f} | {dt / wc:.2f} | {rss / 1e6:.0f} | "
              f"{rss / max(docs, 1):.0f} | {runs} | {mb} | {vblocks} | "
              f"{same} |")
    print(f"\nSpill files left in the folder after the runs: {len(left)}.")


if __name__ == "__main__":
    main()
