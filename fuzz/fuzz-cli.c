/* fuzz-cli.c - libFuzzer harness: the arguments of `sbx run` and `sbx
 * policy`, parsed onto a handle by the CLI's own parser
 * (tools/run-options.c), which runs nothing.  The input is the arguments
 * separated by NUL bytes.  Parsing reads what the options name (policy
 * files, binds and the workspace are opened or resolved); an argument
 * naming the kernel's or the runtime's file systems is left out, since
 * opening a terminal or a fifo there waits for it as sbx would, which is
 * no finding. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int blocking_path(const char *arg)
{
	static const char *const fs[] = { "dev", "proc", "sys", "run" };
	size_t i;

	for (i = 0; i < sizeof(fs) / sizeof(fs[0]); i++)
		if (strstr(arg, fs[i]))
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char name_run[] = "sbx run", name_show[] = "sbx policy show";
	char *argv[MAX_ARGS + 2], *text, *p;
	struct cli_run_opts o;
	sbx_t *sbx;
	int argc = 1, rc = 0;

	if (size < 1)
		return 0;
	text = malloc(size);
	if (!text)
		abort();
	/* the first byte: `sbx run` or `sbx policy show` */
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	argv[0] = data[0] & 1 ? name_show : name_run;
	for (p = text; p < text + size - 1 && argc <= MAX_ARGS;
	     p += strlen(p) + 1) {
		if (blocking_path(p))
			goto out;
		argv[argc++] = p;
	}
	argv[argc] = NULL;
	if (sbx_create(&sbx) < 0)
		abort();
	cli_run_parse(sbx, argc, argv, data[0] & 1 ? "show" : NULL, &o, &rc);
	sbx_destroy(sbx);
out:
	free(text);
	return 0;
}
