/* fuzz-duration.c - libFuzzer harness: duration strings
 * (sbx_parse_duration(): sbx's --timeout, --cpu and --cpus, the bindings'
 * seconds, policies' "1.5s").  What it takes starts with a digit or a
 * point, holds no white space, sign or exponent, and a whole number of
 * seconds is 1000 times the same number of milliseconds; a refusal says
 * why, naming the text. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t v = 42, w = 42;
	char *text, *ms, err[256];
	int r;

	text = malloc(size + 1);
	ms = malloc(size + 3);
	if (!text || !ms)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	r = sbx_parse_duration(text, &v, err, sizeof(err));
	if (r != 0 && r != -EINVAL && r != -ERANGE)
		abort();
	if (r != 0 && (v != 42 || !err[0]))
		abort(); /* written on failure, or no reason */
	if (r == 0 && (err[0] || strpbrk(text, " \t\n\v\f\r+-eExX,") ||
		       !strchr("0123456789.", text[0])))
		abort();
	/* N seconds are N000 ms: "N" and "Nms" agree */
	if (r == 0 && size && strspn(text, "0123456789") == size) {
		snprintf(ms, size + 3, "%sms", text);
		if (sbx_parse_duration(ms, &w, NULL, 0) != 0 ||
		    v / 1000 != w || v % 1000)
			abort();
	}
	free(ms);
	free(text);
	return 0;
}
