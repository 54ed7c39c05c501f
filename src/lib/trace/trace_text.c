/*
 * trace_text.c - one document as trace reads it: words, their roles, and
 * the word shingles alignment runs on (trace_job.h, rp__trace_text).
 *
 *   words     the normaliser's tokens (NFKC_Casefold, reprint/sys/normalize.h),
 *             then:
 *               atoms    an e-mail address, URL or message-id (a run of
 *                        non-space bytes holding '@', "://" or "www.") is
 *                        one word, never five
 *               breaks   a word cut by a line-break hyphen ("ver-\ny") or
 *                        an EEBO break mark ("Ca|pon") is joined again
 *               spelling each word is compared by a folded key: u/v and
 *                        i/j are one letter, doubled letters count once, a
 *                        final e is dropped ("vnto" = "unto", "haue" =
 *                        "have", "sinne" = "sin"). Keys only match words;
 *                        spans still point at the original bytes
 *   lines     each line's role, from its first bytes:
 *               quoted   '>' (any depth, "> >" too), or '|' / ':' quoting
 *                        when two lines in a row use it
 *               junk     attribution lines ("In article <...> x writes:",
 *                        "... wrote:"), mail and news header lines
 *                        ("From:", "Subject:", "Message-ID:", ...), and a
 *                        signature: everything after a "-- " line in the
 *                        last 20 lines
 *   content   the words that carry meaning: not function words (a short
 *             English list, old spellings folded onto it), not numbers,
 *             3 letters or more, crudely stemmed (-s, -ing, -ed, -eth,
 *             -est, -ly); a sorted set per document, for linking texts
 *             reworded or translated (few shared shingles, many shared
 *             content words)
 *   shingles  k consecutive word keys hashed; a shingle touching a junk
 *             word gets a value of its own (document, position) so it
 *             matches nothing and is never indexed
 *
 * Linear in the text's length; depends on nothing but the one document,
 * so documents are read on all workers at once.
 */
#include "trace_job.h"

#include "../../util/hash.h"
#include "../../util/sort.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define SIG_LINES 20

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* case-insensitive prefix */
static int starts(const char *s, size_t n, const char *p)
{
    size_t k = strlen(p);
    if (n < k)
        return 0;
    for (size_t i = 0; i < k; i++)
        if (lower((unsigned char)s[i]) != lower((unsigned char)p[i]))
            return 0;
    return 1;
}

static int ends(const char *s, size_t n, const char *p)
{
    size_t k = strlen(p);
    return n >= k && starts(s + n - k, k, p);
}

/* does the non-space run [s, e) look like an address, URL or message-id? */
static int atom(const char *t, uint32_t s, uint32_t e)
{
    for (uint32_t i = s; i < e; i++) {
        char c = t[i];
        if (c == '@' && i > s && i + 1 < e)
            return 1;
        if (c == ':' && i + 2 < e && t[i + 1] == '/' && t[i + 2] == '/')
            return 1;
        if ((c == 'w' || c == 'W') && i + 4 <= e && starts(t + i, e - i, "www.") &&
            (i == s || !((t[i - 1] | 32) >= 'a' && (t[i - 1] | 32) <= 'z')))
            return 1;
    }
    return 0;
}

/* ---- line roles ------------------------------------------------------------ */

static const char *const header_names[] = {
    "from:", "subject:", "newsgroups:", "message-id:", "references:",
    "organization:", "organisation:", "lines:", "date:", "reply-to:",
    "sender:", "nntp-posting-host:", "path:", "keywords:", "summary:",
    "distribution:", "followup-to:", "x-newsreader:", "expires:",
    "article-i.d.:", "in-reply-to:", "to:", "cc:", "sent:", NULL};

/* quote depth marker of a line: '>' at any depth, else '|' or ':'
 * followed by a space, by another marker ("|> ", ":> ", nested quoting)
 * or by nothing (a quoted blank line), confirmed by a neighbour line */
static int quote_mark(const char *l, size_t n)
{
    size_t i = 0;
    while (i < n && (l[i] == ' ' || l[i] == '\t'))
        i++;
    if (i < n && l[i] == '>')
        return '>';
    if (i < n && (l[i] == '|' || l[i] == ':') &&
        (i + 1 == n || l[i + 1] == ' ' || l[i + 1] == '>' ||
         l[i + 1] == '|' || l[i + 1] == '\r'))
        return l[i];
    return 0;
}

/* a line of uuencoded binary: 'M' (45 bytes) and 60 characters of the
 * uuencode alphabet, which has no lower case ("M9V]O9&)Y92!C<G5E;"...);
 * parts of one binary repeat such lines, words of no text. An upper-case
 * headline can have that shape: a neighbour line must have it too. */
static int uuencoded(const char *l, size_t n)
{
    while (n > 0 && (l[n - 1] == '\r' || l[n - 1] == ' '))
        n--;
    if (n != 61 || l[0] != 'M')
        return 0;
    for (size_t i = 1; i < n; i++)
        if (l[i] < ' ' || l[i] > '`')
            return 0;
    return 1;
}

/* attribution or header line (after any quote markers) */
static int junk_line(const char *l, size_t n)
{
    size_t i = 0;
    while (i < n && (l[i] == ' ' || l[i] == '\t' || l[i] == '>' ||
                     l[i] == '|'))
        i++;
    l += i;
    n -= i;
    while (n > 0 && is_space((unsigned char)l[n - 1]))
        n--;
    if (n == 0)
        return 0;
    if (starts(l, n, "in article") || starts(l, n, "in message") ||
        starts(l, n, "in <") || starts(l, n, "-----original message"))
        return 1;
    if (n < 200 && (ends(l, n, "writes:") || ends(l, n, "wrote:") ||
                    ends(l, n, "says:") || ends(l, n, "writes") ||
                    ends(l, n, "wrote")))
        return 1;
    for (int h = 0; header_names[h]; h++)
        if (starts(l, n, header_names[h]))
            return 1;
    return 0;
}

static int sig_delim(const char *l, size_t n)
{
    while (n > 0 && (l[n - 1] == '\r' || l[n - 1] == ' '))
        n--;
    return n == 2 && l[0] == '-' && l[1] == '-';
}

/*
 * Byte roles: role[b] for every byte, RT_QUOTED / RT_JUNK, set line by
 * line. Returns 0, -1 on ENOMEM; *any set to 1 when some byte has a role.
 */
static int line_roles(const char *t, uint32_t len, uint8_t **out)
{
    *out = NULL;
    /* line starts */
    size_t nl = 1;
    for (uint32_t i = 0; i < len; i++)
        nl += t[i] == '\n';
    if (nl == 1)
        return 0; /* one line: a book or a record without breaks */
    uint32_t *ls = malloc((nl + 1) * sizeof *ls);
    uint8_t *mark = calloc(nl + 1, 1);
    if (!ls || !mark) {
        free(ls);
        free(mark);
        return -1;
    }
    size_t k = 0;
    ls[k++] = 0;
    for (uint32_t i = 0; i < len; i++)
        if (t[i] == '\n')
            ls[k++] = i + 1;
    ls[nl] = len + 1;
    int any = 0;
    for (size_t i = 0; i < nl; i++) {
        const char *l = t + ls[i];
        size_t n = ls[i + 1] - 1 - ls[i];
        int q = quote_mark(l, n);
        if (q == '>') {
            mark[i] |= RT_QUOTED;
        } else if (q) {
            /* '|' or ':' quoting: a neighbour line must use it too */
            const char *p = i > 0 ? t + ls[i - 1] : NULL;
            const char *x = i + 1 < nl ? t + ls[i + 1] : NULL;
            if ((p && quote_mark(p, ls[i] - 1 - ls[i - 1]) == q) ||
                (x && quote_mark(x, ls[i + 2] - 1 - ls[i + 1]) == q))
                mark[i] |= RT_QUOTED;
        }
        if (junk_line(l, n))
            mark[i] |= RT_JUNK;
        if (uuencoded(l, n) &&
            ((i > 0 && uuencoded(t + ls[i - 1], ls[i] - 1 - ls[i - 1])) ||
             (i + 1 < nl && uuencoded(t + ls[i + 1], ls[i + 2] - 1 -
                                                          ls[i + 1]))))
            mark[i] |= RT_JUNK;
    }
    for (size_t i = nl > SIG_LINES ? nl - SIG_LINES : 0; i < nl; i++)
        if (sig_delim(t + ls[i], ls[i + 1] - 1 - ls[i])) {
            for (size_t m = i; m < nl; m++)
                mark[m] |= RT_JUNK;
            break;
        }
    for (size_t i = 0; i < nl; i++)
        any |= mark[i];
    uint8_t *role = NULL;
    if (any) {
        role = malloc((size_t)len + 1);
        if (!role) {
            free(ls);
            free(mark);
            return -1;
        }
        for (size_t i = 0; i < nl; i++) {
            uint32_t e = ls[i + 1] - 1 < len ? ls[i + 1] : len;
            memset(role + ls[i], mark[i], e - ls[i]);
        }
    }
    free(ls);
    free(mark);
    *out = role;
    return 0;
}

/* ---- content words ----------------------------------------------------------- */

/* English function words (and old spellings that fold onto others) */
static const char *const stopwords[] = {
    "the", "and", "of", "to", "in", "a", "is", "that", "for", "it", "as",
    "was", "with", "be", "by", "on", "not", "he", "i", "this", "are", "or",
    "his", "from", "at", "which", "but", "have", "an", "had", "they", "you",
    "were", "their", "one", "all", "we", "can", "her", "has", "there",
    "been", "if", "more", "when", "will", "would", "who", "so", "no", "she",
    "him", "them", "what", "its", "than", "then", "also", "into", "only",
    "other", "some", "these", "could", "do", "did", "does", "any", "my",
    "me", "our", "us", "your", "may", "should", "shall", "must", "upon",
    "unto", "thee", "thou", "thy", "ye", "hath", "doth", "said", "saith",
    "say", "says", "very", "about", "after", "before", "over", "such",
    "same", "those", "how", "where", "why", "out", "up", "down", "off",
    "just", "now", "here", "well", "even", "because", "while", "though",
    "through", "between", "against", "under", "again", "each", "both",
    "few", "most", "many", "much", "own", "being", "am", "let", "yet",
    "nor", "too", "like", "get", "got", "make", "made", "know", "think",
    "don", "t", "s", "re", "ve", "ll", "d", "m", "also", "whom", "whose",
    "therefore", "thus", "hence", "within", "without", "among", "onto",
    "toward", "towards", "per", "via", "mr", "mrs", "one", "two", "three",
    NULL};

static uint64_t stop_hash[256]; /* open addressing; 0 = empty */
static pthread_once_t stop_once = PTHREAD_ONCE_INIT;

static size_t fold(const char *s, size_t n, char *out, size_t at);

static uint64_t key_hash(const char *k, size_t n)
{
    return rp_hash64(k, n, 0x7472616365ULL) | 1; /* never 0 */
}

static int is_stop(uint64_t h)
{
    for (size_t i = h & 255;; i = (i + 1) & 255) {
        if (stop_hash[i] == h)
            return 1;
        if (stop_hash[i] == 0)
            return 0;
    }
}

static void stop_init(void)
{
    for (int w = 0; stopwords[w]; w++) {
        char k[32];
        size_t n = fold(stopwords[w], strlen(stopwords[w]), k, 0);
        if (n > 1 && k[n - 1] == 'e')
            n--;
        uint64_t h = key_hash(k, n);
        size_t i = h & 255;
        while (stop_hash[i] && stop_hash[i] != h)
            i = (i + 1) & 255;
        stop_hash[i] = h;
    }
}

/* the stopwords' folded keys, once per process */
void rp__trace_text_init(void)
{
    pthread_once(&stop_once, stop_init);
}

static int ends_with(const char *k, size_t n, const char *suf)
{
    size_t m = strlen(suf);
    return n > m && memcmp(k + n - m, suf, m) == 0;
}

/* a content word's stem from its folded key, or 0 for a function word,
 * a number or a word under 3 letters */
static uint64_t content_word(const char *k, size_t n)
{
    if (n < 3)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)k[i] < 0x80 && !(k[i] >= 'a' && k[i] <= 'z'))
            return 0;
    if (is_stop(key_hash(k, n)))
        return 0;
    /* crude stemming: plural, -ing, -ed, -eth, -est, -ly */
    if (n > 5 && ends_with(k, n, "ing"))
        n -= 3;
    else if (n > 5 && (ends_with(k, n, "eth") || ends_with(k, n, "est")))
        n -= 3;
    else if (n > 4 && (ends_with(k, n, "ed") || ends_with(k, n, "ly")))
        n -= 2;
    else if (n > 3 && k[n - 1] == 's' && k[n - 2] != 's')
        n -= 1;
    if (n > 3 && k[n - 1] == 'e')
        n--;
    return rp_hash64(k, n, 0x636f6e74656e74ULL);
}

typedef struct hpos {
    uint64_t h;
    uint32_t pos;
} hpos;

static int cmp_hpos(const void *x, const void *y)
{
    const hpos *a = x, *b = y;
    if (a->h != b->h)
        return a->h < b->h ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* the distinct content words, sorted, each with its first word position;
 * takes cw and pos (freed) */
static int content_set(tdoc *d, uint64_t *cw, uint32_t *pos, size_t n)
{
    hpos *v = malloc((n + 1) * sizeof *v);
    if (!v) {
        free(cw);
        free(pos);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        v[i].h = cw[i];
        v[i].pos = pos[i];
    }
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_hpos);
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (w == 0 || v[i].h != cw[w - 1]) {
            cw[w] = v[i].h;
            pos[w++] = v[i].pos;
        }
    free(v);
    d->cw = cw;
    d->cwpos = pos;
    d->ncw = (uint32_t)w;
    return 0;
}

/* ---- words ------------------------------------------------------------------- */

/* the folded key of normalised bytes, appended to h's input */
static size_t fold(const char *s, size_t n, char *out, size_t at)
{
    size_t o = at;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == 'v')
            c = 'u';
        else if (c == 'j')
            c = 'i';
        if (o > at && out[o - 1] == c && c >= 'a' && c <= 'z')
            continue; /* a doubled letter counts once */
        out[o++] = c;
    }
    return o;
}

/* A word key as OCR may have misread it: the usual confusions folded
 * ("rn" and "m", l/1/i, 0/o, 5/s, c/e, n/u, q/g), doubled letters once
 * more, in place; returns the new length. Shingles hash this key, so an
 * OCR'd copy ("rnellowing", "me1lowing", "puzzlcd", "listeued") still
 * aligns with its clean source; content words and figures keep the
 * plain key. */
static size_t ocr_fold(char *k, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = k[i];
        if (c == 'r' && i + 1 < n && k[i + 1] == 'n') {
            c = 'm';
            i++;
        } else if (c == 'l' || c == '1') {
            c = 'i';
        } else if (c == '0') {
            c = 'o';
        } else if (c == '5') {
            c = 's';
        } else if (c == 'c') {
            c = 'e';
        } else if (c == 'n') {
            c = 'u';
        } else if (c == 'q') {
            c = 'g';
        }
        if (o > 0 && k[o - 1] == c)
            continue;
        k[o++] = c;
    }
    return o;
}

static int joinable_gap(const char *t, uint32_t s, uint32_t e)
{
    /* "Ca|pon" (EEBO's break mark) or "ver-\n  y" */
    if (e == s + 1 && t[s] == '|')
        return 1;
    if (e > s + 1 && t[s] == '-') {
        int nl = 0;
        for (uint32_t i = s + 1; i < e; i++) {
            if (t[i] == '\n')
                nl++;
            else if (t[i] != ' ' && t[i] != '\t' && t[i] != '\r')
                return 0;
        }
        return nl == 1;
    }
    return 0;
}

/* a figure: a word with at least as many digits as other characters
 * ("12", "3.5", "1987", "10th", "q3"); a word with a digit or two among
 * its letters ("me1lowing", "scapegoat5") is OCR's misreading, not a
 * figure */
static int is_figure(const char *s, size_t n)
{
    size_t digits = 0;
    for (size_t i = 0; i < n; i++)
        digits += s[i] >= '0' && s[i] <= '9';
    return digits && 2 * digits >= n;
}

int rp__trace_text(tdoc *d, uint32_t k, uint64_t salt, const rp_token *tk,
                   size_t nt, const char *norm)
{
    const char *t = d->text;
    uint8_t *role = NULL;
    if (line_roles(t, d->text_len, &role))
        return RP_ENOMEM;
    d->tok = malloc((2 * nt + 2) * sizeof *d->tok);
    d->tflag = malloc(nt + 1);
    uint64_t *wh = malloc((nt + 1) * sizeof *wh);
    uint64_t *cw = malloc((nt + 1) * sizeof *cw);
    uint32_t *cwp = malloc((nt + 1) * sizeof *cwp);
    size_t ncw = 0, nnum = 0;
    d->num = malloc((nt + 1) * sizeof *d->num);
    size_t kcap = 64;
    char *key = malloc(kcap);
    if (!d->tok || !d->tflag || !wh || !key || !cw || !cwp || !d->num) {
        free(role);
        free(wh);
        free(key);
        free(cw);
        free(cwp);
        return RP_ENOMEM;
    }
    uint32_t n = 0;
    uint32_t chunk_s = 0, chunk_e = 0; /* the current non-space run */
    int chunk_atom = 0;
    for (size_t i = 0; i < nt;) {
        uint32_t s = tk[i].offset, e = s + tk[i].len;
        if (s >= chunk_e) {
            chunk_s = s;
            while (chunk_s > chunk_e && !is_space((unsigned char)t[chunk_s - 1]))
                chunk_s--;
            chunk_e = e;
            while (chunk_e < d->text_len && !is_space((unsigned char)t[chunk_e]))
                chunk_e++;
            chunk_atom = atom(t, chunk_s, chunk_e);
        }
        size_t need = chunk_atom ? (size_t)(chunk_e - chunk_s) + 1 : 0;
        size_t m = i + 1;
        if (chunk_atom) {
            while (m < nt && tk[m].offset < chunk_e)
                m++;
        } else {
            while (m < nt && tk[m].offset < d->text_len &&
                   joinable_gap(t, tk[m - 1].offset + tk[m - 1].len,
                                tk[m].offset))
                m++;
        }
        for (size_t q = i; q < m; q++)
            need += tk[q].norm_len;
        if (need + 1 > kcap) {
            char *x = realloc(key, need + 1);
            if (!x) {
                free(role);
                free(wh);
                free(key);
                free(cw);
                free(cwp);
                return RP_ENOMEM;
            }
            key = x;
            kcap = need + 1;
        }
        size_t kl = 0;
        if (chunk_atom) {
            /* the whole run, lower-cased, without wrapping punctuation */
            uint32_t a = chunk_s, b = chunk_e;
            while (a < b && strchr("<([{\"'", t[a]))
                a++;
            while (b > a && strchr(">)]}\"'.,;:!?", t[b - 1]))
                b--;
            for (uint32_t q = a; q < b; q++)
                key[kl++] = (char)lower((unsigned char)t[q]);
            s = chunk_s;
            e = chunk_e;
        } else {
            for (size_t q = i; q < m; q++)
                kl = fold(norm + tk[q].norm_off, tk[q].norm_len, key, kl);
            if (kl > 1 && key[kl - 1] == 'e')
                kl--; /* a final e */
            e = tk[m - 1].offset + tk[m - 1].len;
        }
        d->tok[2 * n] = s;
        d->tok[2 * n + 1] = e;
        d->tflag[n] = role ? role[s] : 0;
        int figure = !chunk_atom && is_figure(key, kl);
        wh[n] = rp_hash64(key, kl, 0x7472616365ULL);
        if (figure && !(d->tflag[n] & RT_JUNK))
            d->num[nnum++] = (wh[n] & 0xffffffff00000000ULL) | n;
        if (!chunk_atom && !(d->tflag[n] & RT_JUNK)) {
            uint64_t c = content_word(key, kl);
            if (c) {
                cw[ncw] = c;
                cwp[ncw++] = n;
            }
        }
        if (!chunk_atom && !figure)
            wh[n] = rp_hash64(key, ocr_fold(key, kl), 0x7472616365ULL);
        n++;
        i = m;
    }
    free(role);
    free(key);
    if (content_set(d, cw, cwp, ncw)) {
        free(wh);
        return RP_ENOMEM;
    }
    d->ntok = n;
    d->nnum = (uint32_t)nnum;
    /* the distinct figures, sorted, for comparing whole texts */
    d->figs = malloc((nnum + 1) * sizeof *d->figs);
    if (!d->figs) {
        free(wh);
        return RP_ENOMEM;
    }
    for (size_t i = 0; i < nnum; i++)
        d->figs[i] = d->num[i] >> 32;
    d->nfigs = (uint32_t)rp_sort_unique_u64(d->figs, nnum);
    d->nsh = n >= k ? n - k + 1 : (n ? 1 : 0);
    d->sh = malloc(((size_t)d->nsh + 1) * sizeof *d->sh);
    if (!d->sh) {
        free(wh);
        return RP_ENOMEM;
    }
    for (uint32_t s = 0; s < d->nsh; s++) {
        uint64_t h = 0x9e3779b97f4a7c15ULL * (k + 1);
        int junk = 0;
        uint32_t last = s + k <= n ? s + k : n;
        for (uint32_t q = s; q < last; q++) {
            h = rp_mix64(h ^ wh[q]);
            junk |= d->tflag[q] & RT_JUNK;
        }
        if (junk)
            h = rp_mix64(salt ^ rp_mix64(((uint64_t)s << 1) | 1)) | 1;
        d->sh[s] = junk ? h : h & ~(uint64_t)1; /* junk shingles are odd */
    }
    free(wh);
    return RP_OK;
}
