#!/usr/bin/env bash
# Copy direction on Reuters-21578: `reprint trace` over all 21,578 stories,
# scored on the 530 near-duplicate pairs of the truth file whose timestamps
# differ (the earlier story must come first).
#
#   bench/reuters-provenance.sh [REPRINT]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
reprint=${1:-$root/build/reprint}
data=$(cd "$root/.." && pwd)/shared/data/reuters21578
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reprint-prov.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "command: reprint trace reuters21578.jsonl.zst --json TRACE"
"$reprint" trace "$data/reuters21578.jsonl.zst" --json "$tmp/trace.json" 2>&1 |
    sed 's/^/  /'
python3 "$here/reuters-provenance.py" "$tmp/trace.json" \
    "$data/near-dup-pairs-body500-j05.jsonl"
