/*
 * html_out.h - append untrusted text to HTML. Escapes & < > " ' so text
 * can stand in element content and quoted attributes alike, and turns
 * bidirectional control characters (U+200E/F, U+202A-E, U+2066-9, U+061C)
 * into visible "[U+202E]" marks so an article cannot reorder the page
 * around it. Input must be valid UTF-8.
 */
#ifndef RP_UTIL_HTML_OUT_H
#define RP_UTIL_HTML_OUT_H

#include "buf.h"

int rp_html_put_text(rp_buf *b, const char *s, size_t len);

#endif
