/*
 * trace_passages.c - occurrences into passages: the spans the compared
 * pairs share, merged where one document holds one text several times,
 * joined by their links into passages (reuse clusters) that do not chain
 * through a phrase many texts share, members in date order.
 */
#include "reprint/date.h"

#include "trace_job.h"
#include "../../util/sort.h"

#include <stdlib.h>
#include <string.h>

static int occ_by_place(const void *ctx, uint32_t x, uint32_t y)
{
    const occ *a = &((const tjob *)ctx)->occs[x];
    const occ *b = &((const tjob *)ctx)->occs[y];
    if (a->doc != b->doc)
        return a->doc < b->doc;
    if (a->start != b->start)
        return a->start < b->start;
    if (a->end != b->end)
        return a->end > b->end;
    return x < y;
}

static int cmp_link(const void *x, const void *y)
{
    const link *a = x, *b = y;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    if (a->b != b->b)
        return a->b < b->b ? -1 : 1;
    return a->sim > b->sim ? -1 : a->sim < b->sim;
}

/* ---- occurrences into passages -------------------------------------------------- */

/*
 * Passages are formed in three steps, none of which reads a date:
 *
 *   1. Occurrences of one document that mostly coincide (they overlap by
 *      at least half of the longer) are one occurrence: the same text seen
 *      by several partners.
 *   2. The links join those into components: copies of one text.
 *   3. A component whose text lies inside another's text (overlapping at
 *      least half of its own span) in more than half of its documents, and
 *      in two at least, joins it: the part of a story a cut copy carries,
 *      the paragraph an article took from a wire story. A phrase repeated
 *      across many texts (a formula, a template line) lies inside each
 *      of them in a few of its documents only, so it neither joins them
 *      nor chains them into one: it stays its own passage.
 *
 * Then the occurrences of one document in one passage that overlap by at
 * least half of the shorter are merged (growing to the union), links are
 * pointed at the survivors, links inside one occurrence dropped and one
 * link kept per pair (the best). The steps are linear after sorts: step
 * 3 looks back INSIDE_BACK occurrences at most, and a merge steps over
 * MERGE_SKIP at most.
 */
#define INSIDE_BACK 32

static uint32_t occ_len(const occ *o)
{
    return o->end - o->start;
}

static uint32_t occ_overlap(const occ *a, const occ *b)
{
    uint32_t lo = a->start > b->start ? a->start : b->start;
    uint32_t hi = a->end < b->end ? a->end : b->end;
    return hi > lo ? hi - lo : 0;
}

static uint32_t find(uint32_t *up, uint32_t x)
{
    while (up[x] != x) {
        up[x] = up[up[x]];
        x = up[x];
    }
    return x;
}

static void unite(uint32_t *up, uint32_t x, uint32_t y)
{
    x = find(up, x);
    y = find(up, y);
    if (x < y)
        up[y] = x;
    else if (y < x)
        up[x] = y;
}

/* Greedy merge in list order (place order within a document, or document,
 * component, place): each occurrence not yet merged starts a survivor, and
 * the later ones of its document (and group, group[o], when given) that
 * overlap it by at least half of the longer (tight) or of the shorter join
 * it, the survivor growing to the union. Occurrences that overlap without
 * joining are stepped over, MERGE_SKIP at most, and start survivors of
 * their own: a short passage inside a long one does not cut the long one
 * off from its other copies in the document. */
#define MERGE_SKIP 32
static void merge_runs(tjob *j, const uint32_t *list, size_t n, int tight,
                       const uint32_t *group, uint32_t *remap)
{
    for (size_t a = 0; a < n; a++)
        remap[list[a]] = NONE;
    for (size_t a = 0; a < n; a++) {
        uint32_t ki = list[a];
        if (remap[ki] != NONE)
            continue;
        occ *keep = &j->occs[ki];
        remap[ki] = ki;
        size_t skipped = 0;
        for (size_t b = a + 1; b < n && skipped <= MERGE_SKIP; b++) {
            occ *o = &j->occs[list[b]];
            if (o->doc != keep->doc ||
                (group && group[list[b]] != group[ki]) ||
                o->start >= keep->end)
                break;
            if (remap[list[b]] != NONE)
                continue;
            uint32_t ov = occ_overlap(o, keep);
            uint32_t lo = occ_len(o), lk = occ_len(keep);
            uint32_t by = tight ? (lo > lk ? lo : lk) : (lo < lk ? lo : lk);
            if (ov == 0 || 2 * (uint64_t)ov < by) {
                skipped++;
                continue;
            }
            if (o->end > keep->end)
                keep->end = o->end;
            remap[list[b]] = ki;
        }
    }
}

typedef struct inside {
    uint32_t a, b, doc; /* component a's text inside b's, in document doc */
} inside;

static int cmp_inside(const void *x, const void *y)
{
    const inside *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    if (p->b != q->b)
        return p->b < q->b ? -1 : 1;
    return p->doc < q->doc ? -1 : p->doc > q->doc;
}

/* order of occurrences for the last merge: document, component, place */
typedef struct group_ctx {
    const tjob *j;
    const uint32_t *root;
} group_ctx;

static int occ_by_group(const void *ctx, uint32_t x, uint32_t y)
{
    const group_ctx *g = ctx;
    const occ *a = &g->j->occs[x], *b = &g->j->occs[y];
    if (a->doc != b->doc)
        return a->doc < b->doc;
    if (g->root[x] != g->root[y])
        return g->root[x] < g->root[y];
    return occ_by_place(g->j, x, y);
}

/* step 3: join components by where their texts lie inside each other */
static int join_inside(tjob *j, const uint32_t *list, size_t n, uint32_t *up)
{
    inside *in = NULL;
    size_t nin = 0, cap = 0;
    uint32_t *ndocs = calloc(j->nocc + 1, sizeof *ndocs);
    uint32_t *stamp = malloc((j->nocc + 1) * sizeof *stamp);
    if (!ndocs || !stamp) {
        free(ndocs);
        free(stamp);
        return RP_ENOMEM;
    }
    for (size_t o = 0; o < j->nocc; o++)
        stamp[o] = NONE;
    /* list: the survivors of step 1 in place order */
    for (size_t i = 0; i < n; i++) {
        uint32_t o = list[i], ro = find(up, o);
        const occ *x = &j->occs[o];
        if (stamp[ro] != x->doc) {
            stamp[ro] = x->doc;
            ndocs[ro]++;
        }
        size_t first = i > INSIDE_BACK ? i - INSIDE_BACK : 0;
        for (size_t k = i; k-- > first;) {
            const occ *y = &j->occs[list[k]];
            if (y->doc != x->doc)
                break;
            uint32_t ry = find(up, list[k]);
            uint32_t ov = occ_overlap(x, y);
            if (ry == ro || ov == 0)
                continue;
            /* the shorter one's text inside the longer one's */
            int x_in = occ_len(x) <= occ_len(y);
            if (2 * (uint64_t)ov < (x_in ? occ_len(x) : occ_len(y)))
                continue;
            inside e = {x_in ? ro : ry, x_in ? ry : ro, x->doc};
            if (nin && in[nin - 1].a == e.a && in[nin - 1].b == e.b &&
                in[nin - 1].doc == e.doc)
                continue; /* said already: one per document is counted */
            if (RP_VEC_PUSH(in, nin, cap, e)) {
                free(in);
                free(ndocs);
                free(stamp);
                return RP_ENOMEM;
            }
        }
    }
    free(stamp);
    if (nin > 1)
        qsort(in, nin, sizeof *in, cmp_inside);
    /* each component joins the one it lies inside in the most documents
       (ties: the lower), when that is over half of its documents and two */
    for (size_t i = 0; i < nin;) {
        uint32_t a = in[i].a, best = NONE, bestw = 0;
        while (i < nin && in[i].a == a) {
            uint32_t b = in[i].b, w = 0;
            for (uint32_t last = NONE; i < nin && in[i].a == a && in[i].b == b;
                 i++) {
                w += in[i].doc != last;
                last = in[i].doc;
            }
            if (w > bestw) {
                bestw = w;
                best = b;
            }
        }
        if (bestw >= 2 && 2 * (uint64_t)bestw > ndocs[a])
            unite(up, a, best);
    }
    free(in);
    free(ndocs);
    return RP_OK;
}

static int merge_occurrences(tjob *j)
{
    size_t n = j->nocc;
    uint32_t *remap = malloc((n + 1) * sizeof *remap);
    uint32_t *list = malloc((n + 1) * sizeof *list);
    uint32_t *tmp = malloc((n + 1) * sizeof *tmp);
    uint32_t *up = malloc((n + 1) * sizeof *up);
    j->doc_head = malloc((j->ndocs + 1) * sizeof *j->doc_head);
    j->raw_span = malloc((2 * n + 2) * sizeof *j->raw_span);
    int rc = remap && list && tmp && up && j->doc_head && j->raw_span
                 ? RP_OK
                 : RP_ENOMEM;
    if (rc != RP_OK)
        goto done;
    /* a pair's own segments, for what that pair alone shares (quoting) */
    for (size_t o = 0; o < n; o++) {
        j->raw_span[2 * o] = j->occs[o].start;
        j->raw_span[2 * o + 1] = j->occs[o].end;
        list[o] = (uint32_t)o;
        up[o] = (uint32_t)o;
    }
    for (size_t d = 0; d < j->ndocs; d++)
        j->doc_head[d] = NONE;
    rp_sort_indices(list, tmp, n, occ_by_place, j);
    /* 1: one text seen by several partners */
    merge_runs(j, list, n, 1, NULL, remap);
    size_t ns = 0;
    for (size_t i = 0; i < n; i++)
        if (remap[list[i]] == list[i])
            list[ns++] = list[i];
    /* 2: components of the links */
    for (size_t i = 0; i < j->nlinks; i++)
        unite(up, remap[j->links[i].a], remap[j->links[i].b]);
    /* 3: texts inside texts */
    rc = join_inside(j, list, ns, up);
    if (rc != RP_OK)
        goto done;
    /* the survivors' passages, then one occurrence per document and
       passage where they overlap */
    for (size_t i = 0; i < ns; i++)
        tmp[list[i]] = find(up, list[i]);
    {
        group_ctx g = {j, tmp};
        uint32_t *t2 = malloc((ns + 1) * sizeof *t2);
        if (!t2) {
            rc = RP_ENOMEM;
            goto done;
        }
        rp_sort_indices(list, t2, ns, occ_by_group, &g);
        free(t2);
        uint32_t *r2 = up; /* the components are no longer needed */
        merge_runs(j, list, ns, 0, tmp, r2);
        for (size_t o = 0; o < n; o++)
            remap[o] = r2[remap[o]];
    }
    /* each document's occurrences, in start order */
    for (size_t i = 0; i < n; i++)
        list[i] = (uint32_t)i;
    rp_sort_indices(list, tmp, n, occ_by_place, j);
    for (size_t a = n; a-- > 0;) {
        uint32_t o = list[a];
        if (remap[o] != o)
            continue;
        j->occs[o].next = j->doc_head[j->occs[o].doc];
        j->doc_head[j->occs[o].doc] = o;
    }
    size_t w = 0;
    for (size_t i = 0; i < j->nlinks; i++) {
        link l = j->links[i];
        l.a = remap[l.a];
        l.b = remap[l.b];
        if (l.a > l.b) {
            uint32_t t = l.a;
            l.a = l.b;
            l.b = t;
        }
        if (l.a != l.b)
            j->links[w++] = l;
    }
    if (w > 1)
        qsort(j->links, w, sizeof *j->links, cmp_link);
    size_t u = 0;
    for (size_t i = 0; i < w; i++)
        if (u == 0 || j->links[u - 1].a != j->links[i].a ||
            j->links[u - 1].b != j->links[i].b)
            j->links[u++] = j->links[i];
    j->nlinks = u;
    /* merged-away occurrences become empty: no links, in no passage */
    for (size_t o = 0; o < n; o++)
        if (remap[o] != o)
            j->occs[o].start = j->occs[o].end = 0;
    j->remap = remap;
    remap = NULL;
done:
    free(remap);
    free(list);
    free(tmp);
    free(up);
    return rc;
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
        p.house = NONE;
        if (RP_VEC_PUSH(j->pass, j->npass, cap, p))
            return RP_ENOMEM;
    }
    j->st->passages = j->npass;
    return RP_OK;
}



/*
 * Passages: the connected components of the occurrence links (an
 * occurrence is one span of one document, so a story shared by many joins
 * into one passage whatever the order of its copies). Dates play no part
 * in which occurrences form a passage; they only order its members. The
 * lead is the first member in date order.
 */
static int cluster_passages(tjob *j)
{
    uint32_t *order = malloc((j->nocc + 1) * sizeof *order);
    uint32_t *tmp = malloc((j->nocc + 1) * sizeof *tmp);
    uint32_t *up = malloc((j->nocc + 1) * sizeof *up);
    uint32_t *lead = malloc((j->nocc + 1) * sizeof *lead);
    int rc = order && tmp && up && lead ? build_adj(j) : RP_ENOMEM;
    if (rc == RP_OK) {
        for (size_t i = 0; i < j->nocc; i++) {
            order[i] = (uint32_t)i;
            up[i] = (uint32_t)i;
            lead[i] = NONE;
        }
        for (size_t i = 0; i < j->nlinks; i++) {
            uint32_t x = find(up, j->links[i].a), y = find(up, j->links[i].b);
            if (x != y) {
                if (x < y)
                    up[y] = x;
                else
                    up[x] = y;
            }
        }
        rp_sort_indices(order, tmp, j->nocc, occ_before, j);
        for (size_t r = 0; r < j->nocc; r++) {
            uint32_t root = find(up, order[r]);
            if (lead[root] == NONE)
                lead[root] = order[r];
        }
        /* leader of each occurrence: its component's lead */
        for (size_t o = 0; o < j->nocc; o++)
            tmp[o] = lead[find(up, (uint32_t)o)];
        rc = make_passages(j, order, tmp);
    }
    free(order);
    free(tmp);
    free(up);
    free(lead);
    return rc;
}

int rp__trace_passages(tjob *j)
{
    int rc = merge_occurrences(j);
    if (rc == RP_OK)
        rc = cluster_passages(j);
    return rc;
}
