/*
 * trace_md.c - a short Markdown summary of a trace, for the terminal:
 * passages with their origin and copy edges, quote clusters, outlet flows.
 * Text is cut to 80 bytes (at a character boundary) and kept on one line;
 * a passage's starts at a sentence or word start inside it.
 * Every string from the input (text, ids, outlets) goes through
 * rp_md_put_text: no raw HTML, links or bidi controls reach a renderer.
 */
#include "../trace/trace_job.h"

#include "../../util/md_out.h" /* rp_md_put_text: every untrusted string */

#include <math.h>
#include <stdio.h>
#include <string.h>

/* up to 80 bytes of text on one line, then "…" if cut */
static void snippet(rp_buf *b, const char *s, uint32_t len)
{
    uint32_t n = len > 80 ? 80 : len;
    while (n < len && n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
        n--;
    rp_md_put_text(b, s, n);
    if (n < len)
        rp_buf_puts(b, "…");
}

/* a passage's text from a sentence or word start (trace_report.c) */
static void passage_snippet(rp_buf *b, const tjob *j, const occ *o)
{
    const tdoc *d = &j->docs[o->doc];
    uint32_t s = rp__trace_snippet_start(d, o->start, o->end);
    snippet(b, d->text + s, o->end - s);
}

/* an id or outlet, escaped */
static void md(rp_buf *b, const char *s)
{
    rp_md_put_text(b, s, strlen(s));
}

static const char *date_s(const rp_date *d, char *s, size_t cap)
{
    if (!rp_date_format(s, cap, d))
        snprintf(s, cap, "date unknown");
    return s;
}

static const char *outlet_s(const tdoc *d)
{
    return d->outlet[0] ? d->outlet : "outlet unknown";
}

static void passages(rp_buf *b, const tjob *j)
{
    char ds[32];
    for (size_t pi = 0; pi < j->npass; pi++) {
        const tpassage *p = &j->pass[pi];
        const occ *lo = &j->occs[p->lead];
        if (p->boilerplate)
            continue;
        rp_buf_printf(b, "## p%zu: \"", pi + 1);
        passage_snippet(b, j, lo);
        rp_buf_puts(b, "\"\n\n");
        if (p->origin == NONE) {
            rp_buf_puts(b, "Origin: undetermined (tie).\n");
        } else {
            rp_buf_puts(b, "Origin: ");
            md(b, j->docs[j->occs[p->origin].doc].id);
            rp_buf_printf(b, " (%s).\n", p->origin_basis == EV_DATES
                                             ? "by date"
                                             : "by the text");
        }
        if (p->common)
            rp_buf_puts(b, "A phrase many texts repeat (common): it links "
                           "no two documents as reuse.\n");
        if (p->house != NONE) {
            rp_buf_puts(b, "A house template of ");
            md(b, outlet_s(&j->docs[p->house]));
            rp_buf_puts(b, ": it links none of that outlet's texts to each "
                           "other as reuse.\n");
        }
        for (size_t m = 0; m < p->nm; m++) {
            const tdoc *d = &j->docs[j->occs[p->members[m]].doc];
            rp_buf_printf(b, "%s ", m ? "-" : "\n-");
            md(b, d->id);
            rp_buf_puts(b, " (");
            md(b, outlet_s(d));
            rp_buf_printf(b, ", %s)\n", date_s(&d->date, ds, sizeof ds));
        }
        rp_buf_putc(b, '\n');
        for (size_t i = 0; i < p->nedges; i++) {
            const tedge *e = &j->edges[p->edge0 + i];
            const tdoc *a = &j->docs[j->occs[e->from].doc];
            const tdoc *c = &j->docs[j->occs[e->to].doc];
            rp_buf_puts(b, "- ");
            md(b, a->id);
            rp_buf_printf(b, " %s ", e->determined ? "->" : "--");
            md(b, c->id);
            rp_buf_printf(b, ", similarity %.2f", e->sim);
            if (!e->determined)
                rp_buf_puts(b, ": direction undetermined");
            for (int bit = 1; bit <= EV_LAST; bit <<= 1)
                if (e->support & bit)
                    rp_buf_printf(b, "; %s", rp__trace_evidence_name(bit));
            for (int bit = 1; bit <= EV_LAST; bit <<= 1)
                if (e->against & bit)
                    rp_buf_printf(b, "; against: %s", rp__trace_evidence_name(bit));
            rp_buf_putc(b, '\n');
        }
        rp_buf_putc(b, '\n');
    }
}

static void quotes(rp_buf *b, const tjob *j)
{
    char ds[32];
    for (size_t ci = 0; ci < j->nqclusters; ci++) {
        const tqcluster *c = &j->qclusters[ci];
        const tquote *f = &j->quotes[c->fullest];
        const tdoc *fd = &j->docs[f->doc];
        rp_buf_printf(b, "## q%zu: \"", ci + 1);
        snippet(b, fd->text + f->q.start, f->q.end - f->q.start);
        rp_buf_puts(b, "\"\n\nSpeaker: ");
        if (f->q.basis == RP_SPEAKER_NONE)
            rp_buf_puts(b, "not named");
        else
            snippet(b, fd->text + f->q.speaker_start,
                    f->q.speaker_end - f->q.speaker_start);
        const tdoc *d0 = &j->docs[j->quotes[c->members[0]].doc];
        rp_buf_printf(b, ". First seen %s%s. Fullest: ",
                      date_s(&d0->date, ds, sizeof ds),
                      c->tied ? " (tied by date)" : "");
        md(b, fd->id);
        rp_buf_puts(b, ".\n\n");
        for (size_t m = 0; m < c->nm; m++) {
            const tquote *q = &j->quotes[c->members[m]];
            const tdoc *d = &j->docs[q->doc];
            rp_buf_puts(b, "- ");
            md(b, d->id);
            rp_buf_puts(b, " (");
            md(b, outlet_s(d));
            rp_buf_printf(b, ", %s): %s, %.0f%% of its content words in the "
                             "fullest\n",
                          date_s(&d->date, ds, sizeof ds),
                          rp__trace_quote_kind(q->kind), 100 * q->overlap);
        }
        rp_buf_putc(b, '\n');
    }
}

int rp__trace_md(const tjob *j, rp_buf *b)
{
    const rp_trace_stats *st = j->st;
    rp_buf_puts(b, "# reprint trace\n\n");
    rp_buf_printf(b, "%zu documents, %llu candidate pairs, %llu sharing passages; "
            "%llu passages (%llu boilerplate), %llu quotes, %llu quoted in "
            "2+ documents.\n\n",
         j->ndocs, (unsigned long long)st->candidate_pairs,
         (unsigned long long)st->aligned_pairs,
         (unsigned long long)st->passages,
         (unsigned long long)st->boilerplate, (unsigned long long)st->quotes,
         (unsigned long long)st->quote_clusters);
    passages(b, j);
    if (st->boilerplate) {
        rp_buf_puts(b, "## Boilerplate (kept out of provenance)\n\n");
        for (size_t pi = 0; pi < j->npass; pi++) {
            const tpassage *p = &j->pass[pi];
            if (!p->boilerplate)
                continue;
            const occ *lo = &j->occs[p->lead];
            rp_buf_printf(b, "- p%zu (", pi + 1);
            md(b, outlet_s(&j->docs[lo->doc]));
            rp_buf_printf(b, ", %zu documents): \"", p->nm);
            passage_snippet(b, j, lo);
            rp_buf_puts(b, "\"\n");
        }
        rp_buf_putc(b, '\n');
    }
    quotes(b, j);
    if (j->nflows) {
        rp_buf_puts(b, "## Flows\n\n| from | to | copies | median lag |\n"
                       "|---|---|---|---|\n");
        for (size_t i = 0; i < j->nflows; i++) {
            const tflow *f = &j->flows[i];
            rp_buf_puts(b, "| ");
            md(b, f->from[0] ? f->from : "unknown");
            rp_buf_puts(b, " | ");
            md(b, f->to[0] ? f->to : "unknown");
            rp_buf_printf(b, " | %u | ", f->edges);
            if (isnan(f->median_lag_h))
                rp_buf_puts(b, "— |\n");
            else
                rp_buf_printf(b, "%.1f h |\n", f->median_lag_h);
        }
    }
    return b->failed ? RP_ENOMEM : RP_OK;
}
