#!/usr/bin/env python3
"""mpi.py - `mpirun -n K reprint dedup|index add` equals one process (issue 12).

  mpi.py REPRINT RP_MPI        RP_MPI: ON or OFF, as the build was made

For K = 1, 2, 3 and 4 ranks (mpirun --oversubscribe), dedup's records, log,
pairs and clusters are byte-identical to a one-process run without mpirun,
and rank 0's summary is the same (but for the timing line), on:
  seeds    corpus/seeds.jsonl, one file per article, in a folder
  gen      tools/gen-corpus.py --size 3M cut into 7 files in a folder
  reuters  ../shared/data/reuters21578 cut into 6 files (skipped, with a
           message, when absent)
also gen with .zst outputs (each rank writes its shard's records, rank 0
joins them through its compressor: the same bytes) and with --max-bucket 3
(over-full buckets, whose pairs follow keep order, formed across ranks); rank 0 holds no band keys (its tables per
document, `-v`, are smaller than one process's); and index add over 3
ranks gives the index one process gives. A rank that fails after stage 1
(writing its records into a --tmp-dir too small for them: a tmpfs, as
root; skipped otherwise) fails the job the same way. A rank that
fails (a bad record in the last rank's shard) makes mpirun exit non-zero
with a message naming that rank, and no output nor temporary is left.

The launcher is `mpirun --oversubscribe` (Open MPI), or the command in
RP_MPIRUN (e.g. `mpiexec.mpich` for a build against MPICH, which runs
more ranks than cores without being asked; cli.mpi_mpich).

Exit 77 (skipped) when the launcher is absent or the build has no MPI. Under
ASan, Open MPI's own allocations kept until exit are suppressed for these
runs only (lsan-mpi.supp, with full unwinding so their frames are named).
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
GEN = os.path.join(ROOT, "tools", "gen-corpus.py")
REUTERS = os.path.join(os.path.dirname(ROOT), "shared", "data",
                       "reuters21578", "reuters21578.jsonl.zst")
OUTS = ("records", "log", "pairs", "clusters")


def env(leaks):
    """the environment of the runs; with leaks, LeakSanitizer on (if the
    build has ASan) with Open MPI's own allocations suppressed: full
    unwinding names their frames, and costs much time, so it is used for
    the small corpus only; the others run with leak checks off"""
    e = dict(os.environ)
    if os.geteuid() == 0:  # mpirun refuses root without both
        e["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
        e["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
    supp = os.path.join(HERE, "lsan-mpi.supp")
    e["LSAN_OPTIONS"] = ":".join(
        x for x in (e.get("LSAN_OPTIONS", ""), f"suppressions={supp}",
                    "print_suppressions=0") if x)
    extra = "fast_unwind_on_malloc=0" if leaks else "detect_leaks=0"
    e["ASAN_OPTIONS"] = ":".join(
        x for x in (e.get("ASAN_OPTIONS", ""), extra) if x)
    return e


ENV = None
MPIRUN = os.environ.get("RP_MPIRUN", "mpirun --oversubscribe").split()


def run(args, ranks=0, ok=True):
    """reprint ARGS; under mpirun with `ranks` > 0."""
    cmd = [REPRINT, *args]
    if ranks:
        cmd = [*MPIRUN, "-n", str(ranks), *cmd]
    p = subprocess.run(cmd, capture_output=True, text=True, env=ENV)
    if "Sanitizer" in p.stderr or "runtime error" in p.stderr:
        sys.exit(f"FAIL: {cmd}: sanitizer report:\n{p.stderr[-4000:]}")
    if ok and p.returncode != 0:
        sys.exit(f"FAIL: {cmd} exited {p.returncode}:\n{p.stderr[-3000:]}")
    return p


def split(lines, folder, n):
    """lines into n files part0..part{n-1} of about equal length."""
    os.makedirs(folder)
    for i in range(n):
        lo, hi = len(lines) * i // n, len(lines) * (i + 1) // n
        with open(os.path.join(folder, f"part{i}.jsonl"), "wb") as f:
            f.writelines(lines[lo:hi])


def outputs(tmp, tag, ext=""):
    o = {k: os.path.join(tmp, f"{tag}.{k}{ext}") for k in OUTS}
    return o, ["-o", o["records"], "--log", o["log"], "--pairs", o["pairs"],
               "--clusters", o["clusters"], "--threads", "1"]


def summary(stderr):
    """rank 0's summary, less the line with the timing"""
    return [l for l in stderr.splitlines()
            if l.startswith("reprint:") and " MB in " not in l]


def same_as_one(tmp, name, inputs, extra=(), ext=""):
    t0 = time.time()
    ref, args = outputs(tmp, f"{name}-ref", ext)
    p = run(["dedup", *args, *extra, *inputs])
    want = {k: open(ref[k], "rb").read() for k in OUTS}
    if not want["log"]:
        sys.exit(f"FAIL: {name}: nothing removed, a weak test")
    for k in (1, 2, 3, 4):
        got, args = outputs(tmp, f"{name}-{k}", ext)
        q = run(["dedup", *args, *extra, *inputs], ranks=k)
        for o in OUTS:
            if open(got[o], "rb").read() != want[o]:
                sys.exit(f"FAIL: {name}: {k} ranks: {o} differs from one "
                         "process")
        if summary(q.stderr) != summary(p.stderr):
            sys.exit(f"FAIL: {name}: {k} ranks: summary differs:\n"
                     f"{q.stderr}\none process:\n{p.stderr}")
        left = [f for f in os.listdir(tmp) if f.startswith("reprint-")]
        if left:
            sys.exit(f"FAIL: {name}: {k} ranks left {left}")
        for o in OUTS:
            os.remove(got[o])
    if ext:  # counted in what the records and log hold
        for k in ("records", "log"):
            want[k] = subprocess.run(["zstd", "-dc", ref[k]], check=True,
                                     capture_output=True).stdout
    n = want["records"].count(b"\n")
    print(f"ok   {name}: 1, 2, 3 and 4 ranks = one process ({n} records "
          f"kept, {want['log'].count(b'{')} removals; {time.time() - t0:.1f} s)")


def keys_stay(tmp, folder):
    """the band keys are made and bucketed on the ranks that signed the
    documents (dist_lsh.c): rank 0's tables are smaller than one
    process's, by the keys, at least a quarter of them"""
    def per_doc(ranks):
        o, args = outputs(tmp, f"keys-{ranks}")
        p = run(["dedup", *args, "-v", folder], ranks=ranks)
        for k in OUTS:
            os.remove(o[k])
        for line in p.stderr.splitlines():
            if "memory: tables " in line:
                return int(line.split("memory: tables ")[1].split()[0])
        sys.exit(f"FAIL: keys: no table size in -v:\n{p.stderr}")
    one, two = per_doc(0), per_doc(2)
    if not two < one * 3 / 4:
        sys.exit(f"FAIL: keys: rank 0 holds {two} bytes a document over 2 "
                 f"ranks, one process {one}: the keys were gathered")
    print(f"ok   keys stay on their ranks: rank 0's tables {two} bytes a "
          f"document over 2 ranks, {one} in one process")


def leaks(tmp, folder):
    """3 ranks with LeakSanitizer on (an ASan build): reprint's own code
    leaks nothing on the distributed path, nor on a failing rank"""
    o, args = outputs(tmp, "leak")
    run(["dedup", *args, folder], ranks=3)
    for k in OUTS:
        os.remove(o[k])
    print("ok   3 ranks: no sanitizer report (leaks checked where the build "
          "has ASan)")


def index_add(tmp, folder):
    def info(idx):
        p = run(["index", "info", idx, "--check"])
        return [l for l in p.stdout.splitlines()
                if not l.startswith("index:")]
    a, b = os.path.join(tmp, "idx-one"), os.path.join(tmp, "idx-three")
    for idx in (a, b):
        run(["index", "create", idx, "-q"])
    run(["index", "add", a, folder, "-q", "--threads", "1"])
    run(["index", "add", b, folder, "-q", "--threads", "1"], ranks=3)
    if info(a) != info(b):
        sys.exit(f"FAIL: index add: 3 ranks differ from one process:\n"
                 f"{info(b)}\n{info(a)}")
    print("ok   index add: 3 ranks = one process")


def failing_rank(tmp, folder):
    bad = os.path.join(tmp, "bad")
    shutil.copytree(folder, bad)
    last = sorted(os.listdir(bad))[-1]
    with open(os.path.join(bad, last), "a") as f:
        f.write('{"id": "broken", "text": \n')
    work = os.path.join(tmp, "badrun")
    os.mkdir(work)
    o, args = outputs(work, "out")
    p = run(["dedup", *args, "--tmp-dir", work, bad], ranks=2, ok=False)
    code = p.returncode
    if code == 0:
        sys.exit("FAIL: a failing rank: mpirun exited 0")
    if "rank 1 of 2" not in p.stderr or last not in p.stderr:
        sys.exit(f"FAIL: a failing rank: the message names neither the rank "
                 f"nor the file:\n{p.stderr}")
    if os.listdir(work):
        sys.exit(f"FAIL: a failing rank left {os.listdir(work)}")
    # a usage error every rank sees: all stop, exit 2, nothing written
    p = run(["dedup", "--signatures", os.path.join(work, "s.rps"), "-o",
             o["records"], bad], ranks=2, ok=False)
    if p.returncode == 0 or "--signatures" not in p.stderr or \
            os.listdir(work):
        sys.exit(f"FAIL: --signatures over 2 ranks: {p.returncode} "
                 f"{p.stderr}")
    p = run(["trace", bad, "--json", os.path.join(work, "t.json")],
            ranks=2, ok=False)
    if p.returncode == 0 or "only dedup and index add" not in p.stderr:
        sys.exit(f"FAIL: trace over 2 ranks: {p.returncode} {p.stderr}")
    print(f"ok   a failing rank: exit {code}, message names rank 1 "
          "and the file, nothing written; --signatures and trace refused")


def failing_later(tmp, folder):
    """a rank that fails after stage 1 (here: writing its part of the
    records into a --tmp-dir too small for it, a tmpfs as large as the
    shards' .rps and 128 KB more) fails the job: exit non-zero, the message
    names the rank, the file and the cause, and nothing is written or
    left. Needs root for the mount; skipped, with a message, without."""
    mnt = os.path.join(tmp, "small")
    os.mkdir(mnt)
    size = 128 * 1024
    for i in (1, 2):
        rps = os.path.join(tmp, f"shard{i}.rps")
        run(["sign", "-q", "--shard", f"{i}/2", folder, "-o", rps])
        size += os.path.getsize(rps)
        os.remove(rps)
    m = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}",
                        "tmpfs", mnt], capture_output=True, text=True)
    if m.returncode != 0:
        print(f"skip a rank failing later: cannot mount a tmpfs here "
              f"({m.stderr.strip() or 'not root'})")
        os.rmdir(mnt)
        return
    try:
        work = os.path.join(tmp, "laterrun")
        os.mkdir(work)
        o, args = outputs(work, "out")
        p = run(["dedup", *args, "--tmp-dir", mnt, folder], ranks=2,
                ok=False)
        if p.returncode == 0:
            sys.exit("FAIL: a rank failing later: mpirun exited 0")
        if "rank 1 of 2" not in p.stderr or "part-000001" not in p.stderr \
                or "No space left" not in p.stderr:
            sys.exit("FAIL: a rank failing later: the message names neither "
                     f"the rank, its part nor the cause:\n{p.stderr}")
        if os.listdir(work) or os.listdir(mnt):
            sys.exit(f"FAIL: a rank failing later left {os.listdir(work)} "
                     f"{os.listdir(mnt)}")
    finally:
        subprocess.run(["umount", mnt], capture_output=True)
        os.rmdir(mnt)
    print("ok   a rank failing while writing its records: exit "
          f"{p.returncode}, rank, file and cause named, nothing written")


def main():
    global REPRINT, ENV
    if len(sys.argv) != 3:
        sys.exit("usage: mpi.py REPRINT ON|OFF")
    REPRINT = os.path.abspath(sys.argv[1])
    if sys.argv[2] not in ("ON", "1", "TRUE", "YES"):
        print("skip: reprint was built without MPI (-DRP_MPI=OFF)")
        sys.exit(77)
    if not shutil.which(MPIRUN[0]):
        print(f"skip: {MPIRUN[0]} not found (Debian: apt-get install "
              "openmpi-bin libopenmpi-dev; tools/setup.sh test)")
        sys.exit(77)
    leak_env, fast_env = env(True), env(False)
    t0 = time.time()
    tmp = tempfile.mkdtemp(prefix="reprint-mpi.")
    try:
        os.chdir(tmp)  # inputs named relative, as a user would
        seeds = open(os.path.join(ROOT, "corpus", "seeds.jsonl"),
                     "rb").readlines()
        split(seeds, "seeds", len(seeds))
        ENV = fast_env
        same_as_one(tmp, "seeds", ["seeds"])
        ENV = leak_env
        leaks(tmp, "seeds")
        ENV = fast_env
        failing_rank(tmp, "seeds")
        subprocess.run([sys.executable, GEN, "--size", "3M", "--seed", "5",
                        "-o", "gen.jsonl"], check=True, capture_output=True)
        split(open("gen.jsonl", "rb").readlines(), "gen", 7)
        same_as_one(tmp, "gen", ["gen"])
        # records written by each rank, joined by rank 0's compressor
        same_as_one(tmp, "gen, .zst outputs", ["gen"], ext=".zst")
        # over-full buckets, paired in keep order, across ranks
        same_as_one(tmp, "gen, --max-bucket 3", ["gen"],
                    ["--max-bucket", "3"])
        keys_stay(tmp, "gen")
        index_add(tmp, "gen")
        failing_later(tmp, "gen")
        if os.path.exists(REUTERS):
            data = subprocess.run(["zstd", "-dc", REUTERS], check=True,
                                  capture_output=True).stdout
            split(data.splitlines(keepends=True), "reuters", 6)
            same_as_one(tmp, "reuters", ["reuters"],
                        ["--level", "doc", "--threshold", "0.5"])
        else:
            print(f"skip Reuters part: {REUTERS} not found")
    finally:
        os.chdir("/")
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"mpi: all passed in {time.time() - t0:.1f} s")


if __name__ == "__main__":
    main()
