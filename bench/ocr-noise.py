#!/usr/bin/env python3
"""trace's passage recall with OCR noise against the same corpus without.

    python3 bench/ocr-noise.py --reprint PATH --work DIR [--size 5M]
        [--seed 3] [--rate 0.1]

tools/gen-corpus.py writes one corpus twice from one seed: clean, and with
--ocr RATE (look-alike characters in RATE of the words, split and joined
words, line-break hyphens; the truth is the clean corpus's). trace runs on
both; a copy edge of the truth (edges.jsonl, source -> copy) is found when
trace links the two documents as reuse; the reused paragraphs
(paragraphs.jsonl) are found when a trace passage has a member in each
document overlapping both paragraphs. Only documents present in both
corpora count (noise lengthens text, so the noisy corpus of the same size
ends a little earlier). Prints a Markdown table; the target is noisy
recall >= 0.9 x clean recall."""
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(x) for x in f if x.strip()]


def para_spans(text):
    """paragraphs split at blank lines, as the generator numbers them"""
    spans, pos = [], 0
    for p in text.encode("utf-8").split(b"\n\n"):
        spans.append((pos, pos + len(p)))
        pos += len(p) + 2
    return spans


def run(reprint, corpus, out):
    t0 = time.monotonic()
    subprocess.run([reprint, "trace", "-q", corpus, "--json", out],
                   check=True)
    return time.monotonic() - t0


def score(tr, edges, paras, texts, keep):
    links = {tuple(sorted((x["a"], x["b"]))) for x in tr["links"]
             if x.get("reuse", True)}
    e = [x for x in edges if x["from"] in keep and x["to"] in keep]
    found_e = sum(tuple(sorted((x["from"], x["to"]))) in links for x in e)
    # passage members per document pair
    occ = {}
    for p in tr["passages"]:
        if p["boilerplate"]:
            continue
        ms = p["members"]
        for i in range(len(ms)):
            for k in range(len(ms)):
                if ms[i]["doc"] != ms[k]["doc"]:
                    occ.setdefault((ms[i]["doc"], ms[k]["doc"]), []).append(
                        (ms[i]["span"], ms[k]["span"]))
    ps = [x for x in paras if x["from"] in keep and x["to"] in keep]
    found_p = 0
    for x in ps:
        a = para_spans(texts[x["to"]])[x["to_para"]]
        b = para_spans(texts[x["from"]])[x["from_para"]]
        for sa, sb in occ.get((x["to"], x["from"]), []):
            if sa[0] < a[1] and a[0] < sa[1] and sb[0] < b[1] and b[0] < sb[1]:
                found_p += 1
                break
    return found_e, len(e), found_p, len(ps)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reprint", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--size", default="5M")
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--rate", type=float, default=0.1)
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    gen = os.path.join(HERE, "..", "tools", "gen-corpus.py")
    res = {}
    for name, extra in (("clean", []), ("noisy", ["--ocr", str(a.rate)])):
        corpus = os.path.join(a.work, f"{name}.jsonl")
        truth = os.path.join(a.work, f"truth-{name}")
        subprocess.run([sys.executable, gen, "--size", a.size, "--seed",
                        str(a.seed), "-o", corpus, "--truth", truth,
                        "--jobs", "1", *extra], check=True,
                       stderr=subprocess.DEVNULL)
        out = os.path.join(a.work, f"{name}.trace.json")
        secs = run(a.reprint, corpus, out)
        with open(out, encoding="utf-8") as f:
            tr = json.load(f)
        res[name] = (tr, load(corpus), truth, secs)
    keep = ({r["id"] for r in res["clean"][1]} &
            {r["id"] for r in res["noisy"][1]})
    edges = load(os.path.join(res["clean"][2], "edges.jsonl"))
    paras = load(os.path.join(res["clean"][2], "paragraphs.jsonl"))
    print(f"Command: `python3 bench/ocr-noise.py --reprint R --work W "
          f"--size {a.size} --seed {a.seed} --rate {a.rate}` "
          f"({len(keep):,} documents in both corpora).\n")
    print("| corpus | copy edges found | recall | reused paragraphs found "
          "| recall | trace seconds |")
    print("|---|---:|---:|---:|---:|---:|")
    rec = {}
    for name in ("clean", "noisy"):
        tr = res[name][0]
        own = {r["id"]: r["text"] for r in res[name][1]}
        fe, ne, fp, npp = score(tr, edges, paras, own, keep)
        rec[name] = (fe / ne if ne else 1.0, fp / npp if npp else 1.0)
        print(f"| {name} | {fe} of {ne} | {rec[name][0]:.4f} | {fp} of {npp} "
              f"| {rec[name][1]:.4f} | {res[name][3]:.2f} |")
    print(f"\nNoisy over clean recall: copy edges "
          f"{rec['noisy'][0] / max(rec['clean'][0], 1e-9):.3f}, reused "
          f"paragraphs {rec['noisy'][1] / max(rec['clean'][1], 1e-9):.3f} "
          f"(target >= 0.9). Paragraphs are located in each corpus's own "
          f"text (noise adds no blank line, so their numbers agree).")


if __name__ == "__main__":
    main()
