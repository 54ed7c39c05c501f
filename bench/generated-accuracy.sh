#!/usr/bin/env bash
# Accuracy of dedup and trace on a generated corpus with known reuse
# (tools/gen-corpus.py): near-duplicate pairs at J 0.5/0.8/0.9, copy-edge
# direction with and without dates, quote clusters.
#
#   bench/generated-accuracy.sh [REPRINT] [SIZE] [SEED]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
reprint=${1:-$root/build/reprint}
size=${2:-10M}
seed=${3:-1}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reprint-gen.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "command: tools/gen-corpus.py --size $size --seed $seed -o C --truth T"
python3 "$root/tools/gen-corpus.py" --size "$size" --seed "$seed" \
    -o "$tmp/c.jsonl" --truth "$tmp/t" 2>&1 | sed 's/^/  /'
for t in 0.5 0.8 0.9; do
    echo "command: reprint dedup --level doc --threshold $t C --pairs P$t"
    "$reprint" dedup -q --level doc --threshold "$t" "$tmp/c.jsonl" \
        -o /dev/null --pairs "$tmp/p$t.jsonl"
done
echo "command: reprint trace C --json TRACE (and on C without dates)"
"$reprint" trace -q "$tmp/c.jsonl" --json "$tmp/trace.json"
sed 's/"date": "[^"]*", //' "$tmp/c.jsonl" > "$tmp/nodates.jsonl"
"$reprint" trace -q "$tmp/nodates.jsonl" --json "$tmp/nodates.json"
python3 "$here/generated-accuracy.py" "$tmp/t" "$tmp/p0.5.jsonl" \
    "$tmp/p0.8.jsonl" "$tmp/p0.9.jsonl" "$tmp/trace.json" "$tmp/nodates.json"
