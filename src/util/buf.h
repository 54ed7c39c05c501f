/*
 * buf.h - a growable byte buffer with overflow-checked growth.
 * Leaf helper: knows nothing of reprint. Every function accepts a zeroed
 * buffer; rp_buf_dispose() returns it to that state.
 */
#ifndef RP_UTIL_BUF_H
#define RP_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct rp_buf {
    char *data;
    size_t len;      /* bytes used */
    size_t capacity; /* bytes allocated */
    int failed;      /* sticky: a growth failed, the contents are short */
} rp_buf;

/* Make room for `extra` more bytes. Returns 0 or -1 (overflow / ENOMEM). */
static inline int rp_buf_reserve(rp_buf *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len - 1) {
        b->failed = 1;
        return -1;
    }
    size_t need = b->len + extra + 1; /* +1: room for a terminating NUL */
    if (need <= b->capacity)
        return 0;
    size_t cap = b->capacity ? b->capacity : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = (char *)realloc(b->data, cap);
    if (!p) {
        b->failed = 1;
        return -1;
    }
    b->data = p;
    b->capacity = cap;
    return 0;
}

static inline int rp_buf_put(rp_buf *b, const void *data, size_t len)
{
    if (rp_buf_reserve(b, len))
        return -1;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

static inline int rp_buf_putc(rp_buf *b, char c)
{
    return rp_buf_put(b, &c, 1);
}

static inline int rp_buf_puts(rp_buf *b, const char *s)
{
    return rp_buf_put(b, s, strlen(s));
}

/* Append printf-style formatted text. Returns 0 or -1. */
static inline int rp_buf_printf(rp_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static inline int rp_buf_printf(rp_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || rp_buf_reserve(b, (size_t)n)) {
        b->failed = 1;
        return -1;
    }
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

static inline void rp_buf_dispose(rp_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->capacity = 0;
    b->failed = 0;
}

/*
 * Growable array of fixed-size elements: RP_VEC_PUSH(items, count, cap, v).
 * Evaluates to 0 on success, -1 on overflow or ENOMEM.
 */
static inline int rp_vec_grow(void **items, size_t *cap, size_t need,
                              size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 16;
    while (c < need) {
        if (c > SIZE_MAX / 2 / elem)
            return -1;
        c *= 2;
    }
    void *p = realloc(*items, c * elem);
    if (!p)
        return -1;
    *items = p;
    *cap = c;
    return 0;
}

#define RP_VEC_PUSH(items, count, cap, value)                                 \
    (rp_vec_grow((void **)&(items), &(cap), (count) + 1, sizeof *(items))     \
         ? -1                                                                 \
         : ((items)[(count)++] = (value), 0))

#endif
