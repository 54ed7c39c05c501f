/*
 * align.c - shared passages of two shingle sequences (reprint/sys/align.h).
 *
 *   anchors   (i, j) with a[i] == b[j]: one sequence's shingles sorted
 *             (rp_align_index, once per sequence when it is aligned many
 *             times), each of the other's looked up by binary search (the
 *             shorter one's, when both have an index). A shingle repeated
 *             many times in the indexed sequence (boilerplate inside a
 *             text) keeps its first 4 places.
 *   runs      anchors sorted by (i - j, i); neighbours on a diagonal within
 *             max_gap join
 *   segments  runs sorted by a_first, chained greedily while the next run
 *             starts after the current one ends in both A and B, within
 *             max_gap in each
 *
 * O(n_probe log n_indexed + anchors log anchors), plus sorting the index.
 */
#include "reprint/sys/align.h"

#include "../../util/buf.h"
#include "../../util/sort.h"

#include <stdlib.h>
#include <string.h>

/* an anchor (i, j) as one sortable value: diagonal i - j (offset to be
 * unsigned) above, i below, so sorting the values sorts by (diag, i) */
typedef uint64_t anchor;
#define ANCHOR(i, j)                                                          \
    ((uint64_t)((int64_t)(i) - (int64_t)(j) + 0x80000000LL) << 32 |           \
     (uint64_t)(uint32_t)(i))
#define A_DIAG(x) ((x) >> 32)
#define A_I(x) ((uint32_t)(x))
#define A_J(x) ((uint32_t)((int64_t)A_I(x) - ((int64_t)A_DIAG(x) - 0x80000000LL)))

static int cmp_hp(const void *x, const void *y)
{
    const rp_align_entry *a = x, *b = y;
    if (a->h != b->h)
        return a->h < b->h ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}


/* The index: entries sorted by h, equal hashes in pos order (the shared
 * stable radix sort of util/sort; qsort with pos as tie-break when short) */
int rp_align_index(rp_align_entry **out, const uint64_t *s, size_t n)
{
    rp_align_entry *x = malloc((n ? n : 1) * sizeof *x);
    *out = x;
    if (!x)
        return RP_ENOMEM;
    if (n < 64) {
        for (size_t j = 0; j < n; j++) {
            x[j].h = s[j];
            x[j].pos = (uint32_t)j;
        }
        qsort(x, n, sizeof *x, cmp_hp);
        return RP_OK;
    }
    rp_keyed *v = malloc(n * sizeof *v), *tmp = malloc(n * sizeof *tmp);
    if (!v || !tmp) {
        free(v);
        free(tmp);
        free(x);
        *out = NULL;
        return RP_ENOMEM;
    }
    for (size_t j = 0; j < n; j++) {
        v[j].key = s[j];
        v[j].val = j;
    }
    rp_sort_keyed(v, tmp, n);
    for (size_t j = 0; j < n; j++) {
        x[j].h = v[j].key;
        x[j].pos = (uint32_t)v[j].val;
    }
    free(v);
    free(tmp);
    return RP_OK;
}

/* anchors (i in A, j in B): each shingle of the shorter sequence looked up
 * in the sorted index of the longer, at most 4 places each */
static int anchors(anchor **out, size_t *count, const uint64_t *a, size_t na,
                   const rp_align_entry *ai, const uint64_t *b, size_t nb,
                   const rp_align_entry *bi)
{
    /* probe with the sequence that has no index, else with the shorter */
    int swap = !bi || (ai && na > nb);
    const uint64_t *p = swap ? b : a;
    size_t np = swap ? nb : na, nx = swap ? na : nb;
    const rp_align_entry *ix = swap ? ai : bi;
    anchor *an = NULL;
    size_t nan = 0, acap = 0;
    for (size_t i = 0; i < np; i++) {
        size_t lo = 0, hi = nx;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (ix[mid].h < p[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        for (size_t k = lo; k < nx && ix[k].h == p[i] && k < lo + 4; k++) {
            uint32_t ia = swap ? ix[k].pos : (uint32_t)i;
            uint32_t jb = swap ? (uint32_t)i : ix[k].pos;
            anchor x = ANCHOR(ia, jb);
            if (RP_VEC_PUSH(an, nan, acap, x)) {
                free(an);
                return RP_ENOMEM;
            }
        }
    }
    *out = an;
    *count = nan;
    return RP_OK;
}

static int segments(rp_segment **out, size_t *count, anchor *an, size_t nan,
                    uint32_t max_gap, uint32_t min_anchors);

int rp_align(rp_segment **out, size_t *count, const uint64_t *a, size_t na,
             const uint64_t *b, size_t nb, uint32_t max_gap,
             uint32_t min_anchors)
{
    rp_align_entry *bi = NULL;
    *out = NULL;
    *count = 0;
    if (rp_align_index(&bi, b, nb))
        return RP_ENOMEM;
    /* probe with A, whatever the lengths (B's index is the only one) */
    int rc = rp_align_indexed(out, count, a, na, NULL, b, nb, bi, max_gap,
                              min_anchors);
    free(bi);
    return rc;
}

int rp_align_indexed(rp_segment **out, size_t *count, const uint64_t *a,
                     size_t na, const rp_align_entry *ai, const uint64_t *b,
                     size_t nb, const rp_align_entry *bi, uint32_t max_gap,
                     uint32_t min_anchors)
{
    anchor *an = NULL;
    size_t nan = 0;
    *out = NULL;
    *count = 0;
    if (!ai && !bi)
        return RP_EINVAL;
    if (anchors(&an, &nan, a, na, ai, b, nb, bi) != RP_OK)
        return RP_ENOMEM;
    return segments(out, count, an, nan, max_gap, min_anchors);
}

/* the end of the run of value v starting at x in a sorted index */
static size_t run_end(const rp_align_entry *ix, size_t n, size_t x)
{
    size_t e = x + 1;
    while (e < n && ix[e].h == ix[x].h)
        e++;
    return e;
}

/* the first place at or after lo with a value >= v: galloping */
static size_t gallop(const rp_align_entry *ix, size_t n, size_t lo,
                     uint64_t v)
{
    size_t step = 1, hi = lo;
    while (hi < n && ix[hi].h < v) {
        lo = hi + 1;
        hi += step;
        step *= 2;
    }
    if (hi > n)
        hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ix[mid].h < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int rp_align_join(rp_segment **out, size_t *count, size_t *shared,
                  const rp_align_entry *ai, size_t na,
                  const rp_align_entry *bi, size_t nb, int (*skip)(uint64_t),
                  uint32_t max_gap, uint32_t min_anchors)
{
    anchor *an = NULL;
    size_t nan = 0, acap = 0, nsh = 0;
    *out = NULL;
    *count = 0;
    /* walk the longer index by galloping when the two differ much */
    int gal = na > 16 * nb || nb > 16 * na;
    size_t x = 0, y = 0;
    while (x < na && y < nb) {
        uint64_t va = ai[x].h, vb = bi[y].h;
        if (va < vb) {
            x = gal ? gallop(ai, na, x + 1, vb) : x + 1;
            continue;
        }
        if (vb < va) {
            y = gal ? gallop(bi, nb, y + 1, va) : y + 1;
            continue;
        }
        size_t xe = run_end(ai, na, x), ye = run_end(bi, nb, y);
        if (!skip || !skip(va)) {
            nsh++;
            for (size_t p = x; p < xe && p < x + 4; p++)
                for (size_t q = y; q < ye && q < y + 4; q++) {
                    anchor z = ANCHOR(ai[p].pos, bi[q].pos);
                    if (RP_VEC_PUSH(an, nan, acap, z)) {
                        free(an);
                        return RP_ENOMEM;
                    }
                }
        }
        x = xe;
        y = ye;
    }
    if (shared)
        *shared = nsh;
    if (nan < min_anchors) {
        free(an);
        return RP_OK; /* too few shared shingles for a passage */
    }
    return segments(out, count, an, nan, max_gap, min_anchors);
}

/* runs on diagonals, chained into segments; frees an */
static int segments(rp_segment **out, size_t *count, anchor *an, size_t nan,
                    uint32_t max_gap, uint32_t min_anchors)
{
    rp_segment *runs = NULL, *segs = NULL;
    size_t nruns = 0, rcap = 0, nseg = 0, scap = 0;
    int rc = RP_ENOMEM;
    rp_sort_u64(an, nan);
    for (size_t k = 0; k < nan;) {
        rp_segment r = {A_I(an[k]), A_I(an[k]), A_J(an[k]), A_J(an[k]), 1};
        size_t m = k + 1;
        while (m < nan && A_DIAG(an[m]) == A_DIAG(an[k]) &&
               A_I(an[m]) - r.a_last <= max_gap) {
            r.a_last = A_I(an[m]);
            r.b_last = A_J(an[m]);
            r.anchors++;
            m++;
        }
        if (RP_VEC_PUSH(runs, nruns, rcap, r))
            goto done;
        k = m;
    }
    /* runs in order of a_first, ties by b_first (runs came in diagonal
       order, so a reversed index breaks ties that way): one radix sort */
    uint64_t *ord = malloc((nruns + 1) * sizeof *ord);
    rp_segment *sorted = malloc((nruns + 1) * sizeof *sorted);
    if (!ord || !sorted) {
        free(ord);
        free(sorted);
        goto done;
    }
    for (size_t k = 0; k < nruns; k++)
        ord[k] = (uint64_t)runs[k].a_first << 32 | (uint32_t)(nruns - 1 - k);
    rp_sort_u64(ord, nruns);
    for (size_t k = 0; k < nruns; k++)
        sorted[k] = runs[nruns - 1 - (uint32_t)ord[k]];
    free(ord);
    free(runs);
    runs = sorted;
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
