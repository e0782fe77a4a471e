/* runs.c - sandboxed runs per second from one process, through the public
 * API: with one reused handle (its seccomp filter compiled once) and with a
 * fresh handle per run.  runs [N] [limits]: with "limits", each run has
 * memory, pids and CPU-share limits (a cgroup with controllers: under
 * systemd, for a user, a delegated scope per run). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sandbox.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int limits;

static int run_once(sbx_t *sbx, const char *const *argv)
{
	if (limits && (sbx_limit(sbx, SBX_LIMIT_MEMORY, 256ull << 20) < 0 ||
		       sbx_limit(sbx, SBX_LIMIT_PIDS, 256) < 0 ||
		       sbx_limit(sbx, SBX_LIMIT_CPU_SHARE, 1000) < 0))
		return -1;
	if (sbx_exec(sbx, argv) < 0 || sbx_wait(sbx) < 0 ||
	    sbx_result(sbx, SBX_RESULT_STATUS) != SBX_STATUS_EXITED) {
		fprintf(stderr, "run failed: %s\n", sbx_last_error(sbx));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *const prog[] = { "/bin/true", NULL };
	int n = argc > 1 ? atoi(argv[1]) : 200, i;

	limits = argc > 2 && strcmp(argv[2], "limits") == 0;
	sbx_t *sbx;
	double t;

	if (sbx_create(&sbx) < 0)
		return 1;
	run_once(sbx, prog); /* warm up */
	t = now();
	for (i = 0; i < n; i++)
		if (run_once(sbx, prog) < 0)
			return 1;
	t = now() - t;
	printf("reused handle: %d runs, %.2f ms/run, %.0f runs/s\n", n,
	       t * 1e3 / n, n / t);
	sbx_destroy(sbx);

	t = now();
	for (i = 0; i < n; i++) {
		if (sbx_create(&sbx) < 0 || run_once(sbx, prog) < 0)
			return 1;
		sbx_destroy(sbx);
	}
	t = now() - t;
	printf("fresh handle:  %d runs, %.2f ms/run, %.0f runs/s\n", n,
	       t * 1e3 / n, n / t);
	return 0;
}
