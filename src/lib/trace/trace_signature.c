/*
 * trace_signature.c - authors' signatures, read pair by pair on the
 * compared segments (rp__trace_signatures; the rule is described below).
 */
#include "trace_job.h"

#include <stdlib.h>
#include <string.h>

/* ---- authors' signatures ------------------------------------------------------ */

/*
 * One author's signature is text at the tail of two of his documents, a
 * small part of each (trace_evidence.c reads a wider rule on whole
 * passages, where a signature that chains into other text, or that
 * replies quote, escapes it). Read here pair by pair, on the segments
 * themselves:
 *
 *   found      two documents by one author (the author key), or by two
 *              at one e-mail host (a site's footer), share a
 *              segment at the tail of both (within a tenth, or 500
 *              bytes), under half of the words of each, carried alike
 *              in both: own text in both, no word of it quoted, or on
 *              quoting lines that end both texts (a signature drawn in
 *              '|' boxes). Text quoted in one and not the other is a
 *              reply; text both quote, or at their heads, is two
 *              replies to one post: never a signature. The segment's
 *              word range becomes part of each document's signature.
 *   quoted     a reply that quotes a signature so found (half of the
 *              segment in the other's signature, on quoted lines in the
 *              reply only) holds a copy of it: that range of the reply
 *              is a signature too (one step, not followed further).
 *   discounted in every compared pair, a segment with half of its words
 *              in either document's signature is marked (tcompare.sig):
 *              it adds no coverage and no shared words, its shingles
 *              leave the Jaccard and containment, the content words
 *              first seen in a signature leave the pair's content-word
 *              measures, and it makes no link
 *              (trace_evidence.c pair_links). It stays a passage.
 *
 * So two posts by one author that share only a signature are not reuse,
 * nor is a reply quoting an author's signature and another post of his
 * carrying it, nor two replies that each quote it. Sequential passes
 * over the pairs' segments (after the parallel comparison, before the
 * passages); a document's signature is a few merged ranges.
 */

/* the word range [*w0, *w1) of segment g on side b (0: a) */
static void seg_words(const tdoc *d, const rp_segment *g, int side_b,
                      uint32_t k, uint32_t *w0, uint32_t *w1)
{
    *w0 = side_b ? g->b_first : g->a_first;
    uint64_t e = (uint64_t)(side_b ? g->b_last : g->a_last) + k;
    *w1 = e < d->ntok ? (uint32_t)e : d->ntok;
}

/* where the word range is in d: 1 at the head, 2 at the tail (within a
 * tenth, or 500 bytes), 3 both (a short text), 0 inside */
static int words_at_edge(const tdoc *d, uint32_t w0, uint32_t w1)
{
    if (w1 <= w0)
        return 0;
    uint32_t reach = d->text_len / 10 > 500 ? d->text_len / 10 : 500;
    uint32_t s = d->tok[2 * w0], e = d->tok[2 * (w1 - 1) + 1];
    return (s <= reach) | ((uint64_t)e + reach >= d->text_len) << 1;
}

/* how the word range is carried: 0 all own text, 1 half or more on
 * quoting lines at the very end of d (a '|' box), 2 otherwise */
static int words_carried(const tdoc *d, uint32_t w0, uint32_t w1)
{
    uint32_t q = 0;
    for (uint32_t t = w0; t < w1; t++)
        q += (d->tflag[t] & RT_QUOTED) != 0;
    if (q == 0)
        return 0;
    return 2 * q >= w1 - w0 && w1 + 3 >= d->ntok ? 1 : 2;
}

static int push_range(tdoc *d, uint32_t *cap, uint32_t w0, uint32_t w1)
{
    if (d->nsigw + 2 > *cap) {
        uint32_t nc = *cap ? 2 * *cap : 8;
        uint32_t *n = realloc(d->sigw, (size_t)nc * sizeof *n);
        if (!n)
            return RP_ENOMEM;
        d->sigw = n;
        *cap = nc;
    }
    d->sigw[d->nsigw++] = w0;
    d->sigw[d->nsigw++] = w1;
    return RP_OK;
}

static int cmp_u32pair(const void *x, const void *y)
{
    const uint32_t *a = x, *b = y;
    if (a[0] != b[0])
        return a[0] < b[0] ? -1 : 1;
    return a[1] < b[1] ? -1 : a[1] > b[1];
}

/* sort and merge d's signature ranges */
static void merge_ranges(tdoc *d)
{
    if (d->nsigw < 4)
        return;
    qsort(d->sigw, d->nsigw / 2, 2 * sizeof *d->sigw, cmp_u32pair);
    uint32_t w = 0;
    for (uint32_t i = 0; i < d->nsigw; i += 2) {
        if (w > 0 && d->sigw[i] <= d->sigw[w - 1]) {
            if (d->sigw[i + 1] > d->sigw[w - 1])
                d->sigw[w - 1] = d->sigw[i + 1];
            continue;
        }
        d->sigw[w++] = d->sigw[i];
        d->sigw[w++] = d->sigw[i + 1];
    }
    d->nsigw = w;
}

/* does half of the word range lie in d's signature? */
static int in_signature(const tdoc *d, uint32_t w0, uint32_t w1)
{
    uint32_t in = 0;
    for (uint32_t i = 0; i < d->nsigw; i += 2) {
        uint32_t s = d->sigw[i] > w0 ? d->sigw[i] : w0;
        uint32_t e = d->sigw[i + 1] < w1 ? d->sigw[i + 1] : w1;
        if (e > s)
            in += e - s;
    }
    return w1 > w0 && 2 * in >= w1 - w0;
}

/* the measures of c without its signature segments */
static int discount(const tjob *j, tcompare *c)
{
    const tdoc *a = &j->docs[c->a], *b = &j->docs[c->b];
    const uint32_t k = j->k;
    uint64_t *iv = malloc((4 * c->nseg + 1) * sizeof *iv);
    if (!iv)
        return RP_ENOMEM;
    size_t n = 0;
    uint64_t gone = 0;
    for (size_t s = 0; s < c->nseg; s++) {
        const rp_segment *g = &c->seg[s];
        if (c->sig[s]) {
            uint32_t la = g->a_last - g->a_first + 1;
            uint32_t lb = g->b_last - g->b_first + 1;
            gone += la < lb ? la : lb;
            continue;
        }
        iv[2 * n] = g->a_first;
        iv[2 * n + 1] = (uint64_t)g->a_last + k;
        iv[2 * c->nseg + 2 * n] = g->b_first;
        iv[2 * c->nseg + 2 * n + 1] = (uint64_t)g->b_last + k;
        n++;
    }
    uint32_t ca = rp__trace_covered(iv, n);
    uint32_t cb = rp__trace_covered(iv + 2 * c->nseg, n);
    free(iv);
    c->shared_words = ca < cb ? ca : cb;
    c->cov_a = a->nreal ? (double)(ca < a->nreal ? ca : a->nreal) / a->nreal
                        : 0;
    c->cov_b = b->nreal ? (double)(cb < b->nreal ? cb : b->nreal) / b->nreal
                        : 0;
    uint64_t inter = c->inter, na = a->nset, nb = b->nset;
    if (gone > inter)
        gone = inter;
    inter -= gone;
    na -= gone < na ? gone : na;
    nb -= gone < nb ? gone : nb;
    uint64_t uni = na + nb - inter;
    c->inter = (uint32_t)inter;
    c->jaccard = uni ? (double)inter / (double)uni : 0;
    c->a_in_b = na ? (double)inter / (double)na : 0;
    c->b_in_a = nb ? (double)inter / (double)nb : 0;
    return rp__trace_word_sim(a, b, 1, &c->words, &c->order) ? RP_ENOMEM : RP_OK;
}

/* one author (the author key), or two e-mail addresses at one host: a
 * site's footer (a BBS gateway's, a company's disclaimer) is its users'
 * signature */
static int same_sender(const tdoc *a, const tdoc *b)
{
    if (!a->author[0] || !b->author[0])
        return 0;
    if (strcmp(a->author, b->author) == 0)
        return 1;
    const char *ha = strchr(a->author, '@'), *hb = strchr(b->author, '@');
    return ha && hb && ha[1] && strcmp(ha, hb) == 0;
}

int rp__trace_signatures(tjob *j)
{
    const uint32_t k = j->k;
    uint32_t *cap = calloc(j->ndocs + 1, sizeof *cap);
    if (!cap)
        return RP_ENOMEM;
    int rc = RP_OK;
    for (size_t i = 0; i < j->ncmp && rc == RP_OK; i++) {
        const tcompare *c = &j->cmp[i];
        tdoc *a = &j->docs[c->a], *b = &j->docs[c->b];
        if (!same_sender(a, b))
            continue;
        for (size_t s = 0; s < c->nseg && rc == RP_OK; s++) {
            uint32_t a0, a1, b0, b1;
            seg_words(a, &c->seg[s], 0, k, &a0, &a1);
            seg_words(b, &c->seg[s], 1, k, &b0, &b1);
            int qa = words_carried(a, a0, a1), qb = words_carried(b, b0, b1);
            if (qa != qb || qa == 2 ||
                !(words_at_edge(a, a0, a1) & words_at_edge(b, b0, b1) & 2) ||
                2 * (uint64_t)(a1 - a0) >= a->nreal ||
                2 * (uint64_t)(b1 - b0) >= b->nreal)
                continue;
            rc = push_range(a, &cap[c->a], a0, a1);
            if (rc == RP_OK)
                rc = push_range(b, &cap[c->b], b0, b1);
        }
    }
    for (size_t d = 0; d < j->ndocs && rc == RP_OK; d++)
        merge_ranges(&j->docs[d]);
    /* a reply quoting a signature: its quoted copy is a signature too
       (one step, from the ranges found above) */
    uint32_t *q = NULL;
    size_t nq = 0, qcap = 0;
    for (size_t i = 0; i < j->ncmp && rc == RP_OK; i++) {
        const tcompare *c = &j->cmp[i];
        const tdoc *a = &j->docs[c->a], *b = &j->docs[c->b];
        if (c->nseg == 0 || (!a->nsigw && !b->nsigw))
            continue;
        for (size_t s = 0; s < c->nseg && rc == RP_OK; s++) {
            uint32_t a0, a1, b0, b1;
            seg_words(a, &c->seg[s], 0, k, &a0, &a1);
            seg_words(b, &c->seg[s], 1, k, &b0, &b1);
            int sa = in_signature(a, a0, a1), sb = in_signature(b, b0, b1);
            uint32_t t[3] = {c->b, b0, b1};
            if (sa && !sb && words_carried(b, b0, b1) != 0 &&
                words_carried(a, a0, a1) == 0) {
                /* b quotes a's signature */
            } else if (sb && !sa && words_carried(a, a0, a1) != 0 &&
                       words_carried(b, b0, b1) == 0) {
                t[0] = c->a;
                t[1] = a0;
                t[2] = a1;
            } else {
                continue;
            }
            for (int x = 0; x < 3 && rc == RP_OK; x++)
                if (RP_VEC_PUSH(q, nq, qcap, t[x]))
                    rc = RP_ENOMEM;
        }
    }
    for (size_t i = 0; i < nq && rc == RP_OK; i += 3)
        rc = push_range(&j->docs[q[i]], &cap[q[i]], q[i + 1], q[i + 2]);
    free(q);
    free(cap);
    for (size_t d = 0; d < j->ndocs && rc == RP_OK; d++)
        merge_ranges(&j->docs[d]);
    for (size_t i = 0; i < j->ncmp && rc == RP_OK; i++) {
        tcompare *c = &j->cmp[i];
        const tdoc *a = &j->docs[c->a], *b = &j->docs[c->b];
        if (c->nseg == 0 || (!a->nsigw && !b->nsigw))
            continue;
        int any = 0;
        for (size_t s = 0; s < c->nseg && rc == RP_OK; s++) {
            uint32_t a0, a1, b0, b1;
            seg_words(a, &c->seg[s], 0, k, &a0, &a1);
            seg_words(b, &c->seg[s], 1, k, &b0, &b1);
            if (!in_signature(a, a0, a1) && !in_signature(b, b0, b1))
                continue;
            if (!c->sig) {
                c->sig = calloc(c->nseg, 1);
                if (!c->sig) {
                    rc = RP_ENOMEM;
                    break;
                }
            }
            c->sig[s] = 1;
            any = 1;
        }
        if (any && rc == RP_OK)
            rc = discount(j, c);
    }
    return rc;
}
