/*
 * trace_html.c - the trace report for people: one self-contained file, no
 * script, no external resource (a Content-Security-Policy forbids both).
 * Every piece of article text, id and outlet is escaped by
 * rp_html_put_text() and isolated in <bdi>.
 *
 * Per passage: origin and its basis, the copy graph (SVG), a timeline with
 * each member's likely source and the evidence, the texts side by side
 * with the words a member does not share with its source highlighted.
 * Then the quote clusters (speaker, first appearance, fullest version and
 * variants), boilerplate, and the outlet flows.
 */
#include "trace_job.h"

#include "../util/html_out.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char html_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
    "'none'; style-src 'unsafe-inline'\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    "\n<title>reprint trace</title>\n<style>\n"
    "body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:"
    "72em;padding:0 1em;color:#222}\n"
    "h2{border-top:1px solid #ccc;padding-top:1em}\n"
    "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid "
    "#ddd;padding:.2em .6em;text-align:left;vertical-align:top}\n"
    ".side{display:grid;grid-template-columns:repeat(auto-fit,minmax(20em,"
    "1fr));gap:1em}\n"
    "figure{margin:0;border:1px solid #ddd;border-radius:4px;padding:.5em}"
    "figcaption{font-weight:600;margin-bottom:.3em}\n"
    "blockquote{margin:0;white-space:pre-wrap;unicode-bidi:isolate}\n"
    "mark{background:#fe9}.ev{font-size:90%;color:#444}\n"
    ".tie{color:#a60}.nav{font-size:90%}svg text{font-size:12px}\n"
    "</style></head><body id=\"top\">\n<h1>reprint trace</h1>\n";

static void text(rp_buf *b, const char *s, size_t n)
{
    rp_buf_puts(b, "<bdi>");
    rp_html_put_text(b, s, n);
    rp_buf_puts(b, "</bdi>");
}

static void textz(rp_buf *b, const char *s) { text(b, s, strlen(s)); }

static void date(rp_buf *b, const rp_date *d)
{
    char s[32];
    size_t n = rp_date_format(s, sizeof s, d);
    if (n)
        rp_buf_put(b, s, n);
    else
        rp_buf_puts(b, "unknown");
}

static void outlet(rp_buf *b, const tdoc *d)
{
    if (d->outlet[0])
        textz(b, d->outlet);
    else
        rp_buf_puts(b, "<i>unknown</i>");
}

/* a table row's first cells: date, outlet, document */
static void doc_cells(rp_buf *b, const tdoc *d)
{
    rp_buf_puts(b, "<tr><td>");
    date(b, &d->date);
    rp_buf_puts(b, "</td><td>");
    outlet(b, d);
    rp_buf_puts(b, "</td><td>");
    textz(b, d->id);
    rp_buf_puts(b, "</td>");
}

static void snippet(rp_buf *b, const char *s, uint32_t len)
{
    uint32_t n = len > 90 ? 90 : len;
    while (n < len && n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
        n--; /* do not cut a character */
    rp_buf_puts(b, "<bdi>");
    rp_html_put_text(b, s, n);
    rp_buf_puts(b, n < len ? "…</bdi>" : "</bdi>");
}

static const tdoc *doc_of(const tjob *j, uint32_t o)
{
    return &j->docs[j->occs[o].doc];
}

/* the copy graph: members left to right in date order, an arrow for each
 * determined edge, a dashed line for an undetermined one */
static void graph(rp_buf *b, const tjob *j, const tpassage *p)
{
    int w = (int)(p->nm * 140 + 40);
    rp_buf_printf(b,
         "<svg role=\"img\" aria-label=\"copy graph\" width=\"%d\" "
         "height=\"110\" viewBox=\"0 0 %d 110\">"
         "<defs><marker id=\"a\" viewBox=\"0 0 10 10\" refX=\"10\" "
         "refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" "
         "orient=\"auto\"><path d=\"M0,0L10,5L0,10z\"/></marker></defs>",
         w, w);
    for (size_t i = 0; i < p->nedges; i++) {
        const tedge *e = &j->edges[p->edge0 + i];
        size_t kf = 0, kt = 0;
        while (kf < p->nm && p->members[kf] != e->from)
            kf++;
        while (kt < p->nm && p->members[kt] != e->to)
            kt++;
        int x1 = (int)(kf * 140 + 70), x2 = (int)(kt * 140 + 70);
        int dir = x2 > x1 ? 1 : -1;
        int lift = 12 + (int)(kt > kf ? kt - kf : kf - kt) * 6;
        rp_buf_printf(b,
             "<path d=\"M%d,40 Q%d,%d %d,40\" fill=\"none\" stroke=\"%s\" "
             "%s/>",
             x1 + 18 * dir, (x1 + x2) / 2, 40 - lift, x2 - 18 * dir,
             e->determined ? "#333" : "#a60",
             e->determined ? "marker-end=\"url(#a)\""
                           : "stroke-dasharray=\"4 3\"");
    }
    for (size_t m = 0; m < p->nm; m++) {
        const tdoc *d = doc_of(j, p->members[m]);
        int x = (int)(m * 140 + 70);
        rp_buf_printf(b,
             "<circle cx=\"%d\" cy=\"40\" r=\"16\" fill=\"%s\"/>"
             "<text x=\"%d\" y=\"78\" text-anchor=\"middle\">",
             x, p->members[m] == p->origin ? "#fb6" : "#9bd", x);
        size_t n = strlen(d->id);
        while (n > 18)
            n = 18;
        while (n > 0 && n < strlen(d->id) &&
               ((unsigned char)d->id[n] & 0xc0) == 0x80)
            n--;
        rp_html_put_text(b, d->id, n);
        rp_buf_printf(b, "</text><text x=\"%d\" y=\"96\" text-anchor=\"middle\">", x);
        date(b, &d->date);
        rp_buf_puts(b, "</text>");
    }
    rp_buf_puts(b, "</svg>\n");
}

static void evidence(rp_buf *b, const tjob *j, const tedge *e)
{
    char t[512];
    for (int rev = 0; rev < 2; rev++) {
        uint8_t bits = rev ? e->against : e->support;
        for (int bit = 1; bit <= EV_LAST; bit <<= 1) {
            if (!(bits & bit))
                continue;
            size_t n = rp__trace_evidence_text(j, e, bit, rev, t, sizeof t);
            rp_buf_puts(b, rev ? "<br><span class=\"tie\">against: "
                               : "<br>");
            rp_buf_printf(b, "%s: ", rp__trace_evidence_name(bit));
            text(b, t, n);
            if (rev)
                rp_buf_puts(b, "</span>");
        }
    }
}

/* occurrence x with the words it does not share with y marked */
static void marked(rp_buf *b, const tjob *j, uint32_t x, uint32_t y)
{
    const tdoc *d = doc_of(j, x);
    const occ *o = &j->occs[x];
    uint8_t *mark = malloc(d->ntok + 1);
    uint32_t t0 = 0, nt = 0;
    if (!mark || rp__trace_uncovered(j, x, y, mark, &t0, &nt) < 0) {
        free(mark);
        b->failed = 1;
        return;
    }
    rp_buf_puts(b, "<bdi>");
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
            rp_html_put_text(b, d->text + at, s - at);
            rp_buf_puts(b, "<mark>");
            rp_html_put_text(b, d->text + s, e - s);
            rp_buf_puts(b, "</mark>");
            at = e;
        }
        i = k + 1;
    }
    rp_html_put_text(b, d->text + at, o->end - at);
    rp_buf_puts(b, "</bdi>");
    free(mark);
}

static void passage(rp_buf *b, const tjob *j, size_t pi, size_t next)
{
    const tpassage *p = &j->pass[pi];
    const occ *lo = &j->occs[p->lead];
    rp_buf_printf(b, "<section id=\"p%zu\"><h2>p%zu ", pi + 1, pi + 1);
    snippet(b, j->docs[lo->doc].text + lo->start, lo->end - lo->start);
    rp_buf_puts(b, "</h2>\n<p>Origin: ");
    if (p->origin == NONE) {
        rp_buf_puts(b, "<span class=\"tie\">undetermined — the earliest "
                       "dates overlap or are unknown, and the text does not "
                       "decide</span>");
    } else {
        rp_buf_puts(b, "<b>");
        textz(b, doc_of(j, p->origin)->id);
        rp_buf_puts(b, p->origin_basis == EV_DATES
                           ? "</b> (by publication date)"
                           : "</b> (by the text: see the evidence below)");
    }
    rp_buf_puts(b, p->cross ? ". Shared across outlets.</p>\n"
                            : ". Within one outlet.</p>\n");
    graph(b, j, p);
    rp_buf_puts(b, "<table><tr><th>date</th><th>outlet</th><th>document</th>"
                   "<th>linked to</th><th>similarity</th>"
                   "<th>evidence</th></tr>\n");
    for (size_t m = 0; m < p->nm; m++) {
        doc_cells(b, doc_of(j, p->members[m]));
        const tedge *e = NULL;
        for (size_t i = 0; i < p->nedges && !e; i++)
            if (j->edges[p->edge0 + i].member == p->members[m])
                e = &j->edges[p->edge0 + i];
        if (!e) {
            rp_buf_puts(b, "<td>—</td><td></td><td></td></tr>\n");
            continue;
        }
        uint32_t peer = e->to == p->members[m] ? e->from : e->to;
        rp_buf_puts(b, e->determined ? "<td>" : "<td class=\"tie\">");
        textz(b, doc_of(j, peer)->id);
        if (!e->determined)
            rp_buf_puts(b, " (direction undetermined)");
        else if (peer == e->to)
            rp_buf_puts(b, " (which took it from this version, by the text)");
        rp_buf_printf(b, "</td><td>%.2f</td><td class=\"ev\">%u words added, %u "
                "dropped",
             e->sim, e->added, e->dropped);
        evidence(b, j, e);
        rp_buf_puts(b, "</td></tr>\n");
    }
    rp_buf_puts(b, "</table>\n<p class=\"ev\">Highlighted: words a version "
                   "does not share with the version it is linked to (for "
                   "the first, the second).</p>\n<div class=\"side\">\n");
    for (size_t m = 0; m < p->nm; m++) {
        const tdoc *d = doc_of(j, p->members[m]);
        uint32_t other = m ? p->members[0] : p->members[1];
        for (size_t i = 0; i < p->nedges && m; i++) {
            const tedge *e = &j->edges[p->edge0 + i];
            if (e->member == p->members[m])
                other = e->to == p->members[m] ? e->from : e->to;
        }
        rp_buf_puts(b, "<figure><figcaption>");
        textz(b, d->id);
        rp_buf_puts(b, " · ");
        outlet(b, d);
        rp_buf_puts(b, " · ");
        date(b, &d->date);
        rp_buf_puts(b, "</figcaption><blockquote>");
        marked(b, j, p->members[m], other);
        rp_buf_puts(b, "</blockquote></figure>\n");
    }
    rp_buf_puts(b, "</div>\n<p class=\"nav\"><a href=\"#top\">top</a>");
    if (next != (size_t)-1)
        rp_buf_printf(b, " · <a href=\"#p%zu\">next</a>", next + 1);
    rp_buf_puts(b, "</p></section>\n");
}

static void quote_cluster(rp_buf *b, const tjob *j, size_t ci)
{
    const tqcluster *c = &j->qclusters[ci];
    const tquote *f = &j->quotes[c->fullest];
    const tdoc *fd = &j->docs[f->doc];
    rp_buf_printf(b, "<section id=\"q%zu\"><h2>q%zu ", ci + 1, ci + 1);
    snippet(b, fd->text + f->q.start, f->q.end - f->q.start);
    rp_buf_puts(b, "</h2>\n<p>Speaker: ");
    if (f->q.basis == RP_SPEAKER_NONE)
        rp_buf_puts(b, "<i>not named</i>");
    else
        text(b, fd->text + f->q.speaker_start,
             f->q.speaker_end - f->q.speaker_start);
    rp_buf_puts(b, ". First seen: ");
    date(b, &j->docs[j->quotes[c->members[0]].doc].date);
    if (c->tied)
        rp_buf_puts(b, " <span class=\"tie\">(tied: the earliest versions "
                       "share a date)</span>");
    else {
        rp_buf_puts(b, " in ");
        textz(b, j->docs[j->quotes[c->members[0]].doc].id);
    }
    rp_buf_puts(b, ". Fullest version: <b>");
    textz(b, fd->id);
    rp_buf_puts(b, "</b>.</p>\n<table><tr><th>date</th><th>outlet</th>"
                   "<th>document</th><th>speaker</th><th>version</th>"
                   "<th>quote</th></tr>\n");
    for (size_t m = 0; m < c->nm; m++) {
        const tquote *q = &j->quotes[c->members[m]];
        const tdoc *d = &j->docs[q->doc];
        doc_cells(b, d);
        rp_buf_puts(b, "<td>");
        if (q->q.basis != RP_SPEAKER_NONE)
            text(b, d->text + q->q.speaker_start,
                 q->q.speaker_end - q->q.speaker_start);
        rp_buf_printf(b, " <span class=\"ev\">(%s)</span></td><td>%s, %.0f%% of its "
                "content words in the fullest</td><td><blockquote>",
             rp__trace_speaker_basis(q->q.basis),
             rp__trace_quote_kind(q->kind), 100 * q->overlap);
        text(b, d->text + q->q.start, q->q.end - q->q.start);
        rp_buf_puts(b, "</blockquote></td></tr>\n");
    }
    rp_buf_puts(b, "</table>\n<p class=\"nav\"><a href=\"#top\">top</a>");
    if (ci + 1 < j->nqclusters)
        rp_buf_printf(b, " · <a href=\"#q%zu\">next</a>", ci + 2);
    rp_buf_puts(b, "</p></section>\n");
}

static void flows(rp_buf *b, const tjob *j)
{
    rp_buf_puts(b, "<section id=\"flows\"><h2>Outlet flows</h2>\n<p>Copy "
                   "edges with a determined direction, per pair of outlets "
                   "(boilerplate excluded).</p>\n<table><tr><th>from</th>"
                   "<th>to</th><th>copies</th><th>median lag</th>"
                   "<th></th></tr>\n");
    for (size_t i = 0; i < j->nflows; i++) {
        const tflow *f = &j->flows[i];
        rp_buf_puts(b, "<tr><td>");
        if (f->from[0])
            textz(b, f->from);
        else
            rp_buf_puts(b, "<i>unknown</i>");
        rp_buf_puts(b, "</td><td>");
        if (f->to[0])
            textz(b, f->to);
        else
            rp_buf_puts(b, "<i>unknown</i>");
        rp_buf_printf(b, "</td><td>%u</td><td>", f->edges);
        if (isnan(f->median_lag_h))
            rp_buf_puts(b, "—");
        else
            rp_buf_printf(b, "%.1f h", f->median_lag_h);
        rp_buf_puts(b, f->from[0] && strcmp(f->from, f->to) == 0
                           ? "</td><td>within one outlet</td></tr>\n"
                           : "</td><td></td></tr>\n");
    }
    rp_buf_puts(b, "</table></section>\n");
}

int rp__trace_html(const tjob *j, rp_buf *b)
{
    const rp_trace_stats *st = j->st;
    rp_buf_puts(b, html_head);
    rp_buf_printf(b,
         "<p>%zu documents, %llu candidate pairs, %llu sharing passages; "
         "%llu passages (%llu boilerplate), %llu quotes, %llu quoted in two "
         "or more documents. Origins follow publication dates; where the "
         "earliest dates overlap, only the text can decide, and otherwise "
         "the origin is left open (<span class=\"tie\">tie</span>).</p>\n"
         "<nav class=\"nav\"><h2>Passages</h2><ol>\n",
         j->ndocs, (unsigned long long)st->candidate_pairs,
         (unsigned long long)st->aligned_pairs,
         (unsigned long long)st->passages,
         (unsigned long long)st->boilerplate, (unsigned long long)st->quotes,
         (unsigned long long)st->quote_clusters);
    for (size_t pi = 0; pi < j->npass; pi++) {
        const tpassage *p = &j->pass[pi];
        if (p->boilerplate)
            continue;
        const occ *o = &j->occs[p->lead];
        rp_buf_printf(b, "<li value=\"%zu\"><a href=\"#p%zu\">p%zu</a> ", pi + 1,
             pi + 1, pi + 1);
        snippet(b, j->docs[o->doc].text + o->start, o->end - o->start);
        rp_buf_printf(b, " (%zu documents)</li>\n", p->nm);
    }
    rp_buf_puts(b, "</ol><h2>Quotes</h2><ol>\n");
    for (size_t ci = 0; ci < j->nqclusters; ci++) {
        const tquote *f = &j->quotes[j->qclusters[ci].fullest];
        rp_buf_printf(b, "<li><a href=\"#q%zu\">q%zu</a> ", ci + 1, ci + 1);
        snippet(b, j->docs[f->doc].text + f->q.start, f->q.end - f->q.start);
        rp_buf_printf(b, " (%zu versions)</li>\n", j->qclusters[ci].nm);
    }
    rp_buf_puts(b, "</ol><p><a href=\"#boilerplate\">boilerplate</a> · "
                   "<a href=\"#flows\">outlet flows</a></p></nav>\n");
    for (size_t pi = 0; pi < j->npass; pi++) {
        if (j->pass[pi].boilerplate)
            continue;
        size_t next = pi + 1;
        while (next < j->npass && j->pass[next].boilerplate)
            next++;
        passage(b, j, pi, next < j->npass ? next : (size_t)-1);
    }
    for (size_t ci = 0; ci < j->nqclusters; ci++)
        quote_cluster(b, j, ci);
    rp_buf_puts(b, "<section id=\"boilerplate\"><h2>Boilerplate</h2>\n<p>"
                   "Text repeated across documents of one outlet; kept out "
                   "of provenance.</p>\n<ul>\n");
    for (size_t pi = 0; pi < j->npass; pi++) {
        const tpassage *p = &j->pass[pi];
        if (!p->boilerplate)
            continue;
        const occ *o = &j->occs[p->lead];
        rp_buf_puts(b, "<li>");
        outlet(b, &j->docs[o->doc]);
        rp_buf_printf(b, ", %zu documents: ", p->nm);
        snippet(b, j->docs[o->doc].text + o->start, o->end - o->start);
        rp_buf_puts(b, "</li>\n");
    }
    rp_buf_puts(b, "</ul></section>\n");
    flows(b, j);
    rp_buf_puts(b, "</body></html>\n");
    return b->failed ? RP_ENOMEM : RP_OK;
}
