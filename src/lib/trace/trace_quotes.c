/*
 * trace_quotes.c - the same utterance quoted across documents.
 *
 *   extract   rp_quotes_find() per document, on the workers (with the
 *             words, trace.c): quoted words and speaker
 *   describe  per quote: its content words (normalised, stop words
 *             dropped, light suffix stripping: "drones" = "drone",
 *             "provided" = "provide") and its word 4-grams
 *   pair      quotes sharing >= 3 content words, through a (word, quote)
 *             index; a word in more than max_df quotes pairs none
 *   cluster   leaders are the fullest quotes: quotes visited from most
 *             content words to fewest join the best leader that accepts
 *             them (no chaining):
 *               same wording  half the quote's 4-grams are in the leader
 *               reworded      (another translation, a paraphrase) half
 *                             its content words are in the leader, 5 or
 *                             more, the same named speaker on both, and
 *                             dates no more than 7 days apart, and
 *                             not two quotes of one document
 *             Two different named speakers never join.
 *   report    clusters spanning two or more documents, members in date
 *             order; the first appearance is a tie when the earliest
 *             dates overlap
 */
#include "../common/error.h"
#include "trace_job.h"

#include "reprint/sys/normalize.h"

#include "../../util/hash.h"
#include "../../util/pairs.h"
#include "../../util/sort.h"

#include <stdlib.h>
#include <string.h>

#define MIN_QUOTE_WORDS 6
#define MIN_SHARED 3
#define REWORDED_MIN_SHARED 5
#define WINDOW_SECONDS (7 * 86400)

static const char *const stop[] = {
    "the", "and", "that", "this", "these", "those", "with", "from", "into",
    "about", "for", "but", "not", "any", "all", "some", "there", "here",
    "which", "who", "whom", "what", "when", "where", "why", "how", "such",
    "than", "then", "also", "very", "can", "could", "should", "would",
    "will", "shall", "may", "might", "must", "does", "did", "done", "doing",
    "been", "being", "have", "has", "had", "having", "are", "was", "were",
    "our", "ours", "their", "theirs", "they", "them", "you", "your", "his",
    "her", "hers", "its", "she", "him", "who", "more", "most", "other",
    "only", "just", "like", "said", "say", "says", "one", "two", "out",
    "over", "under", "again", "once", "each", "both", "because", "while",
    "until", "upon", "onto", "off", "own", "same", "too", "yet", "nor",
    "either", "neither", "whether", "it's", "i'm", "we're", NULL};

static int is_stop(const char *w, size_t n)
{
    for (int i = 0; stop[i]; i++)
        if (strlen(stop[i]) == n && memcmp(stop[i], w, n) == 0)
            return 1;
    return 0;
}

/* light suffix stripping, so inflections meet: drones/drone -> dron,
 * provided/provide -> provid, countries/country -> countri */
static size_t stem(char *w, size_t n)
{
    if (n > 4 && memcmp(w + n - 3, "ies", 3) == 0) {
        n -= 2;
        w[n - 1] = 'i';
    } else if (n > 5 && memcmp(w + n - 3, "ing", 3) == 0) {
        n -= 3;
    } else if (n > 4 && memcmp(w + n - 2, "ed", 2) == 0) {
        n -= 2;
    } else if (n > 4 && memcmp(w + n - 2, "es", 2) == 0) {
        n -= 1;
    } else if (n > 3 && w[n - 1] == 's' && w[n - 2] != 's') {
        n -= 1;
    }
    if (n > 3 && w[n - 1] == 'e')
        n--;
    if (n > 3 && w[n - 1] == 'y')
        w[n - 1] = 'i';
    return n;
}

static uint32_t intersect(const uint64_t *a, uint32_t na, const uint64_t *b,
                          uint32_t nb)
{
    uint32_t i = 0, k = 0, n = 0;
    while (i < na && k < nb) {
        if (a[i] < b[k])
            i++;
        else if (a[i] > b[k])
            k++;
        else {
            n++;
            i++;
            k++;
        }
    }
    return n;
}

/* content words and 4-grams of one quote */
static int describe(tquote *q, rp_normalizer *nz, const char *text)
{
    const rp_token *tk;
    size_t nt;
    RP_TRY(rp_normalize(nz, &tk, &nt, text + q->q.start, q->q.end - q->q.start));
    const char *norm = rp_normalizer_text(nz);
    q->words = malloc((nt + 1) * sizeof *q->words);
    q->grams = malloc((nt + 1) * sizeof *q->grams);
    if (!q->words || !q->grams)
        return RP_ENOMEM;
    size_t nw = 0, ng = 0;
    char w[64];
    for (size_t i = 0; i < nt; i++) {
        size_t n = tk[i].norm_len;
        if (n < 3 || n >= sizeof w || is_stop(norm + tk[i].norm_off, n))
            continue;
        memcpy(w, norm + tk[i].norm_off, n);
        n = stem(w, n);
        q->words[nw++] = rp_hash64(w, n, 0x71);
    }
    for (size_t i = 0; i + 4 <= nt; i++) {
        uint64_t g[4] = {tk[i].hash, tk[i + 1].hash, tk[i + 2].hash,
                         tk[i + 3].hash};
        q->grams[ng++] = rp_hash64(g, sizeof g, 0x47);
    }
    q->nwords = (uint32_t)rp_sort_unique_u64(q->words, nw);
    q->ngrams = (uint32_t)rp_sort_unique_u64(q->grams, ng);
    return RP_OK;
}

static void free_quote(tquote *x)
{
    free(x->words);
    free(x->grams);
}

int rp__trace_doc_quotes(tdoc *doc, uint32_t d, rp_normalizer *nz)
{
    rp_quote *q;
    size_t n, cap = 0;
    RP_TRY(rp_quotes_find(&q, &n, doc->text, doc->text_len,
                          MIN_QUOTE_WORDS));
    int rc = RP_OK;
    for (size_t i = 0; i < n && rc == RP_OK; i++) {
        tquote x;
        memset(&x, 0, sizeof x);
        x.doc = d;
        x.q = q[i];
        if (q[i].basis == RP_SPEAKER_NAMED ||
            q[i].basis == RP_SPEAKER_RESOLVED)
            rp_speaker_key(x.key, sizeof x.key,
                           doc->text + q[i].speaker_start,
                           q[i].speaker_end - q[i].speaker_start);
        rc = describe(&x, nz, doc->text);
        if (rc == RP_OK && RP_VEC_PUSH(doc->quotes, doc->nquotes, cap, x))
            rc = RP_ENOMEM;
        if (rc != RP_OK)
            free_quote(&x);
    }
    free(q);
    return rc;
}

/* every document's quotes, in document order, into j->quotes */
static int gather(tjob *j)
{
    size_t n = 0;
    for (size_t d = 0; d < j->ndocs; d++)
        n += j->docs[d].nquotes;
    j->quotes = malloc((n + 1) * sizeof *j->quotes);
    if (!j->quotes)
        return RP_ENOMEM;
    j->quotes_cap = n + 1;
    for (size_t d = 0; d < j->ndocs; d++) {
        tdoc *x = &j->docs[d];
        if (x->nquotes)
            memcpy(j->quotes + j->nquotes, x->quotes,
                   x->nquotes * sizeof *x->quotes);
        j->nquotes += x->nquotes;
        free(x->quotes);
        x->quotes = NULL;
        x->nquotes = 0;
    }
    j->st->quotes = j->nquotes;
    return RP_OK;
}

/* ---- pairs and clusters ---------------------------------------------------------- */

/* quote pairs sharing >= MIN_SHARED content words, as sorted (lo << 32|hi) */
static int quote_pairs(const tjob *j, uint64_t **out, size_t *count)
{
    rp_posting *p = NULL;
    size_t np = 0, cap = 0;
    int rc = RP_OK;
    for (size_t i = 0; i < j->nquotes && rc == RP_OK; i++)
        for (uint32_t k = 0; k < j->quotes[i].nwords && rc == RP_OK; k++) {
            rp_posting x = {j->quotes[i].words[k], (uint32_t)i};
            if (RP_VEC_PUSH(p, np, cap, x))
                rc = RP_ENOMEM;
        }
    if (rc == RP_OK &&
        rp_pairs_sharing(p, np, j->o->max_df, MIN_SHARED, out, count, NULL))
        rc = RP_ENOMEM;
    free(p);
    return rc;
}

/* date order: earliest first, then input order, then position */
static int earlier(const void *ctx, uint32_t x, uint32_t y)
{
    const tjob *j = ctx;
    const tquote *a = &j->quotes[x], *b = &j->quotes[y];
    int c = rp_date_cmp(&j->docs[a->doc].date, &j->docs[b->doc].date);
    if (c)
        return c < 0;
    if (a->doc != b->doc)
        return a->doc < b->doc;
    return a->q.start < b->q.start;
}

/* fullest first: most content words, then in date order */
static int fuller(const void *ctx, uint32_t x, uint32_t y)
{
    const tjob *j = ctx;
    uint32_t nx = j->quotes[x].nwords, ny = j->quotes[y].nwords;
    return nx != ny ? nx > ny : earlier(ctx, x, y);
}

/* does leader l take quote q? returns the content overlap, or -1 */
static double accepts(const tjob *j, const tquote *l, tquote *q)
{
    if (l->key[0] && q->key[0] && strcmp(l->key, q->key) != 0)
        return -1;
    uint32_t shared = intersect(l->words, l->nwords, q->words, q->nwords);
    double ov = q->nwords ? (double)shared / q->nwords : 0;
    double g = q->ngrams ? (double)intersect(l->grams, l->ngrams, q->grams,
                                             q->ngrams) / q->ngrams
                         : 0;
    if (shared < MIN_SHARED)
        return -1;
    if (g >= 0.5) {
        q->kind = g >= 0.9 ? (q->ngrams * 10 >= l->ngrams * 9 ? QK_VERBATIM
                                                              : QK_EXCERPT)
                           : QK_EDITED;
        return ov + g;
    }
    /* one article does not quote one utterance in two translations */
    if (l->doc == q->doc || !l->key[0] || !q->key[0] ||
        shared < REWORDED_MIN_SHARED || ov < 0.5)
        return -1;
    const rp_date *a = &j->docs[l->doc].date, *b = &j->docs[q->doc].date;
    if (a->precision != RP_DATE_UNKNOWN && b->precision != RP_DATE_UNKNOWN) {
        int64_t d = a->start - b->start;
        if (d > WINDOW_SECONDS || d < -WINDOW_SECONDS)
            return -1;
    }
    q->kind = QK_REWORDED;
    return ov;
}

static int cluster(tjob *j)
{
    uint64_t *pairs = NULL;
    size_t np = 0;
    size_t nq = j->nquotes;
    RP_TRY(quote_pairs(j, &pairs, &np));
    uint32_t *order = malloc((nq + 1) * sizeof *order);
    uint32_t *tmp = malloc((nq + 1) * sizeof *tmp);
    size_t *start = calloc(nq + 2, sizeof *start);
    uint32_t *nb = malloc((2 * np + 1) * sizeof *nb);
    int rc = order && tmp && start && nb ? RP_OK : RP_ENOMEM;
    if (rc == RP_OK) {
        /* neighbours (CSR) */
        for (size_t i = 0; i < np; i++) {
            start[(pairs[i] >> 32) + 1]++;
            start[(uint32_t)pairs[i] + 1]++;
        }
        for (size_t i = 0; i < nq; i++)
            start[i + 1] += start[i];
        size_t *fill = tmp ? (size_t *)calloc(nq + 1, sizeof *fill) : NULL;
        if (!fill)
            rc = RP_ENOMEM;
        for (size_t i = 0; rc == RP_OK && i < np; i++) {
            uint32_t a = (uint32_t)(pairs[i] >> 32), b = (uint32_t)pairs[i];
            nb[start[a] + fill[a]++] = b;
            nb[start[b] + fill[b]++] = a;
        }
        free(fill);
    }
    if (rc == RP_OK) {
        for (size_t i = 0; i < nq; i++)
            order[i] = (uint32_t)i;
        rp_sort_indices(order, tmp, nq, fuller, j);
        uint32_t *rank = tmp;
        for (size_t r = 0; r < nq; r++)
            rank[order[r]] = (uint32_t)r;
        for (size_t r = 0; r < nq; r++) {
            tquote *q = &j->quotes[order[r]];
            q->leader = order[r];
            q->kind = QK_FULLEST;
            q->overlap = 1;
            double best = -1;
            uint8_t kind = QK_FULLEST;
            for (size_t i = start[order[r]]; i < start[order[r] + 1]; i++) {
                uint32_t l = nb[i];
                if (rank[l] >= r || j->quotes[l].leader != l)
                    continue;
                double s = accepts(j, &j->quotes[l], q);
                if (s > best || (s == best && s >= 0 &&
                                 rank[l] < rank[q->leader])) {
                    if (s < 0)
                        continue;
                    best = s;
                    q->leader = l;
                    kind = q->kind;
                }
            }
            q->kind = kind;
            if (q->leader != order[r]) {
                const tquote *l = &j->quotes[q->leader];
                q->overlap = (double)intersect(l->words, l->nwords, q->words,
                                               q->nwords) /
                             (q->nwords ? q->nwords : 1);
            }
        }
    }
    /* clusters: leaders whose members come from two or more documents */
    if (rc == RP_OK) {
        for (size_t i = 0; i < nq; i++)
            order[i] = (uint32_t)i;
        rp_sort_indices(order, tmp, nq, earlier, j);
        size_t cap = 0;
        uint32_t *cidx = malloc((nq + 1) * sizeof *cidx); /* by leader */
        if (!cidx)
            rc = RP_ENOMEM;
        for (size_t i = 0; rc == RP_OK && i < nq; i++)
            cidx[i] = NONE;
        for (size_t r = 0; r < nq && rc == RP_OK; r++) {
            uint32_t l = j->quotes[order[r]].leader;
            size_t k = cidx[l];
            if (k == NONE) {
                k = cidx[l] = (uint32_t)j->nqclusters;
                tqcluster c = {l, NULL, 0, 0};
                if (RP_VEC_PUSH(j->qclusters, j->nqclusters, cap, c)) {
                    rc = RP_ENOMEM;
                    break;
                }
            }
            tqcluster *c = &j->qclusters[k];
            uint32_t *m = realloc(c->members, (c->nm + 1) * sizeof *m);
            if (!m) {
                rc = RP_ENOMEM;
                break;
            }
            m[c->nm++] = order[r];
            c->members = m;
        }
        free(cidx);
        /* keep the clusters over two or more documents */
        size_t w = 0;
        /* after a failed allocation a cluster may have no member yet:
         * keep them all for rp__trace_quotes_free, look at none */
        for (size_t k = 0; rc == RP_OK && k < j->nqclusters; k++) {
            tqcluster *c = &j->qclusters[k];
            size_t other = 1;
            while (other < c->nm && j->quotes[c->members[other]].doc ==
                                        j->quotes[c->members[0]].doc)
                other++;
            if (other == c->nm) {
                free(c->members);
                continue;
            }
            c->tied = (uint8_t)rp__trace_dates_tie(
                &j->docs[j->quotes[c->members[0]].doc].date,
                &j->docs[j->quotes[c->members[other]].doc].date);
            j->qclusters[w++] = *c;
        }
        if (rc == RP_OK) {
            j->nqclusters = w;
            j->st->quote_clusters = w;
        }
    }
    free(pairs);
    free(order);
    free(tmp);
    free(start);
    free(nb);
    return rc;
}

int rp__trace_quotes(tjob *j)
{
    RP_TRY(gather(j));
    return cluster(j);
}

void rp__trace_quotes_free(tjob *j)
{
    for (size_t d = 0; d < j->ndocs; d++) {
        for (size_t i = 0; i < j->docs[d].nquotes; i++)
            free_quote(&j->docs[d].quotes[i]);
        free(j->docs[d].quotes);
    }
    for (size_t i = 0; i < j->nquotes; i++)
        free_quote(&j->quotes[i]);
    free(j->quotes);
    for (size_t k = 0; k < j->nqclusters; k++)
        free(j->qclusters[k].members);
    free(j->qclusters);
}

const char *rp__trace_quote_kind(uint8_t kind)
{
    static const char *const names[] = {"fullest", "verbatim", "excerpt",
                                        "edited", "reworded"};
    return kind <= QK_REWORDED ? names[kind] : "?";
}

const char *rp__trace_speaker_basis(uint8_t basis)
{
    static const char *const names[] = {"none", "named", "resolved", "role"};
    return basis <= RP_SPEAKER_ROLE ? names[basis] : "?";
}
