/* budgets.c - the kernel's per-user budgets, which the sandbox would
 * otherwise share with its caller, and the limits of the sandbox's own
 * IPC namespace.
 *
 * The kernel keeps per-user counts (kernel/ucount.c: inotify instances
 * and watches, fanotify groups and marks, namespaces, pending signals,
 * POSIX message queue bytes, SHM_LOCKed memory) per user namespace, and
 * charges every count up the chain of namespaces: what the sandbox takes
 * is also charged to the caller's uid in the caller's namespace, against
 * the caller's own limit.  Left alone, a program can take all of it, and
 * the caller's own processes get EMFILE and EAGAIN.  So the sandbox gets
 * small limits of its own:
 *
 * - the counts kept per namespace (/proc/sys/user/max_*) are written by
 *   the sandbox's init, which holds CAP_SYS_RESOURCE in the new namespace
 *   (sandbox_budgets_early(), sandbox_budgets()).  They bound each id
 *   inside the sandbox.
 * - the counts checked against rlimits: create_user_ns() records the
 *   creator's soft RLIMIT_SIGPENDING and RLIMIT_MSGQUEUE as what the whole
 *   new namespace may add to its owner's count, whatever ids it uses
 *   inside.  So the supervisor lowers its own soft limits before the
 *   clone, and the sandbox keeps them as hard limits too (each process is
 *   checked against its own).  RLIMIT_MEMLOCK is recorded the same way,
 *   but in bytes where the count is in pages: for SHM_LOCK only each
 *   process's own limit holds.
 *
 * Each is the smaller of a fixed value (what programs need) and a share
 * of the caller's own allowance, so the caller keeps most of it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "readfile.h"
#include "sup.h"

/* Pending signals: POSIX asks for 32 (_POSIX_SIGQUEUE_MAX); programs
 * that queue realtime signals (timers, AIO) keep a handful pending. */
#define BUDGET_SIGPENDING 256
/* POSIX message queue bytes: three queues of the default size (10
 * messages of 8 KiB, and the kernel's bookkeeping). */
#define BUDGET_MSGQUEUE (256u << 10)
/* Locked memory: Linux's own default since 5.16, enough for gpg and
 * other mlock() users of small secrets. */
#define BUDGET_MEMLOCK (8u << 20)
/* inotify: one instance per event loop (libuv, watchdog, inotifywait). */
#define BUDGET_INOTIFY_INSTANCES 16
#define BUDGET_INOTIFY_WATCHES 8192
/* fanotify: unprivileged groups (Linux 5.13+) are rare. */
#define BUDGET_FANOTIFY_GROUPS 4
#define BUDGET_FANOTIFY_MARKS 1024
/* Of the caller's per-user allowance, the sandbox takes at most 1/8 of
 * the namespace counts and half of the rlimit counts. */
#define SHARE_UCOUNT 8
#define SHARE_RLIMIT 2

/* SysV IPC of the sandbox's own IPC namespace: few objects, each small
 * in kernel memory; shared memory within the memory limit. */
#define IPC_SHMMNI 128
#define IPC_MSGMNI 32
#define IPC_MSGMNB 16384 /* the kernel's default bytes per queue */
#define IPC_SEM "250 8192 500 128"
#define IPC_MQ_QUEUES 16

static uint64_t at_most(uint64_t want, uint64_t caller, unsigned share)
{
	uint64_t part = caller / share;

	if (part < 1)
		part = 1;
	return want < part ? want : part;
}

/* The budget of a namespace count: want, or a share of the caller's own
 * limit, the smaller of its user namespace's (/proc/sys/user) and the
 * host's (fs.inotify...), which is the initial namespace's. */
static uint64_t count_budget(uint64_t want, const char *user,
			     const char *host)
{
	long a = sup_read_long(user, -1), b = sup_read_long(host, -1);

	if (a < 0 || (b >= 0 && b < a))
		a = b;
	return at_most(want, a < 0 ? (uint64_t)INT32_MAX : (uint64_t)a,
		       SHARE_UCOUNT);
}

static uint64_t rl_budget(int resource, uint64_t want)
{
	struct rlimit rl;
	uint64_t v = want;

	if (getrlimit(resource, &rl) < 0)
		return v;
	if (rl.rlim_cur != RLIM_INFINITY)
		v = at_most(want, rl.rlim_cur, SHARE_RLIMIT);
	/* The new user namespace records the soft limit (see above);
	 * lowering it never fails, and the sandbox's own are checked. */
	if (rl.rlim_cur > v) {
		rl.rlim_cur = v;
		setrlimit(resource, &rl);
	}
	return v;
}

void sup_plan_budgets(struct sup_budgets *b)
{
	memset(b, 0, sizeof(*b));
	b->sigpending = rl_budget(RLIMIT_SIGPENDING, BUDGET_SIGPENDING);
	b->msgqueue = rl_budget(RLIMIT_MSGQUEUE, BUDGET_MSGQUEUE);
	b->memlock = rl_budget(RLIMIT_MEMLOCK, BUDGET_MEMLOCK);
	b->inotify_instances =
		count_budget(BUDGET_INOTIFY_INSTANCES,
			     "/proc/sys/user/max_inotify_instances",
			     "/proc/sys/fs/inotify/max_user_instances");
	b->inotify_watches =
		count_budget(BUDGET_INOTIFY_WATCHES,
			     "/proc/sys/user/max_inotify_watches",
			     "/proc/sys/fs/inotify/max_user_watches");
	b->fanotify_groups =
		count_budget(BUDGET_FANOTIFY_GROUPS,
			     "/proc/sys/user/max_fanotify_groups",
			     "/proc/sys/fs/fanotify/max_user_groups");
	b->fanotify_marks =
		count_budget(BUDGET_FANOTIFY_MARKS,
			     "/proc/sys/user/max_fanotify_marks",
			     "/proc/sys/fs/fanotify/max_user_marks");
}

/* ------------------------------------------------------ in the sandbox */

static void set_rl(int report, int resource, const char *name, uint64_t v)
{
	struct rlimit rl = { .rlim_cur = v, .rlim_max = v };

	if (setrlimit(resource, &rl) < 0)
		child_fail(report, SBX_STEP_RLIMIT, errno,
			   "cannot set %s to %llu: %s", name,
			   (unsigned long long)v, strerror(errno));
}

void sandbox_budget_rlimits(const struct sup_budgets *b, int report)
{
	set_rl(report, RLIMIT_SIGPENDING, "RLIMIT_SIGPENDING", b->sigpending);
	set_rl(report, RLIMIT_MSGQUEUE, "RLIMIT_MSGQUEUE", b->msgqueue);
	set_rl(report, RLIMIT_MEMLOCK, "RLIMIT_MEMLOCK", b->memlock);
}

/* Write one sysctl below a /proc/sys: 0 or the errno.  A knob this
 * kernel lacks (ENOENT: no fanotify, no time namespaces) has nothing to
 * cap.  With report >= 0 a failure ends the sandbox. */
static int put(int sys_fd, const char *name, const char *value, int report)
{
	size_t n = strlen(value);
	int fd = openat(sys_fd, name, O_WRONLY | O_CLOEXEC), e = 0;

	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0 || write(fd, value, n) != (ssize_t)n)
		e = errno ? errno : EIO;
	if (fd >= 0)
		close(fd);
	if (e && report >= 0)
		child_fail(report, SBX_STEP_RLIMIT, e,
			   "cannot set the sandbox's limit /proc/sys/%s to %s: "
			   "%s",
			   name, value, strerror(e));
	return e;
}

static int put_u64(int sys_fd, const char *name, uint64_t v, int report)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	return put(sys_fd, name, buf, report);
}

/* The user namespace's own limits: 0 or the first errno. */
static int put_user_limits(int sys, const struct sup_budgets *b, int report)
{
	static const char *const no_ns[] = {
		"user/max_user_namespaces", "user/max_pid_namespaces",
		"user/max_uts_namespaces",  "user/max_ipc_namespaces",
		"user/max_net_namespaces",  "user/max_mnt_namespaces",
		"user/max_time_namespaces",
	};
	size_t i;
	int e = 0;

	e = e ?: put_u64(sys, "user/max_inotify_instances",
			 b->inotify_instances, report);
	e = e ?: put_u64(sys, "user/max_inotify_watches", b->inotify_watches,
			 report);
	e = e ?: put_u64(sys, "user/max_fanotify_groups", b->fanotify_groups,
			 report);
	e = e ?: put_u64(sys, "user/max_fanotify_marks", b->fanotify_marks,
			 report);
	/* No namespace beyond the sandbox's own (seccomp denies creating
	 * them too; this is depth).  The cgroup namespace is the one the
	 * init creates last, once it is in its cgroup: it counts. */
	for (i = 0; i < SBX_ARRAY_SIZE(no_ns); i++)
		e = e ?: put(sys, no_ns[i], "0", report);
	return e ?: put(sys, "user/max_cgroup_namespaces", "1", report);
}

static int user_limits_set;

/*
 * While the supervisor writes the id maps (newuidmap takes a while), the
 * init, root of its user namespace by capabilities already, writes the
 * namespace's limits through the host's /proc, which it still sees: they
 * resolve to the writer's namespace whatever /proc they are opened
 * through.  With a cgroup the sandbox must join after the go, they are
 * written later instead, while the supervisor moves it there; and so
 * where that /proc is read-only (a container's).
 */
void sandbox_budgets_early(const struct sup_config *cfg,
			   const struct sup_plan *plan)
{
	int sys;

	/* without a user namespace of its own they would be the caller's */
	if (plan->pol.degraded || plan->cg.version)
		return;
	sys = open("/proc/sys", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (sys < 0)
		return;
	user_limits_set = put_user_limits(sys, &plan->budget, -1) == 0;
	close(sys);
}

/*
 * Through the sandbox's fresh /proc, before it becomes read-only, once
 * the init is root of its namespaces: kernel.shm*, msg*, sem and fs.mqueue
 * resolve to its IPC namespace, which its root may write (the program is
 * that root too, which is why /proc is read-only afterwards); and the
 * user namespace's limits, if they could not be written early.
 */
void sandbox_budgets(const struct sup_config *cfg, const struct sup_plan *plan,
		     int proc_fd, int report)
{
	uint64_t mem = cfg->limits[SBX_LIMIT_MEMORY];
	long page = sysconf(_SC_PAGESIZE);
	int sys = openat(proc_fd, "sys", O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (sys < 0)
		child_fail(report, SBX_STEP_PROC, errno,
			   "cannot open the sandbox's /proc/sys: %s",
			   strerror(errno));
	if (!user_limits_set)
		put_user_limits(sys, &plan->budget, report);

	/* SysV shared memory can never exceed the memory limit, whether a
	 * cgroup counts it or not (shmall is in pages). */
	if (mem) {
		put_u64(sys, "kernel/shmmax", mem, report);
		put_u64(sys, "kernel/shmall",
			(mem + (uint64_t)page - 1) / (uint64_t)page, report);
	}
	put_u64(sys, "kernel/shmmni", IPC_SHMMNI, report);
	put_u64(sys, "kernel/msgmni", IPC_MSGMNI, report);
	/* all queues together within half the memory limit */
	if (mem && mem / (2 * IPC_MSGMNI) < IPC_MSGMNB)
		put_u64(sys, "kernel/msgmnb", mem / (2 * IPC_MSGMNI), report);
	put(sys, "kernel/sem", IPC_SEM, report);
	/* POSIX queues' bytes are RLIMIT_MSGQUEUE's; their number: */
	put_u64(sys, "fs/mqueue/queues_max", IPC_MQ_QUEUES, report);
	close(sys);
}
