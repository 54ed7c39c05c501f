/*
 * record.c - parse one JSON Lines record with json-c, pick the fields, and
 * locate the raw text token.
 *
 * json-c (chosen by measurement: bench/json/, 486 MB/s against cJSON's 588
 * MB/s and jansson's 87 MB/s on Reuters; unlike cJSON its tokener holds
 * its own error state, so parsers on several threads share nothing)
 * validates the record. Fields are found by path (fieldpath.c: a key,
 * "metadata.date" or "/metadata/date"); as json-c keeps no positions, a
 * small lexer then walks the record's raw bytes to find where each value
 * lies, for the text field's rewrite. Keys are compared decoded
 * ("te\u0078t" is "text"), and a field reprint reads that appears twice
 * (or a key on its path) is a bad record: json-c keeps the last copy, the
 * raw rewrite would cut the other one.
 */
#include "reprint/record.h"

#include "../common/error.h"
#include "fieldpath.h"
#include "../../util/buf.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

static const char *const def_text[] = {"text", "content", "body", "article",
                                       "maintext", NULL};
static const char *const def_id[] = {"id", "_id", "doc_id", "docid",
                                     "uuid", "key", NULL};
/* Dolma's "created" is when the content was made; its "added" (when the
 * record was collected) is not a publication date and is not tried */
static const char *const def_date[] = {
    "date", "published", "published_at", "publish_date", "pubdate",
    "date_published", "timestamp", "datetime", "created_at", "created",
    "time", NULL};
static const char *const def_source[] = {"source", "outlet", "domain", "site",
                                         "publisher", "site_name", NULL};
static const char *const def_url[] = {"url", "link", "uri", "source_url",
                                      NULL};
static const char *const def_author[] = {"author", "from", "byline",
                                         "creator", NULL};
static const char *const def_file[] = {"file", "filename", "file_name",
                                       "path", NULL};
static const char *const def_title[] = {"title", "headline", NULL};

/* the first RP_FIELD_COUNT are counted in fields_found; author is trace's */
enum { F_TEXT, F_ID, F_DATE, F_URL, F_SOURCE, F_FILE, F_AUTHOR, F_TITLE,
       F_N };
static const char *const what[F_N] = {"text", "id",     "date",
                                      "url",  "source", "file",
                                      "author", "title"};

/* Where a field is looked for: the path given, or the default names at
 * the top level and then (id, date, url, source: datatrove and Dolma keep
 * them there) inside a top-level "metadata" object. */
typedef struct field_paths {
    rp__path *p;
    size_t n;
    int given; /* an explicit path: taken even when null */
} field_paths;

struct rp_parser {
    json_tokener *tok;
    json_object *root;
    rp_fields fields;
    unsigned version; /* RP_FIELDS_VERSION of the caller: its layouts */
    field_paths f[F_N];
    rp_buf id;
    rp_buf host;
    rp_buf num;
    rp_buf text; /* .txt units: NUL-terminated copy */
};

static int compile_field(field_paths *fp, const char *given,
                         const char *const *defaults, int nested)
{
    size_t nd = 0;
    while (defaults[nd])
        nd++;
    size_t want = given ? 1 : nd * (nested ? 2 : 1);
    fp->p = calloc(want, sizeof *fp->p);
    if (!fp->p)
        return RP_ENOMEM;
    fp->given = given != NULL;
    if (given && strcmp(given, "-") == 0)
        return RP_OK; /* "-": no such field, never found */
    if (given) {
        int rc = rp__path_parse(&fp->p[0], given, NULL, 0);
        if (rc == RP_OK)
            fp->n = 1;
        return rc;
    }
    char spec[64];
    for (size_t k = 0; k < want; k++) {
        const char *name = defaults[k % nd];
        if (k >= nd)
            snprintf(spec, sizeof spec, "metadata.%s", name);
        else
            snprintf(spec, sizeof spec, "%s", name);
        int rc = rp__path_parse(&fp->p[k], spec, NULL, 0);
        if (rc != RP_OK)
            return rc;
        fp->n = k + 1;
    }
    return RP_OK;
}

int rp_field_check(const char *name, rp_error *err)
{
    if (name && strcmp(name, "-") == 0)
        return RP_OK;
    rp__path p;
    char why[160];
    int rc = rp__path_parse(&p, name, why, sizeof why);
    if (rc == RP_EINVAL)
        return rp__error_set(err, rc, "", 0, 0, "field \"%s\": %s",
                             name ? name : "", why);
    rp__path_dispose(&p);
    return rc;
}

/* rp_fields as RP_FIELDS_VERSION 1 laid it out (reprint 0.1.0) */
typedef struct fields_v1 {
    const char *text, *id, *date, *source, *url, *file, *author;
} fields_v1;

int rp_parser_new_v(rp_parser **out, const rp_fields *fields,
                    unsigned version)
{
    *out = NULL;
    if (version < 1 || version > RP_FIELDS_VERSION)
        return RP_EINVAL;
    rp_parser *p = calloc(1, sizeof *p);
    if (!p)
        return RP_ENOMEM;
    p->tok = json_tokener_new_ex(64);
    if (!p->tok) {
        free(p);
        return RP_ENOMEM;
    }
    /* UTF-8 is checked on the fields reprint reads (rp_utf8_valid_prefix
     * is faster than json-c's JSON_TOKENER_VALIDATE_UTF8, which cost 40%
     * of parse time on Reuters); other fields pass through untouched */
    json_tokener_set_flags(p->tok, JSON_TOKENER_STRICT);
    p->version = version;
    if (fields && version == 1) /* as long as the caller's: no title */
        memcpy(&p->fields, fields, sizeof(fields_v1));
    else if (fields)
        p->fields = *fields;
    const char *given[F_N] = {p->fields.text,   p->fields.id,
                              p->fields.date,   p->fields.url,
                              p->fields.source, p->fields.file,
                              p->fields.author, p->fields.title};
    const char *const *defs[F_N] = {def_text,   def_id,   def_date,
                                    def_url,    def_source, def_file,
                                    def_author, def_title};
    static const int nested[F_N] = {0, 1, 1, 1, 1, 0, 1, 1};
    int rc = RP_OK;
    for (int k = 0; k < F_N && rc == RP_OK; k++)
        rc = compile_field(&p->f[k], given[k], defs[k], nested[k]);
    if (rc != RP_OK) {
        rp_parser_free(p);
        return rc;
    }
    *out = p;
    return RP_OK;
}

/* the symbol of reprint 0.1.0 (record.h defines rp_parser_new as a macro
   naming the caller's layout) */
#undef rp_parser_new
int rp_parser_new(rp_parser **out, const rp_fields *fields)
{
    return rp_parser_new_v(out, fields, 1);
}

void rp_parser_free(rp_parser *p)
{
    if (!p)
        return;
    if (p->root)
        json_object_put(p->root);
    json_tokener_free(p->tok);
    for (int k = 0; k < F_N; k++) {
        for (size_t i = 0; i < p->f[k].n; i++)
            rp__path_dispose(&p->f[k].p[i]);
        free(p->f[k].p);
    }
    rp_buf_dispose(&p->id);
    rp_buf_dispose(&p->host);
    rp_buf_dispose(&p->num);
    rp_buf_dispose(&p->text);
    free(p);
}

size_t rp_utf8_valid_prefix(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        if (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (!(w & 0x8080808080808080ULL)) {
                i += 8;
                continue;
            }
        }
        unsigned c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        unsigned min;
        if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
            min = 0x80;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            min = 0x800;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            min = 0x10000;
        } else {
            return i;
        }
        if (len - i <= n)
            return i;
        unsigned cp = c & (0x3f >> n);
        for (size_t k = 1; k <= n; k++) {
            if ((p[i + k] & 0xc0) != 0x80)
                return i;
            cp = (cp << 6) | (p[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return i;
        i += n + 1;
    }
    return len;
}

/* ---- field picking --------------------------------------------------------- */

/* The field's value and the path it came from: a path given is taken as
 * it is (its value may be null); of the defaults, the first not null. */
static json_object *pick(json_object *root, const field_paths *fp,
                         const rp__path **used, int *present)
{
    *used = NULL;
    *present = 0;
    for (size_t k = 0; k < fp->n; k++) {
        int here = 0;
        json_object *v = rp__path_get(root, &fp->p[k], &here);
        if (fp->given) {
            *present = here;
            *used = here ? &fp->p[k] : NULL;
            return v;
        }
        if (v) {
            *used = &fp->p[k];
            *present = 1;
            return v;
        }
        if (here && !*present) {
            *used = &fp->p[k]; /* null: named in the "is null" message */
            *present = 1;
        }
    }
    return NULL;
}

/* A string, or a number written out in full (never truncated: an id of
 * 1.5e308 is 309 digits, not a cut copy of a fixed buffer). */
static const char *as_text(json_object *v, rp_buf *scratch)
{
    if (!v)
        return NULL;
    if (json_object_is_type(v, json_type_string))
        return json_object_get_string(v);
    scratch->len = 0;
    if (json_object_is_type(v, json_type_int)) {
        if (rp_buf_printf(scratch, "%lld",
                          (long long)json_object_get_int64(v)))
            return NULL;
        return scratch->data;
    }
    if (json_object_is_type(v, json_type_double)) {
        if (rp_buf_printf(scratch, "%.3f", json_object_get_double(v)))
            return NULL;
        return scratch->data;
    }
    return NULL;
}

/* "https://www.Example.com:80/x" -> "example.com" */
static const char *url_host(const char *url, rp_buf *out)
{
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    const char *at = p;
    while (*at && *at != '/' && *at != '@')
        at++;
    if (*at == '@')
        p = at + 1;
    const char *e = p;
    while (*e && *e != '/' && *e != ':' && *e != '?' && *e != '#')
        e++;
    if (e - p > 4 && (p[0] | 32) == 'w' && (p[1] | 32) == 'w' &&
        (p[2] | 32) == 'w' && p[3] == '.')
        p += 4;
    out->len = 0;
    for (; p < e; p++) {
        char c = *p;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (rp_buf_putc(out, c))
            return NULL;
    }
    return out->len ? out->data : NULL;
}

static int parse_text_unit(rp_parser *p, rp_record *out, const rp_unit *u,
                           const char *file_name, rp_error *err)
{
    size_t bad = rp_utf8_valid_prefix(u->data, u->len);
    if (bad < u->len)
        return rp__error_set(err, RP_EFORMAT, file_name, 1, bad,
                             "invalid UTF-8 at byte %zu", bad);
    const char *nul = memchr(u->data, '\0', u->len);
    if (nul)
        return rp__error_set(err, RP_EFORMAT, file_name, 1,
                             (uint64_t)(nul - u->data), "NUL byte in text");
    p->text.len = 0;
    if (rp_buf_put(&p->text, u->data, u->len) || rp_buf_putc(&p->text, 0))
        return RP_ENOMEM;
    out->text = p->text.data;
    out->text_len = u->len;
    out->id = u->name;
    out->source = NULL;
    out->file = u->name;
    /* source: the first folder of the relative path, else none */
    const char *slash = strchr(u->name, '/');
    if (slash) {
        p->host.len = 0;
        if (rp_buf_put(&p->host, u->name, (size_t)(slash - u->name)))
            return RP_ENOMEM;
        out->source = p->host.data;
        out->source_basis = RP_SOURCE_FOLDER;
    }
    return RP_OK;
}

int rp_parser_parse(rp_parser *p, rp_record *out, const rp_unit *u,
                    const char *file_name, rp_error *err)
{
    memset(out, 0, sizeof *out);
    if (p->root) {
        json_object_put(p->root);
        p->root = NULL;
    }
    if (u->kind == RP_UNIT_TEXT)
        return parse_text_unit(p, out, u, file_name, err);
    const char *nul = memchr(u->data, '\0', u->len);
    if (nul)
        return rp__error_set(err, RP_EFORMAT, file_name, u->line,
                             u->offset + (uint64_t)(nul - u->data),
                             "NUL byte in record (column %zu)",
                             (size_t)(nul - u->data) + 1);
    if (u->len >= 3 && memcmp(u->data, "\xef\xbb\xbf", 3) == 0)
        return rp__error_set(err, RP_EFORMAT, file_name, u->line, u->offset,
                             "UTF-8 byte-order mark (EF BB BF) before the "
                             "record; JSON Lines has none: remove it");
    if (u->offset == 0 && u->len >= 5 && memcmp(u->data, "RPSIG", 5) == 0)
        return rp__error_set(err, RP_EFORMAT, file_name, u->line, u->offset,
                             "a reprint signature file (.rps), not JSON "
                             "Lines: only dedup reads .rps files");
    json_tokener_reset(p->tok);
    if (u->len > (size_t)INT32_MAX)
        return rp__error_set(err, RP_ETOOBIG, file_name, u->line, u->offset,
                             "record too long for the JSON parser");
    p->root = json_tokener_parse_ex(p->tok, u->data, (int)u->len);
    enum json_tokener_error je = json_tokener_get_error(p->tok);
    size_t end = json_tokener_get_parse_end(p->tok);
    if (!p->root || je != json_tokener_success) {
        if (p->root) {
            json_object_put(p->root);
            p->root = NULL;
        }
        if (je == json_tokener_continue)
            return rp__error_set(err, RP_EFORMAT, file_name, u->line,
                                 u->offset + u->len,
                                 "invalid JSON: record ends early");
        size_t bad = rp_utf8_valid_prefix(u->data, u->len);
        if (bad < u->len && bad <= end)
            return rp__error_set(err, RP_EFORMAT, file_name, u->line,
                                 u->offset + bad,
                                 "invalid UTF-8 (column %zu)", bad + 1);
        return rp__error_set(err, RP_EFORMAT, file_name, u->line,
                             u->offset + end, "invalid JSON: %s (column %zu)",
                             json_tokener_error_desc(je), end + 1);
    }
    if (end < u->len) {
        size_t i = end;
        while (i < u->len && (u->data[i] == ' ' || u->data[i] == '\t' ||
                              u->data[i] == '\r' || u->data[i] == '\n'))
            i++;
        if (i < u->len)
            return rp__error_set(err, RP_EFORMAT, file_name, u->line,
                                 u->offset + i,
                                 "invalid JSON: extra data after the record "
                                 "(column %zu)", i + 1);
    }
    if (!json_object_is_type(p->root, json_type_object))
        return rp__error_set(err, RP_EFORMAT, file_name, u->line, u->offset,
                             "record is not a JSON object");
    const rp__path *used[F_N];
    json_object *v[F_N];
    int present[F_N];
    for (int k = 0; k < F_N; k++)
        v[k] = pick(p->root, &p->f[k], &used[k], &present[k]);
    json_object *tv = v[F_TEXT];
    if (!tv) {
        if (present[F_TEXT]) /* a text field that is there but null */
            return rp__error_set(err, RP_EFORMAT, file_name, u->line,
                                 u->offset, "text field \"%s\" is null",
                                 used[F_TEXT]->spec);
        return rp__error_set(err, RP_EFORMAT, file_name, u->line, u->offset,
                             "no text field (looked for %s)",
                             p->fields.text ? p->fields.text
                                            : "text, content, body, article, "
                                              "maintext; set --text-field");
    }
    if (!json_object_is_type(tv, json_type_string))
        return rp__error_set(err, RP_EFORMAT, file_name, u->line, u->offset,
                             "text field \"%s\" is not a string",
                             used[F_TEXT]->spec);
    out->text = json_object_get_string(tv);
    out->text_len = (size_t)json_object_get_string_len(tv);
    size_t bad = rp_utf8_valid_prefix(out->text, out->text_len);
    if (bad < out->text_len)
        return rp__error_set(err, RP_EFORMAT, file_name, u->line, u->offset,
                             "invalid UTF-8 in the text field (text byte "
                             "%zu)", bad);

    /* every field reprint reads, by the path json-c took it from */
    rp_span spans[F_N];
    unsigned seen[F_N];
    const rp__path *located[F_N];
    for (int k = 0; k < F_N; k++) {
        located[k] = v[k] ? used[k] : NULL;
        if (v[k])
            out->fields_found |= 1u << k; /* F_* order = RP_FIELD_* bits */
    }
    rp__path_locate(u->data, u->len, located, F_N, spans, seen);
    /* One rule for duplicate keys: json-c keeps the last, and the output
     * rewrites raw bytes, so a field reprint reads that appears twice
     * (even spelt with escapes, "te\u0078t"; or any key on its path) would
     * lose the other copy's bytes: a bad record. */
    for (int k = 0; k < F_N; k++)
        if (seen[k] > 1)
            return rp__error_set(err, RP_EFORMAT, file_name, u->line,
                                 u->offset,
                                 "duplicate key \"%s\" (the %s field appears "
                                 "%u times)", located[k]->spec, what[k],
                                 seen[k]);
    out->text_raw = spans[F_TEXT];
    if (out->text_raw.len < 2 || u->data[out->text_raw.offset] != '"')
        return rp__error_set(err, RP_EFORMAT, file_name, u->line, u->offset,
                             "cannot locate the text field's bytes");
    json_object *iv = v[F_ID], *dv = v[F_DATE], *uv = v[F_URL];
    json_object *sv = v[F_SOURCE], *fv = v[F_FILE], *av = v[F_AUTHOR];
    json_object *hv = v[F_TITLE];

    const char *id = as_text(iv, &p->num);
    p->id.len = 0;
    if (id) {
        if (rp_buf_puts(&p->id, id))
            return RP_ENOMEM;
    } else {
        char tmp[32];
        int n = snprintf(tmp, sizeof tmp, ":%llu",
                         (unsigned long long)u->line);
        if (rp_buf_puts(&p->id, file_name) || rp_buf_put(&p->id, tmp, (size_t)n))
            return RP_ENOMEM;
    }
    if (rp_utf8_valid_prefix(p->id.data, p->id.len) < p->id.len)
        return rp__error_set(err, RP_EFORMAT, file_name, u->line, u->offset,
                             "invalid UTF-8 in the id field");
    out->id = p->id.data;

    const char *ds = as_text(dv, &p->num);
    if (ds) {
        if (rp_date_parse(&out->date, ds, strlen(ds)) != RP_OK)
            out->date_bad = 1;
    } else if (dv) {
        out->date_bad = 1;
    }
    /* url, source, file, author and title go into outputs: valid UTF-8 */
    json_object *strs[5] = {uv, sv, fv, av, hv};
    static const int kinds[5] = {F_URL, F_SOURCE, F_FILE, F_AUTHOR, F_TITLE};
    for (int k = 0; k < 5; k++) {
        if (!strs[k] || !json_object_is_type(strs[k], json_type_string))
            continue;
        size_t sl = (size_t)json_object_get_string_len(strs[k]);
        if (rp_utf8_valid_prefix(json_object_get_string(strs[k]), sl) < sl)
            return rp__error_set(err, RP_EFORMAT, file_name, u->line,
                                 u->offset, "invalid UTF-8 in the %s field",
                                 what[kinds[k]]);
    }
    if (uv && json_object_is_type(uv, json_type_string))
        out->url = json_object_get_string(uv);
    const char *src = NULL;
    if (sv && json_object_is_type(sv, json_type_string))
        src = json_object_get_string(sv);
    out->source_basis = src ? RP_SOURCE_FIELD : RP_SOURCE_NONE;
    if (!src && out->url) {
        src = url_host(out->url, &p->host);
        out->source_basis = src ? RP_SOURCE_URL : RP_SOURCE_NONE;
    }
    out->source = src;
    if (fv && json_object_is_type(fv, json_type_string))
        out->file = json_object_get_string(fv);
    if (av && json_object_is_type(av, json_type_string))
        out->author = json_object_get_string(av);
    if (hv && json_object_is_type(hv, json_type_string)) /* reports only */
        out->title = json_object_get_string(hv);
    return RP_OK;
}

