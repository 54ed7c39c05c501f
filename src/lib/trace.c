/*
 * trace.c - the trace job: read, find shared passages, cluster them, then
 * hand over to evidence, quotes and the reports (pipeline in
 * reprint/trace.h, state in trace_job.h).
 *
 *   docs[d]      id, outlet, date, text, shingle sequence, token spans
 *   index        (sampled shingle, doc) sorted -> doc pairs with counts
 *   occ[o]       (doc, byte span) of a passage occurrence
 *   links        (occ, occ, similarity) from the alignments
 *   leader[o]    the occurrence whose cluster o joined (or itself)
 */
#include "reprint/trace.h"

#include "reprint/align.h"
#include "reprint/date.h"
#include "reprint/dedup.h"
#include "reprint/verify.h"

#include "error.h"
#include "trace_job.h"
#include "../util/pairs.h"
#include "../util/sort.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *dup_n(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* ---- read ------------------------------------------------------------------ */

static int read_all(tjob *j, const char *const *inputs, size_t n,
                    const rp_dedup_callbacks *cb, rp_error *err)
{
    rp_reader *r = NULL;
    rp_parser *p = NULL;
    rp_signer *s = NULL;
    rp_sign_options so = j->o->sign;
    so.paragraphs = 0;
    int rc = rp_reader_new(&r, inputs, j->o->names, n, &j->o->reader, err);
    if (rc == RP_OK)
        rc = rp_parser_new(&p, &j->o->fields);
    if (rc == RP_OK)
        rc = rp_signer_new(&s, &so);
    while (rc == RP_OK) {
        rp_unit u;
        rp_error e;
        int x = rp_reader_next(r, &u, &e);
        if (x == RP_DONE)
            break;
        rp_record rec;
        const char *fname = rp_reader_file_name(r, u.file);
        if (x == RP_OK)
            x = rp_parser_parse(p, &rec, &u, fname, &e);
        rp_fingerprint fp;
        if (x == RP_OK && rec.text_len >= UINT32_MAX)
            x = rp__error_set(&e, RP_ETOOBIG, fname, u.line, u.offset,
                              "text of 4 GiB or more");
        if (x == RP_OK)
            x = rp_signer_sign(s, &fp, rec.text, rec.text_len);
        if (x != RP_OK) {
            if (x == RP_ENOMEM || !j->o->skip_bad) {
                if (err && x != RP_ENOMEM)
                    *err = e;
                rc = x;
                break;
            }
            j->st->bad_records++;
            if (cb && cb->bad_record)
                cb->bad_record(cb->ctx, &e);
            continue;
        }
        tdoc d;
        memset(&d, 0, sizeof d);
        /* outlet: source field, URL host, .txt folder, the record's own
           file name; a JSON Lines file's name says nothing of outlets */
        const char *outlet = "";
        d.outlet_basis = OUTLET_UNKNOWN;
        if (rec.source) {
            outlet = rec.source;
            d.outlet_basis = rec.source_basis == RP_SOURCE_URL ? OUTLET_URL
                             : rec.source_basis == RP_SOURCE_FOLDER
                                 ? OUTLET_FOLDER
                                 : OUTLET_SOURCE;
        } else if (rec.file && *rec.file) {
            outlet = rec.file;
            d.outlet_basis = OUTLET_FILE;
        }
        d.id = dup_n(rec.id, strlen(rec.id));
        d.outlet = dup_n(outlet, strlen(outlet));
        d.text = dup_n(rec.text, rec.text_len);
        d.text_len = (uint32_t)rec.text_len;
        d.date = rec.date;
        d.file = u.file;
        d.line = u.line;
        d.nsh = fp.nshingles;
        d.ntok = fp.ntokens;
        d.sh = malloc((d.nsh + 1) * sizeof *d.sh);
        d.tok = malloc((2 * (size_t)d.ntok + 1) * sizeof *d.tok);
        if (!d.id || !d.outlet || !d.text || !d.sh || !d.tok) {
            free(d.id);
            free(d.outlet);
            free(d.text);
            free(d.sh);
            free(d.tok);
            rc = RP_ENOMEM;
            break;
        }
        memcpy(d.sh, fp.shingles, d.nsh * sizeof *d.sh);
        for (uint32_t t = 0; t < d.ntok; t++) {
            d.tok[2 * t] = fp.tokens[t].offset;
            d.tok[2 * t + 1] = fp.tokens[t].offset + fp.tokens[t].len;
        }
        if (RP_VEC_PUSH(j->docs, j->ndocs, j->docs_cap, d)) {
            rc = RP_ENOMEM;
            break;
        }
        j->st->records++;
    }
    if (r && rc == RP_OK) {
        j->nfnames = rp_reader_file_count(r);
        j->fnames = calloc(j->nfnames + 1, sizeof *j->fnames);
        if (!j->fnames)
            rc = RP_ENOMEM;
        for (size_t i = 0; rc == RP_OK && i < j->nfnames; i++) {
            const char *f = rp_reader_file_name(r, (uint32_t)i);
            j->fnames[i] = dup_n(f, strlen(f));
            if (!j->fnames[i])
                rc = RP_ENOMEM;
        }
    }
    rp_signer_free(s);
    rp_parser_free(p);
    rp_reader_free(r);
    return rc;
}

/* ---- candidate pairs from a sampled shingle index -------------------------- */

/* document pairs sharing two sampled shingles (about 8 shared in all) */
static int candidates(tjob *j, uint64_t **out, size_t *count)
{
    rp_posting *post = NULL;
    size_t np = 0, pcap = 0;
    uint64_t *tmp = NULL;
    size_t tcap = 0;
    int rc = RP_OK;
    for (size_t d = 0; d < j->ndocs && rc == RP_OK; d++) {
        const tdoc *x = &j->docs[d];
        if (rp_vec_grow((void **)&tmp, &tcap, x->nsh + 1, sizeof *tmp)) {
            rc = RP_ENOMEM;
            break;
        }
        memcpy(tmp, x->sh, x->nsh * sizeof *tmp);
        size_t n = rp_set_make(tmp, x->nsh);
        for (size_t i = 0; i < n && rc == RP_OK; i++) {
            if (tmp[i] & 3)
                continue; /* the 1-in-4 sample */
            rp_posting p = {tmp[i], (uint32_t)d};
            if (RP_VEC_PUSH(post, np, pcap, p))
                rc = RP_ENOMEM;
        }
    }
    if (rc == RP_OK && rp_pairs_sharing(post, np, j->o->max_df, 2, out, count,
                                        &j->st->common_shingles))
        rc = RP_ENOMEM;
    free(post);
    free(tmp);
    j->st->candidate_pairs = rc == RP_OK ? *count : 0;
    return rc;
}

/* ---- occurrences and links ------------------------------------------------- */

/* The occurrence of doc d covering [s, e): an existing one overlapping it by
 * at least half of the shorter, widened to the union, or a new one. */
static int occurrence(tjob *j, uint32_t d, uint32_t s, uint32_t e,
                      uint32_t *out)
{
    for (uint32_t i = j->doc_head[d]; i != NONE; i = j->occs[i].next) {
        occ *o = &j->occs[i];
        uint32_t lo = s > o->start ? s : o->start;
        uint32_t hi = e < o->end ? e : o->end;
        uint32_t shorter = (e - s) < (o->end - o->start) ? (e - s)
                                                         : (o->end - o->start);
        if (hi > lo && 2 * (hi - lo) >= shorter) {
            if (s < o->start)
                o->start = s;
            if (e > o->end)
                o->end = e;
            *out = (uint32_t)i;
            return RP_OK;
        }
    }
    occ o = {d, s, e, j->doc_head[d]};
    if (j->nocc >= NONE - 1 || RP_VEC_PUSH(j->occs, j->nocc, j->occ_cap, o))
        return RP_ENOMEM;
    *out = (uint32_t)(j->nocc - 1);
    j->doc_head[d] = *out;
    return RP_OK;
}

static int align_pairs(tjob *j, const uint64_t *pairs, size_t n)
{
    const uint32_t k = j->o->sign.shingle;
    const uint32_t min_sh = j->o->min_tokens > k ? j->o->min_tokens - k + 1 : 1;
    j->doc_head = malloc((j->ndocs + 1) * sizeof *j->doc_head);
    if (!j->doc_head)
        return RP_ENOMEM;
    for (size_t d = 0; d < j->ndocs; d++)
        j->doc_head[d] = NONE;
    for (size_t i = 0; i < n; i++) {
        uint32_t da = (uint32_t)(pairs[i] >> 32), db = (uint32_t)pairs[i];
        const tdoc *a = &j->docs[da], *b = &j->docs[db];
        rp_segment *seg;
        size_t nseg;
        RP_TRY(rp_align(&seg, &nseg, a->sh, a->nsh, b->sh, b->nsh,
                        j->o->max_gap, min_sh));
        if (nseg)
            j->st->aligned_pairs++;
        int rc = RP_OK;
        for (size_t s = 0; s < nseg && rc == RP_OK; s++) {
            uint32_t al = seg[s].a_last + k - 1, bl = seg[s].b_last + k - 1;
            if (al >= a->ntok)
                al = a->ntok - 1;
            if (bl >= b->ntok)
                bl = b->ntok - 1;
            uint32_t oa, ob;
            rc = occurrence(j, da, a->tok[2 * seg[s].a_first],
                            a->tok[2 * al + 1], &oa);
            if (rc == RP_OK)
                rc = occurrence(j, db, b->tok[2 * seg[s].b_first],
                                b->tok[2 * bl + 1], &ob);
            uint32_t la = seg[s].a_last - seg[s].a_first + 1;
            uint32_t lb = seg[s].b_last - seg[s].b_first + 1;
            link l = {oa, ob, (double)seg[s].anchors / (la > lb ? la : lb)};
            if (rc == RP_OK && RP_VEC_PUSH(j->links, j->nlinks, j->links_cap, l))
                rc = RP_ENOMEM;
        }
        free(seg);
        if (rc != RP_OK)
            return rc;
    }
    return RP_OK;
}

/*
 * Occurrences of one document that overlap by at least half of the shorter
 * are one passage there: merge them (transitively, in start order) and
 * point links at the survivors. Links inside one occurrence are dropped.
 */
static int merge_occurrences(tjob *j)
{
    uint32_t *remap = malloc((j->nocc + 1) * sizeof *remap);
    uint32_t *list = malloc((j->nocc + 1) * sizeof *list);
    if (!remap || !list) {
        free(remap);
        free(list);
        return RP_ENOMEM;
    }
    for (size_t o = 0; o < j->nocc; o++)
        remap[o] = (uint32_t)o;
    for (size_t d = 0; d < j->ndocs; d++) {
        size_t n = 0;
        for (uint32_t i = j->doc_head[d]; i != NONE; i = j->occs[i].next)
            list[n++] = i;
        /* insertion sort by (start, id): lists are short */
        for (size_t a = 1; a < n; a++) {
            uint32_t x = list[a];
            size_t b = a;
            while (b > 0 && (j->occs[list[b - 1]].start > j->occs[x].start ||
                             (j->occs[list[b - 1]].start == j->occs[x].start &&
                              list[b - 1] > x))) {
                list[b] = list[b - 1];
                b--;
            }
            list[b] = x;
        }
        for (size_t a = 0; a < n;) {
            occ *keep = &j->occs[list[a]];
            size_t b = a + 1;
            while (b < n) {
                occ *o = &j->occs[list[b]];
                uint32_t hi = o->end < keep->end ? o->end : keep->end;
                uint32_t shorter = (o->end - o->start) <
                                           (keep->end - keep->start)
                                       ? (o->end - o->start)
                                       : (keep->end - keep->start);
                if (hi <= o->start || 2 * (hi - o->start) < shorter)
                    break;
                if (o->end > keep->end)
                    keep->end = o->end;
                remap[list[b]] = list[a];
                b++;
            }
            a = b;
        }
    }
    size_t w = 0;
    for (size_t i = 0; i < j->nlinks; i++) {
        link l = j->links[i];
        l.a = remap[l.a];
        l.b = remap[l.b];
        if (l.a != l.b)
            j->links[w++] = l;
    }
    j->nlinks = w;
    /* merged-away occurrences become empty: no links, never leaders of 2+ */
    for (size_t o = 0; o < j->nocc; o++)
        if (remap[o] != o)
            j->occs[o].start = j->occs[o].end = 0;
    free(remap);
    free(list);
    return RP_OK;
}

/* ---- clusters and order ---------------------------------------------------- */

/* date order of occurrences: known dates first, by interval start, then
 * input order, then position */
static int occ_before(const void *ctx, uint32_t x, uint32_t y)
{
    const tjob *j = ctx;
    const occ *a = &j->occs[x], *b = &j->occs[y];
    int c = rp_date_cmp(&j->docs[a->doc].date, &j->docs[b->doc].date);
    if (c == 0)
        c = a->doc < b->doc ? -1 : a->doc > b->doc;
    if (c == 0)
        c = a->start < b->start ? -1 : a->start > b->start;
    return c < 0;
}


/* 1 when the two documents' date intervals overlap, or a date is unknown */
int rp__trace_dates_tie(const rp_date *a, const rp_date *b)
{
    if (a->precision == RP_DATE_UNKNOWN || b->precision == RP_DATE_UNKNOWN)
        return 1;
    int64_t ae = a->start + rp_date_width(a), be = b->start + rp_date_width(b);
    return a->start < be && b->start < ae;
}

/* Links by occurrence (CSR), both directions. */
static int build_adj(tjob *j)
{
    j->adj_start = calloc(j->nocc + 2, sizeof *j->adj_start);
    j->adj = malloc((2 * j->nlinks + 1) * sizeof *j->adj);
    size_t *fill = calloc(j->nocc + 1, sizeof *fill);
    if (!j->adj_start || !j->adj || !fill) {
        free(fill);
        return RP_ENOMEM;
    }
    for (size_t i = 0; i < j->nlinks; i++) {
        j->adj_start[j->links[i].a + 1]++;
        j->adj_start[j->links[i].b + 1]++;
    }
    for (size_t o = 0; o < j->nocc; o++)
        j->adj_start[o + 1] += j->adj_start[o];
    for (size_t i = 0; i < j->nlinks; i++) {
        const link *l = &j->links[i];
        adj x = {l->b, l->sim}, y = {l->a, l->sim};
        j->adj[j->adj_start[l->a] + fill[l->a]++] = x;
        j->adj[j->adj_start[l->b] + fill[l->b]++] = y;
    }
    free(fill);
    return RP_OK;
}

double rp__trace_link_sim(const tjob *j, uint32_t x, uint32_t y)
{
    double best = 0;
    for (size_t i = j->adj_start[x]; i < j->adj_start[x + 1]; i++)
        if (j->adj[i].to == y && j->adj[i].sim > best)
            best = j->adj[i].sim;
    return best;
}

/*
 * Passages: the members of each leader's cluster, in date order (CSR,
 * counting sort). A passage is a leader with at least two members.
 */
static int make_passages(tjob *j, const uint32_t *order,
                         const uint32_t *leader)
{
    j->gstart = calloc(j->nocc + 2, sizeof *j->gstart);
    j->gmember = malloc((j->nocc + 1) * sizeof *j->gmember);
    if (!j->gstart || !j->gmember)
        return RP_ENOMEM;
    for (size_t o = 0; o < j->nocc; o++)
        j->gstart[leader[o] + 2]++;
    for (size_t o = 0; o < j->nocc; o++)
        j->gstart[o + 2] += j->gstart[o + 1];
    for (size_t r = 0; r < j->nocc; r++)
        j->gmember[j->gstart[leader[order[r]] + 1]++] = order[r];
    size_t cap = 0;
    for (size_t r = 0; r < j->nocc; r++) {
        uint32_t lead = order[r];
        size_t nm = j->gstart[lead + 1] - j->gstart[lead];
        const uint32_t *m = j->gmember + j->gstart[lead];
        if (nm < 2 || m[0] != lead)
            continue;
        tpassage p;
        memset(&p, 0, sizeof p);
        p.lead = lead;
        p.members = m;
        p.nm = nm;
        p.origin = NONE;
        if (RP_VEC_PUSH(j->pass, j->npass, cap, p))
            return RP_ENOMEM;
    }
    j->st->passages = j->npass;
    return RP_OK;
}

const char *rp__trace_outlet_basis(uint8_t basis)
{
    switch (basis) {
    case OUTLET_SOURCE: return "source";
    case OUTLET_URL: return "url";
    case OUTLET_FOLDER: return "folder";
    case OUTLET_FILE: return "file";
    default: return "unknown";
    }
}

uint32_t rp__trace_token_at(const tdoc *d, uint32_t at)
{
    uint32_t lo = 0, hi = d->ntok;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (d->tok[2 * mid] < at)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* ---- the job ------------------------------------------------------------------ */

static void tjob_free(tjob *j)
{
    for (size_t d = 0; d < j->ndocs; d++) {
        free(j->docs[d].id);
        free(j->docs[d].outlet);
        free(j->docs[d].text);
        free(j->docs[d].sh);
        free(j->docs[d].tok);
    }
    free(j->docs);
    free(j->occs);
    free(j->links);
    free(j->doc_head);
    free(j->adj_start);
    free(j->adj);
    free(j->gstart);
    free(j->gmember);
    free(j->pass);
    free(j->edges);
    free(j->flows);
    rp__trace_quotes_free(j);
    for (size_t i = 0; i < j->nfnames; i++)
        free(j->fnames[i]);
    free(j->fnames);
}

/* leader clustering in date order over the links: an occurrence joins the
 * cluster of the earlier occurrence it aligns with best, if that one leads
 * a cluster itself (no chaining) */
static int cluster_passages(tjob *j)
{
    uint32_t *order = malloc((j->nocc + 1) * sizeof *order);
    uint32_t *rank = malloc((j->nocc + 1) * sizeof *rank);
    uint32_t *leader = malloc((j->nocc + 1) * sizeof *leader);
    double *best = malloc((j->nocc + 1) * sizeof *best);
    int rc = order && rank && leader && best ? build_adj(j) : RP_ENOMEM;
    if (rc == RP_OK) {
        for (size_t i = 0; i < j->nocc; i++)
            order[i] = (uint32_t)i;
        rp_sort_indices(order, rank, j->nocc, occ_before, j);
        for (size_t r = 0; r < j->nocc; r++)
            rank[order[r]] = (uint32_t)r;
        for (size_t r = 0; r < j->nocc; r++) {
            uint32_t u = order[r];
            leader[u] = u;
            best[u] = -1;
            for (size_t i = j->adj_start[u]; i < j->adj_start[u + 1]; i++) {
                uint32_t v = j->adj[i].to;
                double sim = j->adj[i].sim;
                if (v == u || rank[v] >= rank[u] || leader[v] != v)
                    continue;
                if (sim > best[u] ||
                    (sim == best[u] && rank[v] < rank[leader[u]])) {
                    best[u] = sim;
                    leader[u] = v;
                }
            }
        }
        rc = make_passages(j, order, leader);
    }
    free(order);
    free(rank);
    free(leader);
    free(best);
    return rc;
}

typedef int (*report_fn)(const tjob *j, rp_buf *b);

/* one report into its temporary file; the set is renamed at the end */
static int report(const tjob *j, const char *path, report_fn fn,
                  rp_writer **w, rp_error *err)
{
    if (!path)
        return RP_OK;
    rp_buf b = {0};
    int rc = fn(j, &b);
    if (rc == RP_OK && b.failed)
        rc = RP_ENOMEM;
    if (rc == RP_OK)
        rc = rp_writer_new(w, path, err);
    if (rc == RP_OK)
        rc = rp_writer_write(*w, b.data, b.len);
    rp_buf_dispose(&b);
    return rc;
}

int rp_trace_run(const char *const *inputs, size_t ninputs,
                 const rp_trace_options *o, const rp_trace_outputs *outs,
                 const rp_dedup_callbacks *cb, rp_trace_stats *st,
                 rp_error *err)
{
    memset(st, 0, sizeof *st);
    if (!o || o->version != RP_TRACE_OPTIONS_VERSION || ninputs == 0)
        return RP_EINVAL;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    tjob j;
    memset(&j, 0, sizeof j);
    j.o = o;
    j.st = st;
    uint64_t *pairs = NULL;
    size_t npairs = 0;
    int rc = read_all(&j, inputs, ninputs, cb, err);
    if (rc == RP_OK)
        rc = candidates(&j, &pairs, &npairs);
    if (rc == RP_OK)
        rc = align_pairs(&j, pairs, npairs);
    if (rc == RP_OK)
        rc = merge_occurrences(&j);
    free(pairs);
    if (rc == RP_OK)
        rc = cluster_passages(&j);
    if (rc == RP_OK)
        rc = rp__trace_edges(&j);
    if (rc == RP_OK)
        rc = rp__trace_flows(&j);
    if (rc == RP_OK)
        rc = rp__trace_quotes(&j);
    /* the reports as one set: all renamed, or none (rp_writer_commit_set) */
    rp_writer *w[3] = {NULL, NULL, NULL};
    if (rc == RP_OK)
        rc = report(&j, outs->json, rp__trace_json, &w[0], err);
    if (rc == RP_OK)
        rc = report(&j, outs->md, rp__trace_md, &w[1], err);
    if (rc == RP_OK)
        rc = report(&j, outs->html, rp__trace_html, &w[2], err);
    rc = rp_writer_commit_set(w, 3, rc, err);
    tjob_free(&j);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    st->seconds = (double)(t1.tv_sec - t0.tv_sec) +
                  (t1.tv_nsec - t0.tv_nsec) * 1e-9;
    return rc;
}
