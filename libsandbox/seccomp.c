/* seccomp.c - the system call filter, compiled once per handle with
 * libseccomp in the caller and shipped to the supervisor as BPF. */
#include <errno.h>
#include <pthread.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "seccomp_rules.h"

static int add_rule(scmp_filter_ctx ctx, uint32_t deny, int nr,
		    const struct sbx_syscall_rule *rule)
{
	struct sbx_rule_cond c[SBX_MAX_RULE_CONDS];
	int err = sbx_rule_errno(rule->kind), r = 0;
	uint32_t act = err ? SCMP_ACT_ERRNO((uint32_t)err) : deny;
	size_t i, n;

	switch (rule->kind) {
	case SBX_RULE_DENY:
	case SBX_RULE_ENOSYS:
		return seccomp_rule_add(ctx, act, nr, 0);
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
	default:
		n = sbx_rule_conds(rule, c, SBX_ARRAY_SIZE(c));
		for (i = 0; i < n && !r; i++)
			r = seccomp_rule_add_array(ctx, act, nr, c[i].n,
						   c[i].cmp);
		return n ? r : -EINVAL;
	}
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
		const char *name = sbx_syscall_rules[i].name;
		int nr = sbx_syscall_resolve(name);

		if (nr == __NR_SCMP_ERROR || nr < 0)
			continue; /* not on this architecture */
		/* a rule of the policy replaces the built-in one, and so
		 * does a degraded run's denial of the whole call */
		if (sbx_syscall_find(sbx, name) ||
		    (degraded && sbx_degraded_denies_all(sbx, name)))
			continue;
		r = add_rule(ctx, deny, nr, &sbx_syscall_rules[i]);
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

int sbx_seccomp_build(const sbx_t *sbx, struct sbx_filter *f, uint32_t key,
		      uint32_t flags, int degraded, const char **ret_failed)
{
	void *bpf = NULL;
	size_t len = 0;
	int r;

	if (f->bpf && f->key == key)
		return 0;
	pthread_mutex_lock(&seccomp_lock);
	r = compile(sbx, flags, degraded, &bpf, &len, ret_failed);
	pthread_mutex_unlock(&seccomp_lock);
	if (r < 0)
		return r;
	free(f->bpf);
	f->bpf = bpf;
	f->len = len;
	f->key = key;
	return 0;
}

int sbx_seccomp_compile(sbx_t *sbx)
{
	const char *failed = "export";
	uint32_t flags = sbx->flags & (1u << SBX_FLAG_SECCOMP_KILL);
	int r = sbx_seccomp_build(sbx, &sbx->filter, flags, flags, 0, &failed);

	if (r < 0)
		return sbx_error(sbx, r,
				 "cannot build the seccomp filter (rule %s): "
				 "%s; is libseccomp too old?",
				 failed, strerror(-r));
	return 0;
}
