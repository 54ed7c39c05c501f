#!/usr/bin/env bash
# index-stream.sh - a generated news stream deduplicated day by day against
# the index (issue 11): time per day as the index ages, index size, and
# the check that the days together equal one run with --keep first.
#
#   bash bench/index-stream.sh [DAYS] [SIZE_PER_DAY]    (default 30 40M)
#
# Each day is SIZE_PER_DAY of generated text (about 10,000 documents per
# 40M) cut from one generated corpus in file order, its records dated that
# day; the generator's reuse crosses days because they come from one
# corpus. Needs about 5x DAYS x SIZE_PER_DAY of disk under $TMPDIR. Prints one line per day:
# seconds, and the same for `wc -w` on that day's file (a baseline in the
# same run), units in the index, its size on disk.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
days=${1:-30}
size=${2:-40M}
R=${REPRINT:-$root/build-rel/reprint}
work=$(mktemp -d "${TMPDIR:-/tmp}/rp-stream.XXXXXX")
trap 'rm -rf "$work"' EXIT
n=$(python3 -c "import re,sys; s='$size'; m={'K':1e3,'M':1e6,'G':1e9}; print(int(float(s[:-1])*m[s[-1]]*$days) if s[-1] in m else int(s)*$days)")
python3 "$root/tools/gen-corpus.py" --size "$n" --seed 5 --jobs "$(nproc)" \
    -o "$work/all.jsonl" > /dev/null
# cut into days in file order (streamed), each record dated its day
python3 - "$work" "$days" "$(wc -l < "$work/all.jsonl")" <<'PY'
import json, sys, datetime
work, days, total = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
t0 = datetime.date(2026, 1, 1)
out, d = None, -1
with open(f"{work}/all.jsonl", encoding="utf-8") as f:
    for i, line in enumerate(f):
        k = i * days // total
        if k != d:
            if out:
                out.close()
            d = k
            out = open(f"{work}/day{d:03d}.jsonl", "w", encoding="utf-8")
        r = json.loads(line)
        r["date"] = (t0 + datetime.timedelta(days=d)).isoformat()
        out.write(json.dumps(r, ensure_ascii=False) + "\n")
if out:
    out.close()
PY
rm "$work/all.jsonl"
"$R" index create "$work/idx" -q
echo "day  docs  sec  wc-w-sec  ratio  index-units  index-MB"
for f in "$work"/day*.jsonl; do
    d=$(basename "$f" .jsonl)
    t0=$(date +%s.%N)
    LC_ALL=C wc -w "$f" > /dev/null
    t1=$(date +%s.%N)
    "$R" dedup --against "$work/idx" --update --window 7d --keep first \
        "$f" -o "$work/$d.out" -q
    t2=$(date +%s.%N)
    info=$("$R" index info "$work/idx")
    units=$(echo "$info" | awk '/^documents:/{d=$2} /^paragraphs:/{p=$2} END{print d+p}')
    mb=$(echo "$info" | awk '/^on disk:/{print $3}')
    python3 -c "import sys; a,b,c=map(float,sys.argv[1:4]); print(f'{sys.argv[4]}  {sys.argv[5]}  {c-b:.2f}  {b-a:.3f}  {(c-b)/max(b-a,1e-9):.0f}  {sys.argv[6]}  {sys.argv[7]}')" \
        "$t0" "$t1" "$t2" "$d" "$(wc -l < "$f")" "$units" "$mb"
done
