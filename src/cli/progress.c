/*
 * progress.c - the library's progress reports (reprint/progress.h) drawn
 * as one line on a terminal:
 *
 *   reprint: [3/8] doc verify   42%  35.2 of 84.0 MB  61.0 MB/s  ETA 1 s
 *   reprint: [4/8] compare  100%  5,210 pairs  20.1k pairs/s  in 0.3 s
 *
 * a stage label with its place in the run, the percentage where the
 * total is known, a rate, and the time left (or taken, at the end). Drawn
 * at most ten times a second, and at the start and end of every stage;
 * nothing unless stderr is a terminal and -q is not given.
 */
#include "cli.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

void cli_progress_init(cli_progress *p, int on)
{
    memset(p, 0, sizeof *p);
    p->on = on;
}

/* 1234567 -> "1,234,567" */
static void grouped(char *out, size_t cap, uint64_t v)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v);
    size_t o = 0;
    for (int i = 0; i < n && o + 2 < cap; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = tmp[i];
    }
    out[o] = '\0';
}

static void seconds(char *out, size_t cap, double s)
{
    if (s < 9.95)
        snprintf(out, cap, "%.1f s", s);
    else if (s < 60)
        snprintf(out, cap, "%.0f s", s);
    else if (s < 3600)
        snprintf(out, cap, "%dm%02ds", (int)s / 60, (int)s % 60);
    else
        snprintf(out, cap, "%dh%02dm", (int)(s / 3600), (int)s / 60 % 60);
}

static void rate_text(char *out, size_t cap, const rp_progress *r, double v)
{
    if (r->unit == RP_PROGRESS_BYTES)
        snprintf(out, cap, "%.1f MB/s", v / 1e6);
    else if (v >= 1e6)
        snprintf(out, cap, "%.1fM %s/s", v / 1e6, r->items);
    else if (v >= 1e4)
        snprintf(out, cap, "%.1fk %s/s", v / 1e3, r->items);
    else
        snprintf(out, cap, "%.0f %s/s", v, r->items);
}

void cli_progress_fn(void *ctx, const rp_progress *r)
{
    cli_progress *p = ctx;
    if (!p->on || !r || r->version < 1)
        return;
    double t = now();
    int fresh = r->stage_index != p->index;
    int end = r->total > 0 && r->done >= r->total;
    if (fresh) {
        p->index = r->stage_index;
        p->t0 = t;
    } else if (!end && t - p->last < 0.1) {
        return;
    }
    p->last = t;
    double took = t - p->t0;
    char amount[80], rate[48] = "", left[32] = "";
    if (r->unit == RP_PROGRESS_BYTES) {
        if (r->total)
            snprintf(amount, sizeof amount, "%.1f of %.1f MB", r->done / 1e6,
                     r->total / 1e6);
        else
            snprintf(amount, sizeof amount, "%.1f MB", r->done / 1e6);
    } else {
        char a[32], b[32];
        grouped(a, sizeof a, r->done);
        grouped(b, sizeof b, r->total);
        uint64_t last = r->total && !end ? r->total : end ? r->total : r->done;
        /* "1 report", "2 reports": items are named in the plural */
        int one = last == 1 && r->items[0] &&
                  r->items[strlen(r->items) - 1] == 's';
        int len = (int)strlen(r->items) - one;
        if (r->total && !end)
            snprintf(amount, sizeof amount, "%s of %s %.*s", a, b, len,
                     r->items);
        else
            snprintf(amount, sizeof amount, "%s %.*s", end ? b : a, len,
                     r->items);
    }
    if (r->done > 0 && (end || took > 0.05)) {
        double v = r->done / (took > 1e-3 ? took : 1e-3);
        rate_text(rate, sizeof rate, r, v);
        char s[24];
        if (end) {
            seconds(s, sizeof s, took);
            snprintf(left, sizeof left, "in %s", s);
        } else if (r->total) {
            seconds(s, sizeof s, (double)(r->total - r->done) / v);
            snprintf(left, sizeof left, "ETA %s", s);
        }
    } else if (!fresh || r->done == 0) {
        snprintf(rate, sizeof rate, "%s", r->total ? "ETA ..." : "");
    }
    char pct[8] = "";
    if (r->total) {
        uint64_t x = r->done >= r->total ? 100 : r->done * 100 / r->total;
        snprintf(pct, sizeof pct, "%3u%%", (unsigned)x);
    }
    fprintf(stderr, "\r\033[Kreprint: [%u/%u] %s  %s  %s  %s  %s", r->stage_index,
            r->stage_count, r->stage, pct, amount, rate, left);
    fflush(stderr);
    p->drawn = 1;
}

void cli_progress_clear(cli_progress *p)
{
    if (p->on && p->drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    p->drawn = 0;
}
