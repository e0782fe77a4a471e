/* cgroup.h - the sandbox's cgroup: found, created, limited, read, removed.
 * Kept free of the supervisor's other state so tests can drive it against
 * a fake cgroupfs tree. */
#ifndef SBX_CGROUP_H
#define SBX_CGROUP_H

#include <limits.h>
#include <stdint.h>
#include <sys/types.h>

enum sup_cg_ctl {
	SUP_CG_MEMORY = 0,
	SUP_CG_PIDS,
	SUP_CG_CPU,
	SUP_CG_CPUACCT, /* v1 only; v2 has cpu.stat in the core */
	SUP_CG_N
};

/* Where the host's cgroup filesystems are and where we are in them. */
struct sup_cg_host {
	char v2_mount[PATH_MAX];          /* "" when there is none */
	char v2_self[PATH_MAX];           /* our cgroup's directory */
	char v1_self[SUP_CG_N][PATH_MAX]; /* our directory per controller */
	char v2_root[PATH_MAX];           /* the cgroup2 mount's root */
	char self_file[PATH_MAX];         /* where we read our cgroups */
	uid_t uid;
};

/* What the sandbox wants of it (0 = not limited). */
struct sup_cg_want {
	uint64_t memory;    /* bytes, swap included */
	uint64_t pids;
	uint64_t cpu_milli; /* thousandths of a CPU of bandwidth */
};

struct sup_cgroup {
	int version;                     /* 0 none, 1, 2 */
	char v2_dir[PATH_MAX];
	char v1_dir[SUP_CG_N][PATH_MAX]; /* "" where not used */
	unsigned limited;                /* bits: 1 << SUP_CG_* enforced */
	int swap_limited;                /* swap is in the memory limit */
	/* The v2 cgroup is in a unit's cgroup that systemd manages and
	 * rewrites (no delegated scope could be had): the controllers it
	 * does not need itself (cpu) may be taken away mid-run. */
	int unheld;
	char why[512]; /* why a limit fell back, or may not hold */
};

struct sup_cg_stats {
	uint64_t cpu_user_us;
	uint64_t cpu_system_us;
	uint64_t cpu_total_us;
	uint64_t peak_memory;
	uint64_t oom_kills;
	uint64_t pids_max_hits;
	int have_cpu, have_peak;
};

/* Read mountinfo and the /proc/PID/cgroup file (paths given for tests). */
int sup_cg_detect(struct sup_cg_host *h, const char *mountinfo,
		  const char *self_cgroup);
/* Create the sandbox's cgroup named name and write the limits; 0 even
 * when nothing could be created (cg->version 0, cg->why says why). */
int sup_cg_create(struct sup_cgroup *cg, const struct sup_cg_host *h,
		  const struct sup_cg_want *want, const char *name);
/* Move pid in (every v1 hierarchy, or v2 without CLONE_INTO_CGROUP). */
int sup_cg_attach(const struct sup_cgroup *cg, pid_t pid);
/* Start the wait of a first cgroup move early (see cgroup.c); -1 or the
 * pid of a child to reap. */
pid_t sup_cg_prewarm(const struct sup_cgroup *cg);
/* The v2 directory, opened for clone3's CLONE_INTO_CGROUP, or -1. */
int sup_cg_open_v2(const struct sup_cgroup *cg);
void sup_cg_read_stats(const struct sup_cgroup *cg, struct sup_cg_stats *st);
/* CPU time of the whole sandbox so far, microseconds; -1 if unknown. */
int64_t sup_cg_cpu_us(const struct sup_cgroup *cg);
/* Kill whatever is left and remove the directories. */
void sup_cg_destroy(struct sup_cgroup *cg);
/* A transient scope with Delegate=yes from this uid's service manager,
 * holding the calling process (systemd.c; tests stand in for it): 0 and
 * ret_cgroup our new v2 path as h->self_file says it, or -errno and why. */
int sup_cg_unit(const struct sup_cg_host *h, char *ret_cgroup, size_t len,
		char *why, size_t why_len);
/* Remove the cgroups of supervisors that died (sbx-PID, PID gone). */
void sup_cg_collect(const struct sup_cg_host *h);

#endif
