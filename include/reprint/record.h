/*
 * reprint/record.h - turn a raw unit (reprint/input.h) into a record: the
 * document's text, id, date, source and URL, with the text's place in the
 * original bytes so an output can rewrite that field alone.
 *
 * Field names: each of text, id, date, source, url may be set; when NULL a
 * list of common names is tried in order:
 *   text   text, content, body, article, maintext
 *   id     id, _id, doc_id, docid, uuid, key
 *   date   date, published, published_at, publish_date, pubdate,
 *          date_published, timestamp, datetime, created_at, created, time
 *   source source, outlet, domain, site, publisher, site_name
 *   url    url, link, uri, source_url
 *   file   file, filename, file_name, path  (the article's own file name,
 *          for records gathered from files; a .txt unit's name)
 *   author author, from, byline, creator  (trace: per-author signatures)
 *   title  title, headline  (trace: shown in the reports)
 * The id, date, source, url, author and title names are tried at the top
 * level first, then inside a top-level "metadata" object (the layout of
 * datatrove and Dolma: {"id","text","metadata":{"url","date",...}}).
 * A name given is a path: "date" (one key), "metadata.date" (dotted) or
 * "/metadata/date" (a JSON Pointer, RFC 6901: ~1 is '/' and ~0 is '~'
 * inside a key). A dotted name is always a path: a key that has a dot in
 * it is reached only by a JSON Pointer ("/metadata.date" is the top-level
 * key "metadata.date", "metadata.date" the key "date" inside "metadata").
 * A segment of digits also indexes an array ("/authors/0"). "-" names no field: the
 * defaults are not tried (e.g. Dolma's top-level "source" names a data
 * set, not an outlet: source "-" takes outlets from the URL's host).
 * Without a source field the URL's host (lower-cased, "www." dropped) is
 * the source (a .txt unit: its first folder); without an id,
 * "<file>:<line>". A key reprint reads, or any key on its path, that
 * appears twice in its object makes the record bad.
 */
#ifndef REPRINT_RECORD_H
#define REPRINT_RECORD_H

#include "date.h"
#include "input.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Layouts of rp_fields and rp_record. Both only grow at their end, and
 * this number goes up when they do; the job options that embed rp_fields
 * (reprint/dedup.h, reprint/trace.h) take a new version then, and the
 * library still reads the older ones (a field an older layout lacks is
 * its default). rp_parser_new() passes the number of the header a program
 * was built with, so a parser reads the fields in that layout.
 *   1  reprint 0.1.0: fields text ... author (the title not settable)
 *   2  rp_fields.title (rp_record unchanged)
 */
#define RP_FIELDS_VERSION 2

typedef struct rp_fields {
    const char *text;   /* a path; NULL = the default list above */
    const char *id;
    const char *date;
    const char *source;
    const char *url;
    const char *file;
    const char *author; /* trace only: per-author signatures */
    /* since RP_FIELDS_VERSION 2: */
    const char *title;  /* trace only: the title shown in the reports */
} rp_fields;

typedef enum rp_source_basis {
    RP_SOURCE_NONE = 0,
    RP_SOURCE_FIELD,  /* a source field */
    RP_SOURCE_URL,    /* the URL's host */
    RP_SOURCE_FOLDER  /* a .txt unit's first folder */
} rp_source_basis;

typedef struct rp_record {
    const char *text;  /* decoded UTF-8, valid; NUL-terminated */
    size_t text_len;   /* bytes */
    rp_span text_raw;  /* the JSON string token, quotes included, in the
                          unit's bytes; len 0 for .txt units */
    const char *id;    /* NUL-terminated */
    const char *source;
    const char *url;
    const char *file;  /* the record's own file name, or NULL */
    const char *author; /* the author field (a string), or NULL */
    const char *title; /* the title field (a string), or NULL */
    uint8_t source_basis; /* rp_source_basis */
    rp_date date;
    int date_bad;      /* a date field was present but did not parse */
    unsigned fields_found; /* RP_FIELD_* bits: fields present, not null */
} rp_record;

/* Bits of rp_record.fields_found; bit k < RP_FIELD_COUNT counts in
 * fields_found[k] of the run statistics (reprint/dedup.h,
 * reprint/trace.h); author and title in trace's (version 2). */
#define RP_FIELD_COUNT 6
enum {
    RP_FIELD_TEXT = 1,
    RP_FIELD_ID = 2,
    RP_FIELD_DATE = 4,
    RP_FIELD_URL = 8,
    RP_FIELD_SOURCE = 16,
    RP_FIELD_FILE = 32,
    RP_FIELD_AUTHOR = 64,
    RP_FIELD_TITLE = 128
};

/**
 * Check a field name or path (see above) before use.
 * @return RP_OK, RP_ENOMEM, or RP_EINVAL with err's message saying why
 *         (an empty key in a dotted path, a bad ~ escape, ...).
 */
RP_API int rp_field_check(const char *name, rp_error *err);

/** A parser: one per thread. */
typedef struct rp_parser rp_parser;

/**
 * A parser reading the fields named in `fields` (NULL: the defaults).
 * @param version  the layout of *fields and of the records it fills
 *                 (RP_FIELDS_VERSION of the caller's header).
 * @return RP_OK, RP_ENOMEM, RP_EINVAL (a field path rp_field_check()
 *         refuses, a version this library does not know).
 */
RP_API int rp_parser_new_v(rp_parser **out, const rp_fields *fields,
                           unsigned version);

/** The same for layout version 1: the symbol programs built against
 * reprint 0.1.0 call. Built against this header, rp_parser_new() is
 * rp_parser_new_v() with this header's RP_FIELDS_VERSION. */
RP_API int rp_parser_new(rp_parser **out, const rp_fields *fields);
#define rp_parser_new(out, fields)                                           \
    rp_parser_new_v((out), (fields), RP_FIELDS_VERSION)

/**
 * Parse `unit`. The record's pointers stay valid until the next call on
 * the same parser. `file_name` names the file in errors.
 * @return RP_OK, RP_ENOMEM, or RP_EFORMAT with err set (invalid JSON,
 *         invalid UTF-8, NUL byte, not an object, text missing or not a
 *         string).
 */
RP_API int rp_parser_parse(rp_parser *p, rp_record *out, const rp_unit *unit,
                           const char *file_name, rp_error *err);

RP_API void rp_parser_free(rp_parser *p);

/** Check UTF-8 validity; returns the offset of the first bad byte, or len. */
RP_API size_t rp_utf8_valid_prefix(const char *s, size_t len);

#ifdef __cplusplus
}
#endif
#endif
