/* fuzz-policy.c - libFuzzer harness: a policy document, through the
 * public API (sbx_policy_load_string() on a fresh handle).  A document
 * that loads must export, and its export must load again on another
 * handle and export the same: show's promise that a policy round-trips.
 * Nothing runs: loading a policy reads paths (stat), never more. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sbx_t *a = NULL, *b = NULL;
	char *text, *first = NULL;
	const char *out;

	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (sbx_create(&a) < 0 || sbx_create(&b) < 0)
		abort();
	if (sbx_policy_load_string(a, text) == 0) {
		out = sbx_policy_export(a, SBX_POLICY_JSON);
		if (!out) {
			fprintf(stderr, "export failed: %s\n",
				sbx_last_error(a));
			abort();
		}
		first = strdup(out);
		if (!first)
			abort();
		if (sbx_policy_load_string(b, first) != 0) {
			fprintf(stderr, "the export does not load: %s\n%s\n",
				sbx_last_error(b), first);
			abort();
		}
		out = sbx_policy_export(b, SBX_POLICY_JSON);
		if (!out || strcmp(out, first) != 0) {
			fprintf(stderr, "the export changed:\n%s\n---\n%s\n",
				first, out ? out : sbx_last_error(b));
			abort();
		}
		if (!sbx_policy_export(a, SBX_POLICY_DOCKER_SECCOMP)) {
			fprintf(stderr, "docker export failed: %s\n",
				sbx_last_error(a));
			abort();
		}
	}
	free(first);
	sbx_destroy(a);
	sbx_destroy(b);
	free(text);
	return 0;
}
