#!/usr/bin/env bash
# Set up, build with AddressSanitizer + UBSan, and run every test except
# those labelled `slow` (RP_TEST_SLOW=1 runs them too).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash tools/setup.sh test
build=${RP_BUILD_DIR:-build-test}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DRP_SANITIZE=ON \
    -DRP_WERROR=ON -DRP_BUILD_BENCH=OFF > /dev/null
cmake --build "$build" -j "$(nproc)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
if [ "${RP_TEST_SLOW:-0}" = 1 ]; then
    ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
else
    ctest --test-dir "$build" --output-on-failure -j "$(nproc)" -LE slow
fi
