/* readfile.h - small files of /proc, /sys and cgroupfs, read whole. */
#ifndef SBX_SUP_READFILE_H
#define SBX_SUP_READFILE_H

#include <stddef.h>
#include <sys/types.h>

/* Read path into buf (at most len - 1 bytes, one read, which is whole for
 * the kernel's small files) and NUL-terminate it.  Returns the bytes read,
 * or -errno. */
ssize_t sup_read_file(const char *path, char *buf, size_t len);

/* The number a small file starts with, or fallback when it cannot be read
 * or is empty. */
long sup_read_long(const char *path, long fallback);

#endif
