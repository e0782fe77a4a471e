/* layers.c - the layers a run enforces: recorded once they are all
 * decided, rendered once for the result (namespaces, Landlock, seccomp's
 * additions, the cgroup, a read-only root), and checked against the
 * layers the caller requires.  Their names and how a required one is
 * matched are the library's (libsandbox/layers.c). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layers.h"
#include "sup.h"

/* Append one token (printf-style) to the list; a token that does not
 * fit is left out, as a whole. */
__attribute__((format(printf, 4, 5))) static void
put(char *out, size_t cap, size_t *n, const char *fmt, ...)
{
	char tok[128];
	size_t len;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(tok, sizeof(tok), fmt, ap);
	va_end(ap);
	if (r < 0 || (size_t)r >= sizeof(tok))
		return;
	len = (size_t)r;
	if (*n + len + 2 > cap)
		return;
	if (*n)
		out[(*n)++] = ' ';
	memcpy(out + *n, tok, len + 1);
	*n += len;
}

void sup_layers_record(struct sup_layers *l, const struct sup_config *cfg,
		       const struct sup_plan *plan, const struct sup_ids *ids)
{
	memset(l, 0, sizeof(*l));
	l->degraded = plan->pol.degraded;
	l->single_id = ids->range <= 1;
	l->net_none = cfg->net == SBX_NET_NONE;
	/* degraded: no user namespace to keep them in */
	l->setid = sup_flag(cfg, SBX_FLAG_ALLOW_SETID) && !plan->pol.degraded;
	l->landlock_abi = plan->pol.landlock_abi;
	l->landlock_parts = plan->pol.landlock_parts;
	l->cg_version = plan->cg.version;
	l->cg_limited = plan->cg.limited;
	l->read_only = sup_flag(cfg, SBX_FLAG_READ_ONLY);
}

/*
 * The list, in the order the layers are applied: the namespaces (none in
 * a degraded run), capabilities and no_new_privs, Landlock, seccomp with
 * what it adds in a degraded run (seccomp-policy.c on the library's side
 * builds that), the cgroup's controllers, a read-only root.
 */
void sup_layers_render(const struct sup_layers *l, char *out, size_t cap)
{
	static const char *const ctl[SUP_CG_N] = { "memory", "pids", "cpu",
						   "cpuacct" };
	char cg[64] = "";
	size_t n = 0, c = 0;
	int i;

	if (!cap)
		return;
	out[0] = '\0';
	if (!l->degraded) {
		put(out, cap, &n, "userns%s", l->single_id ? ":single-id" : "");
		put(out, cap, &n, "pidns");
		put(out, cap, &n, "mountns");
		if (l->net_none)
			put(out, cap, &n, "netns");
		put(out, cap, &n, "ipcns");
		put(out, cap, &n, "utsns");
		put(out, cap, &n, "cgroupns");
	}
	put(out, cap, &n, "caps%s", l->setid ? ":setid" : "");
	put(out, cap, &n, "nnp");
	if (l->landlock_abi)
		put(out, cap, &n, "landlock-abi%d:fs%s%s", l->landlock_abi,
		    l->landlock_parts & SUP_LL_TCP ? ",tcp" : "",
		    l->landlock_parts & SUP_LL_SCOPE ? ",scope" : "");
	if (!l->degraded)
		put(out, cap, &n, "seccomp");
	else
		put(out, cap, &n,
		    "seccomp:%s,no-sysv-ipc,no-metadata-changes,"
		    "no-file-watching,no-other-processes",
		    l->net_none ? "no-sockets" : "no-unix-sockets");
	if (l->cg_version) {
		for (i = 0; i < SUP_CG_N; i++) {
			if (!(l->cg_limited & (1u << i)) || i == SUP_CG_CPUACCT)
				continue;
			c += (size_t)snprintf(cg + c, sizeof(cg) - c, "%s%s",
					      c ? "," : "", ctl[i]);
		}
		put(out, cap, &n, "cgroup-v%d:%s", l->cg_version, cg);
	}
	if (l->read_only)
		put(out, cap, &n, "read-only");
}

static const char *why_missing(const struct sup_plan *plan, const char *name)
{
	if (strncmp(name, "landlock", 8) == 0)
		return plan->pol.landlock_abi
			       ? "this kernel's Landlock ABI is older"
			       : "this kernel has no Landlock (see sbx doctor)";
	if (strncmp(name, "cgroup", 6) == 0 && strcmp(name, "cgroupns") != 0)
		return "no cgroup could be created for the sandbox (see sbx "
		       "doctor)";
	if (strcmp(name, "read-only") == 0)
		return "the policy is not read-only";
	if (plan->pol.degraded) /* the namespaces */
		return sup_degraded_reason();
	return "see sbx doctor";
}

int sup_layers_check(const struct sup_config *cfg,
		     const struct sup_plan *plan, const char *layers,
		     char *msg, size_t len)
{
	size_t i;

	for (i = 0; i < cfg->pol.n_require; i++) {
		const char *name = cfg->pol.require[i];

		if (sbx_layer_satisfied(layers, name))
			continue;
		snprintf(msg, len,
			 "the policy requires the layer %s, which cannot be "
			 "enforced here: %s (enforced: %s)",
			 name, why_missing(plan, name), layers);
		return -ENOTSUP;
	}
	return 0;
}
