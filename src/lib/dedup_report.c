/*
 * dedup_report.c - what the dedup job writes: the removal log, verified
 * pairs, clusters (JSON Lines, schemas in README.md) and the kept records.
 *
 * Kept records are the input bytes; a record that lost paragraphs is the
 * input bytes up to its text value, the new text as a JSON string, and the
 * input bytes after it.
 */
#include "dedup_job.h"

#include "error.h"
#include "../util/json_out.h"

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

int rp__dedup_write_log(job *j, rp_writer *w)
{
    int rc = RP_OK;
    rp_buf b = {0};
    for (uint32_t d = 0; d < j->ndocs && rc == RP_OK; d++) {
        const doc *dc = &j->docs[d];
        b.len = 0;
        if (j->doc_leader[d] != RP_KEPT) {
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
                uint32_t ku = j->unit_leader[gu], kd = j->unit_doc[ku];
                const verified *v = find_pair(j->ppairs, j->npp, gu, ku);
                rp_buf_puts(&b, "{\"level\":\"para\",\"removed\":");
                put_id(&b, j, d);
                rp_buf_puts(&b, ",\"para\":");
                rp_json_put_u64(&b, j->unit_para[gu] - dc->para_first);
                rp_buf_puts(&b, ",\"kept\":");
                put_id(&b, j, kd);
                rp_buf_puts(&b, ",\"kept_para\":");
                rp_json_put_u64(&b, j->unit_para[ku] - j->docs[kd].para_first);
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
                rp_json_put_u64(&b, j->unit_para[v[i].a] - j->docs[da].para_first);
            }
            rp_buf_puts(&b, ",\"b\":");
            put_id(&b, j, db);
            if (level) {
                rp_buf_puts(&b, ",\"b_para\":");
                rp_json_put_u64(&b, j->unit_para[v[i].b] - j->docs[db].para_first);
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
        for (size_t u = 0; u < n; u++)
            if (leader[u] != RP_KEPT)
                start[leader[u] + 2]++;
        for (size_t u = 0; u < n; u++)
            start[u + 2] += start[u + 1];
        for (size_t u = 0; u < n; u++)
            if (leader[u] != RP_KEPT)
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
                rp_json_put_u64(&b, j->unit_para[u] - j->docs[du].para_first);
            }
            rp_buf_puts(&b, ",\"members\":[");
            for (uint32_t k = start[u]; k < start[u + 1]; k++) {
                uint32_t m = members[k];
                uint32_t dm = level ? j->unit_doc[m] : m;
                rp_buf_puts(&b, k > start[u] ? ",{\"id\":" : "{\"id\":");
                put_id(&b, j, dm);
                if (level) {
                    rp_buf_puts(&b, ",\"para\":");
                    rp_json_put_u64(&b, j->unit_para[m] - j->docs[dm].para_first);
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

typedef struct out_ctx {
    rp_writer *w;
    rp_parser *parser;
    rp_buf line;
    rp_buf text;
    rp_error *err;
} out_ctx;

static int out_doc(job *j, void *ctx, uint32_t d, const rp_unit *u,
                   rp_reader *r)
{
    out_ctx *c = ctx;
    const doc *dc = &j->docs[d];
    if (j->doc_leader[d] != RP_KEPT || j->emptied[d])
        return RP_OK;
    uint32_t removed = 0;
    for (uint32_t k = 0; k < dc->nunits; k++)
        removed += j->unit_leader[dc->unit_first + k] != RP_KEPT;
    if (!removed && u->kind == RP_UNIT_JSON) {
        j->st->records_out++;
        if (rp_writer_write(c->w, u->data, u->len) ||
            rp_writer_write(c->w, "\n", 1))
            return rp__error_set(c->err, RP_EIO, "output", 0, 0,
                                 "cannot write records");
        return RP_OK;
    }
    rp_record rec;
    int rc = rp_parser_parse(c->parser, &rec, u,
                             rp_reader_file_name(r, u->file), c->err);
    if (rc != RP_OK)
        return rc;
    /* the text without the removed paragraphs' cut spans */
    c->text.len = 0;
    uint32_t pos = 0, gu = dc->unit_first;
    for (uint32_t p = 0; p < dc->npara; p++) {
        const rp_para_fp *pf = &j->paras[dc->para_first + p];
        if (!pf->unit)
            continue;
        if (j->unit_leader[gu++] == RP_KEPT)
            continue;
        if (rp_buf_put(&c->text, rec.text + pos, pf->span.cut_offset - pos))
            return RP_ENOMEM;
        pos = pf->span.cut_offset + pf->span.cut_len;
    }
    if (rp_buf_put(&c->text, rec.text + pos, rec.text_len - pos))
        return RP_ENOMEM;
    c->line.len = 0;
    if (u->kind == RP_UNIT_JSON) {
        if (rp_buf_put(&c->line, u->data, rec.text_raw.offset) ||
            rp_json_put_string(&c->line, c->text.data ? c->text.data : "",
                               c->text.len) ||
            rp_buf_put(&c->line, u->data + rec.text_raw.offset +
                                     rec.text_raw.len,
                       u->len - rec.text_raw.offset - rec.text_raw.len))
            return RP_ENOMEM;
    } else {
        if (rp_buf_puts(&c->line, "{\"id\":") ||
            rp_json_put_string(&c->line, rec.id, strlen(rec.id)) ||
            (rec.source && (rp_buf_puts(&c->line, ",\"source\":") ||
                            rp_json_put_string(&c->line, rec.source,
                                               strlen(rec.source)))) ||
            rp_buf_puts(&c->line, ",\"text\":") ||
            rp_json_put_string(&c->line, c->text.data ? c->text.data : "",
                               c->text.len) ||
            rp_buf_putc(&c->line, '}'))
            return RP_ENOMEM;
    }
    if (rp_buf_putc(&c->line, '\n'))
        return RP_ENOMEM;
    j->st->records_out++;
    if (rp_writer_write(c->w, c->line.data, c->line.len))
        return rp__error_set(c->err, RP_EIO, "output", 0, 0,
                             "cannot write records");
    return RP_OK;
}

int rp__dedup_write_records(job *j, rp_writer *w, rp_error *err)
{
    out_ctx c;
    memset(&c, 0, sizeof c);
    c.err = err;
    c.w = w;
    int rc = rp_parser_new(&c.parser, &j->fields);
    if (rc == RP_OK)
        rc = rp__dedup_reread(j, out_doc, &c, err);
    rp_parser_free(c.parser);
    rp_buf_dispose(&c.line);
    rp_buf_dispose(&c.text);
    return rc;
}

