/* limit-parse.c - a limit's value as text, read by its unit (limit-table.c):
 * the one check of the values the CLI and the bindings take, so that they
 * accept, round and refuse alike, with the library's words. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "size.h"

/* Digits only: a whole number, no sign. */
static int parse_count(const char *text, uint64_t *ret)
{
	uint64_t v = 0;
	const char *p;

	if (!*text || text[strspn(text, "0123456789")])
		return -EINVAL;
	for (p = text; *p; p++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	*ret = v;
	return 0;
}

SBX_EXPORT int sbx_parse_limit(int kind, const char *text, uint64_t *ret_value,
			       char *err, size_t errlen)
{
	const struct sbx_limit_info *l = sbx_limit_info(kind);
	uint64_t v = 0;
	int r;

	if (err && errlen)
		err[0] = '\0';
	if (!l)
		return sbx_fail(err, errlen, EINVAL,
				"unknown limit kind %d (SBX_LIMIT_WALL_MS.."
				"SBX_LIMIT_PTYS, 0..%d)",
				kind, SBX_LIMIT_KIND_MAX - 1);
	if (!text || !ret_value)
		return sbx_fail(err, errlen, EINVAL, "no value (NULL)");
	switch (l->unit) {
	case SBX_UNIT_MS:
		/* its own message, and its maximum is the table's */
		r = sbx_parse_duration(text, &v, err, errlen);
		if (r < 0)
			return r;
		break;
	case SBX_UNIT_BYTES:
		r = sbx_size_parse(text, &v);
		if (r == -ERANGE)
			return sbx_fail(err, errlen, ERANGE,
					"\"%s\" does not fit in 64 bits", text);
		if (r < 0)
			return sbx_fail(err, errlen, EINVAL,
					"\"%s\" is not a size: give a number "
					"of bytes, or one like 64K, 256M or "
					"1.5G",
					text);
		break;
	case SBX_UNIT_COUNT:
		r = parse_count(text, &v);
		if (r == -EINVAL)
			return sbx_fail(err, errlen, EINVAL,
					"\"%s\" is not a count: give a whole "
					"number, 0 or more (0: no limit)",
					text);
		if (r < 0)
			v = UINT64_MAX; /* past any maximum */
		break;
	case SBX_UNIT_MILLICPU:
		/* CPUs, rounded to thousandths as durations are to
		 * milliseconds: sbx_parse_duration() without a unit */
		r = text[strspn(text, "0123456789.")]
			    ? -EINVAL
			    : sbx_parse_duration(text, &v, NULL, 0);
		if (r == -EINVAL)
			return sbx_fail(err, errlen, EINVAL,
					"\"%s\" is not a number of CPUs: give "
					"one like 1 or 0.5 (0: no limit)",
					text);
		/* refused as a duration: too small when the whole part is
		 * 0, else too large */
		if (r < 0 && strspn(text, "0") >= strcspn(text, "."))
			return sbx_fail(err, errlen, ERANGE,
					"\"%s\" is less than a thousandth of "
					"a CPU, which would be 0, no limit: "
					"give 0.001 or more, or 0",
					text);
		if (r < 0 || v > l->max)
			return sbx_fail(err, errlen, ERANGE,
					"\"%s\" is larger than the maximum, "
					"%llu CPUs",
					text,
					(unsigned long long)l->max / 1000);
		break;
	default:
		return sbx_fail(err, errlen, EINVAL,
				"limit kind %d has no unit", kind);
	}
	if (v > l->max)
		return sbx_fail(err, errlen, ERANGE,
				"\"%s\" is larger than the maximum, %llu", text,
				(unsigned long long)l->max);
	*ret_value = v;
	return 0;
}
