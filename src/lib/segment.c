/*
 * segment.c - paragraphs by blank lines, indentation or lines; the rule is
 * chosen per document (see reprint/segment.h). One pass to index lines,
 * one pass to group them.
 */
#include "reprint/segment.h"

#include "../util/buf.h"

typedef struct line {
    uint32_t start; /* first byte of the line */
    uint32_t body;  /* first non-blank byte */
    uint32_t end;   /* after the last non-blank byte */
    uint8_t blank;
    uint8_t indented;
} line;

int rp_segment_paragraphs(rp_paragraph **out, size_t *count, size_t *cap,
                          const char *text, size_t len)
{
    *count = 0;
    line *lines = NULL;
    size_t nl = 0, lcap = 0;
    int rc = RP_ENOMEM;
    for (size_t i = 0; i < len;) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        line l;
        l.start = (uint32_t)i;
        size_t b = i;
        while (b < e && (text[b] == ' ' || text[b] == '\t' || text[b] == '\r' ||
                         text[b] == '\f' || text[b] == '\v'))
            b++;
        size_t t = e;
        while (t > b && (text[t - 1] == ' ' || text[t - 1] == '\t' ||
                         text[t - 1] == '\r' || text[t - 1] == '\f' ||
                         text[t - 1] == '\v'))
            t--;
        l.body = (uint32_t)b;
        l.end = (uint32_t)t;
        l.blank = b == e;
        l.indented = !l.blank && b > i;
        if (RP_VEC_PUSH(lines, nl, lcap, l))
            goto done;
        i = e + 1;
    }
    /* choose the rule */
    int rule = RP_PARA_LINE;
    int seen_text = 0, pending_blank = 0, nindent = 0, nplain = 0;
    for (size_t k = 0; k < nl; k++) {
        if (lines[k].blank) {
            if (seen_text)
                pending_blank = 1;
            continue;
        }
        if (pending_blank) {
            rule = RP_PARA_BLANK;
            break;
        }
        if (seen_text) {
            if (lines[k].indented)
                nindent++;
            else
                nplain++;
        }
        seen_text = 1;
    }
    if (rule != RP_PARA_BLANK && nindent >= 2 && nplain > 0)
        rule = RP_PARA_INDENT;

    size_t k = 0;
    while (k < nl) {
        if (lines[k].blank) {
            k++;
            continue;
        }
        size_t first = k, last = k;
        k++;
        if (rule != RP_PARA_LINE) {
            while (k < nl && !lines[k].blank &&
                   !(rule == RP_PARA_INDENT && lines[k].indented)) {
                last = k;
                k++;
            }
        }
        rp_paragraph p;
        p.offset = lines[first].body;
        p.len = lines[last].end - lines[first].body;
        p.cut_offset = lines[first].start;
        p.cut_len = 0; /* set when the next paragraph is known */
        if (*count > 0) {
            rp_paragraph *prev = &(*out)[*count - 1];
            prev->cut_len = p.cut_offset - prev->cut_offset;
        }
        if (RP_VEC_PUSH(*out, *count, *cap, p))
            goto done;
    }
    if (*count > 0) {
        rp_paragraph *prev = &(*out)[*count - 1];
        prev->cut_len = (uint32_t)len - prev->cut_offset;
    }
    rc = rule;
done:
    free(lines);
    return rc;
}
