/*
 * dedup.c - the dedup job (pipeline in reprint/dedup.h): options, the job
 * and its stages in order (job.h names the file of each).
 *
 * In-memory tables, all indexed in input order:
 *
 *   docs[d]       file, line, offset, date, text length, id, its range
 *                 of units and a hash of its paragraph table
 *   unit_rows[u]  paragraph unit u's content hash, token and cut spans;
 *                 unit_para[u] its paragraph's number in its document,
 *                 unit_doc[u] the document
 *   doc_keys      ndocs  x doc_bands   LSH band keys
 *   unit_keys     nunits x para_bands  LSH band keys; under --memory,
 *                 once they pass a quarter of it, sorted runs on disk
 *                 (keys.c)
 *   details[d]    pass 2 only, for documents in a pair to verify, one
 *                 level at a time: shingle sequence, token spans, and the
 *                 set and signature of the document or of its units
 *
 * Records are re-read in passes 2 and 3; a reader unit belongs to document
 * d when its (file, line) is the next expected one, so bad records skipped
 * in pass 1 are skipped again without parsing.
 */
#include "job.h"

#include "reprint/sys/sigfile.h"

#include "../common/error.h"
#include "../../util/buf.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static double now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ---- the job ----------------------------------------------------------------- */

size_t rp__dedup_stats_size(unsigned version)
{
    return version == 1   ? offsetof(rp_dedup_stats, index_candidates)
           : version == 2 ? offsetof(rp_dedup_stats, spill_runs)
           : version == 3 ? offsetof(rp_dedup_stats, verify_blocks)
           : version == 4 ? offsetof(rp_dedup_stats, exchanged_bytes)
                          : sizeof(rp_dedup_stats);
}

static void job_free(job *j)
{
    /* the caller's stats are as long as its version says */
    unsigned v = j->caller_st->version;
    memcpy(j->caller_st, &j->stats, rp__dedup_stats_size(v));
    j->caller_st->version = v;
    rp__against_free(j);
    rp__spill_free(j->spill[0]);
    rp__spill_free(j->spill[1]);
    free(j->load_doc_at);
    free(j->load_unit_at);
    if (j->details)
        for (size_t d = 0; d < j->ndocs; d++)
            free(j->details[d]);
    free(j->details);
    free(j->docs);
    rp_buf_dispose(&j->ids);
    free(j->unit_rows);
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
    }
    if (j->owns_fields) {
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
    if (!out || version < 1 || version > RP_DEDUP_OPTIONS_VERSION)
        return RP_EINVAL;
    out->version = version; /* its layout: options.c */
    rp__dedup_options_write(out, &defaults);
    return RP_OK;
}

static int job_init(job *j, const char *const *inputs, size_t ninputs,
                    const rp_dedup_options *o, const rp_dedup_callbacks *cb,
                    rp_dedup_stats *st)
{
    memset(j, 0, sizeof *j);
    if (!st || st->version < 1 || st->version > RP_DEDUP_STATS_VERSION)
        return RP_EINVAL;
    j->caller_st = st;
    j->stats.version = st->version;
    /* the caller's options are as long, and laid out, as its version
       says (options.c) */
    if (rp__dedup_options_read(&j->opts, o) != RP_OK || ninputs == 0)
        return RP_EINVAL;
    o = j->o = &j->opts;
    if (!(o->threshold > 0 && o->threshold <= 1) || o->para_threshold < 0 ||
        o->para_threshold > 1 || o->level < 1 || o->level > 3 || o->keep > 2)
        return RP_EINVAL;
    if ((o->update && !o->against) ||
        (o->shards > 1 && o->shard >= o->shards))
        return RP_EINVAL;
    j->cb = cb;
    rp__progress_init(&j->pr, o->progress, o->progress_ctx, 0);
    j->st = &j->stats;
    j->sign = o->sign;
    j->fields = o->fields;
    /* dedup reads neither the author nor the title: a record is not bad
       for a duplicate or invalid one */
    j->fields.author = j->fields.title = "-";
    j->paths = inputs;
    j->names = o->names;
    j->npaths = ninputs;
    j->pthreshold = o->para_threshold > 0 ? o->para_threshold : o->threshold;
    return RP_OK;
}

/* Band keys are kept only for the levels being deduplicated. */
int rp__dedup_choose_params(job *j)
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
        j->unit_rows_cap * sizeof *j->unit_rows +
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
    o = j.o;
    st = j.st;
    double t0 = now_sec();
    j.pr.p.stage_count = 1; /* read */
    rc = rp__dedup_choose_params(&j);
    rp_sigfile_writer *sw = NULL;
    if (rc == RP_OK)
        rc = rp__dedup_pass1_read(&j, &sw, outs->signatures, err);
    if (rc == RP_OK && sw)
        rc = rp_sigfile_writer_commit(sw, err);
    st->sec_sign = st->sec_total = now_sec() - t0;
    fill_param_stats(&j);
    job_free(&j);
    return rc;
}

/* A shard's job and the stats its job_init wants. */
typedef struct shard_job {
    job j;
    rp_dedup_stats st;
} shard_job;

int rp__dedup_shard_open(job **out, const char *rps, const rp_dedup_options *o,
                         rp_error *err)
{
    *out = NULL;
    shard_job *s = calloc(1, sizeof *s);
    if (!s)
        return RP_ENOMEM;
    s->st.version = RP_DEDUP_STATS_VERSION;
    rp_dedup_options mine = *o;
    mine.progress = NULL;
    mine.progress_ctx = NULL;
    mine.reader.skipped = NULL;
    int rc = job_init(&s->j, &rps, 1, &mine, NULL, &s->st);
    if (rc != RP_OK) {
        free(s);
        return rc;
    }
    s->j.tables = 1;
    s->j.no_keys = 1;
    rc = rp__dedup_pass1_load(&s->j, &rps, 1, err);
    if (rc != RP_OK) {
        job_free(&s->j);
        free(s);
        return rc;
    }
    *out = &s->j;
    return RP_OK;
}

void rp__dedup_shard_close(job *j)
{
    if (!j)
        return;
    job_free(j);
    free((shard_job *)j); /* j is the first member */
}

int rp_dedup_run(const char *const *inputs, size_t ninputs,
                 const rp_dedup_options *o, const rp_dedup_outputs *outs,
                 const rp_dedup_callbacks *cb, rp_dedup_stats *st,
                 rp_error *err)
{
    return rp__dedup_run_remote(inputs, ninputs, o, outs, cb, st, err, NULL);
}

int rp__dedup_run_remote(const char *const *inputs, size_t ninputs,
                         const rp_dedup_options *o,
                         const rp_dedup_outputs *outs,
                         const rp_dedup_callbacks *cb, rp_dedup_stats *st,
                         rp_error *err, rp__ranks *remote)
{
    job j;
    int rc = job_init(&j, inputs, ninputs, o, cb, st);
    if (rc != RP_OK)
        return rc;
    o = j.o;
    j.remote = o->against ? NULL : remote;
    st = j.st;
    if (o->shards > 1) { /* a run over shards is over their .rps files */
        job_free(&j);
        return RP_EINVAL;
    }
    double t0 = now_sec(), t;
    rp_sigfile_writer *sw = NULL;
    j.tables = 1;
    /* read; candidates, verify, cluster per level; write */
    j.pr.p.stage_count = 2 + 3 * (unsigned)(!!(o->level & RP_LEVEL_DOC) +
                                            !!(o->level & RP_LEVEL_PARA));
    size_t nsig = 0;
    for (size_t i = 0; i < ninputs; i++)
        nsig += strcmp(inputs[i], "-") != 0 && rp_is_sigfile(inputs[i]);
    if (nsig < ninputs) /* the ranks' keys come from their .rps */
        j.remote = NULL;
    j.no_keys = j.remote != NULL;
    if (nsig && nsig < ninputs) {
        rc = rp__error_set(err, RP_EINVAL, "", 0, 0,
                           "give either records or .rps signature files, "
                           "not both");
    } else if (nsig) {
        rc = rp__dedup_pass1_load(&j, inputs, ninputs, err);
        if (rc == RP_OK)
            rp__progress_end(&j.pr, 0);
    } else {
        rc = rp__dedup_choose_params(&j);
        if (rc == RP_OK)
            rc = rp__dedup_pass1_read(&j, &sw, outs->signatures, err);
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
    if (rc == RP_OK) /* the last keys join the runs, if any were written */
        rc = rp__dedup_keys_spill(&j, 1, err);
    st->sec_sign = (t = now_sec()) - t0;
    /* documents first; then paragraphs of the documents kept */
    rp_pair *pairs = NULL;
    size_t np = 0;
    if (rc == RP_OK)
        rc = rp__against_open(&j, err);
    if (rc == RP_OK)
        rc = rp__dedup_rank(&j);
    for (int units = 0; units < 2 && rc == RP_OK; units++) {
        int on = j.o->level & (units ? RP_LEVEL_PARA : RP_LEVEL_DOC);
        uint64_t nu = units ? j.nunits : j.ndocs;
        t = now_sec();
        if (on)
            rp__progress_stage(&j.pr, units ? "para candidates"
                                            : "doc candidates",
                               RP_PROGRESS_ITEMS,
                               units ? "paragraphs" : "documents", nu);
        rc = on ? rp__dedup_candidates(&j, units, &pairs, &np, err) : RP_OK;
        if (rc == RP_OK) /* none for a level that is off */
            rc = rp__against_candidates(&j, on ? units : -1, err);
        if (on && rc == RP_OK)
            rp__progress_end(&j.pr, nu);
        st->sec_lsh += now_sec() - t;
        t = now_sec();
        if (on && rc == RP_OK)
            rp__progress_stage(&j.pr, units ? "para verify" : "doc verify",
                               RP_PROGRESS_BYTES, NULL, j.bytes_total);
        if (rc == RP_OK)
            rc = rp__dedup_verify(&j, pairs, on ? np : 0, units, err);
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
            rc = rp__dedup_cluster(&j, units);
        if (on && rc == RP_OK)
            rp__progress_end(&j.pr, nu);
        st->sec_cluster += now_sec() - t;
    }
    if (rc == RP_OK)
        rc = rp__dedup_tally(&j);
    if (rc == RP_OK)
        rc = rp__against_update(&j, err);
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
        rc = j.remote ? rp__dist_write_records(&j, w[3], err)
                      : rp__dedup_write_records(&j, w[3], err);
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
    /* the index after the outputs: a failure between the two leaves the
     * index as it was, and running the batch again gives the same result
     * (the other order could record units whose outputs were lost) */
    if (rc == RP_OK)
        rc = rp__against_commit(&j, err);
    if (rc == RP_OK)
        rp__progress_end(&j.pr, j.pr.p.total);
    st->sec_write = now_sec() - t;
    st->sec_total = now_sec() - t0;
    job_free(&j);
    return rc;
}

