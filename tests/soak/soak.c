/* soak.c - many runs through the public API from one process, one after
 * the other and from 8 threads at once, ending in every way a run ends;
 * then what they must not have left: descriptors, mounts, cgroups,
 * directories, zombies, memory, and latency that creeps up.
 *
 * soak [RUNS] (default $SOAK_RUNS, else 10000) per phase; $SOAK_THREADS
 * threads (8) in the concurrent phase.  Prints one line per check and
 * "## tests: P passed, F failed, S skipped"; exits 1 when one failed. */
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sandbox.h"

static int passed, failed, skipped;

static void check(int ok, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void check(int ok, const char *what, const char *fmt, ...)
{
	va_list ap;

	printf("%s: %s (", ok ? "PASS" : "FAIL", what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(")\n");
	fflush(stdout);
	if (ok)
		passed++;
	else
		failed++;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ------------------------------------------------------------ the runs */

enum ending {
	END_EXIT0,
	END_EXIT3,
	END_SIGNAL,
	END_TIMEOUT,
	END_MEMORY,
	END_PIDS,
	END_OUTPUT,
	END_SETUP,
	END_N
};

static const char *const ending_names[END_N] = {
	"exit 0", "exit 3", "signal", "timeout", "memory", "pids", "output",
	"setup error"
};

/* Whether a memory limit stops a run here by a cgroup (else RLIMIT_DATA
 * fails the allocation inside, an exit of the program's own). */
static int memory_by_cgroup = -1;
static int pids_by_cgroup = -1;

static int mechanism_is_cgroup(const char *json, const char *limit)
{
	char key[64];
	const char *p;

	snprintf(key, sizeof(key), "\"%s\":{", limit);
	p = json ? strstr(json, key) : NULL;
	p = p ? strstr(p, "\"mechanism\":\"") : NULL;
	return p && strncmp(p + 13, "cgroup", 6) == 0;
}

/* The limit stopped something (the "fired" of its JSON entry). */
static int limit_fired(const char *json, const char *limit)
{
	char key[64];
	const char *p, *end;

	snprintf(key, sizeof(key), "\"%s\":{", limit);
	p = json ? strstr(json, key) : NULL;
	end = p ? strchr(p, '}') : NULL;
	p = p ? strstr(p, "\"fired\":true") : NULL;
	return p && end && p < end;
}

static void note_children(void);

/* One run ending in e on a fresh handle; 0, or -1 with why in err. */
static int one_run(enum ending e, double *ret_ms, char *err, size_t errlen)
{
	const char *argv[] = { "/bin/sh", "-c", NULL, NULL };
	const char *out;
	size_t len;
	int64_t st, code;
	sbx_t *sbx;
	double t0;
	int r, ok;

	switch (e) {
	case END_EXIT0:
		argv[2] = "exit 0";
		break;
	case END_EXIT3:
		argv[2] = "exit 3";
		break;
	case END_SIGNAL:
		argv[2] = "kill -KILL $$";
		break;
	case END_TIMEOUT:
		argv[2] = "sleep 10";
		break;
	case END_MEMORY:
		argv[2] = "exec python3 -c 'b = bytearray(64 << 20)'";
		break;
	case END_PIDS:
		argv[2] = "b() { b | b & }; b 2>/dev/null; sleep 0.3";
		break;
	case END_OUTPUT:
		argv[2] = "head -c 200000 /dev/zero";
		break;
	default:
		argv[0] = "/no/such/program";
		argv[1] = NULL;
		break;
	}
	if (sbx_create(&sbx) < 0) {
		snprintf(err, errlen, "sbx_create failed");
		return -1;
	}
	sbx_set_stdio(sbx, 0, SBX_STDIO_NULL, -1);
	sbx_set_stdio(sbx, 1, SBX_STDIO_CAPTURE, -1);
	sbx_set_stdio(sbx, 2, SBX_STDIO_CAPTURE, -1);
	sbx_limit(sbx, SBX_LIMIT_WALL_MS, e == END_TIMEOUT ? 100 : 60000);
	if (e == END_MEMORY)
		sbx_limit(sbx, SBX_LIMIT_MEMORY, 16ull << 20);
	if (e == END_PIDS)
		sbx_limit(sbx, SBX_LIMIT_PIDS, 16);
	if (e == END_OUTPUT)
		sbx_limit(sbx, SBX_LIMIT_OUTPUT, 1000);
	t0 = now_ms();
	r = sbx_exec(sbx, argv);
	note_children(); /* the supervisor, while it is ours */
	if (r == 0)
		r = sbx_wait(sbx);
	*ret_ms = now_ms() - t0;
	if (r < 0) {
		snprintf(err, errlen, "%s: %s", ending_names[e],
			 sbx_last_error(sbx));
		sbx_destroy(sbx);
		return -1;
	}
	st = sbx_result(sbx, SBX_RESULT_STATUS);
	code = sbx_result(sbx, SBX_RESULT_EXIT_CODE);
	switch (e) {
	case END_EXIT0:
		ok = st == SBX_STATUS_EXITED && code == 0;
		break;
	case END_EXIT3:
		ok = st == SBX_STATUS_EXITED && code == 3;
		break;
	case END_SIGNAL:
		ok = st == SBX_STATUS_SIGNALED &&
		     sbx_result(sbx, SBX_RESULT_SIGNAL) == 9;
		break;
	case END_TIMEOUT:
		ok = st == SBX_STATUS_TIMEOUT;
		break;
	case END_MEMORY:
		if (memory_by_cgroup < 0)
			memory_by_cgroup = mechanism_is_cgroup(
				sbx_result_json(sbx), "memory");
		ok = memory_by_cgroup ? st == SBX_STATUS_MEMORY_LIMIT
				      : (st == SBX_STATUS_MEMORY_LIMIT ||
					 (st == SBX_STATUS_EXITED && code != 0));
		break;
	case END_PIDS:
		/* the bomb fails at the limit; the script itself may end
		 * well (PIDS_LIMIT when the program failed at it).  Without
		 * a pids cgroup (an unprivileged caller with no delegation)
		 * RLIMIT_NPROC holds it, and nothing counts the failed
		 * forks: the program's own ending is all there is. */
		if (pids_by_cgroup < 0)
			pids_by_cgroup = mechanism_is_cgroup(
				sbx_result_json(sbx), "pids");
		ok = st == SBX_STATUS_PIDS_LIMIT ||
		     (st == SBX_STATUS_EXITED &&
		      (limit_fired(sbx_result_json(sbx), "pids") ||
		       !pids_by_cgroup));
		break;
	case END_OUTPUT:
		ok = st == SBX_STATUS_EXITED && code == 0 &&
		     sbx_result(sbx, SBX_RESULT_STDOUT_TRUNCATED) == 1 &&
		     sbx_output(sbx, 1, &out, &len) == 0 && len == 1000;
		break;
	default:
		ok = st == SBX_STATUS_SETUP_ERROR;
		break;
	}
	if (!ok)
		snprintf(err, errlen, "%s: status %lld, exit code %lld: %s",
			 ending_names[e], (long long)st, (long long)code,
			 sbx_result_message(sbx) ? sbx_result_message(sbx)
						 : "");
	sbx_destroy(sbx);
	return ok ? 0 : -1;
}

/* ------------------------------------------- what the runs must not leave */

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n - 1; /* the one opendir holds */
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "re");
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	char buf[4096];
	size_t n;

	while (f && m && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, m);
	if (f)
		fclose(f);
	if (m)
		fclose(m);
	return text;
}

static long rss_kib(void)
{
	char *t = read_file("/proc/self/status"), *p;
	long v = -1;

	p = t ? strstr(t, "VmRSS:") : NULL;
	if (p)
		v = strtol(p + 6, NULL, 10);
	free(t);
	return v;
}

/* Supervisors this process started (the children of each thread), so
 * that cgroups are judged by whose they are, not by how many the host
 * has (other sandboxes run beside). */
static pthread_mutex_t sups_lock = PTHREAD_MUTEX_INITIALIZER;
static pid_t *sups;
static size_t n_sups, max_sups;

static void note_children(void)
{
	char path[64], *t, *p, *end;

	snprintf(path, sizeof(path), "/proc/self/task/%ld/children",
		 (long)syscall(SYS_gettid));
	t = read_file(path);
	pthread_mutex_lock(&sups_lock);
	for (p = t; p && *p && n_sups < max_sups; p = end) {
		long v = strtol(p, &end, 10);

		if (end == p)
			break;
		sups[n_sups++] = (pid_t)v;
	}
	pthread_mutex_unlock(&sups_lock);
	free(t);
}

static int ours(long pid)
{
	size_t i;

	for (i = 0; i < n_sups; i++)
		if (sups[i] == pid)
			return 1;
	return 0;
}

/* sbx-PID cgroup directories of our supervisors still on the host (the
 * v1 memory, pids, cpu hierarchies the library uses, and v2). */
static int left_cgroups(void)
{
	FILE *f = popen("find /sys/fs/cgroup -maxdepth 8 -type d "
			"-name 'sbx-*' 2>/dev/null",
			"r");
	char line[4096];
	int n = 0;

	while (f && fgets(line, sizeof(line), f)) {
		const char *base = strrchr(line, '/');
		long pid;

		if (base && sscanf(base, "/sbx-%ld", &pid) == 1 && ours(pid)) {
			printf("  left behind: %s", line);
			n++;
		}
	}
	if (f)
		pclose(f);
	return n;
}

/* Directories the library and its supervisor make on the host, left
 * behind: a degraded run's /tmp, what an apply had no room for. */
static int left_dirs(const char *before)
{
	static const char *const pats[] = { "/tmp/sbx-degraded-*",
					    "/var/tmp/sbx-degraded-*",
					    "/dev/shm/sbx-degraded-*",
					    "/var/tmp/sbx-unapplied-*" };
	size_t i, j;
	int n = 0;

	for (i = 0; i < sizeof(pats) / sizeof(pats[0]); i++) {
		glob_t g;

		if (glob(pats[i], 0, NULL, &g) != 0)
			continue;
		for (j = 0; j < g.gl_pathc; j++) {
			if (before && strstr(before, g.gl_pathv[j]))
				continue;
			printf("  left behind: %s\n", g.gl_pathv[j]);
			n++;
		}
		globfree(&g);
	}
	return n;
}

static char *list_dirs(void)
{
	FILE *f = popen("ls -d /tmp/sbx-degraded-* /var/tmp/sbx-degraded-* "
			"/dev/shm/sbx-degraded-* /var/tmp/sbx-unapplied-* "
			"2>/dev/null",
			"r");
	char *text = NULL, buf[4096];
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);

	while (f && m && fgets(buf, sizeof(buf), f))
		fputs(buf, m);
	if (f)
		pclose(f);
	if (m)
		fclose(m);
	return text;
}

static int zombies_or_children(void)
{
	int st;

	return waitpid(-1, &st, WNOHANG) != -1 || errno != ECHILD;
}

/* ---------------------------------------------------------- the phases */

struct phase {
	int runs;
	int next; /* the next run to take (concurrent phase) */
	int errors;
	double *ms; /* per run, in the order they were taken */
	pthread_mutex_t lock;
};

static void *worker(void *p)
{
	struct phase *ph = p;
	char err[512];

	for (;;) {
		double ms = 0;
		int i;

		pthread_mutex_lock(&ph->lock);
		i = ph->next++;
		pthread_mutex_unlock(&ph->lock);
		if (i >= ph->runs)
			break;
		if (one_run((enum ending)(i % END_N), &ms, err, sizeof(err)) <
		    0) {
			pthread_mutex_lock(&ph->lock);
			if (ph->errors++ < 10)
				printf("  run %d: %s\n", i, err);
			pthread_mutex_unlock(&ph->lock);
		}
		ph->ms[i] = ms;
	}
	return NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	if (n <= 0)
		return 0;
	qsort(v, (size_t)n, sizeof(double), cmp_double);
	return v[n / 2];
}

/* The median of ms[from..to) over the runs of one ending. */
static double median_of(const double *ms, int from, int to, int ending)
{
	double *v = malloc(sizeof(double) * (size_t)(to - from + 1)), m;
	int i, n = 0;

	for (i = from; i < to; i++)
		if (i % END_N == ending)
			v[n++] = ms[i];
	m = median(v, n);
	free(v);
	return m;
}

/*
 * Latency stays flat: the median of the last 10% within 2x the median of
 * the first 10% after the warm-up.  The endings take very different
 * times (a timeout is 100 ms, a run ~10): each run counts as its time
 * over the median of its ending, so that every run weighs in.
 */
static void check_latency(const char *phase, const double *ms, int runs,
			  int warm)
{
	int tenth = (runs - warm) / 10, i, n;
	double m[END_N], *v, first, last;
	char what[128];

	if (tenth < END_N) {
		printf("SKIP: %s latency trend (too few runs)\n", phase);
		skipped++;
		return;
	}
	for (i = 0; i < END_N; i++)
		m[i] = median_of(ms, warm, runs, i);
	v = malloc(sizeof(double) * (size_t)tenth);
	for (n = 0, i = warm; i < warm + tenth; i++)
		if (m[i % END_N] > 0)
			v[n++] = ms[i] / m[i % END_N];
	first = median(v, n);
	for (n = 0, i = runs - tenth; i < runs; i++)
		if (m[i % END_N] > 0)
			v[n++] = ms[i] / m[i % END_N];
	last = median(v, n);
	free(v);
	snprintf(what, sizeof(what), "%s latency flat", phase);
	check(last <= 2 * first, what,
	      "first 10%% after the warm-up x%.2f of the median, last 10%% "
	      "x%.2f: x%.2f; an exit-0 run %.1f ms then, %.1f ms at the end",
	      first, last, first > 0 ? last / first : 0,
	      median_of(ms, warm, warm + tenth, END_EXIT0),
	      median_of(ms, runs - tenth, runs, END_EXIT0));
}

static void run_phase(const char *name, int runs, int threads, int warm)
{
	struct phase ph = { .runs = runs };
	pthread_t *t = calloc((size_t)threads, sizeof(*t));
	char what[128];
	long rss_warm = -1, rss_end;
	double t0 = now_ms();
	int i;

	pthread_mutex_init(&ph.lock, NULL);
	ph.ms = calloc((size_t)runs, sizeof(double));
	if (!t || !ph.ms)
		exit(2);
	/* warm-up on this thread: lazily allocated state, caches */
	if (threads == 1) {
		for (i = 0; i < runs; i++) {
			ph.next = i;
			ph.runs = i + 1;
			worker(&ph);
			if (i + 1 == warm)
				rss_warm = rss_kib();
		}
		ph.runs = runs;
	} else {
		ph.runs = warm;
		worker(&ph);
		rss_warm = rss_kib();
		ph.runs = runs;
		for (i = 0; i < threads; i++)
			pthread_create(&t[i], NULL, worker, &ph);
		for (i = 0; i < threads; i++)
			pthread_join(t[i], NULL);
	}
	rss_end = rss_kib();
	snprintf(what, sizeof(what), "%s: %d runs end as they should", name,
		 runs);
	check(ph.errors == 0, what, "%d wrong, %.1f s, %.1f ms/run",
	      ph.errors, (now_ms() - t0) / 1e3, (now_ms() - t0) / runs);
	snprintf(what, sizeof(what), "%s: RSS growth bounded", name);
	check(rss_end - rss_warm < 8 * 1024, what,
	      "%ld KiB after the warm-up, %ld KiB at the end", rss_warm,
	      rss_end);
	check_latency(name, ph.ms, runs, warm);
	free(ph.ms);
	free(t);
}

int main(int argc, char **argv)
{
	const char *env = getenv("SOAK_RUNS");
	int runs = argc > 1 ? atoi(argv[1]) : env ? atoi(env) : 10000;
	int threads = getenv("SOAK_THREADS") ? atoi(getenv("SOAK_THREADS"))
					     : 8;
	int fds, mounts = -1, private_ns = 0, warm, i;
	char *dirs_before, *mi;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (runs < END_N || threads < 1) {
		fprintf(stderr, "usage: soak [RUNS >= %d]\n", END_N);
		return 2;
	}
	warm = runs / 20 > END_N * 2 ? runs / 20 : END_N * 2;
	if (warm > runs / 2)
		warm = runs / 2;
	max_sups = (size_t)runs * 2 + 64;
	sups = calloc(max_sups, sizeof(*sups));
	if (!sups)
		return 2;
	/* Mounts: a sandbox's are made in namespaces of its own; one left
	 * in ours would show here.  Root's runs share a private mount
	 * namespace of this process's own, which other processes' mounts
	 * do not reach. */
	if (getuid() == 0)
		private_ns = unshare(CLONE_NEWNS) == 0 &&
			     mount(NULL, "/", NULL, MS_REC | MS_PRIVATE,
				   NULL) == 0;
	/* Two runs first: an unprivileged caller's second run sets up the
	 * library's one descriptor of its own for the process, the inotify
	 * watch that keeps its /etc scan true (libsandbox/hostinfo.c); it
	 * is the process's, kept on purpose, not a run's */
	for (i = 0; i < 2; i++) {
		double ms;
		char err[512];

		if (one_run(END_EXIT0, &ms, err, sizeof(err)) < 0)
			fprintf(stderr, "soak: a first run: %s\n", err);
	}
	mi = read_file("/proc/self/mountinfo");
	dirs_before = list_dirs();
	fds = count_fds();
	printf("soak: %d runs one after the other, %d from %d threads, "
	       "cycling through %d endings\n",
	       runs, runs, threads, END_N);

	run_phase("sequential", runs, 1, warm);
	run_phase("concurrent", runs, threads, warm);

	check(count_fds() == fds, "descriptors unchanged", "%d before, %d after",
	      fds, count_fds());
	if (private_ns) {
		char *after = read_file("/proc/self/mountinfo");

		check(mi && after && strcmp(mi, after) == 0,
		      "mountinfo unchanged", "%zu bytes before, %zu after",
		      mi ? strlen(mi) : 0, after ? strlen(after) : 0);
		free(after);
	} else {
		printf("SKIP: mountinfo unchanged (needs root for a private "
		       "mount namespace: others' mounts would show)\n");
		skipped++;
	}
	check(left_cgroups() == 0, "no cgroup left", "%zu supervisors",
	      n_sups);
	check(left_dirs(dirs_before) == 0, "no directory left",
	      "sbx-degraded-*, sbx-unapplied-*");
	check(!zombies_or_children(), "no child left", "no zombie either");
	(void)mounts;
	free(mi);
	free(dirs_before);
	free(sups);
	printf("## tests: %d passed, %d failed, %d skipped\n", passed, failed,
	       skipped);
	return failed ? 1 : 0;
}
