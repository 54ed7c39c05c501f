/*
 * reprint/sys/segment.h - split a document's original text into paragraphs.
 *
 * The rule is decided per document, from its line structure:
 *  - BLANK:  the text has a blank line (only spaces/tabs) between two
 *            non-blank lines: paragraphs are runs of non-blank lines.
 *  - INDENT: no blank lines, but at least two lines after the first start
 *            with a space or tab, and some lines do not (a wire story:
 *            indented first lines, wrapped continuation lines): every
 *            indented line starts a paragraph; so does the first line.
 *  - LINE:   otherwise every non-blank line is a paragraph.
 * A paragraph's text span excludes leading/trailing blanks; its cut span
 * runs from the start of its first line to the start of the next
 * paragraph's first line (or the end of the text), so removing cut spans
 * keeps every other byte as it was.
 */
#ifndef REPRINT_SEGMENT_H
#define REPRINT_SEGMENT_H

#include "../common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum rp_para_rule {
    RP_PARA_BLANK = 0,
    RP_PARA_INDENT = 1,
    RP_PARA_LINE = 2
} rp_para_rule;

typedef struct rp_paragraph {
    uint32_t offset;     /* text span: first non-blank byte */
    uint32_t len;        /* bytes, up to the last non-blank byte */
    uint32_t cut_offset; /* cut span: start of the first line */
    uint32_t cut_len;    /* up to the next paragraph's first line */
} rp_paragraph;

/**
 * Paragraphs of `text` (len < 4 GiB) into *out (realloc'ed; *cap in
 * elements), count in *count. Returns the rule used, or RP_ENOMEM.
 */
RP_API int rp_segment_paragraphs(rp_paragraph **out, size_t *count,
                                 size_t *cap, const char *text, size_t len);

#ifdef __cplusplus
}
#endif
#endif
