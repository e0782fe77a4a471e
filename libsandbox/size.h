/* size.h - human size strings, read the same in every locale.  A number
 * is DIGITS or DIGITS.DIGITS: no white space, sign, exponent, hex, "inf"
 * or "nan"; digits past the ninth of a fraction count for nothing. */
#ifndef SBX_SIZE_H
#define SBX_SIZE_H

#include <stdint.h>

/* A number with an optional unit, B, K, KB, KiB, M, ... T, TB, TiB in
 * any case (powers of 1024; a fraction needs a unit other than bytes):
 * "256M" -> 268435456.  0, -EINVAL (not a size) or -ERANGE (over 64
 * bits). */
int sbx_size_parse(const char *text, uint64_t *ret_bytes);

#endif
