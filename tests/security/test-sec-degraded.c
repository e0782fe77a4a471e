/* test-sec-degraded.c - a run without namespaces (issue 10, item 4), on
 * a host where user namespaces cannot be made (nouserns.h).  The program
 * runs as the caller (a root caller's as an id that owns nothing; the
 * files here belong to that id, so only the filter can say no), and
 * Landlock covers neither metadata nor watching files: it tries chmod,
 * fchmod, chown, utimensat, setxattr and removexattr on a file of its
 * owner that it was not given and on one in its live workspace, and
 * inotify on both directories.  Judged on the host: mode, owner, times
 * and xattrs unchanged.  The control: the same helper on the host, as the
 * same id, changes all of it.  The same for a file's inode flags
 * (chattr, by an fd opened read-only or by path), and for the caller's
 * other processes, which the program can name without a PID namespace:
 * their limits (RLIMIT_CPU of 1 s kills a busy one), nice, I/O class,
 * scheduling policy and CPUs, judged from the host, with the same calls
 * made on the host as the control.  Then the Landlock ABI rule: a kernel
 * whose Landlock is older than ABI 6 (faked on this one) refuses degraded
 * runs, naming the kernel needed; and the result and the host report say
 * what a degraded run does not hide. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <json-c/json.h>
#include <linux/fs.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "nouserns.h"

/* The id a degraded sandbox runs a host-root caller's program as
 * (libsandbox/supervisor/degraded.c). */
#define ROOT_RUN_ID 1879048192u
#define DEGRADED_ABI 6
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static char *tmp;
static char outside[600], outside_file[700], ws[600], ws_file[700];
static char ro[600], ro_file[700];
static int abi;

static uid_t run_uid(void)
{
	return getuid() == 0 ? ROOT_RUN_ID : getuid();
}

static gid_t run_gid(void)
{
	return getuid() == 0 ? ROOT_RUN_ID : getgid();
}

/* A file of the program's own id, 0600, with an xattr to remove. */
static int victim(const char *path)
{
	if (tl_write_file(path, "mine\n") < 0 || chmod(path, 0600) < 0 ||
	    (getuid() == 0 && chown(path, run_uid(), run_gid()) < 0) ||
	    setxattr(path, "user.keep", "1", 1, 0) < 0)
		return -1;
	return 0;
}

static int setup(void)
{
	long v = syscall(444 /* landlock_create_ruleset */, NULL, 0, 1u);

	abi = v < 0 ? 0 : (int)v;
	tmp = tl_tmpdir();
	if (!tmp)
		return 1;
	/* not given to the sandbox: only its path is known */
	snprintf(outside, sizeof(outside), "%s/outside", tmp);
	snprintf(outside_file, sizeof(outside_file), "%s/victim", outside);
	/* the live workspace, writable by the program */
	snprintf(ws, sizeof(ws), "%s/ws", tmp);
	snprintf(ws_file, sizeof(ws_file), "%s/victim", ws);
	/* bound read-only: the program can open its file for reading */
	snprintf(ro, sizeof(ro), "%s/ro", tmp);
	snprintf(ro_file, sizeof(ro_file), "%s/victim", ro);
	if (mkdir(outside, 0755) < 0 || mkdir(ws, 0755) < 0 ||
	    mkdir(ro, 0755) < 0 ||
	    (getuid() == 0 && chown(ws, run_uid(), run_gid()) < 0) ||
	    victim(outside_file) < 0 || victim(ws_file) < 0 ||
	    victim(ro_file) < 0)
		return 1;
	return 0;
}

static int teardown(void)
{
	nu_fake_landlock_abi(0);
	tl_rmrf(tmp);
	free(tmp);
	return 0;
}

/* What the host says about a file: everything the attacks would touch. */
struct meta {
	mode_t mode;
	uid_t uid;
	gid_t gid;
	struct timespec mtime, ctime;
	int keep; /* user.keep is there */
	int added; /* user.x is there */
};

static void meta_of(const char *path, struct meta *m)
{
	struct stat st;

	memset(m, 0, sizeof(*m));
	CU_ASSERT_EQUAL_FATAL(stat(path, &st), 0);
	m->mode = st.st_mode & 07777;
	m->uid = st.st_uid;
	m->gid = st.st_gid;
	m->mtime = st.st_mtim;
	m->ctime = st.st_ctim;
	m->keep = getxattr(path, "user.keep", NULL, 0) >= 0;
	m->added = getxattr(path, "user.x", NULL, 0) >= 0;
}

static int same_time(struct timespec a, struct timespec b)
{
	return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

/* The attacks on one file, and on its directory. */
struct op {
	const char *op, *arg2;
	int on_dir;
};
static const struct op ops[] = {
	{ "chmod", "777", 0 },	       { "fchmod", "666", 0 },
	{ "chown", NULL, 0 },	       { "utimens", NULL, 0 },
	{ "setxattr", "user.x", 0 },   { "removexattr", "user.keep", 0 },
	{ "inotify", NULL, 1 },
};
#define N_OPS (sizeof(ops) / sizeof(ops[0]))

static void cfg_degraded(sbx_t *sbx, void *arg)
{
	int net = arg ? *(int *)arg : SBX_NET_NONE;

	sbx_set_flag(sbx, SBX_FLAG_ALLOW_DEGRADED, 1);
	sbx_add_bind(sbx, nu_helper_dir(), NULL, 0);
	sbx_add_bind(sbx, ro, NULL, 0);
	CU_ASSERT_EQUAL(sbx_set_workspace(sbx, ws, SBX_WORKSPACE_RW_LIVE), 0);
	sbx_set_network(sbx, net);
}

/* Run one operation of the helper degraded: 0, or -1 (test skipped). */
static int degraded(struct tl_run *r, const char *op, const char *a1,
		    const char *a2)
{
	const char *argv[] = { nu_helper(), op, a1, a2, NULL };

	if (nu_run_argv(r, cfg_degraded, NULL, argv) < 0) {
		tl_skip("cannot make a user namespace to disable them in");
		return -1;
	}
	if (abi < DEGRADED_ABI) {
		TL_ASSERT_STATUS(r, SBX_STATUS_SETUP_ERROR);
		tl_skip("Landlock ABI %d: degraded runs are refused here",
			abi);
		return -1;
	}
	TL_ASSERT_STATUS(r, SBX_STATUS_EXITED);
	return 0;
}

static void attack(const char *file, const char *dir)
{
	struct meta before, after;
	size_t i;

	meta_of(file, &before);
	for (i = 0; i < N_OPS; i++) {
		struct tl_run r;

		if (degraded(&r, ops[i].op, ops[i].on_dir ? dir : file,
			     ops[i].arg2) < 0) {
			tl_run_free(&r);
			return;
		}
		/* the filter's EPERM; fchmod of a file that was not given
		 * fails earlier, at open, by Landlock */
		if (strcmp(r.out, "EPERM\n") != 0 &&
		    !(file == outside_file && !strcmp(ops[i].op, "fchmod") &&
		      !strcmp(r.out, "EACCES\n")))
			fprintf(stderr, "\n  %s %s: %s", ops[i].op, file,
				r.out);
		CU_ASSERT(strcmp(r.out, "ok\n") != 0);
		CU_ASSERT(strcmp(r.out, "EPERM\n") == 0 ||
			  (file == outside_file &&
			   !strcmp(ops[i].op, "fchmod") &&
			   !strcmp(r.out, "EACCES\n")));
		tl_run_free(&r);
	}
	/* the host's view: nothing changed */
	meta_of(file, &after);
	CU_ASSERT_EQUAL(after.mode, before.mode);
	CU_ASSERT_EQUAL(after.uid, before.uid);
	CU_ASSERT_EQUAL(after.gid, before.gid);
	CU_ASSERT(same_time(after.mtime, before.mtime));
	CU_ASSERT(same_time(after.ctime, before.ctime));
	CU_ASSERT(after.keep);
	CU_ASSERT_FALSE(after.added);
}

static void test_not_given(void)
{
	attack(outside_file, outside);
}

static void test_workspace(void)
{
	attack(ws_file, ws);
}

/* The control: the same helper on the host, as the id the program runs
 * as, does change every bit of it. */
static int host_op(const char *op, const char *a1, const char *a2)
{
	const char *argv[] = { nu_helper(), op, a1, a2, NULL };
	int p[2], st;
	char out[64] = "";
	ssize_t n;
	pid_t pid;

	if (pipe(p) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		if (getuid() == 0 &&
		    (setgroups(0, NULL) < 0 ||
		     setresgid(run_gid(), run_gid(), run_gid()) < 0 ||
		     setresuid(run_uid(), run_uid(), run_uid()) < 0))
			_exit(3);
		execv(argv[0], (char *const *)argv);
		_exit(4);
	}
	close(p[1]);
	for (n = 0; n < (ssize_t)sizeof(out) - 1;) {
		ssize_t k = read(p[0], out + n, sizeof(out) - 1 - (size_t)n);

		if (k <= 0)
			break;
		n += k;
	}
	close(p[0]);
	waitpid(pid, &st, 0);
	if (n == 3 && !strncmp(out, "ok\n", 3))
		return 0;
	fprintf(stderr, "\n  on the host: %s %s: %.*s (status %d)\n", op, a1,
		(int)(n > 0 ? n : 0), out, st);
	return -1;
}

static void test_host_control(void)
{
	char file[700];
	struct meta before, after;
	size_t i;

	snprintf(file, sizeof(file), "%s/control", outside);
	CU_ASSERT_EQUAL_FATAL(victim(file), 0);
	meta_of(file, &before);
	for (i = 0; i < N_OPS; i++)
		CU_ASSERT_EQUAL(host_op(ops[i].op,
					ops[i].on_dir ? outside : file,
					ops[i].arg2),
				0);
	meta_of(file, &after);
	CU_ASSERT_EQUAL(after.mode, 0666); /* chmod, then fchmod */
	CU_ASSERT_FALSE(same_time(after.mtime, before.mtime));
	CU_ASSERT_FALSE(after.keep);
	CU_ASSERT(after.added);
	unlink(file);
}

/* ---- a file's inode flags (chattr) --------------------------------- */

/* What the host says: the flags (nodump is what the attacks set) and
 * the generation (setversion sets 12345). */
static void flags_of(const char *path, int *ret_flags, int *ret_gen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*ret_flags = *ret_gen = -1;
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(ioctl(fd, FS_IOC_GETFLAGS, ret_flags), 0);
	if (ioctl(fd, FS_IOC_GETVERSION, ret_gen) < 0)
		*ret_gen = -2; /* the file system has none */
	close(fd);
}

static const char *const flag_ops[] = { "setflags", "setflags32",
					"fssetxattr", "setversion",
					"file-setattr" };
#define N_FLAG_OPS (sizeof(flag_ops) / sizeof(flag_ops[0]))

/* file_setattr() is Linux 6.17: before it, the call does not exist. */
static int have_file_setattr(void)
{
	return !(syscall(469, AT_FDCWD, "/", NULL, (size_t)0, 0) < 0 &&
		 errno == ENOSYS);
}

/* Each request on file, degraded: refused by the filter (or, for a file
 * not given, by Landlock; or, for a call the kernel does not have,
 * ENOSYS), and the host sees no change. */
static void flags_attack(const char *file)
{
	int fl0, gen0, fl, gen;
	size_t i;

	flags_of(file, &fl0, &gen0);
	CU_ASSERT_FALSE(fl0 & FS_NODUMP_FL);
	for (i = 0; i < N_FLAG_OPS; i++) {
		struct tl_run r;

		if (degraded(&r, flag_ops[i], file, NULL) < 0) {
			tl_run_free(&r);
			return;
		}
		if (strcmp(r.out, "EPERM\n") != 0 &&
		    strcmp(r.out, "EACCES\n") != 0)
			fprintf(stderr, "\n  %s %s: %s", flag_ops[i], file,
				r.out);
		CU_ASSERT(strcmp(r.out, "EPERM\n") == 0 ||
			  (file == outside_file &&
			   strcmp(r.out, "EACCES\n") == 0) ||
			  (strcmp(flag_ops[i], "file-setattr") == 0 &&
			   !have_file_setattr() &&
			   strcmp(r.out, "ENOSYS\n") == 0));
		tl_run_free(&r);
		flags_of(file, &fl, &gen);
		CU_ASSERT_EQUAL(fl, fl0);
		CU_ASSERT_EQUAL(gen, gen0);
	}
}

static void test_flags_workspace(void)
{
	flags_attack(ws_file);
}

static void test_flags_read_only(void)
{
	flags_attack(ro_file);
}

static void test_flags_not_given(void)
{
	flags_attack(outside_file);
}

/* Does the file system refuse to set a generation at all? */
static int setversion_refused(const char *file, int gen)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC), r;

	r = fd >= 0 && ioctl(fd, FS_IOC_SETVERSION, &gen) < 0 &&
	    (errno == ENOTTY || errno == EOPNOTSUPP);
	if (fd >= 0)
		close(fd);
	if (r)
		printf("\n  (this file system keeps its generations)");
	return r;
}

/* The control: on the host, as the same id, the owner sets them. */
static void test_flags_host_control(void)
{
	char file[700];
	int fl0, gen0, fl, gen;

	snprintf(file, sizeof(file), "%s/flags-control", ro);
	CU_ASSERT_EQUAL_FATAL(victim(file), 0);
	CU_ASSERT_EQUAL_FATAL(chmod(file, 0400), 0); /* read-only is enough */
	flags_of(file, &fl0, &gen0);
	CU_ASSERT_EQUAL(host_op("setflags", file, NULL), 0);
	flags_of(file, &fl, &gen);
	CU_ASSERT(fl & FS_NODUMP_FL);
	fl &= ~FS_NODUMP_FL;
	{
		int fd = open(file, O_RDONLY | O_CLOEXEC);

		CU_ASSERT_EQUAL(ioctl(fd, FS_IOC_SETFLAGS, &fl), 0);
		close(fd);
	}
	/* file_setattr() is Linux 6.17; an ext4 with metadata checksums
	 * keeps its generations (ENOTTY): nothing to show there */
	if (syscall(469, AT_FDCWD, file, NULL, (size_t)0, 0) < 0 &&
	    errno == ENOSYS) {
		printf("\n  (no file_setattr() in this kernel)");
	} else {
		CU_ASSERT_EQUAL(host_op("file-setattr", file, NULL), 0);
		flags_of(file, &fl, &gen);
		CU_ASSERT(fl & FS_NODUMP_FL);
	}
	if (gen0 != -2 && !setversion_refused(file, gen0)) {
		CU_ASSERT_EQUAL(host_op("setversion", file, NULL), 0);
		flags_of(file, &fl, &gen);
		CU_ASSERT_EQUAL(gen, 12345);
	}
	unlink(file);
}

/* ---- the caller's other processes ---------------------------------- */

/* A process of the id the program runs as, in a process group of its
 * own, dumpable (so that the ptrace-gated controls can work); busy or
 * asleep.  Returns its pid once it runs as that id. */
static pid_t victim_process(int busy)
{
	int p[2];
	char c;
	pid_t pid;

	if (pipe(p) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		setpgid(0, 0);
		if (getuid() == 0 &&
		    (setgroups(0, NULL) < 0 ||
		     setresgid(run_gid(), run_gid(), run_gid()) < 0 ||
		     setresuid(run_uid(), run_uid(), run_uid()) < 0))
			_exit(3);
		prctl(PR_SET_DUMPABLE, 1);
		if (write(p[1], "r", 1) != 1)
			_exit(4);
		close(p[1]);
		for (;;)
			if (!busy)
				pause();
	}
	close(p[1]);
	if (pid < 0 || read(p[0], &c, 1) != 1) {
		close(p[0]);
		if (pid > 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
		}
		return -1;
	}
	close(p[0]);
	return pid;
}

static void end_victim(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* What the host sees of it: the limits as /proc shows them to anyone
 * (a root caller here may lack CAP_SYS_RESOURCE for prlimit()). */
struct pstate {
	char limits[4096];
	int nice, ioprio, policy, ncpus;
	cpu_set_t cpus;
};

static void pstate_of(pid_t pid, struct pstate *s)
{
	char path[64], *text;

	memset(s, 0, sizeof(*s));
	snprintf(path, sizeof(path), "/proc/%d/limits", (int)pid);
	text = tl_read_file(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	snprintf(s->limits, sizeof(s->limits), "%s", text);
	free(text);
	errno = 0;
	s->nice = getpriority(PRIO_PROCESS, (id_t)pid);
	CU_ASSERT_EQUAL(errno, 0);
	s->ioprio = (int)syscall(SYS_ioprio_get, 1 /* WHO_PROCESS */, pid);
	s->policy = sched_getscheduler(pid);
	CU_ASSERT_EQUAL(sched_getaffinity(pid, sizeof(s->cpus), &s->cpus),
			0);
	s->ncpus = CPU_COUNT(&s->cpus);
}

static int pstate_same(const struct pstate *a, const struct pstate *b)
{
	return !strcmp(a->limits, b->limits) && a->nice == b->nice &&
	       a->ioprio == b->ioprio && a->policy == b->policy &&
	       CPU_EQUAL(&a->cpus, &b->cpus);
}

/* sbx-try's "other" calls; who: the victim's pid, or 0 (every process
 * of the uid, with PRIO_USER and IOPRIO_WHO_USER); judged: whether the
 * host can see the change (sched_setparam(), on a SCHED_OTHER process,
 * changes nothing it could see). */
static const struct {
	const char *call;
	int who_zero, judged;
} calls[] = {
	{ "prlimit-cpu", 0, 1 },     { "prlimit-nofile", 0, 1 },
	{ "setpriority", 0, 1 },     { "setpriority-pgrp", 0, 1 },
	{ "setpriority-user", 1, 1 }, { "ioprio", 0, 1 },
	{ "ioprio-user", 1, 1 },     { "affinity", 0, 1 },
	{ "setscheduler", 0, 1 },    { "setparam", 0, 0 },
	{ "setattr", 0, 1 },
};
#define N_CALLS (sizeof(calls) / sizeof(calls[0]))

/* Each call, degraded, on a fresh victim: EPERM, and the victim as it
 * was. */
static void test_other_processes(void)
{
	size_t i;

	for (i = 0; i < N_CALLS; i++) {
		struct pstate before, after;
		struct tl_run r;
		char who[16];
		pid_t v = victim_process(0);

		CU_ASSERT_FATAL(v > 0);
		snprintf(who, sizeof(who), "%d", calls[i].who_zero ? 0 : v);
		pstate_of(v, &before);
		if (degraded(&r, "other", calls[i].call, who) < 0) {
			tl_run_free(&r);
			end_victim(v);
			return;
		}
		pstate_of(v, &after);
		if (strcmp(r.out, "EPERM\n") != 0 ||
		    !pstate_same(&before, &after))
			fprintf(stderr, "\n  %s %s: %s", calls[i].call, who,
				r.out);
		CU_ASSERT_STRING_EQUAL(r.out, "EPERM\n");
		CU_ASSERT(pstate_same(&before, &after));
		tl_run_free(&r);
		end_victim(v);
	}
}

/* The review's repro: RLIMIT_CPU of one second on a busy process of the
 * caller's kills it within two; it must be running after three. */
static void test_busy_victim_lives(void)
{
	struct tl_run r;
	char who[16];
	pid_t v = victim_process(1);
	int i, st;

	CU_ASSERT_FATAL(v > 0);
	snprintf(who, sizeof(who), "%d", v);
	if (degraded(&r, "other", "prlimit-cpu", who) < 0) {
		tl_run_free(&r);
		end_victim(v);
		return;
	}
	tl_run_free(&r);
	for (i = 0; i < 30; i++) {
		CU_ASSERT_EQUAL_FATAL(waitpid(v, &st, WNOHANG), 0);
		usleep(100000);
	}
	end_victim(v);
}

/* The control: the same calls on the host, as the same id, change the
 * victim (not the calls on every process of the uid: other runs on this
 * host, and the test itself, run as it). */
static void test_other_host_control(void)
{
	size_t i;

	for (i = 0; i < N_CALLS; i++) {
		struct pstate before, after;
		char who[16];
		pid_t v;

		if (calls[i].who_zero)
			continue;
		v = victim_process(0);
		CU_ASSERT_FATAL(v > 0);
		snprintf(who, sizeof(who), "%d", v);
		pstate_of(v, &before);
		CU_ASSERT_EQUAL(host_op("other", calls[i].call, who), 0);
		pstate_of(v, &after);
		if (calls[i].judged && !strcmp(calls[i].call, "affinity") &&
		    before.ncpus < 2)
			fprintf(stderr, "\n  one CPU: affinity not judged\n");
		else if (calls[i].judged)
			CU_ASSERT_FALSE(pstate_same(&before, &after));
		end_victim(v);
	}
}

/* Signals and the other process's memory: Landlock's scoping and ptrace
 * rules already refuse them (the filter does not need to); the host
 * control shows the same calls work there. */
static const char *const scoped_calls[] = { "tgkill",	     "sigqueue",
					    "pidfd-signal",  "migrate-pages",
					    "move-pages",    "robust-list" };

static void test_scoped_by_landlock(void)
{
	char who[16];
	pid_t v = victim_process(0);
	size_t i;
	int st;

	CU_ASSERT_FATAL(v > 0);
	snprintf(who, sizeof(who), "%d", v);
	for (i = 0; i < N_OF(scoped_calls); i++) {
		struct tl_run r;

		if (degraded(&r, "other", scoped_calls[i], who) < 0) {
			tl_run_free(&r);
			break;
		}
		if (strcmp(r.out, "EPERM\n") != 0)
			fprintf(stderr, "\n  %s: %s", scoped_calls[i], r.out);
		CU_ASSERT_STRING_EQUAL(r.out, "EPERM\n");
		tl_run_free(&r);
		CU_ASSERT_EQUAL(host_op("other", scoped_calls[i], who), 0);
	}
	CU_ASSERT_EQUAL(waitpid(v, &st, WNOHANG), 0);
	end_victim(v);
}

/* With namespaces the host's pids name nothing (the PID namespace), and
 * the calls on every process of the uid reach only the sandbox's. */
static void cfg_namespaced(sbx_t *sbx, void *arg)
{
	(void)arg;
	sbx_add_bind(sbx, nu_helper_dir(), NULL, 0);
}

static void test_other_namespaced(void)
{
	static const char *const ns_calls[] = { "prlimit-cpu", "setpriority",
						"setpriority-user", "ioprio",
						"ioprio-user", "affinity" };
	struct pstate before, after;
	pid_t v = victim_process(0);
	size_t i;

	CU_ASSERT_FATAL(v > 0);
	pstate_of(v, &before);
	for (i = 0; i < N_OF(ns_calls); i++) {
		const char *argv[] = { nu_helper(), "other", ns_calls[i],
				       NULL, NULL };
		char who[16];
		struct tl_run r;
		int all = strstr(ns_calls[i], "-user") != NULL;

		snprintf(who, sizeof(who), "%d", all ? 0 : v);
		argv[3] = who;
		tl_run_argv(&r, cfg_namespaced, NULL, argv);
		if (r.status == SBX_STATUS_SETUP_ERROR) {
			tl_skip("no namespaces on this host: %s", r.message);
			tl_run_free(&r);
			break;
		}
		/* the pid is not there; on all of its uid's it works */
		CU_ASSERT_STRING_EQUAL(r.out, all ? "ok\n" : "ESRCH\n");
		tl_run_free(&r);
	}
	pstate_of(v, &after);
	CU_ASSERT(pstate_same(&before, &after));
	end_victim(v);
}

/* ---- the Landlock ABI a degraded run needs ------------------------ */

static void test_old_landlock_refused(void)
{
	const char *argv[] = { "/bin/true", NULL };
	struct tl_run r;

	nu_fake_landlock_abi(5);
	if (nu_run_argv(&r, cfg_degraded, NULL, argv) < 0) {
		nu_fake_landlock_abi(0);
		tl_skip("cannot make a user namespace to disable them in");
		return;
	}
	nu_fake_landlock_abi(0);
	TL_ASSERT_STATUS(&r, SBX_STATUS_SETUP_ERROR);
	/* the cause, what is needed, and the kernel that has it */
	CU_ASSERT(strstr(r.message, "user.max_user_namespaces=0") != NULL);
	CU_ASSERT(strstr(r.message, "Landlock is ABI 5") != NULL);
	CU_ASSERT(strstr(r.message, "ABI 6") != NULL);
	CU_ASSERT(strstr(r.message, "Linux 6.12") != NULL);
	CU_ASSERT(strstr(r.json, "\"degraded\":false") != NULL);
	CU_ASSERT(strstr(r.json, "\"step\":\"degraded\"") != NULL);
	tl_run_free(&r);
}

/* The control: the same run with ABI 6 (still faked) does start, so the
 * refusal above was the ABI rule's. */
static void test_abi6_runs(void)
{
	const char *argv[] = { "/bin/true", NULL };
	struct tl_run r;

	if (abi < DEGRADED_ABI) {
		tl_skip("Landlock ABI %d: cannot show ABI 6 running", abi);
		return;
	}
	nu_fake_landlock_abi(6);
	if (nu_run_argv(&r, cfg_degraded, NULL, argv) < 0) {
		nu_fake_landlock_abi(0);
		tl_skip("cannot make a user namespace to disable them in");
		return;
	}
	nu_fake_landlock_abi(0);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT(strstr(r.json, "landlock-abi6:") != NULL);
	tl_run_free(&r);
}

static json_object *get(json_object *o, const char *k)
{
	json_object *v = NULL;

	json_object_object_get_ex(o, k, &v);
	return v;
}

/* doctor agrees: no degraded runs with ABI 5, and why. */
static void test_doctor_old_landlock(void)
{
	json_object *o, *checks;
	char *json = NULL;
	size_t i;
	int r, seen = 0;

	nu_fake_landlock_abi(5);
	r = nu_probe(&json);
	nu_fake_landlock_abi(0);
	if (r == -1000) {
		tl_skip("cannot make a user namespace to disable them in");
		return;
	}
	o = json_tokener_parse(json);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_FALSE(json_object_get_boolean(get(o, "can_run_degraded")));
	CU_ASSERT_EQUAL(json_object_get_int(get(o, "landlock_abi")), 5);
	checks = get(o, "checks");
	for (i = 0; i < json_object_array_length(checks); i++) {
		json_object *c = json_object_array_get_idx(checks, i);

		if (strcmp(json_object_get_string(get(c, "name")), "landlock"))
			continue;
		seen = 1;
		CU_ASSERT(strstr(json_object_get_string(get(c, "summary")),
				 "Linux 6.12") != NULL);
	}
	CU_ASSERT(seen);
	json_object_put(o);
	free(json);
}

/* ---- what a degraded run does not hide ---------------------------- */

static void test_result_says_not_hidden(void)
{
	const char *argv[] = { "/bin/true", NULL };
	int host = SBX_NET_HOST;
	const char *none_list, *host_list;
	json_object *o, *h;
	struct tl_run r, rh;

	if (degraded(&r, "env", NULL, NULL) < 0) {
		tl_run_free(&r);
		return;
	}
	CU_ASSERT_EQUAL_FATAL(nu_run_argv(&rh, cfg_degraded, &host, argv), 0);
	TL_ASSERT_STATUS(&rh, SBX_STATUS_EXITED);
	o = json_tokener_parse(r.json);
	h = json_tokener_parse(rh.json);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	none_list = json_object_to_json_string(get(o, "degraded_not_hidden"));
	host_list = json_object_to_json_string(get(h, "degraded_not_hidden"));
	/* the host's processes and their command lines, always */
	CU_ASSERT(strstr(none_list, "command lines") != NULL);
	CU_ASSERT(strstr(host_list, "command lines") != NULL);
	/* the host's network only with the host's network */
	CU_ASSERT(strstr(none_list, "TCP") == NULL);
	CU_ASSERT(strstr(host_list, "TCP") != NULL);
	/* the layers say what seccomp added */
	CU_ASSERT(strstr(r.json, "no-metadata-changes,no-file-watching") !=
		  NULL);
	json_object_put(o);
	json_object_put(h);
	tl_run_free(&r);
	tl_run_free(&rh);
}

/* A namespaced run hides all of it: the key is null. */
static void test_namespaced_null(void)
{
	const char *argv[] = { "/bin/true", NULL };
	struct tl_run r;

	tl_run_argv(&r, NULL, NULL, argv);
	if (r.status == SBX_STATUS_SETUP_ERROR) {
		tl_skip("no namespaces on this host: %s", r.message);
	} else {
		TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
		CU_ASSERT(strstr(r.json, "\"degraded_not_hidden\":null") !=
			  NULL);
	}
	tl_run_free(&r);
}

static CU_TestInfo degraded_tests[] = {
	{ "control: on the host the same calls change the file",
	  test_host_control },
	{ "a file not given: mode, owner, times, xattrs unchanged",
	  test_not_given },
	{ "a file in the live workspace: unchanged too", test_workspace },
	{ "control: on the host the owner sets a file's flags",
	  test_flags_host_control },
	{ "inode flags of a file in the live workspace unchanged",
	  test_flags_workspace },
	{ "inode flags of a file bound read-only unchanged",
	  test_flags_read_only },
	{ "inode flags of a file not given unchanged", test_flags_not_given },
	{ "control: on the host the calls change another process",
	  test_other_host_control },
	{ "another process: limits, nice, I/O class, policy, CPUs unchanged",
	  test_other_processes },
	{ "a busy process given RLIMIT_CPU 1 s still runs",
	  test_busy_victim_lives },
	{ "signals and memory of another process: Landlock refuses",
	  test_scoped_by_landlock },
	{ "namespaced: a host pid names nothing", test_other_namespaced },
	{ "Landlock ABI 5: degraded runs refused, naming the kernel",
	  test_old_landlock_refused },
	{ "control: Landlock ABI 6 runs", test_abi6_runs },
	{ "doctor: no degraded runs with ABI 5", test_doctor_old_landlock },
	{ "the result says what is not hidden", test_result_says_not_hidden },
	{ "a namespaced run: nothing to list", test_namespaced_null },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "degraded", setup, teardown, NULL, NULL, degraded_tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tl_main(suites);
}
