/*
 * dist_verify.c - dedup's verification over the ranks of a process group
 * (issue 12): rank r verifies the candidate pairs whose first unit is in
 * its shard. Each rank reads its own shard's records once more (its .rps
 * names its files and records) for the details of its units that any
 * pair needs, and sends those of its units that a pair of another rank
 * holds to that rank: no rank reads another's shard or holds its tables.
 *
 *   rank 0 (a level's verification)             every rank
 *   bcast     the level                      -->
 *   bcast     each shard's first document and unit
 *   scatterv  the pairs, by the shard of their first unit (they come
 *             sorted by it, so each rank's are one run)  -->
 *                             alltoallv: the units of other shards its
 *                             pairs need, asked of their ranks
 *                             its shard's tables and, read once, the
 *                             details of its units in a pair or asked for
 *                             alltoallv: the asked units' shingles,
 *                             tokens and signatures, to who asked
 *                             its pairs verified
 *   gather    status                        <--
 *   gatherv   the verified pairs, in the order sent  <--
 *
 * Each pair is verified from the same shingles by the same function as in
 * one process (rp__dedup_verify_sides), so the results are the same, and
 * they come back in the order of the pairs.
 */
#include "dist_stage.h"

#include "../../util/parallel.h"
#include "../../util/sort.h"
#include "../common/error.h"

#include <stdlib.h>
#include <string.h>

/* A unit's side as sent: this header, then set, seq, tok pairs and the
 * signature, each 8-byte aligned. */
typedef struct wire {
    uint32_t unit; /* in the sender's shard */
    uint32_t has;  /* shingles follow (else content and span decide) */
    uint64_t content;
    uint32_t span[2];
    uint64_t nset, nseq, ntok;
} wire;

/* What one rank sent: its units (ascending) and their sides. */
typedef struct remote {
    uint32_t *unit;
    rp__side *side;
    size_t n;
} remote;

/* The verification of this rank's pairs, on the workers. */
typedef struct vjob {
    const job *own;
    const rp_pair *pairs;
    const size_t *shard;
    const remote *from; /* per rank */
    verified *out;
    int units;
    size_t me;
    const uint64_t *first; /* each shard's first unit */
} vjob;

static const rp__side *remote_side(const remote *r, uint32_t u)
{
    size_t lo = rp_lower_bound_u32(r->unit, r->n, u);
    return lo < r->n && r->unit[lo] == u ? &r->side[lo] : NULL;
}

static void verify_task(void *ctx, size_t i, size_t wid)
{
    (void)wid;
    const vjob *c = ctx;
    const rp_pair *p = &c->pairs[i];
    verified *v = &c->out[i];
    v->a = p->a;
    v->b = p->b;
    rp__side a, b;
    rp__dedup_side(c->own, (uint32_t)(p->a - c->first[c->me]), c->units, &a);
    size_t s = c->shard[i];
    uint32_t lb = (uint32_t)(p->b - c->first[s]);
    if (s == c->me) {
        rp__dedup_side(c->own, lb, c->units, &b);
    } else {
        const rp__side *r = remote_side(&c->from[s], lb);
        b = *r; /* every asked unit came (checked before) */
    }
    rp__dedup_verify_sides(c->own, &a, &b, v);
}

/* The shard holding unit u: first[s] <= u < first[s + 1]. */
static size_t shard_of(const uint64_t *first, size_t size, uint64_t u)
{
    size_t lo = 0, hi = size; /* first[lo] <= u < first[hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (first[mid] <= u)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Mark unit u of job j (a shard's, local number) as needed. */
static void mark(const job *j, uint32_t u, int units, uint8_t *need,
                 uint8_t *unit_need)
{
    if (units) {
        need[j->unit_doc[u]] = 1;
        unit_need[u] = 1;
    } else {
        need[u] = 1;
    }
}

/* The marks of what j's details must hold: documents, and units. */
static int need_arrays(const job *j, int units, uint8_t **need,
                       uint8_t **unit_need)
{
    *need = calloc(j->ndocs + 1, 1);
    *unit_need = units ? calloc(j->nunits + 1, 1) : NULL;
    return *need && (!units || *unit_need) ? RP_OK : RP_ENOMEM;
}

/* ---- sides on the wire ---------------------------------------------- */

static size_t pad8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

/* the tokens of x that its shingles cover, from its first */
static size_t tokens_sent(const rp__side *x, uint32_t k)
{
    size_t want = x->nseq + k - 1;
    size_t have = x->ntok > x->seq_at ? x->ntok - x->seq_at : 0;
    return want < have ? want : have;
}

static size_t wire_size(const rp__side *x, uint32_t k, uint32_t np)
{
    if (!x->tok)
        return sizeof(wire);
    return sizeof(wire) + 8 * (x->nset + x->nseq + tokens_sent(x, k)) +
           pad8((size_t)np * 4);
}

static char *wire_put(char *at, uint32_t unit, const rp__side *x, uint32_t k,
                      uint32_t np)
{
    wire w;
    memset(&w, 0, sizeof w);
    w.unit = unit;
    w.has = x->tok != NULL;
    w.content = x->content;
    w.span[0] = x->span[0];
    w.span[1] = x->span[1];
    if (w.has) {
        w.nset = x->nset;
        w.nseq = x->nseq;
        w.ntok = tokens_sent(x, k);
    }
    memcpy(at, &w, sizeof w);
    at += sizeof w;
    if (!w.has)
        return at;
    memcpy(at, x->set, 8 * w.nset);
    at += 8 * w.nset;
    memcpy(at, x->seq, 8 * w.nseq);
    at += 8 * w.nseq;
    memcpy(at, x->tok + 2 * x->seq_at, 8 * w.ntok);
    at += 8 * w.ntok;
    memset(at, 0, pad8((size_t)np * 4));
    memcpy(at, x->sig, (size_t)np * 4);
    return at + pad8((size_t)np * 4);
}

/* The sides one rank sent, for the units asked of it (in that order),
 * pointing into its bytes (8-byte aligned). */
static int wire_read(char *at, size_t len, const uint32_t *asked, size_t n,
                     uint32_t np, remote *r)
{
    r->unit = malloc((n ? n : 1) * sizeof *r->unit);
    r->side = malloc((n ? n : 1) * sizeof *r->side);
    if (!r->unit || !r->side)
        return RP_ENOMEM;
    const char *end = at + len;
    for (size_t i = 0; i < n; i++) {
        wire w;
        if ((size_t)(end - at) < sizeof w)
            return RP_EFORMAT;
        memcpy(&w, at, sizeof w);
        at += sizeof w;
        if (w.unit != asked[i])
            return RP_EFORMAT;
        rp__side *x = &r->side[i];
        memset(x, 0, sizeof *x);
        x->content = w.content;
        x->span[0] = w.span[0];
        x->span[1] = w.span[1];
        if (w.has) {
            size_t words = (size_t)(w.nset + w.nseq + w.ntok);
            size_t need = 8 * words + pad8((size_t)np * 4);
            if (w.nset > len || w.nseq > len || w.ntok > len ||
                (size_t)(end - at) < need)
                return RP_EFORMAT;
            x->set = (const uint64_t *)(const void *)at;
            x->nset = (size_t)w.nset;
            x->seq = x->set + x->nset;
            x->nseq = (size_t)w.nseq;
            x->tok = (const uint32_t *)(const void *)(x->seq + x->nseq);
            x->ntok = (size_t)w.ntok;
            x->sig = x->tok + 2 * x->ntok;
            at += need;
        }
        r->unit[i] = w.unit;
    }
    r->n = n;
    return at == end ? RP_OK : RP_EFORMAT;
}

/*
 * This rank's part: its pairs (all with their first unit in its shard)
 * verified into out[0..n), and the units of its shard other ranks ask
 * for sent to them. Every rank calls it, with pairs or without, failed or
 * not (a failed rank sends nothing). bounds: the shards' first documents
 * (size + 1), then their first units (size + 1).
 */
static int verify_mine(rp__ranks *x, int units, const uint64_t *bounds,
                       const rp_pair *pairs, size_t n, verified *out,
                       rp__dist_status *st)
{
    rp_dist *d = x->d;
    size_t size = (size_t)rp_dist_size(d), me = (size_t)rp_dist_rank(d);
    const uint64_t *docs = bounds, *ub = bounds + size + 1;
    const uint64_t *first = units ? ub : docs;
    unsigned threads = x->o->threads ? x->o->threads : 1;
    size_t *shard = malloc((n ? n : 1) * sizeof *shard);
    uint64_t *ask = malloc((n ? n : 1) * sizeof *ask);
    uint32_t *askv = malloc((n ? n : 1) * sizeof *askv);
    size_t *cnt = rp__dist_need(d, calloc(size, sizeof *cnt));
    size_t *rcnt = rp__dist_need(d, calloc(size, sizeof *rcnt));
    size_t *bcnt = rp__dist_need(d, calloc(size, sizeof *bcnt));
    size_t *brcnt = rp__dist_need(d, calloc(size, sizeof *brcnt));
    remote *from = rp__dist_need(d, calloc(size, sizeof *from));
    int rc = shard && ask && askv ? RP_OK : RP_ENOMEM;

    /* 1. the units of other shards this rank's pairs need, asked */
    size_t nask = 0;
    for (size_t i = 0; rc == RP_OK && i < n; i++) {
        shard[i] = shard_of(first, size, pairs[i].b);
        if (pairs[i].a < first[me] || pairs[i].a >= first[me + 1] ||
            shard[i] < me) {
            rc = RP_EINVAL; /* not this rank's: cannot be */
            break;
        }
        if (shard[i] != me)
            ask[nask++] = (uint64_t)shard[i] << 32 |
                          (uint32_t)(pairs[i].b - first[shard[i]]);
    }
    if (rc == RP_OK) {
        nask = rp_sort_unique_u64(ask, nask); /* by shard, then unit */
        for (size_t k = 0; k < nask; k++) {
            cnt[ask[k] >> 32]++;
            askv[k] = (uint32_t)ask[k];
        }
    }
    void *got = NULL;
    (void)rp__dist_alltoallv(d, askv, cnt, sizeof *askv, &got, rcnt);
    const uint32_t *asked = got;
    size_t nasked = 0;
    for (size_t r = 0; r < size; r++) {
        nasked += rcnt[r];
        st->sent += r != me ? cnt[r] * sizeof *askv : 0;
    }

    /* 2. its shard's tables, and the details of its units wanted here or
     * asked for, read once */
    job *own = NULL;
    uint8_t *need = NULL, *unit_need = NULL;
    if (rc == RP_OK && (n || nasked))
        rc = rp__dist_own(x, docs, ub, &own, &st->err);
    if (rc == RP_OK && own)
        rc = need_arrays(own, units, &need, &unit_need);
    size_t nown = own ? (units ? own->nunits : own->ndocs) : 0;
    for (size_t i = 0; rc == RP_OK && own && i < n; i++) {
        mark(own, (uint32_t)(pairs[i].a - first[me]), units, need, unit_need);
        if (shard[i] == me)
            mark(own, (uint32_t)(pairs[i].b - first[me]), units, need,
                 unit_need);
    }
    for (size_t k = 0; rc == RP_OK && own && k < nasked; k++) {
        if (asked[k] >= nown)
            rc = RP_EINVAL;
        else
            mark(own, asked[k], units, need, unit_need);
    }
    if (rc == RP_OK && own)
        rc = rp__dedup_load_details(own, need, unit_need,
                                    units ? RP_DETAIL_UNITS : RP_DETAIL_DOC,
                                    &st->err);
    free(need);
    free(unit_need);

    /* 3. the asked units' sides to the ranks that asked */
    uint32_t k = own ? own->sign.shingle : 0, np = own ? own->sign.num_perm : 0;
    char *blob = NULL;
    size_t total = 0;
    for (size_t r = 0, at = 0; rc == RP_OK && r < size; r++)
        for (size_t q = 0; q < rcnt[r]; q++, at++) {
            rp__side sd;
            rp__dedup_side(own, asked[at], units, &sd);
            bcnt[r] += wire_size(&sd, k, np);
        }
    for (size_t r = 0; r < size; r++)
        total += bcnt[r];
    if (rc == RP_OK && total && !(blob = malloc(total)))
        rc = RP_ENOMEM;
    if (rc != RP_OK) /* a failed rank sends nothing */
        memset(bcnt, 0, size * sizeof *bcnt);
    char *w = blob;
    for (size_t q = 0; rc == RP_OK && q < nasked; q++) {
        rp__side sd;
        rp__dedup_side(own, asked[q], units, &sd);
        w = wire_put(w, asked[q], &sd, k, np);
    }
    void *got2 = NULL;
    (void)rp__dist_alltoallv(d, blob, bcnt, 1, &got2, brcnt);
    free(blob);
    for (size_t r = 0; r < size; r++)
        st->sent += r != me ? bcnt[r] : 0;

    /* 4. the sides this rank asked for, and its pairs verified */
    char *in = got2;
    for (size_t r = 0, off = 0, aoff = 0; r < size; r++) {
        if (rc == RP_OK && cnt[r] &&
            wire_read(in + off, brcnt[r], askv + aoff, cnt[r], np, &from[r]) !=
                RP_OK) {
            st->peer = 1; /* rank r failed, most likely: it says why */
            rc = rp__error_set(&st->err, RP_EFORMAT, "", 0, 0,
                               "rank %zu sent the details of %zu units "
                               "asked of it in %zu bytes that do not read "
                               "back",
                               r, cnt[r], brcnt[r]);
        }
        off += brcnt[r];
        aoff += cnt[r];
    }
    if (rc == RP_OK && n) {
        vjob c = {own, pairs, shard, from, out, units, me, first};
        rp_parallel_for(threads, n, verify_task, &c);
    }
    for (size_t r = 0; r < size; r++) {
        free(from[r].unit);
        free(from[r].side);
    }
    if (own) /* the tables stay for the next stage */
        rp__dedup_drop_details(own);
    free(got);
    free(got2);
    free(from);
    free(shard);
    free(ask);
    free(askv);
    free(cnt);
    free(rcnt);
    free(bcnt);
    free(brcnt);
    return rc;
}

/* Every rank's part after the command: the bounds, its pairs, the rest. */
static int part(rp__ranks *x, int units, uint64_t *bounds,
                const rp_pair *all_pairs, const size_t *counts, verified **out,
                size_t *n, rp__dist_status *st)
{
    rp_dist *d = x->d;
    size_t size = (size_t)rp_dist_size(d);
    rp__dist_bcast(d, bounds, 2 * (size + 1) * sizeof *bounds, 0);
    uint64_t *c64 = NULL, mine = 0;
    size_t *ones = rp__dist_need(d, malloc(size * sizeof *ones));
    for (size_t r = 0; r < size; r++)
        ones[r] = 1;
    if (rp_dist_rank(d) == 0) {
        c64 = rp__dist_need(d, malloc(size * sizeof *c64));
        for (size_t r = 0; r < size; r++)
            c64[r] = counts[r];
    }
    rp__dist_scatterv(d, c64, ones, sizeof mine, &mine, 1, 0);
    free(c64);
    free(ones);
    rp_pair *pairs =
        rp__dist_need(d, malloc((mine ? mine : 1) * sizeof *pairs));
    rp__dist_scatterv(d, all_pairs, counts, sizeof *pairs, pairs, (size_t)mine,
                      0);
    verified *v = rp__dist_need(d, malloc((mine ? mine : 1) * sizeof *v));
    st->rc = verify_mine(x, units, bounds, pairs, (size_t)mine, v, st);
    free(pairs);
    *out = v;
    *n = (size_t)mine;
    return st->rc;
}

void rp__dist_verify_part(rp__ranks *x, const rp__dist_cmd *c)
{
    size_t size = (size_t)rp_dist_size(x->d);
    uint64_t *bounds =
        rp__dist_need(x->d, malloc(2 * (size + 1) * sizeof *bounds));
    rp__dist_status st;
    memset(&st, 0, sizeof st);
    verified *v = NULL;
    size_t n = 0;
    part(x, c->units, bounds, NULL, NULL, &v, &n, &st);
    st.sent += st.rc == RP_OK ? n * sizeof *v : 0;
    rp__dist_gather(x->d, &st, sizeof st, NULL, 0);
    void *none = NULL;
    (void)rp__dist_gatherv(x->d, v, st.rc == RP_OK ? n : 0, sizeof *v, &none,
                           NULL, 0);
    free(v);
    free(bounds);
}

int rp__dist_verify(job *j, const rp_pair *p, size_t n, int units,
                    rp_error *err)
{
    rp__ranks *x = j->remote;
    rp_dist *d = x->d;
    size_t size = (size_t)rp_dist_size(d);
    rp__dist_cmd c = {RP_CMD_VERIFY, units, 0, 0, 0};
    uint64_t *bounds = rp__dist_begin(j, &c);
    /* pairs of equal content are decided here, from the tables, as one
     * process decides them; the others go to the ranks: sorted by their
     * first unit, each rank's are one run */
    verified *res = rp__dist_need(d, malloc((n ? n : 1) * sizeof *res));
    rp_pair *rest = rp__dist_need(d, malloc((n ? n : 1) * sizeof *rest));
    size_t *at = rp__dist_need(d, malloc((n ? n : 1) * sizeof *at));
    size_t nrest = 0;
    for (size_t i = 0; i < n; i++) {
        rp__side a, b;
        rp__dedup_side(j, p[i].a, units, &a); /* no details: content only */
        rp__dedup_side(j, p[i].b, units, &b);
        if (a.content == b.content) {
            res[i].a = p[i].a;
            res[i].b = p[i].b;
            rp__dedup_verify_sides(j, &a, &b, &res[i]);
        } else {
            at[nrest] = i;
            rest[nrest++] = p[i];
        }
    }
    const size_t *first = units ? j->load_unit_at : j->load_doc_at;
    size_t *counts = rp__dist_need(d, calloc(size, sizeof *counts));
    for (size_t i = 0, r = 0; i < nrest; i++) {
        while (r + 1 < size && rest[i].a >= first[r + 1])
            r++;
        counts[r]++;
    }
    rp__dist_status st;
    memset(&st, 0, sizeof st);
    verified *mine = NULL;
    size_t nmine = 0;
    part(x, units, bounds, rest, counts, &mine, &nmine, &st);
    rp__dist_status *all = rp__dist_need(d, malloc(size * sizeof *all));
    rp__dist_gather(d, &st, sizeof st, all, 0);
    void *got = NULL;
    size_t *back = rp__dist_need(d, malloc(size * sizeof *back));
    (void)rp__dist_gatherv(d, mine, st.rc == RP_OK ? nmine : 0, sizeof *mine,
                           &got, back, 0);
    free(mine);
    uint64_t *sent = &j->st->exchanged_bytes;
    for (size_t r = 1; r < size; r++)
        *sent += counts[r] * sizeof *p;
    int rc = rp__dist_first_failure(all, size, sent, err);
    size_t total = 0;
    for (size_t r = 0; r < size; r++)
        total += back[r];
    if (rc == RP_OK && total != nrest)
        rc = RP_EINVAL; /* every rank answers all its pairs, or fails */
    const verified *v = got;
    for (size_t i = 0; rc == RP_OK && i < nrest; i++)
        res[at[i]] = v[i];
    free(got);
    free(rest);
    free(at);
    free(all);
    free(back);
    free(counts);
    free(bounds);
    return rp__dedup_keep_verified(j, res, n, units, rc);
}
