/* fuzz-size.c - libFuzzer harness: size strings (sbx_size_parse(), which
 * sbx_parse_size() and policies call).  What
 * it takes is digits, an optional fraction and a unit, and a plain
 * number of bytes reads as strtoull() reads it. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "size.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t v = 42;
	char *text, *end;
	size_t n;
	int r;

	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	r = sbx_size_parse(text, &v);
	if (r != 0 && r != -EINVAL && r != -ERANGE)
		abort();
	if (r != 0 && v != 42)
		abort(); /* written on failure */
	if (r == 0) {
		if (text[0] < '0' || text[0] > '9')
			abort();
		n = strspn(text, "0123456789");
		if (!text[n]) { /* bytes: as strtoull() */
			errno = 0;
			if (strtoull(text, &end, 10) != v || errno)
				abort();
		}
	}
	free(text);
	return 0;
}
