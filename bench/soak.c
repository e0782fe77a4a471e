/* soak.c - many sandboxed runs back to back, watching what the kernel
 * tears down after them.  A network namespace is freed by a kernel
 * workqueue some time after its last process exits; thousands of quick
 * runs can build a backlog of dying namespaces (memory the caller does not
 * see).  Every REPORT runs this prints the time per run and the kernel's
 * count of network namespaces (the net_namespace slab of /proc/slabinfo,
 * readable by root), and at the end how long the backlog took to drain. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sandbox.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Live network namespaces, dying ones included; -1 when unreadable. */
static long netns_count(void)
{
	char line[512];
	long n = -1;
	FILE *f = fopen("/proc/slabinfo", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "net_namespace %ld", &n) == 1)
			break;
	fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	const char *const prog[] = { "/bin/true", NULL };
	int n = argc > 1 ? atoi(argv[1]) : 5000, report = n / 10, i;
	long base = netns_count(), peak = base, c;
	double t0, t, last;
	sbx_t *sbx;

	if (n <= 0 || report <= 0) {
		fprintf(stderr, "usage: soak [RUNS >= 10]\n");
		return 2;
	}
	if (sbx_create(&sbx) < 0)
		return 1;
	printf("network namespaces before: %ld%s\n", base,
	       base < 0 ? " (/proc/slabinfo needs root)" : "");
	t0 = last = now();
	for (i = 1; i <= n; i++) {
		if (sbx_exec(sbx, prog) < 0 || sbx_wait(sbx) < 0 ||
		    sbx_result(sbx, SBX_RESULT_STATUS) != SBX_STATUS_EXITED) {
			fprintf(stderr, "run %d failed: %s\n", i,
				sbx_last_error(sbx));
			return 1;
		}
		if (i % report == 0) {
			t = now();
			c = netns_count();
			if (c > peak)
				peak = c;
			printf("%6d runs  %.2f ms/run  network namespaces %ld\n",
			       i, (t - last) * 1e3 / report, c);
			last = t;
		}
	}
	t = now();
	printf("%d runs in %.1f s; network namespaces peaked at %ld "
	       "(before: %ld)\n", n, t - t0, peak, base);
	sbx_destroy(sbx);
	if (base < 0)
		return 0;
	/* wait (at most a minute) for the kernel to free what is dying */
	while ((c = netns_count()) > base + 2 && now() - t < 60)
		usleep(50000);
	printf("backlog drained to %ld in %.2f s\n", c, now() - t);
	return 0;
}
