/* sup-policy.h - the supervisor's policy layers: Landlock (landlock.c),
 * the fallback ladder to a sandbox without namespaces (degraded.c), the
 * layers a run enforces and the required ones (layers.c), and the host
 * probe of `sbx doctor` (probe.c). */
#ifndef SBX_SUP_POLICY_H
#define SBX_SUP_POLICY_H

#include <linux/filter.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct sup_config;
struct sup_plan;
struct sup_run;
struct sup_ids;

/* Landlock parts applied (the "landlock-abiN:..." layer). */
#define SUP_LL_FS 1u
#define SUP_LL_TCP 2u
#define SUP_LL_SCOPE 4u

/* The policy's records, as the library sent them (config.c). */
struct sup_policy {
	const char **require; /* required layer names */
	size_t n_require;
	const struct sock_filter *bpf_degraded;
	unsigned short bpf_degraded_count;
};

/* What the supervisor decided of the policy for this run: the ladder's
 * outcome (degraded.c) and the Landlock plan (landlock.c).  Part of
 * struct sup_plan (sup.h). */
struct sup_policy_plan {
	int degraded;  /* running without namespaces */
	uint32_t step; /* the ladder's failed step, else 0 */
	char *tmpdir;  /* degraded: the run's private /tmp and home */
	uid_t run_uid; /* degraded: run as this id (-1: the caller's) */
	gid_t run_gid;
	int landlock_abi; /* applied ABI, 0 when none */
	unsigned landlock_parts;
};

/* The layers a run enforces, as decided by the time the sandbox is
 * cloned; layers.c renders them once, for the result and the check of
 * required layers. */
struct sup_layers {
	int degraded;            /* no namespaces; seccomp adds rules */
	int single_id;           /* the user namespace maps one id */
	int net_none;            /* a network namespace; degraded: no sockets */
	int setid;               /* CAP_SETUID and CAP_SETGID kept inside */
	int landlock_abi;        /* 0: no Landlock */
	unsigned landlock_parts; /* SUP_LL_* */
	int cg_version;          /* 0: no cgroup */
	unsigned cg_limited;     /* 1 << SUP_CG_* */
	int read_only;
};

/* layers.c */
void sup_layers_record(struct sup_layers *l, const struct sup_config *cfg,
		       const struct sup_plan *plan, const struct sup_ids *ids);
/* The space-separated list ("userns pidns ... seccomp cgroup-v2:pids"),
 * in the order the layers are applied. */
void sup_layers_render(const struct sup_layers *l, char *out, size_t cap);
int sup_layers_check(const struct sup_config *cfg,
		     const struct sup_plan *plan, const char *layers,
		     char *msg, size_t len);

/* landlock.c */
void sup_landlock_plan(const struct sup_config *cfg, struct sup_plan *plan);
void sandbox_landlock(const struct sup_config *cfg,
		      const struct sup_plan *plan, int report);

/* degraded.c */
/* The clone into the namespaces failed with err: 0 when a sandbox
 * without namespaces is to be cloned instead (run->plan and ids are set
 * up for it), else -1 with errno, run->msg saying why and
 * run->plan->pol.step. */
int sup_ladder(struct sup_run *run, struct sup_ids *ids, int err);
int sup_ladder_failed(struct sup_run *run, int err);
void sandbox_degraded_enter(int go_fd);
void sandbox_degraded_drop(const struct sup_plan *plan, int report);
/* Init of a degraded run ends its orphans when the supervisor dies:
 * open what it needs (before Landlock), then arm it. */
void sandbox_degraded_guard_open(void);
void sandbox_degraded_guard(int report);
void sup_degraded_end(const struct sup_plan *plan);
void sup_degraded_cleanup(struct sup_plan *plan);
/* Remove what runs of killed supervisors left in /tmp (or where it went). */
void sup_degraded_collect(void);
const char *sup_degraded_reason(void);

/* probe.c */
int sup_probe_main(void);

#endif
