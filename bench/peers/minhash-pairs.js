// Near-duplicate pairs with npm's `minhash` package (Minhash + LshIndex,
// https://www.npmjs.com/package/minhash), fed the same features reprint
// uses: word 5-grams of lower-cased \w+ tokens.
//
//   node minhash-pairs.js NODE_MODULES_DIR CORPUS.jsonl > pairs.tsv
//
// Prints "a<TAB>b<TAB>estimate" for every candidate pair LshIndex returns
// (the package's defaults: 128 permutations, bands of 4).
'use strict';
const path = require('path');
const fs = require('fs');
const readline = require('readline');
const { Minhash, LshIndex } = require(path.join(process.argv[2], 'minhash'));

async function main() {
  const rl = readline.createInterface({
    input: fs.createReadStream(process.argv[3]), crlfDelay: Infinity });
  const ids = [];
  const hashes = [];
  const index = new LshIndex();
  for await (const line of rl) {
    if (!line) continue;
    const rec = JSON.parse(line);
    const words = (rec.text.toLowerCase().match(/\w+/g) || []);
    const m = new Minhash();
    if (words.length < 5) {
      m.update(words.join(' '));
    } else {
      for (let i = 0; i + 5 <= words.length; i++)
        m.update(words.slice(i, i + 5).join(' '));
    }
    index.insert(String(ids.length), m);
    ids.push(rec.id);
    hashes.push(m);
  }
  const out = [];
  for (let i = 0; i < ids.length; i++) {
    for (const k of index.query(hashes[i])) {
      const j = Number(k);
      if (j > i)
        out.push(`${ids[i]}\t${ids[j]}\t${hashes[i].jaccard(hashes[j]).toFixed(4)}`);
    }
  }
  process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
}

main().catch((e) => { console.error(e); process.exit(1); });
