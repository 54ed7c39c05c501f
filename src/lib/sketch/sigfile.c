/*
 * sigfile.c - write and read .rps signature files; the byte layout is in
 * reprint/sys/sigfile.h. Blocks of about 1 MiB of records are compressed with
 * zstd (through codec.h) and checksummed with XXH3-64, so a reader detects
 * a corrupt or truncated file before it uses a single value from it.
 */
#include "reprint/sys/sigfile.h"

#include "../io/codec.h"
#include "../common/error.h"
#include "../../util/buf.h"
#include "../../util/hash.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char MAGIC[8] = {'R', 'P', 'S', 'I', 'G', '\r', '\n', 0x1a};
static const char END_MAGIC[8] = {'R', 'P', 'S', 'E', 'N', 'D', 0, 0};
#define BLOCK_TARGET ((size_t)1 << 20)
#define MAX_BLOCK ((uint32_t)1 << 30)

/* ---- little-endian encoding ------------------------------------------- */

static int put32(rp_buf *b, uint32_t v)
{
    unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8),
                          (unsigned char)(v >> 16), (unsigned char)(v >> 24)};
    return rp_buf_put(b, x, 4);
}

static int put64(rp_buf *b, uint64_t v)
{
    return put32(b, (uint32_t)v) || put32(b, (uint32_t)(v >> 32));
}

/* n little-endian u32 values: one copy on little-endian hosts */
static int put32s(rp_buf *b, const uint32_t *v, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return n ? rp_buf_put(b, v, n * 4) : 0;
#else
    for (size_t i = 0; i < n; i++)
        if (put32(b, v[i]))
            return -1;
    return 0;
#endif
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t get64(const unsigned char *p)
{
    return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* ---- writer ------------------------------------------------------------- */

struct rp_sigfile_writer {
    rp_writer *w;
    rp_sign_options opts;
    rp_buf block;
    rp_buf comp;
    uint32_t block_docs;
    uint64_t docs, blocks;
    int failed;
    /* the block before, compressed and written by its own thread while
     * the caller fills the next (the caller's thread is the busy one in
     * sign): one at a time, joined before the next, so blocks stay in
     * order and the file is the same */
    rp_buf pend;
    uint32_t pend_docs;
    pthread_t th;
    int th_on, th_rc;
};

static int put_name(rp_buf *b, const char *s)
{
    if (!s)
        return put32(b, UINT32_MAX);
    size_t n = strlen(s);
    return put32(b, (uint32_t)n) || rp_buf_put(b, s, n);
}

int rp_sigfile_writer_new(rp_sigfile_writer **out, const char *path,
                          const rp_sign_options *opts, const rp_fields *fields,
                          const char *const *files, const uint64_t *sizes,
                          uint32_t nfiles, rp_error *err)
{
    *out = NULL;
    rp_sigfile_writer *s = calloc(1, sizeof *s);
    if (!s)
        return RP_ENOMEM;
    s->opts = *opts;
    int rc = rp_writer_new(&s->w, path, err);
    if (rc != RP_OK) {
        free(s);
        return rc;
    }
    rp_buf h = {0};
    int bad = rp_buf_put(&h, MAGIC, 8) || put32(&h, RP_SIGFILE_VERSION) ||
              put32(&h, 0) || put32(&h, opts->shingle) ||
              put32(&h, opts->char_mode) || put32(&h, opts->num_perm) ||
              put32(&h, opts->min_para_tokens) || put64(&h, opts->seed) ||
              put32(&h, opts->paragraphs) || put32(&h, nfiles);
    for (uint32_t i = 0; i < nfiles && !bad; i++)
        bad = put_name(&h, files[i]) || put64(&h, sizes[i]);
    rp_fields none = {0};
    const rp_fields *f = fields ? fields : &none;
    bad = bad || put_name(&h, f->text) || put_name(&h, f->id) ||
          put_name(&h, f->date) || put_name(&h, f->source) ||
          put_name(&h, f->url);
    if (!bad) {
        uint32_t hl = (uint32_t)h.len + 8;
        unsigned char *p = (unsigned char *)h.data + 12;
        p[0] = (unsigned char)hl;
        p[1] = (unsigned char)(hl >> 8);
        p[2] = (unsigned char)(hl >> 16);
        p[3] = (unsigned char)(hl >> 24);
        bad = put64(&h, rp_hash64(h.data, h.len, 0));
    }
    rc = bad ? RP_ENOMEM : rp_writer_write(s->w, h.data, h.len);
    rp_buf_dispose(&h);
    if (rc != RP_OK) {
        rp_sigfile_writer_abort(s);
        return rc;
    }
    *out = s;
    return RP_OK;
}

static int write_block(rp_sigfile_writer *s, const rp_buf *raw,
                       uint32_t ndocs)
{
    s->comp.len = 0;
    rp_buf *c = &s->comp;
    if (rp_buf_put(c, "RPBK", 4) || put32(c, (uint32_t)raw->len) ||
        put32(c, 0) || put32(c, ndocs) ||
        put64(c, rp_hash64(raw->data, raw->len, 0)))
        return RP_ENOMEM;
    size_t head = c->len;
    /* level 1: signature lanes are random and barely compress; the
     * metadata around them does, cheaply */
    int rc = rp__block_compress(c, raw->data, raw->len, 1);
    if (rc != RP_OK)
        return rc;
    uint32_t clen = (uint32_t)(c->len - head);
    unsigned char *p = (unsigned char *)c->data + 8;
    p[0] = (unsigned char)clen;
    p[1] = (unsigned char)(clen >> 8);
    p[2] = (unsigned char)(clen >> 16);
    p[3] = (unsigned char)(clen >> 24);
    rc = rp_writer_write(s->w, c->data, c->len);
    s->blocks++;
    return rc;
}

static void *write_pending(void *arg)
{
    rp_sigfile_writer *s = arg;
    s->th_rc = write_block(s, &s->pend, s->pend_docs);
    return NULL;
}

static int wait_pending(rp_sigfile_writer *s)
{
    if (!s->th_on)
        return RP_OK;
    pthread_join(s->th, NULL);
    s->th_on = 0;
    return s->th_rc;
}

static int flush_block(rp_sigfile_writer *s)
{
    if (s->block_docs == 0)
        return RP_OK;
    int rc = wait_pending(s);
    if (rc != RP_OK)
        return rc;
    rp_buf t = s->pend;
    s->pend = s->block;
    s->block = t;
    s->block.len = 0;
    s->pend_docs = s->block_docs;
    s->block_docs = 0;
    if (pthread_create(&s->th, NULL, write_pending, s) == 0) {
        s->th_on = 1;
        return RP_OK;
    }
    return write_block(s, &s->pend, s->pend_docs); /* no thread: here */
}

int rp_sigfile_writer_add(rp_sigfile_writer *s, const rp_sigfile_doc *d)
{
    rp_buf *b = &s->block;
    const uint32_t np = s->opts.num_perm;
    int bad = put32(b, d->file) || put64(b, d->line) || put64(b, d->offset) ||
              put64(b, (uint64_t)d->date.start) || put32(b, d->date.millis) ||
              rp_buf_putc(b, (char)d->date.precision) ||
              rp_buf_putc(b, (char)d->date.flags) ||
              rp_buf_putc(b, (char)(d->date_bad ? 1 : 0)) ||
              rp_buf_putc(b, 0) || put32(b, d->text_len) ||
              put32(b, d->ntokens) || put32(b, d->nshingles) ||
              put64(b, d->content) || put32(b, d->tok_begin) ||
              put32(b, d->tok_end) || put32(b, d->id_len) || rp_buf_put(b, d->id, d->id_len) ||
              put32(b, d->npara);
    for (uint32_t i = 0; i < d->npara && !bad; i++) {
        const rp_para_fp *p = &d->paras[i];
        bad = put32(b, p->span.offset) || put32(b, p->span.len) ||
              put32(b, p->span.cut_offset) || put32(b, p->span.cut_len) ||
              put32(b, p->first_token) || put32(b, p->ntokens) ||
              put32(b, p->first_shingle) || put32(b, p->nshingles) ||
              put32(b, p->unit) || put32(b, p->tok_begin) ||
              put32(b, p->tok_end) || put64(b, p->content);
    }
    bad = bad || put32s(b, d->sig, np) ||
          put32s(b, d->unit_sigs, (size_t)d->nunits * np);
    if (bad)
        return RP_ENOMEM;
    s->block_docs++;
    s->docs++;
    if (b->len >= BLOCK_TARGET)
        return flush_block(s);
    return RP_OK;
}

int rp_sigfile_writer_finish(rp_sigfile_writer *s, rp_writer **out)
{
    int rc = flush_block(s);
    int rc2 = wait_pending(s);
    if (rc == RP_OK)
        rc = rc2;
    if (rc == RP_OK) {
        rp_buf t = {0};
        if (rp_buf_put(&t, END_MAGIC, 8) || put64(&t, s->docs) ||
            put64(&t, s->blocks))
            rc = RP_ENOMEM;
        else
            rc = rp_writer_write(s->w, t.data, t.len);
        rp_buf_dispose(&t);
    }
    *out = s->w;
    s->w = NULL;
    rp_sigfile_writer_abort(s);
    return rc;
}

int rp_sigfile_writer_commit(rp_sigfile_writer *s, rp_error *err)
{
    rp_writer *w = NULL;
    int rc = rp_sigfile_writer_finish(s, &w);
    return rp_writer_commit_set(&w, 1, rc, err);
}

void rp_sigfile_writer_abort(rp_sigfile_writer *s)
{
    if (!s)
        return;
    wait_pending(s);
    rp_writer_abort(s->w);
    rp_buf_dispose(&s->block);
    rp_buf_dispose(&s->pend);
    rp_buf_dispose(&s->comp);
    free(s);
}

/* ---- reader ------------------------------------------------------------- */

struct rp_sigfile_reader {
    FILE *f;
    char *path;
    rp_sign_options opts;
    rp_fields fields;
    char *field_names[5];
    char **files;
    uint64_t *sizes;
    uint32_t nfiles;
    unsigned char *raw;
    size_t raw_len, raw_pos, raw_cap;
    uint32_t block_left;
    unsigned char *comp;
    size_t comp_cap;
    uint64_t pos;
    uint64_t docs, blocks;
    int ended;
    rp_para_fp *paras;
    size_t paras_cap;
    uint32_t *sigs;
    size_t sigs_cap;
};

static int corrupt(rp_sigfile_reader *r, rp_error *err, const char *what)
{
    return rp__error_set(err, RP_EFORMAT, r->path, 0, r->pos,
                         "corrupt signature file: %s", what);
}

static int read_exact(rp_sigfile_reader *r, void *dst, size_t n)
{
    if (n && fread(dst, 1, n, r->f) != n)
        return -1;
    r->pos += n;
    return 0;
}

void rp_sigfile_reader_free(rp_sigfile_reader *r)
{
    if (!r)
        return;
    if (r->f)
        fclose(r->f);
    free(r->path);
    for (int i = 0; i < 5; i++)
        free(r->field_names[i]);
    for (uint32_t i = 0; r->files && i < r->nfiles; i++)
        free(r->files[i]);
    free(r->files);
    free(r->sizes);
    free(r->raw);
    free(r->comp);
    free(r->paras);
    free(r->sigs);
    free(r);
}

int rp_sigfile_reader_new(rp_sigfile_reader **out, const char *path,
                          rp_error *err)
{
    *out = NULL;
    rp_sigfile_reader *r = calloc(1, sizeof *r);
    if (!r)
        return RP_ENOMEM;
    size_t pl = strlen(path) + 1;
    r->path = malloc(pl);
    if (!r->path) {
        free(r);
        return RP_ENOMEM;
    }
    memcpy(r->path, path, pl);
    int rc = RP_OK;
    unsigned char fixed[16];
    unsigned char *h = NULL;
    r->f = fopen(path, "rb");
    if (!r->f) {
        rc = rp__error_set(err, RP_EIO, path, 0, 0, "cannot open: %s",
                           strerror(errno));
        goto done;
    }
    if (read_exact(r, fixed, 16) || memcmp(fixed, MAGIC, 8) != 0) {
        rc = rp__error_set(err, RP_EFORMAT, path, 0, 0,
                           "not a reprint signature file (bad magic)");
        goto done;
    }
    if (get32(fixed + 8) != RP_SIGFILE_VERSION) {
        rc = rp__error_set(err, RP_EVERSION, path, 0, 8,
                           "signature file version %u, this reprint reads %u",
                           get32(fixed + 8), RP_SIGFILE_VERSION);
        goto done;
    }
    uint32_t hl = get32(fixed + 12);
    if (hl < 64 || hl > (64u << 20)) {
        rc = corrupt(r, err, "header length");
        goto done;
    }
    h = malloc(hl);
    if (!h) {
        rc = RP_ENOMEM;
        goto done;
    }
    memcpy(h, fixed, 16);
    if (read_exact(r, h + 16, hl - 16)) {
        rc = corrupt(r, err, "header ends early");
        goto done;
    }
    if (rp_hash64(h, hl - 8, 0) != get64(h + hl - 8)) {
        rc = corrupt(r, err, "header checksum mismatch");
        goto done;
    }
    r->opts.version = RP_SIGN_OPTIONS_VERSION;
    r->opts.shingle = get32(h + 16);
    r->opts.char_mode = get32(h + 20);
    r->opts.num_perm = get32(h + 24);
    r->opts.min_para_tokens = get32(h + 28);
    r->opts.seed = get64(h + 32);
    r->opts.paragraphs = get32(h + 40);
    uint32_t nfiles = get32(h + 44);
    /* a valid checksum says nothing of sense: every value is checked */
    if (r->opts.num_perm == 0 || r->opts.num_perm > RP_MINHASH_MAX_PERM ||
        r->opts.shingle == 0 || r->opts.shingle > 64 ||
        r->opts.char_mode > 1 || r->opts.paragraphs > 1 ||
        nfiles > hl / 12) {
        rc = corrupt(r, err, "header values out of range");
        goto done;
    }
    r->files = calloc(nfiles ? nfiles : 1, sizeof *r->files);
    r->sizes = calloc(nfiles ? nfiles : 1, sizeof *r->sizes);
    if (!r->files || !r->sizes) {
        rc = RP_ENOMEM;
        goto done;
    }
    /* set only now: the cleanup frees r->nfiles entries of r->files */
    r->nfiles = nfiles;
    size_t p = 48, end = hl - 8;
    for (uint32_t i = 0; i < r->nfiles + 5; i++) {
        if (p + 4 > end) {
            rc = corrupt(r, err, "header table");
            goto done;
        }
        uint32_t n = get32(h + p);
        p += 4;
        char *s = NULL;
        if (n != UINT32_MAX) {
            if (n > end - p || (i < r->nfiles && n + 8 > end - p)) {
                rc = corrupt(r, err, "header table");
                goto done;
            }
            s = malloc((size_t)n + 1);
            if (!s) {
                rc = RP_ENOMEM;
                goto done;
            }
            memcpy(s, h + p, n);
            s[n] = '\0';
            p += n;
        }
        if (i < r->nfiles) {
            r->files[i] = s ? s : calloc(1, 1);
            if (p + 8 > end) {
                rc = corrupt(r, err, "header table");
                goto done;
            }
            r->sizes[i] = get64(h + p);
            p += 8;
        } else {
            r->field_names[i - r->nfiles] = s;
        }
    }
    r->fields.text = r->field_names[0];
    r->fields.id = r->field_names[1];
    r->fields.date = r->field_names[2];
    r->fields.source = r->field_names[3];
    r->fields.url = r->field_names[4];
done:
    free(h);
    if (rc != RP_OK) {
        rp_sigfile_reader_free(r);
        return rc;
    }
    *out = r;
    return RP_OK;
}

const rp_sign_options *rp_sigfile_options(const rp_sigfile_reader *r)
{
    return &r->opts;
}

const rp_fields *rp_sigfile_fields(const rp_sigfile_reader *r)
{
    return &r->fields;
}

uint32_t rp_sigfile_file_count(const rp_sigfile_reader *r)
{
    return r->nfiles;
}

const char *rp_sigfile_file_name(const rp_sigfile_reader *r, uint32_t i)
{
    return i < r->nfiles ? r->files[i] : "";
}

uint64_t rp_sigfile_file_size(const rp_sigfile_reader *r, uint32_t i)
{
    return i < r->nfiles ? r->sizes[i] : 0;
}

static int next_block(rp_sigfile_reader *r, rp_error *err)
{
    unsigned char h[24];
    if (read_exact(r, h, 8))
        return corrupt(r, err, "file ends without a trailer (truncated?)");
    if (memcmp(h, END_MAGIC, 8) == 0) {
        unsigned char t[16];
        if (read_exact(r, t, 16))
            return corrupt(r, err, "trailer ends early");
        if (get64(t) != r->docs || get64(t + 8) != r->blocks)
            return corrupt(r, err, "trailer counts do not match the blocks");
        if (fgetc(r->f) != EOF)
            return corrupt(r, err, "data after the trailer");
        r->ended = 1;
        return RP_DONE;
    }
    if (memcmp(h, "RPBK", 4) != 0 || read_exact(r, h + 8, 16))
        return corrupt(r, err, "bad block header");
    uint32_t raw = get32(h + 4), clen = get32(h + 8), ndocs = get32(h + 12);
    uint64_t sum = get64(h + 16);
    /* a document takes at least 72 bytes: an empty block (NULL + 0) or
     * more documents than bytes is corrupt */
    if (raw > MAX_BLOCK || clen > MAX_BLOCK || ndocs == 0 ||
        ndocs > raw / 72)
        return corrupt(r, err, "block sizes out of range");
    if (rp_vec_grow((void **)&r->comp, &r->comp_cap, clen, 1) ||
        rp_vec_grow((void **)&r->raw, &r->raw_cap, raw, 1))
        return RP_ENOMEM;
    if (read_exact(r, r->comp, clen))
        return corrupt(r, err, "block ends early (truncated?)");
    if (rp__block_decompress(r->raw, raw, r->comp, clen) != RP_OK ||
        rp_hash64(r->raw, raw, 0) != sum)
        return corrupt(r, err, "block checksum mismatch");
    r->raw_len = raw;
    r->raw_pos = 0;
    r->block_left = ndocs;
    r->blocks++;
    return RP_OK;
}

/*
 * Checksums are not authentication: a document's values must describe a
 * possible record before dedup indexes text, shingles or tokens with them.
 * (That they describe *this* record is checked when dedup reads it again.)
 * Returns NULL, or what is wrong.
 */
static const char *check_doc(const rp_sigfile_doc *d, const rp_para_fp *ps)
{
    if (d->date.precision > RP_DATE_SUBSECOND || d->date_bad > 1 ||
        d->date.millis > 999)
        return "date out of range";
    if (rp_utf8_valid_prefix(d->id, d->id_len) < d->id_len ||
        memchr(d->id, 0, d->id_len))
        return "id is not UTF-8 text";
    if (d->tok_begin > d->tok_end || d->tok_end > d->text_len ||
        d->ntokens > d->text_len || d->nshingles > d->ntokens)
        return "document token counts or spans out of range";
    uint64_t cut_end = 0;
    for (uint32_t i = 0; i < d->npara; i++) {
        const rp_para_fp *q = &ps[i];
        const rp_paragraph *sp = &q->span;
        if ((uint64_t)sp->offset + sp->len > d->text_len ||
            sp->cut_offset < cut_end ||
            (uint64_t)sp->cut_offset + sp->cut_len > d->text_len ||
            (uint64_t)q->first_token + q->ntokens > d->ntokens ||
            (q->nshingles &&
             (uint64_t)q->first_shingle + q->nshingles > d->nshingles) ||
            (q->unit && q->nshingles == 0) || (!q->unit && q->nshingles) ||
            q->tok_begin > q->tok_end || q->tok_end > d->text_len)
            return "paragraph spans or counts out of range";
        cut_end = (uint64_t)sp->cut_offset + sp->cut_len;
    }
    return NULL;
}

int rp_sigfile_reader_next(rp_sigfile_reader *r, rp_sigfile_doc *d,
                           rp_error *err)
{
    memset(d, 0, sizeof *d);
    if (r->ended)
        return RP_DONE;
    if (r->block_left == 0) {
        int rc = next_block(r, err);
        if (rc != RP_OK)
            return rc;
    }
    const unsigned char *p = r->raw + r->raw_pos;
    size_t left = r->raw_len - r->raw_pos;
    const uint32_t np = r->opts.num_perm;
#define NEED(n)                                                               \
    do {                                                                      \
        if ((size_t)(n) > left)                                               \
            return corrupt(r, err, "record runs past its block");             \
    } while (0)
#define ADV(n) (p += (n), left -= (n))
    NEED(68);
    d->file = get32(p);
    d->line = get64(p + 4);
    d->offset = get64(p + 12);
    d->date.start = (int64_t)get64(p + 20);
    d->date.millis = get32(p + 28);
    d->date.precision = p[32];
    d->date.flags = p[33];
    d->date_bad = p[34];
    d->text_len = get32(p + 36);
    d->ntokens = get32(p + 40);
    d->nshingles = get32(p + 44);
    d->content = get64(p + 48);
    d->tok_begin = get32(p + 56);
    d->tok_end = get32(p + 60);
    d->id_len = get32(p + 64);
    ADV(68);
    NEED((size_t)d->id_len + 4);
    d->id = (const char *)p;
    ADV(d->id_len);
    d->npara = get32(p);
    ADV(4);
    NEED((size_t)d->npara * 52);
    if (rp_vec_grow((void **)&r->paras, &r->paras_cap, d->npara + 1,
                    sizeof *r->paras))
        return RP_ENOMEM;
    uint32_t units = 0;
    for (uint32_t i = 0; i < d->npara; i++) {
        rp_para_fp *q = &r->paras[i];
        q->span.offset = get32(p);
        q->span.len = get32(p + 4);
        q->span.cut_offset = get32(p + 8);
        q->span.cut_len = get32(p + 12);
        q->first_token = get32(p + 16);
        q->ntokens = get32(p + 20);
        q->first_shingle = get32(p + 24);
        q->nshingles = get32(p + 28);
        q->unit = get32(p + 32) ? 1 : 0;
        q->tok_begin = get32(p + 36);
        q->tok_end = get32(p + 40);
        q->content = get64(p + 44);
        units += q->unit;
        ADV(52);
    }
    size_t lanes = ((size_t)units + 1) * np;
    NEED(lanes * 4);
    if (rp_vec_grow((void **)&r->sigs, &r->sigs_cap, lanes, sizeof *r->sigs))
        return RP_ENOMEM;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(r->sigs, p, lanes * 4);
    ADV(lanes * 4);
#else
    for (size_t i = 0; i < lanes; i++) {
        r->sigs[i] = get32(p);
        ADV(4);
    }
#endif
#undef NEED
#undef ADV
    if (d->file >= r->nfiles)
        return corrupt(r, err, "file index out of range");
    const char *why = check_doc(d, r->paras);
    if (why)
        return corrupt(r, err, why);
    d->paras = r->paras;
    d->nunits = units;
    d->sig = r->sigs;
    d->unit_sigs = r->sigs + np;
    r->raw_pos = r->raw_len - left;
    r->block_left--;
    r->docs++;
    return RP_OK;
}
