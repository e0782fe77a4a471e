/*
 * test-sec-stdio.c - the caller's standard streams (security issue, item
 * 3).  A program that held the caller's file or terminal could make the
 * file set-uid or world-writable (fchmod of /proc/self/fd/1), grow it past
 * the output cap (fallocate, pwrite), or break the terminal (fchmod,
 * TIOCSETD) and type into it (TIOCSTI).  Each attack is judged on the
 * host: the file's mode, owner and size, the terminal's mode, line
 * discipline and input queue, /dev/null, the caller's descriptor flags;
 * each has a control that shows the attack works on a descriptor the
 * program really holds.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "../live.h"

#define HELPER LIVE_DIR "/try-stdio"
#define CAP (64 * 1024)
#define TMPFS_MAGIC_ 0x01021994
#define INJECT "sbxinjected\n"

extern char **environ;

static char *tmp;

static int setup(void)
{
	tmp = tl_tmpdir();
	return tmp ? 0 : 1;
}

static int teardown(void)
{
	tl_rmrf(tmp);
	free(tmp);
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A handle with the helpers bound and the hard wall-clock limit. */
static sbx_t *new_sandbox(void)
{
	sbx_t *sbx;

	if (sbx_create(&sbx) < 0)
		return NULL;
	live_setup(sbx);
	CU_ASSERT_EQUAL(sbx_add_bind(sbx, live_host_path("security/try-stdio"),
				     HELPER, 0),
			0);
	return sbx;
}

/* Run argv on the host with fds 0..2 (-1: /dev/null); the wait status. */
static int host_run(const char *const *argv, int in, int out, int err)
{
	posix_spawn_file_actions_t fa;
	int fds[3] = { in, out, err }, i, st;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	for (i = 0; i < 3; i++)
		if (fds[i] >= 0)
			posix_spawn_file_actions_adddup2(&fa, fds[i], i);
		else
			posix_spawn_file_actions_addopen(&fa, i, "/dev/null",
							 O_RDWR, 0);
	i = posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv,
			environ);
	posix_spawn_file_actions_destroy(&fa);
	if (i)
		return -i;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return st;
}

/* Everything the other end of a terminal has to read, for up to ms. */
static char *drain_master(int m, int ms)
{
	static char buf[65536];
	size_t len = 0;

	for (;;) {
		struct pollfd p = { m, POLLIN, 0 };
		ssize_t n;

		if (poll(&p, 1, ms) <= 0)
			break;
		n = read(m, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == sizeof(buf) - 1)
			break;
	}
	buf[len] = '\0';
	return buf;
}

struct term {
	int m, s;
	char path[64];
};

static int term_open(struct term *t)
{
	const char *name;

	t->m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (t->m < 0 || grantpt(t->m) < 0 || unlockpt(t->m) < 0 ||
	    !(name = ptsname(t->m)))
		return -1;
	snprintf(t->path, sizeof(t->path), "%s", name);
	t->s = open(t->path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	return t->s < 0 ? -1 : 0;
}

static void term_close(struct term *t)
{
	close(t->s);
	close(t->m);
}

static int ldisc_of(int fd)
{
	int d = -1;

	ioctl(fd, TIOCGETD, &d);
	return d;
}

static int pending_input(int fd)
{
	int n = -1;

	ioctl(fd, FIONREAD, &n);
	return n;
}

/* ------------------------------------------------------------------ */
/* (a), (b): stdout is a file of the caller's                          */
/* ------------------------------------------------------------------ */

/* fallocate past every cap, without filling a tmpfs /tmp with it should
 * the sandbox fail */
static const char *big_size(int fd)
{
	struct statfs sf;

	if (fstatfs(fd, &sf) == 0 && sf.f_type == TMPFS_MAGIC_)
		return "268435456";
	return "10737418240";
}

static int new_log(const char *name, char *path, size_t len)
{
	int fd;

	snprintf(path, len, "%s/%s", tmp, name);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0)
		fchmod(fd, 0644);
	return fd;
}

/* The same attack on the host, on a file it holds: it works there. */
static void test_file_control(void)
{
	char path[512];
	const char *argv[] = { live_host_path("security/try-stdio"), "file",
			       "1", "2", "0", NULL };
	struct stat st;
	int fd = new_log("control.log", path, sizeof(path));

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT(WIFEXITED(host_run(argv, -1, fd, -1)));
	CU_ASSERT_EQUAL_FATAL(fstat(fd, &st), 0);
	/* the mode changed, and the file grew past any cap (sparse) */
	CU_ASSERT_NOT_EQUAL(st.st_mode & 07777, 0644);
	CU_ASSERT(st.st_size > (1ll << 30));
	close(fd);
	unlink(path);
}

/* Check the host file after the attack: mode, owner, size, contents. */
static void check_log(int fd, const struct stat *before, const char *want)
{
	struct stat st;
	char buf[64] = "";
	ssize_t n;

	CU_ASSERT_EQUAL_FATAL(fstat(fd, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 07777, before->st_mode & 07777);
	CU_ASSERT_EQUAL(st.st_uid, before->st_uid);
	CU_ASSERT_EQUAL(st.st_gid, before->st_gid);
	CU_ASSERT(st.st_size <= CAP);
	CU_ASSERT(st.st_blocks * 512 <= CAP + 65536);
	if (st.st_size > CAP)
		fprintf(stderr, "\n  the host file grew to %lld bytes\n",
			(long long)st.st_size);
	/* the control: the program's output did arrive */
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	CU_ASSERT_NSTRING_EQUAL(buf, want, strlen(want));
}

static void check_attack_output(const char *err)
{
	const char *link = live_value(err, "link");

	/* what the program held was the supervisor's pipe */
	CU_ASSERT_PTR_NOT_NULL_FATAL(link);
	CU_ASSERT_NSTRING_EQUAL(link, "pipe:", 5);
	/* and it did try: the attack reached its descriptor */
	CU_ASSERT_EQUAL(live_int(err, "payload", -1), 0);
}

static void test_file_fd(void)
{
	char path[512], size[32];
	const char *argv[] = { HELPER, "file", "1", "2", size, NULL };
	struct stat before;
	struct tl_run r;
	sbx_t *sbx;
	const char *data, *json;
	size_t len;
	int fd = new_log("build.log", path, sizeof(path));

	CU_ASSERT_FATAL(fd >= 0);
	snprintf(size, sizeof(size), "%s", big_size(fd));
	fstat(fd, &before);
	sbx = new_sandbox();
	CU_ASSERT_FATAL(sbx != NULL);
	sbx_set_stdio(sbx, 0, SBX_STDIO_NULL, -1);
	sbx_set_stdio(sbx, 1, SBX_STDIO_FD, fd);
	sbx_set_stdio(sbx, 2, SBX_STDIO_CAPTURE, -1);
	sbx_limit(sbx, SBX_LIMIT_OUTPUT, CAP);
	CU_ASSERT_EQUAL_FATAL(sbx_exec(sbx, argv), 0);
	CU_ASSERT_EQUAL_FATAL(sbx_wait(sbx), 0);
	memset(&r, 0, sizeof(r));
	CU_ASSERT_EQUAL(sbx_output(sbx, 2, &data, &len), 0);
	r.err = strndup(data, len);
	check_attack_output(r.err);
	check_log(fd, &before, "payload\n");
	json = sbx_result_json(sbx);
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"output\":{\"value\":65536,"
					    "\"mechanism\":\"supervisor\""));
	free(r.err);
	sbx_destroy(sbx);
	close(fd);
}

/*
 * The caller's own stdout is the file (`sbx run ... > build.log`): a
 * child of the test makes it its fd 1 and runs with the default,
 * SBX_STDIO_INHERIT; then floods past the cap.  The child writes the
 * result's JSON to json_fd.
 */
static void inherit_child(int fd, int err_fd, int json_fd, const char *size)
{
	const char *argv[] = { "/bin/sh", "-c",
			       HELPER " file 1 2 \"$0\" && " HELPER
				      " flood 1048576",
			       size, NULL };
	const char *json;
	sbx_t *sbx;

	if (dup2(fd, 1) < 0 || dup2(err_fd, 2) < 0)
		_exit(90);
	sbx = new_sandbox();
	if (!sbx || sbx_set_stdio(sbx, 0, SBX_STDIO_NULL, -1) < 0 ||
	    sbx_limit(sbx, SBX_LIMIT_OUTPUT, CAP) < 0 ||
	    sbx_exec(sbx, argv) < 0 || sbx_wait(sbx) < 0)
		_exit(91);
	json = sbx_result_json(sbx);
	if (write(json_fd, json, strlen(json)) < 0)
		_exit(92);
	_exit(0);
}

static void test_file_inherit(void)
{
	char path[512], epath[512], size[32], json[8192] = "";
	struct stat before;
	int fd = new_log("inherit.log", path, sizeof(path));
	int efd = new_log("inherit.err", epath, sizeof(epath));
	int jp[2], st;
	char *err;
	ssize_t n;
	pid_t pid;

	CU_ASSERT_FATAL(fd >= 0 && efd >= 0 && pipe(jp) == 0);
	snprintf(size, sizeof(size), "%s", big_size(fd));
	fstat(fd, &before);
	fflush(NULL);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0)
		inherit_child(fd, efd, jp[1], size);
	close(jp[1]);
	n = read(jp[0], json, sizeof(json) - 1);
	json[n > 0 ? n : 0] = '\0';
	close(jp[0]);
	CU_ASSERT_EQUAL(waitpid(pid, &st, 0), pid);
	CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	err = tl_read_file(epath);
	CU_ASSERT_PTR_NOT_NULL_FATAL(err);
	check_attack_output(err);
	/* (b): the flood stops at the cap, and the result says so */
	check_log(fd, &before, "payload\n");
	CU_ASSERT_EQUAL(lseek(fd, 0, SEEK_END), CAP);
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"stdout_truncated\":true"));
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"output\":{\"value\":65536,"
					    "\"mechanism\":\"supervisor\","
					    "\"fired\":true}"));
	free(err);
	close(fd);
	close(efd);
}

/* ------------------------------------------------------------------ */
/* (c): the caller's terminal                                          */
/* ------------------------------------------------------------------ */

/* On the host, the same attack on a terminal the helper holds works. */
static void test_tty_control(void)
{
	const char *argv[] = { live_host_path("security/try-stdio"), "tty",
			       "0", "2", "x", NULL };
	struct term t;
	struct stat st;

	CU_ASSERT_EQUAL_FATAL(term_open(&t), 0);
	fchmod(t.s, 0620);
	host_run(argv, t.s, -1, -1);
	CU_ASSERT_EQUAL(stat(t.path, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 07777, 0666);
	CU_ASSERT_EQUAL(ldisc_of(t.s), 27 /* N_NULL */);
	term_close(&t);
}

struct tty_case {
	int modes[3];  /* SBX_STDIO_FD: the terminal */
	int pty;       /* SBX_FLAG_PTY */
	const char *fd; /* the helper attacks this fd */
};

static void tty_attack(const struct tty_case *c)
{
	const char *argv[] = { HELPER, "tty", c->fd, "2", INJECT, NULL };
	struct stat before, after;
	struct term t;
	const char *data, *seen;
	char *err = NULL;
	size_t len;
	sbx_t *sbx;
	int i;

	CU_ASSERT_EQUAL_FATAL(term_open(&t), 0);
	fchmod(t.s, 0620);
	CU_ASSERT_EQUAL(stat(t.path, &before), 0);
	sbx = new_sandbox();
	CU_ASSERT_FATAL(sbx != NULL);
	for (i = 0; i < 3; i++)
		sbx_set_stdio(sbx, i, c->modes[i],
			      c->modes[i] == SBX_STDIO_FD ? t.s : -1);
	sbx_set_flag(sbx, SBX_FLAG_PTY, c->pty);
	CU_ASSERT_EQUAL_FATAL(sbx_exec(sbx, argv), 0);
	CU_ASSERT_EQUAL_FATAL(sbx_wait(sbx), 0);
	seen = drain_master(t.m, 300);
	if (sbx_output(sbx, 2, &data, &len) == 0 && len)
		err = strndup(data, len);
	else
		err = strdup(seen);
	/* the host's terminal: same mode, same line discipline, nothing
	 * typed into it (its echo would show on the other end) */
	CU_ASSERT_EQUAL(stat(t.path, &after), 0);
	CU_ASSERT_EQUAL(after.st_mode & 07777, before.st_mode & 07777);
	CU_ASSERT_EQUAL(after.st_uid, before.st_uid);
	CU_ASSERT_EQUAL(ldisc_of(t.s), 0 /* N_TTY */);
	CU_ASSERT_EQUAL(pending_input(t.s), 0);
	if (!c->pty) {
		CU_ASSERT_PTR_NULL(strstr(seen, "sbxinjected"));
	}
	/* the program did attack what it held: a pipe, or its own
	 * terminal */
	CU_ASSERT_PTR_NOT_NULL(live_value(err, "fchmod_0666"));
	if (c->pty) {
		CU_ASSERT_EQUAL(live_int(err, "isatty", -1), 0);
		CU_ASSERT_NSTRING_EQUAL(live_value(err, "link"), "/dev/pts/",
					9);
	} else {
		CU_ASSERT_NSTRING_EQUAL(live_value(err, "link"), "pipe:", 5);
	}
	free(err);
	sbx_destroy(sbx);
	term_close(&t);
}

static void test_tty_output(void)
{
	struct tty_case c = {
		{ SBX_STDIO_NULL, SBX_STDIO_FD, SBX_STDIO_CAPTURE }, 0, "1"
	};

	tty_attack(&c);
}

static void test_tty_input(void)
{
	struct tty_case c = {
		{ SBX_STDIO_FD, SBX_STDIO_CAPTURE, SBX_STDIO_CAPTURE }, 0, "0"
	};

	tty_attack(&c);
}

/* What `sbx run` in a terminal does: the terminal as every stream, and
 * the sandbox's own terminal for the program. */
static void test_tty_pty_mode(void)
{
	struct tty_case c = {
		{ SBX_STDIO_FD, SBX_STDIO_FD, SBX_STDIO_CAPTURE }, 1, "1"
	};

	tty_attack(&c);
	c.modes[2] = SBX_STDIO_FD; /* stderr on the terminal too */
	c.fd = "0";
	tty_attack(&c);
}

/* The program's own terminal: a terminal to it, the caller's window
 * size, and its output streams as it would on a terminal. */
static void test_pty_works(void)
{
	const char *info[] = { HELPER, "info", NULL };
	const char *stream[] = { HELPER, "stream", NULL };
	struct winsize ws = { .ws_row = 37, .ws_col = 111 };
	struct term t;
	char *seen;
	sbx_t *sbx;
	int i, pty;

	CU_ASSERT_EQUAL_FATAL(term_open(&t), 0);
	CU_ASSERT_EQUAL(ioctl(t.s, TIOCSWINSZ, &ws), 0);
	sbx = new_sandbox();
	CU_ASSERT_FATAL(sbx != NULL);
	for (i = 0; i < 3; i++)
		sbx_set_stdio(sbx, i, SBX_STDIO_FD, t.s);
	sbx_set_flag(sbx, SBX_FLAG_PTY, 1);
	CU_ASSERT_EQUAL_FATAL(sbx_exec(sbx, info), 0);
	CU_ASSERT_EQUAL_FATAL(sbx_wait(sbx), 0);
	seen = drain_master(t.m, 300);
	CU_ASSERT_PTR_NOT_NULL(strstr(seen, "isatty=111"));
	CU_ASSERT_PTR_NOT_NULL(strstr(seen, "size=37x111"));
	CU_ASSERT_EQUAL(live_int(seen, "ctty", -1), 1);

	/* streaming: "first" arrives while the program waits for input
	 * (stdio buffers it on a pipe); the control is the same program
	 * without a terminal, whose line stays in its buffer */
	for (pty = 1; pty >= 0; pty--) {
		sbx_set_flag(sbx, SBX_FLAG_PTY, pty);
		CU_ASSERT_EQUAL_FATAL(sbx_exec(sbx, stream), 0);
		seen = drain_master(t.m, 1500);
		if (pty) {
			CU_ASSERT_PTR_NOT_NULL(strstr(seen, "first"));
		} else {
			CU_ASSERT_PTR_NULL(strstr(seen, "first"));
		}
		/* typed at the caller's terminal, it reaches the program */
		CU_ASSERT_EQUAL(write(t.m, "typed\n", 6), 6);
		CU_ASSERT_EQUAL(live_wait_done(sbx, 20000), 0);
		seen = drain_master(t.m, 300);
		CU_ASSERT_PTR_NOT_NULL(strstr(seen, "got=typed"));
	}
	sbx_destroy(sbx);
	term_close(&t);
}

/* ------------------------------------------------------------------ */
/* (d): SBX_STDIO_NULL is not the host's /dev/null                     */
/* ------------------------------------------------------------------ */

static void cfg_null(sbx_t *sbx, void *arg)
{
	(void)arg;
	live_setup(sbx);
	sbx_add_bind(sbx, live_host_path("security/try-stdio"), HELPER, 0);
	sbx_set_stdio(sbx, 0, SBX_STDIO_NULL, -1);
	sbx_set_stdio(sbx, 1, SBX_STDIO_NULL, -1);
}

static void test_null(void)
{
	const char *argv[] = { HELPER, "null", "2", NULL };
	struct stat before, after;
	struct tl_run r;

	CU_ASSERT_EQUAL_FATAL(stat("/dev/null", &before), 0);
	tl_run_argv(&r, cfg_null, NULL, argv);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL_FATAL(stat("/dev/null", &after), 0);
	CU_ASSERT_EQUAL(after.st_mode, before.st_mode);
	CU_ASSERT_EQUAL(after.st_uid, before.st_uid);
	CU_ASSERT_EQUAL(after.st_gid, before.st_gid);
	CU_ASSERT_EQUAL(after.st_ctim.tv_sec, before.st_ctim.tv_sec);
	CU_ASSERT_EQUAL(after.st_ctim.tv_nsec, before.st_ctim.tv_nsec);
	/* the calls reached what the program held: its own pipes */
	CU_ASSERT_NSTRING_EQUAL(live_value(r.err, "link0"), "pipe:", 5);
	CU_ASSERT_NSTRING_EQUAL(live_value(r.err, "link1"), "pipe:", 5);
	CU_ASSERT_EQUAL(live_int(r.err, "fchmod1", -1), 0);
	tl_run_free(&r);
}

/* ------------------------------------------------------------------ */
/* (e): the sandbox's devpts has a maximum                             */
/* ------------------------------------------------------------------ */

/* Run `try-stdio ptys [max]` and, while it holds what it opened, open
 * a terminal on the host.  Returns how many it opened; *ret_err its
 * errno, *ret_host whether the host could open one meanwhile. */
static int hold_ptys(uint64_t limit, int pty, const char *max, int *ret_err,
		     int *ret_host)
{
	const char *argv[] = { HELPER, "ptys", max, NULL };
	char buf[256] = "";
	size_t len = 0;
	int opened, out, host;
	sbx_t *sbx = new_sandbox();

	CU_ASSERT_FATAL(sbx != NULL);
	sbx_set_stdio(sbx, 0, SBX_STDIO_PIPE, -1);
	sbx_set_stdio(sbx, 1, SBX_STDIO_PIPE, -1);
	sbx_set_stdio(sbx, 2, SBX_STDIO_NULL, -1);
	if (limit != (uint64_t)-1)
		sbx_limit(sbx, SBX_LIMIT_PTYS, limit);
	sbx_set_flag(sbx, SBX_FLAG_PTY, pty);
	CU_ASSERT_EQUAL_FATAL(sbx_exec(sbx, argv), 0);
	out = sbx_fd(sbx, SBX_FD_STDOUT);
	/* pty mode: stdin is typed, stdout is the terminal's ("\r\n") */
	while (!strstr(buf, "err=") || !strchr(strstr(buf, "err="), '\n')) {
		struct pollfd p = { out, POLLIN, 0 };
		ssize_t n;

		if (poll(&p, 1, 20000) <= 0)
			break;
		n = read(out, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
	}
	host = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	*ret_host = host >= 0;
	if (host >= 0)
		close(host);
	opened = live_int(buf, "opened", -1);
	*ret_err = live_int(buf, "err", -1);
	/* the end of stdin: in pty mode the supervisor types ^D */
	sbx_close_stdin(sbx);
	while (read(out, buf, sizeof(buf)) > 0)
		;
	CU_ASSERT_EQUAL(sbx_wait(sbx), 0);
	CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_STATUS), SBX_STATUS_EXITED);
	sbx_destroy(sbx);
	return opened;
}

static void test_ptys_max(void)
{
	int err, host;

	/* the default: 16 */
	CU_ASSERT_EQUAL(hold_ptys((uint64_t)-1, 0, "4096", &err, &host), 16);
	CU_ASSERT_EQUAL(err, ENOSPC);
	CU_ASSERT(host);
	/* one of them is the sandbox's own terminal */
	CU_ASSERT_EQUAL(hold_ptys(4, 1, "4096", &err, &host), 3);
	CU_ASSERT_EQUAL(err, ENOSPC);
	CU_ASSERT(host);
	/* the control: without a maximum the same program takes more */
	CU_ASSERT_EQUAL(hold_ptys(0, 0, "40", &err, &host), 40);
	CU_ASSERT_EQUAL(err, 0);
}

/* ------------------------------------------------------------------ */
/* (f): the caller's descriptors after a run                           */
/* ------------------------------------------------------------------ */

static void test_caller_flags(void)
{
	const char *argv[] = { "/bin/sh", "-c",
			       "echo out; echo err >&2; sleep 0.3", NULL };
	int in[2], out[2], fl[3], fl2[3], before, i, k, nb;
	struct term t;
	sbx_t *sbx;

	CU_ASSERT_EQUAL_FATAL(term_open(&t), 0);
	CU_ASSERT_FATAL(pipe(in) == 0 && pipe(out) == 0);
	before = tl_count_fds();
	/* a blocking caller, then one whose descriptors are O_NONBLOCK
	 * already (Node's): the flags stay what the caller set */
	for (nb = 0; nb < 2; nb++) {
		int fds[3] = { in[0], out[1], t.s };

		for (i = 0; i < 3; i++) {
			int f = fcntl(fds[i], F_GETFL);

			fcntl(fds[i], F_SETFL,
			      nb ? f | O_NONBLOCK : f & ~O_NONBLOCK);
			fl[i] = fcntl(fds[i], F_GETFL);
		}
		for (k = 0; k < 2; k++) {
			sbx = new_sandbox();
			CU_ASSERT_FATAL(sbx != NULL);
			for (i = 0; i < 3; i++)
				sbx_set_stdio(sbx, i, SBX_STDIO_FD, fds[i]);
			sbx_set_flag(sbx, SBX_FLAG_PTY, k);
			CU_ASSERT_EQUAL_FATAL(sbx_exec(sbx, argv), 0);
			/* during the run too */
			while (live_wait_done(sbx, 50) == -EAGAIN)
				for (i = 0; i < 3; i++)
					CU_ASSERT_EQUAL(fcntl(fds[i], F_GETFL),
							fl[i]);
			for (i = 0; i < 3; i++)
				fl2[i] = fcntl(fds[i], F_GETFL);
			CU_ASSERT_EQUAL(fl2[0], fl[0]);
			CU_ASSERT_EQUAL(fl2[1], fl[1]);
			CU_ASSERT_EQUAL(fl2[2], fl[2]);
			sbx_destroy(sbx);
			drain_master(t.m, 50);
		}
	}
	/* nothing of the runs stays open in the caller */
	CU_ASSERT_EQUAL(tl_count_fds(), before);
	close(in[0]);
	close(in[1]);
	close(out[0]);
	close(out[1]);
	term_close(&t);
}

/* A caller's O_NONBLOCK pipe read slowly still gets every byte. */
static void test_nonblocking_caller(void)
{
	const char *argv[] = { HELPER, "flood", "1048576", NULL };
	long long got = 0;
	char buf[4096];
	int p[2];
	sbx_t *sbx = new_sandbox();

	CU_ASSERT_FATAL(sbx != NULL && pipe(p) == 0);
	fcntl(p[1], F_SETFL, fcntl(p[1], F_GETFL) | O_NONBLOCK);
	sbx_set_stdio(sbx, 0, SBX_STDIO_NULL, -1);
	sbx_set_stdio(sbx, 1, SBX_STDIO_FD, p[1]);
	sbx_set_stdio(sbx, 2, SBX_STDIO_NULL, -1);
	CU_ASSERT_EQUAL_FATAL(sbx_exec(sbx, argv), 0);
	close(p[1]);
	for (;;) {
		ssize_t n = read(p[0], buf, sizeof(buf));

		if (n <= 0)
			break;
		got += n;
		if (got % (256 * 1024) < (long long)sizeof(buf))
			usleep(20000);
	}
	CU_ASSERT_EQUAL(got, 1048576);
	CU_ASSERT_EQUAL(sbx_wait(sbx), 0);
	CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_EXIT_CODE), 0);
	close(p[0]);
	sbx_destroy(sbx);
}

/* ------------------------------------------------------------------ */
/* The relay keeps the limits working                                  */
/* ------------------------------------------------------------------ */

/* stdout goes where nothing is taken: a pipe nobody reads, a terminal
 * stopped with ^S (it polls writable, and a write blocks).  The wall
 * clock still ends the run, and the supervisor then gives up on what it
 * held. */
static void blocked_output(int fd, int *ret_status, long long *ret_ms)
{
	const char *argv[] = { HELPER, "flood", "16777216", NULL };
	long long t0;
	sbx_t *sbx = new_sandbox();

	CU_ASSERT_FATAL(sbx != NULL);
	sbx_set_stdio(sbx, 0, SBX_STDIO_NULL, -1);
	sbx_set_stdio(sbx, 1, SBX_STDIO_FD, fd);
	sbx_set_stdio(sbx, 2, SBX_STDIO_NULL, -1);
	sbx_limit(sbx, SBX_LIMIT_WALL_MS, 1000);
	t0 = now_ms();
	CU_ASSERT_EQUAL_FATAL(sbx_exec(sbx, argv), 0);
	CU_ASSERT_EQUAL(live_wait_done(sbx, 30000), 0);
	*ret_ms = now_ms() - t0;
	*ret_status = (int)sbx_result(sbx, SBX_RESULT_STATUS);
	sbx_destroy(sbx);
}

static void test_blocked_output(void)
{
	struct term t;
	long long ms;
	int p[2], st;

	CU_ASSERT_FATAL(pipe(p) == 0);
	blocked_output(p[1], &st, &ms);
	CU_ASSERT_EQUAL(st, SBX_STATUS_TIMEOUT);
	CU_ASSERT(ms < 15000);
	CU_ASSERT_EQUAL(fcntl(p[1], F_GETFL) & O_NONBLOCK, 0);
	close(p[0]);
	close(p[1]);

	CU_ASSERT_EQUAL_FATAL(term_open(&t), 0);
	CU_ASSERT_EQUAL(tcflow(t.s, TCOOFF), 0);
	blocked_output(t.s, &st, &ms);
	CU_ASSERT_EQUAL(st, SBX_STATUS_TIMEOUT);
	CU_ASSERT(ms < 15000);
	tcflow(t.s, TCOON);
	term_close(&t);
}

/* stdin: the relay ends with the program (a caller's pipe that never
 * ends does not keep the run going), and what the program did not read
 * of a file is given back to the file's offset. */
static void test_stdin_relay(void)
{
	const char *argv_true[] = { "/bin/true", NULL };
	const char *argv_dd[] = { "/bin/dd", "bs=10", "count=1",
				  "status=none", NULL };
	char path[512], data[100000];
	long long t0;
	int p[2], fd;
	sbx_t *sbx = new_sandbox();

	CU_ASSERT_FATAL(sbx != NULL && pipe(p) == 0);
	sbx_set_stdio(sbx, 0, SBX_STDIO_FD, p[0]);
	sbx_set_stdio(sbx, 1, SBX_STDIO_NULL, -1);
	t0 = now_ms();
	CU_ASSERT_EQUAL_FATAL(sbx_exec(sbx, argv_true), 0);
	CU_ASSERT_EQUAL(live_wait_done(sbx, 20000), 0);
	CU_ASSERT(now_ms() - t0 < 15000);
	close(p[0]);
	close(p[1]);

	fd = new_log("input", path, sizeof(path));
	memset(data, 'i', sizeof(data));
	CU_ASSERT_EQUAL(write(fd, data, sizeof(data)), (ssize_t)sizeof(data));
	lseek(fd, 0, SEEK_SET);
	sbx_set_stdio(sbx, 0, SBX_STDIO_FD, fd);
	CU_ASSERT_EQUAL_FATAL(sbx_exec(sbx, argv_dd), 0);
	CU_ASSERT_EQUAL(sbx_wait(sbx), 0);
	CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_EXIT_CODE), 0);
	CU_ASSERT_EQUAL(lseek(fd, 0, SEEK_CUR), 10);
	close(fd);
	sbx_destroy(sbx);
}

/* The program writes into its own stdin (reopened for writing, which
 * gives the pipe's other end) so that more seems unread than it was
 * given: the caller's offset must not go back past where the run
 * started.  The file is 1000 bytes, the caller at 500; the program reads
 * 10 and writes 400.  Before the fix the offset came back at 110. */
static void test_stdin_rewind(void)
{
	const char *argv[] = { "/bin/sh", "-c",
			       "dd bs=10 count=1 status=none >/dev/null; "
			       "head -c 400 /dev/zero >/proc/self/fd/0",
			       NULL };
	char path[512], data[1000];
	off_t at;
	int fd;
	sbx_t *sbx = new_sandbox();

	CU_ASSERT_FATAL(sbx != NULL);
	fd = new_log("rewind", path, sizeof(path));
	memset(data, 'r', sizeof(data));
	CU_ASSERT_EQUAL(write(fd, data, sizeof(data)), (ssize_t)sizeof(data));
	lseek(fd, 500, SEEK_SET);
	sbx_set_stdio(sbx, 0, SBX_STDIO_FD, fd);
	sbx_set_stdio(sbx, 1, SBX_STDIO_NULL, -1);
	CU_ASSERT_EQUAL_FATAL(sbx_exec(sbx, argv), 0);
	CU_ASSERT_EQUAL(sbx_wait(sbx), 0);
	CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_EXIT_CODE), 0);
	at = lseek(fd, 0, SEEK_CUR);
	if (at < 500 || at > 510)
		fprintf(stderr, "\n  the caller's offset: %lld\n",
			(long long)at);
	/* between the start and what the program read */
	CU_ASSERT(at >= 500 && at <= 510);
	close(fd);
	sbx_destroy(sbx);
}

/* ------------------------------------------------------------------ */
/* `sbx run` in a terminal                                             */
/* ------------------------------------------------------------------ */

static int same_termios(const struct termios *a, const struct termios *b)
{
	return a->c_iflag == b->c_iflag && a->c_oflag == b->c_oflag &&
	       a->c_cflag == b->c_cflag && a->c_lflag == b->c_lflag &&
	       memcmp(a->c_cc, b->c_cc, sizeof(a->c_cc)) == 0;
}

/* Start `sbx run ARGS...` in a session whose terminal is t's. */
static const char *helper_bind(void)
{
	static char bind[4200];

	snprintf(bind, sizeof(bind), "%s:%s",
		 live_host_path("security/try-stdio"), HELPER);
	return bind;
}

static pid_t cli_start(struct term *t, const char *const *args)
{
	static char sbx[4096];
	const char *argv[32];
	pid_t pid;
	int i, n = 0;

	snprintf(sbx, sizeof(sbx), "%s", live_host_path("../sbx"));
	argv[n++] = sbx;
	argv[n++] = "run";
	argv[n++] = "--ro-bind";
	argv[n++] = helper_bind();
	argv[n++] = "--timeout";
	argv[n++] = "60";
	for (i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	fflush(NULL);
	pid = fork();
	if (pid != 0)
		return pid;
	setsid();
	ioctl(t->s, TIOCSCTTY, 0);
	for (i = 0; i < 3; i++)
		dup2(t->s, i);
	execve(argv[0], (char *const *)argv, environ);
	_exit(127);
}

static int cli_wait(pid_t pid, int ms)
{
	int st = -1;

	for (; ms > 0; ms -= 20) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return st;
		usleep(20000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return -1;
}

/* Wait until the CLI has put the terminal in raw mode (no signals from
 * keys either: a shell's line editor keeps those). */
static int wait_raw(int s, int ms)
{
	struct termios tio;

	for (; ms > 0; ms -= 20) {
		if (tcgetattr(s, &tio) == 0 &&
		    !(tio.c_lflag & (ICANON | ISIG)))
			return 1;
		usleep(20000);
	}
	return 0;
}

static char *wait_output(int m, const char *want, int ms)
{
	static char buf[16384];
	size_t len = 0;

	buf[0] = '\0';
	for (; ms > 0 && !strstr(buf, want); ms -= 50) {
		struct pollfd p = { m, POLLIN, 0 };
		ssize_t n;

		if (poll(&p, 1, 50) <= 0)
			continue;
		n = read(m, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
	}
	return buf;
}

static void test_cli_terminal(void)
{
	const char *info[] = { "--", HELPER, "info", NULL };
	const char *keys[] = { "--", "/bin/sh", "-c",
			       "stty size; read x; echo got=$x; stty size",
			       NULL };
	const char *sleeper[] = { "--", "/bin/sleep", "30", NULL };
	struct winsize ws = { .ws_row = 41, .ws_col = 123 };
	struct termios start, end;
	struct term t;
	char *seen;
	pid_t pid;
	int st;

	CU_ASSERT_EQUAL_FATAL(term_open(&t), 0);
	CU_ASSERT_EQUAL(ioctl(t.s, TIOCSWINSZ, &ws), 0);
	CU_ASSERT_EQUAL_FATAL(tcgetattr(t.s, &start), 0);

	/* the default in a terminal: a terminal of the program's own, of
	 * the caller's size; the caller's terminal as it was afterwards */
	pid = cli_start(&t, info);
	seen = wait_output(t.m, "ctty=", 20000);
	st = cli_wait(pid, 20000);
	CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(seen, "isatty=111"));
	CU_ASSERT_PTR_NOT_NULL(strstr(seen, "size=41x123"));
	CU_ASSERT_EQUAL_FATAL(tcgetattr(t.s, &end), 0);
	CU_ASSERT(same_termios(&start, &end));

	/* keys reach the program, and so does a new window size */
	pid = cli_start(&t, keys);
	seen = wait_output(t.m, "41 123", 20000);
	CU_ASSERT_PTR_NOT_NULL(strstr(seen, "41 123"));
	CU_ASSERT(wait_raw(t.s, 10000));
	ws.ws_row = 50;
	ws.ws_col = 100;
	CU_ASSERT_EQUAL(ioctl(t.m, TIOCSWINSZ, &ws), 0);
	usleep(300000); /* SIGWINCH to the supervisor, then relayed */
	CU_ASSERT_EQUAL(write(t.m, "hello\r", 6), 6);
	seen = wait_output(t.m, "50 100", 20000);
	CU_ASSERT_PTR_NOT_NULL(strstr(seen, "got=hello"));
	CU_ASSERT_PTR_NOT_NULL(strstr(seen, "50 100"));
	st = cli_wait(pid, 20000);
	CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CU_ASSERT_EQUAL(tcgetattr(t.s, &end), 0);
	CU_ASSERT(same_termios(&start, &end));

	/* ^C is the program's: it ends it, not sbx */
	pid = cli_start(&t, sleeper);
	CU_ASSERT(wait_raw(t.s, 10000));
	usleep(200000);
	CU_ASSERT_EQUAL(write(t.m, "\003", 1), 1);
	st = cli_wait(pid, 20000);
	CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 128 + SIGINT);
	CU_ASSERT_EQUAL(tcgetattr(t.s, &end), 0);
	CU_ASSERT(same_termios(&start, &end));

	/* sbx killed while the terminal is raw: restored all the same */
	pid = cli_start(&t, sleeper);
	CU_ASSERT(wait_raw(t.s, 10000));
	kill(pid, SIGTERM);
	st = cli_wait(pid, 20000);
	CU_ASSERT(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	CU_ASSERT_EQUAL(tcgetattr(t.s, &end), 0);
	CU_ASSERT(same_termios(&start, &end));
	drain_master(t.m, 100);
	term_close(&t);
}

/* --pty and --no-pty, whatever stdout is. */
static void test_cli_options(void)
{
	char sbx[4096], path[512];
	const char *argv[] = { sbx, "run", "--ro-bind", helper_bind(), NULL,
			       "--", HELPER, "info", NULL };
	struct term t;
	char *out = NULL, *seen;
	pid_t pid;
	int st, fd;

	snprintf(sbx, sizeof(sbx), "%s", live_host_path("../sbx"));
	/* stdout a file, no terminal anywhere: --pty gives one (of the
	 * usual size) to stdout alone */
	argv[4] = "--pty";
	fd = new_log("cli.out", path, sizeof(path));
	CU_ASSERT_EQUAL(host_run(argv, -1, fd, -1), 0);
	out = tl_read_file(path);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "isatty=010"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "size=24x80"));
	free(out);
	close(fd);
	argv[4] = "--no-pty";
	fd = new_log("cli.out", path, sizeof(path));
	CU_ASSERT_EQUAL(host_run(argv, -1, fd, -1), 0);
	out = tl_read_file(path);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "isatty=000"));
	free(out);
	close(fd);

	CU_ASSERT_EQUAL_FATAL(term_open(&t), 0);
	pid = cli_start(&t, (const char *const[]){ "--no-pty", "--", HELPER,
						   "info", NULL });
	seen = wait_output(t.m, "ctty=", 20000);
	st = cli_wait(pid, 20000);
	CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(seen, "isatty=000"));
	term_close(&t);
}

/* In a job-control shell: `sbx run ... &` reads nothing of the terminal
 * in the background (a read would stop it, SIGTTIN: the shell would say
 * "Stopped"), and once brought to the foreground it is interactive. */
static void test_cli_background(void)
{
	char line[8400];
	const char *seen;
	struct term t;
	pid_t pid;

	if (access("/bin/bash", X_OK) < 0) {
		tl_skip("no /bin/bash for a job-control shell");
		return;
	}
	CU_ASSERT_EQUAL_FATAL(term_open(&t), 0);
	fflush(NULL);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		int i;

		setsid();
		ioctl(t.s, TIOCSCTTY, 0);
		for (i = 0; i < 3; i++)
			dup2(t.s, i);
		setenv("PS1", "PROMPT$ ", 1);
		execl("/bin/bash", "bash", "--norc", "--noprofile", "-i",
		      (char *)NULL);
		_exit(127);
	}
	wait_output(t.m, "PROMPT$ ", 10000);
	snprintf(line, sizeof(line),
		 "'%s' run -- /bin/sh -c 'sleep 1; echo bg''done' &\n",
		 live_host_path("../sbx"));
	CU_ASSERT(write(t.m, line, strlen(line)) > 0);
	wait_output(t.m, "PROMPT$ ", 10000);
	/* input for the shell while the job runs in the background */
	CU_ASSERT(write(t.m, "echo typed\n", 11) == 11);
	seen = wait_output(t.m, "bgdone", 20000);
	CU_ASSERT_PTR_NOT_NULL(strstr(seen, "bgdone"));
	CU_ASSERT(write(t.m, "jobs; echo EN''D\n", 17) == 17);
	seen = wait_output(t.m, "END", 10000);
	CU_ASSERT_PTR_NULL(strstr(seen, "Stopped"));

	/* in the background, then fg: keys reach the program, once */
	snprintf(line, sizeof(line), "'%s' run -- /bin/cat &\n",
		 live_host_path("../sbx"));
	CU_ASSERT(write(t.m, line, strlen(line)) > 0);
	wait_output(t.m, "PROMPT$ ", 10000);
	CU_ASSERT(write(t.m, "fg\n", 3) == 3);
	/* sbx saw the foreground (keys typed before the supervisor does
	 * wait in the terminal) */
	CU_ASSERT(wait_raw(t.s, 10000));
	CU_ASSERT(write(t.m, "hello\r", 6) == 6);
	seen = wait_output(t.m, "hello\r\nhello", 10000);
	CU_ASSERT_PTR_NOT_NULL(strstr(seen, "hello\r\nhello"));
	CU_ASSERT(write(t.m, "\004", 1) == 1);
	wait_output(t.m, "PROMPT$ ", 10000);
	CU_ASSERT(write(t.m, "exit\n", 5) == 5);
	CU_ASSERT(cli_wait(pid, 10000) != -1);
	term_close(&t);
}

static CU_TestInfo stdio_tests[] = {
	{ "control: a held file can be chmod'ed and grown",
	  test_file_control },
	{ "(a) SBX_STDIO_FD: the caller's file keeps its mode, owner, size",
	  test_file_fd },
	{ "(a, b) INHERIT: the caller's stdout file, flooded past the cap",
	  test_file_inherit },
	{ "control: a held terminal can be chmod'ed and its ldisc changed",
	  test_tty_control },
	{ "(c) the caller's terminal as stdout", test_tty_output },
	{ "(c) the caller's terminal as stdin", test_tty_input },
	{ "(c) the caller's terminal, pty mode", test_tty_pty_mode },
	{ "(c) pty mode: a terminal, its size, streaming, keys",
	  test_pty_works },
	{ "(d) NULL is not the host's /dev/null", test_null },
	{ "(e) the sandbox's devpts has a maximum", test_ptys_max },
	{ "(f) the caller's descriptor flags and fds", test_caller_flags },
	{ "(f) a non-blocking caller gets every byte",
	  test_nonblocking_caller },
	{ "the wall clock ends a run whose output is blocked",
	  test_blocked_output },
	{ "stdin relay ends with the program; a file's offset",
	  test_stdin_relay },
	{ "a program writing into its stdin cannot rewind the caller's file",
	  test_stdin_rewind },
	{ "sbx run in a terminal: raw, restored, keys, size, ^C",
	  test_cli_terminal },
	{ "sbx run --pty, --no-pty", test_cli_options },
	{ "sbx run in the background, then fg", test_cli_background },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "stdio", setup, teardown, NULL, NULL, stdio_tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	/* a pipe a test stops reading must not kill it */
	signal(SIGPIPE, SIG_IGN);
	return tl_main(suites);
}
