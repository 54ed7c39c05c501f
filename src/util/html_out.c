/* html_out.c - see html_out.h. */
#include "html_out.h"

#include "utf8.h"

#include <stdio.h>

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
                unsigned c = rp_utf8_decode(u + i, len - i, &n);
                if (rp_is_bidi_control(c)) {
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

int rp_html_put_visible(rp_buf *b, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t run = 0;
    for (size_t i = 0; i < len;) {
        size_t n = 1;
        const char *esc = NULL;
        char mark[16];
        if (u[i] >= 0x80) {
            unsigned c = rp_utf8_decode(u + i, len - i, &n);
            if (rp_is_bidi_control(c)) {
                snprintf(mark, sizeof mark, "[U+%04X]", c);
                esc = mark;
            }
        } else if (u[i] < 0x20 && u[i] != '\n' && u[i] != '\t') {
            esc = "\xef\xbf\xbd";
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

int rp_html_put_script_data(rp_buf *b, const char *json, size_t len)
{
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        const char *esc = json[i] == '<'    ? "\\u003c"
                          : json[i] == '>'  ? "\\u003e"
                          : json[i] == '&'  ? "\\u0026"
                          : json[i] == '\'' ? "\\u0027"
                                            : NULL;
        if (!esc)
            continue;
        if (rp_buf_put(b, json + run, i - run) || rp_buf_puts(b, esc))
            return -1;
        run = i + 1;
    }
    return rp_buf_put(b, json + run, len - run);
}
