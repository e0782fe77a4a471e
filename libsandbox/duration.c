/* duration.c - durations as people write them ("10", "0.5", "500ms",
 * "2m"): the one parser of sbx run's --timeout and --cpu, and of the
 * bindings' seconds, so that all of them round alike. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* 365 days: sbx_limit()'s maximum for the time limits. */
#define MAX_MS (365ull * 24 * 3600 * 1000)

SBX_EXPORT int sbx_parse_duration(const char *text, uint64_t *ret_ms,
				  char *err, size_t errlen)
{
	static const struct {
		const char *unit;
		uint64_t ms;
	} units[] = {
		{ "", 1000 }, { "s", 1000 }, { "ms", 1 }, { "m", 60000 },
		{ "h", 3600000 },
	};
	const char *p = text;
	uint64_t whole = 0, frac_num = 0, frac_den = 1, mult = 0, ms;
	int digits = 0, frac = 0, nonzero = 0;
	size_t i;

	if (err && errlen)
		err[0] = '\0';
	if (!text || !ret_ms)
		return sbx_fail(err, errlen, EINVAL, "no duration (NULL)");
	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		if (whole > (UINT64_MAX - 9) / 10)
			return sbx_fail(err, errlen, ERANGE,
					"\"%s\" is too long: at most 365 days",
					text);
		whole = whole * 10 + (uint64_t)(*p - '0');
		nonzero |= *p != '0';
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, digits++, frac++) {
			/* a digit past the twelfth still makes it positive */
			nonzero |= *p != '0';
			if (frac_den < 1000000000000ull) {
				frac_num = frac_num * 10 + (uint64_t)(*p - '0');
				frac_den *= 10;
			}
		}
	}
	for (i = 0; digits && i < SBX_ARRAY_SIZE(units); i++)
		if (strcmp(p, units[i].unit) == 0)
			mult = units[i].ms;
	if (!mult)
		return sbx_fail(err, errlen, EINVAL,
				"\"%s\" is not a duration: give seconds (10, "
				"0.5) or a number with a unit (500ms, 90s, 2m, "
				"1h); 0 is no limit",
				text);
	if (whole > MAX_MS / mult)
		return sbx_fail(err, errlen, ERANGE,
				"\"%s\" is too long: at most 365 days", text);
	/* to the nearest millisecond, halves up, in decimal: "0.0015" is
	 * 2 ms, whatever a double would make of it */
	ms = whole * mult +
	     (frac_num * mult + frac_den / 2) / frac_den;
	if (ms > MAX_MS)
		return sbx_fail(err, errlen, ERANGE,
				"\"%s\" is too long: at most 365 days", text);
	if (!ms && nonzero)
		return sbx_fail(err, errlen, ERANGE,
				"\"%s\" is shorter than a millisecond, which "
				"would be 0, no limit: give 1ms or more, or 0",
				text);
	*ret_ms = ms;
	return 0;
}
