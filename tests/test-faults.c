/* test-faults.c - the library under faults that are not the program's
 * doing: a supervisor that dies, is missing or is not one, a caller out
 * of descriptors or killed, a full disk during the apply, a read-only
 * /tmp.  Each is judged from the host: the caller lives and gets an
 * error, and nothing (process, zombie, descriptor, directory) is left. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "live.h"

/* Zombie children of this process: supervisors nobody reaped. */
static int count_zombie_children(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char path[300], *stat, *p;
		int ppid;
		char state;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		stat = tl_read_file(path);
		p = stat ? strrchr(stat, ')') : NULL;
		if (p && sscanf(p + 1, " %c %d", &state, &ppid) == 2 &&
		    ppid == getpid() && state == 'Z')
			n++;
		free(stat);
	}
	closedir(d);
	return n;
}

/* Set SBX_SUPERVISOR for one test, and back. */
static char *saved_sup;

static void use_supervisor(const char *path)
{
	const char *cur = getenv("SBX_SUPERVISOR");

	free(saved_sup);
	saved_sup = cur ? strdup(cur) : NULL;
	setenv("SBX_SUPERVISOR", path, 1);
}

static void restore_supervisor(void)
{
	if (saved_sup)
		setenv("SBX_SUPERVISOR", saved_sup, 1);
	else
		unsetenv("SBX_SUPERVISOR");
	free(saved_sup);
	saved_sup = NULL;
}

/* One run of /bin/true on sbx; 0 when it exited 0. */
static int run_true(sbx_t *sbx)
{
	const char *argv[] = { "/bin/true", NULL };
	int r = sbx_exec(sbx, argv);

	if (r == 0)
		r = sbx_wait(sbx);
	if (r == 0 && (sbx_result(sbx, SBX_RESULT_STATUS) != SBX_STATUS_EXITED ||
		       sbx_result(sbx, SBX_RESULT_EXIT_CODE) != 0))
		r = -EPROTO;
	if (r < 0)
		fprintf(stderr, "\n  run: %s\n", sbx_last_error(sbx));
	return r;
}

/* ---------------------------------------------------- the supervisor */

/*
 * A C caller leaves SIGPIPE at SIG_DFL; its supervisor dies before
 * reading the configuration (here /bin/true, handed 8 MiB of input so
 * the library is still writing when it exits).  The caller must get an
 * error, not die of SIGPIPE.  In a child: the signal would kill the test.
 */
static void test_sigpipe(void)
{
	pid_t pid;
	int st = 0;

	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		static char input[8 << 20];
		const char *argv[] = { "/bin/true", NULL };
		sbx_t *sbx;
		int r;

		signal(SIGPIPE, SIG_DFL);
		setenv("SBX_SUPERVISOR", "/bin/true", 1);
		if (sbx_create(&sbx) < 0 ||
		    sbx_set_input(sbx, input, sizeof(input)) < 0)
			_exit(2);
		r = sbx_exec(sbx, argv);
		if (r == 0)
			r = sbx_wait(sbx);
		if (r != -EPROTO)
			fprintf(stderr, "\n  %d: %s\n", r, sbx_last_error(sbx));
		else if (!strstr(sbx_last_error(sbx), "/bin/true"))
			fprintf(stderr, "\n  message names no path: %s\n",
				sbx_last_error(sbx));
		sbx_destroy(sbx);
		_exit(r == -EPROTO ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	if (WIFSIGNALED(st))
		fprintf(stderr, "\n  the caller died of signal %d\n",
			WTERMSIG(st));
	CU_ASSERT(WIFEXITED(st));
	CU_ASSERT_EQUAL(WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);
}

/* SBX_SUPERVISOR names something that is not a supervisor: each says
 * what is wrong with which path, at once, and leaves nothing behind. */
struct bad_sup {
	const char *path;
	const char *why; /* in the message */
	int rc;
};

static void test_bad_supervisor(void)
{
	char *dir = tl_tmpdir(), file[512], missing[512];
	struct bad_sup bad[] = {
		{ missing, "cannot be found", -ENOENT },
		{ file, "not executable", -ENOENT },
		{ "/dev/null", "not a regular file", -ENOENT },
		{ dir, "directory", -ENOENT },
		{ "/bin/true", "libsandbox's sbx-supervisor", -EPROTO },
	};
	int fds, i, round;
	sbx_t *sbx;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	snprintf(file, sizeof(file), "%s/sbx-supervisor", dir);
	snprintf(missing, sizeof(missing), "%s/missing/sbx-supervisor", dir);
	CU_ASSERT_EQUAL_FATAL(tl_write_file(file, "#!/bin/sh\n"), 0);
	chmod(file, 0644);
	CU_ASSERT_EQUAL_FATAL(sbx_create(&sbx), 0);
	/* a run first: its supervisor is what a failing exec left unreaped */
	CU_ASSERT_EQUAL(run_true(sbx), 0);
	/* long enough for it to be a zombie, however quick the machine */
	usleep(500000);
	fds = tl_count_fds();
	for (round = 0; round < 3; round++) {
		for (i = 0; i < (int)LIVE_N(bad); i++) {
			const char *argv[] = { "/bin/true", NULL };
			int r;

			use_supervisor(bad[i].path);
			r = sbx_exec(sbx, argv);
			if (r == 0)
				r = sbx_wait(sbx);
			restore_supervisor();
			if (r != bad[i].rc || !strstr(sbx_last_error(sbx),
						       bad[i].path) ||
			    !strstr(sbx_last_error(sbx), bad[i].why))
				fprintf(stderr, "\n  %s: %d %s\n", bad[i].path,
					r, sbx_last_error(sbx));
			CU_ASSERT_EQUAL(r, bad[i].rc);
			CU_ASSERT_PTR_NOT_NULL(
				strstr(sbx_last_error(sbx), bad[i].path));
			CU_ASSERT_PTR_NOT_NULL(
				strstr(sbx_last_error(sbx), bad[i].why));
			CU_ASSERT_EQUAL(count_zombie_children(), 0);
		}
	}
	CU_ASSERT_EQUAL(tl_count_fds(), fds);
	/* and the handle still works */
	CU_ASSERT_EQUAL(run_true(sbx), 0);
	sbx_destroy(sbx);
	CU_ASSERT_EQUAL(count_zombie_children(), 0);
	tl_rmrf(dir);
}

/*
 * Failing execs in a loop on a handle that ran before: no zombie, no
 * descriptor and no memory (posix_spawn's attributes and file actions)
 * may pile up.  The supervisor that dies before reading its
 * configuration takes the longest way out of sbx_exec.
 */
static void test_failed_exec_leaks(void)
{
	static char input[1 << 20];
	const char *argv[] = { "/bin/true", NULL };
	struct mallinfo2 before, after;
	int fds, i;
	sbx_t *sbx;

	CU_ASSERT_EQUAL_FATAL(sbx_create(&sbx), 0);
	CU_ASSERT_EQUAL(run_true(sbx), 0);
	CU_ASSERT_EQUAL(sbx_set_input(sbx, input, sizeof(input)), 0);
	usleep(500000);
	fds = tl_count_fds();
	use_supervisor("/bin/true");
	/* warm-up: lazily allocated library state */
	for (i = 0; i < 5; i++)
		CU_ASSERT_EQUAL(sbx_exec(sbx, argv), -EPROTO);
	before = mallinfo2();
	for (i = 0; i < 200; i++)
		if (sbx_exec(sbx, argv) != -EPROTO)
			break;
	after = mallinfo2();
	restore_supervisor();
	CU_ASSERT_EQUAL(i, 200);
	CU_ASSERT_EQUAL(count_zombie_children(), 0);
	CU_ASSERT_EQUAL(tl_count_fds(), fds);
	/* 200 leaked file-action arrays are tens of KiB */
	if (after.uordblks > before.uordblks + 8192)
		fprintf(stderr, "\n  heap grew by %zu bytes\n",
			after.uordblks - before.uordblks);
	CU_ASSERT(after.uordblks <= before.uordblks + 8192);
	sbx_destroy(sbx);
}

/* ------------------------------------------------------- descriptors */

static int nofile_child(void)
{
	const char *argv[] = { "/bin/sh", "-c", "ulimit -Sn", NULL };
	struct rlimit rl;
	const char *out;
	size_t len;
	sbx_t *sbx;
	int r;

	/* the supervisor needs more than this to build a sandbox */
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = (rlim_t)tl_count_fds() + 10;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 2;
	if (sbx_create(&sbx) < 0)
		return 2;
	sbx_set_stdio(sbx, 1, SBX_STDIO_CAPTURE, -1);
	/* no limit of its own: the program gets the caller's */
	sbx_limit(sbx, SBX_LIMIT_NOFILE, 0);
	r = sbx_exec(sbx, argv);
	if (r == 0)
		r = sbx_wait(sbx);
	if (r < 0 || sbx_result(sbx, SBX_RESULT_STATUS) != SBX_STATUS_EXITED ||
	    sbx_output(sbx, 1, &out, &len) < 0) {
		fprintf(stderr, "\n  %d: %s %s\n", r, sbx_last_error(sbx),
			sbx_result_message(sbx) ? sbx_result_message(sbx)
						: "");
		return 1;
	}
	if (strtoull(out, NULL, 10) != (unsigned long long)rl.rlim_cur) {
		fprintf(stderr, "\n  the program's soft limit: %.*s, the "
				"caller's %llu\n",
			(int)len, out, (unsigned long long)rl.rlim_cur);
		return 1;
	}
	sbx_destroy(sbx);
	return 0;
}

/* A caller with a small soft RLIMIT_NOFILE: the supervisor must not run
 * out halfway, and the program gets the caller's limit back. */
static void test_small_nofile(void)
{
	pid_t pid = fork();
	int st = 0;

	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0)
		_exit(nofile_child());
	waitpid(pid, &st, 0);
	CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* The caller's table is full: sbx_exec says so (EMFILE, the caller's
 * descriptors), and once some are free a run works and leaves none. */
static void test_caller_out_of_fds(void)
{
	const char *argv[] = { "/bin/true", NULL };
	struct rlimit rl, saved;
	int *extra, n = 0, fds, i, r;
	sbx_t *sbx;

	CU_ASSERT_EQUAL_FATAL(sbx_create(&sbx), 0);
	CU_ASSERT_EQUAL(run_true(sbx), 0);
	fds = tl_count_fds();
	getrlimit(RLIMIT_NOFILE, &saved);
	rl = saved;
	rl.rlim_cur = (rlim_t)fds + 64;
	CU_ASSERT_EQUAL_FATAL(setrlimit(RLIMIT_NOFILE, &rl), 0);
	extra = calloc(rl.rlim_cur, sizeof(int));
	CU_ASSERT_PTR_NOT_NULL_FATAL(extra);
	while ((extra[n] = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0)
		n++;
	for (i = 0; i < 3; i++) {
		r = sbx_exec(sbx, argv);
		if (r == 0) {
			sbx_wait(sbx);
			break;
		}
		CU_ASSERT_EQUAL(r, -EMFILE);
		if (!strstr(sbx_last_error(sbx), "descriptors") ||
		    !strstr(sbx_last_error(sbx), "calling process"))
			fprintf(stderr, "\n  %s\n", sbx_last_error(sbx));
		CU_ASSERT_PTR_NOT_NULL(
			strstr(sbx_last_error(sbx), "calling process"));
	}
	CU_ASSERT_EQUAL(r, -EMFILE);
	while (n > 0)
		close(extra[--n]);
	free(extra);
	setrlimit(RLIMIT_NOFILE, &saved);
	CU_ASSERT_EQUAL(tl_count_fds(), fds);
	CU_ASSERT_EQUAL(run_true(sbx), 0);
	CU_ASSERT_EQUAL(tl_count_fds(), fds);
	sbx_destroy(sbx);
	CU_ASSERT_EQUAL(count_zombie_children(), 0);
}

static CU_TestInfo supervisor_tests[] = {
	{ "dies before the config, SIGPIPE at SIG_DFL", test_sigpipe },
	{ "not a supervisor: dir, mode, missing, device, /bin/true",
	  test_bad_supervisor },
	{ "failing execs leak nothing", test_failed_exec_leaks },
	CU_TEST_INFO_NULL,
};

static CU_TestInfo fds_tests[] = {
	{ "small soft RLIMIT_NOFILE", test_small_nofile },
	{ "caller out of descriptors", test_caller_out_of_fds },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "supervisor", NULL, NULL, NULL, NULL, supervisor_tests },
	{ "fds", NULL, NULL, NULL, NULL, fds_tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	/* SIGPIPE is test_sigpipe's (its child restores SIG_DFL): the
	 * others judge what is left, and must live to see it */
	signal(SIGPIPE, SIG_IGN);
	return tl_main(suites);
}
