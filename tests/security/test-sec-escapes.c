/*
 * test-sec-escapes.c - the escape regression suite: the attacks other
 * sandboxes fell to that the other suites do not already make, each
 * failing if it works, judged from the host's side where there is one
 * (the host file's bytes, the host listener, the host process, the
 * release_agent).  docs/threat-model.md maps every technique to its test,
 * here or in the suite that had it first.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "live.h"

#define TRY_ATTACK LIVE_DIR "/try-attack"

struct esc_cfg {
	const char *ws;
	int ws_mode;
	const char *binds[4]; /* read-only, at the same path */
	int kill;
	int pty;
	int stdin_fd; /* 0: /dev/null */
	uint64_t output;
};

static void configure(sbx_t *sbx, void *arg)
{
	const struct esc_cfg *c = arg;
	size_t i;

	live_setup(sbx);
	CU_ASSERT_EQUAL(sbx_add_bind(sbx, live_host_path("security/try-attack"),
				     TRY_ATTACK, 0),
			0);
	if (!c)
		return;
	if (c->ws)
		CU_ASSERT_EQUAL(sbx_set_workspace(sbx, c->ws, c->ws_mode), 0);
	for (i = 0; i < LIVE_N(c->binds) && c->binds[i]; i++)
		CU_ASSERT_EQUAL(sbx_add_bind(sbx, c->binds[i], NULL, 0), 0);
	if (c->kill)
		CU_ASSERT_EQUAL(sbx_set_flag(sbx, SBX_FLAG_SECCOMP_KILL, 1), 0);
	if (c->pty)
		CU_ASSERT_EQUAL(sbx_set_flag(sbx, SBX_FLAG_PTY, 1), 0);
	if (c->stdin_fd > 0)
		CU_ASSERT_EQUAL(sbx_set_stdio(sbx, 0, SBX_STDIO_FD, c->stdin_fd),
				0);
	if (c->output)
		CU_ASSERT_EQUAL(sbx_limit(sbx, SBX_LIMIT_OUTPUT, c->output), 0);
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	char *s;

	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0)
		s = NULL;
	va_end(ap);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	return s;
}

static int is_root(void)
{
	return geteuid() == 0;
}

/* The step key ended in an error: it was tried (the line is there) and
 * did not work.  Says which when it did. */
static void expect_failed(const struct tl_run *r, const char *key)
{
	int v = live_int(r->out, key, -1);

	if (v <= 0)
		fprintf(stderr, "\n  %s=%d (-1: never tried, 0: worked)\n%s\n",
			key, v, r->out);
	CU_ASSERT(v > 0);
}

static void expect_errno(const struct tl_run *r, const char *key, int want)
{
	int v = live_int(r->out, key, -1);

	if (v != want)
		fprintf(stderr, "\n  %s=%d, expected %d\n", key, v, want);
	CU_ASSERT_EQUAL(v, want);
}

static char *host_attack(const char *const *args, int in_fd)
{
	const char *argv[16];
	char *out = NULL;
	size_t i, k = 0;

	argv[k++] = live_host_path("security/try-attack");
	for (i = 0; args[i] && k < LIVE_N(argv) - 1; i++)
		argv[k++] = args[i];
	argv[k] = NULL;
	if (live_host_run(argv, in_fd, &out) < 0) {
		free(out);
		return strdup("");
	}
	return out;
}

/* What could show that a host file was written: its bytes (FNV-1a), size,
 * mode, owner and times. */
struct print {
	int ok;
	struct stat st;
	uint64_t digest;
};

static void take_print(const char *path, struct print *p)
{
	unsigned char buf[65536];
	uint64_t h = 1469598103934665603ULL;
	ssize_t n, i;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	memset(p, 0, sizeof(*p));
	if (fd < 0 || fstat(fd, &p->st) < 0) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (i = 0; i < n; i++)
			h = (h ^ buf[i]) * 1099511628211ULL;
	close(fd);
	p->digest = h;
	p->ok = n == 0;
}

static int same_print(const struct print *a, const struct print *b)
{
	return a->ok && b->ok && a->digest == b->digest &&
	       a->st.st_ino == b->st.st_ino && a->st.st_size == b->st.st_size &&
	       a->st.st_mode == b->st.st_mode && a->st.st_uid == b->st.st_uid &&
	       a->st.st_nlink == b->st.st_nlink &&
	       a->st.st_mtim.tv_sec == b->st.st_mtim.tv_sec &&
	       a->st.st_mtim.tv_nsec == b->st.st_mtim.tv_nsec &&
	       a->st.st_ctim.tv_sec == b->st.st_ctim.tv_sec &&
	       a->st.st_ctim.tv_nsec == b->st.st_ctim.tv_nsec;
}

/* ---- controls: the attacks do work without the sandbox ----------- */

/*
 * The denied calls of the lists in test-seccomp, made on the host by the
 * same helper: each gets something other than EPERM there (success, or
 * the kernel's own error), so EPERM inside is the filter's.  And Shocker
 * as a root caller: the guessed handle opens the file system's root.
 */
static void test_controls(void)
{
	static const char *const calls[] = { "io_uring_setup", "userfaultfd",
					     "keyctl", "name_to_handle_at",
					     "process_vm_writev",
					     "unshare-newuser" };
	const char *argv[LIVE_N(calls) + 2];
	const char *shock[] = { "shocker", "/", NULL };
	char *out = NULL;
	size_t i;

	argv[0] = live_host_path("try-syscall");
	for (i = 0; i < LIVE_N(calls); i++)
		argv[i + 1] = calls[i];
	argv[i + 1] = NULL;
	CU_ASSERT(live_host_run(argv, -1, &out) >= 0);
	for (i = 0; out && i < LIVE_N(calls); i++) {
		int v = live_int(out, calls[i], -1);

		if (v == EPERM || v < 0)
			fprintf(stderr, "\n  host control %s=%d\n", calls[i],
				v);
		CU_ASSERT(v >= 0 && v != EPERM);
	}
	/* io_uring and userfaultfd are made, not just reached */
	CU_ASSERT_EQUAL(live_int(out, "io_uring_setup", -1), 0);
	CU_ASSERT_EQUAL(live_int(out, "userfaultfd", -1), 0);
	free(out);

	out = host_attack(shock, -1);
	if (is_root()) {
		/* CAP_DAC_READ_SEARCH: the host's root directory opens */
		CU_ASSERT_EQUAL(live_int(out, "open-by-handle", -1), 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(out, "entry=etc\n"));
	} else {
		CU_ASSERT_EQUAL(live_int(out, "open-by-handle", -1), EPERM);
	}
	free(out);
}

/* ---- terminal injection: TIOCLINUX on a real terminal ------------- */

/* TIOCSTI and TIOCSETD on a real terminal are test-seccomp's; TIOCLINUX
 * (the console's paste, CVE-2023-1523's cousin) with and without bits
 * above 32, on the sandbox's own terminal and on the caller's. */
static void test_tioclinux(void)
{
	const char *argv[] = { LIVE_TRY_SYSCALL, "ioctl-tcgets",
			       "ioctl-tioclinux", "ioctl-tioclinux-high",
			       "ioctl-tiocsti", "ioctl-tiocsti-high", NULL };
	struct esc_cfg c = { 0 };
	struct tl_run r;
	struct termios t;
	char *out = NULL;
	int master, slave, n = 0, pty;

	master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	CU_ASSERT_FATAL(master >= 0 && grantpt(master) == 0 &&
			unlockpt(master) == 0);
	slave = open(ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
	CU_ASSERT_FATAL(slave >= 0);
	CU_ASSERT_EQUAL(tcgetattr(slave, &t), 0);
	cfmakeraw(&t);
	CU_ASSERT_EQUAL(tcsetattr(slave, TCSANOW, &t), 0);

	/* the control: on the host the kernel answers, not with EPERM */
	{
		const char *hargv[] = { live_host_path("try-syscall"),
					"ioctl-tioclinux",
					"ioctl-tioclinux-high", NULL };

		live_host_run(hargv, slave, &out);
		CU_ASSERT(live_int(out, "ioctl-tioclinux", -1) > 0);
		CU_ASSERT_NOT_EQUAL(live_int(out, "ioctl-tioclinux", -1),
				    EPERM);
		free(out);
	}
	for (pty = 0; pty < 2; pty++) {
		c.pty = pty;
		c.stdin_fd = slave;
		tl_run_argv(&r, configure, &c, argv);
		TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
		/* with SBX_FLAG_PTY stdin is a real terminal inside */
		if (pty)
			expect_errno(&r, "ioctl-tcgets", 0);
		expect_errno(&r, "ioctl-tioclinux", EPERM);
		expect_errno(&r, "ioctl-tioclinux-high", EPERM);
		expect_errno(&r, "ioctl-tiocsti", EPERM);
		expect_errno(&r, "ioctl-tiocsti-high", EPERM);
		tl_run_free(&r);
	}
	/* the host's check: nothing arrived as input on the terminal */
	{
		struct pollfd p = { slave, POLLIN, 0 };

		poll(&p, 1, 200);
		CU_ASSERT_EQUAL(ioctl(slave, FIONREAD, &n), 0);
		CU_ASSERT_EQUAL(n, 0);
	}
	close(slave);
	close(master);
}

/* ---- Shocker ------------------------------------------------------ */

static void test_shocker(void)
{
	/* a bound helper and /usr are on the host's own file systems (ext4
	 * here, where the guessed handle is the root's), the root a tmpfs */
	static const char *const dirs[] = { TRY_ATTACK, "/usr", "/" };
	struct esc_cfg c = { 0 };
	struct tl_run r;
	size_t i;
	int kill;

	for (kill = 0; kill < 2; kill++) {
		for (i = 0; i < LIVE_N(dirs); i++) {
			const char *argv[] = { TRY_ATTACK, "shocker", dirs[i],
					       NULL };

			c.kill = kill;
			tl_run_argv(&r, configure, &c, argv);
			CU_ASSERT_PTR_NULL(strstr(r.out, "entry="));
			CU_ASSERT_EQUAL(live_int(r.out, "fd", -1), 0);
			if (kill) {
				CU_ASSERT_EQUAL(r.status, SBX_STATUS_SIGNALED);
				CU_ASSERT_EQUAL(r.signal, SIGSYS);
				CU_ASSERT_PTR_NULL(
					live_value(r.out, "open-by-handle"));
			} else {
				TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
				expect_errno(&r, "name-to-handle", EPERM);
				expect_errno(&r, "open-by-handle", EPERM);
			}
			tl_run_free(&r);
		}
	}
}

/* ---- the runtime's binaries: /proc/PID/exe, map_files ------------- */

/*
 * CVE-2019-5736's class, beyond /proc/1/exe (test-isolation's runtime
 * test): every file mapped into the program through
 * /proc/self/map_files, its own binary through /proc/self/exe, and the
 * supervisor and the library themselves, bound in read-only as a caller
 * binding its build tree would.  Judged by the host files' bytes, mode
 * and times.
 */
static void test_runtime_files(void)
{
	const char *sup = getenv("SBX_SUPERVISOR");
	const char *argv[] = { TRY_ATTACK, "map-files", NULL, NULL };
	static const char *const failed[] = {
		"self-exe-wronly", "self-exe-rdwr", "init-exe-wronly",
		"init-exe-rdwr", "init-exe-chmod", "path-wronly", "path-rdwr",
		"path-chmod"
	};
	struct print before[4], after[4];
	const char *files[4];
	struct esc_cfg c = { 0 };
	char *ws = tl_tmpdir();
	struct tl_run r;
	Dl_info lib, libc;
	size_t i;
	int mode;

	CU_ASSERT_PTR_NOT_NULL_FATAL(ws);
	if (!sup || !*sup)
		sup = LIBEXECDIR "/sbx-supervisor";
	CU_ASSERT_FATAL(dladdr((void *)sbx_create, &lib) != 0);
	CU_ASSERT_FATAL(dladdr((void *)printf, &libc) != 0);
	files[0] = sup;
	files[1] = lib.dli_fname;
	files[2] = libc.dli_fname;
	files[3] = live_host_path("security/try-attack");
	for (i = 0; i < 4; i++) {
		take_print(files[i], &before[i]);
		CU_ASSERT_FATAL(before[i].ok);
	}
	c.binds[0] = sup;
	c.binds[1] = lib.dli_fname;
	c.ws = ws;
	for (mode = 0; mode < 3; mode++) {
		int k;

		c.ws_mode = mode;
		for (k = 0; k < 2; k++) {
			/* the supervisor, then the library */
			argv[2] = k ? lib.dli_fname : sup;
			tl_run_argv(&r, configure, &c, argv);
			TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
			/* the helper saw its mappings, and opened none */
			CU_ASSERT(live_int(r.out, "map-tried", 0) > 0);
			CU_ASSERT_EQUAL(live_int(r.out, "map-writable", -1),
					0);
			for (i = 0; i < LIVE_N(failed); i++)
				expect_failed(&r, failed[i]);
			tl_run_free(&r);
		}
	}
	for (i = 0; i < 4; i++) {
		take_print(files[i], &after[i]);
		if (!same_print(&before[i], &after[i]))
			fprintf(stderr, "\n  changed: %s\n", files[i]);
		CU_ASSERT(same_print(&before[i], &after[i]));
	}
	tl_rmrf(ws);
	free(ws);
}

/* ---- other processes ---------------------------------------------- */

/* A process of the same sandbox: the filter must stop ptrace,
 * process_vm_writev and pidfd_getfd, there is no namespace in between.
 * pidfd_open itself is allowed (waiting on a child by pidfd is common). */
static void test_sibling(void)
{
	const char *argv[] = { TRY_ATTACK, "siblings", NULL };
	static const char *const steps[] = { "sibling-attach", "sibling-seize",
					     "sibling-vm-write",
					     "sibling-vm-read",
					     "sibling-pidfd-getfd" };
	struct tl_run r;
	size_t i;

	tl_run_argv(&r, configure, NULL, argv);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(live_int(r.out, "sibling-pidfd-open", -1), 0);
	for (i = 0; i < LIVE_N(steps); i++)
		expect_errno(&r, steps[i], EPERM);
	/* the child's memory is as it was */
	CU_ASSERT_EQUAL(live_int(r.out, "sibling-intact", 0), 1);
	tl_run_free(&r);
}

static volatile sig_atomic_t usr1_count;

static void on_usr1(int sig)
{
	(void)sig;
	usr1_count++;
}

/* The host pid of the process whose command line holds marker. */
static pid_t pid_of(const char *marker)
{
	int i;

	for (i = 0; i < 200; i++) {
		char cmd[256];
		FILE *f;
		int pid = -1;

		snprintf(cmd, sizeof(cmd),
			 "pgrep -f -- '%s' | grep -vx $$ | head -1", marker);
		f = popen(cmd, "r");
		if (f) {
			if (fscanf(f, "%d", &pid) != 1)
				pid = -1;
			pclose(f);
		}
		if (pid > 0)
			return pid;
		usleep(50000);
	}
	return -1;
}

static sbx_t *start(const struct esc_cfg *c, const char *const *argv,
		    int stdin_pipe)
{
	sbx_t *sbx = NULL;

	CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
	configure(sbx, (void *)c);
	sbx_set_stdio(sbx, 0, stdin_pipe ? SBX_STDIO_PIPE : SBX_STDIO_NULL,
		      -1);
	sbx_set_stdio(sbx, 1, SBX_STDIO_CAPTURE, -1);
	sbx_set_stdio(sbx, 2, SBX_STDIO_CAPTURE, -1);
	CU_ASSERT_EQUAL_FATAL(sbx_exec(sbx, argv), 0);
	return sbx;
}

/*
 * Trace, poke, steal a descriptor from and signal (SIGUSR1: the caller
 * counts it, the sleepers die of it) the caller itself, the sandbox's
 * supervisor, a host process of the same user, and the program and the
 * supervisor of another sandbox running beside it; then kill(-1).  Their
 * host pids are handed in through stdin once known.  Judged on the host:
 * every one alive and unsignalled, both runs end as they should.
 */
static void test_other_processes(void)
{
	/* live_marker() answers in one static buffer */
	char *host_mark = strdup(live_marker("host"));
	char *other_mark = strdup(live_marker("other"));
	const char *sleeper[] = { live_host_path("try-escape"), "sleep",
				  host_mark, NULL };
	const char *other_argv[] = { LIVE_TRY_ESCAPE, "sleep", other_mark,
				     NULL };
	char *script = fmt("read a b c d e; exec %s pids $a $b $c $d $e",
			   TRY_ATTACK);
	const char *argv[] = { "/bin/sh", "-c", script, NULL };
	const char *tags[] = { "pid0", "pid1", "pid2", "pid3", "pid4" };
	static const char *const steps[] = {
		"attach", "seize", "vm-write", "vm-read", "pidfd-open",
		"pidfd-getfd", "kill", "tgkill", "kill-group"
	};
	struct sigaction sa = { 0 }, old;
	pid_t host, other_prog, other_sup, sup;
	sbx_t *other, *sbx;
	const char *out;
	size_t len, i, k;
	char line[128], key[64];
	int fd;

	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, &old);
	usr1_count = 0;
	host = live_host_spawn(sleeper);
	CU_ASSERT_FATAL(host > 0);
	CU_ASSERT_EQUAL(live_wait_count(host_mark, 1, 10000), 1);

	other = start(NULL, other_argv, 0);
	other_sup = live_child_of(getpid());
	other_prog = pid_of(other_mark);
	CU_ASSERT_FATAL(other_sup > 0 && other_prog > 0);

	sbx = start(NULL, argv, 1);
	/* the newest child of ours is this run's supervisor */
	sup = -1;
	{
		char path[64], *kids;

		snprintf(path, sizeof(path), "/proc/%d/task/%d/children",
			 (int)getpid(), (int)getpid());
		kids = tl_read_file(path);
		for (i = 0; kids && kids[i]; i++)
			if (i == 0 || kids[i - 1] == ' ')
				if (atoi(kids + i) != other_sup &&
				    atoi(kids + i) != host)
					sup = atoi(kids + i);
		free(kids);
	}
	CU_ASSERT_FATAL(sup > 0);
	snprintf(line, sizeof(line), "%d %d %d %d %d\n", (int)getpid(),
		 (int)sup, (int)host, (int)other_prog, (int)other_sup);
	fd = sbx_fd(sbx, SBX_FD_STDIN);
	CU_ASSERT_EQUAL(write(fd, line, strlen(line)), (ssize_t)strlen(line));
	sbx_close_stdin(sbx);
	CU_ASSERT_EQUAL(sbx_wait(sbx), 0);
	CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_STATUS), SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_EXIT_CODE), 0);
	CU_ASSERT_EQUAL(sbx_output(sbx, 1, &out, &len), 0);
	{
		char *text = strndup(out, len);
		struct tl_run r = { 0 };

		r.out = text;
		for (k = 0; k < LIVE_N(tags); k++)
			for (i = 0; i < LIVE_N(steps); i++) {
				snprintf(key, sizeof(key), "%s-%s", tags[k],
					 steps[i]);
				expect_failed(&r, key);
			}
		/* kill(-1) found nobody, or only the sandbox */
		CU_ASSERT_PTR_NOT_NULL(live_value(text, "kill-all"));
		free(text);
	}
	sbx_destroy(sbx);

	/* the host's checks */
	CU_ASSERT_EQUAL(usr1_count, 0);
	CU_ASSERT_EQUAL(kill(host, 0), 0);
	CU_ASSERT_EQUAL(tl_count_procs(host_mark), 1);
	CU_ASSERT_EQUAL(tl_count_procs(other_mark), 1);
	CU_ASSERT_EQUAL(sbx_try_wait(other), -EAGAIN);
	CU_ASSERT_EQUAL(sbx_kill(other), 0);
	CU_ASSERT_EQUAL(sbx_wait(other), 0);
	CU_ASSERT_EQUAL(sbx_result(other, SBX_RESULT_STATUS),
			SBX_STATUS_KILLED);
	sbx_destroy(other);
	kill(host, SIGKILL);
	waitpid(host, NULL, 0);
	sigaction(SIGUSR1, &old, NULL);
	free(script);
	free(host_mark);
	free(other_mark);
}

/* ---- cgroup v1 release_agent (CVE-2022-0492) ---------------------- */

static char *cg_agents(void)
{
	FILE *f = popen("for f in /sys/fs/cgroup/*/release_agent "
			"/sys/fs/cgroup/release_agent; do [ -e \"$f\" ] && "
			"echo \"$f=$(cat \"$f\")\"; done 2>/dev/null",
			"r");
	char *buf = calloc(1, 65536);
	size_t n = 0;

	if (f && buf)
		n = fread(buf, 1, 65535, f);
	if (buf)
		buf[n] = '\0';
	if (f)
		pclose(f);
	return buf;
}

static void test_release_agent(void)
{
	char *dir = tl_tmpdir(), *payload, *marker, *before, *after, *script;
	const char *argv[] = { TRY_ATTACK, "release-agent", NULL, NULL };
	static const char *const steps[] = {
		"unshare", "unshare-cgroup", "mount0", "mount1", "mount2",
		"mount3", "mount4", "cg0-agent", "cg1-agent", "cg2-agent",
		"cg3-agent", "cg4-agent", "fsopen", "mount-sysfs"
	};
	struct esc_cfg c = { 0 };
	struct tl_run r;
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	payload = fmt("%s/payload", dir);
	marker = fmt("%s/ran", dir);
	script = fmt("#!/bin/sh\ntouch %s\n", marker);
	CU_ASSERT_EQUAL_FATAL(tl_write_file(payload, script), 0);
	chmod(payload, 0755);
	before = cg_agents();
	argv[2] = payload;
	/* also with the payload's directory bound, as an exploit would
	 * need the host path of a file it controls */
	for (i = 0; i < 2; i++) {
		size_t k;

		c.binds[0] = i ? dir : NULL;
		tl_run_argv(&r, configure, &c, argv);
		TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
		for (k = 0; k < LIVE_N(steps); k++)
			expect_failed(&r, steps[k]);
		/* the host's cgroup hierarchies are not there at all */
		expect_errno(&r, "sys-cgroup", ENOENT);
		CU_ASSERT_PTR_NULL(live_value(r.out, "seen"));
		tl_run_free(&r);
	}
	usleep(200000);
	after = cg_agents();
	CU_ASSERT_STRING_EQUAL(before, after);
	CU_ASSERT_NOT_EQUAL(access(marker, F_OK), 0);
	if (!strstr(before, "release_agent="))
		printf("\n  (no cgroup v1 hierarchy on this host: the check "
		       "of the host's release_agent files had none to read)\n");
	free(before);
	free(after);
	free(script);
	free(payload);
	free(marker);
	tl_rmrf(dir);
	free(dir);
}

/* ---- the host's file-system unix sockets ------------------------- */

static int path_listener(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	unlink(path);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(s, 8) < 0) {
		if (s >= 0)
			close(s);
		return -1;
	}
	chmod(path, 0777); /* as docker.sock's group or an agent's owner */
	return s;
}

static int accepted(int s)
{
	struct pollfd p = { s, POLLIN, 0 };
	int c, n = 0;

	if (s < 0)
		return 0;
	while (poll(&p, 1, 100) > 0 &&
	       (c = accept4(s, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
		close(c);
		n++;
	}
	return n;
}

/*
 * An ssh-agent-like socket in the caller's home and in /tmp, and a
 * docker.sock-like one in /run (root only): none bound in, none reached,
 * by its path or through /proc/1/root.  The control binds /tmp's: then
 * the same helper connects, so the check can fail.
 */
static void test_unix_paths(void)
{
	const char *home = getenv("HOME");
	char *dir = tl_tmpdir(), *paths[3] = { NULL, NULL, NULL };
	const char *argv[10];
	int s[3] = { -1, -1, -1 }, n = 0, i, got;
	struct esc_cfg c = { 0 };
	struct tl_run r;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	paths[0] = fmt("%s/agent.sock", dir);
	s[0] = path_listener(paths[0]);
	CU_ASSERT_FATAL(s[0] >= 0);
	if (home && home[0] == '/' && strncmp(home, "/tmp", 4) != 0) {
		paths[1] = fmt("%s/.sbx-agent-%d.sock", home, (int)getpid());
		s[1] = path_listener(paths[1]);
	}
	if (is_root()) {
		paths[2] = fmt("/run/sbx-docker-%d.sock", (int)getpid());
		s[2] = path_listener(paths[2]);
	}
	argv[n++] = TRY_ATTACK;
	argv[n++] = "unix-path";
	for (i = 0; i < 3; i++) {
		if (s[i] < 0)
			continue;
		argv[n++] = paths[i];
	}
	{
		static char via[4200];

		snprintf(via, sizeof(via), "/proc/1/root%s", paths[0]);
		argv[n++] = via;
	}
	argv[n] = NULL;

	tl_run_argv(&r, configure, &c, argv);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	for (i = 0; i < n - 2; i++) {
		char key[32];

		snprintf(key, sizeof(key), "connect%d", i);
		expect_failed(&r, key);
	}
	got = accepted(s[0]) + accepted(s[1]) + accepted(s[2]);
	CU_ASSERT_EQUAL(got, 0);
	tl_run_free(&r);

	/* the control: /tmp's socket bound in, the same helper reaches it */
	c.binds[0] = dir;
	argv[3] = NULL;
	argv[2] = paths[0];
	tl_run_argv(&r, configure, &c, argv);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(live_int(r.out, "connect0", -1), 0);
	CU_ASSERT_EQUAL(accepted(s[0]), 1);
	tl_run_free(&r);

	for (i = 0; i < 3; i++) {
		if (s[i] >= 0)
			close(s[i]);
		if (paths[i])
			unlink(paths[i]);
		free(paths[i]);
	}
	tl_rmrf(dir);
	free(dir);
}

/* ---- /proc: kernel addresses, a host-wide sysctl ------------------ */

static long sysctl_long(const char *name)
{
	char path[256], *text;
	long v;

	snprintf(path, sizeof(path), "/proc/sys/%s", name);
	text = tl_read_file(path);
	v = text ? strtol(text, NULL, 10) : -1;
	free(text);
	return v;
}

static void test_proc(void)
{
	const char *ksyms[] = { TRY_ATTACK, "kallsyms", NULL };
	const char *hk[] = { "kallsyms", NULL };
	const char *knob = "/proc/sys/vm/max_map_count";
	char *host, *v0, *v1, value[32];
	const char *argv[] = { TRY_ATTACK, "sysctl", "vm/max_map_count", value,
			       NULL };
	struct tl_run r;

	/* /proc/kallsyms: every address zero (or no file).  The control:
	 * the host's root sees the addresses.  A host that gives them to
	 * every user (kptr_restrict 0, perf_event_paranoid 1 or below)
	 * gives them to the sandbox too: that is the host's choice. */
	tl_run_argv(&r, configure, NULL, ksyms);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	if (sysctl_long("kernel/kptr_restrict") == 0 &&
	    sysctl_long("kernel/perf_event_paranoid") <= 1)
		printf("\n  (this host shows kernel addresses to every user: "
		       "not checked)\n");
	else
		expect_errno(&r, "nonzero", 0);
	tl_run_free(&r);
	host = host_attack(hk, -1);
	if (is_root() && sysctl_long("kernel/kptr_restrict") < 2)
		CU_ASSERT(live_int(host, "nonzero", 0) > 0);
	free(host);

	/* a sysctl that is not namespaced: the host's value unchanged */
	v0 = tl_read_file(knob);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v0);
	snprintf(value, sizeof(value), "%ld", atol(v0) + 1);
	tl_run_argv(&r, configure, NULL, argv);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT(live_int(r.out, "open", -1) > 0 ||
		  live_int(r.out, "write", -1) > 0);
	v1 = tl_read_file(knob);
	CU_ASSERT_PTR_NOT_NULL(v1);
	if (v1 && strcmp(v0, v1) != 0) {
		CU_FAIL("the sandbox changed vm.max_map_count");
		tl_write_file(knob, v0); /* put it back */
	}
	free(v0);
	free(v1);
	tl_run_free(&r);
}

/* ---- descriptors, cwd and root of every process inside ------------ */

/* The program's own descriptors are stdio and the helper's own reads of
 * /proc; the init's (the supervisor's fork) cannot be opened, nor its cwd
 * or root; every cwd is inside the sandbox. */
static void test_all_fds(void)
{
	const char *argv[] = { TRY_ATTACK, "fds-all", NULL };
	char *dir = tl_tmpdir(), *line, *save = NULL, self[32];
	struct esc_cfg c = { 0 };
	struct tl_run r;
	int leak, cwd_ok = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	/* a descriptor the caller leaks, as test-isolation's test does */
	leak = fcntl(open(dir, O_RDONLY | O_DIRECTORY), F_DUPFD, 50);
	CU_ASSERT(leak >= 50);
	c.ws = dir;
	c.ws_mode = SBX_WORKSPACE_RW_LIVE;
	tl_run_argv(&r, configure, &c, argv);
	if (leak >= 0)
		close(leak);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	snprintf(self, sizeof(self), "%s",
		 live_value(r.out, "self") ? live_value(r.out, "self") : "?");
	/* the init: nothing of it opens */
	CU_ASSERT(live_int(r.out, "fddir 1", 0) > 0);
	for (line = strtok_r(r.out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char pid[32], n[32], target[4096];
		int opened;

		if (sscanf(line, "fd %31s %31s -> %4095s opened=%d", pid, n,
			   target, &opened) == 4) {
			/* the program's own: stdio, or /proc it is reading */
			int own_ok = strcmp(pid, self) == 0 &&
				     (atoi(n) <= 2 ||
				      strncmp(target, "/proc", 5) == 0);

			if (!own_ok && opened == 0)
				fprintf(stderr, "\n  opened: %s\n", line);
			CU_ASSERT(own_ok || opened != 0);
			CU_ASSERT_PTR_NULL(strstr(target, dir));
		} else if (sscanf(line, "cwd %31s -> %4095s opened=%d", pid,
				  target, &opened) == 3) {
			if (strcmp(pid, "1") == 0) {
				CU_ASSERT(opened != 0);
			} else if (strcmp(pid, self) == 0) {
				/* the sandbox's own path, not the host's */
				CU_ASSERT_PTR_NULL(strstr(target, dir));
				CU_ASSERT(opened == 0);
				cwd_ok = 1;
			}
		}
	}
	CU_ASSERT(cwd_ok);
	tl_run_free(&r);
	tl_rmrf(dir);
	free(dir);
}

/* ---- symlinks and hard links in the workspace --------------------- */

struct links {
	char *dir;    /* host dir, not bound */
	char *secret; /* dir/shadow: what a link points at */
	char *ws;     /* dir/ws */
	char *text;
};

static void links_make(struct links *l)
{
	char *p;

	l->dir = tl_tmpdir();
	CU_ASSERT_PTR_NOT_NULL_FATAL(l->dir);
	l->secret = fmt("%s/shadow", l->dir);
	l->ws = fmt("%s/ws", l->dir);
	l->text = fmt("sbx-shadow-%d-%ld\n", (int)getpid(), (long)time(NULL));
	/* readable by all: only the sandbox's namespaces may keep it */
	CU_ASSERT_EQUAL_FATAL(tl_write_file(l->secret, l->text), 0);
	chmod(l->secret, 0644);
	CU_ASSERT_EQUAL_FATAL(mkdir(l->ws, 0755), 0);
	p = fmt("%s/link", l->ws);
	CU_ASSERT_EQUAL(symlink(l->secret, p), 0);
	free(p);
	p = fmt("%s/dirlink", l->ws);
	CU_ASSERT_EQUAL(symlink(l->dir, p), 0);
	free(p);
	p = fmt("%s/rel", l->ws);
	CU_ASSERT_EQUAL(symlink("../shadow", p), 0);
	free(p);
	p = fmt("%s/sub", l->ws);
	CU_ASSERT_EQUAL(mkdir(p, 0755), 0);
	free(p);
	p = fmt("%s/sub/f", l->ws);
	CU_ASSERT_EQUAL(tl_write_file(p, "inside\n"), 0);
	free(p);
}

/* The host's file as it was, and nothing new next to it. */
static void links_check(struct links *l)
{
	char *text = tl_read_file(l->secret), *cmd;
	FILE *f;
	int n = -1;

	CU_ASSERT_PTR_NOT_NULL(text);
	if (text)
		CU_ASSERT_STRING_EQUAL(text, l->text);
	free(text);
	cmd = fmt("ls -A '%s' | tr '\\n' ' '", l->dir);
	f = popen(cmd, "r");
	if (f) {
		char buf[256] = "";

		n = fgets(buf, sizeof(buf), f) ? 0 : -1;
		if (strcmp(buf, "shadow ws ") != 0)
			fprintf(stderr, "\n  host dir now holds: %s\n", buf);
		CU_ASSERT_STRING_EQUAL(buf, "shadow ws ");
		pclose(f);
	}
	CU_ASSERT_EQUAL(n, 0);
	free(cmd);
}

static void links_free(struct links *l)
{
	tl_rmrf(l->dir);
	free(l->dir);
	free(l->secret);
	free(l->ws);
	free(l->text);
}

/*
 * The program follows links the caller left in the workspace to a host
 * file (absolute, relative, through a directory), writes through them,
 * and tries to make its own hard links to host files it can see.  In
 * every workspace mode.  The control binds the host directory: then the
 * same script reads the file, so the check can fail.
 */
static void test_links_followed(void)
{
	struct links l;
	struct esc_cfg c = { 0 };
	struct tl_run r;
	char *script;
	int mode;

	links_make(&l);
	script = fmt("cd /workspace; cat link dirlink/shadow rel; "
		     "echo PWNED > link; echo PWNED > dirlink/shadow; "
		     "echo PWNED > rel; mkdir -p '%s' && echo PWNED > link; "
		     "ln /etc/passwd pw && echo LINKED; "
		     "ln %s hl && echo LINKED; echo done=1",
		     l.dir, TRY_ATTACK);
	c.ws = l.ws;
	for (mode = 0; mode < 3; mode++) {
		c.ws_mode = mode;
		tl_run_sh(&r, configure, &c, script);
		TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
		CU_ASSERT_EQUAL(live_int(r.out, "done", 0), 1);
		CU_ASSERT_PTR_NULL(strstr(r.out, l.text));
		CU_ASSERT_PTR_NULL(strstr(r.out, "LINKED"));
		tl_run_free(&r);
		links_check(&l);
	}

	/* the control: bound, the same links do read it */
	c.ws_mode = SBX_WORKSPACE_RO;
	c.binds[0] = l.dir;
	tl_run_sh(&r, configure, &c, "cat /workspace/link");
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, l.text));
	tl_run_free(&r);
	free(script);
	links_free(&l);
}

/*
 * The copy-on-write apply meets what the program left: a symlink the
 * caller made, replaced by a directory holding a file of the same name as
 * the host's; a directory replaced by a symlink to the host's; new
 * symlinks to host files, written through; a hard link the caller left to
 * a host file, appended to.  The apply must not follow any of them, and
 * replaces a file rather than writing into its inode: the host file
 * unchanged, nothing new beside it.
 */
static void test_links_apply(void)
{
	struct links l;
	struct esc_cfg c = { 0 };
	struct tl_run r;
	char *script, *p, *q;
	struct stat st;

	links_make(&l);
	/* a hard link the caller left: the same inode as the host's file */
	p = fmt("%s/hard", l.ws);
	CU_ASSERT_EQUAL_FATAL(link(l.secret, p), 0);
	free(p);
	script = fmt("cd /workspace && echo PWNED >> hard && "
		     "rm dirlink && mkdir dirlink && "
		     "echo PWNED > dirlink/shadow && "
		     "rm -r sub && ln -s '%s' sub && "
		     "ln -s '%s' new && (echo PWNED > new; :) && "
		     "rm link && mkdir link && echo PWNED > link/x && "
		     "echo done=1",
		     l.dir, l.secret);
	c.ws = l.ws;
	c.ws_mode = SBX_WORKSPACE_RW;
	tl_run_sh(&r, configure, &c, script);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(live_int(r.out, "done", 0), 1);
	links_check(&l);
	/* what the apply did do, inside the workspace */
	p = fmt("%s/dirlink", l.ws);
	CU_ASSERT(lstat(p, &st) == 0 && S_ISDIR(st.st_mode));
	free(p);
	p = fmt("%s/dirlink/shadow", l.ws);
	q = tl_read_file(p);
	CU_ASSERT(q && strcmp(q, "PWNED\n") == 0);
	free(q);
	free(p);
	/* symlinks leading out of the workspace are withheld (trusted.h):
	 * the directory they replaced stays, with its file */
	p = fmt("%s/sub/f", l.ws);
	CU_ASSERT(lstat(p, &st) == 0 && S_ISREG(st.st_mode));
	free(p);
	p = fmt("%s/new", l.ws);
	CU_ASSERT(lstat(p, &st) < 0 && errno == ENOENT);
	free(p);
	CU_ASSERT(strstr(r.json, "\"withheld\":[") != NULL);
	CU_ASSERT(strstr(r.json, "\"new\"") != NULL);
	CU_ASSERT(strstr(r.json, "\"sub\"") != NULL);
	p = fmt("%s/hard", l.ws);
	CU_ASSERT(lstat(p, &st) == 0 && st.st_nlink == 1);
	q = tl_read_file(p);
	CU_ASSERT(q && strstr(q, "PWNED\n") != NULL);
	free(q);
	free(p);
	tl_run_free(&r);
	free(script);
	links_free(&l);
}

/* ---- the supervisor's own resources ------------------------------- */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A KEY of /proc/PID/status in kB, or -1. */
static long status_kb(pid_t pid, const char *key)
{
	char path[64], *text, *p;
	long v = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	text = tl_read_file(path);
	p = text ? strstr(text, key) : NULL;
	if (p)
		v = strtol(p + strlen(key), NULL, 10);
	free(text);
	return v;
}

/* CPU time of pid, in ms, or -1. */
static long cpu_ms(pid_t pid)
{
	char path[64], *text, *p;
	unsigned long ut, st;
	long v = -1;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	text = tl_read_file(path);
	p = text ? strrchr(text, ')') : NULL;
	if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
			       "%lu %lu", &ut, &st) == 2)
		v = (long)((ut + st) * 1000 / (unsigned long)sysconf(_SC_CLK_TCK));
	free(text);
	return v;
}

struct watched {
	long peak_kb;    /* the supervisor's largest VmHWM seen */
	long cpu_ms;     /* its CPU time, last seen */
	double worst_ms; /* the longest sbx_try_wait() call */
	double wall_s;
};

/*
 * Run sbx from the caller's side the way an event loop would: poll the
 * status fd, call sbx_try_wait(), and meanwhile watch the supervisor's
 * memory and CPU.  Returns sbx_try_wait()'s last answer.
 */
static int watch_run(sbx_t *sbx, struct watched *w, int limit_s)
{
	pid_t sup = live_child_of(getpid());
	double t0 = now_s();
	int fd = sbx_fd(sbx, SBX_FD_STATUS), rc;

	memset(w, 0, sizeof(*w));
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		double a;
		long v;

		poll(&p, 1, 20);
		a = now_s();
		rc = sbx_try_wait(sbx);
		a = (now_s() - a) * 1000;
		if (a > w->worst_ms)
			w->worst_ms = a;
		if (rc != -EAGAIN || now_s() - t0 > limit_s)
			break;
		v = status_kb(sup, "VmHWM:");
		if (v > w->peak_kb)
			w->peak_kb = v;
		v = cpu_ms(sup);
		if (v >= 0)
			w->cpu_ms = v;
	}
	w->wall_s = now_s() - t0;
	return rc;
}

/* Bounds on the supervisor whatever the program does. */
#define SUP_MAX_KB (48 * 1024)

/*
 * Output on both streams at full speed, 100 MB each against an 8 MiB cap:
 * the supervisor keeps a bounded amount (the caller keeps the cap), every
 * sbx_try_wait() answers at once, the program runs to its end, and the
 * result says what was dropped.
 */
static void test_output_both(void)
{
	const char *argv[] = { "/bin/sh", "-c",
			       "head -c 100000000 /dev/zero & "
			       "head -c 100000000 /dev/zero >&2; wait; "
			       "echo end >&2",
			       NULL };
	struct esc_cfg c = { 0 };
	struct watched w;
	const char *data;
	size_t len;
	sbx_t *sbx;

	c.output = 8 << 20;
	sbx = start(&c, argv, 0);
	CU_ASSERT_EQUAL(watch_run(sbx, &w, 60), 0);
	CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_STATUS), SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(sbx_output(sbx, 1, &data, &len), 0);
	CU_ASSERT_EQUAL(len, 8 << 20);
	CU_ASSERT_EQUAL(sbx_output(sbx, 2, &data, &len), 0);
	CU_ASSERT_EQUAL(len, 8 << 20);
	CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_STDOUT_TRUNCATED), 1);
	CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_STDERR_TRUNCATED), 1);
	printf("\n  supervisor peak %ld kB, cpu %ld ms; slowest "
	       "sbx_try_wait %.1f ms; %.1f s\n",
	       w.peak_kb, w.cpu_ms, w.worst_ms, w.wall_s);
	CU_ASSERT(w.peak_kb > 0 && w.peak_kb < SUP_MAX_KB);
	CU_ASSERT(w.worst_ms < 500);
	sbx_destroy(sbx);
}

/* A million denied calls cost the supervisor nothing (the kernel answers
 * them); a hundred thousand it is asked about (shared anonymous mmap()
 * when it watches memory) cost it time, not memory, and the result is
 * right either way; endless ones end at the sandbox's CPU limit. */
static void test_call_floods(void)
{
	const char *deny[] = { TRY_ATTACK, "deny-flood", "1000000", NULL };
	const char *notify[] = { TRY_ATTACK, "notify-flood", "100000", NULL };
	struct watched w;
	const char *data;
	size_t len;
	sbx_t *sbx;

	sbx = start(NULL, deny, 0);
	CU_ASSERT_EQUAL(watch_run(sbx, &w, 60), 0);
	CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_STATUS), SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(sbx_output(sbx, 1, &data, &len), 0);
	CU_ASSERT_PTR_NOT_NULL(memmem(data, len, "eperm=1000000\n", 14));
	printf("\n  denied: supervisor peak %ld kB, cpu %ld ms, %.1f s\n",
	       w.peak_kb, w.cpu_ms, w.wall_s);
	CU_ASSERT(w.peak_kb > 0 && w.peak_kb < SUP_MAX_KB);
	sbx_destroy(sbx);

	sbx = start(NULL, notify, 0);
	CU_ASSERT_EQUAL(watch_run(sbx, &w, 60), 0);
	CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_STATUS), SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(sbx_output(sbx, 1, &data, &len), 0);
	CU_ASSERT_PTR_NOT_NULL(memmem(data, len, "mapped=100000\n", 14));
	printf("  notified: supervisor peak %ld kB, cpu %ld ms, %.1f s\n",
	       w.peak_kb, w.cpu_ms, w.wall_s);
	CU_ASSERT(w.peak_kb > 0 && w.peak_kb < SUP_MAX_KB);
	CU_ASSERT(w.worst_ms < 500);
	sbx_destroy(sbx);

	/* without end, under a CPU limit of one second: the run ends at the
	 * limit, and the supervisor spent time of the same order */
	{
		const char *endless[] = { TRY_ATTACK, "notify-flood",
					  "1000000000", NULL };

		CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
		configure(sbx, NULL);
		CU_ASSERT_EQUAL(sbx_limit(sbx, SBX_LIMIT_CPU_MS, 1000), 0);
		CU_ASSERT_EQUAL_FATAL(sbx_exec(sbx, endless), 0);
		CU_ASSERT_EQUAL(watch_run(sbx, &w, 60), 0);
		CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_STATUS),
				SBX_STATUS_CPU_LIMIT);
		printf("  endless, cpu 1 s: supervisor cpu %ld ms, %.1f s\n",
		       w.cpu_ms, w.wall_s);
		CU_ASSERT(w.cpu_ms < 5000);
		CU_ASSERT(w.wall_s < 30);
		sbx_destroy(sbx);
	}
}

/*
 * Huge argv and environments: the kernel's limits, not the supervisor,
 * decide.  1 MB in 20,000 arguments and 4,096 variables (the library's
 * maximum: one more is E2BIG at sbx_set_env()) arrive whole; an
 * argument over the kernel's 128 KiB per string, and 4 MB of arguments,
 * end as a clean failure of the exec, promptly.
 */
static void test_huge_argv_env(void)
{
	enum { NARGS = 20000, ARGLEN = 50, NENV = 4096 };
	const char **argv = calloc(NARGS + 4, sizeof(*argv));
	char *arg = malloc(ARGLEN + 1), *big = malloc(200 * 1024);
	const char *one[] = { TRY_ATTACK, "args", NULL, NULL };
	struct watched w;
	const char *data;
	size_t len, i;
	char want[64];
	sbx_t *sbx;

	CU_ASSERT_FATAL(argv && arg && big);
	memset(arg, 'a', ARGLEN);
	arg[ARGLEN] = '\0';
	argv[0] = TRY_ATTACK;
	argv[1] = "args";
	for (i = 0; i < NARGS; i++)
		argv[i + 2] = arg;
	sbx = start(NULL, argv, 0);
	CU_ASSERT_EQUAL(watch_run(sbx, &w, 60), 0);
	CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_STATUS), SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(sbx_output(sbx, 1, &data, &len), 0);
	snprintf(want, sizeof(want), "argc=%d\nbytes=%d\n", NARGS,
		 NARGS * ARGLEN);
	CU_ASSERT(len == strlen(want) && memcmp(data, want, len) == 0);
	CU_ASSERT(w.peak_kb < SUP_MAX_KB);
	sbx_destroy(sbx);

	/* 4,096 variables, and not one more */
	{
		const char *sh[] = { "/bin/sh", "-c",
				     "env | grep -c '^SBXV'", NULL };
		struct esc_cfg c = { 0 };

		CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
		configure(sbx, &c);
		sbx_set_stdio(sbx, 1, SBX_STDIO_CAPTURE, -1);
		for (i = 0; i < NENV; i++) {
			char name[32];

			snprintf(name, sizeof(name), "SBXV%zu", i);
			CU_ASSERT_EQUAL(sbx_set_env(sbx, name, arg), 0);
		}
		CU_ASSERT_EQUAL(sbx_set_env(sbx, "SBXV_ONE_MORE", arg),
				-E2BIG);
		CU_ASSERT_EQUAL_FATAL(sbx_exec(sbx, sh), 0);
		CU_ASSERT_EQUAL(watch_run(sbx, &w, 60), 0);
		CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_STATUS),
				SBX_STATUS_EXITED);
		CU_ASSERT_EQUAL(sbx_output(sbx, 1, &data, &len), 0);
		CU_ASSERT(len == 5 && memcmp(data, "4096\n", 5) == 0);
		sbx_destroy(sbx);
	}

	/* one argument over MAX_ARG_STRLEN, then 4 MB in all: E2BIG */
	memset(big, 'b', 200 * 1024 - 1);
	big[200 * 1024 - 1] = '\0';
	one[2] = big;
	for (i = 0; i < 2; i++) {
		int rc;

		CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
		configure(sbx, NULL);
		if (i == 1) {
			size_t k;

			for (k = 0; k < NARGS; k++)
				argv[k + 2] = big + 200 * 1024 - 1 - 200;
		}
		rc = sbx_exec(sbx, i ? argv : one);
		if (rc == 0) {
			CU_ASSERT_EQUAL(watch_run(sbx, &w, 30), 0);
			CU_ASSERT(w.wall_s < 30);
			if (sbx_result(sbx, SBX_RESULT_STATUS) !=
			    SBX_STATUS_SETUP_ERROR)
				fprintf(stderr, "\n  status %lld: %s\n",
					(long long)sbx_result(sbx,
							      SBX_RESULT_STATUS),
					sbx_result_message(sbx));
			CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_STATUS),
					SBX_STATUS_SETUP_ERROR);
			CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_SETUP_ERRNO),
					E2BIG);
		} else {
			/* refused before anything started */
			CU_ASSERT_EQUAL(rc, -E2BIG);
		}
		sbx_destroy(sbx);
	}
	free(argv);
	free(arg);
	free(big);
}

static CU_TestInfo tests[] = {
	{ "controls: the attacks work outside the sandbox", test_controls },
	{ "TIOCLINUX and TIOCSTI on a real terminal, with high bits",
	  test_tioclinux },
	{ "Shocker: open_by_handle_at with a guessed handle", test_shocker },
	{ "the supervisor's, library's and mapped files (CVE-2019-5736)",
	  test_runtime_files },
	{ "ptrace, process_vm_writev, pidfd_getfd on a sibling",
	  test_sibling },
	{ "the caller, the supervisor, a host process, another sandbox",
	  test_other_processes },
	{ "cgroup v1 release_agent (CVE-2022-0492)", test_release_agent },
	{ "the host's file-system unix sockets", test_unix_paths },
	{ "/proc/kallsyms and a host-wide sysctl", test_proc },
	{ "every descriptor, cwd and root in sight", test_all_fds },
	{ "links in the workspace followed by the program",
	  test_links_followed },
	{ "links in the workspace met by the apply", test_links_apply },
	{ "output floods on both streams", test_output_both },
	{ "floods of denied and supervised calls", test_call_floods },
	{ "huge argv, thousands of variables", test_huge_argv_env },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "escapes", NULL, NULL, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tl_main(suites);
}
