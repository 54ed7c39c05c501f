/*
 * bench_sign.c - single-thread fingerprinting throughput, stage by stage.
 *
 * usage: bench_sign FILE.jsonl [--shingle K] [--no-paragraphs] [--only-sign]
 *
 * Reads the whole (uncompressed) JSON Lines file into memory, then times,
 * on one thread, over the same records:
 *   parse      json-c parse + field picking
 *   normalize  + NFKC_Casefold tokenisation
 *   shingle    + word 5-gram hashes of the whole document
 *   sign       + segmentation, shingles and MinHash (the full fingerprint)
 * and prints MB/s of input bytes for each, plus tokens and shingles. Run by
 * bench/scale.py beside `LC_ALL=C wc -w` over the same bytes.
 */
#include "reprint/reprint.h"
#include "reprint/sys/fingerprint.h"
#include "reprint/sys/shingle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_sign FILE.jsonl [--shingle K] "
                        "[--no-paragraphs]\n");
        return 2;
    }
    rp_sign_options so = RP_SIGN_OPTIONS_INIT;
    int only = -1;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--only-sign") == 0)
            only = 3;
        if (strcmp(argv[i], "--shingle") == 0 && i + 1 < argc)
            so.shingle = (uint32_t)atoi(argv[++i]);
        else if (strcmp(argv[i], "--no-paragraphs") == 0)
            so.paragraphs = 0;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 1;
    }
    fclose(f);
    rp_parser *p;
    rp_normalizer *nz;
    rp_signer *s;
    if (rp_parser_new(&p, NULL) || rp_normalizer_new(&nz, 0, 0) ||
        rp_signer_new(&s, &so)) {
        fprintf(stderr, "setup failed\n");
        return 1;
    }
    const char *names[4] = {"parse", "normalize", "shingle", "sign"};
    uint64_t *sh = NULL;
    size_t shcap = 0;
    for (int stage = only < 0 ? 0 : only; stage < 4; stage++) {
        double t0 = now();
        size_t tokens = 0, shingles = 0, records = 0;
        for (char *q = buf; q < buf + n;) {
            char *e = memchr(q, '\n', (size_t)(buf + n - q));
            if (!e)
                e = buf + n;
            rp_unit u = {q, (size_t)(e - q), 0, 0, 0, RP_UNIT_JSON, NULL};
            rp_record rec;
            if (u.len && rp_parser_parse(p, &rec, &u, argv[1], NULL) == RP_OK) {
                records++;
                if (stage == 1) {
                    const rp_token *tk;
                    size_t nt;
                    rp_normalize(nz, &tk, &nt, rec.text, rec.text_len);
                    tokens += nt;
                } else if (stage == 2) {
                    const rp_token *tk;
                    size_t nt;
                    rp_normalize(nz, &tk, &nt, rec.text, rec.text_len);
                    size_t ns = rp_shingle_count(nt, so.shingle);
                    if (ns > shcap) {
                        free(sh);
                        shcap = ns * 2;
                        sh = malloc(shcap * sizeof *sh);
                        if (!sh) {
                            fprintf(stderr, "out of memory\n");
                            return 1;
                        }
                    }
                    rp_shingle_hashes(sh, tk, nt, so.shingle);
                    tokens += nt;
                    shingles += ns;
                } else if (stage == 3) {
                    rp_fingerprint fp;
                    rp_signer_sign(s, &fp, rec.text, rec.text_len);
                    tokens += fp.ntokens;
                    shingles += fp.nshingles;
                }
            }
            q = e + 1;
        }
        double dt = now() - t0;
        printf("%-9s %8.1f MB/s  %.3f s  records %zu tokens %zu shingles "
               "%zu\n",
               names[stage], n / dt / 1e6, dt, records, tokens, shingles);
    }
    rp_parser_free(p);
    rp_normalizer_free(nz);
    rp_signer_free(s);
    free(sh);
    free(buf);
    return 0;
}
