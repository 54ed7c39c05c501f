/*
 * writer.h - library-internal additions to rp_writer (reprint/input.h).
 */
#ifndef RP_LIB_IO_WRITER_H
#define RP_LIB_IO_WRITER_H

#include "reprint/input.h"

/* A scratch file, read back and removed within the run (a rank's part of
 * the records): committed without fsync, since no crash needs it. */
void rp__writer_scratch(rp_writer *w);

#endif
