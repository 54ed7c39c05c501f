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
 *                evidence otherwise, or on top:
 *                  attribution  the copy names the source's outlet
 *                               ("according to Press TV")
 *                  splice       the copy joins in one paragraph passages
 *                               the source has in separate paragraphs
 *                               (12 words or more, not inside quotes)
 *                  quoted       the copy has the text on '>' lines, the
 *                               source as its own
 *                  carried      a relative date ("on Friday") in the copy's
 *                               paragraph, also in the source, published
 *                               a week (a day for "yesterday") later
 *                Without dates, attribution, splice and quoting decide;
 *                with evidence both ways, or none, the direction stays
 *                open. Pair evidence reads only the links between the two
 *                documents (sorted once), and per-document caches, so it
 *                is linear in the links, not in the text.
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

#include <ctype.h>
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
size_t rp__trace_outlet_word(const tdoc *d, char *out, size_t cap)
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

/* does b's text name a's outlet (and is it not b's own)? Remembered per
 * document for its last few outlets: a book linked to a thousand chapters
 * of one outlet is scanned once, not a thousand times. */
static int attribution(tjob *j, uint32_t ai, uint32_t bi)
{
    const tdoc *a = &j->docs[ai];
    tdoc *b = &j->docs[bi];
    char w[128];
    if (!rp__trace_outlet_word(a, w, sizeof w))
        return 0;
    if (b->outlet_basis != OUTLET_UNKNOWN && strcmp(a->outlet, b->outlet) == 0)
        return 0;
    for (int i = 0; i < ATTR_CACHE; i++)
        if (b->attr_outlet[i] && strcmp(b->attr_outlet[i], a->outlet) == 0)
            return b->attr_hit[i];
    int hit = has_word(b->text, 0, b->text_len, w);
    int slot = b->attr_next++ % ATTR_CACHE;
    b->attr_outlet[slot] = a->outlet;
    b->attr_hit[slot] = (uint8_t)hit;
    return hit;
}

/* links between two documents, both ways, sorted by (doc, doc) */
typedef struct plink {
    uint32_t dx, dy; /* documents */
    uint32_t ox, oy; /* their occurrences */
} plink;

static int cmp_plink(const void *x, const void *y)
{
    const plink *a = x, *b = y;
    if (a->dx != b->dx)
        return a->dx < b->dx ? -1 : 1;
    if (a->dy != b->dy)
        return a->dy < b->dy ? -1 : 1;
    if (a->ox != b->ox)
        return a->ox < b->ox ? -1 : 1;
    return a->oy < b->oy ? -1 : a->oy > b->oy;
}

static int build_plinks(tjob *j)
{
    j->plinks = malloc((2 * j->nlinks + 1) * sizeof *j->plinks);
    if (!j->plinks)
        return RP_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < j->nlinks; i++) {
        const link *l = &j->links[i];
        uint32_t da = j->occs[l->a].doc, db = j->occs[l->b].doc;
        if (da == db)
            continue;
        plink x = {da, db, l->a, l->b}, y = {db, da, l->b, l->a};
        j->plinks[n++] = x;
        j->plinks[n++] = y;
    }
    if (n > 1)
        qsort(j->plinks, n, sizeof *j->plinks, cmp_plink);
    j->nplinks = n;
    return RP_OK;
}

/* links from document x to document y: plinks[*lo, *hi) */
static void plink_range(const tjob *j, uint32_t x, uint32_t y, size_t *lo,
                        size_t *hi)
{
    size_t l = 0, h = j->nplinks;
    while (l < h) {
        size_t m = l + (h - l) / 2;
        const plink *p = &j->plinks[m];
        if (p->dx < x || (p->dx == x && p->dy < y))
            l = m + 1;
        else
            h = m;
    }
    *lo = l;
    while (l < j->nplinks && j->plinks[l].dx == x && j->plinks[l].dy == y)
        l++;
    *hi = l;
}

#define PARA_REACH 4096

/* a splice is read only from passages this long: short shared phrases
 * land in one paragraph by chance */
#define SPLICE_WORDS 12

/* is byte `at` of d inside a quotation (an open “ or " earlier on its
 * line)? Quoted words come from the speaker, not from another article:
 * two quotes of one speech joined or split say nothing of who copied. */
static int in_quote(const tdoc *d, uint32_t at)
{
    uint32_t s = at;
    while (s > 0 && d->text[s - 1] != '\n' && at - s < PARA_REACH)
        s--;
    int depth = 0, ascii = 0;
    for (uint32_t i = s; i < at; i++) {
        unsigned char c = (unsigned char)d->text[i];
        if (c == '"')
            ascii = !ascii;
        else if (c == 0xe2 && i + 2 < at + 2 && i + 2 < d->text_len &&
                 (unsigned char)d->text[i + 1] == 0x80) {
            unsigned char t = (unsigned char)d->text[i + 2];
            if (t == 0x9c)
                depth++;
            else if (t == 0x9d && depth > 0)
                depth--;
        } else if (c == 0xc2 && i + 1 < d->text_len) {
            unsigned char t = (unsigned char)d->text[i + 1];
            if (t == 0xab)
                depth++;
            else if (t == 0xbb && depth > 0)
                depth--;
        }
    }
    return depth > 0 || ascii;
}

/* a blank line (two line breaks with only spaces between) in [s, e) */
static int blank_line_in(const tdoc *d, uint32_t s, uint32_t e)
{
    int nl = 0;
    for (uint32_t i = s; i < e && i < d->text_len; i++) {
        char c = d->text[i];
        if (c == '\n') {
            if (nl)
                return 1;
            nl = 1;
        } else if (c != ' ' && c != '\t' && c != '\r') {
            nl = 0;
        }
    }
    return 0;
}

static uint32_t words_in(const tjob *j, uint32_t o)
{
    const tdoc *d = &j->docs[j->occs[o].doc];
    return rp__trace_token_at(d, j->occs[o].end) -
           rp__trace_token_at(d, j->occs[o].start);
}

/* does doc b join in one paragraph what doc a keeps in separate ones?
 * Over the links between the two only: for every line of b holding two
 * linked spans whole, are their counterparts in a on different lines,
 * one after the other? */
static int splice(const tjob *j, uint32_t a, uint32_t b)
{
    const tdoc *da = &j->docs[a], *db = &j->docs[b];
    if (da->nnl == 0)
        return 0; /* a has one line: nothing apart */
    size_t lo, hi;
    plink_range(j, b, a, &lo, &hi);
    /* plinks of (b, a) are sorted by b's occurrence; group by b's line */
    for (size_t i = lo; i < hi; i++) {
        const occ *x = &j->occs[j->plinks[i].ox];
        if (words_in(j, j->plinks[i].ox) < SPLICE_WORDS ||
            in_quote(db, x->start))
            continue;
        uint32_t lx = rp__trace_line_of(db, x->start);
        if (rp__trace_line_of(db, x->end) != lx)
            continue;
        /* one aligned passage: on one line of b, across a blank line of a
           (a paragraph break, not a wrapped line) */
        const occ *src = &j->occs[j->plinks[i].oy];
        if (blank_line_in(da, src->start, src->end))
            return 1;
        /* a later link whose b span is on the same line, another span */
        size_t seen = 0;
        for (size_t k = lo; k < hi && seen < 64; k++) {
            const occ *y = &j->occs[j->plinks[k].ox];
            if (j->plinks[k].ox == j->plinks[i].ox || k == i)
                continue;
            if (rp__trace_line_of(db, y->start) != lx || rp__trace_line_of(db, y->end) != lx ||
                words_in(j, j->plinks[k].ox) < SPLICE_WORDS ||
                in_quote(db, y->start))
                continue;
            seen++;
            const occ *ax = &j->occs[j->plinks[i].oy];
            const occ *ay = &j->occs[j->plinks[k].oy];
            if (j->plinks[i].oy == j->plinks[k].oy)
                continue;
            const occ *f = ax->start < ay->start ? ax : ay;
            const occ *s = f == ax ? ay : ax;
            if (f->end <= s->start &&
                rp__trace_line_of(da, s->start) > rp__trace_line_of(da, f->end))
                return 1;
        }
    }
    return 0;
}

/* share of the words of doc d's bytes [start, end) on quoted lines, 0..1 */
static double quoted_share_in(const tdoc *d, uint32_t start, uint32_t end)
{
    uint32_t t0 = rp__trace_token_at(d, start);
    uint32_t t1 = rp__trace_token_at(d, end);
    if (t1 <= t0)
        return 0;
    uint32_t q = 0;
    for (uint32_t t = t0; t < t1; t++)
        q += (d->tflag[t] & RT_QUOTED) != 0;
    return (double)q / (t1 - t0);
}

/* share of the words of occurrence o on quoted lines, 0..1 */
static double quoted_share(const tjob *j, uint32_t o)
{
    const occ *x = &j->occs[o];
    return quoted_share_in(&j->docs[x->doc], x->start, x->end);
}

/* the same for occurrence o as the pair that made it aligned it, before
 * it was merged with overlapping ones of other pairs (a reply's quoted
 * lines and its own text that a later reply quotes become one) */
static double quoted_share_raw(const tjob *j, uint32_t o)
{
    return quoted_share_in(&j->docs[j->occs[o].doc], j->raw_span[2 * o],
                           j->raw_span[2 * o + 1]);
}

/* some of d's lines are quoted ('>') */
double rp__trace_quoted_share(const tjob *j, uint32_t o)
{
    return quoted_share(j, o);
}

static int has_quoting(const tdoc *d)
{
    for (uint32_t t = 0; t < d->ntok; t++)
        if (d->tflag[t] & RT_QUOTED)
            return 1;
    return 0;
}

/* b quotes a: some text linked between them is on quoted lines ('>') in b
 * and not in a */
static int quoted(const tjob *j, uint32_t a, uint32_t b)
{
    size_t lo, hi;
    plink_range(j, b, a, &lo, &hi);
    for (size_t i = lo; i < hi; i++)
        if (quoted_share(j, j->plinks[i].ox) >= 0.5 &&
            quoted_share(j, j->plinks[i].oy) < 0.5)
            return 1;
    return 0;
}

/* which document quotes the other in one of c's segments outside
 * signatures: 1 b quotes a (on quoted lines in b, not in a), 2 a quotes
 * b, 3 both */
static int quoted_segment(const tjob *j, const tcompare *c)
{
    int q = 0;
    for (size_t s = 0; s < c->nseg; s++) {
        if (c->sig && c->sig[s])
            continue;
        double qa = quoted_share_raw(j, c->occ0 + 2 * s);
        double qb = quoted_share_raw(j, c->occ0 + 2 * s + 1);
        if (qb >= 0.5 && qa < 0.5)
            q |= 1;
        else if (qa >= 0.5 && qb < 0.5)
            q |= 2;
    }
    return q;
}

/* the quote depth of the line of doc d holding byte `at`: its leading
 * markers ('>', '|', ':'; "> > x" and ">> x" are both 2) */
static unsigned quote_depth(const tdoc *d, uint32_t at)
{
    uint32_t b = at < d->text_len ? at : d->text_len;
    while (b > 0 && d->text[b - 1] != '\n')
        b--;
    unsigned depth = 0;
    for (uint32_t i = b; i < d->text_len; i++) {
        char ch = d->text[i];
        if (ch == '>' || ch == '|' || ch == ':')
            depth++;
        else if (ch != ' ' && ch != '\t')
            break;
    }
    return depth;
}

/* every segment c shares outside signatures is on quoted lines in both
 * texts, at the same depth: two replies quoting one post, neither the
 * other's source (a reply quoting what its parent quoted has it one
 * level deeper) */
static int both_quote(const tjob *j, const tcompare *c)
{
    size_t n = 0;
    for (size_t s = 0; s < c->nseg; s++) {
        if (c->sig && c->sig[s])
            continue;
        uint32_t oa = c->occ0 + 2 * s, ob = oa + 1;
        if (quoted_share_raw(j, oa) < 0.5 || quoted_share_raw(j, ob) < 0.5 ||
            quote_depth(&j->docs[j->occs[oa].doc], j->raw_span[2 * oa]) !=
                quote_depth(&j->docs[j->occs[ob].doc], j->raw_span[2 * ob]))
            return 0;
        n++;
    }
    return n > 0;
}

/* does text t hold k (lower-case ASCII), case-insensitively; with
 * `words`, not inside a longer word? */
static int holds_lc(const char *t, uint32_t len, const char *k, int words)
{
    size_t n = strlen(k);
    for (uint32_t i = 0; i + n <= len; i++) {
        size_t x = 0;
        while (x < n && lc((unsigned char)t[i + x]) == k[x])
            x++;
        if (x == n && (!words || ((i == 0 || !isalnum((unsigned char)t[i - 1])) &&
                                  (i + n == len ||
                                   !isalnum((unsigned char)t[i + n])))))
            return 1;
    }
    return 0;
}

/* does doc b name doc a's author (the author key, an e-mail address or a
 * name, as an attribution line "In article <...>, bob@foo.edu writes:"
 * does, or the name beside that address, as "Bob Smith wrote:" does)? 1
 * when a's author is unknown: nothing to look for */
static int names_author(const tjob *j, uint32_t b, uint32_t a)
{
    const tdoc *s = &j->docs[a], *d = &j->docs[b];
    if (!s->author[0])
        return 1;
    return holds_lc(d->text, d->text_len, s->author, 0) ||
           (s->author_name[0] &&
            holds_lc(d->text, d->text_len, s->author_name, 1));
}

/* text evidence that doc a is the source of doc b */
static uint8_t pair_evidence(tjob *j, uint32_t a, uint32_t b)
{
    uint8_t ev = 0;
    if (attribution(j, a, b))
        ev |= EV_ATTRIBUTION;
    if (splice(j, a, b))
        ev |= EV_SPLICE;
    if (quoted(j, a, b))
        ev |= EV_QUOTED;
    return ev;
}

static const char *const relative[] = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
    "Sunday", "yesterday", "today", "tomorrow", NULL};

/* one pass over the text's words (what has_word would find for each) */
uint16_t rp__trace_relative_words(const tdoc *d)
{
    uint16_t mask = 0;
    const char *t = d->text;
    for (uint32_t i = 0; i < d->text_len;) {
        if (!word_char((unsigned char)t[i])) {
            i++;
            continue;
        }
        uint32_t e = i;
        while (e < d->text_len && word_char((unsigned char)t[e]))
            e++;
        size_t n = e - i;
        for (int r = 0; n >= 5 && n <= 9 && relative[r]; r++) {
            size_t k = 0;
            while (k < n && relative[r][k] &&
                   lc((unsigned char)t[i + k]) == lc((unsigned char)relative[r][k]))
                k++;
            if (k == n && relative[r][k] == '\0')
                mask |= (uint16_t)(1u << r);
        }
        i = e;
    }
    return mask;
}

/* a relative date in the copy's paragraph around the passage, also in the
 * source, when the copy appeared days later: stale text carried over */
static int carried(tjob *j, const tedge *e, char *word, size_t cap)
{
    const tdoc *a = doc_of(j, e->from);
    const tdoc *b = doc_of(j, e->to);
    if (a->date.precision == RP_DATE_UNKNOWN ||
        b->date.precision == RP_DATE_UNKNOWN)
        return 0;
    int64_t gap = b->date.start - (a->date.start + rp_date_width(&a->date));
    const occ *bo = &j->occs[e->to];
    /* the paragraph, at most PARA_REACH bytes either side of the span */
    uint32_t ps = bo->start, pe = bo->end;
    while (ps > 0 && b->text[ps - 1] != '\n' && bo->start - ps < PARA_REACH)
        ps--;
    while (pe < b->text_len && b->text[pe] != '\n' && pe - bo->end < PARA_REACH)
        pe++;
    for (int i = 0; relative[i]; i++) {
        int weekday = i < 7;
        if (gap < (weekday ? 6 : 1) * 86400 || !(a->rel_mask & (1u << i)))
            continue;
        if (has_word(b->text, ps, pe, relative[i])) {
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
    const tdoc *dx = doc_of(j, x), *dy = doc_of(j, y);
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
    return rp__trace_dates_tie(&doc_of(j, x)->date, &doc_of(j, y)->date);
}

/* direction of documents a -> b (a listed first): 1 a is the source, 2 b
 * is, 0 open; *support gets the evidence for the chosen way, *against the
 * evidence the other way */
static int direction(tjob *j, uint32_t a, uint32_t b, uint8_t more_fw,
                     uint8_t more_bw, uint8_t *support, uint8_t *against)
{
    const tdoc *da = &j->docs[a], *db = &j->docs[b];
    uint8_t fw = pair_evidence(j, a, b) | more_fw;
    uint8_t bw = pair_evidence(j, b, a) | more_bw;
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
    if ((sup & EV_DATES) && carried(j, e, e->carried, sizeof e->carried))
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
        int bq = both_quote(j, c);
        if (shared && (c->cov_a >= COPY_SHARE || c->cov_b >= COPY_SHARE ||
                       c->shared_words >= COPY_WORDS) &&
            !bq)
            kind = LK_PASSAGE;
        if (shared && kind == LK_RELATED) {
            int q = quoted_segment(j, c);
            if (!c->sig)
                q |= quoted(j, c->a, c->b) | quoted(j, c->b, c->a) << 1;
            if (((q & 1) && names_author(j, c->b, c->a)) ||
                ((q & 2) && names_author(j, c->a, c->b)))
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
            !has_quoting(&j->docs[c->a]) && !has_quoting(&j->docs[c->b]))
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
    if (!pos || !fallback || !scratch || build_plinks(j)) {
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
        int q = quoted_segment(j, c);
        j->dl_dir[i] = (uint8_t)direction(
            j, c->a, c->b, (q & 1) ? EV_QUOTED : 0, (q & 2) ? EV_QUOTED : 0,
            &j->dl_support[i], &ag);
    }
    return rc;
}
