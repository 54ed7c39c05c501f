/*
 * trace_evidence.c - who took each passage from whom, and on what grounds.
 *
 *   boilerplate  an outlet's or author's own repeated text, a common
 *                phrase, a house template: trace_boilerplate.c
 *   edges        each later member of a passage is linked to the earlier
 *                member it aligns with best (the copy graph); confidence:
 *                that alignment's share of all its alignments with
 *                earlier members
 *   direction    dates, when the two date intervals do not overlap; text
 *                evidence otherwise, or on top: attribution, splice,
 *                quoting and carried relative dates (trace_clues.c).
 *                Without dates, attribution, splice and quoting decide;
 *                with evidence both ways, or none, the direction stays
 *                open.
 *   origin       the earliest member by date; when the earliest dates tie,
 *                the one text evidence shows as the source of all the
 *                others tied with it, else none
 *   links        document pairs: reuse when a passage outside boilerplate
 *                is quoted ('>'), half of one text or 20 words, or the
 *                sets are similar or reworded; related otherwise
 * Outlet flows and evidence in words: trace_flows.c.
 */
#include "trace_job.h"

#include "../../util/parallel.h"
#include "../../util/sort.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- token coverage ------------------------------------------------------------ */

/* shingles of occurrence o lying inside it: [*s0, *s1) */
static void shingle_range(const tjob *j, uint32_t o, uint32_t *s0,
                          uint32_t *s1, uint32_t *t0, uint32_t *t1)
{
    const tdoc *d = rp__trace_doc_of(j, o);
    uint32_t k = j->k;
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
    const tdoc *dx = rp__trace_doc_of(j, x), *dy = rp__trace_doc_of(j, y);
    uint32_t k = j->k;
    uint32_t xs0, xs1, xt0, xt1, ys0, ys1, yt0, yt1;
    shingle_range(j, x, &xs0, &xs1, &xt0, &xt1);
    shingle_range(j, y, &ys0, &ys1, &yt0, &yt1);
    *first_tok = xt0;
    *ntok = xt1 - xt0;
    uint64_t *set = malloc((ys1 - ys0 + 1) * sizeof *set);
    uint8_t *in = malloc(xs1 - xs0 + 1); /* x's shingle s is in y's set */
    if (!set || !in) {
        free(set);
        free(in);
        return -1;
    }
    memcpy(set, dy->sh + ys0, (ys1 - ys0) * sizeof *set);
    rp_sort_u64(set, ys1 - ys0);
    for (uint32_t s = xs0; s < xs1; s++)
        in[s - xs0] = (uint8_t)rp_sorted_has_u64(set, ys1 - ys0, dx->sh[s]);
    long n = 0;
    for (uint32_t t = xt0; t < xt1; t++) {
        int covered = 0; /* by a shingle of x holding word t */
        uint32_t lo = t + 1 >= k ? t + 1 - k : 0;
        if (lo < xs0)
            lo = xs0;
        for (uint32_t s = lo; s <= t && s < xs1 && !covered; s++)
            covered = in[s - xs0];
        mark[t - xt0] = (uint8_t)!covered;
        n += !covered;
    }
    free(set);
    free(in);
    return n;
}

static int count_uncovered(const tjob *j, uint32_t x, uint32_t y,
                           uint32_t *out, uint32_t *tokens)
{
    const tdoc *d = rp__trace_doc_of(j, x);
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

typedef struct edge_ctx {
    tjob *j;
    int *failed;
} edge_ctx;

/* the words edge i's copy adds and its source's it drops */
static void edge_words(void *arg, size_t i, size_t worker)
{
    (void)worker;
    edge_ctx *c = arg;
    tedge *e = &c->j->edges[i];
    if (count_uncovered(c->j, e->to, e->from, &e->added, &e->to_tokens) ||
        count_uncovered(c->j, e->from, e->to, &e->dropped, &e->from_tokens))
        *c->failed = 1;
}

/* ---- edges and origins (boilerplate: trace_boilerplate.c) -------------------- */

static int tie_occ(const tjob *j, uint32_t x, uint32_t y)
{
    return rp__trace_dates_tie(&rp__trace_doc_of(j, x)->date,
                               &rp__trace_doc_of(j, y)->date);
}

/* direction of documents a -> b (a listed first): 1 a is the source, 2 b
 * is, 0 open; *support gets the evidence for the chosen way, *against the
 * evidence the other way */
static int direction(tjob *j, uint32_t a, uint32_t b, uint8_t more_fw,
                     uint8_t more_bw, uint8_t *support, uint8_t *against)
{
    const tdoc *da = &j->docs[a], *db = &j->docs[b];
    uint8_t fw = rp__trace_pair_evidence(j, a, b) | more_fw;
    uint8_t bw = rp__trace_pair_evidence(j, b, a) | more_bw;
    *support = *against = 0;
    if (!rp__trace_dates_tie(&da->date, &db->date)) {
        int a_first = rp_date_cmp(&da->date, &db->date) < 0;
        *support = (uint8_t)(EV_DATES | (a_first ? fw : bw));
        *against = a_first ? bw : fw;
        return a_first ? 1 : 2;
    }
    if (fw && !bw) {
        *support = fw;
        return 1;
    }
    if (bw && !fw) {
        *support = bw;
        return 2;
    }
    *support = fw;
    *against = bw;
    return 0;
}

static void direct(tjob *j, tedge *e)
{
    uint32_t a = j->occs[e->from].doc, b = j->occs[e->to].doc;
    uint8_t sup, ag;
    int dir = direction(j, a, b, 0, 0, &sup, &ag);
    if (dir == 2) {
        uint32_t t = e->from;
        e->from = e->to;
        e->to = t;
    }
    e->determined = dir != 0;
    e->support = sup;
    e->against = ag;
    if ((sup & EV_DATES) &&
        rp__trace_carried(j, e, e->carried, sizeof e->carried))
        e->support |= EV_CARRIED;
}

/* the origin among members tied at the earliest date, by text evidence;
 * more than TIE_CAP tied members stay open */
#define TIE_CAP 64

static void text_origin(tjob *j, tpassage *p)
{
    size_t nt = 1;
    while (nt < p->nm && tie_occ(j, p->members[0], p->members[nt]))
        nt++;
    if (nt > TIE_CAP) {
        j->st->ties_capped++;
        return;
    }
    uint32_t found = NONE;
    uint8_t basis = 0;
    for (size_t c = 0; c < nt; c++) {
        uint32_t dc = j->occs[p->members[c]].doc;
        uint8_t all = 0xff;
        for (size_t t = 0; t < nt && all; t++) {
            uint32_t dt = j->occs[p->members[t]].doc;
            if (dt == dc)
                continue;
            uint8_t fw = rp__trace_pair_evidence(j, dc, dt);
            all = fw && !rp__trace_pair_evidence(j, dt, dc)
                      ? (uint8_t)(all & fw)
                      : 0;
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

/* a pair scoring this much is listed as related even when it is not
 * reuse by the link rules */
#define RELATED_MIN 0.1
/* shared passages this share of one text, or this many words (passim's
 * minimum alignment), make a link without quoting; a shorter phrase two
 * texts share is often common wording: the pair is only related */
#define COPY_SHARE 0.5
#define COPY_WORDS 20
/* reworded text keeps the order of its content words: this share of the
 * shared ones in order and in place (trace_pairs.c) */
#define WORD_ORDER 0.8
/* ... or shares this much of its content words, in any order (a rewrite
 * that reorders its sentences) */
#define WORDS_ALONE 0.5

/* Linked document pairs: reuse when they share passages outside
 * boilerplate that one quotes from the other or that make up COPY_SHARE
 * of one, or when their sets reach the link thresholds; related (listed,
 * not reuse) when only the score reaches RELATED_MIN; a template (listed,
 * not reuse, sharing no passage) when the shared wording carries other
 * figures (trace_pairs.c other_figures). */
int rp__trace_link_reuse(uint8_t kind)
{
    return kind == LK_PASSAGE || kind == LK_SIMILAR || kind == LK_REWORDED;
}

static int pair_links(tjob *j)
{
    j->pass_of = malloc((j->nocc + 1) * sizeof *j->pass_of);
    if (!j->pass_of)
        return RP_ENOMEM;
    for (size_t o = 0; o < j->nocc; o++)
        j->pass_of[o] = NONE;
    for (size_t pi = 0; pi < j->npass; pi++)
        for (size_t m = 0; m < j->pass[pi].nm; m++)
            j->pass_of[j->pass[pi].members[m]] = (uint32_t)pi;
    size_t cap = 0, rcap = 0, nr = 0;
    for (size_t i = 0; i < j->ncmp; i++) {
        const tcompare *c = &j->cmp[i];
        uint8_t kind = LK_RELATED;
        int shared = 0;
        for (size_t s = 0; s < c->nseg && !shared; s++) {
            uint32_t o = j->remap[c->occ0 + 2 * s];
            uint32_t p = j->pass_of[o];
            shared = p != NONE && !j->pass[p].boilerplate &&
                     !j->pass[p].common && !(c->sig && c->sig[s]);
            if (shared && j->pass[p].house != NONE) {
                const tdoc *h = &j->docs[j->pass[p].house];
                shared = !(rp__trace_same_outlet(&j->docs[c->a], h) &&
                           rp__trace_same_outlet(&j->docs[c->b], h));
            }
        }
        /* shared passages link two documents when they make up
           COPY_SHARE of one of them or COPY_WORDS (a copy, whole or in
           part), or when one quotes the other on '>' lines and names
           its author: a phrase under COPY_WORDS that one text quotes
           from some post and another writes is as often common wording
           ("I don't know what you mean by") as a reply. A shorter
           passage stays a passage, and the pair only related. An
           author's signature (c->sig) counts in none of these. */
        /* two replies quoting one post share it on quoted lines at one
           depth: not a copy of each other, nor similar or reworded for
           it */
        int bq = rp__trace_both_quote(j, c);
        if (shared && (c->cov_a >= COPY_SHARE || c->cov_b >= COPY_SHARE ||
                       c->shared_words >= COPY_WORDS) &&
            !bq)
            kind = LK_PASSAGE;
        if (shared && kind == LK_RELATED) {
            int q = rp__trace_quoted_segment(j, c);
            if (!c->sig)
                q |= rp__trace_quoted(j, c->a, c->b) |
                     rp__trace_quoted(j, c->b, c->a) << 1;
            if (((q & 1) && rp__trace_names_author(j, c->b, c->a)) ||
                ((q & 2) && rp__trace_names_author(j, c->a, c->b)))
                kind = LK_PASSAGE;
        }
        if (kind == LK_RELATED && c->jaccard >= j->o->link_jaccard && !bq)
            kind = LK_SIMILAR;
        if (kind == LK_RELATED && !bq && c->words >= j->o->link_words &&
            (c->order >= WORD_ORDER || c->words >= WORDS_ALONE))
            kind = LK_REWORDED;
        if (c->figures) /* one wording, other figures: not a copy */
            kind = LK_TEMPLATE;
        /* two texts sharing their content words but not their figures
           (two load-factor reports, two wheat sales) tell one kind of
           news, not one text reworded */
        if (kind == LK_REWORDED && c->text_figures)
            kind = LK_TEMPLATE;
        if (kind == LK_SIMILAR && c->text_figures &&
            !rp__trace_has_quoting(&j->docs[c->a]) &&
            !rp__trace_has_quoting(&j->docs[c->b]))
            kind = LK_TEMPLATE;
        int reuse = rp__trace_link_reuse(kind);
        if (!reuse && rp__trace_link_score(c) < RELATED_MIN)
            continue;
        if (RP_VEC_PUSH(j->dlinks, j->ndlinks, cap, (uint32_t)i) ||
            RP_VEC_PUSH(j->dl_kind, nr, rcap, kind))
            return RP_ENOMEM;
        j->st->links += (uint64_t)reuse;
    }
    return RP_OK;
}

int rp__trace_edges(tjob *j)
{
    size_t cap = 0;
    uint32_t *pos = malloc((j->nocc + 1) * sizeof *pos);
    uint32_t *fallback = malloc((j->nocc + 1) * sizeof *fallback);
    uint32_t *scratch = malloc((2 * j->nocc + 2) * sizeof *scratch);
    if (!pos || !fallback || !scratch || rp__trace_build_plinks(j)) {
        free(pos);
        free(fallback);
        free(scratch);
        return RP_ENOMEM;
    }
    for (size_t o = 0; o < j->nocc; o++)
        fallback[o] = pos[o] = NONE;
    int rc = RP_OK;
    for (size_t pi = 0; pi < j->npass && rc == RP_OK; pi++) {
        tpassage *p = &j->pass[pi];
        rp__trace_mark_boilerplate(j, p, scratch);
        p->edge0 = j->nedges;
        if (p->boilerplate) {
            j->st->boilerplate++;
            continue;
        }
        for (size_t m = 0; m < p->nm; m++)
            pos[p->members[m]] = (uint32_t)m;
        for (size_t m = 1; m < p->nm; m++) {
            /* the earlier member it aligns with best */
            uint32_t u = p->members[m];
            tedge e;
            memset(&e, 0, sizeof e);
            e.from = NONE;
            e.to = u;
            e.member = u;
            e.sim = -1;
            double sum = 0;
            for (size_t i = j->adj_start[u]; i < j->adj_start[u + 1]; i++) {
                uint32_t v = j->adj[i].to;
                if (pos[v] >= m || p->members[pos[v]] != v)
                    continue;
                sum += j->adj[i].sim;
                if (j->adj[i].sim > e.sim ||
                    (j->adj[i].sim == e.sim && pos[v] < pos[e.from])) {
                    e.sim = j->adj[i].sim;
                    e.from = v;
                }
            }
            if (e.from == NONE) {
                /* linked only to later members (a passage's members are
                   in date order, its links are not): to the best of them,
                   unless that one already chose u */
                for (size_t i = j->adj_start[u]; i < j->adj_start[u + 1];
                     i++) {
                    uint32_t v = j->adj[i].to;
                    if (pos[v] >= p->nm || p->members[pos[v]] != v)
                        continue;
                    if (j->adj[i].sim > e.sim ||
                        (j->adj[i].sim == e.sim && pos[v] < pos[e.from])) {
                        e.sim = j->adj[i].sim;
                        e.from = v;
                    }
                }
                if (e.from == NONE)
                    continue;
                e.confidence = 0;
                fallback[u] = e.from;
            } else {
                if (fallback[e.from] == u)
                    continue; /* that edge exists */
                e.confidence = sum > 0 ? e.sim / sum : 0;
            }
            direct(j, &e);
            if (RP_VEC_PUSH(j->edges, j->nedges, cap, e))
                rc = RP_ENOMEM;
        }
        p->nedges = j->nedges - p->edge0;
        if (!tie_occ(j, p->members[0], p->members[1])) {
            p->origin = p->members[0];
            p->origin_basis = EV_DATES;
        } else {
            text_origin(j, p);
        }
    }
    free(pos);
    free(fallback);
    free(scratch);
    if (rc == RP_OK) {
        /* what each copy adds and drops, on the workers */
        int failed = 0;
        edge_ctx c = {j, &failed};
        rp_parallel_for(j->o->threads ? j->o->threads : 1, j->nedges,
                        edge_words, &c);
        if (failed)
            rc = RP_ENOMEM;
    }
    if (rc == RP_OK)
        rc = pair_links(j);
    /* the direction of every linked document pair */
    if (rc == RP_OK) {
        j->dl_dir = calloc(j->ndlinks + 1, 1);
        j->dl_support = calloc(j->ndlinks + 1, 1);
        if (!j->dl_dir || !j->dl_support)
            rc = RP_ENOMEM;
    }
    for (size_t i = 0; rc == RP_OK && i < j->ndlinks; i++) {
        const tcompare *c = &j->cmp[j->dlinks[i]];
        uint8_t ag;
        /* and the pair's own segments: one quotes the other */
        int q = rp__trace_quoted_segment(j, c);
        j->dl_dir[i] = (uint8_t)direction(
            j, c->a, c->b, (q & 1) ? EV_QUOTED : 0, (q & 2) ? EV_QUOTED : 0,
            &j->dl_support[i], &ag);
    }
    return rc;
}
