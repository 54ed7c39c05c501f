/*
 * trace_evidence.c - who took each passage from whom, and on what grounds.
 *
 *   boilerplate  a passage with three or more documents of one outlet
 *                making at least half its members, and on average under a
 *                third of their text, is that outlet's own repeated text
 *                (footers, bylines, page junk): marked, kept out of
 *                provenance. A republished story (most of the text) is
 *                reuse within the outlet, not boilerplate.
 *   edges        each later member of a passage is linked to the earlier
 *                member it aligns with best (the copy graph); confidence:
 *                that alignment's share of all its alignments with
 *                earlier members
 *   direction    dates, when the two date intervals do not overlap; text
 *                evidence otherwise, or on top:
 *                  attribution  the copy names the source's outlet
 *                               ("according to Press TV")
 *                  splice       the copy joins in one paragraph passages
 *                               the source has in separate paragraphs
 *                  carried      a relative date ("on Friday") in the copy's
 *                               paragraph, also in the source, published
 *                               a week (a day for "yesterday") later
 *                Without dates, only attribution and splice decide; with
 *                evidence both ways, or none, the direction stays open.
 *   origin       the earliest member by date; when the earliest dates tie,
 *                the one text evidence shows as the source of all the
 *                others tied with it, else none
 *   flows        determined edges counted per (outlet, outlet), with the
 *                median lag where both dates are known
 */
#include "trace_job.h"

#include "../util/sort.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const tdoc *doc_of(const tjob *j, uint32_t o)
{
    return &j->docs[j->occs[o].doc];
}

/* ---- text evidence between two documents ------------------------------------ */

static int lc(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static int word_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c >= 0x80;
}

/* `w` (ASCII, case-insensitive) as a whole word in text[s, e) */
static int has_word(const char *t, uint32_t s, uint32_t e, const char *w)
{
    size_t n = strlen(w);
    if (n == 0 || e - s < n)
        return 0;
    for (uint32_t i = s; i + n <= e; i++) {
        size_t k = 0;
        while (k < n && lc((unsigned char)t[i + k]) == lc((unsigned char)w[k]))
            k++;
        if (k == n && (i == s || !word_char((unsigned char)t[i - 1])) &&
            (i + n == e || !word_char((unsigned char)t[i + n])))
            return 1;
    }
    return 0;
}

/* the outlet's name as a reader would write it: a source field as is; a
 * URL host by its registered name ("presstv.ir" -> "presstv") */
static size_t outlet_word(const tdoc *d, char *out, size_t cap)
{
    if (d->outlet_basis != OUTLET_SOURCE && d->outlet_basis != OUTLET_URL)
        return 0;
    const char *s = d->outlet;
    size_t n = strlen(s);
    if (d->outlet_basis == OUTLET_URL) {
        const char *dot = strrchr(s, '.');
        if (dot) {
            n = (size_t)(dot - s);
            const char *prev = s + n;
            while (prev > s && prev[-1] != '.')
                prev--;
            n -= (size_t)(prev - s);
            s = prev;
        }
    }
    if (n < 3 || n >= cap)
        return 0;
    memcpy(out, s, n);
    out[n] = '\0';
    return n;
}

/* does b's text name a's outlet (and is it not b's own)? */
static int attribution(const tdoc *a, const tdoc *b)
{
    char w[128];
    if (!outlet_word(a, w, sizeof w))
        return 0;
    if (b->outlet_basis != OUTLET_UNKNOWN && strcmp(a->outlet, b->outlet) == 0)
        return 0;
    return has_word(b->text, 0, b->text_len, w);
}

static int newline_in(const tdoc *d, uint32_t s, uint32_t e)
{
    for (uint32_t i = s; i < e; i++)
        if (d->text[i] == '\n')
            return 1;
    return 0;
}

/* two spans and what lies between them inside one paragraph */
static int joined(const tdoc *d, const occ *x, const occ *y)
{
    uint32_t s = x->start < y->start ? x->start : y->start;
    uint32_t e = x->end > y->end ? x->end : y->end;
    return !newline_in(d, s, e);
}

/* a paragraph break between two spans that do not overlap */
static int apart(const tdoc *d, const occ *x, const occ *y)
{
    const occ *a = x->start < y->start ? x : y, *b = a == x ? y : x;
    return a->end <= b->start && newline_in(d, a->end, b->start);
}

/* does doc b join in one paragraph what doc a keeps in separate ones? */
static int splice(const tjob *j, uint32_t a, uint32_t b)
{
    for (uint32_t x = j->doc_head[b]; x != NONE; x = j->occs[x].next) {
        for (uint32_t y = j->occs[x].next; y != NONE; y = j->occs[y].next) {
            if (!joined(&j->docs[b], &j->occs[x], &j->occs[y]))
                continue;
            /* x and y share one paragraph of b: are their counterparts in
               a in different paragraphs? */
            for (size_t i = j->adj_start[x]; i < j->adj_start[x + 1]; i++) {
                uint32_t ax = j->adj[i].to;
                if (j->occs[ax].doc != a)
                    continue;
                for (size_t k = j->adj_start[y]; k < j->adj_start[y + 1];
                     k++) {
                    uint32_t ay = j->adj[k].to;
                    if (j->occs[ay].doc == a && ay != ax &&
                        apart(&j->docs[a], &j->occs[ax], &j->occs[ay]))
                        return 1;
                }
            }
        }
    }
    return 0;
}

/* text evidence that doc a is the source of doc b */
static uint8_t pair_evidence(const tjob *j, uint32_t a, uint32_t b)
{
    uint8_t ev = 0;
    if (attribution(&j->docs[a], &j->docs[b]))
        ev |= EV_ATTRIBUTION;
    if (splice(j, a, b))
        ev |= EV_SPLICE;
    return ev;
}

static const char *const relative[] = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
    "Sunday", "yesterday", "today", "tomorrow", NULL};

/* a relative date in the copy's paragraph around the passage, also in the
 * source, when the copy appeared days later: stale text carried over */
static int carried(const tjob *j, const tedge *e, char *word, size_t cap)
{
    const tdoc *a = doc_of(j, e->from), *b = doc_of(j, e->to);
    if (a->date.precision == RP_DATE_UNKNOWN ||
        b->date.precision == RP_DATE_UNKNOWN)
        return 0;
    int64_t gap = b->date.start - (a->date.start + rp_date_width(&a->date));
    const occ *bo = &j->occs[e->to];
    uint32_t ps = bo->start, pe = bo->end;
    while (ps > 0 && b->text[ps - 1] != '\n')
        ps--;
    while (pe < b->text_len && b->text[pe] != '\n')
        pe++;
    for (int i = 0; relative[i]; i++) {
        int weekday = i < 7;
        if (gap < (weekday ? 6 : 1) * 86400)
            continue;
        if (has_word(b->text, ps, pe, relative[i]) &&
            has_word(a->text, 0, a->text_len, relative[i])) {
            snprintf(word, cap, "%s", relative[i]);
            return 1;
        }
    }
    return 0;
}

/* ---- token coverage ------------------------------------------------------------ */

/* shingles of occurrence o lying inside it: [*s0, *s1) */
static void shingle_range(const tjob *j, uint32_t o, uint32_t *s0,
                          uint32_t *s1, uint32_t *t0, uint32_t *t1)
{
    const tdoc *d = doc_of(j, o);
    uint32_t k = j->o->sign.shingle;
    *t0 = rp__trace_token_at(d, j->occs[o].start);
    *t1 = rp__trace_token_at(d, j->occs[o].end);
    *s0 = *t0;
    *s1 = *t1 >= *t0 + k ? *t1 - k + 1 : *t0 + 1;
    if (*s1 > d->nsh)
        *s1 = d->nsh;
    if (*s0 > *s1)
        *s0 = *s1;
}

long rp__trace_uncovered(const tjob *j, uint32_t x, uint32_t y,
                         uint8_t *mark, uint32_t *first_tok, uint32_t *ntok)
{
    const tdoc *dx = doc_of(j, x), *dy = doc_of(j, y);
    uint32_t k = j->o->sign.shingle;
    uint32_t xs0, xs1, xt0, xt1, ys0, ys1, yt0, yt1;
    shingle_range(j, x, &xs0, &xs1, &xt0, &xt1);
    shingle_range(j, y, &ys0, &ys1, &yt0, &yt1);
    *first_tok = xt0;
    *ntok = xt1 - xt0;
    uint64_t *set = malloc((ys1 - ys0 + 1) * sizeof *set);
    if (!set)
        return -1;
    memcpy(set, dy->sh + ys0, (ys1 - ys0) * sizeof *set);
    rp_sort_u64(set, ys1 - ys0);
    long n = 0;
    for (uint32_t t = xt0; t < xt1; t++) {
        int covered = 0;
        uint32_t lo = t + 1 >= k ? t + 1 - k : 0;
        if (lo < xs0)
            lo = xs0;
        for (uint32_t s = lo; s <= t && s < xs1 && !covered; s++)
            covered = rp_sorted_has_u64(set, ys1 - ys0, dx->sh[s]);
        mark[t - xt0] = (uint8_t)!covered;
        n += !covered;
    }
    free(set);
    return n;
}

static int count_uncovered(const tjob *j, uint32_t x, uint32_t y,
                           uint32_t *out, uint32_t *tokens)
{
    const tdoc *d = doc_of(j, x);
    uint8_t *mark = malloc(d->ntok + 1);
    uint32_t t0, nt = 0;
    long n = mark ? rp__trace_uncovered(j, x, y, mark, &t0, &nt) : -1;
    free(mark);
    if (n < 0)
        return RP_ENOMEM;
    *out = (uint32_t)n;
    *tokens = nt;
    return RP_OK;
}

/* ---- edges, origins, boilerplate ---------------------------------------------- */

static int tie_occ(const tjob *j, uint32_t x, uint32_t y)
{
    return rp__trace_dates_tie(&doc_of(j, x)->date, &doc_of(j, y)->date);
}

static int same_outlet(const tdoc *a, const tdoc *b)
{
    return a->outlet_basis != OUTLET_UNKNOWN &&
           b->outlet_basis != OUTLET_UNKNOWN &&
           strcmp(a->outlet, b->outlet) == 0;
}

static void mark_boilerplate(const tjob *j, tpassage *p)
{
    for (size_t m = 0; m < p->nm; m++) {
        const tdoc *d = doc_of(j, p->members[m]);
        if (!same_outlet(d, doc_of(j, p->lead)))
            p->cross = 1;
        size_t same = 0;
        double share = 0;
        for (size_t k = 0; k < p->nm; k++) {
            const tdoc *x = doc_of(j, p->members[k]);
            if (!same_outlet(d, x))
                continue;
            same++;
            const occ *o = &j->occs[p->members[k]];
            share += (double)(o->end - o->start) / (x->text_len ? x->text_len
                                                                : 1);
        }
        /* many of one outlet's documents, a small part of each: a footer
           or page junk, not a republished story */
        if (same >= 3 && 2 * same >= p->nm && share / same < 1.0 / 3)
            p->boilerplate = 1;
    }
}

static void direct(const tjob *j, tedge *e)
{
    uint32_t a = j->occs[e->from].doc, b = j->occs[e->to].doc;
    uint8_t fw = pair_evidence(j, a, b), bw = pair_evidence(j, b, a);
    if (!tie_occ(j, e->from, e->to)) {
        e->determined = 1;
        e->support = (uint8_t)(EV_DATES | fw);
        if (carried(j, e, e->carried, sizeof e->carried))
            e->support |= EV_CARRIED;
        e->against = bw;
    } else if (fw && !bw) {
        e->determined = 1;
        e->support = fw;
    } else if (bw && !fw) {
        uint32_t t = e->from;
        e->from = e->to;
        e->to = t;
        e->determined = 1;
        e->support = bw;
    } else {
        e->support = fw;
        e->against = bw;
    }
}

/* the origin among members tied at the earliest date, by text evidence */
static void text_origin(const tjob *j, tpassage *p)
{
    size_t nt = 1;
    while (nt < p->nm && tie_occ(j, p->members[0], p->members[nt]))
        nt++;
    uint32_t found = NONE;
    uint8_t basis = 0;
    for (size_t c = 0; c < nt; c++) {
        uint32_t dc = j->occs[p->members[c]].doc;
        uint8_t all = 0xff;
        for (size_t t = 0; t < nt && all; t++) {
            uint32_t dt = j->occs[p->members[t]].doc;
            if (dt == dc)
                continue;
            uint8_t fw = pair_evidence(j, dc, dt);
            all = fw && !pair_evidence(j, dt, dc) ? (uint8_t)(all & fw) : 0;
        }
        if (all && all != 0xff) {
            if (found != NONE)
                return; /* two candidates: leave it open */
            found = p->members[c];
            basis = all;
        }
    }
    p->origin = found;
    p->origin_basis = basis;
}

int rp__trace_edges(tjob *j)
{
    size_t cap = 0;
    for (size_t pi = 0; pi < j->npass; pi++) {
        tpassage *p = &j->pass[pi];
        mark_boilerplate(j, p);
        p->edge0 = j->nedges;
        if (p->boilerplate) {
            j->st->boilerplate++;
            continue;
        }
        for (size_t m = 1; m < p->nm; m++) {
            /* the earlier member it aligns with best */
            tedge e;
            memset(&e, 0, sizeof e);
            e.from = p->members[0];
            e.to = p->members[m];
            e.member = p->members[m];
            e.sim = -1;
            double sum = 0;
            for (size_t k = 0; k < m; k++) {
                double s = rp__trace_link_sim(j, p->members[k], p->members[m]);
                sum += s;
                if (s > e.sim) {
                    e.sim = s;
                    e.from = p->members[k];
                }
            }
            e.confidence = sum > 0 ? e.sim / sum : 0;
            direct(j, &e);
            if (count_uncovered(j, e.to, e.from, &e.added, &e.to_tokens) ||
                count_uncovered(j, e.from, e.to, &e.dropped, &e.from_tokens) ||
                RP_VEC_PUSH(j->edges, j->nedges, cap, e))
                return RP_ENOMEM;
        }
        p->nedges = j->nedges - p->edge0;
        if (!tie_occ(j, p->members[0], p->members[1])) {
            p->origin = p->members[0];
            p->origin_basis = EV_DATES;
        } else {
            text_origin(j, p);
        }
    }
    return RP_OK;
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
        outlet_word(a, w, sizeof w);
        n = snprintf(out, cap, "%s names %s's outlet \"%s\"", b->id, a->id,
                     w);
        break;
    case EV_SPLICE:
        n = snprintf(out, cap, "%s joins in one paragraph passages that %s "
                               "has in separate paragraphs", b->id, a->id);
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
    default: return "?";
    }
}
