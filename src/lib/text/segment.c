/*
 * segment.c - paragraphs by blank lines, indentation or lines; the rule is
 * chosen per document (see reprint/sys/segment.h). One pass to index lines,
 * one pass to group them.
 */
#include "reprint/sys/segment.h"

#include "../../util/buf.h"

typedef struct line {
    uint32_t start; /* first byte of the line */
    uint32_t body;  /* first non-blank byte */
    uint32_t end;   /* after the last non-blank byte */
    uint8_t blank;
    uint8_t indented;
} line;

static int is_blank_byte(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* The line starting at *pos; advances *pos past its newline. */
static line next_line(const char *text, size_t len, size_t *pos)
{
    size_t i = *pos;
    const char *nl = memchr(text + i, '\n', len - i);
    size_t e = nl ? (size_t)(nl - text) : len;
    size_t b = i, t = e;
    while (b < e && is_blank_byte(text[b]))
        b++;
    while (t > b && is_blank_byte(text[t - 1]))
        t--;
    line l;
    l.start = (uint32_t)i;
    l.body = (uint32_t)b;
    l.end = (uint32_t)t;
    l.blank = b == e;
    l.indented = !l.blank && b > i;
    *pos = e + 1;
    return l;
}

int rp_segment_paragraphs(rp_paragraph **out, size_t *count, size_t *cap,
                          const char *text, size_t len)
{
    *count = 0;
    /* pass 1: choose the rule */
    int rule = RP_PARA_LINE;
    int seen_text = 0, pending_blank = 0, nindent = 0, nplain = 0;
    for (size_t pos = 0; pos < len;) {
        line l = next_line(text, len, &pos);
        if (l.blank) {
            pending_blank = seen_text;
            continue;
        }
        if (pending_blank) {
            rule = RP_PARA_BLANK;
            break;
        }
        if (seen_text) {
            nindent += l.indented;
            nplain += !l.indented;
        }
        seen_text = 1;
    }
    if (rule != RP_PARA_BLANK && nindent >= 2 && nplain > 0)
        rule = RP_PARA_INDENT;

    /* pass 2: group lines */
    rp_paragraph cur = {0, 0, 0, 0};
    int open = 0;
    for (size_t pos = 0; pos < len;) {
        line l = next_line(text, len, &pos);
        int starts = !l.blank && (!open || rule == RP_PARA_LINE ||
                                  (rule == RP_PARA_INDENT && l.indented));
        if (open && (l.blank ? rule != RP_PARA_INDENT : starts)) {
            /* the paragraph ends; with INDENT, blank lines do not end one
             * (there are none between text lines by the rule's choice) */
            if (RP_VEC_PUSH(*out, *count, *cap, cur))
                return RP_ENOMEM;
            open = 0;
        }
        if (l.blank)
            continue;
        if (!open) {
            cur.offset = l.body;
            cur.cut_offset = l.start;
            open = 1;
        }
        cur.len = l.end - cur.offset;
    }
    if (open && RP_VEC_PUSH(*out, *count, *cap, cur))
        return RP_ENOMEM;
    /* cut spans run to the next paragraph's first line, or the end */
    for (size_t k = 0; k < *count; k++) {
        uint32_t next = k + 1 < *count ? (*out)[k + 1].cut_offset
                                       : (uint32_t)len;
        (*out)[k].cut_len = next - (*out)[k].cut_offset;
    }
    return rule;
}
