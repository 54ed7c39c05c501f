/*
 * dedup.c - the dedup job (pipeline in reprint/dedup.h).
 *
 * In-memory tables, all indexed in input order:
 *
 *   docs[d]       file, line, offset, date, text length, id, and ranges
 *                 into paras[] and units[]
 *   paras[p]      paragraph spans and token/shingle ranges (rp_para_fp)
 *   units[u]      the paragraph index of paragraph unit u; unit_doc[u]
 *   doc_keys      ndocs  x doc_bands   LSH band keys
 *   unit_keys     nunits x para_bands  LSH band keys
 *   details[d]    pass 2 only, for documents in a pair to verify, one
 *                 level at a time: shingle sequence, token spans, and the
 *                 set and signature of the document or of its units
 *
 * Records are re-read in passes 2 and 3; a reader unit belongs to document
 * d when its (file, line) is the next expected one, so bad records skipped
 * in pass 1 are skipped again without parsing.
 */
#include "dedup_job.h"

#include "reprint/sys/sigfile.h"
#include "reprint/sys/verify.h"

#include "error.h"
#include "../util/buf.h"
#include "../util/parallel.h"
#include "../util/sort.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define BATCH_BYTES ((size_t)8 << 20)
#define BATCH_ITEMS 4096

static double now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ---- workers ------------------------------------------------------------ */

typedef struct worker {
    rp_parser *parser;
    rp_signer *signer;
} worker;

static void workers_free(worker *w, size_t n)
{
    if (!w)
        return;
    for (size_t i = 0; i < n; i++) {
        rp_parser_free(w[i].parser);
        rp_signer_free(w[i].signer);
    }
    free(w);
}

static int workers_new(worker **out, size_t n, const rp_sign_options *so,
                       const rp_fields *f)
{
    worker *w = calloc(n, sizeof *w);
    if (!w)
        return RP_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        int rc = rp_parser_new(&w[i].parser, f);
        if (rc == RP_OK)
            rc = rp_signer_new(&w[i].signer, so);
        if (rc != RP_OK) {
            workers_free(w, n);
            return rc;
        }
    }
    *out = w;
    return RP_OK;
}

/* ---- batches of raw units --------------------------------------------- */

/* Where one document's parts go in the tables. */
typedef struct slot {
    size_t doc, para, unit, dkey, ukey, id;
} slot;


typedef struct item {
    size_t off, len;      /* in batch data */
    uint32_t file;
    uint64_t line, offset;
    rp_unit_kind kind;
    size_t name_off;      /* .txt units: relative name in batch data */
    uint32_t doc;         /* pass 2: document number */
    int read_error;       /* the reader failed here: rc/err hold why */
    unsigned found;       /* pass 1: rp_record.fields_found */
    slot slot;            /* pass 1: where its parts go in the tables */
    /* results */
    int rc;
    rp_error err;
    rp_sigfile_doc fp;    /* pass 1: owned copies below */
    char *id;
    rp_para_fp *paras;
    uint32_t *sigs;
    uint64_t *keys;       /* doc bands, then unit bands */
    detail *det;          /* pass 2 */
} item;

typedef struct batch {
    job *j;
    rp_reader *reader;
    worker *workers;
    rp_buf data;
    item *items;
    size_t n, cap;
} batch;

static void item_clear(item *it)
{
    free(it->id);
    free(it->paras);
    free(it->sigs);
    free(it->keys);
    it->id = NULL;
    it->paras = NULL;
    it->sigs = NULL;
    it->keys = NULL;
}

static int batch_add(batch *b, const rp_unit *u)
{
    item it;
    memset(&it, 0, sizeof it);
    it.off = b->data.len;
    it.len = u->len;
    it.file = u->file;
    it.line = u->line;
    it.offset = u->offset;
    it.kind = u->kind;
    if (rp_buf_put(&b->data, u->data, u->len) || rp_buf_putc(&b->data, 0))
        return RP_ENOMEM;
    it.name_off = b->data.len;
    if (u->kind == RP_UNIT_TEXT &&
        (rp_buf_puts(&b->data, u->name) || rp_buf_putc(&b->data, 0)))
        return RP_ENOMEM;
    if (RP_VEC_PUSH(b->items, b->n, b->cap, it))
        return RP_ENOMEM;
    return RP_OK;
}

static void item_unit(const batch *b, const item *it, rp_unit *u)
{
    memset(u, 0, sizeof *u);
    u->data = b->data.data + it->off;
    u->len = it->len;
    u->file = it->file;
    u->line = it->line;
    u->offset = it->offset;
    u->kind = it->kind;
    u->name = it->kind == RP_UNIT_TEXT ? b->data.data + it->name_off : NULL;
}

/* after pass 1 the names are kept in the job: the reader may be gone */
static const char *batch_file_name(const batch *b, uint32_t file)
{
    if (file < b->j->nfnames)
        return b->j->fnames[file];
    return b->reader ? rp_reader_file_name(b->reader, file) : "";
}

static int parse_and_sign(batch *b, item *it, worker *w, rp_record *rec,
                          rp_fingerprint *fp)
{
    rp_unit u;
    item_unit(b, it, &u);
    const char *fname = batch_file_name(b, it->file);
    int rc = rp_parser_parse(w->parser, rec, &u, fname, &it->err);
    if (rc != RP_OK)
        return rc;
    if (rec->text_len >= UINT32_MAX)
        return rp__error_set(&it->err, RP_ETOOBIG, fname, it->line,
                             it->offset, "text of 4 GiB or more");
    rc = rp_signer_sign(w->signer, fp, rec->text, rec->text_len);
    if (rc != RP_OK)
        rp__error_set(&it->err, rc, fname, it->line, it->offset,
                      "cannot fingerprint: %s", rp_strerror(rc));
    return rc;
}

/* pass 1 worker: fingerprint one record, keep owned copies and band keys */
static void pass1_item(void *ctx, size_t i, size_t wid)
{
    batch *b = ctx;
    job *j = b->j;
    item *it = &b->items[i];
    rp_record rec;
    rp_fingerprint fp;
    if (it->read_error)
        return;
    it->rc = parse_and_sign(b, it, &b->workers[wid], &rec, &fp);
    if (it->rc != RP_OK)
        return;
    it->found = rec.fields_found;
    const uint32_t np = fp.num_perm;
    rp_sigfile_doc *d = &it->fp;
    d->file = it->file;
    d->line = it->line;
    d->offset = it->offset;
    d->date = rec.date;
    d->date_bad = (uint32_t)rec.date_bad;
    d->text_len = (uint32_t)rec.text_len;
    d->ntokens = fp.ntokens;
    d->nshingles = fp.nshingles;
    d->content = fp.content;
    d->tok_begin = fp.tok_begin;
    d->tok_end = fp.tok_end;
    /* signatures are copied only for a .rps, band keys only for tables */
    size_t idl = strlen(rec.id);
    size_t nsig = j->write_sigs ? (fp.nunits + 1) * np : 1;
    size_t nkeys = j->tables ? j->dl.bands + fp.nunits * j->pl.bands : 1;
    it->id = malloc(idl + 1);
    it->paras = malloc((fp.npara ? fp.npara : 1) * sizeof *it->paras);
    it->sigs = malloc(nsig * sizeof *it->sigs);
    it->keys = malloc((nkeys ? nkeys : 1) * sizeof *it->keys);
    if (!it->id || !it->paras || !it->sigs || !it->keys) {
        it->rc = RP_ENOMEM;
        return;
    }
    memcpy(it->id, rec.id, idl + 1);
    if (fp.npara)
        memcpy(it->paras, fp.paras, fp.npara * sizeof *it->paras);
    if (j->write_sigs) {
        memcpy(it->sigs, fp.sig, np * sizeof *it->sigs);
        memcpy(it->sigs + np, fp.unit_sigs,
               fp.nunits * np * sizeof *it->sigs);
    }
    d->id = it->id;
    d->id_len = (uint32_t)idl;
    d->npara = (uint32_t)fp.npara;
    d->paras = it->paras;
    d->nunits = (uint32_t)fp.nunits;
    d->sig = j->write_sigs ? it->sigs : NULL;
    d->unit_sigs = j->write_sigs ? it->sigs + np : NULL;
    if (!j->tables)
        return;
    for (uint32_t k = 0; k < j->dl.bands; k++)
        it->keys[k] = rp_lsh_band_key(fp.sig, k, j->dl.rows);
    for (uint32_t u = 0; u < d->nunits; u++)
        for (uint32_t k = 0; k < j->pl.bands; k++)
            it->keys[j->dl.bands + u * j->pl.bands + k] =
                rp_lsh_band_key(fp.unit_sigs + (size_t)u * np, k, j->pl.rows);
}

/* ---- pass 1: append one document to the tables ------------------------- */

/* Make room for document d at the end of the tables and say where. */
static int reserve_doc(job *j, const rp_sigfile_doc *d, slot *s)
{
    size_t nd = j->dl.bands, nu = (size_t)d->nunits * j->pl.bands;
    if (j->ids.len + d->id_len >= UINT32_MAX ||
        j->nparas + d->npara >= UINT32_MAX || j->ndocs + 1 >= UINT32_MAX)
        return RP_ETOOBIG; /* document numbers are 32-bit */
    if (rp_vec_grow((void **)&j->docs, &j->docs_cap, j->ndocs + 1,
                    sizeof *j->docs) ||
        rp_vec_grow((void **)&j->paras, &j->paras_cap, j->nparas + d->npara,
                    sizeof *j->paras) ||
        rp_vec_grow((void **)&j->unit_para, &j->unit_cap,
                    j->nunits + d->nunits, sizeof *j->unit_para) ||
        rp_vec_grow((void **)&j->unit_doc, &j->unit_doc_cap,
                    j->nunits + d->nunits, sizeof *j->unit_doc) ||
        rp_vec_grow((void **)&j->doc_keys, &j->doc_keys_cap,
                    j->doc_keys_len + nd + 1, sizeof *j->doc_keys) ||
        rp_vec_grow((void **)&j->unit_keys, &j->unit_keys_cap,
                    j->unit_keys_len + nu + 1, sizeof *j->unit_keys) ||
        rp_buf_reserve(&j->ids, d->id_len))
        return RP_ENOMEM;
    s->doc = j->ndocs++;
    s->para = j->nparas;
    j->nparas += d->npara;
    s->unit = j->nunits;
    j->nunits += d->nunits;
    s->dkey = j->doc_keys_len;
    j->doc_keys_len += nd;
    s->ukey = j->unit_keys_len;
    j->unit_keys_len += nu;
    s->id = j->ids.len;
    j->ids.len += d->id_len;
    return RP_OK;
}

/* A good record read: the counts in the summary. */
static void count_doc(job *j, const rp_sigfile_doc *d)
{
    if (d->date.precision == RP_DATE_UNKNOWN)
        d->date_bad ? j->st->dates_bad++ : j->st->dates_missing++;
    j->st->records_in++;
    j->st->paragraphs += d->nunits;
}

/* Copy document d's parts into its slot. Touches nothing else, so the
 * documents of a batch are placed in parallel. */
static void place_doc(job *j, const rp_sigfile_doc *d, const uint64_t *keys,
                      const slot *s)
{
    doc *x = &j->docs[s->doc];
    memset(x, 0, sizeof *x);
    x->file = d->file;
    x->line = d->line;
    x->offset = d->offset;
    x->date = d->date;
    x->text_len = d->text_len;
    x->ntokens = d->ntokens;
    x->content = d->content;
    x->tok_begin = d->tok_begin;
    x->tok_end = d->tok_end;
    x->id_off = (uint32_t)s->id;
    x->id_len = d->id_len;
    x->para_first = (uint32_t)s->para;
    x->npara = d->npara;
    x->unit_first = (uint32_t)s->unit;
    x->nunits = d->nunits;
    if (d->id_len)
        memcpy(j->ids.data + s->id, d->id, d->id_len);
    size_t u = s->unit;
    for (uint32_t p = 0; p < d->npara; p++) {
        j->paras[s->para + p] = d->paras[p];
        if (d->paras[p].unit) {
            j->unit_doc[u] = (uint32_t)s->doc;
            j->unit_para[u++] = (uint32_t)(s->para + p);
        }
    }
    size_t nd = j->dl.bands, nu = (size_t)d->nunits * j->pl.bands;
    if (nd)
        memcpy(j->doc_keys + s->dkey, keys, nd * sizeof *keys);
    if (nu)
        memcpy(j->unit_keys + s->ukey, keys + nd, nu * sizeof *keys);
}

static int append_doc(job *j, const rp_sigfile_doc *d, const uint64_t *keys)
{
    slot s;
    int rc = reserve_doc(j, d, &s);
    if (rc == RP_OK) {
        count_doc(j, d);
        place_doc(j, d, keys, &s);
    }
    return rc;
}

static int keep_file_names(job *j, uint32_t n, const char *(*get)(const void *,
                                                                uint32_t),
                           const void *src)
{
    j->fnames = calloc(n + 1, sizeof *j->fnames);
    if (!j->fnames)
        return RP_ENOMEM;
    j->nfnames = n;
    for (uint32_t i = 0; i < n; i++) {
        const char *s = get(src, i);
        size_t len = strlen(s) + 1;
        j->fnames[i] = malloc(len);
        if (!j->fnames[i])
            return RP_ENOMEM;
        memcpy(j->fnames[i], s, len);
    }
    return RP_OK;
}

static const char *reader_name(const void *r, uint32_t i)
{
    return rp_reader_file_name((const rp_reader *)r, i);
}

static const char *sigfile_name(const void *r, uint32_t i)
{
    return rp_sigfile_file_name((const rp_sigfile_reader *)r, i);
}

static void report_progress(job *j, const char *stage, rp_reader *r)
{
    if (j->cb && j->cb->progress)
        j->cb->progress(j->cb->ctx, stage, rp_reader_disk_bytes(r),
                        rp_reader_total_bytes(r));
}

/* A bad unit: stop, or (skip_bad) report and go on. */
static int bad_unit(job *j, int rc, const rp_error *e)
{
    if (rc == RP_ENOMEM || !j->o->skip_bad)
        return rc;
    j->st->bad_records++;
    if (j->cb && j->cb->bad_record)
        j->cb->bad_record(j->cb->ctx, e);
    return RP_OK;
}

/*
 * Results of a fingerprinted batch into the tables and the .rps, in input
 * order. This runs while the workers fingerprint the next batch.
 */
static int finish_batch1(job *j, batch *b, rp_sigfile_writer *sw,
                         rp_error *err)
{
    int rc = RP_OK;
    size_t i = 0;
    for (; i < b->n && rc == RP_OK; i++) {
        item *it = &b->items[i];
        if (it->rc != RP_OK) {
            rc = bad_unit(j, it->rc, &it->err);
            if (rc != RP_OK && err)
                *err = it->err;
            continue;
        }
        count_doc(j, &it->fp);
        for (int k = 0; k < RP_FIELD_COUNT; k++)
            if (it->found & (1u << k))
                j->st->fields_found[k]++;
        if (j->tables)
            rc = reserve_doc(j, &it->fp, &it->slot);
    }
    for (i = 0; i < b->n && j->tables && rc == RP_OK; i++)
        if (b->items[i].rc == RP_OK)
            place_doc(j, &b->items[i].fp, b->items[i].keys, &b->items[i].slot);
    for (i = 0; i < b->n && sw && rc == RP_OK; i++)
        if (b->items[i].rc == RP_OK)
            rc = rp_sigfile_writer_add(sw, &b->items[i].fp);
    for (i = 0; i < b->n; i++)
        item_clear(&b->items[i]);
    b->n = 0;
    b->data.len = 0;
    return rc;
}

/* Read units into b until it is full or the input ends (*eof = 1). A
 * reader error becomes an item of its own, so reports keep input order. */
static int fill_batch(batch *b, int *eof)
{
    while (b->n < BATCH_ITEMS && b->data.len < BATCH_BYTES) {
        rp_unit u;
        rp_error e;
        int r = rp_reader_next(b->reader, &u, &e);
        if (r == RP_DONE) {
            *eof = 1;
            return RP_OK;
        }
        if (r == RP_OK) {
            RP_TRY(batch_add(b, &u));
            continue;
        }
        item it;
        memset(&it, 0, sizeof it);
        it.read_error = 1;
        it.rc = r;
        it.err = e;
        if (RP_VEC_PUSH(b->items, b->n, b->cap, it))
            return RP_ENOMEM;
    }
    return RP_OK;
}

static void batch_dispose(batch *b)
{
    for (size_t i = 0; i < b->n; i++)
        item_clear(&b->items[i]);
    free(b->items);
    rp_buf_dispose(&b->data);
}

/*
 * Pass 1, pipelined over three batches: while the workers fingerprint one,
 * this thread files the one before (tables, .rps) and reads the one after.
 * With one thread everything runs here, in turn.
 */
static int pass1_read(job *j, rp_sigfile_writer **swp, const char *sig_out,
                      rp_error *err)
{
    batch bb[3];
    memset(bb, 0, sizeof bb);
    rp_reader *reader = NULL;
    worker *workers = NULL;
    size_t nw = j->o->threads ? j->o->threads : 1;
    int rc = rp_reader_new(&reader, j->paths, j->names, j->npaths,
                           &j->o->reader, err);
    if (rc == RP_OK) {
        j->bytes_total = rp_reader_total_bytes(reader);
        rp__progress_stage(&j->pr, "read", RP_PROGRESS_BYTES, NULL,
                           j->bytes_total);
    }
    if (rc == RP_OK)
        rc = workers_new(&workers, nw, &j->sign, &j->fields);
    for (int i = 0; i < 3; i++) {
        bb[i].j = j;
        bb[i].reader = reader;
        bb[i].workers = workers;
    }
    rp_sigfile_writer *sw = NULL;
    j->write_sigs = sig_out != NULL;
    if (rc == RP_OK && sig_out) {
        uint32_t nf = rp_reader_file_count(reader);
        const char **files = calloc(nf + 1, sizeof *files);
        uint64_t *sizes = calloc(nf + 1, sizeof *sizes);
        if (!files || !sizes)
            rc = RP_ENOMEM;
        for (uint32_t i = 0; rc == RP_OK && i < nf; i++) {
            files[i] = rp_reader_file_name(reader, i);
            sizes[i] = rp_reader_file_size(reader, i);
            if (strcmp(files[i], "-") == 0)
                rc = rp__error_set(err, RP_EINVAL, "-", 0, 0,
                                   "sign cannot record standard input: "
                                   "write it to a file first");
        }
        if (rc == RP_OK)
            rc = rp_sigfile_writer_new(&sw, sig_out, &j->sign, &j->fields,
                                       files, sizes, nf, err);
        free(files);
        free(sizes);
    }
    int eof = 0, cur = 0;
    batch *prev = NULL; /* fingerprinted, not yet filed */
    if (rc == RP_OK)
        rc = fill_batch(&bb[cur], &eof);
    while (rc == RP_OK && bb[cur].n > 0) {
        rp_parallel *par = NULL;
        if (nw > 1)
            rp_parallel_start(&par, nw, bb[cur].n, pass1_item, &bb[cur]);
        else
            rp_parallel_for(1, bb[cur].n, pass1_item, &bb[cur]);
        if (prev)
            rc = finish_batch1(j, prev, sw, err);
        int nxt = (cur + 1) % 3;
        if (rc == RP_OK && !eof)
            rc = fill_batch(&bb[nxt], &eof);
        rp_parallel_wait(par);
        report_progress(j, "sign", reader);
        rp__progress_report(&j->pr, rp_reader_disk_bytes(reader));
        prev = &bb[cur];
        cur = nxt;
    }
    if (rc == RP_OK && prev)
        rc = finish_batch1(j, prev, sw, err);
    if (rc == RP_OK)
        rp__progress_end(&j->pr, rp_reader_disk_bytes(reader));
    if (reader) {
        j->st->bytes_in = rp_reader_bytes(reader);
        j->st->files_in = rp_reader_file_count(reader);
        if (rc == RP_OK)
            rc = keep_file_names(j, rp_reader_file_count(reader),
                                 reader_name, reader);
    }
    for (int i = 0; i < 3; i++)
        batch_dispose(&bb[i]);
    workers_free(workers, nw);
    rp_reader_free(reader);
    if (rc != RP_OK) {
        rp_sigfile_writer_abort(sw);
        sw = NULL;
    }
    *swp = sw;
    return rc;
}

static int choose_params(job *j);

/* Load pass 1 from a .rps file instead of reading the records. */
static int pass1_load(job *j, const char *path, rp_error *err)
{
    rp_sigfile_reader *r = NULL;
    int rc = rp_sigfile_reader_new(&r, path, err);
    if (rc != RP_OK)
        return rc;
    struct stat rst;
    rp__progress_stage(&j->pr, "read", RP_PROGRESS_BYTES, NULL,
                       stat(path, &rst) == 0 ? (uint64_t)rst.st_size : 0);
    j->sign = *rp_sigfile_options(r);
    uint32_t nf = rp_sigfile_file_count(r);
    rc = keep_file_names(j, nf, sigfile_name, r);
    j->owned_paths = calloc(nf + 1, sizeof *j->owned_paths);
    if (rc == RP_OK && !j->owned_paths)
        rc = RP_ENOMEM;
    const rp_fields *f = rp_sigfile_fields(r);
    const char *fs[5] = {f->text, f->id, f->date, f->source, f->url};
    char **own = NULL;
    if (rc == RP_OK) {
        /* field names live in the reader; copy them into owned_paths' tail */
        own = calloc(5, sizeof *own);
        if (!own)
            rc = RP_ENOMEM;
        for (int i = 0; i < 5 && rc == RP_OK; i++) {
            if (!fs[i])
                continue;
            size_t n = strlen(fs[i]) + 1;
            own[i] = malloc(n);
            if (!own[i])
                rc = RP_ENOMEM;
            else
                memcpy(own[i], fs[i], n);
        }
    }
    for (uint32_t i = 0; i < nf && rc == RP_OK; i++) {
        const char *name = rp_sigfile_file_name(r, i);
        /* an input changed since signing would not match its records */
        uint64_t want = rp_sigfile_file_size(r, i);
        struct stat fst;
        if (want && stat(name, &fst) == 0 && (uint64_t)fst.st_size != want) {
            rc = rp__error_set(err, RP_EMISMATCH, name, 0, 0,
                               "changed since it was signed into %s (%llu "
                               "bytes, signed at %llu): sign it again",
                               path, (unsigned long long)fst.st_size,
                               (unsigned long long)want);
            break;
        }
        j->bytes_total += want;
        size_t n = strlen(name) + 1;
        j->owned_paths[i] = malloc(n);
        if (!j->owned_paths[i])
            rc = RP_ENOMEM;
        else
            memcpy(j->owned_paths[i], name, n);
    }
    if (rc == RP_OK) {
        j->paths = (const char *const *)j->owned_paths;
        j->names = NULL;
        j->npaths = nf;
        j->fields.text = own[0];
        j->fields.id = own[1];
        j->fields.date = own[2];
        j->fields.source = own[3];
        j->fields.url = own[4];
    }
    if (own && rc != RP_OK)
        for (int i = 0; i < 5; i++)
            free(own[i]);
    free(own);
    uint64_t *keys = NULL;
    size_t keys_cap = 0;
    if (rc == RP_OK)
        rc = choose_params(j);
    while (rc == RP_OK) {
        rp_sigfile_doc d;
        int r2 = rp_sigfile_reader_next(r, &d, err);
        if (r2 == RP_DONE)
            break;
        if (r2 != RP_OK) {
            rc = r2;
            break;
        }
        size_t nk = j->dl.bands + (size_t)d.nunits * j->pl.bands;
        if (rp_vec_grow((void **)&keys, &keys_cap, nk + 1, sizeof *keys)) {
            rc = RP_ENOMEM;
            break;
        }
        for (uint32_t k = 0; k < j->dl.bands; k++)
            keys[k] = rp_lsh_band_key(d.sig, k, j->dl.rows);
        for (uint32_t u = 0; u < d.nunits; u++)
            for (uint32_t k = 0; k < j->pl.bands; k++)
                keys[j->dl.bands + u * j->pl.bands + k] = rp_lsh_band_key(
                    d.unit_sigs + (size_t)u * j->sign.num_perm, k,
                    j->pl.rows);
        rc = append_doc(j, &d, keys);
    }
    free(keys);
    rp_sigfile_reader_free(r);
    return rc;
}

/* ---- keep order and LSH ----------------------------------------------- */

static int keep_before(const void *ctx, uint32_t a, uint32_t b);

/* Ranks in keep order: documents by the keep policy, paragraph units by
 * their document's rank, then by position in the document. */
static int rank_all(job *j)
{
    size_t nd = j->ndocs;
    uint32_t *order = malloc((nd + 1) * sizeof *order);
    uint32_t *tmp = malloc((nd + 1) * sizeof *tmp);
    j->doc_rank = malloc((nd + 1) * sizeof *j->doc_rank);
    j->unit_rank = malloc((j->nunits + 1) * sizeof *j->unit_rank);
    int rc = RP_ENOMEM;
    if (order && tmp && j->doc_rank && j->unit_rank) {
        for (size_t d = 0; d < nd; d++)
            order[d] = (uint32_t)d;
        rp_sort_indices(order, tmp, nd, keep_before, j);
        uint32_t next = 0;
        for (size_t r = 0; r < nd; r++) {
            const doc *dc = &j->docs[order[r]];
            j->doc_rank[order[r]] = (uint32_t)r;
            for (uint32_t u = 0; u < dc->nunits; u++)
                j->unit_rank[dc->unit_first + u] = next++;
        }
        rc = RP_OK;
    }
    free(order);
    free(tmp);
    return rc;
}

/*
 * Candidate pairs of one level. Documents without a token take no part;
 * nor do paragraphs of documents already removed as a whole, and two
 * paragraphs of one document are never paired.
 */
static int candidates(job *j, int units, rp_pair **out, size_t *count)
{
    size_t n = units ? j->nunits : j->ndocs;
    uint8_t *skip = calloc(n + 1, 1);
    if (!skip)
        return RP_ENOMEM;
    for (size_t i = 0; i < n; i++)
        skip[i] = units ? j->doc_leader[j->unit_doc[i]] != RP_KEPT
                        : j->docs[i].ntokens == 0;
    size_t capped = 0;
    int rc = rp_lsh_candidates(out, count, units ? j->unit_keys : j->doc_keys,
                               skip, units ? j->unit_rank : j->doc_rank, n,
                               units ? j->pl.bands : j->dl.bands,
                               j->o->max_bucket, j->o->threads, &capped);
    free(skip);
    j->st->capped_buckets += capped;
    if (rc == RP_OK && units) {
        size_t w = 0;
        for (size_t i = 0; i < *count; i++)
            if (j->unit_doc[(*out)[i].a] != j->unit_doc[(*out)[i].b])
                (*out)[w++] = (*out)[i];
        *count = w;
    }
    if (units)
        j->st->para_candidates = *count;
    else
        j->st->doc_candidates = *count;
    return rc;
}

/* ---- pass 2: exact shingle sets of candidate documents ------------------ */

/* Round n up to a multiple of 8 bytes, so each array stays aligned. */
static size_t align8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

/*
 * What verification of one level needs of a fingerprinted document (see
 * dedup_job.h), in a single block: one malloc per document, not one per
 * array and unit. need[u]: unit u of this document is in a pair.
 */
static detail *detail_new(const rp_fingerprint *fp, size_t text_len,
                          int units, const uint8_t *need)
{
    const uint32_t np = fp->num_perm, nu = fp->nunits;
    size_t nset = units ? 0 : fp->nshingles, nsig = units ? 0 : np;
    uint32_t u = 0;
    for (size_t p = 0; p < fp->npara && units; p++)
        if (fp->paras[p].unit && need[u++]) {
            nset += fp->paras[p].nshingles;
            nsig += np;
        }
    size_t off_seq = align8(sizeof(detail));
    size_t off_set = off_seq + fp->nshingles * sizeof(uint64_t);
    size_t off_up = off_set + nset * sizeof(uint64_t);
    size_t off_sp = off_up + nu * sizeof(uint64_t *);
    size_t off_un = off_sp + nu * sizeof(uint32_t *);
    size_t off_tok = off_un + align8(nu * sizeof(uint32_t));
    size_t off_sig = off_tok + align8(2 * (size_t)fp->ntokens *
                                      sizeof(uint32_t));
    char *m = malloc(off_sig + nsig * sizeof(uint32_t));
    if (!m)
        return NULL;
    detail *d = (detail *)m;
    memset(d, 0, sizeof *d);
    d->seq = (uint64_t *)(m + off_seq);
    d->unit_set = (uint64_t **)(m + off_up);
    d->unit_sig = (uint32_t **)(m + off_sp);
    d->unit_nset = (uint32_t *)(m + off_un);
    d->tok = (uint32_t *)(m + off_tok);
    d->nseq = fp->nshingles;
    d->ntok = fp->ntokens;
    d->text_len = (uint32_t)text_len;
    memcpy(d->seq, fp->shingles, d->nseq * sizeof *d->seq);
    for (uint32_t t = 0; t < d->ntok; t++) {
        d->tok[2 * t] = fp->tokens[t].offset;
        d->tok[2 * t + 1] = fp->tokens[t].offset + fp->tokens[t].len;
    }
    uint64_t *set = (uint64_t *)(m + off_set);
    uint32_t *sig = (uint32_t *)(m + off_sig);
    if (!units) {
        d->set = set;
        memcpy(d->set, fp->shingles, d->nseq * sizeof *d->set);
        d->nset = (uint32_t)rp_set_make(d->set, d->nseq);
        d->sig = sig;
        memcpy(d->sig, fp->sig, np * sizeof *d->sig);
        return d;
    }
    u = 0;
    for (size_t p = 0; p < fp->npara; p++) {
        const rp_para_fp *pf = &fp->paras[p];
        if (!pf->unit)
            continue;
        d->unit_set[u] = NULL;
        d->unit_sig[u] = NULL;
        d->unit_nset[u] = 0;
        if (need[u]) {
            memcpy(set, fp->shingles + pf->first_shingle,
                   pf->nshingles * sizeof *set);
            d->unit_set[u] = set;
            d->unit_nset[u] = (uint32_t)rp_set_make(set, pf->nshingles);
            set += pf->nshingles;
            memcpy(sig, fp->unit_sigs + (size_t)u * np, np * sizeof *sig);
            d->unit_sig[u] = sig;
            sig += np;
        }
        u++;
    }
    return d;
}

/*
 * Does the record read again have the fingerprint pass 1 recorded (from
 * the first read or a .rps)? Verification indexes the new fingerprint's
 * shingles and tokens with the recorded paragraph values, so any change of
 * the input since, or a .rps that lies, must stop here.
 */
static int same_fingerprint(const job *j, const doc *dc, size_t text_len,
                            const rp_fingerprint *fp)
{
    if (text_len != dc->text_len || fp->nunits != dc->nunits ||
        fp->npara != dc->npara || fp->ntokens != dc->ntokens ||
        fp->content != dc->content || fp->tok_begin != dc->tok_begin ||
        fp->tok_end != dc->tok_end)
        return 0;
    for (uint32_t p = 0; p < dc->npara; p++) {
        const rp_para_fp *a = &j->paras[dc->para_first + p];
        const rp_para_fp *b = &fp->paras[p];
        if (a->span.offset != b->span.offset || a->span.len != b->span.len ||
            a->span.cut_offset != b->span.cut_offset ||
            a->span.cut_len != b->span.cut_len ||
            a->first_token != b->first_token || a->ntokens != b->ntokens ||
            a->first_shingle != b->first_shingle ||
            a->nshingles != b->nshingles || a->unit != b->unit ||
            a->tok_begin != b->tok_begin || a->tok_end != b->tok_end ||
            a->content != b->content)
            return 0;
    }
    return 1;
}

static void pass2_item(void *ctx, size_t i, size_t wid)
{
    batch *b = ctx;
    job *j = b->j;
    item *it = &b->items[i];
    rp_record rec;
    rp_fingerprint fp;
    it->rc = parse_and_sign(b, it, &b->workers[wid], &rec, &fp);
    if (it->rc != RP_OK)
        return;
    const doc *dc = &j->docs[it->doc];
    const char *fname = batch_file_name(b, it->file);
    if (!same_fingerprint(j, dc, rec.text_len, &fp)) {
        it->rc = rp__error_set(&it->err, RP_EMISMATCH, fname, it->line,
                               it->offset,
                               "record differs from the first read or the "
                               "signature file (input changed?)");
        return;
    }
    it->det = detail_new(&fp, rec.text_len, j->detail_units,
                         j->unit_need ? j->unit_need + dc->unit_first : NULL);
    if (!it->det)
        it->rc = RP_ENOMEM;
}

/* Details of a fingerprinted pass-2 batch into the job, in input order. */
static int collect_batch2(job *j, batch *b, rp_error *err)
{
    int rc = RP_OK;
    for (size_t i = 0; i < b->n; i++) {
        item *it = &b->items[i];
        if (rc == RP_OK && it->rc != RP_OK) {
            rc = it->rc;
            if (err)
                *err = it->err;
        }
        if (rc == RP_OK)
            j->details[it->doc] = it->det;
        else
            free(it->det);
        it->det = NULL;
    }
    b->n = 0;
    b->data.len = 0;
    return rc;
}

/* See dedup_job.h. */
int rp__dedup_reread(job *j, rp__doc_fn fn, void *ctx, rp_error *err)
{
    rp_reader *r = NULL;
    rp_reader_options ro = j->o->reader;
    ro.skipped = NULL; /* said once, in pass 1 */
    int rc = rp_reader_new(&r, j->paths, j->names, j->npaths, &ro, err);
    uint32_t d = 0;
    while (rc == RP_OK && d < j->ndocs) {
        rp_unit u;
        rp_error e;
        int x = rp_reader_next(r, &u, &e);
        if (x == RP_DONE)
            break;
        if (x == RP_ENOMEM) {
            rc = x; /* not an input fault: stop, do not skip */
            break;
        }
        if (x != RP_OK)
            continue; /* reported in pass 1 */
        if (u.file != j->docs[d].file || u.line != j->docs[d].line)
            continue; /* a bad record of pass 1 */
        rc = fn(j, ctx, d, &u, r);
        d++;
        if ((d & 255) == 0)
            rp__progress_report(&j->pr, rp_reader_disk_bytes(r));
    }
    if (rc == RP_OK && d < j->ndocs)
        rc = rp__error_set(err, RP_EMISMATCH,
                           j->npaths ? (j->names && j->names[0] ? j->names[0]
                                                                : j->paths[0])
                                     : "",
                           0, 0,
                           "inputs ended before document %u of %zu (changed "
                           "since the first read or the signature file?)",
                           d, j->ndocs);
    rp_reader_free(r);
    return rc;
}

/*
 * Pass 2 reads like pass 1: while the workers fingerprint one batch, this
 * thread reads the next into the other.
 */
typedef struct pass2_ctx {
    batch b[2];
    int cur;
    rp_parallel *par; /* the other batch, when pending */
    int pending;
    size_t nw;
    const uint8_t *need;
    rp_error *err;
} pass2_ctx;

/* Collect the pending batch, if any. */
static int pass2_wait(job *j, pass2_ctx *c)
{
    if (!c->pending)
        return RP_OK;
    rp_parallel_wait(c->par);
    c->par = NULL;
    c->pending = 0;
    return collect_batch2(j, &c->b[1 - c->cur], c->err);
}

/* Start on the current batch; reading goes on into the other. */
static int pass2_launch(job *j, pass2_ctx *c)
{
    int rc = pass2_wait(j, c);
    batch *b = &c->b[c->cur];
    if (rc != RP_OK || b->n == 0)
        return rc;
    if (c->nw > 1) {
        rp_parallel_start(&c->par, c->nw, b->n, pass2_item, b);
        c->pending = 1;
    } else {
        rp_parallel_for(1, b->n, pass2_item, b);
        rc = collect_batch2(j, b, c->err);
    }
    c->cur = 1 - c->cur;
    return rc;
}

static int pass2_doc(job *j, void *ctx, uint32_t d, const rp_unit *u,
                     rp_reader *r)
{
    pass2_ctx *c = ctx;
    if (!c->need[d])
        return RP_OK;
    batch *b = &c->b[c->cur];
    b->reader = r;
    int rc = batch_add(b, u);
    if (rc != RP_OK)
        return rc;
    b->items[b->n - 1].doc = d;
    if (b->n >= BATCH_ITEMS || b->data.len >= BATCH_BYTES) {
        rc = pass2_launch(j, c);
        report_progress(j, "verify", r);
    }
    return rc;
}

/*
 * Two units with the same content hash have the same shingle sequence, so
 * their Jaccard is exactly 1 (up to a 2^-64 hash collision) and the shared
 * span is all their tokens: no need to read the records again. Exact
 * copies are the commonest duplicates of all.
 */
static int identical(const job *j, const rp_pair *p, int units,
                     uint32_t a_span[2], uint32_t b_span[2])
{
    uint64_t content[2];
    uint32_t *span[2] = {a_span, b_span};
    uint32_t unit[2] = {p->a, p->b};
    for (int k = 0; k < 2; k++) {
        if (units) {
            const rp_para_fp *x = &j->paras[j->unit_para[unit[k]]];
            content[k] = x->content;
            span[k][0] = x->tok_begin;
            span[k][1] = x->tok_end;
        } else {
            const doc *x = &j->docs[unit[k]];
            content[k] = x->content;
            span[k][0] = x->tok_begin;
            span[k][1] = x->tok_end;
        }
    }
    return content[0] == content[1];
}

/* ---- verification of candidate pairs ------------------------------------ */

typedef struct vctx {
    job *j;
    const rp_pair *pairs;
    verified *out;
    int units;
} vctx;

static void unit_where(const job *j, uint32_t u, uint32_t *d, uint32_t *ui,
                       const rp_para_fp **pf)
{
    *d = j->unit_doc[u];
    *ui = u - j->docs[*d].unit_first;
    *pf = &j->paras[j->unit_para[u]];
}

/* byte span in the text of shingles [first, last] */
static void shingle_span(const detail *d, uint32_t k, size_t first,
                         size_t last, uint32_t out[2])
{
    size_t lt = last + k - 1;
    if (lt >= d->ntok)
        lt = d->ntok - 1;
    out[0] = d->tok[2 * first];
    out[1] = d->tok[2 * lt + 1];
}

static void verify_item(void *ctx, size_t i, size_t wid)
{
    (void)wid;
    vctx *c = ctx;
    job *j = c->j;
    const rp_pair *p = &c->pairs[i];
    verified *v = &c->out[i];
    const uint32_t np = j->sign.num_perm, k = j->sign.shingle;
    v->a = p->a;
    v->b = p->b;
    if (identical(j, p, c->units, v->a_span, v->b_span)) {
        v->jaccard = v->estimate = 1.0;
        return;
    }
    const detail *da, *db;
    const uint64_t *sa, *sb, *qa, *qb;
    size_t na, nb, nqa, nqb;
    const uint32_t *ga, *gb;
    if (!c->units) {
        da = j->details[p->a];
        db = j->details[p->b];
        sa = da->set;
        na = da->nset;
        sb = db->set;
        nb = db->nset;
        qa = da->seq;
        nqa = da->nseq;
        qb = db->seq;
        nqb = db->nseq;
        ga = da->sig;
        gb = db->sig;
    } else {
        uint32_t d1, d2, u1, u2;
        const rp_para_fp *p1, *p2;
        unit_where(j, p->a, &d1, &u1, &p1);
        unit_where(j, p->b, &d2, &u2, &p2);
        da = j->details[d1];
        db = j->details[d2];
        sa = da->unit_set[u1];
        na = da->unit_nset[u1];
        sb = db->unit_set[u2];
        nb = db->unit_nset[u2];
        qa = da->seq + p1->first_shingle;
        nqa = p1->nshingles;
        qb = db->seq + p2->first_shingle;
        nqb = p2->nshingles;
        ga = da->unit_sig[u1];
        gb = db->unit_sig[u2];
    }
    v->estimate = rp_minhash_estimate(ga, gb, np);
    v->jaccard = j->o->verify ? rp_set_jaccard(sa, na, sb, nb, NULL) : -1.0;
    size_t f, l;
    memset(v->a_span, 0, sizeof v->a_span);
    memset(v->b_span, 0, sizeof v->b_span);
    if (rp_set_shared_range(&f, &l, qa, nqa, sb, nb))
        shingle_span(da, k, f + (size_t)(qa - da->seq),
                     l + (size_t)(qa - da->seq), v->a_span);
    if (rp_set_shared_range(&f, &l, qb, nqb, sa, na))
        shingle_span(db, k, f + (size_t)(qb - db->seq),
                     l + (size_t)(qb - db->seq), v->b_span);
}

/* Details of one level are dropped before the next level loads its own. */
static void drop_details(job *j)
{
    if (j->details)
        for (size_t d = 0; d < j->ndocs; d++) {
            free(j->details[d]);
            j->details[d] = NULL;
        }
}

/* Details of the documents in pairs p of one level (a re-read). */
static int load_details(job *j, const rp_pair *p, size_t n, int units,
                        rp_error *err)
{
    drop_details(j);
    if (!j->details)
        j->details = calloc(j->ndocs + 1, sizeof *j->details);
    uint8_t *need = calloc(j->ndocs + 1, 1);
    uint8_t *unit_need = units ? calloc(j->nunits + 1, 1) : NULL;
    if (!need || !j->details || (units && !unit_need)) {
        free(need);
        free(unit_need);
        return RP_ENOMEM;
    }
    size_t nneed = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t sa[2], sb[2];
        if (identical(j, &p[i], units, sa, sb))
            continue;
        uint32_t a = units ? j->unit_doc[p[i].a] : p[i].a;
        uint32_t b = units ? j->unit_doc[p[i].b] : p[i].b;
        nneed += !need[a];
        need[a] = 1;
        nneed += !need[b];
        need[b] = 1;
        if (units)
            unit_need[p[i].a] = unit_need[p[i].b] = 1;
    }
    j->detail_units = units;
    j->unit_need = unit_need;
    int rc = RP_OK;
    if (nneed) {
        pass2_ctx c;
        memset(&c, 0, sizeof c);
        c.nw = j->o->threads ? j->o->threads : 1;
        c.need = need;
        c.err = err;
        worker *w = NULL;
        rc = workers_new(&w, c.nw, &j->sign, &j->fields);
        for (int i = 0; i < 2; i++) {
            c.b[i].j = j;
            c.b[i].workers = w;
        }
        if (rc == RP_OK)
            rc = rp__dedup_reread(j, pass2_doc, &c, err);
        /* the reader is gone: names come from the job now */
        c.b[0].reader = c.b[1].reader = NULL;
        if (rc == RP_OK)
            rc = pass2_launch(j, &c);
        int rc_wait = pass2_wait(j, &c);
        if (rc_wait != RP_OK) /* earlier in the input than rc's cause */
            rc = rc_wait;
        for (int i = 0; i < 2; i++) {
            for (size_t k = 0; k < c.b[i].n; k++)
                free(c.b[i].items[k].det);
            free(c.b[i].items);
            rp_buf_dispose(&c.b[i].data);
        }
        workers_free(w, c.nw);
    }
    j->unit_need = NULL;
    free(unit_need);
    free(need);
    return rc;
}

/* Verify pairs of one level in parallel into j->dpairs or j->ppairs. */
static int verify_pairs(job *j, const rp_pair *p, size_t n, int units,
                        rp_error *err)
{
    int rc = load_details(j, p, n, units, err);
    if (rc != RP_OK)
        return rc;
    verified *v = malloc((n + 1) * sizeof *v);
    if (!v)
        return RP_ENOMEM;
    vctx c = {j, p, v, units};
    rp_parallel_for(j->o->threads, n, verify_item, &c);
    drop_details(j);
    if (units) {
        j->ppairs = v;
        j->npp = n;
    } else {
        j->dpairs = v;
        j->ndp = n;
    }
    return RP_OK;
}

/* ---- clustering ----------------------------------------------------------- */

static int keep_before(const void *ctx, uint32_t a, uint32_t b)
{
    const job *j = ctx;
    const doc *x = &j->docs[a], *y = &j->docs[b];
    int c = 0;
    if (j->o->keep == RP_KEEP_EARLIEST)
        c = rp_date_cmp(&x->date, &y->date);
    else if (j->o->keep == RP_KEEP_LONGEST)
        c = x->text_len > y->text_len ? -1 : x->text_len < y->text_len;
    if (c == 0)
        c = a < b ? -1 : a > b;
    return c < 0;
}


double rp__dedup_edge_sim(const job *j, const verified *v)
{
    return j->o->verify ? v->jaccard : v->estimate;
}

/* Leaders of one level: documents, or paragraph units of kept documents. */
static int cluster(job *j, int units)
{
    size_t n = units ? j->nunits : j->ndocs;
    const verified *v = units ? j->ppairs : j->dpairs;
    size_t nv = units ? j->npp : j->ndp;
    uint32_t *leader = malloc((n + 1) * sizeof *leader);
    double *sim = malloc((n + 1) * sizeof *sim);
    uint8_t *active = units ? malloc(n + 1) : NULL;
    rp_edge *edges = malloc((nv + 1) * sizeof *edges);
    if (units) {
        j->unit_leader = leader;
        j->unit_sim = sim;
    } else {
        j->doc_leader = leader;
        j->doc_sim = sim;
    }
    int rc = RP_ENOMEM;
    if (!leader || !sim || !edges || (units && !active))
        goto done;
    for (size_t i = 0; i < nv; i++) {
        edges[i].a = v[i].a;
        edges[i].b = v[i].b;
        edges[i].sim = rp__dedup_edge_sim(j, &v[i]);
    }
    for (size_t i = 0; units && i < n; i++)
        active[i] = j->doc_leader[j->unit_doc[i]] == RP_KEPT;
    rc = rp_cluster_leaders(leader, sim, units ? j->unit_rank : j->doc_rank,
                            units ? j->unit_doc : NULL, active, n, edges, nv,
                            units ? j->pthreshold : j->o->threshold);
    double t = units ? j->pthreshold : j->o->threshold;
    uint64_t above = 0;
    for (size_t i = 0; i < nv; i++)
        above += edges[i].sim >= t;
    if (units)
        j->st->para_pairs = above;
    else
        j->st->doc_pairs = above;
done:
    free(active);
    free(edges);
    return rc;
}

/* Counts, and documents left with no paragraph. */
static int tally(job *j)
{
    j->emptied = calloc(j->ndocs + 1, 1);
    if (!j->emptied)
        return RP_ENOMEM;
    for (size_t d = 0; d < j->ndocs; d++) {
        const doc *dc = &j->docs[d];
        if (j->doc_leader[d] != RP_KEPT) {
            j->st->docs_removed++;
            continue;
        }
        uint32_t removed = 0;
        for (uint32_t u = 0; u < dc->nunits; u++)
            removed += j->unit_leader[dc->unit_first + u] != RP_KEPT;
        j->st->paras_removed += removed;
        if (removed && removed == dc->npara) {
            j->emptied[d] = 1;
            j->st->docs_emptied++;
        } else if (removed) {
            j->st->paras_changed_docs++;
        }
    }
    return RP_OK;
}

/* ---- the job ----------------------------------------------------------------- */

static void job_free(job *j)
{
    if (j->details)
        for (size_t d = 0; d < j->ndocs; d++)
            free(j->details[d]);
    free(j->details);
    free(j->docs);
    rp_buf_dispose(&j->ids);
    free(j->paras);
    free(j->unit_para);
    free(j->unit_doc);
    free(j->doc_keys);
    free(j->unit_keys);
    free(j->dpairs);
    free(j->ppairs);
    free(j->doc_leader);
    free(j->unit_leader);
    free(j->doc_sim);
    free(j->unit_sim);
    free(j->emptied);
    free(j->doc_rank);
    free(j->unit_rank);
    for (size_t i = 0; i < j->nfnames; i++)
        free(j->fnames[i]);
    free(j->fnames);
    if (j->owned_paths) {
        for (size_t i = 0; i < j->npaths; i++)
            free(j->owned_paths[i]);
        free(j->owned_paths);
        free((char *)j->fields.text);
        free((char *)j->fields.id);
        free((char *)j->fields.date);
        free((char *)j->fields.source);
        free((char *)j->fields.url);
    }
}

/* Only a regular file is sniffed: opening a FIFO or a <(...) pipe to read
 * 8 bytes would block, or lose those bytes for the reader that follows. */
int rp_is_sigfile(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char m[8];
    int yes = fread(m, 1, 8, f) == 8 && memcmp(m, "RPSIG\r\n\x1a", 8) == 0;
    fclose(f);
    return yes;
}

int rp_dedup_options_init(rp_dedup_options *out, unsigned version)
{
    static const rp_dedup_options defaults = RP_DEDUP_OPTIONS_INIT;
    if (!out || version != RP_DEDUP_OPTIONS_VERSION)
        return RP_EINVAL;
    *out = defaults;
    return RP_OK;
}

static int job_init(job *j, const char *const *inputs, size_t ninputs,
                    const rp_dedup_options *o, const rp_dedup_callbacks *cb,
                    rp_dedup_stats *st)
{
    memset(j, 0, sizeof *j);
    if (!st || st->version != RP_DEDUP_STATS_VERSION)
        return RP_EINVAL;
    memset(st, 0, sizeof *st);
    st->version = RP_DEDUP_STATS_VERSION;
    if (!o || o->version < 1 || o->version > RP_DEDUP_OPTIONS_VERSION ||
        ninputs == 0 ||
        !(o->threshold > 0 && o->threshold <= 1) || o->para_threshold < 0 ||
        o->para_threshold > 1 || o->level < 1 || o->level > 3 || o->keep > 2)
        return RP_EINVAL;
    j->o = o;
    j->cb = cb;
    /* version 1 options end before the progress function */
    rp__progress_init(&j->pr, o->version >= 2 ? o->progress : NULL,
                      o->version >= 2 ? o->progress_ctx : NULL, 0);
    j->st = st;
    j->sign = o->sign;
    j->fields = o->fields;
    j->paths = inputs;
    j->names = o->names;
    j->npaths = ninputs;
    j->pthreshold = o->para_threshold > 0 ? o->para_threshold : o->threshold;
    return RP_OK;
}

/* Band keys are kept only for the levels being deduplicated. */
static int choose_params(job *j)
{
    int rc = rp_lsh_choose(&j->dl, j->o->threshold, j->sign.num_perm,
                           RP_LSH_FN_WEIGHT);
    if (rc == RP_OK)
        rc = rp_lsh_choose(&j->pl, j->pthreshold, j->sign.num_perm,
                           RP_LSH_FN_WEIGHT);
    if (!(j->o->level & RP_LEVEL_DOC))
        j->dl.bands = 0;
    if (!(j->o->level & RP_LEVEL_PARA))
        j->pl.bands = 0;
    return rc;
}

static void fill_param_stats(job *j)
{
    j->st->doc_bands = j->dl.bands;
    j->st->doc_rows = j->dl.rows;
    j->st->para_bands = j->pl.bands;
    j->st->para_rows = j->pl.rows;
    j->st->peak_docs_bytes =
        j->docs_cap * sizeof *j->docs + j->ids.capacity +
        j->paras_cap * sizeof *j->paras +
        (j->unit_cap + j->unit_doc_cap) * sizeof(uint32_t) +
        (j->doc_keys_cap + j->unit_keys_cap) * sizeof(uint64_t);
}

int rp_sign_run(const char *const *inputs, size_t ninputs,
                const rp_dedup_options *o, const rp_dedup_outputs *outs,
                const rp_dedup_callbacks *cb, rp_dedup_stats *st,
                rp_error *err)
{
    job j;
    int rc = job_init(&j, inputs, ninputs, o, cb, st);
    if (rc != RP_OK)
        return rc;
    double t0 = now_sec();
    j.pr.p.stage_count = 1; /* read */
    rc = choose_params(&j);
    rp_sigfile_writer *sw = NULL;
    if (rc == RP_OK)
        rc = pass1_read(&j, &sw, outs->signatures, err);
    if (rc == RP_OK && sw)
        rc = rp_sigfile_writer_commit(sw, err);
    st->sec_sign = st->sec_total = now_sec() - t0;
    fill_param_stats(&j);
    job_free(&j);
    return rc;
}

int rp_dedup_run(const char *const *inputs, size_t ninputs,
                 const rp_dedup_options *o, const rp_dedup_outputs *outs,
                 const rp_dedup_callbacks *cb, rp_dedup_stats *st,
                 rp_error *err)
{
    job j;
    int rc = job_init(&j, inputs, ninputs, o, cb, st);
    if (rc != RP_OK)
        return rc;
    double t0 = now_sec(), t;
    rp_sigfile_writer *sw = NULL;
    j.tables = 1;
    /* read; candidates, verify, cluster per level; write */
    j.pr.p.stage_count = 2 + 3 * (unsigned)(!!(o->level & RP_LEVEL_DOC) +
                                            !!(o->level & RP_LEVEL_PARA));
    if (ninputs == 1 && strcmp(inputs[0], "-") != 0 &&
        rp_is_sigfile(inputs[0])) {
        rc = pass1_load(&j, inputs[0], err);
        if (rc == RP_OK)
            rp__progress_end(&j.pr, 0);
    } else {
        rc = choose_params(&j);
        if (rc == RP_OK)
            rc = pass1_read(&j, &sw, outs->signatures, err);
        /* a date field named but in no record: --keep earliest would keep
         * the first copy while saying it keeps the earliest */
        if (rc == RP_OK && o->fields.date &&
            strcmp(o->fields.date, "-") != 0 && o->keep == RP_KEEP_EARLIEST &&
            st->records_in && !st->fields_found[2] /* RP_FIELD_DATE */)
            rc = rp__error_set(
                err, RP_EFORMAT, "", 0, 0,
                "the date field \"%s\" is in none of the %llu records, and "
                "--keep earliest keeps the copy with the earliest date: check "
                "the name (a nested field is metadata.date or "
                "/metadata/date) or keep by another rule (--keep first)",
                o->fields.date, (unsigned long long)st->records_in);
    }
    fill_param_stats(&j);
    st->sec_sign = (t = now_sec()) - t0;
    /* documents first; then paragraphs of the documents kept */
    rp_pair *pairs = NULL;
    size_t np = 0;
    if (rc == RP_OK)
        rc = rank_all(&j);
    for (int units = 0; units < 2 && rc == RP_OK; units++) {
        int on = j.o->level & (units ? RP_LEVEL_PARA : RP_LEVEL_DOC);
        uint64_t nu = units ? j.nunits : j.ndocs;
        t = now_sec();
        if (on)
            rp__progress_stage(&j.pr, units ? "para candidates"
                                            : "doc candidates",
                               RP_PROGRESS_ITEMS,
                               units ? "paragraphs" : "documents", nu);
        rc = on ? candidates(&j, units, &pairs, &np) : RP_OK;
        if (on && rc == RP_OK)
            rp__progress_end(&j.pr, nu);
        st->sec_lsh += now_sec() - t;
        t = now_sec();
        if (on && rc == RP_OK)
            rp__progress_stage(&j.pr, units ? "para verify" : "doc verify",
                               RP_PROGRESS_BYTES, NULL, j.bytes_total);
        if (rc == RP_OK)
            rc = verify_pairs(&j, pairs, on ? np : 0, units, err);
        if (on && rc == RP_OK)
            rp__progress_end(&j.pr, j.bytes_total);
        free(pairs);
        pairs = NULL;
        st->sec_verify += now_sec() - t;
        t = now_sec();
        if (on && rc == RP_OK)
            rp__progress_stage(&j.pr, units ? "para cluster" : "doc cluster",
                               RP_PROGRESS_ITEMS,
                               units ? "paragraphs" : "documents", nu);
        if (rc == RP_OK)
            rc = cluster(&j, units);
        if (on && rc == RP_OK)
            rp__progress_end(&j.pr, nu);
        st->sec_cluster += now_sec() - t;
    }
    if (rc == RP_OK)
        rc = tally(&j);
    t = now_sec();
    if (rc == RP_OK)
        rp__progress_stage(&j.pr, "write", RP_PROGRESS_BYTES, NULL,
                           outs->records ? j.bytes_total : 0);
    /* every output goes to a temporary file; all are renamed at the end */
    const char *paths[4] = {outs->log, outs->pairs, outs->clusters,
                            outs->records};
    rp_writer *w[4] = {NULL, NULL, NULL, NULL};
    for (int i = 0; i < 4 && rc == RP_OK; i++)
        if (paths[i])
            rc = rp_writer_new(&w[i], paths[i], err);
    if (rc == RP_OK && w[0])
        rc = rp__dedup_write_log(&j, w[0]);
    if (rc == RP_OK && w[1])
        rc = rp__dedup_write_pairs(&j, w[1]);
    if (rc == RP_OK && w[2])
        rc = rp__dedup_write_clusters(&j, w[2]);
    if (rc == RP_OK && w[3])
        rc = rp__dedup_write_records(&j, w[3], err);
    /* the outputs as one set: all renamed or none (a failed run leaves
     * the old records, log, pairs and .rps together) */
    rp_writer *set[5] = {w[0], w[1], w[2], w[3], NULL};
    if (sw) {
        int r2 = rp_sigfile_writer_finish(sw, &set[4]);
        sw = NULL;
        if (rc == RP_OK)
            rc = r2;
    }
    rc = rp_writer_commit_set(set, 5, rc, err);
    if (rc == RP_OK)
        rp__progress_end(&j.pr, j.pr.p.total);
    st->sec_write = now_sec() - t;
    st->sec_total = now_sec() - t0;
    job_free(&j);
    return rc;
}
