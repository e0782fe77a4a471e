/* fuzz-config.c - libFuzzer harness: the supervisor's decoder of the
 * configuration the library sends (sup_config_parse(), the records after
 * the header), on a buffer.  What it takes must be whole: a program, a
 * NULL-terminated argv and environment, absolute paths, known modes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sup_config c;
	char err[512], *raw;
	size_t i;

	raw = malloc(size ? size : 1);
	if (!raw)
		abort();
	memcpy(raw, data, size);
	memset(&c, 0, sizeof(c));
	if (sup_config_parse(&c, raw, size, err, sizeof(err)) == 0) {
		if (!c.argc || !c.argv[0][0] || c.argv[c.argc] || !c.envp ||
		    c.envp[c.n_env] || !c.cwd || c.cwd[0] != '/' || !c.home ||
		    !c.bpf || c.net >= SBX_NET_MODE_MAX ||
		    c.flags >> SBX_FLAG_MAX)
			abort();
		for (i = 0; i < c.n_binds; i++)
			if (c.binds[i].src[0] != '/' ||
			    c.binds[i].dst[0] != '/')
				abort();
		for (i = 0; i < SBX_LIMIT_KIND_MAX; i++)
			if (c.limits[i] > sbx_limit_max((uint32_t)i))
				abort();
	} else if (!err[0]) {
		abort(); /* a refusal says why */
	}
	sup_config_free(&c);
	return 0;
}
