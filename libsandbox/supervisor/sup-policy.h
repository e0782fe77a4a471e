/* sup-policy.h - the supervisor's policy layers: Landlock (landlock.c),
 * the fallback ladder to a sandbox without namespaces (degraded.c),
 * required layers and the read-only root (policy.c), and the host probe
 * of `sbx doctor` (probe.c). */
#ifndef SBX_SUP_POLICY_H
#define SBX_SUP_POLICY_H

#include <linux/filter.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct sup_config;
struct sup_run;
struct sup_ids;

/* Landlock parts applied (the "landlock-abiN:..." layer). */
#define SUP_LL_FS 1u
#define SUP_LL_TCP 2u
#define SUP_LL_SCOPE 4u

struct sup_policy {
	const char **require; /* required layer names */
	size_t n_require;
	const struct sock_filter *bpf_degraded;
	unsigned short bpf_degraded_count;
	int degraded;  /* running without namespaces */
	uint32_t step; /* the ladder's failed step, else 0 */
	char *tmpdir;  /* degraded: the run's private /tmp and home */
	uid_t run_uid; /* degraded: run as this id (-1: the caller's) */
	gid_t run_gid;
	int landlock_abi; /* applied ABI, 0 when none */
	unsigned landlock_parts;
};

/* policy.c */
void sup_layers_adjust(char *layers, size_t len, const struct sup_config *cfg);
int sup_layers_check(const struct sup_config *cfg, const char *layers,
		     char *msg, size_t len);
/* In the sandbox, before the capabilities go: the read-only root, and in
 * a degraded run the privileges (drop_privileges() needs CAP_SETPCAP). */
void sandbox_policy_pre_caps(const struct sup_config *cfg, int report);

/* landlock.c */
void sup_landlock_plan(struct sup_config *cfg);
int sup_landlock_token(const struct sup_config *cfg, char *buf, size_t len);
void sandbox_landlock(const struct sup_config *cfg, int report);

/* degraded.c */
/* The clone into the namespaces failed with err: 0 when a sandbox
 * without namespaces is to be cloned instead (cfg and ids are set up for
 * it), else -1 with errno, run->msg saying why and cfg->pol.step. */
int sup_ladder(struct sup_run *run, struct sup_config *cfg,
	       struct sup_ids *ids, int err);
int sup_ladder_failed(struct sup_run *run, struct sup_config *cfg, int err);
void sandbox_degraded_enter(int go_fd);
void sandbox_degraded_drop(const struct sup_config *cfg, int report);
/* Init of a degraded run ends its orphans when the supervisor dies:
 * open what it needs (before Landlock), then arm it. */
void sandbox_degraded_guard_open(void);
void sandbox_degraded_guard(int report);
void sup_degraded_end(const struct sup_config *cfg);
void sup_degraded_cleanup(struct sup_config *cfg);
/* Remove what runs of killed supervisors left in /tmp (or where it went). */
void sup_degraded_collect(void);
const char *sup_degraded_reason(void);

/* probe.c */
int sup_probe_main(void);

#endif
