/*
 * fuzz_sigfile.c - a whole .rps file (sigfile.c reader). Structure-aware:
 * when the input starts with the magic and names a header length that
 * fits, the header checksum is recomputed, so mutations of the header's
 * values reach the checks behind it (the shape of sigfile-1.bin: valid
 * checksum, num_perm 4096). Blocks are taken as they come; fuzz_sigblock
 * reaches the record decoder.
 */
#include "fuzz_common.h"

#include "../../src/util/hash.h" /* rp_hash64: the .rps checksum */

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *d = malloc(size ? size : 1);
    if (!d)
        abort();
    if (size)
        memcpy(d, data, size);
    if (size >= 16 && memcmp(d, "RPSIG\r\n\x1a", 8) == 0) {
        uint32_t h = get32(d + 12);
        if (h >= 64 && h <= size) {
            uint64_t sum = rp_hash64(d, h - 8, 0);
            for (int i = 0; i < 8; i++)
                d[h - 8 + i] = (uint8_t)(sum >> (8 * i));
        }
    }
    const char *path = fuzz_file(d, size, ".rps");
    free(d);
    rp_sigfile_reader *r = NULL;
    if (rp_sigfile_reader_new(&r, path, NULL) == RP_OK) {
        for (uint32_t i = 0; i < rp_sigfile_file_count(r); i++)
            (void)strlen(rp_sigfile_file_name(r, i));
        rp_sigfile_doc doc;
        for (int n = 0; n < 100000; n++)
            if (rp_sigfile_reader_next(r, &doc, NULL) != RP_OK)
                break;
    }
    rp_sigfile_reader_free(r);
    unlink(path);
    return 0;
}
