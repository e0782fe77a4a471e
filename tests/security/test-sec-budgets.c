/*
 * test-sec-budgets.c - the kernel's per-user budgets (inotify instances,
 * queued signals, ...) are charged to the caller for what the sandbox
 * takes, up the chain of user namespaces.  A hostile program takes all it
 * can; the caller, judged from its own side during the run, must still
 * get an inotify instance and queue a signal.  A control shows that the
 * same program without the sandbox does starve the caller (as the
 * unprivileged caller itself, or as root under an id nobody uses: never
 * root's own budget, which the whole machine shares).  The machine's
 * kernel AIO events (fs.aio-max-nr) are one budget for all: the caller
 * must still get a context while a hostile run holds all it could take.
 * POSIX message queues work in the sandbox (its IPC namespace's own, at
 * /dev/mqueue), and the caller still gets one while the sandbox holds all
 * its RLIMIT_MSGQUEUE allows.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "live.h"
#include "nouserns.h"

#define TRY_BUDGET LIVE_DIR "/try-budget"

/* An id no account and no sandbox uses, for root's control (far from
 * the block a root caller's sandbox maps to). */
#define SPARE_UID 2100000000u

/* The sandbox's limits, as README's Limits section documents them. */
#define DOC_SIGPENDING 256
#define DOC_MSGQUEUE (256 << 10)
#define DOC_MEMLOCK (8 << 20)
#define DOC_INOTIFY_INSTANCES 16
#define DOC_INOTIFY_WATCHES 8192
#define DOC_FANOTIFY_GROUPS 4
#define DOC_FANOTIFY_MARKS 1024

static long read_long(const char *path)
{
	char *s = tl_read_file(path);
	long v = s ? strtol(s, NULL, 10) : -1;

	free(s);
	return v;
}

static long smaller(long a, long b)
{
	return a < 0 ? b : b < 0 ? a : a < b ? a : b;
}

/* min(documented, share of the caller's own) */
static long rl_expect(int resource, long doc)
{
	struct rlimit rl;

	if (getrlimit(resource, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
		return doc;
	return smaller(doc, (long)(rl.rlim_cur / 2) ? (long)(rl.rlim_cur / 2)
						   : 1);
}

static long ucount_expect(const char *user, const char *host, long doc)
{
	long caller = smaller(read_long(user), read_long(host));

	if (caller < 0)
		return doc;
	return smaller(doc, caller / 8 ? caller / 8 : 1);
}

static void bind_helper(sbx_t *sbx)
{
	live_setup(sbx);
	CU_ASSERT_EQUAL(sbx_add_bind(sbx, live_host_path("security/try-budget"),
				     TRY_BUDGET, 0),
			0);
}

/* Read fd until a line "ready=1" (or EOF, or ms pass); the text read. */
static char *read_until_ready(int fd, int ms)
{
	size_t len = 0, cap = 4096;
	char *buf = calloc(1, cap);

	while (buf && ms > 0 && !strstr(buf, "ready=1\n")) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t n;

		if (poll(&p, 1, 100) <= 0) {
			ms -= 100;
			continue;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
	}
	return buf;
}

/* What the caller can still do: 0 or the errno of inotify_init1() and of
 * queueing a realtime signal to itself. */
static void caller_probe(int *ret_inotify, int *ret_signal)
{
	union sigval v = { 0 };
	struct timespec zero = { 0, 0 };
	sigset_t set;
	int fd = inotify_init1(IN_CLOEXEC);

	*ret_inotify = fd < 0 ? errno : 0;
	if (fd >= 0)
		close(fd);
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	*ret_signal = sigqueue(getpid(), SIGRTMIN + 1, v) < 0 ? errno : 0;
	/* take it back: nothing of ours stays pending */
	sigtimedwait(&set, NULL, &zero);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

/* 0 or the errno of a POSIX message queue of the default size made (and
 * removed) by the caller. */
static int caller_mq_probe(void)
{
	char name[64];
	mqd_t q;

	snprintf(name, sizeof(name), "/sbx-test-probe-%d", (int)getpid());
	q = mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, NULL);
	if (q == (mqd_t)-1)
		return errno;
	mq_unlink(name);
	mq_close(q);
	return 0;
}

static void test_caller_keeps_budgets(void)
{
	const char *marker = live_marker("budgets");
	const char *argv[] = { TRY_BUDGET, "budgets", marker, NULL };
	int in_err, sig_err;
	char *out;
	sbx_t *sbx;

	CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
	bind_helper(sbx);
	sbx_set_stdio(sbx, 0, SBX_STDIO_NULL, -1);
	sbx_set_stdio(sbx, 1, SBX_STDIO_PIPE, -1);
	sbx_set_stdio(sbx, 2, SBX_STDIO_CAPTURE, -1);
	CU_ASSERT_EQUAL_FATAL(sbx_exec(sbx, argv), 0);
	out = read_until_ready(sbx_fd(sbx, SBX_FD_STDOUT), 30000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	/* the program took everything it could... */
	CU_ASSERT(strstr(out, "ready=1") != NULL);
	CU_ASSERT_EQUAL(live_int(out, "inotify_errno", 0), EMFILE);
	CU_ASSERT_EQUAL(live_int(out, "signals_errno", 0), EAGAIN);
	/* ...which was the sandbox's own budget, not the caller's */
	CU_ASSERT(live_int(out, "inotify", 1000) <= DOC_INOTIFY_INSTANCES);
	CU_ASSERT(live_int(out, "signals", 100000) <= DOC_SIGPENDING);
	/* and meanwhile the caller still works */
	caller_probe(&in_err, &sig_err);
	if (in_err || sig_err)
		fprintf(stderr, "\n  caller: inotify_init1 %s, sigqueue %s\n"
				"  program: %s\n",
			strerror(in_err), strerror(sig_err), out);
	CU_ASSERT_EQUAL(in_err, 0);
	CU_ASSERT_EQUAL(sig_err, 0);
	CU_ASSERT_EQUAL(sbx_kill(sbx), 0);
	CU_ASSERT_EQUAL(sbx_wait(sbx), 0);
	CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_STATUS), SBX_STATUS_KILLED);
	CU_ASSERT_EQUAL(live_wait_count(marker, 0, 5000), 0);
	free(out);
	sbx_destroy(sbx);
}

/* The control: the same program on the host, and a probe of the same
 * id.  In a child: as root it first becomes SPARE_UID, so that root's own
 * budget is never touched.  It writes "inotify signals mqueue ready" to
 * out: the probes' errnos, and whether the program got ready. */
static void control_child(int out, const char *cmd)
{
	const char *argv[] = { live_host_path("security/try-budget"), cmd,
			       NULL };
	int p[2], in_err, sig_err, mq_err;
	char *text, buf[64];
	pid_t hog;

	if (getuid() == 0 &&
	    (setgroups(0, NULL) < 0 || setresgid(SPARE_UID, SPARE_UID,
						 SPARE_UID) < 0 ||
	     setresuid(SPARE_UID, SPARE_UID, SPARE_UID) < 0))
		_exit(3);
	if (pipe(p) < 0)
		_exit(3);
	hog = fork();
	if (hog == 0) {
		dup2(p[1], 1);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(p[1]);
	text = read_until_ready(p[0], 30000);
	caller_probe(&in_err, &sig_err);
	mq_err = caller_mq_probe();
	kill(hog, SIGKILL);
	waitpid(hog, NULL, 0);
	snprintf(buf, sizeof(buf), "%d %d %d %d\n", in_err, sig_err, mq_err,
		 text && strstr(text, "ready=1") ? 1 : 0);
	if (write(out, buf, strlen(buf)) < 0)
		_exit(4);
	_exit(0);
}

/* Run the control of cmd: 0 and the probes' errnos, or -1 (skipped). */
static int control(const char *cmd, int *ret_in, int *ret_sig, int *ret_mq)
{
	int p[2], st, ready = 0;
	char buf[64] = "";
	ssize_t n;
	pid_t pid;

	CU_ASSERT_FATAL(pipe(p) == 0);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		control_child(p[1], cmd);
	}
	close(p[1]);
	n = read(p[0], buf, sizeof(buf) - 1);
	close(p[0]);
	waitpid(pid, &st, 0);
	if (n <= 0) {
		tl_skip("the control could not run (as uid %u): exit %d",
			getuid() ? getuid() : SPARE_UID,
			WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		return -1;
	}
	buf[n] = '\0';
	CU_ASSERT_EQUAL(sscanf(buf, "%d %d %d %d", ret_in, ret_sig, ret_mq,
			       &ready),
			4);
	if (!ready) {
		/* e.g. a build tree below a directory closed to that id */
		tl_skip("the control's program did not start as uid %u",
			getuid() ? getuid() : SPARE_UID);
		return -1;
	}
	return 0;
}

static void test_control_without_sandbox(void)
{
	int in_err = 0, sig_err = 0, mq_err = 0;

	if (control("budgets", &in_err, &sig_err, &mq_err) < 0)
		return;
	/* without the sandbox the program starves its own user */
	CU_ASSERT_EQUAL(in_err, EMFILE);
	CU_ASSERT_EQUAL(sig_err, EAGAIN);
}

/* POSIX message queues work in the sandbox (before /dev/mqueue, Landlock
 * refused them: EACCES), up to its RLIMIT_MSGQUEUE, and the caller still
 * makes one meanwhile. */
static void test_caller_keeps_mqueue(void)
{
	const char *marker = live_marker("mqueue");
	const char *argv[] = { TRY_BUDGET, "mqueue", marker, NULL };
	char *out;
	sbx_t *sbx;
	int e;

	CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
	bind_helper(sbx);
	sbx_set_stdio(sbx, 0, SBX_STDIO_NULL, -1);
	sbx_set_stdio(sbx, 1, SBX_STDIO_PIPE, -1);
	sbx_set_stdio(sbx, 2, SBX_STDIO_CAPTURE, -1);
	CU_ASSERT_EQUAL_FATAL(sbx_exec(sbx, argv), 0);
	out = read_until_ready(sbx_fd(sbx, SBX_FD_STDOUT), 30000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT(strstr(out, "ready=1") != NULL);
	if (live_int(out, "mqueues", 0) < 1)
		fprintf(stderr, "\n  program: %s\n", out);
	/* they work, one message went through */
	CU_ASSERT(live_int(out, "mqueues", 0) >= 1);
	CU_ASSERT_EQUAL(live_int(out, "mq_sent", 0), 1);
	/* until the sandbox's own budget ran out: bytes (EMFILE), not
	 * the namespace's 16 queues */
	CU_ASSERT_EQUAL(live_int(out, "mq_errno", 0), EMFILE);
	CU_ASSERT(live_int(out, "mqueues", 100) <= DOC_MSGQUEUE / 81920);
	e = caller_mq_probe();
	if (e)
		fprintf(stderr, "\n  caller: mq_open %s\n", strerror(e));
	CU_ASSERT_EQUAL(e, 0);
	CU_ASSERT_EQUAL(sbx_kill(sbx), 0);
	CU_ASSERT_EQUAL(sbx_wait(sbx), 0);
	CU_ASSERT_EQUAL(live_wait_count(marker, 0, 5000), 0);
	free(out);
	sbx_destroy(sbx);
}

/* The control: on the host the same program takes its user's whole
 * RLIMIT_MSGQUEUE, and the user gets no queue. */
static void test_mqueue_control(void)
{
	int in_err = 0, sig_err = 0, mq_err = 0;

	if (control("mqueue", &in_err, &sig_err, &mq_err) < 0)
		return;
	CU_ASSERT_EQUAL(mq_err, EMFILE);
}

/* A hostile run takes every AIO event it can and holds them; meanwhile
 * the caller sets up a context of its own.  (No control runs the hog on
 * the host: the budget is the machine's, every other user's too; the
 * caller's own io_setup() shows the call works here.) */
static void test_caller_keeps_aio(void)
{
	const char *marker = live_marker("aio");
	const char *argv[] = { TRY_BUDGET, "aio", marker, NULL };
	unsigned long ctx = 0;
	char *out;
	sbx_t *sbx;
	int r, e;

	CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
	bind_helper(sbx);
	sbx_set_stdio(sbx, 0, SBX_STDIO_NULL, -1);
	sbx_set_stdio(sbx, 1, SBX_STDIO_PIPE, -1);
	sbx_set_stdio(sbx, 2, SBX_STDIO_CAPTURE, -1);
	CU_ASSERT_EQUAL_FATAL(sbx_exec(sbx, argv), 0);
	out = read_until_ready(sbx_fd(sbx, SBX_FD_STDOUT), 30000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT(strstr(out, "ready=1") != NULL);
	r = (int)syscall(SYS_io_setup, 64, &ctx);
	e = errno;
	if (r < 0 && e == ENOSYS) {
		tl_skip("this kernel has no AIO");
	} else {
		if (r < 0)
			fprintf(stderr, "\n  caller: io_setup %s\n"
					"  program: %s\n",
				strerror(e), out);
		CU_ASSERT_EQUAL(r, 0);
		/* the sandbox took nothing: the call is not there */
		CU_ASSERT_EQUAL(live_int(out, "aio_events", -1), 0);
		CU_ASSERT_EQUAL(live_int(out, "aio_errno", 0), ENOSYS);
	}
	if (r == 0)
		syscall(SYS_io_destroy, ctx);
	CU_ASSERT_EQUAL(sbx_kill(sbx), 0);
	CU_ASSERT_EQUAL(sbx_wait(sbx), 0);
	CU_ASSERT_EQUAL(live_wait_count(marker, 0, 5000), 0);
	free(out);
	sbx_destroy(sbx);
}

static void limit_128m(sbx_t *sbx, void *arg)
{
	(void)arg;
	live_setup(sbx);
	CU_ASSERT_EQUAL(sbx_limit(sbx, SBX_LIMIT_MEMORY, 128ull << 20), 0);
}

static void expect_value(const char *out, const char *key, long want)
{
	long got = live_int(out, key, -1);

	if (got != want)
		fprintf(stderr, "\n  %s=%ld, documented %ld\n", key, got, want);
	CU_ASSERT_EQUAL(got, want);
}

/* What README's Limits section promises, read inside. */
static void test_values_as_documented(void)
{
	static const char *const no_ns[] = { "user", "pid", "uts", "ipc",
					     "net",  "mnt", "time" };
	const char *sem;
	struct tl_run r;
	char key[64];
	size_t i;

	tl_run_sh(&r, limit_128m, NULL,
		  "cd /proc/sys/user && for f in *; do echo \"$f=$(cat $f)\"; "
		  "done; for f in shmmax shmall shmmni msgmni msgmnb; do "
		  "echo \"$f=$(cat /proc/sys/kernel/$f)\"; done; "
		  "echo \"sem=$(cat /proc/sys/kernel/sem)\"; "
		  "echo \"queues_max=$(cat /proc/sys/fs/mqueue/queues_max)\"; "
		  "awk '/pending signals/ { print \"sigpending=\" $4 \" \" $5 }"
		  " /msgqueue/ { print \"msgqueue=\" $4 \" \" $5 }"
		  " /locked memory/ { print \"memlock=\" $4 \" \" $5 }'"
		  " /proc/self/limits; "
		  /* the program is root of the IPC namespace: were /proc
		   * writable, it could raise these */
		  "echo 1 > /proc/sys/kernel/shmmni 2>/dev/null; "
		  "echo \"raised=$?\"; "
		  "echo 100 > /proc/sys/user/max_inotify_instances "
		  "2>/dev/null; echo \"raised_user=$?\"");
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	expect_value(r.out, "max_inotify_instances",
		     ucount_expect("/proc/sys/user/max_inotify_instances",
				   "/proc/sys/fs/inotify/max_user_instances",
				   DOC_INOTIFY_INSTANCES));
	expect_value(r.out, "max_inotify_watches",
		     ucount_expect("/proc/sys/user/max_inotify_watches",
				   "/proc/sys/fs/inotify/max_user_watches",
				   DOC_INOTIFY_WATCHES));
	if (live_value(r.out, "max_fanotify_groups")) {
		expect_value(
			r.out, "max_fanotify_groups",
			ucount_expect("/proc/sys/user/max_fanotify_groups",
				      "/proc/sys/fs/fanotify/max_user_groups",
				      DOC_FANOTIFY_GROUPS));
		expect_value(
			r.out, "max_fanotify_marks",
			ucount_expect("/proc/sys/user/max_fanotify_marks",
				      "/proc/sys/fs/fanotify/max_user_marks",
				      DOC_FANOTIFY_MARKS));
	}
	for (i = 0; i < LIVE_N(no_ns); i++) {
		snprintf(key, sizeof(key), "max_%s_namespaces", no_ns[i]);
		if (live_value(r.out, key))
			expect_value(r.out, key, 0);
	}
	/* the sandbox's own, created by its init */
	expect_value(r.out, "max_cgroup_namespaces", 1);
	expect_value(r.out, "shmmax", 128l << 20);
	expect_value(r.out, "shmall", (128l << 20) / sysconf(_SC_PAGESIZE));
	expect_value(r.out, "shmmni", 128);
	expect_value(r.out, "msgmni", 32);
	expect_value(r.out, "msgmnb", 16384);
	sem = live_value(r.out, "sem");
	CU_ASSERT_STRING_EQUAL(sem ? sem : "(none)", "250\t8192\t500\t128");
	expect_value(r.out, "queues_max", 16);
	/* soft and hard alike */
	snprintf(key, sizeof(key), "%ld %ld",
		 rl_expect(RLIMIT_SIGPENDING, DOC_SIGPENDING),
		 rl_expect(RLIMIT_SIGPENDING, DOC_SIGPENDING));
	CU_ASSERT_STRING_EQUAL(live_value(r.out, "sigpending"), key);
	snprintf(key, sizeof(key), "%ld %ld",
		 rl_expect(RLIMIT_MSGQUEUE, DOC_MSGQUEUE),
		 rl_expect(RLIMIT_MSGQUEUE, DOC_MSGQUEUE));
	CU_ASSERT_STRING_EQUAL(live_value(r.out, "msgqueue"), key);
	snprintf(key, sizeof(key), "%ld %ld",
		 rl_expect(RLIMIT_MEMLOCK, DOC_MEMLOCK),
		 rl_expect(RLIMIT_MEMLOCK, DOC_MEMLOCK));
	CU_ASSERT_STRING_EQUAL(live_value(r.out, "memlock"), key);
	CU_ASSERT(live_int(r.out, "raised", 0) != 0);
	CU_ASSERT(live_int(r.out, "raised_user", 0) != 0);
	tl_run_free(&r);
}

static void degraded(sbx_t *sbx, void *arg)
{
	(void)arg;
	sbx_set_flag(sbx, SBX_FLAG_ALLOW_DEGRADED, 1);
	CU_ASSERT_EQUAL(sbx_limit(sbx, SBX_LIMIT_WALL_MS, LIVE_WALL_MS), 0);
}

/* Without a user namespace nothing of /proc/sys/user can be the
 * sandbox's own; the rlimits still hold (each process is checked against
 * its own limit, on the caller's count). */
static void test_degraded_rlimits(void)
{
	const char *argv[] = {
		"/bin/sh", "-c",
		"awk '/pending signals/ { print \"sigpending=\" $4 }"
		" /msgqueue/ { print \"msgqueue=\" $4 }"
		" /locked memory/ { print \"memlock=\" $4 }' /proc/self/limits",
		NULL
	};
	struct tl_run r;

	if (nu_run_argv(&r, degraded, NULL, argv) < 0) {
		tl_skip("no user namespace of the test's own to disable "
			"nested ones in");
		return;
	}
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	expect_value(r.out, "sigpending",
		     rl_expect(RLIMIT_SIGPENDING, DOC_SIGPENDING));
	expect_value(r.out, "msgqueue",
		     rl_expect(RLIMIT_MSGQUEUE, DOC_MSGQUEUE));
	expect_value(r.out, "memlock", rl_expect(RLIMIT_MEMLOCK, DOC_MEMLOCK));
	tl_run_free(&r);
}

static CU_TestInfo tests[] = {
	{ "the caller keeps its inotify and signal budget during a hostile "
	  "run",
	  test_caller_keeps_budgets },
	{ "control: the same program without the sandbox starves its user",
	  test_control_without_sandbox },
	{ "the caller gets an AIO context during a hostile run",
	  test_caller_keeps_aio },
	{ "message queues work, and the caller keeps its own budget",
	  test_caller_keeps_mqueue },
	{ "control: the same program without the sandbox takes all queues",
	  test_mqueue_control },
	{ "the sandbox's rlimits and namespace limits are as documented",
	  test_values_as_documented },
	{ "a run without namespaces keeps the rlimits",
	  test_degraded_rlimits },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "per-user budgets", NULL, NULL, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tl_main(suites);
}
