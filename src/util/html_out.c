/* html_out.c - see html_out.h. */
#include "html_out.h"

#include <stdio.h>

/* code point of the UTF-8 sequence at s (valid UTF-8), its length in *n */
static unsigned decode(const unsigned char *s, size_t left, size_t *n)
{
    if (s[0] < 0x80 || left < 2) {
        *n = 1;
        return s[0];
    }
    if (s[0] < 0xe0) {
        *n = 2;
        return (unsigned)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
    }
    if (s[0] < 0xf0 || left < 4) {
        *n = left < 3 ? left : 3;
        return left < 3 ? 0xfffd
                        : (unsigned)(s[0] & 0x0f) << 12 |
                              (unsigned)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
    }
    *n = 4;
    return (unsigned)(s[0] & 0x07) << 18 | (unsigned)(s[1] & 0x3f) << 12 |
           (unsigned)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
}

static int is_bidi_control(unsigned c)
{
    return c == 0x200e || c == 0x200f || c == 0x061c ||
           (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

int rp_html_put_text(rp_buf *b, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t run = 0;
    for (size_t i = 0; i < len;) {
        size_t n = 1;
        const char *esc = NULL;
        char mark[16];
        switch (u[i]) {
        case '&': esc = "&amp;"; break;
        case '<': esc = "&lt;"; break;
        case '>': esc = "&gt;"; break;
        case '"': esc = "&quot;"; break;
        case '\'': esc = "&#39;"; break;
        default:
            if (u[i] >= 0x80) {
                unsigned c = decode(u + i, len - i, &n);
                if (is_bidi_control(c)) {
                    snprintf(mark, sizeof mark, "[U+%04X]", c);
                    esc = mark;
                }
            } else if (u[i] < 0x20 && u[i] != '\n' && u[i] != '\t') {
                esc = "\xef\xbf\xbd"; /* other C0 controls: U+FFFD */
            }
        }
        if (esc) {
            if (rp_buf_put(b, s + run, i - run) || rp_buf_puts(b, esc))
                return -1;
            run = i + n;
        }
        i += n;
    }
    return rp_buf_put(b, s + run, len - run);
}
