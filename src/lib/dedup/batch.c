/*
 * batch.c - batches of raw units and the workers that parse and
 * fingerprint them (batch.h).
 */
#include "batch.h"

#include "../common/error.h"
#include "../../util/buf.h"

#include <stdlib.h>
#include <string.h>

void rp__workers_free(worker *w, size_t n)
{
    if (!w)
        return;
    for (size_t i = 0; i < n; i++) {
        rp_parser_free(w[i].parser);
        rp_signer_free(w[i].signer);
    }
    free(w);
}

int rp__workers_new(worker **out, size_t n, const rp_sign_options *so,
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
            rp__workers_free(w, n);
            return rc;
        }
    }
    *out = w;
    return RP_OK;
}

void rp__item_clear(item *it)
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

/* an item for unit units.u[i] */
static int push_item(batch *b, size_t i)
{
    const rp__unit_ref *r = &b->units.u[i];
    item it;
    memset(&it, 0, sizeof it);
    it.file = r->file;
    it.line = r->line;
    it.offset = r->offset;
    it.read_error = r->read_error;
    it.rc = r->rc;
    it.err = r->err;
    return RP_VEC_PUSH(b->items, b->n, b->cap, it) ? RP_ENOMEM : RP_OK;
}

int rp__batch_add(batch *b, const rp_unit *u)
{
    RP_TRY(rp__units_add(&b->units, u));
    return push_item(b, b->units.n - 1);
}

/* after pass 1 the names are kept in the job: the reader may be gone */
const char *rp__batch_file_name(const batch *b, uint32_t file)
{
    if (file < b->j->nfnames)
        return b->j->fnames[file];
    return b->reader ? rp_reader_file_name(b->reader, file) : "";
}

int rp__parse_and_sign(batch *b, item *it, worker *w, rp_record *rec,
                          rp_fingerprint *fp)
{
    rp_unit u;
    rp__units_get(&b->units, (size_t)(it - b->items), &u);
    const char *fname = rp__batch_file_name(b, it->file);
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

/* Read units into b until it is full or the input ends (*eof = 1). A
 * reader error becomes an item of its own, so reports keep input order. */
int rp__batch_fill(batch *b, int *eof)
{
    size_t from = b->units.n;
    RP_TRY(rp__units_fill(&b->units, b->reader, eof));
    for (size_t i = from; i < b->units.n; i++)
        RP_TRY(push_item(b, i));
    return RP_OK;
}

void rp__batch_reset(batch *b)
{
    b->n = 0;
    rp__units_reset(&b->units);
}

void rp__batch_dispose(batch *b)
{
    for (size_t i = 0; i < b->n; i++)
        rp__item_clear(&b->items[i]);
    free(b->items);
    rp__units_dispose(&b->units);
}

void rp__dedup_report_progress(job *j, const char *stage, rp_reader *r)
{
    if (j->cb && j->cb->progress)
        j->cb->progress(j->cb->ctx, stage, rp_reader_disk_bytes(r),
                        rp_reader_total_bytes(r));
}

