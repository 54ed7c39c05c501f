/*
 * trace.c - the trace job: read, find shared passages, cluster them, then
 * hand over to evidence, quotes and the reports (pipeline in
 * reprint/trace.h, state in trace_job.h).
 *
 *   docs[d]      id, outlet, date, text; its words, shingles and index
 *                (trace_text.c, on the workers)
 *   cmp[]        the compared candidate pairs (trace_pairs.c)
 *   occ[o]       (doc, byte span) of a passage occurrence
 *   links        (occ, occ, similarity) from the pairs' passages
 *   passages     connected sets of occurrences, members in date order
 */
#include "reprint/trace.h"

#include "reprint/sys/align.h"
#include "reprint/date.h"
#include "reprint/dedup.h"
#include "reprint/sys/normalize.h"

#include "../common/error.h"
#include "../io/units.h"
#include "trace_job.h"
#include "../../util/hash.h"
#include "../../util/parallel.h"
#include "../../util/sort.h"
#include "../../util/str.h"
#include "../common/layout.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* An author as a key: the e-mail address in it when there is one
 * ("bob@foo.edu (Bob Smith)", "Bob Smith <bob@foo.edu>"), else the text;
 * ASCII lower-cased, blanks collapsed; "" when none. */
static char *author_key(const char *s)
{
    if (!s)
        return rp_str_dup_n("", 0);
    size_t n = strlen(s);
    const char *at = memchr(s, '@', n);
    const char *b = s, *e = s + n;
    if (at) {
        b = e = at;
        while (b > s && (isalnum((unsigned char)b[-1]) || strchr("._%+-", b[-1])))
            b--;
        while (e < s + n && (isalnum((unsigned char)*e) || strchr("@._-", *e)))
            e++;
        if (b == at || e == at + 1) /* a lone '@': the whole text */
            b = s, e = s + n;
    }
    char *k = malloc((size_t)(e - b) + 1);
    if (!k)
        return NULL;
    size_t w = 0;
    for (const char *c = b; c < e; c++) {
        unsigned char ch = (unsigned char)*c;
        if (isspace(ch)) {
            if (w > 0 && k[w - 1] != ' ')
                k[w++] = ' ';
            continue;
        }
        k[w++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
    }
    while (w > 0 && k[w - 1] == ' ')
        w--;
    k[w] = '\0';
    return k;
}

/* The name beside the e-mail address of an author ("bob@foo.edu (Bob
 * Smith)", "Bob Smith <bob@foo.edu>"): ASCII lower-cased, blanks
 * collapsed, what an attribution line "Bob Smith wrote:" names; "" when
 * there is no address or the rest is not two words of letters. */
static char *author_name(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    char *k = malloc(n + 1);
    if (!k)
        return NULL;
    size_t w = 0, words = 0;
    int ok = s && strchr(s, '@');
    for (size_t i = 0; ok && i < n;) {
        /* words: runs between blanks, brackets and quotes */
        size_t e = i;
        while (e < n && !isspace((unsigned char)s[e]) && !strchr("()<>\"", s[e]))
            e++;
        if (e > i && !memchr(s + i, '@', e - i)) { /* not the address */
            for (size_t c = i; c < e; c++) {
                unsigned char ch = (unsigned char)s[c];
                ok &= isalpha(ch) || strchr(".'-", ch) != NULL;
                k[w++] = (char)tolower(ch);
            }
            k[w++] = ' ';
            words++;
        }
        i = e + (e == i);
    }
    while (w > 0 && k[w - 1] == ' ')
        w--;
    k[w] = '\0';
    if (!ok || words < 2 || w < 5)
        k[0] = '\0';
    return k;
}

/* ---- read ------------------------------------------------------------------ */

/* one unit parsed on a worker: its document, or why it has none */
typedef struct parsed {
    int rc;
    rp_error err;
    unsigned found; /* rp_record.fields_found */
    tdoc d;         /* owned until filed */
} parsed;

typedef struct read_ctx {
    tjob *j;
    rp_reader *r;
    rp_parser **parser; /* one per worker */
    parsed *res[3];     /* per batch of rp__units_run */
    size_t cap[3], n[3];
    const rp_dedup_callbacks *cb;
    rp_error *err;
} read_ctx;

static void doc_strings_free(tdoc *d)
{
    free(d->id);
    free(d->author);
    free(d->author_name);
    free(d->outlet);
    free(d->text);
    free(d->url);
    free(d->title);
    memset(d, 0, sizeof *d);
}

/* the document of one parsed record: owned copies of what trace keeps */
static int make_doc(tdoc *d, const rp_record *rec, const rp_unit *u)
{
    memset(d, 0, sizeof *d);
    /* outlet: source field, URL host, .txt folder, the record's own
       file name; a JSON Lines file's name says nothing of outlets */
    const char *outlet = "";
    d->outlet_basis = OUTLET_UNKNOWN;
    if (rec->source) {
        outlet = rec->source;
        d->outlet_basis = rec->source_basis == RP_SOURCE_URL ? OUTLET_URL
                          : rec->source_basis == RP_SOURCE_FOLDER
                              ? OUTLET_FOLDER
                              : OUTLET_SOURCE;
    } else if (rec->file && *rec->file) {
        outlet = rec->file;
        d->outlet_basis = OUTLET_FILE;
    }
    d->id = rp_str_dup_n(rec->id, strlen(rec->id));
    d->outlet = rp_str_dup_n(outlet, strlen(outlet));
    d->author = author_key(rec->author);
    d->author_name = author_name(rec->author);
    d->text = rp_str_dup_n(rec->text, rec->text_len);
    /* for the reports only; NULL when the record has none */
    if (rec->url)
        d->url = rp_str_dup_n(rec->url, strlen(rec->url));
    if (rec->title)
        d->title = rp_str_dup_n(rec->title, strlen(rec->title));
    d->text_len = (uint32_t)rec->text_len;
    d->date = rec->date;
    d->file = u->file;
    d->line = u->line;
    if (!d->id || !d->outlet || !d->text || !d->author || !d->author_name ||
        (rec->url && !d->url) || (rec->title && !d->title)) {
        doc_strings_free(d);
        return RP_ENOMEM;
    }
    return RP_OK;
}

static void read_one(void *arg, const rp__units *b, size_t i, size_t worker)
{
    read_ctx *c = arg;
    parsed *p = &c->res[b->slot][i];
    const rp__unit_ref *ref = &b->u[i];
    if (ref->read_error) {
        p->rc = ref->rc;
        p->err = ref->err;
        return;
    }
    rp_unit u;
    rp__units_get(b, i, &u);
    rp_record rec;
    const char *fname = rp_reader_file_name(c->r, u.file);
    p->rc = rp_parser_parse(c->parser[worker], &rec, &u, fname, &p->err);
    if (p->rc == RP_OK && rec.text_len >= UINT32_MAX / 2)
        p->rc = rp__error_set(&p->err, RP_ETOOBIG, fname, u.line, u.offset,
                              "text of 2 GiB or more");
    if (p->rc != RP_OK)
        return;
    p->found = rec.fields_found;
    p->rc = make_doc(&p->d, &rec, &u);
}

static int read_prepare(void *arg, const rp__units *b)
{
    read_ctx *c = arg;
    unsigned s = b->slot;
    if (rp_vec_grow((void **)&c->res[s], &c->cap[s], b->n + 1,
                    sizeof *c->res[s]))
        return RP_ENOMEM;
    memset(c->res[s], 0, b->n * sizeof *c->res[s]);
    c->n[s] = b->n;
    return RP_OK;
}

/* the batch's documents filed in input order; a bad record stops the run
 * or, with skip_bad, is counted and reported */
static int read_done(void *arg, const rp__units *b)
{
    read_ctx *c = arg;
    tjob *j = c->j;
    parsed *res = c->res[b->slot];
    int rc = RP_OK;
    for (size_t i = 0; i < b->n && rc == RP_OK; i++) {
        parsed *p = &res[i];
        if (p->rc != RP_OK) {
            if (p->rc == RP_ENOMEM || !j->o->skip_bad) {
                if (c->err && p->rc != RP_ENOMEM)
                    *c->err = p->err;
                rc = p->rc;
                break;
            }
            j->st->bad_records++;
            if (c->cb && c->cb->bad_record)
                c->cb->bad_record(c->cb->ctx, &p->err);
            continue;
        }
        if (j->ndocs >= NONE - 1 ||
            RP_VEC_PUSH(j->docs, j->ndocs, j->docs_cap, p->d)) {
            rc = RP_ENOMEM;
            break;
        }
        memset(&p->d, 0, sizeof p->d); /* filed: the job owns it */
        j->st->records++;
        for (int k = 0; k < RP_FIELD_COUNT; k++)
            if (p->found & (1u << k))
                j->st->fields_found[k]++;
        j->st->authors_found += !!(p->found & RP_FIELD_AUTHOR);
        j->st->titles_found += !!(p->found & RP_FIELD_TITLE);
    }
    c->n[b->slot] = 0;
    for (size_t i = 0; i < b->n; i++) /* those not filed */
        doc_strings_free(&res[i].d);
    return rc;
}

static void read_progress(void *arg)
{
    read_ctx *c = arg;
    rp__progress_report(&c->j->pr, rp_reader_disk_bytes(c->r));
}

/* Every record, parsed on the workers while the next batch is read (the
 * reading path dedup takes, io/units.h), filed in input order. */
static int read_all(tjob *j, const char *const *inputs, size_t n,
                    const rp_dedup_callbacks *cb, rp_error *err)
{
    rp_reader *r = NULL;
    size_t nw = j->o->threads ? j->o->threads : 1;
    read_ctx c;
    memset(&c, 0, sizeof c);
    c.j = j;
    c.cb = cb;
    c.err = err;
    int rc = rp_reader_new(&r, inputs, j->o->names, n, &j->o->reader, err);
    c.r = r;
    c.parser = calloc(nw, sizeof *c.parser);
    if (rc == RP_OK && !c.parser)
        rc = RP_ENOMEM;
    for (size_t w = 0; rc == RP_OK && w < nw; w++)
        rc = rp_parser_new(&c.parser[w], &j->o->fields);
    if (rc == RP_OK)
        rp__progress_stage(&j->pr, "read", RP_PROGRESS_BYTES, NULL,
                           rp_reader_total_bytes(r));
    if (rc == RP_OK)
        rc = rp__units_run(r, nw, read_prepare, read_one, read_done,
                           read_progress, &c);
    for (int s = 0; s < 3; s++) {
        for (size_t i = 0; i < c.n[s]; i++)
            doc_strings_free(&c.res[s][i].d);
        free(c.res[s]);
    }
    for (size_t w = 0; c.parser && w < nw; w++)
        rp_parser_free(c.parser[w]);
    free(c.parser);
    /* a date or source field named but in no record would change what is
     * reported (no dates to order by, other outlets): an error */
    const char *named[2] = {j->o->fields.date, j->o->fields.source};
    static const char *const what[2] = {"date", "source"};
    static const int bit[2] = {2, 4}; /* RP_FIELD_DATE, RP_FIELD_SOURCE */
    for (int k = 0; k < 2 && rc == RP_OK && j->st->records; k++)
        if (named[k] && strcmp(named[k], "-") != 0 &&
            !j->st->fields_found[bit[k]])
            rc = rp__error_set(err, RP_EFORMAT, "", 0, 0,
                               "the %s field \"%s\" is in none of the %llu "
                               "records: check the name (a nested field is "
                               "metadata.%s or /metadata/%s)",
                               what[k], named[k],
                               (unsigned long long)j->st->records, what[k],
                               what[k]);
    if (r)
        j->st->files_in = rp_reader_file_count(r);
    if (r && rc == RP_OK) {
        size_t nf = rp_reader_file_count(r);
        j->fnames = calloc(nf + 1, sizeof *j->fnames);
        if (!j->fnames)
            rc = RP_ENOMEM;
        else
            j->nfnames = nf; /* tjob_free frees what is counted */
        for (size_t i = 0; rc == RP_OK && i < j->nfnames; i++) {
            const char *f = rp_reader_file_name(r, (uint32_t)i);
            j->fnames[i] = rp_str_dup_n(f, strlen(f));
            if (!j->fnames[i])
                rc = RP_ENOMEM;
        }
    }
    rp_reader_free(r);
    return rc;
}

/* ---- words and shingles of every document, on the workers ----------------- */

typedef struct words_ctx {
    tjob *j;
    rp_normalizer **norm;  /* one per worker */
    rp_normalizer **qnorm; /* one per worker, for quotes */
    int failed;
} words_ctx;

static void words_one(void *arg, size_t i, size_t worker)
{
    words_ctx *c = arg;
    tdoc *d = &c->j->docs[i];
    const rp_token *tk;
    size_t nt;
    if (rp_normalize(c->norm[worker], &tk, &nt, d->text, d->text_len) ||
        rp__trace_text(d, c->j->k, rp_mix64(i + 1), tk, nt,
                       rp_normalizer_text(c->norm[worker]))) {
        c->failed = 1;
        return;
    }
    if (rp_align_index(&d->idx, d->sh, d->nsh) || rp__trace_bits(d) ||
        rp__trace_candidate_keys(d)) {
        c->failed = 1;
        return;
    }
    /* distinct shingles that are not junk (odd), from the sorted index */
    for (uint32_t s = 0; s < d->nsh; s++)
        if (!(d->idx[s].h & 1) && (s == 0 || d->idx[s].h != d->idx[s - 1].h))
            d->nset++;
    for (uint32_t t = 0; t < d->ntok; t++)
        d->nreal += !(d->tflag[t] & RT_JUNK);
    uint32_t nnl = 0;
    for (uint32_t b = 0; b < d->text_len; b++)
        nnl += d->text[b] == '\n';
    d->nl = malloc(((size_t)nnl + 1) * sizeof *d->nl);
    if (!d->nl) {
        c->failed = 1;
        return;
    }
    for (uint32_t b = 0; b < d->text_len; b++)
        if (d->text[b] == '\n')
            d->nl[d->nnl++] = b;
    d->rel_mask = rp__trace_relative_words(d);
    if (rp__trace_doc_quotes(d, (uint32_t)i, c->qnorm[worker]))
        c->failed = 1;
}

static int read_words(tjob *j)
{
    size_t nw = j->o->threads ? j->o->threads : 1;
    words_ctx c = {j, calloc(nw, sizeof *c.norm), calloc(nw, sizeof *c.qnorm),
                   0};
    int rc = c.norm && c.qnorm ? RP_OK : RP_ENOMEM;
    rp__trace_text_init();
    for (size_t w = 0; w < nw && rc == RP_OK; w++) {
        rc = rp_normalizer_new(&c.norm[w], 0, 0);
        if (rc == RP_OK)
            rc = rp_normalizer_new(&c.qnorm[w], 0, j->o->sign.seed);
    }
    if (rc == RP_OK) {
        rp__progress_parallel(&j->pr, nw, j->ndocs, words_one, &c);
        if (c.failed)
            rc = RP_ENOMEM;
    }
    for (size_t w = 0; w < nw; w++) {
        if (c.norm)
            rp_normalizer_free(c.norm[w]);
        if (c.qnorm)
            rp_normalizer_free(c.qnorm[w]);
    }
    free(c.norm);
    free(c.qnorm);
    return rc;
}

/* ---- occurrences and links ------------------------------------------------- */

/* occurrences and links from the compared pairs, in pair order */
static int collect(tjob *j)
{
    const uint32_t k = j->k;
    for (size_t i = 0; i < j->ncmp; i++) {
        tcompare *c = &j->cmp[i];
        if (c->nseg)
            j->st->aligned_pairs++;
        c->occ0 = (uint32_t)j->nocc;
        const tdoc *a = &j->docs[c->a], *b = &j->docs[c->b];
        for (size_t s = 0; s < c->nseg; s++) {
            const rp_segment *g = &c->seg[s];
            uint32_t al = g->a_last + k - 1, bl = g->b_last + k - 1;
            if (al >= a->ntok)
                al = a->ntok - 1;
            if (bl >= b->ntok)
                bl = b->ntok - 1;
            if (j->nocc + 2 >= NONE)
                return RP_ENOMEM;
            occ oa = {c->a, a->tok[2 * g->a_first], a->tok[2 * al + 1], NONE};
            occ ob = {c->b, b->tok[2 * g->b_first], b->tok[2 * bl + 1], NONE};
            if (RP_VEC_PUSH(j->occs, j->nocc, j->occ_cap, oa) ||
                RP_VEC_PUSH(j->occs, j->nocc, j->occ_cap, ob))
                return RP_ENOMEM;
            uint32_t la = g->a_last - g->a_first + 1;
            uint32_t lb = g->b_last - g->b_first + 1;
            link l = {(uint32_t)j->nocc - 2, (uint32_t)j->nocc - 1,
                      (double)g->anchors / (la > lb ? la : lb)};
            if (RP_VEC_PUSH(j->links, j->nlinks, j->links_cap, l))
                return RP_ENOMEM;
        }
    }
    return RP_OK;
}

const char *rp__trace_outlet_basis(uint8_t basis)
{
    switch (basis) {
    case OUTLET_SOURCE: return "source";
    case OUTLET_URL: return "url";
    case OUTLET_FOLDER: return "folder";
    case OUTLET_FILE: return "file";
    default: return "unknown";
    }
}

uint32_t rp__trace_line_of(const tdoc *d, uint32_t at)
{
    return (uint32_t)rp_lower_bound_u32(d->nl, d->nnl, at);
}

uint32_t rp__trace_token_at(const tdoc *d, uint32_t at)
{
    uint32_t lo = 0, hi = d->ntok;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (d->tok[2 * mid] < at)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* ---- the job ------------------------------------------------------------------ */

static void tjob_free(tjob *j)
{
    rp__trace_quotes_free(j); /* before the documents: they hold some */
    for (size_t d = 0; d < j->ndocs; d++) {
        free(j->docs[d].id);
        free(j->docs[d].outlet);
        free(j->docs[d].author);
        free(j->docs[d].author_name);
        free(j->docs[d].text);
        free(j->docs[d].url);
        free(j->docs[d].title);
        free(j->docs[d].sh);
        free(j->docs[d].tok);
        free(j->docs[d].tflag);
        free(j->docs[d].idx);
        free(j->docs[d].bits);
        free(j->docs[d].nl);
        free(j->docs[d].cw);
        free(j->docs[d].cwpos);
        free(j->docs[d].num);
        free(j->docs[d].figs);
        free(j->docs[d].ckeys);
        free(j->docs[d].sigw);
    }
    for (size_t i = 0; i < j->ncmp; i++) {
        free(j->cmp[i].seg);
        free(j->cmp[i].sig);
    }
    free(j->cmp);
    free(j->dlinks);
    free(j->remap);
    free(j->raw_span);
    free(j->dl_kind);
    free(j->pass_of);
    free(j->plinks);
    free(j->dl_dir);
    free(j->dl_support);
    free(j->docs);
    free(j->occs);
    free(j->links);
    free(j->doc_head);
    free(j->adj_start);
    free(j->adj);
    free(j->gstart);
    free(j->gmember);
    free(j->pass);
    free(j->edges);
    free(j->flows);
    for (size_t i = 0; i < j->nfnames; i++)
        free(j->fnames[i]);
    free(j->fnames);
}


typedef int (*report_fn)(const tjob *j, rp_buf *b);

/* one report into its temporary file; the set is renamed at the end */
static int report(const tjob *j, const char *path, report_fn fn,
                  rp_writer **w, rp_error *err)
{
    if (!path)
        return RP_OK;
    rp_buf b = {0};
    int rc = fn(j, &b);
    if (rc == RP_OK && b.failed)
        rc = RP_ENOMEM;
    if (rc == RP_OK)
        rc = rp_writer_new(w, path, err);
    if (rc == RP_OK)
        rc = rp_writer_write(*w, b.data, b.len);
    rp_buf_dispose(&b);
    return rc;
}

/* rp_trace_options as versions 2 and 3 laid it out: rp_fields without
   title (RP_FIELDS_VERSION 1); the members after it are the same */
typedef struct options_v3 {
    unsigned version;
    rp_sign_options sign;
    rp_reader_options reader;
    rp__fields_v1 fields;
    uint32_t min_tokens, max_gap, max_df;
    unsigned threads, skip_bad;
    const char *const *names;
    uint32_t shingle;
    double link_jaccard, link_words;
    rp_progress_fn progress;
    void *progress_ctx;
} options_v3;

#define TAIL_V3 offsetof(options_v3, min_tokens)
#define TAIL_V4 offsetof(rp_trace_options, min_tokens)
_Static_assert(sizeof(options_v3) - TAIL_V3 ==
                       sizeof(rp_trace_options) - TAIL_V4 &&
                   offsetof(options_v3, progress) - TAIL_V3 ==
                       offsetof(rp_trace_options, progress) - TAIL_V4 &&
                   offsetof(options_v3, fields) ==
                       offsetof(rp_trace_options, fields),
               "rp_trace_options: only rp_fields may differ from version 3");

/* where a version 2 or 3 caller's struct has its parts */
static rp__layout_v1 layout_v3(unsigned version)
{
    rp__layout_v1 l = {offsetof(options_v3, fields), TAIL_V3, TAIL_V4,
                       version == 2 ? offsetof(options_v3, progress)
                                    : sizeof(options_v3)};
    return l;
}

/* the caller's options, of any version known, in the current layout; a
   member its version lacks keeps its default */
static int options_read(rp_trace_options *out, const rp_trace_options *in)
{
    static const rp_trace_options defaults = RP_TRACE_OPTIONS_INIT;
    *out = defaults;
    if (!in || in->version < 2 || in->version > RP_TRACE_OPTIONS_VERSION)
        return RP_EINVAL;
    if (in->version >= 4) {
        *out = *in;
    } else {
        rp__layout_v1 l = layout_v3(in->version);
        rp__layout_read_v1(out, in, &l);
    }
    out->version = RP_TRACE_OPTIONS_VERSION;
    return RP_OK;
}

int rp_trace_options_init(rp_trace_options *out, unsigned version)
{
    static const rp_trace_options defaults = RP_TRACE_OPTIONS_INIT;
    if (!out || version < 2 || version > RP_TRACE_OPTIONS_VERSION)
        return RP_EINVAL;
    if (version >= 4) {
        *out = defaults;
        return RP_OK;
    }
    rp__layout_v1 l = layout_v3(version); /* in the caller's layout */
    rp__layout_write_v1(out, &defaults, &l);
    out->version = version;
    return RP_OK;
}

/* rp_trace_stats as long as version 1 made it */
#define STATS_V1 offsetof(rp_trace_stats, authors_found)

static int run(const char *const *inputs, size_t ninputs,
               const rp_trace_options *o, const rp_trace_outputs *outs,
               const rp_dedup_callbacks *cb, rp_trace_stats *st,
               rp_error *err);

int rp_trace_run(const char *const *inputs, size_t ninputs,
                 const rp_trace_options *o, const rp_trace_outputs *outs,
                 const rp_dedup_callbacks *cb, rp_trace_stats *st,
                 rp_error *err)
{
    rp_trace_options opts;
    if (!st || st->version < 1 || st->version > RP_TRACE_STATS_VERSION ||
        options_read(&opts, o) != RP_OK || ninputs == 0)
        return RP_EINVAL;
    /* the caller's stats are as long as their version says */
    unsigned version = st->version;
    rp_trace_stats all;
    memset(&all, 0, sizeof all);
    all.version = RP_TRACE_STATS_VERSION;
    int rc = run(inputs, ninputs, &opts, outs, cb, &all, err);
    memcpy(st, &all, version >= 2 ? sizeof all : STATS_V1);
    st->version = version;
    return rc;
}

static int run(const char *const *inputs, size_t ninputs,
               const rp_trace_options *o, const rp_trace_outputs *outs,
               const rp_dedup_callbacks *cb, rp_trace_stats *st,
               rp_error *err)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    tjob j;
    memset(&j, 0, sizeof j);
    j.o = o;
    rp__progress_init(&j.pr, o->progress, o->progress_ctx, 8);
    j.st = st;
    uint64_t *pairs = NULL;
    size_t npairs = 0;
    j.k = o->shingle ? o->shingle : 3;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
#define STAGE(n)                                                              \
    do {                                                                      \
        struct timespec t_;                                                   \
        clock_gettime(CLOCK_MONOTONIC, &t_);                                  \
        st->stage_seconds[n] += (double)(t_.tv_sec - ts.tv_sec) +             \
                                (t_.tv_nsec - ts.tv_nsec) * 1e-9;             \
        ts = t_;                                                              \
    } while (0)
    /* each stage reports its start and end to o->progress (END) */
#define BEGIN(name, items, total)                                            \
    do {                                                                      \
        if (rc == RP_OK)                                                      \
            rp__progress_stage(&j.pr, name, RP_PROGRESS_ITEMS, items, total); \
    } while (0)
#define END(done)                                                             \
    do {                                                                      \
        if (rc == RP_OK)                                                      \
            rp__progress_end(&j.pr, done);                                    \
    } while (0)
    int rc = read_all(&j, inputs, ninputs, cb, err);
    END(0);
    STAGE(0);
    BEGIN("words", "documents", j.ndocs);
    if (rc == RP_OK)
        rc = read_words(&j);
    END(j.ndocs);
    STAGE(1);
    BEGIN("candidates", "documents", j.ndocs);
    if (rc == RP_OK)
        rc = rp__trace_candidates(&j, &pairs, &npairs);
    END(j.ndocs);
    STAGE(2);
    BEGIN("compare", "pairs", npairs);
    if (rc == RP_OK) {
        rc = rp__trace_compare(&j, pairs, npairs, &j.cmp);
        j.ncmp = j.cmp ? npairs : 0;
    }
    if (rc == RP_OK)
        rc = rp__trace_signatures(&j);
    END(npairs);
    free(pairs);
    STAGE(3);
    BEGIN("passages", "pairs", j.ncmp);
    if (rc == RP_OK)
        rc = collect(&j);
    if (rc == RP_OK)
        rc = rp__trace_passages(&j);
    END(j.ncmp);
    STAGE(4);
    BEGIN("evidence", "passages", st->passages);
    if (rc == RP_OK)
        rc = rp__trace_edges(&j);
    if (rc == RP_OK)
        rc = rp__trace_flows(&j);
    END(st->passages);
    STAGE(5);
    BEGIN("quotes", "documents", j.ndocs);
    if (rc == RP_OK)
        rc = rp__trace_quotes(&j);
    END(j.ndocs);
    STAGE(6);
    /* the reports as one set: all renamed, or none (rp_writer_commit_set) */
    rp_writer *w[3] = {NULL, NULL, NULL};
    BEGIN("write", "reports",
          (uint64_t)(!!outs->json + !!outs->md + !!outs->html));
    if (rc == RP_OK)
        rc = report(&j, outs->json, rp__trace_json, &w[0], err);
    if (rc == RP_OK && outs->json)
        rp__progress_report(&j.pr, 1);
    if (rc == RP_OK)
        rc = report(&j, outs->md, rp__trace_md, &w[1], err);
    if (rc == RP_OK && outs->md)
        rp__progress_report(&j.pr, !!outs->json + 1);
    if (rc == RP_OK)
        rc = report(&j, outs->html, rp__trace_html, &w[2], err);
    rc = rp_writer_commit_set(w, 3, rc, err);
    END(0);
    STAGE(7);
#undef BEGIN
#undef END
#undef STAGE
    tjob_free(&j);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    st->seconds = (double)(t1.tv_sec - t0.tv_sec) +
                  (t1.tv_nsec - t0.tv_nsec) * 1e-9;
    return rc;
}
