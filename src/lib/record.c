/*
 * record.c - parse one JSON Lines record with json-c, pick the fields, and
 * locate the raw text token.
 *
 * json-c (chosen by measurement: bench/json/, 486 MB/s against cJSON's 588
 * MB/s and jansson's 87 MB/s on Reuters; unlike cJSON its tokener holds
 * its own error state, so parsers on several threads share nothing)
 * validates the record. A small lexer then walks the top-level object's raw
 * bytes to find where the text value's string token lies, since json-c
 * keeps no positions. Keys are compared decoded ("te\u0078t" is "text"), and
 * a field reprint reads that appears twice is a bad record: json-c keeps
 * the last copy, the raw rewrite would cut the other one.
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
static const char *const def_title[] = {"title", "headline", NULL};

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

/*
 * A key's decoded bytes into out (at most cap); returns the decoded length,
 * or cap + 1 when longer than cap (then it matches no field name). JSON
 * escapes are decoded as json-c decodes them, so "te\u0078t" is "text".
 */
static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if ((c | 32) >= 'a' && (c | 32) <= 'f')
        return (c | 32) - 'a' + 10;
    return -1;
}

static size_t decode_key(const char *s, size_t b, size_t e, char *out,
                         size_t cap)
{
    size_t n = 0;
    for (size_t i = b; i < e; i++) {
        unsigned long cp = (unsigned char)s[i];
        if (s[i] == '\\' && i + 1 < e) {
            char c = s[++i];
            cp = c == 'b'   ? '\b'
                 : c == 'f' ? '\f'
                 : c == 'n' ? '\n'
                 : c == 'r' ? '\r'
                 : c == 't' ? '\t'
                            : (unsigned char)c;
            if (c == 'u') {
                cp = 0;
                for (int k = 0; k < 4; k++) {
                    int h = i + 1 < e ? hexval(s[i + 1]) : -1;
                    if (h < 0)
                        return cap + 1;
                    cp = cp << 4 | (unsigned long)h;
                    i++;
                }
                if (cp >= 0xd800 && cp < 0xdc00 && i + 6 < e &&
                    s[i + 1] == '\\' && s[i + 2] == 'u') {
                    unsigned long lo = 0;
                    int okk = 1;
                    for (int k = 0; k < 4; k++) {
                        int h = hexval(s[i + 3 + k]);
                        if (h < 0)
                            okk = 0;
                        lo = lo << 4 | (unsigned long)(h < 0 ? 0 : h);
                    }
                    if (okk && lo >= 0xdc00 && lo < 0xe000) {
                        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                        i += 6;
                    }
                }
                unsigned char u[4];
                size_t m;
                if (cp < 0x80) {
                    u[0] = (unsigned char)cp;
                    m = 1;
                } else if (cp < 0x800) {
                    u[0] = (unsigned char)(0xc0 | cp >> 6);
                    u[1] = (unsigned char)(0x80 | (cp & 0x3f));
                    m = 2;
                } else if (cp < 0x10000) {
                    u[0] = (unsigned char)(0xe0 | cp >> 12);
                    u[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
                    u[2] = (unsigned char)(0x80 | (cp & 0x3f));
                    m = 3;
                } else {
                    u[0] = (unsigned char)(0xf0 | cp >> 18);
                    u[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
                    u[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
                    u[3] = (unsigned char)(0x80 | (cp & 0x3f));
                    m = 4;
                }
                if (n + m > cap)
                    return cap + 1;
                memcpy(out + n, u, m);
                n += m;
                continue;
            }
        }
        if (n + 1 > cap)
            return cap + 1;
        out[n++] = (char)cp;
    }
    return n;
}

/*
 * Walk the top-level object's keys. For each of the `count` names, the
 * value span of its last occurrence goes to found[i] and the number of
 * occurrences to seen[i]. Keys are compared decoded, as json-c stores them.
 */
static void find_raw_values(const char *s, size_t n, const char *const *names,
                            size_t count, rp_span *found, unsigned *seen)
{
    size_t nl[8];
    size_t longest = 0;
    for (size_t k = 0; k < count; k++) {
        found[k].offset = 0;
        found[k].len = 0;
        seen[k] = 0;
        nl[k] = names[k] ? strlen(names[k]) : 0;
        if (nl[k] > longest)
            longest = nl[k];
    }
    char key[256];
    if (longest > sizeof key)
        longest = sizeof key;
    size_t i = skip_ws(s, 0, n);
    if (i >= n || s[i] != '{')
        return;
    i++;
    for (;;) {
        i = skip_ws(s, i, n);
        if (i >= n || s[i] != '"')
            return;
        size_t kend = skip_string(s, i, n);
        size_t kl;
        const char *k;
        if (kend >= i + 2 && memchr(s + i + 1, '\\', kend - i - 2)) {
            kl = decode_key(s, i + 1, kend - 1, key, longest);
            k = key;
        } else {
            kl = kend >= i + 2 ? kend - i - 2 : 0;
            k = s + i + 1;
        }
        i = skip_ws(s, kend, n);
        if (i >= n || s[i] != ':')
            return;
        i = skip_ws(s, i + 1, n);
        size_t vend = skip_value(s, i, n);
        for (size_t m = 0; m < count; m++) {
            if (names[m] && kl == nl[m] && memcmp(k, names[m], kl) == 0) {
                found[m].offset = i;
                found[m].len = (uint32_t)(vend - i);
                seen[m]++;
            }
        }
        i = skip_ws(s, vend, n);
        if (i >= n || s[i] != ',')
            return;
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
    if (!tv) {
        /* a text field that is there but null says so */
        const char *const one[2] = {p->fields.text, NULL};
        const char *const *names = p->fields.text ? one : def_text;
        for (const char *const *d = names; *d; d++) {
            json_object *nv = NULL;
            if (json_object_object_get_ex(p->root, *d, &nv) && !nv)
                return rp__error_set(err, RP_EFORMAT, file_name, u->line,
                                     u->offset, "text field \"%s\" is null",
                                     *d);
        }
        return rp__error_set(err, RP_EFORMAT, file_name, u->line, u->offset,
                             "no text field (looked for %s)",
                             p->fields.text ? p->fields.text
                                            : "text, content, body, article, "
                                              "maintext; set --text-field");
    }
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

    /* every field reprint reads, by the key json-c took it from */
    enum { F_TEXT, F_ID, F_DATE, F_URL, F_SOURCE, F_FILE, F_N };
    static const char *const what[F_N] = {"text", "id",     "date",
                                          "url",  "source", "file"};
    const char *names[F_N] = {used, NULL, NULL, NULL, NULL, NULL};
    json_object *iv = pick(p->root, p->fields.id, def_id, &names[F_ID]);
    json_object *dv = pick(p->root, p->fields.date, def_date, &names[F_DATE]);
    json_object *uv = pick(p->root, p->fields.url, def_url, &names[F_URL]);
    json_object *sv =
        pick(p->root, p->fields.source, def_source, &names[F_SOURCE]);
    json_object *fv = pick(p->root, p->fields.file, def_file, &names[F_FILE]);
    rp_span spans[F_N];
    unsigned seen[F_N];
    find_raw_values(u->data, u->len, names, F_N, spans, seen);
    /* One rule for duplicate keys: json-c keeps the last, and the output
     * rewrites raw bytes, so a field reprint reads that appears twice
     * (even spelt with escapes, "te\u0078t") would lose the other copy's
     * bytes: a bad record. */
    for (int k = 0; k < F_N; k++)
        if (seen[k] > 1)
            return rp__error_set(err, RP_EFORMAT, file_name, u->line,
                                 u->offset,
                                 "duplicate key \"%s\" (the %s field appears "
                                 "%u times)", names[k], what[k], seen[k]);
    out->text_raw = spans[F_TEXT];
    if (out->text_raw.len < 2 || u->data[out->text_raw.offset] != '"')
        return rp__error_set(err, RP_EFORMAT, file_name, u->line, u->offset,
                             "cannot locate the text field's bytes");

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
    /* url, source and file go into JSON and HTML outputs: valid UTF-8 */
    json_object *strs[3] = {uv, sv, fv};
    static const int kinds[3] = {F_URL, F_SOURCE, F_FILE};
    for (int k = 0; k < 3; k++) {
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
    /* title: read for reports only, never rewritten */
    const char *tname = NULL;
    json_object *tv2 = pick(p->root, NULL, def_title, &tname);
    if (tv2 && json_object_is_type(tv2, json_type_string)) {
        size_t tl = (size_t)json_object_get_string_len(tv2);
        if (rp_utf8_valid_prefix(json_object_get_string(tv2), tl) < tl)
            return rp__error_set(err, RP_EFORMAT, file_name, u->line,
                                 u->offset, "invalid UTF-8 in the title "
                                 "field");
        out->title = json_object_get_string(tv2);
    }
    return RP_OK;
}
