/*
 * json_out.h - append JSON text to a buffer: escaped strings, numbers.
 * Escapes ", \, control characters, and U+2028/U+2029 (which break some
 * JavaScript consumers). Input must be valid UTF-8 (reprint validates
 * text before it reaches an output).
 */
#ifndef RP_UTIL_JSON_OUT_H
#define RP_UTIL_JSON_OUT_H

#include "buf.h"

int rp_json_put_string(rp_buf *b, const char *s, size_t len);
int rp_json_put_u64(rp_buf *b, uint64_t v);
/* v rounded to `decimals` places, trailing zeros dropped (1.0000 -> 1,
 * 0.9600 -> 0.96); NaN and infinities as null. */
int rp_json_put_double(rp_buf *b, double v, int decimals);

#endif
