#!/usr/bin/env bash
# Regenerate bench/RESULTS.md and its plots (bench/plots/*.svg): accuracy
# of reprint and its peers on Reuters-21578 and on generated corpora with
# known reuse, and speed and memory on generated corpora of 10 MB, 100 MB
# and 1 GB, each against baselines timed in the same run on the same bytes;
# trace against a dedup baseline on the real sets of ../shared/data
# (bench/real-sets.py), and trace's recall with OCR noise against the same
# generated corpus without (bench/ocr-noise.py); dedup's peak memory and
# time under --memory budgets on the 1 GB corpus (bench/memory-budget.py);
# dedup over 2 MPI ranks against one process on it (bench/mpi-ranks.py);
# the tool's tuned allocator against glibc's defaults (bench/malloc-tuning.py).
#
#   bash bench/run.sh [--10g] [--reps N]
#
# Installs what is missing (tools/setup.sh bench: GNU time, simhash,
# ssdeep, Node.js/npm; npm's minhash into the work directory), builds
# build-bench/ in release mode and keeps the generated corpora in
# build-bench/corpora/ for the next run (same size and seed, same bytes).
# --10g adds a 10 GB corpus (~13 GB disk, ~30 min here). Needs ../shared/data for the
# Reuters sections; without it they say so and the rest still runs.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
sizes=10M,100M,1G
reps=3
while [ $# -gt 0 ]; do
    case $1 in
    --10g) sizes=$sizes,10G ;;
    --reps) reps=$2; shift ;;
    *) echo "usage: bash bench/run.sh [--10g] [--reps N]" >&2; exit 2 ;;
    esac
    shift
done
bash tools/setup.sh bench
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DRP_BUILD_TESTS=OFF > /dev/null
cmake --build build-bench -j "$(nproc)" > /dev/null
work=build-bench/corpora
mkdir -p "$work" bench/plots
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reprint-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
data=$(cd "$root/.." && pwd)/shared/data
reuters=$data/reuters21578
out=$tmp/RESULTS.md
step() { echo "bench: $*" >&2; }
{
    echo "# reprint benchmark results"
    echo
    echo "Written by \`bash bench/run.sh\` on $(date -u +%Y-%m-%d), commit" \
         "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)."
    echo "Machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores," \
         "$(grep -o -w -m1 -e avx512f /proc/cpuinfo || grep -o -w -m1 avx2 /proc/cpuinfo || echo sse)," \
         "$(free -g | awk '/Mem:/ {print $2}') GiB; $(lsb_release -ds 2>/dev/null || sed -n 's/^PRETTY_NAME=//p' /etc/os-release | tr -d '"')."
    echo "The machine is shared and noisy: speed figures are best of $reps and"
    echo "are read as ratios to baselines timed in the same run on the same"
    echo "bytes. Every table below is printed by the command named above it."
    echo
    echo "## 1. Near-duplicate documents on Reuters-21578"
    echo
    if [ -d "$reuters" ]; then
        step "Reuters accuracy"
        echo "Command: \`bash bench/reuters-accuracy.sh build-bench/reprint\`"
        echo "(reprint alone, every disagreement explained):"
        echo
        echo '```'
        bash bench/reuters-accuracy.sh build-bench/reprint 2>&1
        echo '```'
        echo
        step "Reuters peers"
        echo "Command: \`python3 bench/reuters-peers.py --reprint"
        echo "build-bench/reprint --work W\` (reprint and its peers):"
        echo
        python3 bench/reuters-peers.py --reprint build-bench/reprint --work "$tmp/rp"
        echo
        echo "## 2. Provenance on Reuters-21578 (trace)"
        echo
        step "Reuters provenance"
        echo "Command: \`bash bench/reuters-provenance.sh build-bench/reprint\`."
        echo
        echo '```'
        bash bench/reuters-provenance.sh build-bench/reprint 2>&1
        echo '```'
    else
        echo "Skipped: $reuters is not on this machine."
    fi
    echo
    echo "## 3. Generated corpus with known reuse: reprint and peers"
    echo
    step "generated accuracy"
    echo "Command: \`python3 bench/generated-accuracy.py --reprint"
    echo "build-bench/reprint --work W --size 10M --seed 1 --plot"
    echo "bench/plots/precision-recall.svg\`."
    echo
    python3 bench/generated-accuracy.py --reprint build-bench/reprint \
        --work "$tmp/ga" --size 10M --seed 1 --plot bench/plots/precision-recall.svg
    echo
    echo "![precision and recall against threshold](plots/precision-recall.svg)"
    echo
    echo "## 4. Speed and memory against corpus size"
    echo
    extra=()
    if [ -d "$reuters" ]; then
        for _ in $(seq 10); do zstd -q -dc "$reuters/reuters21578.jsonl.zst"; done \
            > "$tmp/reuters10.jsonl"
        extra=(--extra "reuters x10=$tmp/reuters10.jsonl")
    fi
    step "scale $sizes"
    echo "Command: \`python3 bench/scale.py --bin build-bench --work"
    echo "build-bench/corpora --sizes $sizes --reps $reps --plot"
    echo "bench/plots/time-vs-size.svg\`$([ ${#extra[@]} = 0 ] || echo ", plus Reuters-21578 repeated 10 times (real wire text, short records)")."
    echo "*sign 1* = \`reprint sign --threads 1\`, *dedup .zst* reads the"
    echo "zstd copy; ratios are speed ratios (above 1.00x: faster than the"
    echo "baseline). *RSS bytes/doc* = peak RSS / documents, fixed costs"
    echo "included."
    echo
    python3 bench/scale.py --bin build-bench --work "$work" --sizes "$sizes" \
        --reps "$reps" --plot bench/plots/time-vs-size.svg "${extra[@]}"
    echo
    echo "![wall time against corpus size](plots/time-vs-size.svg)"
    echo
    echo "## 5. Reuse on real sets with ground truth: trace and a dedup baseline"
    echo
    if [ -d "$data" ]; then
        step "real sets"
        python3 bench/real-sets.py --reprint build-bench/reprint \
            --data "$data" --work "$tmp/rs" --heading ""
    else
        echo "Skipped: $data is not on this machine."
        echo
    fi
    echo "## 6. trace with OCR noise"
    echo
    step "OCR noise"
    python3 bench/ocr-noise.py --reprint build-bench/reprint \
        --work "$tmp/ocr" --size 5M
    echo
    echo "## 7. dedup under a memory budget"
    echo
    step "memory budget"
    echo "Command: \`python3 bench/memory-budget.py --reprint build-bench/reprint"
    echo "--corpus build-bench/corpora/gen-1G.jsonl --work W --budgets 1G,256M,64M\`."
    echo
    python3 bench/memory-budget.py --reprint build-bench/reprint \
        --corpus "$work/gen-1G.jsonl" --work "$tmp/mb" --budgets 1G,256M,64M
    echo
    echo "## 8. dedup over MPI ranks"
    echo
    if command -v mpirun > /dev/null &&
        grep -q 'RP_MPI:BOOL=ON' build-bench/CMakeCache.txt; then
        step "MPI ranks"
        echo "Command: \`python3 bench/mpi-ranks.py --reprint build-bench/reprint"
        echo "--corpus build-bench/corpora/gen-1G.jsonl --work W --files 8 --ranks 2\`."
        echo
        python3 bench/mpi-ranks.py --reprint build-bench/reprint \
            --corpus "$work/gen-1G.jsonl" --work "$tmp/mpi" --files 8 --ranks 2
    else
        echo "Not run: no mpirun, or a build without MPI."
    fi
    echo
    echo "## 9. The allocator: glibc tuned by the tool against its defaults"
    echo
    step "allocator"
    echo "Command: \`python3 bench/malloc-tuning.py --reprint build-bench/reprint"
    echo "--corpus build-bench/corpora/gen-1G.jsonl --work W --reuters R --reps 2\`"
    echo "(R: reuters21578.jsonl.zst of ../shared/data)."
    echo
    python3 bench/malloc-tuning.py --reprint build-bench/reprint \
        --corpus "$work/gen-1G.jsonl" --work "$tmp/malloc" \
        --reuters "$reuters/reuters21578.jsonl.zst" --reps 2
    echo
    cat bench/NOTES.md
} > "$out"
mv "$out" bench/RESULTS.md
echo "wrote bench/RESULTS.md, bench/plots/" >&2
