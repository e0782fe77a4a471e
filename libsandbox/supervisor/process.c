/* process.c - the sandbox's init (PID 1): builds the root, drops every
 * privilege, loads seccomp last, then runs the program and reaps. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

#include "readfile.h"
#include "relay.h"
#include "sanitizers.h"
#include "sup.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* The report descriptor's number once every other fd is closed. */
#define REPORT_FD 3

/* A limit the caller's own hard limit is below is that hard limit: a
 * lower cap is stricter, never weaker, and only a privileged caller
 * could raise it (a default RLIMIT_NOFILE of 1024 under `ulimit -Hn
 * 512` runs with 512 instead of failing). */
static void set_rlimit(int report, int resource, const char *name,
		       uint64_t soft, uint64_t hard)
{
	struct rlimit rl = { .rlim_cur = soft, .rlim_max = hard }, now;

	if (getrlimit(resource, &now) == 0 && now.rlim_max != RLIM_INFINITY &&
	    rl.rlim_max > now.rlim_max) {
		rl.rlim_max = now.rlim_max;
		if (rl.rlim_cur > rl.rlim_max)
			rl.rlim_cur = rl.rlim_max;
	}
	if (setrlimit(resource, &rl) < 0)
		child_fail(report, SBX_STEP_RLIMIT, errno,
			   "cannot set %s to %llu: %s (the caller's own hard "
			   "limit may be lower)",
			   name, (unsigned long long)soft, strerror(errno));
}

/* Limits per process; the cgroup, when there is one, bounds the whole
 * sandbox and makes some of these unnecessary (sup_plan_limits). */
static void set_rlimits(const struct sup_config *cfg,
			const struct sup_plan *plan, int report)
{
	const uint64_t *lim = cfg->limits;

	if (lim[SBX_LIMIT_NOFILE])
		set_rlimit(report, RLIMIT_NOFILE, "RLIMIT_NOFILE",
			   lim[SBX_LIMIT_NOFILE], lim[SBX_LIMIT_NOFILE]);
	else if (plan->caller_nofile.rlim_max)
		set_rlimit(report, RLIMIT_NOFILE, "RLIMIT_NOFILE",
			   plan->caller_nofile.rlim_cur,
			   plan->caller_nofile.rlim_max);
	if (lim[SBX_LIMIT_FSIZE])
		set_rlimit(report, RLIMIT_FSIZE, "RLIMIT_FSIZE",
			   lim[SBX_LIMIT_FSIZE], lim[SBX_LIMIT_FSIZE]);
	/* (RLIMIT_DATA comes last: sandbox_init()) */
	if (plan->rl_nproc)
		set_rlimit(report, RLIMIT_NPROC, "RLIMIT_NPROC", plan->rl_nproc,
			   plan->rl_nproc);
	if (plan->rl_cpu_s)
		set_rlimit(report, RLIMIT_CPU, "RLIMIT_CPU", plan->rl_cpu_s,
			   plan->rl_cpu_s + 1);
	/* No core dumps of sandboxed programs land anywhere. */
	set_rlimit(report, RLIMIT_CORE, "RLIMIT_CORE", 0, 0);
	/* budgets counted per user, shared with the caller (budgets.c) */
	sandbox_budget_rlimits(&plan->budget, report);
}

static int last_cap(void)
{
	return (int)sup_read_long("/proc/sys/kernel/cap_last_cap", 63);
}

/* Drop every capability from the bounding set, so no exec can bring one
 * back (clear_caps() then drops the rest).  With SBX_FLAG_ALLOW_SETID,
 * CAP_SETUID and CAP_SETGID stay (in this user namespace only), for root
 * inside to keep across exec. */
static void drop_privileges(int report, int cap_max, int keep_setid)
{
	unsigned long bits;
	int cap;

	for (cap = 0; cap <= cap_max; cap++) {
		if (keep_setid && (cap == CAP_SETUID || cap == CAP_SETGID))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			child_fail(report, SBX_STEP_CAPS, errno,
				   "cannot drop capability %d from the "
				   "bounding set: %s",
				   cap, strerror(errno));
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 &&
	    errno != EINVAL)
		child_fail(report, SBX_STEP_CAPS, errno,
			   "cannot clear ambient capabilities: %s",
			   strerror(errno));
	/* Root inside gains nothing at exec, even from file capabilities;
	 * unless set-id capabilities are kept, which root inside must get
	 * back at exec (the bounding set holds nothing else). */
	bits = SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED |
	       SECBIT_NO_CAP_AMBIENT_RAISE | SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED;
	if (!keep_setid)
		bits |= SECBIT_NOROOT | SECBIT_NOROOT_LOCKED;
	if (prctl(PR_SET_SECUREBITS, bits, 0, 0, 0) < 0)
		child_fail(report, SBX_STEP_CAPS, errno,
			   "cannot lock the securebits: %s", strerror(errno));
}

/* The last of the privileges, after drop_privileges() or the degraded
 * drop: every capability (but the set-id ones, when kept), then
 * no_new_privs. */
static void clear_caps(int report, int keep_setid)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3,
						0 };
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	if (keep_setid) {
		data[0].effective = data[0].permitted =
			(1u << CAP_SETUID) | (1u << CAP_SETGID);
	}
	if (syscall(SYS_capset, &hdr, data) < 0)
		child_fail(report, SBX_STEP_CAPS, errno,
			   "cannot clear capabilities: %s", strerror(errno));
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		child_fail(report, SBX_STEP_CAPS, errno,
			   "cannot set no_new_privs: %s", strerror(errno));
}

static void load_seccomp(const struct sup_plan *plan, int report)
{
	struct sock_fprog prog = {
		.len = plan->bpf_count,
		.filter = (struct sock_filter *)plan->bpf,
	};

	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
		child_fail(report, SBX_STEP_SECCOMP, errno,
			   "cannot load the seccomp filter: %s",
			   strerror(errno));
}

static const char *env_get(char *const *envp, const char *name)
{
	size_t n = strlen(name);

	for (; *envp; envp++)
		if (strncmp(*envp, name, n) == 0 && (*envp)[n] == '=')
			return *envp + n + 1;
	return NULL;
}

/* execvpe() searches the caller's PATH, not the program's: search the
 * sandbox's PATH ourselves.  Returns the errno to report. */
static int exec_program(char *const *argv, char *const *envp)
{
	const char *path, *p;
	char full[PATH_MAX];
	int saw_eacces = 0;

	if (strchr(argv[0], '/')) {
		execve(argv[0], argv, envp);
		return errno;
	}
	path = env_get(envp, "PATH");
	if (!path)
		path = "/usr/bin:/bin";
	for (p = path;; p++) {
		const char *e = strchrnul(p, ':');
		size_t dl = (size_t)(e - p);

		if (dl + strlen(argv[0]) + 2 <= sizeof(full)) {
			if (dl == 0)
				full[0] = '.', dl = 1;
			else
				memcpy(full, p, dl);
			full[dl] = '/';
			strcpy(full + dl + 1, argv[0]);
			execve(full, argv, envp);
			if (errno == EACCES)
				saw_eacces = 1;
			else if (errno != ENOENT && errno != ENOTDIR)
				return errno;
		}
		if (!*e)
			break;
		p = e;
	}
	return saw_eacces ? EACCES : ENOENT;
}

static void run_program(const struct sup_config *cfg,
			const struct sup_plan *plan)
{
	sigset_t none;
	int err, sig;

	/* Ignored signals survive exec (the supervisor ignores SIGPIPE, a
	 * Python caller too): the program starts with every default. */
	for (sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	sandbox_pty_ctty(cfg, REPORT_FD); /* SBX_FLAG_PTY (pty.c) */
	err = exec_program(cfg->argv, plan->envp);
	if (err == ENOENT)
		child_fail(REPORT_FD, SBX_STEP_EXEC, err,
			   "%s: command not found inside the sandbox "
			   "(PATH=%s); system directories are bound "
			   "read-only, other host paths need --ro-bind",
			   cfg->argv[0],
			   env_get(plan->envp, "PATH") ? env_get(plan->envp,
								 "PATH")
						       : "");
	child_fail(REPORT_FD, SBX_STEP_EXEC, err, "cannot execute %s: %s",
		   cfg->argv[0], strerror(err));
}

static const int forwarded[] = { SIGHUP,  SIGINT,  SIGQUIT, SIGTERM,
				  SIGUSR1, SIGUSR2, SIGALRM, SIGCONT,
				  SIGTSTP, SIGWINCH };

int sup_signal_forwarded(int sig)
{
	size_t i;

	for (i = 0; i < SBX_ARRAY_SIZE(forwarded); i++)
		if (forwarded[i] == sig)
			return 1;
	return 0;
}

void sup_signal_forward_set(sigset_t *set)
{
	size_t i;

	sigemptyset(set);
	for (i = 0; i < SBX_ARRAY_SIZE(forwarded); i++)
		sigaddset(set, forwarded[i]);
}

/* The program, while init has not reaped it; 0 before and after. */
static volatile pid_t forward_to;

static void forward(int sig)
{
	int e = errno;

	if (forward_to > 0)
		kill(forward_to, sig);
	errno = e;
}

/* Signals that sbx_signal() sends (the supervisor sends them to us, PID
 * 1, which gets only those it handles) go on to the program.  Called
 * first thing: they are blocked since the clone (main.c), and stay so
 * until the program runs. */
static void forward_signals(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = forward;
	sa.sa_flags = SA_RESTART;
	sigfillset(&sa.sa_mask);
	for (i = 0; i < SBX_ARRAY_SIZE(forwarded); i++)
		sigaction(forwarded[i], &sa, NULL);
}

/* Reap everything; when the program ends, report its status and end the
 * sandbox (the kernel kills what is left in the PID namespace).  The
 * program is reaped with the forwarded signals blocked, so that none is
 * sent to its pid once another process may have it. */
static __attribute__((noreturn)) void reap_until(pid_t program)
{
	struct sup_report rep = { .kind = SUP_REPORT_EXIT };
	sigset_t fwd;

	sup_signal_forward_set(&fwd);
	forward_to = program;
	sigprocmask(SIG_UNBLOCK, &fwd, NULL);
	for (;;) {
		siginfo_t si;
		int st;
		pid_t p;

		memset(&si, 0, sizeof(si));
		if (waitid(P_ALL, 0, &si, WEXITED | WNOWAIT) < 0) {
			if (errno == EINTR)
				continue;
			_exit(1);
		}
		if (si.si_pid == program) {
			sigprocmask(SIG_BLOCK, &fwd, NULL);
			forward_to = 0;
		}
		do
			p = waitpid(si.si_pid, &st, 0);
		while (p < 0 && errno == EINTR);
		if (p < 0)
			_exit(1);
		if (p == program) {
			rep.wstatus = st;
			if (write(REPORT_FD, &rep, sizeof(rep)) < 0) {
				/* the supervisor sees init end anyway */
			}
			_exit(0);
		}
	}
}

/*
 * A sandbox in its own namespaces, up to its new root: lo, the sources
 * (with the caller's ids), the first go byte, root of the user namespace,
 * the root and the hostname.  Returns the highest capability, read from
 * the host's /proc before the root changes.  (A degraded sandbox has its
 * own: sandbox_degraded_enter(), degraded.c.)
 */
static int enter_namespaces(const struct sup_config *cfg,
			    const struct sup_plan *plan, int go_fd, int report)
{
	char err[256];
	char go;
	int cap_max;

	/* The empty network namespace needs nothing but lo. */
	if (cfg->net == SBX_NET_NONE && sandbox_loopback_up(err, sizeof(err)))
		child_fail(report, SBX_STEP_NETWORK, EIO, "%s", err);
	/* Still with the caller's ids: what the caller binds, it can read. */
	sandbox_open_sources(cfg, report);
	sandbox_budgets_early(cfg, plan); /* while the id maps are written */

	if (read(go_fd, &go, 1) != 1)
		_exit(127); /* the supervisor is gone or refused */
	prctl(PR_SET_DUMPABLE, 0);
	/* A host-root caller's binds, idmapped by the supervisor. */
	if (plan->idmap)
		sandbox_idmap_receive(report, report);

	/* Become root of the namespace: the ids the maps give to inside 0
	 * (for a caller that is the host's root, an id that owns nothing),
	 * without the caller's supplementary groups where setgroups is
	 * allowed. */
	if (setresgid(0, 0, 0) < 0)
		child_fail(report, SBX_STEP_IDMAP, errno, "setresgid: %s",
			   strerror(errno));
	if (setgroups(0, NULL) < 0 && errno != EPERM)
		child_fail(report, SBX_STEP_IDMAP, errno, "setgroups: %s",
			   strerror(errno));
	if (setresuid(0, 0, 0) < 0)
		child_fail(report, SBX_STEP_IDMAP, errno, "setresuid: %s",
			   strerror(errno));
	/* A change of the effective ids clears the parent-death signal (it
	 * changes for a root caller's sandbox): set it again,
	 * and end if the supervisor died meanwhile (its end of the report
	 * socket is closed then). */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (sandbox_supervisor_gone(report))
		_exit(127);

	/* Needs /proc of the host: read before the root changes. */
	cap_max = last_cap();
	sandbox_build_root(cfg, plan, report);
	if (sethostname("sandbox", 7) < 0)
		child_fail(report, SBX_STEP_HOSTNAME, errno,
			   "sethostname: %s", strerror(errno));
	return cap_max;
}

/*
 * Either kind of sandbox from its working directory on: rlimits, the
 * second go byte (in the cgroup), the streams and nothing else, the
 * privileges, Landlock, seccomp; then the program, and init reaps.
 */
static __attribute__((noreturn)) void
start_program(const struct sup_config *cfg, const struct sup_plan *plan,
	      const int stdio[3], int go_fd, int report, int cap_max)
{
	char go;
	pid_t program, init;
	int fds[3] = { stdio[0], stdio[1], stdio[2] };
	int i;

	if (chdir(plan->cwd) < 0)
		child_fail(report, SBX_STEP_CWD, errno,
			   "cannot enter the working directory %s inside the "
			   "sandbox: %s",
			   plan->cwd, strerror(errno));
	set_rlimits(cfg, plan, report);

	/* Nothing of the program runs before the sandbox is in its cgroup
	 * (the supervisor moved it meanwhile); then its cgroup becomes the
	 * root of what the sandbox sees of the cgroup tree. */
	if (read(go_fd, &go, 1) != 1)
		_exit(127); /* the supervisor could not place it, or died */
	close(go_fd);
	/* (a degraded run has no user namespace to own one: degraded.c) */
	if (!plan->pol.degraded && unshare(CLONE_NEWCGROUP) < 0)
		child_fail(report, SBX_STEP_CLONE, errno,
			   "cannot create the cgroup namespace: %s",
			   strerror(errno));

	/* Standard streams, then nothing else: the report pipe goes to 3
	 * (close-on-exec) and every other descriptor is closed.  Each
	 * stream is the supervisor's pipe or the sandbox's own terminal
	 * (relay.c, pty.c): the caller's 0..2, which we still hold, go. */
	sandbox_pty_open(cfg, report, fds);
	for (i = 0; i < 3; i++)
		if (fds[i] < 0 || dup2(fds[i], i) < 0)
			child_fail(report, SBX_STEP_FDS, EBADF,
				   "no descriptor for stream %d", i);
	if (report != REPORT_FD) {
		if (dup3(report, REPORT_FD, O_CLOEXEC) < 0)
			child_fail(report, SBX_STEP_FDS, errno, "dup3: %s",
				   strerror(errno));
	}
	if (syscall(SYS_close_range, sandbox_memwatch_keep(REPORT_FD + 1), ~0U,
		    0) < 0)
		child_fail(REPORT_FD, SBX_STEP_FDS, errno,
			   "close_range: %s", strerror(errno));
	if (setsid() < 0)
		child_fail(REPORT_FD, SBX_STEP_FDS, errno, "setsid: %s",
			   strerror(errno));
	if (plan->pol.degraded)
		sandbox_degraded_guard_open();

	/* The privileges go; a read-only root first, which needs
	 * CAP_SYS_ADMIN (mounts.c).  A degraded init may hold no capability
	 * at all, and leaves a host root's ids (degraded.c). */
	if (plan->pol.degraded) {
		sandbox_degraded_drop(plan, REPORT_FD);
		clear_caps(REPORT_FD, 0);
	} else {
		sandbox_root_read_only(cfg, REPORT_FD);
		drop_privileges(REPORT_FD, cap_max,
				sup_flag(cfg, SBX_FLAG_ALLOW_SETID));
		clear_caps(REPORT_FD, sup_flag(cfg, SBX_FLAG_ALLOW_SETID));
	}
	sandbox_landlock(cfg, plan, REPORT_FD); /* after no_new_privs (landlock.c) */
	sandbox_memwatch_filter(cfg, plan, REPORT_FD); /* memwatch.c */
	/* Init allocates until here (its Landlock rules walk /etc), and
	 * RLIMIT_DATA counts all of a process's private mappings, however
	 * little of them is used: set now, it bounds the program, which
	 * inherits it, and not init's own setup (an --enable-sanitizers
	 * init, whose ASan shadow maps terabytes, could not allocate at all
	 * under it). */
	if (plan->rl_data)
		set_rlimit(REPORT_FD, RLIMIT_DATA, "RLIMIT_DATA", plan->rl_data,
			   plan->rl_data);
	if (plan->pol.degraded) /* after the last change of ids */
		sandbox_degraded_guard(REPORT_FD);
	load_seccomp(plan, REPORT_FD);

	init = getpid();
	program = fork();
	if (program < 0)
		child_fail(REPORT_FD, SBX_STEP_FORK, errno,
			   "cannot start the program: %s", strerror(errno));
	if (program == 0) {
		/* Without a PID namespace (a degraded run) nothing kills the
		 * program when init dies with the supervisor: it dies with
		 * init, unless init is gone already (then we have another
		 * parent).  No set-id exec can clear it: no_new_privs. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != init)
			_exit(127);
		run_program(cfg, plan);
	}
	reap_until(program);
}

void sandbox_init(const struct sup_config *cfg, const struct sup_plan *plan,
		  const int stdio[3], int go_fd, int report)
{
	int cap_max = 0;

	forward_signals(); /* sbx_signal() */
	sup_sanitizers_in_sandbox(); /* --enable-sanitizers: reports */
	/* The sandbox dies with its supervisor.  Its death before this
	 * point shows as EOF on the go pipe. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (plan->pol.degraded) /* no namespaces, no new root (degraded.c) */
		sandbox_degraded_enter(go_fd);
	else
		cap_max = enter_namespaces(cfg, plan, go_fd, report);
	start_program(cfg, plan, stdio, go_fd, report, cap_max);
}
