/* path.h - paths read as text: their components, and a path cleaned of
 * ".", ".." and empty components (library and supervisor). */
#ifndef SBX_PATH_H
#define SBX_PATH_H

#include <stddef.h>

/* The next component of the path at *pathp, past its slashes: its start,
 * its length in *ret_len, and *pathp moved past it; NULL at the end. */
const char *sbx_path_next(const char **pathp, size_t *ret_len);

/* 1 for the component ".", 2 for "..", else 0. */
int sbx_path_dots(const char *name, size_t len);

/* sbx_path_clean() cleans an absolute path: "/" on its own, and ".."
 * stays at the root. */
#define SBX_PATH_ABSOLUTE 1

/* Clean path lexically into out (len bytes): no empty, "." or ".."
 * components, nothing is looked up.  Absolute (SBX_PATH_ABSOLUTE): path
 * starts with '/', out does too.  Relative: out has no leading '/', and a
 * ".." that climbs above where path starts, or nothing left, is -EINVAL.
 * 0, -EINVAL, -ENAMETOOLONG when out has no room. */
int sbx_path_clean(const char *path, int flags, char *out, size_t len);

#endif
