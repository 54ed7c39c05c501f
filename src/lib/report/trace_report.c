/*
 * trace_report.c - what the trace reports share beyond the job's state:
 *
 *   snippets   where a passage's quoted snippet starts: the passage spans
 *              stay as found (the JSON gives them exactly), but a heading
 *              should not open on "war. Both Iran…"; the snippet starts at
 *              the first sentence start inside the span's first half
 *              (after . ! ? and any closing quote, then a space; or a blank
 *              line), else at the first word start
 *   spread     distinct documents and distinct outlets of a passage (an
 *              unknown outlet counts once)
 *   ranking    passages outside boilerplate by spread: outlets, then
 *              documents, most first; ties in order of first appearance
 *
 * Presentation only: nothing here changes what trace found.
 */
#include "../trace/trace_job.h"

#include <stdlib.h>
#include <string.h>

/* ---- snippets -------------------------------------------------------------- */

static int space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* a byte inside a word: letters, digits, any non-ASCII byte */
static int wordc(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 32) >= 'a' &&
                                                   (c | 32) <= 'z');
}

/* bytes of a closing quote or bracket at s (", ', ), ], ’, ”, »), or 0 */
static uint32_t closer(const char *s, uint32_t n)
{
    unsigned char c = (unsigned char)s[0];
    if (c == '"' || c == '\'' || c == ')' || c == ']')
        return 1;
    if (n >= 3 && c == 0xe2 && (unsigned char)s[1] == 0x80 &&
        ((unsigned char)s[2] == 0x99 || (unsigned char)s[2] == 0x9d))
        return 3;
    if (n >= 2 && c == 0xc2 && (unsigned char)s[1] == 0xbb)
        return 2;
    return 0;
}

/* bytes of an opening quote or bracket ending just before byte `at` (",
   ', (, [, “, ‘, «), or 0 */
static uint32_t opener_before(const char *t, uint32_t at)
{
    unsigned char c = at ? (unsigned char)t[at - 1] : 0;
    if (c == '"' || c == '\'' || c == '(' || c == '[')
        return 1;
    if (at >= 3 && (unsigned char)t[at - 3] == 0xe2 &&
        (unsigned char)t[at - 2] == 0x80 &&
        (c == 0x9c || c == 0x98))
        return 3;
    if (at >= 2 && (unsigned char)t[at - 2] == 0xc2 && c == 0xab)
        return 2;
    return 0;
}

/* is the character ending just before byte `at` part of a word? Letters
   and digits, and any non-ASCII character outside Latin-1's punctuation
   and the General Punctuation block (U+2000-U+206F: dashes, quotes) */
static int word_before(const char *t, uint32_t at)
{
    if (at == 0)
        return 0;
    unsigned char c = (unsigned char)t[at - 1];
    if (c < 0x80)
        return wordc(c);
    uint32_t i = at - 1;
    while (i > 0 && ((unsigned char)t[i] & 0xc0) == 0x80)
        i--;
    unsigned char l = (unsigned char)t[i];
    if (l == 0xc2)
        return 0;
    if (l == 0xe2 && i + 1 < at && ((unsigned char)t[i + 1] == 0x80 ||
                                    (unsigned char)t[i + 1] == 0x81))
        return 0;
    return 1;
}

/* does a sentence start at byte `at`: after the text's start, a blank
   line, or . ! ? (and any closing quote) then space, with any opening
   quote between? */
static int sentence_before(const char *t, uint32_t at)
{
    uint32_t i = at, q;
    while ((q = opener_before(t, i)) != 0)
        i -= q;
    uint32_t sp = i;
    int newlines = 0;
    while (i > 0 && space((unsigned char)t[i - 1])) {
        newlines += t[i - 1] == '\n';
        i--;
    }
    if (i == 0 || newlines >= 2)
        return 1;
    if (i == sp)
        return 0; /* no space before: inside a word or after punctuation */
    while (i > 0 && (t[i - 1] == '"' || t[i - 1] == '\'' || t[i - 1] == ')' ||
                     ((unsigned char)t[i - 1] >= 0x80 &&
                      !((unsigned char)t[i - 1] & 0x40))))
        i--; /* closing quotes, brackets, multi-byte ones crudely */
    return i > 0 && (t[i - 1] == '.' || t[i - 1] == '!' || t[i - 1] == '?');
}

uint32_t rp__trace_snippet_start(const tdoc *d, uint32_t start, uint32_t end)
{
    const char *t = d->text;
    if (start >= end || sentence_before(t, start))
        return start;
    /* the first sentence start in the span's first half (at most 300
       bytes in) */
    uint32_t limit = start + (end - start) / 2;
    if (limit > start + 300)
        limit = start + 300;
    for (uint32_t i = start; i < limit; i++) {
        uint32_t k = i;
        int blank = 0;
        if (t[i] == '.' || t[i] == '!' || t[i] == '?') {
            k = i + 1;
            uint32_t c;
            while (k < end && (c = closer(t + k, end - k)) != 0)
                k += c;
            if (k >= end || !space((unsigned char)t[k]))
                continue;
        } else if (t[i] == '\n') {
            k = i + 1;
            while (k < end && (t[k] == ' ' || t[k] == '\t' || t[k] == '\r'))
                k++;
            if (k >= end || t[k] != '\n')
                continue;
            blank = 1;
        } else {
            continue;
        }
        while (k < end && space((unsigned char)t[k]))
            k++;
        if (k < end && (blank || k > i + 1))
            return k;
    }
    /* else the first word start: out of a cut word, past spaces and
       punctuation that belongs to the text before */
    uint32_t s = start;
    if (word_before(t, s))
        while (s < end && wordc((unsigned char)t[s]))
            s++;
    while (s < end && !wordc((unsigned char)t[s]) && t[s] != '"' &&
           t[s] != '(' && t[s] != '\'')
        s++;
    return s < end ? s : start;
}

/* ---- spread and ranking ------------------------------------------------------- */

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int rp__trace_spread(const tjob *j, const tpassage *p, uint32_t *ndocs,
                     uint32_t *noutlets)
{
    uint32_t *dd = malloc((p->nm + 1) * sizeof *dd);
    const char **oo = malloc((p->nm + 1) * sizeof *oo);
    if (!dd || !oo) {
        free(dd);
        free(oo);
        return RP_ENOMEM;
    }
    for (size_t m = 0; m < p->nm; m++) {
        dd[m] = j->occs[p->members[m]].doc;
        oo[m] = j->docs[dd[m]].outlet;
    }
    qsort(dd, p->nm, sizeof *dd, cmp_u32);
    qsort(oo, p->nm, sizeof *oo, cmp_str);
    uint32_t nd = 0, no = 0;
    for (size_t m = 0; m < p->nm; m++) {
        nd += m == 0 || dd[m] != dd[m - 1];
        no += m == 0 || strcmp(oo[m], oo[m - 1]) != 0;
    }
    *ndocs = nd;
    *noutlets = no;
    free(dd);
    free(oo);
    return RP_OK;
}

typedef struct ranked {
    uint32_t outlets, docs;
    uint32_t pass;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->outlets != y->outlets)
        return x->outlets > y->outlets ? -1 : 1;
    if (x->docs != y->docs)
        return x->docs > y->docs ? -1 : 1;
    return x->pass < y->pass ? -1 : x->pass > y->pass;
}

int rp__trace_rank(const tjob *j, trank **out, size_t *count)
{
    ranked *r = malloc((j->npass + 1) * sizeof *r);
    trank *o = malloc((j->npass + 1) * sizeof *o);
    size_t n = 0;
    int rc = r && o ? RP_OK : RP_ENOMEM;
    for (size_t pi = 0; rc == RP_OK && pi < j->npass; pi++) {
        if (j->pass[pi].boilerplate)
            continue;
        r[n].pass = (uint32_t)pi;
        rc = rp__trace_spread(j, &j->pass[pi], &r[n].docs, &r[n].outlets);
        n++;
    }
    if (rc == RP_OK) {
        qsort(r, n, sizeof *r, cmp_ranked); /* total: pass breaks ties */
        for (size_t i = 0; i < n; i++) {
            o[i].pass = r[i].pass;
            o[i].docs = r[i].docs;
            o[i].outlets = r[i].outlets;
        }
        *out = o;
        *count = n;
        o = NULL;
    }
    free(r);
    free(o);
    return rc;
}
