/*
 * fieldpath.h - field paths into a JSON record: parsing, lookup in json-c's
 * tree, and the raw bytes of the value (for the text rewrite and the
 * duplicate-key rule). Internal to record.c; implemented in fieldpath.c.
 */
#ifndef RP_LIB_FIELDPATH_H
#define RP_LIB_FIELDPATH_H

#include "reprint/common.h"

#include <json-c/json.h>

#define RP__PATH_MAX_DEPTH 32

/* One compiled path: the segments, decoded (~0 ~1 of JSON Pointer). */
typedef struct rp__path {
    char *spec;   /* as given, for messages ("metadata.date") */
    char *store;  /* the segments, each NUL-terminated */
    const char *seg[RP__PATH_MAX_DEPTH];
    size_t seglen[RP__PATH_MAX_DEPTH];
    size_t nseg;
} rp__path;

/*
 * Parse a field name: "/a/b" is a JSON Pointer (RFC 6901), "a.b" a dotted
 * path, anything else one key. RP_OK, RP_ENOMEM, or RP_EINVAL with the
 * reason in why (at most why_cap bytes).
 */
int rp__path_parse(rp__path *out, const char *spec, char *why,
                   size_t why_cap);
void rp__path_dispose(rp__path *p);

/* The value at the path in json-c's tree (json-c keeps a duplicate key's
 * last value); *present is 1 when the last key exists, its value possibly
 * null (returned as NULL). */
json_object *rp__path_get(json_object *root, const rp__path *p, int *present);

/*
 * Where the values of `count` paths lie in the record's raw bytes s[0, n)
 * (a valid JSON object): found[k] spans the value json-c took (the last
 * copy of each key), len 0 when absent; dups[k] is the largest number of
 * times one key along path k appears in its object (>1: a duplicate).
 * One walk of the top-level object serves every path.
 */
void rp__path_locate(const char *s, size_t n, const rp__path *const *paths,
                     size_t count, rp_span *found, unsigned *dups);

#endif
