/*
 * trace.c - passages shared across documents, ordered by date
 * (pipeline in reprint/trace.h; EXPERIMENTAL first stage).
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
#include "../util/buf.h"
#include "../util/html_out.h"
#include "../util/json_out.h"
#include "../util/sort.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct tdoc {
    char *id;
    char *outlet;
    char *text;
    uint32_t text_len;
    rp_date date;
    uint32_t file;
    uint64_t line;
    uint64_t *sh;  /* shingles in text order */
    uint32_t nsh;
    uint32_t *tok; /* start, end byte of each token */
    uint32_t ntok;
} tdoc;

typedef struct occ {
    uint32_t doc;
    uint32_t start, end; /* bytes of the text */
    uint32_t next;       /* the document's next occurrence, or NONE */
} occ;

#define NONE UINT32_MAX

typedef struct link {
    uint32_t a, b; /* occurrences */
    double sim;
} link;

typedef struct adj {
    uint32_t to;
    double sim;
} adj;

typedef struct tjob {
    const rp_trace_options *o;
    rp_trace_stats *st;
    tdoc *docs;
    size_t ndocs, docs_cap;
    occ *occs;
    size_t nocc, occ_cap;
    link *links;
    size_t nlinks, links_cap;
    char **fnames;
    size_t nfnames;
    uint32_t *doc_head; /* each document's first occurrence, or NONE */
    size_t *adj_start; /* links by occurrence: adj[adj_start[o] ...) */
    adj *adj;
} tjob;

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
        const char *outlet = rec.source ? rec.source : fname;
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

typedef struct posting {
    uint64_t h;
    uint32_t doc;
} posting;

static int cmp_posting(const void *x, const void *y)
{
    const posting *a = x, *b = y;
    if (a->h != b->h)
        return a->h < b->h ? -1 : 1;
    return a->doc < b->doc ? -1 : a->doc > b->doc;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

static int candidates(tjob *j, uint64_t **out, size_t *count)
{
    posting *post = NULL;
    size_t np = 0, pcap = 0;
    uint64_t *tmp = NULL, *pairs = NULL;
    size_t tcap = 0, npairs = 0, pairs_cap = 0;
    *out = NULL;
    *count = 0;
    for (size_t d = 0; d < j->ndocs; d++) {
        const tdoc *x = &j->docs[d];
        if (rp_vec_grow((void **)&tmp, &tcap, x->nsh + 1, sizeof *tmp))
            goto oom;
        memcpy(tmp, x->sh, x->nsh * sizeof *tmp);
        size_t n = rp_set_make(tmp, x->nsh);
        for (size_t i = 0; i < n; i++) {
            if (tmp[i] & 3)
                continue; /* the 1-in-4 sample */
            posting p = {tmp[i], (uint32_t)d};
            if (RP_VEC_PUSH(post, np, pcap, p))
                goto oom;
        }
    }
    if (np > 1)
        qsort(post, np, sizeof *post, cmp_posting);
    for (size_t i = 0; i < np;) {
        size_t k = i + 1;
        while (k < np && post[k].h == post[i].h)
            k++;
        if (k - i > j->o->max_df) {
            j->st->common_shingles++;
        } else {
            for (size_t x = i; x < k; x++)
                for (size_t y = x + 1; y < k; y++) {
                    uint64_t pr = (uint64_t)post[x].doc << 32 | post[y].doc;
                    if (RP_VEC_PUSH(pairs, npairs, pairs_cap, pr))
                        goto oom;
                }
        }
        i = k;
    }
    if (npairs > 1)
        qsort(pairs, npairs, sizeof *pairs, cmp_u64);
    size_t w = 0;
    for (size_t i = 0; i < npairs;) {
        size_t k = i + 1;
        while (k < npairs && pairs[k] == pairs[i])
            k++;
        if (k - i >= 2) /* two sampled shingles: about 8 shared */
            pairs[w++] = pairs[i];
        i = k;
    }
    free(post);
    free(tmp);
    *out = pairs;
    *count = w;
    j->st->candidate_pairs = w;
    return RP_OK;
oom:
    free(post);
    free(tmp);
    free(pairs);
    return RP_ENOMEM;
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
static int dates_tie(const rp_date *a, const rp_date *b)
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

static double link_sim(const tjob *j, uint32_t x, uint32_t y)
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
typedef struct groups {
    size_t *start;   /* members of leader l: member[start[l] .. start[l+1]) */
    uint32_t *member;
} groups;

static int group_members(const tjob *j, const uint32_t *order,
                         const uint32_t *leader, groups *g)
{
    g->start = calloc(j->nocc + 2, sizeof *g->start);
    g->member = malloc((j->nocc + 1) * sizeof *g->member);
    if (!g->start || !g->member)
        return RP_ENOMEM;
    for (size_t o = 0; o < j->nocc; o++)
        g->start[leader[o] + 2]++;
    for (size_t o = 0; o < j->nocc; o++)
        g->start[o + 2] += g->start[o + 1];
    for (size_t r = 0; r < j->nocc; r++)
        g->member[g->start[leader[order[r]] + 1]++] = order[r];
    return RP_OK;
}

/* The passage led by occurrence `lead`: its members in date order, or 0
 * when lead leads no cluster of two or more. */
static size_t passage(const groups *g, uint32_t lead, const uint32_t **members)
{
    *members = g->member + g->start[lead];
    size_t nm = g->start[lead + 1] - g->start[lead];
    return nm >= 2 && (*members)[0] == lead ? nm : 0;
}

/* Member m's likely source: the earlier member it aligns with best. */
static uint32_t source_of(const tjob *j, const uint32_t *members, size_t m,
                          double *sim)
{
    uint32_t src = members[0];
    double best = -1;
    for (size_t e = 0; e < m; e++) {
        double s = link_sim(j, members[e], members[m]);
        if (s > best) {
            best = s;
            src = members[e];
        }
    }
    *sim = best;
    return src;
}

/* ---- output ------------------------------------------------------------------ */

static void put_date(rp_buf *b, const rp_date *d)
{
    char s[32];
    size_t n = rp_date_format(s, sizeof s, d);
    if (n)
        rp_json_put_string(b, s, n);
    else
        rp_buf_puts(b, "null");
}

static int write_json(tjob *j, const uint32_t *order, const groups *g,
                      rp_writer *w)
{
    rp_buf b = {0};
    rp_buf_puts(&b, "{\"reprint\":\"trace\",\"version\":1,\"documents\":[");
    for (size_t d = 0; d < j->ndocs; d++) {
        const tdoc *x = &j->docs[d];
        rp_buf_puts(&b, d ? ",\n{\"id\":" : "\n{\"id\":");
        rp_json_put_string(&b, x->id, strlen(x->id));
        rp_buf_puts(&b, ",\"outlet\":");
        rp_json_put_string(&b, x->outlet, strlen(x->outlet));
        rp_buf_puts(&b, ",\"date\":");
        put_date(&b, &x->date);
        rp_buf_puts(&b, ",\"file\":");
        const char *f = x->file < j->nfnames ? j->fnames[x->file] : "";
        rp_json_put_string(&b, f, strlen(f));
        rp_buf_puts(&b, ",\"line\":");
        rp_json_put_u64(&b, x->line);
        rp_buf_putc(&b, '}');
    }
    rp_buf_puts(&b, "],\n\"passages\":[");
    int first = 1;
    uint64_t pid = 0;
    for (size_t oi = 0; oi < j->nocc; oi++) {
        uint32_t lead = order[oi];
        const uint32_t *members;
        size_t nm = passage(g, lead, &members);
        if (!nm)
            continue;
        int cross = 0;
        for (size_t m = 1; m < nm; m++)
            cross |= strcmp(j->docs[j->occs[members[m]].doc].outlet,
                            j->docs[j->occs[lead].doc].outlet) != 0;
        const tdoc *ld = &j->docs[j->occs[lead].doc];
        const tdoc *nd = &j->docs[j->occs[members[1]].doc];
        int tied = dates_tie(&ld->date, &nd->date);
        rp_buf_puts(&b, first ? "\n{\"id\":" : ",\n{\"id\":");
        first = 0;
        char idb[32];
        int il = snprintf(idb, sizeof idb, "p%llu", (unsigned long long)++pid);
        rp_json_put_string(&b, idb, (size_t)il);
        rp_buf_puts(&b, ",\"origin\":");
        if (tied)
            rp_buf_puts(&b, "null");
        else
            rp_json_put_string(&b, ld->id, strlen(ld->id));
        rp_buf_puts(&b, ",\"origin_basis\":");
        rp_buf_puts(&b, tied ? "\"tie: the earliest dates overlap or are "
                               "unknown\""
                             : "\"dates\"");
        rp_buf_puts(&b, cross ? ",\"cross_outlet\":true,\"members\":["
                              : ",\"cross_outlet\":false,\"members\":[");
        for (size_t m = 0; m < nm; m++) {
            const occ *o = &j->occs[members[m]];
            const tdoc *x = &j->docs[o->doc];
            rp_buf_puts(&b, m ? ",{\"doc\":" : "{\"doc\":");
            rp_json_put_string(&b, x->id, strlen(x->id));
            rp_buf_puts(&b, ",\"outlet\":");
            rp_json_put_string(&b, x->outlet, strlen(x->outlet));
            rp_buf_puts(&b, ",\"date\":");
            put_date(&b, &x->date);
            rp_buf_puts(&b, ",\"span\":[");
            rp_json_put_u64(&b, o->start);
            rp_buf_putc(&b, ',');
            rp_json_put_u64(&b, o->end);
            rp_buf_puts(&b, "],\"text\":");
            rp_json_put_string(&b, x->text + o->start, o->end - o->start);
            rp_buf_putc(&b, '}');
        }
        rp_buf_puts(&b, "],\"edges\":[");
        for (size_t m = 1; m < nm; m++) {
            double best;
            uint32_t src = source_of(j, members, m, &best);
            const tdoc *from = &j->docs[j->occs[src].doc];
            const tdoc *to = &j->docs[j->occs[members[m]].doc];
            int tie = dates_tie(&from->date, &to->date);
            rp_buf_puts(&b, m > 1 ? ",{\"from\":" : "{\"from\":");
            rp_json_put_string(&b, from->id, strlen(from->id));
            rp_buf_puts(&b, ",\"to\":");
            rp_json_put_string(&b, to->id, strlen(to->id));
            rp_buf_puts(&b, ",\"similarity\":");
            rp_json_put_double(&b, best, 4);
            rp_buf_puts(&b, tie ? ",\"direction\":\"undetermined\","
                                  "\"basis\":\"dates tie or unknown\"}"
                                : ",\"direction\":\"from->to\","
                                  "\"basis\":\"dates\"}");
        }
        rp_buf_puts(&b, "]}");
    }
    rp_buf_puts(&b, "]}\n");
    int rc = b.failed ? RP_ENOMEM : rp_writer_write(w, b.data, b.len);
    rp_buf_dispose(&b);
    return rc;
}

static int write_md(tjob *j, const uint32_t *order, const groups *g,
                    rp_writer *w)
{
    rp_buf b = {0};
    rp_buf_puts(&b, "# reprint trace\n\n");
    char line[256];
    int n = snprintf(line, sizeof line,
                     "%llu documents, %llu candidate pairs, %llu sharing "
                     "passages.\n\n",
                     (unsigned long long)j->ndocs,
                     (unsigned long long)j->st->candidate_pairs,
                     (unsigned long long)j->st->aligned_pairs);
    rp_buf_put(&b, line, (size_t)n);
    uint64_t pid = 0;
    for (size_t oi = 0; oi < j->nocc; oi++) {
        uint32_t lead = order[oi];
        const uint32_t *members;
        size_t nm = passage(g, lead, &members);
        if (!nm)
            continue;
        const occ *o = &j->occs[lead];
        const tdoc *x = &j->docs[o->doc];
        uint32_t len = o->end - o->start;
        n = snprintf(line, sizeof line, "## p%llu: \"%.*s%s\"\n\n",
                     (unsigned long long)++pid, len > 80 ? 80 : (int)len,
                     x->text + o->start, len > 80 ? "…" : "");
        rp_buf_put(&b, line, (size_t)n);
        for (size_t k = 0; k < nm; k++) {
            const tdoc *m = &j->docs[j->occs[members[k]].doc];
            char ds[32];
            if (!rp_date_format(ds, sizeof ds, &m->date))
                snprintf(ds, sizeof ds, "date unknown");
            n = snprintf(line, sizeof line, "- %s (%s, %s)\n", m->id,
                         m->outlet, ds);
            rp_buf_put(&b, line, (size_t)n);
        }
        rp_buf_putc(&b, '\n');
    }
    int rc = b.failed ? RP_ENOMEM : rp_writer_write(w, b.data, b.len);
    rp_buf_dispose(&b);
    return rc;
}

/*
 * The HTML report: one self-contained file, no script, no external
 * resource (a Content-Security-Policy forbids both), every piece of article
 * text escaped by rp_html_put_text() and isolated in <bdi>.
 */
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
    ".tie{color:#a60}.nav{font-size:90%}svg text{font-size:12px}\n"
    "</style></head><body id=\"top\">\n<h1>reprint trace</h1>\n";

static void html_date(rp_buf *b, const rp_date *d)
{
    char s[32];
    size_t n = rp_date_format(s, sizeof s, d);
    if (n)
        rp_buf_put(b, s, n);
    else
        rp_buf_puts(b, "unknown");
}

static void html_snippet(rp_buf *b, const char *text, uint32_t len)
{
    uint32_t n = len > 90 ? 90 : len;
    while (n < len && n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
        n--; /* do not cut a character */
    rp_buf_puts(b, "<bdi>");
    rp_html_put_text(b, text, n);
    rp_buf_puts(b, n < len ? "…</bdi>" : "</bdi>");
}

/* the copy graph: members left to right in date order, arrows from each
 * member's source */
static void html_graph(rp_buf *b, const tjob *j, const uint32_t *members,
                       size_t nm)
{
    char t[512];
    int w = (int)(nm * 140 + 40);
    snprintf(t, sizeof t,
             "<svg role=\"img\" aria-label=\"copy graph\" width=\"%d\" "
             "height=\"110\" viewBox=\"0 0 %d 110\">"
             "<defs><marker id=\"a\" viewBox=\"0 0 10 10\" refX=\"10\" "
             "refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" "
             "orient=\"auto\"><path d=\"M0,0L10,5L0,10z\"/></marker></defs>",
             w, w);
    rp_buf_puts(b, t);
    for (size_t m = 1; m < nm; m++) {
        double sim;
        uint32_t src = source_of(j, members, m, &sim);
        size_t k = 0;
        while (k < m && members[k] != src)
            k++;
        int x1 = (int)(k * 140 + 70), x2 = (int)(m * 140 + 70);
        int tie = dates_tie(&j->docs[j->occs[src].doc].date,
                            &j->docs[j->occs[members[m]].doc].date);
        snprintf(t, sizeof t,
                 "<path d=\"M%d,40 Q%d,%d %d,40\" fill=\"none\" "
                 "stroke=\"%s\" %smarker-end=\"url(#a)\"/>",
                 x1 + 18, (x1 + x2) / 2, 40 - 12 - (int)(m - k) * 6, x2 - 18,
                 tie ? "#a60" : "#333",
                 tie ? "stroke-dasharray=\"4 3\" " : "");
        rp_buf_puts(b, t);
    }
    for (size_t m = 0; m < nm; m++) {
        const tdoc *d = &j->docs[j->occs[members[m]].doc];
        int x = (int)(m * 140 + 70);
        snprintf(t, sizeof t,
                 "<circle cx=\"%d\" cy=\"40\" r=\"16\" fill=\"%s\"/>"
                 "<text x=\"%d\" y=\"78\" text-anchor=\"middle\">", x,
                 m ? "#9bd" : "#fb6", x);
        rp_buf_puts(b, t);
        rp_html_put_text(b, d->id, strlen(d->id) > 18 ? 18 : strlen(d->id));
        snprintf(t, sizeof t, "</text><text x=\"%d\" y=\"96\" "
                              "text-anchor=\"middle\">", x);
        rp_buf_puts(b, t);
        html_date(b, &d->date);
        rp_buf_puts(b, "</text>");
    }
    rp_buf_puts(b, "</svg>\n");
}

static int write_html(tjob *j, const uint32_t *order, const groups *g,
                      rp_writer *w)
{
    rp_buf b = {0};
    char t[512];
    rp_buf_puts(&b, html_head);
    snprintf(t, sizeof t,
             "<p>%llu documents, %llu candidate pairs, %llu sharing "
             "passages. Origins follow publication dates; where the "
             "earliest dates overlap the origin is left open "
             "(<span class=\"tie\">tie</span>).</p>\n<nav class=\"nav\">"
             "<ol>\n",
             (unsigned long long)j->ndocs,
             (unsigned long long)j->st->candidate_pairs,
             (unsigned long long)j->st->aligned_pairs);
    rp_buf_puts(&b, t);
    for (int pass = 0; pass < 2; pass++) {
        uint64_t pid = 0;
        for (size_t oi = 0; oi < j->nocc; oi++) {
            uint32_t lead = order[oi];
            const uint32_t *mem;
            size_t nm = passage(g, lead, &mem);
            if (!nm)
                continue;
            pid++;
            const occ *o = &j->occs[lead];
            const tdoc *ld = &j->docs[o->doc];
            if (pass == 0) {
                snprintf(t, sizeof t, "<li><a href=\"#p%llu\">p%llu</a> ",
                         (unsigned long long)pid, (unsigned long long)pid);
                rp_buf_puts(&b, t);
                html_snippet(&b, ld->text + o->start, o->end - o->start);
                snprintf(t, sizeof t, " (%zu documents)</li>\n", nm);
                rp_buf_puts(&b, t);
                continue;
            }
            int tie = dates_tie(&ld->date,
                                &j->docs[j->occs[mem[1]].doc].date);
            snprintf(t, sizeof t, "<section id=\"p%llu\"><h2>p%llu ",
                     (unsigned long long)pid, (unsigned long long)pid);
            rp_buf_puts(&b, t);
            html_snippet(&b, ld->text + o->start, o->end - o->start);
            rp_buf_puts(&b, "</h2>\n<p>Origin: ");
            if (tie) {
                rp_buf_puts(&b, "<span class=\"tie\">undetermined — the "
                                "earliest dates overlap or are unknown"
                                "</span>");
            } else {
                rp_buf_puts(&b, "<b><bdi>");
                rp_html_put_text(&b, ld->id, strlen(ld->id));
                rp_buf_puts(&b, "</bdi></b> (by publication date)");
            }
            rp_buf_puts(&b, "</p>\n");
            html_graph(&b, j, mem, nm);
            rp_buf_puts(&b, "<table><tr><th>date</th><th>outlet</th>"
                            "<th>document</th><th>likely source</th>"
                            "<th>similarity</th></tr>\n");
            for (size_t m = 0; m < nm; m++) {
                const tdoc *d = &j->docs[j->occs[mem[m]].doc];
                rp_buf_puts(&b, "<tr><td>");
                html_date(&b, &d->date);
                rp_buf_puts(&b, "</td><td><bdi>");
                rp_html_put_text(&b, d->outlet, strlen(d->outlet));
                rp_buf_puts(&b, "</bdi></td><td><bdi>");
                rp_html_put_text(&b, d->id, strlen(d->id));
                rp_buf_puts(&b, "</bdi></td><td>");
                if (m) {
                    double sim;
                    uint32_t src = source_of(j, mem, m, &sim);
                    const tdoc *sd = &j->docs[j->occs[src].doc];
                    int etie = dates_tie(&sd->date, &d->date);
                    rp_buf_puts(&b, etie ? "<span class=\"tie\"><bdi>"
                                         : "<bdi>");
                    rp_html_put_text(&b, sd->id, strlen(sd->id));
                    rp_buf_puts(&b, etie ? "</bdi> (tie: direction open)"
                                           "</span>"
                                         : "</bdi>");
                    snprintf(t, sizeof t, "</td><td>%.2f", sim);
                    rp_buf_puts(&b, t);
                } else {
                    rp_buf_puts(&b, "—</td><td>");
                }
                rp_buf_puts(&b, "</td></tr>\n");
            }
            rp_buf_puts(&b, "</table>\n<div class=\"side\">\n");
            for (size_t m = 0; m < nm; m++) {
                const occ *mo = &j->occs[mem[m]];
                const tdoc *d = &j->docs[mo->doc];
                rp_buf_puts(&b, "<figure><figcaption><bdi>");
                rp_html_put_text(&b, d->id, strlen(d->id));
                rp_buf_puts(&b, "</bdi> · <bdi>");
                rp_html_put_text(&b, d->outlet, strlen(d->outlet));
                rp_buf_puts(&b, "</bdi> · ");
                html_date(&b, &d->date);
                rp_buf_puts(&b, "</figcaption><blockquote><bdi>");
                rp_html_put_text(&b, d->text + mo->start, mo->end - mo->start);
                rp_buf_puts(&b, "</bdi></blockquote></figure>\n");
            }
            snprintf(t, sizeof t,
                     "</div>\n<p class=\"nav\"><a href=\"#top\">top</a> · "
                     "<a href=\"#p%llu\">next</a></p></section>\n",
                     (unsigned long long)pid + 1);
            rp_buf_puts(&b, t);
        }
        if (pass == 0)
            rp_buf_puts(&b, "</ol></nav>\n");
    }
    rp_buf_puts(&b, "</body></html>\n");
    int rc = b.failed ? RP_ENOMEM : rp_writer_write(w, b.data, b.len);
    rp_buf_dispose(&b);
    return rc;
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
    for (size_t i = 0; i < j->nfnames; i++)
        free(j->fnames[i]);
    free(j->fnames);
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
    uint32_t *order = NULL, *tmp = NULL, *leader = NULL;
    double *best = NULL;
    rp_writer *wj = NULL, *wm = NULL, *wh = NULL;
    int rc = read_all(&j, inputs, ninputs, cb, err);
    if (rc == RP_OK)
        rc = candidates(&j, &pairs, &npairs);
    if (rc == RP_OK)
        rc = align_pairs(&j, pairs, npairs);
    if (rc == RP_OK)
        rc = merge_occurrences(&j);
    free(pairs);
    if (rc == RP_OK) {
        order = malloc((j.nocc + 1) * sizeof *order);
        tmp = malloc((j.nocc + 1) * sizeof *tmp);
        leader = malloc((j.nocc + 1) * sizeof *leader);
        best = malloc((j.nocc + 1) * sizeof *best);
        if (!order || !tmp || !leader || !best)
            rc = RP_ENOMEM;
        else
            rc = build_adj(&j);
    }
    if (rc == RP_OK) {
        uint32_t *rank = tmp; /* reused after sorting */
        for (size_t i = 0; i < j.nocc; i++)
            order[i] = (uint32_t)i;
        rp_sort_indices(order, tmp, j.nocc, occ_before, &j);
        for (size_t r = 0; r < j.nocc; r++)
            rank[order[r]] = (uint32_t)r;
        /* leader clustering in date order over the links */
        for (size_t r = 0; r < j.nocc; r++) {
            uint32_t u = order[r];
            leader[u] = u;
            best[u] = -1;
            for (size_t i = j.adj_start[u]; i < j.adj_start[u + 1]; i++) {
                uint32_t v = j.adj[i].to;
                double sim = j.adj[i].sim;
                if (v == u || rank[v] >= rank[u] || leader[v] != v)
                    continue;
                if (sim > best[u] ||
                    (sim == best[u] && rank[v] < rank[leader[u]])) {
                    best[u] = sim;
                    leader[u] = v;
                }
            }
        }
    }
    groups g = {NULL, NULL};
    if (rc == RP_OK)
        rc = group_members(&j, order, leader, &g);
    for (size_t oc = 0; rc == RP_OK && oc < j.nocc; oc++) {
        const uint32_t *unused;
        st->passages += passage(&g, (uint32_t)oc, &unused) > 0;
    }
    if (rc == RP_OK && outs->json)
        rc = rp_writer_new(&wj, outs->json, err);
    if (rc == RP_OK && outs->md)
        rc = rp_writer_new(&wm, outs->md, err);
    if (rc == RP_OK && outs->html)
        rc = rp_writer_new(&wh, outs->html, err);
    if (rc == RP_OK && wh)
        rc = write_html(&j, order, &g, wh);
    if (rc == RP_OK && wj)
        rc = write_json(&j, order, &g, wj);
    if (rc == RP_OK && wm)
        rc = write_md(&j, order, &g, wm);
    if (rc == RP_OK && wj) {
        rc = rp_writer_commit(wj, err);
        wj = NULL;
    }
    if (rc == RP_OK && wm) {
        rc = rp_writer_commit(wm, err);
        wm = NULL;
    }
    if (rc == RP_OK && wh) {
        rc = rp_writer_commit(wh, err);
        wh = NULL;
    }
    rp_writer_abort(wj);
    rp_writer_abort(wm);
    rp_writer_abort(wh);
    free(g.start);
    free(g.member);
    free(order);
    free(tmp);
    free(leader);
    free(best);
    tjob_free(&j);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    st->seconds = (double)(t1.tv_sec - t0.tv_sec) +
                  (t1.tv_nsec - t0.tv_nsec) * 1e-9;
    return rc;
}
