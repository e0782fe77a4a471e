/* size.c - parsing of human sizes ("256M", "1.5GiB").  The digits are
 * read here, not by strtod() or strtoull(): strtod()'s decimal point is
 * the caller's locale's (a caller that set LC_NUMERIC to de_DE would see
 * "1.5G" refused and "1,5G" taken), and both skip leading white space and
 * take signs, hex, exponents, "inf" and "nan", none of which a size is.
 * (Durations: duration.c.) */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "size.h"

/* Digits of a fraction kept: the rest cannot change a result by a byte
 * (units of at most 2^40). */
#define FRAC_DIGITS 9

struct decimal {
	uint64_t whole;
	uint64_t frac; /* frac / den */
	uint64_t den;
	int overflow;  /* whole does not fit in 64 bits */
};

static int digit(char c)
{
	return c >= '0' && c <= '9';
}

/* DIGITS or DIGITS.DIGITS at the start of text; *ret_end after it. */
static int decimal(const char *text, struct decimal *d, const char **ret_end)
{
	const char *p = text;
	int n;

	memset(d, 0, sizeof(*d));
	d->den = 1;
	if (!digit(*p))
		return -EINVAL;
	for (; digit(*p); p++) {
		uint64_t v = (uint64_t)(*p - '0');

		if (d->whole > (UINT64_MAX - v) / 10)
			d->overflow = 1;
		else
			d->whole = d->whole * 10 + v;
	}
	if (*p == '.') {
		if (!digit(*++p))
			return -EINVAL; /* "1." */
		for (n = 0; digit(*p); p++, n++)
			if (n < FRAC_DIGITS) {
				d->frac = d->frac * 10 + (uint64_t)(*p - '0');
				d->den *= 10;
			}
	}
	*ret_end = p;
	return 0;
}

static int unit_shift(const char *u, unsigned *ret_shift)
{
	static const struct {
		const char *name;
		unsigned shift;
	} units[] = {
		{ "", 0 },    { "B", 0 },   { "K", 10 },  { "KB", 10 },
		{ "KiB", 10 }, { "M", 20 }, { "MB", 20 }, { "MiB", 20 },
		{ "G", 30 },  { "GB", 30 }, { "GiB", 30 }, { "T", 40 },
		{ "TB", 40 }, { "TiB", 40 },
	};
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcasecmp(u, units[i].name) == 0) {
			*ret_shift = units[i].shift;
			return 0;
		}
	return -EINVAL;
}

int sbx_size_parse(const char *text, uint64_t *ret_bytes)
{
	struct decimal d;
	const char *unit;
	unsigned shift;
	uint64_t v, f;

	if (!text || !ret_bytes)
		return -EINVAL;
	if (decimal(text, &d, &unit) < 0 || unit_shift(unit, &shift) < 0)
		return -EINVAL;
	if (d.frac && !shift)
		return -EINVAL; /* a fraction of a byte */
	if (d.overflow || (shift && d.whole > (UINT64_MAX >> shift)))
		return -ERANGE;
	v = d.whole << shift;
	/* frac < 10^9 < 2^30, shift <= 40: at most 2^70 */
	f = (uint64_t)(((unsigned __int128)d.frac << shift) / d.den);
	if (v > UINT64_MAX - f)
		return -ERANGE;
	*ret_bytes = v + f;
	return 0;
}
