/* limits.c - choose, per limit, the strongest mechanism this host gives
 * this caller: the cgroup (v2, else v1), else an rlimit; and say so in the
 * result. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sup.h"

static void note(struct sbx_wire_result *res, int kind, enum sbx_mech mech)
{
	res->limits[kind].mechanism = mech;
}

void sup_plan_limits(const struct sup_config *cfg, struct sup_plan *plan,
		     struct sbx_wire_result *res)
{
	const uint64_t *lim = cfg->limits;
	struct sup_cg_want want = {
		.memory = lim[SBX_LIMIT_MEMORY],
		.pids = lim[SBX_LIMIT_PIDS],
		.cpu_milli = lim[SBX_LIMIT_CPU_SHARE],
	};
	struct sup_cg_host host;
	enum sbx_mech cgm = SBX_MECH_NONE;
	char name[32];
	int i;

	plan->cg_fd = -1;
	for (i = 0; i < SBX_LIMIT_KIND_MAX; i++)
		res->limits[i].value = lim[i];
	snprintf(name, sizeof(name), "sbx-%d", (int)getpid());
	if (sup_cg_detect(&host, "/proc/self/mountinfo", "/proc/self/cgroup") ==
	    0)
		sup_cg_create(&plan->cg, &host, &want, name);
	if (plan->cg.version)
		cgm = plan->cg.version == 2 ? SBX_MECH_CGROUP2 : SBX_MECH_CGROUP1;
	plan->cg_fd = sup_cg_open_v2(&plan->cg);

	if (lim[SBX_LIMIT_MEMORY]) {
		if (plan->cg.limited & (1u << SUP_CG_MEMORY)) {
			note(res, SBX_LIMIT_MEMORY, cgm);
		} else {
			/* the supervisor measures the whole sandbox and
			 * kills it at the limit (memwatch.c); RLIMIT_DATA
			 * stops a single process early */
			plan->rl_data = lim[SBX_LIMIT_MEMORY];
			plan->mem_watch = 1;
			note(res, SBX_LIMIT_MEMORY, SBX_MECH_SUPERVISOR);
		}
	}
	if (lim[SBX_LIMIT_PIDS]) {
		if (plan->cg.limited & (1u << SUP_CG_PIDS)) {
			note(res, SBX_LIMIT_PIDS, cgm);
		} else {
			/* counted per user in the sandbox's own user
			 * namespace (Linux 5.14+): the whole sandbox */
			plan->rl_nproc = lim[SBX_LIMIT_PIDS];
			note(res, SBX_LIMIT_PIDS, SBX_MECH_RLIMIT);
		}
	}
	if (plan->cg.limited & (1u << SUP_CG_CPUACCT))
		plan->cpu = SUP_CPU_CGROUP;
	else if (access("/proc/self/task", F_OK) == 0)
		plan->cpu = SUP_CPU_PROCFS;
	if (lim[SBX_LIMIT_CPU_MS]) {
		note(res, SBX_LIMIT_CPU_MS,
		     plan->cpu == SUP_CPU_CGROUP ? cgm : SBX_MECH_SUPERVISOR);
		/* a per-process backstop a second past the limit, so the
		 * watchdog, which sees the whole sandbox, fires first */
		plan->rl_cpu_s = (lim[SBX_LIMIT_CPU_MS] + 999) / 1000 + 1;
	}
	if (lim[SBX_LIMIT_CPU_SHARE] && (plan->cg.limited & (1u << SUP_CG_CPU)))
		note(res, SBX_LIMIT_CPU_SHARE, cgm);
	if (lim[SBX_LIMIT_WALL_MS])
		note(res, SBX_LIMIT_WALL_MS, SBX_MECH_SUPERVISOR);
	if (lim[SBX_LIMIT_NOFILE])
		note(res, SBX_LIMIT_NOFILE, SBX_MECH_RLIMIT);
	if (lim[SBX_LIMIT_FSIZE])
		note(res, SBX_LIMIT_FSIZE, SBX_MECH_RLIMIT);
	note(res, SBX_LIMIT_DISK, SBX_MECH_TMPFS);
	/* before the clone: the new user namespace keeps our rlimits */
	sup_plan_budgets(&plan->budget);
	if (cfg->relay & (SBX_RELAY_STDOUT | SBX_RELAY_STDERR))
		note(res, SBX_LIMIT_OUTPUT, SBX_MECH_SUPERVISOR);
	if (lim[SBX_LIMIT_PTYS])
		note(res, SBX_LIMIT_PTYS, SBX_MECH_DEVPTS);
}
