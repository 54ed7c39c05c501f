# gen-text.awk - deterministic news-like JSON Lines for throughput runs.
#
#   awk -v seed=1 -v docs=50000 -f bench/gen-text.awk VOCAB.txt > out.jsonl
#
# VOCAB.txt: one word per line, most frequent first (bench/throughput.sh
# takes it from Reuters). Words are drawn with a Zipf(1) law over the
# vocabulary, sentences of 8-30 words, paragraphs of 2-6 sentences,
# articles of 3-12 paragraphs; awk's srand(seed) makes it repeatable.
NR > 0 { vocab[n++] = $1 }
END {
    srand(seed)
    # cumulative Zipf weights
    total = 0
    for (i = 0; i < n; i++) { total += 1.0 / (i + 1); cum[i] = total }
    for (d = 0; d < docs; d++) {
        text = ""
        np = 3 + int(rand() * 10)
        for (p = 0; p < np; p++) {
            ns = 2 + int(rand() * 5)
            for (s = 0; s < ns; s++) {
                nw = 8 + int(rand() * 23)
                for (w = 0; w < nw; w++) {
                    r = rand() * total
                    lo = 0; hi = n - 1
                    while (lo < hi) { mid = int((lo + hi) / 2); if (cum[mid] < r) lo = mid + 1; else hi = mid }
                    word = vocab[lo]
                    if (w == 0) word = toupper(substr(word, 1, 1)) substr(word, 2)
                    text = text (w ? " " : "") word
                }
                text = text ". "
            }
            text = text "\\n\\n"
        }
        printf "{\"id\":\"g%d\",\"date\":\"2024-01-%02dT%02d:00:00Z\",\"text\":\"%s\"}\n", d, 1 + d % 28, d % 24, text
    }
}
