/*
 * units.c - raw input units in batches, and the read-while-working
 * pipeline (units.h).
 */
#include "units.h"

#include "../../util/parallel.h"

#include <stdlib.h>
#include <string.h>

int rp__units_add(rp__units *b, const rp_unit *u)
{
    rp__unit_ref r;
    memset(&r, 0, sizeof r);
    r.off = b->data.len;
    r.len = u->len;
    r.file = u->file;
    r.line = u->line;
    r.offset = u->offset;
    r.kind = u->kind;
    if (rp_buf_put(&b->data, u->data, u->len) || rp_buf_putc(&b->data, 0))
        return RP_ENOMEM;
    r.name_off = b->data.len;
    if (u->kind == RP_UNIT_TEXT &&
        (rp_buf_puts(&b->data, u->name) || rp_buf_putc(&b->data, 0)))
        return RP_ENOMEM;
    if (RP_VEC_PUSH(b->u, b->n, b->cap, r))
        return RP_ENOMEM;
    return RP_OK;
}

int rp__units_fill(rp__units *b, rp_reader *r, int *eof)
{
    while (b->n < RP_UNITS_ITEMS && b->data.len < RP_UNITS_BYTES) {
        rp_unit u;
        rp_error e;
        int x = rp_reader_next(r, &u, &e);
        if (x == RP_DONE) {
            *eof = 1;
            return RP_OK;
        }
        if (x == RP_OK) {
            int rc = rp__units_add(b, &u);
            if (rc != RP_OK)
                return rc;
            continue;
        }
        rp__unit_ref f;
        memset(&f, 0, sizeof f);
        f.read_error = 1;
        f.rc = x;
        f.err = e;
        if (RP_VEC_PUSH(b->u, b->n, b->cap, f))
            return RP_ENOMEM;
    }
    return RP_OK;
}

void rp__units_get(const rp__units *b, size_t i, rp_unit *out)
{
    const rp__unit_ref *r = &b->u[i];
    memset(out, 0, sizeof *out);
    out->data = b->data.data + r->off;
    out->len = r->len;
    out->file = r->file;
    out->line = r->line;
    out->offset = r->offset;
    out->kind = r->kind;
    out->name = r->kind == RP_UNIT_TEXT ? b->data.data + r->name_off : NULL;
}

void rp__units_reset(rp__units *b)
{
    b->n = 0;
    b->data.len = 0;
}

void rp__units_dispose(rp__units *b)
{
    free(b->u);
    rp_buf_dispose(&b->data);
    memset(b, 0, sizeof *b);
}

typedef struct run_ctx {
    const rp__units *b;
    rp__units_work_fn work;
    void *ctx;
} run_ctx;

static void run_one(void *arg, size_t i, size_t worker)
{
    run_ctx *c = arg;
    c->work(c->ctx, c->b, i, worker);
}

/* Three batches turn round: while the workers take one, the calling
 * thread finishes the one before (done) and reads the one after. */
int rp__units_run(rp_reader *r, size_t threads, rp__units_step_fn prepare,
                  rp__units_work_fn work, rp__units_step_fn done,
                  void (*progress)(void *ctx), void *ctx)
{
    rp__units b[3];
    memset(b, 0, sizeof b);
    for (unsigned s = 0; s < 3; s++)
        b[s].slot = s;
    int eof = 0, cur = 0, prev = -1;
    int rc = rp__units_fill(&b[cur], r, &eof);
    while (rc == RP_OK && b[cur].n > 0) {
        if (prepare)
            rc = prepare(ctx, &b[cur]);
        if (rc != RP_OK)
            break;
        run_ctx rcx = {&b[cur], work, ctx};
        rp_parallel *par = NULL;
        if (threads > 1)
            rp_parallel_start(&par, threads, b[cur].n, run_one, &rcx);
        else
            rp_parallel_for(1, b[cur].n, run_one, &rcx);
        if (prev >= 0) {
            rc = done(ctx, &b[prev]);
            rp__units_reset(&b[prev]);
        }
        int nxt = (cur + 1) % 3;
        if (rc == RP_OK && !eof)
            rc = rp__units_fill(&b[nxt], r, &eof);
        rp_parallel_wait(par);
        if (progress)
            progress(ctx);
        prev = cur;
        cur = nxt;
    }
    if (rc == RP_OK && prev >= 0)
        rc = done(ctx, &b[prev]);
    for (int s = 0; s < 3; s++)
        rp__units_dispose(&b[s]);
    return rc;
}
