/*
 * reprint/dedup.h - the dedup job: remove exact and near-duplicate
 * documents and paragraphs, keeping the right copy, and say why.
 *
 *   pass 1  read -> parse -> fingerprint (parallel)      or load a .rps
 *   LSH     candidate pairs of documents and of paragraph units
 *   pass 2  re-read the candidates' records, exact shingle sets (parallel),
 *           verify every candidate pair (parallel)
 *   cluster leaders in keep order (reprint/sys/cluster.h), documents first,
 *           then paragraphs of the kept documents
 *   pass 3  re-read and write kept records: unchanged records byte for
 *           byte; records that lost paragraphs get a new text value only
 *
 * Memory: per document its metadata and LSH band keys, per paragraph its
 * spans and band keys; shingle sets only for documents in candidate pairs.
 * Output is the same for every thread count: work items are numbered in
 * input order and every sort is total.
 */
#ifndef REPRINT_DEDUP_H
#define REPRINT_DEDUP_H

#include "sign.h"
#include "input.h"
#include "progress.h"
#include "record.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum rp_level {
    RP_LEVEL_DOC = 1,
    RP_LEVEL_PARA = 2,
    RP_LEVEL_BOTH = 3
} rp_level;

typedef enum rp_keep {
    RP_KEEP_EARLIEST = 0, /* earliest date; unknown dates last; then input */
    RP_KEEP_FIRST = 1,    /* input order */
    RP_KEEP_LONGEST = 2   /* longest text; then input order */
} rp_keep;

typedef struct rp_dedup_options {
    unsigned version;          /* RP_DEDUP_OPTIONS_VERSION */
    rp_sign_options sign;      /* ignored when starting from a .rps */
    rp_reader_options reader;
    rp_fields fields;          /* ignored when starting from a .rps; before
                                  version 4, of RP_FIELDS_VERSION 1 (no
                                  title) */
    double threshold;          /* Jaccard at or above which a document is a
                                  near-duplicate; 0.8 */
    double para_threshold;     /* the same for paragraphs; 0 = threshold */
    unsigned level;            /* rp_level; RP_LEVEL_BOTH */
    unsigned keep;             /* rp_keep; RP_KEEP_EARLIEST */
    unsigned verify;           /* 1: exact Jaccard decides; 0: the MinHash
                                  estimate decides (unsafe); 1 */
    unsigned threads;          /* worker threads; 1 */
    size_t max_bucket;         /* LSH bucket size fully paired; 64 */
    unsigned skip_bad;         /* 1: skip bad records, 0: stop; 0 */
    const char *const *names;  /* display names of inputs, may be NULL */
    /* since version 2: */
    rp_progress_fn progress;   /* stage by stage (reprint/progress.h);
                                  NULL = none */
    void *progress_ctx;        /* its first argument */
    /* since version 3: */
    const char *against;       /* a persistent index (reprint/index.h):
                                  units it holds are removed from this
                                  run, in favour of the indexed ones; its
                                  parameters must equal this run's; NULL =
                                  none */
    unsigned update;           /* 1: add this run's kept documents and
                                  paragraphs to `against`, one commit */
    uint32_t window_days;      /* > 0: indexed units dated more than this
                                  many days before the newest date seen
                                  (index or run) are out of the window:
                                  not matched, and evicted on update */
    uint32_t shard, shards;    /* rp_sign_run only: with shards > 1, sign
                                  the files of part `shard` (0-based) of
                                  `shards` equal parts of the expanded
                                  input files, in order; 0, 0 = all */
    /* since version 5: */
    uint64_t memory;           /* bytes; > 0: once the LSH band keys pass a
                                  quarter of it they spill to sorted runs
                                  in tmp_dir, read back band by band (the
                                  output is the same); not with against;
                                  0 = keys held in memory */
    const char *tmp_dir;       /* where keys spill: NULL = $TMPDIR, else
                                  /tmp */
} rp_dedup_options;

/* 4: rp_fields gained title (RP_FIELDS_VERSION 2); versions 1 to 3 are
 * still read, in their own layout; 5: memory, tmp_dir */
#define RP_DEDUP_OPTIONS_VERSION 5
#define RP_DEDUP_OPTIONS_INIT                                                 \
    {RP_DEDUP_OPTIONS_VERSION, RP_SIGN_OPTIONS_INIT, RP_READER_OPTIONS_INIT,  \
     {0, 0, 0, 0, 0, 0, 0, 0}, 0.8, 0.0, RP_LEVEL_BOTH, RP_KEEP_EARLIEST, 1,  \
     1, 64, 0, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0, NULL}

/** Output paths; NULL = not written. "-" = stdout (records only). */
typedef struct rp_dedup_outputs {
    const char *records;    /* kept records, JSON Lines */
    const char *log;        /* one JSON line per removal */
    const char *clusters;   /* one JSON line per cluster of 2 or more */
    const char *pairs;      /* one JSON line per verified near-dup pair */
    const char *signatures; /* .rps of every document (sign stage) */
} rp_dedup_outputs;

/** The library never prints: it reports through these, on the caller's
 * thread. Either may be NULL. */
typedef struct rp_dedup_callbacks {
    void *ctx;
    void (*bad_record)(void *ctx, const rp_error *err);
    /* superseded by rp_dedup_options.progress (every stage, with rates):
       still called in the read and verify passes with input bytes */
    void (*progress)(void *ctx, const char *stage, uint64_t done,
                     uint64_t total);
} rp_dedup_callbacks;

/** What a run did. The caller sets `version` (RP_DEDUP_STATS_INIT); the
 * run checks it, then fills the rest. */
typedef struct rp_dedup_stats {
    unsigned version;         /* RP_DEDUP_STATS_VERSION */
    uint64_t records_in;      /* good records read */
    uint64_t records_out;     /* records written */
    uint64_t docs_removed;    /* removed as near-duplicate documents */
    uint64_t docs_emptied;    /* dropped: no paragraph left */
    uint64_t paras_removed;
    uint64_t paras_changed_docs; /* records written with a new text */
    uint64_t bad_records;     /* skipped with skip_bad */
    uint64_t dates_bad;       /* date present but unparseable: unknown */
    uint64_t dates_missing;
    uint64_t paragraphs;      /* paragraph units */
    uint64_t bytes_in;        /* decompressed input bytes, pass 1 */
    uint64_t doc_candidates, para_candidates; /* LSH pairs */
    uint64_t doc_pairs, para_pairs;           /* pairs at/above threshold */
    uint64_t capped_buckets;  /* LSH buckets over max_bucket */
    uint32_t doc_bands, doc_rows, para_bands, para_rows;
    double sec_sign, sec_lsh, sec_verify, sec_cluster, sec_write, sec_total;
    uint64_t peak_docs_bytes; /* bytes held per-document in memory */
    uint64_t files_in;        /* input files read (folders expanded); 0
                                 when starting from a .rps */
    /* good records that had each field (RP_FIELD_* bit k counts in [k]),
       for the warning about a field named but absent; 0 from a .rps */
    uint64_t fields_found[6];
    /* since version 2: --against */
    uint64_t index_candidates;    /* (unit, indexed unit) pairs looked at */
    uint64_t index_docs_removed;  /* documents removed for an indexed one */
    uint64_t index_paras_removed; /* paragraphs removed for indexed ones */
    uint64_t index_added;         /* units added (update) */
    uint64_t index_evicted;       /* units evicted by the window (update) */
    uint64_t index_generation;    /* the generation read, or committed */
    uint64_t index_entries;       /* units in it after the run */
    /* since version 3: --memory */
    uint64_t spill_runs;  /* sorted runs of band keys written (both levels) */
    uint64_t spill_bytes; /* their bytes, merges included; 0: nothing
                             spilled */
    /* since version 4: --memory */
    uint64_t verify_blocks; /* blocks verification was cut into; 0: all
                               details held at once */
    uint64_t verify_reads;  /* reads of the input for them */
    /* since version 5: a run over ranks (rp_dedup_run_dist) */
    uint64_t exchanged_bytes; /* bytes sent from one rank to another: band
                                 entries, candidate pairs, pairs to verify,
                                 shingles and results; 0 in one process */
} rp_dedup_stats;

#define RP_DEDUP_STATS_VERSION 5
#define RP_DEDUP_STATS_INIT {.version = RP_DEDUP_STATS_VERSION}

/**
 * Fill *out with the defaults of RP_DEDUP_OPTIONS_INIT for `version` (pass
 * RP_DEDUP_OPTIONS_VERSION): the library's defaults, not the ones compiled
 * into the caller.
 * @return RP_OK, or RP_EINVAL for a version this library does not know.
 */
RP_API int rp_dedup_options_init(rp_dedup_options *out, unsigned version);

/**
 * Run dedup over `inputs` (files, folders, "-"), or over the single .rps
 * file given as the only input (its recorded inputs are re-read).
 * A date field named in opts->fields that no record has is an error
 * (RP_EFORMAT) under RP_KEEP_EARLIEST: it would decide which copy is kept.
 * @param stats  version set by the caller (RP_DEDUP_STATS_INIT); filled.
 * @return RP_OK, or an error with err naming file, line and offset; no
 *         output file is left behind on error. RP_EINVAL for options or
 *         stats of an unknown version.
 */
RP_API int rp_dedup_run(const char *const *inputs, size_t ninputs,
                        const rp_dedup_options *opts,
                        const rp_dedup_outputs *outs,
                        const rp_dedup_callbacks *cb, rp_dedup_stats *stats,
                        rp_error *err);

/**
 * Pass 1 only: write every document's fingerprints to outs->signatures.
 * With opts->shards > 1, only the files of one shard: rp_dedup_run over
 * the shards' .rps files, in shard order, equals a run over the inputs.
 */
RP_API int rp_sign_run(const char *const *inputs, size_t ninputs,
                       const rp_dedup_options *opts,
                       const rp_dedup_outputs *outs,
                       const rp_dedup_callbacks *cb, rp_dedup_stats *stats,
                       rp_error *err);

/** 1 if the file at path starts with the .rps magic. */
RP_API int rp_is_sigfile(const char *path);

#ifdef __cplusplus
}
#endif
#endif
