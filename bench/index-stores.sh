#!/bin/sh
# Index store for issue 11: LMDB vs RocksDB (C API) vs own sorted run files.
# Builds bench/index_stores.c and runs the three modes; figures and their
# reading are in bench/README.md ("Index store: ...").
#
#   bash bench/index-stores.sh [DIR] [-- bench options]
#   e.g. bash bench/index-stores.sh /work/tmp-store --days 10 --batch 500000
#
# Needs: apt-get install liblmdb-dev librocksdb-dev libxxhash-dev xxhash
# Disk: ~20 GB under DIR at 10 x 5*10^5 entries, ~40 GB at 10 x 10^6
# (removed at the end). Time here: ~15 min at 10 x 5*10^5.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-/tmp/index-stores}
[ $# -gt 0 ] && shift
bin=$dir/index_stores
mkdir -p "$dir"
cc -std=c11 -O2 -Wall -Wextra -o "$bin" "$here/index_stores.c" -llmdb -lrocksdb
df -h "$dir" | tail -1
"$bin" corrupt "$dir/c" --batch 100000
"$bin" crash "$dir/k" --batch 100000 --trials 8
"$bin" bench "$dir/b" "$@"
rm -rf "$dir/b" "$dir/c" "$dir/k" "$bin"
