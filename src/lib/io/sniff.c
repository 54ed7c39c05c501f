/*
 * sniff.c - what a file that is not JSON Lines looks like, from its first
 * (decompressed) bytes. Split from input.c.
 */
#include "sniff.h"

#include <string.h>

static int starts(const unsigned char *p, size_t n, const char *magic,
                  size_t m)
{
    return n >= m && memcmp(p, magic, m) == 0;
}

/*
 * Why the first bytes of a (decompressed) file are not JSON Lines, or
 * NULL. Only files that could not be read anyway are named: every answer
 * is for bytes that do not start with '{' (after white space), except a
 * lone '{' line (pretty-printed JSON), which never parses as a record.
 */
const char *rp__sniff(const unsigned char *p, size_t n)
{
    if (starts(p, n, "PAR1", 4))
        return "looks like Parquet; convert it to JSON Lines first";
    if (starts(p, n, "WARC/", 5))
        return "looks like WARC (a web archive); extract the text to JSON "
               "Lines first";
    if (starts(p, n, "PK\x03\x04", 4) || starts(p, n, "PK\x05\x06", 4))
        return "looks like a zip archive; unpack it first (a folder is "
               "read)";
    if (starts(p, n, "7z\xbc\xaf\x27\x1c", 6))
        return "looks like a 7z archive; unpack it first (a folder is read)";
    if (n >= 262 && memcmp(p + 257, "ustar", 5) == 0)
        return "looks like a tar archive; unpack it first (a folder is read)";
    if (starts(p, n, "\xff\xfe", 2) || starts(p, n, "\xfe\xff", 2))
        return "looks like UTF-16 text (a byte-order mark); convert it to "
               "UTF-8, e.g. iconv -f UTF-16 -t UTF-8";
    if (starts(p, n, "%PDF-", 5))
        return "looks like a PDF";
    if (starts(p, n, "RPSIG", 5))
        return NULL; /* a .rps: record.c says what to do */
    size_t i = 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
                     p[i] == '\n'))
        i++;
    if (i >= n || p[i] == '{') {
        size_t e = i;
        while (e < n && p[e] != '\n')
            e++;
        size_t t = i + 1;
        while (t < e && (p[t] == ' ' || p[t] == '\t' || p[t] == '\r'))
            t++;
        if (i < n && t == e && e < n)
            return "looks like pretty-printed JSON (one object over many "
                   "lines); JSON Lines has one object per line: jq -c . "
                   "FILE";
        return NULL;
    }
    if (p[i] == '[')
        return "looks like a JSON array; JSON Lines has one object per "
               "line: jq -c '.[]' FILE";
    if (p[i] == '<')
        return "looks like HTML or XML";
    /* a header line of names: CSV or TSV */
    size_t commas = 0, tabs = 0, e = i;
    int text = 1;
    for (; e < n && p[e] != '\n'; e++) {
        if (p[e] == ',')
            commas++;
        else if (p[e] == '\t')
            tabs++;
        else if (p[e] < 0x20 && p[e] != '\r')
            text = 0;
    }
    if (text && tabs)
        return "looks like TSV (a first line of tab-separated names); "
               "convert it to JSON Lines first";
    if (text && commas)
        return "looks like CSV (a first line of comma-separated names); "
               "convert it to JSON Lines first";
    return NULL;
}
