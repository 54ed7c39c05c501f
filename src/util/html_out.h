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

/* Append s with bidi controls made visible ("[U+202E]") and other C0
 * controls but tab and newline turned into U+FFFD, nothing else escaped:
 * text that a script will show with textContent. Valid UTF-8 in. */
int rp_html_put_visible(rp_buf *b, const char *s, size_t len);

/* Append JSON text (rp_json_put_* output) as the content of a
 * <script type="application/json"> data block: < > & ' become \u003c,
 * \u003e, \u0026, \u0027, so no "</script" or "<!--" can end the block
 * early (and no quote there reads as closing an attribute).
 * Valid because JSON has those characters only inside strings. */
int rp_html_put_script_data(rp_buf *b, const char *json, size_t len);

#endif
