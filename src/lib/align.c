/*
 * align.c - shared passages of two shingle sequences (reprint/align.h).
 *
 *   anchors   (i, j) with a[i] == b[j]; B's shingles sorted once, each of
 *             A's looked up by binary search. A shingle repeated many times
 *             in B (boilerplate inside a text) keeps its first 4 places.
 *   runs      anchors sorted by (i - j, i); neighbours on a diagonal within
 *             max_gap join
 *   segments  runs sorted by a_first, chained greedily while the next run
 *             starts after the current one ends in both A and B, within
 *             max_gap in each
 *
 * O((na + nb) log nb + anchors log anchors).
 */
#include "reprint/align.h"

#include "../util/buf.h"

#include <stdlib.h>

typedef struct hp {
    uint64_t h;
    uint32_t pos;
} hp;

typedef struct anchor {
    int64_t diag; /* i - j */
    uint32_t i, j;
} anchor;

static int cmp_hp(const void *x, const void *y)
{
    const hp *a = x, *b = y;
    if (a->h != b->h)
        return a->h < b->h ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static int cmp_anchor(const void *x, const void *y)
{
    const anchor *a = x, *b = y;
    if (a->diag != b->diag)
        return a->diag < b->diag ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

static int cmp_segment(const void *x, const void *y)
{
    const rp_segment *a = x, *b = y;
    if (a->a_first != b->a_first)
        return a->a_first < b->a_first ? -1 : 1;
    return a->b_first < b->b_first ? -1 : a->b_first > b->b_first;
}

int rp_align(rp_segment **out, size_t *count, const uint64_t *a, size_t na,
             const uint64_t *b, size_t nb, uint32_t max_gap,
             uint32_t min_anchors)
{
    *out = NULL;
    *count = 0;
    hp *bs = malloc((nb ? nb : 1) * sizeof *bs);
    anchor *an = NULL;
    rp_segment *runs = NULL, *segs = NULL;
    size_t nan = 0, acap = 0, nruns = 0, rcap = 0, nseg = 0, scap = 0;
    int rc = RP_ENOMEM;
    if (!bs)
        goto done;
    for (size_t j = 0; j < nb; j++) {
        bs[j].h = b[j];
        bs[j].pos = (uint32_t)j;
    }
    if (nb > 1)
        qsort(bs, nb, sizeof *bs, cmp_hp);
    for (size_t i = 0; i < na; i++) {
        size_t lo = 0, hi = nb;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (bs[mid].h < a[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        for (size_t k = lo; k < nb && bs[k].h == a[i] && k < lo + 4; k++) {
            anchor x = {(int64_t)i - (int64_t)bs[k].pos, (uint32_t)i,
                        bs[k].pos};
            if (RP_VEC_PUSH(an, nan, acap, x))
                goto done;
        }
    }
    if (nan > 1)
        qsort(an, nan, sizeof *an, cmp_anchor);
    for (size_t k = 0; k < nan;) {
        rp_segment r = {an[k].i, an[k].i, an[k].j, an[k].j, 1};
        size_t m = k + 1;
        while (m < nan && an[m].diag == an[k].diag &&
               an[m].i - r.a_last <= max_gap) {
            r.a_last = an[m].i;
            r.b_last = an[m].j;
            r.anchors++;
            m++;
        }
        if (RP_VEC_PUSH(runs, nruns, rcap, r))
            goto done;
        k = m;
    }
    if (nruns > 1)
        qsort(runs, nruns, sizeof *runs, cmp_segment);
    /* chain runs that continue each other */
    uint8_t *used = calloc(nruns + 1, 1);
    if (!used)
        goto done;
    for (size_t k = 0; k < nruns; k++) {
        if (used[k])
            continue;
        rp_segment s = runs[k];
        used[k] = 1;
        for (size_t m = k + 1; m < nruns; m++) {
            if (runs[m].a_first > s.a_last + max_gap)
                break;
            if (used[m] || runs[m].a_first <= s.a_last ||
                runs[m].b_first <= s.b_last ||
                runs[m].b_first > s.b_last + max_gap)
                continue;
            s.a_last = runs[m].a_last;
            s.b_last = runs[m].b_last;
            s.anchors += runs[m].anchors;
            used[m] = 1;
        }
        if (s.anchors >= min_anchors && RP_VEC_PUSH(segs, nseg, scap, s)) {
            free(used);
            goto done;
        }
    }
    free(used);
    rc = RP_OK;
done:
    free(bs);
    free(an);
    free(runs);
    if (rc != RP_OK) {
        free(segs);
        return rc;
    }
    *out = segs;
    *count = nseg;
    return RP_OK;
}
