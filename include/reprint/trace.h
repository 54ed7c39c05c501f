/*
 * reprint/trace.h - passages and quotes shared across documents, who had
 * them first, and on what evidence. Article text is untrusted: the HTML
 * report escapes it.
 *
 *   read      every record: text, id, outlet (source field, URL host,
 *             .txt folder, else the record's file name), date; then, on
 *             all workers, its words (addresses one word, line-break
 *             hyphens joined, spelling folded: vnto = unto), the roles of
 *             its lines (quoted '>', attribution and header lines,
 *             signature), word 3-shingles and content words (kept in
 *             memory: trace is for hundreds of thousands of articles, not
 *             for whole crawls)
 *   candidates  winnowed shingle keys: two documents sharing a verbatim
 *             run of 8 words share two keys and are compared; a key in
 *             more than max_df documents chains them (syndication at any
 *             fan-out, linear), and runs of such keys are keys of their
 *             own; documents sharing rare content words are compared too
 *   compare   each candidate pair on the workers: shared passages
 *             (rp_align_join), shingle Jaccard and containment, coverage,
 *             content-word Jaccard and order
 *   passages  occurrences (a document and a span; overlapping spans in one
 *             document are one occurrence) joined by the pairs' passages:
 *             each connected set is one passage (a reuse cluster); dates
 *             only order its members
 *   evidence  boilerplate marked; per later member a copy edge from the
 *             member it aligns with best; direction from dates and text
 *             (attribution, splice, quoting, carried relative dates);
 *             origins; document links with a graded score; outlet flows
 *             (src/lib/trace/trace_evidence.c, trace_flows.c)
 *   quotes    quotations and speakers (reprint/sys/quote.h) clustered by
 *             utterance, other translations included
 *             (src/lib/trace/trace_quotes.c)
 *   report    JSON (schema in README.md), Markdown, HTML
 */
#ifndef REPRINT_TRACE_H
#define REPRINT_TRACE_H

#include "sign.h"
#include "input.h"
#include "progress.h"
#include "record.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rp_trace_options {
    unsigned version;          /* RP_TRACE_OPTIONS_VERSION */
    rp_sign_options sign;      /* unused since version 2 (see shingle) */
    rp_reader_options reader;
    rp_fields fields;          /* before version 4, of RP_FIELDS_VERSION 1
                                  (no title) */
    uint32_t min_tokens;       /* shortest passage reported, words; 8 */
    uint32_t max_gap;          /* edit tolerance in shingles; 12 */
    uint32_t max_df;           /* a key in more documents than this is
                                  common text: its documents are chained,
                                  not paired all with all; 50 */
    unsigned threads;          /* workers; 1 */
    unsigned skip_bad;         /* 0 */
    const char *const *names;  /* display names of inputs, may be NULL */
    uint32_t shingle;          /* words per shingle; 3 */
    double link_jaccard;       /* documents whose shingle sets reach this
                                  Jaccard are linked even without a
                                  passage; 0.2 */
    double link_words;         /* ... or whose content-word sets reach this
                                  Jaccard, in the same order (reworded,
                                  translated); 0.25 */
    /* since version 3: */
    rp_progress_fn progress;   /* stage by stage (reprint/progress.h):
                                  read, words, candidates, compare,
                                  passages, evidence, quotes, write;
                                  NULL = none */
    void *progress_ctx;        /* its first argument */
} rp_trace_options;

/* 4: rp_fields gained title (RP_FIELDS_VERSION 2); versions 2 and 3 are
 * still read, in their own layout */
#define RP_TRACE_OPTIONS_VERSION 4
#define RP_TRACE_OPTIONS_INIT                                                 \
    {RP_TRACE_OPTIONS_VERSION, RP_SIGN_OPTIONS_INIT, RP_READER_OPTIONS_INIT,  \
     {0, 0, 0, 0, 0, 0, 0, 0}, 8, 12, 50, 1, 0, NULL, 3, 0.2, 0.25, NULL,     \
     NULL}

typedef struct rp_trace_outputs {
    const char *json; /* the full result (schema in README.md) */
    const char *md;   /* a short summary for people */
    const char *html; /* one self-contained page: passages ranked by
                         spread, per passage a timeline, the copy graph
                         (SVG) and the texts side by side with differences
                         marked; per document and per outlet views; quote
                         clusters; flows; search (one hash-pinned script);
                         without JavaScript, every passage, document,
                         outlet and quote as linked lists */
} rp_trace_outputs;

/** What a run found. The caller sets `version` (RP_TRACE_STATS_INIT); the
 * run checks it, then fills the rest. */
typedef struct rp_trace_stats {
    unsigned version;          /* RP_TRACE_STATS_VERSION */
    uint64_t records;
    uint64_t bad_records;
    uint64_t candidate_pairs;
    uint64_t aligned_pairs;    /* pairs sharing at least one passage */
    uint64_t passages;         /* clusters of 2 or more occurrences */
    uint64_t boilerplate;      /* of which one outlet's repeated text */
    uint64_t quotes;           /* quotations found */
    uint64_t quote_clusters;   /* utterances quoted in 2+ documents */
    uint64_t common_shingles;  /* keys in more than max_df documents
                                  (their documents chained, not paired) */
    uint64_t links;            /* document pairs linked */
    uint64_t ties_capped;      /* passages with more than 64 members tied
                                  at the earliest date: origin left open
                                  without weighing text evidence */
    double seconds;
    /* wall seconds of each stage: read, words, candidates, compare,
       passages, evidence, quotes, reports */
    double stage_seconds[8];
    uint64_t files_in;         /* input files read (folders expanded) */
    uint64_t fields_found[6];  /* records with each field, as for dedup */
    /* since version 2: */
    uint64_t authors_found;    /* records with an author field */
    uint64_t titles_found;     /* records with a title field */
} rp_trace_stats;

#define RP_TRACE_STATS_VERSION 2
#define RP_TRACE_STATS_INIT {.version = RP_TRACE_STATS_VERSION}

/**
 * Fill *out with the defaults of RP_TRACE_OPTIONS_INIT for `version` (pass
 * RP_TRACE_OPTIONS_VERSION).
 * @return RP_OK, or RP_EINVAL for a version this library does not know.
 */
RP_API int rp_trace_options_init(rp_trace_options *out, unsigned version);

/**
 * Run trace; callbacks as for dedup (reprint/dedup.h). A date or source
 * field named in opts->fields that no record has is an error (RP_EFORMAT):
 * dates order the appearances, sources are the outlets. `stats` has its
 * version set by the caller (RP_TRACE_STATS_INIT). RP_EINVAL for options
 * or stats of an unknown version.
 */
struct rp_dedup_callbacks;
RP_API int rp_trace_run(const char *const *inputs, size_t ninputs,
                        const rp_trace_options *opts,
                        const rp_trace_outputs *outs,
                        const struct rp_dedup_callbacks *cb,
                        rp_trace_stats *stats, rp_error *err);

#ifdef __cplusplus
}
#endif
#endif
