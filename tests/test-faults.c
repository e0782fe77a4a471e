/* test-faults.c - the library under faults that are not the program's
 * doing: a supervisor that dies, is missing or is not one, a caller out
 * of descriptors or killed, a full disk during the apply, a read-only
 * /tmp.  Each is judged from the host: the caller lives and gets an
 * error, and nothing (process, zombie, descriptor, directory) is left. */
#include <dirent.h>
#include <glob.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
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

/* Gone, or a zombie its new parent has not reaped yet: not running. */
static int not_running(pid_t pid, int ms)
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
	/* a run first: its supervisor is what a failing exec left unreaped;
	 * two: what a process keeps for all its runs (hostinfo.c's watch of
	 * /etc, set up at the second) is there before the count */
	CU_ASSERT_EQUAL(run_true(sbx), 0);
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
	free(dir);
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

/* Whether fn, run in a forked child (whose rlimits it may lower), returns
 * 0. */
static int child_passes(int (*fn)(void))
{
	pid_t pid = fork();
	int st = 0;

	if (pid < 0)
		return 0;
	if (pid == 0)
		_exit(fn());
	waitpid(pid, &st, 0);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* Run argv to its exit and keep its stdout, NUL-terminated (the
 * library's buffer is not); 0, or -1 after saying why on stderr. */
static int run_text(sbx_t *sbx, const char *const *argv, char *buf,
		    size_t size)
{
	const char *out;
	size_t len;
	int r;

	sbx_set_stdio(sbx, 1, SBX_STDIO_CAPTURE, -1);
	r = sbx_exec(sbx, argv);
	if (r == 0)
		r = sbx_wait(sbx);
	if (r < 0 || sbx_result(sbx, SBX_RESULT_STATUS) != SBX_STATUS_EXITED ||
	    sbx_output(sbx, 1, &out, &len) < 0) {
		fprintf(stderr, "\n  %d: %s %s\n", r, sbx_last_error(sbx),
			sbx_result_message(sbx) ? sbx_result_message(sbx)
						: "");
		return -1;
	}
	snprintf(buf, size, "%.*s", (int)len, out);
	return 0;
}

/* ------------------------------------------------------- descriptors */

static int nofile_child(void)
{
	const char *argv[] = { "/bin/sh", "-c", "ulimit -Sn", NULL };
	struct rlimit rl;
	char out[64];
	sbx_t *sbx;

	/* the supervisor needs more than this to build a sandbox */
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = (rlim_t)tl_count_fds() + 10;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 2;
	if (sbx_create(&sbx) < 0)
		return 2;
	/* no limit of its own: the program gets the caller's */
	sbx_limit(sbx, SBX_LIMIT_NOFILE, 0);
	if (run_text(sbx, argv, out, sizeof(out)) < 0)
		return 1;
	if (strtoull(out, NULL, 10) != (unsigned long long)rl.rlim_cur) {
		fprintf(stderr, "\n  the program's soft limit: %s, the "
				"caller's %llu\n",
			out, (unsigned long long)rl.rlim_cur);
		return 1;
	}
	sbx_destroy(sbx);
	return 0;
}

/* A caller with a small soft RLIMIT_NOFILE: the supervisor must not run
 * out halfway, and the program gets the caller's limit back. */
static void test_small_nofile(void)
{
	CU_ASSERT(child_passes(nofile_child));
}

/* A caller whose hard RLIMIT_NOFILE is below the sandbox's limit (the
 * default 1024, or one asked for): the program runs under the caller's
 * hard limit, a stricter cap, instead of the run failing at "rlimit". */
static int low_hard_nofile_child(void)
{
	const char *argv[] = { "/bin/sh", "-c", "ulimit -Hn; ulimit -Sn",
			       NULL };
	struct rlimit rl = { 512, 512 };
	uint64_t asked[] = { 1024, 4096, 100 }, want;
	unsigned long long hard, soft;
	char out[64];
	size_t i;
	sbx_t *sbx;

	if (setrlimit(RLIMIT_NOFILE, &rl) < 0 || sbx_create(&sbx) < 0)
		return 2;
	for (i = 0; i < sizeof(asked) / sizeof(asked[0]); i++) {
		want = asked[i] < 512 ? asked[i] : 512;
		if (i && sbx_limit(sbx, SBX_LIMIT_NOFILE, asked[i]) < 0)
			return 2;
		if (run_text(sbx, argv, out, sizeof(out)) < 0)
			return 1;
		if (sscanf(out, "%llu %llu", &hard, &soft) != 2 ||
		    hard != want || soft != want) {
			fprintf(stderr, "\n  nofile %llu under a hard 512: "
					"%s\n",
				(unsigned long long)asked[i], out);
			return 1;
		}
	}
	sbx_destroy(sbx);
	return 0;
}

static void test_low_hard_nofile(void)
{
	CU_ASSERT(child_passes(low_hard_nofile_child));
}

/* A caller whose hard RLIMIT_CPU (3 s) is below the sandbox's CPU time
 * limit: the run stops at a CPU limit under the caller's, and says so
 * (status cpu_limit, the limit that held), not as a bare SIGKILL from the
 * kernel; a hard RLIMIT_NOFILE of 512 is the nofile the result names. */
static int low_hard_cpu_child(void)
{
	const char *argv[] = { "/bin/sh", "-c", "while :; do :; done", NULL };
	struct rlimit cpu = { 3, 3 }, nofile = { 512, 512 };
	const char *json;
	sbx_t *sbx;
	int r;

	if (setrlimit(RLIMIT_CPU, &cpu) < 0 ||
	    setrlimit(RLIMIT_NOFILE, &nofile) < 0 || sbx_create(&sbx) < 0)
		return 2;
	/* 20 s of CPU and 120 s of wall clock asked for */
	if (sbx_limit(sbx, SBX_LIMIT_CPU_MS, 20000) < 0 ||
	    sbx_limit(sbx, SBX_LIMIT_WALL_MS, 120000) < 0)
		return 2;
	r = sbx_exec(sbx, argv);
	if (r == 0)
		r = sbx_wait(sbx);
	json = sbx_result_json(sbx);
	if (r < 0 ||
	    sbx_result(sbx, SBX_RESULT_STATUS) != SBX_STATUS_CPU_LIMIT ||
	    !json || !strstr(json, "\"cpu_ms\":{\"value\":2000,") ||
	    !strstr(json, "\"nofile\":{\"value\":512,")) {
		fprintf(stderr, "\n  --cpu 20s under a hard RLIMIT_CPU of 3 s: "
				"%s\n  %s\n",
			sbx_result_message(sbx) ? sbx_result_message(sbx)
						: sbx_last_error(sbx),
			json ? json : "(no result)");
		return 1;
	}
	sbx_destroy(sbx);
	return 0;
}

static void test_low_hard_cpu(void)
{
	CU_ASSERT(child_passes(low_hard_cpu_child));
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
	/* two runs first: an unprivileged caller's second one sets up the
	 * one descriptor the library keeps per process (sandbox.h) */
	CU_ASSERT_EQUAL(run_true(sbx), 0);
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

/* ------------------------------------------------- runs without namespaces */

/* Directories of degraded runs in the places they may be. */
static int count_degraded_dirs(void)
{
	static const char *const pats[] = { "/tmp/sbx-degraded-*",
					    "/var/tmp/sbx-degraded-*",
					    "/dev/shm/sbx-degraded-*" };
	size_t i;
	int n = 0;

	for (i = 0; i < LIVE_N(pats); i++) {
		glob_t g;

		if (glob(pats[i], 0, NULL, &g) == 0)
			n += (int)g.gl_pathc;
		globfree(&g);
	}
	return n;
}

static void degraded_config(sbx_t *sbx)
{
	int i;

	sbx_set_flag(sbx, SBX_FLAG_ALLOW_DEGRADED, 1);
	sbx_limit(sbx, SBX_LIMIT_WALL_MS, LIVE_WALL_MS);
	for (i = 0; i < 3; i++)
		sbx_set_stdio(sbx, i, SBX_STDIO_NULL, -1);
}

/* The caller of test_degraded_killed_supervisor: starts a program and
 * its setsid() grandchild, says "S<supervisor pid>", and waits. */
static void killed_sup_caller(int out, void *arg)
{
	const char *marker = arg;
	char script[512], line[64];
	const char *argv[] = { "/bin/bash", "-c", script, NULL };
	sbx_t *sbx;
	int r;

	snprintf(script, sizeof(script),
		 "(setsid bash -c 'exec -a %s sleep 1000' &); "
		 "exec -a %s sleep 1000",
		 marker, marker);
	if (sbx_create(&sbx) < 0)
		_exit(6);
	degraded_config(sbx);
	if (sbx_exec(sbx, argv) < 0) {
		dprintf(out, "E%s\n", sbx_last_error(sbx));
		_exit(7);
	}
	snprintf(line, sizeof(line), "S%d\n", (int)live_child_of(getpid()));
	if (write(out, line, strlen(line)) < 0)
		_exit(8);
	r = sbx_wait(sbx);
	dprintf(out, "W%d %s\n", r, sbx_last_error(sbx));
	sbx_destroy(sbx);
}

/*
 * A run without namespaces has no PID namespace to die with its
 * supervisor.  SIGKILL the supervisor: from the host, the program and
 * its grandchild must be gone within a second or so, and the run's
 * directory in /tmp must not stay behind.
 */
static void test_degraded_killed_supervisor(void)
{
	const char *marker = live_marker("degraded");
	int dirs = count_degraded_dirs(), in, st;
	char *text;
	pid_t caller, sup = -1;
	char buf[256];
	ssize_t n;

	caller = tl_start_nouserns(NULL, killed_sup_caller, (void *)marker,
				       &in);
	if (caller < 0) {
		tl_skip("cannot make a user namespace to disable them in");
		return;
	}
	n = read(in, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	if (buf[0] != 'S') {
		close(in);
		waitpid(caller, &st, 0);
		if (strstr(buf, "Landlock")) {
			tl_skip("no degraded runs here: %s", buf + 1);
			return;
		}
		fprintf(stderr, "\n  caller: %s\n", buf);
		CU_FAIL_FATAL("the degraded run did not start");
	}
	sup = (pid_t)atoi(buf + 1);
	CU_ASSERT(live_wait_count_atleast(marker, 2, 10000) >= 2);
	CU_ASSERT_EQUAL(count_degraded_dirs(), dirs + 1);
	CU_ASSERT_FATAL(sup > 0);
	kill(sup, SIGKILL);
	/* the program and its grandchild: at once (a margin for a busy
	 * machine) */
	CU_ASSERT_EQUAL(live_wait_count(marker, 0, 3000), 0);
	text = tl_read_fd(in);
	close(in);
	waitpid(caller, &st, 0);
	if (text && !strstr(text, "W-71"))
		fprintf(stderr, "\n  caller: %s\n", text);
	CU_ASSERT_PTR_NOT_NULL(text ? strstr(text, "W-71") : NULL);
	free(text);
	CU_ASSERT_EQUAL(count_degraded_dirs(), dirs);
	live_kill_marked(marker);
}

/* A degraded run, its result in JSON and the message, to out. */
static void one_degraded_run(int out, void *arg)
{
	const char *argv[] = { "/bin/sh", "-c", "echo hi > \"$TMPDIR/f\" && "
						"cat \"$TMPDIR/f\"",
			       NULL };
	sbx_t *sbx;
	const char *o;
	size_t len;
	int r;

	(void)arg;
	unsetenv("TMPDIR");
	if (sbx_create(&sbx) < 0)
		_exit(6);
	degraded_config(sbx);
	sbx_set_stdio(sbx, 1, SBX_STDIO_CAPTURE, -1);
	r = sbx_exec(sbx, argv);
	if (r == 0)
		r = sbx_wait(sbx);
	dprintf(out, "rc=%d\nstatus=%lld\nerr=%s\nmsg=%s\n", r,
		(long long)sbx_result(sbx, SBX_RESULT_STATUS),
		sbx_last_error(sbx),
		sbx_result_message(sbx) ? sbx_result_message(sbx) : "");
	if (sbx_output(sbx, 1, &o, &len) == 0)
		dprintf(out, "out=%.*s", (int)len, o);
	sbx_destroy(sbx);
}

static char *degraded_run_with_ro(const char *const *ro, int *ret_ok)
{
	int in, st;
	pid_t pid = tl_start_nouserns(ro, one_degraded_run, NULL, &in);
	char *text;

	*ret_ok = pid > 0;
	if (pid < 0)
		return NULL;
	text = tl_read_fd(in);
	close(in);
	waitpid(pid, &st, 0);
	return text;
}

/* /tmp is read-only (in a mount namespace of the test's own): a run
 * without namespaces keeps its /tmp and home in /var/tmp instead, and
 * leaves nothing there. */
static void test_degraded_ro_tmp(void)
{
	const char *ro[] = { "/tmp", NULL };
	int dirs = count_degraded_dirs(), ok;
	char *text;

	if (getuid() != 0) {
		tl_skip("needs root for a private mount namespace");
		return;
	}
	text = degraded_run_with_ro(ro, &ok);
	if (!ok || !text || !text[0]) {
		free(text);
		tl_skip("cannot make a user namespace to disable them in");
		return;
	}
	if (strstr(text, "Landlock ABI")) {
		tl_skip("no degraded runs here: %s", text);
		free(text);
		return;
	}
	if (!strstr(text, "out=hi"))
		fprintf(stderr, "\n  %s\n", text);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "rc=0\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "out=hi"));
	free(text);
	CU_ASSERT_EQUAL(count_degraded_dirs(), dirs);
}

/* None of the places is writable: the run is refused with a message
 * that names each and what to do. */
static void test_degraded_no_tmp(void)
{
	const char *ro[] = { "/tmp", "/var/tmp", "/dev/shm", NULL };
	int ok;
	char *text;

	if (getuid() != 0) {
		tl_skip("needs root for a private mount namespace");
		return;
	}
	text = degraded_run_with_ro(ro, &ok);
	if (!ok || !text || !text[0]) {
		free(text);
		tl_skip("cannot make a user namespace to disable them in");
		return;
	}
	if (strstr(text, "Landlock ABI")) {
		tl_skip("no degraded runs here: %s", text);
		free(text);
		return;
	}
	if (!strstr(text, "/var/tmp: Read-only") || !strstr(text, "TMPDIR"))
		fprintf(stderr, "\n  %s\n", text);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "rc=0\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "/tmp: Read-only file system"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "/var/tmp: Read-only"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "/dev/shm: Read-only"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "set TMPDIR"));
	free(text);
}

/* The caller of test_degraded_signal: a program that answers SIGTERM,
 * sbx_signal(SIGTERM) once it is ready, and what came of it. */
static void signal_caller(int out, void *arg)
{
	const char *argv[] = { "/bin/sh", "-c",
			       "trap 'echo TERM; exit 3' TERM; echo ready; "
			       "while :; do sleep 0.1; done",
			       NULL };
	char buf[64] = "";
	int p[2], r, i;
	ssize_t n;
	sbx_t *sbx;

	(void)arg;
	if (pipe2(p, O_CLOEXEC) < 0 || sbx_create(&sbx) < 0)
		_exit(6);
	degraded_config(sbx);
	sbx_set_stdio(sbx, 1, SBX_STDIO_FD, p[1]);
	if (sbx_exec(sbx, argv) < 0) {
		dprintf(out, "E%s\n", sbx_last_error(sbx));
		_exit(7);
	}
	close(p[1]);
	n = read(p[0], buf, 6);
	if (n != 6 || strncmp(buf, "ready\n", 6) != 0)
		dprintf(out, "Enot ready: %.*s\n", (int)(n > 0 ? n : 0), buf);
	r = sbx_signal(sbx, SIGTERM);
	/* the trap runs after sleep's 0.1 s */
	for (i = 0; i < 3; i++)
		n = read(p[0], buf, sizeof(buf) - 1);
	(void)n;
	r = r < 0 ? r : sbx_wait(sbx);
	dprintf(out, "W%d exit=%lld signal=%lld\n", r,
		(long long)sbx_result(sbx, SBX_RESULT_EXIT_CODE),
		(long long)sbx_result(sbx, SBX_RESULT_SIGNAL));
	sbx_destroy(sbx);
}

/*
 * sbx_signal() without namespaces: SIGTERM reaches the program, which
 * handles it as it would in a full sandbox (exit status 3 from its
 * trap), rather than ending every process of the run with SIGKILL.
 */
static void test_degraded_signal(void)
{
	char *text;
	int in, st;
	pid_t caller;

	caller = tl_start_nouserns(NULL, signal_caller, NULL, &in);
	if (caller < 0) {
		tl_skip("cannot make a user namespace to disable them in");
		return;
	}
	text = tl_read_fd(in);
	close(in);
	waitpid(caller, &st, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	if (text[0] == 'E' && strstr(text, "Landlock")) {
		tl_skip("no degraded runs here: %s", text + 1);
		free(text);
		return;
	}
	if (!strstr(text, "W0 exit=3 signal=0"))
		fprintf(stderr, "\n  caller: %s\n", text);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "W0 exit=3 signal=0"));
	free(text);
}

static CU_TestInfo degraded_tests[] = {
	{ "supervisor killed: nothing left", test_degraded_killed_supervisor },
	{ "/tmp read-only: another place", test_degraded_ro_tmp },
	{ "no writable place: a clear refusal", test_degraded_no_tmp },
	{ "sbx_signal(SIGTERM) reaches the program", test_degraded_signal },
	CU_TEST_INFO_NULL,
};

/* ------------------------------------------------- a full disk at the apply */

static void full_disk_child(int out, void *arg)
{
	const char *ws = arg;
	const char *argv[] = {
		"/bin/sh", "-c",
		"echo new > keep.txt; echo small > a.txt; "
		"head -c 700000 /dev/zero > big1; "
		"head -c 700000 /dev/zero > big2",
		NULL
	};
	const char *json, *p;
	sbx_t *sbx;
	int r;

	if (unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("tmpfs", ws, "tmpfs", 0, "size=1M,mode=0755") < 0) {
		dprintf(out, "setup=%s\n", strerror(errno));
		return;
	}
	{
		char path[512];

		snprintf(path, sizeof(path), "%s/keep.txt", ws);
		tl_write_file(path, "old\n");
	}
	if (sbx_create(&sbx) < 0)
		return;
	sbx_set_workspace(sbx, ws, SBX_WORKSPACE_RW);
	sbx_limit(sbx, SBX_LIMIT_WALL_MS, LIVE_WALL_MS);
	r = sbx_exec(sbx, argv);
	if (r == 0)
		r = sbx_wait(sbx);
	dprintf(out, "rc=%d\nstatus=%lld\nchanges=%lld\nunapplied=%lld\n", r,
		(long long)sbx_result(sbx, SBX_RESULT_STATUS),
		(long long)sbx_result(sbx, SBX_RESULT_WORKSPACE_CHANGES),
		(long long)sbx_result(sbx, SBX_RESULT_UNAPPLIED));
	json = sbx_result_json(sbx);
	p = json ? strstr(json, "\"unapplied_dir\":\"") : NULL;
	if (p)
		dprintf(out, "dir=%.*s\n", (int)strcspn(p + 17, "\""), p + 17);
	dprintf(out, "msg=%s\n",
		sbx_result_message(sbx) ? sbx_result_message(sbx) : "");
	/* what the workspace holds now, as the host sees it */
	{
		DIR *d = opendir(ws);
		struct dirent *e;
		int files = 0;

		while (d && (e = readdir(d))) {
			if (e->d_name[0] == '.' &&
			    strncmp(e->d_name, ".sbx-apply", 10) != 0)
				continue;
			if (strncmp(e->d_name, ".sbx-apply", 10) == 0)
				dprintf(out, "leftover=%s\n", e->d_name);
			files++;
		}
		if (d)
			closedir(d);
		dprintf(out, "files=%d\n", files);
	}
	sbx_destroy(sbx);
	umount2(ws, MNT_DETACH);
}

/*
 * The copy-on-write workspace is a 1 MiB tmpfs (in a mount namespace of
 * the test's own) and the program writes more than fits: what was
 * applied is counted, what was not is kept in the caller's own
 * /var/tmp/sbx-unapplied-XXXXXX and named, and the workspace holds no
 * half-written file.
 */
static void test_full_disk_apply(void)
{
	char *ws = tl_tmpdir(), *text, *dir = NULL, path[600];
	int applied, unapplied;
	struct stat sb;

	if (getuid() != 0) {
		tl_skip("needs root for a tmpfs in a private mount namespace");
		tl_rmrf(ws);
		free(ws);
		return;
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(ws);
	text = tl_child_output(full_disk_child, ws);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	if (live_value(text, "setup")) {
		tl_skip("no tmpfs in a mount namespace: %s",
			live_value(text, "setup"));
		free(text);
		tl_rmrf(ws);
		free(ws);
		return;
	}
	if (!live_value(text, "dir") || live_int(text, "files", -1) != 3)
		fprintf(stderr, "\n%s\n", text);
	CU_ASSERT_EQUAL(live_int(text, "rc", -1), 0);
	CU_ASSERT_EQUAL(live_int(text, "status", -1), SBX_STATUS_EXITED);
	/* keep.txt, a.txt and one of the big files fit; the other does not */
	applied = live_int(text, "changes", -1);
	unapplied = live_int(text, "unapplied", -1);
	CU_ASSERT_EQUAL(unapplied, 1);
	CU_ASSERT_EQUAL(applied, 3);
	CU_ASSERT_EQUAL(live_int(text, "files", -1), 3);
	CU_ASSERT_PTR_NULL(live_value(text, "leftover"));
	if (live_value(text, "dir"))
		dir = strdup(live_value(text, "dir"));
	CU_ASSERT_PTR_NOT_NULL(dir);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "kept in /var/tmp/sbx-unapplied-"));
	if (dir) {
		CU_ASSERT_EQUAL(strncmp(dir, "/var/tmp/sbx-unapplied-", 23), 0);
		CU_ASSERT_EQUAL(lstat(dir, &sb), 0);
		CU_ASSERT(S_ISDIR(sb.st_mode));
		CU_ASSERT_EQUAL(sb.st_mode & 07777, 0700);
		CU_ASSERT_EQUAL(sb.st_uid, getuid());
		/* the file that did not fit, whole */
		snprintf(path, sizeof(path), "%s/big1", dir);
		if (lstat(path, &sb) < 0) {
			snprintf(path, sizeof(path), "%s/big2", dir);
			lstat(path, &sb);
		}
		CU_ASSERT_EQUAL(sb.st_size, 700000);
		if (strncmp(dir, "/var/tmp/sbx-unapplied-", 23) == 0)
			tl_rmrf(dir);
	}
	free(dir);
	free(text);
	tl_rmrf(ws);
	free(ws);
}

/* Whether the supervisor sup is writing into ws: a hidden temporary name
 * there, or a descriptor of its own below it (an O_TMPFILE file). */
static int applying(pid_t sup, const char *ws)
{
	char path[64], target[4096];
	struct dirent *e;
	DIR *d = opendir(ws);
	int found = 0;

	while (d && (e = readdir(d)))
		found |= strncmp(e->d_name, ".sbx-apply", 10) == 0;
	if (d)
		closedir(d);
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)sup);
	d = opendir(path);
	while (!found && d && (e = readdir(d))) {
		char fd[400];
		ssize_t n;

		snprintf(fd, sizeof(fd), "%s/%s", path, e->d_name);
		n = readlink(fd, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		found = strncmp(target, ws, strlen(ws)) == 0 &&
			target[strlen(ws)] == '/';
	}
	if (d)
		closedir(d);
	return found;
}

/*
 * The supervisor is SIGKILLed in the middle of the apply, while it
 * copies a 64 MiB file into the workspace: the workspace holds the old
 * state or the complete file, never a half-written one under any name.
 */
static void test_killed_apply(void)
{
	const char *argv[] = { "/bin/sh", "-c",
			       "head -c 67108864 /dev/zero > big", NULL };
	char *ws = tl_tmpdir(), path[600];
	struct dirent *e;
	struct stat st;
	sbx_t *sbx;
	pid_t sup;
	int i, caught = 0;
	DIR *d;

	CU_ASSERT_PTR_NOT_NULL_FATAL(ws);
	CU_ASSERT_EQUAL_FATAL(sbx_create(&sbx), 0);
	sbx_set_workspace(sbx, ws, SBX_WORKSPACE_RW);
	sbx_limit(sbx, SBX_LIMIT_DISK, 128ull << 20);
	sbx_limit(sbx, SBX_LIMIT_WALL_MS, LIVE_WALL_MS);
	for (i = 0; i < 3; i++)
		sbx_set_stdio(sbx, i, SBX_STDIO_NULL, -1);
	CU_ASSERT_EQUAL_FATAL(sbx_exec(sbx, argv), 0);
	sup = live_child_of(getpid());
	CU_ASSERT_FATAL(sup > 0);
	/* poll until the copy is under way (at most 60 s) */
	for (i = 0; i < 60000 && !caught; i++) {
		caught = applying(sup, ws);
		if (!caught && !not_running(sup, 0))
			usleep(1000);
		else if (!caught)
			break;
	}
	if (caught)
		kill(sup, SIGKILL);
	CU_ASSERT_EQUAL(live_wait_done(sbx, 30000), caught ? -EPROTO : 0);
	sbx_destroy(sbx);
	d = opendir(ws);
	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", ws, e->d_name);
		CU_ASSERT_EQUAL(lstat(path, &st), 0);
		if (strcmp(e->d_name, "big") != 0 || st.st_size != 64 << 20)
			fprintf(stderr, "\n  left in the workspace: %s, %lld "
					"bytes\n",
				e->d_name, (long long)st.st_size);
		CU_ASSERT_STRING_EQUAL(e->d_name, "big");
		CU_ASSERT_EQUAL(st.st_size, 64 << 20);
	}
	if (d)
		closedir(d);
	tl_rmrf(ws);
	free(ws);
	if (!caught)
		tl_skip("the apply ended before it could be caught");
}

static CU_TestInfo apply_tests[] = {
	{ "full disk: counted, kept, nothing half-written",
	  test_full_disk_apply },
	{ "supervisor killed mid-apply: nothing half-written",
	  test_killed_apply },
	CU_TEST_INFO_NULL,
};

/* ------------------------------------------------ killed caller, supervisor */

/* How long the host waits for a sandbox's processes and cgroup to go:
 * the kernel ends a PID namespace at once; a margin for a busy machine. */
#define GONE_MS 3000
/* And for the supervisor's cleanup after them (the cgroup). */
#define CLEANUP_MS 10000

static int wait_cgroups_gone(pid_t sup, int ms)
{
	int n;

	while ((n = tl_count_cgroups(sup)) != 0 && ms > 0) {
		usleep(100000);
		ms -= 100;
	}
	return n;
}

static sbx_t *start_daemon(const char *marker)
{
	const char *argv[] = { LIVE_TRY_ESCAPE, "daemon", marker, NULL };
	sbx_t *sbx = NULL;
	int i;

	if (sbx_create(&sbx) < 0)
		return NULL;
	live_setup(sbx);
	for (i = 0; i < 3; i++)
		sbx_set_stdio(sbx, i, SBX_STDIO_NULL, -1);
	if (sbx_exec(sbx, argv) < 0) {
		fprintf(stderr, "\n  sbx_exec: %s\n", sbx_last_error(sbx));
		sbx_destroy(sbx);
		return NULL;
	}
	return sbx;
}

/* A forked caller runs a sandbox (a program and its setsid() grandchild)
 * and is SIGKILLed: no cleanup of its own runs.  From the host: the
 * sandbox's processes and supervisor go at once, and its cgroup. */
static void test_killed_caller(void)
{
	const char *marker = live_marker("faults-caller");
	pid_t caller, sup = -1;
	int p[2], st;
	char buf[32] = "";

	CU_ASSERT_EQUAL_FATAL(pipe(p), 0);
	fflush(NULL);
	caller = fork();
	CU_ASSERT_FATAL(caller >= 0);
	if (caller == 0) {
		sbx_t *sbx = start_daemon(marker);

		close(p[0]);
		dprintf(p[1], "%d\n", sbx ? (int)live_child_of(getpid()) : -1);
		for (;;)
			pause();
	}
	close(p[1]);
	if (read(p[0], buf, sizeof(buf) - 1) > 0)
		sup = (pid_t)atoi(buf);
	close(p[0]);
	CU_ASSERT_FATAL(sup > 0);
	CU_ASSERT(live_wait_count_atleast(marker, 2, 10000) >= 2);
	CU_ASSERT(tl_count_cgroups(sup) >= 0);

	kill(caller, SIGKILL);
	waitpid(caller, &st, 0);
	CU_ASSERT_EQUAL(live_wait_count(marker, 0, GONE_MS), 0);
	CU_ASSERT_EQUAL(live_wait_count(marker, 0, 0), 0);
	/* the supervisor removes the cgroup before it exits */
	CU_ASSERT(not_running(sup, CLEANUP_MS));
	CU_ASSERT_EQUAL(wait_cgroups_gone(sup, CLEANUP_MS), 0);
	live_kill_marked(marker);
}

/* The supervisor is SIGKILLed mid-run: the caller gets an error (and
 * lives), the sandbox's processes go at once, and its cgroup once the
 * caller has learnt it. */
static void test_killed_supervisor(void)
{
	const char *marker = live_marker("faults-supervisor");
	sbx_t *sbx;
	int fds;
	pid_t sup;

	/* a run first: what a process keeps for all its runs (hostinfo.c's
	 * watch of /etc) is there before the count */
	CU_ASSERT_EQUAL_FATAL(sbx_create(&sbx), 0);
	CU_ASSERT_EQUAL(run_true(sbx), 0);
	CU_ASSERT_EQUAL(run_true(sbx), 0);
	sbx_destroy(sbx);
	fds = tl_count_fds();
	sbx = start_daemon(marker);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sbx);
	CU_ASSERT(live_wait_count_atleast(marker, 2, 10000) >= 2);
	sup = live_child_of(getpid());
	CU_ASSERT_FATAL(sup > 0);
	kill(sup, SIGKILL);
	CU_ASSERT_EQUAL(live_wait_count(marker, 0, GONE_MS), 0);
	CU_ASSERT_EQUAL(live_wait_done(sbx, 30000), -EPROTO);
	CU_ASSERT_PTR_NOT_NULL(strstr(sbx_last_error(sbx), "signal 9"));
	CU_ASSERT_EQUAL(tl_count_cgroups(sup), 0);
	sbx_destroy(sbx);
	CU_ASSERT_EQUAL(tl_count_fds(), fds);
	CU_ASSERT_EQUAL(count_zombie_children(), 0);
	live_kill_marked(marker);
}

static CU_TestInfo killed_tests[] = {
	{ "caller SIGKILLed mid-run", test_killed_caller },
	{ "supervisor SIGKILLed mid-run", test_killed_supervisor },
	CU_TEST_INFO_NULL,
};

static CU_TestInfo supervisor_tests[] = {
	{ "dies before the config, SIGPIPE at SIG_DFL", test_sigpipe },
	{ "not a supervisor: dir, mode, missing, device, /bin/true",
	  test_bad_supervisor },
	{ "failing execs leak nothing", test_failed_exec_leaks },
	CU_TEST_INFO_NULL,
};

static CU_TestInfo fds_tests[] = {
	{ "small soft RLIMIT_NOFILE", test_small_nofile },
	{ "low hard RLIMIT_NOFILE", test_low_hard_nofile },
	{ "low hard RLIMIT_CPU", test_low_hard_cpu },
	{ "caller out of descriptors", test_caller_out_of_fds },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "supervisor", NULL, NULL, NULL, NULL, supervisor_tests },
	{ "killed", NULL, NULL, NULL, NULL, killed_tests },
	{ "fds", NULL, NULL, NULL, NULL, fds_tests },
	{ "degraded", NULL, NULL, NULL, NULL, degraded_tests },
	{ "apply", NULL, NULL, NULL, NULL, apply_tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	/* SIGPIPE is test_sigpipe's (its child restores SIG_DFL): the
	 * others judge what is left, and must live to see it */
	signal(SIGPIPE, SIG_IGN);
	return tl_main(suites);
}
