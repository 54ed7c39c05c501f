/*
 * pass1.c - pass 1 of the dedup job: read and fingerprint every record on
 * the workers, file documents, paragraphs and band keys into the tables in
 * input order (and into a .rps); or load them from a .rps.
 */
#include "batch.h"

#include "reprint/sys/sigfile.h"

#include "../common/error.h"
#include "../io/reader.h"
#include "../../util/buf.h"
#include "../../util/hash.h"
#include "../../util/parallel.h"
#include "../../util/str.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
    it->rc = rp__parse_and_sign(b, it, &b->workers[wid], &rec, &fp);
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

/* See job.h: each field as a 32-bit word (the content as two), so padding
 * and the struct's layout play no part. */
uint64_t rp__dedup_paras_hash(const rp_para_fp *p, size_t n)
{
    uint32_t w[13 * 32];
    uint64_t h = n;
    for (size_t i = 0; i < n; i += 32) {
        size_t m = n - i < 32 ? n - i : 32, k = 0;
        for (size_t q = i; q < i + m; q++) {
            const rp_para_fp *x = &p[q];
            w[k++] = x->span.offset;
            w[k++] = x->span.len;
            w[k++] = x->span.cut_offset;
            w[k++] = x->span.cut_len;
            w[k++] = x->first_token;
            w[k++] = x->ntokens;
            w[k++] = x->first_shingle;
            w[k++] = x->nshingles;
            w[k++] = x->unit;
            w[k++] = x->tok_begin;
            w[k++] = x->tok_end;
            w[k++] = (uint32_t)x->content;
            w[k++] = (uint32_t)(x->content >> 32);
        }
        h = rp_hash64(w, k * sizeof *w, h);
    }
    return h;
}

/* Make room for document d at the end of the tables and say where. */
static int reserve_doc(job *j, const rp_sigfile_doc *d, slot *s)
{
    size_t nd = j->no_keys ? 0 : j->dl.bands,
           nu = j->no_keys ? 0 : (size_t)d->nunits * j->pl.bands;
    if (j->ids.len + d->id_len >= UINT32_MAX ||
        j->nunits + d->nunits >= RP_INDEXED || j->ndocs + 1 >= RP_INDEXED)
        return RP_ETOOBIG; /* document and unit numbers are 32-bit */
    if (rp_vec_grow((void **)&j->docs, &j->docs_cap, j->ndocs + 1,
                    sizeof *j->docs) ||
        rp_vec_grow((void **)&j->unit_rows, &j->unit_rows_cap,
                    j->nunits + d->nunits, sizeof *j->unit_rows) ||
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
    x->npara = d->npara;
    x->paras_hash = rp__dedup_paras_hash(d->paras, d->npara);
    x->unit_first = (uint32_t)s->unit;
    x->nunits = d->nunits;
    if (d->id_len)
        memcpy(j->ids.data + s->id, d->id, d->id_len);
    size_t u = s->unit;
    for (uint32_t p = 0; p < d->npara && u < s->unit + d->nunits; p++) {
        const rp_para_fp *pf = &d->paras[p];
        if (!pf->unit)
            continue;
        unit_row *r = &j->unit_rows[u];
        r->content = pf->content;
        r->tok_begin = pf->tok_begin;
        r->tok_end = pf->tok_end;
        r->cut_offset = pf->span.cut_offset;
        r->cut_len = pf->span.cut_len;
        j->unit_doc[u] = (uint32_t)s->doc;
        j->unit_para[u++] = p;
    }
    size_t nd = j->no_keys ? 0 : j->dl.bands,
           nu = j->no_keys ? 0 : (size_t)d->nunits * j->pl.bands;
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

int rp__dedup_keep_file_names(job *j, uint32_t n, const char *(*get)(const void *,
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
        rp__item_clear(&b->items[i]);
    rp__batch_reset(b);
    if (rc == RP_OK) /* --memory: keys over budget go to a sorted run */
        rc = rp__dedup_keys_spill(j, 0, err);
    return rc;
}

/*
 * Pass 1, pipelined over three batches: while the workers fingerprint one,
 * this thread files the one before (tables, .rps) and reads the one after.
 * With one thread everything runs here, in turn.
 */
int rp__dedup_pass1_read(job *j, rp_sigfile_writer **swp, const char *sig_out,
                      rp_error *err)
{
    batch bb[3];
    memset(bb, 0, sizeof bb);
    rp_reader *reader = NULL;
    worker *workers = NULL;
    size_t nw = j->o->threads ? j->o->threads : 1;
    int rc = rp_reader_new(&reader, j->paths, j->names, j->npaths,
                           &j->o->reader, err);
    if (rc == RP_OK)
        rc = rp__reader_shard(reader, j->o->shard, j->o->shards, err);
    if (rc == RP_OK) {
        j->bytes_total = rp_reader_total_bytes(reader);
        rp__progress_stage(&j->pr, "read", RP_PROGRESS_BYTES, NULL,
                           j->bytes_total);
    }
    if (rc == RP_OK)
        rc = rp__workers_new(&workers, nw, &j->sign, &j->fields);
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
        rc = rp__batch_fill(&bb[cur], &eof);
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
            rc = rp__batch_fill(&bb[nxt], &eof);
        rp_parallel_wait(par);
        rp__dedup_report_progress(j, "sign", reader);
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
            rc = rp__dedup_keep_file_names(j, rp_reader_file_count(reader),
                                 reader_name, reader);
    }
    for (int i = 0; i < 3; i++)
        rp__batch_dispose(&bb[i]);
    rp__workers_free(workers, nw);
    rp_reader_free(reader);
    if (rc != RP_OK) {
        rp_sigfile_writer_abort(sw);
        sw = NULL;
    }
    *swp = sw;
    return rc;
}

/* The first .rps sets the options and fields; the others must agree. */
static int load_options(job *j, rp_sigfile_reader *r, const char *path,
                        int first, rp_error *err)
{
    const rp_sign_options *so = rp_sigfile_options(r);
    const rp_fields *f = rp_sigfile_fields(r);
    const char *fs[5] = {f->text, f->id, f->date, f->source, f->url};
    if (first) {
        j->sign = *so;
        char **own[5] = {(char **)&j->fields.text, (char **)&j->fields.id,
                         (char **)&j->fields.date, (char **)&j->fields.source,
                         (char **)&j->fields.url};
        memset(&j->fields, 0, sizeof j->fields);
        j->fields.author = j->fields.title = "-"; /* as job_init */
        j->owns_fields = 1;
        for (int i = 0; i < 5; i++)
            if (fs[i] && !(*own[i] = rp_str_dup(fs[i])))
                return RP_ENOMEM;
        return rp__dedup_choose_params(j);
    }
    const rp_fields *g = &j->fields;
    if (so->shingle != j->sign.shingle || so->char_mode != j->sign.char_mode ||
        so->num_perm != j->sign.num_perm ||
        so->min_para_tokens != j->sign.min_para_tokens ||
        so->seed != j->sign.seed || so->paragraphs != j->sign.paragraphs ||
        !rp_str_same(fs[0], g->text) || !rp_str_same(fs[1], g->id) ||
        !rp_str_same(fs[2], g->date) || !rp_str_same(fs[3], g->source) ||
        !rp_str_same(fs[4], g->url))
        return rp__error_set(err, RP_EMISMATCH, path, 0, 0,
                             "signed with other fingerprint options or "
                             "fields than the first signature file: sign "
                             "every shard with the same options");
    return RP_OK;
}

/* The files one .rps recorded join the job's, checked for changes. */
static int load_files(job *j, rp_sigfile_reader *r, const char *path,
                      rp_error *err)
{
    uint32_t nf = rp_sigfile_file_count(r);
    size_t total = j->npaths + nf;
    char **op = realloc(j->owned_paths, (total + 1) * sizeof *op);
    if (op)
        j->owned_paths = op;
    char **fn = realloc(j->fnames, (total + 1) * sizeof *fn);
    if (fn)
        j->fnames = fn;
    if (!op || !fn)
        return RP_ENOMEM;
    for (uint32_t i = 0; i < nf; i++) {
        const char *name = rp_sigfile_file_name(r, i);
        /* an input changed since signing would not match its records */
        uint64_t want = rp_sigfile_file_size(r, i);
        struct stat fst;
        if (want && stat(name, &fst) == 0 && (uint64_t)fst.st_size != want)
            return rp__error_set(err, RP_EMISMATCH, name, 0, 0,
                                 "changed since it was signed into %s (%llu "
                                 "bytes, signed at %llu): sign it again",
                                 path, (unsigned long long)fst.st_size,
                                 (unsigned long long)want);
        j->bytes_total += want;
        char *a = rp_str_dup(name), *b = rp_str_dup(name);
        if (!a || !b) {
            free(a);
            free(b);
            return RP_ENOMEM;
        }
        j->owned_paths[j->npaths++] = a;
        j->fnames[j->nfnames++] = b;
    }
    j->paths = (const char *const *)j->owned_paths;
    j->names = NULL;
    return RP_OK;
}

/* One .rps's documents into the tables; its files start at file_base. */
static int load_docs(job *j, rp_sigfile_reader *r, uint32_t file_base,
                     rp_error *err)
{
    uint64_t *keys = NULL;
    size_t keys_cap = 0;
    int rc = RP_OK;
    while (rc == RP_OK) {
        rp_sigfile_doc d;
        int r2 = rp_sigfile_reader_next(r, &d, err);
        if (r2 == RP_DONE)
            break;
        if (r2 != RP_OK) {
            rc = r2;
            break;
        }
        d.file += file_base;
        if (j->no_keys) { /* the keys are made on the rank that signed */
            rc = append_doc(j, &d, NULL);
            continue;
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
        if (rc == RP_OK)
            rc = rp__dedup_keys_spill(j, 0, err);
    }
    free(keys);
    return rc;
}

/*
 * Load pass 1 from .rps files instead of reading the records: their
 * documents in the order given (shards of `reprint sign --shard I/N`, in
 * shard order, give the documents of the whole input in input order).
 */
int rp__dedup_pass1_load(job *j, const char *const *paths, size_t n,
                         rp_error *err)
{
    uint64_t size = 0;
    for (size_t k = 0; k < n; k++) {
        struct stat rst;
        size += stat(paths[k], &rst) == 0 ? (uint64_t)rst.st_size : 0;
    }
    rp__progress_stage(&j->pr, "read", RP_PROGRESS_BYTES, NULL, size);
    j->npaths = 0; /* the inputs are now the files the .rps recorded */
    j->load_doc_at = calloc(n + 1, sizeof *j->load_doc_at);
    j->load_unit_at = calloc(n + 1, sizeof *j->load_unit_at);
    if (!j->load_doc_at || !j->load_unit_at)
        return RP_ENOMEM;
    j->nload = n;
    int rc = RP_OK;
    for (size_t k = 0; k < n && rc == RP_OK; k++) {
        j->load_doc_at[k] = j->ndocs;
        j->load_unit_at[k] = j->nunits;
        rp_sigfile_reader *r = NULL;
        rc = rp_sigfile_reader_new(&r, paths[k], err);
        if (rc != RP_OK)
            break;
        uint32_t base = (uint32_t)j->npaths;
        rc = load_options(j, r, paths[k], k == 0, err);
        if (rc == RP_OK)
            rc = load_files(j, r, paths[k], err);
        if (rc == RP_OK)
            rc = load_docs(j, r, base, err);
        rp_sigfile_reader_free(r);
    }
    j->load_doc_at[n] = j->ndocs;
    j->load_unit_at[n] = j->nunits;
    return rc;
}

