/*
 * reprint/date.h - publication dates with their precision.
 *
 * A date is an interval [start, start + width) in UTC seconds: "2022-11-05"
 * is the whole day, not its midnight. Accepted forms: ISO 8601 / RFC 3339
 * with or without a zone (no zone: taken as UTC and flagged), date-only,
 * year-month, RFC 2822 ("Sat, 05 Nov 2022 10:00:00 +0330"), and Unix epoch
 * seconds or milliseconds (a JSON number, or a string of digits).
 */
#ifndef REPRINT_DATE_H
#define REPRINT_DATE_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum rp_date_precision {
    RP_DATE_UNKNOWN = 0, /* missing or unparseable */
    RP_DATE_YEAR,
    RP_DATE_MONTH,
    RP_DATE_DAY,
    RP_DATE_MINUTE,
    RP_DATE_SECOND,
    RP_DATE_SUBSECOND
} rp_date_precision;

enum { RP_DATE_NO_ZONE = 1 }; /* flags: the text named no time zone */

typedef struct rp_date {
    int64_t start;     /* UTC seconds since 1970-01-01 of the interval start */
    uint32_t millis;   /* sub-second part of start, 0-999 */
    uint8_t precision; /* rp_date_precision */
    uint8_t flags;     /* RP_DATE_NO_ZONE */
} rp_date;

/**
 * Parse `len` bytes of text as a date.
 * @return RP_OK, or RP_EFORMAT (out is then set to RP_DATE_UNKNOWN).
 */
RP_API int rp_date_parse(rp_date *out, const char *text, size_t len);

/** Interval width in seconds (0 for unknown). */
RP_API int64_t rp_date_width(const rp_date *d);

/**
 * Total order used to pick the earliest record: known before unknown,
 * then by interval start (millis included), then narrower first.
 * Returns <0, 0, >0.
 */
RP_API int rp_date_cmp(const rp_date *a, const rp_date *b);

/**
 * Write the date as ISO 8601 at its own precision ("2022-11-05",
 * "2022-11-01T19:02:21Z"); "" for unknown. Returns chars written
 * (excluding NUL), at most 31; cap must be >= 32.
 */
RP_API size_t rp_date_format(char *out, size_t cap, const rp_date *d);

#ifdef __cplusplus
}
#endif
#endif
