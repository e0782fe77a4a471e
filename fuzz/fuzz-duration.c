/* fuzz-duration.c - libFuzzer harness: duration strings
 * (sbx_duration_parse(), "1.5s", "500ms") and the plain decimals of sbx's
 * --cpus (sbx_decimal_parse()).  What they take starts with a digit,
 * holds no white space, and a whole number of seconds is 1000 times a
 * whole number of milliseconds. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "size.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const char *text, int r, uint64_t v, uint64_t unset)
{
	if (r != 0 && r != -EINVAL && r != -ERANGE)
		abort();
	if (r != 0 && v != unset)
		abort();
	if (r == 0 && (text[0] < '0' || text[0] > '9' ||
		       strpbrk(text, " \t\n\v\f\r+-eExX,")))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t v = 42, w = 42;
	char *text, *ms;
	int r;

	text = malloc(size + 1);
	ms = malloc(size + 3);
	if (!text || !ms)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	r = sbx_duration_parse(text, &v);
	check(text, r, v, 42);
	/* N seconds are N000 ms: "N" and "Nms" agree */
	if (r == 0 && strspn(text, "0123456789") == size) {
		snprintf(ms, size + 3, "%sms", text);
		if (sbx_duration_parse(ms, &w) != 0 || v / 1000 != w ||
		    v % 1000)
			abort();
	}
	v = 42;
	r = sbx_decimal_parse(text, 1000, &v);
	check(text, r, v, 42);
	free(ms);
	free(text);
	return 0;
}
