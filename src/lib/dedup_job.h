/*
 * dedup_job.h - the dedup job's tables, shared by dedup.c (passes, LSH,
 * verification, clustering) and dedup_report.c (log, pairs, clusters, kept
 * records). Library-internal.
 */
#ifndef RP_LIB_DEDUP_JOB_H
#define RP_LIB_DEDUP_JOB_H

#include "reprint/sys/cluster.h"
#include "reprint/dedup.h"
#include "reprint/sys/fingerprint.h" /* rp_para_fp */
#include "reprint/sys/lsh.h"

#include "../util/buf.h"
#include "progress.h"

typedef struct doc {
    uint32_t file;
    uint64_t line;
    uint64_t offset;
    rp_date date;
    uint32_t text_len;
    uint32_t ntokens;
    uint64_t content;            /* equal: equal shingle sets */
    uint32_t tok_begin, tok_end; /* byte span of all tokens */
    uint32_t id_off, id_len;
    uint32_t para_first, npara;
    uint32_t unit_first, nunits;
} doc;

/*
 * What verification needs of one document, for one level at a time: for
 * documents, the shingle set and the document signature; for paragraphs,
 * the sets and signatures of the units that are in a pair to verify (NULL
 * for the others). Both keep the shingle sequence and token spans, for the
 * shared byte ranges.
 */
typedef struct detail {
    uint64_t *seq;     /* shingles in text order */
    uint64_t *set;     /* sorted, unique (document level) */
    uint32_t nseq, nset;
    uint32_t *tok;     /* ntok pairs: start, end byte */
    uint32_t ntok;
    uint32_t *sig;     /* document signature (document level) */
    uint64_t **unit_set;   /* paragraph level, per unit */
    uint32_t *unit_nset;
    uint32_t **unit_sig;
    uint32_t text_len;
} detail;

typedef struct verified {
    uint32_t a, b;       /* unit numbers (documents or paragraph units) */
    double jaccard;      /* exact, or -1 when not verified */
    double estimate;
    uint32_t a_span[2], b_span[2]; /* shared bytes in each text */
} verified;

typedef struct job {
    const rp_dedup_options *o;
    rp_sign_options sign;
    rp_fields fields;
    const rp_dedup_callbacks *cb;
    rp__progress pr; /* opts->progress, stage by stage */
    uint64_t bytes_total; /* input bytes on disk, for progress */
    rp_dedup_stats *st;
    /* inputs as given to the reader */
    const char *const *paths;
    const char *const *names;
    size_t npaths;
    char **owned_paths; /* when loaded from a .rps */
    char **fnames;      /* expanded input file names, for reports */
    size_t nfnames;
    int tables;     /* pass 1 fills the tables below (dedup, not sign) */
    int write_sigs; /* pass 1 writes a .rps */
    /* tables */
    doc *docs;
    size_t ndocs, docs_cap;
    rp_buf ids;
    rp_para_fp *paras;
    size_t nparas, paras_cap;
    uint32_t *unit_para, *unit_doc;
    size_t nunits, unit_cap, unit_doc_cap;
    uint64_t *doc_keys, *unit_keys;
    size_t doc_keys_len, doc_keys_cap, unit_keys_len, unit_keys_cap;
    rp_lsh_params dl, pl;
    /* pass 2: one level at a time */
    detail **details;
    int detail_units;          /* the level they are for */
    const uint8_t *unit_need;  /* paragraph level: units in a pair */
    verified *dpairs, *ppairs;
    size_t ndp, npp;
    /* decisions */
    uint32_t *doc_leader, *unit_leader;
    double *doc_sim, *unit_sim;
    uint8_t *emptied;
    uint32_t *doc_rank, *unit_rank;
    double pthreshold;
} job;

/*
 * Walk the inputs again, calling fn for every unit that is document d (in
 * input order); bad records are passed over by their (file, line).
 */
typedef int (*rp__doc_fn)(job *j, void *ctx, uint32_t d, const rp_unit *u,
                          rp_reader *r);
int rp__dedup_reread(job *j, rp__doc_fn fn, void *ctx, rp_error *err);

/* The similarity that decides an edge: exact, or the estimate. */
double rp__dedup_edge_sim(const job *j, const verified *v);

/* Reports (dedup_report.c). Each writes all its lines to w. */
int rp__dedup_write_log(job *j, rp_writer *w);
int rp__dedup_write_pairs(job *j, rp_writer *w);
int rp__dedup_write_clusters(job *j, rp_writer *w);
int rp__dedup_write_records(job *j, rp_writer *w, rp_error *err);

#endif
