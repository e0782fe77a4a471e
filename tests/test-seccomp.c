/* test-seccomp.c - attacks on the system call filter: every denied call,
 * natively, through int $0x80 and by x32 number, and terminal injection
 * with TIOCSTI and TIOCSETD; each test fails if a call gets through. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "live.h"

/* Issue 2's deny list as try-syscall's recipes, then what the filter also
 * denies beyond it (the new mount API, other processes' fds). */
static const char *const denied[] = {
	"ptrace", "process_vm_readv", "process_vm_writev",
	"mount", "umount2", "pivot_root", "chroot",
	"unshare-newuser", "unshare-newns", "unshare-newnet", "unshare-newpid",
	"unshare-newipc", "unshare-newuts", "unshare-newcgroup",
	"unshare-newtime", "setns",
	"clone-newuser", "clone-newns", "clone-newnet", "clone-newpid",
	"clone-newipc", "clone-newuts", "clone-newcgroup",
	"clone-newuser-newns",
	"bpf", "perf_event_open", "userfaultfd", "keyctl", "add_key",
	"request_key", "io_uring_setup", "io_uring_enter", "io_uring_register",
	"kexec_load", "kexec_file_load", "init_module", "finit_module",
	"delete_module", "open_by_handle_at", "name_to_handle_at",
	"swapon", "swapoff", "reboot", "syslog", "acct", "quotactl",
	"personality-linux32", "personality-addr-no-randomize",
	"personality-read-implies-exec",
	"ioctl-tiocsti", "ioctl-tiocsti-high", "ioctl-tioclinux",
	"ioctl-tioclinux-high",
	"pidfd_getfd", "kcmp", "fsopen", "fsconfig", "fsmount", "fspick",
	"move_mount", "open_tree", "mount_setattr", "quotactl_fd", "uselib",
	"lookup_dcookie",
	/* the security issue: the line discipline, the newest mount call */
	"ioctl-tiocsetd", "ioctl-tiocsetd-high", "open_tree_attr",
};
#define N_DENIED (sizeof(denied) / sizeof(denied[0]))

/* clone3 hides its flags from seccomp: ENOSYS, so libc falls back to
 * clone, in both modes; io_setup would take from the machine's one AIO
 * budget: ENOSYS, as without kernel AIO. */
static const char *const enosys[] = { "clone3", "clone3-newuser",
				      "io_setup" };

/* Allowed: they prove the helper works and the filter is not a blanket
 * refusal.  The last one fails, but with ENOTTY from the kernel (stdin is
 * /dev/null), not with the filter's EPERM. */
static const char *const allowed[] = { "getpid", "clone-plain",
				       "personality-query",
				       "personality-linux", "ioctl-tcgets" };
#define N_ALLOWED_OK 4

struct sc_cfg {
	int kill;
	int stdin_fd; /* -1: /dev/null */
	int pty;      /* SBX_FLAG_PTY */
};

static void configure(sbx_t *sbx, void *arg)
{
	const struct sc_cfg *c = arg;

	live_setup(sbx);
	if (c->kill)
		CU_ASSERT_EQUAL(sbx_set_flag(sbx, SBX_FLAG_SECCOMP_KILL, 1), 0);
	if (c->stdin_fd >= 0)
		CU_ASSERT_EQUAL(sbx_set_stdio(sbx, 0, SBX_STDIO_FD,
					      c->stdin_fd),
				0);
	CU_ASSERT_EQUAL(sbx_set_flag(sbx, SBX_FLAG_PTY, c->pty), 0);
}

/* Run try-syscall [abi] names... in a sandbox. */
static void run_try(struct tl_run *r, int kill, const char *abi,
		    const char *const *names, size_t n)
{
	const char *argv[N_DENIED + 16];
	struct sc_cfg c = { kill, -1, 0 };
	size_t i, k = 0;

	argv[k++] = LIVE_TRY_SYSCALL;
	if (abi)
		argv[k++] = abi;
	for (i = 0; i < n && k < sizeof(argv) / sizeof(argv[0]) - 1; i++)
		argv[k++] = names[i];
	argv[k] = NULL;
	tl_run_argv(r, configure, &c, argv);
}

/* The result of name in try-syscall's output: the errno, 0, or -1 when
 * the call was not made (or killed the program). */
static int result_of(const struct tl_run *r, const char *name)
{
	const char *v = live_value(r->out, name);

	if (!v)
		return -1;
	if (strcmp(v, "absent") == 0)
		return -2;
	return atoi(v);
}

static void expect(const struct tl_run *r, const char *name, int want)
{
	int got = result_of(r, name);

	if (got == -2)
		return; /* this ABI has no such call */
	if (got != want)
		fprintf(stderr, "\n  %s: got %d, expected %d\n", name, got,
			want);
	CU_ASSERT_EQUAL(got, want);
}

static void test_denied_eperm(void)
{
	const char *names[N_DENIED + 8];
	struct tl_run r;
	size_t i, n = 0;

	for (i = 0; i < LIVE_N(allowed); i++)
		names[n++] = allowed[i];
	for (i = 0; i < N_DENIED; i++)
		names[n++] = denied[i];
	for (i = 0; i < LIVE_N(enosys); i++)
		names[n++] = enosys[i];
	run_try(&r, 0, NULL, names, n);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(r.exit_code, 0);
	for (i = 0; i < N_ALLOWED_OK; i++)
		expect(&r, allowed[i], 0);
	/* ENOTTY from the kernel, not EPERM from the filter */
	expect(&r, "ioctl-tcgets", ENOTTY);
	for (i = 0; i < N_DENIED; i++)
		expect(&r, denied[i], EPERM);
	for (i = 0; i < LIVE_N(enosys); i++)
		expect(&r, enosys[i], ENOSYS);
	tl_run_free(&r);
}

/* With SBX_FLAG_SECCOMP_KILL a denied call ends the program with SIGSYS:
 * proof that the filter, not a missing capability, stopped it.  One
 * sandbox per call, since the first one ends the program. */
static void expect_killed(int kill, const char *abi, const char *name)
{
	const char *names[] = { name };
	char tried[128];
	struct tl_run r;

	run_try(&r, kill, abi, names, 1);
	snprintf(tried, sizeof(tried), "try %s\n", name);
	if (result_of(&r, name) == -2) {
		tl_run_free(&r);
		return; /* this ABI has no such call */
	}
	if (r.status != SBX_STATUS_SIGNALED || r.signal != SIGSYS)
		fprintf(stderr,
			"\n  %s%s: status %lld signal %lld, expected SIGSYS\n"
			"  stdout: %s\n  message: %s\n",
			abi ? abi : "", name, (long long)r.status,
			(long long)r.signal, r.out, r.message);
	CU_ASSERT_EQUAL(r.status, SBX_STATUS_SIGNALED);
	CU_ASSERT_EQUAL(r.signal, SIGSYS);
	/* it got as far as the call, and the call never returned */
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, tried));
	CU_ASSERT_EQUAL(result_of(&r, name), -1);
	tl_run_free(&r);
}

static void test_denied_kill(void)
{
	const char *names[16];
	struct tl_run r;
	size_t i, n = 0;

	for (i = 0; i < N_DENIED; i++)
		expect_killed(1, NULL, denied[i]);

	/* what is allowed, and clone3's ENOSYS, do not kill */
	for (i = 0; i < LIVE_N(allowed); i++)
		names[n++] = allowed[i];
	for (i = 0; i < LIVE_N(enosys); i++)
		names[n++] = enosys[i];
	run_try(&r, 1, NULL, names, n);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	for (i = 0; i < N_ALLOWED_OK; i++)
		expect(&r, allowed[i], 0);
	expect(&r, "ioctl-tcgets", ENOTTY);
	for (i = 0; i < LIVE_N(enosys); i++)
		expect(&r, enosys[i], ENOSYS);
	tl_run_free(&r);
}

/* What getpid through abi does on the host, without any filter: 0 when
 * it works, else the errno (or -1 if the control could not run). */
static int host_control(const char *abi)
{
	const char *argv[] = { live_host_path("try-syscall"), abi, "getpid",
			       NULL };
	char *out = NULL;
	int st = live_host_run(argv, -1, &out), v = -1;

	if (st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0)
		v = live_int(out, "getpid", -1);
	else if (st >= 0 && WIFSIGNALED(st))
		v = -WTERMSIG(st);
	free(out);
	return v;
}

/* Every call by another ABI's number: EPERM mode answers ENOSYS for the
 * whole ABI (even getpid), kill mode kills. */
static void other_abi(const char *abi)
{
	const char *names[N_DENIED + 8];
	struct tl_run r;
	size_t i, n = 0;

	names[n++] = "getpid";
	for (i = 0; i < N_DENIED; i++)
		names[n++] = denied[i];
	for (i = 0; i < LIVE_N(enosys); i++)
		names[n++] = enosys[i];
	run_try(&r, 0, abi, names, n);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(r.exit_code, 0);
	for (i = 0; i < n; i++)
		expect(&r, names[i], ENOSYS);
	tl_run_free(&r);

	for (i = 0; i < n; i++)
		expect_killed(1, abi, names[i]);
}

static void test_i386(void)
{
	int control;

#ifndef __x86_64__
	tl_skip("int $0x80 and i386 numbers exist only on x86_64");
	return;
#endif
	control = host_control("--i386");
	if (control < 0 && control != -1) {
		/* The kernel has no IA32 emulation (ia32_emulation=0, or
		 * CONFIG_IA32_EMULATION_DEFAULT_DISABLED): int $0x80 faults
		 * before any filter sees it.  Inside, it must not work
		 * either: the program dies by the same fault or by SIGSYS. */
		const char *names[] = { "getpid" };
		struct tl_run r;

		run_try(&r, 0, "--i386", names, 1);
		CU_ASSERT_EQUAL(r.status, SBX_STATUS_SIGNALED);
		CU_ASSERT(r.signal == -control || r.signal == SIGSYS);
		CU_ASSERT_NOT_EQUAL(result_of(&r, "getpid"), 0);
		tl_run_free(&r);
		tl_skip("int $0x80 kills even without a filter here (signal "
			"%d: no IA32 emulation), so the filter's i386 refusal "
			"could not be told apart from the kernel's",
			-control);
		return;
	}

	/* Inside, nothing by i386 number may succeed, whatever the kernel
	 * can do. */
	other_abi("--i386");
	if (control != 0)
		tl_skip("int $0x80 getpid fails on this host even without a "
			"filter (%d): no IA32 emulation, so the filter's i386 "
			"refusal was checked only against a kernel that "
			"refuses too",
			control);
}

static void test_x32(void)
{
	int control;

#ifndef __x86_64__
	tl_skip("x32 numbers exist only on x86_64");
	return;
#endif
	control = host_control("--x32");

	/* Without x32 support the kernel answers ENOSYS to x32 numbers by
	 * itself, so in EPERM mode the filter's ENOSYS looks the same; in
	 * kill mode only the filter can answer SIGSYS, which other_abi()
	 * asserts for every call. */
	other_abi("--x32");
	if (control == 0)
		printf("\n  x32 works on this host: ENOSYS inside was the "
		       "filter's\n");
}

/* ---- TIOCSTI into a terminal the sandbox was given ---------------- */

struct pty {
	int master;
	int slave;
};

static int pty_open(struct pty *p)
{
	struct termios t;

	p->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (p->master < 0 || grantpt(p->master) < 0 || unlockpt(p->master) < 0)
		return -errno;
	p->slave = open(ptsname(p->master), O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (p->slave < 0)
		return -errno;
	/* raw: one injected byte is input at once, and nothing echoes */
	if (tcgetattr(p->slave, &t) < 0)
		return -errno;
	cfmakeraw(&t);
	return tcsetattr(p->slave, TCSANOW, &t) < 0 ? -errno : 0;
}

static void pty_close(struct pty *p)
{
	close(p->slave);
	close(p->master);
}

/* Bytes waiting as input on the terminal: what an injection leaves. */
static int pty_pending(const struct pty *p)
{
	struct pollfd pfd = { p->slave, POLLIN, 0 };
	int n = 0;

	poll(&pfd, 1, 300);
	if (ioctl(p->slave, FIONREAD, &n) < 0)
		return -errno;
	return n;
}

/* Outside any sandbox, the same attack: does this kernel let a session
 * leader inject into its own terminal?  (It must, for the test inside
 * to mean something beyond SIGSYS.) */
static int tiocsti_control(void)
{
	const char *argv[] = { live_host_path("try-escape"), "tiocsti", "0",
			       "id\n", NULL };
	struct pty p;
	char *out = NULL;
	int n;

	if (pty_open(&p) < 0)
		return -1;
	live_host_run(argv, p.slave, &out);
	n = pty_pending(&p);
	free(out);
	pty_close(&p);
	return n;
}

static void tiocsti_inside(int kill, int high)
{
	const char *argv[] = { LIVE_TRY_ESCAPE, "tiocsti", "0", "id\n",
			       high ? "high" : NULL, NULL };
	struct sc_cfg c = { kill, -1, 1 };
	struct tl_run r;
	struct pty p;

	/* The program never holds the caller's terminal (the supervisor
	 * relays it): it attacks the sandbox's own, its controlling one. */
	CU_ASSERT_EQUAL_FATAL(pty_open(&p), 0);
	c.stdin_fd = p.slave;
	tl_run_argv(&r, configure, &c, argv);
	/* the host's check: nothing arrived as input on the terminal */
	CU_ASSERT_EQUAL(pty_pending(&p), 0);
	/* the program did make the terminal its own, so only the filter
	 * stood between it and the injection */
	CU_ASSERT_EQUAL(live_int(r.out, "tiocsctty", -1), 0);
	if (kill) {
		CU_ASSERT_EQUAL(r.status, SBX_STATUS_SIGNALED);
		CU_ASSERT_EQUAL(r.signal, SIGSYS);
		CU_ASSERT_PTR_NULL(live_value(r.out, "tiocsti"));
	} else {
		TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
		CU_ASSERT_EQUAL(live_int(r.out, "tiocsti", -1), EPERM);
	}
	tl_run_free(&r);
	pty_close(&p);
}

static void test_tiocsti(void)
{
	int control = tiocsti_control();

	tiocsti_inside(0, 0);
	tiocsti_inside(0, 1);
	tiocsti_inside(1, 0);
	tiocsti_inside(1, 1);
	if (control <= 0)
		tl_skip("TIOCSTI does not inject on this host even without "
			"a sandbox (dev.tty.legacy_tiocsti=0?): only the "
			"SIGSYS runs showed the filter at work");
}

/* ---- TIOCSETD on a terminal the sandbox was given ---------------- */

/* The terminal's line discipline, read on the host: N_TTY (0) is the
 * one every terminal has. */
static int pty_ldisc(const struct pty *p)
{
	int disc = -1;

	return ioctl(p->slave, TIOCGETD, &disc) < 0 ? -errno : disc;
}

/* Outside any sandbox: the attack does kill the terminal here (the
 * line discipline N_NULL is built in or can be loaded). */
static int tiocsetd_control(void)
{
	const char *argv[] = { live_host_path("try-escape"), "tiocsetd", "0",
			       NULL };
	struct pty p;
	char *out = NULL;
	int disc;

	if (pty_open(&p) < 0)
		return -1;
	live_host_run(argv, p.slave, &out);
	disc = pty_ldisc(&p);
	free(out);
	pty_close(&p);
	return disc;
}

static void tiocsetd_inside(int kill, int high)
{
	const char *argv[] = { LIVE_TRY_ESCAPE, "tiocsetd", "0",
			       high ? "high" : NULL, NULL };
	struct sc_cfg c = { kill, -1 };
	struct tl_run r;
	struct pty p;

	CU_ASSERT_EQUAL_FATAL(pty_open(&p), 0);
	c.stdin_fd = p.slave;
	tl_run_argv(&r, configure, &c, argv);
	/* the host's check: the terminal still has its line discipline */
	CU_ASSERT_EQUAL(pty_ldisc(&p), 0);
	if (kill) {
		CU_ASSERT_EQUAL(r.status, SBX_STATUS_SIGNALED);
		CU_ASSERT_EQUAL(r.signal, SIGSYS);
		CU_ASSERT_PTR_NULL(live_value(r.out, "tiocsetd"));
	} else {
		TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
		CU_ASSERT_EQUAL(live_int(r.out, "tiocsetd", -1), EPERM);
	}
	tl_run_free(&r);
	pty_close(&p);
}

static void test_tiocsetd(void)
{
	int control = tiocsetd_control();

	tiocsetd_inside(0, 0);
	tiocsetd_inside(0, 1);
	tiocsetd_inside(1, 0);
	tiocsetd_inside(1, 1);
	if (control == 0)
		tl_skip("TIOCSETD N_NULL does not change a terminal on this "
			"host even without a sandbox (no N_NULL, and no "
			"module loading): only the SIGSYS runs showed the "
			"filter at work");
}

static CU_TestInfo seccomp_tests[] = {
	{ "denied calls fail with EPERM", test_denied_eperm },
	{ "denied calls kill with SIGSYS", test_denied_kill },
	{ "i386 numbers through int $0x80", test_i386 },
	{ "x32 numbers", test_x32 },
	{ "TIOCSTI into a terminal, with and without high bits",
	  test_tiocsti },
	{ "TIOCSETD on a terminal, with and without high bits",
	  test_tiocsetd },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "seccomp", NULL, NULL, NULL, NULL, seccomp_tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tl_main(suites);
}
