/* md_out.c - see md_out.h. */
#include "md_out.h"

#include "utf8.h"

#include <stdio.h>

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
                unsigned c = rp_utf8_decode(u + i, len - i, &n);
                if (rp_is_bidi_control(c)) {
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
