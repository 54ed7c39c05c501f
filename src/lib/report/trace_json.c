/*
 * trace_json.c - the trace result as JSON (schema: README.md, "reprint
 * trace --json"). Ids are stable for the same input and options:
 * documents by their own id, passages p1.. in order of first appearance,
 * edges p<N>.e<M>, quote clusters q1.. in order of first appearance.
 */
#include "../trace/trace_job.h"

#include "../../util/json_out.h"
#include "../../util/parallel.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void str(rp_buf *b, const char *s)
{
    rp_json_put_string(b, s, strlen(s));
}

static void key(rp_buf *b, const char *k)
{
    rp_buf_putc(b, ',');
    str(b, k);
    rp_buf_putc(b, ':');
}

static void date(rp_buf *b, const rp_date *d)
{
    char s[32];
    size_t n = rp_date_format(s, sizeof s, d);
    if (n)
        rp_json_put_string(b, s, n);
    else
        rp_buf_puts(b, "null");
}

static void span(rp_buf *b, const tdoc *d, uint32_t s, uint32_t e)
{
    rp_buf_puts(b, ",\"span\":[");
    rp_json_put_u64(b, s);
    rp_buf_putc(b, ',');
    rp_json_put_u64(b, e);
    rp_buf_puts(b, "],\"text\":");
    rp_json_put_string(b, d->text + s, e - s);
}

static void doc_ref(rp_buf *b, const tdoc *d)
{
    rp_buf_puts(b, "{\"doc\":");
    str(b, d->id);
    key(b, "outlet");
    str(b, d->outlet);
    key(b, "date");
    date(b, &d->date);
}

static void evidence(rp_buf *b, const tjob *j, const tedge *e, uint8_t bits,
                     int reverse)
{
    rp_buf_putc(b, '[');
    int first = 1;
    for (int bit = 1; bit <= EV_LAST; bit <<= 1) {
        if (!(bits & bit))
            continue;
        char t[512];
        size_t n = rp__trace_evidence_text(j, e, bit, reverse, t, sizeof t);
        rp_buf_puts(b, first ? "{\"kind\":" : ",{\"kind\":");
        first = 0;
        str(b, rp__trace_evidence_name(bit));
        if (bit == EV_CARRIED) {
            key(b, "word");
            str(b, e->carried);
        }
        key(b, "detail");
        rp_json_put_string(b, t, n);
        rp_buf_putc(b, '}');
    }
    rp_buf_putc(b, ']');
}

static const char *basis_name(uint8_t support, int determined)
{
    if (!determined)
        return NULL;
    if (support & EV_DATES)
        return support & ~EV_DATES ? "dates+text" : "dates";
    return "text";
}

static void passage(rp_buf *b, const tjob *j, size_t pi)
{
    const tpassage *p = &j->pass[pi];
    char id[48];
    snprintf(id, sizeof id, "p%zu", pi + 1);
    rp_buf_puts(b, "\n{\"id\":");
    str(b, id);
    rp_buf_puts(b, p->boilerplate ? ",\"boilerplate\":true"
                                  : ",\"boilerplate\":false");
    rp_buf_puts(b, p->cross ? ",\"cross_outlet\":true"
                            : ",\"cross_outlet\":false");
    rp_buf_puts(b, p->common ? ",\"common\":true" : ",\"common\":false");
    key(b, "house_outlet");
    if (p->house == NONE)
        rp_buf_puts(b, "null");
    else
        str(b, j->docs[p->house].outlet);
    key(b, "origin");
    if (p->origin == NONE)
        rp_buf_puts(b, "null");
    else
        str(b, j->docs[j->occs[p->origin].doc].id);
    key(b, "origin_basis");
    if (p->boilerplate)
        str(b, "boilerplate: kept out of provenance");
    else if (p->origin == NONE)
        str(b, "tie: the earliest dates overlap or are unknown, and the "
               "text does not decide");
    else if (p->origin_basis == EV_DATES)
        str(b, "dates");
    else
        str(b, p->origin_basis & EV_ATTRIBUTION
                   ? (p->origin_basis & EV_SPLICE ? "text: attribution, splice"
                                                  : "text: attribution")
                   : "text: splice");
    rp_buf_puts(b, ",\"members\":[");
    for (size_t m = 0; m < p->nm; m++) {
        const occ *o = &j->occs[p->members[m]];
        const tdoc *d = &j->docs[o->doc];
        if (m)
            rp_buf_putc(b, ',');
        doc_ref(b, d);
        span(b, d, o->start, o->end);
        rp_buf_putc(b, '}');
    }
    rp_buf_puts(b, "],\"edges\":[");
    for (size_t i = 0; i < p->nedges; i++) {
        const tedge *e = &j->edges[p->edge0 + i];
        const tdoc *a = &j->docs[j->occs[e->from].doc];
        const tdoc *c = &j->docs[j->occs[e->to].doc];
        snprintf(id, sizeof id, "p%zu.e%zu", pi + 1, i + 1);
        rp_buf_puts(b, i ? ",\n {\"id\":" : "\n {\"id\":");
        str(b, id);
        key(b, "from");
        str(b, a->id);
        key(b, "to");
        str(b, c->id);
        key(b, "direction");
        str(b, e->determined ? "from->to" : "undetermined");
        key(b, "basis");
        const char *bn = basis_name(e->support, e->determined);
        if (bn)
            str(b, bn);
        else
            rp_buf_puts(b, "null");
        key(b, "similarity");
        rp_json_put_double(b, e->sim, 4);
        key(b, "source_confidence");
        rp_json_put_double(b, e->confidence, 4);
        rp_buf_puts(b, ",\"containment\":{\"from_in_to\":");
        rp_json_put_double(b, e->from_tokens ? 1.0 - (double)e->dropped /
                                                         e->from_tokens
                                             : 0,
                           4);
        rp_buf_puts(b, ",\"to_in_from\":");
        rp_json_put_double(b, e->to_tokens ? 1.0 - (double)e->added /
                                                       e->to_tokens
                                           : 0,
                           4);
        rp_buf_putc(b, '}');
        key(b, "within_outlet");
        int within = a->outlet_basis != OUTLET_UNKNOWN &&
                     c->outlet_basis != OUTLET_UNKNOWN &&
                     strcmp(a->outlet, c->outlet) == 0;
        rp_buf_puts(b, within ? "true" : "false");
        key(b, "lag_hours");
        if (a->date.precision && c->date.precision)
            rp_json_put_double(
                b, (double)(c->date.start - a->date.start) / 3600.0, 2);
        else
            rp_buf_puts(b, "null");
        key(b, "added_tokens");
        rp_json_put_u64(b, e->added);
        key(b, "dropped_tokens");
        rp_json_put_u64(b, e->dropped);
        key(b, "evidence");
        evidence(b, j, e, e->support, 0);
        key(b, "against");
        evidence(b, j, e, e->against, 1);
        rp_buf_putc(b, '}');
    }
    rp_buf_puts(b, "]}");
}

static void quote_cluster(rp_buf *b, const tjob *j, size_t ci)
{
    const tqcluster *c = &j->qclusters[ci];
    const tquote *f = &j->quotes[c->fullest];
    const tdoc *fd = &j->docs[f->doc];
    const tquote *first = &j->quotes[c->members[0]];
    char id[32];
    snprintf(id, sizeof id, "q%zu", ci + 1);
    rp_buf_puts(b, "\n{\"id\":");
    str(b, id);
    key(b, "speaker");
    if (f->q.basis == RP_SPEAKER_NONE)
        rp_buf_puts(b, "null");
    else
        rp_json_put_string(b, fd->text + f->q.speaker_start,
                           f->q.speaker_end - f->q.speaker_start);
    key(b, "speaker_key");
    str(b, f->key);
    key(b, "first_seen");
    date(b, &j->docs[first->doc].date);
    key(b, "first");
    if (c->tied)
        rp_buf_puts(b, "null");
    else
        str(b, j->docs[first->doc].id);
    rp_buf_puts(b, c->tied ? ",\"tied\":true" : ",\"tied\":false");
    key(b, "fullest");
    str(b, fd->id);
    rp_buf_puts(b, ",\"members\":[");
    for (size_t m = 0; m < c->nm; m++) {
        const tquote *q = &j->quotes[c->members[m]];
        const tdoc *d = &j->docs[q->doc];
        rp_buf_puts(b, m ? ",\n " : "\n ");
        doc_ref(b, d);
        span(b, d, q->q.start, q->q.end);
        key(b, "speaker");
        if (q->q.basis == RP_SPEAKER_NONE)
            rp_buf_puts(b, "null");
        else
            rp_json_put_string(b, d->text + q->q.speaker_start,
                               q->q.speaker_end - q->q.speaker_start);
        key(b, "speaker_basis");
        str(b, rp__trace_speaker_basis(q->q.basis));
        key(b, "kind");
        str(b, rp__trace_quote_kind(q->kind));
        key(b, "content_overlap");
        rp_json_put_double(b, q->overlap, 4);
        key(b, "paragraphs");
        rp_json_put_u64(b, q->q.paragraphs);
        rp_buf_puts(b, q->q.closed ? ",\"closed\":true}" : ",\"closed\":false}");
    }
    rp_buf_puts(b, "]}");
}

/* one linked document pair: graded similarity, direction */
static void link_json(rp_buf *b, const tjob *j, size_t i)
{
    const tcompare *c = &j->cmp[j->dlinks[i]];
    rp_buf_puts(b, i ? ",\n{\"a\":" : "\n{\"a\":");
    str(b, j->docs[c->a].id);
    key(b, "b");
    str(b, j->docs[c->b].id);
    key(b, "score");
    rp_json_put_double(b, rp__trace_link_score(c), 4);
    key(b, "reuse");
    rp_buf_puts(b, rp__trace_link_reuse(j->dl_kind[i]) ? "true" : "false");
    key(b, "kind");
    str(b, j->dl_kind[i] == LK_PASSAGE    ? "passage"
           : j->dl_kind[i] == LK_SIMILAR  ? "similar"
           : j->dl_kind[i] == LK_REWORDED ? "reworded"
           : j->dl_kind[i] == LK_TEMPLATE ? "template"
                                          : "related");
    key(b, "jaccard");
    rp_json_put_double(b, c->jaccard, 4);
    key(b, "words");
    rp_json_put_double(b, c->words, 4);
    key(b, "word_order");
    rp_json_put_double(b, c->order, 4);
    rp_buf_puts(b, ",\"containment\":{\"a_in_b\":");
    rp_json_put_double(b, c->a_in_b, 4);
    key(b, "b_in_a");
    rp_json_put_double(b, c->b_in_a, 4);
    rp_buf_puts(b, "},\"coverage\":{\"a\":");
    rp_json_put_double(b, c->cov_a, 4);
    key(b, "b");
    rp_json_put_double(b, c->cov_b, 4);
    rp_buf_putc(b, '}');
    key(b, "passages");
    rp_json_put_u64(b, c->nseg);
    key(b, "shared_words");
    rp_json_put_u64(b, c->shared_words);
    key(b, "direction");
    str(b, j->dl_dir[i] == 1 ? "a->b" : j->dl_dir[i] == 2 ? "b->a"
                                                          : "undetermined");
    key(b, "basis");
    uint8_t sup = j->dl_support[i];
    if (!j->dl_dir[i])
        rp_buf_puts(b, "null");
    else
        str(b, sup & EV_DATES ? (sup & ~EV_DATES ? "dates+text" : "dates")
                              : "text");
    key(b, "evidence");
    rp_buf_putc(b, '[');
    int first = 1;
    for (int bit = 1; bit <= EV_LAST; bit <<= 1)
        if (j->dl_dir[i] && (sup & bit)) {
            if (!first)
                rp_buf_putc(b, ',');
            first = 0;
            str(b, rp__trace_evidence_name(bit));
        }
    rp_buf_puts(b, "]}");
}

static void doc_json(rp_buf *b, const tjob *j, size_t d)
{
    const tdoc *x = &j->docs[d];
    rp_buf_puts(b, d ? ",\n{\"id\":" : "\n{\"id\":");
    str(b, x->id);
    key(b, "outlet");
    str(b, x->outlet);
    key(b, "outlet_basis");
    str(b, rp__trace_outlet_basis(x->outlet_basis));
    key(b, "date");
    date(b, &x->date);
    key(b, "file");
    str(b, x->file < j->nfnames ? j->fnames[x->file] : "");
    key(b, "line");
    rp_json_put_u64(b, x->line);
    key(b, "url");
    if (x->url)
        str(b, x->url);
    else
        rp_buf_puts(b, "null");
    key(b, "title");
    if (x->title)
        str(b, x->title);
    else
        rp_buf_puts(b, "null");
    rp_buf_putc(b, '}');
}

static void passage_json(rp_buf *b, const tjob *j, size_t pi)
{
    if (pi)
        rp_buf_putc(b, ',');
    passage(b, j, pi);
}

/* ---- items formatted on the workers, joined in order ---------------------- */

typedef void (*item_fn)(rp_buf *b, const tjob *j, size_t i);

typedef struct chunks {
    const tjob *j;
    item_fn fn;
    size_t n, per;
    rp_buf *out; /* one per chunk */
} chunks;

static void chunk_task(void *ctx, size_t c, size_t worker)
{
    (void)worker;
    chunks *k = ctx;
    size_t end = (c + 1) * k->per < k->n ? (c + 1) * k->per : k->n;
    for (size_t i = c * k->per; i < end; i++)
        k->fn(&k->out[c], k->j, i);
}

/* fn(b, j, i) for i in [0, n), in order: with more than one thread, runs
 * of items are written to buffers of their own on the workers and then
 * appended, so the bytes are the same for any number of threads */
static void items(rp_buf *b, const tjob *j, size_t n, item_fn fn)
{
    size_t threads = j->o->threads ? j->o->threads : 1;
    size_t nc = threads * 8 < n / 64 ? threads * 8 : n / 64;
    rp_buf *out = threads > 1 && nc > 1 ? calloc(nc, sizeof *out) : NULL;
    if (!out) {
        for (size_t i = 0; i < n; i++)
            fn(b, j, i);
        return;
    }
    chunks k = {j, fn, n, (n + nc - 1) / nc, out};
    rp_parallel_for(threads, nc, chunk_task, &k);
    for (size_t c = 0; c < nc; c++) {
        if (out[c].failed)
            b->failed = 1;
        else
            rp_buf_put(b, out[c].data, out[c].len);
        rp_buf_dispose(&out[c]);
    }
    free(out);
}

int rp__trace_json(const tjob *j, rp_buf *b)
{
    const rp_trace_stats *st = j->st;
    rp_buf_puts(b, "{\"reprint\":\"trace\",\"version\":2,\"summary\":{");
    rp_buf_puts(b, "\"documents\":");
    rp_json_put_u64(b, j->ndocs);
    key(b, "candidate_pairs");
    rp_json_put_u64(b, st->candidate_pairs);
    key(b, "pairs_sharing_passages");
    rp_json_put_u64(b, st->aligned_pairs);
    key(b, "passages");
    rp_json_put_u64(b, st->passages);
    key(b, "boilerplate_passages");
    rp_json_put_u64(b, st->boilerplate);
    key(b, "quotes");
    rp_json_put_u64(b, st->quotes);
    key(b, "quote_clusters");
    rp_json_put_u64(b, st->quote_clusters);
    key(b, "links");
    rp_json_put_u64(b, st->links);
    key(b, "common_keys_chained");
    rp_json_put_u64(b, st->common_shingles);
    key(b, "ties_over_cap");
    rp_json_put_u64(b, st->ties_capped);
    rp_buf_puts(b, "},\n\"documents\":[");
    items(b, j, j->ndocs, doc_json);
    rp_buf_puts(b, "],\n\"passages\":[");
    items(b, j, j->npass, passage_json);
    rp_buf_puts(b, "],\n\"links\":[");
    items(b, j, j->ndlinks, link_json);
    rp_buf_puts(b, "],\n\"quotes\":[");
    for (size_t ci = 0; ci < j->nqclusters; ci++) {
        if (ci)
            rp_buf_putc(b, ',');
        quote_cluster(b, j, ci);
    }
    rp_buf_puts(b, "],\n\"flows\":[");
    for (size_t i = 0; i < j->nflows; i++) {
        const tflow *f = &j->flows[i];
        rp_buf_puts(b, i ? ",\n{\"from\":" : "\n{\"from\":");
        str(b, f->from);
        key(b, "to");
        str(b, f->to);
        key(b, "within_outlet");
        rp_buf_puts(b, f->from[0] && strcmp(f->from, f->to) == 0 ? "true"
                                                                 : "false");
        key(b, "edges");
        rp_json_put_u64(b, f->edges);
        key(b, "dated");
        rp_json_put_u64(b, f->dated);
        key(b, "median_lag_hours");
        if (isnan(f->median_lag_h))
            rp_buf_puts(b, "null");
        else
            rp_json_put_double(b, f->median_lag_h, 2);
        rp_buf_putc(b, '}');
    }
    rp_buf_puts(b, "]}\n");
    return b->failed ? RP_ENOMEM : RP_OK;
}
