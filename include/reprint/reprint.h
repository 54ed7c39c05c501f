/*
 * reprint.h - umbrella header of the reprint library: finds reused text in
 * news and web corpora (dedup now; trace and provenance to come).
 *
 * Pipeline, one header per stage, dependencies pointing left:
 *
 *   input -> record -> normalize -> segment -> shingle -> minhash
 *     -> fingerprint -> lsh -> verify -> cluster -> dedup (+ sigfile)
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
#include "normalize.h"
#include "segment.h"
#include "shingle.h"
#include "minhash.h"
#include "fingerprint.h"
#include "lsh.h"
#include "verify.h"
#include "cluster.h"
#include "sigfile.h"
#include "progress.h"
#include "dedup.h"
#include "align.h"
#include "trace.h"
#include "quote.h"

#endif
