/* size.c - parsing of human sizes ("256M", "1.5GiB"). */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "size.h"

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
	const char *p = text;
	uint64_t whole = 0, frac_num = 0, frac_den = 1, v;
	unsigned shift;
	int digits = 0;

	if (!text || !ret_bytes)
		return -EINVAL;
	while (isspace((unsigned char)*p))
		p++;
	for (; isdigit((unsigned char)*p); p++, digits++) {
		if (whole > (UINT64_MAX - 9) / 10)
			return -ERANGE;
		whole = whole * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		p++;
		for (; isdigit((unsigned char)*p); p++, digits++)
			if (frac_den < 1000000000ull) {
				frac_num = frac_num * 10 + (uint64_t)(*p - '0');
				frac_den *= 10;
			}
	}
	if (!digits)
		return -EINVAL;
	while (isspace((unsigned char)*p))
		p++;
	if (unit_shift(p, &shift) < 0)
		return -EINVAL;
	if (shift && whole > (UINT64_MAX >> shift))
		return -ERANGE;
	v = whole << shift;
	if (frac_num) {
		if (!shift)
			return -EINVAL; /* a fraction of a byte */
		unsigned __int128 f = ((unsigned __int128)frac_num << shift);

		f /= frac_den;
		if (v > UINT64_MAX - (uint64_t)f)
			return -ERANGE;
		v += (uint64_t)f;
	}
	*ret_bytes = v;
	return 0;
}
