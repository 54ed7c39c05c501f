/* sniff.h - formats that are not JSON Lines, told by their first bytes. */
#ifndef RP_LIB_SNIFF_H
#define RP_LIB_SNIFF_H

#include <stddef.h>

/*
 * Why the first n bytes of a (decompressed) file are not JSON Lines
 * ("looks like Parquet; ..."), or NULL. Only bytes that could not be read
 * as JSON Lines anyway are named: none that start with '{' after white
 * space, except a lone '{' line (pretty-printed JSON).
 */
const char *rp__sniff(const unsigned char *p, size_t n);

#endif
