/*
 * folder.c - the files of an input folder: recursive, hidden entries
 * skipped, JSON Lines shards (.jsonl .ndjson .json, each also .gz .zst
 * .xz .bz2) and .txt documents, in bytewise order of their relative paths.
 * Split from input.c.
 */
#include "folder.h"

#include "../common/error.h"
#include "../../util/buf.h"
#include "../../util/str.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Folders walked, by device and inode: a loop or a second way into one
 * folder is seen, whatever links lead there. */
typedef struct walked {
    dev_t dev;
    ino_t ino;
} walked;

typedef struct walk_ctx {
    const rp_reader_options *o;
    walked *seen;
    size_t nseen, seen_cap;
    char **list;
    size_t n, cap;
    size_t other; /* files of other kinds, not read */
} walk_ctx;

/*
 * Which files of a folder are read: JSON Lines (.jsonl, .ndjson, .json),
 * each also compressed (.gz, .zst, .xz, .bz2; the codec is still told by
 * the content), and .txt documents.
 */
static int readable_name(const char *name)
{
    static const char *const base[] = {".jsonl", ".ndjson", ".json"};
    static const char *const comp[] = {"", ".gz", ".zst", ".xz", ".bz2"};
    if (rp_str_ends_with(name, ".txt"))
        return 1;
    char suffix[24];
    for (size_t b = 0; b < 3; b++)
        for (size_t c = 0; c < 5; c++) {
            snprintf(suffix, sizeof suffix, "%s%s", base[b], comp[c]);
            if (rp_str_ends_with(name, suffix))
                return 1;
        }
    return 0;
}

/* 1: first visit of the folder (now recorded), 0: seen before, <0 error */
static int first_visit(walk_ctx *c, const struct stat *st)
{
    for (size_t i = 0; i < c->nseen; i++)
        if (c->seen[i].dev == st->st_dev && c->seen[i].ino == st->st_ino)
            return 0;
    walked w = {st->st_dev, st->st_ino};
    if (RP_VEC_PUSH(c->seen, c->nseen, c->seen_cap, w))
        return RP_ENOMEM;
    return 1;
}

static void skipped(walk_ctx *c, const char *path, const char *why)
{
    if (c->o->skipped)
        c->o->skipped(c->o->ctx, path, why);
}

/*
 * Collect relative paths of readable files below root/rel into a list.
 * Entries are
 * looked at with lstat(): a symbolic link to a folder is not followed
 * unless asked (a link to / would walk the whole filesystem), and no
 * folder is walked twice (a link loop read each file 41 times).
 */
static int walk(walk_ctx *c, const char *root, const char *rel, rp_error *err)
{
    char *dir = rel[0] ? rp_str_join(root, rel) : rp_str_dup(root);
    if (!dir)
        return RP_ENOMEM;
    DIR *d = opendir(dir);
    if (!d) {
        int rc = rp__error_set(err, RP_EIO, dir, 0, 0, "cannot open folder: %s",
                               strerror(errno));
        free(dir);
        return rc;
    }
    /* entries in name order: which of two ways into a folder is walked
     * (and which skipped) does not depend on readdir's order */
    int rc = RP_OK;
    struct dirent *e;
    char **names = NULL;
    size_t nn = 0, ncap = 0;
    while (rc == RP_OK && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue; /* hidden files and . .. */
        char *nm = rp_str_dup(e->d_name);
        if (!nm || RP_VEC_PUSH(names, nn, ncap, nm)) {
            free(nm);
            rc = RP_ENOMEM;
        }
    }
    closedir(d);
    if (rc == RP_OK && nn)
        qsort(names, nn, sizeof *names, cmp_str);
    for (size_t k = 0; k < nn && rc == RP_OK; k++) {
        const char *name = names[k];
        char *r2 = rel[0] ? rp_str_join(rel, name) : rp_str_dup(name);
        char *full = r2 ? rp_str_join(root, r2) : NULL;
        struct stat lst, st;
        if (!r2 || !full) {
            rc = RP_ENOMEM;
        } else if (lstat(full, &lst) != 0) {
            /* gone since readdir: nothing to read */
        } else if (stat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
            if (S_ISLNK(lst.st_mode) && !c->o->follow_symlinks) {
                skipped(c, full, "a symbolic link to a folder, not followed "
                                 "(--follow-symlinks follows)");
            } else {
                int first = first_visit(c, &st);
                if (first < 0)
                    rc = first;
                else if (!first)
                    skipped(c, full, "a folder already read (a symbolic "
                                     "link loop or a second way in)");
                else
                    rc = walk(c, root, r2, err);
            }
        } else if (readable_name(name)) {
            if (RP_VEC_PUSH(c->list, c->n, c->cap, r2))
                rc = RP_ENOMEM;
            else
                r2 = NULL;
        } else {
            c->other++;
        }
        free(r2);
        free(full);
    }
    for (size_t k = 0; k < nn; k++)
        free(names[k]);
    free(names);
    free(dir);
    return rc;
}

int rp__folder_list(char ***out, size_t *count, size_t *other,
                    const char *root, const struct stat *root_st,
                    const rp_reader_options *o, rp_error *err)
{
    walk_ctx c;
    memset(&c, 0, sizeof c);
    c.o = o;
    int rc = first_visit(&c, root_st) < 0 ? RP_ENOMEM : RP_OK;
    if (rc == RP_OK)
        rc = walk(&c, root, "", err);
    free(c.seen);
    if (rc == RP_OK && c.n)
        qsort(c.list, c.n, sizeof *c.list, cmp_str);
    if (rc != RP_OK) {
        for (size_t i = 0; i < c.n; i++)
            free(c.list[i]);
        free(c.list);
        c.list = NULL;
        c.n = 0;
    }
    *out = c.list;
    *count = c.n;
    *other = c.other;
    return rc;
}
