/*
 * le.h - little- and big-endian fields of the index's files (store/).
 * Library-internal.
 */
#ifndef RP_LIB_STORE_LE_H
#define RP_LIB_STORE_LE_H

#include <stdint.h>
#include <string.h>

static inline void rp__put32(unsigned char *b, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b[i] = (unsigned char)(v >> (8 * i));
}

static inline void rp__put64(unsigned char *b, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
}

static inline uint32_t rp__get32(const unsigned char *b)
{
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--)
        v = v << 8 | b[i];
    return v;
}

static inline uint64_t rp__get64(const unsigned char *b)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | b[i];
    return v;
}

static inline void rp__putf64(unsigned char *b, double d)
{
    uint64_t v;
    memcpy(&v, &d, 8);
    rp__put64(b, v);
}

static inline double rp__getf64(const unsigned char *b)
{
    uint64_t v = rp__get64(b);
    double d;
    memcpy(&d, &v, 8);
    return d;
}

#endif
