/*
 * batch.h - the dedup job's batches: raw units read in input order, parsed
 * and fingerprinted on the workers (pass 1 files them into the tables, pass
 * 2 keeps what verification needs). Library-internal.
 */
#ifndef RP_LIB_DEDUP_BATCH_H
#define RP_LIB_DEDUP_BATCH_H

#include "job.h"

#include "reprint/record.h"
#include "reprint/sys/sigfile.h"

#include "../io/units.h"

#define BATCH_BYTES RP_UNITS_BYTES
#define BATCH_ITEMS RP_UNITS_ITEMS

typedef struct worker {
    rp_parser *parser;
    rp_signer *signer;
} worker;

/* Where one document's parts go in the tables. */
typedef struct slot {
    size_t doc, unit, dkey, ukey, id;
} slot;


/* what the workers make of unit i of a batch (its bytes: batch units) */
typedef struct item {
    uint32_t file;        /* copied from the unit */
    uint64_t line, offset;
    uint32_t doc;         /* pass 2: document number */
    int read_error;       /* the reader failed here: rc/err hold why */
    unsigned found;       /* pass 1: rp_record.fields_found */
    slot slot;            /* pass 1: where its parts go in the tables */
    /* results */
    int rc;
    rp_error err;
    rp_sigfile_doc fp;    /* pass 1: owned copies below */
    char *id;
    rp_para_fp *paras;
    uint32_t *sigs;
    uint64_t *keys;       /* doc bands, then unit bands */
    detail *det;          /* pass 2 */
} item;

typedef struct batch {
    job *j;
    rp_reader *reader;
    worker *workers;
    rp__units units;      /* the raw units (io/units.h), one item each */
    item *items;
    size_t n, cap;
} batch;


int rp__workers_new(worker **out, size_t n, const rp_sign_options *so,
                    const rp_fields *f);
void rp__workers_free(worker *w, size_t n);
void rp__item_clear(item *it);
int rp__batch_add(batch *b, const rp_unit *u);
/* Read units into b until it is full or the input ends (*eof = 1). */
int rp__batch_fill(batch *b, int *eof);
/* Empty b for the next batch (items cleared by the caller). */
void rp__batch_reset(batch *b);
void rp__batch_dispose(batch *b);
const char *rp__batch_file_name(const batch *b, uint32_t file);
/* Parse one item's record and fingerprint its text. */
int rp__parse_and_sign(batch *b, item *it, worker *w, rp_record *rec,
                       rp_fingerprint *fp);
/* The old progress callback (rp_dedup_callbacks.progress). */
void rp__dedup_report_progress(job *j, const char *stage, rp_reader *r);

#endif
