/*
 * fingerprint.c - normalise -> segment -> shingle -> MinHash for one
 * document, with per-thread scratch kept between documents.
 *
 *  tokens   t0 t1 t2 ... (offsets into the original text)
 *  paras    [--- P0 ---][P1][------ P2 ------]      (P1 too short: no unit)
 *  shingles s_i = hash(t_i .. t_{i+k-1})
 *           inside P0 -> sig(P0); inside P2 -> sig(P2); others -> rest
 *  doc sig  = lanewise min(sig(P0), sig(P2), rest)
 */
#include "reprint/sys/fingerprint.h"

#include "reprint/sys/shingle.h"
#include "../../util/buf.h"
#include "../../util/hash.h"

#include <stdlib.h>
#include <string.h>

struct rp_signer {
    rp_sign_options opts;
    rp_normalizer *norm;
    rp_minhash mh;
    rp_paragraph *praw;
    size_t npraw, praw_cap;
    rp_para_fp *paras;
    size_t paras_cap;
    uint64_t *shingles;
    size_t sh_cap;
    uint32_t *sigs; /* doc, rest, then units */
    size_t sigs_cap;
};

int rp_signer_new(rp_signer **out, const rp_sign_options *opts)
{
    *out = NULL;
    if (!opts || opts->version != RP_SIGN_OPTIONS_VERSION ||
        opts->shingle == 0 || opts->shingle > 64)
        return RP_EINVAL;
    rp_signer *s = calloc(1, sizeof *s);
    if (!s)
        return RP_ENOMEM;
    s->opts = *opts;
    if (s->opts.min_para_tokens < s->opts.shingle)
        s->opts.min_para_tokens = s->opts.shingle;
    int rc = rp_minhash_init(&s->mh, opts->num_perm, opts->seed);
    if (rc == RP_OK)
        rc = rp_normalizer_new(&s->norm, (int)opts->char_mode, opts->seed);
    if (rc != RP_OK) {
        rp_signer_free(s);
        return rc;
    }
    *out = s;
    return RP_OK;
}

void rp_signer_free(rp_signer *s)
{
    if (!s)
        return;
    rp_normalizer_free(s->norm);
    free(s->praw);
    free(s->paras);
    free(s->shingles);
    free(s->sigs);
    free(s);
}

const rp_sign_options *rp_signer_options(const rp_signer *s)
{
    return &s->opts;
}

int rp_signer_sign(rp_signer *s, rp_fingerprint *out, const char *text,
                   size_t len)
{
    memset(out, 0, sizeof *out);
    const uint32_t np = s->opts.num_perm, k = s->opts.shingle;
    const rp_token *tok;
    size_t ntok;
    int rc = rp_normalize(s->norm, &tok, &ntok, text, len);
    if (rc != RP_OK)
        return rc;
    size_t nsh = rp_shingle_count(ntok, k);
    if (rp_vec_grow((void **)&s->shingles, &s->sh_cap, nsh + 1,
                    sizeof *s->shingles))
        return RP_ENOMEM;
    rp_shingle_hashes(s->shingles, tok, ntok, k);

    /* paragraphs, with their token and shingle ranges */
    size_t npara = 0;
    if (s->opts.paragraphs) {
        int rule = rp_segment_paragraphs(&s->praw, &s->npraw, &s->praw_cap,
                                         text, len);
        if (rule < 0)
            return rule;
        out->para_rule = rule;
        npara = s->npraw;
        if (rp_vec_grow((void **)&s->paras, &s->paras_cap, npara + 1,
                        sizeof *s->paras))
            return RP_ENOMEM;
    }
    size_t t = 0, nunits = 0;
    for (size_t p = 0; p < npara; p++) {
        rp_para_fp *pf = &s->paras[p];
        pf->span = s->praw[p];
        uint32_t end = pf->span.offset + pf->span.len;
        while (t < ntok && tok[t].offset < pf->span.offset)
            t++;
        pf->first_token = (uint32_t)t;
        while (t < ntok && tok[t].offset < end)
            t++;
        pf->ntokens = (uint32_t)t - pf->first_token;
        pf->unit = ntok >= k && pf->ntokens >= s->opts.min_para_tokens;
        pf->first_shingle = pf->first_token;
        pf->nshingles = pf->unit ? pf->ntokens - k + 1 : 0;
        pf->tok_begin = pf->tok_end = 0;
        if (pf->ntokens) {
            const rp_token *last = &tok[pf->first_token + pf->ntokens - 1];
            pf->tok_begin = tok[pf->first_token].offset;
            pf->tok_end = last->offset + last->len;
        }
        pf->content = pf->unit ? rp_hash64(s->shingles + pf->first_shingle,
                                           pf->nshingles * sizeof(uint64_t),
                                           0)
                               : 0;
        nunits += pf->unit;
    }

    if (rp_vec_grow((void **)&s->sigs, &s->sigs_cap, (nunits + 2) * np,
                    sizeof *s->sigs))
        return RP_ENOMEM;
    uint32_t *doc = s->sigs, *rest = s->sigs + np, *units = s->sigs + 2 * np;
    rp_minhash_reset(&s->mh, doc);
    rp_minhash_reset(&s->mh, rest);
    size_t done = 0, u = 0; /* shingles [0, done) are hashed */
    for (size_t p = 0; p < npara; p++) {
        const rp_para_fp *pf = &s->paras[p];
        if (!pf->unit)
            continue;
        uint32_t *sig = units + u * np;
        rp_minhash_update(&s->mh, rest, s->shingles + done,
                          pf->first_shingle - done);
        rp_minhash_reset(&s->mh, sig);
        rp_minhash_update(&s->mh, sig, s->shingles + pf->first_shingle,
                          pf->nshingles);
        rp_minhash_merge(doc, sig, np);
        done = pf->first_shingle + pf->nshingles;
        u++;
    }
    rp_minhash_update(&s->mh, rest, s->shingles + done, nsh - done);
    rp_minhash_merge(doc, rest, np);

    out->num_perm = np;
    out->ntokens = (uint32_t)ntok;
    out->nshingles = (uint32_t)nsh;
    out->sig = doc;
    out->npara = npara;
    out->paras = s->paras;
    out->nunits = nunits;
    out->unit_sigs = units;
    out->tokens = tok;
    out->shingles = s->shingles;
    out->content = rp_hash64(s->shingles, nsh * sizeof(uint64_t), 0);
    if (ntok) {
        out->tok_begin = tok[0].offset;
        out->tok_end = tok[ntok - 1].offset + tok[ntok - 1].len;
    }
    return RP_OK;
}
