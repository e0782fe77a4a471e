/* run.c - run a command in a sandbox and print how it ended.
 *
 *   cc run.c $(pkg-config --cflags --libs libsandbox) -o run
 *   ./run [--workspace DIR] [--timeout SECONDS] -- PROGRAM [ARG...]
 */
#include <sandbox.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	const char *workspace = NULL;
	unsigned long timeout = 10;
	sbx_t *sbx;
	int i, r;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--workspace") == 0 && i + 1 < argc)
			workspace = argv[++i];
		else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
			timeout = strtoul(argv[++i], NULL, 10);
		else
			break;
	}
	if (i >= argc - 1 || strcmp(argv[i], "--") != 0) {
		fprintf(stderr,
			"usage: %s [--workspace DIR] [--timeout S] -- PROGRAM "
			"[ARG...]\n",
			argv[0]);
		return 2;
	}
	if (sbx_create(&sbx) < 0)
		return 1;
	r = sbx_limit(sbx, SBX_LIMIT_WALL_MS, timeout * 1000);
	if (r == 0 && workspace)
		r = sbx_set_workspace(sbx, workspace, SBX_WORKSPACE_RO);
	if (r == 0)
		r = sbx_exec(sbx, (const char *const *)&argv[i + 1]);
	if (r == 0)
		r = sbx_wait(sbx);
	if (r < 0) {
		fprintf(stderr, "sandbox: %s\n", sbx_last_error(sbx));
		sbx_destroy(sbx);
		return 1;
	}
	printf("result: %s\n", sbx_result_json(sbx));
	/* The exit code means something only when the program exited: a
	 * timeout, a limit or a sandbox that could not be built is a
	 * failure, whatever SBX_RESULT_EXIT_CODE holds (0). */
	switch (sbx_result(sbx, SBX_RESULT_STATUS)) {
	case SBX_STATUS_EXITED:
		r = (int)sbx_result(sbx, SBX_RESULT_EXIT_CODE);
		break;
	case SBX_STATUS_SETUP_ERROR:
		fprintf(stderr, "sandbox: %s\n", sbx_last_error(sbx));
		r = 125;
		break;
	default:
		fprintf(stderr, "sandbox: %s\n", sbx_result_message(sbx));
		r = sbx_result(sbx, SBX_RESULT_SIGNAL) > 0
			    ? 128 + (int)sbx_result(sbx, SBX_RESULT_SIGNAL)
			    : 1;
		break;
	}
	sbx_destroy(sbx);
	return r;
}
