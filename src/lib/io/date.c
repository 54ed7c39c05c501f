/*
 * date.c - parse publication dates, keeping their precision.
 *
 * Grammar accepted (case-insensitive, surrounding blanks ignored):
 *
 *   iso     = YYYY [ "-" MM [ "-" DD [ ("T" | " ") hh ":" mm [ ":" ss
 *             [ ("." | ",") fraction ] ] [ zone ] ] ] ]
 *   zone    = "Z" | ("+" | "-") hh [ ":" ] mm | ("+" | "-") hh
 *   rfc2822 = [ day-name "," ] D month-name YYYY hh ":" mm [ ":" ss ]
 *             ( ("+" | "-") hhmm | "GMT" | "UT" | "UTC" | "Z" | US zones )
 *   epoch   = 9 to 13 digits (13 = milliseconds)
 *
 * Dates are converted to UTC with days_from_civil() (H. Hinnant's
 * algorithm), so no libc time zone state is touched.
 */
#include "reprint/date.h"

#include <string.h>

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t yy = (int64_t)yoe + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (*m <= 2));
}

static unsigned days_in_month(int y, unsigned m)
{
    static const unsigned dm[12] = {31, 28, 31, 30, 31, 30,
                                    31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dm[m - 1];
}

typedef struct cursor {
    const char *p;
    const char *end;
} cursor;

/* exactly n digits; the cursor moves only on success */
static int digits(cursor *c, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (c->p + i >= c->end || c->p[i] < '0' || c->p[i] > '9')
            return 0;
        v = v * 10 + (c->p[i] - '0');
    }
    c->p += n;
    *out = v;
    return 1;
}

static int accept(cursor *c, char ch)
{
    if (c->p < c->end && (c->p[0] == ch ||
                          (ch >= 'a' && ch <= 'z' && c->p[0] == ch - 32))) {
        c->p++;
        return 1;
    }
    return 0;
}

static void skip_blanks(cursor *c)
{
    while (c->p < c->end && (c->p[0] == ' ' || c->p[0] == '\t'))
        c->p++;
}

/* zone offset in seconds east of UTC; returns 0 if none found (no move). */
static int parse_zone(cursor *c, int *offset)
{
    if (accept(c, 'z')) {
        *offset = 0;
        return 1;
    }
    cursor save = *c;
    int sign;
    if (accept(c, '+'))
        sign = 1;
    else if (accept(c, '-'))
        sign = -1;
    else
        return 0;
    int hh, mm = 0;
    if (!digits(c, 2, &hh)) {
        *c = save;
        return 0;
    }
    accept(c, ':');
    if (c->p < c->end && c->p[0] >= '0' && c->p[0] <= '9' &&
        !digits(c, 2, &mm)) {
        *c = save;
        return 0;
    }
    if (hh > 23 || mm > 59) {
        *c = save;
        return 0;
    }
    *offset = sign * (hh * 3600 + mm * 60);
    return 1;
}

static int finish(rp_date *out, int y, int mo, int d, int h, int mi, int s,
                  int ms, int prec, int zone, int have_zone)
{
    if (mo < 1 || mo > 12 || d < 1 || (unsigned)d > days_in_month(y, mo) ||
        h > 23 || mi > 59 || s > 60)
        return RP_EFORMAT;
    if (s == 60)
        s = 59; /* leap second: clamp, keeps the order */
    out->start = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
                 h * 3600 + mi * 60 + s - (have_zone ? zone : 0);
    out->millis = (uint32_t)ms;
    out->precision = (uint8_t)prec;
    out->flags = (prec >= RP_DATE_MINUTE && !have_zone) ? RP_DATE_NO_ZONE : 0;
    return RP_OK;
}

static int parse_iso(rp_date *out, cursor c)
{
    int y, mo = 1, d = 1, h = 0, mi = 0, s = 0, ms = 0, zone = 0;
    int prec = RP_DATE_YEAR;
    if (!digits(&c, 4, &y))
        return RP_EFORMAT;
    if (accept(&c, '-')) {
        if (!digits(&c, 2, &mo))
            return RP_EFORMAT;
        prec = RP_DATE_MONTH;
        if (accept(&c, '-')) {
            if (!digits(&c, 2, &d))
                return RP_EFORMAT;
            prec = RP_DATE_DAY;
            if (accept(&c, 't') || accept(&c, ' ')) {
                if (!digits(&c, 2, &h) || !accept(&c, ':') ||
                    !digits(&c, 2, &mi))
                    return RP_EFORMAT;
                prec = RP_DATE_MINUTE;
                if (accept(&c, ':')) {
                    if (!digits(&c, 2, &s))
                        return RP_EFORMAT;
                    prec = RP_DATE_SECOND;
                    if (accept(&c, '.') || accept(&c, ',')) {
                        int n = 0, scale = 100;
                        while (c.p < c.end && c.p[0] >= '0' && c.p[0] <= '9') {
                            if (n < 3)
                                ms += (c.p[0] - '0') * scale;
                            scale /= 10;
                            n++;
                            c.p++;
                        }
                        if (n == 0)
                            return RP_EFORMAT;
                        prec = RP_DATE_SUBSECOND;
                    }
                }
                skip_blanks(&c);
                int have_zone = parse_zone(&c, &zone);
                if (!have_zone) {
                    if (accept(&c, 'u') && accept(&c, 't') && accept(&c, 'c'))
                        have_zone = 1;
                }
                skip_blanks(&c);
                if (c.p != c.end)
                    return RP_EFORMAT;
                return finish(out, y, mo, d, h, mi, s, ms, prec, zone,
                              have_zone);
            }
        }
    }
    skip_blanks(&c);
    if (c.p != c.end)
        return RP_EFORMAT;
    return finish(out, y, mo, d, 0, 0, 0, 0, prec, 0, 0);
}

static int match_word(cursor *c, const char *const *words, int n)
{
    for (int i = 0; i < n; i++) {
        size_t len = strlen(words[i]);
        if ((size_t)(c->end - c->p) < len)
            continue;
        size_t j = 0;
        for (; j < len; j++) {
            char ch = c->p[j];
            if (ch >= 'A' && ch <= 'Z')
                ch = (char)(ch + 32);
            if (ch != words[i][j])
                break;
        }
        if (j == len) {
            c->p += len;
            while (c->p < c->end && ((c->p[0] | 32) >= 'a' &&
                                     (c->p[0] | 32) <= 'z'))
                c->p++; /* "November" after "nov" */
            return i;
        }
    }
    return -1;
}

static int parse_rfc2822(rp_date *out, cursor c)
{
    static const char *const wd[] = {"mon", "tue", "wed", "thu",
                                     "fri", "sat", "sun"};
    static const char *const mon[] = {"jan", "feb", "mar", "apr",
                                      "may", "jun", "jul", "aug",
                                      "sep", "oct", "nov", "dec"};
    static const char *const zones[] = {"gmt", "utc", "ut", "est", "edt",
                                        "cst", "cdt", "mst", "mdt", "pst",
                                        "pdt"};
    static const int zone_h[] = {0, 0, 0, -5, -4, -6, -5, -7, -6, -8, -7};
    int d, y, h, mi, s = 0, zone = 0, have_zone = 0, prec = RP_DATE_MINUTE;
    if (match_word(&c, wd, 7) >= 0) {
        accept(&c, ',');
        skip_blanks(&c);
    }
    if (!digits(&c, 2, &d)) {
        if (!digits(&c, 1, &d))
            return RP_EFORMAT;
    }
    skip_blanks(&c);
    int m = match_word(&c, mon, 12);
    if (m < 0)
        return RP_EFORMAT;
    skip_blanks(&c);
    if (!digits(&c, 4, &y))
        return RP_EFORMAT;
    skip_blanks(&c);
    if (c.p == c.end)
        return finish(out, y, m + 1, d, 0, 0, 0, 0, RP_DATE_DAY, 0, 0);
    if (!digits(&c, 2, &h) || !accept(&c, ':') || !digits(&c, 2, &mi))
        return RP_EFORMAT;
    if (accept(&c, ':')) {
        if (!digits(&c, 2, &s))
            return RP_EFORMAT;
        prec = RP_DATE_SECOND;
    }
    skip_blanks(&c);
    if (parse_zone(&c, &zone)) {
        have_zone = 1;
    } else {
        int z = match_word(&c, zones, 11);
        if (z >= 0) {
            zone = zone_h[z] * 3600;
            have_zone = 1;
        }
    }
    skip_blanks(&c);
    if (c.p != c.end)
        return RP_EFORMAT;
    return finish(out, y, m + 1, d, h, mi, s, 0, prec, zone, have_zone);
}

static int parse_epoch(rp_date *out, cursor c)
{
    int64_t v = 0;
    int n = 0;
    while (c.p < c.end && c.p[0] >= '0' && c.p[0] <= '9' && n < 14) {
        v = v * 10 + (c.p[0] - '0');
        c.p++;
        n++;
    }
    int fraction = 0;
    if (n >= 9 && n <= 10 && accept(&c, '.')) {
        int f = 0, scale = 100;
        while (c.p < c.end && c.p[0] >= '0' && c.p[0] <= '9') {
            f += (c.p[0] - '0') * scale;
            scale /= 10;
            c.p++;
        }
        fraction = f;
    }
    if (c.p != c.end || n < 9 || n > 13 || n == 11 || n == 12)
        return RP_EFORMAT;
    out->flags = 0;
    if (n == 13) {
        out->start = v / 1000;
        out->millis = (uint32_t)(v % 1000);
        out->precision = RP_DATE_SUBSECOND;
    } else {
        out->start = v;
        out->millis = (uint32_t)fraction;
        out->precision = fraction ? RP_DATE_SUBSECOND : RP_DATE_SECOND;
    }
    return RP_OK;
}

int rp_date_parse(rp_date *out, const char *text, size_t len)
{
    cursor c = {text, text + len};
    memset(out, 0, sizeof *out);
    skip_blanks(&c);
    while (c.end > c.p && (c.end[-1] == ' ' || c.end[-1] == '\t'))
        c.end--;
    int rc = RP_EFORMAT;
    if (c.end - c.p >= 4) {
        const char *q = c.p;
        int alldigits = 1;
        for (; q < c.end; q++)
            if ((*q < '0' || *q > '9') && *q != '.')
                alldigits = 0;
        if (alldigits && c.end - c.p >= 9)
            rc = parse_epoch(out, c);
        else if (c.p[0] >= '0' && c.p[0] <= '9' && c.end - c.p >= 4 &&
                 c.p[1] >= '0' && c.p[1] <= '9' && c.p[2] >= '0' &&
                 c.p[2] <= '9' && c.p[3] >= '0' && c.p[3] <= '9')
            rc = parse_iso(out, c);
        else
            rc = parse_rfc2822(out, c);
    }
    if (rc != RP_OK)
        memset(out, 0, sizeof *out);
    return rc;
}

int64_t rp_date_width(const rp_date *d)
{
    switch (d->precision) {
    case RP_DATE_YEAR: {
        int y;
        unsigned m, dd;
        civil_from_days(d->start / 86400, &y, &m, &dd);
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        return (leap ? 366 : 365) * 86400;
    }
    case RP_DATE_MONTH: {
        int y;
        unsigned m, dd;
        civil_from_days(d->start / 86400, &y, &m, &dd);
        return (int64_t)days_in_month(y, m) * 86400;
    }
    case RP_DATE_DAY:
        return 86400;
    case RP_DATE_MINUTE:
        return 60;
    case RP_DATE_SECOND:
    case RP_DATE_SUBSECOND:
        return 1;
    default:
        return 0;
    }
}

int rp_date_cmp(const rp_date *a, const rp_date *b)
{
    int ka = a->precision != RP_DATE_UNKNOWN;
    int kb = b->precision != RP_DATE_UNKNOWN;
    if (ka != kb)
        return ka ? -1 : 1;
    if (!ka)
        return 0;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->millis != b->millis)
        return a->millis < b->millis ? -1 : 1;
    int64_t wa = rp_date_width(a), wb = rp_date_width(b);
    if (wa != wb)
        return wa < wb ? -1 : 1;
    return 0;
}

size_t rp_date_format(char *out, size_t cap, const rp_date *d)
{
    if (cap < 32)
        return 0;
    out[0] = '\0';
    if (d->precision == RP_DATE_UNKNOWN)
        return 0;
    int64_t days = d->start >= 0 ? d->start / 86400
                                 : -((-d->start + 86399) / 86400);
    int64_t secs = d->start - days * 86400;
    int y;
    unsigned m, dd;
    civil_from_days(days, &y, &m, &dd);
    unsigned h = (unsigned)(secs / 3600), mi = (unsigned)(secs / 60 % 60),
             s = (unsigned)(secs % 60);
    /* years are clamped to 4 digits by the parser's grammar */
    y = y < 0 ? 0 : y > 9999 ? 9999 : y;
    char *p = out;
#define PUT2(v) (*p++ = (char)('0' + (v) / 10 % 10), *p++ = (char)('0' + (v) % 10))
    *p++ = (char)('0' + y / 1000);
    *p++ = (char)('0' + y / 100 % 10);
    PUT2((unsigned)y);
    if (d->precision >= RP_DATE_MONTH) {
        *p++ = '-';
        PUT2(m);
    }
    if (d->precision >= RP_DATE_DAY) {
        *p++ = '-';
        PUT2(dd);
    }
    if (d->precision >= RP_DATE_MINUTE) {
        *p++ = 'T';
        PUT2(h);
        *p++ = ':';
        PUT2(mi);
    }
    if (d->precision >= RP_DATE_SECOND) {
        *p++ = ':';
        PUT2(s);
    }
    if (d->precision >= RP_DATE_SUBSECOND) {
        *p++ = '.';
        *p++ = (char)('0' + d->millis / 100);
        PUT2(d->millis);
    }
    if (d->precision >= RP_DATE_MINUTE && !(d->flags & RP_DATE_NO_ZONE))
        *p++ = 'Z';
#undef PUT2
    *p = '\0';
    return (size_t)(p - out);
}
