/* test-lifecycle.c - attacks on the end of a sandbox: processes that try
 * to outlive the wall-clock limit, the program, the caller or the
 * supervisor.  Each test fails if a process of the sandbox is left on the
 * host, counted from the host by a marker in its command line. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "live.h"

/* How long the host waits for a sandbox's processes to be gone: the
 * kernel tears a PID namespace down at once, so this is only a margin for
 * a loaded machine. */
#define GONE_MS 10000

static sbx_t *start(const char *const *argv, uint64_t wall_ms)
{
	sbx_t *sbx = NULL;
	int i;

	if (sbx_create(&sbx) < 0)
		return NULL;
	live_setup(sbx);
	if (wall_ms)
		sbx_limit(sbx, SBX_LIMIT_WALL_MS, wall_ms);
	for (i = 0; i < 3; i++)
		sbx_set_stdio(sbx, i, SBX_STDIO_NULL, -1);
	if (sbx_exec(sbx, argv) < 0) {
		fprintf(stderr, "\n  sbx_exec: %s\n", sbx_last_error(sbx));
		sbx_destroy(sbx);
		return NULL;
	}
	return sbx;
}

static void configure(sbx_t *sbx, void *arg)
{
	(void)arg;
	live_setup(sbx);
}

/* The supervisor of a sandbox this process (or pid) started. */
static pid_t supervisor_of(pid_t pid)
{
	pid_t sup = live_child_of(pid);
	char path[64], *cmd;
	int ok;

	if (sup <= 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)sup);
	cmd = tl_read_file(path);
	ok = cmd && strstr(cmd, "sbx-supervisor");
	free(cmd);
	return ok ? sup : -1;
}

/* Gone, or a zombie nobody has reaped yet: either way not running. */
static int process_gone(pid_t pid, int ms)
{
	char path[64], *stat;
	int gone;

	for (;;) {
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
		stat = tl_read_file(path);
		gone = !stat || strstr(stat, ") Z ") || strstr(stat, ") X ");
		free(stat);
		if (gone || ms <= 0)
			return gone;
		usleep(50000);
		ms -= 50;
	}
}

/* The program leaves a double-forked, setsid()'d grandchild that ignores
 * every signal it can, and never ends itself: the wall-clock limit must
 * take both. */
static void test_timeout_grandchild(void)
{
	const char *marker = live_marker("timeout");
	const char *argv[] = { LIVE_TRY_ESCAPE, "daemon", marker, NULL };
	sbx_t *sbx = start(argv, 6000);
	int r;

	CU_ASSERT_PTR_NOT_NULL_FATAL(sbx);
	/* the attack is in place before the limit: the program and its
	 * grandchild */
	CU_ASSERT(live_wait_count_atleast(marker, 2, 5000) >= 2);
	r = live_wait_done(sbx, 30000);
	CU_ASSERT_EQUAL(r, 0);
	if (r == 0) {
		CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_STATUS),
				SBX_STATUS_TIMEOUT);
		CU_ASSERT(sbx_result(sbx, SBX_RESULT_WALL_MS) >= 6000);
	}
	/* the host's check: nothing of the sandbox is left */
	CU_ASSERT_EQUAL(live_wait_count(marker, 0, GONE_MS), 0);
	sbx_destroy(sbx);
	live_kill_marked(marker);
}

/* The program ends at once, leaving the grandchild behind: the run ends
 * with the program, and the grandchild with it. */
static void test_program_exit_grandchild(void)
{
	const char *marker = live_marker("exit");
	const char *argv[] = { LIVE_TRY_ESCAPE, "daemon", marker, "exit",
			       NULL };
	struct tl_run r;

	tl_run_argv(&r, configure, NULL, argv);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(r.exit_code, 0);
	/* the grandchild was forked before this line was printed */
	CU_ASSERT_EQUAL(live_int(r.out, "daemon", -1), 0);
	CU_ASSERT_EQUAL(live_wait_count(marker, 0, GONE_MS), 0);
	tl_run_free(&r);
	live_kill_marked(marker);
}

/* A caller process starts a sandbox (with a daemonized grandchild in it)
 * and is killed with SIGKILL: no cleanup of its own runs.  The sandbox and
 * its supervisor must not outlive it. */
static void caller_main(const char *marker, int report)
{
	const char *argv[] = { LIVE_TRY_ESCAPE, "daemon", marker, NULL };
	sbx_t *sbx = start(argv, 0);
	char c = sbx ? 's' : 'f';

	if (write(report, &c, 1) != 1)
		_exit(1);
	for (;;)
		pause();
}

static void test_killed_caller(void)
{
	const char *marker = live_marker("caller");
	pid_t caller, sup;
	int p[2], st;
	char c = 0;

	CU_ASSERT_EQUAL_FATAL(pipe(p), 0);
	caller = fork();
	CU_ASSERT_FATAL(caller >= 0);
	if (caller == 0) {
		close(p[0]);
		caller_main(marker, p[1]);
	}
	close(p[1]);
	CU_ASSERT_EQUAL(read(p[0], &c, 1), 1);
	close(p[0]);
	CU_ASSERT_EQUAL(c, 's');
	CU_ASSERT(live_wait_count_atleast(marker, 2, 10000) >= 2);
	sup = supervisor_of(caller);
	CU_ASSERT(sup > 0);

	kill(caller, SIGKILL);
	waitpid(caller, &st, 0);
	CU_ASSERT_EQUAL(live_wait_count(marker, 0, GONE_MS), 0);
	if (sup > 0)
		CU_ASSERT(process_gone(sup, GONE_MS));
	live_kill_marked(marker);
}

/* The supervisor itself is killed: the sandbox dies with it, the caller
 * learns that there is no result, and the cgroup the supervisor could not
 * remove is gone when the caller has learnt it. */
static void test_killed_supervisor(void)
{
	const char *marker = live_marker("supervisor");
	const char *argv[] = { LIVE_TRY_ESCAPE, "daemon", marker, NULL };
	sbx_t *sbx = start(argv, 0);
	pid_t sup;
	int r;

	CU_ASSERT_PTR_NOT_NULL_FATAL(sbx);
	CU_ASSERT(live_wait_count_atleast(marker, 2, 10000) >= 2);
	sup = supervisor_of(getpid());
	CU_ASSERT_FATAL(sup > 0);
	kill(sup, SIGKILL);
	r = live_wait_done(sbx, 30000);
	CU_ASSERT_EQUAL(r, -EPROTO);
	CU_ASSERT_EQUAL(live_wait_count(marker, 0, GONE_MS), 0);
	CU_ASSERT_EQUAL(tl_count_cgroups(sup), 0);
	sbx_destroy(sbx);
	live_kill_marked(marker);
}

static CU_TestInfo lifecycle_tests[] = {
	{ "wall timeout with a setsid() grandchild", test_timeout_grandchild },
	{ "program exits, grandchild left behind",
	  test_program_exit_grandchild },
	{ "caller killed with SIGKILL", test_killed_caller },
	{ "supervisor killed with SIGKILL", test_killed_supervisor },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "lifecycle", NULL, NULL, NULL, NULL, lifecycle_tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tl_main(suites);
}
