/* seccomp.c - the system call filter, compiled once per handle with
 * libseccomp in the caller and shipped to the supervisor as BPF. */
#include <errno.h>
#include <linux/sched.h>
#include <pthread.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "seccomp_rules.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* The deny list (DESIGN.md, "system compromise").  Order does not matter;
 * names unknown to this libseccomp (older kernels' headers) are skipped. */
const struct sbx_syscall_rule sbx_syscall_rules[] = {
	/* tracing and other processes' memory */
	{ "ptrace", SBX_RULE_DENY },
	{ "process_vm_readv", SBX_RULE_DENY },
	{ "process_vm_writev", SBX_RULE_DENY },
	{ "pidfd_getfd", SBX_RULE_DENY },
	{ "kcmp", SBX_RULE_DENY },
	/* mounts, the old and the new API */
	{ "mount", SBX_RULE_DENY },
	{ "umount2", SBX_RULE_DENY },
	{ "pivot_root", SBX_RULE_DENY },
	{ "chroot", SBX_RULE_DENY },
	{ "fsopen", SBX_RULE_DENY },
	{ "fsconfig", SBX_RULE_DENY },
	{ "fsmount", SBX_RULE_DENY },
	{ "fspick", SBX_RULE_DENY },
	{ "move_mount", SBX_RULE_DENY },
	{ "open_tree", SBX_RULE_DENY },
	{ "mount_setattr", SBX_RULE_DENY },
	/* namespaces */
	{ "unshare", SBX_RULE_DENY },
	{ "setns", SBX_RULE_DENY },
	{ "clone", SBX_RULE_CLONE_NS },
	{ "clone3", SBX_RULE_ENOSYS },
	/* kernel attack surface not namespaced */
	{ "bpf", SBX_RULE_DENY },
	{ "perf_event_open", SBX_RULE_DENY },
	{ "userfaultfd", SBX_RULE_DENY },
	{ "keyctl", SBX_RULE_DENY },
	{ "add_key", SBX_RULE_DENY },
	{ "request_key", SBX_RULE_DENY },
	{ "io_uring_setup", SBX_RULE_DENY },
	{ "io_uring_enter", SBX_RULE_DENY },
	{ "io_uring_register", SBX_RULE_DENY },
	/* the machine itself */
	{ "kexec_load", SBX_RULE_DENY },
	{ "kexec_file_load", SBX_RULE_DENY },
	{ "init_module", SBX_RULE_DENY },
	{ "finit_module", SBX_RULE_DENY },
	{ "delete_module", SBX_RULE_DENY },
	{ "swapon", SBX_RULE_DENY },
	{ "swapoff", SBX_RULE_DENY },
	{ "reboot", SBX_RULE_DENY },
	{ "syslog", SBX_RULE_DENY },
	{ "acct", SBX_RULE_DENY },
	{ "quotactl", SBX_RULE_DENY },
	{ "quotactl_fd", SBX_RULE_DENY },
	{ "uselib", SBX_RULE_DENY },
	{ "lookup_dcookie", SBX_RULE_DENY },
	/* file handles (Shocker) */
	{ "open_by_handle_at", SBX_RULE_DENY },
	{ "name_to_handle_at", SBX_RULE_DENY },
	/* execution domain and terminal injection */
	{ "personality", SBX_RULE_PERSONALITY },
	{ "ioctl", SBX_RULE_IOCTL_TTY },
};
const size_t sbx_n_syscall_rules = SBX_ARRAY_SIZE(sbx_syscall_rules);

/* Also read by the Docker profile and explanations (seccomp_rules.h). */
const uint64_t sbx_clone_ns_flags[] = {
	CLONE_NEWNS,  CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC,
	CLONE_NEWUSER, CLONE_NEWPID,   CLONE_NEWNET,
};
const size_t sbx_n_clone_ns_flags = SBX_ARRAY_SIZE(sbx_clone_ns_flags);

const uint64_t sbx_tty_ioctls[] = { TIOCSTI, TIOCLINUX };
const size_t sbx_n_tty_ioctls = SBX_ARRAY_SIZE(sbx_tty_ioctls);

static int add_rule(scmp_filter_ctx ctx, uint32_t deny, int nr,
		    enum sbx_rule_kind kind)
{
	size_t i;
	int r = 0;

	switch (kind) {
	case SBX_RULE_DENY:
		return seccomp_rule_add(ctx, deny, nr, 0);
	case SBX_RULE_ENOSYS:
		return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), nr, 0);
	case SBX_RULE_CLONE_NS:
		/* x86_64 and most others: flags are the first argument.  One
		 * rule per flag: any of them set is denied. */
		for (i = 0; i < sbx_n_clone_ns_flags && !r; i++)
			r = seccomp_rule_add(ctx, deny, nr, 1,
					     SCMP_A0_64(SCMP_CMP_MASKED_EQ,
							sbx_clone_ns_flags[i],
							sbx_clone_ns_flags[i]));
		return r;
	case SBX_RULE_PERSONALITY:
		/* The kernel reads an unsigned int.  The query (0xffffffff)
		 * answers 0 (PER_LINUX, the only persona allowed); anything
		 * but 0 is denied, high bits included. */
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(0), nr, 1,
				     SCMP_A0_64(SCMP_CMP_EQ, 0xffffffffull));
		if (!r)
			r = seccomp_rule_add(ctx, deny, nr, 1,
					     SCMP_A0_64(SCMP_CMP_NE, 0));
		return r;
	case SBX_RULE_IOCTL_TTY:
		/* The kernel truncates the request to 32 bits, so compare the
		 * low 32 bits only: (1 << 32) | TIOCSTI is TIOCSTI
		 * (CVE-2019-10063). */
		for (i = 0; i < sbx_n_tty_ioctls && !r; i++)
			r = seccomp_rule_add(ctx, deny, nr, 1,
					     SCMP_A1_64(SCMP_CMP_MASKED_EQ,
							0xffffffffull,
							sbx_tty_ioctls[i]));
		return r;
	}
	return -EINVAL;
}

static int export_bpf(scmp_filter_ctx ctx, void **ret, size_t *ret_len)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ void *data = NULL;
	struct stat st;
	int r;

	fd = memfd_create("sbx-seccomp", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = seccomp_export_bpf(ctx, fd);
	if (r < 0)
		return r;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (st.st_size <= 0 || st.st_size % 8)
		return -EPROTO;
	data = malloc((size_t)st.st_size);
	if (!data)
		return -ENOMEM;
	if (pread(fd, data, (size_t)st.st_size, 0) != st.st_size)
		return -EIO;
	*ret = steal_pointer(&data);
	*ret_len = (size_t)st.st_size;
	return 0;
}

/* libseccomp keeps global state (the API level); serialize use of it. */
static pthread_mutex_t seccomp_lock = PTHREAD_MUTEX_INITIALIZER;

static int compile(const sbx_t *sbx, uint32_t flags, int degraded, void **ret,
		   size_t *ret_len, const char **ret_failed)
{
	uint32_t deny = (flags & (1u << SBX_FLAG_SECCOMP_KILL))
				? SCMP_ACT_KILL_PROCESS
				: SCMP_ACT_ERRNO(EPERM);
	uint32_t badarch = (flags & (1u << SBX_FLAG_SECCOMP_KILL))
				   ? SCMP_ACT_KILL_PROCESS
				   : SCMP_ACT_ERRNO(ENOSYS);
	scmp_filter_ctx ctx;
	size_t i;
	int r = 0;

	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return -ENOMEM;
	/* Only the native architecture: i386 (int $0x80) and x32 numbers
	 * take the bad-architecture action. */
	r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, badarch);
	for (i = 0; i < sbx_n_syscall_rules && !r; i++) {
		int nr = seccomp_syscall_resolve_name(sbx_syscall_rules[i].name);

		if (nr == __NR_SCMP_ERROR || nr < 0)
			continue; /* not on this architecture */
		/* a rule of the policy replaces the built-in one */
		if (sbx_syscall_find(sbx, sbx_syscall_rules[i].name))
			continue;
		r = add_rule(ctx, deny, nr, sbx_syscall_rules[i].kind);
		if (r < 0)
			*ret_failed = sbx_syscall_rules[i].name;
	}
	if (!r)
		r = sbx_seccomp_add_policy(sbx, ctx, deny, degraded,
					   ret_failed);
	if (!r)
		r = export_bpf(ctx, ret, ret_len);
	seccomp_release(ctx);
	return r;
}

/* The filter of this handle's policy; degraded: for a run without
 * namespaces (policy.h). */
int sbx_seccomp_build(const sbx_t *sbx, uint32_t flags, int degraded,
		      void **ret, size_t *ret_len, const char **ret_failed)
{
	int r;

	pthread_mutex_lock(&seccomp_lock);
	r = compile(sbx, flags, degraded, ret, ret_len, ret_failed);
	pthread_mutex_unlock(&seccomp_lock);
	return r;
}

int sbx_seccomp_compile(sbx_t *sbx)
{
	const char *failed = "export";
	void *bpf = NULL;
	size_t len = 0;
	uint32_t flags = sbx->flags & (1u << SBX_FLAG_SECCOMP_KILL);
	int r;

	if (sbx->bpf && sbx->bpf_flags == flags)
		return 0;
	r = sbx_seccomp_build(sbx, flags, 0, &bpf, &len, &failed);
	if (r < 0)
		return sbx_error(sbx, r,
				 "cannot build the seccomp filter (rule %s): "
				 "%s; is libseccomp too old?",
				 failed, strerror(-r));
	free(sbx->bpf);
	sbx->bpf = bpf;
	sbx->bpf_len = len;
	sbx->bpf_flags = flags;
	return 0;
}
