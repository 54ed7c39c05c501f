#!/usr/bin/env bash
# mpi-mpich.sh - reprint builds against MPICH as well as Open MPI, and
# under MPICH's mpiexec passes what cli.mpi asks of Open MPI's mpirun
# (issue 12: one communication module, "keep it compiling against MPICH").
#
#   mpi-mpich.sh SOURCE_DIR WORK_DIR
#
# Configures SOURCE_DIR in WORK_DIR with MPICH's compiler wrapper
# (warnings are errors), builds the reprint tool, checks that it is
# linked to libmpich and not to Open MPI, and runs tests/cli/mpi.py with
# RP_MPIRUN=mpiexec.mpich. Exit 77 (skipped) without MPICH (Debian:
# libmpich-dev mpich; tools/setup.sh test installs them).
set -eu
src=$1
work=$2
for t in mpicc.mpich mpiexec.mpich; do
    if ! command -v "$t" > /dev/null; then
        echo "skip: $t not found (Debian: apt-get install libmpich-dev mpich)"
        exit 77
    fi
done
# the sanitizers of the enclosing build are not wanted here: a plain
# release build, as a user of MPICH would make
unset CFLAGS LDFLAGS
log="$work.log"
if ! { cmake -S "$src" -B "$work" -DCMAKE_BUILD_TYPE=Release \
        -DMPI_C_COMPILER="$(command -v mpicc.mpich)" -DRP_MPI=ON \
        -DRP_WERROR=ON -DRP_BUILD_TESTS=OFF -DRP_BUILD_BENCH=OFF &&
       cmake --build "$work" -j 2 --target reprint_cli; } > "$log" 2>&1; then
    tail -40 "$log"
    echo "FAIL: reprint does not build against MPICH (log: $log)"
    exit 1
fi
bin="$work/reprint"
libs=$(ldd "$bin")
if ! grep -q libmpich <<< "$libs" || grep -q "libmpi\.so" <<< "$libs"; then
    echo "$libs"
    echo "FAIL: $bin is not linked to MPICH alone"
    exit 1
fi
echo "ok   builds against MPICH, warnings as errors ($bin)"
RP_MPIRUN=mpiexec.mpich exec python3 "$src/tests/cli/mpi.py" "$bin" ON
