/* size.h - human size and duration strings, read the same in every
 * locale.  A number is DIGITS or DIGITS.DIGITS: no white space, sign,
 * exponent, hex, "inf" or "nan"; digits past the ninth of a fraction
 * count for nothing. */
#ifndef SBX_SIZE_H
#define SBX_SIZE_H

#include <stdint.h>

/* A number with an optional unit, B, K, KB, KiB, M, ... T, TB, TiB in
 * any case (powers of 1024; a fraction needs a unit other than bytes):
 * "256M" -> 268435456.  0, -EINVAL (not a size) or -ERANGE (over 64
 * bits). */
int sbx_size_parse(const char *text, uint64_t *ret_bytes);

/* Seconds, or a number with the unit ms, s, m or h: "1.5" and "1.5s" ->
 * 1500, "500ms" -> 500, "2m" -> 120000; rounded to the nearest
 * millisecond.  0, -EINVAL (not a duration) or -ERANGE (over 64 bits of
 * milliseconds). */
int sbx_duration_parse(const char *text, uint64_t *ret_ms);

/* A plain number times mult (at most 3600000), rounded to the nearest
 * whole: ("0.5", 1000) -> 500.  0, -EINVAL or -ERANGE. */
int sbx_decimal_parse(const char *text, uint64_t mult, uint64_t *ret);

#endif
