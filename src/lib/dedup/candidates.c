/*
 * candidates.c - keep order (ranks) and LSH candidate pairs of one level.
 */
#include "job.h"

#include "reprint/date.h"

#include "../../util/sort.h"

#include <stdlib.h>

/* Does document a come before b in keep order? */
static int keep_before(const void *ctx, uint32_t a, uint32_t b)
{
    const job *j = ctx;
    const doc *x = &j->docs[a], *y = &j->docs[b];
    int c = 0;
    if (j->o->keep == RP_KEEP_EARLIEST)
        c = rp_date_cmp(&x->date, &y->date);
    else if (j->o->keep == RP_KEEP_LONGEST)
        c = x->text_len > y->text_len ? -1 : x->text_len < y->text_len;
    if (c == 0)
        c = a < b ? -1 : a > b;
    return c < 0;
}

/* Ranks in keep order: documents by the keep policy, paragraph units by
 * their document's rank, then by position in the document. */
int rp__dedup_rank(job *j)
{
    size_t nd = j->ndocs;
    uint32_t *order = malloc((nd + 1) * sizeof *order);
    uint32_t *tmp = malloc((nd + 1) * sizeof *tmp);
    j->doc_rank = malloc((nd + 1) * sizeof *j->doc_rank);
    j->unit_rank = malloc((j->nunits + 1) * sizeof *j->unit_rank);
    int rc = RP_ENOMEM;
    if (order && tmp && j->doc_rank && j->unit_rank) {
        for (size_t d = 0; d < nd; d++)
            order[d] = (uint32_t)d;
        rp_sort_indices(order, tmp, nd, keep_before, j);
        uint32_t next = 0;
        for (size_t r = 0; r < nd; r++) {
            const doc *dc = &j->docs[order[r]];
            j->doc_rank[order[r]] = (uint32_t)r;
            for (uint32_t u = 0; u < dc->nunits; u++)
                j->unit_rank[dc->unit_first + u] = next++;
        }
        rc = RP_OK;
    }
    free(order);
    free(tmp);
    return rc;
}

/*
 * Candidate pairs of one level. Documents without a token take no part;
 * nor do paragraphs of documents already removed as a whole, and two
 * paragraphs of one document are never paired.
 */
int rp__dedup_candidates(job *j, int units, rp_pair **out, size_t *count,
                         rp_error *err)
{
    size_t n = units ? j->nunits : j->ndocs;
    uint8_t *skip = calloc(n + 1, 1);
    if (!skip)
        return RP_ENOMEM;
    for (size_t i = 0; i < n; i++)
        skip[i] = units ? j->doc_leader[j->unit_doc[i]] != RP_KEPT
                        : j->docs[i].ntokens == 0;
    size_t capped = 0;
    int rc;
    if (j->remote) { /* a run over ranks: the keys are there */
        rc = rp__dist_lsh_candidates(j, units, skip, out, count, &capped, err);
    } else if (j->spill[units]) {
        /* spilled (--memory): streamed band by band */
        rp_lsh_source src;
        rp__dedup_keys_source(j, units, &src);
        rc = rp_lsh_candidates_stream(out, count, &src, skip,
                                      units ? j->unit_rank : j->doc_rank, n,
                                      units ? j->pl.bands : j->dl.bands,
                                      j->o->max_bucket, j->o->threads,
                                      &capped);
        rc = rp__spill_error(j->spill[units], rc, err);
    } else {
        rc = rp_lsh_candidates(out, count, units ? j->unit_keys : j->doc_keys,
                               skip, units ? j->unit_rank : j->doc_rank, n,
                               units ? j->pl.bands : j->dl.bands,
                               j->o->max_bucket, j->o->threads, &capped);
    }
    free(skip);
    j->st->capped_buckets += capped;
    if (rc == RP_OK && units) {
        size_t w = 0;
        for (size_t i = 0; i < *count; i++)
            if (j->unit_doc[(*out)[i].a] != j->unit_doc[(*out)[i].b])
                (*out)[w++] = (*out)[i];
        *count = w;
    }
    if (units)
        j->st->para_candidates = *count;
    else
        j->st->doc_candidates = *count;
    return rc;
}
