#!/usr/bin/env bash
# Run one libFuzzer target: tools/fuzz.sh TARGET SECONDS [libFuzzer flags]
#   TARGET: record date sign quote align sigfile sigblock input
# Builds build-fuzz/ with clang (ASan + UBSan + libFuzzer; tools/setup.sh
# fuzz installs clang and its runtime), starts from the seed corpus in
# tests/fuzz/corpus/TARGET, keeps what it finds in build-fuzz/corpus-TARGET
# and crashes in build-fuzz/crash-TARGET/. Runs at nice 19 on one core.
# A finding becomes a corpus file (copy it into tests/fuzz/corpus/TARGET)
# and a fix; ctest replays the corpus with gcc (fuzz.TARGET).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
target=${1:?usage: tools/fuzz.sh TARGET SECONDS}
seconds=${2:?usage: tools/fuzz.sh TARGET SECONDS}
shift 2
[ -f "tests/fuzz/fuzz_$target.c" ] || { echo "no target $target" >&2; exit 2; }
bash tools/setup.sh fuzz
build=${RP_FUZZ_BUILD_DIR:-build-fuzz}
CC=clang cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DRP_SANITIZE=ON -DRP_BUILD_FUZZERS=ON -DRP_BUILD_BENCH=OFF > /dev/null
cmake --build "$build" -j "$(nproc)" --target "fuzz_$target" > /dev/null
mkdir -p "$build/corpus-$target" "$build/crash-$target"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
exec nice -n 19 "$build/tests/fuzz_$target" -max_total_time="$seconds" \
    -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$build/crash-$target/" "$@" \
    "$build/corpus-$target" "tests/fuzz/corpus/$target"
