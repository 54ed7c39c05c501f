/*
 * options.c - rp_dedup_options of every version this library knows, read
 * into the current layout and written back in the caller's.
 *
 * A caller built against an older header passes a shorter struct, and
 * before version 4 one laid out differently in the middle: rp_fields, which
 * it embeds, had no title then (RP_FIELDS_VERSION 1). So:
 *
 *   version 1..3                          version 4
 *   version, sign, reader                 version, sign, reader
 *   fields: text .. author (7 pointers)   fields: text .. author, title
 *   threshold .. names       (v1)         threshold .. names
 *   progress, progress_ctx   (v2)         progress, progress_ctx
 *   against .. shards        (v3)         against .. shards
 *                                         memory, tmp_dir    (v5)
 *
 * The part after the fields is the same sequence of members in both, and
 * starts at an offset aligned for all of them, so it is copied as bytes
 * (the static asserts below hold that). A member the caller's version lacks
 * keeps its default (RP_DEDUP_OPTIONS_INIT).
 */
#include "options.h"

#include "../common/layout.h"

#include <stddef.h>
#include <string.h>

/* rp_dedup_options as versions 1 to 3 laid it out */
typedef struct options_v3 {
    unsigned version;
    rp_sign_options sign;
    rp_reader_options reader;
    rp__fields_v1 fields;
    double threshold;
    double para_threshold;
    unsigned level;
    unsigned keep;
    unsigned verify;
    unsigned threads;
    size_t max_bucket;
    unsigned skip_bad;
    const char *const *names;
    rp_progress_fn progress;
    void *progress_ctx;
    const char *against;
    unsigned update;
    uint32_t window_days;
    uint32_t shard, shards;
} options_v3;

#define TAIL_V3 offsetof(options_v3, threshold)
#define TAIL_V4 offsetof(rp_dedup_options, threshold)
#define SIZE_V4 offsetof(rp_dedup_options, memory) /* what version 4 had */
_Static_assert(sizeof(options_v3) - TAIL_V3 == SIZE_V4 - TAIL_V4,
               "the members after rp_fields differ between versions");
_Static_assert(offsetof(options_v3, progress) - TAIL_V3 ==
                       offsetof(rp_dedup_options, progress) - TAIL_V4 &&
                   offsetof(options_v3, against) - TAIL_V3 ==
                       offsetof(rp_dedup_options, against) - TAIL_V4,
               "the members after rp_fields are laid out differently");
_Static_assert(offsetof(options_v3, fields) ==
                   offsetof(rp_dedup_options, fields),
               "the members before rp_fields moved");

/* where a version 1 to 3 caller's struct has its parts */
static rp__layout_v1 layout_v3(unsigned version)
{
    rp__layout_v1 l = {offsetof(options_v3, fields), TAIL_V3, TAIL_V4,
                       version == 1   ? offsetof(options_v3, progress)
                       : version == 2 ? offsetof(options_v3, against)
                                      : sizeof(options_v3)};
    return l;
}

int rp__dedup_options_read(rp_dedup_options *out, const rp_dedup_options *in)
{
    static const rp_dedup_options defaults = RP_DEDUP_OPTIONS_INIT;
    *out = defaults;
    if (!in || in->version < 1 || in->version > RP_DEDUP_OPTIONS_VERSION)
        return RP_EINVAL;
    if (in->version >= 5) {
        *out = *in;
    } else if (in->version == 4) {
        memcpy(out, in, SIZE_V4);
    } else {
        rp__layout_v1 l = layout_v3(in->version);
        rp__layout_read_v1(out, in, &l);
    }
    out->version = RP_DEDUP_OPTIONS_VERSION;
    return RP_OK;
}

void rp__dedup_options_write(rp_dedup_options *caller,
                             const rp_dedup_options *cur)
{
    unsigned version = caller->version;
    if (version >= 5) {
        *caller = *cur;
    } else if (version == 4) {
        memcpy(caller, cur, SIZE_V4);
    } else {
        rp__layout_v1 l = layout_v3(version);
        rp__layout_write_v1(caller, cur, &l);
    }
    caller->version = version;
}
