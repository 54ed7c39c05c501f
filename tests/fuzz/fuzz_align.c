/*
 * fuzz_align.c - alignment of two shingle sequences (align.c). Byte 0:
 * max_gap; byte 1: min_anchors; byte 2: where the rest splits into A and
 * B (as a fraction of 255). Each following byte is one shingle, taken
 * from a small alphabet so that matches are common.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    size_t n = size - 3;
    size_t na = n * data[2] / 255;
    uint64_t *a = malloc((na ? na : 1) * sizeof *a);
    uint64_t *b = malloc((n - na ? n - na : 1) * sizeof *b);
    if (!a || !b)
        abort();
    for (size_t i = 0; i < n; i++) {
        uint64_t v = 0x9e3779b97f4a7c15ULL * (uint64_t)(data[3 + i] % 16 + 1);
        if (i < na)
            a[i] = v;
        else
            b[i - na] = v;
    }
    rp_segment *seg = NULL;
    size_t count = 0;
    if (rp_align(&seg, &count, a, na, b, n - na, data[0], data[1]) ==
        RP_OK) {
        for (size_t i = 0; i < count; i++)
            if (seg[i].a_first > seg[i].a_last || seg[i].a_last >= na ||
                seg[i].b_first > seg[i].b_last || seg[i].b_last >= n - na ||
                (i && seg[i].a_first < seg[i - 1].a_first))
                abort();
    }
    free(seg);
    free(a);
    free(b);
    return 0;
}
