/*
 * utf8.h - decoding one UTF-8 sequence and spotting bidi controls, for
 * the escapers of untrusted text (html_out.c, md_out.c). Leaf helper.
 */
#ifndef RP_UTIL_UTF8_H
#define RP_UTIL_UTF8_H

#include <stddef.h>

/* code point of the UTF-8 sequence at s (valid UTF-8), its length in *n */
static inline unsigned rp_utf8_decode(const unsigned char *s, size_t left,
                                      size_t *n)
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

/* a bidirectional control character (shown, never passed through) */
static inline int rp_is_bidi_control(unsigned c)
{
    return c == 0x200e || c == 0x200f || c == 0x061c ||
           (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

#endif
