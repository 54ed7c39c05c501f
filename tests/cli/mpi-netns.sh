#!/usr/bin/env bash
# mpi-netns.sh - `reprint dedup` over 2 ranks on two "hosts" joined only by
# TCP gives what one process gives (issue 12).
#
#   mpi-netns.sh REPRINT RP_MPI
#
# Two network namespaces, rpA (10.77.0.1) and rpB (10.77.0.2), joined by a
# veth pair, stand for two machines: each rank runs in its own, and the
# ranks reach each other (and mpirun) over the veth pair only: Open MPI's
# out-of-band and byte-transfer layers are told to use TCP on 10.77.0.0/24,
# and mpirun starts the remote daemon through an rsh agent that enters the
# namespace (`ip netns exec`) where a cluster would use ssh. The two share
# the filesystem, as cluster nodes share /shared. Outputs (records, log,
# pairs, clusters) of the seeds and of a generated corpus cut into 6 files
# must be byte-identical to a one-process run.
#
# Exit 77 (skipped) without MPI, mpirun, `ip`, or the right to make
# namespaces (root, CAP_NET_ADMIN). Labelled slow.
set -u
REPRINT=$(readlink -f "$1")
case "${2:-}" in ON | 1 | TRUE | YES) ;; *)
    echo "skip: reprint was built without MPI"
    exit 77
    ;;
esac
for t in mpirun ip python3; do
    command -v "$t" >/dev/null || { echo "skip: $t not found"; exit 77; }
done
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
NSA=rpA.$$ NSB=rpB.$$
TMP=$(mktemp -d /tmp/reprint-netns.XXXXXX)

cleanup() {
    ip netns del "$NSA" 2>/dev/null
    ip netns del "$NSB" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

if ! ip netns add "$NSA" 2>/dev/null; then
    echo "skip: cannot make a network namespace here (needs root)"
    exit 77
fi
ip netns add "$NSB" || exit 1
ip link add "va$$" type veth peer name "vb$$" || exit 1
ip link set "va$$" netns "$NSA" && ip link set "vb$$" netns "$NSB" || exit 1
ip -n "$NSA" addr add 10.77.0.1/24 dev "va$$" &&
    ip -n "$NSB" addr add 10.77.0.2/24 dev "vb$$" &&
    ip -n "$NSA" link set "va$$" up && ip -n "$NSB" link set "vb$$" up &&
    ip -n "$NSA" link set lo up && ip -n "$NSB" link set lo up || exit 1
# reached: a connection to a closed port of the other is refused, not lost
if ! ip netns exec "$NSA" python3 -c '
import socket, sys
s = socket.socket()
s.settimeout(3)
try:
    s.connect(("10.77.0.2", 9))
except ConnectionRefusedError:
    sys.exit(0)
except OSError:
    sys.exit(1)
'; then
    echo "FAIL: the two namespaces do not reach each other"
    exit 1
fi

# the rsh agent: `agent HOST COMMAND...` runs COMMAND in HOST's namespace
cat >"$TMP/netns-rsh" <<EOF
#!/bin/sh
host=\$1; shift
case "\$host" in
    10.77.0.1) ns=$NSA ;;
    10.77.0.2) ns=$NSB ;;
    *) echo "netns-rsh: unknown host \$host" >&2; exit 1 ;;
esac
echo "\$host" >>"$TMP/launched"
exec ip netns exec "\$ns" sh -c "\$*"
EOF
chmod +x "$TMP/netns-rsh"
printf '10.77.0.1 slots=1\n10.77.0.2 slots=1\n' >"$TMP/hosts"

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
cd "$TMP" || exit 1

# the inputs: the seeds, one file each, and a generated corpus in 6 files
mkdir seeds gen
seeds=$ROOT/corpus/seeds.jsonl gen=$ROOT/tools/gen-corpus.py
python3 - "$seeds" "$gen" <<'EOF' || exit 1
import subprocess, sys
lines = open(sys.argv[1], "rb").readlines()
for i, l in enumerate(lines):
    open(f"seeds/s{i:02d}.jsonl", "wb").write(l)
subprocess.run([sys.executable, sys.argv[2], "--size", "2M", "--seed", "9",
                "-o", "gen.jsonl"], check=True, capture_output=True)
g = open("gen.jsonl", "rb").readlines()
for i in range(6):
    lo, hi = len(g) * i // 6, len(g) * (i + 1) // 6
    open(f"gen/g{i}.jsonl", "wb").writelines(g[lo:hi])
EOF

status=0
for set in seeds gen; do
    "$REPRINT" dedup -q "$set" --threads 1 -o "$set.one.records" \
        --log "$set.one.log" --pairs "$set.one.pairs" \
        --clusters "$set.one.clusters" || exit 1
    if ! ip netns exec "$NSA" mpirun -n 2 --hostfile hosts \
        --mca plm_rsh_agent "$TMP/netns-rsh" \
        --mca oob_tcp_if_include 10.77.0.0/24 \
        --mca btl_tcp_if_include 10.77.0.0/24 --mca btl self,tcp \
        --mca pml ob1 \
        "$REPRINT" dedup -q "$set" --threads 1 --tmp-dir "$TMP" \
        -o "$set.two.records" --log "$set.two.log" \
        --pairs "$set.two.pairs" --clusters "$set.two.clusters" \
        >"$set.mpirun.out" 2>&1; then
        echo "FAIL: $set: mpirun across the namespaces failed:"
        tail -30 "$set.mpirun.out"
        exit 1
    fi
    if ! grep -q 10.77.0.2 launched 2>/dev/null; then
        echo "FAIL: $set: no rank was started in the second namespace"
        exit 1
    fi
    rm -f launched
    for o in records log pairs clusters; do
        if ! cmp -s "$set.one.$o" "$set.two.$o"; then
            echo "FAIL: $set: $o over two hosts differs from one process"
            status=1
        fi
    done
    [ -s "$set.one.log" ] || { echo "FAIL: $set: nothing removed"; status=1; }
    [ $status = 0 ] &&
        echo "ok   $set: 2 ranks on two hosts over TCP = one process"
done
exit $status
