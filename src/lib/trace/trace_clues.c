/*
 * trace_clues.c - the text's clues that one document took a passage from
 * another, read pair by pair for trace_evidence.c's directions:
 *
 *   attribution  the copy names the source's outlet ("according to Press
 *                TV"), remembered per document for its last few outlets
 *   splice       the copy joins in one paragraph passages the source has
 *                in separate paragraphs (12 words or more, not in quotes)
 *   quoted       the copy has the text on '>' lines, the source as its own;
 *                a reply naming the author it quotes
 *   carried      a relative date ("on Friday") in the copy's paragraph,
 *                also in the source, published a week (a day for
 *                "yesterday") later
 *
 * Pair evidence reads only the links between the two documents (sorted
 * once by rp__trace_build_plinks) and per-document caches, so it is linear
 * in the links, not in the text.
 */
#include "trace_job.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int rp__trace_build_plinks(tjob *j)
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

int rp__trace_has_quoting(const tdoc *d)
{
    for (uint32_t t = 0; t < d->ntok; t++)
        if (d->tflag[t] & RT_QUOTED)
            return 1;
    return 0;
}

/* b quotes a: some text linked between them is on quoted lines ('>') in b
 * and not in a */
int rp__trace_quoted(const tjob *j, uint32_t a, uint32_t b)
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
int rp__trace_quoted_segment(const tjob *j, const tcompare *c)
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
int rp__trace_both_quote(const tjob *j, const tcompare *c)
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
int rp__trace_names_author(const tjob *j, uint32_t b, uint32_t a)
{
    const tdoc *s = &j->docs[a], *d = &j->docs[b];
    if (!s->author[0])
        return 1;
    return holds_lc(d->text, d->text_len, s->author, 0) ||
           (s->author_name[0] &&
            holds_lc(d->text, d->text_len, s->author_name, 1));
}

/* text evidence that doc a is the source of doc b */
uint8_t rp__trace_pair_evidence(tjob *j, uint32_t a, uint32_t b)
{
    uint8_t ev = 0;
    if (attribution(j, a, b))
        ev |= EV_ATTRIBUTION;
    if (splice(j, a, b))
        ev |= EV_SPLICE;
    if (rp__trace_quoted(j, a, b))
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
int rp__trace_carried(tjob *j, const tedge *e, char *word, size_t cap)
{
    const tdoc *a = rp__trace_doc_of(j, e->from);
    const tdoc *b = rp__trace_doc_of(j, e->to);
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

