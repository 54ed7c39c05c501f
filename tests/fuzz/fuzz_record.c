/*
 * fuzz_record.c - a JSON Lines record and field picking (record.c).
 * Byte 0 chooses the fields: bit 0 set: text "body", date "ts" (the
 * shape of reproducer record-1.bin); bit 1: id "ts" too; bit 2: the
 * record as a .txt unit instead; bit 3: paths (issue 14): text "d.t",
 * date "/m/0/d~1x", url "/m/1"; the text value must then be found
 * where json-c found it. The rest is the record's bytes.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t flags = data[0];
    rp_fields f;
    memset(&f, 0, sizeof f);
    if (flags & 1) {
        f.text = "body";
        f.date = "ts";
    }
    if (flags & 2)
        f.id = "ts";
    if (flags & 8) {
        f.text = "d.t";
        f.date = "/m/0/d~1x";
        f.url = "/m/1";
    }
    rp_parser *p = NULL;
    if (rp_parser_new(&p, &f) != RP_OK)
        return 0;
    /* an exact-size buffer: a read past the record's end is seen */
    char *rec = malloc(size - 1 ? size - 1 : 1);
    if (!rec)
        abort();
    memcpy(rec, data + 1, size - 1);
    rp_unit u;
    memset(&u, 0, sizeof u);
    u.data = rec;
    u.len = size - 1;
    u.line = 1;
    u.kind = flags & 4 ? RP_UNIT_TEXT : RP_UNIT_JSON;
    u.name = "dir/f.txt";
    rp_record r;
    rp_error e;
    if (rp_parser_parse(p, &r, &u, "fuzz.jsonl", &e) == RP_OK) {
        /* every string a report would print is valid UTF-8 */
        const char *s[4] = {r.id, r.source, r.url, r.file};
        for (int i = 0; i < 4; i++)
            if (s[i] && rp_utf8_valid_prefix(s[i], strlen(s[i])) !=
                            strlen(s[i]))
                abort();
        if (rp_utf8_valid_prefix(r.text, r.text_len) != r.text_len)
            abort();
        if (u.kind == RP_UNIT_JSON &&
            (r.text_raw.offset + r.text_raw.len > u.len ||
             rec[r.text_raw.offset] != '"'))
            abort();
    }
    free(rec);
    rp_parser_free(p);
    return 0;
}
