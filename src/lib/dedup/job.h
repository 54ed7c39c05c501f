/*
 * job.h - the dedup job's tables, shared by its stages, in the order they
 * run: pass1.c (read and sign, or load a .rps, into the tables),
 * candidates.c (keep order, LSH), pass2.c (read candidates again, verify),
 * decide.c (leaders, counts), report.c (log, pairs, clusters, kept
 * records); dedup.c runs them. Library-internal.
 */
#ifndef RP_LIB_DEDUP_JOB_H
#define RP_LIB_DEDUP_JOB_H

#include "reprint/sys/cluster.h"
#include "reprint/dedup.h"
#include "reprint/sys/fingerprint.h" /* rp_para_fp */
#include "reprint/sys/lsh.h"
#include "reprint/sys/sigfile.h"
#include "options.h" /* rp__dedup_options_read */

#include "../../util/buf.h"
#include "../common/progress.h"
#include "../store/spill.h"

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
    uint32_t npara;
    uint32_t unit_first, nunits;
    uint64_t paras_hash; /* rp__dedup_paras_hash of its paragraphs: the
                            check of a record read again */
} doc;

/*
 * What the later stages need of a paragraph unit, without reading its
 * record again: equal content hashes (exact copies) decide a pair alone,
 * with the bytes of its tokens as the shared span; the cut span is what
 * writing removes; its paragraph's number names it in the log. Paragraphs
 * that are not units are not kept at all (24 + 4 bytes a unit, where a
 * paragraph's rp_para_fp was 56 and every paragraph had one).
 */
typedef struct unit_row {
    uint64_t content;            /* XXH3-64 of its shingle sequence */
    uint32_t tok_begin, tok_end; /* its tokens' bytes */
    uint32_t cut_offset, cut_len;
} unit_row;

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
    uint32_t *unit_seq;    /* per unit: its first shingle in seq, count */
    uint32_t **unit_sig;
    uint32_t text_len;
} detail;

/* What rp__dedup_load_details keeps of each document read again. */
#define RP_DETAIL_DOC 1   /* the document's set and signature */
#define RP_DETAIL_UNITS 2 /* those of the units marked in unit_need */

/* A unit's leader when an indexed unit is its kept copy (--against). */
#define RP_INDEXED (UINT32_MAX - 1)

/* A unit of this run that matched an indexed unit: the best match. */
typedef struct ix_match {
    uint32_t unit;       /* document or paragraph unit number */
    uint32_t para;       /* the indexed unit's paragraph number */
    uint64_t entry;      /* its entry number in the index */
    double jaccard, estimate;
    uint32_t span[2];    /* shared bytes in this run's text */
    uint64_t line;       /* the indexed record's line in its file */
    rp_date date;
    size_t id_off, file_off; /* in job.ixstr */
    uint32_t id_len, file_len;
} ix_match;

/* A unit of this run and an indexed entry sharing a band key. */
typedef struct ix_cand {
    uint32_t unit;
    uint64_t entry;
} ix_cand;

typedef struct verified {
    uint32_t a, b;       /* unit numbers (documents or paragraph units) */
    double jaccard;      /* exact, or -1 when not verified */
    double estimate;
    uint32_t a_span[2], b_span[2]; /* shared bytes in each text */
} verified;

typedef struct job {
    const rp_dedup_options *o; /* &opts */
    rp_dedup_options opts;     /* the caller's, at this version */
    rp_dedup_stats stats;      /* filled; copied to the caller's at the end */
    rp_dedup_stats *caller_st;
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
    char **owned_paths; /* when loaded from .rps files */
    int owns_fields;    /* fields' names copied from a .rps */
    char **fnames;      /* expanded input file names, for reports */
    size_t nfnames;
    int tables;     /* pass 1 fills the tables below (dedup, not sign) */
    int write_sigs; /* pass 1 writes a .rps */
    /* tables */
    doc *docs;
    size_t ndocs, docs_cap;
    rp_buf ids;
    unit_row *unit_rows;
    uint32_t *unit_para, *unit_doc; /* paragraph number in its document,
                                       the document */
    size_t nunits, unit_rows_cap, unit_cap, unit_doc_cap;
    uint64_t *doc_keys, *unit_keys;
    size_t doc_keys_len, doc_keys_cap, unit_keys_len, unit_keys_cap;
    /* --memory: keys of documents (0) and units (1) spilled to sorted
       runs; the arrays above then hold those of units from key_base[] */
    struct rp_spill *spill[2];
    size_t key_base[2];
    /* a run over ranks (dist_lsh.c): the band keys stay on the ranks that
       signed the documents, the candidate pairs of a level come from
       there, and the key arrays above stay empty */
    struct rp__ranks *remote;
    int no_keys; /* pass 1 makes no band keys (remote, or a shard's job) */
    /* pass1_load: the first document and unit of each .rps loaded, and
       the totals (nload + 1 entries) */
    size_t *load_doc_at, *load_unit_at, nload;
    rp_lsh_params dl, pl;
    /* pass 2: one level at a time */
    detail **details;
    int detail_units;          /* the level they are for */
    const uint8_t *unit_need;  /* paragraph level: units in a pair */
    /* when set, each document's details go here (in input order, on the
     * calling thread) instead of into details[] */
    int (*detail_sink)(struct job *j, uint32_t doc, const detail *det,
                       rp_error *err);
    void *detail_ctx; /* the sink's own state */
    uint64_t read_pass, read_passes; /* blocked verification's reads, for
                                        the progress report */
    verified *dpairs, *ppairs;
    size_t ndp, npp;
    /* decisions */
    uint32_t *doc_leader, *unit_leader;
    double *doc_sim, *unit_sim;
    uint8_t *emptied;
    uint32_t *doc_rank, *unit_rank;
    double pthreshold;
    /* --against: the index, candidates and matches of the current level */
    struct rp_ix *ix;
    int32_t ix_newest;     /* newest day seen: index or this run */
    int32_t ix_cutoff;     /* entries of an earlier day are out of window */
    ix_cand *ixc;
    size_t nixc;
    ix_match *ixm[2];      /* per level, sorted by unit */
    size_t nixm[2];
    rp_buf ixstr;          /* ids and file names of matched entries */
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

/* A hash of a document's paragraph table (every field of every
 * paragraph), the same from signing and from a .rps. */
uint64_t rp__dedup_paras_hash(const rp_para_fp *p, size_t n);

/* Stages, in the order dedup.c runs them. */
int rp__dedup_choose_params(job *j);

int rp__dedup_keep_file_names(job *j, uint32_t n,
                              const char *(*get)(const void *, uint32_t),
                              const void *src);
int rp__dedup_pass1_read(job *j, rp_sigfile_writer **swp,
                         const char *sig_out, rp_error *err);
int rp__dedup_pass1_load(job *j, const char *const *paths, size_t n,
                         rp_error *err);
int rp__dedup_rank(job *j);
int rp__dedup_candidates(job *j, int units, rp_pair **out, size_t *count,
                         rp_error *err);
/* keys.c: under --memory, the keys held so far into a sorted run once
 * they pass a quarter of it (final: the rest too, if any run was written;
 * then the arrays are freed); the LSH source over a level's runs */
int rp__dedup_keys_spill(job *j, int final, rp_error *err);
void rp__dedup_keys_source(job *j, int units, rp_lsh_source *src);
int rp__dedup_verify(job *j, const rp_pair *p, size_t n, int units,
                     rp_error *err);
int rp__dedup_cluster(job *j, int units);
/* Read again the documents marked in need, keeping `what` (RP_DETAIL_*)
 * of each in j->details; unit_need marks units for RP_DETAIL_UNITS. */
int rp__dedup_load_details(job *j, const uint8_t *need,
                           const uint8_t *unit_need, int what, rp_error *err);
void rp__dedup_drop_details(job *j);

/* --against (against.c): open and check the index; candidates of one level
 * from its postings; mark the units they need read; verify them; the
 * matches into the leaders; add the kept units and commit (--update). */
struct rp_ix_params;
void rp__against_params(const job *j, struct rp_ix_params *p);
int rp__against_open(job *j, rp_error *err);
int rp__against_candidates(job *j, int units, rp_error *err);
void rp__against_need(job *j, int units, uint8_t *need, uint8_t *unit_need);
int rp__against_verify(job *j, int units, rp_error *err);
const ix_match *rp__against_match(const job *j, int units, uint32_t unit);
int rp__against_update(job *j, rp_error *err);
int rp__against_commit(job *j, rp_error *err);
void rp__against_free(job *j);
int rp__dedup_tally(job *j);

/* A run over ranks (dist_run.c, dist_stage.h): rp_dedup_run, with the
 * candidates and verification of each level spread over the ranks when
 * remote is set (ignored with --against, whose index lookups read the keys
 * here). */
struct rp_dist;
typedef struct rp__ranks {
    struct rp_dist *d;
    const char *const *rps;    /* every rank's shard, signed, in rank order */
    const rp_dedup_options *o; /* for the shards' jobs */
    struct job *own; /* this rank's shard's tables, opened at first use
                        (rp__dist_own), closed by rp__dist_close_own */
} rp__ranks;
int rp__dedup_run_remote(const char *const *inputs, size_t ninputs,
                         const rp_dedup_options *o,
                         const rp_dedup_outputs *outs,
                         const rp_dedup_callbacks *cb, rp_dedup_stats *st,
                         rp_error *err, rp__ranks *remote);
/* Rank 0, from the candidate stage: the level's pairs over the ranks. */
int rp__dist_lsh_candidates(job *j, int units, const uint8_t *skip,
                            rp_pair **out, size_t *count, size_t *capped,
                            rp_error *err);
/* Rank 0, from verification: the pairs verified over the ranks, into
 * j->dpairs or j->ppairs. */
int rp__dist_verify(job *j, const rp_pair *p, size_t n, int units,
                    rp_error *err);
/* Rank 0, writing the records: each rank its shard's, joined into w. */
int rp__dist_write_records(job *j, rp_writer *w, rp_error *err);
/* The other ranks: their part of each stage until rank 0 says the end;
 * rank 0, after its run: the end. */
void rp__dist_serve(rp__ranks *x);
void rp__dist_end(struct rp_dist *d);

/* One side of a pair to verify: a unit's shingles (set, sequence in text
 * order, starting at shingle seq_at of the text), its text's tokens (start
 * and end byte each), its signature, and its content hash and token span.
 * rp__dedup_side fills it from the job's tables and loaded details (only
 * content and span when the details are not loaded); a run over ranks
 * also rebuilds sides sent from another rank (dist_verify.c). */
typedef struct rp__side {
    const uint64_t *set, *seq;
    size_t nset, nseq, seq_at;
    const uint32_t *tok;
    size_t ntok;
    const uint32_t *sig;
    uint64_t content;
    uint32_t span[2];
} rp__side;
void rp__dedup_side(const job *j, uint32_t u, int units, rp__side *out);
/* Verify a against b into v (all but v->a and v->b): identical content,
 * the signatures' estimate, the exact Jaccard (unless --no-verify) and
 * the shared bytes of each text. j gives the options. */
void rp__dedup_verify_sides(const job *j, const rp__side *a,
                            const rp__side *b, verified *v);

/* A job over one shard's .rps with the options o (their progress and
 * callbacks left out): its tables without keys, to load details from
 * (dist_verify.c). */
int rp__dedup_shard_open(job **out, const char *rps, const rp_dedup_options *o,
                         rp_error *err);
void rp__dedup_shard_close(job *j);

/* A level's verified pairs v[0..n) into j->dpairs or j->ppairs; on an
 * error (rc), v is freed and rc returned. */
int rp__dedup_keep_verified(job *j, verified *v, size_t n, int units, int rc);

/* The bytes of rp_dedup_stats a caller of this version has. */
size_t rp__dedup_stats_size(unsigned version);

/* Reports (report.c). Each writes all its lines to w. */
int rp__dedup_write_log(job *j, rp_writer *w);
int rp__dedup_write_pairs(job *j, rp_writer *w);
int rp__dedup_write_clusters(job *j, rp_writer *w);
int rp__dedup_write_records(job *j, rp_writer *w, rp_error *err);

#endif
