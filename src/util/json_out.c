/* json_out.c - see json_out.h. */
#include "json_out.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int rp_json_put_string(rp_buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    if (rp_buf_reserve(b, len + 2))
        return -1;
    b->data[b->len++] = '"';
    size_t run = 0; /* start of the pending run of plain bytes */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char u[7];
        if (c == '"')
            esc = "\\\"";
        else if (c == '\\')
            esc = "\\\\";
        else if (c == '\n')
            esc = "\\n";
        else if (c == '\r')
            esc = "\\r";
        else if (c == '\t')
            esc = "\\t";
        else if (c < 0x20 || c == 0x7f) {
            u[0] = '\\';
            u[1] = 'u';
            u[2] = '0';
            u[3] = '0';
            u[4] = hex[c >> 4];
            u[5] = hex[c & 15];
            u[6] = '\0';
            esc = u;
        } else if (c == 0xe2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
                   ((unsigned char)s[i + 2] == 0xa8 ||
                    (unsigned char)s[i + 2] == 0xa9)) {
            esc = (unsigned char)s[i + 2] == 0xa8 ? "\\u2028" : "\\u2029";
        }
        if (!esc)
            continue;
        if (rp_buf_put(b, s + run, i - run) || rp_buf_puts(b, esc))
            return -1;
        if (c == 0xe2)
            i += 2;
        run = i + 1;
    }
    if (rp_buf_put(b, s + run, len - run) || rp_buf_putc(b, '"'))
        return -1;
    return 0;
}

int rp_json_put_u64(rp_buf *b, uint64_t v)
{
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v);
    return rp_buf_put(b, tmp, (size_t)n);
}

/*
 * One rule for every fractional number reprint writes as JSON: rounded to
 * `decimals` places, then written in its shortest form: trailing zeros and
 * a bare decimal point dropped, so 1.0000 is 1, 0.9600 is 0.96, and a
 * whole number looks like one written by rp_json_put_u64. -0 is 0;
 * NaN and infinities (never valid JSON) are null.
 */
int rp_json_put_double(rp_buf *b, double v, int decimals)
{
    char tmp[352]; /* %.*f of DBL_MAX is 309 digits, plus decimals */
    if (!isfinite(v))
        return rp_buf_puts(b, "null");
    if (decimals < 0)
        decimals = 0;
    if (decimals > 17)
        decimals = 17;
    int n = snprintf(tmp, sizeof tmp, "%.*f", decimals, v);
    if (n < 0 || (size_t)n >= sizeof tmp)
        return -1;
    if (memchr(tmp, '.', (size_t)n)) {
        while (n > 0 && tmp[n - 1] == '0')
            n--;
        if (n > 0 && tmp[n - 1] == '.')
            n--;
    }
    tmp[n] = '\0';
    if (strcmp(tmp, "-0") == 0)
        return rp_buf_putc(b, '0');
    return rp_buf_put(b, tmp, (size_t)n);
}
