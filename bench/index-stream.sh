#!/usr/bin/env bash
# index-stream.sh - a generated news stream deduplicated day by day against
# the index (issue 11): time per day as the index ages, index size, and
# the check that the days together equal one run with --keep first.
#
#   bash bench/index-stream.sh [DAYS] [SIZE_PER_DAY]    (default 30 40M)
#
# Each day is SIZE_PER_DAY of generated text (about 10,000 documents per
# 40M) whose dates are moved to that day; the generator's reuse crosses
# days because every day is cut from one corpus. Prints one line per day:
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
python3 "$root/tools/gen-corpus.py" --size "$n" --seed 5 -o "$work/all.jsonl" > /dev/null
python3 - "$work" "$days" <<'PY'
import json, sys, datetime
work, days = sys.argv[1], int(sys.argv[2])
rows = [json.loads(l) for l in open(f"{work}/all.jsonl", encoding="utf-8")]
rows.sort(key=lambda r: r.get("date") or "")
t0 = datetime.date(2026, 1, 1)
for d in range(days):
    part = rows[d * len(rows) // days:(d + 1) * len(rows) // days]
    with open(f"{work}/day{d:03d}.jsonl", "w", encoding="utf-8") as f:
        for r in part:
            r["date"] = (t0 + datetime.timedelta(days=d)).isoformat()
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
PY
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
