"""Peer tools for near-duplicate documents, installed and run the same way
every time, each turned into scored pairs (a, b) -> similarity in [0, 1].

  simhash   Debian `simhash` (Bart Massey's shingleprint tool): 128 minimal
            hashes of 8-byte shingles per file; `simhash -m FILES` prints the
            similarity matrix of all files
  ssdeep    Debian `ssdeep` (context-triggered piecewise hashes):
            `ssdeep -b -c -d FILES` prints every pair scoring above 0, as
            0-100 (divided by 100 here)
  minhash   npm `minhash` 0.0.9 (Minhash + LshIndex, the package's defaults:
            128 permutations, bands of 4) over reprint's features, word
            5-grams of lower-cased \\w+ tokens (bench/peers/minhash-pairs.js)

The first two compare files, so each document's text is written to its own
file first (not timed). Timings are wall seconds of the tool's own run.
"""
import json
import os
import shutil
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MINHASH_VERSION = "0.0.9"
INSTALL = {
    "simhash": "apt-get install simhash",
    "ssdeep": "apt-get install ssdeep",
    "minhash": f"npm install minhash@{MINHASH_VERSION} (node from Debian "
               "`nodejs`)",
}
INVOKE = {
    "simhash": "simhash -m DOCS/*.txt",
    "ssdeep": "ssdeep -b -c -d DOCS/*.txt",
    "minhash": "node bench/peers/minhash-pairs.js NODE_MODULES CORPUS.jsonl",
}


def setup(work):
    """install what is missing; returns the node_modules directory"""
    need = [p for p, exe in (("simhash", "simhash"), ("ssdeep", "ssdeep"),
                             ("nodejs", "node"), ("npm", "npm"))
            if not shutil.which(exe)]
    if need:
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        subprocess.run(sudo + ["apt-get", "install", "-y", "-q"] + need,
                       check=True, stdout=subprocess.DEVNULL)
    npm = os.path.join(work, "npm")
    mods = os.path.join(npm, "node_modules")
    if not os.path.exists(os.path.join(mods, "minhash", "package.json")):
        os.makedirs(npm, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", npm, "--no-audit",
                        "--no-fund", "--silent", f"minhash@{MINHASH_VERSION}"],
                       check=True, stdout=subprocess.DEVNULL)
    return mods


def split(corpus, docs_dir):
    """one file per document, DOCS/ID.txt; returns the file list in order"""
    os.makedirs(docs_dir, exist_ok=True)
    files = []
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            p = os.path.join(docs_dir, r["id"] + ".txt")
            with open(p, "w", encoding="utf-8") as out:
                out.write(r["text"])
            files.append(p)
    return files


def _timed(cmd, **kw):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        raise SystemExit(f"peers: {cmd[0]} failed: {p.stderr[:500]}")
    return dt, p.stdout


def _doc(name):
    return os.path.basename(name)[:-len(".txt")]


def run_simhash(files):
    dt, out = _timed(["simhash", "-m"] + files)
    names = []
    pairs = {}
    for line in out.splitlines()[1:]:
        f = line.split()
        if len(f) < 2:
            continue
        a = _doc(f[0])
        for k, v in enumerate(f[2:]):
            s = float(v)
            if s > 0:
                pairs[tuple(sorted((names[k], a)))] = s
        names.append(a)
    return dt, pairs


def run_ssdeep(files):
    dt, out = _timed(["ssdeep", "-b", "-c", "-d"] + files)
    pairs = {}
    for line in out.splitlines():
        a, b, s = line.rsplit(",", 2)
        pairs[tuple(sorted((_doc(a.strip('"')), _doc(b.strip('"')))))] = \
            int(s) / 100
    return dt, pairs


def run_minhash(corpus, mods):
    dt, out = _timed(["node", os.path.join(HERE, "peers", "minhash-pairs.js"),
                      mods, corpus])
    pairs = {}
    for line in out.splitlines():
        a, b, s = line.split("\t")
        pairs[tuple(sorted((a, b)))] = float(s)
    return dt, pairs


def run_all(corpus, work):
    """{peer: (seconds, pairs)}"""
    mods = setup(work)
    files = split(corpus, os.path.join(work, "docs"))
    res = {"simhash": run_simhash(files), "ssdeep": run_ssdeep(files),
           "minhash": run_minhash(corpus, mods)}
    shutil.rmtree(os.path.join(work, "docs"))
    return res
