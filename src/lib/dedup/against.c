/*
 * against.c - dedup against a persistent index (--against, --update).
 *
 * The index holds only units that were kept (documents, and paragraphs of
 * kept documents), and leaders are chosen in keep order among kept units
 * (reprint/sys/cluster.h). So an indexed unit, earlier than every unit of
 * this run, removes a unit of this run exactly when it would in one run
 * over both: its band keys meet the unit's, and the verified similarity
 * reaches the threshold. Such units are taken out before clustering (they
 * are not kept, so they lead nothing), and the rest cluster as before.
 * With --update the units kept by this run are added, after the outputs
 * are in place, in one commit.
 */
#include "job.h"

#include "reprint/sys/minhash.h"
#include "reprint/sys/verify.h"

#include "../common/error.h"
#include "../store/index.h"
#include "../../util/buf.h"
#include "../../util/sort.h"

#include <stdlib.h>
#include <string.h>

/* ---- opening: the parameters must agree ------------------------------------ */

/*
 * Can this run (b) use the index (a)? The same fingerprints, and for each
 * level the run deduplicates, the same bands, rows and threshold. A run
 * that adds to the index must hold the same levels, or the index would
 * lack this run's units of the other level.
 */
static int same_params(const rp_ix_params *a, const rp_ix_params *b,
                       int update)
{
    if (a->sign.shingle != b->sign.shingle ||
        a->sign.char_mode != b->sign.char_mode ||
        a->sign.num_perm != b->sign.num_perm ||
        a->sign.min_para_tokens != b->sign.min_para_tokens ||
        a->sign.seed != b->sign.seed ||
        a->sign.paragraphs != b->sign.paragraphs || a->verify != b->verify)
        return 0;
    for (int l = 0; l < 2; l++) {
        if (update && (a->bands[l] == 0) != (b->bands[l] == 0))
            return 0;
        if (b->bands[l] &&
            (a->bands[l] != b->bands[l] || a->rows[l] != b->rows[l] ||
             a->threshold[l] != b->threshold[l]))
            return 0;
    }
    return 1;
}

/* This run's parameters, as the index records them. */
void rp__against_params(const job *j, rp_ix_params *p)
{
    memset(p, 0, sizeof *p);
    p->sign = j->sign;
    p->bands[0] = j->dl.bands;
    p->rows[0] = j->dl.rows;
    p->bands[1] = j->pl.bands;
    p->rows[1] = j->pl.rows;
    p->threshold[0] = j->o->threshold;
    p->threshold[1] = j->pthreshold;
    p->verify = j->o->verify;
}

static const char *levels(const rp_ix_params *p)
{
    return p->bands[0] && p->bands[1] ? "documents and paragraphs"
           : p->bands[0]              ? "documents only"
                                      : "paragraphs only";
}

int rp__against_open(job *j, rp_error *err)
{
    if (!j->o->against)
        return RP_OK;
    int rc = rp__ix_open(&j->ix, j->o->against, j->o->update, err);
    if (rc != RP_OK)
        return rc;
    rp_ix_params mine;
    rp__against_params(j, &mine);
    const rp_ix_params *p = rp__ix_params(j->ix);
    if (!same_params(p, &mine, (int)j->o->update))
        return rp__error_set(
            err, RP_EMISMATCH, j->o->against, 0, 0,
            "index made with other parameters (%s; shingle %u, %u lanes, "
            "seed %llu, threshold %g, paragraph threshold %g, %s); this run "
            "has %s; shingle %u, %u lanes, seed %llu, threshold %g, "
            "paragraph threshold %g, %s. Run with the index's (a run may "
            "deduplicate fewer levels than the index holds, unless it adds "
            "to it)",
            levels(p), p->sign.shingle, p->sign.num_perm,
            (unsigned long long)p->sign.seed, p->threshold[0],
            p->threshold[1], p->verify ? "verified" : "--no-verify",
            levels(&mine), mine.sign.shingle, mine.sign.num_perm,
            (unsigned long long)mine.sign.seed, mine.threshold[0],
            mine.threshold[1], mine.verify ? "verified" : "--no-verify");
    /* the window ends at the newest date seen, in the index or this run */
    const rp_ix_state *s = rp__ix_state(j->ix);
    int32_t newest = s->newest_day;
    for (size_t d = 0; d < j->ndocs; d++) {
        int32_t day = rp__ix_day(&j->docs[d].date);
        if (day != RP_IX_NO_DAY && (newest == RP_IX_NO_DAY || day > newest))
            newest = day;
    }
    j->ix_newest = newest;
    j->ix_cutoff = INT32_MIN;
    if (j->o->window_days && newest != RP_IX_NO_DAY &&
        (int64_t)newest - j->o->window_days > INT32_MIN)
        j->ix_cutoff = newest - (int32_t)j->o->window_days;
    j->st->index_generation = s->generation;
    j->st->index_entries = s->count[0] + s->count[1];
    return RP_OK;
}

/* ---- candidates ------------------------------------------------------------ */

static int cand_cmp(const void *x, const void *y)
{
    const ix_cand *a = x, *b = y;
    if (a->unit != b->unit)
        return a->unit < b->unit ? -1 : 1;
    return a->entry < b->entry ? -1 : a->entry > b->entry;
}

/* One band key of one unit, looked up. */
typedef struct query {
    uint64_t key;
    uint32_t unit;
} query;

static int query_cmp(const void *x, const void *y)
{
    const query *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->unit < b->unit ? -1 : a->unit > b->unit;
}

typedef struct hit {
    size_t ki;     /* distinct key */
    uint64_t entry;
} hit;

typedef struct walk_ctx {
    hit *hits;
    size_t n, cap;
} walk_ctx;

static int on_hit(void *ctx, size_t ki, uint64_t number)
{
    walk_ctx *w = ctx;
    hit h = {ki, number};
    return RP_VEC_PUSH(w->hits, w->n, w->cap, h) ? RP_ENOMEM : RP_OK;
}

/*
 * Every (unit, entry) sharing a band key, for the units LSH pairs at this
 * level. The keys are sorted and each run walked once, forward (a lookup
 * per key would cost a search per key and run). A key with more postings
 * than max_bucket is a bucket LSH would cap: as there, a unit is paired
 * with its first RP_LSH_STAR members (the earliest entries) only, and the
 * bucket is counted. units < 0: the level is off, no candidates.
 */
int rp__against_candidates(job *j, int units, rp_error *err)
{
    free(j->ixc);
    j->ixc = NULL;
    j->nixc = 0;
    if (!j->ix || units < 0)
        return RP_OK;
    size_t n = units ? j->nunits : j->ndocs, nq = 0, cap = 0;
    uint32_t bands = units ? j->pl.bands : j->dl.bands;
    const uint64_t *keys = units ? j->unit_keys : j->doc_keys;
    const size_t lim = j->o->max_bucket;
    query *q = malloc((n * bands + 1) * sizeof *q);
    if (!q)
        return RP_ENOMEM;
    for (size_t u = 0; u < n; u++) {
        if (units ? j->doc_leader[j->unit_doc[u]] != RP_KEPT
                  : j->docs[u].ntokens == 0)
            continue;
        for (uint32_t b = 0; b < bands; b++)
            q[nq++] = (query){keys[u * bands + b], (uint32_t)u};
    }
    qsort(q, nq, sizeof *q, query_cmp);
    /* distinct keys, and where each one's queries start */
    uint64_t *dk = malloc((nq + 1) * sizeof *dk);
    size_t *start = malloc((nq + 2) * sizeof *start);
    size_t nk = 0;
    walk_ctx w = {NULL, 0, 0};
    size_t *first = NULL;
    hit *byk = NULL;
    int rc = dk && start ? RP_OK : RP_ENOMEM;
    for (size_t i = 0; rc == RP_OK && i < nq; i++)
        if (i == 0 || q[i].key != q[i - 1].key) {
            start[nk] = i;
            dk[nk++] = q[i].key;
        }
    if (rc == RP_OK) {
        start[nk] = nq;
        rc = rp__ix_walk(j->ix, (uint32_t)units, dk, nk, on_hit, &w, err);
    }
    /* hits grouped by key, in walk order (runs in number order, numbers
     * ascending in each): a counting sort */
    if (rc == RP_OK) {
        first = calloc(nk + 2, sizeof *first);
        byk = malloc((w.n + 1) * sizeof *byk);
        if (!first || !byk)
            rc = RP_ENOMEM;
    }
    if (rc == RP_OK) {
        for (size_t i = 0; i < w.n; i++)
            first[w.hits[i].ki + 2]++;
        for (size_t k = 0; k < nk; k++)
            first[k + 2] += first[k + 1];
        for (size_t i = 0; i < w.n; i++)
            byk[first[w.hits[i].ki + 1]++] = w.hits[i];
    }
    for (size_t k = 0; rc == RP_OK && k < nk; k++) {
        size_t total = first[k + 1] - first[k], take = total;
        if (total > lim) {
            j->st->capped_buckets += start[k + 1] - start[k];
            take = total < RP_LSH_STAR ? total : RP_LSH_STAR;
        }
        for (size_t i = start[k]; rc == RP_OK && i < start[k + 1]; i++)
            for (size_t h = 0; h < take; h++) {
                ix_cand c = {q[i].unit, byk[first[k] + h].entry};
                if (RP_VEC_PUSH(j->ixc, j->nixc, cap, c)) {
                    rc = RP_ENOMEM;
                    break;
                }
            }
    }
    /* one candidate per unit and entry, by unit */
    if (rc == RP_OK && j->nixc) {
        qsort(j->ixc, j->nixc, sizeof *j->ixc, cand_cmp);
        size_t m = 0;
        for (size_t i = 0; i < j->nixc; i++)
            if (m == 0 || cand_cmp(&j->ixc[i], &j->ixc[m - 1]) != 0)
                j->ixc[m++] = j->ixc[i];
        j->nixc = m;
    }
    free(q);
    free(dk);
    free(start);
    free(w.hits);
    free(first);
    free(byk);
    j->st->index_candidates += j->nixc;
    return rc;
}

void rp__against_need(job *j, int units, uint8_t *need, uint8_t *unit_need)
{
    for (size_t i = 0; i < j->nixc; i++) {
        uint32_t u = j->ixc[i].unit;
        need[units ? j->unit_doc[u] : u] = 1;
        if (units)
            unit_need[u] = 1;
    }
}

/* ---- verification ----------------------------------------------------------- */

/* A unit's set, sequence and signature in its document's details. */
static void unit_parts(const job *j, int units, uint32_t u,
                       const detail **d, const uint64_t **set, size_t *nset,
                       const uint64_t **seq, size_t *nseq,
                       const uint32_t **sig, const uint32_t **tspan)
{
    if (!units) {
        *d = j->details[u];
        *set = (*d)->set;
        *nset = (*d)->nset;
        *seq = (*d)->seq;
        *nseq = (*d)->nseq;
        *sig = (*d)->sig;
        *tspan = &j->docs[u].tok_begin;
        return;
    }
    uint32_t dn = j->unit_doc[u];
    uint32_t ui = u - j->docs[dn].unit_first;
    *d = j->details[dn];
    *set = (*d)->unit_set[ui];
    *nset = (*d)->unit_nset[ui];
    *seq = (*d)->seq + (*d)->unit_seq[2 * ui];
    *nseq = (*d)->unit_seq[2 * ui + 1];
    *sig = (*d)->unit_sig[ui];
    *tspan = &j->unit_rows[u].tok_begin;
}

static uint64_t unit_content(const job *j, int units, uint32_t u)
{
    return units ? j->unit_rows[u].content : j->docs[u].content;
}

static int keep_match(job *j, int units, const ix_match *m,
                      const rp_ix_entry *e, size_t *cap)
{
    ix_match x = *m;
    x.para = e->para;
    x.line = e->line;
    x.date = e->date;
    x.id_off = j->ixstr.len;
    x.id_len = e->id_len;
    if (rp_buf_put(&j->ixstr, e->id, e->id_len))
        return RP_ENOMEM;
    x.file_off = j->ixstr.len;
    x.file_len = e->file_len;
    if (rp_buf_put(&j->ixstr, e->file, e->file_len))
        return RP_ENOMEM;
    if (RP_VEC_PUSH(j->ixm[units], j->nixm[units], *cap, x))
        return RP_ENOMEM;
    return RP_OK;
}

/*
 * The best indexed match of each unit with candidates: the highest
 * similarity at or above the threshold, the earliest entry among equals.
 * Runs on this thread: the index is read by one thread at a time.
 */
int rp__against_verify(job *j, int units, rp_error *err)
{
    if (!j->ix)
        return RP_OK;
    const uint32_t np = j->sign.num_perm, k = j->sign.shingle;
    const double t = units ? j->pthreshold : j->o->threshold;
    uint64_t *eset = NULL;
    uint32_t *esig = malloc((np + 1) * sizeof *esig);
    size_t eset_cap = 0, mcap = 0;
    int rc = esig ? RP_OK : RP_ENOMEM;
    for (size_t i = 0; i < j->nixc && rc == RP_OK;) {
        uint32_t u = j->ixc[i].unit;
        ix_match best;
        memset(&best, 0, sizeof best);
        int have = 0;
        rp_ix_entry be;
        memset(&be, 0, sizeof be);
        for (; i < j->nixc && j->ixc[i].unit == u && rc == RP_OK; i++) {
            rp_ix_entry e;
            rc = rp__ix_get(j->ix, j->ixc[i].entry, &e, err);
            if (rc != RP_OK)
                break;
            if (e.level != (uint32_t)units ||
                (e.day != RP_IX_NO_DAY && e.day < j->ix_cutoff))
                continue; /* out of the window */
            ix_match m;
            memset(&m, 0, sizeof m);
            m.unit = u;
            m.entry = e.number;
            const detail *d;
            const uint64_t *set, *seq;
            const uint32_t *sig, *tspan;
            size_t nset, nseq;
            unit_parts(j, units, u, &d, &set, &nset, &seq, &nseq, &sig,
                       &tspan);
            if (e.content == unit_content(j, units, u)) {
                m.jaccard = m.estimate = 1.0;
                m.span[0] = tspan[0];
                m.span[1] = tspan[1];
            } else if (d && set && sig) {
                if (rp_vec_grow((void **)&eset, &eset_cap, e.nset + 1,
                                sizeof *eset)) {
                    rc = RP_ENOMEM;
                    break;
                }
                for (uint32_t x = 0; x < e.nset; x++) {
                    uint64_t v = 0;
                    for (int b = 7; b >= 0; b--)
                        v = v << 8 | e.set[8 * (size_t)x + (size_t)b];
                    eset[x] = v;
                }
                for (uint32_t x = 0; x < e.nsig && x < np; x++) {
                    const unsigned char *q = e.sig + 4 * (size_t)x;
                    esig[x] = (uint32_t)q[0] | (uint32_t)q[1] << 8 |
                              (uint32_t)q[2] << 16 | (uint32_t)q[3] << 24;
                }
                /* an index made with verification keeps no signatures */
                m.estimate = e.nsig == np ? rp_minhash_estimate(sig, esig, np)
                                          : -1.0;
                m.jaccard = j->o->verify
                                ? rp_set_jaccard(set, nset, eset, e.nset, NULL)
                                : -1.0;
                size_t f, l;
                if (rp_set_shared_range(&f, &l, seq, nseq, eset, e.nset)) {
                    size_t base = (size_t)(seq - d->seq), lt = base + l + k - 1;
                    if (lt >= d->ntok)
                        lt = d->ntok - 1;
                    m.span[0] = d->tok[2 * (base + f)];
                    m.span[1] = d->tok[2 * lt + 1];
                }
            } else {
                continue; /* no details: nothing to compare */
            }
            double sim = j->o->verify ? m.jaccard : m.estimate;
            double bsim = j->o->verify ? best.jaccard : best.estimate;
            if (sim >= t && (!have || sim > bsim)) {
                best = m;
                be = e;
                have = 1;
            }
        }
        if (rc == RP_OK && have)
            rc = keep_match(j, units, &best, &be, &mcap);
    }
    free(eset);
    free(esig);
    return rc;
}

const ix_match *rp__against_match(const job *j, int units, uint32_t unit)
{
    const ix_match *m = j->ixm[units];
    size_t lo = 0, hi = j->nixm[units];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m[mid].unit < unit)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < j->nixm[units] && m[lo].unit == unit ? &m[lo] : NULL;
}

/* ---- update -------------------------------------------------------------------- */

static int put_unit(job *j, uint32_t level, uint32_t d, uint32_t para,
                    const uint64_t *set, uint32_t nset, const uint32_t *sig,
                    const uint64_t *keys, uint64_t content,
                    const uint32_t span[2], rp_error *err)
{
    const doc *dc = &j->docs[d];
    rp_ix_entry e;
    memset(&e, 0, sizeof e);
    e.level = level;
    e.day = rp__ix_day(&dc->date);
    if (e.day == RP_IX_NO_DAY)
        e.day = j->ix_newest; /* undated: ages with the run that added it */
    e.date = dc->date;
    e.content = content;
    e.line = dc->line;
    e.offset = dc->offset;
    e.para = para;
    e.span[0] = span[0];
    e.span[1] = span[1];
    e.id = j->ids.data + dc->id_off;
    e.id_len = dc->id_len;
    e.file = dc->file < j->nfnames ? j->fnames[dc->file] : "";
    e.file_len = (uint32_t)strlen(e.file);
    e.nset = nset;
    e.nsig = j->o->verify ? 0 : j->sign.num_perm; /* only estimates need it */
    e.nkeys = level ? j->pl.bands : j->dl.bands;
    int rc = rp__ix_put(j->ix, &e, set, sig, keys, err);
    if (rc == RP_OK)
        j->st->index_added++;
    return rc;
}

/* One kept document read again: it and its kept paragraphs into the
 * index, in input order (the sink of rp__dedup_load_details). */
static int put_doc(job *j, uint32_t d, const detail *dt, rp_error *err)
{
    const doc *dc = &j->docs[d];
    int rc = RP_OK;
    if (j->o->level & RP_LEVEL_DOC) {
        uint32_t span[2] = {dc->tok_begin, dc->tok_end};
        rc = put_unit(j, RP_IX_DOC, d, 0, dt->set, dt->nset, dt->sig,
                      j->doc_keys + (size_t)d * j->dl.bands, dc->content,
                      span, err);
    }
    for (uint32_t u = 0; (j->o->level & RP_LEVEL_PARA) && rc == RP_OK &&
                         u < dc->nunits;
         u++) {
        uint32_t gu = dc->unit_first + u;
        if (j->unit_leader[gu] != RP_KEPT || !dt->unit_set[u])
            continue;
        const unit_row *ur = &j->unit_rows[gu];
        uint32_t ps[2] = {ur->tok_begin, ur->tok_end};
        rc = put_unit(j, RP_IX_PARA, d, j->unit_para[gu], dt->unit_set[u],
                      dt->unit_nset[u], dt->unit_sig[u],
                      j->unit_keys + (size_t)gu * j->pl.bands, ur->content, ps,
                      err);
    }
    return rc;
}

/*
 * Evict what the window leaves behind, then add this run's kept units in
 * input order: the document, then its kept paragraphs. Their sets are read
 * again (the one pass that needs every kept document), a batch at a time:
 * each document goes into the index as it is read, none is kept.
 */
int rp__against_update(job *j, rp_error *err)
{
    if (!j->ix || !j->o->update)
        return RP_OK;
    int rc = RP_OK;
    if (j->o->window_days && j->ix_cutoff != INT32_MIN) {
        uint64_t ev = 0;
        rc = rp__ix_evict(j->ix, j->ix_cutoff, &ev, err);
        j->st->index_evicted = ev;
        rp__ix_set_window(j->ix, (int32_t)j->o->window_days);
    }
    int docs = !!(j->o->level & RP_LEVEL_DOC);
    int paras = !!(j->o->level & RP_LEVEL_PARA);
    uint8_t *need = calloc(j->ndocs + 1, 1);
    uint8_t *unit_need = calloc(j->nunits + 1, 1);
    if (rc == RP_OK && (!need || !unit_need))
        rc = RP_ENOMEM;
    for (size_t d = 0; d < j->ndocs && rc == RP_OK; d++) {
        const doc *dc = &j->docs[d];
        if (j->doc_leader[d] != RP_KEPT || dc->ntokens == 0)
            continue;
        need[d] = 1;
        for (uint32_t u = 0; paras && u < dc->nunits; u++)
            unit_need[dc->unit_first + u] =
                j->unit_leader[dc->unit_first + u] == RP_KEPT;
    }
    j->detail_sink = put_doc;
    if (rc == RP_OK)
        rc = rp__dedup_load_details(
            j, need, unit_need,
            (docs ? RP_DETAIL_DOC : 0) | (paras ? RP_DETAIL_UNITS : 0), err);
    j->detail_sink = NULL;
    free(need);
    free(unit_need);
    return rc;
}

int rp__against_commit(job *j, rp_error *err)
{
    if (!j->ix || !j->o->update)
        return RP_OK;
    int rc = rp__ix_commit(j->ix, err);
    const rp_ix_state *s = rp__ix_state(j->ix);
    j->st->index_generation = s->generation;
    j->st->index_entries = s->count[0] + s->count[1];
    return rc;
}

void rp__against_free(job *j)
{
    rp__ix_close(j->ix);
    j->ix = NULL;
    free(j->ixc);
    free(j->ixm[0]);
    free(j->ixm[1]);
    rp_buf_dispose(&j->ixstr);
}
