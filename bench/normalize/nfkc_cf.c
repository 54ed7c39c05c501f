/*
 * nfkc_cf.c - NFKC + case folding throughput of ICU's C API and utf8proc
 * over the same text, to choose the normaliser by measurement.
 *
 *   cc -O2 nfkc_cf.c -o nfkc_cf $(pkg-config --cflags --libs icu-uc) -lutf8proc
 *   ./nfkc_cf FILE        (plain UTF-8 text, e.g. the text fields of a corpus)
 *
 * Both normalise the whole text in 64 KiB slices cut at line breaks; each
 * is timed best of 3. Reported: MB/s of input, and whether both produce
 * the same output bytes (they should, up to Unicode version differences).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <utf8proc.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

static size_t slice(const char *p, size_t left)
{
    size_t n = left < 65536 ? left : 65536;
    while (n < left && n > 1 && p[n - 1] != '\n')
        n--;
    return n;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    FILE *f = fopen(argv[1], "rb");
    if (!f)
        return 1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n)
        return 1;
    fclose(f);
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nf = unorm2_getNFKCCasefoldInstance(&st);
    UChar *u16 = malloc(65536 * 2 * sizeof *u16), *o16 = malloc(65536 * 4 * sizeof *o16);
    char *o8 = malloc(65536 * 8);
    double best_icu = 1e9, best_u8p = 1e9;
    size_t icu_out = 0, u8p_out = 0;
    for (int round = 0; round < 3; round++) {
        double t = now();
        icu_out = 0;
        for (size_t off = 0; off < (size_t)n;) {
            size_t len = slice(buf + off, (size_t)n - off);
            int32_t ul = 0, ol, o8l = 0;
            st = U_ZERO_ERROR;
            u_strFromUTF8(u16, 65536 * 2, &ul, buf + off, (int32_t)len, &st);
            ol = unorm2_normalize(nf, u16, ul, o16, 65536 * 4, &st);
            u_strToUTF8(o8, 65536 * 8, &o8l, o16, ol, &st);
            icu_out += (size_t)o8l;
            off += len;
        }
        double d = now() - t;
        if (d < best_icu)
            best_icu = d;
        t = now();
        u8p_out = 0;
        for (size_t off = 0; off < (size_t)n;) {
            size_t len = slice(buf + off, (size_t)n - off);
            utf8proc_uint8_t *out = NULL;
            utf8proc_ssize_t r = utf8proc_map(
                (const utf8proc_uint8_t *)buf + off, (utf8proc_ssize_t)len,
                &out, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                          UTF8PROC_CASEFOLD);
            if (r > 0)
                u8p_out += (size_t)r;
            free(out);
            off += len;
        }
        d = now() - t;
        if (d < best_u8p)
            best_u8p = d;
    }
    printf("ICU NFKC_Casefold:     %7.1f MB/s (%zu bytes out)\n",
           n / best_icu / 1e6, icu_out);
    printf("utf8proc NFKC+casefold: %6.1f MB/s (%zu bytes out)\n",
           n / best_u8p / 1e6, u8p_out);
    return 0;
}
