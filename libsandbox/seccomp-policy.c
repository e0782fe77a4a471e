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

/* The filter is built on these: allowing one would let a program around
 * it (clone3 hides its flags, io_uring bypasses seccomp, nested
 * namespaces reopen kernel surface, TIOCSTI injects keystrokes). */
static const char *const must_filter[] = {
	"clone",	  "clone3",	    "unshare",
	"setns",	  "ioctl",	    "personality",
	"io_uring_setup", "io_uring_enter", "io_uring_register",
};

/* Without namespaces the sandbox shares the host's network and IPC
 * namespaces.  Landlock (up to ABI 7) does not cover connect() to a
 * pathname unix socket, which would reach the user's D-Bus session bus
 * (and through it systemd-run --user: code outside the sandbox), the
 * ssh-agent or the Docker socket; so socket() is denied for every family
 * (AF_UNIX only with the host's network), socketpair() stays. */
const struct sbx_degraded_rule sbx_degraded_rules[] = {
	{ "socket", "no network namespace: a socket could reach the host's "
		    "services (pathname unix sockets are not covered by "
		    "Landlock); socketpair() stays" },
	{ "shmget", "no IPC namespace: SysV IPC is the host's" },
	{ "shmat", "no IPC namespace: SysV IPC is the host's" },
	{ "shmctl", "no IPC namespace: SysV IPC is the host's" },
	{ "msgget", "no IPC namespace: SysV IPC is the host's" },
	{ "msgsnd", "no IPC namespace: SysV IPC is the host's" },
	{ "msgrcv", "no IPC namespace: SysV IPC is the host's" },
	{ "msgctl", "no IPC namespace: SysV IPC is the host's" },
	{ "semget", "no IPC namespace: SysV IPC is the host's" },
	{ "semop", "no IPC namespace: SysV IPC is the host's" },
	{ "semtimedop", "no IPC namespace: SysV IPC is the host's" },
	{ "semctl", "no IPC namespace: SysV IPC is the host's" },
	{ "mq_open", "no IPC namespace: POSIX message queues are the host's" },
	{ "mq_unlink", "no IPC namespace: POSIX message queues are the "
		       "host's" },
	{ "mq_timedsend", "no IPC namespace: POSIX message queues are the "
			  "host's" },
	{ "mq_timedreceive", "no IPC namespace: POSIX message queues are the "
			     "host's" },
	{ "mq_notify", "no IPC namespace: POSIX message queues are the "
		       "host's" },
	{ "mq_getsetattr", "no IPC namespace: POSIX message queues are the "
			   "host's" },
};
const size_t sbx_n_degraded_rules = SBX_ARRAY_SIZE(sbx_degraded_rules);

int sbx_syscall_must_filter(const char *name)
{
	size_t i;

	for (i = 0; i < SBX_ARRAY_SIZE(must_filter); i++)
		if (strcmp(name, must_filter[i]) == 0)
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
	if (!name || !*name ||
	    seccomp_syscall_resolve_name(name) == __NR_SCMP_ERROR)
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
		int nr = seccomp_syscall_resolve_name(a->name);
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
		int nr = seccomp_syscall_resolve_name(name);

		if (nr == __NR_SCMP_ERROR || nr < 0 ||
		    sbx_syscall_find(sbx, name))
			continue; /* the policy decides */
		if (strcmp(name, "socket") == 0 && sbx->net == SBX_NET_HOST)
			r = seccomp_rule_add(ctx, deny, nr, 1,
					     SCMP_A0_32(SCMP_CMP_EQ, AF_UNIX));
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
