/* fuzz-result.c - libFuzzer harness: the result record the library reads
 * back from the supervisor (sbx_result_take()).  What it takes must give
 * a result whose JSON form parses. */
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_object *o;
	sbx_t *sbx;
	int i;

	if (sbx_create(&sbx) < 0)
		abort();
	if (sbx_result_take(sbx, (const char *)data, size) == 0) {
		if (!sbx_result_json(sbx) || !sbx_result_message(sbx))
			abort();
		o = json_tokener_parse(sbx_result_json(sbx));
		if (!o) {
			fprintf(stderr, "not JSON: %s\n", sbx_result_json(sbx));
			abort();
		}
		json_object_put(o);
		for (i = 0; i < SBX_RESULT_FIELD_MAX; i++)
			sbx_result(sbx, i);
	}
	sbx_result_reset(sbx);
	sbx_destroy(sbx);
	return 0;
}
