/*
 * report.c - what the dedup job writes: the removal log, verified
 * pairs, clusters (JSON Lines, schemas in README.md) and the kept records.
 *
 * Kept records are the input bytes; a record that lost paragraphs is the
 * input bytes up to its text value, the new text as a JSON string, and the
 * input bytes after it.
 */
#include "job.h"

#include "reprint/date.h"

#include "../common/error.h"
#include "../io/units.h"
#include "../../util/json_out.h"
#include "../../util/parallel.h"

#include <stdlib.h>
#include <string.h>

/* ---- reports: log, clusters, pairs -------------------------------------- */

static void put_id(rp_buf *b, const job *j, uint32_t d)
{
    rp_json_put_string(b, j->ids.data + j->docs[d].id_off, j->docs[d].id_len);
}

static void put_file(rp_buf *b, const job *j, uint32_t f)
{
    const char *name = f < j->nfnames ? j->fnames[f] : "";
    rp_json_put_string(b, name, strlen(name));
}

static void put_sim(rp_buf *b, double v)
{
    if (v < 0)
        rp_buf_puts(b, "null");
    else
        rp_json_put_double(b, v, 4);
}

static void put_span(rp_buf *b, const uint32_t s[2])
{
    rp_buf_putc(b, '[');
    rp_json_put_u64(b, s[0]);
    rp_buf_putc(b, ',');
    rp_json_put_u64(b, s[1]);
    rp_buf_putc(b, ']');
}

/* the verified pair joining units x and y (x != y), or NULL */
static const verified *find_pair(const verified *v, size_t n, uint32_t x,
                                 uint32_t y)
{
    uint32_t a = x < y ? x : y, b = x < y ? y : x;
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].a < a || (v[mid].a == a && v[mid].b < b))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo].a == a && v[lo].b == b ? &v[lo] : NULL;
}

static void put_removal(rp_buf *b, const job *j, const verified *v,
                        uint32_t removed)
{
    int removed_is_a = v->a == removed;
    rp_buf_puts(b, ",\"jaccard\":");
    put_sim(b, v->jaccard);
    rp_buf_puts(b, ",\"estimate\":");
    put_sim(b, v->estimate);
    rp_buf_puts(b, ",\"span\":");
    put_span(b, removed_is_a ? v->a_span : v->b_span);
    rp_buf_puts(b, ",\"kept_span\":");
    put_span(b, removed_is_a ? v->b_span : v->a_span);
}

/*
 * The indexed unit a unit was removed for: its stable id as "kept", and
 * where it came from under "index" (entry number, file, line, date).
 */
static void put_indexed(rp_buf *b, const job *j, const ix_match *m, int para)
{
    if (!m) { /* cannot happen: every RP_INDEXED unit has its match */
        rp_buf_puts(b, ",\"kept\":null");
        return;
    }
    rp_buf_puts(b, ",\"kept\":");
    rp_json_put_string(b, j->ixstr.data + m->id_off, m->id_len);
    if (para) {
        rp_buf_puts(b, ",\"kept_para\":");
        rp_json_put_u64(b, m->para);
    }
    rp_buf_puts(b, ",\"jaccard\":");
    put_sim(b, m->jaccard);
    rp_buf_puts(b, ",\"estimate\":");
    put_sim(b, m->estimate);
    rp_buf_puts(b, ",\"span\":");
    put_span(b, m->span);
    rp_buf_puts(b, ",\"index\":{\"entry\":");
    rp_json_put_u64(b, m->entry);
    rp_buf_puts(b, ",\"file\":");
    rp_json_put_string(b, j->ixstr.data + m->file_off, m->file_len);
    rp_buf_puts(b, ",\"line\":");
    rp_json_put_u64(b, m->line);
    rp_buf_puts(b, ",\"date\":");
    char date[64];
    if (m->date.precision == RP_DATE_UNKNOWN)
        rp_buf_puts(b, "null");
    else {
        size_t n = rp_date_format(date, sizeof date, &m->date);
        rp_json_put_string(b, date, n < sizeof date ? n : 0);
    }
    rp_buf_putc(b, '}');
}

int rp__dedup_write_log(job *j, rp_writer *w)
{
    int rc = RP_OK;
    rp_buf b = {0};
    for (uint32_t d = 0; d < j->ndocs && rc == RP_OK; d++) {
        const doc *dc = &j->docs[d];
        b.len = 0;
        if (j->doc_leader[d] == RP_INDEXED) {
            rp_buf_puts(&b, "{\"level\":\"doc\",\"removed\":");
            put_id(&b, j, d);
            put_indexed(&b, j, rp__against_match(j, 0, d), 0);
            rp_buf_puts(&b, ",\"file\":");
            put_file(&b, j, dc->file);
            rp_buf_puts(&b, ",\"line\":");
            rp_json_put_u64(&b, dc->line);
            rp_buf_puts(&b, "}\n");
        } else if (j->doc_leader[d] != RP_KEPT) {
            uint32_t k = j->doc_leader[d];
            const verified *v = find_pair(j->dpairs, j->ndp, d, k);
            rp_buf_puts(&b, "{\"level\":\"doc\",\"removed\":");
            put_id(&b, j, d);
            rp_buf_puts(&b, ",\"kept\":");
            put_id(&b, j, k);
            if (v)
                put_removal(&b, j, v, d);
            rp_buf_puts(&b, ",\"file\":");
            put_file(&b, j, dc->file);
            rp_buf_puts(&b, ",\"line\":");
            rp_json_put_u64(&b, dc->line);
            rp_buf_puts(&b, "}\n");
        } else {
            for (uint32_t u = 0; u < dc->nunits; u++) {
                uint32_t gu = dc->unit_first + u;
                if (j->unit_leader[gu] == RP_KEPT)
                    continue;
                if (j->unit_leader[gu] == RP_INDEXED) {
                    rp_buf_puts(&b, "{\"level\":\"para\",\"removed\":");
                    put_id(&b, j, d);
                    rp_buf_puts(&b, ",\"para\":");
                    rp_json_put_u64(&b, j->unit_para[gu]);
                    put_indexed(&b, j, rp__against_match(j, 1, gu), 1);
                    rp_buf_puts(&b, ",\"file\":");
                    put_file(&b, j, dc->file);
                    rp_buf_puts(&b, ",\"line\":");
                    rp_json_put_u64(&b, dc->line);
                    rp_buf_puts(&b, "}\n");
                    continue;
                }
                uint32_t ku = j->unit_leader[gu], kd = j->unit_doc[ku];
                const verified *v = find_pair(j->ppairs, j->npp, gu, ku);
                rp_buf_puts(&b, "{\"level\":\"para\",\"removed\":");
                put_id(&b, j, d);
                rp_buf_puts(&b, ",\"para\":");
                rp_json_put_u64(&b, j->unit_para[gu]);
                rp_buf_puts(&b, ",\"kept\":");
                put_id(&b, j, kd);
                rp_buf_puts(&b, ",\"kept_para\":");
                rp_json_put_u64(&b, j->unit_para[ku]);
                if (v)
                    put_removal(&b, j, v, gu);
                rp_buf_puts(&b, ",\"file\":");
                put_file(&b, j, dc->file);
                rp_buf_puts(&b, ",\"line\":");
                rp_json_put_u64(&b, dc->line);
                rp_buf_puts(&b, "}\n");
            }
            if (j->emptied[d]) {
                rp_buf_puts(&b, "{\"level\":\"doc\",\"removed\":");
                put_id(&b, j, d);
                rp_buf_puts(&b, ",\"kept\":null,\"reason\":\"no text left "
                                "after paragraph removal\",\"file\":");
                put_file(&b, j, dc->file);
                rp_buf_puts(&b, ",\"line\":");
                rp_json_put_u64(&b, dc->line);
                rp_buf_puts(&b, "}\n");
            }
        }
        if (b.failed)
            rc = RP_ENOMEM;
        else if (b.len)
            rc = rp_writer_write(w, b.data, b.len);
    }
    rp_buf_dispose(&b);
    return rc;
}

int rp__dedup_write_pairs(job *j, rp_writer *w)
{
    int rc = RP_OK;
    rp_buf b = {0};
    for (int level = 0; level < 2 && rc == RP_OK; level++) {
        const verified *v = level ? j->ppairs : j->dpairs;
        size_t n = level ? j->npp : j->ndp;
        double t = level ? j->pthreshold : j->o->threshold;
        for (size_t i = 0; i < n && rc == RP_OK; i++) {
            if (rp__dedup_edge_sim(j, &v[i]) < t)
                continue;
            b.len = 0;
            uint32_t da = v[i].a, db = v[i].b;
            if (level) {
                da = j->unit_doc[v[i].a];
                db = j->unit_doc[v[i].b];
            }
            rp_buf_puts(&b, level ? "{\"level\":\"para\",\"a\":"
                                  : "{\"level\":\"doc\",\"a\":");
            put_id(&b, j, da);
            if (level) {
                rp_buf_puts(&b, ",\"a_para\":");
                rp_json_put_u64(&b, j->unit_para[v[i].a]);
            }
            rp_buf_puts(&b, ",\"b\":");
            put_id(&b, j, db);
            if (level) {
                rp_buf_puts(&b, ",\"b_para\":");
                rp_json_put_u64(&b, j->unit_para[v[i].b]);
            }
            rp_buf_puts(&b, ",\"jaccard\":");
            put_sim(&b, v[i].jaccard);
            rp_buf_puts(&b, ",\"estimate\":");
            put_sim(&b, v[i].estimate);
            rp_buf_puts(&b, ",\"a_span\":");
            put_span(&b, v[i].a_span);
            rp_buf_puts(&b, ",\"b_span\":");
            put_span(&b, v[i].b_span);
            rp_buf_puts(&b, "}\n");
            rc = b.failed ? RP_ENOMEM : rp_writer_write(w, b.data, b.len);
        }
    }
    rp_buf_dispose(&b);
    return rc;
}

int rp__dedup_write_clusters(job *j, rp_writer *w)
{
    int rc = RP_OK;
    rp_buf b = {0};
    uint64_t cid = 0;
    for (int level = 0; level < 2 && rc == RP_OK; level++) {
        size_t n = level ? j->nunits : j->ndocs;
        const uint32_t *leader = level ? j->unit_leader : j->doc_leader;
        const double *sim = level ? j->unit_sim : j->doc_sim;
        /* members grouped under their leader (counting sort, input order) */
        uint32_t *start = calloc(n + 2, sizeof *start);
        uint32_t *members = malloc((n + 1) * sizeof *members);
        if (!start || !members) {
            free(start);
            free(members);
            rc = RP_ENOMEM;
            break;
        }
        /* (units removed for an indexed unit are in the log only) */
        for (size_t u = 0; u < n; u++)
            if (leader[u] < RP_INDEXED)
                start[leader[u] + 2]++;
        for (size_t u = 0; u < n; u++)
            start[u + 2] += start[u + 1];
        for (size_t u = 0; u < n; u++)
            if (leader[u] < RP_INDEXED)
                members[start[leader[u] + 1]++] = (uint32_t)u;
        for (size_t u = 0; u < n && rc == RP_OK; u++) {
            if (leader[u] != RP_KEPT || start[u] == start[u + 1])
                continue;
            b.len = 0;
            uint32_t du = level ? j->unit_doc[u] : (uint32_t)u;
            rp_buf_puts(&b, "{\"cluster\":");
            rp_json_put_u64(&b, cid++);
            rp_buf_puts(&b, level ? ",\"level\":\"para\",\"kept\":"
                                  : ",\"level\":\"doc\",\"kept\":");
            put_id(&b, j, du);
            if (level) {
                rp_buf_puts(&b, ",\"kept_para\":");
                rp_json_put_u64(&b, j->unit_para[u]);
            }
            rp_buf_puts(&b, ",\"members\":[");
            for (uint32_t k = start[u]; k < start[u + 1]; k++) {
                uint32_t m = members[k];
                uint32_t dm = level ? j->unit_doc[m] : m;
                rp_buf_puts(&b, k > start[u] ? ",{\"id\":" : "{\"id\":");
                put_id(&b, j, dm);
                if (level) {
                    rp_buf_puts(&b, ",\"para\":");
                    rp_json_put_u64(&b, j->unit_para[m]);
                }
                rp_buf_puts(&b, ",\"similarity\":");
                put_sim(&b, sim[m]);
                rp_buf_putc(&b, '}');
            }
            rp_buf_puts(&b, "]}\n");
            rc = b.failed ? RP_ENOMEM : rp_writer_write(w, b.data, b.len);
        }
        free(start);
        free(members);
    }
    rp_buf_dispose(&b);
    return rc;
}

/* ---- pass 3: write kept records ------------------------------------------ */

/*
 * Records are gathered in batches as they are re-read; the workers build
 * each record's output line (parsing those that lose paragraphs), and this
 * thread writes the lines in input order.
 */
#define OUT_LINE_KEEP ((size_t)1 << 20)

typedef struct out_item {
    uint32_t doc;         /* its unit: c->units.u[i] */
    rp_unit u;            /* filled in when formatting */
    int verbatim;         /* kept whole: the input bytes as they are */
    rp_buf line;          /* otherwise the new line, built by a worker */
    int rc;
    rp_error err;
} out_item;

typedef struct out_worker {
    rp_parser *parser;
    rp_buf text;
} out_worker;

typedef struct out_ctx {
    job *j;
    rp_writer *w;
    out_worker *workers;
    size_t nw;
    rp__units units; /* the records to write, raw (io/units.h) */
    out_item *items;
    size_t n, cap;
    rp_error *err;
} out_ctx;

/* The line of a record that lost paragraphs: its text without their cut
 * spans; JSON records keep every other byte. */
static int out_line(job *j, out_worker *w, out_item *it)
{
    const doc *dc = &j->docs[it->doc];
    const rp_unit *u = &it->u;
    const char *fname = u->file < j->nfnames ? j->fnames[u->file] : "";
    rp_record rec;
    int rc = rp_parser_parse(w->parser, &rec, u, fname, &it->err);
    if (rc != RP_OK)
        return rc;
    /* records whose removed paragraphs are exact copies skip pass 2's
     * check: the cut spans (checked against the recorded length when they
     * were loaded) must fit this text and fall between characters */
    if (rec.text_len != dc->text_len)
        return rp__error_set(&it->err, RP_EMISMATCH, fname, u->line,
                             u->offset,
                             "record differs from the first read or the "
                             "signature file (input changed?)");
    for (uint32_t gu = dc->unit_first; gu < dc->unit_first + dc->nunits;
         gu++) {
        const unit_row *ur = &j->unit_rows[gu];
        uint32_t at[2] = {ur->cut_offset, ur->cut_offset + ur->cut_len};
        for (int k = 0; k < 2; k++)
            if (at[k] < rec.text_len &&
                ((unsigned char)rec.text[at[k]] & 0xc0) == 0x80)
                return rp__error_set(&it->err, RP_EMISMATCH, fname, u->line,
                                     u->offset,
                                     "paragraph span inside a character: "
                                     "record differs from the signature "
                                     "file (input changed?)");
    }
    rp_buf *text = &w->text, *line = &it->line;
    text->len = 0;
    uint32_t pos = 0;
    for (uint32_t gu = dc->unit_first; gu < dc->unit_first + dc->nunits;
         gu++) {
        const unit_row *ur = &j->unit_rows[gu];
        if (j->unit_leader[gu] == RP_KEPT)
            continue;
        if (rp_buf_put(text, rec.text + pos, ur->cut_offset - pos))
            return RP_ENOMEM;
        pos = ur->cut_offset + ur->cut_len;
    }
    if (rp_buf_put(text, rec.text + pos, rec.text_len - pos))
        return RP_ENOMEM;
    line->len = 0;
    const char *t = text->data ? text->data : "";
    if (u->kind == RP_UNIT_JSON) {
        size_t after = rec.text_raw.offset + rec.text_raw.len;
        if (rp_buf_put(line, u->data, rec.text_raw.offset) ||
            rp_json_put_string(line, t, text->len) ||
            rp_buf_put(line, u->data + after, u->len - after))
            return RP_ENOMEM;
    } else {
        if (rp_buf_puts(line, "{\"id\":") ||
            rp_json_put_string(line, rec.id, strlen(rec.id)) ||
            (rec.source && (rp_buf_puts(line, ",\"source\":") ||
                            rp_json_put_string(line, rec.source,
                                               strlen(rec.source)))) ||
            rp_buf_puts(line, ",\"text\":") ||
            rp_json_put_string(line, t, text->len) || rp_buf_putc(line, '}'))
            return RP_ENOMEM;
    }
    return rp_buf_putc(line, '\n') ? RP_ENOMEM : RP_OK;
}

static void out_task(void *ctx, size_t i, size_t wid)
{
    out_ctx *c = ctx;
    out_item *it = &c->items[i];
    rp__units_get(&c->units, i, &it->u);
    it->rc = it->verbatim ? RP_OK : out_line(c->j, &c->workers[wid], it);
}

/* Format the batch in parallel, then write it in order. */
static int out_flush(out_ctx *c)
{
    rp_parallel_for(c->nw, c->n, out_task, c);
    int rc = RP_OK;
    for (size_t i = 0; i < c->n && rc == RP_OK; i++) {
        out_item *it = &c->items[i];
        if (it->rc != RP_OK) {
            rc = it->rc;
            if (c->err)
                *c->err = it->err;
            break;
        }
        c->j->st->records_out++;
        int bad = it->verbatim ? rp_writer_write(c->w, it->u.data, it->u.len) ||
                                     rp_writer_write(c->w, "\n", 1)
                               : rp_writer_write(c->w, it->line.data,
                                                 it->line.len);
        if (bad)
            rc = rp__error_set(c->err, RP_EIO, "output", 0, 0,
                               "cannot write records");
        if (it->line.capacity > OUT_LINE_KEEP)
            rp_buf_dispose(&it->line); /* no slot keeps a huge record's */
    }
    c->n = 0;
    rp__units_reset(&c->units);
    return rc;
}

static int out_doc(job *j, void *ctx, uint32_t d, const rp_unit *u,
                   rp_reader *r)
{
    (void)r;
    out_ctx *c = ctx;
    const doc *dc = &j->docs[d];
    if (j->doc_leader[d] != RP_KEPT || j->emptied[d])
        return RP_OK;
    uint32_t removed = 0;
    for (uint32_t k = 0; k < dc->nunits; k++)
        removed += j->unit_leader[dc->unit_first + k] != RP_KEPT;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 64;
        out_item *x = realloc(c->items, cap * sizeof *x);
        if (!x)
            return RP_ENOMEM;
        memset(x + c->cap, 0, (cap - c->cap) * sizeof *x);
        c->items = x;
        c->cap = cap;
    }
    out_item *it = &c->items[c->n];
    it->doc = d;
    it->verbatim = !removed && u->kind == RP_UNIT_JSON;
    RP_TRY(rp__units_add(&c->units, u));
    c->n++;
    if (c->n >= RP_UNITS_ITEMS || c->units.data.len >= RP_UNITS_BYTES)
        return out_flush(c);
    return RP_OK;
}

int rp__dedup_write_records(job *j, rp_writer *w, rp_error *err)
{
    out_ctx c;
    memset(&c, 0, sizeof c);
    c.j = j;
    c.err = err;
    c.w = w;
    c.nw = j->o->threads ? j->o->threads : 1;
    c.workers = calloc(c.nw, sizeof *c.workers);
    int rc = c.workers ? RP_OK : RP_ENOMEM;
    for (size_t i = 0; i < c.nw && rc == RP_OK; i++)
        rc = rp_parser_new(&c.workers[i].parser, &j->fields);
    if (rc == RP_OK)
        rc = rp__dedup_reread(j, out_doc, &c, err);
    if (rc == RP_OK)
        rc = out_flush(&c);
    for (size_t i = 0; c.workers && i < c.nw; i++) {
        rp_parser_free(c.workers[i].parser);
        rp_buf_dispose(&c.workers[i].text);
    }
    free(c.workers);
    for (size_t i = 0; i < c.cap; i++)
        rp_buf_dispose(&c.items[i].line);
    free(c.items);
    rp__units_dispose(&c.units);
    return rc;
}
