/*
 * fuzz_sigblock.c - the document records inside one .rps block
 * (sigfile.c rp_sigfile_reader_next). Structure-aware: a valid header
 * (num_perm 32 x (1 + byte 0 % 4), one input file) is written by the
 * library, then the input after byte 1 becomes one block's raw bytes,
 * compressed and checksummed as the writer would, with byte 1 as its
 * document count; the trailer follows. So every mutation reaches the
 * record decoder and the checks that a record describes a possible text.
 */
#include "fuzz_common.h"

#include "../../src/lib/io/codec.h"   /* rp__block_compress */
#include "../../src/util/buf.h"
#include "../../src/util/hash.h"   /* rp_hash64 */

static void put32(rp_buf *b, uint32_t v)
{
    unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8),
                          (unsigned char)(v >> 16), (unsigned char)(v >> 24)};
    rp_buf_put(b, x, 4);
}

static void put64(rp_buf *b, uint64_t v)
{
    put32(b, (uint32_t)v);
    put32(b, (uint32_t)(v >> 32));
}

/* The header bytes of a .rps written by the library. */
static void header(rp_buf *out, uint32_t num_perm)
{
    rp_sign_options so = RP_SIGN_OPTIONS_INIT;
    so.num_perm = num_perm;
    const char *files[1] = {"in.jsonl"};
    uint64_t sizes[1] = {0};
    const char *path = fuzz_file(NULL, 0, ".hdr.rps");
    rp_sigfile_writer *w = NULL;
    if (rp_sigfile_writer_new(&w, path, &so, NULL, files, sizes, 1, NULL) !=
            RP_OK ||
        rp_sigfile_writer_commit(w, NULL) != RP_OK)
        abort();
    FILE *f = fopen(path, "rb");
    unsigned char fixed[16];
    if (!f || fread(fixed, 1, 16, f) != 16)
        abort();
    uint32_t h = (uint32_t)fixed[12] | (uint32_t)fixed[13] << 8 |
                 (uint32_t)fixed[14] << 16 | (uint32_t)fixed[15] << 24;
    rp_buf_put(out, fixed, 16);
    if (rp_buf_reserve(out, h) ||
        fread(out->data + out->len, 1, h - 16, f) != h - 16)
        abort();
    out->len += h - 16;
    fclose(f);
    unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    uint32_t np = 32 * (1 + (data[0] & 3));
    uint32_t ndocs = data[1] ? data[1] : 1;
    const uint8_t *raw = data + 2;
    size_t rawlen = size - 2;
    /* the four headers, made once (the writer and a file per call would
     * cost most of each execution) */
    static rp_buf headers[4];
    rp_buf *hb = &headers[data[0] & 3];
    if (hb->len == 0)
        header(hb, np);
    rp_buf file = {0}, comp = {0};
    rp_buf_put(&file, hb->data, hb->len);
    if (rp__block_compress(&comp, raw, rawlen, 1) != RP_OK)
        abort();
    rp_buf_put(&file, "RPBK", 4);
    put32(&file, (uint32_t)rawlen);
    put32(&file, (uint32_t)comp.len);
    put32(&file, ndocs);
    put64(&file, rp_hash64(raw, rawlen, 0));
    rp_buf_put(&file, comp.data, comp.len);
    rp_buf_put(&file, "RPSEND\0\0", 8);
    put64(&file, ndocs);
    put64(&file, 1);
    const char *path = fuzz_file((const uint8_t *)file.data, file.len, ".rps");
    rp_buf_dispose(&file);
    rp_buf_dispose(&comp);
    rp_sigfile_reader *r = NULL;
    if (rp_sigfile_reader_new(&r, path, NULL) != RP_OK)
        abort(); /* the library's own header */
    rp_sigfile_doc d;
    while (rp_sigfile_reader_next(r, &d, NULL) == RP_OK) {
        /* what the reader let through describes a possible record */
        if (d.tok_end > d.text_len || d.id_len > rawlen)
            abort();
        for (uint32_t i = 0; i < d.npara; i++)
            if ((uint64_t)d.paras[i].span.cut_offset +
                    d.paras[i].span.cut_len > d.text_len)
                abort();
        volatile uint32_t x = 0;
        for (uint32_t i = 0; i < np; i++)
            x ^= d.sig[i];
        for (size_t i = 0; i < (size_t)d.nunits * np; i++)
            x ^= d.unit_sigs[i];
        (void)x;
    }
    rp_sigfile_reader_free(r);
    unlink(path);
    return 0;
}
