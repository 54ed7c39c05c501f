/*
 * paths.c - refuse output paths that would destroy an input or another
 * output, before anything is read or written (issue 14 item 2).
 *
 * Two names are the same file when they resolve to the same path
 * (realpath(3): `./a.jsonl`, `a.jsonl` and a symbolic link to it agree) or,
 * where both exist, to the same device and inode (a hard link). An output
 * that does not exist yet is resolved through its folder. An output inside
 * an input folder is refused too: the folder is read again after the
 * output's temporary file appears in it. Standard output ("-") may carry
 * one output only. /dev/null may take any number of outputs.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The resolved absolute name of path (malloc'd), whether or not it exists;
 * NULL when its folder cannot be resolved either (out of memory, or a
 * missing folder: the writer reports that one). */
static char *resolve(const char *path)
{
    char *r = realpath(path, NULL);
    if (r)
        return r;
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t dlen = slash ? (size_t)(slash - path) : 0;
    char *dir = malloc(dlen + 2);
    if (!dir)
        return NULL;
    if (!slash)
        memcpy(dir, ".", 2);
    else if (dlen == 0)
        memcpy(dir, "/", 2);
    else {
        memcpy(dir, path, dlen);
        dir[dlen] = '\0';
    }
    char *rd = realpath(dir, NULL);
    free(dir);
    if (!rd)
        return NULL;
    size_t n = strlen(rd) + strlen(base) + 2;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%s%s%s", rd, strcmp(rd, "/") == 0 ? "" : "/",
                 base);
    free(rd);
    return out;
}

typedef struct named {
    const char *label; /* "-o", "--log", or NULL for an input */
    const char *path;  /* as given */
    char *real;        /* resolve(path), may be NULL */
    struct stat st;
    int exists;
} named;

static void look(named *n, const char *label, const char *path)
{
    n->label = label;
    n->path = path;
    n->real = strcmp(path, "-") == 0 ? NULL : resolve(path);
    n->exists = strcmp(path, "-") != 0 && stat(path, &n->st) == 0;
}

static int same_file(const named *a, const named *b)
{
    if (a->exists && b->exists && a->st.st_dev == b->st.st_dev &&
        a->st.st_ino == b->st.st_ino)
        return 1;
    return a->real && b->real && strcmp(a->real, b->real) == 0;
}

static int is_dev_null(const named *n)
{
    struct stat nul;
    return n->exists && S_ISCHR(n->st.st_mode) && stat("/dev/null", &nul) == 0 &&
           nul.st_rdev == n->st.st_rdev;
}

/* out lies inside the folder in */
static int inside(const named *out, const named *in)
{
    if (!in->exists || !S_ISDIR(in->st.st_mode) || !in->real || !out->real)
        return 0;
    size_t n = strlen(in->real);
    if (n == 1) /* "/" */
        return 1;
    return strncmp(out->real, in->real, n) == 0 && out->real[n] == '/';
}

int cli_check_paths(const char *cmd, const char *const *inputs, size_t nin,
                    const cli_output *outs, size_t nout)
{
    int rc = 0;
    named *in = calloc(nin + 1, sizeof *in);
    named *out = calloc(nout + 1, sizeof *out);
    if (!in || !out) {
        fprintf(stderr, "reprint: out of memory\n");
        free(in);
        free(out);
        return -1;
    }
    for (size_t i = 0; i < nin; i++)
        look(&in[i], NULL, inputs[i]);
    size_t m = 0;
    for (size_t i = 0; i < nout; i++)
        if (outs[i].path)
            look(&out[m++], outs[i].label, outs[i].path);
    /* two outputs on standard output */
    const named *on_stdout = NULL;
    for (size_t i = 0; i < m && rc == 0; i++) {
        if (strcmp(out[i].path, "-") != 0)
            continue;
        if (on_stdout) {
            fprintf(stderr,
                    "reprint %s: %s - and %s - would both write to standard "
                    "output, mixed together; give one of them a file name%s\n",
                    cmd, on_stdout->label, out[i].label,
                    strcmp(on_stdout->label, "-o") == 0
                        ? " (-o is - by default: with --log -, give -o FILE)"
                        : "");
            rc = -1;
        }
        on_stdout = &out[i];
    }
    /* two outputs on one file */
    for (size_t i = 0; i < m && rc == 0; i++)
        for (size_t k = i + 1; k < m && rc == 0; k++)
            if (strcmp(out[i].path, "-") != 0 &&
                strcmp(out[k].path, "-") != 0 && !is_dev_null(&out[i]) &&
                same_file(&out[i], &out[k])) {
                fprintf(stderr,
                        "reprint %s: %s %s and %s %s are the same file: one "
                        "would replace the other; give each output its own "
                        "name\n",
                        cmd, out[i].label, out[i].path, out[k].label,
                        out[k].path);
                rc = -1;
            }
    /* an output that is an input, or inside an input folder */
    for (size_t i = 0; i < m && rc == 0; i++) {
        if (strcmp(out[i].path, "-") == 0 || is_dev_null(&out[i]))
            continue;
        for (size_t k = 0; k < nin && rc == 0; k++) {
            if (strcmp(in[k].path, "-") == 0)
                continue;
            if (same_file(&out[i], &in[k])) {
                fprintf(stderr,
                        "reprint %s: %s %s is also the input %s: it would "
                        "be overwritten; write the output elsewhere\n",
                        cmd, out[i].label, out[i].path, in[k].path);
                rc = -1;
            } else if (inside(&out[i], &in[k])) {
                fprintf(stderr,
                        "reprint %s: %s %s is inside the input folder %s: "
                        "the folder is read while the output is written; "
                        "write the output elsewhere\n",
                        cmd, out[i].label, out[i].path, in[k].path);
                rc = -1;
            }
        }
    }
    for (size_t i = 0; i < nin; i++)
        free(in[i].real);
    for (size_t i = 0; i < m; i++)
        free(out[i].real);
    free(in);
    free(out);
    return rc;
}

/*
 * A .rps input is read together with the files it was signed from: an
 * output that is one of those is refused as well. Names in the file are
 * as given when signing (relative to the folder dedup runs in).
 */
int cli_check_sigfile_paths(const char *cmd, const char *rps,
                            const cli_output *outs, size_t nout)
{
    if (!rp_is_sigfile(rps))
        return 0;
    rp_sigfile_reader *r = NULL;
    rp_error e = {0};
    if (rp_sigfile_reader_new(&r, rps, &e) != RP_OK)
        return 0; /* dedup reports it */
    uint32_t n = rp_sigfile_file_count(r);
    const char **names = calloc((size_t)n + 2, sizeof *names);
    int rc = 0;
    if (!names) {
        fprintf(stderr, "reprint: out of memory\n");
        rc = -1;
    } else {
        names[0] = rps;
        for (uint32_t i = 0; i < n; i++)
            names[i + 1] = rp_sigfile_file_name(r, i);
        rc = cli_check_paths(cmd, names, (size_t)n + 1, outs, nout);
    }
    free(names);
    rp_sigfile_reader_free(r);
    return rc;
}
