/*
 * md_out.h - append untrusted text to Markdown, on one line. Markdown
 * passes raw HTML through (`<script>`, `<a href="javascript:...">`), and
 * its own link, emphasis and code syntax can make text into something
 * else; so:
 *   < > &                 as entities &lt; &gt; &amp; (no raw HTML)
 *   \ ` * _ [ ] | ~       backslash-escaped (no links, emphasis, code,
 *                         table cells or strike-through made of text);
 *                         `_` between ASCII letters or digits stays, as
 *                         it cannot emphasise there (file_name.txt)
 *   newline, CR, tab      a space (the text stays on its line)
 *   other C0 controls     U+FFFD
 *   bidi controls         a visible \[U+202E\] (as html_out.h)
 * Input must be valid UTF-8.
 */
#ifndef RP_UTIL_MD_OUT_H
#define RP_UTIL_MD_OUT_H

#include "buf.h"

int rp_md_put_text(rp_buf *b, const char *s, size_t len);

#endif
