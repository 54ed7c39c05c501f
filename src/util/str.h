/*
 * str.h - owned copies of strings, and paths: the few helpers the readers,
 * writers and the index all need. NULL when malloc fails.
 */
#ifndef RP_UTIL_STR_H
#define RP_UTIL_STR_H

#include <stdlib.h>
#include <string.h>

/* a copy of s[0..n) with a NUL after it */
static inline char *rp_str_dup_n(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static inline char *rp_str_dup(const char *s)
{
    return rp_str_dup_n(s, strlen(s));
}

/* "a/b" */
static inline char *rp_str_join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *p = malloc(la + lb + 2);
    if (!p)
        return NULL;
    memcpy(p, a, la);
    p[la] = '/';
    memcpy(p + la + 1, b, lb + 1);
    return p;
}

static inline int rp_str_ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* both NULL, or equal */
static inline int rp_str_same(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

#endif
