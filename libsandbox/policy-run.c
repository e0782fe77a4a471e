/* policy-run.c - what the policy adds to a run: the records sent to the
 * supervisor (required layers, the filter for a run without
 * namespaces). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int has_flag(const sbx_t *sbx, int flag)
{
	return (sbx->flags >> flag) & 1;
}

/* A read-only sandbox with something writable is a contradiction: say
 * so rather than pick one. */
static int check_read_only(sbx_t *sbx)
{
	size_t i;

	if (!has_flag(sbx, SBX_FLAG_READ_ONLY))
		return 0;
	if (sbx->workspace && sbx->workspace_mode != SBX_WORKSPACE_RO)
		return sbx_error(sbx, EINVAL,
				 "the policy is read-only (read_only, "
				 "SBX_FLAG_READ_ONLY) but the workspace %s is "
				 "writable: mount it read-only or turn "
				 "read_only off",
				 sbx->workspace);
	for (i = 0; i < sbx->n_binds; i++)
		if (sbx->binds[i].flags & SBX_BIND_RW)
			return sbx_error(sbx, EINVAL,
					 "the policy is read-only (read_only, "
					 "SBX_FLAG_READ_ONLY) but %s is bound "
					 "writable at %s",
					 sbx->binds[i].src, sbx->binds[i].dst);
	return 0;
}

/* The filter for a run without namespaces: it depends on the kill flag
 * and the network mode as well as the rules. */
static int degraded_filter(sbx_t *sbx)
{
	uint32_t kill = sbx->flags & (1u << SBX_FLAG_SECCOMP_KILL);
	uint32_t key = kill | ((uint32_t)sbx->net << 8) | 0x80000000u;
	const char *failed = "export";
	int r = sbx_seccomp_build(sbx, &sbx->pol.degraded, key, kill, 1,
				  &failed);

	if (r < 0)
		return sbx_error(sbx, r,
				 "cannot build the seccomp filter for a run "
				 "without namespaces (rule %s): %s",
				 failed, strerror(-r));
	return 0;
}

int sbx_policy_put_config(sbx_t *sbx, struct sbx_buf *cfg)
{
	size_t i;
	int r = check_read_only(sbx);

	for (i = 0; i < sbx->pol.n_require && !r; i++)
		r = sbx_wire_put_str(cfg, SBX_W_REQUIRE, sbx->pol.require[i]);
	if (!r && has_flag(sbx, SBX_FLAG_ALLOW_DEGRADED)) {
		r = degraded_filter(sbx);
		if (!r)
			r = sbx_wire_put(cfg, SBX_W_SECCOMP_DEGRADED,
					 sbx->pol.degraded.bpf,
					 sbx->pol.degraded.len);
	}
	return r;
}
