#!/usr/bin/env bash
# Regenerate the seed corpora of tests/fuzz/corpus/ from corpus/seeds.jsonl
# and a few hand-written cases (run from the repository root, with a built
# reprint as $1). Findings of fuzz runs are added beside these by hand.
set -eu
reprint=$(realpath "$1")
c=tests/fuzz/corpus
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
python3 - "$c" <<'PY'
import json, os, sys
c = sys.argv[1]
seeds = [json.loads(l) for l in open("corpus/seeds.jsonl", encoding="utf-8")]
def put(target, name, data):
    os.makedirs(f"{c}/{target}", exist_ok=True)
    open(f"{c}/{target}/{name}", "wb").write(data)
lines = open("corpus/seeds.jsonl", "rb").read().split(b"\n")
for i, l in enumerate(lines[:2]):
    put("record", f"seed-{i}", b"\x00" + l)
cases = [b'{"id":1.5e308,"text":"x"}', b'{"body":"","ts":1e99}',
         b'{"text":"a","te\\u0078t":"b"}', b'{"id":"\\ud83d\\ude00","text":"caf\\u00e9"}',
         b'{"text":null,"content":"c"}', b'\xef\xbb\xbf{"text":"bom"}',
         b'{"text":"x","url":"https://www.Example.com:80/a","date":"2022-11-05T10:00:00+01:00"}',
         b'{"text":"x","source":"s","file":"f.txt","date":1667642400}',
         b'[1,2]', b'{"text":"unterminated']
for i, x in enumerate(cases):
    put("record", f"case-{i}", bytes([1 if b"body" in x else 0]) + x)
put("record", "txt-unit", b"\x04Plain text unit.\n\nSecond paragraph.")
# issue 14: nested fields by default (datatrove, Dolma) and by path
put("record", "datatrove", b'\x00{"text":"a b","id":"1","metadata":{"url":"https://x.org/","date":"2020-01-02","d":[1,{"e":null}]}}')
put("record", "dolma", b'\x00{"id":"2","text":"c","source":"cc","added":"2024-01-01","created":"2019-05-05T00:00:00Z","metadata":{"url":"http://y.net"}}')
put("record", "paths", b'\x08{"d":{"t":"nested \\"text\\""},"m":[{"d/x":"2021"},"http://z.com/"],"d\\u002et":"other"}')
put("record", "paths-dup", b'\x08{"d":{"t":"a"},"d":{"t":"b"}}')
dates = ["2022-11-05", "2022-11-01T19:02:21", "2022-11-05T10:00:00+01:00",
         "Sat, 05 Nov 2022 10:00:00 GMT", "5 November 2022", "November 2022",
         "2022", "1667642400", "1667642400123", "2022-13-45", "", "yesterday",
         "2022-11-05T10:00:00.123456Z", "05/11/2022", "+999999-01-01"]
for i, d in enumerate(dates):
    put("date", f"d{i}", d.encode())
for i, s in enumerate(seeds[:3]):
    t = s["text"].encode()[:3000]
    put("sign", f"seed-{i}", bytes([4]) + t)
    put("sign", f"char-{i}", bytes([0x08 | 2 | 0x10]) + t[:800])
    put("quote", f"seed-{i}", bytes([3]) + t)
put("quote", "styles", bytes([1]) + '“Curly,” he said. «Guillemets», she added. „Low“ and \'single\' and "straight" quotes.\n\n"Unclosed across\n\nparagraphs'.encode())
put("align", "a", bytes([8, 2, 128]) + bytes(range(40)) + bytes(range(5, 45)))
put("align", "b", bytes([0, 1, 60]) + bytes([1, 2, 3, 1, 2, 3] * 20))
put("input", "seeds-3", b"\n".join(lines[:3]) + b"\n")
put("input", "crlf-blank", b'{"text":"a b c"}\r\n\r\n   \n{"text":"d e f"}')
put("input", "long-line", b'{"text":"' + b"x" * 70000 + b'"}\n{"text":"after"}\n')
PY
head -3 corpus/seeds.jsonl > "$tmp/s3.jsonl"
zstd -q -c "$tmp/s3.jsonl" > "$c/input/seeds-3.zst"
gzip -c "$tmp/s3.jsonl" > "$c/input/seeds-3.gz"
# issue 14: xz and bzip2, whole and cut short; formats refused by name
xz -c "$tmp/s3.jsonl" > "$c/input/seeds-3.xz"
bzip2 -c "$tmp/s3.jsonl" > "$c/input/seeds-3.bz2"
head -c 700 "$c/input/seeds-3.xz" > "$c/input/seeds-3-cut.xz"
head -c 700 "$c/input/seeds-3.bz2" > "$c/input/seeds-3-cut.bz2"
printf 'id,text,date\n1,hello,2020\n' > "$c/input/csv"
printf '[{"text":"a"}]\n' > "$c/input/json-array"
head -2 corpus/seeds.jsonl > "$tmp/s2.jsonl"
"$reprint" sign -q "$tmp/s2.jsonl" -o "$c/sigfile/seeds-2.rps"
"$reprint" sign -q "$tmp/s2.jsonl" --num-perm 32 --shingle 3 -o "$c/sigfile/seeds-2-np32.rps"
# sigblock: the raw bytes of the first block of seeds-2-np32.rps
python3 - "$c/sigfile/seeds-2-np32.rps" "$tmp/frame.zst" "$tmp/hdr" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
h = struct.unpack_from("<I", d, 12)[0]
assert d[h:h+4] == b"RPBK"
raw, clen, ndocs = struct.unpack_from("<III", d, h + 4)
open(sys.argv[2], "wb").write(d[h+24:h+24+clen])
open(sys.argv[3], "wb").write(bytes([0, ndocs]))
PY
cat "$tmp/hdr" <(zstd -q -dc "$tmp/frame.zst") > "$c/sigblock/seeds-2"
# index: the run file of a small index (seeds, doc and paragraph units)
mkdir -p "$c/index"
"$reprint" index create "$tmp/idx" -q
"$reprint" index add "$tmp/idx" -q "$tmp/s2.jsonl"
cp "$tmp"/idx/run-*.rpr "$c/index/seeds-2"
"$reprint" index create "$tmp/idx2" -q --level doc --threshold 0.5
"$reprint" index add "$tmp/idx2" -q corpus/seeds.jsonl
cp "$tmp"/idx2/run-*.rpr "$c/index/seeds-doc"
printf 'RPIXRUN\0' > "$c/index/magic-only"
