#!/usr/bin/env bash
# Doc-level dedup accuracy on Reuters-21578 against the exhaustive truth.
#
#   bench/reuters-accuracy.sh [REPRINT] [THRESHOLD]
#
# Takes the 11,786 stories of body500-ids.txt, runs
#   reprint dedup --level doc --threshold 0.5 --pairs PAIRS
# and scores PAIRS against near-dup-pairs-body500-j05.jsonl with
# bench/reuters-accuracy.py, which also explains every disagreement.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
reprint=${1:-$root/build/reprint}
thr=${2:-0.5}
data=$(cd "$root/.." && pwd)/shared/data/reuters21578
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reprint-reuters.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
python3 - "$data" "$tmp/body500.jsonl" <<'PY'
import json, subprocess, sys
data, out = sys.argv[1], sys.argv[2]
ids = set(open(f"{data}/body500-ids.txt").read().split())
raw = subprocess.run(["zstd", "-dc", f"{data}/reuters21578.jsonl.zst"],
                     check=True, capture_output=True).stdout.decode("utf-8")
with open(out, "w", encoding="utf-8") as f:
    for line in raw.splitlines():
        if json.loads(line)["id"] in ids:
            f.write(line + "\n")
PY
echo "command: reprint dedup --level doc --threshold $thr body500.jsonl --pairs PAIRS"
"$reprint" dedup -v --level doc --threshold "$thr" "$tmp/body500.jsonl" \
    -o /dev/null --pairs "$tmp/pairs.jsonl" 2>&1 | sed 's/^/  /'
python3 "$here/reuters-accuracy.py" "$tmp/pairs.jsonl" \
    "$data/near-dup-pairs-body500-j05.jsonl" "$data/body500-ids.txt" \
    --threshold "$thr" --explain "$data/reuters21578.jsonl.zst"
