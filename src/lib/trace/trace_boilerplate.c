/*
 * trace_boilerplate.c - what a passage is besides reuse: an outlet's or an
 * author's own repeated text (boilerplate: footers, mastheads, signatures,
 * page junk), a phrase many texts repeat (common), an outlet's house
 * template. Read by the evidence stage (trace_evidence.c) before a
 * passage's edges and links; linear in its members after a sort.
 *
 *   boilerplate  a passage with three or more documents of one outlet
 *                making at least half its members, on average under a
 *                third of their text, at the head or tail of two thirds
 *                of them and carried by three, and half of them, as their
 *                own text (not on '>' lines), is that outlet's own
 *                repeated text (footers,
 *                bylines, signatures, page junk): marked, kept out of
 *                provenance and links. A republished story (most of the
 *                text) is reuse within the outlet, not boilerplate.
 */
#include "trace_job.h"

#include "../../util/sort.h"

#include <string.h>

int rp__trace_same_outlet(const tdoc *a, const tdoc *b)
{
    return a->outlet_basis != OUTLET_UNKNOWN &&
           b->outlet_basis != OUTLET_UNKNOWN &&
           strcmp(a->outlet, b->outlet) == 0;
}

static int cmp_member_outlet(const void *ctx, uint32_t x, uint32_t y)
{
    const tjob *j = ctx;
    const tdoc *a = rp__trace_doc_of(j, x), *b = rp__trace_doc_of(j, y);
    int c = strcmp(a->outlet, b->outlet);
    if (c == 0)
        c = a->outlet_basis - b->outlet_basis;
    return c != 0 ? c < 0 : x < y;
}

/* does occurrence o sit at the head or the tail of its document (within
 * a tenth of it, or 500 bytes), where mastheads, footers and signatures
 * are? */
static int at_edge(const tdoc *d, const occ *o)
{
    uint32_t reach = d->text_len / 10 > 500 ? d->text_len / 10 : 500;
    return o->start <= reach || o->end + reach >= d->text_len;
}

/* the same at the tail only: where a signature is */
static int at_tail(const tdoc *d, const occ *o)
{
    uint32_t reach = d->text_len / 10 > 500 ? d->text_len / 10 : 500;
    return o->end + reach >= d->text_len;
}

/* does occurrence o end its document's words (but 3)? A signature drawn
 * in '|' boxes, read as quoting, does; a post quoted in a reply seldom */
static int ends_text(const tdoc *d, const occ *o)
{
    return rp__trace_token_at(d, o->end) + 3 >= d->ntok;
}

static int same_author(const tdoc *a, const tdoc *b)
{
    return a->author[0] && strcmp(a->author, b->author) == 0;
}

static int cmp_member_author(const void *ctx, uint32_t x, uint32_t y)
{
    const tjob *j = ctx;
    int c =
        strcmp(rp__trace_doc_of(j, x)->author, rp__trace_doc_of(j, y)->author);
    return c != 0 ? c < 0 : x < y;
}

/* Boilerplate: many of one outlet's documents, a small part of each, at
 * its head or tail (two thirds of them): a footer, masthead, signature or
 * page junk, not a republished story nor a phrase the outlet's texts share
 * inside (a verse the Bible repeats). Or two or more of one author's
 * documents, a small part of each, at the tail of all of them: a
 * signature ("Betty Harvey <harvey@...> | Code 1221 | Bethesda"), which
 * mail and news posts carry without a "-- " line more often than with.
 * Members grouped by outlet, then by author: linear after a sort, for
 * passages of any size. */
static void boilerplate_groups(const tjob *j, tpassage *p, const uint32_t *m,
                               int by_author)
{
    const tdoc *lead = rp__trace_doc_of(j, p->lead);
    size_t min = by_author ? 2 : 3;
    for (size_t i = 0; i < p->nm;) {
        const tdoc *d = rp__trace_doc_of(j, m[i]);
        int known = by_author ? d->author[0] != 0
                              : d->outlet_basis != OUTLET_UNKNOWN;
        size_t k = i, own = 0, edge = 0, carried = 0;
        double share = 0;
        while (k < p->nm &&
               (k == i ||
                (known && (by_author ? same_author(d, rp__trace_doc_of(j, m[k]))
                                     : rp__trace_same_outlet(
                                           d, rp__trace_doc_of(j, m[k])))))) {
            const tdoc *x = rp__trace_doc_of(j, m[k]);
            const occ *o = &j->occs[m[k]];
            share += (double)(o->end - o->start) / (x->text_len ? x->text_len
                                                                : 1);
            int mine = rp__trace_quoted_share(j, m[k]) < 0.5;
            own += mine;
            carried += mine || ends_text(x, o);
            edge += by_author ? at_tail(x, o) : at_edge(x, o);
            k++;
        }
        size_t same = k - i;
        if (!by_author && !rp__trace_same_outlet(d, lead))
            p->cross = 1;
        /* a reply chain quoting one post ('>') is not an outlet's
           boilerplate: three, and half of the group, must carry the text
           as their own (replies quote a post near their head, where a
           masthead is). An author's signature is his own text in every
           member, or quoting lines that end it: one may be drawn in '|'
           boxes, read as quoting, and fill half of a short post; his
           post quoted in his own later reply is not a signature. */
        int sig = by_author ? edge == same && carried == same &&
                                  share / same < 0.5
                            : own >= min && 2 * own >= same &&
                                  3 * edge >= 2 * same &&
                                  share / same < 1.0 / 3;
        if (known && same >= min && 2 * same >= p->nm && sig)
            p->boilerplate = 1;
        i = k;
    }
}

/* Common text: a passage of COMMON_MIN or more members that is a phrase
 * (under COMMON_WORDS words on average) making under a third of its
 * documents on average: a formula, a stock line many texts repeat. And a
 * house template: COMMON_MIN or more members, most of them one outlet's
 * named by the source field (not a URL's host: an archive serves many
 * papers from one host), its own texts written from one formula
 * (eurobond issues, dividend notices); between two of that outlet's
 * texts it is no copy. Both keep their edges and origin; neither makes a
 * passage link (pair_links). A story reprinted in many papers, or a long
 * text many pages carry, is neither. */
#define COMMON_MIN 20
#define COMMON_WORDS 40
int rp__trace_mark_boilerplate(const tjob *j, tpassage *p, uint32_t *scratch)
{
    uint32_t *m = scratch, *tmp = scratch + p->nm;
    memcpy(m, p->members, p->nm * sizeof *m);
    rp_sort_indices(m, tmp, p->nm, cmp_member_outlet, j);
    boilerplate_groups(j, p, m, 0);
    double share = 0, words = 0;
    size_t run = 0, house = 0; /* members by outlet: the largest named one */
    p->house = NONE;
    for (size_t i = 0; i < p->nm; i++) {
        const tdoc *x = rp__trace_doc_of(j, m[i]);
        const occ *o = &j->occs[m[i]];
        share += (double)(o->end - o->start) / (x->text_len ? x->text_len : 1);
        words += rp__trace_token_at(x, o->end) - rp__trace_token_at(x, o->start);
        run = i > 0 && rp__trace_same_outlet(x, rp__trace_doc_of(j, m[i - 1]))
                  ? run + 1
                  : 1;
        if (x->outlet_basis == OUTLET_SOURCE && run > house) {
            house = run;
            p->house = j->occs[m[i]].doc;
        }
    }
    p->common = p->nm >= COMMON_MIN && 3 * share < p->nm &&
                words < (double)COMMON_WORDS * p->nm;
    if (!(p->nm >= COMMON_MIN && 2 * house > p->nm))
        p->house = NONE;
    if (!p->boilerplate) {
        rp_sort_indices(m, tmp, p->nm, cmp_member_author, j);
        boilerplate_groups(j, p, m, 1);
    }
    return RP_OK;
}
