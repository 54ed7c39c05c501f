/*
 * trace_job.h - the state of one trace run, shared by its stages:
 *
 *   trace.c           read, occurrences, passages (the run itself)
 *   trace_text.c      one document's words, line roles, shingles, content
 *                     words
 *   trace_pairs.c     candidate pairs, comparing them (passages, scores)
 *   trace_evidence.c  boilerplate, copy edges, direction and its evidence,
 *                     origins, document links
 *   trace_flows.c     outlet flows, evidence in words
 *   trace_quotes.c    quotes, speakers, quote clusters
 *   trace_json.c, trace_md.c, trace_html.c   the reports
 *
 * Internal to the library.
 */
#ifndef RP_TRACE_JOB_H
#define RP_TRACE_JOB_H

#include "reprint/sys/align.h"
#include "reprint/date.h"
#include "reprint/sys/normalize.h" /* rp_token */
#include "reprint/sys/quote.h"
#include "reprint/trace.h"

#include "../../util/buf.h"
#include "../common/progress.h"

#define NONE UINT32_MAX

#define ATTR_CACHE 4

enum { OUTLET_UNKNOWN, OUTLET_SOURCE, OUTLET_URL, OUTLET_FOLDER, OUTLET_FILE };

struct tquote;

typedef struct tdoc {
    char *id;
    char *outlet;  /* "" when unknown */
    char *author;  /* a key (trace.c author_key), "" when unknown */
    char *author_name; /* the name beside an address, "" when none */
    char *text;
    uint32_t text_len;
    char *url;     /* the record's URL and title, NULL when it has none */
    char *title;
    uint8_t outlet_basis;
    rp_date date;
    uint32_t file;
    uint64_t line;
    uint64_t *sh;  /* shingles in text order; shingle i = tokens i..i+k-1;
                      odd values are junk, unique, never matched */
    uint32_t nsh;
    uint32_t *tok; /* start, end byte of each word (trace_text.c) */
    uint8_t *tflag; /* RT_* of each word */
    uint32_t ntok;
    uint32_t nreal; /* words that are not junk */
    rp_align_entry *idx; /* sh sorted, for alignment */
    uint64_t *bits;  /* long documents: a bit per shingle value (hashed),
                        to drop most of a short text's shingles before
                        aligning it with this one; NULL when short */
    uint64_t bits_mask;
    uint32_t nset; /* distinct shingles that are not junk */
    uint64_t *cw;  /* content words (trace_text.c), sorted, distinct;
                      words common in the collection removed */
    uint32_t *cwpos; /* first word position of each content word */
    uint32_t ncw;
    uint64_t *num;   /* figures, in text order: hash << 32 | word
                        position ("12", "3.5", "1987"; trace_text.c
                        is_figure) */
    uint32_t nnum;
    uint64_t *figs;  /* its figures' hashes, sorted, distinct */
    uint32_t nfigs;
    uint64_t *ckeys; /* candidate keys (trace_pairs.c), until the
                        candidates are made */
    uint32_t nckeys;
    uint32_t *nl;  /* byte offsets of its newlines */
    uint32_t nnl;
    uint32_t *sigw; /* word ranges [start, end) of its author's signature,
                       sorted, merged (rp__trace_signatures); NULL if none */
    uint32_t nsigw;
    struct tquote *quotes; /* its quotes, found on the workers, until
                              rp__trace_quotes gathers them */
    uint32_t nquotes;
    /* evidence caches (trace_evidence.c, one thread) */
    const char *attr_outlet[ATTR_CACHE]; /* outlets looked for in the text */
    uint8_t attr_hit[ATTR_CACHE];
    uint8_t attr_next;
    uint16_t rel_mask;   /* relative date words in the text (on the
                            workers: rp__trace_relative_words) */
} tdoc;

/* what a linked document pair shares: reuse (a passage outside
   boilerplate; else shingle sets over link_jaccard; else content words
   over link_words, in order), or only a score over the related floor */
enum { LK_RELATED, LK_PASSAGE, LK_SIMILAR, LK_REWORDED, LK_TEMPLATE };

/* roles of words (trace_text.c) */
enum { RT_QUOTED = 1, RT_JUNK = 2 };

/* one compared candidate pair (trace_pairs.c) */
typedef struct tcompare {
    uint32_t a, b;          /* documents, a < b */
    rp_segment *seg;        /* shared passages (reprint/sys/align.h) */
    size_t nseg;
    double jaccard;         /* of the two shingle sets */
    double a_in_b, b_in_a;  /* containment of each set in the other */
    double cov_a, cov_b;    /* share of each document's words in passages */
    uint32_t shared_words;  /* words in passages, the smaller side's */
    uint32_t inter;         /* shingles the two sets share */
    uint8_t *sig;           /* per segment: 1 when it is an author's
                               signature (rp__trace_signatures): it counts
                               in no link measure; NULL when none is */
    uint8_t figures;        /* the passages are one wording with other
                               figures: a template, not a copy */
    uint8_t text_figures;   /* the two whole texts carry other figures
                               (and share under half their shingles):
                               one subject, not a rewrite */
    double words;           /* Jaccard of the content-word sets */
    double order;           /* share of the shared content words in the
                               same order in both (longest increasing
                               run of positions); 0 when under 5 shared */
    uint32_t occ0;          /* its passages' first occurrence: segment s
                               made occurrences occ0 + 2s (in a), + 1 (b) */
} tcompare;

typedef struct occ {
    uint32_t doc;
    uint32_t start, end; /* bytes of the text */
    uint32_t next;       /* the document's next occurrence, or NONE */
} occ;

typedef struct link {
    uint32_t a, b; /* occurrences */
    double sim;
} link;

typedef struct adj {
    uint32_t to;
    double sim;
} adj;

/* evidence of direction, as bits */
enum {
    EV_DATES = 1,       /* the source's date interval ends first */
    EV_ATTRIBUTION = 2, /* the copy names the source's outlet */
    EV_CARRIED = 4,     /* a relative date ("Friday") carried over days */
    EV_SPLICE = 8,      /* the copy joins in one paragraph text the source
                           has in separate paragraphs */
    EV_QUOTED = 16,     /* the copy has the text on quoted lines ('>'),
                           the source as its own */
    EV_LAST = EV_QUOTED
};

typedef struct tedge {
    uint32_t from, to;  /* occurrences; from is the source if determined */
    uint32_t member;    /* the later-listed member this edge links in */
    double sim;
    double confidence;  /* sim / the sum of sims to every earlier member:
                           how clearly this source beats the others */
    uint8_t determined;
    uint8_t support;    /* EV_* for from -> to */
    uint8_t against;    /* EV_* for to -> from: a conflict, reported */
    char carried[12];   /* the relative date word, for EV_CARRIED */
    uint32_t added;     /* tokens of `to` with no counterpart in `from` */
    uint32_t dropped;   /* tokens of `from` with no counterpart in `to` */
    uint32_t from_tokens, to_tokens; /* words of each span */
} tedge;

typedef struct tpassage {
    uint32_t lead;            /* leading occurrence */
    const uint32_t *members;  /* occurrences in date order */
    size_t nm;
    uint32_t origin;          /* occurrence, or NONE (tie) */
    uint8_t origin_basis;     /* EV_* that decided it */
    uint8_t boilerplate;      /* one outlet's own repeated text */
    uint8_t cross;            /* members from two or more outlets */
    uint8_t common;           /* a phrase many texts carry as a small part */
    uint32_t house;           /* a document of the outlet whose template
                                 this is (trace_evidence.c), or NONE */
    size_t edge0, nedges;     /* its edges: edges[edge0 ..) */
} tpassage;

enum { QK_FULLEST, QK_VERBATIM, QK_EXCERPT, QK_EDITED, QK_REWORDED };

typedef struct tquote {
    uint32_t doc;
    rp_quote q;
    char key[48];        /* rp_speaker_key() of the speaker, "" if none */
    uint64_t *words;     /* content-word stems, sorted, distinct */
    uint32_t nwords;
    uint64_t *grams;     /* word 4-grams, sorted, distinct */
    uint32_t ngrams;
    uint32_t leader;     /* the fullest quote of its cluster */
    double overlap;      /* content words shared with the fullest / own */
    uint8_t kind;        /* QK_* against the fullest */
} tquote;

typedef struct tqcluster {
    uint32_t fullest;    /* quote index */
    uint32_t *members;   /* quote indices in date order */
    size_t nm;
    uint8_t tied;        /* the earliest dates overlap */
} tqcluster;

typedef struct tflow {
    const char *from, *to; /* outlets */
    uint32_t edges;        /* determined copy edges */
    uint32_t dated;        /* of which both dates are known */
    double median_lag_h;   /* over the dated ones */
} tflow;

typedef struct tjob {
    const rp_trace_options *o;
    rp__progress pr;     /* o->progress, stage by stage */
    uint32_t k;          /* words per shingle */
    rp_trace_stats *st;
    tdoc *docs;
    size_t ndocs, docs_cap;
    occ *occs;
    size_t nocc, occ_cap;
    link *links;
    size_t nlinks, links_cap;
    char **fnames;
    size_t nfnames;
    uint32_t *doc_head;  /* each document's first occurrence, or NONE */
    size_t *adj_start;   /* links by occurrence: adj[adj_start[o] ...) */
    adj *adj;
    /* passages */
    size_t *gstart;      /* members of leader l: gmember[gstart[l] ..) */
    uint32_t *gmember;
    tpassage *pass;
    size_t npass;
    tedge *edges;
    size_t nedges;
    tflow *flows;
    size_t nflows;
    /* compared document pairs, in pair order; links: those that share a
       passage or whose shingle sets reach link_jaccard */
    tcompare *cmp;
    size_t ncmp;
    uint32_t *dlinks;    /* indices into cmp */
    uint8_t *dl_kind;    /* per link: LK_* */
    uint32_t *remap;     /* occurrence -> the one it was merged into */
    uint32_t *raw_span;  /* occurrence o's bytes before merging:
                            raw_span[2o], raw_span[2o + 1] */
    uint32_t *pass_of;   /* occurrence -> its passage, or NONE */
    size_t ndlinks;
    struct plink *plinks; /* links by document pair (trace_clues.c) */
    size_t nplinks;
    uint8_t *dl_dir;     /* per link: 0 undetermined, 1 a->b, 2 b->a */
    uint8_t *dl_support; /* EV_* of that direction */
    /* quotes */
    tquote *quotes;
    size_t nquotes, quotes_cap;
    tqcluster *qclusters;
    size_t nqclusters;
} tjob;

/* trace_boilerplate.c: boilerplate, common phrase, house template of a
 * passage (tpassage.boilerplate, .common, .house); scratch holds 2 * nm */
int rp__trace_mark_boilerplate(const tjob *j, tpassage *p, uint32_t *scratch);
int rp__trace_same_outlet(const tdoc *a, const tdoc *b);
/* the document of occurrence o */
static inline const tdoc *rp__trace_doc_of(const tjob *j, uint32_t o)
{
    return &j->docs[j->occs[o].doc];
}

/* trace_clues.c: text clues that doc a is the source of doc b, EV_ bits
 * (attribution, splice, quoted); the links by document pair they read,
 * built once (j->plinks) */
int rp__trace_build_plinks(tjob *j);
uint8_t rp__trace_pair_evidence(tjob *j, uint32_t a, uint32_t b);
/* a stale relative date carried from edge e's source into its copy (the
 * word into word) */
int rp__trace_carried(tjob *j, const tedge *e, char *word, size_t cap);
/* the share of occurrence o on quoted ('>') lines */
double rp__trace_quoted_share(const tjob *j, uint32_t o);
/* d has '>' lines; b quotes a's text on them; the compared segments lie
 * on quoted lines (1: a's side, 2: b's); both quote it at one depth; b
 * names a's author (or a has none) */
int rp__trace_has_quoting(const tdoc *d);
int rp__trace_quoted(const tjob *j, uint32_t a, uint32_t b);
int rp__trace_quoted_segment(const tjob *j, const tcompare *c);
int rp__trace_both_quote(const tjob *j, const tcompare *c);
int rp__trace_names_author(const tjob *j, uint32_t b, uint32_t a);

/* trace_passages.c: occurrences merged and clustered into passages */
int rp__trace_passages(tjob *j);
int rp__trace_dates_tie(const rp_date *a, const rp_date *b);
double rp__trace_link_sim(const tjob *j, uint32_t x, uint32_t y);

/* trace.c */
const char *rp__trace_outlet_basis(uint8_t basis);
/* the line breaks of doc d before byte `at` (its line number) */
uint32_t rp__trace_line_of(const tdoc *d, uint32_t at);
/* the first token of doc d at or after byte `at` */
uint32_t rp__trace_token_at(const tdoc *d, uint32_t at);

/* trace_text.c: words, roles and shingles of d (text, text_len set);
   tk/nt/norm from rp_normalize */
void rp__trace_text_init(void);
int rp__trace_text(tdoc *d, uint32_t k, uint64_t salt, const rp_token *tk,
                   size_t nt, const char *norm);

/* trace_pairs.c */
int rp__trace_bits(tdoc *d); /* d->bits for a long document */
/* d's candidate keys (two winnowed keys in a row), on the workers */
int rp__trace_candidate_keys(tdoc *d);
int rp__trace_candidates(tjob *j, uint64_t **pairs, size_t *count);
int rp__trace_compare(tjob *j, const uint64_t *pairs, size_t n,
                      tcompare **out);
/* the graded similarity of a linked pair, 0..1, for ranking */
double rp__trace_link_score(const tcompare *c);
/* does a link of this LK_ kind say the pair reuses text? */
int rp__trace_link_reuse(uint8_t kind);
/* content-word Jaccard and order of two documents (no_sig: without the
   words first seen in a signature); 1 on allocation failure */
int rp__trace_word_sim(const tdoc *a, const tdoc *b, int no_sig, double *jac,
                       double *order);
/* words inside the union of n token intervals iv[2n] (sorts iv) */
uint32_t rp__trace_covered(uint64_t *iv, size_t n);

/* trace_signature.c: authors' signatures found pair by pair, and the
   segments lying in them taken out of every pair's measures (after
   rp__trace_compare) */
int rp__trace_signatures(tjob *j);

/* trace_evidence.c */
int rp__trace_edges(tjob *j);
int rp__trace_flows(tjob *j);
/* mark[i] = 1 for the tokens of occurrence x with no counterpart in y;
   mark has room for x's tokens; returns how many, or -1 on ENOMEM */
long rp__trace_uncovered(const tjob *j, uint32_t x, uint32_t y,
                         uint8_t *mark, uint32_t *first_tok,
                         uint32_t *ntok);

/* the outlet's name as a reader would write it ("presstv" for a URL host
   presstv.ir), or 0 when it has none */
size_t rp__trace_outlet_word(const tdoc *d, char *out, size_t cap);

/* the relative date words ("Friday", "yesterday") d's text holds, one bit
   each (trace_clues.c) */
uint16_t rp__trace_relative_words(const tdoc *d);

/* trace_flows.c */
/* evidence `bit` of edge e in words (reverse: for to -> from) */
size_t rp__trace_evidence_text(const tjob *j, const tedge *e, int bit,
                               int reverse, char *out, size_t cap);
const char *rp__trace_evidence_name(int bit);

/* trace_quotes.c */
/* the quotes of document number d (on a worker, with its own normaliser
   seeded as the job's) into doc->quotes */
int rp__trace_doc_quotes(tdoc *doc, uint32_t d, rp_normalizer *nz);
int rp__trace_quotes(tjob *j);
void rp__trace_quotes_free(tjob *j);
const char *rp__trace_quote_kind(uint8_t kind);
const char *rp__trace_speaker_basis(uint8_t basis);

/* trace_report.c: shared by the reports */
/* where a snippet of doc d's span [start, end) should begin: a sentence or
   word start inside it (the span itself is unchanged) */
uint32_t rp__trace_snippet_start(const tdoc *d, uint32_t start, uint32_t end);
/* distinct documents and outlets of passage p */
int rp__trace_spread(const tjob *j, const tpassage *p, uint32_t *ndocs,
                     uint32_t *noutlets);
typedef struct trank {
    uint32_t pass;          /* passage index */
    uint32_t docs, outlets; /* its spread */
} trank;
/* passages outside boilerplate by spread (outlets, documents), most first,
   ties by first appearance; *out is the caller's to free */
int rp__trace_rank(const tjob *j, trank **out, size_t *count);
/* trace_html.c, trace_html_data.c: the page */
#define RP_TRACE_GRAPH_MAX 12 /* members drawn in a copy graph, tabled */
#define RP_TRACE_SIDE_MAX 4   /* versions shown side by side */
/* the page's data block (JSON, escaped for a <script> element) */
int rp__trace_html_data(const tjob *j, const trank *rank, size_t nrank,
                        rp_buf *out);
/* the page's outlets: the distinct outlet names of the documents in
   passages or quote clusters, sorted (#o1 is (*out)[0]); *out is the
   caller's to free */
int rp__trace_html_outlets(const tjob *j, const char ***out, size_t *count);
/* the place of outlet s in names (rp__trace_html_outlets) */
uint32_t rp__trace_html_outlet(const char *const *names, size_t n,
                               const char *s);
/* trace_html_static.c: the page for readers without JavaScript */
int rp__trace_html_static(const tjob *j, const trank *rank, size_t nrank,
                          rp_buf *b);

/* reports */
int rp__trace_json(const tjob *j, rp_buf *b);
int rp__trace_md(const tjob *j, rp_buf *b);
int rp__trace_html(const tjob *j, rp_buf *b);

#endif
