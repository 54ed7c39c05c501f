/*
 * quote.c - quotations and their speakers (rules in reprint/sys/quote.h).
 *
 *   lines     paragraphs by the rule of reprint/sys/segment.h; a line break
 *             inside a paragraph (hard-wrapped wire copy) reads as a space
 *   marks     scan each paragraph for an opening mark and its closer;
 *             a quote left open continues into a next paragraph that
 *             reopens with the same mark
 *   words     lex the text into words (letters, digits, inner - ' ’),
 *             noting which lie inside a quote
 *   mentions  outside quotes, every speech verb with a subject on its
 *             left: a name, a pronoun or a role ("the spokesman")
 *   speakers  per quote: the attribution after it, else before it, else
 *             the previous quote's speaker; pronouns and person roles
 *             resolve to the last named mention before the quote
 */
#include "reprint/sys/quote.h"

#include "reprint/sys/segment.h"

#include "../../util/buf.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

/* ---- quotation marks ---------------------------------------------------- */

enum { M_NONE, M_LDQ, M_RDQ, M_LOW, M_LSQ, M_RSQ, M_LAQ, M_RAQ, M_ASCII };

/* the mark at text[i] and its byte length */
static int mark_at(const char *t, size_t len, size_t i, size_t *mlen)
{
    const unsigned char *u = (const unsigned char *)t + i;
    *mlen = 1;
    if (u[0] == '"')
        return M_ASCII;
    if (u[0] == 0xC2 && i + 1 < len) {
        *mlen = 2;
        return u[1] == 0xAB ? M_LAQ : u[1] == 0xBB ? M_RAQ : M_NONE;
    }
    if (u[0] == 0xE2 && i + 2 < len && u[1] == 0x80) {
        *mlen = 3;
        switch (u[2]) {
        case 0x9C: return M_LDQ;
        case 0x9D: return M_RDQ;
        case 0x9E: return M_LOW;
        case 0x98: return M_LSQ;
        case 0x99: return M_RSQ;
        }
    }
    return M_NONE;
}

/*
 * ICU's U8_NEXT/U8_PREV index with int32_t; reprint.h promises texts up
 * to 4 GiB. Both are applied to a window of at most 4 bytes around i, so
 * no index is ever cast down: the code point at i, and i moved past it.
 */
static UChar32 next_cp(const char *t, size_t len, size_t *i)
{
    const char *s = t + *i;
    int32_t k = 0, n = len - *i > 4 ? 4 : (int32_t)(len - *i);
    UChar32 c;
    U8_NEXT(s, k, n, c);
    *i += (size_t)k;
    return c;
}

static UChar32 cp_at(const char *t, size_t len, size_t i)
{
    return next_cp(t, len, &i);
}

static UChar32 cp_before(const char *t, size_t i)
{
    if (i == 0)
        return ' ';
    size_t from = i > 4 ? i - 4 : 0;
    const char *s = t + from;
    int32_t k = (int32_t)(i - from);
    UChar32 c;
    U8_PREV(s, 0, k, c);
    return c;
}

static int is_letter(UChar32 c) { return c >= 0 && u_isalnum(c); }

/* an opener must not follow a letter ("5"" or an apostrophe-like use) */
static int opens(const char *t, size_t len, size_t i, int m, size_t ml)
{
    if (m != M_LDQ && m != M_LOW && m != M_LAQ && m != M_LSQ &&
        m != M_ASCII)
        return 0;
    if (is_letter(cp_before(t, i)))
        return 0;
    if (m == M_LSQ || m == M_ASCII) {
        if (i + ml >= len)
            return 0;
        UChar32 n = cp_at(t, len, i + ml);
        return !(n == ' ' || n == '\n' || n == '\t' || n == '\r');
    }
    return 1;
}

/* does mark m at i close a quote opened with `open`? */
static int closes(const char *t, size_t len, size_t i, int open, int m,
                  size_t ml)
{
    switch (open) {
    case M_LDQ: if (m != M_RDQ) return 0; break;
    case M_LOW: if (m != M_LDQ && m != M_RDQ) return 0; break;
    case M_LAQ: if (m != M_RAQ) return 0; break;
    case M_ASCII: if (m != M_ASCII) return 0; break;
    case M_LSQ:
        /* ’ followed by a letter is an apostrophe */
        if (m != M_RSQ || (i + ml < len && is_letter(cp_at(t, len, i + ml))))
            return 0;
        break;
    default: return 0;
    }
    return 1;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static uint32_t count_words(const char *t, size_t s, size_t e)
{
    uint32_t n = 0;
    int in = 0;
    for (size_t i = s; i < e;) {
        UChar32 c = next_cp(t, e, &i);
        int w = is_letter(c);
        n += w && !in;
        in = w;
    }
    return n;
}

typedef struct qvec {
    rp_quote *v;
    size_t n, cap;
} qvec;

static int find_marks(qvec *q, const char *t, size_t len, uint32_t min_words)
{
    size_t i = 0;
    uint16_t paras = 1;
    while (i < len) {
        size_t ml;
        int m = mark_at(t, len, i, &ml);
        if (m == M_NONE || !opens(t, len, i, m, ml)) {
            i++;
            continue;
        }
        size_t open = i, start = i + ml, k = start, end = 0, close = 0;
        int closed = 0;
        paras = 1;
        while (k < len) {
            size_t kl;
            int km = mark_at(t, len, k, &kl);
            if (km != M_NONE && closes(t, len, k, m, km, kl)) {
                end = k;
                close = k + kl;
                closed = 1;
                break;
            }
            if (t[k] == '\n') {
                /* a next paragraph that reopens with the same mark
                   continues the quote */
                size_t p = k;
                while (p < len && is_space(t[p]))
                    p++;
                size_t pl;
                if (p < len && mark_at(t, len, p, &pl) == m && paras < 1000) {
                    paras++;
                    k = p + pl;
                    continue;
                }
                end = close = k;
                break;
            }
            k += km != M_NONE ? kl : 1;
        }
        if (k >= len && !closed)
            end = close = len;
        size_t s = start, e = end;
        while (s < e && is_space(t[s]))
            s++;
        while (e > s && is_space(t[e - 1]))
            e--;
        if (count_words(t, s, e) >= min_words) {
            rp_quote x = {(uint32_t)open, (uint32_t)close, (uint32_t)s,
                          (uint32_t)e, 0, 0, paras, RP_SPEAKER_NONE,
                          (uint8_t)closed};
            if (RP_VEC_PUSH(q->v, q->n, q->cap, x))
                return RP_ENOMEM;
        }
        i = close > open ? close : open + ml;
    }
    return RP_OK;
}

/* ---- words ---------------------------------------------------------------- */

typedef struct word {
    uint32_t start, end;
    uint8_t cap;      /* starts with an upper- or title-case letter */
    uint8_t quoted;   /* inside a quote */
} word;

typedef struct wvec {
    word *v;
    size_t n, cap;
} wvec;

static int lex_words(wvec *w, const char *t, size_t len, const qvec *q)
{
    size_t i = 0, qi = 0;
    while (i < len) {
        size_t k = i;
        UChar32 c = next_cp(t, len, &k);
        if (!is_letter(c)) {
            i = k;
            continue;
        }
        word x = {(uint32_t)i, 0, (uint8_t)(u_isupper(c) || u_istitle(c)),
                  0};
        size_t e = k;
        while (e < len) {
            size_t k2 = e;
            UChar32 d = next_cp(t, len, &k2);
            if (is_letter(d)) {
                e = k2;
                continue;
            }
            /* inner - ' ’ between letters */
            if ((d == '-' || d == '\'' || d == 0x2019) &&
                (size_t)k2 < len && is_letter(cp_at(t, len, (size_t)k2))) {
                e = (size_t)k2;
                continue;
            }
            break;
        }
        x.end = (uint32_t)e;
        while (qi < q->n && q->v[qi].close <= x.start)
            qi++;
        x.quoted = qi < q->n && q->v[qi].open <= x.start;
        if (RP_VEC_PUSH(w->v, w->n, w->cap, x))
            return RP_ENOMEM;
        i = e;
    }
    return RP_OK;
}

/* the word, lower-cased ASCII, into a small buffer ("" when too long) */
static const char *lower(const char *t, const word *x, char *b, size_t cap)
{
    size_t n = x->end - x->start;
    if (n >= cap)
        n = 0;
    for (size_t i = 0; i < n; i++) {
        char c = t[x->start + i];
        b[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    b[n] = '\0';
    return b;
}

static int in_list(const char *w, const char *const *list)
{
    for (; *list; list++) /* the first letter before the call */
        if (**list == *w && strcmp(w, *list) == 0)
            return 1;
    return 0;
}

static const char *const speech_verbs[] = {
    "said", "says", "say", "saying", "told", "tells", "tell", "added",
    "adds", "adding", "explained", "underlined", "stressed", "emphasized",
    "emphasised", "asserted", "noted", "stated", "assured", "reiterated",
    "reaffirmed", "insisted", "warned", "declared", "announced", "claimed",
    "argued", "remarked", "continued", "wrote", "writes", "tweeted",
    "replied", "responded", "revealed", "rejected", "dismissed", "denied",
    "acknowledged", "elaborated", "urged", "affirmed", "maintained",
    "commented", "observed", "recalled", "concluded", "confirmed", "alleged",
    "alleging", "asked", "answered", "admitted", "according", NULL};

/* words that may stand between a subject and its verb */
static const char *const between[] = {
    "has", "have", "had", "is", "was", "were", "are", "also", "once",
    "again", "then", "further", "later", "earlier", "previously", "today",
    "yesterday", "would", "will", "went", "on", "to", "had", "later", NULL};

static const char *const pronouns[] = {"he", "she", NULL};

static const char *const determiners[] = {
    "the", "a", "an", "his", "her", "its", "their", "this", "that", NULL};

/* words after which a capitalised run is not the verb's subject */
static const char *const prepositions[] = {
    "on", "in", "at", "with", "to", "from", "of", "by", "for", "and", "or",
    "than", "about", "into", "over", "under", "after", "before", "since",
    "during", "against", "between", "as", NULL};

/* capitalised words that are not names */
static const char *const not_names[] = {
    "i", "we", "it", "they", "you", "this", "that", "there", "here", "now",
    "but", "and", "however", "meanwhile", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", NULL};

static const char *const person_roles[] = {
    "minister", "fm", "spokesman", "spokeswoman", "spokesperson",
    "diplomat", "official", "president", "envoy", "ambassador", "chief",
    "leader", "secretary", "premier", "chancellor", "commander", "adviser",
    "advisor", "director", "head", "governor", "mayor", "senator",
    "lawmaker", "deputy", "king", "queen", "general", "negotiator", NULL};

/* an all-capitals word of four or more letters: a headline, not a name */
static int shouted(const char *t, const word *x)
{
    if (x->end - x->start < 4)
        return 0;
    for (uint32_t i = x->start; i < x->end; i++)
        if (t[i] >= 'a' && t[i] <= 'z')
            return 0;
    return 1;
}

/* only spaces between words a and a+1 */
static int plain_gap(const char *t, const word *a, const word *b)
{
    for (uint32_t i = a->end; i < b->start; i++)
        if (t[i] != ' ')
            return 0;
    return 1;
}

/* a sentence or paragraph ends, or a quote mark sits, between positions */
static int breaks(const char *t, size_t len, uint32_t s, uint32_t e)
{
    for (uint32_t i = s; i < e; i++) {
        size_t ml;
        if (t[i] == '.' || t[i] == '!' || t[i] == '?' || t[i] == '\n' ||
            t[i] == ';' || mark_at(t, len, i, &ml) != M_NONE)
            return 1;
    }
    return 0;
}

enum { S_NONE, S_NAME, S_PRONOUN, S_PERSON_ROLE, S_ROLE };

typedef struct subject {
    int kind;
    uint32_t start, end;
} subject;

static subject subject_of(int kind, const word *first, const word *last)
{
    subject s = {kind, first->start, last->end};
    return s;
}

/* a description ending in this noun: a person's role ("minister") or not */
static int role_kind(const char *t, const word *noun)
{
    char b[32];
    return in_list(lower(t, noun, b, sizeof b), person_roles) ? S_PERSON_ROLE
                                                              : S_ROLE;
}

/* a role phrase ending at word j: from a determiner up to 4 words left */
static subject role_phrase(const char *t, const word *w, size_t lo, size_t j)
{
    char b[32];
    subject s = {S_NONE, 0, 0};
    for (size_t k = j + 1, steps = 0; k-- > lo && steps < 5; steps++) {
        if (k < j && !plain_gap(t, &w[k], &w[k + 1]))
            break;
        if (in_list(lower(t, &w[k], b, sizeof b), determiners))
            return subject_of(role_kind(t, &w[j]), &w[k], &w[j]);
    }
    return s;
}

/* the subject on the left of verb v, among words [lo, v) */
static subject subject_left(const char *t, const word *w, size_t lo,
                            size_t v)
{
    char b[32];
    subject s = {S_NONE, 0, 0};
    size_t j = v;
    for (int skip = 0; j > lo && skip <= 3; skip++) {
        if (!plain_gap(t, &w[j - 1], &w[j]) && !(j == v && w[j - 1].cap))
            return s;
        j--;
        const char *x = lower(t, &w[j], b, sizeof b);
        size_t n = strlen(x);
        if (!in_list(x, between) && !(n > 4 && strcmp(x + n - 2, "ly") == 0))
            break;
        if (j == lo)
            return s;
    }
    if (j >= v || w[j].quoted)
        return s;
    const char *x = lower(t, &w[j], b, sizeof b);
    if (in_list(x, pronouns))
        return subject_of(S_PRONOUN, &w[j], &w[j]);
    if (!w[j].cap)
        return role_phrase(t, w, lo, j);
    size_t first = j;
    while (first > lo && w[first - 1].cap && !w[first - 1].quoted &&
           !shouted(t, &w[first - 1]) &&
           plain_gap(t, &w[first - 1], &w[first]))
        first--;
    if (first > lo && plain_gap(t, &w[first - 1], &w[first])) {
        const char *p = lower(t, &w[first - 1], b, sizeof b);
        if (in_list(p, prepositions))
            return s;
        if (in_list(p, determiners))
            return role_phrase(t, w, lo, j);
    }
    if (in_list(lower(t, &w[first], b, sizeof b), determiners))
        return role_phrase(t, w, lo, j);
    while (first < j && in_list(lower(t, &w[first], b, sizeof b), not_names))
        first++;
    if (in_list(lower(t, &w[j], b, sizeof b), not_names))
        return s;
    /* "Foreign Minister said": a role, though capitalised */
    return subject_of(in_list(lower(t, &w[j], b, sizeof b), person_roles)
                          ? S_PERSON_ROLE
                          : S_NAME,
                      &w[first], &w[j]);
}

/* the subject on the right of verb v ("said Amir-Abdollahian"), among
 * words (v, hi) */
static subject subject_right(const char *t, const word *w, size_t v,
                             size_t hi)
{
    char b[32];
    subject s = {S_NONE, 0, 0};
    size_t j = v + 1;
    if (j < hi && strcmp(lower(t, &w[v], b, sizeof b), "according") == 0 &&
        strcmp(lower(t, &w[j], b, sizeof b), "to") == 0)
        j++;
    if (j >= hi || !plain_gap(t, &w[j - 1], &w[j]) || w[j].quoted)
        return s;
    const char *x = lower(t, &w[j], b, sizeof b);
    if (in_list(x, pronouns))
        return subject_of(S_PRONOUN, &w[j], &w[j]);
    if (in_list(x, determiners)) {
        size_t k = j;
        while (k + 1 < hi && k < j + 4 && plain_gap(t, &w[k], &w[k + 1]) &&
               !in_list(lower(t, &w[k], b, sizeof b), person_roles))
            k++;
        return subject_of(role_kind(t, &w[k]), &w[j], &w[k]);
    }
    if (!w[j].cap || in_list(x, not_names))
        return s;
    size_t last = j;
    while (last + 1 < hi && w[last + 1].cap &&
           plain_gap(t, &w[last], &w[last + 1]))
        last++;
    s.kind = S_NAME;
    s.start = w[j].start;
    s.end = w[last].end;
    return s;
}

static int is_verb(const char *t, const word *x)
{
    char b[32];
    return in_list(lower(t, x, b, sizeof b), speech_verbs);
}

/* ---- speakers --------------------------------------------------------------- */

typedef struct mention {
    uint32_t at;          /* position: where it counts from */
    uint32_t start, end;  /* the name */
} mention;

/* named subjects of speech verbs outside quotes, in text order */
static int find_mentions(mention **out, size_t *count, const char *t,
                         size_t len, const wvec *w)
{
    mention *m = NULL;
    size_t n = 0, cap = 0;
    size_t lo = 0; /* first word of the current sentence */
    for (size_t i = 0; i < w->n; i++) {
        if (i > 0 && breaks(t, len, w->v[i - 1].end, w->v[i].start))
            lo = i;
        if (w->v[i].quoted || !is_verb(t, &w->v[i]))
            continue;
        subject s = subject_left(t, w->v, lo, i);
        if (s.kind != S_NAME)
            continue;
        mention x = {w->v[i].start, s.start, s.end};
        if (RP_VEC_PUSH(m, n, cap, x)) {
            free(m);
            return RP_ENOMEM;
        }
    }
    *out = m;
    *count = n;
    return RP_OK;
}

/* the attribution right after quote q: words from index a on */
static subject after_quote(const char *t, size_t len, const wvec *w,
                           size_t a, const rp_quote *q)
{
    subject none = {S_NONE, 0, 0};
    if (a >= w->n || breaks(t, len, q->close, w->v[a].start))
        return none;
    size_t hi = a;
    while (hi < w->n && hi < a + 8 && !w->v[hi].quoted &&
           (hi == a || !breaks(t, len, w->v[hi - 1].end, w->v[hi].start)))
        hi++;
    for (size_t v = a; v < hi && v < a + 5; v++) {
        if (!is_verb(t, &w->v[v]))
            continue;
        subject s = v > a ? subject_left(t, w->v, a, v) : none;
        if (s.kind == S_NONE)
            s = subject_right(t, w->v, v, hi);
        return s;
    }
    return none;
}

/* the attribution right before quote q: words up to index b (inclusive) */
static subject before_quote(const char *t, size_t len, const wvec *w,
                            size_t b, const rp_quote *q)
{
    subject none = {S_NONE, 0, 0};
    if (b >= w->n || w->v[b].quoted)
        return none;
    for (uint32_t i = w->v[b].end; i < q->open; i++)
        if (!(t[i] == ' ' || t[i] == ',' || t[i] == ':'))
            return none;
    size_t lo = b;
    while (lo > 0 && !w->v[lo - 1].quoted &&
           !breaks(t, len, w->v[lo - 1].end, w->v[lo].start))
        lo--;
    char buf[32];
    for (size_t v = b + 1, steps = 0; v-- > lo && steps < 4; steps++) {
        if (is_verb(t, &w->v[v]))
            return subject_left(t, w->v, lo, v);
        const char *x = lower(t, &w->v[v], buf, sizeof buf);
        if (strcmp(x, "that") != 0 && strcmp(x, "to") != 0)
            break;
    }
    return none;
}

/* quote p ends in the paragraph q starts in, or in the one before when q
 * opens its paragraph */
static int adjacent(const char *t, const rp_quote *p, const rp_quote *q)
{
    uint32_t nl = 0, last_nl = 0;
    for (uint32_t i = p->close; i < q->open; i++)
        if (t[i] == '\n') {
            if (nl && last_nl != i - 1) {
                /* newlines separated by text: more than one paragraph */
                for (uint32_t k = last_nl + 1; k < i; k++)
                    if (!is_space(t[k]))
                        return 0;
            }
            nl++;
            last_nl = i;
        }
    if (!nl)
        return 1;
    for (uint32_t i = last_nl + 1; i < q->open; i++)
        if (!is_space(t[i]))
            return 0;
    return 1;
}

static void attribute(const char *t, size_t len, qvec *q, const wvec *w,
                      const mention *m, size_t nm)
{
    size_t wi = 0, mi = 0;
    int have_last = 0;
    uint32_t last_s = 0, last_e = 0, last_at = 0;
    for (size_t i = 0; i < q->n; i++) {
        rp_quote *x = &q->v[i];
        while (wi < w->n && w->v[wi].start < x->close)
            wi++;
        /* the last named mention before the quote opens */
        while (mi < nm && m[mi].at < x->open) {
            if (!have_last || m[mi].at >= last_at) {
                last_s = m[mi].start;
                last_e = m[mi].end;
                last_at = m[mi].at;
                have_last = 1;
            }
            mi++;
        }
        size_t b = wi; /* last word before the quote */
        while (b > 0 && w->v[b - 1].start >= x->open)
            b--;
        subject s = after_quote(t, len, w, wi, x);
        if (s.kind == S_NONE && b > 0)
            s = before_quote(t, len, w, b - 1, x);
        if (s.kind == S_NAME) {
            x->basis = RP_SPEAKER_NAMED;
            x->speaker_start = s.start;
            x->speaker_end = s.end;
            last_s = s.start;
            last_e = s.end;
            last_at = x->open;
            have_last = 1;
        } else if ((s.kind == S_PRONOUN || s.kind == S_PERSON_ROLE) &&
                   have_last) {
            x->basis = RP_SPEAKER_RESOLVED;
            x->speaker_start = last_s;
            x->speaker_end = last_e;
        } else if (s.kind == S_ROLE || s.kind == S_PERSON_ROLE) {
            x->basis = RP_SPEAKER_ROLE;
            x->speaker_start = s.start;
            x->speaker_end = s.end;
        } else if (s.kind == S_NONE && i > 0 &&
                   q->v[i - 1].basis != RP_SPEAKER_NONE &&
                   adjacent(t, &q->v[i - 1], x)) {
            x->basis = q->v[i - 1].basis == RP_SPEAKER_ROLE
                           ? RP_SPEAKER_ROLE
                           : RP_SPEAKER_RESOLVED;
            x->speaker_start = q->v[i - 1].speaker_start;
            x->speaker_end = q->v[i - 1].speaker_end;
        }
    }
}

/* a copy of the text where only paragraph breaks are line breaks */
static char *unwrap(const char *text, size_t len)
{
    rp_paragraph *p = NULL;
    size_t np = 0, cap = 0;
    char *t = malloc(len + 1);
    if (!t || rp_segment_paragraphs(&p, &np, &cap, text, len) < 0) {
        free(t);
        free(p);
        return NULL;
    }
    memcpy(t, text, len);
    t[len] = '\0';
    size_t pi = 0, run_end = 0;
    for (size_t i = 0; i < len; i++) {
        if (t[i] != '\n' && t[i] != '\r')
            continue;
        /* every line end inside one whitespace run ends at the same k:
         * scan each run once, or " \n" x 1M takes hours (quadratic) */
        size_t k = i < run_end ? run_end : i;
        while (k < len && is_space(t[k]))
            k++;
        run_end = k;
        while (pi < np && p[pi].offset < k)
            pi++;
        if (k < len && !(pi < np && p[pi].offset == k))
            t[i] = ' '; /* a wrapped line, not a new paragraph */
    }
    free(p);
    return t;
}

int rp_quotes_find(rp_quote **out, size_t *count, const char *text_in,
                   size_t len, uint32_t min_words)
{
    *out = NULL;
    *count = 0;
    if (len >= UINT32_MAX)
        return RP_EINVAL;
    char *text = unwrap(text_in, len);
    if (!text)
        return RP_ENOMEM;
    qvec q = {NULL, 0, 0};
    wvec w = {NULL, 0, 0};
    mention *m = NULL;
    size_t nm = 0;
    int rc = find_marks(&q, text, len, min_words ? min_words : 1);
    if (rc == RP_OK && q.n)
        rc = lex_words(&w, text, len, &q);
    if (rc == RP_OK && q.n)
        rc = find_mentions(&m, &nm, text, len, &w);
    if (rc == RP_OK && q.n)
        attribute(text, len, &q, &w, m, nm);
    free(w.v);
    free(m);
    free(text);
    if (rc != RP_OK) {
        free(q.v);
        return rc;
    }
    *out = q.v;
    *count = q.n;
    return RP_OK;
}

size_t rp_speaker_key(char *out, size_t cap, const char *name, size_t len)
{
    if (cap == 0)
        return 0;
    /* the last word: after the last space */
    size_t s = len;
    while (s > 0 && name[s - 1] != ' ')
        s--;
    size_t n = 0;
    for (size_t i = s; i < len && n + 1 < cap; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c >= 'A' && c <= 'Z')
            out[n++] = (char)(c + 32);
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            out[n++] = (char)c;
        else if (c >= 0x80) {
            /* keep non-ASCII letters, drop punctuation such as ’ */
            size_t k = i;
            UChar32 cp = next_cp(name, len, &k);
            if (is_letter(cp) && n + (k - i) < cap) {
                memcpy(out + n, name + i, k - i);
                n += k - i;
            }
            i = k - 1;
        }
    }
    out[n] = '\0';
    return n;
}
