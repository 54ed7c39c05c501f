/* fuzz_date.c - the date parser (date.c) and the formatter on its result. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_copy(data, size);
    rp_date d;
    if (rp_date_parse(&d, s, size) == RP_OK) {
        char out[64];
        size_t n = rp_date_format(out, sizeof out, &d);
        if (n >= sizeof out)
            abort();
        (void)rp_date_width(&d);
        (void)rp_date_cmp(&d, &d);
    }
    free(s);
    return 0;
}
