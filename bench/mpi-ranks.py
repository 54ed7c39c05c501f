#!/usr/bin/env python3
"""`mpirun -n N reprint dedup` against one process, on one corpus cut into
files, printed as Markdown (issue 12's bench).

    python3 bench/mpi-ranks.py --reprint PATH --corpus FILE.jsonl --work DIR
        [--files 8] [--ranks 2] [--level both|doc]

The corpus is cut into --files files of whole lines under --work (shards
are whole files). Then, one after another, never two at once: `LC_ALL=C wc
-w` over the files (the baseline), `reprint dedup -v` with --threads 1 in
one process, the same under `mpirun -n RANKS` (each rank run under
/usr/bin/time, for its own peak RSS), and one process with --threads RANKS
(the same cores used by threads); and, as a scaling control, `wc -w` as
RANKS processes at once, each over its share of the files. Kept records,
log and pairs must be byte-
identical in every run. Read from `-v`: rank 0's per-document tables and
the bytes of band entries and candidate pairs sent between ranks.
Everything printed is deterministic except times and memory.
"""
import argparse
import hashlib
import os
import re
import shlex
import subprocess
import sys
import time


def cut(corpus, folder, n):
    os.makedirs(folder, exist_ok=True)
    lines = open(corpus, "rb").readlines()
    paths = []
    for i in range(n):
        p = os.path.join(folder, f"part{i:03d}.jsonl")
        with open(p, "wb") as f:
            f.writelines(lines[len(lines) * i // n:len(lines) * (i + 1) // n])
        paths.append(p)
    return paths


def digest(paths):
    h = hashlib.sha256()
    for p in paths:
        with open(p, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()[:16]


def timed(cmd, env=None):
    t = time.time()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        sys.exit(f"failed: {shlex.join(cmd)}\n{p.stderr[-3000:]}")
    return time.time() - t, p


def verbose(stderr, pattern, cast=float):
    m = re.search(pattern, stderr)
    return cast(m.group(1)) if m else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reprint", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--files", type=int, default=8)
    ap.add_argument("--ranks", type=int, default=2)
    ap.add_argument("--level", default="both")
    a = ap.parse_args()
    reprint = os.path.abspath(a.reprint)
    work = os.path.abspath(a.work)
    folder = os.path.join(work, "parts")
    paths = cut(a.corpus, folder, a.files)
    size = sum(os.path.getsize(p) for p in paths)
    env = dict(os.environ, LC_ALL="C")
    if os.geteuid() == 0:
        env.update(OMPI_ALLOW_RUN_AS_ROOT="1",
                   OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")

    timed(["wc", "-w", *paths], env)  # the files into the page cache
    wc_s, _ = timed(["wc", "-w", *paths], env)
    # the scaling control: the same count as RANKS processes at once, each
    # over its share of the files (this machine's cores are shared)
    t = time.time()
    procs = [subprocess.Popen(["wc", "-w", *paths[i::a.ranks]], env=env,
                              stdout=subprocess.DEVNULL)
             for i in range(a.ranks)]
    for q in procs:
        q.wait()
    wc_par_s = time.time() - t
    rows = []

    def dedup(tag, threads, ranks=0):
        outs = [os.path.join(work, f"{tag}.{k}") for k in
                ("records", "log", "pairs")]
        args = ["dedup", folder, "-v", "--level", a.level, "--threads",
                str(threads), "-o", outs[0], "--log", outs[1], "--pairs",
                outs[2], "--tmp-dir", work]
        rss = []
        if ranks:
            stamp = os.path.join(work, f"{tag}.rank")
            wrap = ("exec /usr/bin/time -f %M -o " + shlex.quote(stamp) +
                    ".$OMPI_COMM_WORLD_RANK " +
                    shlex.join([reprint, *args]))
            sec, p = timed(["mpirun", "--oversubscribe", "-n", str(ranks),
                            "sh", "-c", wrap], env)
            for r in range(ranks):
                with open(f"{stamp}.{r}") as f:
                    rss.append(int(f.read().split()[-1]) / 1024)
                os.remove(f"{stamp}.{r}")
        else:
            sec, p = timed(["/usr/bin/time", "-f", "RSS %M", reprint, *args],
                           env)
            rss.append(verbose(p.stderr, r"RSS (\d+)", int) / 1024)
        docs = verbose(p.stderr, r"reprint: (\d+) records in", int)
        rows.append({
            "tag": tag, "sec": sec, "rss": rss, "docs": docs,
            "tables": verbose(p.stderr, r"memory: tables (\d+) bytes"),
            "mb_x": verbose(p.stderr, r"ranks: ([\d.]+) MB"),
            "per_doc_x": verbose(p.stderr, r"to verify \((\d+) bytes"),
            "digest": digest(outs),
            "stages": verbose(p.stderr, r"seconds: (sign .*?); per", str),
        })
        for o in outs:
            os.remove(o)

    dedup("one process, 1 thread", 1)
    dedup(f"{a.ranks} ranks, 1 thread each", 1, a.ranks)
    dedup(f"one process, {a.ranks} threads", a.ranks)

    ref = rows[0]
    print(f"Corpus: {a.corpus} ({size / 1e6:.0f} MB, {ref['docs']:,} "
          f"records) cut into {a.files} files; `dedup --level {a.level}` "
          f"with --log and --pairs; `LC_ALL=C wc -w` over the files "
          f"{wc_s:.2f} s in the same run; as {a.ranks} processes at once, "
          f"each over its share of the files, {wc_par_s:.2f} s: a scaling "
          f"control of {wc_s / wc_par_s:.2f}x.\n")
    print("| run | wall s | x wc -w | speed-up | peak RSS MB (per rank) "
          "| rank 0 tables, bytes/doc | exchanged MB | exchanged bytes/doc "
          "| outputs = one process |")
    print("|---|---:|---:|---:|---|---:|---:|---:|---|")
    for r in rows:
        print(f"| {r['tag']} | {r['sec']:.2f} | {r['sec'] / wc_s:.2f} | "
              f"{ref['sec'] / r['sec']:.2f} | "
              f"{', '.join(f'{x:.0f}' for x in r['rss'])} | "
              f"{r['tables']:.0f} | "
              f"{r['mb_x'] if r['mb_x'] is not None else '—'} | "
              f"{r['per_doc_x'] if r['per_doc_x'] is not None else '—'} | "
              f"{'yes' if r['digest'] == ref['digest'] else 'NO'} |")
    print("\nStage seconds (rank 0's `-v`):\n")
    for r in rows:
        print(f"- {r['tag']}: {r['stages']}")


if __name__ == "__main__":
    main()
