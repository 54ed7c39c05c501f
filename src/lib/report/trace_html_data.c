/*
 * trace_html_data.c - the data the trace page's script draws its views
 * from (trace_html.js): one JSON object, embedded in the page as a
 * <script type="application/json"> data block (never run; < > & escaped by
 * rp_html_put_script_data). A browser reads a data block as one string and
 * parses it in well under a second at Reuters-21578 size, where the same
 * report as markup took tens of seconds, so the page builds only the view
 * on screen.
 *
 * Every string from the input passes rp_html_put_visible (bidi controls
 * shown as "[U+202E]") and the script shows it with textContent only.
 *
 *   {"o": [outlet, ...],
 *    "d": [[n, id, outlet, date, title, url], ...]    documents referred
 *          to, in input order; n: place in the input from 1 (the view's
 *          anchor #d<n>); outlet: index into "o"; date "" when unknown;
 *          title, url null when none
 *    "p": [{"i": N (pN), "n": documents, "no": outlets, "x": cross-outlet,
 *           "or": origin member or -1, "ob": origin basis, "s": snippet,
 *           "m": [doc, ...] members in date order,
 *           "e": [[from, to, member, determined, similarity, added,
 *                  dropped, [evidence], [against]], ...]   from, to and
 *                  the member it links in: indices into "m"; evidence
 *                  only for the members drawn (RP_TRACE_GRAPH_MAX)
 *           "t": [[member, [plain, marked, plain, ...]], ...]  the first
 *                  RP_TRACE_SIDE_MAX drawn members' texts, words not shared with
 *                  the member they are linked to marked},
 *          ...] ranked by spread (trace_report.c)
 *    "b": [[N, [doc, ...], snippet], ...]   boilerplate passages
 *    "q": [[N, speaker, first date, tied, first doc, fullest doc,
 *           [[doc, speaker, speaker basis, kind, overlap %, text], ...],
 *           [more docs]], ...]   quote clusters, RP_TRACE_GRAPH_MAX members shown
 *    "f": [[from, to, copies, median lag hours or null], ...]}
 */
#include "../trace/trace_job.h"

#include "../../util/html_out.h"
#include "../../util/json_out.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct dctx {
    const tjob *j;
    rp_buf *b;
    rp_buf tmp;     /* one string made visible */
    uint32_t *ref;  /* document -> index in "d", or NONE */
    uint32_t *pos;  /* occurrence -> its place in the current passage's
                       members, or NONE */
} dctx;

static void jstr(dctx *c, const char *s, size_t n)
{
    c->tmp.len = 0;
    if (rp_html_put_visible(&c->tmp, s, n)) {
        c->b->failed = 1;
        return;
    }
    rp_json_put_string(c->b, c->tmp.data ? c->tmp.data : "", c->tmp.len);
}

static void jstrz(dctx *c, const char *s) { jstr(c, s, strlen(s)); }

static void jdate(dctx *c, const rp_date *d)
{
    char s[32];
    size_t n = rp_date_format(s, sizeof s, d);
    rp_json_put_string(c->b, s, n);
}

static void jdoc(dctx *c, uint32_t doc)
{
    rp_json_put_u64(c->b, c->ref[doc]);
}

static void comma(rp_buf *b, size_t i)
{
    if (i)
        rp_buf_putc(b, ',');
}

/* occurrence o's snippet: from a sentence or word start, 90 bytes */
static void jsnippet(dctx *c, uint32_t o)
{
    const occ *x = &c->j->occs[o];
    const tdoc *d = &c->j->docs[x->doc];
    uint32_t s = rp__trace_snippet_start(d, x->start, x->end);
    uint32_t n = x->end - s > 90 ? 90 : x->end - s;
    while (n < x->end - s && n > 0 && ((unsigned char)d->text[s + n] & 0xc0) ==
                                          0x80)
        n--; /* do not cut a character */
    c->tmp.len = 0;
    if (rp_html_put_visible(&c->tmp, d->text + s, n) ||
        (n < x->end - s && rp_buf_puts(&c->tmp, "…"))) {
        c->b->failed = 1;
        return;
    }
    rp_json_put_string(c->b, c->tmp.data, c->tmp.len);
}

/* occurrence o's place among the passage's members: pos[o], filled for the
   passage being written (passage()) */
static size_t member_index(const dctx *c, const tpassage *p, uint32_t o)
{
    return c->pos[o] < p->nm ? c->pos[o] : p->nm;
}

static void evidence(dctx *c, const tedge *e, uint8_t bits, int rev)
{
    char t[512];
    size_t k = 0;
    rp_buf_putc(c->b, '[');
    for (int bit = 1; bit <= EV_LAST; bit <<= 1) {
        if (!(bits & bit))
            continue;
        size_t n = rp__trace_evidence_text(c->j, e, bit, rev, t, sizeof t);
        comma(c->b, k++);
        c->tmp.len = 0;
        rp_buf_printf(&c->tmp, "%s: ", rp__trace_evidence_name(bit));
        rp_html_put_visible(&c->tmp, t, n);
        rp_json_put_string(c->b, c->tmp.data, c->tmp.len);
    }
    rp_buf_putc(c->b, ']');
}

/* occurrence x as [plain, marked, plain, ...]: marked, the words it does
   not share with y */
static void marked(dctx *c, uint32_t x, uint32_t y)
{
    const tjob *j = c->j;
    const tdoc *d = &j->docs[j->occs[x].doc];
    const occ *o = &j->occs[x];
    uint8_t *mark = malloc(d->ntok + 1);
    uint32_t t0 = 0, nt = 0;
    if (!mark || rp__trace_uncovered(j, x, y, mark, &t0, &nt) < 0) {
        free(mark);
        c->b->failed = 1;
        return;
    }
    rp_buf_putc(c->b, '[');
    uint32_t at = o->start;
    for (uint32_t i = 0; i < nt;) {
        if (!mark[i]) {
            i++;
            continue;
        }
        uint32_t k = i;
        while (k + 1 < nt && mark[k + 1])
            k++;
        uint32_t s = d->tok[2 * (t0 + i)], e = d->tok[2 * (t0 + k) + 1];
        if (s < at)
            s = at;
        if (e > o->end)
            e = o->end;
        if (s < e) {
            jstr(c, d->text + at, s - at);
            rp_buf_putc(c->b, ',');
            jstr(c, d->text + s, e - s);
            rp_buf_putc(c->b, ',');
            at = e;
        }
        i = k + 1;
    }
    jstr(c, d->text + at, o->end - at);
    rp_buf_putc(c->b, ']');
    free(mark);
}

static const tedge *edge_of(const tjob *j, const tpassage *p, uint32_t o)
{
    for (size_t i = 0; i < p->nedges; i++)
        if (j->edges[p->edge0 + i].member == o)
            return &j->edges[p->edge0 + i];
    return NULL;
}

static void passage(dctx *c, const trank *r, uint32_t *drawn, uint8_t *pos)
{
    const tjob *j = c->j;
    rp_buf *b = c->b;
    const tpassage *p = &j->pass[r->pass];
    for (size_t m = p->nm; m-- > 0;)
        c->pos[p->members[m]] = (uint32_t)m; /* the first, if twice */
    /* members drawn: the first GRAPH_MAX in date order, the origin always */
    size_t nd = p->nm < RP_TRACE_GRAPH_MAX ? p->nm : RP_TRACE_GRAPH_MAX;
    int has_origin = p->origin == NONE;
    for (size_t m = 0; m < nd; m++) {
        drawn[m] = (uint32_t)m;
        has_origin |= p->members[m] == p->origin;
    }
    if (!has_origin)
        drawn[nd - 1] = (uint32_t)member_index(c, p, p->origin);
    rp_buf_printf(b, "{\"i\":%u,\"n\":%u,\"no\":%u,\"x\":%d,\"or\":",
                  r->pass + 1, r->docs, r->outlets, p->cross ? 1 : 0);
    if (p->origin == NONE)
        rp_buf_puts(b, "-1");
    else
        rp_json_put_u64(b, member_index(c, p, p->origin));
    rp_buf_puts(b, ",\"ob\":");
    jstrz(c, p->origin == NONE              ? "tie"
             : p->origin_basis == EV_DATES ? "dates"
                                           : "text");
    rp_buf_puts(b, ",\"s\":");
    jsnippet(c, p->lead);
    rp_buf_puts(b, ",\"m\":[");
    for (size_t m = 0; m < p->nm; m++) {
        comma(b, m);
        jdoc(c, j->occs[p->members[m]].doc);
        pos[m] = 0;
    }
    for (size_t k = 0; k < nd; k++)
        pos[drawn[k]] = 1; /* drawn: its edge carries evidence */
    rp_buf_puts(b, "],\"e\":[");
    for (size_t i = 0; i < p->nedges; i++) {
        const tedge *e = &j->edges[p->edge0 + i];
        size_t mf = member_index(c, p, e->from);
        size_t mt = member_index(c, p, e->to);
        size_t mm = member_index(c, p, e->member);
        comma(b, i);
        rp_buf_printf(b, "[%zu,%zu,%zu,%d,", mf, mt, mm,
                      e->determined ? 1 : 0);
        rp_json_put_double(b, e->sim, 2);
        rp_buf_printf(b, ",%u,%u,", e->added, e->dropped);
        if (mm < p->nm && pos[mm]) {
            evidence(c, e, e->support, 0);
            rp_buf_putc(b, ',');
            evidence(c, e, e->against, 1);
        } else {
            rp_buf_puts(b, "[],[]");
        }
        rp_buf_putc(b, ']');
    }
    rp_buf_puts(b, "],\"t\":[");
    size_t ns = nd < RP_TRACE_SIDE_MAX ? nd : RP_TRACE_SIDE_MAX;
    for (size_t k = 0; k < ns; k++) {
        uint32_t x = p->members[drawn[k]];
        uint32_t other = p->members[drawn[k ? 0 : 1]];
        const tedge *e = k ? edge_of(j, p, x) : NULL;
        if (e)
            other = e->to == x ? e->from : e->to;
        comma(b, k);
        rp_buf_printf(b, "[%u,", drawn[k]);
        marked(c, x, other);
        rp_buf_putc(b, ']');
    }
    rp_buf_puts(b, "]}");
    for (size_t m = 0; m < p->nm; m++)
        c->pos[p->members[m]] = NONE;
}

static void quote_cluster(dctx *c, size_t ci)
{
    const tjob *j = c->j;
    rp_buf *b = c->b;
    const tqcluster *q = &j->qclusters[ci];
    const tquote *f = &j->quotes[q->fullest];
    const tdoc *fd = &j->docs[f->doc];
    rp_buf_printf(b, "[%zu,", ci + 1);
    if (f->q.basis == RP_SPEAKER_NONE)
        rp_buf_puts(b, "null");
    else
        jstr(c, fd->text + f->q.speaker_start,
             f->q.speaker_end - f->q.speaker_start);
    rp_buf_putc(b, ',');
    jdate(c, &j->docs[j->quotes[q->members[0]].doc].date);
    rp_buf_printf(b, ",%d,", q->tied ? 1 : 0);
    jdoc(c, j->quotes[q->members[0]].doc);
    rp_buf_putc(b, ',');
    jdoc(c, f->doc);
    rp_buf_puts(b, ",[");
    size_t shown = q->nm < RP_TRACE_GRAPH_MAX ? q->nm : RP_TRACE_GRAPH_MAX;
    for (size_t m = 0; m < shown; m++) {
        const tquote *x = &j->quotes[q->members[m]];
        const tdoc *d = &j->docs[x->doc];
        comma(b, m);
        rp_buf_putc(b, '[');
        jdoc(c, x->doc);
        rp_buf_putc(b, ',');
        if (x->q.basis == RP_SPEAKER_NONE)
            rp_buf_puts(b, "null");
        else
            jstr(c, d->text + x->q.speaker_start,
                 x->q.speaker_end - x->q.speaker_start);
        rp_buf_putc(b, ',');
        jstrz(c, rp__trace_speaker_basis(x->q.basis));
        rp_buf_putc(b, ',');
        jstrz(c, rp__trace_quote_kind(x->kind));
        rp_buf_printf(b, ",%.0f,", 100 * x->overlap);
        jstr(c, d->text + x->q.start, x->q.end - x->q.start);
        rp_buf_putc(b, ']');
    }
    rp_buf_puts(b, "],[");
    for (size_t m = shown; m < q->nm; m++) {
        comma(b, m - shown);
        jdoc(c, j->quotes[q->members[m]].doc);
    }
    rp_buf_puts(b, "]]");
}

/* the documents referred to, numbered in input order */
static int number_docs(dctx *c, size_t *count)
{
    const tjob *j = c->j;
    c->ref = malloc((j->ndocs + 1) * sizeof *c->ref);
    if (!c->ref)
        return RP_ENOMEM;
    for (size_t d = 0; d < j->ndocs; d++)
        c->ref[d] = NONE;
    for (size_t pi = 0; pi < j->npass; pi++)
        for (size_t m = 0; m < j->pass[pi].nm; m++)
            c->ref[j->occs[j->pass[pi].members[m]].doc] = 0;
    for (size_t ci = 0; ci < j->nqclusters; ci++)
        for (size_t m = 0; m < j->qclusters[ci].nm; m++)
            c->ref[j->quotes[j->qclusters[ci].members[m]].doc] = 0;
    uint32_t n = 0;
    for (size_t d = 0; d < j->ndocs; d++)
        if (c->ref[d] == 0)
            c->ref[d] = n++;
    *count = n;
    return RP_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int rp__trace_html_outlets(const tjob *j, const char ***out, size_t *count)
{
    *out = NULL;
    *count = 0;
    const char **names = malloc((j->ndocs + 1) * sizeof *names);
    uint8_t *in = calloc(j->ndocs + 1, 1);
    if (!names || !in) {
        free(names);
        free(in);
        return RP_ENOMEM;
    }
    for (size_t pi = 0; pi < j->npass; pi++)
        for (size_t m = 0; m < j->pass[pi].nm; m++)
            in[j->occs[j->pass[pi].members[m]].doc] = 1;
    for (size_t ci = 0; ci < j->nqclusters; ci++)
        for (size_t m = 0; m < j->qclusters[ci].nm; m++)
            in[j->quotes[j->qclusters[ci].members[m]].doc] = 1;
    size_t no = 0;
    for (size_t d = 0; d < j->ndocs; d++)
        if (in[d])
            names[no++] = j->docs[d].outlet;
    free(in);
    qsort(names, no, sizeof *names, cmp_str);
    size_t nu = 0;
    for (size_t i = 0; i < no; i++)
        if (i == 0 || strcmp(names[i], names[nu - 1]) != 0)
            names[nu++] = names[i];
    *out = names;
    *count = nu;
    return RP_OK;
}

uint32_t rp__trace_html_outlet(const char *const *names, size_t n,
                               const char *s)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(names[mid], s) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (uint32_t)lo;
}

int rp__trace_html_data(const tjob *j, const trank *rank, size_t nrank,
                        rp_buf *out)
{
    dctx c;
    memset(&c, 0, sizeof c);
    c.j = j;
    rp_buf json;
    memset(&json, 0, sizeof json);
    c.b = &json;
    size_t nref = 0, maxnm = 1, nu = 0;
    const char **names = NULL;
    for (size_t pi = 0; pi < j->npass; pi++)
        if (j->pass[pi].nm > maxnm)
            maxnm = j->pass[pi].nm;
    uint32_t *drawn = malloc(RP_TRACE_GRAPH_MAX * sizeof *drawn);
    uint8_t *pos = malloc(maxnm * sizeof *pos);
    c.pos = malloc((j->nocc + 1) * sizeof *c.pos);
    int rc = drawn && pos && c.pos ? number_docs(&c, &nref) : RP_ENOMEM;
    if (rc == RP_OK) /* the distinct names of the documents referred to */
        rc = rp__trace_html_outlets(j, &names, &nu);
    if (rc != RP_OK)
        goto done;
    for (size_t o = 0; o < j->nocc; o++)
        c.pos[o] = NONE;
    rp_buf_puts(&json, "{\"o\":[");
    for (size_t i = 0; i < nu; i++) {
        comma(&json, i);
        jstrz(&c, names[i]);
    }
    rp_buf_puts(&json, "],\n\"d\":[");
    for (size_t d = 0, k = 0; d < j->ndocs; d++) {
        const tdoc *x = &j->docs[d];
        if (c.ref[d] == NONE)
            continue;
        rp_buf_puts(&json, k++ ? ",\n[" : "\n[");
        rp_json_put_u64(&json, d + 1);
        rp_buf_putc(&json, ',');
        jstrz(&c, x->id);
        rp_buf_printf(&json, ",%u,",
                      rp__trace_html_outlet(names, nu, x->outlet));
        jdate(&c, &x->date);
        rp_buf_putc(&json, ',');
        if (x->title)
            jstrz(&c, x->title);
        else
            rp_buf_puts(&json, "null");
        rp_buf_putc(&json, ',');
        if (x->url)
            jstrz(&c, x->url);
        else
            rp_buf_puts(&json, "null");
        rp_buf_putc(&json, ']');
    }
    rp_buf_puts(&json, "],\n\"p\":[");
    for (size_t i = 0; i < nrank; i++) {
        rp_buf_puts(&json, i ? ",\n" : "\n");
        passage(&c, &rank[i], drawn, pos);
    }
    rp_buf_puts(&json, "],\n\"b\":[");
    for (size_t pi = 0, k = 0; pi < j->npass; pi++) {
        const tpassage *p = &j->pass[pi];
        if (!p->boilerplate)
            continue;
        rp_buf_printf(&json, "%s[%zu,[", k++ ? ",\n" : "\n", pi + 1);
        for (size_t m = 0; m < p->nm; m++) {
            comma(&json, m);
            jdoc(&c, j->occs[p->members[m]].doc);
        }
        rp_buf_puts(&json, "],");
        jsnippet(&c, p->lead);
        rp_buf_putc(&json, ']');
    }
    rp_buf_puts(&json, "],\n\"q\":[");
    for (size_t ci = 0; ci < j->nqclusters; ci++) {
        rp_buf_puts(&json, ci ? ",\n" : "\n");
        quote_cluster(&c, ci);
    }
    rp_buf_puts(&json, "],\n\"f\":[");
    for (size_t i = 0; i < j->nflows; i++) {
        const tflow *f = &j->flows[i];
        rp_buf_puts(&json, i ? ",\n[" : "\n[");
        jstrz(&c, f->from);
        rp_buf_putc(&json, ',');
        jstrz(&c, f->to);
        rp_buf_printf(&json, ",%u,", f->edges);
        if (isnan(f->median_lag_h))
            rp_buf_puts(&json, "null");
        else
            rp_json_put_double(&json, f->median_lag_h, 1);
        rp_buf_putc(&json, ']');
    }
    rp_buf_puts(&json, "]}\n");
    if (json.failed || c.tmp.failed)
        rc = RP_ENOMEM;
    else if (rp_html_put_script_data(out, json.data, json.len))
        rc = RP_ENOMEM;
done:
    free(names);
    free(drawn);
    free(pos);
    free(c.ref);
    free(c.pos);
    rp_buf_dispose(&c.tmp);
    rp_buf_dispose(&json);
    return rc;
}
