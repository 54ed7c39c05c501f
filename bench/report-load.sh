#!/usr/bin/env bash
# bench/report-load.sh - how long the trace HTML report takes to load in
# headless Chromium, at Reuters-21578 size and, for scale, on the seeds (the
# ratio is what to compare across runs: the machine may be busy).
#
#   bash bench/report-load.sh [REPRINT] [RUNS]
#
# Two figures per page, median of RUNS (3) loads, each in a fresh profile:
#   script   performance.now() when the page's script has drawn the first
#            view (it runs last, so the whole document is parsed): the
#            page's data-ready attribute, read back with --dump-dom
#   wall     a whole chromium --screenshot run: start-up, load, first view,
#            layout and paint
# Taken on a busy machine the figures move a lot; the ratio to the seeds
# page, loaded in the same run, moves less.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
reprint=${1:-$root/build/reprint}
runs=${2:-3}
reuters=$root/../shared/data/reuters21578/reuters21578.jsonl.zst
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium" ] || { echo "chromium not installed (tools/setup.sh test)"; exit 77; }
[ -f "$reuters" ] || { echo "skip: $reuters absent"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$reprint" trace -q "$root/corpus/seeds.jsonl" --html "$tmp/seeds.html"
"$reprint" trace -q "$reuters" --html "$tmp/reuters.html"

chrome() { # PROFILE ARGS...
    local profile=$1
    shift
    timeout 300 "$chromium" --headless --no-sandbox --disable-gpu \
        --disable-quic --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync \
        --user-data-dir="$tmp/profile-$profile" "$@" 2> /dev/null
}
load() { # page run -> "script_ms wall_ms"
    local t0 t1 ready
    ready=$(chrome "d$1$2" --dump-dom "file://$tmp/$1.html" |
        grep -o 'data-ready="[0-9]*"' | head -1 | tr -dc 0-9)
    t0=$(date +%s%N)
    chrome "s$1$2" --window-size=1280,2000 --screenshot="$tmp/$1.png" \
        "file://$tmp/$1.html" > /dev/null
    t1=$(date +%s%N)
    echo "${ready:-NA} $(( (t1 - t0) / 1000000 ))"
}
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

for page in seeds reuters; do
    for r in $(seq "$runs"); do load "$page" "$r"; done > "$tmp/$page.t"
    s=$(cut -d' ' -f1 "$tmp/$page.t" | median)
    w=$(cut -d' ' -f2 "$tmp/$page.t" | median)
    printf '%-8s %9s bytes  script %6s ms  wall %6s ms\n' "$page" \
        "$(stat -c %s "$tmp/$page.html")" "$s" "$w"
    eval "${page}_s=$s ${page}_w=$w"
done
awk -v a="$reuters_w" -v b="$seeds_w" -v c="$reuters_s" -v d="$seeds_s" \
    'BEGIN {printf "reuters/seeds: wall %.2fx, script %.1fx\n", a / b, (d > 0 ? c / d : 0)}'
