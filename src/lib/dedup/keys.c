/*
 * keys.c - the LSH band keys of dedup under --memory: held in memory up to
 * a quarter of the budget, then written as sorted runs (store/spill.c) and
 * read back band by band by the candidate stage. When everything fits,
 * nothing spills and the in-memory path runs as without a budget. Not with
 * --against, whose index lookups and update read the keys in memory.
 */
#include "job.h"

#include <stdlib.h>

int rp__dedup_keys_spill(job *j, int final, rp_error *err)
{
    if (!j->o->memory || j->o->against || !j->tables || j->no_keys)
        return RP_OK;
    uint64_t held = (uint64_t)(j->doc_keys_len + j->unit_keys_len) *
                    sizeof(uint64_t);
    int spilled = j->spill[0] || j->spill[1];
    if (final ? !spilled : held <= j->o->memory / 4)
        return RP_OK;
    for (int level = 0; level < 2; level++) {
        uint32_t bands = level ? j->pl.bands : j->dl.bands;
        size_t upto = level ? j->nunits : j->ndocs;
        size_t n = upto - j->key_base[level];
        if (bands == 0)
            continue;
        int rc = RP_OK;
        if (!j->spill[level])
            rc = rp__spill_new(&j->spill[level], j->o->tmp_dir, bands, err);
        if (rc == RP_OK && n)
            rc = rp__spill_write(j->spill[level], j->key_base[level],
                                 level ? j->unit_keys : j->doc_keys, n, err);
        if (rc != RP_OK)
            return rc;
        j->key_base[level] = upto;
        *(level ? &j->unit_keys_len : &j->doc_keys_len) = 0;
    }
    j->st->spill_runs = rp__spill_runs(j->spill[0]) +
                        rp__spill_runs(j->spill[1]);
    j->st->spill_bytes = rp__spill_bytes(j->spill[0]) +
                         rp__spill_bytes(j->spill[1]);
    if (final) {
        free(j->doc_keys);
        free(j->unit_keys);
        j->doc_keys = j->unit_keys = NULL;
        j->doc_keys_cap = j->unit_keys_cap = 0;
    }
    return RP_OK;
}

static int src_open(void *ctx, uint32_t band, void **cur)
{
    return rp__spill_open(ctx, band, (rp_spill_cursor **)cur);
}

static int src_next(void *cur, uint64_t *key, uint64_t *unit)
{
    return rp__spill_next(cur, key, unit);
}

static void src_close(void *cur)
{
    rp__spill_close(cur);
}

void rp__dedup_keys_source(job *j, int units, rp_lsh_source *src)
{
    src->ctx = j->spill[units];
    src->open = src_open;
    src->next = src_next;
    src->close = src_close;
}
