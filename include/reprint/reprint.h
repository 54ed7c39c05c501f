/*
 * reprint.h - umbrella header of the reprint library: finds reused text in
 * news and web corpora. It includes every stable header.
 *
 * Two tiers, after libgit2's include/git2/sys/:
 *
 *   reprint/<name>.h      stable: the jobs and what their options and
 *                         results are made of. Kept source and binary
 *                         compatible within a major version (soname
 *                         libreprint.so.0); structs that may grow carry a
 *                         leading `unsigned version`.
 *     common.h            error codes, rp_error, spans, version
 *     dedup.h             the dedup job (and rp_sign_run, the .rps writer)
 *     trace.h             the trace job: shared passages, quotes, evidence
 *     similarity.h        rp_similarity(): how similar are two texts
 *     sign.h              signing options (part of dedup's options)
 *     progress.h          the progress callback the jobs call per stage
 *     input.h             reading files, folders and streams; atomic writers
 *     record.h            JSON records and the fields holding text, id, date
 *     date.h              dates with precision
 *
 *   reprint/sys/<name>.h  stage level: the pipeline the jobs are built
 *                         from, for programs that build their own.
 *                         Exported and documented, but may change in any
 *                         minor version. Include them one by one; this
 *                         header does not.
 *     normalize -> segment -> shingle -> minhash -> fingerprint
 *       -> lsh -> verify -> cluster (dedup); sigfile (.rps files);
 *     align (shared passages); quote (quotations and speakers)
 *
 * Rule: a header is stable when a program that runs a job needs it (the
 * job's entry points and every type they take or fill); everything else is
 * sys/. A stable header never includes a sys/ one; sys/ headers include
 * stable ones and each other, dependencies pointing left in the pipeline.
 *
 * Versioned structs: the options a job takes and the stats and results it
 * fills start with `unsigned version`; set it with the struct's RP_*_INIT
 * macro (or rp_dedup_options_init() / rp_trace_options_init()); the entry
 * point returns RP_EINVAL when the version is not one it knows. A struct
 * grows only at its end, and its version goes up; the library reads and
 * fills every older version in its own size and layout, so a program
 * built against an older header keeps working. rp_fields and rp_record
 * have no version member: rp_fields travels inside the job options,
 * whose version goes up when it grows, and the parser is told the
 * caller's RP_FIELDS_VERSION (reprint/record.h).
 *
 * Lifetimes: a pointer returned by a function is borrowed until the next
 * call on the same handle, unless the function's name says new/copy/take.
 * Handles are used by one thread at a time; the library has no global
 * mutable state, so different handles may be used on different threads.
 */
#ifndef REPRINT_H
#define REPRINT_H

#include "common.h"
#include "date.h"
#include "input.h"
#include "record.h"
#include "sign.h"
#include "progress.h"
#include "dedup.h"
#include "index.h"
#include "trace.h"
#include "similarity.h"

#endif
