#!/usr/bin/env bash
# Set up, build in release mode, and run the main job on the bundled corpus
# (the five seed articles): trace the passages and quotes they share and who
# had them first (out/seeds.trace.html, .json, .md), and deduplicate their
# paragraphs with the log of what was removed in favour of what.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash tools/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DRP_BUILD_TESTS=OFF > /dev/null
cmake --build build -j "$(nproc)" > /dev/null
mkdir -p out
./build/reprint trace corpus/seeds.jsonl --html out/seeds.trace.html \
    --json out/seeds.trace.json --md out/seeds.trace.md
./build/reprint dedup corpus/seeds.jsonl -o out/seeds.dedup.jsonl \
    --log out/seeds.removed.jsonl --clusters out/seeds.clusters.jsonl \
    --pairs out/seeds.pairs.jsonl
echo "--- out/seeds.trace.md (the report for people: out/seeds.trace.html)"
cat out/seeds.trace.md
echo "--- out/seeds.removed.jsonl: paragraphs removed, in favour of what"
cat out/seeds.removed.jsonl
