#!/usr/bin/env bash
# Install the Debian packages reprint needs to build, test and benchmark.
# Installs only what is missing; safe to run again. Needs root (or sudo).
#   tools/setup.sh        to build and run
#   tools/setup.sh test   also Chromium, for the HTML report's browser test,
#                         clang, for the clang ASan + UBSan build,
#                         groff and man-db, for the man page test, and
#                         Open MPI, for the mpirun test (cli.mpi), and
#                         MPICH, built against in cli.mpi_mpich (Open MPI
#                         stays the default mpicc and mpirun); the build
#                         needs no MPI (without it, RP_MPI is OFF)
#   tools/setup.sh fuzz   also clang and its libFuzzer runtime (tools/fuzz.sh)
#   tools/setup.sh bench  also GNU time and the peers bench/run.sh compares
#                         with: simhash, ssdeep, Node.js and npm
set -eu
pkgs=(build-essential cmake pkg-config
      libzstd-dev zstd libxxhash-dev xxhash libjson-c-dev libicu-dev
      zlib1g-dev gzip liblzma-dev xz-utils libbz2-dev bzip2
      libcmocka-dev python3 wamerican)
[ "${1:-}" = test ] && pkgs+=(chromium clang groff-base man-db
                              libopenmpi-dev openmpi-bin
                              libmpich-dev mpich)
[ "${1:-}" = fuzz ] && pkgs+=(clang libclang-rt-14-dev)
if [ "${1:-}" = bench ]; then
    pkgs+=(time simhash ssdeep)
    # Node.js may come from elsewhere (e.g. NodeSource, npm included)
    command -v node > /dev/null || pkgs+=(nodejs)
    command -v npm > /dev/null || pkgs+=(npm)
fi
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
        missing+=("$p")
done
[ ${#missing[@]} = 0 ] && exit 0
echo "setup: installing ${missing[*]}" >&2
sudo=
[ "$(id -u)" = 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q >&2
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
