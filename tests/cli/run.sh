#!/usr/bin/env bash
# CLI tests for reprint: golden files and bad-input cases.
#
#   tests/cli/run.sh REPRINT golden|generator|hostile|browser|browser_reuters|bad|threads|reuters|huge|huge_ok|repro|hardening|outputs|crash|memory
#
# Golden files live in tests/cli/golden/; to rewrite them on purpose after a
# reviewed change: REPRINT_UPDATE_GOLDEN=1 tests/cli/run.sh REPRINT golden
# Exit 0 = pass, 77 = skipped (data not available), else fail.
set -u
reprint=$(realpath "$1")
mode=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
shared=$(cd "$root/.." && pwd)/shared
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reprint-cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failures=0
passed=0

ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failures=$((failures + 1)); echo "FAIL $1"; }

# golden NAME FILE: compare FILE with tests/cli/golden/NAME
golden() {
    local want="$here/golden/$1"
    if [ "${REPRINT_UPDATE_GOLDEN:-0}" = 1 ]; then
        cp "$2" "$want"
        ok "$1 (rewritten)"
    elif cmp -s "$want" "$2"; then
        ok "$1"
    else
        bad "$1"
        diff "$want" "$2" | head -20
    fi
}

# no_leftovers DIR: no output and no temporary file was left behind
no_leftovers() {
    if ls "$1" | grep -q -e '\.tmp\.' -e '^out'; then
        bad "$2: output or temporary file left behind: $(ls "$1")"
    else
        ok "$2: nothing left behind"
    fi
}

cd "$root"   # relative paths: the golden files name inputs as given
seeds=corpus/seeds.jsonl

run_golden() {
    "$reprint" dedup -q --level doc "$seeds" -o "$tmp/doc.jsonl" \
        --log "$tmp/doc.log" --threads 2
    if cmp -s "$seeds" "$tmp/doc.jsonl" && [ ! -s "$tmp/doc.log" ]; then
        ok "seeds --level doc removes nothing, output = input byte for byte"
    else
        bad "seeds --level doc changed something"
    fi
    "$reprint" dedup -q --level para "$seeds" -o "$tmp/para.jsonl" \
        --log "$tmp/para.log" --pairs "$tmp/para.pairs" \
        --clusters "$tmp/para.clusters"
    golden seeds-para.log.jsonl "$tmp/para.log"
    golden seeds-para.out.jsonl "$tmp/para.jsonl"
    golden seeds-para.pairs.jsonl "$tmp/para.pairs"
    golden seeds-para.clusters.jsonl "$tmp/para.clusters"

    # sign, then dedup from the signature file: same results
    "$reprint" sign -q "$seeds" -o "$tmp/s.rps"
    "$reprint" dedup -q --level para "$tmp/s.rps" -o "$tmp/rps.jsonl" \
        --log "$tmp/rps.log"
    if cmp -s "$tmp/para.jsonl" "$tmp/rps.jsonl" &&
        cmp -s "$tmp/para.log" "$tmp/rps.log"; then
        ok "dedup from a .rps gives the same records and log"
    else
        bad "dedup from a .rps differs"
    fi

    # compressed outputs and inputs, and stdin
    "$reprint" dedup -q --level para "$seeds" -o "$tmp/para.jsonl.zst"
    "$reprint" dedup -q --level para "$seeds" -o "$tmp/para.jsonl.gz"
    zstd -q -c "$seeds" > "$tmp/seeds.jsonl.zst"
    gzip -c "$seeds" > "$tmp/seeds.jsonl.gz"
    "$reprint" dedup -q --level para "$tmp/seeds.jsonl.zst" -o "$tmp/z.jsonl"
    "$reprint" dedup -q --level para - < "$tmp/seeds.jsonl.gz" > "$tmp/g.jsonl"
    if cmp -s <(zstd -dc "$tmp/para.jsonl.zst") "$tmp/para.jsonl" &&
        cmp -s <(gzip -dc "$tmp/para.jsonl.gz") "$tmp/para.jsonl" &&
        cmp -s "$tmp/z.jsonl" "$tmp/para.jsonl" &&
        cmp -s "$tmp/g.jsonl" "$tmp/para.jsonl"; then
        ok "zstd/gzip in and out, and stdin, give the same records"
    else
        bad "compressed or stdin round trip differs"
    fi

    # a folder of .txt files
    "$reprint" dedup -q --level para tests/data/txt \
        -o "$tmp/txt.jsonl" --log "$tmp/txt.log"
    golden txt-para.out.jsonl "$tmp/txt.jsonl"
    golden txt-para.log.jsonl "$tmp/txt.log"

    # trace: passages, quotes, provenance on the seeds
    "$reprint" trace -q "$seeds" --json "$tmp/trace.json" --md "$tmp/trace.md" \
        --html "$tmp/trace.html"
    golden seeds-trace.json "$tmp/trace.json"
    golden seeds-trace.md "$tmp/trace.md"
    golden seeds-trace.html "$tmp/trace.html"

    # the seeds with their dates removed: 004 -> 001 is inferred from the
    # text or left open, never reversed
    sed 's/"date": "[^"]*", //' "$seeds" > "$tmp/nodates.jsonl"
    if grep -q '"date":' "$tmp/nodates.jsonl"; then
        bad "dates not removed from the seeds"
    fi
    (cd "$tmp" && "$reprint" trace -q nodates.jsonl --json nodates.json \
        --md nodates.md)
    golden seeds-nodates-trace.md "$tmp/nodates.md"
    golden seeds-nodates-trace.json "$tmp/nodates.json"
    if grep -q '^- 001 -> 004' "$tmp/nodates.md"; then
        bad "dates removed: 001 -> 004, the direction reversed"
    elif grep -q '^- 004 -> 001.*splice' "$tmp/nodates.md"; then
        ok "dates removed: 004 -> 001 inferred from the text (splice)"
    else
        bad "dates removed: no 004 -> 001 edge"
    fi

    # outlets: boilerplate kept out, attribution decides a date tie,
    # a reworded quote joins its utterance, flows between outlets
    "$reprint" trace -q tests/data/trace/outlets.jsonl \
        --json "$tmp/outlets.json" --md "$tmp/outlets.md"
    golden outlets-trace.md "$tmp/outlets.md"
    golden outlets-trace.json "$tmp/outlets.json"

    # usage errors exit 2
    "$reprint" dedup --level sideways "$seeds" > /dev/null 2>&1
    [ $? = 2 ] && ok "bad option value exits 2" || bad "bad option value"
    "$reprint" frobnicate > /dev/null 2>&1
    [ $? = 2 ] && ok "unknown command exits 2" || bad "unknown command"
}

# tools/gen-corpus.py: deterministic, and its truth holds on what it wrote
run_generator() {
    local gen="$root/tools/gen-corpus.py"
    python3 "$gen" --size 400K --seed 7 -o "$tmp/g1.jsonl" --truth "$tmp/t1" 2> /dev/null
    python3 "$gen" --size 400K --seed 7 -o "$tmp/g2.jsonl.zst" --truth "$tmp/t2" 2> /dev/null
    python3 "$gen" --size 400K --seed 8 -o "$tmp/g3.jsonl" --truth "$tmp/t3" 2> /dev/null
    # blocks of 100K: the same blocks whether one worker or two make them
    python3 "$gen" --size 400K --seed 7 --block 100K --jobs 1 \
        -o "$tmp/b1.jsonl" --truth "$tmp/tb1" 2> /dev/null
    python3 "$gen" --size 400K --seed 7 --block 100K --jobs 2 \
        -o "$tmp/b2.jsonl" --truth "$tmp/tb2" 2> /dev/null
    if cmp -s "$tmp/g1.jsonl" <(zstd -dc "$tmp/g2.jsonl.zst") &&
        diff -r -q "$tmp/t1" "$tmp/t2" > /dev/null &&
        ! cmp -s "$tmp/g1.jsonl" "$tmp/g3.jsonl"; then
        ok "generator: same seed, same corpus and truth (also via .zst)"
    else
        bad "generator: not deterministic, or the seed changes nothing"
    fi
    if cmp -s "$tmp/b1.jsonl" "$tmp/b2.jsonl" &&
        diff -r -q "$tmp/tb1" "$tmp/tb2" > /dev/null &&
        [ "$(grep -c -F '"id": "d3000' "$tmp/b1.jsonl")" -gt 0 ]; then
        ok "generator: four blocks, the same bytes from one worker or two"
    else
        bad "generator: output depends on --jobs, or no block ids"
    fi
    "$reprint" dedup -q --level doc --threshold 0.5 "$tmp/g1.jsonl" \
        -o /dev/null --pairs "$tmp/pairs.jsonl"
    "$reprint" dedup -q --level para --threshold 0.5 "$tmp/g1.jsonl" \
        -o /dev/null --pairs "$tmp/ppairs.jsonl"
    if python3 - "$tmp/g1.jsonl" "$tmp/t1" "$tmp/pairs.jsonl" "$tmp/ppairs.jsonl" <<'PY'
import datetime, json, sys
corpus, truth, found, pfound = sys.argv[1:]
load = lambda p: [json.loads(l) for l in open(p, encoding="utf-8")]
shown = {}
for r in load(corpus):
    d = r.get("date")
    if d:
        shown[r["id"]] = datetime.datetime.fromisoformat(
            d if "T" in d else d + "T12:00:00+00:00")
docs = {d["id"]: d for d in load(f"{truth}/docs.jsonl")}
fail = 0
kinds = set()
for e in load(f"{truth}/edges.jsonl"):
    kinds.add(e["kind"])
    a, b = docs[e["from"]], docs[e["to"]]
    if a["true_date"] >= b["true_date"]:
        print("edge not earlier -> later:", e); fail += 1
    if a["dated"] and b["dated"] and e["from"] in shown and e["to"] in shown:
        # day-only dates may tie; a shown order may never be reversed
        if (shown[e["from"]] - shown[e["to"]]).total_seconds() > 86400:
            print("dated edge reversed in the corpus:", e); fail += 1
if kinds != {"verbatim", "near", "para"}:
    print("copy kinds missing:", kinds); fail += 1
truth_j = {tuple(sorted((p["a"], p["b"]))): p["jaccard"]
           for p in load(f"{truth}/pairs.jsonl")}
got = {tuple(sorted((p["a"], p["b"]))): p["jaccard"] for p in load(found)}
for k, j in got.items():
    if abs(truth_j.get(k, 0) - j) > 1e-4:
        print("Jaccard differs:", k, j, truth_j.get(k)); fail += 1
missed = [k for k, j in truth_j.items() if j >= 0.6 and k not in got]
if len(missed) > 0.01 * sum(j >= 0.6 for j in truth_j.values()):
    print("stated pairs not found:", missed[:5]); fail += 1
# paragraphs: every stated Jaccard is reprint's, and reprint finds them
boiler = {(d["id"], i) for d in docs.values() for i in d["boilerplate"]}
truth_p = {}
for p in load(f"{truth}/para_pairs.jsonl"):
    truth_p[tuple(sorted(((p["a"], p["a_para"]), (p["b"], p["b_para"]))))] = p["jaccard"]
got_p = {}
for p in load(pfound):
    a, b = (p["a"], p["a_para"]), (p["b"], p["b_para"])
    if a[0] != b[0] and a not in boiler and b not in boiler:
        got_p[tuple(sorted((a, b)))] = p["jaccard"]
for k, j in got_p.items():
    if abs(truth_p.get(k, 0) - j) > 1e-4:
        print("paragraph Jaccard differs:", k, j, truth_p.get(k)); fail += 1
missed = [k for k, j in truth_p.items() if j >= 0.6 and k not in got_p]
if len(missed) > 0.02 * sum(j >= 0.6 for j in truth_p.values()):
    print("stated paragraph pairs not found:", missed[:5]); fail += 1
if len(got_p) < 50:
    print("too few paragraph pairs:", len(got_p)); fail += 1
if len(got) < 10 or len(load(f"{truth}/quotes.jsonl")) < 5:
    print("too little reuse generated"); fail += 1
sys.exit(1 if fail else 0)
PY
    then
        ok "generator: copy edges go earlier -> later; stated document and paragraph Jaccard = reprint's exact Jaccard"
    else
        bad "generator: truth does not hold"
    fi
}

# expect_error NAME INPUT PATTERN [args]: non-zero exit, PATTERN on stderr,
# nothing left behind; then with --skip-bad: exit 0 and the good records
expect_error() {
    local name=$1 input=$2 pattern=$3
    shift 3
    local d="$tmp/$name"
    mkdir -p "$d"
    "$reprint" dedup -q "$@" "$input" -o "$d/out.jsonl" --log "$d/out.log" \
        2> "$d/err"
    local rc=$?
    if [ $rc = 1 ] && grep -q -e "$pattern" "$d/err"; then
        ok "$name: exit 1 with '$(head -1 "$d/err")'"
    else
        bad "$name: exit $rc, stderr: $(cat "$d/err")"
    fi
    no_leftovers "$d" "$name"
}

run_bad() {
    local d="$tmp/in"
    mkdir -p "$d"
    good='{"id":"g1","text":"A perfectly good record with enough words to count."}'
    printf '%s\n{"id":"x","text":"oops"\n%s\n' "$good" "$good" > "$d/json.jsonl"
    expect_error invalid-json "$d/json.jsonl" 'json.jsonl:2: invalid JSON'
    printf '%s\n{"id":"u","text":"bad \377 byte"}\n' "$good" > "$d/utf8.jsonl"
    expect_error invalid-utf8 "$d/utf8.jsonl" 'utf8.jsonl:2: invalid UTF-8'
    printf '{"id":"m","title":"no text"}\n' > "$d/missing.jsonl"
    expect_error missing-text "$d/missing.jsonl" 'missing.jsonl:1: no text field'
    printf '{"id":"n","text":["not","a","string"]}\n' > "$d/nonstring.jsonl"
    expect_error non-string-text "$d/nonstring.jsonl" 'nonstring.jsonl:1: text field "text" is not a string'
    : > "$d/empty.jsonl"
    expect_error empty-file "$d/empty.jsonl" 'empty.jsonl: empty input'
    printf '%s\n{"id":"z","text":"a\000b"}\n' "$good" > "$d/nul.jsonl"
    expect_error nul-byte "$d/nul.jsonl" 'nul.jsonl:2: NUL byte'
    head -c 4096 /dev/urandom > "$d/binary.jsonl"
    expect_error binary "$d/binary.jsonl" 'binary.jsonl:[0-9]*:'
    for i in $(seq 3000); do echo "$good"; done | zstd -q -c > "$d/full.zst"
    head -c -30 "$d/full.zst" > "$d/cut.jsonl.zst"
    expect_error truncated-zstd "$d/cut.jsonl.zst" 'cut.jsonl.zst:[0-9]*: truncated zstd'
    expect_error missing-file "$d/nonexistent.jsonl" 'nonexistent.jsonl: cannot open'

    # --skip-bad: skipped, counted, listed; the good records come through
    cat "$d/json.jsonl" "$d/utf8.jsonl" > "$d/mixed.jsonl"
    "$reprint" dedup --level para --skip-bad "$d/mixed.jsonl" "$d/empty.jsonl" \
        -o "$tmp/skip.jsonl" 2> "$tmp/skip.err"
    # the three good records are one text: one is kept, two lose their only
    # paragraph and are dropped
    if [ $? = 0 ] && [ "$(grep -c 'skipped /' "$tmp/skip.err")" = 3 ] &&
        grep -q '3 bad records skipped' "$tmp/skip.err" &&
        grep -q '^reprint: 3 records in, 1 out' "$tmp/skip.err" &&
        [ "$(wc -l < "$tmp/skip.jsonl")" = 1 ]; then
        ok "--skip-bad lists and counts 3 bad inputs, reads 3 good records"
    else
        bad "--skip-bad: $(cat "$tmp/skip.err")"
    fi

    # CRLF line ends are valid JSON Lines: accepted
    printf '%s\r\n%s\r\n' "$good" '{"id":"g2","text":"Another fine record."}' \
        > "$d/crlf.jsonl"
    "$reprint" dedup -q "$d/crlf.jsonl" -o "$tmp/crlf.out"
    if [ $? = 0 ] && cmp -s "$tmp/crlf.out" <(tr -d '\r' < "$d/crlf.jsonl"); then
        ok "CRLF input accepted (records written with LF)"
    else
        bad "CRLF input"
    fi

    # an output that is a FIFO (like /dev/null, not a regular file) is
    # written in place: renaming a temporary file over it would replace it
    mkfifo "$tmp/fifo"
    timeout 60 cat "$tmp/fifo" > "$tmp/fifo.got" &
    local reader=$!
    "$reprint" dedup -q "$d/crlf.jsonl" -o "$tmp/fifo"
    local rc=$?
    [ -p "$tmp/fifo" ] || kill "$reader" # replaced: the reader waits on
    wait "$reader"                        # the old FIFO for ever
    if [ $rc = 0 ] && [ -p "$tmp/fifo" ] &&
        cmp -s "$tmp/fifo.got" "$tmp/crlf.out" &&
        ! ls "$tmp" | grep -q '^fifo\.tmp\.'; then
        ok "output to a FIFO: written in place, the FIFO is still a FIFO"
    else
        bad "output to a FIFO: exit $rc, $(ls -l "$tmp/fifo")"
    fi
}

# hostile text in every field: escaped everywhere, nothing runs
run_hostile() {
    python3 - "$tmp/hostile.jsonl" <<'PY'
import json, sys
evil = ('<script>alert(1)</script></noscript> "\' onmouseover=alert(1) x=" '
        '\u202e\u2066evil')
shared = ("The council voted on Tuesday to approve the city budget for next "
          "year with new spending on roads and schools across every district")
quote = (f"\u201c{evil} we will approve the budget for every district "
         f"now,\u201d Mayor Mallory said.")
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for n, (src, text) in enumerate([
            (evil, f"{evil}. {shared}. More text follows here.\n\n{quote}"),
            ("other " + evil, f"Intro. {shared}. {evil}. The end.\n\n"
                              f"Elsewhere.\n\n{quote}")]):
        f.write(json.dumps({"id": f"{evil} {n}", "source": src,
                            "date": f"2024-01-0{n + 1}", "text": text},
                           ensure_ascii=False) + "\n")
PY
    "$reprint" trace -q "$tmp/hostile.jsonl" --html "$tmp/h.html" \
        --json "$tmp/h.json" --md "$tmp/h.md" || { bad "trace on hostile text failed"; return; }
    "$reprint" dedup -q --level para --para-threshold 0.3 "$tmp/hostile.jsonl" \
        -o "$tmp/h.out" --log "$tmp/h.log" --pairs "$tmp/h.pairs" \
        --clusters "$tmp/h.clusters" || { bad "dedup on hostile text failed"; return; }
    # the page's scripts are its data block and the one pinned by hash in
    # the CSP (src/lib/report/trace_html.c); the text is in both escaped
    if [ "$(grep -o '<script' "$tmp/h.html" | wc -l)" != 2 ] ||
       ! grep -q '^<script type="application/json" id="data">' "$tmp/h.html" ||
       ! grep -q "script-src 'sha256-[A-Za-z0-9+/]*='" "$tmp/h.html" ||
       grep -qi '<script>alert\|<script src' "$tmp/h.html"; then
        bad "HTML holds a <script> tag besides its data block and its own script"
    elif grep -q "[\"'] onmouseover" "$tmp/h.html"; then
        bad "HTML lets a quote break out of an attribute"
    elif LC_ALL=C grep -q $'\xe2\x80\xae\|\xe2\x81\xa6' "$tmp/h.html"; then
        bad "HTML carries raw bidi controls"
    elif ! grep -q 'alert(1)&lt;/script&gt;' "$tmp/h.html" ||
         ! grep -qF '\u003cscript\u003ealert(1)\u003c/script\u003e' "$tmp/h.html" ||
         ! grep -q '\[U+202E\]' "$tmp/h.html" ||
         ! grep -q '^"p":\[$' "$tmp/h.html" ||
         ! grep -q '^"q":\[$' "$tmp/h.html"; then
        bad "HTML does not show the hostile text escaped, or found no passage or quote"
    elif [ "$(grep -o '</noscript' "$tmp/h.html" | wc -l)" != 1 ]; then
        bad "HTML lets the text close the <noscript> lists early"
    else
        ok "hostile text: HTML escapes it everywhere and runs nothing"
    fi
    # the page without JavaScript (issue 14): every passage, document and
    # quote in the <noscript> lists, linked both ways
    "$reprint" trace -q "$seeds" --html "$tmp/seeds-static.html" \
        --json "$tmp/seeds-static.json"
    for x in "h.html h.json" "seeds-static.html seeds-static.json"; do
        set -- $x
        if out=$(python3 "$here/report_check.py" static "$tmp/$1" "$tmp/$2"); then
            ok "$1 without JavaScript: $out"
        else
            bad "$1 without JavaScript: $out"
        fi
    done
    if python3 - "$tmp/h.json" "$tmp/h.out" "$tmp/h.log" "$tmp/h.pairs" "$tmp/h.clusters" <<'PY'
import json, sys
json.load(open(sys.argv[1], encoding="utf-8"))
for f in sys.argv[2:]:
    for line in open(f, encoding="utf-8"):
        json.loads(line)
PY
    then
        ok "hostile text: every JSON output parses"
    else
        bad "hostile text: a JSON output does not parse"
    fi
    # URLs and titles (issue 14 item 5): in the JSON documents list as
    # given; the page links only http(s) URLs (checked in mode browser)
    python3 - "$tmp/links.jsonl" <<'PY'
import json, sys
shared = ("The council voted on Tuesday to approve the city budget for next "
          "year with new spending on roads and schools across every district")
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for n, (url, title) in enumerate([
            ('https://example.org/a?x=1&y="2"', "<b>Budget</b> \u202e"),
            ("javascript:alert(1)", "Second")]):
        f.write(json.dumps({"id": f"l{n}", "url": url, "title": title,
                            "date": f"2024-01-0{n + 1}",
                            "text": f"Intro {n}. {shared}."}) + "\n")
PY
    "$reprint" trace -q "$tmp/links.jsonl" --json "$tmp/links.json" \
        --html "$tmp/links.html" || bad "trace on links.jsonl"
    if python3 - "$tmp/links.json" <<'PY'
import json, sys
d = {x["id"]: x for x in json.load(open(sys.argv[1]))["documents"]}
assert d["l0"]["url"] == 'https://example.org/a?x=1&y="2"', d["l0"]
assert d["l0"]["title"] == "<b>Budget</b> \u202e", d["l0"]
assert d["l1"]["url"] == "javascript:alert(1)" and d["l1"]["title"] == "Second"
PY
    then
        ok "url and title in the JSON documents list"
    else
        bad "url and title missing from the JSON documents list"
    fi
    # ... and in the lists for readers without JavaScript: an http(s) URL
    # linked noopener noreferrer, javascript: shown as text
    local nojs
    nojs=$(sed -n '/^<noscript>/,/<\/noscript>/p' "$tmp/links.html")
    if grep -qF '<a href="https://example.org/a?x=1&amp;y=&quot;2&quot;" rel="noopener noreferrer">' <<< "$nojs" &&
       grep -qF '<b><bdi>&lt;b&gt;Budget&lt;/b&gt; [U+202E]</bdi></b>' <<< "$nojs" &&
       grep -qF ' <bdi>javascript:alert(1)</bdi>' <<< "$nojs" &&
       ! grep -qi 'href="javascript' <<< "$nojs"; then
        ok "no-JavaScript lists: an http(s) URL linked noopener noreferrer, javascript: not linked, title as text"
    else
        bad "no-JavaScript lists: URL or title not shown safely: $(grep -o 'id="d1".\{0,300\}' <<< "$nojs")"
    fi
    # Markdown (issue 13 item 9): no raw HTML, link or bidi control from
    # the text, ids or outlets; a javascript: link in an id stays text
    python3 - "$tmp/mdlink.jsonl" <<'PY'
import json, sys
shared = ("The council voted on Tuesday to approve the city budget for next "
          "year with new spending on roads and schools across every district")
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for n in range(2):
        f.write(json.dumps({"id": f"[x{n}](javascript:alert(1)) <b>{n}</b>",
                            "source": f"*out* `let` {n}|x",
                            "text": f"<script>alert({n})</script> {shared}."}) + "\n")
PY
    "$reprint" trace -q "$tmp/mdlink.jsonl" --md "$tmp/l.md" || bad "trace --md"
    if grep -qi '<script\|<b>' "$tmp/h.md" "$tmp/l.md"; then
        bad "Markdown holds raw HTML: $(grep -i '<script\|<b>' "$tmp/h.md" "$tmp/l.md" | head -2)"
    elif grep -qP '(?<!\\)\](?=\(javascript)' "$tmp/l.md"; then
        bad "Markdown holds a javascript: link"
    elif LC_ALL=C grep -q $'\xe2\x80\xae\|\xe2\x81\xa6' "$tmp/h.md"; then
        bad "Markdown carries raw bidi controls"
    elif ! grep -q '&lt;script&gt;' "$tmp/h.md" ||
         ! grep -qF '\[x0\](javascript:alert(1)) &lt;b&gt;0&lt;/b&gt;' "$tmp/l.md" ||
         ! grep -qF '\*out\* \`let\` 0\|x' "$tmp/l.md" ||
         ! grep -qF '\[U+202E\]' "$tmp/h.md"; then
        bad "Markdown does not show the hostile text escaped: $(head -c 600 "$tmp/l.md")"
    else
        ok "hostile text: Markdown escapes text, ids and outlets"
    fi
}

# The HTML reports in a real headless Chromium: they load with no console
# error (a blocked script or resource would log one), a screenshot is kept
# for the test log, and the script's views work: search (#q=WORD) lists
# only passages holding the word, a document's view (#d<N>) shows it with
# its passages, and hostile text stays text in every view.
chromium_run() { # NAME URL ARGS...: run chromium, its log in $tmp/NAME.console
    local name=$1 url=$2
    shift 2
    timeout 300 "$chromium" --headless --no-sandbox --disable-gpu \
        --disable-quic --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync \
        --user-data-dir="$tmp/profile-$name" --enable-logging=stderr --v=0 \
        "$@" "$url" 2> "$tmp/$name.console"
}

# render PAGE NAME: the page renders with no console error, a screenshot
render() {
    local png="$shots/trace-$2.png"
    chromium_run "$2" "file://$1" --window-size=1280,2400 \
        --screenshot="$png" > /dev/null
    local rc=$?
    if [ $rc != 0 ] || [ ! -s "$png" ]; then
        bad "chromium could not render $2 (exit $rc)"
        tail -5 "$tmp/$2.console"
    elif grep -E 'CONSOLE|Uncaught|Refused to|Content Security Policy' \
            "$tmp/$2.console"; then
        bad "$2: console errors in Chromium"
    else
        ok "$2 renders in headless Chromium, no console error"
        echo "     screenshot: $png"
    fi
}

# render_nojs PAGE NAME: the page as a reader without JavaScript sees it
# (headless Chromium takes no screenshot with scripts off): its scripts
# left out and its <noscript> lists shown, rendered with no console error
render_nojs() {
    python3 - "$1" "$tmp/$2.html" <<'PY'
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
s = re.sub(r"<script[^>]*>.*?</script>", "", s, flags=re.S)
open(sys.argv[2], "w", encoding="utf-8").write(
    s.replace("<noscript>", "").replace("</noscript>", ""))
PY
    render "$tmp/$2.html" "$2"
}

# dump PAGE#FRAGMENT NAME: the DOM after the script ran, in $tmp/NAME.dom
dump() {
    chromium_run "$2" "file://$1" --dump-dom > "$tmp/$2.dom"
    if grep -E 'CONSOLE|Uncaught|Refused to|Content Security Policy' \
            "$tmp/$2.console"; then
        bad "$2: console errors in Chromium"
    fi
}

# views PAGE TRACE.json NAME: search and the document views of one report
views() {
    local page=$1 json=$2 name=$3 out word target total
    if out=$(python3 "$here/report_check.py" docviews "$json" "$page"); then
        ok "$name: a document view for each of the $(echo "$out" | cut -d' ' -f1) documents sharing text"
    else
        bad "$name: $out"
        return
    fi
    local d1 id1 d2 id2
    read -r _ d1 id1 d2 id2 <<< "$out"
    for v in "$d1 $id1" "$d2 $id2"; do
        set -- $v
        dump "$page#$1" "$name-$1"
        if out=$(python3 "$here/report_check.py" docview "$tmp/$name-$1.dom" "$2"); then
            ok "$name#$1: $out"
        else
            bad "$name#$1: $out"
        fi
    done
    read -r word target total <<< "$(python3 "$here/report_check.py" pick "$page")"
    dump "$page#q=$word" "$name-search"
    if out=$(python3 "$here/report_check.py" search "$page" "$tmp/$name-search.dom" "$word" "$target"); then
        ok "$name: search $out"
    else
        bad "$name: search: $out"
    fi
}

run_browser() {
    chromium=$(command -v chromium || command -v chromium-browser || true)
    if [ -z "$chromium" ]; then
        echo "skip: chromium not installed (tools/setup.sh test installs it)"
        exit 77
    fi
    shots=${REPRINT_SCREENSHOT_DIR:-$tmp}
    run_hostile > /dev/null
    "$reprint" trace -q "$seeds" --html "$tmp/seeds.html" --json "$tmp/seeds.json"
    render "$tmp/seeds.html" seeds
    render "$tmp/h.html" h
    render_nojs "$tmp/seeds.html" seeds-nojs
    render_nojs "$tmp/h.html" h-nojs
    views "$tmp/seeds.html" "$tmp/seeds.json" seeds
    # URLs: an http(s) one linked with rel="noopener noreferrer", anything
    # else shown as text; titles as text
    dump "$tmp/links.html#d1" links-d1
    dump "$tmp/links.html#d2" links-d2
    if grep -qP '<a href="https://example\.org/a\?x=1&amp;y=(%22|&quot;)2(%22|&quot;)" rel="noopener noreferrer">' "$tmp/links-d1.dom" &&
       grep -qF '&lt;b&gt;Budget&lt;/b&gt; [U+202E]' "$tmp/links-d1.dom" &&
       ! grep -qi 'href="javascript' "$tmp/links-d2.dom" &&
       grep -q 'javascript:alert(1)</bdi><span class="n"> (not an http(s) URL' "$tmp/links-d2.dom"; then
        ok "document view: an http(s) URL linked noopener noreferrer, javascript: not linked, title as text"
    else
        bad "document view: URL or title not shown safely: $(grep -o 'URL: .\{0,200\}' "$tmp/links-d1.dom" "$tmp/links-d2.dom")"
    fi
    # hostile text in each view: still text, never markup
    for v in p1 d1 documents o1 outlets quotes; do
        dump "$tmp/h.html#$v" "h-$v"
        if [ "$(grep -o '<script' "$tmp/h-$v.dom" | wc -l)" != 2 ] ||
           grep -qiP '<script>alert|<[a-z][^<>]*\sonmouseover=' "$tmp/h-$v.dom" ||
           ! grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$tmp/h-$v.dom"; then
            bad "hostile text in the #$v view is not shown as text"
        else
            ok "hostile text in the #$v view: shown as text, nothing runs"
        fi
    done
}

# the same at Reuters-21578 size (4,000 passages, 13,000 documents)
run_browser_reuters() {
    chromium=$(command -v chromium || command -v chromium-browser || true)
    local reuters="$shared/data/reuters21578/reuters21578.jsonl.zst"
    if [ -z "$chromium" ]; then
        echo "skip: chromium not installed (tools/setup.sh test installs it)"
        exit 77
    elif [ ! -f "$reuters" ]; then
        echo "skip: $reuters not found (needs ../shared/data)"
        exit 77
    fi
    shots=${REPRINT_SCREENSHOT_DIR:-$tmp}
    "$reprint" trace -q "$reuters" --html "$tmp/reuters.html" \
        --json "$tmp/reuters.json" || { bad "trace on Reuters failed"; return; }
    render "$tmp/reuters.html" reuters
    views "$tmp/reuters.html" "$tmp/reuters.json" reuters
    # without JavaScript: every passage, document and quote listed
    if out=$(python3 "$here/report_check.py" static "$tmp/reuters.html" "$tmp/reuters.json"); then
        ok "reuters without JavaScript: $out"
    else
        bad "reuters without JavaScript: $out"
    fi
    render_nojs "$tmp/reuters.html" reuters-nojs
}

# a corpus large enough to split into several batches and threads
make_big() {
    for n in $(seq 0 1999); do
        awk -v n="$n" '{
            # each copy renames its id; every third copy edits some words,
            # so there are exact, near and non-duplicates of each seed
            sub(/"id":"/, "\"id\":\"" n "-");
            if (n % 3 == 1) gsub(/Ukraine/, "Ukraine" n);
            if (n % 3 == 2) { gsub(/ the /, " a "); gsub(/drones/, "UAVs" n); }
            print
        }' "$seeds"
    done > "$1"
}

run_threads() {
    make_big "$tmp/big.jsonl"
    for t in 1 2; do
        "$reprint" dedup -q --threads $t "$tmp/big.jsonl" -o "$tmp/t$t.jsonl" \
            --log "$tmp/t$t.log" --pairs "$tmp/t$t.pairs" \
            --clusters "$tmp/t$t.clusters"
    done
    local same=1
    for f in jsonl log pairs clusters; do
        cmp -s "$tmp/t1.$f" "$tmp/t2.$f" || same=0
    done
    local n=$(wc -l < "$tmp/big.jsonl") k=$(wc -l < "$tmp/t1.jsonl")
    if [ $same = 1 ] && [ "$k" -lt "$n" ] && [ "$k" -gt 0 ]; then
        ok "--threads 1 and 2: byte-identical outputs ($n records in, $k out)"
    else
        bad "--threads 1 and 2 differ (or nothing was removed: $n in, $k out)"
    fi
    local reuters="$shared/data/reuters21578/reuters21578.jsonl.zst"
    if [ -f "$reuters" ]; then
        for t in 1 2; do
            "$reprint" dedup -q --threads $t --threshold 0.5 "$reuters" \
                -o "$tmp/r$t.jsonl" --pairs "$tmp/r$t.pairs" --log "$tmp/r$t.log"
        done
        if cmp -s "$tmp/r1.jsonl" "$tmp/r2.jsonl" &&
            cmp -s "$tmp/r1.pairs" "$tmp/r2.pairs" &&
            cmp -s "$tmp/r1.log" "$tmp/r2.log"; then
            ok "Reuters, --threads 1 and 2: byte-identical outputs"
        else
            bad "Reuters, --threads 1 and 2 differ"
        fi
    else
        echo "skip Reuters part: $reuters not found"
    fi
}

# --memory: band keys spilled to sorted runs give the outputs of the
# in-memory path, byte for byte, with one thread or two, from records or
# from a .rps; nothing is left in --tmp-dir; a budget that fits spills
# nothing; bad sizes and --against are refused or said
run_memory() {
    python3 "$root/tools/gen-corpus.py" --size 8M --seed 9 --jobs 1 \
        -o "$tmp/gen.jsonl" 2> /dev/null
    make_big "$tmp/big.jsonl"
    mkdir -p "$tmp/spill"
    for in in gen big; do
        "$reprint" dedup -q "$tmp/$in.jsonl" -o "$tmp/$in.m0.jsonl" \
            --log "$tmp/$in.m0.log" --pairs "$tmp/$in.m0.pairs" \
            --clusters "$tmp/$in.m0.clusters" --signatures "$tmp/$in.rps"
        local ts="1 2" mem=1M
        # two threads on gen only, and a budget of 8M on big (its details
        # pass 4M: 41 blocks, where 1M makes 324 reads of it), to keep CI
        # short
        [ $in = big ] && ts=1 mem=8M
        for t in $ts; do
            "$reprint" dedup -v --threads $t --memory $mem --tmp-dir "$tmp/spill" \
                "$tmp/$in.jsonl" -o "$tmp/$in.m$t.jsonl" --log "$tmp/$in.m$t.log" \
                --pairs "$tmp/$in.m$t.pairs" --clusters "$tmp/$in.m$t.clusters" \
                2> "$tmp/$in.m$t.err"
        done
        "$reprint" dedup -v --memory $mem --tmp-dir "$tmp/spill" "$tmp/$in.rps" \
            -o "$tmp/$in.m3.jsonl" --log "$tmp/$in.m3.log" \
            --pairs "$tmp/$in.m3.pairs" --clusters "$tmp/$in.m3.clusters" \
            2> "$tmp/$in.m3.err"
        local same=1 runs
        for k in $ts 3; do
            for f in jsonl log pairs clusters; do
                cmp -s "$tmp/$in.m0.$f" "$tmp/$in.m$k.$f" || same=0
            done
        done
        local r1 r3 b1
        r1=$(sed -n 's/.*spilled in \([0-9]*\) sorted runs.*/\1/p' "$tmp/$in.m1.err")
        r3=$(sed -n 's/.*spilled in \([0-9]*\) sorted runs.*/\1/p' "$tmp/$in.m3.err")
        b1=$(sed -n 's/.*verification in \([0-9]*\) blocks.*/\1/p' "$tmp/$in.m1.err")
        # from the .rps keys spill as soon as they pass the budget: more
        # runs than the fan-in of 16, so they are merged on the way; the
        # details of the documents in pairs pass half of the budget, so
        # they are read and verified in blocks
        if [ $same = 1 ] && [ "${r1:-0}" -ge 2 ] && [ "${r3:-0}" -gt 16 ] &&
            [ "${b1:-0}" -ge 2 ] && [ -s "$tmp/$in.m0.pairs" ]; then
            ok "--memory $mem on $in: outputs byte-identical to memory, threads $ts ($r1 sorted runs, verification in $b1 blocks), from a .rps ($r3 runs, merged past 16)"
        else
            bad "--memory $mem on $in: outputs differ or too few runs or blocks (${r1:-none}, ${r3:-none}, ${b1:-none})"
        fi
    done
    if [ -z "$(ls -A "$tmp/spill")" ]; then
        ok "--memory: nothing left in --tmp-dir"
    else
        bad "--memory: files left in --tmp-dir: $(ls "$tmp/spill")"
    fi
    "$reprint" dedup -v --memory 4G "$tmp/gen.jsonl" -o "$tmp/fit.jsonl" \
        2> "$tmp/fit.err"
    if cmp -s "$tmp/fit.jsonl" "$tmp/gen.m0.jsonl" &&
        ! grep -q 'spilled\|verification in' "$tmp/fit.err"; then
        ok "--memory 4G: everything fits, nothing spills, verification in one piece"
    else
        bad "--memory 4G spilled, or changed the output"
    fi
    local v rc
    for v in 0 12 1K 3X -5M 2GiB; do
        "$reprint" dedup -q --memory "$v" "$tmp/gen.jsonl" -o "$tmp/x.jsonl" \
            2> "$tmp/x.err"
        rc=$?
        if [ $rc = 2 ] && grep -q 'not a size of at least 1M' "$tmp/x.err" &&
            [ ! -e "$tmp/x.jsonl" ]; then
            ok "--memory $v refused (exit 2)"
        else
            bad "--memory $v: exit $rc, $(cat "$tmp/x.err")"
        fi
    done
    "$reprint" dedup -q --memory 1M --tmp-dir /nonexistent/reprint-spill \
        "$tmp/gen.jsonl" -o "$tmp/y.jsonl" 2> "$tmp/y.err"
    rc=$?
    if [ $rc = 1 ] && grep -q '/nonexistent/reprint-spill' "$tmp/y.err" &&
        [ ! -e "$tmp/y.jsonl" ]; then
        ok "--memory with a --tmp-dir that cannot be written: exit 1, the folder named, no output"
    else
        bad "--memory, bad --tmp-dir: exit $rc, $(cat "$tmp/y.err")"
    fi
}

run_reuters() {
    local data="$shared/data/reuters21578"
    if [ ! -f "$data/reuters21578.jsonl.zst" ]; then
        echo "skip: $data not found (needs ../shared/data)"
        exit 77
    fi
    if ! out=$(bash "$root/bench/reuters-accuracy.sh" "$reprint" 2>&1); then
        bad "bench/reuters-accuracy.sh failed: $out"
        return
    fi
    echo "$out"
    local recall precision
    recall=$(echo "$out" | awk '/^recall/ {print $2}')
    precision=$(echo "$out" | awk '/^recall/ {print $4}')
    if awk -v r="$recall" -v p="$precision" 'BEGIN{exit !(r >= 0.99 && p >= 0.99)}'; then
        ok "Reuters J>=0.5: recall $recall, precision $precision (>= 0.99)"
    else
        bad "Reuters J>=0.5: recall $recall, precision $precision"
    fi
}

huge_record() {
    # one 100 MB record after a normal one
    {
        echo '{"id":"small","text":"A small record comes first."}'
        printf '{"id":"huge","text":"'
        head -c 100000000 /dev/zero | tr '\0' 'a'
        echo '"}'
    } > "$tmp/huge.jsonl"
}

run_huge() {
    huge_record
    expect_error huge-record "$tmp/huge.jsonl" 'huge.jsonl:2: record longer than the limit'
    "$reprint" dedup -q --skip-bad "$tmp/huge.jsonl" -o "$tmp/h.jsonl" 2>/dev/null
    [ $? = 0 ] && [ "$(wc -l < "$tmp/h.jsonl")" = 1 ] &&
        ok "huge record skipped with --skip-bad" || bad "huge record --skip-bad"
}

run_huge_ok() {
    huge_record
    "$reprint" dedup -q --max-record-bytes 200000000 "$tmp/huge.jsonl" \
        -o "$tmp/h.jsonl"
    [ $? = 0 ] && cmp -s "$tmp/h.jsonl" "$tmp/huge.jsonl" &&
        ok "100 MB record accepted with --max-record-bytes" ||
        bad "100 MB record with --max-record-bytes"
}

# clean: exit $2 expected, no sanitizer report in file $3
clean_exit() {
    local name=$1 want=$2 rc=$3 errf=$4 pattern=${5:-}
    if [ "$rc" = "$want" ] &&
        ! grep -q -e 'runtime error' -e 'Sanitizer' "$errf" &&
        { [ -z "$pattern" ] || grep -q -e "$pattern" "$errf"; }; then
        ok "$name: exit $rc${pattern:+ with '$(grep -m1 -e "$pattern" "$errf")'}"
    else
        bad "$name: exit $rc (want $want), stderr: $(head -c 600 "$errf")"
    fi
}

# Every reproducer of ../shared/repro (issue 13) replayed; each file must
# have a case here, so a new one cannot be skipped by accident. The fuzz
# regression driver (fuzz.regression) replays them through the harnesses.
run_repro() {
    local r="$shared/repro"
    if [ ! -d "$r" ]; then
        echo "skip: $r absent (research licence: reproducers are not in the tree)"
        exit 77
    fi
    local f name rc
    for f in "$r"/*; do
        name=$(basename "$f")
        case $name in
        README.md) continue ;;
        record-1.bin)
            # a harness input: byte 0 picks the fields (body, ts), then a
            # JSON Lines record {"body":"","ts":1e99}
            tail -c +2 "$f" > "$tmp/rec.jsonl"; echo >> "$tmp/rec.jsonl"
            "$reprint" dedup -q --text-field body --date-field ts \
                "$tmp/rec.jsonl" -o "$tmp/rec.out" 2> "$tmp/e"
            clean_exit "$name (date 1e99)" 0 $? "$tmp/e"
            printf '{"id":1.5e308,"text":"x"}\n' > "$tmp/big.jsonl"
            "$reprint" trace "$tmp/big.jsonl" --json "$tmp/big.json" 2> "$tmp/e"
            clean_exit "$name (id 1.5e308)" 0 $? "$tmp/e"
            if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["documents"][0]["id"] == "%.3f" % 1.5e308' "$tmp/big.json"; then
                ok "$name: the id is written in full (313 characters)"
            else
                bad "$name: the id is cut"
            fi ;;
        sigfile-*.bin | sigblock-*.bin)
            # they name seeds.jsonl relatively: run from corpus/
            (cd corpus && "$reprint" dedup -q "$f" -o "$tmp/s.out") 2> "$tmp/e"
            clean_exit "$name" 1 $? "$tmp/e" \
                'corrupt signature file\|not a reprint signature file\|invalid JSON\|NUL byte\|invalid UTF-8' ;;
        quote-hang-*.zst)
            timeout 60 "$reprint" trace "$f" --json "$tmp/q.json" 2> "$tmp/e"
            clean_exit "$name (within 60 s)" 0 $? "$tmp/e" ;;
        quote-slow-*.bin)
            # byte 0 is the harness's min_words; the rest is the text
            tail -c +2 "$f" | python3 -c 'import json,sys; print(json.dumps({"id":"q","text":sys.stdin.buffer.read().decode("utf-8","replace")}))' > "$tmp/qs.jsonl"
            timeout 60 "$reprint" trace "$tmp/qs.jsonl" --json "$tmp/q.json" 2> "$tmp/e"
            clean_exit "$name (within 60 s)" 0 $? "$tmp/e" ;;
        cli-escaped-key-dataloss.jsonl)
            "$reprint" dedup -q "$f" -o "$tmp/k.out" 2> "$tmp/e"
            clean_exit "$name" 1 $? "$tmp/e" 'duplicate key "text"' ;;
        cli-badutf8-source-invalid-json.jsonl)
            "$reprint" trace "$f" --json "$tmp/b.json" --html "$tmp/b.html" 2> "$tmp/e"
            clean_exit "$name" 1 $? "$tmp/e" 'invalid UTF-8 in the source field'
            "$reprint" trace --skip-bad "$f" --json "$tmp/b.json" \
                --html "$tmp/b.html" 2> "$tmp/e"
            rc=$?
            if [ $rc = 0 ] && python3 -c 'import json,sys; json.load(open(sys.argv[1], encoding="utf-8")); open(sys.argv[2], encoding="utf-8").read()' "$tmp/b.json" "$tmp/b.html"; then
                ok "$name --skip-bad: valid JSON, HTML valid UTF-8"
            else
                bad "$name --skip-bad: exit $rc $(head -c 300 "$tmp/e")"
            fi ;;
        *) bad "$name: no replay for this reproducer in tests/cli/run.sh" ;;
        esac
    done
}

# issue 13: inputs that hung or lost data, .rps files that no longer match
# their inputs
run_hardening() {
    local d="$tmp/h" rc
    mkdir -p "$d"
    # a FIFO given by path (and a <(...) pipe): read once, not sniffed
    mkfifo "$d/in.fifo"
    (cat "$seeds" > "$d/in.fifo" &)
    timeout 60 "$reprint" dedup -q --level doc "$d/in.fifo" -o "$d/fifo.out" \
        2> "$d/e"
    rc=$?
    [ $rc = 0 ] && cmp -s "$d/fifo.out" "$seeds" &&
        ok "FIFO input: read once, every byte (exit $rc)" ||
        bad "FIFO input: exit $rc $(cat "$d/e")"
    timeout 60 "$reprint" dedup -q --level doc <(cat "$seeds") \
        -o "$d/pipe.out" 2> "$d/e"
    rc=$?
    [ $rc = 0 ] && cmp -s "$d/pipe.out" "$seeds" &&
        ok "<(...) input: the first 8 bytes are not lost" ||
        bad "<(...) input: exit $rc $(cat "$d/e")"

    # a .rps whose input changed since signing: an error naming the file
    cp "$seeds" "$d/s.jsonl"
    "$reprint" sign -q "$d/s.jsonl" -o "$d/s.rps"
    echo '{"id":"new","text":"one more record"}' >> "$d/s.jsonl"
    "$reprint" dedup -q --level para "$d/s.rps" -o "$d/c.out" 2> "$d/e"
    clean_exit "input grown since signing" 1 $? "$d/e" \
        "s.jsonl: changed since it was signed"
    # the same size, one word shorter in 001's text (a record that loses
    # an exact-copy paragraph, so pass 2 may skip it): caught, no over-read
    python3 - "$seeds" "$d/s.jsonl" <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
l = lines[1]
assert l.startswith('{"id": "001"')
i = l.index('"text": "') + 9
l = l[:i] + l[i:].replace("Iran ", "", 1)
l = l.replace('"id": "001"', '"id":      "001"', 1)
assert len(l.encode()) == len(lines[1].encode())
lines[1] = l
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(lines))
PY
    cmp -s <(wc -c < "$seeds") <(wc -c < "$d/s.jsonl") || bad "same-size edit"
    cp "$seeds" "$d/s2.jsonl"
    "$reprint" sign -q "$d/s2.jsonl" -o "$d/s2.rps"
    cp "$d/s.jsonl" "$d/s2.jsonl"
    "$reprint" dedup -q --level para "$d/s2.rps" -o "$d/c.out" 2> "$d/e"
    clean_exit "input edited since signing, same size" 1 $? "$d/e" \
        "differs from the first read or the signature file"
    # the same words, one paragraph break moved by a word (same size, same
    # tokens and shingles: only the paragraph table differs) in a record
    # whose near copy makes pass 2 read it again: caught by the paragraph
    # table's hash (job.h doc.paras_hash)
    python3 - "$d/p.jsonl" "$d/p2.jsonl" <<'PY'
import json, sys
paras = ["The minister said on Saturday that the drones were sent before "
         "the war began and that no more would follow this year.",
         "Officials in Kyiv said they had found parts made in Iran in "
         "drones shot down over the capital last month and in the south.",
         "The ministry in Tehran did not answer questions about the number "
         "of drones sent or about the talks held in Vienna this week."]
a = "\n\n".join(paras)
b = a.replace("last month", "last week")
def line(i, t):
    return json.dumps({"id": i, "text": t}) + "\n"
open(sys.argv[1], "w").write(line("a", a) + line("b", b))
i = a.index("\n\n")
k = a.rindex(" ", 0, i)
moved = a[:k] + "\n\n" + a[k + 1:i] + " " + a[i + 2:]
assert len(moved) == len(a) and moved.split() == a.split()
open(sys.argv[2], "w").write(line("a", moved) + line("b", b))
PY
    "$reprint" sign -q "$d/p.jsonl" -o "$d/p.rps"
    "$reprint" dedup -q --level doc --threshold 0.5 "$d/p.rps" \
        -o "$d/p.out" 2> "$d/e"
    clean_exit "near copies, as signed" 0 $? "$d/e"
    cp "$d/p2.jsonl" "$d/p.jsonl"
    "$reprint" dedup -q --level doc --threshold 0.5 "$d/p.rps" \
        -o "$d/p.out" 2> "$d/e"
    clean_exit "a paragraph break moved since signing, same words" 1 $? \
        "$d/e" "differs from the first read or the signature file"
    rm -f "$d"/*.out
    no_leftovers "$d" "changed input"

    # item 11: options of the command line against those of a .rps
    "$reprint" sign -q "$seeds" --shingle 3 -o "$d/k3.rps"
    "$reprint" dedup -q "$d/k3.rps" --shingle 5 -o "$d/k.out" 2> "$d/e"
    clean_exit "--shingle 5 against a file signed with 3" 2 $? "$d/e" \
        'signed with --shingle 3; --shingle on the command line differs'
    "$reprint" dedup -q "$d/k3.rps" --shingle 3 -o "$d/k.out" 2> "$d/e"
    clean_exit "--shingle 3, as signed" 0 $? "$d/e"
    "$reprint" dedup -q "$d/k3.rps" --text-field body -o "$d/k.out" 2> "$d/e"
    clean_exit "--text-field against a file signed with the defaults" 2 $? \
        "$d/e" 'signed with --text-field (the default names)'
    # item 12: trace given a .rps says so (was "invalid JSON")
    "$reprint" trace "$d/k3.rps" --json "$d/t.json" 2> "$d/e"
    clean_exit "trace given a .rps" 1 $? "$d/e" \
        'a reprint signature file (.rps), not JSON Lines'
    # trailing garbage after the last block
    cp "$d/k3.rps" "$d/g.rps"; printf 'junk' >> "$d/g.rps"
    "$reprint" dedup -q "$d/g.rps" -o "$d/k.out" 2> "$d/e"
    clean_exit ".rps with data after the trailer" 1 $? "$d/e" \
        'corrupt signature file: data after the trailer'
    # item 10: symbolic links in an input folder
    local f="$d/folder"
    mkdir -p "$f/sub"
    echo "The first article has words enough to be a document." > "$f/a.txt"
    echo "A second article with other words in its only paragraph." > "$f/sub/b.txt"
    ln -s .. "$f/sub/loop"      # a loop
    ln -s / "$f/root"           # the whole filesystem
    ln -s sub "$f/again"        # a second way into sub
    ln -s a.txt "$f/link.txt"   # a link to a file: read
    timeout 60 "$reprint" dedup --level doc "$f" -o "$d/f.out" 2> "$d/e"
    rc=$?
    if [ $rc = 0 ] && grep -q '^reprint: 3 records in' "$d/e" &&
        grep -q "skipped $f/root: a symbolic link to a folder, not followed" "$d/e" &&
        grep -q "skipped $f/sub/loop: a symbolic link to a folder" "$d/e" &&
        grep -q "skipped $f/again: a symbolic link to a folder" "$d/e"; then
        ok "folder: links to folders skipped and listed, each file read once"
    else
        bad "folder with symlinks: exit $rc, $(cat "$d/e" | head -c 600)"
    fi
    rm "$f/root"
    timeout 60 "$reprint" dedup --level doc --follow-symlinks "$f" \
        -o "$d/f.out" 2> "$d/e"
    rc=$?
    if [ $rc = 0 ] && grep -q '^reprint: 3 records in' "$d/e" &&
        grep -q "skipped $f/sub: a folder already read" "$d/e" &&
        grep -q "skipped $f/again/loop: a folder already read" "$d/e"; then
        ok "--follow-symlinks: a loop is seen, each folder read once"
    else
        bad "--follow-symlinks: exit $rc, $(cat "$d/e" | head -c 600)"
    fi

    # trace --skip-bad lists and counts what it skipped
    { cat "$seeds"; echo '{"id":"x","text":"oops"'; echo '{"text":null}'; } \
        > "$d/bad.jsonl"
    "$reprint" trace --skip-bad "$d/bad.jsonl" --json "$d/t.json" 2> "$d/e"
    rc=$?
    if [ $rc = 0 ] && [ "$(grep -c 'reprint: skipped .*bad.jsonl:' "$d/e")" = 2 ] &&
        grep -q 'reprint: 2 bad records skipped' "$d/e"; then
        ok "trace --skip-bad lists and counts 2 bad records"
    else
        bad "trace --skip-bad: exit $rc $(cat "$d/e")"
    fi
}

# issue 13 item 7: the outputs of a run as one set, the umask, the cause of
# a write failure named with its path
run_outputs() {
    local d="$tmp/o" rc
    mkdir -p "$d"
    (umask 027 && "$reprint" dedup -q "$seeds" -o "$d/u.jsonl" --log "$d/u.log")
    if [ "$(stat -c %a "$d/u.jsonl")" = 640 ] &&
        [ "$(stat -c %a "$d/u.log")" = 640 ]; then
        ok "outputs respect the umask (027: mode 640)"
    else
        bad "outputs ignore the umask: $(stat -c %a "$d/u.jsonl" "$d/u.log")"
    fi
    # the last output fails when it is flushed (a full disk): the log and
    # pairs written before it must not replace the old ones
    printf '%s\n' '{"id":"a","text":"one two three four five six seven eight"}' \
        '{"id":"b","text":"one two three four five six seven eight"}' \
        > "$d/small.jsonl"
    echo old > "$d/l"; echo old > "$d/p"; echo old > "$d/c"
    if [ -w /dev/full ]; then
        "$reprint" dedup -q "$d/small.jsonl" -o /dev/full --log "$d/l" \
            --pairs "$d/p" --clusters "$d/c" 2> "$d/e"
        rc=$?
        if [ $rc = 1 ] && [ "$(cat "$d/l" "$d/p" "$d/c")" = "$(printf 'old\nold\nold')" ]; then
            ok "a failing output: the other outputs stay the old ones"
        else
            bad "a failing output: exit $rc, log now $(head -c 80 "$d/l")"
        fi
        if grep -q '/dev/full: cannot write output: No space left on device' "$d/e"; then
            ok "disk full: the path and the cause are named"
        else
            bad "disk full message: $(cat "$d/e")"
        fi
        # trace too: the JSON report is not renamed when the HTML fails
        echo old > "$d/t.json"
        "$reprint" trace -q "$seeds" --json "$d/t.json" --html /dev/full \
            2> "$d/e"
        rc=$?
        [ $rc = 1 ] && [ "$(cat "$d/t.json")" = old ] &&
            ok "trace: a failing report leaves the other one old" ||
            bad "trace report set: exit $rc, json now $(head -c 60 "$d/t.json")"
        # a large output fails during the writes, not at the flush
        "$reprint" dedup -q "$seeds" -o /dev/full 2> "$d/e"
        grep -q '/dev/full: cannot write output: No space left on device' "$d/e" &&
            ok "disk full while writing: the path and the cause are named" ||
            bad "disk full while writing: $(cat "$d/e")"
    else
        echo "skip: no /dev/full"
    fi
    ls "$d" | grep -q '\.tmp\.' && bad "temporaries left: $(ls "$d")" ||
        ok "no temporary left after a failed set"
}

# Build item 3: kill -9, SIGINT and SIGTERM at random moments of a dedup
# writing -o, --log, --pairs and --signatures: afterwards the outputs are
# all the old ones or all the new ones, and after SIGINT/SIGTERM no
# temporary is left (kill -9 cannot clean up; its temporaries are removed
# here between rounds). RP_CRASH_ROUNDS rounds (default 20).
run_crash() {
    local d="$tmp/k" rounds=${RP_CRASH_ROUNDS:-20}
    mkdir -p "$d"
    python3 "$root/tools/gen-corpus.py" --size 2M --seed 5 -o "$d/old.jsonl" 2> /dev/null
    python3 "$root/tools/gen-corpus.py" --size 8M --seed 6 -o "$d/new.jsonl" 2> /dev/null
    run_set() { # INPUT PREFIX
        "$reprint" dedup -q --threads 2 "$1" -o "$2.out.jsonl" \
            --log "$2.log" --pairs "$2.pairs" --signatures "$2.rps"
    }
    sums() { # PREFIX
        cat "$1.out.jsonl" "$1.log" "$1.pairs" "$1.rps" 2> /dev/null | md5sum | cut -c1-32
    }
    run_set "$d/old.jsonl" "$d/ref-old" && run_set "$d/new.jsonl" "$d/ref-new" ||
        { bad "crash: reference runs failed"; return; }
    local old new t0 t1 span
    old=$(sums "$d/ref-old"); new=$(sums "$d/ref-new")
    t0=$(date +%s%N); run_set "$d/new.jsonl" "$d/timing"; t1=$(date +%s%N)
    span=$(( (t1 - t0) / 1000000 + 200 )) # ms: a kill may land after the end
    local i sig pid got bad_rounds=0 olds=0 news=0 leftovers=0
    for i in $(seq "$rounds"); do
        for f in out.jsonl log pairs rps; do cp "$d/ref-old.$f" "$d/cur.$f"; done
        case $((i % 3)) in 0) sig=KILL ;; 1) sig=INT ;; 2) sig=TERM ;; esac
        # reprint itself in the background (not a function's subshell, which
        # the signal would reach instead)
        "$reprint" dedup -q --threads 2 "$d/new.jsonl" -o "$d/cur.out.jsonl" \
            --log "$d/cur.log" --pairs "$d/cur.pairs" \
            --signatures "$d/cur.rps" 2> /dev/null &
        pid=$!
        sleep "$(python3 -c "import random; print(random.randint(0, $span) / 1000)")"
        kill -s $sig $pid 2> /dev/null
        wait $pid 2> /dev/null
        got=$(sums "$d/cur")
        if [ "$got" = "$old" ]; then olds=$((olds + 1))
        elif [ "$got" = "$new" ]; then news=$((news + 1))
        else bad_rounds=$((bad_rounds + 1)); echo "round $i ($sig): a mixed set"; fi
        if ls "$d" | grep -q -e '\.tmp\.' -e '\.old\.'; then
            if [ $sig != KILL ]; then
                leftovers=$((leftovers + 1))
                echo "round $i ($sig): left $(ls "$d" | grep -e '\.tmp\.' -e '\.old\.')"
            fi
            rm -f "$d"/*.tmp.* "$d"/*.old.*
        fi
    done
    [ $bad_rounds = 0 ] &&
        ok "crash: $rounds rounds, every set all old ($olds) or all new ($news)" ||
        bad "crash: $bad_rounds of $rounds rounds left a mixed set"
    [ $leftovers = 0 ] && ok "crash: no temporary left after SIGINT/SIGTERM" ||
        bad "crash: temporaries left in $leftovers rounds"
}

case $mode in
generator) run_generator ;;
golden) run_golden ;;
hostile) run_hostile ;;
browser) run_browser ;;
browser_reuters) run_browser_reuters ;;
bad) run_bad ;;
threads) run_threads ;;
reuters) run_reuters ;;
huge) run_huge ;;
huge_ok) run_huge_ok ;;
repro) run_repro ;;
hardening) run_hardening ;;
outputs) run_outputs ;;
crash) run_crash ;;
memory) run_memory ;;
*) echo "unknown mode $mode"; exit 2 ;;
esac
echo "$passed passed, $failures failed"
[ $failures = 0 ]
