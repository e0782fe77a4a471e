/* seccomp-policy.c - the policy's part of the seccomp filter: rules added
 * with sbx_set_syscall(), and what a run without namespaces denies on top
 * of the built-in list. */
#include <errno.h>
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
 * chown, times and xattrs would reach the caller's files anywhere on the
 * disk (a world-writable ~/.ssh), and inotify would report the names of
 * files created in directories it cannot read. */
#define NO_IPC "no IPC namespace: SysV IPC is the host's"
#define NO_MQ "no IPC namespace: POSIX message queues are the host's"
#define NO_META                                                              \
	"Landlock does not cover metadata, and the program runs as you: it "  \
	"could change the mode, owner, times or extended attributes of any " \
	"of your files it can name, outside the sandbox too"
#define NO_WATCH                                                          \
	"Landlock does not cover watching files: it would report the names " \
	"of files created in directories the sandbox cannot read"
const struct sbx_degraded_rule sbx_degraded_rules[] = {
	{ "socket", "no network namespace: a socket could reach the host's "
		    "services (pathname unix sockets are not covered by "
		    "Landlock); socketpair() stays" },
	{ "shmget", NO_IPC },
	{ "shmat", NO_IPC },
	{ "shmctl", NO_IPC },
	{ "msgget", NO_IPC },
	{ "msgsnd", NO_IPC },
	{ "msgrcv", NO_IPC },
	{ "msgctl", NO_IPC },
	{ "semget", NO_IPC },
	{ "semop", NO_IPC },
	{ "semtimedop", NO_IPC },
	{ "semctl", NO_IPC },
	{ "mq_open", NO_MQ },
	{ "mq_unlink", NO_MQ },
	{ "mq_timedsend", NO_MQ },
	{ "mq_timedreceive", NO_MQ },
	{ "mq_notify", NO_MQ },
	{ "mq_getsetattr", NO_MQ },
	{ "chmod", NO_META },
	{ "fchmod", NO_META },
	{ "fchmodat", NO_META },
	{ "fchmodat2", NO_META },
	{ "chown", NO_META },
	{ "fchown", NO_META },
	{ "lchown", NO_META },
	{ "fchownat", NO_META },
	{ "utime", NO_META },
	{ "utimes", NO_META },
	{ "futimesat", NO_META },
	{ "utimensat", NO_META },
	{ "setxattr", NO_META },
	{ "lsetxattr", NO_META },
	{ "fsetxattr", NO_META },
	{ "setxattrat", NO_META },
	{ "removexattr", NO_META },
	{ "lremovexattr", NO_META },
	{ "fremovexattr", NO_META },
	{ "removexattrat", NO_META },
	{ "inotify_init", NO_WATCH },
	{ "inotify_init1", NO_WATCH },
	{ "inotify_add_watch", NO_WATCH },
	{ "fanotify_init", NO_WATCH },
	{ "fanotify_mark", NO_WATCH },
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
			return 1;
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
		const char *name = sbx_degraded_rules[i].name;
		int nr = sbx_syscall_resolve(name);

		if (nr == __NR_SCMP_ERROR || nr < 0 ||
		    sbx_syscall_find(sbx, name))
			continue; /* the policy decides */
		/* The kernel reads the family's low 32 bits, and
		 * libseccomp 2.5's SCMP_A0_32 compares all 64:
		 * (1 << 32) | AF_UNIX would pass an equality. */
		if (strcmp(name, "socket") == 0 && sbx->net == SBX_NET_HOST)
			r = seccomp_rule_add(ctx, deny, nr, 1,
					     SCMP_A0_64(SCMP_CMP_MASKED_EQ,
							0xffffffffull,
							AF_UNIX));
		else
			r = seccomp_rule_add(ctx, deny, nr, 0);
		if (r < 0)
			*ret_failed = name;
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
