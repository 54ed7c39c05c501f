/*
 * normalize.c - NFKC_Casefold + tokenisation with an offset map.
 *
 * Walk the UTF-8 text once:
 *
 *   byte < 0x80 and the next code point starts a new normalisation
 *   segment        -> fast path: [A-Za-z0-9_] lower-cased into the token,
 *                     anything else ends the token
 *   code point inert under NFKC_Casefold (ICU unorm2_isInert)
 *                  -> classified as it is
 *   otherwise      -> the segment up to the next code point with a
 *                     normalisation boundary before it is converted to
 *                     UTF-16, normalised by ICU, and its output classified;
 *                     every output character maps to the whole segment's
 *                     original bytes
 *
 * Each token keeps [offset, offset+len) in the original text and its
 * normalised bytes in one buffer (norm_off, norm_len); its hash is XXH3-64
 * of those bytes.
 */
#include "reprint/sys/normalize.h"

#include "../../util/buf.h"
#include "../../util/hash.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

struct rp_normalizer {
    const UNormalizer2 *nfkc_cf; /* owned by ICU, shared and immutable */
    int char_mode;
    uint64_t seed;
    rp_token *tokens;
    size_t count, cap;
    rp_buf norm;       /* normalised bytes of all tokens */
    UChar *u16;        /* segment scratch */
    size_t u16_cap;
    /* token being built */
    int open;
    int single;        /* current token is one unspaced-script char */
    uint32_t tok_start, tok_end, tok_norm;
};

int rp_normalizer_new(rp_normalizer **out, int char_mode, uint64_t seed)
{
    *out = NULL;
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nf = unorm2_getNFKCCasefoldInstance(&st);
    if (U_FAILURE(st) || !nf)
        return RP_ENOMEM;
    rp_normalizer *n = calloc(1, sizeof *n);
    if (!n)
        return RP_ENOMEM;
    n->nfkc_cf = nf;
    n->char_mode = char_mode;
    n->seed = seed;
    *out = n;
    return RP_OK;
}

void rp_normalizer_free(rp_normalizer *n)
{
    if (!n)
        return;
    free(n->tokens);
    free(n->u16);
    rp_buf_dispose(&n->norm);
    free(n);
}

const char *rp_normalizer_text(const rp_normalizer *n)
{
    return n->norm.data ? n->norm.data : "";
}

static inline int close_token(rp_normalizer *n)
{
    if (!n->open)
        return 0;
    n->open = 0;
    n->single = 0;
    if (n->count == n->cap &&
        rp_vec_grow((void **)&n->tokens, &n->cap, n->count + 1,
                    sizeof *n->tokens))
        return -1;
    rp_token *t = &n->tokens[n->count++];
    t->norm_off = n->tok_norm;
    t->norm_len = (uint32_t)(n->norm.len - n->tok_norm);
    t->offset = n->tok_start;
    t->len = n->tok_end - n->tok_start;
    t->hash = rp_hash64(n->norm.data + t->norm_off, t->norm_len, n->seed);
    return 0;
}

/* Append normalised code point `cp` covering original [start, end). */
static int put_char(rp_normalizer *n, const char *utf8, size_t ulen,
                    uint32_t start, uint32_t end)
{
    if (!n->open) {
        n->open = 1;
        n->tok_start = start;
        n->tok_norm = (uint32_t)n->norm.len;
    }
    n->tok_end = end;
    return rp_buf_put(&n->norm, utf8, ulen);
}

static int unspaced_script(UChar32 c)
{
    return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) ||
           (c >= 0x20000 && c <= 0x3134f) || (c >= 0xf900 && c <= 0xfaff) ||
           (c >= 0x3040 && c <= 0x30ff) || (c >= 0x31f0 && c <= 0x31ff) ||
           (c >= 0x0e00 && c <= 0x0eff) || (c >= 0x1780 && c <= 0x17ff) ||
           (c >= 0x1000 && c <= 0x109f);
}

/* Classify one normalised code point. */
static int classify(rp_normalizer *n, UChar32 c, uint32_t start, uint32_t end)
{
    char u8[4];
    size_t ul;
    if (c < 0x80) {
        u8[0] = (char)c;
        ul = 1;
    } else if (c < 0x800) {
        u8[0] = (char)(0xc0 | (c >> 6));
        u8[1] = (char)(0x80 | (c & 0x3f));
        ul = 2;
    } else if (c < 0x10000) {
        u8[0] = (char)(0xe0 | (c >> 12));
        u8[1] = (char)(0x80 | ((c >> 6) & 0x3f));
        u8[2] = (char)(0x80 | (c & 0x3f));
        ul = 3;
    } else {
        u8[0] = (char)(0xf0 | (c >> 18));
        u8[1] = (char)(0x80 | ((c >> 12) & 0x3f));
        u8[2] = (char)(0x80 | ((c >> 6) & 0x3f));
        u8[3] = (char)(0x80 | (c & 0x3f));
        ul = 4;
    }
    int8_t type = u_charType(c);
    int mark = type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK ||
               type == U_ENCLOSING_MARK;
    if (mark) {
        if (!n->open)
            return 0; /* a stray mark separates nothing and joins nothing */
        return put_char(n, u8, ul, n->tok_start, end);
    }
    if (!(u_isalnum(c) || c == '_'))
        return close_token(n);
    if (n->char_mode || unspaced_script(c)) {
        if (close_token(n))
            return -1;
        if (put_char(n, u8, ul, start, end))
            return -1;
        n->single = 1;
        return 0;
    }
    if (n->single && close_token(n))
        return -1;
    return put_char(n, u8, ul, start, end);
}

static UChar32 decode(const unsigned char *s, size_t len, size_t i, size_t *adv)
{
    unsigned c = s[i];
    if (c < 0x80) {
        *adv = 1;
        return (UChar32)c;
    }
    int n = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : -1;
    if (n < 0 || i + (size_t)n >= len) {
        *adv = 1;
        return 0xfffd;
    }
    UChar32 cp = (UChar32)(c & (0x3f >> n));
    for (int k = 1; k <= n; k++) {
        if ((s[i + k] & 0xc0) != 0x80) {
            *adv = 1;
            return 0xfffd;
        }
        cp = (cp << 6) | (s[i + k] & 0x3f);
    }
    *adv = (size_t)n + 1;
    return cp;
}

/* Normalise the segment [i, j) through ICU and classify its output. */
static int slow_segment(rp_normalizer *n, const unsigned char *s, size_t i,
                        size_t j)
{
    size_t need = (j - i) * 2 + 8;
    if (need > n->u16_cap) {
        UChar *p = realloc(n->u16, need * 2 * sizeof *p);
        if (!p)
            return -1;
        n->u16 = p;
        n->u16_cap = need;
    }
    UChar *src = n->u16, *dst = n->u16 + need;
    int32_t sl = 0;
    for (size_t k = i; k < j;) {
        size_t adv;
        UChar32 cp = decode(s, j, k, &adv);
        U16_APPEND_UNSAFE(src, sl, cp);
        k += adv;
    }
    UErrorCode st = U_ZERO_ERROR;
    int32_t dl = unorm2_normalize(n->nfkc_cf, src, sl, dst, (int32_t)need, &st);
    if (st == U_BUFFER_OVERFLOW_ERROR) {
        /* expansions beyond 2x (rare, e.g. U+FDFA) */
        UChar *big = malloc((size_t)dl * sizeof *big);
        if (!big)
            return -1;
        st = U_ZERO_ERROR;
        unorm2_normalize(n->nfkc_cf, src, sl, big, dl, &st);
        int rc = 0;
        for (int32_t k = 0; k < dl && rc == 0;) {
            UChar32 cp;
            U16_NEXT(big, k, dl, cp);
            rc = classify(n, cp, (uint32_t)i, (uint32_t)j);
        }
        free(big);
        return rc;
    }
    if (U_FAILURE(st))
        return close_token(n); /* unpaired surrogates cannot occur in UTF-8 */
    for (int32_t k = 0; k < dl;) {
        UChar32 cp;
        U16_NEXT(dst, k, dl, cp);
        if (classify(n, cp, (uint32_t)i, (uint32_t)j))
            return -1;
    }
    return 0;
}

static const unsigned char ascii_class[256] = {
    /* 1 = word char, 2 = upper-case letter, 0 = separator or non-ASCII */
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
    ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, ['_'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
    ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
    ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
    ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
    ['y'] = 1, ['z'] = 1,
    ['A'] = 2, ['B'] = 2, ['C'] = 2, ['D'] = 2, ['E'] = 2, ['F'] = 2,
    ['G'] = 2, ['H'] = 2, ['I'] = 2, ['J'] = 2, ['K'] = 2, ['L'] = 2,
    ['M'] = 2, ['N'] = 2, ['O'] = 2, ['P'] = 2, ['Q'] = 2, ['R'] = 2,
    ['S'] = 2, ['T'] = 2, ['U'] = 2, ['V'] = 2, ['W'] = 2, ['X'] = 2,
    ['Y'] = 2, ['Z'] = 2,
};

/* ASCII case folding */
static const unsigned char ascii_lower[128] = {
    0,   1,   2,   3,   4,   5,   6,   7,   8,   9,   10,  11,  12,  13,
    14,  15,  16,  17,  18,  19,  20,  21,  22,  23,  24,  25,  26,  27,
    28,  29,  30,  31,  32,  33,  34,  35,  36,  37,  38,  39,  40,  41,
    42,  43,  44,  45,  46,  47,  48,  49,  50,  51,  52,  53,  54,  55,
    56,  57,  58,  59,  60,  61,  62,  63,  64,  'a', 'b', 'c', 'd', 'e',
    'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's',
    't', 'u', 'v', 'w', 'x', 'y', 'z', 91,  92,  93,  94,  95,  96,  97,
    98,  99,  100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
    112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125,
    126, 127};

int rp_normalize(rp_normalizer *n, const rp_token **tokens, size_t *count,
                 const char *text, size_t len)
{
    *tokens = NULL;
    *count = 0;
    if (len >= UINT32_MAX)
        return RP_ETOOBIG;
    n->count = 0;
    n->norm.len = 0;
    n->open = 0;
    n->single = 0;
    if (rp_buf_reserve(&n->norm, len))
        return RP_ENOMEM;
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        if (c < 0x80 && (i + 1 >= len || s[i + 1] < 0x80)) {
            /* fast path: a run of ASCII, a word at a time */
            size_t j = i;
            if (n->norm.capacity - n->norm.len < len - j + 1 &&
                rp_buf_reserve(&n->norm, len - j + 1))
                return RP_ENOMEM;
            while (j < len && s[j] < 0x80) {
                if (!ascii_class[s[j]]) {
                    if (n->open && close_token(n))
                        return RP_ENOMEM;
                    j++;
                } else if (n->char_mode || n->single) {
                    char ch = (char)ascii_lower[s[j]];
                    if (classify(n, (UChar32)(unsigned char)ch, (uint32_t)j,
                                 (uint32_t)j + 1))
                        return RP_ENOMEM;
                    j++;
                } else {
                    if (!n->open) {
                        n->open = 1;
                        n->tok_start = (uint32_t)j;
                        n->tok_norm = (uint32_t)n->norm.len;
                    }
                    /* room reserved above: ASCII output never outgrows the
                     * input still to read */
                    char *out = n->norm.data + n->norm.len;
                    size_t k = j;
                    /* ascii_class is 0 for bytes >= 0x80 (see below) */
                    while (k < len && ascii_class[s[k]])
                        k++;
                    /* a letter followed by a non-ASCII byte is left to
                     * the general path: a combining mark may follow */
                    if (k < len && k > j && s[k] >= 0x80)
                        k--;
                    for (size_t q = j; q < k; q++)
                        *out++ = (char)ascii_lower[s[q]];
                    n->norm.len += k - j;
                    n->tok_end = (uint32_t)k;
                    j = k;
                }
                /* stop before an ASCII char that a following mark may
                 * combine with */
                if (j + 1 < len && s[j] < 0x80 && s[j + 1] >= 0x80)
                    break;
            }
            i = j;
            continue;
        }
        /* general path: one normalisation segment starting at i */
        size_t adv;
        UChar32 cp = decode(s, len, i, &adv);
        size_t j = i + adv;
        int inert = cp < 0x80 || unorm2_isInert(n->nfkc_cf, cp);
        if (cp >= 'A' && cp <= 'Z')
            cp += 32; /* ASCII case folding, as NFKC_Casefold does */
        if (inert && (j >= len || s[j] < 0x80 ||
                      unorm2_hasBoundaryBefore(n->nfkc_cf,
                                               decode(s, len, j, &adv)))) {
            if (classify(n, cp, (uint32_t)i, (uint32_t)j))
                return RP_ENOMEM;
            i = j;
            continue;
        }
        while (j < len) {
            size_t a2;
            UChar32 next = decode(s, len, j, &a2);
            if (unorm2_hasBoundaryBefore(n->nfkc_cf, next))
                break;
            j += a2;
        }
        if (slow_segment(n, s, i, j))
            return RP_ENOMEM;
        i = j;
    }
    if (close_token(n))
        return RP_ENOMEM;
    /* the ASCII fast path writes without terminating */
    n->norm.data[n->norm.len] = '\0';
    *tokens = n->tokens;
    *count = n->count;
    return RP_OK;
}
