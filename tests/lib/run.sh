#!/usr/bin/env bash
# The library as other programs see it.
#   run.sh symbols LIBREPRINT.so INCLUDE_DIR
#       nm -D of the shared library: every exported symbol is an rp_
#       function or variable declared RP_API in a public header (stable or
#       sys/), none is internal (rp__*, src/util helpers), and every RP_API
#       declaration is exported.
#   run.sh install BUILD_DIR SOURCE_DIR
#       cmake --install BUILD_DIR into a temporary prefix, moved elsewhere
#       (relocatable), then builds tests/lib/example.c outside the tree
#       with plain `cc $(pkg-config --cflags --libs reprint)` and with a
#       CMake project doing find_package(reprint) (tests/lib/consumer), runs
#       each and checks their output against the installed CLI's; then
#       removes the shared library: reprint::reprint is the static one.
# RP_CC and RP_CFLAGS (set by ctest in sanitizer builds) choose the
# compiler and its flags for the outside builds; default plain cc.
set -eu
mode=$1
fail() { echo "FAIL: $*" >&2; exit 1; }

symbols() {
    local so=$1 inc=$2 tmp
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' RETURN
    nm -D --defined-only "$so" | awk '{print $NF}' | sort -u > "$tmp/exported"
    [ -s "$tmp/exported" ] || fail "no symbols read from $so"
    # declarations: RP_API ... name( across line breaks
    cat "$inc"/reprint/*.h "$inc"/reprint/sys/*.h | tr '\n' ' ' |
        grep -oE 'RP_API [^;{}(]*\(' | grep -oE 'rp_[a-z0-9_]+ *\($' |
        tr -d ' (' | sort -u > "$tmp/declared"
    [ "$(wc -l < "$tmp/declared")" -gt 20 ] ||
        fail "too few RP_API declarations found under $inc"
    local bad
    bad=$(grep -v '^rp_' "$tmp/exported" || true)
    [ -z "$bad" ] || fail "exported without the rp_ prefix: $bad"
    bad=$(grep '^rp__' "$tmp/exported" || true)
    [ -z "$bad" ] || fail "internal (rp__) symbols exported: $bad"
    for s in rp_parallel_for rp_sort_u64 rp_json_put_string rp_hash64; do
        ! grep -qx "$s" "$tmp/exported" || fail "internal helper $s exported"
    done
    bad=$(comm -23 "$tmp/exported" "$tmp/declared")
    [ -z "$bad" ] || fail "exported but not declared RP_API in a header:
$bad"
    bad=$(comm -13 "$tmp/exported" "$tmp/declared")
    [ -z "$bad" ] || fail "declared RP_API but not exported: $bad"
    # the umbrella header includes every stable header
    local h
    for h in "$inc"/reprint/*.h; do
        h=$(basename "$h")
        [ "$h" = reprint.h ] ||
            grep -q "^#include \"$h\"" "$inc/reprint/reprint.h" ||
            fail "reprint.h leaves out $h"
    done
    ! grep -qi "to come" "$inc/reprint/reprint.h" ||
        fail "reprint.h says something is still to come"
    # the similarity call and a sys/ stage are there
    grep -qx rp_similarity "$tmp/exported" || fail "rp_similarity missing"
    grep -qx rp_align "$tmp/exported" || fail "rp_align missing"
    echo "ok: $(wc -l < "$tmp/exported") symbols exported, all public API"
}

# only the static library installed (called from install)
static_only() {
    # 3. only the static library installed: reprint::reprint is that
    rm -f "$libdir"/libreprint.so* "$libdir"/cmake/reprint/reprintTargets*.cmake
    cmake -S "$src/tests/lib/consumer" -B "$tmp/consumer_static" \
        -DCMAKE_PREFIX_PATH="$p" -DCMAKE_C_COMPILER="$cc" \
        -DCMAKE_C_FLAGS="$cflags" -DCMAKE_BUILD_TYPE=Debug \
        -DRP_STATIC_ONLY=ON > "$tmp/cmake.log" 2>&1 &&
        cmake --build "$tmp/consumer_static" > "$tmp/build.log" 2>&1 ||
        { cat "$tmp/cmake.log" "$tmp/build.log" >&2
          fail "find_package(reprint) with only the static library"; }
    ! objdump -p "$tmp/consumer_static/example_default" |
        grep -q 'libreprint\.so' ||
        fail "static-only install: reprint::reprint links a shared library"
}

install() {
    local build=$1 src=$2 tmp cc=${RP_CC:-cc} cflags=${RP_CFLAGS:-}
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' RETURN
    cmake --install "$build" --prefix "$tmp/staged" > "$tmp/install.log" ||
        { cat "$tmp/install.log" >&2; fail "cmake --install"; }
    mv "$tmp/staged" "$tmp/prefix" # relocatable: nothing points at staged
    local p=$tmp/prefix libdir
    libdir=$(dirname "$(find "$p" -name 'libreprint.so.0' | head -1)")
    [ -n "$libdir" ] && [ -f "$libdir/libreprint.a" ] ||
        fail "libreprint.so.0 and libreprint.a not both installed"
    [ -f "$p/include/reprint/reprint.h" ] &&
        [ -f "$p/include/reprint/sys/align.h" ] || fail "headers missing"
    local soname
    soname=$(objdump -p "$libdir/libreprint.so" | awk '/SONAME/{print $2}')
    [ "$soname" = libreprint.so.0 ] || fail "soname is '$soname'"

    # what the installed CLI does with the same corpus and defaults
    local corpus=$src/corpus/seeds.jsonl
    "$p/bin/reprint" dedup "$corpus" -o "$tmp/cli.jsonl" --log "$tmp/cli.log" \
        2> /dev/null || fail "installed reprint dedup"

    # 1. plain cc with pkg-config, the shared library
    export PKG_CONFIG_PATH=$libdir/pkgconfig
    local flags
    flags=$(pkg-config --cflags --libs reprint) || fail "pkg-config reprint"
    # shellcheck disable=SC2086
    $cc $cflags -o "$tmp/example_pc" "$src/tests/lib/example.c" $flags ||
        fail "cc example.c \$(pkg-config --cflags --libs reprint)"
    objdump -p "$tmp/example_pc" | grep -q 'NEEDED *libreprint\.so\.0' ||
        fail "the pkg-config build does not link libreprint.so.0"
    # 2. a CMake project with find_package(reprint)
    cmake -S "$src/tests/lib/consumer" -B "$tmp/consumer" \
        -DCMAKE_PREFIX_PATH="$p" -DCMAKE_C_COMPILER="$cc" \
        -DCMAKE_C_FLAGS="$cflags" -DCMAKE_BUILD_TYPE=Debug \
        > "$tmp/cmake.log" 2>&1 ||
        { cat "$tmp/cmake.log" >&2; fail "find_package(reprint) project"; }
    cmake --build "$tmp/consumer" > "$tmp/build.log" 2>&1 ||
        { cat "$tmp/build.log" >&2; fail "building the consumer project"; }
    objdump -p "$tmp/consumer/example_default" |
        grep -q 'NEEDED *libreprint\.so\.0' ||
        fail "reprint::reprint is not the shared library"
    ! objdump -p "$tmp/consumer/example_static" | grep -q 'libreprint\.so' ||
        fail "reprint::reprint_static links the shared library"

    local exe n=0
    for exe in "$tmp/example_pc" "$tmp/consumer/example_default" \
               "$tmp/consumer/example_static" \
               "$tmp/consumer_static/example_default"; do
        n=$((n + 1))
        [ $n = 4 ] && static_only
        mkdir "$tmp/out$n"
        LD_LIBRARY_PATH=$libdir "$exe" "$corpus" "$tmp/out$n" \
            > "$tmp/stdout$n" || fail "$exe exited $?"
        cmp "$tmp/out$n/kept.jsonl" "$tmp/cli.jsonl" ||
            fail "$exe: kept records differ from the CLI's"
        cmp "$tmp/out$n/log.jsonl" "$tmp/cli.log" ||
            fail "$exe: removal log differs from the CLI's"
    done
    cmp "$tmp/stdout1" "$tmp/stdout2" && cmp "$tmp/stdout1" "$tmp/stdout3" &&
        cmp "$tmp/stdout1" "$tmp/stdout4" ||
        fail "the four builds print different results"
    local in out
    in=$(wc -l < "$corpus")
    out=$(wc -l < "$tmp/cli.jsonl")
    grep -qx "reprint 0.1.0, library 100" "$tmp/stdout1" ||
        fail "version line: $(head -1 "$tmp/stdout1")"
    # 20 of the wire's 22 words are in the paper: all but "officials said"
    local sim="similarity: jaccard 0.600, wire in paper 0.900, paper in wire"
    sim+=" 0.643, 1 passage(s) covering 20 of 22 words"
    grep -qxF "$sim" "$tmp/stdout1" || fail "similarity line: $(sed -n 2p "$tmp/stdout1")"
    grep -qx "dedup: $in records in, $out out, .*" "$tmp/stdout1" ||
        fail "dedup line: $(sed -n 3p "$tmp/stdout1")"
    cat "$tmp/stdout1"
    echo "ok: pkg-config (shared), find_package (shared, static, static-only" \
        "install) builds agree with the CLI"
}

case $mode in
symbols) symbols "$2" "$3" ;;
install) install "$2" "$3" ;;
*) fail "unknown mode $mode" ;;
esac
