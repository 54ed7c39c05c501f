/*
 * fuzz_input.c - a whole input file: framing into lines, zstd and gzip
 * detected by content (input.c), then each unit through the record parser
 * (record.c), as dedup and trace read. Records are capped at 64 KiB so
 * the over-long-line path is reached too.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, ".jsonl");
    rp_reader_options o = RP_READER_OPTIONS_INIT;
    o.max_record_len = 1 << 16;
    const char *paths[1] = {path};
    rp_reader *r = NULL;
    rp_parser *p = NULL;
    if (rp_reader_new(&r, paths, NULL, 1, &o, NULL) != RP_OK ||
        rp_parser_new(&p, NULL) != RP_OK)
        abort();
    for (int n = 0; n < 100000; n++) {
        rp_unit u;
        rp_error e;
        int rc = rp_reader_next(r, &u, &e);
        if (rc == RP_DONE || rc == RP_EIO || rc == RP_ENOMEM)
            break;
        if (rc != RP_OK)
            continue;
        rp_record rec;
        (void)rp_parser_parse(p, &rec, &u, "fuzz.jsonl", &e);
    }
    rp_parser_free(p);
    rp_reader_free(r);
    unlink(path);
    return 0;
}
