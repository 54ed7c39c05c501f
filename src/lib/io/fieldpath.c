/*
 * fieldpath.c - field paths into a JSON record.
 *
 * A field option names a key ("date"), a dotted path ("metadata.date") or
 * a JSON Pointer (RFC 6901: "/metadata/date", with ~1 for '/' and ~0 for
 * '~' inside a key). A segment of decimal digits ("0", "12", no leading
 * zero) also indexes an array, so "/authors/0/name" works.
 *
 * The value is read from json-c's tree (rp__path_get). json-c keeps no
 * byte positions, so a small lexer walks the record's raw bytes to find
 * where the value lies (rp__path_locate): dedup rewrites the text value
 * in place and copies every other byte, and the duplicate-key rule (a key
 * reprint reads that appears twice is a bad record: json-c keeps the last
 * copy, the raw rewrite would cut the other) needs the count of each key
 * along the path. Keys are compared decoded, as json-c stores them, so
 * "te\u0078t" is "text".
 *
 *   {"id":..,"text":"..","metadata":{"url":"..","date":".."}}
 *    ^ one walk of the top-level keys serves every path;
 *                          paths with more segments descend from the
 *                          value of their first key (small objects)
 */
#include "fieldpath.h"

#include "../../util/buf.h"

#include <stdio.h>
#include <string.h>

#define KEY_MAX 1024 /* longest segment, bytes (decoded keys compared) */

static int why_set(char *why, size_t cap, const char *msg)
{
    if (why && cap)
        snprintf(why, cap, "%s", msg);
    return RP_EINVAL;
}

int rp__path_parse(rp__path *out, const char *spec, char *why,
                   size_t why_cap)
{
    memset(out, 0, sizeof *out);
    if (!spec || !*spec)
        return why_set(why, why_cap, "an empty field name");
    size_t n = strlen(spec);
    out->spec = malloc(n + 1);
    out->store = malloc(n + 2);
    if (!out->spec || !out->store) {
        rp__path_dispose(out);
        return RP_ENOMEM;
    }
    memcpy(out->spec, spec, n + 1);
    int pointer = spec[0] == '/';
    char sep = pointer ? '/' : '.';
    const char *p = pointer ? spec + 1 : spec;
    char *w = out->store;
    int rc = RP_OK;
    for (;;) {
        if (out->nseg == RP__PATH_MAX_DEPTH) {
            rc = why_set(why, why_cap, "a path deeper than 32 keys");
            break;
        }
        const char *seg = w;
        while (*p && *p != sep) {
            if (pointer && *p == '~') {
                if (p[1] != '0' && p[1] != '1') {
                    rc = why_set(why, why_cap,
                                 "'~' in a JSON Pointer must be followed by "
                                 "0 (for '~') or 1 (for '/')");
                    break;
                }
                *w++ = p[1] == '0' ? '~' : '/';
                p += 2;
            } else {
                *w++ = *p++;
            }
        }
        if (rc != RP_OK)
            break;
        size_t len = (size_t)(w - seg);
        *w++ = '\0';
        if (!pointer && len == 0) {
            rc = why_set(why, why_cap,
                         "an empty key in a dotted path (a key with a dot "
                         "in it is written as a JSON Pointer: /a.b)");
            break;
        }
        if (len > KEY_MAX) {
            rc = why_set(why, why_cap, "a key longer than 1024 bytes");
            break;
        }
        out->seg[out->nseg] = seg;
        out->seglen[out->nseg++] = len;
        if (!*p)
            break;
        p++; /* the separator */
    }
    if (rc != RP_OK)
        rp__path_dispose(out);
    return rc;
}

void rp__path_dispose(rp__path *p)
{
    free(p->spec);
    free(p->store);
    memset(p, 0, sizeof *p);
}

/* An array index: digits, no leading zero (RFC 6901 section 4). */
static int as_index(const char *s, size_t len, size_t *out)
{
    if (len == 0 || len > 9 || (len > 1 && s[0] == '0'))
        return 0;
    size_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (size_t)(s[i] - '0');
    }
    *out = v;
    return 1;
}

json_object *rp__path_get(json_object *root, const rp__path *p, int *present)
{
    json_object *v = root;
    *present = 0;
    for (size_t d = 0; d < p->nseg; d++) {
        json_object *next = NULL;
        size_t idx;
        if (json_object_is_type(v, json_type_object)) {
            if (!json_object_object_get_ex(v, p->seg[d], &next))
                return NULL;
        } else if (json_object_is_type(v, json_type_array) &&
                   as_index(p->seg[d], p->seglen[d], &idx)) {
            if (idx >= json_object_array_length(v))
                return NULL;
            next = json_object_array_get_idx(v, idx);
        } else {
            return NULL;
        }
        if (d + 1 == p->nseg) {
            *present = 1;
            return next;
        }
        if (!next)
            return NULL;
        v = next;
    }
    return NULL;
}

/* ---- raw lexer ------------------------------------------------------------ */

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

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if ((c | 32) >= 'a' && (c | 32) <= 'f')
        return (c | 32) - 'a' + 10;
    return -1;
}

static size_t put_utf8(char *out, unsigned long cp)
{
    unsigned char *u = (unsigned char *)out;
    if (cp < 0x80) {
        u[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        u[0] = (unsigned char)(0xc0 | cp >> 6);
        u[1] = (unsigned char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        u[0] = (unsigned char)(0xe0 | cp >> 12);
        u[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
        u[2] = (unsigned char)(0x80 | (cp & 0x3f));
        return 3;
    }
    u[0] = (unsigned char)(0xf0 | cp >> 18);
    u[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
    u[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
    u[3] = (unsigned char)(0x80 | (cp & 0x3f));
    return 4;
}

/*
 * A key's decoded bytes into out (room for cap + 4); returns the decoded
 * length, or cap + 1 when longer than cap (then it matches no segment).
 * JSON escapes are decoded as json-c decodes them.
 */
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
                if (n > cap)
                    return cap + 1;
                n += put_utf8(out + n, cp);
                continue;
            }
        }
        if (n + 1 > cap)
            return cap + 1;
        out[n++] = (char)cp;
    }
    return n > cap ? cap + 1 : n;
}

/* The key at s[i] (a '"'), decoded when it has escapes; its end in *kend. */
static const char *read_key(const char *s, size_t i, size_t n, char *buf,
                            size_t *kl, size_t *kend)
{
    *kend = skip_string(s, i, n);
    size_t e = *kend >= i + 2 ? *kend - 1 : i + 1;
    if (e > i + 1 && memchr(s + i + 1, '\\', e - i - 1)) {
        *kl = decode_key(s, i + 1, e, buf, KEY_MAX);
        return buf;
    }
    *kl = e - i - 1;
    return s + i + 1;
}

/* Descend from the value at s[i] along segments d.. of p. */
static void descend(const char *s, size_t n, size_t i, const rp__path *p,
                    size_t d, rp_span *found, unsigned *dups, char *key)
{
    for (; d < p->nseg; d++) {
        i = skip_ws(s, i, n);
        size_t idx;
        if (i < n && s[i] == '{') {
            size_t last = 0;
            unsigned cnt = 0;
            i++;
            for (;;) {
                i = skip_ws(s, i, n);
                if (i >= n || s[i] != '"')
                    break;
                size_t kl, kend;
                const char *k = read_key(s, i, n, key, &kl, &kend);
                i = skip_ws(s, kend, n);
                if (i >= n || s[i] != ':')
                    break;
                i = skip_ws(s, i + 1, n);
                if (kl == p->seglen[d] && memcmp(k, p->seg[d], kl) == 0) {
                    last = i;
                    cnt++;
                }
                i = skip_ws(s, skip_value(s, i, n), n);
                if (i >= n || s[i] != ',')
                    break;
                i++;
            }
            if (cnt > *dups)
                *dups = cnt;
            if (!cnt)
                return;
            i = last;
        } else if (i < n && s[i] == '[' &&
                   as_index(p->seg[d], p->seglen[d], &idx)) {
            i = skip_ws(s, i + 1, n);
            for (size_t k = 0; k < idx; k++) {
                if (i >= n || s[i] == ']')
                    return;
                i = skip_ws(s, skip_value(s, i, n), n);
                if (i >= n || s[i] != ',')
                    return;
                i = skip_ws(s, i + 1, n);
            }
            if (i >= n || s[i] == ']')
                return;
        } else {
            return;
        }
    }
    size_t end = skip_value(s, i, n);
    found->offset = i;
    found->len = (uint32_t)(end - i);
}

void rp__path_locate(const char *s, size_t n, const rp__path *const *paths,
                     size_t count, rp_span *found, unsigned *dups)
{
    char key[KEY_MAX + 8];
    size_t last[16];
    if (count > 16)
        count = 16; /* record.c asks for six */
    for (size_t k = 0; k < count; k++) {
        found[k].offset = 0;
        found[k].len = 0;
        dups[k] = 0;
        last[k] = 0;
    }
    size_t i = skip_ws(s, 0, n);
    if (i >= n || s[i] != '{')
        return;
    i++;
    for (;;) {
        i = skip_ws(s, i, n);
        if (i >= n || s[i] != '"')
            break;
        size_t kl, kend;
        const char *k = read_key(s, i, n, key, &kl, &kend);
        i = skip_ws(s, kend, n);
        if (i >= n || s[i] != ':')
            break;
        i = skip_ws(s, i + 1, n);
        for (size_t m = 0; m < count; m++) {
            const rp__path *p = paths[m];
            if (p && p->nseg && kl == p->seglen[0] &&
                memcmp(k, p->seg[0], kl) == 0) {
                last[m] = i;
                dups[m]++;
            }
        }
        i = skip_ws(s, skip_value(s, i, n), n);
        if (i >= n || s[i] != ',')
            break;
        i++;
    }
    for (size_t m = 0; m < count; m++)
        if (dups[m])
            descend(s, n, last[m], paths[m], 1, &found[m], &dups[m], key);
}
