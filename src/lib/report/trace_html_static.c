/*
 * trace_html_static.c - the trace page for readers without JavaScript: a
 * text browser, a search engine's crawler, a page saved or printed with
 * scripts off. Everything the script's views are about, as compact plain
 * lists, each entry answering to the anchor of the script's view of it:
 *
 *   #passages   every passage outside boilerplate, ranked by spread (as
 *               the script ranks them): <li id="p12"> its snippet, counts,
 *               origin and basis, and every document it is in, by date
 *   #documents  every document that shares text, in input order:
 *               <li id="d5"> id, title, outlet, date, URL (linked only
 *               when http(s) and plain ASCII, rel="noopener noreferrer"),
 *               and its passages (origin marked), boilerplate and quotes
 *   #outlets    <tr id="o1"> documents, passages, origins per outlet
 *   #boilerplate <li id="p7">, #quotes <li id="q3">
 *
 * So one link (report.html#d5) opens the script's view of document 5, or,
 * without scripts, jumps to its entry here; every passage and document is
 * reachable from every other by links.
 *
 * It all sits in <noscript>, after the script. With scripts on, a
 * browser reads a <noscript> element's content as one string and builds
 * nothing from it, and the script has drawn its view before the parser
 * gets there, so the lists cost the page's load little
 * (bench/report-load.sh); text
 * from the input is escaped by rp_html_put_text(), so no "</noscript" can
 * end the element early, and isolated in <bdi>.
 */
#include "../trace/trace_job.h"

#include "../../util/html_out.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void text(rp_buf *b, const char *s, size_t n)
{
    rp_buf_puts(b, "<bdi>");
    rp_html_put_text(b, s, n);
    rp_buf_puts(b, "</bdi>");
}

static void textz(rp_buf *b, const char *s) { text(b, s, strlen(s)); }

/* occurrence o's text from a sentence or word start, up to 90 bytes */
static void snippet(rp_buf *b, const tjob *j, uint32_t o)
{
    const occ *x = &j->occs[o];
    const tdoc *d = &j->docs[x->doc];
    uint32_t s = rp__trace_snippet_start(d, x->start, x->end);
    uint32_t len = x->end - s, n = len > 90 ? 90 : len;
    while (n < len && n > 0 && ((unsigned char)d->text[s + n] & 0xc0) == 0x80)
        n--; /* do not cut a character */
    rp_buf_puts(b, "<bdi>");
    rp_html_put_text(b, d->text + s, n);
    rp_buf_puts(b, n < len ? "…</bdi>" : "</bdi>");
}

static void date(rp_buf *b, const rp_date *d)
{
    char s[32];
    size_t n = rp_date_format(s, sizeof s, d);
    rp_buf_put(b, n ? s : "date unknown", n ? n : strlen("date unknown"));
}

static void doc_link(rp_buf *b, const tjob *j, uint32_t d)
{
    rp_buf_printf(b, "<a href=\"#d%u\">", d + 1);
    textz(b, j->docs[d].id);
    rp_buf_puts(b, "</a>");
}

static void outlet(rp_buf *b, const char *name)
{
    if (*name)
        textz(b, name);
    else
        rp_buf_puts(b, "<i>unknown outlet</i>");
}

/* an http(s) URL of printable ASCII only: anything else is shown, not
   linked (the script links a little more: http(s) and no white space) */
static int linkable(const char *u)
{
    if (strncmp(u, "http://", 7) != 0 && strncmp(u, "https://", 8) != 0 &&
        strncmp(u, "HTTP://", 7) != 0 && strncmp(u, "HTTPS://", 8) != 0)
        return 0;
    for (const unsigned char *p = (const unsigned char *)u; *p; p++)
        if (*p <= 0x20 || *p >= 0x7f)
            return 0;
    return 1;
}

static void plural(rp_buf *b, size_t n, const char *word)
{
    rp_buf_printf(b, "%zu %s%s", n, word, n == 1 ? "" : "s");
}

/* what a document is in, for its entry: kind, number, origin */
enum { IN_PASSAGE, IN_BOILERPLATE, IN_QUOTE };
typedef struct member {
    uint32_t n;       /* passage number (p<n>) or quote cluster (q<n>) */
    uint8_t kind;     /* IN_* */
    uint8_t origin;   /* the passage's origin is in this document */
} member;

typedef struct docindex {
    size_t *first;    /* document -> its first entry in `in`; ndocs + 1 */
    member *in;
    uint32_t *stamp;  /* document -> the last list it was counted in + 1 */
} docindex;

/* Documents' memberships, in the order the script lists them: passages
 * by rank, boilerplate, quotes; each document once per list. Two rounds:
 * count, then fill. */
static int index_docs(docindex *x, const tjob *j, const trank *rank,
                      size_t nrank)
{
    size_t nd = j->ndocs;
    x->first = calloc(nd + 2, sizeof *x->first);
    x->stamp = calloc(nd + 1, sizeof *x->stamp);
    if (!x->first || !x->stamp)
        return RP_ENOMEM;
    size_t *at = NULL;
    for (int round = 0; round < 2; round++) {
        uint32_t list = 0;
        memset(x->stamp, 0, (nd + 1) * sizeof *x->stamp);
#define ADD(doc, number, k, orig)                                            \
    do {                                                                      \
        uint32_t d_ = (doc);                                                  \
        if (x->stamp[d_] != list) {                                           \
            x->stamp[d_] = list;                                              \
            if (round == 0)                                                   \
                x->first[d_ + 1]++;                                           \
            else                                                              \
                x->in[at[d_]++] = (member){(number), (k), (orig)};           \
        } else if (round == 1 && (orig)) {                                    \
            x->in[at[d_] - 1].origin = 1;                                     \
        }                                                                     \
    } while (0)
        for (size_t r = 0; r < nrank; r++) {
            const tpassage *p = &j->pass[rank[r].pass];
            list++;
            for (size_t m = 0; m < p->nm; m++)
                ADD(j->occs[p->members[m]].doc, rank[r].pass + 1, IN_PASSAGE,
                    p->members[m] == p->origin);
        }
        for (size_t pi = 0; pi < j->npass; pi++) {
            const tpassage *p = &j->pass[pi];
            if (!p->boilerplate)
                continue;
            list++;
            for (size_t m = 0; m < p->nm; m++)
                ADD(j->occs[p->members[m]].doc, (uint32_t)pi + 1,
                    IN_BOILERPLATE, 0);
        }
        for (size_t ci = 0; ci < j->nqclusters; ci++) {
            const tqcluster *q = &j->qclusters[ci];
            list++;
            for (size_t m = 0; m < q->nm; m++)
                ADD(j->quotes[q->members[m]].doc, (uint32_t)ci + 1, IN_QUOTE,
                    0);
        }
#undef ADD
        if (round == 0) {
            for (size_t d = 0; d < nd; d++)
                x->first[d + 1] += x->first[d];
            x->in = malloc((x->first[nd] + 1) * sizeof *x->in);
            at = malloc((nd + 1) * sizeof *at);
            if (!x->in || !at) {
                free(at);
                return RP_ENOMEM;
            }
            memcpy(at, x->first, nd * sizeof *at);
        }
    }
    free(at);
    return RP_OK;
}

static void passages(rp_buf *b, const tjob *j, const trank *rank,
                     size_t nrank, uint32_t *stamp)
{
    rp_buf_printf(b, "<h2 id=\"passages\">Passages by spread</h2>\n<p>All "
                     "%zu passages shared outside boilerplate, the most "
                     "widely shared first (distinct outlets, then "
                     "documents), each with the documents it is in, by "
                     "date.</p>\n<ol class=\"rank\">\n", nrank);
    for (size_t r = 0; r < nrank; r++) {
        const tpassage *p = &j->pass[rank[r].pass];
        uint32_t n = rank[r].pass + 1;
        rp_buf_printf(b, "<li id=\"p%u\"><a href=\"#p%u\">p%u</a> ", n, n,
                      n);
        snippet(b, j, p->lead);
        rp_buf_puts(b, " <span class=\"n\">");
        plural(b, rank[r].docs, "document");
        rp_buf_puts(b, ", ");
        plural(b, rank[r].outlets, "outlet");
        rp_buf_puts(b, "; origin: ");
        if (p->origin == NONE) {
            rp_buf_puts(b, "undetermined");
        } else {
            doc_link(b, j, j->occs[p->origin].doc);
            rp_buf_puts(b, p->origin_basis == EV_DATES ? " (by date)"
                                                       : " (by the text)");
        }
        rp_buf_puts(b, "</span><br>\n");
        for (size_t m = 0, k = 0; m < p->nm; m++) {
            uint32_t d = j->occs[p->members[m]].doc;
            if (stamp[d] == n)
                continue; /* a document twice in the passage: once */
            stamp[d] = n;
            rp_buf_puts(b, k++ ? ", " : "");
            doc_link(b, j, d);
            rp_buf_puts(b, " ");
            date(b, &j->docs[d].date);
        }
        rp_buf_puts(b, "</li>\n");
    }
    rp_buf_puts(b, "</ol>\n");
}

static void documents(rp_buf *b, const tjob *j, const docindex *x)
{
    size_t n = 0;
    for (size_t d = 0; d < j->ndocs; d++)
        n += x->first[d + 1] > x->first[d];
    rp_buf_printf(b, "<h2 id=\"documents\">Documents</h2>\n<p>All %zu "
                     "documents that share text, in input order, each with "
                     "the passages it is in (where it is the origin, "
                     "marked), its outlet's boilerplate and its quotes."
                     "</p>\n<ul>\n", n);
    static const char *const what[3] = {"passages", "boilerplate",
                                        "quotes"};
    for (size_t d = 0; d < j->ndocs; d++) {
        if (x->first[d + 1] == x->first[d])
            continue;
        const tdoc *t = &j->docs[d];
        rp_buf_printf(b, "<li id=\"d%zu\">", d + 1);
        textz(b, t->id);
        if (t->title) {
            rp_buf_puts(b, " <b>");
            textz(b, t->title);
            rp_buf_puts(b, "</b>");
        }
        rp_buf_puts(b, " <span class=\"n\">");
        outlet(b, t->outlet);
        rp_buf_puts(b, " · ");
        date(b, &t->date);
        rp_buf_puts(b, "</span>");
        if (t->url && linkable(t->url)) {
            rp_buf_puts(b, " <a href=\"");
            rp_html_put_text(b, t->url, strlen(t->url));
            rp_buf_puts(b, "\" rel=\"noopener noreferrer\">");
            textz(b, t->url);
            rp_buf_puts(b, "</a>");
        } else if (t->url) {
            rp_buf_puts(b, " ");
            textz(b, t->url);
        }
        int kind = -1;
        for (size_t i = x->first[d]; i < x->first[d + 1]; i++) {
            const member *m = &x->in[i];
            if (m->kind != kind) {
                rp_buf_printf(b, "%s%s: ", kind < 0 ? "<br>" : "; ",
                              what[m->kind]);
                kind = m->kind;
            } else {
                rp_buf_puts(b, ", ");
            }
            char c = m->kind == IN_QUOTE ? 'q' : 'p';
            rp_buf_printf(b, "<a href=\"#%c%u\">%c%u</a>%s", c, m->n, c,
                          m->n, m->origin ? " (origin)" : "");
        }
        rp_buf_puts(b, "</li>\n");
    }
    rp_buf_puts(b, "</ul>\n");
}

static int outlets(rp_buf *b, const tjob *j, const trank *rank,
                   size_t nrank, const docindex *x)
{
    const char **names = NULL;
    size_t n = 0;
    int rc = rp__trace_html_outlets(j, &names, &n);
    if (rc != RP_OK)
        return rc;
    /* per outlet: documents sharing text, passages, origins */
    uint64_t *c = calloc(3 * (n + 1), sizeof *c);
    uint32_t *seen = calloc(n + 1, sizeof *seen);
    if (!c || !seen) {
        free(names);
        free(c);
        free(seen);
        return RP_ENOMEM;
    }
    for (size_t d = 0; d < j->ndocs; d++)
        if (x->first[d + 1] > x->first[d])
            c[3 * rp__trace_html_outlet(names, n, j->docs[d].outlet)]++;
    for (size_t r = 0; r < nrank; r++) {
        const tpassage *p = &j->pass[rank[r].pass];
        for (size_t m = 0; m < p->nm; m++) {
            uint32_t o = rp__trace_html_outlet(
                names, n, j->docs[j->occs[p->members[m]].doc].outlet);
            if (seen[o] != r + 1) {
                seen[o] = (uint32_t)r + 1;
                c[3 * o + 1]++;
            }
        }
        if (p->origin != NONE)
            c[3 * rp__trace_html_outlet(
                      names, n, j->docs[j->occs[p->origin].doc].outlet) +
              2]++;
    }
    rp_buf_puts(b, "<h2 id=\"outlets\">Outlets</h2>\n<table><tr><th>outlet"
                   "</th><th>documents</th><th>passages</th><th>origin of"
                   "</th></tr>\n");
    for (size_t o = 0; o < n; o++) {
        rp_buf_printf(b, "<tr id=\"o%zu\"><td>", o + 1);
        outlet(b, names[o]);
        rp_buf_printf(b, "</td><td>%llu</td><td>%llu</td><td>%llu</td></tr>\n",
                      (unsigned long long)c[3 * o],
                      (unsigned long long)c[3 * o + 1],
                      (unsigned long long)c[3 * o + 2]);
    }
    rp_buf_puts(b, "</table>\n");
    free(names);
    free(c);
    free(seen);
    return RP_OK;
}

static void boilerplate(rp_buf *b, const tjob *j)
{
    size_t n = 0;
    for (size_t pi = 0; pi < j->npass; pi++)
        n += j->pass[pi].boilerplate;
    rp_buf_printf(b, "<h2 id=\"boilerplate\">Boilerplate</h2>\n<p>%zu "
                     "passage%s of text repeated across documents of one "
                     "outlet, kept out of provenance (its documents link "
                     "here).</p>\n<ul>\n", n, n == 1 ? "" : "s");
    for (size_t pi = 0; pi < j->npass; pi++) {
        const tpassage *p = &j->pass[pi];
        if (!p->boilerplate)
            continue;
        rp_buf_printf(b, "<li id=\"p%zu\">p%zu ", pi + 1, pi + 1);
        outlet(b, j->docs[j->occs[p->lead].doc].outlet);
        rp_buf_puts(b, ", ");
        plural(b, p->nm, "occurrence");
        rp_buf_puts(b, ": ");
        snippet(b, j, p->lead);
        rp_buf_puts(b, "</li>\n");
    }
    rp_buf_puts(b, "</ul>\n");
}

static void quotes(rp_buf *b, const tjob *j, uint32_t *stamp)
{
    rp_buf_printf(b, "<h2 id=\"quotes\">Quotes</h2>\n<p>%zu quotes in two "
                     "or more documents, in order of first appearance: "
                     "the speaker, the fullest version, and every "
                     "document quoting it, by date.</p>\n<ul>\n",
                  j->nqclusters);
    for (size_t ci = 0; ci < j->nqclusters; ci++) {
        const tqcluster *q = &j->qclusters[ci];
        const tquote *f = &j->quotes[q->fullest];
        const tdoc *fd = &j->docs[f->doc];
        rp_buf_printf(b, "<li id=\"q%zu\"><a href=\"#q%zu\">q%zu</a> ",
                      ci + 1, ci + 1, ci + 1);
        if (f->q.basis != RP_SPEAKER_NONE) {
            text(b, fd->text + f->q.speaker_start,
                 f->q.speaker_end - f->q.speaker_start);
            rp_buf_puts(b, ": ");
        }
        uint32_t len = f->q.end - f->q.start, n = len > 160 ? 160 : len;
        while (n < len && n > 0 &&
               ((unsigned char)fd->text[f->q.start + n] & 0xc0) == 0x80)
            n--;
        rp_buf_puts(b, "“");
        text(b, fd->text + f->q.start, n);
        rp_buf_puts(b, n < len ? "…”" : "”");
        rp_buf_puts(b, q->tied ? " <span class=\"n\">(first appearance "
                                 "tied)</span>"
                               : "");
        rp_buf_puts(b, "<br>\n");
        for (size_t m = 0, k = 0; m < q->nm; m++) {
            uint32_t d = j->quotes[q->members[m]].doc;
            if (stamp[d] == ci + 1)
                continue;
            stamp[d] = (uint32_t)ci + 1;
            rp_buf_puts(b, k++ ? ", " : "");
            doc_link(b, j, d);
            rp_buf_puts(b, " ");
            date(b, &j->docs[d].date);
        }
        rp_buf_puts(b, "</li>\n");
    }
    rp_buf_puts(b, "</ul>\n");
}

int rp__trace_html_static(const tjob *j, const trank *rank, size_t nrank,
                          rp_buf *b)
{
    docindex x;
    memset(&x, 0, sizeof x);
    int rc = index_docs(&x, j, rank, nrank);
    if (rc == RP_OK) {
        rp_buf_puts(b, "<noscript><div id=\"static\">\n<p class=\"nav\">"
                       "Without JavaScript, the whole report as lists: "
                       "<a href=\"#passages\">passages</a> · <a href=\""
                       "#documents\">documents</a> · <a href=\"#outlets\">"
                       "outlets</a> · <a href=\"#boilerplate\">boilerplate"
                       "</a> · <a href=\"#quotes\">quotes</a>. The texts "
                       "side by side, copy graphs, evidence and search need "
                       "JavaScript; everything is also in the JSON report "
                       "(--json).</p>\n");
        memset(x.stamp, 0, (j->ndocs + 1) * sizeof *x.stamp);
        passages(b, j, rank, nrank, x.stamp);
        documents(b, j, &x);
        rc = outlets(b, j, rank, nrank, &x);
    }
    if (rc == RP_OK) {
        boilerplate(b, j);
        memset(x.stamp, 0, (j->ndocs + 1) * sizeof *x.stamp);
        quotes(b, j, x.stamp);
        rp_buf_puts(b, "</div></noscript>\n");
    }
    free(x.first);
    free(x.in);
    free(x.stamp);
    return rc;
}
