/*
 * fuzz_index.c - an index run file (store/run.c, store/index.c) behind a
 * valid manifest. Structure-aware: when the input starts with the run
 * magic, every checksum it holds is recomputed (header, entry table, block
 * indexes, blocks, entries) wherever the offsets it names fit, and the
 * manifest is written to match the run (size, header checksum, first and
 * last entry numbers), so mutations of values reach the checks and
 * decoders behind the checksums. Then the index is opened, checked, and
 * looked up by the band keys and entry numbers the run names.
 */
#include "fuzz_common.h"

#include "../../src/lib/store/index.h"
#include "../../src/util/hash.h"

#include <sys/stat.h>

static uint32_t g32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t g64(const uint8_t *p)
{
    return (uint64_t)g32(p) | (uint64_t)g32(p + 4) << 32;
}

static void p64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static int fits(size_t size, uint64_t off, uint64_t len)
{
    return off <= size && len <= size - off;
}

/* Recompute the run's checksums where its offsets fit. */
static void fix_run(uint8_t *d, size_t size, uint64_t *first, uint64_t *last)
{
    *first = *last = 0;
    if (size < 96 || memcmp(d, "RPIXRUN", 8) != 0)
        return;
    uint64_t n = g64(d + 16), t = g64(d + 24);
    if (n < size / 16 && fits(size, t, n * 16 + 16)) {
        for (uint64_t i = 0; i < n; i++) { /* entries */
            uint64_t off = g64(d + t + 16 * i + 8);
            uint64_t end = i + 1 < n ? g64(d + t + 16 * (i + 1) + 8)
                                     : g64(d + t + 16 * n);
            if (end >= off + 8 && fits(size, off, end - off))
                p64(d + off, rp_hash64(d + off + 8, end - off - 8, 2));
        }
        if (n) {
            *first = g64(d + t);
            *last = g64(d + t + 16 * (n - 1));
        }
        p64(d + t + 16 * n + 8, rp_hash64(d + t, 16 * n + 8, 4));
    }
    for (int l = 0; l < 2; l++) {
        uint64_t np = g64(d + 32 + 16 * l), io = g64(d + 40 + 16 * l);
        uint64_t nb = (np + 255) / 256;
        if (np > size / 16 || !fits(size, io, nb * 32 + 8))
            continue;
        for (uint64_t b = 0; b < nb; b++) {
            uint8_t *e = d + io + 32 * b;
            uint64_t off = g64(e + 8), cnt = g32(e + 16);
            if (cnt <= 256 && fits(size, off, cnt * 16))
                p64(e + 24, rp_hash64(d + off, cnt * 16, 6));
        }
        p64(d + io + nb * 32, rp_hash64(d + io, nb * 32, 5));
    }
    p64(d + 88, rp_hash64(d, 88, 3));
}

static char dir[256];

static void put_file(const char *name, const uint8_t *b, size_t n)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    if (!f)
        abort();
    if (n && fwrite(b, 1, n, f) != n)
        abort();
    fclose(f);
}

static void remove_all(void)
{
    char p[512];
    const char *names[] = {"manifest", "lock", "run-0000000000000001.rpr"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/rp-fuzz-index-%ld",
             tmp && *tmp ? tmp : "/tmp", (long)getpid());
    remove_all();
    /* a valid empty index for the default parameters */
    rp_ix_params p;
    memset(&p, 0, sizeof p);
    rp_sign_options so = RP_SIGN_OPTIONS_INIT;
    p.sign = so;
    p.bands[0] = p.bands[1] = 18;
    p.rows[0] = p.rows[1] = 7;
    p.threshold[0] = p.threshold[1] = 0.8;
    p.verify = 1;
    if (rp__ix_create(dir, &p, NULL) != RP_OK)
        abort();
    uint8_t *d = malloc(size ? size : 1);
    if (!d)
        abort();
    if (size)
        memcpy(d, data, size);
    uint64_t first, last;
    fix_run(d, size, &first, &last);
    put_file("run-0000000000000001.rpr", d, size);
    /* the manifest: one run record (72 bytes) before its checksum, and a
     * state whose next entry number follows the run's */
    char mp[512];
    snprintf(mp, sizeof mp, "%s/manifest", dir);
    FILE *f = fopen(mp, "rb");
    uint8_t m[148 + 72 + 8];
    if (!f || fread(m, 1, 156, f) != 156)
        abort();
    fclose(f);
    m[12] = 1;
    p64(m + 100 + 8, last + 1 > last ? last + 1 : last); /* next */
    p64(m + 140, rp_hash64(m + 100, 40, 1));
    uint8_t *r = m + 148;
    memset(r, 0, 72);
    p64(r, 1);                                 /* id */
    p64(r + 8, size);                          /* size */
    p64(r + 16, size >= 96 ? g64(d + 88) : 0); /* header checksum */
    p64(r + 24, first ? first : 1);
    p64(r + 32, last ? last : 1);
    p64(r + 40, size >= 96 ? g64(d + 72) : 0);
    p64(r + 48, size >= 96 ? g64(d + 80) : 0);
    memcpy(r + 56, size >= 96 ? d + 64 : (const uint8_t *)"\0\0\0\x80\0\0\0\x80",
           8);
    p64(m + 220, rp_hash64(m, 220, 7));
    put_file("manifest", m, sizeof m);
    rp_ix *ix = NULL;
    if (rp__ix_open(&ix, dir, 0, NULL) == RP_OK) {
        uint64_t checked;
        (void)rp__ix_check(ix, &checked, NULL);
        /* look up keys and numbers taken from the input */
        uint64_t out[64];
        for (size_t k = 0; k + 8 <= size && k < 4096; k += 64) {
            size_t n, total;
            uint64_t key = g64(d + k);
            for (uint32_t l = 0; l < 2; l++)
                if (rp__ix_postings(ix, l, key, out, 64, &n, &total,
                                    NULL) == RP_OK)
                    for (size_t i = 0; i < n; i++) {
                        rp_ix_entry e;
                        if (rp__ix_get(ix, out[i], &e, NULL) == RP_OK)
                            (void)(e.id_len + e.file_len + e.nset);
                    }
        }
        for (uint64_t num = first; num && num <= last && num < first + 64;
             num++) {
            rp_ix_entry e;
            if (rp__ix_get(ix, num, &e, NULL) == RP_OK && e.nset)
                (void)g64(e.set + 8 * (size_t)(e.nset - 1));
        }
    }
    rp__ix_close(ix);
    free(d);
    remove_all();
    return 0;
}
