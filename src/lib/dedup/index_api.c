/*
 * index_api.c - the public rp_index_* functions (reprint/index.h): an
 * index made for dedup's parameters, read back as options, checked and
 * copied.
 */
#include "job.h"

#include "reprint/index.h"

#include "../common/error.h"
#include "../store/index.h"

#include <string.h>

int rp_index_create(const char *path, const rp_dedup_options *o,
                    rp_error *err)
{
    job j;
    memset(&j, 0, sizeof j);
    if (!path || rp__dedup_options_read(&j.opts, o) != RP_OK)
        return RP_EINVAL;
    o = j.o = &j.opts;
    j.sign = o->sign;
    j.pthreshold = o->para_threshold > 0 ? o->para_threshold : o->threshold;
    if (!(o->threshold > 0 && o->threshold <= 1) || o->level < 1 ||
        o->level > 3 || o->sign.num_perm == 0 || o->sign.shingle == 0)
        return RP_EINVAL;
    RP_TRY(rp__dedup_choose_params(&j));
    rp_ix_params p;
    rp__against_params(&j, &p);
    return rp__ix_create(path, &p, err);
}

static void fill_info(rp_index_info *out, const rp_ix *ix)
{
    const rp_ix_params *p = rp__ix_params(ix);
    const rp_ix_state *s = rp__ix_state(ix);
    out->generation = s->generation;
    out->docs = s->count[0];
    out->paras = s->count[1];
    out->disk_bytes = rp__ix_disk_bytes(ix);
    out->newest = s->newest_day == RP_IX_NO_DAY ? INT64_MIN : s->newest_day;
    out->window_days = s->window_days > 0 ? (uint32_t)s->window_days : 0;
    out->sign = p->sign;
    out->threshold = p->threshold[0];
    out->para_threshold = p->threshold[1];
    out->verify = p->verify;
    out->level = (p->bands[0] ? RP_LEVEL_DOC : 0) |
                 (p->bands[1] ? RP_LEVEL_PARA : 0);
    out->doc_bands = p->bands[0];
    out->doc_rows = p->rows[0];
    out->para_bands = p->bands[1];
    out->para_rows = p->rows[1];
}

int rp_index_info_read(const char *path, int check, rp_index_info *out,
                       rp_error *err)
{
    if (!path || !out || out->version != RP_INDEX_INFO_VERSION)
        return RP_EINVAL;
    rp_ix *ix;
    RP_TRY(rp__ix_open(&ix, path, 0, err));
    memset(out, 0, sizeof *out);
    out->version = RP_INDEX_INFO_VERSION;
    fill_info(out, ix);
    int rc = check ? rp__ix_check(ix, &out->checked, err) : RP_OK;
    rp__ix_close(ix);
    return rc;
}

int rp_index_options(const char *path, rp_dedup_options *o, rp_error *err)
{
    rp_dedup_options cur;
    if (!path || rp__dedup_options_read(&cur, o) != RP_OK)
        return RP_EINVAL;
    rp_index_info in = RP_INDEX_INFO_INIT;
    RP_TRY(rp_index_info_read(path, 0, &in, err));
    cur.sign = in.sign;
    cur.threshold = in.threshold;
    cur.para_threshold = in.para_threshold;
    cur.verify = in.verify;
    cur.level = in.level;
    rp__dedup_options_write(o, &cur); /* in the caller's layout */
    return RP_OK;
}

int rp_index_compact(const char *path, uint64_t *dropped, rp_error *err)
{
    if (!path || !dropped)
        return RP_EINVAL;
    rp_ix *ix;
    RP_TRY(rp__ix_open(&ix, path, 1, err));
    const rp_ix_state *s = rp__ix_state(ix);
    int32_t cutoff = INT32_MIN;
    if (s->window_days > 0 && s->newest_day != RP_IX_NO_DAY &&
        (int64_t)s->newest_day - s->window_days > INT32_MIN)
        cutoff = s->newest_day - s->window_days;
    int rc = rp__ix_compact(ix, cutoff, dropped, err);
    rp__ix_close(ix);
    return rc;
}
