/*
 * fuzz_quote.c - quote extraction and attribution (quote.c). Byte 0 is
 * min_words (the shape of reproducer quote-slow-64k.bin); the rest, up to
 * its first invalid UTF-8 byte, is the text.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t len = fuzz_utf8_prefix(data + 1, size - 1);
    char *t = fuzz_copy(data + 1, len);
    rp_quote *q = NULL;
    size_t n = 0;
    if (rp_quotes_find(&q, &n, t, len, data[0]) == RP_OK) {
        for (size_t i = 0; i < n; i++) {
            if (q[i].open > q[i].close || q[i].close > len ||
                q[i].start > q[i].end || q[i].end > len)
                abort();
            if (q[i].basis != RP_SPEAKER_NONE) {
                char key[64];
                if (q[i].speaker_start > q[i].speaker_end ||
                    q[i].speaker_end > len)
                    abort();
                rp_speaker_key(key, sizeof key, t + q[i].speaker_start,
                               q[i].speaker_end - q[i].speaker_start);
            }
        }
    }
    free(q);
    free(t);
    return 0;
}
