/*
 * layout.h - options structs as callers built against RP_FIELDS_VERSION 1
 * lay them out: the same members before and after an embedded rp_fields
 * that had no title then (7 pointers). dedup/options.c and trace/trace.c
 * copy between that layout and the current one with these. Library-
 * internal.
 */
#ifndef RP_LIB_COMMON_LAYOUT_H
#define RP_LIB_COMMON_LAYOUT_H

#include <stddef.h>
#include <string.h>

/* rp_fields as version 1 laid it out */
typedef struct rp__fields_v1 {
    const char *text, *id, *date, *source, *url, *file, *author;
} rp__fields_v1;

/* Where the parts lie: rp_fields at `fields` in both layouts; the members
 * after it from `old_tail` in the old one and `cur_tail` in the current
 * one; `old_size` bytes of the old struct in all. */
typedef struct rp__layout_v1 {
    size_t fields, old_tail, cur_tail, old_size;
} rp__layout_v1;

/* old (a caller's struct of an old version) into cur */
static inline void rp__layout_read_v1(void *cur, const void *old,
                                      const rp__layout_v1 *l)
{
    unsigned char *c = cur;
    const unsigned char *o = old;
    memcpy(c, o, l->fields);
    memcpy(c + l->fields, o + l->fields, sizeof(rp__fields_v1));
    memcpy(c + l->cur_tail, o + l->old_tail, l->old_size - l->old_tail);
}

/* cur written into old's layout and size */
static inline void rp__layout_write_v1(void *old, const void *cur,
                                       const rp__layout_v1 *l)
{
    unsigned char *o = old;
    const unsigned char *c = cur;
    memcpy(o, c, l->fields);
    memcpy(o + l->fields, c + l->fields, sizeof(rp__fields_v1));
    memcpy(o + l->old_tail, c + l->cur_tail, l->old_size - l->old_tail);
}

#endif
