/*
 * trace_flows.c - copies counted per (outlet, outlet) with the median lag
 * where both dates are known, and the evidence of an edge in words for
 * the reports (trace_job.h).
 */
#include "trace_job.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const tdoc *doc_of(const tjob *j, uint32_t o)
{
    return &j->docs[j->occs[o].doc];
}

/* ---- outlet flows ------------------------------------------------------------------ */

typedef struct fl {
    const char *from, *to;
    double lag_h; /* NAN when a date is unknown */
} fl;

static int cmp_fl(const void *x, const void *y)
{
    const fl *a = x, *b = y;
    int c = strcmp(a->from, b->from);
    if (c == 0)
        c = strcmp(a->to, b->to);
    if (c == 0 && !isnan(a->lag_h) && !isnan(b->lag_h))
        c = a->lag_h < b->lag_h ? -1 : a->lag_h > b->lag_h;
    if (c == 0)
        c = isnan(a->lag_h) - isnan(b->lag_h);
    return c;
}

int rp__trace_flows(tjob *j)
{
    fl *v = malloc((j->nedges + 1) * sizeof *v);
    if (!v)
        return RP_ENOMEM;
    size_t n = 0;
    for (size_t pi = 0; pi < j->npass; pi++) {
        const tpassage *p = &j->pass[pi];
        for (size_t i = p->edge0; i < p->edge0 + p->nedges; i++) {
            const tedge *e = &j->edges[i];
            if (!e->determined)
                continue;
            const tdoc *a = doc_of(j, e->from), *b = doc_of(j, e->to);
            fl x = {a->outlet, b->outlet, NAN};
            if (a->date.precision != RP_DATE_UNKNOWN &&
                b->date.precision != RP_DATE_UNKNOWN)
                x.lag_h = (double)(b->date.start - a->date.start) / 3600.0;
            v[n++] = x;
        }
    }
    qsort(v, n, sizeof *v, cmp_fl);
    size_t cap = 0;
    int rc = RP_OK;
    for (size_t i = 0; i < n && rc == RP_OK;) {
        size_t k = i + 1, dated = !isnan(v[i].lag_h);
        while (k < n && strcmp(v[k].from, v[i].from) == 0 &&
               strcmp(v[k].to, v[i].to) == 0) {
            dated += !isnan(v[k].lag_h);
            k++;
        }
        /* dated lags sort first within the group */
        tflow f = {v[i].from, v[i].to, (uint32_t)(k - i), (uint32_t)dated,
                   NAN};
        if (dated)
            f.median_lag_h = dated % 2 ? v[i + dated / 2].lag_h
                                       : (v[i + dated / 2 - 1].lag_h +
                                          v[i + dated / 2].lag_h) / 2;
        if (RP_VEC_PUSH(j->flows, j->nflows, cap, f))
            rc = RP_ENOMEM;
        i = k;
    }
    free(v);
    return rc;
}

/* ---- evidence in words ---------------------------------------------------------- */

static size_t put_date(char *out, size_t cap, const rp_date *d)
{
    size_t n = rp_date_format(out, cap, d);
    if (!n)
        n = (size_t)snprintf(out, cap, "date unknown");
    return n;
}

size_t rp__trace_evidence_text(const tjob *j, const tedge *e, int bit,
                               int reverse, char *out, size_t cap)
{
    const tdoc *a = doc_of(j, reverse ? e->to : e->from);
    const tdoc *b = doc_of(j, reverse ? e->from : e->to);
    char da[32], db[32], w[128];
    int n = 0;
    switch (bit) {
    case EV_DATES:
        put_date(da, sizeof da, &a->date);
        put_date(db, sizeof db, &b->date);
        n = snprintf(out, cap, "%s (%s) was published before %s (%s)", a->id,
                     da, b->id, db);
        break;
    case EV_ATTRIBUTION:
        rp__trace_outlet_word(a, w, sizeof w);
        n = snprintf(out, cap, "%s names %s's outlet \"%s\"", b->id, a->id,
                     w);
        break;
    case EV_SPLICE:
        n = snprintf(out, cap, "%s joins in one paragraph passages that %s "
                               "has in separate paragraphs", b->id, a->id);
        break;
    case EV_QUOTED:
        n = snprintf(out, cap, "%s has the text on quoted ('>') lines, %s "
                               "as its own", b->id, a->id);
        break;
    case EV_CARRIED:
        put_date(da, sizeof da, &a->date);
        put_date(db, sizeof db, &b->date);
        n = snprintf(out, cap, "\"%s\" in %s (%s) as in %s (%s): a "
                               "relative date carried over", e->carried,
                     b->id, db, a->id, da);
        break;
    }
    if (n < 0)
        n = 0;
    return (size_t)n < cap ? (size_t)n : cap - 1;
}

const char *rp__trace_evidence_name(int bit)
{
    switch (bit) {
    case EV_DATES: return "dates";
    case EV_ATTRIBUTION: return "attribution";
    case EV_SPLICE: return "splice";
    case EV_CARRIED: return "carried_date";
    case EV_QUOTED: return "quoted";
    default: return "?";
    }
}
