/* size.h - human size strings. */
#ifndef SBX_SIZE_H
#define SBX_SIZE_H

#include <stdint.h>

/* "256M" -> 268435456.  0, -EINVAL (not a size) or -ERANGE. */
int sbx_size_parse(const char *text, uint64_t *ret_bytes);

#endif
