/* md_out.c - see md_out.h. */
#include "md_out.h"

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

static int is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
}

int rp_md_put_text(rp_buf *b, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t run = 0;
    for (size_t i = 0; i < len;) {
        size_t n = 1;
        const char *esc = NULL;
        char mark[24];
        switch (u[i]) {
        case '&': esc = "&amp;"; break;
        case '<': esc = "&lt;"; break;
        case '>': esc = "&gt;"; break;
        case '\\': esc = "\\\\"; break;
        case '`': esc = "\\`"; break;
        case '*': esc = "\\*"; break;
        case '_': /* between letters or digits it cannot emphasise */
            if (!(i > 0 && i + 1 < len && is_alnum(u[i - 1]) &&
                  is_alnum(u[i + 1])))
                esc = "\\_";
            break;
        case '[': esc = "\\["; break;
        case ']': esc = "\\]"; break;
        case '|': esc = "\\|"; break;
        case '~': esc = "\\~"; break;
        case '\n':
        case '\r':
        case '\t': esc = " "; break;
        default:
            if (u[i] >= 0x80) {
                unsigned c = decode(u + i, len - i, &n);
                if (is_bidi_control(c)) {
                    snprintf(mark, sizeof mark, "\\[U+%04X\\]", c);
                    esc = mark;
                }
            } else if (u[i] < 0x20 || u[i] == 0x7f) {
                esc = "\xef\xbf\xbd"; /* other controls: U+FFFD */
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
