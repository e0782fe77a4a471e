/* seccomp-policy.c - the policy's part of the seccomp filter: rules added
 * with sbx_set_syscall(), and what a run without namespaces denies on top
 * of the built-in list. */
#include <errno.h>
#include <linux/fs.h>
#include <linux/fscrypt.h>
#include <linux/fsverity.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "internal.h"
#include "seccomp_rules.h"

/* Without namespaces the sandbox shares the host's network and IPC
 * namespaces.  Landlock (up to ABI 7) does not cover connect() to a
 * pathname unix socket, which would reach the user's D-Bus session bus
 * (and through it systemd-run --user: code outside the sandbox), the
 * ssh-agent or the Docker socket; so socket() is denied for every family
 * (AF_UNIX only with the host's network), socketpair() stays.
 * Nor does Landlock cover a file's metadata or watching it, and the
 * program runs as the caller, who owns the files it can name: chmod,
 * chown, times, xattrs and the inode flags (chattr, which needs no more
 * than a read-only descriptor) would reach the caller's files anywhere
 * on the disk (a world-writable ~/.ssh), and inotify would report the
 * names of files created in directories it cannot read.
 * Nor does it cover what a process may do to another of its uid without
 * signals or ptrace (which it scopes): with no PID namespace every
 * process of the caller can be named, and a new RLIMIT_CPU of one second
 * kills a busy one, RLIMIT_NOFILE 3 breaks it, a nice of 19, the idle
 * I/O class or scheduling policy, or one CPU starve it.  Those calls
 * work on the program's own process, by pid 0 (glibc's setrlimit(),
 * nice() and sched_setaffinity(0, ...) do that), not on a pid, not even
 * one of its own threads (pthread_setaffinity_np() names one): seccomp
 * cannot tell its pids from others'. */
#define NO_IPC "no IPC namespace: SysV IPC is the host's"
#define NO_MQ "no IPC namespace: POSIX message queues are the host's"
#define NO_META                                                              \
	"Landlock does not cover metadata, and the program runs as you: it "  \
	"could change the mode, owner, times or extended attributes of any " \
	"of your files it can name, outside the sandbox too"
#define NO_FLAGS                                                          \
	"Landlock does not cover a file's inode flags, and the program "   \
	"runs as you: it could change the flags (chattr), the project or " \
	"the generation of any of your files it can open, even read-only"
#define NO_WATCH                                                          \
	"Landlock does not cover watching files: it would report the names " \
	"of files created in directories the sandbox cannot read"
#define NO_PID                                                           \
	"no PID namespace: the program could name any of your processes " \
	"and change their limits, priority, I/O class, scheduling or CPUs; "
#define SELF_ONLY NO_PID "denied with any pid but 0 (its own process)"
#define NO_IOCTL_FLAGS                                                    \
	NO_FLAGS "; FS_IOC_SETFLAGS, FS_IOC_FSSETXATTR, FS_IOC_SETVERSION, " \
		 "ext4's SETVERSION (their 32-bit numbers too), "             \
		 "FS_IOC_SET_ENCRYPTION_POLICY, FS_IOC_ENABLE_VERITY and "    \
		 "btrfs's SUBVOL_SETFLAGS are denied (on the low 32 bits of " \
		 "the request)"

/* Argument a is not v.  The kernel reads an int, the comparison is on
 * all 64 bits: that can only refuse more (a value whose low half is v
 * and whose high half is not), never let a pid through. */
#define ARG_NE(a, v) { 1, { { (a), SCMP_CMP_NE, (v), 0 } } }
/* an ioctl request, on the low 32 bits the kernel reads (CVE-2019-10063) */
#define REQ(r) \
	{ 1, { { 1, SCMP_CMP_MASKED_EQ, 0xffffffffull, (uint32_t)(r) } } }
#define ALL(n, w) { .name = (n), .why = (w) }
/* the call, with any pid but 0 as its first argument */
#define OTHER_PID(n)                                              \
	{ .name = (n), .why = SELF_ONLY, .n_conds = 1,            \
	  .conds = { ARG_NE(0, 0) } }

/* ext4's own numbers for the generation (its private header), and
 * btrfs's read-only flag of a subvolume (<linux/btrfs.h> is large) */
#define EXT4_IOC_SETVERSION _IOW('f', 4, long)
#define EXT4_IOC32_SETVERSION _IOW('f', 4, int)
#define BTRFS_IOC_SUBVOL_SETFLAGS _IOW(0x94, 26, uint64_t)

const struct sbx_degraded_rule sbx_degraded_rules[] = {
	ALL("socket", "no network namespace: a socket could reach the host's "
		      "services (pathname unix sockets are not covered by "
		      "Landlock); socketpair() stays"),
	ALL("shmget", NO_IPC),
	ALL("shmat", NO_IPC),
	ALL("shmctl", NO_IPC),
	ALL("msgget", NO_IPC),
	ALL("msgsnd", NO_IPC),
	ALL("msgrcv", NO_IPC),
	ALL("msgctl", NO_IPC),
	ALL("semget", NO_IPC),
	ALL("semop", NO_IPC),
	ALL("semtimedop", NO_IPC),
	ALL("semctl", NO_IPC),
	ALL("mq_open", NO_MQ),
	ALL("mq_unlink", NO_MQ),
	ALL("mq_timedsend", NO_MQ),
	ALL("mq_timedreceive", NO_MQ),
	ALL("mq_notify", NO_MQ),
	ALL("mq_getsetattr", NO_MQ),
	ALL("chmod", NO_META),
	ALL("fchmod", NO_META),
	ALL("fchmodat", NO_META),
	ALL("fchmodat2", NO_META),
	ALL("chown", NO_META),
	ALL("fchown", NO_META),
	ALL("lchown", NO_META),
	ALL("fchownat", NO_META),
	ALL("utime", NO_META),
	ALL("utimes", NO_META),
	ALL("futimesat", NO_META),
	ALL("utimensat", NO_META),
	ALL("setxattr", NO_META),
	ALL("lsetxattr", NO_META),
	ALL("fsetxattr", NO_META),
	ALL("setxattrat", NO_META),
	ALL("removexattr", NO_META),
	ALL("lremovexattr", NO_META),
	ALL("fremovexattr", NO_META),
	ALL("removexattrat", NO_META),
	ALL("file_setattr", NO_FLAGS),
	{ .name = "ioctl",
	  .why = NO_IOCTL_FLAGS,
	  .n_conds = 10,
	  /* the flags, fsxattr (project id, extent hints), the generation,
	   * encryption and verity (both irreversible), a btrfs subvolume's
	   * read-only flag, and the 32-bit numbers, which some file systems
	   * take natively */
	  .conds = { REQ(FS_IOC_SETFLAGS), REQ(FS_IOC32_SETFLAGS),
		     REQ(FS_IOC_FSSETXATTR), REQ(FS_IOC_SETVERSION),
		     REQ(FS_IOC32_SETVERSION), REQ(EXT4_IOC_SETVERSION),
		     REQ(EXT4_IOC32_SETVERSION),
		     REQ(FS_IOC_SET_ENCRYPTION_POLICY),
		     REQ(FS_IOC_ENABLE_VERITY),
		     REQ(BTRFS_IOC_SUBVOL_SETFLAGS) } },
	ALL("inotify_init", NO_WATCH),
	ALL("inotify_init1", NO_WATCH),
	ALL("inotify_add_watch", NO_WATCH),
	ALL("fanotify_init", NO_WATCH),
	ALL("fanotify_mark", NO_WATCH),
	/* prlimit64(pid, resource, new, old): setting another's limits */
	{ .name = "prlimit64",
	  .why = NO_PID "denied with new limits for any pid but 0 (its own "
			"process); reading them stays",
	  .n_conds = 1,
	  .conds = { { 2,
		       { { 0, SCMP_CMP_NE, 0, 0 },
			 { 2, SCMP_CMP_NE, 0, 0 } } } } },
	/* setpriority(which, who, prio): PRIO_PROCESS (0) and who 0 only;
	 * PRIO_PGRP 0 is the caller's process group, PRIO_USER 0 every
	 * process of its uid */
	{ .name = "setpriority",
	  .why = NO_PID "denied unless PRIO_PROCESS with who 0 (its own "
			"process): PRIO_PGRP and PRIO_USER are refused too",
	  .n_conds = 2,
	  .conds = { ARG_NE(0, 0), ARG_NE(1, 0) } },
	/* ioprio_set(which, who, ioprio): IOPRIO_WHO_PROCESS (1), who 0 */
	{ .name = "ioprio_set",
	  .why = NO_PID "denied unless IOPRIO_WHO_PROCESS with who 0 (its "
			"own process)",
	  .n_conds = 2,
	  .conds = { ARG_NE(0, 1), ARG_NE(1, 0) } },
	OTHER_PID("sched_setaffinity"),
	OTHER_PID("sched_setscheduler"),
	OTHER_PID("sched_setparam"),
	OTHER_PID("sched_setattr"),
};
const size_t sbx_n_degraded_rules = SBX_ARRAY_SIZE(sbx_degraded_rules);

/* The filter is built on the built-in rules marked must: allowing one
 * would let a program around it (clone3 hides its flags, io_uring
 * bypasses seccomp, nested namespaces reopen kernel surface, TIOCSTI
 * injects keystrokes, a set-id mode or an AF_VSOCK socket escapes). */
int sbx_syscall_must_filter(const char *name)
{
	size_t i;

	for (i = 0; i < sbx_n_syscall_rules; i++)
		if (sbx_syscall_rules[i].must &&
		    strcmp(name, sbx_syscall_rules[i].name) == 0)
			return 1;
	return 0;
}

/* The degraded table denies the whole call for this handle (not only
 * AF_UNIX sockets, as with the host's network), and the policy leaves
 * it to the table. */
int sbx_degraded_denies_all(const sbx_t *sbx, const char *name)
{
	size_t i;

	if (sbx_syscall_find(sbx, name))
		return 0;
	if (strcmp(name, "socket") == 0 && sbx->net == SBX_NET_HOST)
		return 0;
	for (i = 0; i < sbx_n_degraded_rules; i++)
		if (strcmp(name, sbx_degraded_rules[i].name) == 0)
			return !sbx_degraded_rules[i].n_conds;
	return 0;
}

const struct sbx_syscall_add *sbx_syscall_find(const sbx_t *sbx,
					       const char *name)
{
	size_t i;

	for (i = 0; i < sbx->pol.n_sys; i++)
		if (strcmp(sbx->pol.sys[i].name, name) == 0)
			return &sbx->pol.sys[i];
	return NULL;
}

void sbx_syscall_clear(sbx_t *sbx)
{
	size_t i;

	for (i = 0; i < sbx->pol.n_sys; i++)
		free(sbx->pol.sys[i].name);
	free(sbx->pol.sys);
	sbx->pol.sys = NULL;
	sbx->pol.n_sys = 0;
	sbx_policy_filter_changed(sbx);
}

int sbx_syscall_set(sbx_t *sbx, const char *name, int action, int err)
{
	struct sbx_syscall_add *n;
	char *copy;

	if (action < 0 || action >= SBX_SYSCALL_ACTION_MAX)
		return sbx_error(sbx, EINVAL, "unknown system call action %d",
				 action);
	if (!name || !*name || sbx_syscall_resolve(name) == __NR_SCMP_ERROR)
		return sbx_error(sbx, EINVAL,
				 "unknown system call \"%s\" (names are "
				 "libseccomp's, as in \"ptrace\" or "
				 "\"socket\")",
				 name ? name : "(null)");
	if (action == SBX_SYSCALL_ALLOW && sbx_syscall_must_filter(name))
		return sbx_error(sbx, EINVAL,
				 "%s cannot be allowed: the sandbox's filter "
				 "depends on it, and allowing it would let "
				 "the program around the filter",
				 name);
	if (err < 0 || err > 4095 || (err && action != SBX_SYSCALL_DENY))
		return sbx_error(sbx, EINVAL,
				 "%s: errno %d is out of range (1..4095, and "
				 "only for deny)",
				 name, err);
	n = (struct sbx_syscall_add *)sbx_syscall_find(sbx, name);
	if (!n) {
		if (sbx->pol.n_sys >= SBX_MAX_SYSCALL_RULES)
			return sbx_error(sbx, E2BIG,
					 "too many system call rules (at most "
					 "%d)",
					 SBX_MAX_SYSCALL_RULES);
		copy = strdup(name);
		if (!copy)
			return -ENOMEM;
		n = realloc(sbx->pol.sys,
			    (sbx->pol.n_sys + 1) * sizeof(*sbx->pol.sys));
		if (!n) {
			free(copy);
			return -ENOMEM;
		}
		sbx->pol.sys = n;
		n = &sbx->pol.sys[sbx->pol.n_sys++];
		n->name = copy;
	}
	n->action = action;
	n->err = err;
	sbx_policy_filter_changed(sbx);
	return 0;
}

static int add_user_rules(const sbx_t *sbx, scmp_filter_ctx ctx, uint32_t deny,
			  const char **ret_failed)
{
	size_t i;
	int r = 0;

	for (i = 0; i < sbx->pol.n_sys && !r; i++) {
		const struct sbx_syscall_add *a = &sbx->pol.sys[i];
		int nr = sbx_syscall_resolve(a->name);
		uint32_t act;

		if (nr == __NR_SCMP_ERROR || nr < 0)
			continue; /* not on this architecture */
		if (a->action == SBX_SYSCALL_ALLOW)
			continue; /* the built-in rule was left out */
		if (a->action == SBX_SYSCALL_KILL)
			act = SCMP_ACT_KILL_PROCESS;
		else
			act = a->err ? SCMP_ACT_ERRNO((uint32_t)a->err) : deny;
		r = seccomp_rule_add(ctx, act, nr, 0);
		if (r < 0)
			*ret_failed = a->name;
	}
	return r;
}

static int add_degraded_rules(const sbx_t *sbx, scmp_filter_ctx ctx,
			      uint32_t deny, const char **ret_failed)
{
	size_t i;
	int r = 0;

	for (i = 0; i < sbx_n_degraded_rules && !r; i++) {
		const struct sbx_degraded_rule *d = &sbx_degraded_rules[i];
		int nr = sbx_syscall_resolve(d->name);
		unsigned k;

		if (nr == __NR_SCMP_ERROR || nr < 0 ||
		    sbx_syscall_find(sbx, d->name))
			continue; /* the policy decides */
		/* The kernel reads the family's low 32 bits, and
		 * libseccomp 2.5's SCMP_A0_32 compares all 64:
		 * (1 << 32) | AF_UNIX would pass an equality. */
		if (strcmp(d->name, "socket") == 0 && sbx->net == SBX_NET_HOST)
			r = seccomp_rule_add(ctx, deny, nr, 1,
					     SCMP_A0_64(SCMP_CMP_MASKED_EQ,
							0xffffffffull,
							AF_UNIX));
		else if (!d->n_conds)
			r = seccomp_rule_add(ctx, deny, nr, 0);
		for (k = 0; k < d->n_conds && !r; k++)
			r = seccomp_rule_add_array(ctx, deny, nr,
						   d->conds[k].n,
						   d->conds[k].cmp);
		if (r < 0)
			*ret_failed = d->name;
	}
	return r;
}

int sbx_seccomp_add_policy(const sbx_t *sbx, void *ctx, uint32_t deny,
			   int degraded, const char **ret_failed)
{
	int r = add_user_rules(sbx, ctx, deny, ret_failed);

	if (!r && degraded)
		r = add_degraded_rules(sbx, ctx, deny, ret_failed);
	return r;
}

/* errno names, for policies ("EACCES") and their display. */
#ifndef HAVE_STRERRORNAME_NP
static const struct {
	int err;
	const char *name;
} errno_table[] = {
	{ EPERM, "EPERM" },
	{ ENOENT, "ENOENT" },
	{ EIO, "EIO" },
	{ EBADF, "EBADF" },
	{ EAGAIN, "EAGAIN" },
	{ ENOMEM, "ENOMEM" },
	{ EACCES, "EACCES" },
	{ EFAULT, "EFAULT" },
	{ EBUSY, "EBUSY" },
	{ EEXIST, "EEXIST" },
	{ EINVAL, "EINVAL" },
	{ ENOSPC, "ENOSPC" },
	{ EROFS, "EROFS" },
	{ ENOSYS, "ENOSYS" },
	{ ENOTSUP, "ENOTSUP" },
	{ EAFNOSUPPORT, "EAFNOSUPPORT" },
	{ ECONNREFUSED, "ECONNREFUSED" },
	{ ENETUNREACH, "ENETUNREACH" },
};
#endif

const char *sbx_errno_name(int err)
{
#ifdef HAVE_STRERRORNAME_NP
	return strerrorname_np(err);
#else
	size_t i;

	for (i = 0; i < SBX_ARRAY_SIZE(errno_table); i++)
		if (errno_table[i].err == err)
			return errno_table[i].name;
	return NULL;
#endif
}

int sbx_errno_parse(const char *name)
{
	int e;

	for (e = 1; e < 4096; e++) {
		const char *n = sbx_errno_name(e);

		if (n && strcmp(n, name) == 0)
			return e;
	}
	return -EINVAL;
}
