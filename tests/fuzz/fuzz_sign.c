/*
 * fuzz_sign.c - normalise, segment and sign one text (normalize.c,
 * segment.c, shingle.c, minhash.c, fingerprint.c). Byte 0: bits 0-2 the
 * shingle size - 1, bit 3 character n-grams, bits 4-5 min_para_tokens
 * (0, 1, 3, 8). The rest, up to its first invalid UTF-8 byte, is the text.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const uint32_t minp[4] = {0, 1, 3, 8};
    rp_sign_options o = RP_SIGN_OPTIONS_INIT;
    o.shingle = (data[0] & 7) + 1;
    o.char_mode = (data[0] >> 3) & 1;
    o.min_para_tokens = minp[(data[0] >> 4) & 3];
    o.num_perm = 32;
    size_t len = fuzz_utf8_prefix(data + 1, size - 1);
    char *t = fuzz_copy(data + 1, len);
    rp_signer *s = NULL;
    if (rp_signer_new(&s, &o) != RP_OK)
        abort();
    rp_fingerprint fp;
    if (rp_signer_sign(s, &fp, t, len) == RP_OK) {
        /* what .rps readers now check holds for what we write */
        if (fp.nshingles > fp.ntokens || fp.tok_begin > fp.tok_end ||
            fp.tok_end > len)
            abort();
        uint64_t cut_end = 0;
        for (size_t i = 0; i < fp.npara; i++) {
            const rp_para_fp *p = &fp.paras[i];
            if ((uint64_t)p->span.offset + p->span.len > len ||
                p->span.cut_offset < cut_end ||
                (uint64_t)p->span.cut_offset + p->span.cut_len > len ||
                (uint64_t)p->first_token + p->ntokens > fp.ntokens ||
                (p->nshingles && (uint64_t)p->first_shingle + p->nshingles >
                                     fp.nshingles))
                abort();
            cut_end = (uint64_t)p->span.cut_offset + p->span.cut_len;
        }
    }
    rp_signer_free(s);
    free(t);
    return 0;
}
