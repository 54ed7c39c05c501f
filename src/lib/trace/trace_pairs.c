/*
 * trace_pairs.c - which documents to compare, and what each comparison
 * finds (trace_job.h).
 *
 *   keys       each document's shingles winnowed (Schleimer et al.): in
 *              every window of W consecutive shingles the smallest is a
 *              key. Two documents sharing a verbatim run of 2W+k-1 words
 *              (8 for k = 3, W = 3) share two windows, hence two keys.
 *              Junk shingles (attribution lines, headers, signatures) are
 *              never keys.
 *   pairs      documents sharing two keys in a row (so a run of 2W+k-1
 *              words makes a pair, and two common phrases far apart in
 *              each text do not). A key held by at most
 *              max_df documents pairs them all; a key held by more is
 *              common text (a phrase, or a story printed by hundreds): its
 *              documents are chained in input order, each paired with the
 *              next, so copies of one text stay connected through each
 *              other at a cost linear in their number; counted in the
 *              summary (common_keys), never dropped
 *   compare    every candidate pair on the workers: rp_align() on the
 *              shingle sequences gives the shared passages; exact Jaccard
 *              and containment of the two shingle sets, and the share of
 *              each document's words inside the passages, grade the pair.
 *              Results land in the pair's own slot: any thread count gives
 *              the same bytes.
 *   signatures one pass after: text at the tail of two posts of one
 *              author (or e-mail host) is a signature, and leaves every
 *              pair's measures (rp__trace_signatures, below)
 */
#include "trace_job.h"

#include "reprint/sys/align.h"

#include "../../util/hash.h"
#include "../../util/pairs.h"
#include "../../util/parallel.h"
#include "../../util/sort.h"

#include <stdlib.h>
#include <string.h>

#define WINNOW 3

/* ---- keys and candidate pairs ------------------------------------------------ */

/* winnowed keys of d into out (room for d->nsh), in text order */
static size_t winnow(const tdoc *d, uint64_t *out)
{
    size_t n = 0;
    if (d->nsh == 0)
        return 0;
    uint32_t w = WINNOW < d->nsh ? WINNOW : d->nsh;
    uint32_t last = UINT32_MAX;
    for (uint32_t s = 0; s + w <= d->nsh; s++) {
        uint32_t best = UINT32_MAX;
        for (uint32_t q = s; q < s + w; q++) {
            if (d->sh[q] & 1)
                continue; /* junk */
            if (best == UINT32_MAX || d->sh[q] <= d->sh[best])
                best = q; /* the rightmost smallest */
        }
        if (best != UINT32_MAX && best != last) {
            out[n++] = d->sh[best];
            last = best;
        }
    }
    return n;
}

/*
 * Content words: a word in more than COMMON_SHARE of the documents (at
 * least COMMON_MIN) says nothing of reuse and leaves every document's set;
 * documents sharing WORD_MIN of the words held by at most WORD_DF
 * documents are candidates too (a text reworded or translated shares few
 * shingles but its rare words).
 */
#define COMMON_SHARE 0.02
#define COMMON_MIN 20
#define WORD_DF 30
#define WORD_MIN 3

static int word_pairs(tjob *j, uint64_t **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    size_t np = 0;
    for (size_t d = 0; d < j->ndocs; d++)
        np += j->docs[d].ncw;
    rp_posting *post = malloc((np + 1) * sizeof *post);
    uint64_t *common = NULL, *pairs = NULL;
    size_t ncommon = 0, ccap = 0, npairs = 0, pcap = 0;
    if (!post)
        return RP_ENOMEM;
    np = 0;
    for (size_t d = 0; d < j->ndocs; d++)
        for (uint32_t i = 0; i < j->docs[d].ncw; i++) {
            post[np].key = j->docs[d].cw[i];
            post[np].val = (uint32_t)d;
            np++;
        }
    rp_postings_sort(post, np); /* appended in document order */
    size_t cap_df = (size_t)(COMMON_SHARE * (double)j->ndocs);
    if (cap_df < COMMON_MIN)
        cap_df = COMMON_MIN;
    int rc = RP_OK;
    for (size_t i = 0; i < np && rc == RP_OK;) {
        size_t k = i + 1;
        while (k < np && post[k].key == post[i].key)
            k++;
        if (k - i > cap_df) {
            if (RP_VEC_PUSH(common, ncommon, ccap, post[i].key))
                rc = RP_ENOMEM;
        } else if (k - i <= WORD_DF) {
            for (size_t a = i; a < k && rc == RP_OK; a++)
                for (size_t b = a + 1; b < k && rc == RP_OK; b++) {
                    uint64_t x = (uint64_t)post[a].val << 32 | post[b].val;
                    if (RP_VEC_PUSH(pairs, npairs, pcap, x))
                        rc = RP_ENOMEM;
                }
        }
        i = k;
    }
    free(post);
    /* common words out of every set (common is sorted: postings were) */
    for (size_t d = 0; d < j->ndocs && rc == RP_OK && ncommon; d++) {
        tdoc *x = &j->docs[d];
        uint32_t w = 0;
        for (uint32_t i = 0; i < x->ncw; i++)
            if (!rp_sorted_has_u64(common, ncommon, x->cw[i])) {
                x->cwpos[w] = x->cwpos[i];
                x->cw[w++] = x->cw[i];
            }
        x->ncw = w;
    }
    free(common);
    if (rc != RP_OK) {
        free(pairs);
        return rc;
    }
    size_t w = rp_pairs_counted(pairs, npairs, WORD_MIN);
    *out = pairs;
    *count = w;
    return RP_OK;
}

/* postings sorted by key: pairs of the documents of each key; a key in
 * more than max_df documents chains them */
static int key_pairs(tjob *j, const rp_posting *post, size_t np,
                     uint64_t **pairs, size_t *npairs)
{
    size_t cap = 0; /* post is sorted (distinct_postings) */
    for (size_t i = 0; i < np;) {
        size_t k = i + 1;
        while (k < np && post[k].key == post[i].key)
            k++;
        int chain = k - i > j->o->max_df;
        j->st->common_shingles += (uint64_t)chain;
        for (size_t a = i; a < k; a++)
            for (size_t b = a + 1; b < (chain ? a + 2 : k) && b < k; b++) {
                uint64_t x = (uint64_t)post[a].val << 32 | post[b].val;
                if (RP_VEC_PUSH(*pairs, *npairs, cap, x))
                    return RP_ENOMEM;
            }
        i = k;
    }
    return RP_OK;
}

/* distinct (key, document) postings, dropping repeats within a document */
static size_t distinct_postings(rp_posting *post, size_t np)
{
    rp_postings_sort(post, np); /* appended in document order */
    size_t w = 0;
    for (size_t i = 0; i < np; i++)
        if (w == 0 || post[w - 1].key != post[i].key ||
            post[w - 1].val != post[i].val)
            post[w++] = post[i];
    return w;
}

/* Candidate keys: two winnowed keys in a row. A verbatim run of 2W+k-1
 * words holds two windows of its own, whose keys follow each other in
 * both documents (a window reaching past the run picks its key before the
 * first of them or after the last), so the two documents share one such
 * key; two common phrases far apart in each text share none. */
int rp__trace_candidate_keys(tdoc *d)
{
    d->ckeys = malloc(((size_t)d->nsh + 1) * sizeof *d->ckeys);
    if (!d->ckeys)
        return RP_ENOMEM;
    size_t n = winnow(d, d->ckeys);
    for (size_t i = 0; i + 1 < n; i++)
        d->ckeys[i] = rp_mix64(d->ckeys[i] ^ rp_mix64(d->ckeys[i + 1]));
    d->nckeys = n > 1 ? (uint32_t)(n - 1) : 0;
    uint64_t *fit = realloc(d->ckeys, ((size_t)d->nckeys + 1) * sizeof *fit);
    if (fit) /* else the larger block serves */
        d->ckeys = fit;
    return RP_OK;
}

/* pairs of documents sharing a candidate key, counted once each */
static int shingle_pairs(tjob *j, uint64_t **out, size_t *count)
{
    uint64_t *pairs = NULL;
    size_t np = 0, npairs = 0;
    int rc = RP_OK;
    for (size_t d = 0; d < j->ndocs; d++)
        np += j->docs[d].nckeys;
    rp_posting *post = malloc((np + 1) * sizeof *post);
    if (!post)
        return RP_ENOMEM;
    np = 0;
    for (size_t d = 0; d < j->ndocs; d++) {
        tdoc *x = &j->docs[d];
        for (uint32_t i = 0; i < x->nckeys; i++) {
            post[np].key = x->ckeys[i];
            post[np].val = (uint32_t)d;
            np++;
        }
        free(x->ckeys); /* needed no more */
        x->ckeys = NULL;
        x->nckeys = 0;
    }
    if (np) {
        np = distinct_postings(post, np);
        rc = key_pairs(j, post, np, &pairs, &npairs);
    }
    free(post);
    if (rc != RP_OK) {
        free(pairs);
        return rc;
    }
    *out = pairs;
    *count = rp_pairs_counted(pairs, npairs, 1);
    return RP_OK;
}

/* The two sources of candidates at once, on two threads when there are:
 * they read and write different members of the documents (the candidate
 * keys; the content words) and nothing else they share. */
typedef struct sources {
    tjob *j;
    uint64_t *pairs[2];
    size_t n[2];
    int rc[2];
} sources;

static void source_task(void *ctx, size_t i, size_t worker)
{
    (void)worker;
    sources *s = ctx;
    s->rc[i] = i == 0 ? shingle_pairs(s->j, &s->pairs[0], &s->n[0])
                      : word_pairs(s->j, &s->pairs[1], &s->n[1]);
}

int rp__trace_candidates(tjob *j, uint64_t **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    sources s;
    memset(&s, 0, sizeof s);
    s.j = j;
    rp_parallel_for(j->o->threads > 1 ? 2 : 1, 2, source_task, &s);
    int rc = s.rc[0] != RP_OK ? s.rc[0] : s.rc[1];
    uint64_t *pairs = s.pairs[0];
    size_t w = s.n[0];
    if (rc == RP_OK) {
        /* the union of both */
        uint64_t *u = realloc(pairs, (w + s.n[1] + 1) * sizeof *u);
        if (!u) {
            rc = RP_ENOMEM;
        } else {
            pairs = u;
            if (s.n[1])
                memcpy(pairs + w, s.pairs[1], s.n[1] * sizeof *pairs);
            w = rp_sort_unique_u64(pairs, w + s.n[1]);
        }
    }
    free(s.pairs[1]);
    if (rc != RP_OK) {
        free(pairs);
        return rc;
    }
    *out = pairs;
    *count = w;
    j->st->candidate_pairs = w;
    return RP_OK;
}

/* ---- comparing one pair ---------------------------------------------------------- */

static int junk(uint64_t h) { return (int)(h & 1); }

#define ORDER_MIN 16

/* is word w of d in its author's signature (rp__trace_signatures)? */
static int word_in_signature(const tdoc *d, uint32_t w)
{
    for (uint32_t i = 0; i < d->nsigw; i += 2)
        if (w >= d->sigw[i] && w < d->sigw[i + 1])
            return 1;
    return 0;
}

/* content words of d counted by word_sim: all, or those first seen
 * outside its signature */
static size_t cw_count(const tdoc *d, int no_sig)
{
    if (!no_sig || !d->nsigw)
        return d->ncw;
    size_t n = 0;
    for (uint32_t i = 0; i < d->ncw; i++)
        n += !word_in_signature(d, d->cwpos[i]);
    return n;
}

/* Jaccard of two documents' content-word sets, and the share of the
 * shared words that stand in the same order in both (the longest
 * increasing run of b's positions taken in a's order); with no_sig,
 * without the words first seen in a signature */
int rp__trace_word_sim(const tdoc *a, const tdoc *b, int no_sig, double *jac,
                       double *order)
{
    size_t i = 0, k = 0, n = 0;
    size_t cap = a->ncw < b->ncw ? a->ncw : b->ncw;
    uint64_t *pp = malloc((cap + 1) * sizeof *pp);
    uint32_t *tail = malloc((cap + 1) * sizeof *tail);
    if (!pp || !tail) {
        free(pp);
        free(tail);
        return -1;
    }
    while (i < a->ncw && k < b->ncw) {
        if (no_sig && word_in_signature(a, a->cwpos[i]))
            i++;
        else if (no_sig && word_in_signature(b, b->cwpos[k]))
            k++;
        else if (a->cw[i] < b->cw[k])
            i++;
        else if (a->cw[i] > b->cw[k])
            k++;
        else {
            pp[n++] = (uint64_t)a->cwpos[i] << 32 | b->cwpos[k];
            i++;
            k++;
        }
    }
    size_t uni = cw_count(a, no_sig) + cw_count(b, no_sig) - n;
    *jac = uni ? (double)n / (double)uni : 0;
    *order = 0;
    if (n >= ORDER_MIN) {
        rp_sort_u64(pp, n);
        size_t len = 0; /* patience: tail[l] = smallest end of a run l+1 */
        for (size_t x = 0; x < n; x++) {
            uint32_t v = (uint32_t)pp[x];
            size_t lo = 0, hi = len;
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (tail[mid] < v)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            tail[lo] = v;
            if (lo == len)
                len++;
        }
        /* in order, and where the other has it: the shared words near
           the diagonal of the two texts (relative places within 0.15) */
        size_t near = 0;
        for (size_t x = 0; x < n; x++) {
            double ra = (double)(pp[x] >> 32) / (a->ntok ? a->ntok : 1);
            double rb = (double)(uint32_t)pp[x] / (b->ntok ? b->ntok : 1);
            near += ra - rb < 0.15 && rb - ra < 0.15;
        }
        double lis = (double)len / (double)n, diag = (double)near / n;
        *order = lis < diag ? lis : diag;
    }
    free(pp);
    free(tail);
    return 0;
}

static int cmp_u64pair(const void *x, const void *y)
{
    const uint64_t *a = x, *b = y;
    return a[0] < b[0] ? -1 : a[0] > b[0];
}

/* words of a document inside the union of token intervals iv[2n] */
uint32_t rp__trace_covered(uint64_t *iv, size_t n)
{
    if (n > 1)
        qsort(iv, n, 2 * sizeof *iv, cmp_u64pair);
    uint64_t total = 0, lo = 0, hi = 0;
    int open = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t s = iv[2 * i], e = iv[2 * i + 1];
        if (open && s <= hi) {
            if (e > hi)
                hi = e;
            continue;
        }
        if (open)
            total += hi - lo;
        lo = s;
        hi = e;
        open = 1;
    }
    if (open)
        total += hi - lo;
    return (uint32_t)total;
}

/* does d break a line between the end of shingle `last` and the start of
 * shingle `next`? */
static int breaks(const tdoc *d, uint32_t k, uint32_t last, uint32_t next)
{
    uint32_t t = last + k - 1 < d->ntok ? last + k - 1 : d->ntok - 1;
    return rp__trace_line_of(d, d->tok[2 * t + 1]) != rp__trace_line_of(d, d->tok[2 * next]);
}

/* Segments that follow each other in both texts with at most `gap`
 * shingles between them are one passage: a reference inserted into a
 * quotation ("1 Tim. 2. 2."), a clause paraphrased, a line of OCR junk
 * does not cut it in two. Not when one text breaks the line there and the
 * other does not: that is a splice, evidence of direction, kept as two.
 * Segments come sorted by a_first. */
static void merge_segments(tcompare *r, const tdoc *a, const tdoc *b,
                           uint32_t k, uint32_t gap)
{
    size_t w = 0;
    for (size_t i = 0; i < r->nseg; i++) {
        rp_segment *s = &r->seg[i];
        if (w > 0) {
            rp_segment *p = &r->seg[w - 1];
            if (s->a_first > p->a_last && s->b_first > p->b_last &&
                s->a_first - p->a_last <= gap &&
                s->b_first - p->b_last <= gap &&
                breaks(a, k, p->a_last, s->a_first) ==
                    breaks(b, k, p->b_last, s->b_first)) {
                p->a_last = s->a_last;
                p->b_last = s->b_last;
                p->anchors += s->anchors;
                continue;
            }
        }
        r->seg[w++] = *s;
    }
    r->nseg = w;
}

/* the distinct figures (words holding a digit) of d inside the word
 * ranges of its passages, sorted; count in *n. out has room for d->nnum,
 * iv for 2 * nseg: the ranges are merged first (they may overlap on one
 * side), so each figure is taken once. */
static void figures_in(const tdoc *d, const rp_segment *seg, size_t nseg,
                       int side_b, uint32_t k, uint64_t *out, size_t *n,
                       uint64_t *iv)
{
    *n = 0;
    for (size_t s = 0; s < nseg; s++) {
        iv[2 * s] = side_b ? seg[s].b_first : seg[s].a_first;
        iv[2 * s + 1] = (uint64_t)(side_b ? seg[s].b_last : seg[s].a_last) + k;
    }
    if (nseg > 1)
        qsort(iv, nseg, 2 * sizeof *iv, cmp_u64pair);
    uint64_t done = 0; /* words before this are taken */
    for (size_t s = 0; s < nseg; s++) {
        uint64_t lo = iv[2 * s] > done ? iv[2 * s] : done, hi = iv[2 * s + 1];
        if (lo >= hi)
            continue;
        size_t l = 0, h = d->nnum; /* first figure at or after lo */
        while (l < h) {
            size_t mid = l + (h - l) / 2;
            if ((uint32_t)d->num[mid] < lo)
                l = mid + 1;
            else
                h = mid;
        }
        for (; l < d->nnum && (uint32_t)d->num[l] < hi; l++)
            out[(*n)++] = d->num[l] >> 32;
        done = hi;
    }
    rp_sort_u64(out, *n);
    size_t w = 0;
    for (size_t i = 0; i < *n; i++)
        if (w == 0 || out[w - 1] != out[i])
            out[w++] = out[i];
    *n = w;
}

/* FIGURES_MIN or more figures on each side of the passages and fewer than
 * half of them shared: one wording filled with other figures (a weekly
 * money-supply report, a bond issue, a results table), a template, not a
 * copy. A corrected or updated copy changes a figure or two and keeps the
 * rest. */
#define FIGURES_MIN 3
/* ... unless the two texts share this much of their shingles: a near copy
 * whatever its figures (a total restated, "2,000" written "2000") */
#define NEAR_COPY 0.5

/* figures shared by the sorted, distinct fa[0, na) and fb[0, nb) */
static size_t figures_shared(const uint64_t *fa, size_t na, const uint64_t *fb,
                             size_t nb)
{
    size_t i = 0, x = 0, shared = 0;
    while (i < na && x < nb) {
        if (fa[i] == fb[x]) {
            shared++;
            i++;
            x++;
        } else if (fa[i] < fb[x]) {
            i++;
        } else {
            x++;
        }
    }
    return shared;
}

/* FIGURES_MIN or more figures on each side, fewer than half of all of
 * them shared */
static int figures_differ(const uint64_t *fa, size_t na, const uint64_t *fb,
                          size_t nb)
{
    if (na < FIGURES_MIN || nb < FIGURES_MIN)
        return 0;
    size_t shared = figures_shared(fa, na, fb, nb);
    return 2 * shared < na + nb - shared;
}

static int other_figures(const tdoc *a, const tdoc *b, const tcompare *r,
                         uint32_t k, int *figures)
{
    *figures = 0;
    if (a->nnum < FIGURES_MIN || b->nnum < FIGURES_MIN)
        return RP_OK;
    uint64_t *fa = malloc(((size_t)a->nnum + b->nnum + 2 * r->nseg + 1) *
                          sizeof *fa);
    if (!fa)
        return RP_ENOMEM;
    uint64_t *fb = fa + a->nnum, *iv = fb + b->nnum;
    size_t na, nb;
    figures_in(a, r->seg, r->nseg, 0, k, fa, &na, iv);
    figures_in(b, r->seg, r->nseg, 1, k, fb, &nb, iv);
    *figures = figures_differ(fa, na, fb, nb);
    free(fa);
    return RP_OK;
}

typedef struct cmp_ctx {
    tjob *j;
    const uint64_t *pairs;
    tcompare *res;
    int failed;
} cmp_ctx;

/* documents with this many shingles get a bit table */
#define BITS_MIN 256

static uint64_t bit_of(const tdoc *d, uint64_t h)
{
    return (h >> 20 ^ h >> 44) & d->bits_mask;
}

int rp__trace_bits(tdoc *d)
{
    if (d->nsh < BITS_MIN)
        return RP_OK;
    uint64_t nbits = 64;
    while (nbits < 8 * (uint64_t)d->nsh)
        nbits *= 2;
    d->bits = calloc(nbits / 64, sizeof *d->bits);
    if (!d->bits)
        return RP_ENOMEM;
    d->bits_mask = nbits - 1;
    for (uint32_t s = 0; s < d->nsh; s++) {
        uint64_t b = bit_of(d, d->sh[s]);
        d->bits[b / 64] |= 1ULL << (b % 64);
    }
    return RP_OK;
}

/* sift the shorter text's entries when the other has this many times
 * more */
#define SIFT_RATIO 8

/* the entries of s's index whose value may be in l (l's bit table): the
 * others cannot anchor, so aligning with them gives the same result */
static rp_align_entry *sift(const tdoc *s, const tdoc *l, size_t *n)
{
    rp_align_entry *out = malloc(((size_t)s->nsh + 1) * sizeof *out);
    *n = 0;
    if (!out)
        return NULL;
    for (uint32_t x = 0; x < s->nsh; x++) {
        uint64_t b = bit_of(l, s->idx[x].h);
        if (l->bits[b / 64] >> (b % 64) & 1)
            out[(*n)++] = s->idx[x];
    }
    return out;
}

static void compare_one(void *arg, size_t i, size_t worker)
{
    (void)worker;
    cmp_ctx *c = arg;
    const tjob *j = c->j;
    tcompare *r = &c->res[i];
    uint32_t da = (uint32_t)(c->pairs[i] >> 32), db = (uint32_t)c->pairs[i];
    const tdoc *a = &j->docs[da], *b = &j->docs[db];
    const uint32_t k = j->k;
    const uint32_t min_sh = j->o->min_tokens > k ? j->o->min_tokens - k + 1
                                                 : 1;
    memset(r, 0, sizeof *r);
    r->a = da;
    r->b = db;
    size_t inter = 0;
    const rp_align_entry *ai = a->idx, *bi = b->idx;
    size_t na = a->nsh, nb = b->nsh;
    rp_align_entry *sifted = NULL;
    /* a short text against a long one; two of like length walk both
       indices in order, cheaper than a probe per entry */
    int sift_a = b->bits && nb >= SIFT_RATIO * na;
    int sift_b = !sift_a && a->bits && na >= SIFT_RATIO * nb;
    if (sift_a)
        ai = sifted = sift(a, b, &na);
    else if (sift_b)
        bi = sifted = sift(b, a, &nb);
    if ((sift_a || sift_b) && !sifted) {
        c->failed = 1;
        return;
    }
    int rc = rp_align_join(&r->seg, &r->nseg, &inter, ai, na, bi, nb, junk,
                           j->o->max_gap, min_sh);
    free(sifted);
    if (rc) {
        c->failed = 1;
        return;
    }
    if (rp__trace_word_sim(a, b, 0, &r->words, &r->order)) {
        c->failed = 1;
        return;
    }
    r->inter = (uint32_t)inter;
    size_t uni = a->nset + b->nset - inter;
    r->jaccard = uni ? (double)inter / (double)uni : 0;
    r->a_in_b = a->nset ? (double)inter / (double)a->nset : 0;
    r->b_in_a = b->nset ? (double)inter / (double)b->nset : 0;
    r->text_figures = (uint8_t)(r->jaccard < NEAR_COPY &&
                                figures_differ(a->figs, a->nfigs, b->figs,
                                               b->nfigs));
    if (r->nseg == 0)
        return;
    merge_segments(r, a, b, k, 2 * j->o->max_gap);
    uint64_t *iv = malloc(4 * r->nseg * sizeof *iv);
    if (!iv) {
        c->failed = 1;
        return;
    }
    for (size_t s = 0; s < r->nseg; s++) {
        iv[2 * s] = r->seg[s].a_first;
        iv[2 * s + 1] = (uint64_t)r->seg[s].a_last + k;
        iv[2 * r->nseg + 2 * s] = r->seg[s].b_first;
        iv[2 * r->nseg + 2 * s + 1] = (uint64_t)r->seg[s].b_last + k;
    }
    uint32_t ca = rp__trace_covered(iv, r->nseg);
    uint32_t cb = rp__trace_covered(iv + 2 * r->nseg, r->nseg);
    free(iv);
    r->shared_words = ca < cb ? ca : cb;
    r->cov_a = a->nreal ? (double)(ca < a->nreal ? ca : a->nreal) / a->nreal
                        : 0;
    r->cov_b = b->nreal ? (double)(cb < b->nreal ? cb : b->nreal) / b->nreal
                        : 0;
    int figures = 0;
    if (r->jaccard < NEAR_COPY && other_figures(a, b, r, k, &figures)) {
        c->failed = 1;
        return;
    }
    if (figures) { /* no passage, a link of its own kind */
        r->figures = 1;
        free(r->seg);
        r->seg = NULL;
        r->nseg = 0;
        r->cov_a = r->cov_b = 0;
        r->shared_words = 0;
    }
}

int rp__trace_compare(tjob *j, const uint64_t *pairs, size_t n,
                      tcompare **out)
{
    *out = calloc(n + 1, sizeof **out);
    if (!*out)
        return RP_ENOMEM;
    cmp_ctx c = {j, pairs, *out, 0};
    rp__progress_parallel(&j->pr, j->o->threads, n, compare_one, &c);
    return c.failed ? RP_ENOMEM : RP_OK;
}

double rp__trace_link_score(const tcompare *c)
{
    /* how much of the smaller text lies in shared passages, or, when that
       says more, the mean overlap of the two texts' shingles and content
       words (scattered, reworded or translated reuse) */
    double cov = c->cov_a < c->cov_b ? c->cov_a : c->cov_b;
    double sets = (c->jaccard + c->words) / 2;
    return cov > sets ? cov : sets;
}
