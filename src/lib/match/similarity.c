/*
 * similarity.c - rp_similarity(): two texts in, how much they share out.
 * No new algorithm: the stages dedup and trace are built from, in order.
 *
 *   text a --normalize--> words --shingle--> seq A (k-shingle hashes)
 *   text b --normalize--> words --shingle--> seq B
 *   sets      rp_set_make(copy of A), (of B); rp_set_jaccard() -> shared
 *   passages  rp_align(A, B): runs of shared shingles on near diagonals,
 *             edits up to max_gap; a passage of n shingles covers
 *             n + k - 1 words; words covered by any passage are counted
 *             once (a byte mask per text)
 *
 * Cost: O(n log n) in the words of both texts; memory a few words of
 * 8 bytes per word.
 */
#include "reprint/similarity.h"

#include "reprint/record.h"        /* rp_utf8_valid_prefix */
#include "reprint/sys/align.h"     /* rp_align */
#include "reprint/sys/normalize.h" /* rp_normalize */
#include "reprint/sys/shingle.h"   /* rp_shingle_hashes */
#include "reprint/sys/verify.h"    /* rp_set_make, rp_set_jaccard */

#include <stdlib.h>
#include <string.h>

typedef struct side {
    uint64_t *seq;   /* shingle hashes in text order */
    size_t nseq;
    uint64_t *set;   /* the same, sorted, repeats dropped */
    size_t nset;
    size_t words;
    unsigned char *covered; /* one byte per word */
} side;

static void side_free(side *s)
{
    free(s->seq);
    free(s->set);
    free(s->covered);
}

static int side_make(side *s, rp_normalizer *n, const char *text, size_t len,
                     uint32_t k)
{
    const rp_token *tok = NULL;
    size_t ntok = 0;
    if (len && rp_utf8_valid_prefix(text, len) != len)
        return RP_EFORMAT;
    int rc = len ? rp_normalize(n, &tok, &ntok, text, len) : RP_OK;
    if (rc != RP_OK)
        return rc;
    if (ntok > UINT32_MAX)
        return RP_ETOOBIG;
    s->words = ntok;
    s->nseq = rp_shingle_count(ntok, k);
    if (s->nseq == 0)
        return RP_OK;
    s->seq = malloc(s->nseq * sizeof *s->seq);
    s->set = malloc(s->nseq * sizeof *s->set);
    s->covered = calloc(ntok, 1);
    if (!s->seq || !s->set || !s->covered)
        return RP_ENOMEM;
    rp_shingle_hashes(s->seq, tok, ntok, k);
    memcpy(s->set, s->seq, s->nseq * sizeof *s->seq);
    s->nset = rp_set_make(s->set, s->nseq);
    return RP_OK;
}

/* Mark words [first, last + k - 1] of s (shingle indices, inclusive);
 * return how many were not marked before. */
static size_t cover(side *s, uint32_t first, uint32_t last, uint32_t k)
{
    size_t end = (size_t)last + k; /* one past the last word */
    if (end > s->words)
        end = s->words;
    size_t fresh = 0;
    for (size_t i = first; i < end; i++) {
        fresh += !s->covered[i];
        s->covered[i] = 1;
    }
    return fresh;
}

static double ratio(size_t num, size_t den)
{
    return den ? (double)num / (double)den : 0.0;
}

int rp_similarity(rp_similarity_result *out, const char *a, size_t alen,
                  const char *b, size_t blen,
                  const rp_similarity_options *opts)
{
    static const rp_similarity_options defaults = RP_SIMILARITY_OPTIONS_INIT;
    if (!out || out->version != RP_SIMILARITY_RESULT_VERSION)
        return RP_EINVAL;
    memset(out, 0, sizeof *out);
    out->version = RP_SIMILARITY_RESULT_VERSION;
    if (!opts)
        opts = &defaults;
    if (opts->version != RP_SIMILARITY_OPTIONS_VERSION || opts->shingle == 0 ||
        (!a && alen) || (!b && blen))
        return RP_EINVAL;
    const uint32_t k = opts->shingle;
    side sa, sb;
    memset(&sa, 0, sizeof sa);
    memset(&sb, 0, sizeof sb);
    rp_segment *seg = NULL;
    size_t nseg = 0;
    rp_normalizer *n = NULL;
    int rc = rp_normalizer_new(&n, 0, 0);
    if (rc == RP_OK)
        rc = side_make(&sa, n, a, alen, k);
    if (rc == RP_OK)
        rc = side_make(&sb, n, b, blen, k);
    size_t shared = 0;
    if (rc == RP_OK) {
        out->jaccard = rp_set_jaccard(sa.set, sa.nset, sb.set, sb.nset,
                                      &shared);
        /* a passage of min_words words holds min_words - k + 1 shingles */
        uint32_t min_sh = opts->min_words > k ? opts->min_words - k + 1 : 1;
        if (sa.nseq && sb.nseq)
            rc = rp_align(&seg, &nseg, sa.seq, sa.nseq, sb.seq, sb.nseq,
                          opts->max_gap, min_sh);
    }
    if (rc == RP_OK) {
        for (size_t i = 0; i < nseg; i++) {
            uint32_t wa = seg[i].a_last - seg[i].a_first + k;
            uint32_t wb = seg[i].b_last - seg[i].b_first + k;
            if (wa < opts->min_words && wb < opts->min_words)
                continue; /* a short text's only shingle: no passage */
            out->passages++;
            out->covered_a += (uint32_t)cover(&sa, seg[i].a_first,
                                              seg[i].a_last, k);
            out->covered_b += (uint32_t)cover(&sb, seg[i].b_first,
                                              seg[i].b_last, k);
        }
        out->words_a = (uint32_t)sa.words;
        out->words_b = (uint32_t)sb.words;
        out->shingles_a = (uint32_t)sa.nset;
        out->shingles_b = (uint32_t)sb.nset;
        out->shared_shingles = (uint32_t)shared;
        out->containment_a = ratio(shared, sa.nset);
        out->containment_b = ratio(shared, sb.nset);
        out->coverage_a = ratio(out->covered_a, sa.words);
        out->coverage_b = ratio(out->covered_b, sb.words);
    } else {
        memset(out, 0, sizeof *out);
        out->version = RP_SIMILARITY_RESULT_VERSION;
    }
    free(seg);
    side_free(&sa);
    side_free(&sb);
    rp_normalizer_free(n);
    return rc;
}
