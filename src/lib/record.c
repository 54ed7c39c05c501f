/*
 * record.c - parse one JSON Lines record with json-c, pick the fields, and
 * locate the raw text token.
 *
 * json-c (chosen by measurement: bench/json/, 486 MB/s against cJSON's 588
 * MB/s and jansson's 87 MB/s on Reuters; unlike cJSON its tokener holds
 * its own error state, so parsers on several threads share nothing)
 * validates the record. A small lexer then walks the top-level object's raw
 * bytes to find where the text value's string token lies, since json-c
 * keeps no positions; the last key of that name wins, as in json-c.
 */
#include "reprint/record.h"

#include "error.h"
#include "../util/buf.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

static const char *const def_text[] = {"text", "content", "body", "article",
                                       "maintext", NULL};
static const char *const def_id[] = {"id", "_id", "doc_id", "docid",
                                     "uuid", "key", NULL};
static const char *const def_date[] = {
    "date", "published", "published_at", "publish_date", "pubdate",
    "date_published", "timestamp", "datetime", "created_at", "time", NULL};
static const char *const def_source[] = {"source", "outlet", "domain", "site",
                                         "publisher", "site_name", NULL};
static const char *const def_url[] = {"url", "link", "uri", "source_url",
                                      NULL};
static const char *const def_file[] = {"file", "filename", "file_name",
                                       "path", NULL};

struct rp_parser {
    json_tokener *tok;
    json_object *root;
    rp_fields fields;
    rp_buf id;
    rp_buf host;
    rp_buf num;
    rp_buf text; /* .txt units: NUL-terminated copy */
};

int rp_parser_new(rp_parser **out, const rp_fields *fields)
{
    *out = NULL;
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
    if (fields)
        p->fields = *fields;
    *out = p;
    return RP_OK;
}

void rp_parser_free(rp_parser *p)
{
    if (!p)
        return;
    if (p->root)
        json_object_put(p->root);
    json_tokener_free(p->tok);
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

/* ---- raw lexer: where is the value of key `name`? ------------------------ */

static size_t skip_ws(const char *s, size_t i, size_t n)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
                     s[i] == '\n'))
        i++;
    return i;
}

static size_t skip_string(const char *s, size_t i, size_t n)
{
    i++; /* opening quote */
    for (;;) {
        const char *q = i < n ? memchr(s + i, '"', n - i) : NULL;
        if (!q)
            return n;
        size_t at = (size_t)(q - s), bs = 0;
        while (at - bs > i && s[at - bs - 1] == '\\')
            bs++;
        if (bs % 2 == 0)
            return at + 1; /* not escaped */
        i = at + 1;
    }
}

static size_t skip_value(const char *s, size_t i, size_t n)
{
    if (i < n && s[i] == '"')
        return skip_string(s, i, n);
    int depth = 0;
    while (i < n) {
        char c = s[i];
        if (c == '"') {
            i = skip_string(s, i, n);
            continue;
        }
        if (c == '{' || c == '[')
            depth++;
        else if (c == '}' || c == ']') {
            if (depth == 0)
                return i;
            depth--;
            if (depth == 0)
                return i + 1;
        } else if (depth == 0 && (c == ',' || c == ' ' || c == '\t' ||
                                  c == '\r' || c == '\n'))
            return i;
        i++;
    }
    return i;
}

static rp_span find_raw_value(const char *s, size_t n, const char *name)
{
    rp_span found = {0, 0};
    size_t nl = strlen(name);
    size_t i = skip_ws(s, 0, n);
    if (i >= n || s[i] != '{')
        return found;
    i++;
    for (;;) {
        i = skip_ws(s, i, n);
        if (i >= n || s[i] != '"')
            return found;
        size_t kend = skip_string(s, i, n);
        int match = kend - i - 2 == nl && memcmp(s + i + 1, name, nl) == 0;
        i = skip_ws(s, kend, n);
        if (i >= n || s[i] != ':')
            return found;
        i = skip_ws(s, i + 1, n);
        size_t vend = skip_value(s, i, n);
        if (match) {
            found.offset = i;
            found.len = (uint32_t)(vend - i);
        }
        i = skip_ws(s, vend, n);
        if (i >= n || s[i] != ',')
            return found;
        i++;
    }
}

/* ---- field picking --------------------------------------------------------- */

static json_object *pick(json_object *root, const char *name,
                         const char *const *defaults, const char **used)
{
    json_object *v = NULL;
    if (name) {
        if (json_object_object_get_ex(root, name, &v)) {
            *used = name;
            return v;
        }
        return NULL;
    }
    for (const char *const *d = defaults; *d; d++) {
        if (json_object_object_get_ex(root, *d, &v) &&
            !json_object_is_type(v, json_type_null)) {
            *used = *d;
            return v;
        }
    }
    return NULL;
}

static const char *as_text(json_object *v, rp_buf *scratch)
{
    if (!v)
        return NULL;
    if (json_object_is_type(v, json_type_string))
        return json_object_get_string(v);
    if (json_object_is_type(v, json_type_int)) {
        scratch->len = 0;
        char tmp[32];
        int n = snprintf(tmp, sizeof tmp, "%lld",
                         (long long)json_object_get_int64(v));
        if (rp_buf_put(scratch, tmp, (size_t)n))
            return NULL;
        return scratch->data;
    }
    if (json_object_is_type(v, json_type_double)) {
        scratch->len = 0;
        char tmp[64];
        int n = snprintf(tmp, sizeof tmp, "%.3f", json_object_get_double(v));
        if (rp_buf_put(scratch, tmp, (size_t)n))
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
        size_t i = skip_ws(u->data, end, u->len);
        if (i < u->len)
            return rp__error_set(err, RP_EFORMAT, file_name, u->line,
                                 u->offset + i,
                                 "invalid JSON: extra data after the record "
                                 "(column %zu)", i + 1);
    }
    if (!json_object_is_type(p->root, json_type_object))
        return rp__error_set(err, RP_EFORMAT, file_name, u->line, u->offset,
                             "record is not a JSON object");
    const char *used = NULL;
    json_object *tv = pick(p->root, p->fields.text, def_text, &used);
    if (!tv)
        return rp__error_set(err, RP_EFORMAT, file_name, u->line, u->offset,
                             "no text field (looked for %s)",
                             p->fields.text ? p->fields.text
                                            : "text, content, body, article, "
                                              "maintext; set --text-field");
    if (!json_object_is_type(tv, json_type_string))
        return rp__error_set(err, RP_EFORMAT, file_name, u->line, u->offset,
                             "text field \"%s\" is not a string", used);
    out->text = json_object_get_string(tv);
    out->text_len = (size_t)json_object_get_string_len(tv);
    size_t bad = rp_utf8_valid_prefix(out->text, out->text_len);
    if (bad < out->text_len)
        return rp__error_set(err, RP_EFORMAT, file_name, u->line, u->offset,
                             "invalid UTF-8 in the text field (text byte "
                             "%zu)", bad);
    out->text_raw = find_raw_value(u->data, u->len, used);
    if (out->text_raw.len < 2 || u->data[out->text_raw.offset] != '"')
        return rp__error_set(err, RP_EFORMAT, file_name, u->line, u->offset,
                             "cannot locate the text field's bytes");

    const char *unused;
    const char *id = as_text(pick(p->root, p->fields.id, def_id, &unused),
                             &p->num);
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

    json_object *dv = pick(p->root, p->fields.date, def_date, &unused);
    const char *ds = as_text(dv, &p->num);
    if (ds) {
        if (rp_date_parse(&out->date, ds, strlen(ds)) != RP_OK)
            out->date_bad = 1;
    } else if (dv) {
        out->date_bad = 1;
    }
    json_object *uv = pick(p->root, p->fields.url, def_url, &unused);
    if (uv && json_object_is_type(uv, json_type_string))
        out->url = json_object_get_string(uv);
    const char *src = NULL;
    json_object *sv = pick(p->root, p->fields.source, def_source, &unused);
    if (sv && json_object_is_type(sv, json_type_string))
        src = json_object_get_string(sv);
    out->source_basis = src ? RP_SOURCE_FIELD : RP_SOURCE_NONE;
    if (!src && out->url) {
        src = url_host(out->url, &p->host);
        out->source_basis = src ? RP_SOURCE_URL : RP_SOURCE_NONE;
    }
    out->source = src;
    json_object *fv = pick(p->root, p->fields.file, def_file, &unused);
    if (fv && json_object_is_type(fv, json_type_string))
        out->file = json_object_get_string(fv);
    return RP_OK;
}
