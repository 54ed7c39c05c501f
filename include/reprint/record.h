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
 *          date_published, timestamp, datetime, created_at, time
 *   source source, outlet, domain, site, publisher, site_name
 *   url    url, link, uri, source_url
 *   file   file, filename, file_name, path  (the article's own file name,
 *          for records gathered from files; a .txt unit's name)
 *   title  title, headline  (read for reports only; not settable)
 * Without a source field the URL's host (lower-cased, "www." dropped) is
 * the source (a .txt unit: its first folder); without an id,
 * "<file>:<line>".
 */
#ifndef REPRINT_RECORD_H
#define REPRINT_RECORD_H

#include "date.h"
#include "input.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rp_fields {
    const char *text;   /* NULL = the default list above */
    const char *id;
    const char *date;
    const char *source;
    const char *url;
    const char *file;
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
    const char *title; /* the title or headline, or NULL */
    uint8_t source_basis; /* rp_source_basis */
    rp_date date;
    int date_bad;      /* a date field was present but did not parse */
} rp_record;

/** A parser: one per thread. */
typedef struct rp_parser rp_parser;

RP_API int rp_parser_new(rp_parser **out, const rp_fields *fields);

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
