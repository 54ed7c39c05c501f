/*
 * pass2.c - pass 2 of the dedup job: read again the documents in a
 * candidate pair, keep what verification needs of them (details), and
 * verify the pairs of one level in parallel.
 */
#include "batch.h"

#include "reprint/sys/minhash.h"
#include "reprint/sys/verify.h"

#include "../common/error.h"
#include "../../util/buf.h"
#include "../../util/parallel.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NONE32 UINT32_MAX

/* ---- pass 2: exact shingle sets of candidate documents ------------------ */

/* Round n up to a multiple of 8 bytes, so each array stays aligned. */
static size_t align8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

/*
 * What verification of one level needs of a fingerprinted document (see
 * job.h), in a single block: one malloc per document, not one per
 * array and unit. need[u]: unit u of this document is in a pair.
 */
static detail *detail_new(const rp_fingerprint *fp, size_t text_len,
                          int what, const uint8_t *need)
{
    const uint32_t np = fp->num_perm, nu = fp->nunits;
    const int dl = what & RP_DETAIL_DOC, ul = what & RP_DETAIL_UNITS;
    size_t nset = dl ? fp->nshingles : 0, nsig = dl ? np : 0;
    uint32_t u = 0;
    for (size_t p = 0; p < fp->npara && ul; p++)
        if (fp->paras[p].unit && need[u++]) {
            nset += fp->paras[p].nshingles;
            nsig += np;
        }
    size_t off_seq = align8(sizeof(detail));
    size_t off_set = off_seq + fp->nshingles * sizeof(uint64_t);
    size_t off_up = off_set + nset * sizeof(uint64_t);
    size_t off_sp = off_up + nu * sizeof(uint64_t *);
    size_t off_un = off_sp + nu * sizeof(uint32_t *);
    size_t off_us = off_un + align8(nu * sizeof(uint32_t));
    size_t off_tok = off_us + align8(2 * (size_t)nu * sizeof(uint32_t));
    size_t off_sig = off_tok + align8(2 * (size_t)fp->ntokens *
                                      sizeof(uint32_t));
    char *m = malloc(off_sig + nsig * sizeof(uint32_t));
    if (!m)
        return NULL;
    detail *d = (detail *)m;
    memset(d, 0, sizeof *d);
    d->seq = (uint64_t *)(m + off_seq);
    d->unit_set = (uint64_t **)(m + off_up);
    d->unit_sig = (uint32_t **)(m + off_sp);
    d->unit_nset = (uint32_t *)(m + off_un);
    d->unit_seq = (uint32_t *)(m + off_us);
    d->tok = (uint32_t *)(m + off_tok);
    d->nseq = fp->nshingles;
    d->ntok = fp->ntokens;
    d->text_len = (uint32_t)text_len;
    memcpy(d->seq, fp->shingles, d->nseq * sizeof *d->seq);
    for (uint32_t t = 0; t < d->ntok; t++) {
        d->tok[2 * t] = fp->tokens[t].offset;
        d->tok[2 * t + 1] = fp->tokens[t].offset + fp->tokens[t].len;
    }
    uint64_t *set = (uint64_t *)(m + off_set);
    uint32_t *sig = (uint32_t *)(m + off_sig);
    if (dl) {
        d->set = set;
        memcpy(d->set, fp->shingles, d->nseq * sizeof *d->set);
        d->nset = (uint32_t)rp_set_make(d->set, d->nseq);
        set += d->nseq;
        d->sig = sig;
        memcpy(d->sig, fp->sig, np * sizeof *d->sig);
        sig += np;
    }
    u = 0;
    for (size_t p = 0; p < fp->npara && ul; p++) {
        const rp_para_fp *pf = &fp->paras[p];
        if (!pf->unit)
            continue;
        d->unit_seq[2 * u] = pf->first_shingle;
        d->unit_seq[2 * u + 1] = pf->nshingles;
        d->unit_set[u] = NULL;
        d->unit_sig[u] = NULL;
        d->unit_nset[u] = 0;
        if (need[u]) {
            memcpy(set, fp->shingles + pf->first_shingle,
                   pf->nshingles * sizeof *set);
            d->unit_set[u] = set;
            d->unit_nset[u] = (uint32_t)rp_set_make(set, pf->nshingles);
            set += pf->nshingles;
            memcpy(sig, fp->unit_sigs + (size_t)u * np, np * sizeof *sig);
            d->unit_sig[u] = sig;
            sig += np;
        }
        u++;
    }
    return d;
}

/*
 * Does the record read again have the fingerprint pass 1 recorded (from
 * the first read or a .rps)? Verification takes the shingles, tokens and
 * unit ranges of the new fingerprint, and the spans of the units from the
 * tables, so the two must be of one text: its paragraph table must hash
 * as recorded (doc.paras_hash). Any change of the input since, or a .rps
 * that lies, stops here.
 */
static int same_fingerprint(const doc *dc, size_t text_len,
                            const rp_fingerprint *fp)
{
    return text_len == dc->text_len && fp->nunits == dc->nunits &&
           fp->npara == dc->npara && fp->ntokens == dc->ntokens &&
           fp->content == dc->content && fp->tok_begin == dc->tok_begin &&
           fp->tok_end == dc->tok_end &&
           rp__dedup_paras_hash(fp->paras, fp->npara) == dc->paras_hash;
}

static void pass2_item(void *ctx, size_t i, size_t wid)
{
    batch *b = ctx;
    job *j = b->j;
    item *it = &b->items[i];
    rp_record rec;
    rp_fingerprint fp;
    it->rc = rp__parse_and_sign(b, it, &b->workers[wid], &rec, &fp);
    if (it->rc != RP_OK)
        return;
    const doc *dc = &j->docs[it->doc];
    const char *fname = rp__batch_file_name(b, it->file);
    if (!same_fingerprint(dc, rec.text_len, &fp)) {
        it->rc = rp__error_set(&it->err, RP_EMISMATCH, fname, it->line,
                               it->offset,
                               "record differs from the first read or the "
                               "signature file (input changed?)");
        return;
    }
    it->det = detail_new(&fp, rec.text_len, j->detail_units,
                         j->unit_need ? j->unit_need + dc->unit_first : NULL);
    if (!it->det)
        it->rc = RP_ENOMEM;
}

/* Details of a fingerprinted pass-2 batch into the job, in input order. */
static int collect_batch2(job *j, batch *b, rp_error *err)
{
    int rc = RP_OK;
    for (size_t i = 0; i < b->n; i++) {
        item *it = &b->items[i];
        if (rc == RP_OK && it->rc != RP_OK) {
            rc = it->rc;
            if (err)
                *err = it->err;
        }
        if (rc == RP_OK && j->detail_sink) {
            /* handed on in input order; not kept unless the sink put it
               in details[] */
            rc = j->detail_sink(j, it->doc, it->det, err);
            if (!j->details || j->details[it->doc] != it->det)
                free(it->det);
        } else if (rc == RP_OK) {
            j->details[it->doc] = it->det;
        } else {
            free(it->det);
        }
        it->det = NULL;
    }
    rp__batch_reset(b);
    return rc;
}

/* Bytes read for the progress report: under blocked verification
 * (verify_blocked) each read is one of read_passes over the input, so the
 * stage advances by a share of the total per read instead of starting
 * again from 0. */
static uint64_t pass_progress(const job *j, rp_reader *r)
{
    uint64_t done = rp_reader_disk_bytes(r);
    if (j->read_passes > 1 && j->bytes_total) {
        if (done > j->bytes_total)
            done = j->bytes_total;
        done = (j->read_pass * j->bytes_total + done) / j->read_passes;
    }
    return done;
}

/* See job.h. */
int rp__dedup_reread(job *j, rp__doc_fn fn, void *ctx, rp_error *err)
{
    rp_reader *r = NULL;
    rp_reader_options ro = j->o->reader;
    ro.skipped = NULL; /* said once, in pass 1 */
    int rc = rp_reader_new(&r, j->paths, j->names, j->npaths, &ro, err);
    uint32_t d = 0;
    while (rc == RP_OK && d < j->ndocs) {
        rp_unit u;
        rp_error e;
        int x = rp_reader_next(r, &u, &e);
        if (x == RP_DONE)
            break;
        if (x == RP_ENOMEM) {
            rc = x; /* not an input fault: stop, do not skip */
            break;
        }
        if (x != RP_OK)
            continue; /* reported in pass 1 */
        if (u.file != j->docs[d].file || u.line != j->docs[d].line)
            continue; /* a bad record of pass 1 */
        rc = fn(j, ctx, d, &u, r);
        d++;
        if ((d & 255) == 0)
            rp__progress_report(&j->pr, pass_progress(j, r));
    }
    if (rc == RP_OK && d < j->ndocs)
        rc = rp__error_set(err, RP_EMISMATCH,
                           j->npaths ? (j->names && j->names[0] ? j->names[0]
                                                                : j->paths[0])
                                     : "",
                           0, 0,
                           "inputs ended before document %u of %zu (changed "
                           "since the first read or the signature file?)",
                           d, j->ndocs);
    rp_reader_free(r);
    return rc;
}

/*
 * Pass 2 reads like pass 1: while the workers fingerprint one batch, this
 * thread reads the next into the other.
 */
typedef struct pass2_ctx {
    batch b[2];
    int cur;
    rp_parallel *par; /* the other batch, when pending */
    int pending;
    size_t nw;
    const uint8_t *need;
    uint32_t last; /* the last document marked: reading stops after it */
    rp_error *err;
} pass2_ctx;

/* Collect the pending batch, if any. */
static int pass2_wait(job *j, pass2_ctx *c)
{
    if (!c->pending)
        return RP_OK;
    rp_parallel_wait(c->par);
    c->par = NULL;
    c->pending = 0;
    return collect_batch2(j, &c->b[1 - c->cur], c->err);
}

/* Start on the current batch; reading goes on into the other. */
static int pass2_launch(job *j, pass2_ctx *c)
{
    int rc = pass2_wait(j, c);
    batch *b = &c->b[c->cur];
    if (rc != RP_OK || b->n == 0)
        return rc;
    if (c->nw > 1) {
        rp_parallel_start(&c->par, c->nw, b->n, pass2_item, b);
        c->pending = 1;
    } else {
        rp_parallel_for(1, b->n, pass2_item, b);
        rc = collect_batch2(j, b, c->err);
    }
    c->cur = 1 - c->cur;
    return rc;
}

static int pass2_doc(job *j, void *ctx, uint32_t d, const rp_unit *u,
                     rp_reader *r)
{
    pass2_ctx *c = ctx;
    if (d > c->last)
        return RP_DONE; /* nothing more to read */
    if (!c->need[d])
        return RP_OK;
    batch *b = &c->b[c->cur];
    b->reader = r;
    int rc = rp__batch_add(b, u);
    if (rc != RP_OK)
        return rc;
    b->items[b->n - 1].doc = d;
    if (b->n >= BATCH_ITEMS || b->units.data.len >= BATCH_BYTES) {
        rc = pass2_launch(j, c);
        rp__dedup_report_progress(j, "verify", r);
    }
    return rc;
}

/*
 * Two units with the same content hash have the same shingle sequence, so
 * their Jaccard is exactly 1 (up to a 2^-64 hash collision) and the shared
 * span is all their tokens: no need to read the records again. Exact
 * copies are the commonest duplicates of all. unit_content gives unit u's
 * hash and the byte span of its tokens.
 */
static uint64_t unit_content(const job *j, uint32_t u, int units,
                             uint32_t span[2])
{
    if (units) {
        const unit_row *x = &j->unit_rows[u];
        span[0] = x->tok_begin;
        span[1] = x->tok_end;
        return x->content;
    }
    const doc *x = &j->docs[u];
    span[0] = x->tok_begin;
    span[1] = x->tok_end;
    return x->content;
}

static int identical(const job *j, const rp_pair *p, int units,
                     uint32_t a_span[2], uint32_t b_span[2])
{
    return unit_content(j, p->a, units, a_span) ==
           unit_content(j, p->b, units, b_span);
}

/* ---- verification of candidate pairs ------------------------------------ */

typedef struct vctx {
    job *j;
    const rp_pair *pairs;
    verified *out;
    int units;
    const uint32_t *idx; /* when set: verify pairs idx[0..n) only */
} vctx;

static void unit_where(const job *j, uint32_t u, uint32_t *d, uint32_t *ui)
{
    *d = j->unit_doc[u];
    *ui = u - j->docs[*d].unit_first;
}

/* byte span in x's text of its shingles [first, last] (token numbers) */
static void shingle_span(const rp__side *x, uint32_t k, size_t first,
                         size_t last, uint32_t out[2])
{
    size_t lt = last + k - 1;
    if (lt >= x->ntok)
        lt = x->ntok - 1;
    out[0] = x->tok[2 * first];
    out[1] = x->tok[2 * lt + 1];
}

void rp__dedup_side(const job *j, uint32_t u, int units, rp__side *x)
{
    memset(x, 0, sizeof *x);
    x->content = unit_content(j, u, units, x->span);
    uint32_t d = u, ui = 0;
    if (units)
        unit_where(j, u, &d, &ui);
    const detail *dt = j->details ? j->details[d] : NULL;
    if (!dt) /* identical to its partner: content alone decides */
        return;
    x->tok = dt->tok;
    x->ntok = dt->ntok;
    if (!units) {
        x->set = dt->set;
        x->nset = dt->nset;
        x->seq = dt->seq;
        x->nseq = dt->nseq;
        x->sig = dt->sig;
        return;
    }
    x->set = dt->unit_set[ui];
    x->nset = dt->unit_nset[ui];
    x->seq_at = dt->unit_seq[2 * ui];
    x->seq = dt->seq + x->seq_at;
    x->nseq = dt->unit_seq[2 * ui + 1];
    x->sig = dt->unit_sig[ui];
}

void rp__dedup_verify_sides(const job *j, const rp__side *a,
                            const rp__side *b, verified *v)
{
    const uint32_t np = j->sign.num_perm, k = j->sign.shingle;
    memcpy(v->a_span, a->span, sizeof v->a_span);
    memcpy(v->b_span, b->span, sizeof v->b_span);
    if (a->content == b->content) {
        v->jaccard = v->estimate = 1.0;
        return;
    }
    v->estimate = rp_minhash_estimate(a->sig, b->sig, np);
    v->jaccard = j->o->verify
                     ? rp_set_jaccard(a->set, a->nset, b->set, b->nset, NULL)
                     : -1.0;
    size_t f, l;
    memset(v->a_span, 0, sizeof v->a_span);
    memset(v->b_span, 0, sizeof v->b_span);
    if (rp_set_shared_range(&f, &l, a->seq, a->nseq, b->set, b->nset))
        shingle_span(a, k, f + a->seq_at, l + a->seq_at, v->a_span);
    if (rp_set_shared_range(&f, &l, b->seq, b->nseq, a->set, a->nset))
        shingle_span(b, k, f + b->seq_at, l + b->seq_at, v->b_span);
}

static void verify_item(void *ctx, size_t i, size_t wid)
{
    (void)wid;
    vctx *c = ctx;
    if (c->idx)
        i = c->idx[i];
    const rp_pair *p = &c->pairs[i];
    verified *v = &c->out[i];
    v->a = p->a;
    v->b = p->b;
    rp__side sa, sb;
    rp__dedup_side(c->j, p->a, c->units, &sa);
    rp__dedup_side(c->j, p->b, c->units, &sb);
    rp__dedup_verify_sides(c->j, &sa, &sb, v);
}

/* Details of one level are dropped before the next level loads its own. */
void rp__dedup_drop_details(job *j)
{
    if (j->details)
        for (size_t d = 0; d < j->ndocs; d++) {
            free(j->details[d]);
            j->details[d] = NULL;
        }
}

/* Details of the documents marked in need added to those held (a
 * re-read); a document already held must not be marked. */
static int add_details(job *j, const uint8_t *need, const uint8_t *unit_need,
                       int what, rp_error *err)
{
    if (!j->details)
        j->details = calloc(j->ndocs + 1, sizeof *j->details);
    if (!j->details)
        return RP_ENOMEM;
    size_t nneed = 0;
    uint32_t last = 0;
    for (size_t d = 0; d < j->ndocs; d++)
        if (need[d]) {
            nneed++;
            last = (uint32_t)d;
        }
    j->detail_units = what;
    j->unit_need = unit_need;
    int rc = RP_OK;
    if (nneed) {
        pass2_ctx c;
        memset(&c, 0, sizeof c);
        c.nw = j->o->threads ? j->o->threads : 1;
        c.need = need;
        c.last = last;
        c.err = err;
        worker *w = NULL;
        rc = rp__workers_new(&w, c.nw, &j->sign, &j->fields);
        for (int i = 0; i < 2; i++) {
            c.b[i].j = j;
            c.b[i].workers = w;
        }
        if (rc == RP_OK) {
            rc = rp__dedup_reread(j, pass2_doc, &c, err);
            if (rc == RP_DONE) /* stopped after the last one marked */
                rc = RP_OK;
        }
        /* the reader is gone: names come from the job now */
        c.b[0].reader = c.b[1].reader = NULL;
        if (rc == RP_OK)
            rc = pass2_launch(j, &c);
        int rc_wait = pass2_wait(j, &c);
        if (rc_wait != RP_OK) /* earlier in the input than rc's cause */
            rc = rc_wait;
        for (int i = 0; i < 2; i++) {
            for (size_t k = 0; k < c.b[i].n; k++)
                free(c.b[i].items[k].det);
            free(c.b[i].items);
            rp__units_dispose(&c.b[i].units);
        }
        rp__workers_free(w, c.nw);
    }
    j->unit_need = NULL;
    return rc;
}

/* See job.h: details of the documents marked in need (a re-read). */
int rp__dedup_load_details(job *j, const uint8_t *need, const uint8_t *unit_need,
                           int what, rp_error *err)
{
    rp__dedup_drop_details(j);
    return add_details(j, need, unit_need, what, err);
}

/* Details of the documents in pairs p of one level, and of the units that
 * have an index candidate. */
static int load_details(job *j, const rp_pair *p, size_t n, int units,
                        rp_error *err)
{
    uint8_t *need = calloc(j->ndocs + 1, 1);
    uint8_t *unit_need = units ? calloc(j->nunits + 1, 1) : NULL;
    if (!need || (units && !unit_need)) {
        free(need);
        free(unit_need);
        return RP_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t sa[2], sb[2];
        if (identical(j, &p[i], units, sa, sb))
            continue;
        uint32_t a = units ? j->unit_doc[p[i].a] : p[i].a;
        uint32_t b = units ? j->unit_doc[p[i].b] : p[i].b;
        need[a] = need[b] = 1;
        if (units)
            unit_need[p[i].a] = unit_need[p[i].b] = 1;
    }
    rp__against_need(j, units, need, unit_need);
    int rc = rp__dedup_load_details(j, need, unit_need,
                                    units ? RP_DETAIL_UNITS : RP_DETAIL_DOC,
                                    err);
    free(unit_need);
    free(need);
    return rc;
}

/* ---- verification under --memory: in blocks of documents ----------------- */

/*
 * When the details of every document in a pair would pass half of
 * --memory, the documents are cut, in input order, into blocks whose
 * details fit in that half (a document alone may pass it). The input is
 * then read once per block, up to the last document paired with it: the
 * block's details are kept; each later document paired with the block is
 * verified against it as it is read (in input order, on the reading
 * thread) and dropped; at the end the pairs inside the block are verified
 * in parallel. Each pair is verified once, from the same details as in
 * memory, into its own slot: the results are those of the in-memory path.
 */

/* an upper bound of detail_new's bytes for document d */
static size_t detail_bound(const job *j, uint32_t d, int units)
{
    const doc *x = &j->docs[d];
    size_t np = j->sign.num_perm;
    return sizeof(detail) + 64 + 24 * (size_t)x->ntokens +
           4 * np * (1 + (units ? (size_t)x->nunits : 0)) +
           24 * (size_t)x->nunits;
}

/* the document of a pair's end */
static uint32_t pair_doc(const job *j, uint32_t u, int units)
{
    return units ? j->unit_doc[u] : u;
}

/* One block's read: its documents kept, later partners verified. */
typedef struct block_ctx {
    vctx v;
    const uint32_t *blk;
    uint32_t b;
    const size_t *start; /* partner d's pairs: idx[start[d] .. start[d+1]) */
    const uint32_t *idx;
} block_ctx;

static int block_sink(job *j, uint32_t d, const detail *det, rp_error *err)
{
    (void)err;
    block_ctx *c = j->detail_ctx;
    if (c->blk[d] == c->b) { /* the block's own: kept */
        j->details[d] = (detail *)det;
        return RP_OK;
    }
    j->details[d] = (detail *)det;
    for (size_t k = c->start[d]; k < c->start[d + 1]; k++)
        verify_item(&c->v, c->idx[k], 0);
    j->details[d] = NULL;
    return RP_OK;
}

static int verify_blocked(job *j, const rp_pair *p, size_t n, int units,
                          const uint8_t *need, const uint8_t *unit_need,
                          verified *v, rp_error *err)
{
    size_t budget = j->o->memory / 2;
    uint32_t *blk = malloc((j->ndocs + 1) * sizeof *blk);
    uint32_t *idx = malloc((n + 1) * sizeof *idx);
    uint32_t *pidx = malloc((n + 1) * sizeof *pidx);
    size_t *start = calloc(j->ndocs + 2, sizeof *start);
    uint8_t *mark = calloc(j->ndocs + 1, 1);
    int rc = blk && idx && pidx && start && mark ? RP_OK : RP_ENOMEM;
    uint32_t nb = 0;
    if (rc == RP_OK) {
        size_t held = 0;
        for (uint32_t d = 0; d < j->ndocs; d++) {
            blk[d] = NONE32;
            if (!need[d])
                continue;
            size_t b = detail_bound(j, d, units);
            if (nb == 0 || (held && held + b > budget)) {
                nb++;
                held = 0;
            }
            held += b;
            blk[d] = nb - 1;
        }
    }
    const int what = units ? RP_DETAIL_UNITS : RP_DETAIL_DOC;
    vctx vc = {j, p, v, units, idx};
    /* exact copies need no details: verified first; the others are
       grouped by their earlier block (bpair, counting sort), so each
       block looks at its own pairs only */
    size_t *bstart = rc == RP_OK ? calloc((size_t)nb + 2, sizeof *bstart)
                                 : NULL;
    uint32_t *bpair = rc == RP_OK ? malloc((n + 1) * sizeof *bpair) : NULL;
    if (rc == RP_OK && (!bstart || !bpair))
        rc = RP_ENOMEM;
    size_t m = 0;
    for (size_t i = 0; rc == RP_OK && i < n; i++) {
        uint32_t sa[2], sb[2];
        if (identical(j, &p[i], units, sa, sb)) {
            idx[m++] = (uint32_t)i;
            continue;
        }
        uint32_t x = blk[pair_doc(j, p[i].a, units)];
        uint32_t y = blk[pair_doc(j, p[i].b, units)];
        bstart[(x < y ? x : y) + 2]++;
    }
    if (rc == RP_OK) {
        for (uint32_t b = 0; b < nb; b++)
            bstart[b + 2] += bstart[b + 1];
        for (size_t i = 0; i < n; i++) {
            uint32_t sa[2], sb[2];
            if (identical(j, &p[i], units, sa, sb))
                continue;
            uint32_t x = blk[pair_doc(j, p[i].a, units)];
            uint32_t y = blk[pair_doc(j, p[i].b, units)];
            bpair[bstart[(x < y ? x : y) + 1]++] = (uint32_t)i;
        }
        rp_parallel_for(j->o->threads, m, verify_item, &vc);
    }
    rp__dedup_drop_details(j);
    block_ctx bc = {{j, p, v, units, NULL}, blk, 0, start, pidx};
    for (uint32_t b = 0; rc == RP_OK && b < nb; b++) {
        /* the pairs inside the block (idx), and those with a later
           partner, grouped by partner (pidx, counting sort) */
        memset(start, 0, (j->ndocs + 2) * sizeof *start);
        memset(mark, 0, j->ndocs);
        m = 0;
        for (size_t k = bstart[b]; k < bstart[b + 1]; k++) {
            uint32_t i = bpair[k];
            uint32_t x = blk[pair_doc(j, p[i].a, units)];
            uint32_t y = blk[pair_doc(j, p[i].b, units)];
            if (x == y) {
                idx[m++] = i;
            } else {
                uint32_t other = pair_doc(j, x == b ? p[i].b : p[i].a, units);
                start[other + 2]++;
                mark[other] = 1;
            }
        }
        for (size_t d = 0; d < j->ndocs; d++)
            start[d + 2] += start[d + 1];
        for (size_t k = bstart[b]; k < bstart[b + 1]; k++) {
            uint32_t i = bpair[k];
            uint32_t x = blk[pair_doc(j, p[i].a, units)];
            uint32_t y = blk[pair_doc(j, p[i].b, units)];
            if (x == y)
                continue;
            uint32_t other = pair_doc(j, x == b ? p[i].b : p[i].a, units);
            pidx[start[other + 1]++] = i;
        }
        for (uint32_t d = 0; d < j->ndocs; d++)
            if (blk[d] == b)
                mark[d] = 1;
        /* one read: the block kept, its later partners verified */
        bc.b = b;
        j->read_pass = b;
        j->read_passes = nb;
        j->detail_sink = block_sink;
        j->detail_ctx = &bc;
        rc = add_details(j, mark, unit_need, what, err);
        j->detail_sink = NULL;
        j->detail_ctx = NULL;
        j->st->verify_reads++;
        if (rc == RP_OK)
            rp_parallel_for(j->o->threads, m, verify_item, &vc);
        rp__dedup_drop_details(j);
    }
    j->st->verify_blocks += nb;
    j->read_pass = j->read_passes = 0;
    free(bstart);
    free(bpair);
    free(blk);
    free(idx);
    free(pidx);
    free(start);
    free(mark);
    return rc;
}

/* The verified pairs of one level into the job, or dropped on an error. */
int rp__dedup_keep_verified(job *j, verified *v, size_t n, int units, int rc)
{
    if (rc != RP_OK) {
        free(v);
        return rc;
    }
    if (units) {
        j->ppairs = v;
        j->npp = n;
    } else {
        j->dpairs = v;
        j->ndp = n;
    }
    return RP_OK;
}

/* Verify pairs of one level in parallel into j->dpairs or j->ppairs. */
int rp__dedup_verify(job *j, const rp_pair *p, size_t n, int units,
                        rp_error *err)
{
    if (j->remote) /* a run over ranks: each verifies its own pairs */
        return rp__dist_verify(j, p, n, units, err);
    if (j->o->memory && !j->o->against && n) {
        int rc = RP_OK;
        uint8_t *need = calloc(j->ndocs + 1, 1);
        uint8_t *unit_need = units ? calloc(j->nunits + 1, 1) : NULL;
        if (!need || (units && !unit_need))
            rc = RP_ENOMEM;
        size_t total = 0;
        for (size_t i = 0; rc == RP_OK && i < n; i++) {
            uint32_t sa[2], sb[2];
            if (identical(j, &p[i], units, sa, sb))
                continue;
            uint32_t a = pair_doc(j, p[i].a, units);
            uint32_t b = pair_doc(j, p[i].b, units);
            for (int k = 0; k < 2; k++) {
                uint32_t d = k ? b : a;
                if (!need[d])
                    total += detail_bound(j, d, units);
                need[d] = 1;
            }
            if (units)
                unit_need[p[i].a] = unit_need[p[i].b] = 1;
        }
        verified *v = NULL;
        if (rc == RP_OK && total > j->o->memory / 2) {
            v = malloc((n + 1) * sizeof *v);
            rc = v ? verify_blocked(j, p, n, units, need, unit_need, v, err)
                   : RP_ENOMEM;
            free(need);
            free(unit_need);
            return rp__dedup_keep_verified(j, v, n, units, rc);
        }
        free(need);
        free(unit_need);
        if (rc != RP_OK)
            return rc;
    }
    int rc = load_details(j, p, n, units, err);
    if (rc != RP_OK)
        return rc;
    verified *v = malloc((n + 1) * sizeof *v);
    if (!v)
        return RP_ENOMEM;
    vctx c = {j, p, v, units, NULL};
    rp_parallel_for(j->o->threads, n, verify_item, &c);
    rc = rp__against_verify(j, units, err);
    rp__dedup_drop_details(j);
    return rp__dedup_keep_verified(j, v, n, units, rc);
}

