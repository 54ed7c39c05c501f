/* folder.h - the files of an input folder (folder.c), for input.c. */
#ifndef RP_LIB_FOLDER_H
#define RP_LIB_FOLDER_H

#include "reprint/input.h"

#include <sys/stat.h>

/*
 * The paths, relative to root, of the files to read below the folder
 * root (stat in root_st), sorted bytewise; *other counts the files of
 * other kinds left out. Folders skipped (links not followed, folders seen
 * before) are told to o->skipped. The caller frees each path and *out.
 * RP_OK, RP_ENOMEM, or RP_EIO (a folder that cannot be opened, in err).
 */
int rp__folder_list(char ***out, size_t *count, size_t *other,
                    const char *root, const struct stat *root_st,
                    const rp_reader_options *o, rp_error *err);

#endif
